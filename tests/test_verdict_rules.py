"""Every rule that turns evidence into a verdict, on hand-made evidence (issue 18).

- the report's aggregation (:func:`verify.report.document.claim_summary`): the summary verdict of
  a claim for each combination of evidence verdicts (holds / fails / boundary / not applicable),
  inside and outside the stated assumptions, and the exit status
  (:func:`verify.report.document.build_document`) each gives;
- :func:`verify.claims.section_5.combine` and :class:`~verify.claims.section_5.Part`: the worst
  applicable part decides, a failed conditioning event gives NOT_APPLICABLE;
- the fuzzing's classification (:mod:`verify.fuzzing`): needed / not needed / untested, and the
  inside search's "VIOLATED", for checkers that return each verdict kind.

The tables are meant to be extended: a new summary verdict adds rows to ``SUMMARY_ROWS``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from verify import fuzzing
from verify.claims.section_5 import Part, StepWorst, combine, lemma_5_2_event
from verify.evidence import Evidence, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.model.setting import Setting
from verify.report.document import build_document, claim_summary, inside_stated_assumptions
from verify.report.runner import SectionResult

# ----------------------------------------------------------------------------- hand-made evidence

H, F, B, NA = "holds", "fails", "boundary", "not applicable"
IN, OUT, PROOF = "inside", "outside", "proof-only"  # PROOF: only l=d (not stated) fails
_SLACK = {H: 0.5, F: -0.5, B: 0.0, NA: math.nan}


def _ev(verdict: str, where: str, *, claim: str = "Claim A", slack: float | None = None,
        tag: int = 0) -> dict[str, Any]:
    assumptions = {
        IN: {"r<=eta1": True, "l=d": True},
        OUT: {"r<=eta1": False, "l=d": True},
        PROOF: {"r<=eta1": True, "l=d": False},
    }[where]
    return {
        "claim": claim,
        "statement": f"statement of {claim}",
        "verdict": verdict,
        "slack": _SLACK[verdict] if slack is None else slack,
        "slack_kind": "difference",
        "params": {"tag": tag},
        "assumptions": assumptions,
    }


def _noop(profile: str, seed: int) -> list[Evidence]:
    return []


SECTION = ClaimDeclaration(
    key="claim-a", title="Claim A and B", names=("Claim A", "Claim B"),
    statement="the section's statement", location="nowhere", assumptions=("r<=eta1",),
    checkers=(_noop,), report_checks=_noop,
)

# (evidence as (verdict, where) pairs, summary verdict, exit status of a report of that claim)
SUMMARY_ROWS: list[tuple[list[tuple[str, str]], str, int]] = [
    ([(H, IN)], "holds", 0),
    ([(B, IN)], "holds", 0),
    ([(NA, IN)], "not applicable", 0),
    ([(F, IN)], "fails", 1),
    ([(H, OUT)], "holds", 0),
    ([(B, OUT)], "holds", 0),
    ([(NA, OUT)], "not applicable", 0),
    ([(F, OUT)], "holds where assumed; fails outside", 0),
    # a proof-only condition (l=d) failing does not make the regime "outside"
    ([(F, PROOF)], "fails", 1),
    ([(H, PROOF)], "holds", 0),
    ([(H, IN), (F, IN)], "fails", 1),
    ([(B, IN), (F, IN)], "fails", 1),
    ([(NA, IN), (F, IN)], "fails", 1),
    ([(F, IN), (F, OUT)], "fails", 1),
    ([(H, IN), (F, OUT)], "holds where assumed; fails outside", 0),
    ([(B, IN), (F, OUT)], "holds where assumed; fails outside", 0),
    ([(NA, IN), (F, OUT)], "holds where assumed; fails outside", 0),
    ([(F, OUT), (H, PROOF)], "holds where assumed; fails outside", 0),
    ([(F, OUT), (F, PROOF)], "fails", 1),
    ([(H, IN), (B, IN)], "holds", 0),
    ([(H, IN), (NA, IN)], "holds", 0),
    ([(B, IN), (NA, IN)], "holds", 0),
    ([(NA, IN), (NA, OUT)], "not applicable", 0),
    ([(NA, IN), (H, OUT)], "holds", 0),
    ([(NA, OUT), (B, IN)], "holds", 0),
    ([(H, IN), (B, IN), (NA, IN), (H, OUT), (B, OUT), (NA, OUT)], "holds", 0),
    ([(H, IN), (B, IN), (NA, IN), (H, OUT), (B, OUT), (NA, OUT), (F, OUT)],
     "holds where assumed; fails outside", 0),
    ([(H, IN), (B, IN), (NA, IN), (H, OUT), (B, OUT), (NA, OUT), (F, OUT), (F, IN)], "fails", 1),
]


def _result(evs: list[dict[str, Any]], **kw: Any) -> SectionResult:
    return SectionResult(key="claim-a", evidence=evs, seconds=1.5, **kw)


def _doc(results: dict[str, SectionResult]) -> dict[str, Any]:
    return build_document(results, (SECTION,), profile="quick", seed=0, command="c",
                          complete=True)


@pytest.mark.parametrize(("pairs", "verdict", "status"), SUMMARY_ROWS)
def test_claim_summary__verdict_of_each_combination(pairs, verdict, status):
    evs = [_ev(v, w, tag=i) for i, (v, w) in enumerate(pairs)]
    row = claim_summary(SECTION, _result(evs))[0]
    assert row["claim"] == "Claim A"
    assert row["verdict"] == verdict
    assert row["regimes"] == len(pairs)


@pytest.mark.parametrize(("pairs", "verdict", "status"), SUMMARY_ROWS)
def test_build_document__exit_status_of_each_combination(pairs, verdict, status):
    evs = [_ev(v, w, tag=i) for i, (v, w) in enumerate(pairs)]
    doc = _doc({"claim-a": _result(evs)})
    assert doc["exit_status"] == status
    assert doc["summary"][0]["verdict"] == verdict


@pytest.mark.parametrize(("pairs", "verdict", "status"), SUMMARY_ROWS)
def test_build_document__a_second_claim_does_not_mask_the_first(pairs, verdict, status):
    """The worst claim decides the exit status: Claim B holds, Claim A's row decides."""
    evs = [_ev(v, w, tag=i) for i, (v, w) in enumerate(pairs)] + [_ev(H, IN, claim="Claim B")]
    doc = _doc({"claim-a": _result(evs)})
    assert [r["verdict"] for r in doc["summary"]] == [verdict, "holds"]
    assert doc["exit_status"] == status


