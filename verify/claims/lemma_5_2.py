"""Lemma 5.2 (Section 5, Part 1; proof in Appendix B): the number of "lucky" filters at
initialisation.

The claim (Eq. 7): with probability at least ``1 - 4e^{-d}``,
``k/(4d) <= |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d``.

The law of the counts, exactly
------------------------------
Filters ``(w_i, a_i)`` are iid. Whether filter ``i`` is in ``W_0+`` (Eq. 6) depends only on the
ordering and signs of its projections on ``o_1, o_3, ..., o_l``, which are a positive multiple of
iid ``N(0, 1)`` variables (see :mod:`verify.claims._kernels.lemma_5_2_numba`). ``W_0+`` takes the argmax
over ``O \\ {o_2}``, which has ``l - 1`` patterns, so

    q_l = P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-(l-1)}) / (2(l-1)).

The proof writes ``d - 1`` for ``l - 1`` (:func:`paper_lucky_probability`): right only when
``l = d``. ``A+`` and ``A-`` are disjoint, so each filter is in ``W_0+ ∩ A+`` with probability
``q_l``, in ``W_0- ∩ A-`` with probability ``q_l``, never in both: the two counts and the rest are
``Multinomial(k; q_l, q_l, 1 - 2 q_l)``. :func:`exact_failure_probability` sums that law, so the
lemma's failure probability is known exactly for every ``(d, l, k)``; the Monte Carlo
(:func:`lucky_counts`, :func:`check_lemma_5_2`) corroborates it through the library's own
initialisation.

Findings (see :func:`errata`): for ``l < d`` the expected count ``k q_l`` can exceed ``k/d`` and
the upper bound fails with high probability even for ``k >= 8d^3``; the statement omits the
``k >= 8d^3`` the proof uses; the proof's step ``q_d <= 1/d  =>  q_d + 1/(4d) <= 1/d`` does not
follow as written (it needs ``q_d <= 3/(4d)``, which is true for ``d >= 3``).

Statistics: every Monte Carlo decision is an exact binomial test at level ``alpha`` (default
:data:`ALPHA` = 1e-9; see :mod:`verify.evidence.stats`). ``n`` (the number of positions) plays no role:
the sets of Eq. 6 depend on ``W_0``, ``a_0`` and ``O`` only.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import stats as _st

from verify._validate import check_int, check_probability, check_seed
from verify.claims._kernels import lemma_5_2_numba as _nb
from verify.claims._kernels import lemma_5_2_numpy as _np
from verify.evidence import Erratum, Evidence, Verdict, verdict_from_slack
from verify.evidence.stats import (
    binomial_test,
    rejection_probability,
    two_sided_binomial_test,
    two_sided_rejection_probability,
)
from verify.model.assumptions import evaluate
from verify.model.initialisation import initialise
from verify.model.lucky import lucky_filters
from verify.model.network import projections
from verify.model.patterns import haar_patterns
from verify.model.setting import Setting, minimal_setting
from verify.rng import generator

__all__ = [
    "ALPHA",
    "ASSUMPTION_NAMES",
    "CHUNK_TRIALS",
    "CLAIM",
    "CLAIM_PROBABILITY",
    "STATEMENT",
    "Sampler",
    "certified_horizon",
    "check_lemma_5_2",
    "check_lemma_5_2_exact",
    "check_lucky_probability",
    "check_setting",
    "claimed_failure_rate",
    "count_bounds",
    "errata",
    "exact_failure_probability",
    "failing_ks",
    "first_failing_k",
    "lemma_5_2_grid",
    "lemma_failures",
    "lucky_counts",
    "lucky_probability",
    "paper_lucky_probability",
    "proof_inequalities",
    "report_checks",
    "smallest_counterexample",
]

ALPHA = 1e-9
"""Default level of every exact test here (false-alarm probability per decision)."""

CHUNK_TRIALS = 100
"""Trials per random stream in the fast path; the chunking is fixed, so results do not depend on
the number of worker threads."""

CLAIM = "Lemma 5.2"
CLAIM_PROBABILITY = "Lemma 5.2 (per-filter probability)"
STATEMENT = "With probability >= 1 - 4e^{-d}: k/(4d) <= |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d (Eq. 7)"
ASSUMPTION_NAMES = ("l=d", "k>=8d^3")

Sampler = Callable[[int, int, int, int, int], tuple[np.ndarray, np.ndarray]]
"""``sampler(d, l, k, trials, seed) -> (plus, minus)``: per-trial counts of ``W_0+ ∩ A+`` and
``W_0- ∩ A-`` (int64, length ``trials``). Checkers accept one so that tests can feed them broken
counts and see them fail."""


# ----------------------------------------------------------------------------- validation


def _dlk(d: object, l: object, k: object) -> tuple[int, int, int]:
    d = check_int("d", d, low=3)
    l = check_int("l", l, low=3, high=d)
    k = check_int("k", k, low=1)
    return d, l, k


def _assumptions(d: int, l: int, k: int) -> dict[str, bool]:
    return evaluate(minimal_setting(d, l, k), ASSUMPTION_NAMES)


# ----------------------------------------------------------------------------- exact law


def lucky_probability(l: int) -> float:
    """``q_l = P(i in W_0+ ∩ A+) = (1 - 2^{-(l-1)}) / (2(l-1))``: the argmax of Eq. 6 runs over
    the ``l - 1`` patterns of ``O \\ {o_2}`` (corrects Appendix B, which has ``d - 1``).

    Examples
    --------
    >>> lucky_probability(3)
    0.1875
    """
    l = check_int("l", l, low=3)
    return (1.0 - 2.0 ** (-(l - 1))) / (2.0 * (l - 1))


def paper_lucky_probability(d: int) -> float:
    """The proof's ``P(i in W_0+ ∩ A+) = (1 - 2^{-d+1}) / (2(d-1))`` (Appendix B); equals
    :func:`lucky_probability` only when ``l = d``."""
    d = check_int("d", d, low=3)
    return lucky_probability(d)


def claimed_failure_rate(d: int) -> float:
    """``4 e^{-d}``: the failure probability Lemma 5.2 allows."""
    d = check_int("d", d, low=3)
    return 4.0 * math.exp(-d)


def count_bounds(d: int, k: int) -> tuple[int, int]:
    """Integer form of Eq. 7: a count ``X`` satisfies ``k/(4d) <= X <= k/d`` iff
    ``lo <= X <= hi`` with ``lo = ceil(k/(4d))``, ``hi = floor(k/d)``."""
    d = check_int("d", d, low=3)
    k = check_int("k", k, low=1)
    return -(-k // (4 * d)), k // d


def lemma_failures(d: int, k: int, plus: object, minus: object) -> np.ndarray:
    """Boolean per trial: Eq. 7 fails for the counts ``(plus[t], minus[t])`` (integer
    arithmetic, no rounding)."""
    d = check_int("d", d, low=3)
    k = check_int("k", k, low=1)
    p = np.asarray(plus, dtype=np.int64)
    m = np.asarray(minus, dtype=np.int64)
    ok_p = (4 * d * p >= k) & (d * p <= k)
    ok_m = (4 * d * m >= k) & (d * m <= k)
    return ~(ok_p & ok_m)


def exact_failure_probability(d: int, l: int, k: int) -> float:
    """The exact probability that Eq. 7 fails, from ``Multinomial(k; q_l, q_l, 1 - 2q_l)``.

    ``P(fail) = P(X+ < lo) + P(X+ > hi) + sum_{x=lo..hi} P(X+ = x) P(X- not in [lo, hi] | X+ = x)``
    with ``X- | X+ = x ~ Bin(k - x, q_l / (1 - q_l))``: a sum of non-negative terms, accurate to
    relative ~1e-12 even when the probability is tiny.

    Examples
    --------
    >>> exact_failure_probability(5, 3, 1000) > claimed_failure_rate(5)
    True
    """
    d, l, k = _dlk(d, l, k)
    q = lucky_probability(l)
    lo, hi = count_bounds(d, k)
    if lo > hi:
        return 1.0
    x = np.arange(lo, hi + 1)
    qc = q / (1.0 - q)
    inner = _st.binom.cdf(lo - 1, k - x, qc) + _st.binom.sf(hi, k - x, qc)
    total = _st.binom.cdf(lo - 1, k, q) + _st.binom.sf(hi, k, q)
    total += float(np.sum(_st.binom.pmf(x, k, q) * inner))
    return float(min(total, 1.0))


def certified_horizon(d: int, l: int) -> tuple[int, bool]:
    """``(K, eventually_fails)``: beyond ``K`` the verdict of Eq. 7 is certified for every ``k``.

    If ``q_l < 1/d``: with ``eps = min(q_l - 1/(4d), 1/d - q_l) > 0``, Hoeffding and a union bound
    over the four tails give ``P(fail) <= 4 exp(-2 k eps^2) <= 4e^{-d}`` for ``k >= d/(2 eps^2)``
    (holds for all ``k >= K``). If ``q_l > 1/d``: ``P(fail) >= P(X+ > k/d) >= 1 - exp(-2k(q_l -
    1/d)^2) > 4e^{-d}`` for ``k >= K`` (fails for all ``k >= K``). (``q_l = 1/d`` never happens.)
    For ``l = d``, ``K <= 8d^3``: the proof's Hoeffding step, with the right deviation.
    """
    d, l, _ = _dlk(d, l, 1)
    q = lucky_probability(l)
    if q < 1.0 / d:
        eps = min(q - 1.0 / (4 * d), 1.0 / d - q)
        x = d / (2.0 * eps**2)
        return math.ceil(x * (1 + 1e-9)) + 1, False
    delta = q - 1.0 / d
    x = -math.log1p(-claimed_failure_rate(d)) / (2.0 * delta**2)
    return math.ceil(x * (1 + 1e-9)) + 1, True


def _fails(d: int, l: int, k: int) -> bool:
    return exact_failure_probability(d, l, k) > claimed_failure_rate(d)


def first_failing_k(d: int, l: int, k_min: int = 1) -> int | None:
    """The smallest ``k >= k_min`` at which Eq. 7 fails with probability above ``4e^{-d}``
    (exact; complete thanks to :func:`certified_horizon`), or ``None`` if there is none."""
    d, l, k_min = _dlk(d, l, k_min)
    horizon, eventually = certified_horizon(d, l)
    for k in range(k_min, horizon):
        if _fails(d, l, k):
            return k
    return max(k_min, horizon) if eventually else None


def failing_ks(d: int, l: int, k_min: int = 1) -> dict[str, object]:
    """Every ``k >= k_min`` at which Lemma 5.2 fails, as maximal intervals ``[a, b]``, exact below
    the :func:`certified_horizon` ``K``; ``fails_from`` is ``K`` if it fails for every ``k >= K``,
    else ``None``. Cost: one exact evaluation per ``k`` below ``K``."""
    d, l, k_min = _dlk(d, l, k_min)
    horizon, eventually = certified_horizon(d, l)
    intervals: list[list[int]] = []
    for k in range(k_min, horizon):
        if _fails(d, l, k):
            if intervals and intervals[-1][1] == k - 1:
                intervals[-1][1] = k
            else:
                intervals.append([k, k])
    return {
        "d": d,
        "l": l,
        "k_min": k_min,
        "horizon": horizon,
        "intervals": intervals,
        "fails_from": max(k_min, horizon) if eventually else None,
    }


_K_RULES: dict[str, Callable[[int], int]] = {
    "8d^3": lambda d: 8 * d**3,
    "8d^3+1": lambda d: 8 * d**3 + 1,
    "d^3": lambda d: d**3,
    "any": lambda d: 1,
}


def smallest_counterexample(
    d_max: int = 10, *, k_rule: str = "8d^3", l_equals_d: bool = False
) -> dict[str, object] | None:
    """The smallest ``d``, then smallest ``k`` (then smallest ``l``), with ``3 <= l <= d`` and
    ``k >= k_rule(d)``, at which Lemma 5.2 fails: its exact failure probability exceeds
    ``4e^{-d}``. ``k_rule`` is ``"8d^3"`` (the proof's assumption), ``"8d^3+1"`` (Theorem 5.1's),
    ``"d^3"`` (the main text's sketch) or ``"any"`` (the statement as printed).
    ``l_equals_d`` restricts to the proof's hidden ``l = d``. Exact and complete up to ``d_max``.
    """
    d_max = check_int("d_max", d_max, low=3)
    if k_rule not in _K_RULES:
        raise ValueError(f"k_rule must be one of {sorted(_K_RULES)}, got {k_rule!r}")
    for d in range(3, d_max + 1):
        k_min = _K_RULES[k_rule](d)
        found = []
        for l in [d] if l_equals_d else range(3, d + 1):
            k = first_failing_k(d, l, k_min)
            if k is not None:
                found.append((k, l))
        if found:
            k, l = min(found)
            return {
                "d": d,
                "l": l,
                "k": k,
                "k_rule": k_rule,
                "exact_failure_probability": exact_failure_probability(d, l, k),
                "claimed_failure_rate": claimed_failure_rate(d),
                "expected_count": k * lucky_probability(l),
                "upper_bound_k_over_d": k / d,
            }
    return None


# ----------------------------------------------------------------------------- sampling


def _fast_chunk(args: tuple[int, int, int, int, int, str]) -> tuple[np.ndarray, np.ndarray]:
    seed, l, k, chunk, size, backend = args
    rng = generator(seed, "lemma-5.2", "fast", l, k, chunk)
    plus = np.empty(size, dtype=np.int64)
    minus = np.empty(size, dtype=np.int64)
    (_nb if backend == "numba" else _np).lucky_counts_chunk(rng, k, l, plus, minus)
    return plus, minus


def _dense_counts(d: int, l: int, k: int, trials: int, seed: int, backend: str):
    plus = np.empty(trials, dtype=np.int64)
    minus = np.empty(trials, dtype=np.int64)
    for t in range(trials):
        rng = generator(seed, "lemma-5.2", "dense", d, l, k, t)
        O = haar_patterns(d, l, rng)
        W0, a0 = initialise(k, d, 1.0, rng)
        p, m = lucky_filters(projections(W0, O, backend=backend), a0)
        plus[t] = int(p.sum())
        minus[t] = int(m.sum())
    return plus, minus


def lucky_counts(
    d: int,
    l: int,
    k: int,
    trials: int,
    seed: int,
    *,
    path: str = "fast",
    backend: str = "numba",
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Counts ``(|W_0+ ∩ A+|, |W_0- ∩ A-|)`` of ``trials`` independent initialisations.

    ``path="dense"``: the library's own pipeline per trial (stream ``(seed, "lemma-5.2",
    "dense", d, l, k, t)``): :func:`~verify.model.patterns.haar_patterns`,
    :func:`~verify.model.initialisation.initialise` (``r = 1``; the sets do not depend on ``r``),
    :func:`~verify.model.network.projections` and :func:`~verify.model.lucky.lucky_filters`.
    ``path="fast"``: the kernel of :mod:`verify.claims._kernels.lemma_5_2_numba` (``l`` normals and a
    sign per filter, fewer with early stopping; never forms ``W``), in chunks of
    :data:`CHUNK_TRIALS` trials with streams ``(seed, "lemma-5.2", "fast", l, k, chunk)`` run on
    ``workers`` threads (default: every core); bit-identical whatever ``workers`` is.
    ``backend="numpy"`` runs the plain twins (slow).
    """
    d, l, k = _dlk(d, l, k)
    trials = check_int("trials", trials, low=1)
    seed = check_seed("seed", seed)
    if path not in ("fast", "dense"):
        raise ValueError(f"path must be 'fast' or 'dense', got {path!r}")
    if backend not in ("numba", "numpy"):
        raise ValueError(f"backend must be 'numba' or 'numpy', got {backend!r}")
    if workers is None:
        workers = os.cpu_count() or 1
    workers = check_int("workers", workers, low=1)
    if path == "dense":
        return _dense_counts(d, l, k, trials, seed, backend)
    n_chunks = -(-trials // CHUNK_TRIALS)
    tasks = [
        (seed, l, k, c, min(CHUNK_TRIALS, trials - c * CHUNK_TRIALS), backend)
        for c in range(n_chunks)
    ]
    if workers == 1 or n_chunks == 1 or backend == "numpy":
        parts = [_fast_chunk(t) for t in tasks]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, n_chunks)) as pool:
            parts = list(pool.map(_fast_chunk, tasks))
    return np.concatenate([p for p, _ in parts]), np.concatenate([m for _, m in parts])


