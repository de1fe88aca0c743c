"""Unit tests of :mod:`verify.evidence.stats`: every test there is exact, so its p-values, critical
counts, powers and false-alarm rates are checked against brute-force sums of binomial pmfs."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sst

from verify.evidence.stats import (
    binomial_law_test,
    binomial_test,
    bonferroni,
    clopper_pearson,
    critical_count,
    detectable_rate,
    rejection_probability,
    two_sided_binomial_pvalue,
    two_sided_binomial_test,
    two_sided_critical_counts,
    two_sided_rejection_probability,
)

small_n = st.integers(1, 60)
probs = st.floats(0.001, 0.999)
alphas = st.sampled_from([1e-9, 1e-6, 1e-3, 0.05, 0.3])


def _pmf(n: int, p: float) -> np.ndarray:
    return sst.binom.pmf(np.arange(n + 1), n, p)


@given(n=small_n, p0=probs, alpha=alphas)
def test_binomial_test__p_value_is_the_upper_tail(n, p0, alpha):
    pmf = _pmf(n, p0)
    for x in range(n + 1):
        t = binomial_test(x, n, p0, alpha)
        want = 1.0 if x == 0 else float(pmf[x:].sum())
        assert t.p_value == pytest.approx(want, rel=1e-9, abs=1e-15)
        assert t.rejected == (t.p_value < alpha)


@given(n=small_n, p0=probs, alpha=alphas)
def test_critical_count__is_the_smallest_rejected_count(n, p0, alpha):
    c = critical_count(n, p0, alpha)
    rejected = [binomial_test(x, n, p0, alpha).rejected for x in range(n + 1)]
    assert rejected == [x >= c for x in range(n + 1)]


@given(n=small_n, p0=probs, alpha=alphas, p_true=st.floats(0.0, 1.0, allow_subnormal=False))
def test_rejection_probability__equals_the_brute_force_sum(n, p0, alpha, p_true):
    pmf = _pmf(n, p_true)
    want = sum(pmf[x] for x in range(n + 1) if binomial_test(x, n, p0, alpha).rejected)
    got = rejection_probability(n, p0, alpha, p_true)
    assert got == pytest.approx(want, rel=1e-9, abs=1e-15)
    if p_true <= p0:
        assert got <= alpha * (1 + 1e-9)  # the false-alarm rate is at most alpha


@given(n=st.integers(5, 300), p0=st.floats(0.001, 0.5), alpha=alphas)
def test_detectable_rate__has_the_stated_power(n, p0, alpha):
    p1 = detectable_rate(n, p0, alpha)
    if p1 < 1.0:
        assert rejection_probability(n, p0, alpha, p1) >= 0.99 - 1e-9
        assert rejection_probability(n, p0, alpha, max(p0, p1 - 1e-6)) < 0.99 + 1e-6


@given(n=small_n, p0=st.floats(0.0, 1.0, allow_subnormal=False), alpha=alphas)
def test_two_sided_critical_counts__match_the_test(n, p0, alpha):
    lo, hi = two_sided_critical_counts(n, p0, alpha)
    for x in range(n + 1):
        assert two_sided_binomial_test(x, n, p0, alpha).rejected == (x <= lo or x >= hi)


@given(n=small_n, p0=probs, alpha=alphas, p_true=st.floats(0.0, 1.0, allow_subnormal=False))
def test_two_sided_rejection_probability__equals_the_brute_force_sum(n, p0, alpha, p_true):
    pmf = _pmf(n, p_true)
    want = sum(pmf[x] for x in range(n + 1) if two_sided_binomial_test(x, n, p0, alpha).rejected)
    assert two_sided_rejection_probability(n, p0, alpha, p_true) == pytest.approx(
        want, rel=1e-9, abs=1e-15
    )
    assert two_sided_rejection_probability(n, p0, alpha, p0) <= alpha * (1 + 1e-9)


@given(n=st.integers(1, 40), p=probs)
def test_clopper_pearson__covers_with_at_least_the_confidence(n, p):
    pmf = _pmf(n, p)
    covered = 0.0
    for x in range(n + 1):
        lo, hi = clopper_pearson(x, n, 0.95)
        assert 0.0 <= lo <= x / n <= hi <= 1.0
        if lo <= p <= hi:
            covered += pmf[x]
    assert covered >= 0.95 - 1e-9


def test_two_sided_binomial_pvalue__agrees_with_scipy():
    assert two_sided_binomial_pvalue(30, 100, 0.5) == pytest.approx(
        sst.binomtest(30, 100, 0.5).pvalue, rel=1e-12
    )


def test_bonferroni__splits_the_budget():
    assert bonferroni(1e-6, 1000) == pytest.approx(1e-9, rel=1e-15)


def test_binomial_law_test__cells_partition_the_support():
    v = np.arange(0, 51) % 51
    out = binomial_law_test(v, 50, 0.3, 1e-6, bins=8)
    cells = out["cells"]
    assert cells[0]["low"] == 0
    assert cells[-1]["high"] == 50
    for a, b in itertools.pairwise(cells):
        assert b["low"] == a["high"] + 1
    assert sum(c["probability"] for c in cells) == pytest.approx(1.0, abs=1e-12)
    assert sum(c["observed"] for c in cells) == v.size


def test_binomial_law_test__rejects_a_different_law():
    # Every value at the top of the support: the top cell's expected share is ~1/8 or less, so
    # 2000 values there have probability < 1e-300 under H0: rejection is certain.
    out = binomial_law_test(np.full(2000, 50), 50, 0.3, 1e-9)
    assert out["rejected"]


def test_binomial_law_test__accepts_the_law_itself():
    # A sample whose cell counts are the expected ones rounded: p-values near 1 (deterministic).
    n, p = 40, 0.25
    x = np.arange(n + 1)
    counts = np.round(sst.binom.pmf(x, n, p) * 10_000).astype(int)
    v = np.repeat(x, counts)
    assert not binomial_law_test(v, n, p, 1e-9)["rejected"]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: binomial_test(3, 2, 0.1, 0.01), "failures"),
        (lambda: critical_count(10, 1.5, 0.01), "p0"),
        (lambda: rejection_probability(10, 0.1, 0.01, -0.1), "p_true"),
        (lambda: two_sided_binomial_test(1, 0, 0.5, 0.01), "trials"),
        (lambda: two_sided_critical_counts(10, 0.5, 0.0), "alpha"),
        (lambda: bonferroni(1e-6, 0), "decisions"),
        (lambda: binomial_law_test(np.array([11]), 10, 0.5, 0.01), "values"),
        (lambda: binomial_law_test(np.array([1]), 10, 0.5, 0.01, bins=0), "bins"),
    ],
)
def test_stats__bad_arguments_raise_naming_them(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize(("n", "p", "bins", "alpha"), [(50, 0.3, 8, 1e-6), (12, 0.5, 4, 0.05),
                                                       (7, 0.9, 3, 1e-3)])
def test_binomial_law_test__every_field_is_its_definition(n, p, bins, alpha):
    """Each cell's probability is the pmf summed over it, its p-value the equal-tailed exact
    one of its count, and the test's p-value and decision Bonferroni over the cells."""
    v = (np.arange(300) * 7) % (n + 1)  # a fixed sample, spread over the whole support
    out = binomial_law_test(v, n, p, alpha, bins=bins)
    pmf = _pmf(n, p)
    cells = out["cells"]
    assert 1 <= len(cells) <= bins
    assert [c["high"] for c in cells] == sorted(
        {int(sst.binom.ppf(j / bins, n, p)) for j in range(1, bins)} - {n} | {n})
    pvalues = []
    for c in cells:
        x = np.arange(c["low"], c["high"] + 1)
        assert c["probability"] == pytest.approx(pmf[x].sum(), rel=1e-12)
        assert c["observed"] == int(np.isin(v, x).sum())
        assert c["expected"] == pytest.approx(c["probability"] * v.size, rel=1e-12)
        lower = sst.binom.cdf(c["observed"], v.size, c["probability"])
        upper = sst.binom.sf(c["observed"] - 1, v.size, c["probability"])
        assert c["p_value"] == pytest.approx(min(1.0, 2 * min(lower, upper)), rel=1e-9)
        pvalues.append(c["p_value"])
    m = len(cells)
    assert out["p_value"] == pytest.approx(min(1.0, min(pvalues) * m), rel=1e-12)
    assert out["rejected"] == (min(pvalues) < alpha / m)
    assert (out["alpha"], out["trials"], out["n"], out["p"]) == (alpha, 300, n, p)
    assert out["log10_min_cell_p"] == pytest.approx(math.log10(min(pvalues)), rel=1e-12)


def test_binomial_law_test__p_value_is_capped_at_one():
    n, p = 40, 0.25
    x = np.arange(n + 1)
    v = np.repeat(x, np.round(sst.binom.pmf(x, n, p) * 10_000).astype(int))
    out = binomial_law_test(v, n, p, 1e-9)
    assert out["p_value"] == 1.0
    assert out["rejected"] is False
