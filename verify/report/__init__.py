"""``python -m verify.report``: run every claim checker and write REPORT.md (and report.json).

See :func:`main` for the command line, :mod:`verify.report.document` for the JSON schema.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from verify._cli import Parser, Progress, UsageError, loose_name, run_main
from verify._dask import WORKERS_HELP, cap_workers, dask_client
from verify._files import write_atomic
from verify.report.atlas import collect_atlas, open_store, sequential_seeds
from verify.report.certificates import _PATTERN as CERT_PATTERN
from verify.report.certificates import CERT_DIR, write_certificates
from verify.report.certificates import INDEX as CERT_INDEX
from verify.report.document import build_document
from verify.report.markdown import render_markdown
from verify.report.output import Staging, probe_outputs
from verify.report.plots import draw_plots, have_matplotlib, plot_name_pattern
from verify.report.registry import SECTIONS, Section, select
from verify.report.runner import PROFILES, SPECIAL, SectionResult, run_sections

__all__ = ["main", "write_atomic"]

EXTRA_KEYS = tuple(SPECIAL)  # proof-algebra, errata, fuzzing


def _parser() -> argparse.ArgumentParser:
    p = Parser(
        name="verify.report",
        prog="python -m verify.report",
        description="Run the claim checkers of Brutzkus & Globerson's max-pooling paper and "
        "write a pass/fail report of every bound, with the evidence.",
        epilog="Ctrl-C writes what has finished, marked INCOMPLETE, and exits 130.",
    )
    p.add_argument("--profile", choices=PROFILES, default="quick",
                   help="how much to run: quick (default; ~3 min on 2 idle cores once Numba's "
                   "kernels are compiled, longer the first time), standard (~6 min) or thorough "
                   "(longer: more regimes, trials and fuzzing); the Atlas runs the sweep's quick, "
                   "quick and standard --grid")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    p.add_argument("--only", nargs="+", metavar="CLAIM",
                   help="run only these claims or sections, matched ignoring case, spaces and "
                   "punctuation (e.g. 'Lemma 5.2', theorem-4.2, 'Proof Algebra', errata, "
                   "fuzzing)")
    p.add_argument("--out", default="REPORT.md",
                   help="Markdown output (default REPORT.md), in an existing directory; its "
                   "plots go to <stem>_files/ beside it")
    p.add_argument("--json", dest="json_out", default=None, metavar="PATH",
                   help="also write the report as JSON (schema in docs/report.md)")
    p.add_argument("--workers", type=int, default=None,
                   help=f"{WORKERS_HELP}; the report starts at most one per section")
    p.add_argument("--atlas", metavar="DIR", default=None,
                   help="draw the atlas from this sweep store (python -m verify.sweep --store "
                   "DIR); by default the report runs the quick sweep grid itself")
    p.add_argument("--quiet", "-q", "--no-progress", dest="quiet", action="store_true",
                   help="no progress on stderr (without it: a bar on a terminal; elsewhere, "
                   "one line per finished section, with the elapsed time)")
    return p


def _command(args: argparse.Namespace) -> str:
    parts = ["python", "-m", "verify.report", "--profile", args.profile, "--seed", str(args.seed)]
    if args.only:
        parts += ["--only", *args.only]
    if args.atlas:
        parts += ["--atlas", args.atlas]
    return " ".join(shlex.quote(p) for p in parts)


def _tasks(args: argparse.Namespace) -> tuple[tuple[Section, ...], list[tuple[str, str, str, int]]]:
    """The registry sections and the tasks that ``--only`` selects (raises UsageError)."""
    only = args.only or []
    parts = {loose_name(k) for k in EXTRA_KEYS}
    wanted = {loose_name(o) for o in only}
    extras = [k for k in EXTRA_KEYS if not only or loose_name(k) in wanted]
    rest = [o for o in only if loose_name(o) not in parts]
    try:
        sections = select(rest, also=EXTRA_KEYS) if rest or not only else ()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    tasks = [(k, k, args.profile, args.seed) for k in extras]
    tasks += [(s.key, s.module, args.profile, args.seed) for s in sections]
    return sections, tasks


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.seed < 0:
        raise UsageError("--seed must be a non-negative integer")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be >= 1")
    args.workers, note = cap_workers(args.workers)
    if note:
        print(f"verify.report: {note}", file=sys.stderr)
    sections, tasks = _tasks(args)
    out, plots_dir = probe_outputs(args.out, args.json_out)
    try:
        atlas_store = open_store(args.atlas, sections) if args.atlas else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    bar = Progress("verify.report", len(tasks), "section", quiet=args.quiet)

    def on_done(res: SectionResult) -> None:
        bar.update(1, res.key)

    staging = Staging(out, plots_dir)
    try:
        return _work(args, sections, tasks, atlas_store, out, staging, on_done, bar)
    finally:
        staging.discard()


def _work(args: argparse.Namespace, sections: tuple[Section, ...], tasks: list, atlas_store: Any,
          out: Path, staging: Staging, on_done: Any, bar: Any) -> int:
    """Run the sections and the Atlas, draw into ``staging``, then commit (see
    :mod:`verify.report.output`)."""
    results, complete = run_sections(tasks, workers=args.workers, on_done=on_done)
    bar.close()
    atlas = None
    prefix = f"{out.stem}_files"
    if complete:
        try:
            atlas = collect_atlas(
                sections, profile=args.profile, seed=args.seed, store=atlas_store,
                client=lambda: dask_client(workers=cap_workers(args.workers)[0]),
                out_dir=staging.files if have_matplotlib() else None,
                link_prefix=prefix, progress=not args.quiet)
        except KeyboardInterrupt:
            complete = False
        if atlas is not None and atlas.get("interrupted"):  # Ctrl-C during the Atlas sweep
            complete = False
    doc = build_document(results, sections, profile=args.profile, seed=args.seed,
                         command=_command(args), complete=complete)
    doc["atlas"] = atlas
    if atlas is not None:  # the seeds each regime decided in rounds took
        atlas["sequential"] = sequential_seeds(doc["sections"])
    certificates = write_certificates(doc, staging.files, prefix)
    plots = draw_plots(doc, staging.files, prefix)
    atlas_figures = [f for e in (atlas or {}).get("entries", []) for f in e["figures"]]
    json_path = Path(args.json_out) if args.json_out else None
    keep = [("", plot_name_pattern(), {Path(f).name for f in [*plots.values(), *atlas_figures]}),
            ("", re.compile(re.escape(CERT_INDEX)), {CERT_INDEX} if certificates else set()),
            (CERT_DIR, CERT_PATTERN, certificates)]
    failed = staging.commit(render_markdown(doc, plots), json_path,
                            json.dumps(doc, indent=2, sort_keys=True) + "\n", keep,
                            name="verify.report")
    if failed is not None:
        return failed
    print(f"verify.report: wrote {out} ({'complete' if complete else 'INCOMPLETE'}); "
          f"exit status {doc['exit_status']}", file=sys.stderr)
    return doc["exit_status"]


def main(argv: list[str] | None = None) -> int:
    """``python -m verify.report``: see ``--help`` and docs/report.md; returns the exit status."""
    return run_main("verify.report", lambda: _run(argv))


SECTION_KEYS = tuple(s.key for s in SECTIONS)
