"""The rules that turn error curves into the scaling law's numbers and its verdict.

- :func:`m_epsilon`: the sample complexity ``m_eps`` read off one error curve on a geometric
  grid: the smallest grid size from which every measured error is ``<= eps``;
- :func:`fit_exponent`: the least-squares slope of ``log m_eps`` against ``log d`` (the
  exponent ``b`` of ``m_eps ~ C d^b``) on the geometric means over seeds;
- :func:`bootstrap_exponent`: its percentile interval, resampling the seeds of each ``d``
  independently (a ``SeedSequence``-seeded generator: deterministic);
- :func:`sign_test_decision`: the exact one-sided sign test over seeds that the CNN needs fewer
  samples than a fully connected learner, as a ``details["decision"]``
  (:mod:`verify.evidence.sequential`'s statuses), with its power;
- :func:`paired_bootstrap_difference`: the percentile interval of the difference of two
  exponents, resampling the seeds of each ``d`` (the two learners' values of a seed together);
- :func:`trend_interval`: the least-squares slope of the per-seed ``log(ratio)`` against
  ``log d`` with its Student-t interval (the same point estimate, a parametric cross-check);
- :func:`interval_decision`: an interval against a claimed value: demonstrated, refuted or
  undecided;
- :func:`holm`: Holm's step-down rejections of a family of p-values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import t as _t

from verify._validate import check_int, check_probability
from verify.evidence.sequential import DEMONSTRATED, REFUTED, UNDECIDED
from verify.evidence.stats import clopper_pearson

__all__ = ["TOL", "as_table", "bootstrap_exponent", "fit_exponent", "holm", "interval_decision",
           "m_epsilon", "paired_bootstrap_difference", "sign_test_decision", "trend_interval"]


def m_epsilon(curve: Sequence[tuple[int, bool]]) -> int | None:
    """The smallest size ``m`` of ``curve`` (``[(m, reached), ...]``, increasing ``m``;
    ``reached``: "test error <= eps" decided at that size) from which every measured size is
    reached; ``None`` when the last one is not (the sample complexity is beyond the grid:
    censored).

    Examples
    --------
    >>> m_epsilon([(2, False), (4, True), (8, False), (16, True), (32, True)])
    16
    >>> m_epsilon([(2, False), (4, False)]) is None
    True
    """
    ms = [check_int("curve", m, low=1) for m, _ in curve]
    if not ms or any(b <= a for a, b in itertools.pairwise(ms)):
        raise ValueError(f"curve must be a non-empty list of (m, reached) with increasing m, "
                         f"got {curve!r}")
    if any(not isinstance(ok, (bool, np.bool_)) for _, ok in curve):
        raise ValueError("curve: every reached must be a bool")
    found = None
    for m, ok in zip(reversed(ms), reversed([bool(ok) for _, ok in curve]), strict=True):
        if not ok:
            break
        found = m
    return found


def _slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares ``y = a + b x``: ``(b, a)``; ``y`` may be ``(..., len(x))``."""
    xc = x - x.mean()
    b = (y - y.mean(axis=-1, keepdims=True)) @ xc / float(xc @ xc)
    return b, y.mean(axis=-1) - b * x.mean()


def _check_table(ds: Sequence[int], values: Sequence[Sequence[float]]
                 ) -> tuple[np.ndarray, list[np.ndarray]]:
    ds_arr = np.array([check_int("ds", d, low=1) for d in ds], dtype=float)
    if len(ds_arr) < 2 or len(set(ds_arr.tolist())) != len(ds_arr):
        raise ValueError(f"ds must hold at least two distinct values, got {list(ds)!r}")
    if len(values) != len(ds_arr):
        raise ValueError(f"values must hold one list per d ({len(ds_arr)}), got {len(values)}")
    arrs = [np.asarray(v, dtype=float) for v in values]
    if any(a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)) or np.any(a <= 0)
           for a in arrs):
        raise ValueError("values: every d needs a non-empty list of positive sizes")
    return ds_arr, arrs


