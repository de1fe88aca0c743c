"""Tests of verify.claims.errata: the quotes are the paper's text, CLAIMS.md's typos are all there,
and every false proof-algebra check becomes an erratum."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verify.claims.errata import TEXT, algebra_errata, missing_quotes, text_errata
from verify.claims.proof_algebra import ERRATUM_KINDS, AlgebraCheck, algebra_checks
from verify.evidence._algebra import FALSE, PROVED, Outcome

SHARED = Path(__file__).resolve().parents[2] / "shared"
PAPER = SHARED / "paper" / "max-pooling-networks.md"
CLAIMS = SHARED / "CLAIMS.md"


@pytest.fixture(scope="module")
def paper() -> str:
    if not PAPER.is_file():
        pytest.skip(f"the paper's text is not at {PAPER} (shared/ beside the repository)")
    return PAPER.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def errata() -> list:
    return text_errata()


def test_text__every_quote_is_in_the_paper(paper):
    for e in TEXT:
        assert e.quote in paper, e.location
        for s in e.support:
            assert s in paper, (e.location, s)
    assert missing_quotes(paper) == []


def test_text__claims_typo_list_is_covered():
    if not CLAIMS.is_file():
        pytest.skip(f"CLAIMS.md is not at {CLAIMS} (shared/ beside the repository)")
    text = CLAIMS.read_text(encoding="utf-8")
    section = text.split("## Typos in the text", 1)[1]
    listed = set(re.findall(r"(?:reads|says|writes) `([^`]+)`", section))
    assert len(listed) == 6
    assert {e.claims_says for e in TEXT if e.claims_says} == listed


def test_text_errata__kinds_and_fields(errata):
    for e in errata:
        assert e.kind in ERRATUM_KINDS
        for field in (e.location, e.text_says, e.what_is_true, e.evidence, e.found_by):
            assert field.strip(), e


def test_text_errata__every_text_entry_is_reported_with_its_quote(errata):
    for t in TEXT:
        assert any(t.quote in e.text_says and e.location == t.location for e in errata)


def test_text_errata__false_algebra_checks_appear(errata):
    cited = {t.check_id for t in TEXT if t.check_id}
    for c in algebra_checks():
        reported = [e for e in errata if f"check {c.id})" in e.found_by]
        if c.status == FALSE and c.id not in cited:
            assert len(reported) == 1, c.id
            assert reported[0].text_says == c.statement
            assert reported[0].kind == c.kind
            assert c.detail in reported[0].evidence
        else:
            assert reported == [], c.id
    # The check behind the Eq. 14 typo is false and is cited by it, not reported twice.
    eq14 = next(e for e in errata if e.location == "Appendix C, Eq. 14")
    assert "check C.6" in eq14.evidence
    assert "false by exact counterexample" in eq14.evidence


def test_text_errata__known_algebra_errata(errata):
    found = {e.found_by for e in errata}
    assert "verify.claims.proof_algebra (check B.4)" in found
    assert "verify.claims.proof_algebra (check B.9)" in found
    assert "verify.claims.proof_algebra (check S.2)" in found


def _check(status: str, kind: str = "false-step") -> AlgebraCheck:
    return AlgebraCheck("X.1", "Nowhere", "1 <= 0", Outcome(status, "exact counterexample",
                                                             "1 > 0"), note="0 <= 1", kind=kind)


def test_algebra_errata__false_check_gives_erratum_proved_does_not():
    out = algebra_errata([_check(FALSE)])
    assert len(out) == 1
    assert out[0].text_says == "1 <= 0"
    assert out[0].what_is_true == "0 <= 1"
    assert algebra_errata([_check(PROVED)]) == []
    assert algebra_errata([_check(FALSE)], skip=["X.1"]) == []


def test_algebra_errata__rejects_bad_input():
    with pytest.raises(ValueError, match="checks must hold"):
        algebra_errata(["B.1"])
    with pytest.raises(ValueError, match="has kind"):
        algebra_errata([_check(FALSE, kind="oops")])


def test_missing_quotes__reports_absent_quotes():
    assert len(missing_quotes("")) == sum(1 + len(e.support) for e in TEXT)
    with pytest.raises(ValueError, match="paper_text must be a str"):
        missing_quotes(None)