@pytest.mark.parametrize(
    ("result", "verdict", "status"),
    [
        (None, "not run", 0),
        (_result([]), "not run", 0),
        (_result([_ev(H, IN)], error="Boom: it broke"), "error", 1),
        (_result([], error="Boom"), "error", 1),
    ],
)
def test_claim_summary__error_and_not_run(result, verdict, status):
    rows = claim_summary(SECTION, result)
    assert [r["verdict"] for r in rows] == [verdict, verdict]
    results = {} if result is None else {"claim-a": result}
    assert _doc(results)["exit_status"] == status


def test_claim_summary__a_claim_named_only_in_the_evidence_gets_its_own_row():
    evs = [_ev(H, IN), _ev(F, IN, claim="Claim C")]
    rows = claim_summary(SECTION, _result(evs))
    assert [(r["claim"], r["verdict"]) for r in rows] == [
        ("Claim A", "holds"), ("Claim B", "not run"), ("Claim C", "fails")]
    assert rows[0]["statement"] == "the section's statement"
    assert rows[1]["statement"] == "the section's statement"
    assert rows[2]["statement"] == "statement of Claim C"
    assert [r["regimes"] for r in rows] == [1, 0, 1]
    assert all(r["seconds"] == 1.5 for r in rows)
    assert _doc({"claim-a": _result(evs)})["exit_status"] == 1


