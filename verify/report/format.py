"""How the report writes numbers, timings, verdicts and table cells (one place for all).

The precision rule (the reason the same seed gives the same REPORT.md on any x86-64 machine):
every computed number REPORT.md prints has at most :data:`SIGNIFICANT` (4) significant digits
(:data:`DETAIL_DIGITS`, 3, in the folded details), rounded half to even from its binary64 value
(Python's own formatting: ``:.4g``, ``:.3e``).
Numbers in the text a checker writes (reasons, details, readings) go through
:func:`stable_text`, which rounds every decimal of more than 4 significant digits the same way.
A different BLAS, SIMD path or thread count changes a result in its last bits (about 1e-16
relative); 4 digits hide that unless the value lies within that distance of a rounding boundary.
``report.json`` keeps every number at full precision. Ties are broken by :func:`tie_key`.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from verify.evidence.calculus import (
    BEYOND,
    CANNOT_FAIL,
    FAILS_OUTSIDE,
    HOLDS_OUTSIDE,
    NOT_CAUGHT,
    judge_row,
    row_slack,
)

__all__ = ["DETAIL_DIGITS", "ICON", "LINE_LIMIT", "SIGNIFICANT", "WRAP", "cell", "counted", "fmt",
           "icon", "params_text", "round_significant", "row_slack_text", "seconds", "slack_text",
           "slug", "stable_text", "tie_key", "wrap"]

SIGNIFICANT = 4
"""Significant digits of every computed number in REPORT.md's tables, findings and readings."""

DETAIL_DIGITS = 3
"""Significant digits in the folded per-row details, which also hold the diagnostics of
iterative solvers (QP, SVM fits), accurate to the solver's tolerance rather than to the last
bit."""

LINE_LIMIT = 500
"""No line of REPORT.md is longer (tests/test_report_reproducible.py): prose is wrapped at
:data:`WRAP`; a table row or a reproduce command longer than this is a defect of its source."""

WRAP = 100
"""Prose (list items, paragraphs) is wrapped at this width: Markdown joins the lines again."""

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
    HOLDS_OUTSIDE: "✅ " + HOLDS_OUTSIDE,
    f"{HOLDS_OUTSIDE}; {CANNOT_FAIL}": f"⭕ {HOLDS_OUTSIDE}; {CANNOT_FAIL}",
    FAILS_OUTSIDE: "❌ " + FAILS_OUTSIDE,
}


def icon(verdict: str) -> str:
    """A verdict with its icon (``fails as stated; holds under ...`` gets both; ``<verdict>
    outside the paper's assumptions`` gets the verdict's)."""
    if verdict.startswith("fails as stated; holds under "):
        return "❌ fails as stated; ✅ holds under " + verdict.split("holds under ", 1)[1]
    if verdict.startswith("fails ") and "; holds " in verdict:
        fails, holds = verdict.split("; holds ", 1)
        return f"❌ {fails}; ✅ holds {holds}"
    if verdict.startswith("holds for "):
        return "🔶 " + verdict
    if verdict.endswith(f" {BEYOND}") and verdict not in ICON:
        shown = verdict.removesuffix(f" {BEYOND}")
        return f"{ICON.get(shown, shown)} {BEYOND}"
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
            return "[" + ", ".join(fmt(v, digits) for v in x[:4]) + f", … ({len(x)} values)]"
        return "[" + ", ".join(fmt(v, digits) for v in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {fmt(v, digits)}" for k, v in x.items()) + "}"
    return str(x)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def counted(n: int, one: str, many: str) -> str:
    """``n`` and the noun in the number it takes: ``1 regime``, ``0 regimes``, ``2 regimes``."""
    return f"{n} {one if n == 1 else many}"


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


def round_significant(x: float, digits: int = SIGNIFICANT) -> float:
    """``x`` rounded half to even to ``digits`` significant digits (NaN and infinities as they
    are): the value the report prints, as a float."""
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.{digits - 1}e}")


