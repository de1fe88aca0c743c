"""Unit tests of verify.claims.lemma_c1 beyond the property tests: validation, and the assumption
r <= eta1 shown needed for the lemma's last inequality."""

import pytest

from verify.claims.lemma_c1 import NormRecorder, check_recorder, check_setting
from verify.claims.section_5 import theorem_setting
from verify.evidence import Verdict


def test_check_recorder__rejects_bad_arguments():
    with pytest.raises(ValueError, match="rec"):
        check_recorder(object(), eta1=0.1, r=0.01)
    with pytest.raises(ValueError, match="no step"):
        check_recorder(NormRecorder(), eta1=0.1, r=0.01)
    with pytest.raises(ValueError, match="eta1"):
        check_recorder(NormRecorder(), eta1=-1.0, r=0.01)


def test_check_setting__fails_outside_r_le_eta1():
    # Smallest case: T1 = 1 and r = 2 eta1 already breaks r + eta1 t <= eta1 (t+1) at t = 0.
    s = theorem_setting(3, 3, 1, 217, 4, 1, seed=0)
    s = s.replace(r=2 * s.eta1)
    ev = check_setting(s)
    assert ev.assumptions == {"r<=eta1": False}
    assert ev.verdict == Verdict.FAILS
    assert ev.details["parts"]["r + eta1 t <= eta1 (t+1)"]["verdict"] == "fails"
    # ... while the gradient bound and ||w|| <= r + eta1 t still hold.
    assert ev.details["parts"]["||dL1/dw_i|| <= 1"]["verdict"] == "holds"
    assert ev.details["parts"]["||w_i^(t)|| <= r + eta1 t"]["verdict"] in ("holds", "boundary")
