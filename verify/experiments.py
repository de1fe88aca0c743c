"""``python -m verify.experiments fig3a|fig3b|fig3c|fig4|all``: run the figures of Section 7.

``fig3c`` is the digit-detection task of Fig. 3c / Fig. 5 on scikit-learn's 8 x 8 digits (a
stand-in for MNIST; ``--mnist DIR`` uses MNIST's IDX files from ``DIR`` instead); ``all`` runs
the three synthetic figures.

For each figure, writes ``DIR/<figure>.csv`` (one row per repeat, x and model),
``DIR/<figure>.md`` (mean ± std tables and the verdicts) and ``DIR/<figure>.png`` (with the
optional extra ``plot``; skipped with a message otherwise). Progress and timings go to stderr.

Exit statuses: the table of :mod:`verify._cli` (0 every verdict holds, is not applicable or not
tested; 1 some verdict fails; 2 usage error, including an output directory that cannot be
written, before any work; 3 a failure; 130 interrupted).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

from verify._cli import (
    CLAIM_FAILS,
    HOLDS,
    Parser,
    UsageError,
    match_name,
    run_main,
    stop_if_interrupted,
    unknown_name,
)
from verify._files import check_output_dir, write_atomic
from verify.claims.section_7 import check_figure, reproduce_command
from verify.claims.section_7.figures import figure_specs, run_figure
from verify.claims.section_7.output import csv_text, markdown_text, write_plot
from verify.claims.section_7.svm_training import SVM_PROBE, svm_probe_records
from verify.claims.section_7.verdicts import summary_table
from verify.evidence import Verdict

__all__ = ["main"]

CHOICES = ("fig3a", "fig3b", "fig3c", "fig4", "all")


def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be >= {low}, got {value}")
        return value

    return parse


def _figure(text: str) -> str:
    """The figure ``text`` names, matched as every command matches names
    (:func:`verify._cli.match_name`)."""
    hits = match_name(text, CHOICES)
    if not hits:
        raise argparse.ArgumentTypeError(unknown_name(text, CHOICES, what="figure"))
    return hits[0]


def _parser() -> argparse.ArgumentParser:
    p = Parser(
        name="verify.experiments",
        prog="python -m verify.experiments",
        description="Run the experiments of Section 7 (ConvPool vs MLP vs SVM) and test the "
        "paper's qualitative claims across repeats.",
        epilog="A claim tested with too few repeats for its level (2^-R > 0.05: R < 5) is "
        "'not tested', not 'fails'.",
    )
    p.add_argument("figure", type=_figure, metavar="{" + ",".join(CHOICES) + "}",
                   help="which figure to run (all: the three synthetic ones); case, spaces and "
                   "punctuation ignored ('Fig. 3a')")
    p.add_argument("--out", default="section7", help="output directory (default section7)")
    p.add_argument("--seed", type=_int_at_least(0), default=0, help="root seed (default 0)")
    p.add_argument("--repeats", type=_int_at_least(2), default=None,
                   help="repeats per figure (default 5, as in the paper; at least 5 for the "
                   "permutation tests to reach level 0.05)")
    p.add_argument("--quick", action="store_true",
                   help="the reduced grids of the report's quick profile")
    p.add_argument("--quiet", "-q", "--no-progress", dest="quiet", action="store_true",
                   help="no progress on stderr (without it: a bar on a terminal; one line per "
                   "finished figure, with its time, in any case)")
    p.add_argument("--mnist", default=None, metavar="DIR",
                   help="fig3c: MNIST IDX files in DIR (default: scikit-learn's 8x8 digits, a "
                   "stand-in for MNIST)")
    return p


def _progress(total: int, label: str, disable: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="model", file=sys.stderr,
                disable=disable or not sys.stderr.isatty(), leave=False)


def _files(names: list[str]) -> list[str]:
    return [f"{name}.{ext}" for name in names for ext in ("csv", "md", "png")]


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    profile = "quick" if args.quick else "standard"
    specs = figure_specs(profile)
    if args.figure == "fig3c":
        return _fig3c(args, profile)
    names = list(specs) if args.figure == "all" else [args.figure]
    out = check_output_dir("--out", args.out, _files(names))
    failed = False
    for name in names:
        spec = specs[name]
        if args.repeats is not None:
            spec = replace(spec, repeats=args.repeats)
        total = spec.repeats * len(spec.ns) * len(spec.sizes) * 3
        start = time.perf_counter()
        with _progress(total, name, args.quiet) as bar:

            def progress(n: int = 1, bar=bar) -> None:
                stop_if_interrupted()  # an interrupt that a library swallowed
                bar.update(n)

            records = run_figure(spec, args.seed, progress=progress)
        stop_if_interrupted()
        seconds = time.perf_counter() - start
        command = reproduce_command(spec, args.seed, profile=profile)
        sizes, reps = SVM_PROBE[profile] if spec.noise > 0 and spec.x_key == "m" else ((), 0)
        probe = svm_probe_records(spec, args.seed, sizes, repeats=reps)
        evidence = check_figure(spec, records, seed=args.seed, reproduce=command,
                                svm_probe=probe)
        table = summary_table([r.as_dict() for r in records], spec.x_key)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / f"{name}.csv", csv_text(records))
        write_atomic(out / f"{name}.md", markdown_text(spec, table, evidence, command))
        plotted = write_plot(spec, table, out / f"{name}.png")
        verdicts = ", ".join(e.verdict.value for e in evidence)
        print(f"{name}: {seconds:.1f} s; verdicts: {verdicts}; wrote {out / name}.csv, "
              f".md{', .png' if plotted else ''}", file=sys.stderr)
        if not plotted:
            print(f"{name}: plot skipped: matplotlib is not installed (pip install "
                  "'verify[plot]')", file=sys.stderr)
        failed |= any(e.verdict is Verdict.FAILS for e in evidence)
    return CLAIM_FAILS if failed else HOLDS


def main(argv: list[str] | None = None) -> int:
    """``python -m verify.experiments``: see ``--help``; returns the exit status."""
    return run_main("verify.experiments", lambda: _run(argv))


def _fig3c(args: argparse.Namespace, profile: str) -> int:
    """Fig. 3c (see :mod:`verify.claims.figure_3c`): CSV, Markdown (with the data source) and
    plot, like the other figures."""
    from verify.claims import figure_3c
    from verify.claims.section_7.digits import load_images

    out = check_output_dir("--out", args.out, _files(["fig3c"]))
    try:
        images = load_images(args.mnist)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    spec = replace(figure_3c.PROFILES[profile], d=images.d)
    if args.repeats is not None:
        spec = replace(spec, repeats=args.repeats)
    if args.mnist is not None:
        spec = replace(spec, title="Fig. 3c: digits 3 vs 5 (MNIST)")
    start = time.perf_counter()
    recs, lw = figure_3c.run_fig3c(spec, args.seed, images,
                                   layerwise=figure_3c.LAYERWISE_SIZES[profile])
    stop_if_interrupted()
    command = figure_3c._reproduce(profile, args.seed) + (
        f" --mnist {args.mnist}" if args.mnist else "")
    evidence = figure_3c.check_fig3c(spec, recs, lw, seed=args.seed, source=images.source,
                                     reproduce=command)
    out.mkdir(parents=True, exist_ok=True)
    table = summary_table([r.as_dict() for r in recs], spec.x_key)
    write_atomic(out / "fig3c.csv", csv_text(recs))
    page = markdown_text(spec, table, evidence, command)
    write_atomic(out / "fig3c.md", page.replace("\n\n", f"\n\nImages: {images.source}.\n\n", 1))
    plotted = write_plot(spec, table, out / "fig3c.png")
    print(f"fig3c: {time.perf_counter() - start:.1f} s; images: {images.source}; verdicts: "
          f"{', '.join(e.verdict.value for e in evidence)}; wrote {out / 'fig3c'}.csv, .md"
          f"{', .png' if plotted else ''}", file=sys.stderr)
    return CLAIM_FAILS if any(e.verdict is Verdict.FAILS for e in evidence) else HOLDS


if __name__ == "__main__":
    raise SystemExit(main())
