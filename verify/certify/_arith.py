"""Exact rational sums and rigorous ball-arithmetic comparisons for :mod:`verify.certify`.

Only the standard library and python-flint (``fmpq``, ``arb``) are used; none of the checkers.
Each probability is recomputed from the certificate's integer inputs by a formula written
independently of the checkers' (:mod:`verify.claims.lemma_5_2.exact` sums a multinomial in SciPy
floating point; here ``S = X+ + X-`` and ``X+ | S`` are summed separately): Eq. 14's as an exact
rational (Python integers), Eq. 7's as an ``arb`` ball (:func:`eq7_failure_ball`, linear in ``k``;
its exact rational twin :func:`eq7_hold_probability` is quadratic in ``k``'s bits and is kept as
the reference the tests compare the ball with). The bounds ``c e^{t}`` are irrational; each
comparison is made in ``arb`` (ball arithmetic), starting at :data:`START_BITS` bits and doubling
up to :data:`MAX_BITS`, and decides only when the difference's ball excludes 0.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
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
    "eq7_failure_ball",
    "eq7_failure_ball_at",
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


def _binomial_window(s: int, lo: int, hi: int) -> tuple[arb, arb, arb, arb]:
    """``F(s, lo - 1) / 2^s``, ``F(s, hi) / 2^s``, ``C(s, lo - 1) / 2^s``, ``C(s, hi) / 2^s``
    as balls at the current precision (``F(s, m) = sum_{x<=m} C(s, x)``), summing
    ``c_x = C(s, x) / 2^s`` by ``c_{x+1} = c_x (s - x) / (x + 1)`` from ``c_0 = 2^{-s}`` (exact)."""
    c = arb(2) ** (-s)
    f = arb(0)
    f_lo = c_lo = c_hi = arb(0)
    for x in range(min(hi, s) + 1):
        f += c
        if x == lo - 1:
            f_lo, c_lo = f, c
        if x == hi:
            c_hi = c
        c = c * fmpq(s - x, x + 1)
    return f_lo, (f if hi <= s else arb(1)), c_lo, c_hi

@functools.lru_cache(maxsize=4096)
def eq7_failure_ball_at(d: int, l: int, k: int, prec: int) -> arb:
    """:func:`eq7_failure_ball` at ``prec`` bits (cached)."""
    old = ctx.prec
    ctx.prec = prec
    try:
        return _eq7_failure_ball(d, l, k)
    finally:
        ctx.prec = old


def eq7_failure_ball(d: int, l: int, k: int) -> arb:
    """``P(Eq. 7 fails) = 1 - P(Eq. 7 holds)`` (Lemma 5.2, Appendix B) as an ``arb`` ball at the
    current precision (``ctx.prec``): rigorous, and linear in ``k`` where the exact rational of
    :func:`eq7_hold_probability` is quadratic in ``k``'s bits (at ``d = 10, k = 80,000`` that sum
    took a minute; this takes milliseconds). Same decomposition: ``S = X+ + X- ~ Bin(k, 2q)`` and
    ``X+ | S = s ~ Bin(s, 1/2)``; ``P(S = s)`` by its ratio recurrence and the window
    ``P(lo <= X+ <= hi, lo <= s - X+ <= hi | S = s)`` from the normalised prefix sums
    ``G(s, m) = F(s, m) / 2^s`` (``G(s+1, m) = G(s, m) - C(s, m) / 2^{s+1}``). Every step is a
    ball operation, so the radius accounts for every rounding; the tests check that the ball
    contains the exact rational."""
    return eq7_failure_ball_at(d, l, k, ctx.prec)


def _eq7_failure_ball(d: int, l: int, k: int) -> arb:
    q = lucky_probability(l)
    a, D = q.numerator, q.denominator
    b = D - 2 * a
    lo, hi = eq7_counts(d, k)
    s_lo, s_hi = 2 * lo, min(2 * hi, k)
    if lo > hi or s_lo > s_hi:
        return arb(1)
    g_lo, g_hi, c_lo, c_hi = _binomial_window(s_lo, lo, hi)
    # P(S = s_lo) = C(k, s_lo) (2a/D)^{s_lo} (b/D)^{k - s_lo}
    term = (arb(fmpq(math.comb(k, s_lo))) * arb(fmpq(2 * a, D)) ** s_lo
            * arb(fmpq(b, D)) ** (k - s_lo))
    total = arb(0)
    one = arb(1)
    s = s_lo
    while True:
        upper = g_hi if hi <= s - lo else one - g_lo  # G(s, min(hi, s - lo))
        lower = g_lo if lo >= s - hi else one - g_hi  # G(s, max(lo, s - hi) - 1)
        total += term * (upper - lower)
        if s == s_hi:
            break
        g_lo, g_hi = g_lo - c_lo / 2, g_hi - c_hi / 2
        c_lo = c_lo * fmpq(s + 1, 2 * (s + 2 - lo))
        if s + 1 > hi:
            c_hi = c_hi * fmpq(s + 1, 2 * (s + 1 - hi))
        elif s + 1 == hi:
            c_hi = arb(2) ** (-(s + 1))
        term = term * fmpq(2 * a * (k - s), (s + 1) * b)
        s += 1
    return one - total


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


def compare_exp(value: Fraction | Callable[[], arb], terms: list[tuple[Fraction, Fraction]],
                max_bits: int = MAX_BITS) -> Comparison:
    """Compare ``value`` (an exact rational, or a function returning its ball at the current
    precision, e.g. :func:`eq7_failure_ball`) with ``sum c e^{t}`` in ball arithmetic, doubling
    the precision from :data:`START_BITS` to ``max_bits`` until the difference's enclosure
    excludes 0."""
    bits = START_BITS
    old = ctx.prec
    try:
        while True:
            ctx.prec = bits
            lhs = (arb(fmpq(value.numerator, value.denominator))
                   if isinstance(value, Fraction) else value())
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
