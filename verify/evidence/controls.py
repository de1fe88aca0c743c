"""Negative controls: a false twin of every claim, re-judged on the claim's own rows.

A check that cannot fail says nothing. Each claim declares a *false twin* of its statement
(:class:`Control`): its bound tightened by a stated factor, or a key constant moved in the
direction that must fail at the regimes run. The report re-judges the same observations against
the twin (no new training or sampling): the twin is *caught* when some row inside the claim's
assumptions refutes it. A claim that holds while its twin is not caught could not have failed at
the regimes run (:func:`verify.evidence.calculus.judge_claim`).

The twins are built from a few honest re-judgements of a row:

- :func:`tightened`: an upper bound divided by ``factor`` (a lower bound multiplied by it);
- :func:`shifted`: the bound moved by ``delta`` towards the observation, in the statement's
  units (for bounds that are 0 or constants such as a margin of 1);
- :func:`rate_raised`: "P(event) >= p" replaced by "P(event) >= 1 - (1 - p)/factor", refuted
  when the Clopper-Pearson upper bound on the success rate (at the row's confidence) is below it;
- :func:`effect_raised`: a claimed effect (Section 7's error gap) raised by ``delta``, refuted
  when the upper end of the effect's interval is below it.

docs/explanation/verdict-calculus.md explains each claim's choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from verify.evidence.calculus import row_slack
from verify.evidence.stats import clopper_pearson

__all__ = ["Control", "effect_raised", "rate_raised", "shifted", "tightened"]

RowJudge = Callable[[Mapping[str, Any]], "bool | None"]


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _details(ev: Mapping[str, Any]) -> dict[str, Any]:
    d = ev.get("details")
    return d if isinstance(d, dict) else {}


@dataclass(frozen=True)
class Control:
    """A claim's false twin. ``twin`` says it in words ("the bound divided by 2"); ``holds(row)``
    re-judges one row against it: ``True`` (the twin holds there), ``False`` (the row refutes
    it: caught) or ``None`` (the row cannot judge it); ``claim`` is the
    :attr:`~verify.evidence.Evidence.claim` it twins (``""``: the declaration's first name);
    ``why`` says why the twin is false and why these regimes must catch it."""

    twin: str
    holds: RowJudge
    claim: str = ""
    why: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.twin, str) or not self.twin:
            raise ValueError("twin must be a non-empty string")
        if not callable(self.holds):
            raise ValueError("holds must be callable")

    def outcome(self, rows: Sequence[Mapping[str, Any]],
                inside: Callable[[Mapping[str, Any]], bool]) -> dict[str, Any]:
        """The twin re-judged on ``rows`` inside the claim's assumptions (rows that are not
        applicable or not tested are skipped): ``caught`` is ``True`` when some row refutes the
        twin, ``False`` when every row that can judge it has it hold, ``None`` when none can;
        with the counts, for report.json."""
        judged = [self.holds(e) for e in rows if inside(e)
                  and e.get("verdict") not in ("not applicable", "not tested")]
        judged = [j for j in judged if j is not None]
        refuted = sum(1 for j in judged if j is False)
        caught = None if not judged else refuted > 0
        return {"twin": self.twin, "why": self.why, "caught": caught,
                "regimes": len(judged), "refuted_at": refuted,
                "outcome": "not run" if caught is None else
                ("caught" if caught else "not caught")}


def _side(ev: Mapping[str, Any]) -> str | None:
    """``"upper"`` when the row's slack is ``bound - observed``, ``"lower"`` when it is
    ``observed - bound`` (within 1e-9 relative), ``"ratio"`` for a ``bound / observed`` slack,
    else ``None``."""
    slack, observed, bound = _num(ev.get("slack")), _num(ev.get("observed")), _num(ev.get("bound"))
    if ev.get("slack_kind") == "ratio":
        return "ratio"
    if any(math.isnan(x) or math.isinf(x) for x in (slack, observed, bound)):
        return None
    tol = 1e-9 * max(1.0, abs(observed), abs(bound))
    if abs(slack - (bound - observed)) <= tol:
        return "upper"
    if abs(slack - (observed - bound)) <= tol:
        return "lower"
    return None


def _inside(twin_slack: float, ev: Mapping[str, Any]) -> bool:
    return twin_slack >= -_num(ev.get("tolerance") or 0.0)


def tightened(factor: float) -> RowJudge:
    """The twin whose bound is ``factor`` (> 1) times tighter: an upper bound ``b`` becomes
    ``b / factor``, a lower bound ``b`` becomes ``b * factor`` (``b`` > 0), a ratio slack
    ``bound / observed`` is divided by ``factor``; rows of another kind cannot judge it."""
    if not (isinstance(factor, (int, float)) and factor > 1 and math.isfinite(factor)):
        raise ValueError(f"factor must be a finite number > 1, not {factor!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        side = _side(ev)
        observed, bound = _num(ev.get("observed")), _num(ev.get("bound"))
        if side == "ratio":
            return _num(ev.get("slack")) / factor >= 1
        if side == "upper" and bound > 0:
            return _inside(bound / factor - observed, ev)
        if side == "lower" and bound > 0:
            return _inside(observed - bound * factor, ev)
        return None

    return holds


def shifted(delta: float) -> RowJudge:
    """The twin whose bound is moved by ``delta`` (> 0) towards the observation, in the
    statement's units: it holds where the row's difference slack is at least ``delta``."""
    if not (isinstance(delta, (int, float)) and delta > 0 and math.isfinite(delta)):
        raise ValueError(f"delta must be a finite number > 0, not {delta!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        if _side(ev) not in ("upper", "lower"):
            return None
        return _inside(_num(ev.get("slack")) - delta, ev)

    return holds


def _beta_upper(successes: int, trials: int, alpha: float) -> float:
    """One-sided upper (1 - alpha) Clopper-Pearson bound on a success rate."""
    return clopper_pearson(successes, trials, 1.0 - 2.0 * alpha)[1]


def rate_raised(factor: float, alpha: float = 0.05) -> RowJudge:
    """The twin "P(event) >= 1 - (1 - p) / factor" of "P(event) >= p" (the claimed failure
    probability ``factor`` times smaller): refuted at a row whose decision's one-sided upper
    ``1 - alpha`` Clopper-Pearson bound on the success rate lies below it. Rows without a
    decision's ``successes``, ``trials`` and ``claimed_probability`` cannot judge it."""
    if not (isinstance(factor, (int, float)) and factor > 1 and math.isfinite(factor)):
        raise ValueError(f"factor must be a finite number > 1, not {factor!r}")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), not {alpha!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        decision = _details(ev).get("decision")
        if not isinstance(decision, dict):
            return None
        s, n = decision.get("successes"), decision.get("trials")
        p = _num(decision.get("claimed_probability"))
        if not (isinstance(s, int) and isinstance(n, int) and n > 0 and 0 <= s <= n) or not (
                0 < p < 1):
            return None
        return _beta_upper(s, n, alpha) >= 1.0 - (1.0 - p) / factor

    return holds


def effect_raised(delta: float) -> RowJudge:
    """The twin that claims an effect at least ``delta`` (> 0) larger than the row's claim
    (Section 7: ConvPool's error lower than the other model's by ``delta`` more): refuted where
    the upper end of the row's effect interval (:func:`verify.evidence.calculus.row_slack`)
    lies below ``delta``."""
    if not (isinstance(delta, (int, float)) and delta > 0 and math.isfinite(delta)):
        raise ValueError(f"delta must be a finite number > 0, not {delta!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        value, kind, interval = row_slack(ev)
        if kind != "effect" or value is None or math.isnan(value):
            return None
        upper = interval[1] if interval is not None else value
        return upper >= delta

    return holds
