"""Unit tests of verify.claims.lemma_c2: validation, the erratum (the 1/2 is loose), and the
step-size assumption shown needed."""

import pytest

from verify.claims.lemma_c2 import OutputRecorder, check_recorder, check_setting, errata
from verify.claims.section_5 import theorem_setting
from verify.evidence import Verdict


def test_check_recorder__rejects_bad_arguments():
    with pytest.raises(ValueError, match="rec"):
        check_recorder(None, k=10, eta1=0.1)
    with pytest.raises(ValueError, match="k"):
        check_recorder(OutputRecorder(), k=0, eta1=0.1)
    with pytest.raises(ValueError, match="no step"):
        check_recorder(OutputRecorder(), k=10, eta1=0.1)


def test_check_setting__fails_with_eta1_far_above_1_over_4k_t1_plus_1():
    s = theorem_setting(4, 4, 5, 513, 60, 10, seed=0)
    s = s.replace(eta1=400 * s.eta1, r=2 * s.eta1)
    ev = check_setting(s)
    assert ev.assumptions["eta1<=1/(4k(T1+1))"] is False
    assert ev.verdict == Verdict.FAILS
    assert ev.details["parts"]["|N(x)| <= 1/2"]["verdict"] == "fails"


def test_errata__reports_the_loose_bound_from_a_run():
    (e,) = errata(seed=0)
    assert e.kind == "loose"
    assert "Lemma C.2: holds" in e.evidence
    assert "max|N| / (k eta1 (T1+1))" in e.evidence
