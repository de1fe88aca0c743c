"""Lemma 5.5 (Appendix D) at every step t >= 1, filter and position, over the whole support of
D (exactly) and over fresh dense draws, inside Theorem 5.1's assumptions; and its checker shown
able to fail."""

from dataclasses import replace

import numpy as np
from hypothesis import given

from properties.strategies import settings_theorem_5_1
from verify.claims.lemma_5_5 import ResponseRecorder, check_recorder, check_setting
from verify.claims.section_5 import StateLog, fresh_samples, run_lw_cnn, theorem_setting
from verify.evidence import Verdict


@given(settings_theorem_5_1())
def test_check_setting__lemma_5_5_holds_on_the_whole_support(s):
    ev = check_setting(s, fresh=16)
    assert all(ev.assumptions.values())
    assert ev.holds, ev.summary()
    # the support shortcut agrees with dense inputs and the dense network
    assert ev.details["dense_vs_pattern_max_gap"] <= 1e-12 * s.eta1 * (s.T1 + 1)


S = theorem_setting(4, 4, 3, 513, 20, 3, seed=5)


def _states():
    log = StateLog()
    run_lw_cnn(S, recorders=[log], second=False)
    return log.states


def test_check_recorder__fails_when_a_response_exceeds_2_eta1_t():
    states = _states()
    P = states[1].P.copy()
    P[40, 3] = 2 * S.eta1 * (1 + 1e-6)
    states[1] = replace(states[1], P=P)
    rec = ResponseRecorder(S.n, S.l)
    StateLog.replay(states, [rec])
    ev = check_recorder(rec, eta1=S.eta1)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["x[j].w_i^(t) <= 2 eta1 t"]["where"] == {
        "t": 1, "filter_pattern": [40, 3]}


def test_check_recorder__ignores_spurious_patterns_when_n_is_1():
    # With n = 1 no point of the support holds a spurious pattern, so a large response to one
    # is not a response to any x: the supremum runs over o_1 and o_2 only.
    states = _states()
    P = states[2].P.copy()
    P[3, 2] = 10 * S.eta1
    states[2] = replace(states[2], P=P)
    rec = ResponseRecorder(1, S.l)
    StateLog.replay(states, [rec])
    assert check_recorder(rec, eta1=S.eta1).verdict == Verdict.HOLDS
    rec = ResponseRecorder(2, S.l)
    StateLog.replay(states, [rec])
    assert check_recorder(rec, eta1=S.eta1).verdict == Verdict.FAILS


def test_check_recorder__fails_when_the_support_shortcut_is_wrong():
    # A filter component outside span(O) that is not orthogonal to the patterns would make the
    # pattern-coordinate maximum disagree with the dense one: the agreement part catches it.
    states = _states()
    fidx = fresh_samples(S, 30, "test")[0]
    W_perp = states[1].W_perp.copy()
    W_perp[0] += 1e-3 * states[1].patterns[int(fidx[0, 0])]
    states[1] = replace(states[1], W_perp=W_perp)
    rec = ResponseRecorder(S.n, S.l, fresh_idx=fidx)
    StateLog.replay(states, [rec])
    ev = check_recorder(rec, eta1=S.eta1)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["dense_vs_pattern_max_gap"] > 1e-6
    assert np.isfinite(ev.details["dense_fresh_max_over_eta1"]).all()