def tie_key(value: Any) -> float:
    """The sort key that decides "worst", "lowest", "first" among rows in the report: the value
    as printed (:func:`round_significant`), so that two values equal to the printed precision
    tie and the tie goes to the row that comes first (Python's ``min``, ``max`` and ``sorted``
    are stable). Rows come in the order their checker returned them. Not a number: ``nan``
    (sorts as the caller places it)."""
    try:
        return round_significant(float(value))
    except (TypeError, ValueError):
        return math.nan


# a decimal number in running text: digits with a fraction and/or an exponent, not part of a
# longer token (a version 0.1.0, a section number 5.2.1, a name x1.5)
_DECIMAL = re.compile(r"(?<![\w.])([-+]?)(\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])")


def _round_decimal(match: re.Match[str], digits: int) -> str:
    sign, number = match.group(1), match.group(2)
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern only matches decimals
        return match.group(0)
    if value == 0 or len(value.as_tuple().digits) <= digits:
        return match.group(0)
    exponent = value.adjusted() - digits + 1
    rounded = value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)
    rounded = rounded.normalize()  # no trailing zeros: 0.30000000000000004 -> 0.3, like 0.3
    if "e" in number.lower():
        shown = max(len(rounded.as_tuple().digits) - 1, 0)
        mantissa, _, exp = f"{rounded:.{shown}e}".partition("e")
        return f"{sign}{mantissa}e{int(exp):+03d}"
    return f"{sign}{rounded:f}"


def stable_text(text: str, digits: int = SIGNIFICANT) -> str:
    """``text`` with every decimal number of more than ``digits`` significant digits rounded
    half to even to ``digits``, trailing zeros dropped (``observed 2.10114`` -> ``observed
    2.101``, ``8.86054e-05`` -> ``8.861e-05``, ``0.30000000000000004`` -> ``0.3``); integers,
    shorter decimals and code spans (between backquotes) are kept as they are, and so are
    interval-arithmetic balls ``[m +/- r]`` (a proof's enclosure: exact, the same everywhere,
    and false if its midpoint alone were rounded).

    Examples
    --------
    >>> stable_text("rate 0.18716 vs 0.096875 at k = 1729 (verify 0.1.0); `x = 0.123456`")
    'rate 0.1872 vs 0.09688 at k = 1729 (verify 0.1.0); `x = 0.123456`'
    >>> stable_text("holds: [1.12366e-05 +/- 3.87e-17] <= 0.19914827")
    'holds: [1.12366e-05 +/- 3.87e-17] <= 0.1991'
    """
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # outside code spans
        pieces = _BALL.split(parts[i])
        for j in range(0, len(pieces), 2):  # outside interval balls
            pieces[j] = _DECIMAL.sub(lambda m: _round_decimal(m, digits), pieces[j])
        parts[i] = "".join(pieces)
    return "`".join(parts)


# an interval-arithmetic ball ``[m +/- r]`` (python-flint's arb): a proof's enclosure, exact
# and the same on every machine; rounding its midpoint alone would make it false
_BALL = re.compile(r"(\[[^\[\]]*\+/-[^\[\]]*\])")


def wrap(text: str, first: str = "", rest: str | None = None, width: int = WRAP) -> list[str]:
    """``text`` as lines of at most ``width`` characters (a longer word or code span keeps its
    own line), the first starting with ``first`` and the others with ``rest`` (default: spaces
    as wide as ``first``). Code spans are never broken, so each stays pasteable."""
    rest = " " * len(first) if rest is None else rest
    parts = text.split("`")
    for i in range(1, len(parts), 2):  # spaces inside code spans do not break
        parts[i] = parts[i].replace(" ", "\x00")
    lines = textwrap.wrap("`".join(parts), width=width, initial_indent=first,
                          subsequent_indent=rest, break_long_words=False,
                          break_on_hyphens=False)
    return [line.replace("\x00", " ") for line in lines] or [first.rstrip()]
