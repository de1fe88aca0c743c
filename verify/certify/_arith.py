"""Exact rational sums and rigorous ball-arithmetic comparisons for :mod:`verify.certify`.

Only the standard library and python-flint (``fmpq``, ``arb``) are used; none of the checkers.
Each probability is recomputed from the certificate's integer inputs by a formula written
independently of the checkers' (:mod:`verify.claims.lemma_5_2.exact` sums a multinomial in SciPy
floating point; here ``S = X+ + X-`` and ``X+ | S`` are summed separately): Eq. 14's as an exact
rational (Python integers), Eq. 7's as an ``arb`` ball (:func:`eq7_failure_ball`, about
``sqrt(k)`` ball operations: the terms outside a window of ``s`` are bounded, not summed; its
full sum :func:`eq7_failure_ball_full` and its exact rational twin :func:`eq7_hold_probability`,
quadratic in ``k``'s bits, are kept as the references the tests compare the ball with). The
bounds ``c e^{t}`` are irrational; each comparison is made in ``arb`` (ball arithmetic),
starting at :data:`START_BITS` bits and doubling up to :data:`MAX_BITS`, and decides only when
the difference's ball excludes 0.
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
    "eq7_failure_ball_full",
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
    current precision (``ctx.prec``): rigorous, at a cost of about ``sqrt(k)`` ball operations.
    ``S = X+ + X- ~ Bin(k, 2q)`` and ``X+ | S = s ~ Bin(s, 1/2)``, so ``P(Eq. 7 holds) =
    sum_s P(S = s) W(s)``, ``W(s) = P(lo <= X+ <= hi, lo <= s - X+ <= hi | S = s)`` in
    ``[0, 1]``. The sum runs over the window of ``s`` where ``P(S = s)`` is not negligible at
    this precision (:func:`_s_window`); the terms left out are bounded by geometric series
    (:func:`_outside_bound`) and enter as ``[0, bound]``. ``P(S = s)`` follows its ratio
    recurrence and ``W`` the prefix sums ``G(s, m) = P(Bin(s, 1/2) <= m)`` (``G(s+1, m) =
    G(s, m) - C(s, m) / 2^{s+1}``), started at the window's first ``s`` by
    :func:`_half_binomial_cdf`. Every step is a ball operation, so the radius accounts for
    every rounding; the tests check that the ball contains the exact rational, and agrees with
    the full sum (:func:`eq7_failure_ball_full`)."""
    return eq7_failure_ball_at(d, l, k, ctx.prec)


GUARD = 32
"""Bits below the working precision at which a term is left out of a sum (its bound added)."""


