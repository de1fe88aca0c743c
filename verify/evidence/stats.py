"""Exact statistics for "with probability at least 1 - delta" claims.

A claim "the event fails with probability at most ``p0``" is checked by counting failures ``x``
in ``n`` independent trials and testing ``H0: p <= p0`` with the exact one-sided binomial test
(p-value ``P(Bin(n, p0) >= x)``). The claim is rejected when the p-value is below ``alpha``; a
correct implementation is then rejected with probability at most ``alpha``. The observed rate is
reported with its exact Clopper-Pearson interval.

A claimed *value* of a probability (e.g. the per-filter probability in the proof of Lemma 5.2)
is checked with the exact equal-tailed two-sided test (:func:`two_sided_binomial_test`), and a
claimed *law* of a count (e.g. ``Bin(k, q)``) with :func:`binomial_law_test`, which bins the
support and applies exact two-sided tests per bin with a Bonferroni correction.

Power is always reported: :func:`detectable_rate` (the smallest rate rejected with 99% power) and
:func:`rejection_probability` (the exact probability of rejecting at a given true rate), so that a
test asserting a *failure* can also state its own miss probability.

Every test here is exact (no normal or chi-square approximation), so its false-alarm rate is at
most its ``alpha`` at every sample size; :func:`bonferroni` splits a family budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from verify._validate import check_array, check_int, check_probability, check_size

__all__ = [
    "BinomialTest",
    "TwoSidedBinomialTest",
    "binomial_law_test",
    "binomial_test",
    "bonferroni",
    "clopper_pearson",
    "critical_count",
    "detectable_rate",
    "rejection_probability",
    "two_sided_binomial_pvalue",
    "two_sided_binomial_test",
    "two_sided_critical_counts",
    "two_sided_rejection_probability",
]


def clopper_pearson(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact two-sided Clopper-Pearson interval for a binomial proportion ``x / n``."""
    n = check_size("n", n, low=1, high=2**53, why="the beta quantiles are float64")
    x = check_int("x", x, low=0, high=n)
    confidence = check_probability("confidence", confidence)
    alpha = 1.0 - confidence
    lo = 0.0 if x == 0 else float(_st.beta.ppf(alpha / 2, x, n - x + 1))
    hi = 1.0 if x == n else float(_st.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return lo, hi


def bonferroni(family_alpha: float, decisions: int) -> float:
    """Per-decision level that keeps the probability of any false alarm among ``decisions``
    exact tests at most ``family_alpha`` (union bound; valid under any dependence)."""
    family_alpha = check_probability("family_alpha", family_alpha)
    decisions = check_int("decisions", decisions, low=1)
    return family_alpha / decisions


def critical_count(n: int, p0: float, alpha: float) -> int:
    """The smallest failure count ``c >= 1`` that :func:`binomial_test` rejects:
    ``P(Bin(n, p0) >= c) < alpha``; ``n + 1`` if no count is rejected (e.g. ``p0 = 1``).

    Examples
    --------
    >>> critical_count(100, 0.0, 0.01), critical_count(100, 1.0, 0.01)
    (1, 101)
    """
    n = check_int("n", n, low=1)
    p0 = check_probability("p0", p0, open_interval=False)
    alpha = check_probability("alpha", alpha)
    if p0 == 0.0:
        return 1
    if p0 == 1.0:
        return n + 1
    c = min(max(int(_st.binom.isf(alpha, n, p0)), 0) + 1, n + 1)
    while c <= n and not _st.binom.sf(c - 1, n, p0) < alpha:
        c += 1
    while c > 1 and _st.binom.sf(c - 2, n, p0) < alpha:
        c -= 1
    return c


def rejection_probability(n: int, p0: float, alpha: float, p_true: float) -> float:
    """Exact probability that :func:`binomial_test` (``H0: p <= p0`` at level ``alpha``) rejects
    when the true failure rate is ``p_true``: its power at ``p_true`` (or, for ``p_true <= p0``,
    its false-alarm rate, at most ``alpha``)."""
    p_true = check_probability("p_true", p_true, open_interval=False)
    c = critical_count(n, p0, alpha)
    return 0.0 if c > n else float(_st.binom.sf(c - 1, n, p_true))


def detectable_rate(n: int, p0: float, alpha: float, power: float = 0.99) -> float:
    """The smallest true failure rate ``p1`` that the one-sided test at level ``alpha`` rejects
    with probability at least ``power`` in ``n`` trials (its power statement)."""
    n = check_int("n", n, low=1)
    p0 = check_probability("p0", p0, open_interval=False)
    alpha = check_probability("alpha", alpha)
    power = check_probability("power", power)
    c = critical_count(n, p0, alpha)
    if c > n:
        return 1.0
    lo, hi = p0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if _st.binom.sf(c - 1, n, mid) >= power:
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class BinomialTest:
    """Result of the one-sided exact test of ``H0: failure rate <= p0``."""

    failures: int
    trials: int
    p0: float
    alpha: float
    p_value: float
    rejected: bool
    rate: float
    interval: tuple[float, float]
    detectable_rate: float

    def as_dict(self) -> dict[str, object]:
        return {
            "failures": self.failures,
            "trials": self.trials,
            "claimed_rate": self.p0,
            "alpha": self.alpha,
            "p_value": self.p_value,
            "rejected": self.rejected,
            "observed_rate": self.rate,
            "clopper_pearson_95": list(self.interval),
            "detectable_rate_99pct_power": self.detectable_rate,
        }


def binomial_test(failures: int, trials: int, p0: float, alpha: float) -> BinomialTest:
    """Exact one-sided binomial test of ``H0: p <= p0`` against ``p > p0``.

    Examples
    --------
    >>> binomial_test(0, 1000, 0.01, 1e-6).rejected
    False
    >>> binomial_test(200, 1000, 0.01, 1e-6).rejected
    True
    """
    trials = check_int("trials", trials, low=1)
    failures = check_int("failures", failures, low=0, high=trials)
    p0 = check_probability("p0", p0, open_interval=False)
    alpha = check_probability("alpha", alpha)
    p_value = 1.0 if failures == 0 else float(_st.binom.sf(failures - 1, trials, p0))
    return BinomialTest(
        failures=failures,
        trials=trials,
        p0=p0,
        alpha=alpha,
        p_value=p_value,
        rejected=p_value < alpha,
        rate=failures / trials,
        interval=clopper_pearson(failures, trials),
        detectable_rate=detectable_rate(trials, p0, alpha) if p0 < 1 else 1.0,
    )


def two_sided_binomial_pvalue(x: int, n: int, p: float) -> float:
    """Exact two-sided binomial p-value of ``x`` successes in ``n`` trials at rate ``p``."""
    n = check_int("n", n, low=1)
    x = check_int("x", x, low=0, high=n)
    p = check_probability("p", p, open_interval=False)
    return float(_st.binomtest(x, n, p, alternative="two-sided").pvalue)


def _central_pvalue(x: int, n: int, p: float) -> float:
    lower = float(_st.binom.cdf(x, n, p))
    upper = 1.0 if x == 0 else float(_st.binom.sf(x - 1, n, p))
    return min(1.0, 2.0 * min(lower, upper))


def two_sided_critical_counts(n: int, p0: float, alpha: float) -> tuple[int, int]:
    """``(lo, hi)``: :func:`two_sided_binomial_test` rejects ``x`` iff ``x <= lo`` or
    ``x >= hi`` (``lo = -1`` / ``hi = n + 1`` when a side never rejects)."""
    n = check_int("n", n, low=1)
    p0 = check_probability("p0", p0, open_interval=False)
    alpha = check_probability("alpha", alpha)
    half = alpha / 2
    # lower side: largest x with P(Bin <= x) < alpha/2
    if p0 == 0.0:
        lo = -1
    else:
        lo = int(_st.binom.ppf(half, n, p0))
        while lo >= 0 and not _st.binom.cdf(lo, n, p0) < half:
            lo -= 1
        while lo + 1 <= n and _st.binom.cdf(lo + 1, n, p0) < half:
            lo += 1
    # upper side: smallest x with P(Bin >= x) < alpha/2
    if p0 == 1.0:
        hi = n + 1
    else:
        hi = min(max(int(_st.binom.isf(half, n, p0)), 0) + 1, n + 1)
        while hi <= n and not (hi >= 1 and _st.binom.sf(hi - 1, n, p0) < half):
            hi += 1
        while hi > 1 and _st.binom.sf(hi - 2, n, p0) < half:
            hi -= 1
    return lo, hi


def two_sided_rejection_probability(n: int, p0: float, alpha: float, p_true: float) -> float:
    """Exact probability that :func:`two_sided_binomial_test` of ``p = p0`` rejects when the
    true rate is ``p_true`` (its power; at most ``alpha`` when ``p_true = p0``)."""
    p_true = check_probability("p_true", p_true, open_interval=False)
    lo, hi = two_sided_critical_counts(n, p0, alpha)
    low = float(_st.binom.cdf(lo, n, p_true)) if lo >= 0 else 0.0
    high = float(_st.binom.sf(hi - 1, n, p_true)) if hi <= n else 0.0
    return min(1.0, low + high)


@dataclass(frozen=True)
class TwoSidedBinomialTest:
    """Result of the exact equal-tailed test of ``H0: p = p0`` (p-value ``min(1, 2 min(P(X <=
    x), P(X >= x)))``)."""

    successes: int
    trials: int
    p0: float
    alpha: float
    p_value: float
    rejected: bool
    rate: float
    interval: tuple[float, float]

    def as_dict(self) -> dict[str, object]:
        return {
            "successes": self.successes,
            "trials": self.trials,
            "claimed_probability": self.p0,
            "alpha": self.alpha,
            "p_value": self.p_value,
            "rejected": self.rejected,
            "observed_rate": self.rate,
            "clopper_pearson_95": list(self.interval),
        }


def two_sided_binomial_test(
    successes: int, trials: int, p0: float, alpha: float
) -> TwoSidedBinomialTest:
    """Exact equal-tailed two-sided binomial test of ``H0: p = p0``; rejects iff the p-value is
    below ``alpha`` (false-alarm probability at most ``alpha``).

    Examples
    --------
    >>> two_sided_binomial_test(50, 100, 0.5, 1e-6).rejected
    False
    >>> two_sided_binomial_test(90, 100, 0.5, 1e-6).rejected
    True
    """
    trials = check_int("trials", trials, low=1)
    successes = check_int("successes", successes, low=0, high=trials)
    p0 = check_probability("p0", p0, open_interval=False)
    alpha = check_probability("alpha", alpha)
    p_value = _central_pvalue(successes, trials, p0)
    return TwoSidedBinomialTest(
        successes=successes,
        trials=trials,
        p0=p0,
        alpha=alpha,
        p_value=p_value,
        rejected=p_value < alpha,
        rate=successes / trials,
        interval=clopper_pearson(successes, trials),
    )


def binomial_law_test(
    values: object, n: int, p: float, alpha: float, *, bins: int = 8
) -> dict[str, object]:
    """Exact test that iid ``values`` follow ``Bin(n, p)``.

    The support ``0..n`` is cut at the ``j / bins`` quantiles of ``Bin(n, p)`` into at most
    ``bins`` cells with exactly known probabilities ``pi_b``; the number of values in cell ``b``
    is ``Bin(len(values), pi_b)`` under ``H0`` and gets the exact two-sided test at level
    ``alpha / cells`` (Bonferroni), so the whole test's false-alarm rate is at most ``alpha``.

    Returns a JSON-able dict: ``rejected``, ``p_value`` (the smallest cell p-value times the
    number of cells, capped at 1), ``cells`` (edges, expected and observed counts).
    """
    v = check_array("values", values, ndim=1, dtype=int)
    n = check_int("n", n, low=1)
    p = check_probability("p", p)
    alpha = check_probability("alpha", alpha)
    bins = check_int("bins", bins, low=1)
    if v.size == 0:
        raise ValueError("values must be non-empty")
    if v.min() < 0 or v.max() > n:
        raise ValueError(f"values must lie in [0, n = {n}]")
    cuts = sorted({int(_st.binom.ppf(j / bins, n, p)) for j in range(1, bins)})
    uppers = [c for c in cuts if c < n] + [n]  # cell b is (uppers[b-1], uppers[b]]
    cells = []
    prev = -1
    for up in uppers:
        prob = float(np.sum(_st.binom.pmf(np.arange(prev + 1, up + 1), n, p)))
        observed = int(np.count_nonzero((v > prev) & (v <= up)))
        cells.append({"low": prev + 1, "high": up, "probability": prob, "observed": observed})
        prev = up
    m = len(cells)
    level = alpha / m
    worst = 1.0
    for cell in cells:
        prob = min(max(cell["probability"], 0.0), 1.0)
        pv = _central_pvalue(cell["observed"], int(v.size), prob)
        cell["expected"] = prob * v.size
        cell["p_value"] = pv
        worst = min(worst, pv)
    p_value = min(1.0, worst * m)
    return {
        "rejected": worst < level,
        "p_value": p_value,
        "alpha": alpha,
        "trials": int(v.size),
        "n": n,
        "p": p,
        "cells": cells,
        "log10_min_cell_p": math.log10(worst) if worst > 0 else -math.inf,
    }
