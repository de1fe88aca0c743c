"""The one plotting style of the package, and the renderer of plot specifications.

Every figure the package writes (the report's plots, :mod:`verify.report.atlas`'s figures, and
Section 7's figures of ``python -m verify.experiments``) is drawn inside :func:`figure` and saved
with :func:`png_bytes`: the same fonts, sizes, figure size, resolution, grid, and the same line
for a stated bound (:data:`BOUND`, dashed black) and for a reference curve that is not a bound
(:data:`REFERENCE`, dotted grey). It is a foundation module so that the claims' own writers can
use it; Matplotlib (the optional extra ``plot``) is imported only when a figure is drawn.

A plot specification (``Evidence.details["plot"]``) is a JSON-ready dict::

    {"title", "xlabel", "ylabel",            # axis labels say what is drawn and its unit
     "logx", "logy",                         # True/False; absent: log where the positive data
                                             # span at least two decades (:data:`DECADES`)
     "series": [{"label", "x", "y",
                 "style": "line" | "points" | "step" | "bound" | "reference" | "fit",
                 # fit: a fitted curve, a plain line (a line of <= 12 points has markers)
                 "yerr": [e, ...] or [[below, ...], [above, ...]],   # error bars (optional)
                 "lo": [...], "hi": [...],                           # a shaded band (optional)
                 "spread": "what the bars or the band are"}],        # its legend entry
     "hlines": [{"y", "label", "bound": bool}],   # bound: drawn as BOUND, else as REFERENCE
     "vlines": [{"x", "label", "bound": bool}],
     "ylim": [bottom, top], "legend": "best" | a Matplotlib location,
     "dodge": 0.02,                          # series with error bars drawn side by side: the
                                             # i-th of N shifted by (i - (N-1)/2) x dodge of a
                                             # decade (log x) or of the x range (linear x)
     "note": "one line under the axes",
     "image": {"x": [...], "y": [...],       # a phase diagram under the series: the value
               "z": [[...], ...],            # z[i][j] at (x[j], y[i]) as coloured cells, with a
               "label": "...",               # colour bar so labelled
               "vmin": 0.0, "vmax": 1.0,
               "yscale": "sqrt"}}                # optional: a square-root y axis (spreads a
                                                 # grid that is finer near 0)

Only ``series`` (or one of the lines) is needed; every other key is optional, so a spec of the
first format (``line``/``points``/``step``, unlabelled lines) is still drawn. The same spec gives
the same PNG bytes (no timestamps or software name in the file).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "BAND_ALPHA",
    "BOUND",
    "DECADES",
    "DPI",
    "FIGSIZE",
    "PREDICTED",
    "RC",
    "REFERENCE",
    "draw_spec",
    "figure",
    "png_bytes",
    "render_spec",
    "value_ticks",
]

FIGSIZE = (6.4, 4.4)
"""Width and height in inches of every figure (the atlas' per-regime rates may be wider)."""
DPI = 100
RC: dict[str, Any] = {
    "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 9, "axes.labelsize": 9,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 7.5, "legend.framealpha": 0.85,
    "axes.grid": True, "grid.alpha": 0.3, "grid.linewidth": 0.5, "lines.linewidth": 1.5,
    "lines.markersize": 4, "errorbar.capsize": 3, "figure.dpi": DPI, "savefig.dpi": DPI,
    "axes.prop_cycle": None,  # set in figure(): Matplotlib's tab10 without black or grey
}
BOUND: dict[str, Any] = {"color": "black", "linestyle": "--", "linewidth": 1.4}
"""The line of a stated bound, everywhere."""
REFERENCE: dict[str, Any] = {"color": "0.4", "linestyle": ":", "linewidth": 1.3}
"""The line of a reference that is not the stated bound (a rate, an expectation, an optimum)."""
PREDICTED: dict[str, Any] = {"color": "tab:blue", "linestyle": "-", "linewidth": 2.5}
"""The boundary that the report's errata predict (the atlas)."""
BAND_ALPHA = 0.2
NOTE_WIDTH = 125
"""Characters per line of a figure's note (wrapped to fit the figure's width)."""
DECADES = 2.0
"""Positive data spanning at least this many decades get a log axis unless the spec says."""
_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown",
            "tab:pink", "tab:olive", "tab:cyan")


@contextmanager
def figure(figsize: tuple[float, float] | None = None) -> Iterator[tuple[Any, Any]]:
    """``(fig, ax)`` of one figure in the package's style (:data:`RC`, :data:`FIGSIZE`),
    closed on exit; draw on it and save it with :func:`png_bytes` inside the block."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    rc = {**RC, "axes.prop_cycle": cycler(color=list(_COLOURS))}
    with matplotlib.rc_context(rc):
        fig, ax = plt.subplots(figsize=figsize or FIGSIZE, dpi=DPI)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def png_bytes(fig: Any, *, note: str = "") -> bytes:
    """The figure as PNG bytes, laid out tightly, with ``note`` (if any) in small grey type
    under the axes, and fixed metadata: the same drawing gives the same bytes."""
    if note:
        lines = textwrap.wrap(note, NOTE_WIDTH)
        fig.text(0.01, 0.005, "\n".join(lines), fontsize=7, color="0.3", ha="left",
                 va="bottom")
        fig.tight_layout(rect=(0, 0.01 + 0.035 * len(lines), 1, 1))
    else:
        fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def value_ticks(ax: Any, axis: str, values: Sequence[float], *, most: int = 12) -> None:
    """On a log ``axis`` (``"x"`` or ``"y"``), ticks at the data's own ``values`` labelled as
    plain numbers (``4, 8, 16`` rather than ``4 x 10^0``) when there are at most ``most`` of
    them; otherwise Matplotlib's decades are kept."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    vals = sorted({float(v) for v in values if v is not None and float(v) > 0})
    if not vals or len(vals) > most:
        return
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(FixedLocator(vals))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    target.set_minor_locator(NullLocator())


