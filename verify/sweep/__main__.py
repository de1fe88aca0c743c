"""``python -m verify.sweep CLAIM... [--grid NAME] [--seeds N] [--store DIR]
[--workers N | --scheduler ADDRESS] [--seed S] [--no-progress]``

Evaluates claims over their declared grids of regimes x seeds on Dask, into a resumable Parquet
store, and prints (and writes to the store as ``_summary.md`` and ``_summary.json``) each
claim's verdict and the success rates of the probabilistic claims.

Exit status: 0 every claim holds where its stated assumptions hold; 1 some claim fails there;
2 usage error (unknown claim or grid, a store of another version, an unreachable scheduler: one
line on stderr, before any work); 3 a checker raised (its tasks are not stored; rerun to retry);
130 interrupted (finished batches are kept; rerun to resume).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from typing import Any

from verify._cli import Parser
from verify.evidence.sweep_spec import GRID_NAMES

PROG = "verify.sweep"


def _parser() -> Parser:
    p = Parser(prog="python -m verify.sweep", name=PROG,
               description="Evaluate claims over grids of regimes and seeds on Dask.")
    p.add_argument("claims", nargs="+", metavar="CLAIM",
                   help='claims, e.g. "Lemma 5.2" theorem-5.1, or "all"')
    p.add_argument("--grid", default="quick", help=f"one of {', '.join(GRID_NAMES)}")
    p.add_argument("--seeds", type=int, default=None,
                   help="seeds per regime (default: the grid's own)")
    p.add_argument("--store", default="sweep-store", help="store directory (default %(default)s)")
    engine = p.add_mutually_exclusive_group()
    engine.add_argument("--workers", type=int, default=None,
                        help="local worker processes (default: one per core)")
    engine.add_argument("--scheduler", default=None, help="tcp://HOST:PORT of a Dask scheduler")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
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
    try:
        store = Store(args.store, create=False)
    except StoreError as exc:
        parser.error(str(exc))
    except OSError as exc:
        parser.error(f"store {args.store}: {exc}")

    from verify._dask import dask_client
    from verify.sweep.engine import run_sweep

    try:
        with contextlib.ExitStack() as stack:
            client = stack.enter_context(dask_client(workers=args.workers,
                                                     scheduler=args.scheduler))
            try:
                stack.enter_context(store.lock())
            except StoreError as exc:
                parser.error(str(exc))
            result = run_sweep(client, chosen, args.grid, store, seeds=args.seeds,
                               root_seed=args.seed, progress=not args.no_progress)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; finished tasks are kept in {store.path} (rerun to resume)",
              file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:
        if args.scheduler is not None and "cannot reach" in str(exc):
            parser.error(str(exc))
        raise
    return _finish(store, chosen, args, result)


def _finish(store: Any, chosen: list[Any], args: argparse.Namespace, result: dict[str, Any]
            ) -> int:
    from verify.sweep.rates import COLUMNS, summarise, summary_text

    df = store.read(columns=COLUMNS).to_pandas()
    rows = df[df["key"].isin(result["keys"])]
    summary = summarise(rows, {s.claim: s for s in chosen}, grid=args.grid, root_seed=args.seed)
    summary["run"] = {k: v for k, v in result.items() if k not in ("errors", "keys")}
    text = summary_text(summary)
    print(text, end="")
    store.write_text("_summary.md", text)
    store.write_text("_summary.json", json.dumps(summary, indent=1, sort_keys=True,
                                                 default=str))
    if result["errors"]:
        for claim, params, message in result["errors"][:5]:
            print(f"{PROG}: error: {claim} at {params}: {message}", file=sys.stderr)
        print(f"{PROG}: {len(result['errors'])} task(s) raised; they are not stored (rerun to "
              "retry)", file=sys.stderr)
        return 3
    return int(summary["exit_status"])


if __name__ == "__main__":
    raise SystemExit(main())
