"""Unit tests of verify.claims.section_5: the LW_CNN run record, its random streams, and the checker
helpers (StepWorst, Part, combine, lemma_5_2_event, regimes)."""

import math

import numpy as np
import pytest

from verify.claims.section_5 import (
    Part,
    StateLog,
    StepWorst,
    combine,
    fresh_samples,
    lemma_5_2_event,
    regimes,
    run_lw_cnn,
    theorem_setting,
)
from verify.evidence import Verdict
from verify.model.assumptions import THEOREM_5_1, holds_all
from verify.model.distribution import sample
from verify.model.initialisation import initialise
from verify.model.lw_cnn import first_layer
from verify.model.patterns import haar_patterns
from verify.model.setting import Setting
from verify.rng import generator

S = theorem_setting(3, 3, 3, 217, 21, 2, seed=7, T2=4)


def test_run_lw_cnn__draws_from_the_named_streams():
    run = run_lw_cnn(S)
    O = haar_patterns(S.d, S.l, generator(S.seed, "patterns"))
    W0, a0 = initialise(S.k, S.d, S.r, generator(S.seed, "init"))
    idx, y = sample(S.n, S.l, S.m, generator(S.seed, "train"))
    assert np.array_equal(run.patterns, O)
    assert np.array_equal(run.W0, W0)
    assert np.array_equal(run.a0, a0)
    assert np.array_equal(run.idx, idx)
    assert np.array_equal(run.y, y)
    first = first_layer(W0, a0, O, idx[:11], y[:11], eta1=S.eta1, T1=S.T1)
    assert np.array_equal(run.first.P, first.P)


def test_run_lw_cnn__is_reproducible_bit_for_bit_and_seed_dependent():
    a, b = run_lw_cnn(S), run_lw_cnn(S)
    assert np.array_equal(a.first.P, b.first.P)
    assert np.array_equal(a.second.a, b.second.a)
    c = run_lw_cnn(S.replace(seed=8))
    assert not np.array_equal(a.W0, c.W0)


def test_run_lw_cnn__splits_s1_and_s2_as_section_3():
    run = run_lw_cnn(S)
    assert run.idx1.shape == (11, 3)
    assert run.idx2.shape == (10, 3)
    assert np.array_equal(np.concatenate([run.y1, run.y2]), run.y)
    assert run.second.losses.shape == (S.T2 + 1,)
    assert run_lw_cnn(S, second=False).second is None


def test_run_lw_cnn__standard_patterns_are_the_basis():
    run = run_lw_cnn(S, patterns="standard")
    assert np.array_equal(run.patterns, np.eye(3))
    assert np.allclose(run.P0, run.W0, rtol=0, atol=0)


def test_run_lw_cnn__calls_recorders_at_every_step():
    log = StateLog()
    run_lw_cnn(S, recorders=[log], second=False)
    assert [st.t for st in log.states] == [0, 1, 2]
    assert not np.array_equal(log.states[0].P, log.states[2].P)


def test_run_lw_cnn__rejects_bad_arguments():
    with pytest.raises(ValueError, match="setting"):
        run_lw_cnn({"d": 3})
    with pytest.raises(ValueError, match="patterns"):
        run_lw_cnn(S, patterns="random")
    with pytest.raises(ValueError, match="record_every"):
        run_lw_cnn(S, record_every=0)


def test_run__lucky_masks_and_events():
    run = run_lw_cnn(S, second=False)
    plus, minus = run.lucky_plus, run.lucky_minus
    assert not np.any(plus & minus)
    assert np.all(run.a0[plus] == 1)
    assert np.all(run.a0[minus] == -1)
    assert run.lucky_counts == (int(plus.sum()), int(minus.sum()))
    assert run.lucky_event == lemma_5_2_event(S.d, S.k, *run.lucky_counts)
    assert run.features(run.idx2).shape == (10, S.k)


def test_run__events_reason_names_the_failed_event():
    s = S.replace(m=2)  # m1 = 1: Eq. 14 cannot hold
    run = run_lw_cnn(s, second=False)
    assert not run.balanced
    assert "Eq. 14" in run.events_reason()


def test_fresh_samples__are_independent_of_the_training_set_and_keyed():
    a = fresh_samples(S, 50, "x")
    b = fresh_samples(S, 50, "x")
    c = fresh_samples(S, 50, "y")
    assert np.array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])
    train = sample(S.n, S.l, 50, generator(S.seed, "train"))
    assert not np.array_equal(a[0], train[0])
    with pytest.raises(ValueError, match="count"):
        fresh_samples(S, 0)


