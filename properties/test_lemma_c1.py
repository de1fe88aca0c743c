"""Lemma C.1 (Appendix C) at every step and filter, inside Theorem 5.1's assumptions; and its
checker shown able to fail."""

from dataclasses import replace

import numpy as np
from hypothesis import given

from properties.strategies import settings_theorem_5_1
from verify.claims.lemma_c1 import NormRecorder, check_recorder, check_setting
from verify.claims.section_5 import StateLog, run_lw_cnn, theorem_setting
from verify.evidence import Verdict


@given(settings_theorem_5_1())
def test_check_setting__lemma_c1_holds_at_every_step_and_filter(s):
    ev = check_setting(s)
    assert all(ev.assumptions.values())
    assert ev.holds, ev.summary()
    assert len(ev.details["per_step"]["t"]) == s.T1 + 1


def _states(s):
    log = StateLog()
    run_lw_cnn(s, recorders=[log], second=False)
    return log.states


def test_check_recorder__fails_on_a_gradient_norm_above_one():
    s = theorem_setting(3, 3, 3, 217, 20, 3, seed=1)
    states = _states(s)
    g = states[2].grad_norms.copy()
    g[7] = 1.0 + 1e-6
    states[2] = replace(states[2], grad_norms=g)
    rec = NormRecorder()
    StateLog.replay(states, [rec])
    ev = check_recorder(rec, eta1=s.eta1, r=s.r)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["||dL1/dw_i|| <= 1"]["where"] == {"t": 2, "filter": 7}


def test_check_recorder__fails_on_a_filter_longer_than_r_plus_eta1_t():
    s = theorem_setting(3, 3, 3, 217, 20, 3, seed=1)
    states = _states(s)
    w = states[3].w_norms.copy()
    w[11] = s.r + 3 * s.eta1 * (1 + 1e-9)  # just above r + eta1 t at t = 3
    states[3] = replace(states[3], w_norms=w)
    rec = NormRecorder()
    StateLog.replay(states, [rec])
    ev = check_recorder(rec, eta1=s.eta1, r=s.r)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    part = ev.details["parts"]["||w_i^(t)|| <= r + eta1 t"]
    assert part["where"] == {"t": 3, "filter": 11}
    assert np.isclose(part["slack"], -3e-9, rtol=1e-3)
