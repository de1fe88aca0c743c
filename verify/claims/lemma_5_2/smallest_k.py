"""Lemma 5.2's smallest ``k``, exactly: from which ``k`` on does Eq. 7 hold with probability at
least ``1 - 4e^{-d}`` for every larger ``k`` (at ``l = d``, the proof's case), and for which ``d``
does the main text's ``k >= d^3`` (Section 5's sketch) suffice, against the proof's ``8d^3``.

Method. :func:`bernstein_horizon` gives, for ``1/(4d) < q_l < 1/d``, a ``K_B`` beyond which the
lemma holds for every ``k``: each of the four tails (``X_± < k/(4d)``, ``X_± > k/d``, with
``X_± ~ Bin(k, q_l)``) is at most ``exp(-k c)`` by Bernstein's inequality,
``c = eps^2 / (2 (q (1 - q) + eps/3))``, ``eps`` the distance from ``q_l`` to the bound; so
``k >= d / min(c)`` gives ``P(fail) <= 4e^{-d}``, and the bound decreases in ``k``. Below
``K_B`` every ``k`` is evaluated exactly
(:func:`verify.claims.lemma_5_2.exact_failure_probability`): :func:`smallest_k` is one more
than the largest failing ``k``. ``K_B`` is far below Hoeffding's ``8d^3``-like horizon
(:func:`~verify.claims.lemma_5_2.certified_horizon`), which keeps the scan cheap.

For every ``d >= 20`` no scan is needed: at ``l = d``, ``q_d - 1/(4d) >= 1/(4d)`` and
``1/d - q_d >= 1/(4d)``, ``q_d <= 1/(2(d-1))``, so at ``k = d^3`` each Bernstein exponent is at
least ``6 d^2 (d-1) / (16 (7d - 1))``, which is ``>= d`` iff ``6d^2 - 118d + 16 >= 0``, i.e.
``d >= 20`` (:func:`large_d_certificate`, exact in SymPy); ``d = 15..19`` are certified by the
Bernstein bound with the exact ``q_d``. Between the exact scan of the quick profile (``d <= 10``)
and ``d = 19``, the Chernoff/KL tail (:mod:`verify.claims.lemma_5_2.chernoff`, ball arithmetic)
decides ``k = d^3`` for every larger ``k`` at ``d = 11..19``, where Bernstein's bound is too loose
below ``d = 15``.
"""

from __future__ import annotations

import math

import sympy as sp

from verify._validate import check_int
from verify.claims.lemma_5_2.exact import (
    claimed_failure_rate,
    exact_failure_probability,
    lucky_probability,
)
from verify.evidence import Evidence, Verdict

__all__ = [
    "BERNSTEIN_STEP",
    "CLAIM_SMALLEST_K",
    "bernstein_bound",
    "bernstein_horizon",
    "check_smallest_k",
    "check_smallest_k_from_20",
    "check_smallest_k_large_d",
    "large_d_certificate",
    "smallest_k",
]

CLAIM_SMALLEST_K = "Lemma 5.2 (k >= d^3, Section 5's sketch)"
STATEMENT_SMALLEST_K = ("with l = d, Eq. 7 holds w.p. >= 1 - 4e^{-d} for every k >= d^3 "
                        "(Section 5: 'concentration of measure for k >= d^3'; the proof "
                        "assumes 8d^3)")


def _rates(d: int, l: int) -> tuple[float, float]:
    q = lucky_probability(l)
    lo, hi = q - 1.0 / (4 * d), 1.0 / d - q
    if lo <= 0 or hi <= 0:
        raise ValueError(f"l: q_l = {q:.4g} is not strictly between 1/(4d) and 1/d at d = {d}, "
                         f"l = {l}: Eq. 7 fails for every large k")
    v = q * (1.0 - q)
    return lo * lo / (2 * (v + lo / 3)), hi * hi / (2 * (v + hi / 3))


def bernstein_bound(d: int, l: int, k: int) -> float:
    """Bernstein's bound on ``P(Eq. 7 fails)``: ``2 exp(-k c_lo) + 2 exp(-k c_hi)``."""
    d = check_int("d", d, low=3)
    l = check_int("l", l, low=3, high=d)
    k = check_int("k", k, low=1)
    c_lo, c_hi = _rates(d, l)
    return 2 * math.exp(-k * c_lo) + 2 * math.exp(-k * c_hi)


def bernstein_horizon(d: int, l: int) -> int:
    """The smallest ``k`` with :func:`bernstein_bound` ``<= 4e^{-d}`` certified for it and all
    larger ``k`` (``k >= d / min(c_lo, c_hi)``, rounded up with a relative margin 1e-9)."""
    d = check_int("d", d, low=3)
    l = check_int("l", l, low=3, high=d)
    return math.ceil(d / min(_rates(d, l)) * (1 + 1e-9))


