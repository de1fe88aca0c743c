"""Property tests of Lemma 5.2's smallest ``k`` (:mod:`verify.claims.lemma_5_2.smallest_k`):
exact, deterministic (no statistical decisions, so no false-alarm budget is used)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from verify.claims.lemma_5_2 import (
    certified_horizon,
    exact_failure_probability,
    failing_ks,
    smallest_k,
)
from verify.claims.lemma_5_2.smallest_k import bernstein_bound, bernstein_horizon


@given(d=st.integers(3, 8), data=st.data())
def test_smallest_k__holds_from_k_star_on_and_fails_just_below(d, data):
    res = smallest_k(d)
    k_star = int(res["k_star"])
    bound = 4 * math.exp(-d)
    assert exact_failure_probability(d, d, k_star - 1) > bound
    horizon = certified_horizon(d, d)[0]
    k = data.draw(st.integers(k_star, horizon + 50), label="k")
    assert exact_failure_probability(d, d, k) <= bound, k


@given(d=st.integers(3, 8))
def test_smallest_k__agrees_with_the_hoeffding_horizon_scan(d):
    """The Bernstein horizon only shortens the scan: the failing k are the same as those of
    the longer Hoeffding-horizon scan (:func:`failing_ks`)."""
    assert smallest_k(d)["failing_intervals"] == failing_ks(d, d)["intervals"]


@given(d=st.integers(3, 40), extra=st.integers(0, 10_000))
def test_bernstein_horizon__bounds_every_larger_k(d, extra):
    k = bernstein_horizon(d, d) + extra
    assert bernstein_bound(d, d, k) <= 4 * math.exp(-d)
