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


# Probabilities at which the tests' tails take exact ties with alpha (dyadic p0), both ends of
# [0, 1], and rates where scipy's quantile functions start one count off (tiny p0 and alpha).
_EDGE_P0 = [0.0, 1e-4, 0.01, 0.1, 0.125, 0.25, 1 / 3, 0.5, 0.7, 0.9, 0.99, 1.0]


def _edge_alphas(n: int, p0: float) -> list[float]:
    """Every tail probability of ``Bin(n, p0)`` and twice it (the levels at which a one-sided or
    an equal-tailed test is exactly at its boundary), plus tiny and ordinary levels."""
    k = np.arange(-1, n + 1)
    tails = np.concatenate([sst.binom.sf(k, n, p0), sst.binom.cdf(k, n, p0)])
    levels = {float(t) * f for t in tails for f in (1, 2)}
    levels |= {1e-300, 1e-30, 1e-18, 1e-9, 1e-3, 0.05, 0.3}
    return sorted(a for a in levels if 0 < a < 1)


@pytest.mark.parametrize("p0", _EDGE_P0)
def test_critical_counts__are_the_tests_boundaries_at_ties_and_extremes(p0):
    """critical_count is the smallest c >= 1 with P(X >= c) < alpha, strictly (n + 1 if none);
    two_sided_critical_counts the largest x with 2 P(X <= x) < alpha and the smallest with
    2 P(X >= x) < alpha: also when alpha equals a tail exactly, at p0 = 0 and 1, and where the
    quantile function's first guess is off."""
    for n in [*range(1, 13), 25]:
        x = np.arange(n + 1)
        upper = np.where(x == 0, 1.0, sst.binom.sf(x - 1, n, p0))  # P(X >= x)
        lower = sst.binom.cdf(x, n, p0)  # P(X <= x)
        for alpha in _edge_alphas(n, p0):
            one = [int(c) for c in x if c >= 1 and upper[c] < alpha]
            assert critical_count(n, p0, alpha) == (one[0] if one else n + 1), (n, alpha)
            lows = [int(v) for v in x if 2 * lower[v] < alpha]
            highs = [int(v) for v in x if 2 * upper[v] < alpha]
            want = (lows[-1] if lows else -1, highs[0] if highs else n + 1)
            assert two_sided_critical_counts(n, p0, alpha) == want, (n, alpha)


def test_critical_counts__at_the_ends_of_the_unit_interval():
    assert [critical_count(n, 0.0, 0.01) for n in (1, 7)] == [1, 1]
    assert [critical_count(n, 1.0, 0.01) for n in (1, 7)] == [2, 8]
    assert two_sided_critical_counts(5, 0.0, 0.05) == (-1, 1)
    assert two_sided_critical_counts(5, 1.0, 0.05) == (4, 6)


def test_tests__a_p_value_equal_to_alpha_is_not_rejected():
    one = binomial_test(1, 1, 0.5, 0.5)  # P(Bin(1, 1/2) >= 1) = 1/2 exactly
    assert (one.p_value, one.rejected) == (0.5, False)
    two = two_sided_binomial_test(0, 2, 0.5, 0.5)  # 2 P(Bin(2, 1/2) <= 0) = 1/2 exactly
    assert (two.p_value, two.rejected) == (0.5, False)


def test_binomial_law_test__rejects_only_below_alpha_over_the_cells():
    """The decision is ``min cell p-value < alpha / cells``: at alpha = cells * min p-value (two
    cells, so exact) the sample is not rejected, just above it is."""
    v = np.array([1, 1, 1, 1, 1, 0])
    worst = min(c["p_value"] for c in binomial_law_test(v, 1, 0.5, 0.5, bins=2)["cells"])
    at = binomial_law_test(v, 1, 0.5, 2 * worst, bins=2)
    assert len(at["cells"]) == 2
    assert (at["rejected"], at["p_value"]) == (False, 2 * worst)
    assert binomial_law_test(v, 1, 0.5, 2 * worst * (1 + 1e-9), bins=2)["rejected"] is True


