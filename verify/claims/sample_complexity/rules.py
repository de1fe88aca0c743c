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
- :func:`decay_rate`: the slope of ``log(error)`` against ``log m`` where the error decays
  through positive values, or ``None`` where it cannot be measured.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np

from verify._validate import check_int, check_probability
from verify.evidence.sequential import DEMONSTRATED, REFUTED, UNDECIDED
from verify.evidence.stats import clopper_pearson

__all__ = ["bootstrap_exponent", "decay_rate", "fit_exponent", "m_epsilon", "sign_test_decision"]


def m_epsilon(curve: Sequence[tuple[int, float]], eps: float) -> int | None:
    """The smallest size ``m`` of ``curve`` (``[(m, error), ...]``, increasing ``m``) from which
    every measured error is ``<= eps``; ``None`` when the last one is above ``eps`` (the sample
    complexity is beyond the grid: censored).

    Examples
    --------
    >>> m_epsilon([(2, 0.5), (4, 0.05), (8, 0.2), (16, 0.0), (32, 0.0)], 0.1)
    16
    >>> m_epsilon([(2, 0.5), (4, 0.3)], 0.1) is None
    True
    """
    eps = check_probability("eps", eps)
    ms = [check_int("curve", m, low=1) for m, _ in curve]
    if not ms or any(b <= a for a, b in itertools.pairwise(ms)):
        raise ValueError(f"curve must be a non-empty list of (m, error) with increasing m, got "
                         f"{curve!r}")
    errs = [float(e) for _, e in curve]
    if any(not 0 <= e <= 1 for e in errs):
        raise ValueError("curve: every error must be in [0, 1]")
    found = None
    for m, e in zip(reversed(ms), reversed(errs), strict=True):
        if e > eps:
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
    if not isinstance(seed_seq, np.random.SeedSequence):
        raise ValueError(f"seed_seq must be a numpy SeedSequence, got {type(seed_seq).__name__}")
    replicates = check_int("replicates", replicates, low=10)
    level = check_probability("level", level)
    rng = np.random.Generator(np.random.PCG64(seed_seq))
    means = np.empty((replicates, len(arrs)))
    for j, a in enumerate(arrs):
        logs = np.log(a)
        means[:, j] = logs[rng.integers(0, a.size, size=(replicates, a.size))].mean(axis=1)
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


def decay_rate(curve: Sequence[tuple[int, float]], *, top: float = 0.45,
               least: int = 3) -> dict[str, float] | None:
    """The slope ``b`` of ``log(error) = a + b log m`` over the points of ``curve`` (mean error
    against ``m``) with ``0 < error < top`` (the decaying part, below chance), or ``None`` when
    there are fewer than ``least`` such points (the error jumps from chance to 0: no rate to
    measure).

    Examples
    --------
    >>> round(decay_rate([(4, 0.4), (16, 0.2), (64, 0.1), (256, 0.0)])["slope"], 12)
    -0.5
    >>> decay_rate([(2, 0.5), (4, 0.5), (8, 0.0)]) is None
    True
    """
    least = check_int("least", least, low=2)
    if not 0 < top <= 1:
        raise ValueError(f"top must be in (0, 1], got {top!r}")
    pts = [(float(m), float(e)) for m, e in curve if 0 < e < top]
    if len(pts) < least or len({m for m, _ in pts}) < 2:
        return None
    x, y = np.log(np.array(pts)).T
    b, a = _slope(x, y)
    return {"slope": float(b), "constant": float(math.exp(a)), "points": len(pts)}


def as_table(values: Mapping[int, Sequence[float | None]]) -> dict[str, list[float | None]]:
    """JSON-ready ``{str(d): values}``."""
    return {str(d): [None if v is None else float(v) for v in vs] for d, vs in values.items()}