def fit_exponent(ds: Sequence[int], values: Sequence[Sequence[float]]) -> dict[str, float]:
    """The exponent ``b`` and constant ``C`` of ``m = C d^b``: least squares of ``log m`` on
    ``log d`` through the geometric mean over seeds of each ``d`` (``values[i]`` are the
    per-seed sizes at ``ds[i]``).

    Examples
    --------
    >>> f = fit_exponent([2, 4, 8], [[12.0], [48.0], [192.0]])  # 3 d^2
    >>> round(f["exponent"], 12), round(f["constant"], 12)
    (2.0, 3.0)
    """
    x, arrs = _check_table(ds, values)
    y = np.array([np.mean(np.log(a)) for a in arrs])
    b, a = _slope(np.log(x), y)
    return {"exponent": float(b), "constant": float(math.exp(a))}


def bootstrap_exponent(ds: Sequence[int], values: Sequence[Sequence[float]], *,
                       seed_seq: np.random.SeedSequence, replicates: int = 2000,
                       level: float = 0.95) -> tuple[float, float]:
    """The ``level`` percentile interval of :func:`fit_exponent`'s exponent: each replicate
    resamples, for every ``d`` independently, its seeds with replacement. Deterministic given
    ``seed_seq``."""
    x, arrs = _check_table(ds, values)
    return _percentile_slopes(x, [np.log(a) for a in arrs], seed_seq, replicates, level)