def _sample(d, l, k, trials, seed, path, sampler, workers):
    if sampler is None:
        return lucky_counts(d, l, k, trials, seed, path=path, workers=workers)
    if not callable(sampler):
        raise ValueError(f"sampler must be callable or None, got {type(sampler).__name__}")
    plus, minus = sampler(d, l, k, trials, seed)
    plus = np.asarray(plus)
    minus = np.asarray(minus)
    for name, v in (("plus", plus), ("minus", minus)):
        if v.shape != (trials,) or not np.issubdtype(v.dtype, np.integer):
            raise ValueError(f"sampler: {name} counts must be {trials} integers, got {v.shape}")
    if plus.min() < 0 or minus.min() < 0 or np.any(plus + minus > k):
        raise ValueError("sampler: counts must be >= 0 with plus + minus <= k")
    return plus.astype(np.int64), minus.astype(np.int64)


def _reproduce(fn: str, args: str) -> str:
    return f"python -c 'from verify.claims.lemma_5_2 import {fn}; print({fn}({args}).summary())'"


# ----------------------------------------------------------------------------- checkers


def _count_histogram(plus: np.ndarray, minus: np.ndarray, *, d: int, l: int, k: int,
                     trials: int) -> dict[str, object]:
    """A plot specification (:mod:`verify.report.plots`): the distribution of the two counts
    over the trials, with the lemma's interval ``[k/(4d), k/d]``."""
    lo = int(min(plus.min(), minus.min(), k // (4 * d)))
    hi = int(max(plus.max(), minus.max(), -(-k // d)))
    x = list(range(lo, hi + 1))
    return {
        "title": f"Lemma 5.2: lucky counts, d={d}, l={l}, k={k}, {trials} trials",
        "xlabel": "count", "ylabel": "trials",
        "series": [
            {"label": "|W0+ ∩ A+|", "x": x, "y": np.bincount(plus - lo, minlength=len(x)).tolist(),
             "style": "step"},
            {"label": "|W0- ∩ A-|", "x": x,
             "y": np.bincount(minus - lo, minlength=len(x)).tolist(), "style": "step"},
        ],
        "vlines": [{"x": k / (4 * d), "label": "k/(4d)"}, {"x": k / d, "label": "k/d"}],
    }


def check_lemma_5_2(
    d: int,
    l: int,
    k: int,
    *,
    trials: int = 2000,
    seed: int = 0,
    alpha: float = ALPHA,
    path: str = "fast",
    sampler: Sampler | None = None,
    workers: int | None = None,
) -> Evidence:
    """Monte Carlo check of Lemma 5.2 (Eq. 7) at ``(d, l, k)``.

    Counts the trials in which Eq. 7 fails and runs the exact one-sided test of ``H0: P(fail) <=
    4e^{-d}`` at level ``alpha``. Verdict: ``fails`` if rejected (the failure rate is
    significantly above ``4e^{-d}``); also ``fails`` if the failure count is inconsistent (exact
    two-sided test at ``alpha``) with :func:`exact_failure_probability`, which means the sampler
    or the exact law is wrong; ``holds`` otherwise. ``details`` holds both tests, the exact
    failure probability, the test's power (its detectable rate and its rejection probability at
    the exact rate) and the counts. Assumptions ``l=d`` and ``k>=8d^3`` (the proof's, not the
    statement's) are evaluated.
    """
    d, l, k = _dlk(d, l, k)
    trials = check_int("trials", trials, low=1)
    seed = check_seed("seed", seed)
    alpha = check_probability("alpha", alpha)
    plus, minus = _sample(d, l, k, trials, seed, path, sampler, workers)
    fail = lemma_failures(d, k, plus, minus)
    failures = int(fail.sum())
    bound = claimed_failure_rate(d)
    exact = exact_failure_probability(d, l, k)
    claim = binomial_test(failures, trials, bound, alpha)
    consistency = two_sided_binomial_test(failures, trials, exact, alpha)
    lo, hi = count_bounds(d, k)
    q = lucky_probability(l)
    details = {
        "claim_test": claim.as_dict(),
        "exact_failure_probability": exact,
        "exact_exceeds_bound": exact > bound,
        "power_at_exact_rate": rejection_probability(trials, bound, alpha, exact),
        "consistency_with_exact": consistency.as_dict(),
        "per_filter_probability": {"l_formula": q, "paper_d_formula": paper_lucky_probability(d)},
        "expected_count": k * q,
        "count_bounds": {"k/(4d)": k / (4 * d), "k/d": k / d, "integer": [lo, hi]},
        "mean_counts": [float(plus.mean()), float(minus.mean())],
        "min_counts": [int(plus.min()), int(minus.min())],
        "max_counts": [int(plus.max()), int(minus.max())],
        "trials_below_k/(4d)": int(np.sum((plus < lo) | (minus < lo))),
        "trials_above_k/d": int(np.sum((plus > hi) | (minus > hi))),
        "path": path if sampler is None else "custom sampler",
        "n": "irrelevant: the sets of Eq. 6 depend only on W_0, a_0 and O",
        "plot": _count_histogram(plus, minus, d=d, l=l, k=k, trials=trials),
    }
    if claim.rejected:
        verdict = Verdict.FAILS
        reason = (
            f"failure rate {claim.rate:.4g} (95% CI {claim.interval[0]:.4g}.."
            f"{claim.interval[1]:.4g}) is significantly above 4e^-d = {bound:.4g} "
            f"(p = {claim.p_value:.3g} < {alpha:g})"
        )
        if l < d:
            reason += (
                f"; l = {l} < d = {d} is inside the setting (3 <= l <= d) but the proof's "
                f"per-filter probability assumes l = d: E|W_0+ ∩ A+| = {k * q:.1f} vs k/d = "
                f"{k / d:.1f}"
            )
    elif consistency.rejected:
        verdict = Verdict.FAILS
        reason = (
            f"the Monte Carlo failure count {failures}/{trials} is inconsistent with the exact "
            f"failure probability {exact:.4g} (two-sided p = {consistency.p_value:.3g}): the "
            "sampler or the exact law is wrong"
        )
    else:
        verdict = Verdict.HOLDS
        reason = ""
        if exact > bound:
            reason = (
                f"not rejected, but the exact failure probability {exact:.4g} exceeds "
                f"4e^-d = {bound:.4g}; this test rejects with probability "
                f"{details['power_at_exact_rate']:.3g} at that rate (see check_lemma_5_2_exact)"
            )
    return Evidence(
        claim=CLAIM,
        statement=STATEMENT,
        verdict=verdict,
        observed=claim.rate,
        bound=bound,
        slack=claim.p_value - alpha,
        slack_kind="p-value",
        tolerance=0.0,
        params={"d": d, "l": l, "k": k, "trials": trials, "seed": seed, "alpha": alpha,
                "path": path},
        assumptions=_assumptions(d, l, k),
        reason=reason,
        details=details,
        reproduce=_reproduce(
            "check_lemma_5_2",
            f'{d}, {l}, {k}, trials={trials}, seed={seed}, alpha={alpha!r}, path="{path}"',
        ),
    )


def check_lemma_5_2_exact(d: int, l: int, k: int, *, scan: bool = False) -> Evidence:
    """Exact check of Lemma 5.2 at ``(d, l, k)``: :func:`exact_failure_probability` against
    ``4e^{-d}`` (slack = bound - exact, tolerance 1e-9 relative to the bound). ``details`` says
    what happens for every larger ``k`` (:func:`certified_horizon`); with ``scan=True`` it also
    lists every failing ``k' >= k`` (:func:`failing_ks`; one exact evaluation per ``k'`` below
    the horizon, which can take minutes)."""
    d, l, k = _dlk(d, l, k)
    exact = exact_failure_probability(d, l, k)
    bound = claimed_failure_rate(d)
    tol = 1e-9 * bound
    slack = bound - exact
    verdict = verdict_from_slack(slack, tol)
    q = lucky_probability(l)
    horizon, eventually = certified_horizon(d, l)
    reason = ""
    if verdict is Verdict.FAILS:
        parts = [f"exact failure probability {exact:.4g} > 4e^-d = {bound:.4g}"]
        if l < d:
            parts.append(
                f"l = {l} < d = {d}: P(i in W_0+ ∩ A+) = {q:.4g}, not the proof's "
                f"{paper_lucky_probability(d):.4g}; E|W_0+ ∩ A+| = {k * q:.1f} vs k/d = {k / d:.1f}"
            )
        if k < 8 * d**3:
            parts.append(f"k = {k} < 8d^3 = {8 * d**3} (the proof's assumption)")
        reason = "; ".join(parts)
    eps = min(q - 1 / (4 * d), 1 / d - q)
    return Evidence(
        claim=CLAIM,
        statement=STATEMENT,
        verdict=verdict,
        observed=exact,
        bound=bound,
        slack=slack,
        slack_kind="difference",
        tolerance=tol,
        params={"d": d, "l": l, "k": k, "method": "exact multinomial"},
        assumptions=_assumptions(d, l, k),
        reason=reason,
        details={
            "per_filter_probability": {
                "l_formula": q,
                "paper_d_formula": paper_lucky_probability(d),
            },
            "expected_count": k * q,
            "count_bounds": {"k/(4d)": k / (4 * d), "k/d": k / d},
            "ratio_to_bound": exact / bound,
            "hoeffding_bound_with_true_q": 4 * math.exp(-2 * k * eps**2) if eps > 0 else 1.0,
            "for_all_k_from": horizon,
            "for_all_larger_k": "fails" if eventually else "holds",
            **({"failing_k_from_here": failing_ks(d, l, k)} if scan else {}),
        },
        reproduce=_reproduce("check_lemma_5_2_exact", f"{d}, {l}, {k}, scan={scan}"),
    )


def check_setting(setting: Setting) -> Evidence:
    """:func:`check_lemma_5_2_exact` at ``(setting.d, setting.l, setting.k)``: the setting-level
    form the fuzzing (:mod:`verify.fuzzing`) calls. The counts depend on ``d``, ``l`` and ``k``
    alone (not on ``n``, ``m``, the step sizes or ``r > 0``)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    return check_lemma_5_2_exact(setting.d, setting.l, setting.k)


def check_lucky_probability(
    d: int,
    l: int,
    k: int,
    *,
    trials: int = 500,
    seed: int = 0,
    alpha: float = ALPHA,
    formula: str = "paper",
    path: str = "fast",
    sampler: Sampler | None = None,
    workers: int | None = None,
) -> Evidence:
    """Check the per-filter probability of the proof of Lemma 5.2 by pooling counts.

    Over ``trials`` initialisations of ``k`` filters, the totals of ``W_0+ ∩ A+`` and of
    ``W_0- ∩ A-`` are each ``Bin(trials k, q)``; each gets the exact two-sided test of
    ``q = target`` at level ``alpha / 2`` (so the checker's false-alarm rate is at most
    ``alpha``). ``formula="paper"``: target ``(1 - 2^{-d+1}) / (2(d-1))`` (Appendix B);
    ``formula="l"``: target ``(1 - 2^{-(l-1)}) / (2(l-1))``. ``details`` has both formulas' tests
    and the power of the paper-formula test against the ``l``-formula value (and vice versa).
    """
    d, l, k = _dlk(d, l, k)
    trials = check_int("trials", trials, low=1)
    seed = check_seed("seed", seed)
    alpha = check_probability("alpha", alpha)
    if formula not in ("paper", "l"):
        raise ValueError(f"formula must be 'paper' or 'l', got {formula!r}")
    plus, minus = _sample(d, l, k, trials, seed, path, sampler, workers)
    N = trials * k
    sp, sm = int(plus.sum()), int(minus.sum())
    targets = {"paper": paper_lucky_probability(d), "l": lucky_probability(l)}
    other = "l" if formula == "paper" else "paper"
    tests = {
        name: [two_sided_binomial_test(s, N, q, alpha / 2) for s in (sp, sm)]
        for name, q in targets.items()
    }
    mine = tests[formula]
    rejected = any(t.rejected for t in mine)
    p_min = min(t.p_value for t in mine)
    target = targets[formula]
    observed = (sp + sm) / (2 * N)
    if formula == "paper":
        statement = ("P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-d+1}) / (2(d-1)) "
                     "(proof of Lemma 5.2, Appendix B)")
    else:
        statement = ("P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-(l-1)}) / (2(l-1)) "
                     "(corrected: |O minus {o_2}| = l - 1)")
    reason = ""
    if rejected:
        reason = (
            f"pooled rates {sp / N:.5g} (W_0+ ∩ A+) and {sm / N:.5g} (W_0- ∩ A-) over {N} "
            f"filters differ significantly from {target:.5g} (p = {p_min:.3g} < {alpha / 2:g})"
        )
        if formula == "paper" and l < d:
            reason += f"; the argmax runs over l - 1 = {l - 1} patterns, not d - 1 = {d - 1}"
    power = two_sided_rejection_probability(N, target, alpha / 2, targets[other])
    return Evidence(
        claim=CLAIM_PROBABILITY,
        statement=statement,
        verdict=Verdict.FAILS if rejected else Verdict.HOLDS,
        observed=observed,
        bound=target,
        slack=p_min - alpha / 2,
        slack_kind="p-value",
        tolerance=0.0,
        params={"d": d, "l": l, "k": k, "trials": trials, "seed": seed, "alpha": alpha,
                "formula": formula, "path": path},
        assumptions={"l=d": l == d},
        reason=reason,
        details={
            "filters": N,
            "lucky_plus": sp,
            "lucky_minus": sm,
            "targets": targets,
            "tests": {name: [t.as_dict() for t in ts] for name, ts in tests.items()},
            f"power_against_{other}_formula": power,
            "path": path if sampler is None else "custom sampler",
        },
        reproduce=_reproduce(
            "check_lucky_probability",
            f"{d}, {l}, {k}, trials={trials}, seed={seed}, alpha={alpha!r}, "
            f'formula="{formula}", path="{path}"',
        ),
    )


def lemma_5_2_grid(
    d_values: Iterable[int] = range(3, 11), *, k_factors: tuple[int, ...] = (1,)
) -> list[Evidence]:
    """Exact evidence (:func:`check_lemma_5_2_exact`) over the whole setting: every
    ``3 <= l <= d`` for ``d`` in ``d_values`` and ``k = 8 d^3 f`` for ``f`` in ``k_factors``
    (``f = 1``: the smallest ``k`` the proof allows)."""
    ds = [check_int("d_values", d, low=3) for d in d_values]
    fs = [check_int("k_factors", f, low=1) for f in k_factors]
    return [
        check_lemma_5_2_exact(d, l, 8 * d**3 * f) for d in ds for l in range(3, d + 1) for f in fs
    ]


def proof_inequalities(d: int) -> dict[str, object]:
    """The numbers behind Appendix B's last step for ``l = d``, with ``p = q_d``: the proof
    writes ``p >= 1/(2d)`` and ``p <= 1/d`` and concludes ``p - 1/(4d) >= 1/(4d)`` and
    ``p + 1/(4d) <= 1/d``. The first conclusion follows; the second needs ``p <= 3/(4d)``,
    which ``p <= 1/d`` does not give (``p = 1/d`` would give ``5/(4d)``)."""
    d = check_int("d", d, low=3)
    p = paper_lucky_probability(d)
    return {
        "d": d,
        "p": p,
        "p>=1/(2d)": p >= 1 / (2 * d),
        "p<=1/d (written)": p <= 1 / d,
        "p<=3/(4d) (needed)": p <= 3 / (4 * d),
        "p+1/(4d)<=1/d": p + 1 / (4 * d) <= 1 / d,
        "margin_needed": 3 / (4 * d) - p,
        "written_premise_allows_upto": 5 / (4 * d),
        "hoeffding_exponent_k=8d^3": 2 * 8 * d**3 * (1 / (4 * d)) ** 2,
    }


# ----------------------------------------------------------------------------- report


def errata() -> list[Erratum]:
    """The errata of Lemma 5.2 and its proof, each with evidence computed now."""
    found_by = "verify.claims.lemma_5_2"
    ce = smallest_counterexample(8)
    assert ce is not None
    d, l, k = int(ce["d"]), int(ce["l"]), int(ce["k"])
    mc = check_lemma_5_2(d, l, k, trials=2000, seed=0)
    big = check_lemma_5_2_exact(6, 3, 8 * 6**3 + 1)
    paper = check_lucky_probability(6, 3, 1729, trials=200, seed=0, formula="paper")
    corrected = check_lucky_probability(6, 3, 1729, trials=200, seed=0, formula="l")
    sketch = check_lemma_5_2_exact(3, 3, 27)
    inside = lemma_5_2_grid(range(3, 11))
    worst_inside = max((e for e in inside if e.params["l"] == e.params["d"]),
                       key=lambda e: e.observed / e.bound)
    ineq = [proof_inequalities(dd) for dd in range(3, 201)]
    tight = min(ineq, key=lambda r: r["margin_needed"] * r["d"])
    largest = {dd: failing_ks(dd, dd)["intervals"][-1][1] for dd in range(3, 7)}
    return [
        Erratum(
            location="Lemma 5.2 (Eq. 7), upper bound, for l < d",
            kind="false-claim",
            text_says="With probability >= 1 - 4e^{-d}: |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d (setting: "
            "3 <= l <= d)",
            what_is_true="E|W_0+ ∩ A+| = k (1 - 2^{-(l-1)})/(2(l-1)), which exceeds k/d when "
            "d > 2(l-1)/(1 - 2^{-(l-1)}) (l = 3: d >= 6); the lemma holds for l = d and "
            "k >= 8d^3, and in general with k/d replaced by (q_l + 1/(4d)) k <= 3k/(4(l-1))",
            evidence=(
                f"smallest counterexample with k >= 8d^3 (exact): d={d}, l={l}, k={k}: failure "
                f"probability {ce['exact_failure_probability']:.4g} vs 4e^-d = "
                f"{ce['claimed_failure_rate']:.4g}. Monte Carlo: {mc.summary()}. "
                f"At d=6, l=3, k=1729: {big.summary()}"
            ),
            found_by=found_by,
        ),
        Erratum(
            location="Appendix B (proof of Lemma 5.2), P(i in W_0+)",
            kind="false-step",
            text_says="P(i in W_0+) = (1 - 2^{-d+1})/(d-1): the argmax over O minus {o_2} is taken "
            "as over d - 1 patterns",
            what_is_true="O minus {o_2} has l - 1 patterns: P(i in W_0+ ∩ A+) = "
            "(1 - 2^{-(l-1)})/(2(l-1)); the text is right only when l = d",
            evidence=f"paper's formula: {paper.summary()} || l-formula: {corrected.summary()}",
            found_by=found_by,
        ),
        Erratum(
            location="Section 5, proof sketch after Lemma 5.2",
            kind="missing-assumption",
            text_says="Lemma 5.2 states no condition on k; the sketch says 'for k >= d^3'; the "
            "proof (Eq. 13) uses k >= 8d^3 (and l = d)",
            what_is_true="the lemma needs a lower bound on k: with k = d^3 it fails at d = 3; "
            "with k >= 8d^3 and l = d it holds for every d",
            evidence=(
                f"k = d^3: {sketch.summary()}. With l = d, the largest failing k (exact, "
                f"complete up to the Hoeffding horizon) is {largest}; 8d^3 = "
                f"{ {dd: 8 * dd**3 for dd in largest} }. Worst l = d case over d = 3..10 at "
                f"k = 8d^3: {worst_inside.summary()}"
            ),
            found_by=found_by,
        ),
        Erratum(
            location="Appendix B, last paragraph (upper bound)",
            kind="false-step",
            text_says="since (1-2^{-d+1})/(2(d-1)) <= 1/d, |W_0+ ∩ A+| <= (1-2^{-d+1})k/(2(d-1)) + "
            "k/(4d) <= k/d",
            what_is_true="p <= 1/d only gives p + 1/(4d) <= 5/(4d); the step needs p <= 3/(4d), "
            "which holds for every d >= 3",
            evidence=(
                f"p <= 3/(4d) for d = 3..200: {all(r['p<=3/(4d) (needed)'] for r in ineq)}; "
                f"smallest relative margin d (3/(4d) - p) = "
                f"{tight['margin_needed'] * tight['d']:.4g} at d = {tight['d']}; at d = 3: "
                f"p = {ineq[0]['p']:.4g}, 3/(4d) = {3 / 12:.4g}, 1/d = {1 / 3:.4g}"
            ),
            found_by=found_by,
        ),
    ]


_PROFILES = {
    "quick": {"d_max": 10, "factors": (1,), "trials": 5000, "pooled": 500, "dense": 0,
              "scans": ()},
    "standard": {"d_max": 12, "factors": (1, 10), "trials": 20_000, "pooled": 2000,
                 "dense": 1000, "scans": ((6, 4), (5, 3))},
    "thorough": {"d_max": 16, "factors": (1, 10, 100), "trials": 100_000, "pooled": 10_000,
                 "dense": 5000, "scans": ((6, 4), (5, 3), (8, 5))},
}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Evidence for the report: the exact grid over ``3 <= l <= d``, Monte Carlo checks at the
    proof's corner (``l = d``, ``k = 8d^3``), at the smallest counterexample and at ``d = 10,
    k = 8001``, and the per-filter probability (paper's and corrected formula)."""
    if profile not in _PROFILES:
        raise ValueError(f"profile must be one of {sorted(_PROFILES)}, got {profile!r}")
    seed = check_seed("seed", seed)
    cfg = _PROFILES[profile]
    scans = set(cfg["scans"])
    out = [
        check_lemma_5_2_exact(d, l, 8 * d**3 * f, scan=(f == 1 and (d, l) in scans))
        for d in range(3, cfg["d_max"] + 1)
        for l in range(3, d + 1)
        for f in cfg["factors"]
    ]
    out.append(check_lemma_5_2_exact(3, 3, 27))  # the sketch's k = d^3
    T = cfg["trials"]
    for d, l, k in ((3, 3, 216), (5, 3, 1000), (6, 3, 1729), (6, 4, 1729), (10, 10, 8001)):
        out.append(check_lemma_5_2(d, l, k, trials=T, seed=seed))
    for d, l, k in ((6, 3, 1729), (10, 10, 8001), (10, 9, 8001)):
        for formula in ("paper", "l"):
            out.append(check_lucky_probability(d, l, k, trials=cfg["pooled"], seed=seed,
                                               formula=formula))
    if cfg["dense"]:
        for d, l, k in ((5, 3, 1000), (5, 5, 1000)):
            out.append(check_lemma_5_2(d, l, k, trials=cfg["dense"], seed=seed, path="dense"))
    return out
