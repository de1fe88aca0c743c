"""Negative controls: a false twin of every claim, re-judged on the claim's own rows.

A check that cannot fail says nothing. Each claim declares a *false twin* of its statement
(:class:`Control`): its bound tightened by a stated factor, or a key constant moved in the
direction that must fail at the regimes run. The report re-judges the same observations against
the twin (no new training or sampling): the twin is *caught* when some row inside the claim's
assumptions refutes it. A claim that holds while its twin is not caught could not have failed at
the regimes run (:func:`verify.evidence.calculus.judge_claim`).

The twins are built from a few honest re-judgements of a row:

- :func:`tightened`: an upper bound divided by ``factor`` (a lower bound multiplied by it);
- :func:`bound_at`: the bound moved to a stated value where the statement must fail (the
  limit test error 0, a margin of 2);
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

from verify.evidence.calculus import _details, _num, row_slack
from verify.evidence.stats import clopper_pearson

__all__ = ["Control", "bound_at", "effect_raised", "only", "rate_raised", "shifted",
           "tightened"]

RowJudge = Callable[[Mapping[str, Any]], "bool | None"]


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
        """The twin re-judged on ``rows`` inside the claim's assumptions, or on every row when
        none is inside (a map outside the paper's assumptions; ``outside`` says so); rows that
        are not applicable or not tested are skipped. ``caught`` is ``True`` when some row
        refutes the twin, ``False`` when every row that can judge it has it hold, ``None`` when
        none can; with the counts, for report.json."""
        within = [e for e in rows if inside(e)]
        judged = [self.holds(e) for e in within or rows
                  if e.get("verdict") not in ("not applicable", "not tested")]
        judged = [j for j in judged if j is not None]
        refuted = sum(1 for j in judged if j is False)
        caught = None if not judged else refuted > 0
        return {"twin": self.twin, "why": self.why, "caught": caught,
                "regimes": len(judged), "refuted_at": refuted, "outside": not within,
                "outcome": "not run" if caught is None else
                ("caught" if caught else "not caught")}


def _side(ev: Mapping[str, Any]) -> str | None:
    """``"upper"`` when the row's slack is ``bound - observed`` (or ``1 - observed/bound``),
    ``"lower"`` when it is ``observed - bound`` (or ``observed/bound - 1``), within 1e-9
    relative; ``"ratio"`` for a ``bound / observed`` slack; else ``None``."""
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
    if bound > 0 and abs(slack - (1 - observed / bound)) <= 1e-9:
        return "upper"
    if bound > 0 and abs(slack - (observed / bound - 1)) <= 1e-9:
        return "lower"
    return None


def _inside(twin_slack: float, tolerance: Any) -> bool:
    return twin_slack >= -_num(tolerance or 0.0)


def _tighter(side: str | None, observed: float, bound: float, factor: float,
             tolerance: Any) -> bool | None:
    if side == "upper" and bound > 0:
        return _inside(bound / factor - observed, tolerance)
    if side == "lower" and bound > 0:
        return _inside(observed - bound * factor, tolerance)
    return None


def _parts(ev: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The applicable parts of a multi-part row (``details["parts"]``: each with ``observed``,
    ``bound`` and ``relation`` ``"<="`` or ``">="``)."""
    parts = _details(ev).get("parts")
    if not isinstance(parts, dict):
        return []
    return [p for p in parts.values() if isinstance(p, dict) and p.get("applicable", True)
            and p.get("relation") in ("<=", ">=")]


def _all_parts(judged: list[bool | None]) -> bool | None:
    known = [j for j in judged if j is not None]
    if not known:
        return None
    return all(known)


def tightened(factor: float) -> RowJudge:
    """The twin whose bound is ``factor`` (> 1) times tighter: an upper bound ``b`` becomes
    ``b / factor``, a lower bound ``b`` becomes ``b * factor`` (``b`` > 0), a ratio slack
    ``bound / observed`` is divided by ``factor``. A multi-part row (``details["parts"]``)
    re-judges each applicable part by its relation: the twin fails there if any part fails.
    Rows whose bound is not positive, or whose slack is none of these, cannot judge it."""
    if not (isinstance(factor, (int, float)) and factor > 1 and math.isfinite(factor)):
        raise ValueError(f"factor must be a finite number > 1, not {factor!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        parts = _parts(ev)
        if parts:
            return _all_parts([_tighter("upper" if p["relation"] == "<=" else "lower",
                                        _num(p.get("observed")), _num(p.get("bound")), factor,
                                        p.get("tolerance")) for p in parts])
        side = _side(ev)
        if side == "ratio":
            return _num(ev.get("slack")) / factor >= 1
        return _tighter(side, _num(ev.get("observed")), _num(ev.get("bound")), factor,
                        ev.get("tolerance"))

    return holds


def bound_at(value: float) -> RowJudge:
    """The twin whose bound is moved to ``value`` (a key constant moved to where the statement
    must fail: "the limit test error is 0", "a margin of 2"): an upper-bound row holds it where
    ``observed <= value``, a lower-bound row where ``observed >= value`` (within the row's
    tolerance); a multi-part row by its first applicable part's relation."""
    if not (isinstance(value, (int, float)) and math.isfinite(value)):
        raise ValueError(f"value must be a finite number, not {value!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        parts = _parts(ev)
        if parts:
            p = parts[0]
            side, observed, tol = ("upper" if p["relation"] == "<=" else "lower",
                                   _num(p.get("observed")), p.get("tolerance"))
        else:
            side, observed, tol = _side(ev), _num(ev.get("observed")), ev.get("tolerance")
            if side == "ratio":
                side = "lower" if observed >= _num(ev.get("bound")) else "upper"
        if math.isnan(observed) or side not in ("upper", "lower"):
            return None
        return _inside(value - observed if side == "upper" else observed - value, tol)

    return holds


def shifted(delta: float) -> RowJudge:
    """The twin whose bound is moved by ``delta`` (> 0) towards the observation, in the
    statement's units: it holds where the row's ``difference`` slack is at least ``delta``
    (within the row's tolerance); rows with another kind of slack cannot judge it."""
    if not (isinstance(delta, (int, float)) and delta > 0 and math.isfinite(delta)):
        raise ValueError(f"delta must be a finite number > 0, not {delta!r}")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        slack = _num(ev.get("slack"))
        if ev.get("slack_kind") != "difference" or math.isnan(slack):
            return None
        return _inside(slack - delta, ev.get("tolerance"))

    return holds


def only(select: Callable[[Mapping[str, Any]], bool], twin: RowJudge) -> RowJudge:
    """``twin`` re-judged only on the rows ``select`` picks (Eq. 14: the exact rows, not the
    Monte Carlo sampler check, whose rates are estimates); other rows cannot judge it."""
    if not callable(select) or not callable(twin):
        raise ValueError("select and twin must be callable")

    def holds(ev: Mapping[str, Any]) -> bool | None:
        return twin(ev) if select(ev) else None

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