@pytest.mark.parametrize(
    ("evs", "worst"),
    [
        # the least favourable verdict first (fails < boundary < holds), then the smallest slack
        ([_ev(H, IN, slack=0.1, tag=1), _ev(F, IN, slack=-0.2, tag=2)], (F, -0.2, 2)),
        ([_ev(F, IN, slack=-0.2, tag=1), _ev(F, IN, slack=-0.3, tag=2)], (F, -0.3, 2)),
        ([_ev(H, IN, slack=0.001, tag=1), _ev(B, IN, slack=0.0, tag=2)], (B, 0.0, 2)),
        ([_ev(H, IN, slack=0.3, tag=1), _ev(H, IN, slack=0.2, tag=2)], (H, 0.2, 2)),
        ([_ev(H, IN, slack=0.2, tag=1), _ev(H, IN, slack=0.3, tag=2)], (H, 0.2, 1)),
        # evidence inside the stated assumptions is preferred to worse evidence outside
        ([_ev(H, IN, slack=0.3, tag=1), _ev(F, OUT, slack=-9.0, tag=2)], (H, 0.3, 1)),
        # only when there is none inside does the outside evidence count
        ([_ev(H, OUT, slack=0.3, tag=1), _ev(F, OUT, slack=-9.0, tag=2)], (F, -9.0, 2)),
        # a slack that is not a number sorts last within its verdict
        ([_ev(H, IN, slack=0.3, tag=1), _ev(H, IN, slack="nan", tag=2)], (H, 0.3, 1)),
    ],
)
def test_claim_summary__worst_is_the_least_favourable_evidence(evs, worst):
    w = claim_summary(SECTION, _result(evs))[0]["worst"]
    assert (w["verdict"], w["slack"], w["params"]["tag"]) == worst
    assert w["slack_kind"] == "difference"


def test_claim_summary__worst_of_minimal_evidence_has_empty_kind_and_params():
    ev = {"claim": "Claim A", "statement": "s", "verdict": "holds", "slack": 1.0}
    w = claim_summary(SECTION, _result([ev]))[0]["worst"]
    assert w == {"slack": 1.0, "slack_kind": "", "verdict": "holds", "params": {}}


def test_claim_summary__no_worst_without_a_rated_verdict():
    rows = claim_summary(SECTION, _result([_ev(NA, IN), _ev(NA, OUT)]))
    assert rows[0]["worst"] is None
    assert claim_summary(SECTION, None)[0]["worst"] is None


@pytest.mark.parametrize(
    ("assumptions", "inside"),
    [
        ({}, True),
        ({"r<=eta1": True}, True),
        ({"r<=eta1": False}, False),
        ({"l=d": False}, True),  # proof-only
        ({"l=d": False, "k>=8d^3": False}, False),
        ({"a checker's own condition": False}, False),  # unknown names count as stated
        ({"r<=eta1": 1, "T1>0": 0}, False),
    ],
)
def test_inside_stated_assumptions__only_stated_ones_count(assumptions, inside):
    assert inside_stated_assumptions({"assumptions": assumptions}) is inside


@pytest.mark.parametrize("special", ["errata", "proof-algebra", "fuzzing"])
def test_build_document__an_error_in_a_special_section_exits_1(special):
    ok = {"claim-a": _result([_ev(H, IN)])}
    assert _doc(ok)["exit_status"] == 0
    doc = _doc({**ok, special: SectionResult(key=special, error="Boom")})
    assert doc["exit_status"] == 1
    assert doc["special_errors"] == {special: "Boom"}
    doc = _doc({**ok, special: SectionResult(key=special, seconds=2.0)})
    assert doc["exit_status"] == 0
    assert doc["special_errors"] == {}
    assert doc["special_seconds"] == {special: 2.0}


