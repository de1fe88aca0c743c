"""How the Summary aggregates evidence into one verdict per claim: missing
assumptions (``Evidence.holds_under``) and claims that no regime could test."""

from __future__ import annotations

from verify.evidence import Evidence, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.report.document import claim_summary, fails_verdict, is_failure
from verify.report.markdown import icon
from verify.report.runner import SectionResult


def _ev(verdict: Verdict, *, stated: bool = True, proof_only: bool | None = None,
        holds_under: str = "", tested: bool | None = None) -> dict:
    assumptions = {"k>=8d^3": stated}
    if proof_only is not None:
        assumptions["l=d"] = proof_only
    details = {} if tested is None else {"tested": tested}
    return Evidence("C", "s", verdict, 1.0, 0.0, -1.0 if verdict is Verdict.FAILS else 1.0,
                    assumptions=assumptions, details=details,
                    holds_under=holds_under).as_dict()


_SECTION = ClaimDeclaration(key="c", title="C", names=("C",), statement="s", location="here",
                            assumptions=(), checkers=(), report_checks=lambda p, s: [])


def _verdict(*evs: dict) -> str:
    return claim_summary(_SECTION, SectionResult(key="c", evidence=list(evs)))[0]["verdict"]


def test_evidence__holds_under_defaults_to_empty_and_is_serialised():
    ev = Evidence("C", "s", Verdict.HOLDS, 0.0, 1.0, 1.0)
    assert ev.holds_under == ""
    assert _ev(Verdict.FAILS, holds_under="l = d")["holds_under"] == "l = d"


def test_claim_summary__failures_outside_a_named_missing_assumption_hold_under_it():
    v = _verdict(_ev(Verdict.HOLDS, proof_only=True),
                 _ev(Verdict.FAILS, proof_only=False, holds_under="l = d"))
    assert v == "fails as stated; holds under l = d"
    assert is_failure(v)


def test_claim_summary__one_failure_without_a_condition_makes_it_a_plain_failure():
    v = _verdict(_ev(Verdict.FAILS, proof_only=False, holds_under="l = d"),
                 _ev(Verdict.FAILS, proof_only=True))
    assert v == "fails"


def test_claim_summary__outside_stated_assumptions_is_unchanged_by_holds_under():
    v = _verdict(_ev(Verdict.HOLDS), _ev(Verdict.FAILS, stated=False, holds_under="l = d"))
    assert v == "holds where assumed; fails outside"
    assert not is_failure(v)


def test_fails_verdict__joins_distinct_conditions_in_order():
    evs = [{"holds_under": "a"}, {"holds_under": "b"}, {"holds_under": "a"}]
    assert fails_verdict(evs) == "fails as stated; holds under a and b"
    assert fails_verdict([{"holds_under": "a"}, {}]) == "fails"


def test_claim_summary__untested_claims_say_not_tested():
    assert _verdict(_ev(Verdict.NOT_APPLICABLE, tested=False)) == "not tested"
    assert _verdict(_ev(Verdict.NOT_APPLICABLE, tested=False),
                    _ev(Verdict.NOT_APPLICABLE)) == "not applicable"
    assert _verdict(_ev(Verdict.NOT_APPLICABLE, tested=False), _ev(Verdict.HOLDS)) == "holds"


def test_icon__shows_both_halves_of_a_missing_assumption_verdict():
    assert icon("fails as stated; holds under l = d") == \
        "❌ fails as stated; ✅ holds under l = d"
    assert icon("holds") == "✅ holds"
    assert icon("not tested") == "❔ not tested"
    assert icon("fails") == "❌ fails"
