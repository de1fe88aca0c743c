"""Unit tests of verify.claims.lemma_5_5: the patterns of the support, T1 = 0, the assumption r <=
eta1 shown needed, and the erratum."""

import numpy as np
import pytest

from verify.claims.lemma_5_5 import (
    ResponseRecorder,
    appearing_patterns,
    check_recorder,
    check_setting,
    errata,
)
from verify.claims.section_5 import theorem_setting
from verify.evidence import Verdict


def test_appearing_patterns__spurious_only_with_two_positions():
    assert appearing_patterns(1, 5).tolist() == [0, 1]
    assert appearing_patterns(2, 5).tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="n"):
        appearing_patterns(0, 3)


def test_check_setting__t1_zero_has_nothing_to_check():
    s = theorem_setting(3, 3, 2, 217, 10, 1, seed=0).replace(T1=0)
    assert check_setting(s).verdict == Verdict.NOT_APPLICABLE


def test_check_setting__fails_outside_r_le_eta1():
    # r = 3 eta1 > 2 eta1: at t = 1 a filter aligned with a pattern responds with more than
    # 2 eta1 (the proof's ||w^(1)|| <= r + eta1 <= 2 eta1 needs r <= eta1).
    s = theorem_setting(3, 3, 3, 217, 40, 1, seed=0)
    s = s.replace(r=3 * s.eta1)
    ev = check_setting(s, fresh=20)
    assert ev.assumptions == {"r<=eta1": False}
    assert ev.verdict == Verdict.FAILS


def test_check_recorder__rejects_bad_arguments():
    with pytest.raises(ValueError, match="rec"):
        check_recorder(1, eta1=0.1)
    with pytest.raises(ValueError, match="no step"):
        check_recorder(ResponseRecorder(2, 3), eta1=0.1)
    with pytest.raises(ValueError, match="fresh_idx"):
        ResponseRecorder(2, 3, fresh_idx=np.zeros(3, dtype=int))


def test_errata__j_ranges_over_positions():
    (e,) = errata(seed=0)
    assert e.kind == "typo"
    assert "n = 5, d = 4" in e.evidence
    assert "Lemma 5.5: holds" in e.evidence
