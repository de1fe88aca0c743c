"""How a checker's inequalities become one verdict, on hand-made parts:
:class:`verify.claims.section_5.Part` (slack in its unit, verdict from the slack),
:func:`verify.claims.section_5.combine` (the worst applicable part decides; a failed conditioning
event gives NOT_APPLICABLE; every field of the evidence), :class:`~verify.claims.section_5.
StepWorst` (what the recorders keep per step) and :func:`verify.claims.section_5.lemma_5_2_event`
(Eq. 7's ``k/(4d)`` and ``k/d`` in integers).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from verify.claims.section_5 import Part, StepWorst, combine, lemma_5_2_event
from verify.evidence import Evidence, Verdict

H, F, B = "holds", "fails", "boundary"


def _part(verdict: str, *, name: str = "p", applicable: bool = True, slack: float = 0.0,
          override: Verdict | None = None) -> Part:
    """A lower-bound part (``observed >= 1``) with the given verdict, tolerance 0.1."""
    observed = {H: 1.5, F: 0.5, B: 1.05}[verdict] if verdict in (H, F, B) else 1.0 + slack
    return Part(name, observed, 1.0, False, 1.0, "1", 0.1, applicable=applicable,
                reason="" if applicable else "event fails", verdict_override=override)


def _combine(parts: list[Part], *, not_applicable: str = "",
             assumptions: dict[str, bool] | None = None) -> Evidence:
    return combine("C", "s", parts, params={"seed": 0}, assumptions=assumptions or {},
                   reproduce="r", not_applicable=not_applicable)


@pytest.mark.parametrize(
    ("upper", "observed", "bound", "scale", "slack", "verdict"),
    [
        (True, 1.0, 3.0, 2.0, 1.0, Verdict.HOLDS),
        (True, 3.0, 1.0, 2.0, -1.0, Verdict.FAILS),
        (False, 3.0, 1.0, 2.0, 1.0, Verdict.HOLDS),
        (False, 1.0, 3.0, 2.0, -1.0, Verdict.FAILS),
        (True, 1.0, 1.15, 1.0, 0.15, Verdict.HOLDS),  # the tolerance 0.1 is in the slack's unit
        (True, 1.0, 1.15, 0.5, 0.3, Verdict.HOLDS),
        (True, 1.0, 1.15, 2.0, 0.075, Verdict.BOUNDARY),
        (False, 1.0, 1.15, 2.0, -0.075, Verdict.BOUNDARY),
    ],
)
def test_part__slack_in_its_unit_and_verdict(upper, observed, bound, scale, slack, verdict):
    p = Part("p", observed, bound, upper, scale, "u", 0.1)
    assert p.slack == pytest.approx(slack, rel=1e-12)
    assert p.verdict is verdict
    d = p.as_dict()
    assert d["relation"] == ("<=" if upper else ">=")
    assert d["verdict"] == verdict.value
    assert d["slack"] == p.slack


def test_part__override_forces_the_verdict():
    assert _part(H, override=Verdict.FAILS).verdict is Verdict.FAILS
    assert _part(F, override=Verdict.HOLDS).verdict is Verdict.HOLDS


# (verdicts of the applicable parts, of the inapplicable ones, combined verdict)
COMBINE_ROWS: list[tuple[list[str], list[str], Verdict]] = [
    ([H], [], Verdict.HOLDS),
    ([B], [], Verdict.BOUNDARY),
    ([F], [], Verdict.FAILS),
    ([H, B], [], Verdict.BOUNDARY),
    ([B, H], [], Verdict.BOUNDARY),
    ([H, F], [], Verdict.FAILS),
    ([F, H], [], Verdict.FAILS),
    ([B, F, H], [], Verdict.FAILS),
    ([H, H], [F], Verdict.HOLDS),  # an inapplicable part never decides
    ([B], [F], Verdict.BOUNDARY),
    ([], [H], Verdict.NOT_APPLICABLE),
    ([], [F], Verdict.NOT_APPLICABLE),
    ([], [], Verdict.NOT_APPLICABLE),
]


@pytest.mark.parametrize(("live", "dead", "verdict"), COMBINE_ROWS)
def test_combine__worst_applicable_part_decides(live, dead, verdict):
    parts = [_part(v, name=f"live{i}") for i, v in enumerate(live)]
    parts += [_part(v, name=f"dead{i}", applicable=False) for i, v in enumerate(dead)]
    ev = _combine(parts)
    assert ev.verdict is verdict
    assert set(ev.details["parts"]) == {p.name for p in parts}
    if verdict is Verdict.FAILS:
        assert ev.reason.startswith("fails: ")
    for p in parts:
        if not p.applicable:
            assert f"part {p.name!r} not applicable (event fails)" in ev.reason


@pytest.mark.parametrize("verdicts", [[H], [F], [B, F], [H, H]])
def test_combine__a_failed_conditioning_event_gives_not_applicable(verdicts):
    parts = [_part(v, name=f"p{i}") for i, v in enumerate(verdicts)]
    ev = _combine(parts, not_applicable="Eq. 14 fails")
    assert ev.verdict is Verdict.NOT_APPLICABLE
    assert ev.reason.startswith("Eq. 14 fails; evaluated anyway: ")
    worst = min(parts, key=lambda p: p.slack)
    assert (ev.observed, ev.bound, ev.slack) == (worst.observed, worst.bound, worst.slack)
    assert ev.tolerance == worst.tolerance


def test_combine__not_applicable_without_parts_has_nan_values():
    ev = _combine([], not_applicable="vacuous")
    assert ev.verdict is Verdict.NOT_APPLICABLE
    assert ev.reason == "vacuous"
    assert math.isnan(ev.observed)
    assert math.isnan(ev.bound)
    assert math.isnan(ev.slack)
    assert ev.tolerance == 0.0
    ev = _combine([])
    assert ev.reason == "no part of the claim is applicable"


def test_combine__headline_part_reported_when_it_has_the_verdict():
    first = Part("first", 1.5, 1.0, False, 1.0, "1", 0.1)  # slack 0.5
    second = Part("second", 1.2, 1.0, False, 1.0, "1", 0.1)  # slack 0.2
    ev = _combine([first, second])
    assert ev.verdict is Verdict.HOLDS
    assert ev.details["worst_part"] == "first"
    assert (ev.observed, ev.slack) == (1.5, 0.5)


def test_combine__else_the_part_with_that_verdict_and_smallest_slack():
    parts = [Part("first", 1.5, 1.0, False, 1.0, "1", 0.1),
             Part("second", 0.5, 1.0, False, 1.0, "1", 0.1),
             Part("third", 0.2, 1.0, False, 1.0, "1", 0.1)]
    ev = _combine(parts)
    assert ev.verdict is Verdict.FAILS
    assert ev.details["worst_part"] == "third"
    assert (ev.observed, ev.bound, ev.tolerance) == (0.2, 1.0, 0.1)
    assert ev.slack == pytest.approx(-0.8)
    # a part with no location says nothing about where (never "at None")
    assert ev.reason == ("fails: second (observed 0.5 vs bound 1), third (observed 0.2 "
                         "vs bound 1)")


def test_combine__failed_assumptions_are_named_but_do_not_change_the_verdict():
    ev = _combine([_part(H)], assumptions={"r<=eta1": False, "T1>0": True, "l=d": False})
    assert ev.verdict is Verdict.HOLDS
    assert "outside the claim's assumptions (fails: r<=eta1)" in ev.reason
    assert "a condition only its proof uses fails (l=d)" in ev.reason
    assert ev.assumptions == {"r<=eta1": False, "T1>0": True, "l=d": False}
    ev = _combine([_part(F)], assumptions={"r<=eta1": True})
    assert ev.verdict is Verdict.FAILS
    assert "outside" not in ev.reason


def test_combine__every_field_of_a_failing_claim():
    parts = [Part("first", 1.5, 1.0, False, 2.0, "u", 0.1, where={"t": 1}),
             Part("second", 3.0, 1.0, True, 2.0, "u", 0.1, where={"t": 2})]
    ev = combine("C", "s", parts, params={"seed": 3}, assumptions={"r<=eta1": False,
                 "T1>0": False, "l=d": False}, reproduce="r", details={"extra": 1})
    assert ev == Evidence(
        claim="C", statement="s", verdict=Verdict.FAILS, observed=3.0, bound=1.0, slack=-1.0,
        slack_kind="difference", tolerance=0.1, params={"seed": 3},
        assumptions={"r<=eta1": False, "T1>0": False, "l=d": False},
        reason="fails: second (observed 3 vs bound 1, at {'t': 2}); outside the claim's "
        "assumptions (fails: T1>0, r<=eta1); inside the claim as stated; a condition only its "
        "proof uses fails (l=d)",
        details={"extra": 1, "parts": {p.name: p.as_dict() for p in parts},
                 "worst_part": "second"},
        reproduce="r")


def test_combine__every_field_of_a_not_applicable_claim():
    parts = [Part("nan", float("nan"), 1.0, True, 2.0, "u", 0.1),  # first: NaN never wins
             Part("first", 1.5, 1.0, False, 2.0, "u", 0.1),
             Part("second", 3.0, 1.0, True, 2.0, "u", 0.1)]
    ev = combine("C", "s", parts, params={"seed": 3}, assumptions={"T1>0": False},
                 reproduce="r", not_applicable="Eq. 14 fails")
    assert ev.verdict is Verdict.NOT_APPLICABLE
    assert (ev.claim, ev.statement, ev.params, ev.reproduce) == ("C", "s", {"seed": 3}, "r")
    assert (ev.observed, ev.bound, ev.slack, ev.slack_kind, ev.tolerance) == (
        3.0, 1.0, -1.0, "difference", 0.1)
    assert ev.assumptions == {"T1>0": False}
    assert ev.reason == (
        "Eq. 14 fails; evaluated anyway: nan: fails (slack nan u), first: holds (slack 0.25 u), "
        "second: fails (slack -1 u); outside the claim's assumptions (fails: T1>0)")
    assert set(ev.details) == {"parts"}


def test_combine__an_inapplicable_part_is_named_with_its_evaluation():
    parts = [Part("live", 1.5, 1.0, False, 1.0, "1", 0.1),
             Part("dead", 0.5, 1.0, False, 2.0, "u", 0.1, applicable=False, reason="no event")]
    ev = _combine(parts)
    assert ev.verdict is Verdict.HOLDS
    assert ev.reason == ("part 'dead' not applicable (no event); evaluated anyway: fails "
                         "(observed 0.5 vs bound 1, slack -0.25 u)")


@pytest.mark.parametrize(
    ("d", "k", "n_plus", "n_minus", "want"),
    [
        # d = 3, k = 216: k/(4d) = 18, k/d = 72
        (3, 216, 18, 72, (True, True)),
        (3, 216, 17, 40, (False, True)),
        (3, 216, 40, 17, (False, True)),
        (3, 216, 73, 40, (True, False)),
        (3, 216, 40, 73, (True, False)),
        (3, 216, 17, 73, (False, False)),
        (3, 216, 72, 18, (True, True)),
        # d = 4, k = 217: k/(4d) = 13.56, k/d = 54.25
        (4, 217, 14, 54, (True, True)),
        (4, 217, 13, 54, (False, True)),
        (4, 217, 14, 55, (True, False)),
        (4, 217, 0, 0, (False, True)),
    ],
)
def test_lemma_5_2_event__k_over_4d_and_k_over_d_on_each_count(d, k, n_plus, n_minus, want):
    ev = lemma_5_2_event(d, k, n_plus, n_minus)
    assert (ev["lower"], ev["upper"]) == want
    assert ev["both"] == (want[0] and want[1])
    assert set(ev) == {"lower", "upper", "both"}


def test_step_worst__keeps_the_worst_value_and_where_per_step():
    hi, lo = StepWorst("max"), StepWorst("min")
    for rec in (hi, lo):
        rec.add(0, np.array([[1.0, 3.0], [2.0, -1.0]]), where=np.array([[0, 1], [2, 3], [4, 5],
                                                                      [6, 7]]))
        rec.add(1, [5, 4], where=["a", "b"])
        rec.add(2, [])
        rec.add(3, [0.5, 7.0])
    assert hi.t == lo.t == [0, 1, 2, 3]
    assert hi.value[:2] == [3.0, 5.0]
    assert lo.value[:2] == [-1.0, 4.0]
    assert hi.where == [[2, 3], "a", None, 1]
    assert lo.where == [[6, 7], "b", None, 0]
    assert math.isnan(hi.value[2])
    assert isinstance(hi.where[0], list)
    assert hi.worst() == (7.0, 3, 1)
    assert lo.worst() == (-1.0, 0, [6, 7])
    assert lo.as_dict() == {"t": [0, 1, 2, 3], "worst": lo.value, "where": [[6, 7], "b", None, 0]}
    empty = StepWorst("max")
    empty.add(0, [])
    worst = empty.worst()
    assert math.isnan(worst[0])
    assert worst[1:] == (None, None)
    with pytest.raises(ValueError, match="kind"):
        StepWorst("mean")


def test_step_worst__nan_steps_never_win():
    for kind, want in (("max", 1.0), ("min", 2.0)):
        rec = StepWorst(kind)
        rec.add(0, [])
        rec.add(1, [1.0] if kind == "max" else [2.0])
        rec.add(2, [])
        assert rec.worst() == (want, 1, 0)
