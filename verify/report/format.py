"""How the report writes numbers, timings, verdicts and table cells (one place for all)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from verify.evidence.calculus import NOT_CAUGHT, judge_row, row_slack

__all__ = ["ICON", "cell", "fmt", "icon", "params_text", "row_slack_text", "seconds",
           "slack_text", "slug"]

ICON = {
    "holds": "✅ holds",
    "fails": "❌ fails",
    "boundary": "⚠️ boundary",
    "not applicable": "➖ not applicable",
    "holds where assumed; fails outside": "✅ holds where assumed; ❌ fails outside",
    "error": "💥 error",
    "not run": "⏸ not run",
    "not tested": "❔ not tested",
    "consistent: not refuted": "🔶 consistent: not refuted",
    "vacuous at the sizes run": "⭕ vacuous at the sizes run",
    "undecided": "❔ undecided",
    "vacuous": "⭕ vacuous",
    NOT_CAUGHT: "⭕ " + NOT_CAUGHT,
}


def icon(verdict: str) -> str:
    """A verdict with its icon (``fails as stated; holds under ...`` gets both)."""
    if verdict.startswith("fails as stated; holds under "):
        return "❌ fails as stated; ✅ holds under " + verdict.split("holds under ", 1)[1]
    if verdict.startswith("fails ") and "; holds " in verdict:
        fails, holds = verdict.split("; holds ", 1)
        return f"❌ {fails}; ✅ holds {holds}"
    if verdict.startswith("holds for "):
        return "🔶 " + verdict
    if verdict.endswith(" where assumed; fails outside"):
        shown = verdict.removesuffix(" where assumed; fails outside")
        first = ICON.get(shown, shown).split(" ", 1)[0]
        return f"{first} {shown} where assumed; ❌ fails outside"
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


def slack_text(slack: Any, kind: str, interval: Any = None, tolerance: Any = 0.0,
               observed: Any = None, bound: Any = None) -> str:
    """A slack as the report prints it.

    - within the stated floating-point ``tolerance`` (``|slack| <= tolerance``, tolerance > 0):
      ``0 (<kind>, within tolerance <t>)``: rounding inside the tolerance is not a negative
      slack;
    - kind ``"effect"`` (observed rate minus claimed): ``<effect> (effect, 95% interval [a, b])``;
    - kind ``"p-value"`` with ``observed`` and ``bound``: the effect ``observed - bound``,
      ``+0.09 (effect = observed - claimed)``, so a 2x discrepancy never reads like a near miss
      (the p-value and alpha are in the row's details);
    - kind ``"vacuous"``: ``—`` (a bound that cannot fail has no slack); with ``bound`` on a
      quantity in [0, 1] (``observed`` given), ``— (bound exceeds the trivial 1 by <b - 1>)``;
    - otherwise ``<slack> (<kind>)``.
    """
    if not isinstance(kind, str):
        raise ValueError(f"kind must be a string, got {type(kind).__name__}")
    if kind == "vacuous":
        if isinstance(bound, (int, float)) and math.isfinite(bound) and bound > 1:
            return f"— (bound exceeds the trivial 1 by {fmt(float(bound) - 1)})"
        return "—"
    try:
        tol = float(tolerance or 0.0)
        value = float(slack)
    except (TypeError, ValueError):
        return f"{fmt(slack)} ({kind})"
    if tol > 0 and abs(value) <= tol:
        return f"0 ({kind}, within tolerance {fmt(tol)})"
    if kind == "effect":
        if isinstance(interval, (list, tuple)) and len(interval) == 2:
            return (f"{value:+.3g} (effect, 95% interval [{float(interval[0]):+.3g}, "
                    f"{float(interval[1]):+.3g}])")
        return f"{value:+.3g} (effect)"
    if kind == "p-value" and isinstance(observed, (int, float)) and isinstance(
            bound, (int, float)) and math.isfinite(observed) and math.isfinite(bound):
        return f"{observed - bound:+.3g} (effect = observed - claimed)"
    return f"{fmt(value)} ({kind})"


def row_slack_text(ev: Mapping[str, Any]) -> str:
    """One evidence row's slack cell: its slack in the statement's units
    (:func:`verify.evidence.calculus.row_slack`: a statistical row's effect, observed rate minus
    claimed, with its interval), ``—`` for a row whose bound cannot fail."""
    if ev.get("verdict") in ("not applicable", "not tested"):
        return "—"
    judged = judge_row(ev)
    if judged.outcome == "vacuous":
        bounded = (ev.get("details") or {}).get("bound_on") in ("probability", "0-1 error")
        return slack_text(None, "vacuous", bound=ev.get("bound") if bounded else None)
    value, kind, interval = row_slack(ev)
    return slack_text(value, kind, list(interval) if interval else None,
                      ev.get("tolerance", 0.0), ev.get("observed"), ev.get("bound"))
