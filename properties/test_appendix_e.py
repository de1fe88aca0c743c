"""Appendix E (the second layer) inside Theorem 5.1's assumptions and on the events of Eq. 14
and Lemma 5.2; and its checker shown able to fail on broken feature maps."""

from dataclasses import replace

import numpy as np
from hypothesis import given

from properties.strategies import settings_theorem_5_1
from verify.claims.appendix_e import check_run, check_setting
from verify.claims.section_5 import run_lw_cnn, theorem_setting
from verify.evidence import Verdict
from verify.model.lw_cnn import FirstLayerResult


@given(settings_theorem_5_1())
def test_check_setting__appendix_e_holds_on_its_events(s):
    ev = check_setting(s)  # s.T2 <= 50 steps of gradient descent on the second layer
    assert all(ev.assumptions.values())
    events = ev.details["event_14"] and ev.details["lemma_5_2_event"]["both"]
    if events:
        assert ev.holds, ev.summary()
    else:
        assert ev.verdict == Verdict.NOT_APPLICABLE
        assert "Eq. 14" in ev.reason or "Lemma 5.2" in ev.reason
    # Parts that need no event hold on every run.
    for name in ("||z(x)||^2 <= 4k eta1^2 T1^2", "||Z||_F^2 <= 4 m2 k eta1^2 T1^2",
                 "eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)",
                 "L_2(a(t+1)) <= L_2(a(t)) at every step"):
        assert ev.details["parts"][name]["verdict"] in ("holds", "boundary"), ev.summary()


S = theorem_setting(4, 4, 3, 513, 40, 3, seed=13)


def _broken(run, P):
    return replace(run, first=FirstLayerResult(W=run.first.W, P=P, losses=run.first.losses))


def test_check_run__holds_on_the_unbroken_run():
    run = run_lw_cnn(S, second=False)
    assert run.events_reason() == ""
    assert check_run(run, T2=200).verdict == Verdict.HOLDS


def test_check_run__fails_when_the_lucky_filters_do_not_detect_o1():
    run = run_lw_cnn(S, second=False)
    P = run.first.P.copy()
    P[run.lucky_plus, 0] = 0.0
    ev = check_run(_broken(run, P), T2=200)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    part = ev.details["parts"]["y z(x).v* > 1 on supp D"]
    assert part["verdict"] == "fails"
    assert part["where"]["y"] == 1.0


def test_check_run__fails_when_the_features_are_too_large():
    run = run_lw_cnn(S, second=False)
    ev = check_run(_broken(run, 1e3 * run.first.P), T2=0)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    for name in ("||z(x)||^2 <= 4k eta1^2 T1^2", "||Z||_F^2 <= 4 m2 k eta1^2 T1^2"):
        assert ev.details["parts"][name]["verdict"] == "fails"


def test_check_run__fails_when_eta2_breaks_soudrys_condition():
    run = run_lw_cnn(S, second=False)
    sig2 = np.linalg.norm(run.features(run.idx2), 2) ** 2
    big = replace(run, setting=S.replace(eta2=3 * S.m2 / sig2))
    ev = check_run(big, T2=10)
    assert ev.details["parts"]["eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)"]["verdict"] == \
        "fails"
    assert ev.verdict == Verdict.FAILS
    assert ev.assumptions["eta2<8k"] is False