def test_build_document__an_interrupted_section_does_not_fail_the_report():
    doc = _doc({})
    assert doc["exit_status"] == 0
    assert doc["sections"][0]["error"] == "not run (interrupted)"
    assert doc["sections"][0]["evidence"] == []


def test_inside_stated_assumptions__evidence_without_assumptions_is_inside():
    assert inside_stated_assumptions({"verdict": "fails"}) is True


def test_build_document__sections_and_special_results_are_carried():
    res = _result([_ev(H, IN)], errata=[{"location": "L2", "evidence": "b", "found_by": "s"}])
    results = {
        "claim-a": res,
        "errata": SectionResult(key="errata", errata=[{"location": "L1", "evidence": "a"}]),
        "proof-algebra": SectionResult(key="proof-algebra", extra=[{"id": "alg"}]),
        "fuzzing": SectionResult(key="fuzzing", extra=[{"claim": "fz"}], seconds=3.0),
    }
    doc = _doc(results)
    assert doc["sections"] == [{
        "key": "claim-a", "title": "Claim A and B", "module": SECTION.module, "seconds": 1.5,
        "error": "", "evidence": res.evidence}]
    assert [e["location"] for e in doc["errata"]] == ["L1", "L2"]  # the errata section first
    assert doc["algebra"] == [{"id": "alg"}]
    assert doc["assumptions"] == [{"claim": "fz"}]
    assert doc["special_seconds"] == {"errata": 0.0, "proof-algebra": 0.0, "fuzzing": 3.0}
    assert [doc[k] for k in ("profile", "seed", "command", "complete")] == ["quick", 0, "c", True]
    assert doc["schema"] == "verify-report/1"
    empty = _doc({})
    assert empty["algebra"] == []
    assert empty["assumptions"] == []
    assert empty["errata"] == []
    assert empty["sections"][0]["seconds"] == 0.0
    assert empty["summary"][0]["seconds"] == 0.0


@pytest.mark.parametrize(
    ("rows", "evidence", "found_by"),
    [
        # a later source without evidence adds nothing
        ([{"location": "L", "evidence": "a", "found_by": "x"}, {"location": "L", "evidence": "",
          "found_by": ""}], "a", "x"),
        # the same evidence is not repeated
        ([{"location": "L", "evidence": "a", "found_by": "x"}, {"location": "L", "evidence": "a",
          "found_by": "x"}], "a", "x"),
        # a first source without evidence takes the later one's, without a separator
        ([{"location": "L", "evidence": "", "found_by": ""}, {"location": "L", "evidence": "b",
          "found_by": "y"}], "b", "y"),
        ([{"location": "L"}, {"location": "L", "evidence": "b", "found_by": "y"}], "b", "y"),
    ],
)
def test_merge_errata__joins_only_new_sources(rows, evidence, found_by):
    from verify.report.document import merge_errata

    out = merge_errata(rows)
    assert len(out) == 1
    assert (out[0]["evidence"], out[0]["found_by"]) == (evidence, found_by)


# ----------------------------------------------------------------------------- Part and combine


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
    assert "second (observed 0.5 vs bound 1" in ev.reason
    assert "third (observed 0.2 vs bound 1" in ev.reason
    assert "first" not in ev.reason


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
    parts = [Part("first", 1.5, 1.0, False, 2.0, "u", 0.1),
             Part("second", 3.0, 1.0, True, 2.0, "u", 0.1),
             Part("nan", float("nan"), 1.0, True, 2.0, "u", 0.1)]
    ev = combine("C", "s", parts, params={"seed": 3}, assumptions={"T1>0": False},
                 reproduce="r", not_applicable="Eq. 14 fails")
    assert ev.verdict is Verdict.NOT_APPLICABLE
    assert (ev.claim, ev.statement, ev.params, ev.reproduce) == ("C", "s", {"seed": 3}, "r")
    assert (ev.observed, ev.bound, ev.slack, ev.slack_kind, ev.tolerance) == (
        3.0, 1.0, -1.0, "difference", 0.1)
    assert ev.assumptions == {"T1>0": False}
    assert ev.reason == (
        "Eq. 14 fails; evaluated anyway: first: holds (slack 0.25 u), second: fails (slack -1 u),"
        " nan: fails (slack nan u); outside the claim's assumptions (fails: T1>0)")
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
    assert hi.as_dict()["worst"][3] == 7.0
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