def smallest_k(d: int, l: int | None = None) -> dict[str, object]:
    """The smallest ``k*`` such that Eq. 7 holds w.p. ``>= 1 - 4e^{-d}`` for every ``k >= k*``
    (``l = d`` unless given), exactly: every ``k`` below :func:`bernstein_horizon` is evaluated
    exactly; ``k*`` is one more than the largest failing one.

    Examples
    --------
    >>> smallest_k(3)["k_star"], smallest_k(5)["k_star"]
    (29, 110)
    """
    d = check_int("d", d, low=3)
    l = d if l is None else check_int("l", l, low=3, high=d)
    horizon = bernstein_horizon(d, l)
    bound = claimed_failure_rate(d)
    failing = [k for k in range(1, horizon) if exact_failure_probability(d, l, k) > bound]
    k_star = failing[-1] + 1 if failing else 1
    intervals: list[list[int]] = []
    for k in failing:
        if intervals and intervals[-1][1] == k - 1:
            intervals[-1][1] = k
        else:
            intervals.append([k, k])
    return {"d": d, "l": l, "k_star": k_star, "horizon": horizon,
            "failing_intervals": intervals,
            "exact_at_k_star": exact_failure_probability(d, l, k_star),
            "exact_below_k_star": (exact_failure_probability(d, l, k_star - 1)
                                   if k_star > 1 else None),
            "bound": bound}


def large_d_certificate() -> dict[str, object]:
    """For ``l = d >= 20`` the lemma holds at every ``k >= d^3``: the Bernstein exponent at
    ``k = d^3`` with the worst-case ``eps = 1/(4d)`` and ``q <= 1/(2(d-1))``, minus ``d``, is
    ``d (3d^2 - 59d + 8) / (8 (7d - 1))`` (SymPy), non-negative from the quadratic's largest root
    ``(59 + sqrt(3385))/6 = 19.53`` on; ``d = 15..19`` by :func:`bernstein_bound` with the exact
    ``q_d`` (ratio to ``4e^{-d}`` below 1)."""
    d = sp.Symbol("d", positive=True)
    exponent = d**3 * (1 / (4 * d)) ** 2 / (2 * (1 / (2 * (d - 1)) + 1 / (12 * d)))
    excess = sp.factor(sp.together(exponent - d))
    quadratic = 3 * d**2 - 59 * d + 8
    ok = sp.simplify(excess - d * quadratic / (8 * (7 * d - 1))) == 0
    largest = max(sp.solve(sp.Eq(quadratic, 0), d), key=float)
    ratios = {dd: bernstein_bound(dd, dd, dd**3) / claimed_failure_rate(dd)
              for dd in range(15, 20)}
    return {"exponent_minus_d": str(excess), "factorisation_checked": bool(ok),
            "largest_root": str(largest), "largest_root_value": float(largest),
            "certified_from": math.floor(float(largest)) + 1,
            "bernstein_ratio_d_15_to_19": ratios}


def check_smallest_k_large_d() -> Evidence:
    """Section 5's ``k >= d^3`` for every ``d >= 15`` at ``l = d``, without a scan
    (:func:`large_d_certificate`): ``observed`` is the largest ratio of the Bernstein bound at
    ``k = d^3`` to ``4e^{-d}`` over ``d = 15..19``, ``bound`` 1; and the symbolic certificate
    must cover every ``d >= 20``."""
    cert = large_d_certificate()
    worst = max(cert["bernstein_ratio_d_15_to_19"].values())
    covered = cert["factorisation_checked"] and cert["certified_from"] <= 20
    verdict = Verdict.HOLDS if worst <= 1 and covered else Verdict.FAILS
    return Evidence(
        claim=CLAIM_SMALLEST_K, statement=STATEMENT_SMALLEST_K, verdict=verdict,
        observed=worst, bound=1.0, slack=1.0 - worst, slack_kind="difference", tolerance=0.0,
        params={"d": "15..19 (Bernstein, exact q_d); >= 20 (SymPy)", "l": "d"},
        assumptions={"l=d": True},
        reason="" if verdict is Verdict.HOLDS else "the Bernstein certificate does not cover it",
        details=cert,
        reproduce=("python -c 'from verify.claims.lemma_5_2.smallest_k import "
                   "check_smallest_k_large_d; print(check_smallest_k_large_d().summary())'"),
    )


BERNSTEIN_STEP = {
    "id": "lemma-5.2-bernstein-d-ge-20",
    "name": "Lemma 5.2 at k = d^3, d >= 20: Bernstein's exponent k eps^2 / (2(q(1-q) + eps/3)) "
            "is >= d for every deviation eps >= 1/(4d) and 1/(2d) <= q <= 1/(2(d-1))",
    "variables": ["d", "q", "e"],
    "assumptions": [["d", ">=", "20"], ["2*d*q", ">=", "1"], ["2*(d-1)*q", "<=", "1"],
                    ["4*d*e", ">=", "1"]],
    "goal": ["d**3*e**2", ">=", "2*d*(q*(1-q) + e/3)"],
}
"""The algebra behind ``d >= 20`` (:func:`check_smallest_k_from_20`) as a proof-algebra step
(``verify.certify``'s ``algebra_step``, decided by Z3 over the reals)."""


