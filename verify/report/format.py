"""How the report writes numbers, timings, verdicts and table cells (one place for all)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["ICON", "cell", "fmt", "icon", "params_text", "seconds", "slug"]

ICON = {
    "holds": "✅ holds",
    "fails": "❌ fails",
    "boundary": "⚠️ boundary",
    "not applicable": "➖ not applicable",
    "holds where assumed; fails outside": "✅ holds where assumed; ❌ fails outside",
    "error": "💥 error",
    "not run": "⏸ not run",
    "not tested": "❔ not tested",
}


def icon(verdict: str) -> str:
    """A verdict with its icon (``fails as stated; holds under ...`` gets both)."""
    if verdict.startswith("fails as stated; holds under "):
        return "❌ fails as stated; ✅ holds under " + verdict.split("holds under ", 1)[1]
    return ICON.get(verdict, verdict)


def seconds(s: float) -> str:
    """Every timing in the report goes through here (the determinism test masks them)."""
    return f"{s:.1f} s"


def fmt(x: Any, digits: int = 4) -> str:
    """Compact, stable formatting of numbers and small structures."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if x == 0:
            return "0"
        if abs(x) >= 1e5 or abs(x) < 1e-3:
            return f"{x:.{digits - 1}e}"
        return f"{x:.{digits}g}"
    if isinstance(x, str):
        return x
    if isinstance(x, (list, tuple)):
        if len(x) > 8:
            return "[" + ", ".join(fmt(v) for v in x[:4]) + f", … ({len(x)} values)]"
        return "[" + ", ".join(fmt(v) for v in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in x.items()) + "}"
    return str(x)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def params_text(p: Mapping[str, Any]) -> str:
    """Parameters as ``k=v, ...`` with :func:`fmt`'s numbers."""
    return ", ".join(f"{k}={fmt(v)}" for k, v in p.items())


def slug(text: str) -> str:
    """``text`` as a file-name part: lower case, runs of other characters as one ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
