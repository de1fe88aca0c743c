"""``python -m verify.report``: run every claim checker and write REPORT.md (and report.json).

See :func:`main` for the command line, :mod:`verify.report.document` for the JSON schema.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

from verify._cli import Parser
from verify.report.atlas import collect_atlas, open_store
from verify.report.document import build_document
from verify.report.markdown import render_markdown
from verify.report.plots import draw_plots, have_matplotlib
from verify.report.registry import SECTIONS, select
from verify.report.runner import PROFILES, SPECIAL, SectionResult, run_sections
from verify.sweep._cluster import dask_client

__all__ = ["main", "write_atomic"]

EXTRA_KEYS = tuple(SPECIAL)  # proof-algebra, errata, fuzzing


def _parser() -> argparse.ArgumentParser:
    p = Parser(
        name="verify.report",
        prog="python -m verify.report",
        description="Run the claim checkers of Brutzkus & Globerson's max-pooling paper and "
        "write a pass/fail report of every bound, with the evidence.",
        epilog="Exit status: 0 when every claim holds wherever its assumptions hold, 1 when any "
        "fails there (or a checker errs), 2 for usage errors, 130 when interrupted.",
    )
    p.add_argument("--profile", choices=PROFILES, default="quick",
                   help="how much to run: quick (~5 min, default), standard (~20 min), thorough")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    p.add_argument("--only", nargs="+", metavar="CLAIM",
                   help="run only these claims or sections (e.g. 'Lemma 5.2', theorem-4.2, "
                   "proof-algebra, errata, fuzzing)")
    p.add_argument("--out", default="REPORT.md", help="Markdown output (default REPORT.md)")
    p.add_argument("--json", dest="json_out", default=None, metavar="PATH",
                   help="also write the report as JSON (schema in the README)")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="parallel worker processes (results do not depend on it)")
    p.add_argument("--atlas", metavar="DIR", default=None,
                   help="draw the atlas from this sweep store (python -m verify.sweep --store "
                   "DIR); by default the report runs the quick sweep grid itself")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``: a killed run never
    leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _command(args: argparse.Namespace) -> str:
    parts = ["python", "-m", "verify.report", "--profile", args.profile, "--seed", str(args.seed)]
    if args.only:
        parts += ["--only", *args.only]
    if args.atlas:
        parts += ["--atlas", args.atlas]
    return " ".join(shlex.quote(p) for p in parts)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.seed < 0:
        print("verify.report: error: --seed must be a non-negative integer", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("verify.report: error: --workers must be >= 1", file=sys.stderr)
        return 2
    only = args.only or []
    extras = [k for k in EXTRA_KEYS if not only or k in [o.lower() for o in only]]
    rest = [o for o in only if o.lower() not in EXTRA_KEYS]
    try:
        sections = select(rest) if rest or not only else ()
    except ValueError as exc:
        print(f"verify.report: error: {exc}", file=sys.stderr)
        return 2
    try:
        atlas_store = open_store(args.atlas) if args.atlas else None
    except ValueError as exc:
        print(f"verify.report: error: {exc}", file=sys.stderr)
        return 2
    tasks = [(k, k, args.profile, args.seed) for k in extras]
    tasks += [(s.key, s.module, args.profile, args.seed) for s in sections]

    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc="verify.report", unit="section", file=sys.stderr,
               disable=args.no_progress or None)

    def on_done(res: SectionResult) -> None:
        bar.set_postfix_str(res.key)
        bar.update(1)

    results, complete = run_sections(tasks, workers=args.workers, on_done=on_done)
    bar.close()
    out = Path(args.out)
    atlas = None
    if complete:
        try:
            atlas = collect_atlas(
                sections, profile=args.profile, seed=args.seed, store=atlas_store,
                client=lambda: dask_client(workers=args.workers),
                out_dir=out.parent / f"{out.stem}_files" if have_matplotlib() else None,
                link_prefix=f"{out.stem}_files", progress=not args.no_progress)
        except KeyboardInterrupt:
            complete = False
    doc = build_document(results, sections, profile=args.profile, seed=args.seed,
                         command=_command(args), complete=complete)
    doc["atlas"] = atlas
    plots = draw_plots(doc, out.parent / f"{out.stem}_files", f"{out.stem}_files")
    write_atomic(out, render_markdown(doc, plots))
    if args.json_out:
        write_atomic(Path(args.json_out), json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"verify.report: wrote {out} ({'complete' if complete else 'INCOMPLETE'}); "
          f"exit status {doc['exit_status'] if complete else 130}", file=sys.stderr)
    return doc["exit_status"] if complete else 130


SECTION_KEYS = tuple(s.key for s in SECTIONS)