def check_smallest_k_from_20() -> Evidence:
    """Section 5's ``k >= d^3`` at ``l = d`` for every ``d >= 20``, by Bernstein's inequality.

    Each of the four tails of Eq. 7 is at most ``exp(-k c)``, ``c = eps^2 / (2(q(1-q) +
    eps/3))`` (Bernstein), ``eps`` the distance from ``q = q_d`` to ``1/(4d)`` or ``1/d``. Both
    distances are at least ``1/(4d)`` since ``1/(2d) <= q_d <= 1/(2(d-1)) <= 3/(4d)`` (``q_d =
    (1 - 2^{1-d})/(2(d-1))`` and ``2^{d-1} >= d``), so :data:`BERNSTEIN_STEP` (``d^3 c >= d``
    under those constraints) gives ``P(fail at k) <= 4e^{-kc} <= 4e^{-d}`` at ``k = d^3``, and
    at every larger ``k``. ``observed`` is the smallest ``d^3 c / d`` over ``d >= 20`` at the
    worst case ``eps = 1/(4d)``, ``q(1-q) <= 1/(2(d-1))`` (at ``d = 20``:
    ``1 + (3d^2 - 59d + 8)/(8(7d - 1))``, :func:`large_d_certificate`'s SymPy factorisation),
    ``bound`` 1. The report attaches the step's certificate (Z3): ``proved``, with Bernstein's
    inequality and the two facts about ``q_d`` stated, not re-derived."""
    cert = large_d_certificate()
    d0 = 20
    observed = 1 + (3 * d0**2 - 59 * d0 + 8) / (8 * (7 * d0 - 1))
    covered = bool(cert["factorisation_checked"]) and cert["certified_from"] <= d0
    verdict = Verdict.HOLDS if covered and observed >= 1 else Verdict.FAILS
    return Evidence(
        claim=CLAIM_SMALLEST_K, statement=STATEMENT_SMALLEST_K, verdict=verdict,
        observed=observed, bound=1.0, slack=observed - 1.0, slack_kind="difference",
        tolerance=0.0,
        params={"d": ">= 20", "l": "d", "k": ">= d^3",
                "method": "Bernstein's inequality; its exponent at k = d^3 >= d (Z3, SymPy)"},
        assumptions={"l=d": True},
        reason="" if verdict is Verdict.HOLDS else "the symbolic argument does not reach d = 20",
        details={"algebra_step": dict(BERNSTEIN_STEP), "sympy": {
                     k: cert[k] for k in ("exponent_minus_d", "factorisation_checked",
                                          "largest_root", "largest_root_value",
                                          "certified_from")},
                 "stated": "Bernstein's inequality; 1/(2d) <= q_d <= 1/(2(d-1)) "
                           "(2^{d-1} >= d); both deviations >= 1/(4d)"},
        reproduce=("python -c 'from verify.claims.lemma_5_2.smallest_k import "
                   "check_smallest_k_from_20; print(check_smallest_k_from_20().summary())'"),
    )


def check_smallest_k(d: int, *, shown: str = "d >= 5") -> Evidence:
    """Section 5's ``k >= d^3`` at ``l = d``: ``observed`` is ``k*`` (:func:`smallest_k`),
    ``bound`` ``d^3``, slack ``d^3 - k*`` (positive: ``d^3`` suffices). Fails at ``d = 3``
    (``k* = 29``) and ``d = 4`` (``k* = 68``); holds from ``d = 5`` (and, by
    :func:`large_d_certificate`, for every ``d >= 15`` without a scan). ``shown`` is the range
    of ``d`` the run shows it on, named in ``holds_under`` of a failure
    (:func:`~verify.claims.lemma_5_2.shown_range`: a run that scans ``d <= 10`` and closes
    nothing else names ``5 <= d <= 10 and d >= 15``, not ``d >= 5``)."""
    d = check_int("d", d, low=3, high=40)
    if not isinstance(shown, str) or not shown:
        raise ValueError("shown must be a non-empty string")
    res = smallest_k(d)
    k_star = int(res["k_star"])
    slack = float(d**3 - k_star)
    verdict = Verdict.HOLDS if slack >= 0 else Verdict.FAILS
    reason = ""
    if verdict is Verdict.FAILS:
        last = res["failing_intervals"][-1]
        reason = (f"at d = {d}, Eq. 7 fails w.p. > 4e^-d for k in {last} (exact), above d^3 = "
                  f"{d**3}; it holds for every k >= {k_star}")
    return Evidence(
        claim=CLAIM_SMALLEST_K, statement=STATEMENT_SMALLEST_K, verdict=verdict,
        observed=float(k_star), bound=float(d**3), slack=slack, slack_kind="difference",
        tolerance=0.0, params={"d": d, "l": d, "method": "exact multinomial below the "
                               "Bernstein horizon"},
        assumptions={"l=d": True}, reason=reason,
        details={**res, "d^3": d**3, "8d^3": 8 * d**3, "k_star/d^3": k_star / d**3,
                 "k_star/8d^3": k_star / (8 * d**3)},
        reproduce=("python -c 'from verify.claims.lemma_5_2.smallest_k import "
                   f"check_smallest_k; print(check_smallest_k({d}).summary())'"),
        holds_under=shown if verdict is Verdict.FAILS else "",
    )
