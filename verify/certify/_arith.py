"""Exact rational sums and rigorous ball-arithmetic comparisons for :mod:`verify.certify`.

Only the standard library and python-flint (``fmpq``, ``arb``) are used; none of the checkers.
Each probability is recomputed from the certificate's integer inputs as an exact rational
``numerator / denominator`` (Python integers), by a formula written independently of the
checkers' (:mod:`verify.claims.lemma_5_2.exact` sums a multinomial in SciPy floating point; here
``S = X+ + X-`` and ``X+ | S`` are summed in integers). The only irrational numbers are the
bounds ``c e^{t}``; they are compared with the rational in ``arb`` (ball arithmetic), starting at
:data:`START_BITS` bits and doubling up to :data:`MAX_BITS`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx, fmpq

__all__ = [
    "MAX_BITS",
    "START_BITS",
    "Comparison",
    "bernstein_rates",
    "compare_exp",
    "enclosure",
    "eq7_counts",
    "eq7_hold_probability",
    "eq14_failure_probability",
    "lucky_probability",
]

START_BITS = 64
MAX_BITS = 4096


def lucky_probability(l: int) -> Fraction:
    """``q_l = (1 - 2^{-(l-1)}) / (2(l-1))`` (Lemma 5.2, Appendix B with ``l - 1`` patterns),
    exactly."""
    return (1 - Fraction(1, 2 ** (l - 1))) / (2 * (l - 1))


def eq7_counts(d: int, k: int) -> tuple[int, int]:
    """Eq. 7 in integers: ``k/(4d) <= X <= k/d`` iff ``ceil(k/(4d)) <= X <= floor(k/d)``."""
    return -(-k // (4 * d)), k // d


@functools.lru_cache(maxsize=4096)
def eq7_hold_probability(d: int, l: int, k: int) -> Fraction:
    """``P(Eq. 7 holds)`` exactly, for ``(X+, X-, rest) ~ Multinomial(k; q_l, q_l, 1 - 2q_l)``.

    ``S = X+ + X- ~ Bin(k, 2q)`` and ``X+ | S = s ~ Bin(s, 1/2)``, so with ``q = a/D`` and
    ``b = D - 2a``: ``P = sum_s C(k, s) a^s b^{k-s} R(s) / D^k``, ``R(s) = sum C(s, x)`` over
    ``x, s - x`` in ``[lo, hi]``. ``R`` follows from the prefix sums ``F(s, m) = sum_{x<=m}
    C(s, x)`` (``F(s+1, m) = 2F(s, m) - C(s, m)``), every term in integers. Cached: building a
    certificate and checking it in one process sums once."""
    q = lucky_probability(l)
    a, D = q.numerator, q.denominator
    b = D - 2 * a
    lo, hi = eq7_counts(d, k)
    if lo > hi:
        return Fraction(0)
    s_lo, s_hi = 2 * lo, min(2 * hi, k)
    if s_lo > s_hi:
        return Fraction(0)
    # F(s, lo - 1), F(s, hi), C(s, lo - 1), C(s, hi) at s = s_lo.
    s = s_lo
    f_lo = sum(math.comb(s, x) for x in range(lo))
    f_hi = sum(math.comb(s, x) for x in range(hi + 1))
    c_lo, c_hi = math.comb(s, lo - 1) if lo >= 1 else 0, math.comb(s, hi)
    term = math.comb(k, s) * a**s * b ** (k - s)
    total = 0
    while True:
        two_s = 1 << s
        # sum_{x=max(lo, s-hi)}^{min(hi, s-lo)} C(s, x) = F(s, b') - F(s, a' - 1)
        upper = f_hi if hi <= s - lo else two_s - f_lo  # F(s, min(hi, s - lo))
        lower = f_lo if lo >= s - hi else two_s - f_hi  # F(s, max(lo, s - hi) - 1)
        total += term * (upper - lower)
        if s == s_hi:
            break
        # step s -> s + 1
        f_lo, f_hi = 2 * f_lo - c_lo, 2 * f_hi - c_hi
        c_lo = c_lo * (s + 1) // (s + 2 - lo) if lo >= 1 else 0
        c_hi = c_hi * (s + 1) // (s + 1 - hi) if s + 1 > hi else math.comb(s + 1, hi)
        term = term * a * (k - s) // ((s + 1) * b) if b else 0
        s += 1
    return Fraction(total, D**k)


def eq14_failure_probability(m: int) -> Fraction:
    """``P(3X < m_1 or 3X > 2 m_1)``, ``X ~ Bin(m_1, 1/2)``, ``m_1 = ceil(m/2)`` (Eq. 14),
    exactly."""
    m1 = -(-m // 2)
    bad = sum(math.comb(m1, x) for x in range(m1 + 1) if 3 * x < m1 or 3 * x > 2 * m1)
    return Fraction(bad, 2**m1)


def bernstein_rates(d: int, l: int) -> tuple[Fraction, Fraction]:
    """Bernstein's exponents ``c = eps^2 / (2(q(1-q) + eps/3))`` for ``eps = q - 1/(4d)`` and
    ``eps = 1/d - q`` (each tail of Eq. 7 is at most ``e^{-k c}``), exactly."""
    q = lucky_probability(l)
    v = q * (1 - q)
    out = []
    for eps in (q - Fraction(1, 4 * d), Fraction(1, d) - q):
        if eps <= 0:
            raise ValueError(f"l: q_l = {q} is not strictly between 1/(4d) and 1/d at d = {d}")
        out.append(eps * eps / (2 * (v + eps / 3)))
    return out[0], out[1]


@dataclass(frozen=True)
class Comparison:
    """``sign`` of ``lhs - rhs`` (+1, -1) proved at ``bits``, or 0 (too close at ``bits`` =
    the limit); ``lhs``/``rhs`` the enclosures (strings) at that precision."""

    sign: int
    bits: int
    lhs: str
    rhs: str


def _arb_exp_sum(terms: list[tuple[Fraction, Fraction]]) -> arb:
    """``sum c e^{t}`` for rational pairs ``(c, t)`` at the current precision."""
    total = arb(0)
    for c, t in terms:
        total += arb(fmpq(c.numerator, c.denominator)) * arb(fmpq(t.numerator, t.denominator)).exp()
    return total


def compare_exp(value: Fraction, terms: list[tuple[Fraction, Fraction]],
                max_bits: int = MAX_BITS) -> Comparison:
    """Compare the rational ``value`` with ``sum c e^{t}`` in ball arithmetic, doubling the
    precision from :data:`START_BITS` to ``max_bits`` until the difference's enclosure
    excludes 0."""
    bits = START_BITS
    old = ctx.prec
    try:
        while True:
            ctx.prec = bits
            lhs = arb(fmpq(value.numerator, value.denominator))
            rhs = _arb_exp_sum(terms)
            diff = lhs - rhs
            if diff > 0 or diff < 0:
                return Comparison(1 if diff > 0 else -1, bits, enclosure(lhs), enclosure(rhs))
            if bits >= max_bits:
                return Comparison(0, bits, enclosure(lhs), enclosure(rhs))
            bits *= 2
    finally:
        ctx.prec = old


def enclosure(x: arb) -> str:
    """An arb ball as text ``[mid +/- rad]`` (what python-flint prints; 20 digits)."""
    return x.str(20, radius=True)
