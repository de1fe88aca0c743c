"""Exact statistics for "with probability at least 1 - delta" claims.

A claim "the event fails with probability at most ``p0``" is checked by counting failures ``x``
in ``n`` independent trials and testing ``H0: p <= p0`` with the exact one-sided binomial test
(p-value ``P(Bin(n, p0) >= x)``). The claim is rejected when the p-value is below ``alpha``; a
correct implementation is then rejected with probability at most ``alpha``. The observed rate is
reported with its exact Clopper-Pearson interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy import stats as _st

from verify._validate import check_int, check_probability

__all__ = [
    "BinomialTest",
    "binomial_test",
    "clopper_pearson",
    "detectable_rate",
    "two_sided_binomial_pvalue",
]


def clopper_pearson(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact two-sided Clopper-Pearson interval for a binomial proportion ``x / n``."""
    n = check_int("n", n, low=1)
    x = check_int("x", x, low=0, high=n)
    confidence = check_probability("confidence", confidence)
    alpha = 1.0 - confidence
    lo = 0.0 if x == 0 else float(_st.beta.ppf(alpha / 2, x, n - x + 1))
    hi = 1.0 if x == n else float(_st.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return lo, hi


def detectable_rate(n: int, p0: float, alpha: float, power: float = 0.99) -> float:
    """The smallest true failure rate ``p1`` that the one-sided test at level ``alpha`` rejects
    with probability at least ``power`` in ``n`` trials (its power statement)."""
    n = check_int("n", n, low=1)
    p0 = check_probability("p0", p0, open_interval=False)
    alpha = check_probability("alpha", alpha)
    power = check_probability("power", power)
    # Critical count: the smallest c with P(Bin(n, p0) >= c) <= alpha.
    c = int(_st.binom.isf(alpha, n, p0)) + 1
    while c > 0 and _st.binom.sf(c - 2, n, p0) <= alpha:
        c -= 1
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
