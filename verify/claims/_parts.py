"""The parts of claim statements that their rows test separately, and the twins that need a
claim's own row layout (:mod:`verify.evidence.calculus`, :mod:`verify.evidence.controls`).

Theorem 5.1 states "L2 -> 0 and test error O(sqrt(d/m))"; one run of LW_CNN tests both, and its
row carries both: the L2 parts in ``details["parts"]`` and the limit classifier's test error
against the explicit margin bound in ``details["part_2"]``. Its confidence rows count runs in
which the whole event held, and say (``details["bound_vacuous"]``) whether the error half of the
event could fail at all. Eq. 14 is decided exactly; its Monte Carlo rows check the sampler.
Section 7's rows compare test errors (Fig. 3a/3b/3c), their growth with n (Fig. 4), or check
the training errors the comparison relies on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from verify.evidence import Strength
from verify.evidence.calculus import Judgement, Part, judge_row

__all__ = [
    "EQ14_EXACT",
    "EQ14_SAMPLER",
    "SECTION_7_GROWTH",
    "SECTION_7_LOWER",
    "SECTION_7_TRAINING",
    "THEOREM_5_1_CONFIDENCE_PARTS",
    "THEOREM_5_1_PARTS",
    "errors_zero_from_some_m",
    "every_cell",
    "exact",
    "limit_error_zero",
]


def _details(ev: Mapping[str, Any]) -> dict[str, Any]:
    d = ev.get("details")
    return d if isinstance(d, dict) else {}


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _error_bound(ev: Mapping[str, Any]) -> Judgement | None:
    """Theorem 5.1's error half at one run: vacuous while the explicit margin bound (delta =
    0.05) is 1 or more; below 1, one run decides nothing about a "with probability >= 1 -
    delta" statement (undecided) unless its fresh error exceeds the bound (fails)."""
    part = _details(ev).get("part_2")
    if not isinstance(part, dict):
        return None
    bound = _num(part.get("margin_bound_delta_0.05"))
    error = _num(part.get("fresh_error_final_a"))
    if math.isnan(bound):
        return None
    if bound >= 1:
        return Judgement("vacuous", Strength.VACUOUS, None, "vacuous")
    outcome = "fails" if error > bound else "undecided"
    return Judgement(outcome, Strength.STATISTICAL, bound - error, "difference")


THEOREM_5_1_PARTS = (
    Part("L2 -> 0", claim="Theorem 5.1", select=lambda ev: "parts" in _details(ev)),
    Part("test error <= the explicit bound (w.p. >= 1 - delta)", claim="Theorem 5.1",
         judge=_error_bound),
)


def _confidence_error(ev: Mapping[str, Any]) -> Judgement | None:
    """The error half of Theorem 5.1's event: vacuous where every run's explicit bound was 1 or
    more (``details["bound_vacuous"]``), else the row's own judgement."""
    if _details(ev).get("bound_vacuous") is True:
        return Judgement("vacuous", Strength.VACUOUS, None, "vacuous")
    return judge_row(ev)


THEOREM_5_1_CONFIDENCE_PARTS = (
    Part("P(L2 -> 0) >= the claimed probability", claim="Theorem 5.1 (confidence)"),
    Part("test error <= the explicit bound within the event", claim="Theorem 5.1 (confidence)",
         judge=_confidence_error),
)


def limit_error_zero(ev: Mapping[str, Any]) -> bool | None:
    """Theorem 5.1 (confidence)'s twin, "the limit test error is 0 in every run that reaches
    L2 -> 0": it holds at a row where every success had limit error exactly 0
    (``details["limit_error_zero"] == details["successes"]``)."""
    d = _details(ev)
    zero, successes = d.get("limit_error_zero"), d.get("successes")
    if not isinstance(zero, int) or not isinstance(successes, int):
        return None
    return zero >= successes


def errors_zero_from_some_m(ev: Mapping[str, Any]) -> bool | None:
    """Theorem 5.1 (test error vs m)'s twin, "the test error is exactly 0 from some m on": it
    holds at a row whose errors reach 0 (``details["errors_exactly_zero_from_m"]`` set)."""
    d = _details(ev)
    if "errors_exactly_zero_from_m" not in d:
        return None
    return d["errors_exactly_zero_from_m"] is not None


def every_cell(ev: Mapping[str, Any]) -> bool | None:
    """Beyond the model's twins, "the conclusion survives in every cell of the (mu, sigma)
    grid" (each conclusion's in its own words, :data:`verify.claims.beyond_the_model.TWINS`):
    it holds at a row whose every cell has success rate 1 (``details["cells"][i]["rate"]``), or
    whose ``cnn_ahead_cells`` count every cell (LW_CNN stays ahead of the SVM)."""
    d = _details(ev)
    cells = d.get("cells")
    if not isinstance(cells, list) or not cells:
        return None
    if "cnn_ahead_cells" in d:
        return d["cnn_ahead_cells"] == len(cells)
    rates = [_num(c.get("rate")) for c in cells if isinstance(c, dict)]
    rates = [r for r in rates if not math.isnan(r)]
    return None if not rates else min(rates) >= 1.0


def exact(ev: Mapping[str, Any]) -> bool:
    """Whether the row is decided exactly (``params["method"]`` starts with "exact")."""
    return _exact(ev)


def _exact(ev: Mapping[str, Any]) -> bool:
    return str(ev.get("params", {}).get("method", "")).startswith("exact")


EQ14_EXACT = Part("P(|S1+|, |S1-| >= m1/3) >= 1 - 4e^{-m/36}", claim="Eq. 14", select=_exact)
EQ14_SAMPLER = Part("the sampler agrees with the exact law (Monte Carlo)", claim="Eq. 14",
                    select=lambda ev: not _exact(ev), auxiliary=True)


def _tests(ev: Mapping[str, Any]) -> list[Any]:
    tests = _details(ev).get("tests")
    return tests if isinstance(tests, list) else []


def _compares_sizes(ev: Mapping[str, Any]) -> bool:
    return any(isinstance(t, dict) and "mean_difference" in t for t in _tests(ev))


def _compares_growth(ev: Mapping[str, Any]) -> bool:
    return any(isinstance(t, dict) and "mean_slope_difference" in t for t in _tests(ev))


SECTION_7_LOWER = Part("lower test error than the MLP and the SVM", claim="Section 7",
                       select=_compares_sizes)
SECTION_7_GROWTH = Part("degrades less as n grows", claim="Section 7", select=_compares_growth)
SECTION_7_TRAINING = Part("training errors as the comparison assumes", claim="Section 7",
                          select=lambda ev: not _tests(ev), auxiliary=True)