def _percentile_slopes(x: np.ndarray, logs: list[np.ndarray], seed_seq: object,
                       replicates: int, level: float) -> tuple[float, float]:
    """The ``level`` percentile interval of the least-squares slope of the mean of ``logs[j]``
    on ``log x[j]``, resampling each ``logs[j]`` with replacement."""
    if not isinstance(seed_seq, np.random.SeedSequence):
        raise ValueError(f"seed_seq must be a numpy SeedSequence, got {type(seed_seq).__name__}")
    replicates = check_int("replicates", replicates, low=10)
    level = check_probability("level", level)
    rng = np.random.Generator(np.random.PCG64(seed_seq))
    means = np.empty((replicates, len(logs)))
    for j, g in enumerate(logs):
        means[:, j] = g[rng.integers(0, g.size, size=(replicates, g.size))].mean(axis=1)
    b, _ = _slope(np.log(x), means)
    lo, hi = np.quantile(b, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def _upper_tail(x: int, n: int) -> float:
    """``P(Binomial(n, 1/2) >= x)``, exactly."""
    return sum(math.comb(n, i) for i in range(x, n + 1)) / 2**n


def _power(n: int, critical: int, q: float) -> float:
    return sum(math.comb(n, i) * q**i * (1 - q) ** (n - i) for i in range(critical, n + 1))


def sign_test_decision(cnn: Sequence[float | None], fc: Sequence[float | None], *,
                       alpha: float, alternative_rate: float = 0.9) -> dict[str, object]:
    """The exact one-sided sign test over seeds of "the CNN needs fewer samples": a success is
    a seed with ``m_eps(CNN) < m_eps(FC)`` strictly (a tie or a larger CNN value is not; a
    censored value, ``None``, is above every measured one, and two censored values tie).

    ``H0: P(success) <= 1/2``. *demonstrated* when ``P(Bin(n, 1/2) >= successes) <= alpha``;
    *refuted* when ``P(Bin(n, 1/2) <= successes) <= alpha`` (the CNN significantly not smaller);
    *undecided* otherwise. ``power`` is the probability of demonstrating when the true success
    rate is ``alternative_rate``.

    Examples
    --------
    >>> sign_test_decision([8] * 10, [64] * 10, alpha=0.01)["status"]
    'demonstrated'
    >>> sign_test_decision([8] * 4, [64] * 4, alpha=0.01)["status"]  # 1/16 > 0.01
    'undecided'
    """
    if len(cnn) != len(fc) or not cnn:
        raise ValueError("cnn, fc must be non-empty and of the same length (one per seed)")
    alpha = check_probability("alpha", alpha)
    alternative_rate = check_probability("alternative_rate", alternative_rate)
    big = math.inf
    pairs = [(big if c is None else float(c), big if f is None else float(f))
             for c, f in zip(cnn, fc, strict=True)]
    n = len(pairs)
    wins = sum(c < f for c, f in pairs)
    p_demo = _upper_tail(wins, n)
    p_refute = 1.0 - _upper_tail(wins + 1, n)
    critical = next((x for x in range(n + 1) if _upper_tail(x, n) <= alpha), n + 1)
    status = DEMONSTRATED if p_demo <= alpha else REFUTED if p_refute <= alpha else UNDECIDED
    lo, hi = clopper_pearson(wins, n)
    return {"status": status, "level": alpha,
            "power": _power(n, critical, alternative_rate) if critical <= n else 0.0,
            "alternative": f"P(m_eps(CNN) < m_eps(FC)) = {alternative_rate} per seed",
            "test": "exact one-sided sign test over seeds (ties count against the CNN)",
            "trials": n, "successes": wins, "ties": sum(c == f for c, f in pairs),
            "critical_successes": critical, "p_value": p_demo,
            "p_value_opposite": p_refute, "observed_rate": wins / n, "claimed": 0.5,
            "effect": wins / n - 0.5, "effect_interval": [lo - 0.5, hi - 0.5]}


def as_table(values: Mapping[int, Sequence[float | None]]) -> dict[str, list[float | None]]:
    """JSON-ready ``{str(d): values}``."""
    return {str(d): [None if v is None else float(v) for v in vs] for d, vs in values.items()}


def paired_bootstrap_difference(ds: Sequence[int], a: Sequence[Sequence[float]],
                                b: Sequence[Sequence[float]], *,
                                seed_seq: np.random.SeedSequence, replicates: int = 4000,
                                level: float = 0.95) -> tuple[float, float, float]:
    """``(difference, lo, hi)``: :func:`fit_exponent`'s exponent of ``b`` minus that of ``a``,
    and its ``level`` percentile interval. Each replicate resamples, for every ``d``
    independently, its seeds with replacement, keeping seed ``i``'s values of ``a`` and ``b``
    together (paired: ``a[j][i]`` and ``b[j][i]`` are one seed's). Deterministic given
    ``seed_seq``.

    Examples
    --------
    >>> import numpy as np
    >>> d, lo, hi = paired_bootstrap_difference([2, 4, 8], [[4.0] * 3] * 3,
    ...     [[x * x] * 3 for x in (2, 4, 8)], seed_seq=np.random.SeedSequence(0), replicates=20)
    >>> round(d, 9), round(lo, 9), round(hi, 9)
    (2.0, 2.0, 2.0)
    """
    x, arrs_a = _check_table(ds, a)
    _, arrs_b = _check_table(ds, b)
    if any(u.size != v.size for u, v in zip(arrs_a, arrs_b, strict=True)):
        raise ValueError("a, b: each d needs as many values of a as of b (one per seed)")
    logs = [np.log(v) - np.log(u) for u, v in zip(arrs_a, arrs_b, strict=True)]
    lo, hi = _percentile_slopes(x, logs, seed_seq, replicates, level)
    point, _ = _slope(np.log(x), np.array([g.mean() for g in logs]))
    return float(point), float(lo), float(hi)


def trend_interval(ds: Sequence[int], a: Sequence[Sequence[float]],
                   b: Sequence[Sequence[float]], *, level: float = 0.95
                   ) -> tuple[float, float, float]:
    """``(slope, lo, hi)``: least squares of every seed's ``log(b / a)`` on ``log d`` (a trend
    test of the ratio; with as many seeds at every ``d`` its slope is the difference of the two
    :func:`fit_exponent` exponents) and its Student-t interval at ``level`` (``n - 2`` degrees
    of freedom; independent, equal-variance residuals assumed)."""
    x, arrs_a = _check_table(ds, a)
    _, arrs_b = _check_table(ds, b)
    if any(u.size != v.size for u, v in zip(arrs_a, arrs_b, strict=True)):
        raise ValueError("a, b: each d needs as many values of a as of b (one per seed)")
    level = check_probability("level", level)
    xs = np.concatenate([np.full(u.size, math.log(d)) for d, u in zip(x, arrs_a, strict=True)])
    ys = np.concatenate([np.log(v) - np.log(u) for u, v in zip(arrs_a, arrs_b, strict=True)])
    if xs.size < 3:
        raise ValueError("a, b: a trend needs at least 3 values")
    slope, icpt = _slope(xs, ys)
    resid = ys - icpt - slope * xs
    sxx = float(((xs - xs.mean()) ** 2).sum())
    se = math.sqrt(float(resid @ resid) / (xs.size - 2) / sxx)
    q = float(_t.ppf((1 + level) / 2, xs.size - 2))
    return float(slope), float(slope - q * se), float(slope + q * se)


TOL = 1e-9
"""The floating-point tolerance of an exponent: least squares on logarithms of equal ratios give
a slope of about 1e-16, not 0; an interval end within ``TOL`` of the claimed value holds it."""


def interval_decision(lo: float, hi: float, claimed: float, *, claim: str,
                      tol: float = TOL) -> str:
    """The decision on "the quantity is above ``claimed``" (``claim="above"``) or "at most
    ``claimed``" (``claim="at most"``) from its interval ``[lo, hi]``: *demonstrated* when the
    whole interval is on the claim's side by more than ``tol``, *refuted* when it is wholly on
    the other side by more than ``tol``, *undecided* when it holds ``claimed`` (within ``tol``).

    Examples
    --------
    >>> [interval_decision(lo, hi, 0.0, claim="above") for lo, hi in [(0.2, 3), (-1, -0.1)]]
    ['demonstrated', 'refuted']
    >>> [interval_decision(0.3, hi, 1.0, claim="at most") for hi in (0.9, 1.0)]
    ['demonstrated', 'undecided']
    """
    lo, hi, claimed = float(lo), float(hi), float(claimed)
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(claimed)) or lo > hi:
        raise ValueError(f"lo, hi, claimed must be finite with lo <= hi, got {lo}, {hi}, "
                         f"{claimed}")
    if not 0 <= tol < 1e-3:
        raise ValueError(f"tol must be in [0, 1e-3), got {tol!r}")
    if claim == "above":
        return (DEMONSTRATED if lo > claimed + tol else REFUTED if hi < claimed - tol
                else UNDECIDED)
    if claim == "at most":
        return (DEMONSTRATED if hi < claimed - tol else REFUTED if lo > claimed + tol
                else UNDECIDED)
    raise ValueError(f"claim must be 'above' or 'at most', got {claim!r}")


def holm(p_values: Sequence[float], alpha: float) -> list[bool]:
    """Holm's step-down procedure: which hypotheses are rejected, keeping the probability of any
    false rejection at most ``alpha`` under any dependence. Sorted ascending, ``p_(i)`` is
    rejected while ``p_(i) <= alpha / (K - i)`` (``i = 0..K-1``); the first that is not stops.

    Examples
    --------
    >>> holm([0.001, 0.04, 0.02], 0.05)
    [True, True, True]
    >>> holm([0.001, 0.04, 0.03], 0.05)
    [True, False, False]
    """
    alpha = check_probability("alpha", alpha)
    ps = [float(p) for p in p_values]
    if not ps or any(not 0 <= p <= 1 for p in ps):
        raise ValueError(f"p_values must be a non-empty list of probabilities, got {p_values!r}")
    out = [False] * len(ps)
    for i, j in enumerate(sorted(range(len(ps)), key=lambda j: ps[j])):
        if ps[j] > alpha / (len(ps) - i):
            break
        out[j] = True
    return out
