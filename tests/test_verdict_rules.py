"""The report's aggregation of evidence into verdicts, on hand-made evidence.

:func:`verify.report.document.claim_summary` gives each claim's summary verdict for every
combination of evidence verdicts (holds / fails / boundary / not applicable), inside, outside and
"proof-only outside" the stated assumptions, and :func:`verify.report.document.build_document`
the exit status each combination gives. ``SUMMARY_ROWS`` is the table: a new summary verdict adds
rows there. :mod:`tests.test_combine_rules` covers how a checker's parts become one verdict,
:mod:`tests.test_fuzzing_verdicts` the fuzzing's classification.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from verify.evidence import Evidence
from verify.evidence.calculus import FAILS_OUTSIDE, HOLDS_OUTSIDE
from verify.evidence.claim import ClaimDeclaration
from verify.report.document import build_document, claim_summary, inside_stated_assumptions
from verify.report.runner import SectionResult

# ----------------------------------------------------------------------------- hand-made evidence

H, F, B, NA, NT = "holds", "fails", "boundary", "not applicable", "not tested"
IN, OUT, PROOF = "inside", "outside", "proof-only"  # PROOF: only l=d (not stated) fails
NAMED = "proof-only, named"  # as PROOF, and the evidence names it: holds_under = "l = d"
_SLACK = {H: 0.5, F: -0.5, B: 0.0, NA: math.nan, NT: math.nan}
UNDER = "fails as stated; holds under l = d"


def _ev(verdict: str, where: str, *, claim: str = "Claim A", slack: float | None = None,
        tag: int = 0) -> dict[str, Any]:
    assumptions = {
        IN: {"r<=eta1": True, "l=d": True},
        OUT: {"r<=eta1": False, "l=d": True},
        PROOF: {"r<=eta1": True, "l=d": False},
        NAMED: {"r<=eta1": True, "l=d": False},
    }[where]
    named = {"holds_under": "l = d"} if where == NAMED else {}
    return {
        **named,
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
    # evidence only outside the stated assumptions (a map beyond the model) says where it lies,
    # and a failure there is no failure of the claim
    ([(H, OUT)], HOLDS_OUTSIDE, 0),
    ([(B, OUT)], HOLDS_OUTSIDE, 0),
    ([(NA, OUT)], "not applicable", 0),
    ([(F, OUT)], FAILS_OUTSIDE, 0),
    ([(H, OUT), (F, OUT)], FAILS_OUTSIDE, 0),
    # a proof-only condition (l=d) failing does not make the regime "outside"
    ([(F, PROOF)], "fails", 1),
    ([(H, PROOF)], "holds", 0),
    ([(H, IN), (F, IN)], "fails", 1),
    ([(B, IN), (F, IN)], "fails", 1),
    ([(NA, IN), (F, IN)], "fails", 1),
    ([(F, IN), (F, OUT)], "fails", 1),
    ([(H, IN), (F, OUT)], "holds where assumed; fails outside", 0),
    ([(B, IN), (F, OUT)], "holds where assumed; fails outside", 0),
    ([(NA, IN), (F, OUT)], "not tested where assumed; fails outside", 0),
    ([(F, OUT), (H, PROOF)], "holds where assumed; fails outside", 0),
    ([(F, OUT), (F, PROOF)], "fails", 1),
    ([(H, IN), (B, IN)], "holds", 0),
    ([(H, IN), (NA, IN)], "holds", 0),
    ([(B, IN), (NA, IN)], "holds", 0),
    ([(NA, IN), (NA, OUT)], "not applicable", 0),
    ([(NA, IN), (H, OUT)], "not tested", 0),
    ([(NA, OUT), (B, IN)], "holds", 0),
    ([(H, IN), (B, IN), (NA, IN), (H, OUT), (B, OUT), (NA, OUT)], "holds", 0),
    ([(H, IN), (B, IN), (NA, IN), (H, OUT), (B, OUT), (NA, OUT), (F, OUT)],
     "holds where assumed; fails outside", 0),
    ([(H, IN), (B, IN), (NA, IN), (H, OUT), (B, OUT), (NA, OUT), (F, OUT), (F, IN)], "fails", 1),
    # every failure inside names the missing assumption it holds under
    ([(F, NAMED)], UNDER, 1),
    ([(F, NAMED), (H, IN)], UNDER, 1),
    ([(F, OUT), (F, NAMED)], UNDER, 1),
    ([(F, NAMED), (H, NAMED)], UNDER, 1),
    ([(F, IN), (F, NAMED)], "fails", 1),  # one failure names nothing: a bare "fails"
    ([(F, PROOF), (F, NAMED)], "fails", 1),
    ([(H, NAMED), (F, OUT)], "holds where assumed; fails outside", 0),
    # a test that cannot reach its level; a claim partly tested is never "holds"
    ([(NT, IN)], "not tested", 0),
    ([(NT, IN), (H, IN)], "not tested", 0),
    ([(NT, OUT), (H, IN)], "not tested", 0),
    ([(NT, IN), (F, IN)], "fails", 1),
    ([(NT, IN), (F, OUT)], "not tested where assumed; fails outside", 0),
    ([(NT, IN), (F, NAMED)], UNDER, 1),
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
        # a checker that errs: its claims were not judged (exit status 3)
        (_result([_ev(H, IN)], error="Boom: it broke"), "error", 3),
        (_result([], error="Boom"), "error", 3),
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
def test_build_document__an_error_in_a_special_section_exits_3(special):
    ok = {"claim-a": _result([_ev(H, IN)])}
    assert _doc(ok)["exit_status"] == 0
    doc = _doc({**ok, special: SectionResult(key=special, error="Boom")})
    assert doc["exit_status"] == 3
    assert doc["special_errors"] == {special: "Boom"}
    doc = _doc({**ok, special: SectionResult(key=special, seconds=2.0)})
    assert doc["exit_status"] == 0
    assert doc["special_errors"] == {}
    assert doc["special_seconds"] == {special: 2.0}


def test_build_document__an_interrupted_section_does_not_fail_the_report():
    doc = _doc({})
    assert doc["exit_status"] == 0
    assert doc["sections"][0]["run"] is False
    assert doc["sections"][0]["error"] == ""
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
        "key": "claim-a", "title": "Claim A and B", "statement": "the section's statement",
        "location": "nowhere", "module": SECTION.module, "seconds": 1.5, "run": True,
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
