"""Lemma C.2 (Appendix C) at every step and sample of S_1, inside Theorem 5.1's assumptions;
and its checker shown able to fail."""

from dataclasses import replace

from hypothesis import given

from properties.strategies import settings_theorem_5_1
from verify.claims.lemma_c2 import OutputRecorder, check_recorder, check_setting
from verify.claims.section_5 import StateLog, run_lw_cnn, theorem_setting
from verify.evidence import Verdict


@given(settings_theorem_5_1())
def test_check_setting__lemma_c2_holds_at_every_step_and_sample(s):
    ev = check_setting(s)
    assert all(ev.assumptions.values())
    assert ev.holds, ev.summary()
    # The proof's chain gives the sharper k eta1 (T1+1) <= 1/4.
    assert ev.details["proof_bound_k_eta1_T1p1"] <= 0.25 * (1 + 1e-12)


def test_check_recorder__fails_on_an_output_above_one_half():
    s = theorem_setting(3, 3, 3, 217, 20, 2, seed=2)
    log = StateLog()
    run_lw_cnn(s, recorders=[log], second=False)
    states = log.states
    N = states[1].step.N.copy()
    N[4] = -0.5000001
    states[1] = replace(states[1], step=states[1].step._replace(N=N))
    rec = OutputRecorder()
    StateLog.replay(states, [rec])
    ev = check_recorder(rec, k=s.k, eta1=s.eta1)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["|N(x)| <= 1/2"]["where"] == {"t": 1, "sample": 4}
