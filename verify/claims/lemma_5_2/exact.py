"""Lemma 5.2 computed exactly: the law of the lucky counts (a multinomial in the per-filter
probability), the failure probability of Eq. 7, the smallest failing ``k``, and
:func:`check_lemma_5_2_exact`."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import stats as _st

from verify._validate import check_int, check_size
from verify.claims.lemma_5_2.statement import (
    CLAIM,
    HOLDS_UNDER,
    STATEMENT,
    _assumptions,
    _dlk,
    _reproduce,
    proof_condition,
)
from verify.evidence import Evidence, Verdict, verdict_from_slack

# ----------------------------------------------------------------------------- exact law


def lucky_probability(l: int) -> float:
    """``q_l = P(i in W_0+ ∩ A+) = (1 - 2^{-(l-1)}) / (2(l-1))``: the argmax of Eq. 6 runs over
    the ``l - 1`` patterns of ``O \\ {o_2}`` (corrects Appendix B, which has ``d - 1``).

    Examples
    --------
    >>> lucky_probability(3)
    0.1875
    """
    l = check_size("l", l, low=3, high=2**53, why="q_l is computed in float64")
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


MAX_TERMS = 20_000_000
"""The most terms :func:`exact_failure_probability` sums (a few float64 arrays of this length:
hundreds of MB)."""


def max_exact_k(d: int) -> int:
    """The largest ``k`` that :func:`exact_failure_probability` takes at ``d``: the sum has
    about ``3k / (4d)`` terms, at most :data:`MAX_TERMS`."""
    return 4 * check_int("d", d, low=3) * MAX_TERMS // 3


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
    check_size("k", k, low=1, high=max_exact_k(d),
               why=f"at d = {d}, one term per count in [k/(4d), k/d], at most {MAX_TERMS:,}")
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
        holds_under=(HOLDS_UNDER if verdict is Verdict.FAILS and not proof_condition(d, l)
                     else ""),
    )
