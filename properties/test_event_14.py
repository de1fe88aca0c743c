"""Property tests of the event of Eq. 14 (proof of Lemma C.3): ``|S_1+|, |S_1-| >= m_1/3`` with
probability at least ``1 - 4e^{-m/36}``, for every ``m``, ``n`` and ``l``.

The exact probability (``|S_1+| ~ Bin(m_1, 1/2)``) is checked against brute-force enumeration
and against the claimed ``4e^{-m/36}`` and Hoeffding's ``2e^{-m/36}``; the Monte Carlo through
:func:`verify.model.distribution.sample` is checked against both (which also checks the sampler).
Statistical decisions: exact tests at ``ALPHA = 1e-9``, at most 25 x 2 + 3 per ``ci`` run; the
suite's budget is stated in ``properties/test_lemma_5_2.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sst

from properties.strategies import seeds
from verify.claims.event_14 import (
    ALPHA,
    check_event_14,
    check_event_14_exact,
    claimed_bound,
    exact_failure_probability,
    exact_failure_probability_by_enumeration,
    hoeffding_bound,
)
from verify.evidence import Verdict
from verify.evidence.stats import rejection_probability, two_sided_rejection_probability
from verify.model.distribution import sample


@pytest.mark.parametrize("m", range(1, 27))
def test_exact_failure_probability__equals_enumeration_of_every_labelling(m):
    assert exact_failure_probability(m) == pytest.approx(
        exact_failure_probability_by_enumeration(m), rel=1e-12, abs=0.0
    )


def test_check_event_14_exact__holds_and_is_within_hoeffding_for_every_m():
    for m in range(1, 5001):
        ev = check_event_14_exact(m)
        assert ev.verdict is Verdict.HOLDS, ev.summary()
        assert exact_failure_probability(m) <= hoeffding_bound(m), m  # the tighter 2e^{-m/36}


@given(m=st.integers(1, 400), n=st.integers(1, 6), l=st.integers(3, 8), seed=seeds)
def test_check_event_14__holds_through_the_sampler(m, n, l, seed):
    ev = check_event_14(m, trials=5000, seed=seed, n=n, l=l)  # 2 decisions
    assert ev.verdict is Verdict.HOLDS, ev.summary()


def _biased(p_plus: float):
    """A sampler whose labels are +1 with probability ``p_plus`` (a broken D)."""

    def draw(n, l, m, rng):
        idx, _ = sample(n, l, m, rng)
        y = np.where(rng.random(m) < p_plus, 1.0, -1.0)
        return idx, y

    return draw


def _biased_failure(m: int, p_plus: float) -> float:
    m1 = math.ceil(m / 2)
    return float(sst.binom.cdf((m1 - 1) // 3, m1, p_plus) + sst.binom.sf((2 * m1) // 3, m1, p_plus))


def test_check_event_14__fails_when_labels_are_badly_biased():
    m, trials, p = 100, 2000, 0.3
    rate = _biased_failure(m, p)
    assert rejection_probability(trials, claimed_bound(m), ALPHA, rate) >= 1 - 1e-12
    ev = check_event_14(m, trials=trials, seed=0, sampler=_biased(p))
    assert ev.verdict is Verdict.FAILS, ev.summary()
    assert ev.details["claim_test"]["rejected"]


def test_check_event_14__flags_a_slightly_biased_sampler():
    # Labels +1 with probability 0.45: the failure rate stays below 4e^{-m/36}, so only the
    # consistency with the exact law can (and, by the computed power, must) catch it.
    m, trials, p = 200, 20_000, 0.45
    rate = _biased_failure(m, p)
    assert rate < claimed_bound(m)
    exact = exact_failure_probability(m)
    assert two_sided_rejection_probability(trials, exact, ALPHA, rate) >= 1 - 1e-9
    ev = check_event_14(m, trials=trials, seed=0, sampler=_biased(p))
    assert ev.verdict is Verdict.FAILS, ev.summary()
    assert "inconsistent" in ev.reason


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: exact_failure_probability(0), "m"),
        (lambda: check_event_14(10, trials=0), "trials"),
        (lambda: check_event_14(10, trials=5, l=2), "l"),
        (lambda: check_event_14(10, trials=5, alpha=0.0), "alpha"),
        (lambda: check_event_14(10, trials=5, sampler=3), "sampler"),
        (lambda: exact_failure_probability_by_enumeration(50), "m"),
    ],
)
def test_event_14__bad_arguments_raise_naming_them(call, name):
    with pytest.raises(ValueError, match=name):
        call()
