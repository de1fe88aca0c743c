"""Plots for the report, drawn from ``Evidence.details["plot"]`` specifications.

The format of a specification and the style it is drawn in are :mod:`verify._plot`'s (series
of style ``line``/``points``/``step``/``bound``/``reference``, with optional error bars
``yerr`` or a band ``lo``/``hi``; ``hlines``/``vlines``, ``bound: true`` for a stated bound;
``logx``/``logy``; labelled axes). Matplotlib is the optional extra ``plot``; without it the
report keeps its tables and says the plots were skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from verify._files import remove_stale, write_atomic
from verify._plot import render_spec
from verify.report import registry
from verify.report.format import round_significant, slug, stable_text

__all__ = ["draw_plots", "have_matplotlib", "plot_name_pattern", "remove_stale_plots",
           "stable_spec"]


def have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def stable_spec(spec: Any) -> Any:
    """``spec`` with every float rounded to the report's 4 significant digits and the numbers in
    its texts too (:func:`verify.report.format.stable_text`): a last-bit difference between
    machines then moves no point (0.05 pixel at most on a 1,000-pixel axis)."""
    if isinstance(spec, dict):
        return {k: stable_spec(v) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [stable_spec(v) for v in spec]
    if isinstance(spec, float):
        return round_significant(spec)
    if isinstance(spec, str):
        return stable_text(spec)
    return spec


def _draw(spec: dict[str, Any], path: Path) -> None:
    """Draw one plot specification into ``path`` (written atomically) in the package's style
    (:func:`verify._plot.render_spec`: a stated bound dashed black, spreads as bars or bands),
    its numbers at the report's precision (:func:`stable_spec`)."""
    write_atomic(path, render_spec(stable_spec(spec)))


def _name(key: str, index: int, title: str) -> str:
    return f"{key}-{index:02d}-{slug(title)[:40]}.png"


def plot_name_pattern() -> re.Pattern[str]:
    """The names :func:`draw_plots` gives its files (``<section key>-<NN>-<slug>.png``, a key
    of the registry or a report part) and the atlas its figures (``atlas-<slug>.png``,
    :mod:`verify.report.atlas`): the only files of the plots folder the report may remove."""
    keys = "|".join(re.escape(s.key) for s in registry.SECTIONS)
    return re.compile(rf"(?:(?:{keys})-[0-9]{{2}}-[a-z0-9-]*|atlas-[a-z0-9-]+)\.png")


def remove_stale_plots(out_dir: Path, written: Iterable[str]) -> list[str]:
    """Delete the plots of an earlier run from ``out_dir`` (files named as :func:`draw_plots`
    names them and not among ``written``, links or bare names); return their names."""
    return remove_stale(out_dir, plot_name_pattern(), {Path(w).name for w in written})


def draw_plots(doc: dict[str, Any], out_dir: Path, link_prefix: str) -> dict[tuple[int, int], str]:
    """Draw every plot specification of the document into ``out_dir`` (each file written
    atomically); return the links."""
    links: dict[tuple[int, int], str] = {}
    if not have_matplotlib():
        return links
    out_dir.mkdir(parents=True, exist_ok=True)
    for si, sec in enumerate(doc["sections"]):
        for ei, ev in enumerate(sec["evidence"]):
            spec = ev.get("details", {}).get("plot")
            if not spec:
                continue
            name = _name(sec["key"], ei, spec.get("title", ev["claim"]))
            _draw(spec, out_dir / name)
            links[(si, ei)] = f"{link_prefix}/{name}"
    return links
