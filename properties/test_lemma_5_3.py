"""Lemma 5.3 and Corollary 5.4 at every step, lucky filter and sample, inside Theorem 5.1's
assumptions and on the event of Eq. 14; and their checker shown able to fail."""

from dataclasses import replace

import numpy as np
from hypothesis import given

from properties.strategies import settings_theorem_5_1
from verify.claims.lemma_5_3 import LuckyRecorder, check_both, check_recorder
from verify.claims.section_5 import StateLog, run_lw_cnn, theorem_setting
from verify.evidence import Verdict


@given(settings_theorem_5_1())
def test_check_both__lemma_5_3_and_corollary_5_4_hold_on_eq_14(s):
    lemma, corollary = check_both(s)
    for ev in (lemma, corollary):
        assert all(ev.assumptions.values())
        if ev.details["event_14"]:
            assert ev.holds, ev.summary()
        else:
            assert ev.verdict == Verdict.NOT_APPLICABLE
            assert "Eq. 14" in ev.reason


def _logged(s):
    log = StateLog()
    run = run_lw_cnn(s, recorders=[log], second=False)
    assert run.balanced
    return run, log.states


S = theorem_setting(3, 3, 3, 217, 30, 4, seed=3)


def _check(states, sign, s=S):
    rec = LuckyRecorder(sign)
    StateLog.replay(states, [rec])
    return check_recorder(rec, eta1=s.eta1, r=s.r, balanced=True)


def test_check_recorder__holds_on_the_unedited_trajectory():
    _, states = _logged(S)
    assert _check(states, 1).verdict == Verdict.HOLDS
    assert _check(states, -1).verdict == Verdict.HOLDS


def test_check_recorder__fails_when_a_lucky_filter_grows_too_slowly():
    run, states = _logged(S)
    i = int(np.flatnonzero(run.lucky_plus)[0])
    t = 3
    P = states[t].P.copy()
    P[i, 0] = t * S.eta1 / 9 * (1 - 1e-6)
    states[t] = replace(states[t], P=P)
    ev = _check(states, 1)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["o1.w_i^(t) >= t eta1/9"]["where"] == {"t": t, "filter": i}


def test_check_recorder__fails_when_a_lucky_filter_leans_on_another_pattern():
    run, states = _logged(S)
    i = int(np.flatnonzero(run.lucky_minus)[0])
    P = states[2].P.copy()
    P[i, 2] = S.r * (1 + 1e-6)
    states[2] = replace(states[2], P=P)
    ev = _check(states, -1)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["o_j.w_i^(t) <= r (j != own)"]["where"]["filter_pattern"] == [i, 2]


def test_check_recorder__fails_on_a_wrong_active_pattern():
    run, states = _logged(S)
    i = int(np.flatnonzero(run.lucky_plus)[0])
    sample = int(np.flatnonzero(run.y1 > 0)[0])
    top = states[1].step.top.copy()
    top[sample, i] = 2
    states[1] = replace(states[1], step=states[1].step._replace(top=top))
    ev = _check(states, 1)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    part = ev.details["parts"]["p_i^(t)(x) = o1 on S1 (detection margin >= 0)"]
    assert part["mismatched_pairs_total"] == 1
    assert part["first_mismatch"] == {"t": 1, "sample": sample, "filter": i, "top": 2}