# ----------------------------------------------------------------------------- fuzzing


def _checker(verdict: Verdict, slack: float) -> Any:
    def check(setting: Setting) -> Evidence:
        return Evidence("Fake", "fake", verdict, 1.0, 1.0, slack)
    return check


check_holds = _checker(Verdict.HOLDS, 0.25)
check_boundary = _checker(Verdict.BOUNDARY, 0.0)
check_fails = _checker(Verdict.FAILS, -1.0)
check_not_applicable = _checker(Verdict.NOT_APPLICABLE, math.nan)
check_holds_nan = _checker(Verdict.HOLDS, math.nan)


def check_fails_unless_l_is_d(setting: Setting) -> Evidence:
    """Fails exactly where the proof-only condition l = d fails."""
    verdict = Verdict.HOLDS if setting.l == setting.d else Verdict.FAILS
    return Evidence("Fake", "fake", verdict, 1.0, 1.0, 1.0)


def check_fails_when_r_above_eta1(setting: Setting) -> Evidence:
    ok = setting.r <= setting.eta1
    return Evidence("Fake", "fake", Verdict.HOLDS if ok else Verdict.FAILS, 1.0, 1.0,
                    0.5 if ok else -0.5)


def _target(function: str, assumptions: tuple[str, ...] = ("r<=eta1",)) -> fuzzing.FuzzTarget:
    return fuzzing.FuzzTarget("Fake", __name__, function, assumptions)


# (checker, inside status, outside status for r<=eta1, smallest slack of the inside search)
FUZZ_ROWS = [
    ("check_holds", "no violation in 4 tries", "not needed in 4 tries", 0.25),
    ("check_boundary", "no violation in 4 tries", "not needed in 4 tries", 0.0),
    ("check_not_applicable", "no violation in 4 tries", "not needed in 4 tries", None),
    ("check_holds_nan", "no violation in 4 tries", "not needed in 4 tries", None),
    ("check_fails", "VIOLATED inside the assumptions", "needed", None),
]


@pytest.mark.parametrize(("function", "inside", "outside", "slack"), FUZZ_ROWS)
def test_fuzz_inside__status_for_each_verdict_kind(function, inside, outside, slack):
    row = fuzzing.fuzz_inside(_target(function), tries=4, seed=0)
    assert row.claim == "Fake"
    assert row.inside
    assert row.assumption == "(all stated hold)"
    assert row.status == inside
    assert row.tries == 4
    assert row.smallest_slack == slack
    assert bool(row.counterexample) == (inside != "no violation in 4 tries")
    assert bool(row.reproduce) == bool(row.counterexample)


@pytest.mark.parametrize(("function", "inside", "outside", "slack"), FUZZ_ROWS)
def test_fuzz_outside__status_for_each_verdict_kind(function, inside, outside, slack):
    row = fuzzing.fuzz_outside(_target(function), "r<=eta1", tries=4, seed=0)
    assert row.claim == "Fake"
    assert not row.inside
    assert row.assumption == "r<=eta1"
    assert row.status == outside
    assert row.tries == 4
    if outside == "needed":
        s = Setting(**__import__("json").loads(row.counterexample))
        assert s.r > s.eta1  # the counterexample violates the assumption
        assert row.reproduce.startswith("python -m verify.fuzzing --claim 'Fake' --setting ")
        assert row.smallest_slack is None
    else:
        assert row.counterexample == ""
        assert row.smallest_slack == slack


