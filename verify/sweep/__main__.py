"""``python -m verify.sweep CLAIM... [--grid NAME] [--seeds N | --adaptive [--first N]
[--budget N]] [--store DIR] [--workers N | --scheduler ADDRESS] [--seed S] [--no-progress]``

Evaluates claims over their declared grids of regimes x seeds on Dask, into a resumable Parquet
store, and prints (and writes to the store as ``_summary.md`` and ``_summary.json``) each
claim's verdict and the success rates of the probabilistic claims.

Exit status: 0 every claim holds where its stated assumptions hold; 1 some claim fails there;
2 usage error (unknown claim or grid, a store of another version, a store that cannot be
written or is in use, an unreachable scheduler: one line on stderr, before any work; ``--workers``
above the machine's cores is capped, with one line saying so); 3 a checker raised or its worker or
the scheduler was lost (those tasks are not stored; rerun to retry); 130 interrupted (finished
batches are kept; rerun to resume). A part of the store that cannot be used (truncated by a
crash, another schema, rows with null keys) is named, moved to ``_bad/`` and its tasks are run
again.

``--adaptive`` (probabilistic claims only; ``all`` means all of them) runs
:func:`verify.sweep.adaptive.run_adaptive` instead: seeds are added to each regime in rounds
(``--first``, twice that, ... up to ``--budget`` seeds) until its "P(event) >= p" is decided
(demonstrated, refuted, vacuous) or the budget is spent (undecided); the error guarantees are
those of :class:`verify.evidence.sequential.SequentialDesign`. It prints a table of the
decisions (also ``_adaptive.md`` and ``_adaptive.json`` in the store); exit 1 if a regime where
the stated assumptions hold is refuted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from typing import Any

from verify._cli import Parser, run_main
from verify._dask import WORKERS_HELP
from verify.evidence.sequential import SequentialDesign
from verify.evidence.sweep_spec import GRID_NAMES
from verify.sweep.engine import NO_WORKER_GRACE, NO_WORKER_WAIT

PROG = "verify.sweep"
_DESIGN = SequentialDesign()


def _parser() -> Parser:
    p = Parser(prog="python -m verify.sweep", name=PROG,
               description="Evaluate claims over grids of regimes and seeds on Dask.")
    p.add_argument("claims", nargs="+", metavar="CLAIM",
                   help='claims, e.g. "Lemma 5.2" theorem-5.1, or "all"')
    p.add_argument("--grid", default="quick", metavar="{" + ",".join(GRID_NAMES) + "}",
                   help="how much to run: each claim's declared grid of that name, quick "
                   "(default), standard or thorough (the report's --profile of the same name "
                   "draws its Atlas from the quick, quick and standard grids)")
    p.add_argument("--seeds", type=int, default=None,
                   help="seeds per regime (default: the grid's own)")
    p.add_argument("--store", default="sweep-store", help="store directory (default %(default)s)")
    engine = p.add_mutually_exclusive_group()
    engine.add_argument("--workers", type=int, default=None,
                        help=WORKERS_HELP)
    engine.add_argument("--scheduler", default=None, help="tcp://HOST:PORT of a Dask scheduler")
    p.add_argument("--adaptive", action="store_true",
                   help="add seeds to each regime in rounds until decided or --budget is spent "
                        "(probabilistic claims)")
    p.add_argument("--first", type=int, default=None,
                   help=f"with --adaptive: seeds in the first round (default {_DESIGN.first})")
    p.add_argument("--budget", type=int, default=None,
                   help=f"with --adaptive: most seeds per regime (default {_DESIGN.budget})")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    p.add_argument("--worker-grace", type=float, default=NO_WORKER_GRACE, metavar="SECONDS",
                   help="say so on stderr once the cluster has had no worker for this long "
                   "(default %(default)g)")
    p.add_argument("--worker-wait", type=float, default=NO_WORKER_WAIT, metavar="SECONDS",
                   help="then wait this much longer for a worker to join before stopping with "
                   "exit status 3, finished tasks kept (default %(default)g)")
    p.add_argument("--quiet", "-q", "--no-progress", dest="quiet", action="store_true",
                   help="no progress on stderr (without it: a bar on a terminal; elsewhere, "
                   "one line per finished part, with the elapsed time)")
    return p


def _selection(store: Any, chosen: list[Any], grid: str, seeds: int | None,
               root_seed: int) -> Any:
    """This sweep's rows in ``store`` (and no other's): its claims, its grid's regimes, its
    root seed and replicates below its seed count."""
    import pyarrow.compute as pc

    from verify.evidence.sweep_spec import canonical
    from verify.sweep.rates import COLUMNS

    df = store.read(columns=COLUMNS, filters=pc.field("root_seed") == root_seed).to_pandas()
    keep = {}
    for s in chosen:
        g = s.grids[grid]
        keep[s.claim] = ({canonical(r) for r in g.regimes}, g.seeds if seeds is None else seeds)
    mask = [c in keep and p in keep[c][0] and r < keep[c][1]
            for c, p, r in zip(df["claim"], df["params"], df["replicate"], strict=True)]
    return df[mask].reset_index(drop=True) if len(df) else df


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from verify._dask import cap_workers
    from verify.sweep.registry import find, specs
    from verify.sweep.store import Store, StoreError

    table = specs()
    try:
        chosen = (list(table.values()) if [c.lower() for c in args.claims] == ["all"]
                  else [find(c, table) for c in args.claims])
    except ValueError as exc:
        parser.error(str(exc))
    chosen = list({s.claim: s for s in chosen}.values())
    if args.grid not in GRID_NAMES:
        parser.error(f"unknown grid {args.grid!r}; known: {', '.join(GRID_NAMES)}")
    if args.seeds is not None and args.seeds < 1:
        parser.error(f"--seeds must be >= 1, got {args.seeds}")
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be >= 1, got {args.workers}")
    if args.seed < 0:
        parser.error(f"--seed must be >= 0, got {args.seed}")
    for option, value in (("--worker-grace", args.worker_grace),
                          ("--worker-wait", args.worker_wait)):
        if not value > 0 or value == float("inf"):
            parser.error(f"{option} must be a positive number of seconds, got {value:g}")
    if not args.adaptive and (args.first is not None or args.budget is not None):
        parser.error("--first and --budget need --adaptive")
    design = _design(parser, args, chosen) if args.adaptive else None
    if design is not None and [c.lower() for c in args.claims] == ["all"]:
        chosen = [s for s in chosen if s.probabilistic]
    try:
        store = Store(args.store, create=False)
    except StoreError as exc:
        parser.error(str(exc))
    except OSError as exc:
        parser.error(f"store {args.store}: {exc.strerror or exc}")
    workers = None
    if args.scheduler is None:
        workers, note = cap_workers(args.workers)
        if note:
            print(f"{PROG}: {note}", file=sys.stderr)

    from verify._dask import dask_client
    from verify.sweep.engine import run_sweep

    with contextlib.ExitStack() as stack:

        def connect() -> Any:
            try:
                return stack.enter_context(dask_client(workers=workers,
                                                       scheduler=args.scheduler))
            except ValueError as exc:
                parser.error(str(exc))

        # a scheduler given by address is reached first (cheap, and a bad one leaves no store);
        # a local cluster starts only once the store is known to be usable
        client = connect() if args.scheduler is not None else None
        try:  # the store before any work: writable, not in use, its parts readable
            stack.enter_context(store.lock())
            done, bad = store.check_parts(set_aside=True)
        except StoreError as exc:
            parser.error(str(exc))
        except OSError as exc:
            parser.error(f"store {args.store}: {exc.strerror or exc}")
        for name in bad:
            print(f"{PROG}: part {name} of {store.path} cannot be used (truncated, another "
                  f"schema or null keys); moved to {store.path / '_bad'} and its tasks are run "
                  "again", file=sys.stderr)
        client = connect() if client is None else client
        if design is not None:
            return _adaptive(client, store, chosen, args, design)
        try:
            result = run_sweep(client, chosen, args.grid, store, seeds=args.seeds,
                               root_seed=args.seed, progress=not args.quiet, done=done,
                               worker_grace=args.worker_grace, worker_wait=args.worker_wait,
                               say=lambda line: print(f"{PROG}: {line}", file=sys.stderr,
                                                      flush=True))
        except KeyboardInterrupt as exc:  # run_main prints the one "interrupted" line
            raise KeyboardInterrupt(f"finished tasks are kept in {store.path} (rerun to "
                                    "resume)") from exc
    return _finish(store, chosen, args, result)


def _design(parser: Parser, args: argparse.Namespace, chosen: list[Any]) -> SequentialDesign:
    """The rounds of ``--adaptive`` (``--first``, ``--budget``), checked before any work."""
    if args.seeds is not None:
        parser.error("--seeds and --adaptive exclude each other (use --first and --budget)")
    if [c.lower() for c in args.claims] != ["all"]:
        fixed = [s.claim for s in chosen if not s.probabilistic]
        if fixed:
            parser.error(f"--adaptive applies to probabilistic claims only; not {fixed[0]!r}")
    first = _DESIGN.first if args.first is None else args.first
    budget = max(_DESIGN.budget, first) if args.budget is None else args.budget
    if first < 1:
        parser.error(f"--first must be >= 1, got {first}")
    if budget < first:
        parser.error(f"--budget must be >= --first ({first}), got {budget}")
    return SequentialDesign(first=first, budget=budget)


def _adaptive(client: Any, store: Any, chosen: list[Any], args: argparse.Namespace,
              design: SequentialDesign) -> int:
    """``--adaptive``: each claim's regimes in rounds; a table of the decisions."""
    from verify.sweep.adaptive import adaptive_text, run_adaptive

    records = []
    for spec in chosen:
        try:
            got = run_adaptive(client, spec, args.grid, store, design=design,
                               root_seed=args.seed, progress=not args.quiet)
        except RuntimeError as exc:  # a task raised or was lost: nothing decided on it
            print(f"{PROG}: {exc}", file=sys.stderr)
            return 3
        records += [{"claim": spec.claim, **r} for r in got]
    text = adaptive_text(records, store, grid=args.grid, root_seed=args.seed, design=design)
    print(text, end="")
    store.write_text("_adaptive.md", text)
    doc = {"schema": "verify-sweep-adaptive/1", "grid": args.grid, "seed": args.seed,
           "first": design.first, "budget": design.budget, "regimes": records}
    store.write_text("_adaptive.json", json.dumps(doc, indent=1, sort_keys=True, default=str))
    inside_refuted = any(r["status"] == "refuted" and r["assumed"] for r in records)
    return 1 if inside_refuted else 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m verify.sweep``: see ``--help``; returns the exit status (the project's
    table, :data:`verify._cli.EXIT_STATUSES`)."""
    return run_main(PROG, lambda: _run(argv))


def _finish(store: Any, chosen: list[Any], args: argparse.Namespace, result: dict[str, Any]
            ) -> int:
    from verify.sweep.rates import summarise, summary_text

    rows = _selection(store, chosen, args.grid, args.seeds, args.seed)
    summary = summarise(rows, {s.claim: s for s in chosen}, grid=args.grid, root_seed=args.seed)
    summary["run"] = {k: v for k, v in result.items() if k not in ("errors", "lost")}
    text = summary_text(summary)
    if result.get("worker_absences") and not result.get("no_workers"):
        text += (f"\nA worker was lost during the run: the cluster had no worker "
                 f"{result['worker_absences']} time(s), and one joined again in time.\n")
    print(text, end="")
    store.write_text("_summary.md", text)
    store.write_text("_summary.json", json.dumps(summary, indent=1, sort_keys=True,
                                                 default=str))
    status = int(summary["exit_status"])
    if result.get("no_workers"):
        print(f"{PROG}: no worker for {result['no_workers']:.0f} s (--worker-grace "
              f"{args.worker_grace:g} + --worker-wait {args.worker_wait:g}): stopped; "
              f"{result['n_lost']} task(s) not run; finished tasks are kept in {store.path} "
              "(rerun the same command, with workers, to resume)", file=sys.stderr)
        return 3
    if result["n_lost"]:
        first = (result["lost"][0][2] if result["lost"] else "unknown cause").splitlines()[0]
        print(f"{PROG}: {result['n_lost']} task(s) lost (worker or scheduler gone: {first}); "
              "they are not stored (rerun to resume)", file=sys.stderr)
        status = 3
    if result["n_errors"]:
        for claim, params, message in result["errors"][:5]:
            print(f"{PROG}: error: {claim} at {params}: {message}", file=sys.stderr)
        print(f"{PROG}: {result['n_errors']} task(s) raised; they are not stored (rerun to "
              "retry)", file=sys.stderr)
        status = 3
    return status


if __name__ == "__main__":
    raise SystemExit(main())
