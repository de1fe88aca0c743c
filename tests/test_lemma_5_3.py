"""Unit tests of verify.claims.lemma_5_3: conditioning on Eq. 14, vacuous runs, validation."""

import numpy as np
import pytest

from verify.claims.lemma_5_3 import LuckyRecorder, check_both, check_recorder, errata
from verify.claims.section_5 import run_lw_cnn, theorem_setting
from verify.evidence import Verdict

from .spec_checks import assert_readable


def test_check_both__is_not_applicable_when_eq_14_fails():
    s = theorem_setting(3, 3, 2, 217, 2, 2, seed=0)  # m1 = 1: Eq. 14 cannot hold
    for ev in check_both(s):
        assert ev.verdict == Verdict.NOT_APPLICABLE
        assert ev.reason.startswith("the event of Eq. 14")
        assert "evaluated anyway" in ev.reason


def test_check_recorder__is_not_applicable_without_lucky_filters():
    s = theorem_setting(3, 3, 2, 217, 30, 2, seed=0)
    rec = LuckyRecorder(1, mask=np.zeros(s.k, dtype=bool))
    run = run_lw_cnn(s, recorders=[rec], second=False)
    ev = check_recorder(rec, eta1=s.eta1, r=s.r, balanced=run.balanced)
    assert ev.verdict == Verdict.NOT_APPLICABLE
    assert "vacuous" in ev.reason


def test_lucky_recorder__rejects_bad_arguments():
    with pytest.raises(ValueError, match="sign"):
        LuckyRecorder(0)
    with pytest.raises(ValueError, match="rec"):
        check_recorder("x", eta1=0.1, r=0.001, balanced=True)
    with pytest.raises(ValueError, match="no step"):
        check_recorder(LuckyRecorder(1), eta1=0.1, r=0.001, balanced=True)


def test_errata__item_1_reads_t_eta1_over_9():
    (e,) = errata(seed=0)
    assert e.kind == "typo"
    assert "Lemma 5.3: holds" in e.evidence


def _outside(**changes):
    s = theorem_setting(3, 3, 4, 217, 40, 3, seed=0)
    return check_both(s.replace(**{k: v * s.eta1 for k, v in changes.items()}))


def test_check_both__survives_r_far_above_eta1_over_200():
    # The order of the projections at t = 0 is kept (o_own.w_i never decreases, o_j.w_i never
    # increases), so item 3 needs no r < eta1/9: the assumption r <= eta1/200 is not needed here.
    for ev in _outside(r=2.0):
        assert ev.assumptions["r<=eta1/200"] is False
        assert ev.verdict == Verdict.HOLDS, ev.summary()


def test_check_both__item_1_fails_with_eta1_1000_times_too_large():
    lemma, _ = _outside(eta1=1000.0)
    assert lemma.assumptions["eta1<=1/(4k(T1+1))"] is False
    assert lemma.verdict == Verdict.FAILS
    assert lemma.details["parts"]["o1.w_i^(t) >= t eta1/9"]["verdict"] == "fails"


def test_check_both__plot_draws_t_over_9_as_the_bound_and_labels_its_axes():
    for ev in check_both(theorem_setting(3, 3, 4, 217, 40, 3, seed=0)):
        spec = ev.details["plot"]
        assert_readable(spec, bound="t / 9", xlabel="t", ylabel="units of eta1", spread=False)
        observed, bound = spec["series"]
        assert bound["style"] == "bound"
        assert bound["y"] == [t / 9 for t in bound["x"]]
        assert observed["x"] == bound["x"]