def test_fuzz_outside__needed_only_where_the_checker_fails_outside():
    t = _target("check_fails_when_r_above_eta1")
    assert fuzzing.fuzz_inside(t, tries=4, seed=0).status == "no violation in 4 tries"
    assert fuzzing.fuzz_outside(t, "r<=eta1", tries=4, seed=0).status == "needed"


def test_fuzz_outside__untested_when_the_assumption_cannot_be_violated_alone(monkeypatch):
    monkeypatch.setattr(fuzzing, "violating", lambda base, a: st.nothing())
    row = fuzzing.fuzz_outside(_target("check_fails"), "r<=eta1", tries=4, seed=0)
    assert row.status == "untested (could not violate it alone)"
    assert row.tries == 0
    assert row.counterexample == ""


def test_fuzz_inside__proof_only_conditions_are_not_imposed():
    """A checker failing only where l != d is violated inside its stated assumptions."""
    t = fuzzing.FuzzTarget("Fake", __name__, "check_fails_unless_l_is_d", ("l=d",),
                           base=fuzzing.settings_initialisation)
    row = fuzzing.fuzz_inside(t, tries=12, seed=0)
    assert row.status == "VIOLATED inside the assumptions"
    s = Setting(**__import__("json").loads(row.counterexample))
    assert s.l != s.d
    assert row.smallest_slack == 1.0  # the examples with l = d held, with slack 1


CALLS: list[int] = []


def check_counting(setting: Setting) -> Evidence:
    CALLS.append(1)
    return Evidence("Fake", "fake", Verdict.HOLDS, 1.0, 1.0, 1.0)


@pytest.mark.parametrize("tries", [1, 3])
def test_fuzz_searches__call_the_checker_at_most_tries_times(tries):
    CALLS.clear()
    fuzzing.fuzz_inside(_target("check_counting"), tries=tries, seed=0)
    assert 1 <= len(CALLS) <= tries
    CALLS.clear()
    fuzzing.fuzz_outside(_target("check_counting"), "r<=eta1", tries=tries, seed=0)
    assert 1 <= len(CALLS) <= tries


def test_fuzz_inside__stated_assumptions_are_imposed():
    row = fuzzing.fuzz_inside(_target("check_fails_when_r_above_eta1"), tries=12, seed=0)
    assert row.status == "no violation in 12 tries"
    assert row.smallest_slack == 0.5


def check_slack_from_seed(setting: Setting) -> Evidence:
    """Always holds, with a slack that depends on the drawn setting (so on the search's seed)."""
    return Evidence("Fake", "fake", Verdict.HOLDS, 1.0, 1.0, 1.0 - setting.seed / 2**32)


def test_assumption_table__rows_are_the_searches_with_its_seed(monkeypatch):
    t = _target("check_slack_from_seed", ("r<=eta1",))
    monkeypatch.setattr(fuzzing, "targets", lambda: [t])
    monkeypatch.setitem(fuzzing.TRIES, "quick", 3)
    for seed in (7, 8):
        rows = fuzzing.assumption_table("quick", seed)
        assert rows == [fuzzing.fuzz_inside(t, tries=3, seed=seed),
                        fuzzing.fuzz_outside(t, "r<=eta1", tries=3, seed=seed)]
    assert fuzzing.assumption_table("quick", 7) != fuzzing.assumption_table("quick", 8)


def test_assumption_table__one_inside_row_then_one_per_assumption(monkeypatch):
    t = _target("check_fails_when_r_above_eta1", ("r<=eta1", "T1>0"))
    monkeypatch.setattr(fuzzing, "targets", lambda: [t])
    monkeypatch.setitem(fuzzing.TRIES, "quick", 3)
    rows = fuzzing.assumption_table("quick", 0)
    assert [(r.assumption, r.inside) for r in rows] == [
        ("(all stated hold)", True), ("r<=eta1", False), ("T1>0", False)]
    assert rows[1].status == "needed"
    assert rows[2].status == "not needed in 3 tries"
