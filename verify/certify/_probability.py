"""The probability certificates of :mod:`verify.certify`: Lemma 5.2's failure probability of Eq. 7
at ``(d, l, k)`` against ``4e^{-d}`` (``lemma_5_2_failure_probability``), Eq. 14's at ``m``
against ``4e^{-m/36}`` (``event_14_probability``) and Lemma 5.2's smallest ``k*``
(``smallest_k``), each recomputed from its integer inputs by :mod:`verify.certify._arith`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from flint import arb

from verify.certify import _arith
from verify.certify._common import FORMAT
from verify.certify._common import pos_int as _pos_int

__all__ = ["LEMMA_5_2_INEQUALITY", "event_14_probability", "lemma_5_2_failure_probability",
           "lemma_inputs", "smallest_k"]


LEMMA_5_2_INEQUALITY = (
    "P(not k/(4d) <= X+, X- <= k/d) <= 4e^{-d}, (X+, X-, rest) ~ Multinomial(k; q_l, q_l, "
    "1 - 2q_l), q_l = (1 - 2^{-(l-1)})/(2(l-1))")


def _terms(pairs: list[tuple[Fraction, Fraction]]) -> list[list[str]]:
    return [[str(c), str(t)] for c, t in pairs]


def _eq7_failure(d: int, l: int, k: int) -> Callable[[], arb]:
    """``P(Eq. 7 fails)`` at ``(d, l, k)`` as a ball at the current precision (rigorous, about
    ``sqrt(k)`` ball operations: :func:`verify.certify._arith.eq7_failure_ball`)."""
    return lambda: _arith.eq7_failure_ball(d, l, k)


def _probability_certificate(kind: str, claim: str, inequality: str, inputs: dict[str, Any],
                             value: Fraction | Callable[[], arb],
                             bound: list[tuple[Fraction, Fraction]],
                             max_bits: int) -> dict[str, Any]:
    cmp = _arith.compare_exp(value, bound, max_bits)
    verdict = {1: "fails", -1: "holds", 0: "undecided"}[cmp.sign]
    return {"format": FORMAT, "kind": kind, "claim": claim, "inequality": inequality,
            "inputs": inputs, "bound": _terms(bound),
            "enclosure": {"quantity": cmp.lhs, "bound": cmp.rhs, "bits": cmp.bits},
            "verdict": verdict}


def lemma_inputs(d: Any, l: Any, k: Any) -> tuple[int, int, int]:
    d = _pos_int("d", d, 3)
    l = _pos_int("l", l, 3)
    if l > d:
        raise ValueError(f"l must be <= d = {d}, got {l}")
    return d, l, _pos_int("k", k, 1)


def lemma_5_2_failure_probability(d: int, l: int, k: int,
                                  max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate of Lemma 5.2 at ``(d, l, k)``: the exact failure probability of Eq. 7
    (Section 5, Appendix B) against ``4e^{-d}``."""
    d, l, k = lemma_inputs(d, l, k)
    return _probability_certificate(
        "lemma_5_2_failure_probability", "Lemma 5.2",
        LEMMA_5_2_INEQUALITY, {"d": d, "l": l, "k": k},
        _eq7_failure(d, l, k),
        [(Fraction(4), Fraction(-d))], max_bits)


def event_14_probability(m: int, max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate of Eq. 14 (proof of Lemma C.3) at ``m``: ``P(3X < m_1 or 3X > 2m_1)``,
    ``X ~ Bin(ceil(m/2), 1/2)``, against ``4e^{-m/36}``."""
    m = _pos_int("m", m, 1)
    return _probability_certificate(
        "event_14_probability", "Eq. 14",
        "P(|S_1+| < m_1/3 or |S_1-| < m_1/3) <= 4e^{-m/36}, |S_1+| ~ Bin(m_1, 1/2), "
        "m_1 = ceil(m/2)", {"m": m}, _arith.eq14_failure_probability(m),
        [(Fraction(4), Fraction(-m, 36))], max_bits)


def _smallest_k_parts(d: int, l: int, k_star: int, horizon: int,
                      max_bits: int) -> tuple[list[str], dict[str, Any]]:
    """Problems found (empty: proved) and the enclosures at ``k* - 1`` and ``k*``."""
    problems: list[str] = []
    bound = [(Fraction(4), Fraction(-d))]
    encl: dict[str, Any] = {}
    if k_star > 1:
        c = _arith.compare_exp(_eq7_failure(d, l, k_star - 1), bound, max_bits)
        encl["below"] = {"k": k_star - 1, "quantity": c.lhs, "bound": c.rhs, "bits": c.bits}
        if c.sign != 1:
            problems.append(f"Eq. 7 does not provably fail at k = {k_star - 1}")
    for k in range(k_star, horizon):
        c = _arith.compare_exp(_eq7_failure(d, l, k), bound, max_bits)
        if k == k_star:
            encl["at"] = {"k": k, "quantity": c.lhs, "bound": c.rhs, "bits": c.bits}
        if c.sign != -1:
            problems.append(f"Eq. 7 does not provably hold at k = {k}")
            break
    c_lo, c_hi = _arith.bernstein_rates(d, l)
    tail = [(Fraction(2), -horizon * c_lo), (Fraction(2), -horizon * c_hi),
            (Fraction(-4), Fraction(-d))]
    c = _arith.compare_exp(Fraction(0), tail, max_bits)
    encl["bernstein_minus_bound_at_horizon"] = {"value": c.rhs, "bits": c.bits}
    if c.sign != 1:
        problems.append(f"Bernstein's bound at K = {horizon} is not provably <= 4e^-d")
    return problems, encl


def smallest_k(d: int, l: int, k_star: int, horizon: int,
               max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate that ``k*`` is Lemma 5.2's smallest ``k`` from which Eq. 7 holds w.p.
    ``>= 1 - 4e^{-d}`` for every larger ``k`` (Section 5's ``k >= d^3``): fails at ``k* - 1``,
    holds at each ``k`` in ``[k*, horizon)`` (rigorous balls), Bernstein's bound at ``horizon``
    (and so beyond: it decreases in ``k``) below ``4e^{-d}``. Cost: one ball sum per ``k``
    (:func:`verify.certify._arith.eq7_failure_ball`)."""
    d, l, k_star = lemma_inputs(d, l, k_star)
    horizon = _pos_int("horizon", horizon, k_star)
    problems, encl = _smallest_k_parts(d, l, k_star, horizon, max_bits)
    return {"format": FORMAT, "kind": "smallest_k", "claim": "Lemma 5.2 (k >= d^3, Section 5's "
            "sketch)", "inequality": "P(Eq. 7 fails at k) > 4e^{-d} at k = k* - 1 and <= 4e^{-d} "
            "for every k >= k* (ball arithmetic for k < K, Bernstein 2e^{-k c_lo} + "
            "2e^{-k c_hi} for k >= K)",
            "inputs": {"d": d, "l": l, "k_star": k_star, "horizon": horizon},
            "bound": _terms([(Fraction(4), Fraction(-d))]), "enclosure": encl,
            "verdict": "undecided" if problems else "holds",
            **({"problems": problems} if problems else {})}