def _s_window(k: int, a: int, D: int, s_lo: int, s_hi: int) -> tuple[int, int]:
    """``[s_a, s_b]`` within ``[s_lo, s_hi]``: around the mode of ``Bin(k, 2a/D)`` (clamped to
    the range), ``1.25 sqrt(2 (prec + GUARD) ln 2)`` standard deviations and 64 more each side.
    The width only chooses what is summed; the bound of what is left out is rigorous."""
    p = 2 * a / D
    mode = min(max((k + 1) * 2 * a // D, s_lo), s_hi)
    width = int(1.25 * math.sqrt(2 * (ctx.prec + GUARD) * math.log(2) * k * p * (1 - p))) + 64
    return max(s_lo, mode - width), min(s_hi, mode + width)


def _outside_bound(first: arb, last: arb, k: int, a: int, b: int, s_a: int, s_b: int,
                   s_lo: int, s_hi: int) -> arb:
    """An upper bound of ``sum P(S = s)`` over ``s`` in ``[s_lo, s_a)`` and ``(s_b, s_hi]``,
    given ``first = P(S = s_a)`` and ``last = P(S = s_b)``: below the mode the ratio
    ``rho(s) = P(S = s - 1) / P(S = s) = s b / (2a (k - s + 1))`` increases with ``s``, so the
    terms below ``s_a`` are at most ``first rho(s_a)^j`` (``j >= 1``); above it ``tau(s) =
    P(S = s + 1) / P(S = s) = 2a (k - s) / ((s + 1) b)`` decreases, so those above ``s_b`` are
    at most ``last tau(s_b)^j``. Each geometric series needs its ratio below 1, which
    :func:`_s_window` ensures (ValueError otherwise)."""
    total = arb(0)
    if s_a > s_lo:
        rho = fmpq(s_a * b, 2 * a * (k - s_a + 1))
        if not rho < 1:
            raise ValueError(f"window start {s_a} is not below the mode")
        total += first * rho / (1 - rho)
    if s_b < s_hi:
        tau = fmpq(2 * a * (k - s_b), (s_b + 1) * b)
        if not tau < 1:
            raise ValueError(f"window end {s_b} is not above the mode")
        total += last * tau / (1 - tau)
    return total


def _half_binomial_cdf(s: int, m: int) -> arb:
    """``G(s, m) = P(Bin(s, 1/2) <= m)`` as a ball. Below the median the terms ``c_j = C(s, j)
    / 2^s`` grow with ``j``, and ``c_{j-1} / c_j = j / (s - j + 1) <= r_j`` for every smaller
    ``j``: they are summed down from ``j = m`` until the rest, at most ``c_j / (1 - r_j)``, is
    below ``2^{-(prec + GUARD)}``, and that bound is added as ``[0, bound]``. Above the median,
    ``1 - G(s, s - m - 1)`` (symmetry)."""
    if m < 0:
        return arb(0)
    if m >= s:
        return arb(1)
    if 2 * m >= s:
        return 1 - _half_binomial_cdf(s, s - m - 1)
    c = _half_binomial(s, m)
    eps = arb(2) ** (-(ctx.prec + GUARD))
    total = arb(0)
    j = m
    while True:
        total += c
        if j == 0:
            return total
        c = c * fmpq(j, s - j + 1)
        j -= 1
        rest = c / (1 - fmpq(j, s - j + 1))
        if rest < eps:
            return total + arb(0).union(rest)


def _half_binomial(s: int, m: int) -> arb:
    """``C(s, m) / 2^s`` as a ball (0 when ``m`` is outside ``[0, s]``), computed with guard
    bits for the size of ``s``."""
    if not 0 <= m <= s:
        return arb(0)
    with ctx.extraprec(2 * s.bit_length() + GUARD):
        value = arb.bin_uiui(s, m) * arb(2) ** (-s)
    return +value


def _start_term(k: int, s: int, a: int, b: int, D: int) -> arb:
    """``P(S = s) = C(k, s) (2a/D)^s (b/D)^{k-s}`` as a ball, with guard bits for ``k``."""
    with ctx.extraprec(2 * k.bit_length() + GUARD):
        value = arb.bin_uiui(k, s) * arb(fmpq(2 * a, D)) ** s * arb(fmpq(b, D)) ** (k - s)
    return +value


def _eq7_range(d: int, l: int, k: int) -> tuple[int, int, int, int, int, int, int] | None:
    """``(a, b, D, lo, hi, s_lo, s_hi)``: ``q_l = a/D``, ``b = D - 2a``, Eq. 7's counts
    ``[lo, hi]`` and the range ``[2 lo, min(2 hi, k)]`` of ``S`` where it can hold; ``None``
    when that range is empty (Eq. 7 fails surely)."""
    q = lucky_probability(l)
    a, D = q.numerator, q.denominator
    lo, hi = eq7_counts(d, k)
    s_lo, s_hi = 2 * lo, min(2 * hi, k)
    if lo > hi or s_lo > s_hi:
        return None
    return a, D - 2 * a, D, lo, hi, s_lo, s_hi


def _eq7_failure_ball(d: int, l: int, k: int) -> arb:
    setup = _eq7_range(d, l, k)
    if setup is None:
        return arb(1)
    a, b, D, lo, hi, s_lo, s_hi = setup
    s_a, s_b = _s_window(k, a, D, s_lo, s_hi)
    g_lo, g_hi = _half_binomial_cdf(s_a, lo - 1), _half_binomial_cdf(s_a, hi)
    c_lo, c_hi = _half_binomial(s_a, lo - 1), _half_binomial(s_a, hi)
    first = _start_term(k, s_a, a, b, D)
    kept, last = _window_sum(first, g_lo, g_hi, c_lo, c_hi, k, a, b, lo, hi, s_a, s_b)
    rest = _outside_bound(first, last, k, a, b, s_a, s_b, s_lo, s_hi)
    return 1 - (kept + arb(0).union(rest))


def _window_sum(term: arb, g_lo: arb, g_hi: arb, c_lo: arb, c_hi: arb, k: int, a: int, b: int,
                lo: int, hi: int, s: int, s_end: int) -> tuple[arb, arb]:
    """``(sum_{s..s_end} P(S = s) W(s), P(S = s_end))`` from the values at the first ``s``:
    ``term = P(S = s)``, ``g_lo = G(s, lo - 1)``, ``g_hi = G(s, hi)``, ``c_lo = C(s, lo - 1) /
    2^s``, ``c_hi = C(s, hi) / 2^s``."""
    total = arb(0)
    one = arb(1)
    while True:
        upper = g_hi if hi <= s - lo else one - g_lo  # G(s, min(hi, s - lo))
        lower = g_lo if lo >= s - hi else one - g_hi  # G(s, max(lo, s - hi) - 1)
        total += term * (upper - lower)
        if s == s_end:
            return total, term
        g_lo, g_hi = g_lo - c_lo / 2, g_hi - c_hi / 2
        c_lo = c_lo * fmpq(s + 1, 2 * (s + 2 - lo))
        if s + 1 > hi:
            c_hi = c_hi * fmpq(s + 1, 2 * (s + 1 - hi))
        elif s + 1 == hi:
            c_hi = arb(2) ** (-(s + 1))
        term = term * fmpq(2 * a * (k - s), (s + 1) * b)
        s += 1


def eq7_failure_ball_full(d: int, l: int, k: int) -> arb:
    """:func:`eq7_failure_ball` summing every ``s`` from ``2 lo`` to ``min(2 hi, k)`` (linear in
    ``k``): the reference the truncated sum is tested against."""
    setup = _eq7_range(d, l, k)
    if setup is None:
        return arb(1)
    a, b, D, lo, hi, s_lo, s_hi = setup
    g_lo, g_hi, c_lo, c_hi = _binomial_window(s_lo, lo, hi)
    # P(S = s_lo) = C(k, s_lo) (2a/D)^{s_lo} (b/D)^{k - s_lo}
    term = (arb(fmpq(math.comb(k, s_lo))) * arb(fmpq(2 * a, D)) ** s_lo
            * arb(fmpq(b, D)) ** (k - s_lo))
    return 1 - _window_sum(term, g_lo, g_hi, c_lo, c_hi, k, a, b, lo, hi, s_lo, s_hi)[0]


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