def test_lemma_5_2_event__uses_exact_integer_bounds():
    # k = 24, d = 3: k/(4d) = 2 and k/d = 8 exactly; both ends are inside.
    assert lemma_5_2_event(3, 24, 2, 8) == {"lower": True, "upper": True, "both": True}
    assert lemma_5_2_event(3, 24, 1, 8)["lower"] is False
    assert lemma_5_2_event(3, 24, 2, 9) == {"lower": True, "upper": False, "both": False}
    with pytest.raises(ValueError, match="n_plus"):
        lemma_5_2_event(3, 24, 25, 0)


def test_step_worst__keeps_the_worst_value_and_where_per_step():
    sw = StepWorst("max")
    sw.add(0, np.array([1.0, 3.0, 2.0]))
    sw.add(1, np.array([0.5, 4.0]), where=["a", "b"])
    sw.add(2, np.empty(0))
    assert sw.value[:2] == [3.0, 4.0]
    assert math.isnan(sw.value[2])
    assert sw.where[:2] == [1, "b"]
    assert sw.worst() == (4.0, 1, "b")
    lo = StepWorst("min")
    lo.add(0, np.array([[2.0, -1.0]]))
    assert lo.worst() == (-1.0, 0, 1)
    assert StepWorst("min").worst()[1] is None
    with pytest.raises(ValueError, match="kind"):
        StepWorst("mean")


def test_part__slack_in_its_unit_and_verdict():
    up = Part("x <= 2", 1.0, 2.0, True, scale=0.5, tolerance=1e-12)
    assert up.slack == 2.0
    assert up.verdict == Verdict.HOLDS
    lo = Part("x >= 2", 1.0, 2.0, False)
    assert lo.slack == -1.0
    assert lo.verdict == Verdict.FAILS
    edge = Part("x <= 2", 2.0 + 1e-15, 2.0, True, tolerance=1e-12)
    assert edge.verdict == Verdict.BOUNDARY
    assert Part("nan", math.nan, 1.0, True).verdict == Verdict.FAILS
    assert Part("forced", 0.0, 1.0, True, verdict_override=Verdict.FAILS).verdict == Verdict.FAILS


def test_combine__worst_part_decides_and_headline_is_the_first_part():
    ok = Part("main", 1.0, 2.0, True)
    tight = Part("step", 1.0, 1.1, True)
    ev = combine("C", "s", [ok, tight], params={"seed": 0}, assumptions={}, reproduce="r")
    assert ev.verdict == Verdict.HOLDS
    assert ev.observed == 1.0
    assert ev.bound == 2.0
    bad = Part("bad", 3.0, 1.0, True, where={"t": 4})
    ev = combine("C", "s", [ok, bad], params={}, assumptions={"A": False}, reproduce="")
    assert ev.verdict == Verdict.FAILS
    assert ev.bound == 1.0
    assert "bad" in ev.reason
    assert "fails: A" in ev.reason
    assert set(ev.details["parts"]) == {"main", "bad"}


def test_combine__skipped_parts_and_failed_events():
    skipped = Part("skip", 3.0, 1.0, True, applicable=False, reason="event E fails")
    ev = combine("C", "s", [Part("main", 1.0, 2.0, True), skipped], params={}, assumptions={},
                 reproduce="")
    assert ev.verdict == Verdict.HOLDS
    assert "event E fails" in ev.reason
    assert "evaluated anyway: fails" in ev.reason
    ev = combine("C", "s", [Part("main", 3.0, 2.0, True)], params={}, assumptions={},
                 reproduce="", not_applicable="Eq. 14 fails")
    assert ev.verdict == Verdict.NOT_APPLICABLE
    assert ev.reason.startswith("Eq. 14 fails; evaluated anyway: main: fails")


@pytest.mark.parametrize("profile", ["quick", "standard", "thorough"])
def test_regimes__are_inside_theorem_5_1(profile):
    out = regimes(profile, 3)
    assert out
    assert all(isinstance(s, Setting) for s in out)
    assert all(holds_all(s, THEOREM_5_1) for s in out)
    with pytest.raises(ValueError, match="profile"):
        regimes("fast", 0)


def test_theorem_setting__takes_the_largest_steps_by_default():
    s = theorem_setting(3, 3, 2, 217, 10, 1, seed=0)
    assert s.eta1 == 1 / (4 * 217 * 2)
    assert s.r == s.eta1 / 200
    assert s.eta2 < 8 * 217
