"""What ``python -m verify.experiments`` writes for a figure: the per-repeat CSV, a Markdown
table (mean ± std of the test error per model and x, training errors, the verdicts) and a plot.

Files are written atomically; the CSV and the Markdown depend only on the records (floats are
written with ``repr``), so the same seed gives the same bytes. Matplotlib is the optional extra
``plot``: without it :func:`write_plot` returns ``False`` and writes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from verify._files import write_atomic
from verify._plot import render_spec
from verify.claims.section_7.figures import FigureSpec, Record
from verify.claims.section_7.verdicts import BASELINES, error_plot
from verify.evidence import Evidence

__all__ = ["csv_text", "markdown_text", "write_plot"]

FIELDS = ("figure", "repeat", "n", "m", "model", "test_error", "train_error", "train_loss",
          "steps", "epochs", "n_params", "separable")
MODEL_ORDER = ("ConvPool", *BASELINES)


def csv_text(records: Iterable[Record]) -> str:
    """The records as CSV, one row per trained model, columns :data:`FIELDS`.

    Examples
    --------
    >>> r = Record("fig3a", 0, 10, 20, "SVM", 0.25, 0.0, 0.3, 0, 0, 201, True)
    >>> print(csv_text([r]).splitlines()[1])
    fig3a,0,10,20,SVM,0.25,0.0,0.3,0,0,201,True
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for r in records:
        if not isinstance(r, Record):
            raise ValueError(f"records must hold Record objects, got {type(r).__name__}")
        row = r.as_dict()
        w.writerow(["" if row[f] is None else repr(row[f]) if isinstance(row[f], float)
                    else row[f] for f in FIELDS])
    return buf.getvalue()


def _pm(row: Mapping[str, Any]) -> str:
    return f"{row['test_error_mean']:.4f} ± {row['test_error_std']:.4f}"


def markdown_text(spec: FigureSpec, table: Sequence[Mapping[str, Any]],
                  evidence: Sequence[Evidence], command: str = "") -> str:
    """A Markdown page for one figure: its setting, the mean ± std test error per model (one
    row per x), the training errors, and each verdict with its p-value and reason."""
    if not isinstance(spec, FigureSpec):
        raise ValueError(f"spec must be a FigureSpec, got {type(spec).__name__}")
    x = spec.x_key
    xs = sorted({int(r[x]) for r in table})
    cell = {(int(r[x]), r["model"]): r for r in table}
    lines = [f"# {spec.title}", ""]
    if command:
        lines += [f"Command: `{command}`", ""]
    lines += [
        f"d = {spec.d}, ConvPool channels k = {spec.k}, noise radius {spec.noise:g}, "
        f"n in {list(spec.ns)}, training sizes {list(spec.sizes)}, test set {spec.m_test}, "
        f"{spec.repeats} repeats (std with ddof = 1).", "",
        "## Test error (mean ± std over repeats)", "",
        f"| {x} | " + " | ".join(MODEL_ORDER) + " |",
        "|---:|" + "---|" * len(MODEL_ORDER),
    ]
    for v in xs:
        lines.append(f"| {v} | " + " | ".join(
            _pm(cell[(v, mdl)]) if (v, mdl) in cell else "—" for mdl in MODEL_ORDER) + " |")
    lines += ["", "## Training error (mean / max over repeats; SVM: non-separable repeats)", "",
              f"| {x} | " + " | ".join(MODEL_ORDER) + " |", "|---:|" + "---|" * len(MODEL_ORDER)]
    for v in xs:
        cells = []
        for mdl in MODEL_ORDER:
            r = cell.get((v, mdl))
            if r is None:
                cells.append("—")
                continue
            text = f"{r['train_error_mean']:.4f} / {r['train_error_max']:.4f}"
            if r.get("nonseparable_repeats") is not None:
                text += f" ({r['nonseparable_repeats']}/{r['repeats']} non-separable)"
            cells.append(text)
        lines.append(f"| {v} | " + " | ".join(cells) + " |")
    lines += ["", "## Verdicts", ""]
    for ev in evidence:
        lines.append(f"- **{ev.verdict.value}**: {ev.statement}. Observed {ev.observed:.4g} "
                     f"against {ev.bound:.4g} ({ev.slack_kind}).")
        if ev.reason:
            lines.append(f"  - {ev.reason}")
        for t in ev.details.get("tests", []):
            where = f"m = {t['m']}" if "m" in t else "slope"
            lines.append(f"  - vs {t['baseline']}, {where}: p (permutation) = "
                         f"{t['p_permutation']:.4g}, p (t-test) = {t['p_t_test']:.3g}")
        if ev.details.get("saturated"):
            lines.append("  - saturated (not tested): " + ", ".join(
                f"{s['baseline']} m = {s['m']}" for s in ev.details["saturated"]))
    return "\n".join(lines) + "\n"


def write_plot(spec: FigureSpec, table: Sequence[Mapping[str, Any]], path: Path) -> bool:
    """Mean test error with ±1 std bars over the repeats per model (ConvPool, the MLP and the
    SVM) against x, the same figure as the report's
    (:func:`verify.claims.section_7.verdicts.error_plot`, drawn by
    :func:`verify._plot.render_spec`), written atomically; ``False`` (nothing written) when
    matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    png = render_spec(error_plot(spec.title, table, spec.x_key))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, png)
    return True
