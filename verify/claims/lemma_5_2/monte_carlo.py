"""Lemma 5.2 by Monte Carlo: the lucky counts of many independent initialisations (the fast
kernel path or the dense library path) and :func:`check_lemma_5_2`, an exact binomial test of
the failure rate against ``4e^{-d}``."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from verify._validate import check_int, check_probability, check_seed
from verify.claims._kernels import lemma_5_2_numba as _nb
from verify.claims._kernels import lemma_5_2_numpy as _np
from verify.claims._statistical_rows import failure_rate_decision
from verify.claims.lemma_5_2.exact import (
    claimed_failure_rate,
    count_bounds,
    exact_failure_probability,
    lemma_failures,
    lucky_probability,
    paper_lucky_probability,
)
from verify.claims.lemma_5_2.statement import (
    ALPHA,
    CHUNK_TRIALS,
    CLAIM,
    HOLDS_UNDER,
    STATEMENT,
    Sampler,
    _assumptions,
    _dlk,
    _reproduce,
    proof_condition,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.stats import binomial_test, rejection_probability, two_sided_binomial_test
from verify.model.initialisation import initialise
from verify.model.lucky import lucky_filters
from verify.model.network import projections
from verify.model.patterns import haar_patterns
from verify.rng import generator

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
    ``path="fast"``: the kernel of :mod:`verify.claims._kernels.lemma_5_2_numba` (``l`` normals and
    a sign per filter, fewer with early stopping; never forms ``W``), in chunks of
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


# ----------------------------------------------------------------------------- checkers


def _count_histogram(plus: np.ndarray, minus: np.ndarray, *, d: int, l: int, k: int,
                     trials: int, expected: float) -> dict[str, object]:
    """A plot specification (:mod:`verify._plot`): the distribution of the two counts over the
    trials (the spread is the histogram itself), the lemma's interval ``[k/(4d), k/d]`` as the
    stated bound, and the expected count ``k q_l`` for reference."""
    lo = int(min(plus.min(), minus.min(), k // (4 * d)))
    hi = int(max(plus.max(), minus.max(), -(-k // d)))
    x = list(range(lo, hi + 1))
    outside = int(np.sum(lemma_failures(d, k, plus, minus)))
    return {
        "title": f"Lemma 5.2: lucky counts, d={d}, l={l}, k={k}, {trials} trials",
        "xlabel": f"number of lucky filters (of k = {k})",
        "ylabel": f"trials (of {trials}) with that count",
        "logx": False, "logy": False,
        "series": [
            {"label": "|W0+ ∩ A+|", "x": x, "y": np.bincount(plus - lo, minlength=len(x)).tolist(),
             "style": "step"},
            {"label": "|W0- ∩ A-|", "x": x,
             "y": np.bincount(minus - lo, minlength=len(x)).tolist(), "style": "step"},
        ],
        "vlines": [{"x": k / (4 * d), "label": f"stated bounds k/(4d) = {k / (4 * d):.4g} and "
                    f"k/d = {k / d:.4g}", "bound": True},
                   {"x": k / d, "label": "", "bound": True},
                   {"x": expected, "label": f"expected count k q_l = {expected:.4g}"}],
        "note": f"{outside} of {trials} trials ({outside / trials:.3g}) have a count outside "
                f"[k/(4d), k/d]; the lemma allows a fraction 4e^-d = {claimed_failure_rate(d):.3g}",
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

    The row is statistical: ``details["decision"]`` decides "P(Eq. 7) >= 1 - 4e^{-d}"
    (:func:`verify.claims._statistical_rows.failure_rate_decision`: refuted when the test
    rejects, demonstrated when the 95% lower confidence bound on the success rate reaches
    ``1 - 4e^{-d}``, else undecided); its slack is the effect ``4e^{-d} - failure rate`` (the
    success rate minus the claimed), the p-value is ``details["p_value"]``.
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
    decision = failure_rate_decision(failures, trials, bound, alpha).as_dict()
    if consistency.rejected and decision["status"] != "refuted":
        decision = {**decision, "status": "refuted",
                    "refuted_by": "the exact two-sided test of consistency with the exact law"}
    details = {
        "decision": decision,
        "p_value": claim.p_value,
        "effect": decision["effect"],
        "effect_interval": decision["effect_interval"],
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
        "plot": _count_histogram(plus, minus, d=d, l=l, k=k, trials=trials,
                                 expected=k * q),
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
        slack=decision["effect"],
        slack_kind="effect",
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
        holds_under=(HOLDS_UNDER if claim.rejected and not proof_condition(d, l) else ""),
        strength=Strength.STATISTICAL,
    )
