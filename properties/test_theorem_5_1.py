"""Theorem 5.1 part (1) end to end inside its assumptions and on its events; part (2)'s
evidence is computed; and the checker shown able to fail."""

from dataclasses import replace

import numpy as np
from hypothesis import given

from properties.strategies import settings_theorem_5_1
from verify.claims.section_5 import run_lw_cnn, theorem_setting
from verify.claims.theorem_5_1 import check_run, check_setting
from verify.evidence import Verdict


@given(settings_theorem_5_1())
def test_check_setting__part_1_holds_on_the_events(s):
    ev = check_setting(s, fresh=200)
    assert all(ev.assumptions.values())
    events = ev.details["events"]["event_14"] and ev.details["events"]["lemma_5_2"]["both"]
    if events:
        assert ev.holds, ev.summary()
        p2 = ev.details["part_2"]
        assert 0.0 <= p2["support_error_limit_a_hat"] <= 1.0
        assert p2["q_a_hat"] <= 51200 * s.d
    else:
        assert ev.verdict == Verdict.NOT_APPLICABLE


def test_check_run__fails_when_s2_is_not_separable():
    s = theorem_setting(3, 3, 2, 217, 20, 2, seed=6)
    run = run_lw_cnn(s, second=False)
    assert run.events_reason() == ""
    idx, y = run.idx.copy(), run.y.copy()
    m1 = s.m1
    idx[m1 + 1] = idx[m1]  # the same point twice in S_2 ...
    y[m1 + 1] = -y[m1]  # ... with opposite labels
    ev = check_run(replace(run, idx=idx, y=y), T2=50, fresh=100)
    part = ev.details["parts"][
        "S_2 separable by z: min_i y_i z_i.a_hat / (||a_hat|| max_i ||z_i||) > 0"]
    assert part["verdict"] == "fails"
    assert ev.verdict == Verdict.FAILS
    assert not np.isfinite(part["observed"])