def test_detectable_rate__when_only_the_largest_count_is_rejected():
    # critical count 3 = n: the test rejects only x = 3, with probability p^3 at rate p.
    assert critical_count(3, 0.1, 0.005) == 3
    assert detectable_rate(3, 0.1, 0.005) == pytest.approx(0.99 ** (1 / 3), rel=1e-12)
    assert detectable_rate(3, 0.1, 0.005, power=0.5) == pytest.approx(0.5 ** (1 / 3), rel=1e-12)


@pytest.mark.parametrize(("x", "n", "p"), [(30, 100, 0.3), (3, 10, 0.05), (9, 10, 0.7)])
def test_two_sided_binomial_pvalue__agrees_with_scipy_away_from_one_half(x, n, p):
    assert two_sided_binomial_pvalue(x, n, p) == pytest.approx(
        sst.binomtest(x, n, p).pvalue, rel=1e-12
    )
    assert two_sided_binomial_pvalue(x, n, p) != pytest.approx(sst.binomtest(x, n).pvalue)


def test_binomial_law_test__has_eight_cells_by_default():
    v = np.arange(300) % 41
    default = binomial_law_test(v, 40, 0.5, 1e-6)
    assert len(default["cells"]) == 8
    assert default == binomial_law_test(v, 40, 0.5, 1e-6, bins=8)


def test_binomial_law_test__one_value_is_a_sample_and_none_is_refused():
    assert binomial_law_test(np.array([3]), 10, 0.5, 0.01)["trials"] == 1
    with pytest.raises(ValueError, match="values must be non-empty"):
        binomial_law_test(np.array([], dtype=int), 10, 0.5, 0.01)


def test_binomial_law_test__one_cell_never_rejects():
    # One cell holds the whole support: its probability is 1 (the pmf sums to 1 + 2e-16 here),
    # so every sample is in it and its p-value is 1.
    out = binomial_law_test(np.array([0, 1, 1]), 1, 0.3, 0.05, bins=1)
    assert len(out["cells"]) == 1
    assert (out["cells"][0]["p_value"], out["cells"][0]["expected"]) == (1.0, 3.0)
    assert (out["p_value"], out["rejected"], out["log10_min_cell_p"]) == (1.0, False, 0.0)


def test_binomial_law_test__an_underflowing_p_value_has_log_minus_infinity():
    out = binomial_law_test(np.full(2000, 50), 50, 0.3, 1e-9)
    assert min(c["p_value"] for c in out["cells"]) == 0.0
    assert out["log10_min_cell_p"] == -math.inf


class _ShiftedQuantiles:
    """scipy.stats with ``binom.ppf`` and ``binom.isf`` off by ``shift`` counts (every other
    function is scipy's): a stand-in for a scipy version whose quantile functions round the
    other way."""

    def __init__(self, shift: int) -> None:
        self._shift = shift
        self.binom = self

    def ppf(self, q, n, p):
        return sst.binom.ppf(q, n, p) + self._shift

    def isf(self, q, n, p):
        return sst.binom.isf(q, n, p) + self._shift

    def __getattr__(self, name):
        return getattr(sst.binom, name) if name in ("cdf", "sf", "pmf") else getattr(sst, name)


@pytest.mark.parametrize("shift", [-3, -2, -1, 1, 2, 3])
@pytest.mark.parametrize("p0", [0.0, 1e-4, 0.25, 0.5, 0.9, 1.0])
def test_critical_counts__do_not_depend_on_the_quantile_functions(monkeypatch, shift, p0):
    """scipy's quantiles only give the searches their first guess: with ppf and isf off by a few
    counts the critical counts are the same."""
    import verify.evidence.stats as stats

    cases = [(n, a) for n in (1, 2, 5, 12) for a in _edge_alphas(n, p0)]
    want = [(critical_count(n, p0, a), two_sided_critical_counts(n, p0, a)) for n, a in cases]
    monkeypatch.setattr(stats, "_st", _ShiftedQuantiles(shift))
    got = [(critical_count(n, p0, a), two_sided_critical_counts(n, p0, a)) for n, a in cases]
    assert got == want