def _finite(values: Any) -> list[float]:
    out = []
    for v in values or []:
        if isinstance(v, list | tuple):
            out.extend(_finite(v))
        elif v is not None and math.isfinite(float(v)):
            out.append(float(v))
    return out


def _spans_decades(values: list[float]) -> bool:
    return bool(values) and min(values) > 0 and math.log10(max(values) / min(values)) >= DECADES


def _log(spec: dict[str, Any], axis: str) -> bool:
    """The spec's ``log<axis>``, or, when absent, whether its data span :data:`DECADES`."""
    given = spec.get(f"log{axis}")
    if given is not None:
        return bool(given)
    series = spec.get("series", [])
    values = [v for s in series for v in _finite(s.get(axis))]
    if axis == "y":
        values += [v for s in series for key in ("lo", "hi") for v in _finite(s.get(key))]
    return _spans_decades(values)


def _dodged(spec: dict[str, Any], logx: bool) -> list[dict[str, Any]]:
    """The spec's series, those with error bars shifted side by side by ``dodge`` (only where
    they are drawn: the spec keeps the true x)."""
    series = list(spec.get("series", []))
    shift = float(spec.get("dodge", 0.0))
    bars = [i for i, s in enumerate(series) if s.get("yerr") is not None]
    if not shift or len(bars) < 2:
        return series
    xs = _finite([series[i]["x"] for i in bars])
    span = (max(xs) - min(xs)) if xs else 0.0
    for rank, i in enumerate(bars):
        step = (rank - (len(bars) - 1) / 2) * shift
        x = series[i]["x"]
        series[i] = {**series[i], "x": [v * 10**step if logx else v + step * span for v in x]}
    return series


def _series(ax: Any, s: dict[str, Any]) -> None:
    style = s.get("style", "line")
    x, y, label = s["x"], s["y"], s.get("label")
    if style == "bound":
        (line,) = ax.plot(x, y, label=label, **BOUND)
    elif style == "reference":
        (line,) = ax.plot(x, y, label=label, **REFERENCE)
    elif style == "points":
        (line,) = ax.plot(x, y, "o", label=label)
    elif style == "step":
        (line,) = ax.step(x, y, where="post", label=label)
    elif style == "fit":
        (line,) = ax.plot(x, y, "-", label=label)
    else:
        (line,) = ax.plot(x, y, "-", marker="o" if len(x) <= 12 else None, ms=3, label=label)
    colour = line.get_color()
    if s.get("lo") is not None and s.get("hi") is not None:
        ax.fill_between(x, s["lo"], s["hi"], color=colour, alpha=BAND_ALPHA, lw=0,
                        step="post" if style == "step" else None,
                        label=s.get("spread") or None)
    if s.get("yerr") is not None:
        ax.errorbar(x, y, yerr=s["yerr"], fmt="none", ecolor=colour, elinewidth=1,
                    label=s.get("spread") or None)


def _image(ax: Any, image: dict[str, Any]) -> None:
    """Coloured cells ``z[i][j]`` centred at ``(x[j], y[i])`` (linear axes), with a colour bar."""
    import numpy as np

    z = np.array(image["z"], dtype=float)
    mesh = ax.pcolormesh(image["x"], image["y"], z, shading="nearest", cmap="viridis",
                         vmin=image.get("vmin"), vmax=image.get("vmax"))
    ax.figure.colorbar(mesh, ax=ax, label=image.get("label", ""))
    if image.get("yscale") == "sqrt":
        ax.set_yscale("function", functions=(lambda v: np.sqrt(np.maximum(v, 0.0)), np.square))
        ys = sorted(float(v) for v in image["y"])
        ticks, gap = [ys[0]], 0.06 * math.sqrt(max(ys[-1], 1e-300))
        for v in ys[1:]:  # the grid's own values, spaced apart on the square-root axis
            if math.sqrt(v) - math.sqrt(ticks[-1]) >= gap:
                ticks.append(v)
        ax.set_yticks(ticks, [f"{v:g}" for v in ticks])


def draw_spec(ax: Any, spec: dict[str, Any]) -> None:
    """Draw a plot specification (the module's docstring gives the format) on ``ax``."""
    if spec.get("image"):
        _image(ax, spec["image"])
    for s in _dodged(spec, _log(spec, "x")):
        _series(ax, s)
    for h in spec.get("hlines", []):
        ax.axhline(h["y"], label=h.get("label") or None, **(BOUND if h.get("bound") else REFERENCE))
    for v in spec.get("vlines", []):
        ax.axvline(v["x"], label=v.get("label") or None, **(BOUND if v.get("bound") else REFERENCE))
    xs = [v for s in spec.get("series", []) for v in _finite(s["x"])]
    if _log(spec, "x"):
        ax.set_xscale("log")
        value_ticks(ax, "x", xs)
    elif xs and all(float(v).is_integer() for v in xs):  # steps, counts: no tick at 0.5
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if _log(spec, "y"):
        ax.set_yscale("log")
    ax.set_title(spec.get("title", ""))
    ax.set_xlabel(spec.get("xlabel", ""))
    ax.set_ylabel(spec.get("ylabel", ""))
    if spec.get("ylim"):
        ax.set_ylim(*spec["ylim"])
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc=spec.get("legend", "best"))


def render_spec(spec: dict[str, Any]) -> bytes:
    """A plot specification drawn (:func:`draw_spec`) in the package's style, as PNG bytes."""
    with figure() as (fig, ax):
        draw_spec(ax, spec)
        return png_bytes(fig, note=str(spec.get("note", "")))
