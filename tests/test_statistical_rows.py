"""Statistical Monte Carlo rows of Lemma 5.2 and Eq. 14: the decision table of
:mod:`verify.claims._statistical_rows`, and the effect as slack (a 2x discrepancy reads as an
effect of the size of the claimed rate, never as a near miss of a p-value)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verify.claims import event_14
from verify.claims._statistical_rows import equality_decision, failure_rate_decision
from verify.claims.lemma_5_2 import check_lemma_5_2, check_lucky_probability
from verify.claims.lemma_5_2.exact import lucky_probability, paper_lucky_probability
from verify.evidence import Strength, Verdict

ALPHA = 1e-9


@pytest.mark.parametrize(("failures", "trials", "bound", "status"), [
    (0, 100, 0.2, "demonstrated"),  # lower bound 0.05 ** (1/100) = 0.9705 >= 0.8
    (0, 14, 0.2, "demonstrated"),  # 0.05 ** (1/14) = 0.8073 >= 0.8
    (0, 13, 0.2, "undecided"),  # 0.05 ** (1/13) = 0.7944 < 0.8
    (60, 100, 0.2, "refuted"),
    (20, 100, 0.2, "undecided"),  # exactly at the bound: neither
    (0, 10, 1.0, "vacuous"),  # bound >= 1: the claimed success probability is 0
    (5, 10, 4.0, "vacuous"),
])
def test_failure_rate_decision__table(failures, trials, bound, status):
    dec = failure_rate_decision(failures, trials, bound, ALPHA)
    assert dec.status == status
    assert dec.effect == pytest.approx((1 - failures / trials) - (1 - min(bound, 1.0)))


def test_failure_rate_decision__refutation_at_the_level_only():
    # 60/100 vs 0.2: p ~ 1e-17, rejected at 1e-9; 32/100 vs 0.2: p ~ 3e-3, not rejected
    assert failure_rate_decision(32, 100, 0.2, ALPHA).status == "undecided"
    assert failure_rate_decision(32, 100, 0.2, 0.01).status == "refuted"


def test_failure_rate_decision__arguments():
    with pytest.raises(ValueError, match="failure_bound"):
        failure_rate_decision(0, 10, -0.1, ALPHA)
    with pytest.raises(ValueError, match="failures"):
        failure_rate_decision(11, 10, 0.1, ALPHA)
    with pytest.raises(ValueError, match="alpha"):
        failure_rate_decision(0, 10, 0.1, 0.0)


def test_equality_decision__refuted_iff_rejected_never_demonstrated():
    kw = {"p_value": 0.5, "alpha": ALPHA, "power": 0.3, "alternative": "rate 0.2"}
    assert equality_decision(10, 100, 0.1, rejected=False, **kw)["status"] == "undecided"
    d = equality_decision(10, 100, 0.1, rejected=True, **kw)
    assert d["status"] == "refuted"
    assert (d["level"], d["power"], d["alternative"]) == (ALPHA, 0.3, "rate 0.2")
    assert d["effect"] == pytest.approx(0.0)
    lo, hi = d["effect_interval"]
    assert lo < 0 < hi
    with pytest.raises(ValueError, match="alternative"):
        equality_decision(10, 100, 0.1, rejected=False, **{**kw, "alternative": ""})
    with pytest.raises(ValueError, match="power"):
        equality_decision(10, 100, 0.1, rejected=False, **{**kw, "power": 2.0})


def test_per_filter__the_2x_discrepancy_reads_as_an_effect_of_plus_0_09():
    ev = check_lucky_probability(6, 3, 1729, trials=100, seed=0, formula="paper")
    assert ev.verdict is Verdict.FAILS
    assert ev.strength is Strength.STATISTICAL
    assert ev.slack_kind == "effect"
    # q_3 = 0.1875 observed against the paper's q_6 = 0.0969
    assert lucky_probability(3) - paper_lucky_probability(6) == pytest.approx(0.0906, abs=1e-4)
    assert ev.details["effect"] == pytest.approx(0.09, abs=0.01)
    assert ev.slack == -ev.details["effect"]  # minus the size of the gap: the worst row
    assert ev.details["decision"]["status"] == "refuted"
    assert ev.details["p_value"] < ALPHA
    assert ev.details["decision"]["power"] > 0.99
    lo, hi = ev.details["effect_interval"]
    assert 0.05 < lo <= ev.details["effect"] <= hi
    corrected = check_lucky_probability(6, 3, 1729, trials=100, seed=0, formula="l")
    assert corrected.details["decision"]["status"] == "undecided"
    assert corrected.slack == pytest.approx(0.0, abs=0.01)
    assert corrected.slack <= 0  # an equality never has room to spare
    assert corrected.slack > ev.slack
    assert corrected.details["decision"]["power"] > 0.99  # against the paper's 0.097
    assert "0.096875" in corrected.details["decision"]["alternative"]


def _counts(plus, minus):
    def sampler(d, l, k, trials, seed):
        return np.full(trials, plus, dtype=np.int64), np.full(trials, minus, dtype=np.int64)
    return sampler


def test_lemma_5_2_monte_carlo__statistical_row_with_the_effect():
    # d = 3, k = 216: the interval [k/(4d), k/d] = [18, 72]; counts 30 always succeed
    ok = check_lemma_5_2(3, 3, 216, trials=100, seed=0, sampler=_counts(30, 30))
    assert ok.strength is Strength.STATISTICAL
    assert ok.slack_kind == "effect"
    assert ok.details["decision"]["status"] == "demonstrated"
    assert ok.slack == pytest.approx(4 * math.exp(-3))  # failure rate 0: effect = 4e^-3
    bad = check_lemma_5_2(3, 3, 216, trials=100, seed=0, sampler=_counts(10, 30))
    assert bad.verdict is Verdict.FAILS
    assert bad.details["decision"]["status"] == "refuted"
    assert bad.slack == pytest.approx(4 * math.exp(-3) - 1.0)
    assert bad.details["p_value"] == bad.details["claim_test"]["p_value"]


def _labels(positives):
    def sampler(n, l, m, rng):
        y = np.array([1] * positives + [-1] * (m - positives))
        return np.zeros(m, dtype=np.int64), y
    return sampler


def test_event_14__statistical_row_vacuous_below_m_50():
    assert event_14.claimed_bound(event_14.NONVACUOUS_FROM_M) < 1
    assert event_14.claimed_bound(event_14.NONVACUOUS_FROM_M - 1) >= 1
    vac = event_14.check_event_14(2, trials=200, seed=0)
    assert vac.strength is Strength.VACUOUS
    assert vac.details["decision"]["status"] == "vacuous"
    assert vac.details["nonvacuous_from"].startswith("m >= 50")
    ev = event_14.check_event_14(100, trials=2000, seed=0)
    assert ev.strength is Strength.STATISTICAL
    assert ev.slack_kind == "effect"
    dec = ev.details["decision"]
    assert dec["status"] in ("demonstrated", "undecided")
    assert ev.slack == pytest.approx(event_14.claimed_bound(100) - ev.observed)
    assert ev.details["p_value"] == ev.details["claim_test"]["p_value"]
