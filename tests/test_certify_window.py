"""The windowed ball sum of Lemma 5.2's failure probability (verify.certify._arith): each piece
against exact rationals, with the window and the bounds of what is left out pinned to their
documented formulas; and the ids of one's own algebra steps (verify.certify._steps)."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from flint import arb, ctx, fmpq

from verify.certify import _arith, _steps


@pytest.fixture(autouse=True)
def _fresh_balls():
    """Every ball computed anew (the cache would otherwise answer from an earlier test)."""
    _arith.eq7_failure_ball_at.cache_clear()
    old = ctx.prec
    ctx.prec = 64
    yield
    ctx.prec = old
    _arith.eq7_failure_ball_at.cache_clear()


def _ball(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


def _close(ball: arb, exact: Fraction, rel: float = 2.0**-55) -> bool:
    """``ball`` contains ``exact`` and its radius is at most ``rel`` of it (or of 1 when 0)."""
    ctx.prec = 512
    try:
        inside = ball.contains(_ball(exact))
    finally:
        ctx.prec = 64
    return bool(inside) and float(ball.rad()) <= rel * max(float(abs(exact)), 1e-300)


def _case(d: int, l: int, k: int) -> tuple[int, int, int, int, int, int, int]:
    q = _arith.lucky_probability(l)
    a, D = q.numerator, q.denominator
    lo, hi = _arith.eq7_counts(d, k)
    return a, D - 2 * a, D, lo, hi, 2 * lo, min(2 * hi, k)


def test_eq7_range__the_counts_and_the_range_of_s():
    assert _arith._eq7_range(5, 5, 5000) == (15, 98, 128, 250, 1000, 500, 2000)
    assert _arith._eq7_range(3, 3, 10) == (3, 10, 16, 1, 3, 2, 6)
    assert _arith._eq7_range(3, 3, 4) == (3, 10, 16, 1, 1, 2, 2)  # one value of s
    assert _arith._eq7_range(3, 3, 2) is None  # lo = 1 > hi = 0: Eq. 7 fails surely
    assert _arith._eq7_failure_ball(3, 3, 2) == 1


@pytest.mark.parametrize(("d", "l", "k", "window"), [
    (5, 5, 5000, (677, 1667)), (5, 5, 4990, (674, 1664)), (3, 3, 5000, (1318, 2432)),
    (10, 10, 80_000, (7527, 10215)),
    (3, 3, 30, (6, 20)), (30, 3, 30_000, (727, 2000))])
def test_s_window__is_the_documented_width_around_the_clamped_mode(d, l, k, window):
    """Mode of Bin(k, 2a/D) clamped to the range, 1.25 sqrt(2 (prec + 32) ln 2 k p (1 - p)) + 64
    each side, clipped to the range (at 64 bits)."""
    a, _, D, _, _, s_lo, s_hi = _case(d, l, k)
    p = 2 * a / D
    mode = min(max((k + 1) * 2 * a // D, s_lo), s_hi)
    width = int(1.25 * math.sqrt(2 * 96 * math.log(2) * k * p * (1 - p))) + 64
    assert _arith._s_window(k, a, D, s_lo, s_hi) == (max(s_lo, mode - width),
                                                      min(s_hi, mode + width)) == window


def _reference(value) -> arb:
    """``value()`` at 4096 bits: a reference ball far tighter than the 64-bit one tested."""
    ctx.prec = 4096
    try:
        return value()
    finally:
        ctx.prec = 64


def _near(ball: arb, ref: arb, rel: float = 2.0**-55) -> bool:
    ctx.prec = 4096
    try:
        ok = ball.overlaps(ref) and ball.rad() <= rel * abs(ref.mid())
    finally:
        ctx.prec = 64
    return bool(ok)


def test_outside_bound__a_ratio_of_exactly_1_has_no_geometric_bound():
    """q = 3/16 (a = 3, b = 10, D = 16), k = 7: rho(3) = 3 * 10 / (6 * 5) = 1 and tau(2) =
    6 * 5 / (3 * 10) = 1; both are refused, not summed as 1 / 0."""
    one = arb(1)
    with pytest.raises(ValueError, match="window start 3 is not below the mode"):
        _arith._outside_bound(one, one, 7, 3, 10, 3, 7, 2, 7)
    with pytest.raises(ValueError, match="window end 2 is not above the mode"):
        _arith._outside_bound(one, one, 7, 3, 10, 2, 2, 2, 7)


def test_half_binomial__is_c_s_m_over_2_to_the_s_with_guard_bits():
    for s, m in [(0, 0), (1, 0), (1, 1), (7, 3), (7, 7), (40, 13), (2000, 999)]:
        assert _close(_arith._half_binomial(s, m), Fraction(math.comb(s, m), 2**s)), (s, m)
    for s, m in [(10**7, 3_333_333), (10**7, 10**7)]:  # where the guard bits matter
        ref = _reference(lambda s=s, m=m: arb.bin_uiui(s, m) * arb(2) ** (-s))
        assert _near(_arith._half_binomial(s, m), ref), (s, m)
    for s, m in [(5, -1), (5, 6), (0, 1)]:
        assert _arith._half_binomial(s, m) == 0


def test_start_term__is_the_binomial_probability_with_guard_bits():
    for k, s, (a, D) in [(10, 0, (3, 16)), (10, 10, (3, 16)), (5000, 1172, (15, 128)),
                         (5000, 677, (15, 128))]:
        b = D - 2 * a
        exact = Fraction(math.comb(k, s) * (2 * a) ** s * b ** (k - s), D**k)
        assert _close(_arith._start_term(k, s, a, b, D), exact), (k, s)
    k, s, a, D = 21_600_001, 745_000, 511, 9216  # the thorough Atlas's largest k
    ref = _reference(lambda: arb.bin_uiui(k, s) * arb(fmpq(2 * a, D)) ** s
                     * arb(fmpq(D - 2 * a, D)) ** (k - s))
    assert _near(_arith._start_term(k, s, a, D - 2 * a, D), ref)


def test_half_binomial_cdf__exact_at_every_m_and_tight():
    for s in (1, 2, 9, 10, 60, 301):
        for m in range(-2, s + 2):
            exact = Fraction(sum(math.comb(s, j) for j in range(max(m + 1, 0))), 2**s)
            ball = _arith._half_binomial_cdf(s, m)
            ctx.prec = 512
            assert ball.contains(_ball(exact)), (s, m, ball)
            ctx.prec = 64
            assert float(ball.rad()) < 2.0**-58, (s, m, ball)


def test_outside_bound__is_the_two_geometric_series():
    """first rho(s_a) / (1 - rho(s_a)) + last tau(s_b) / (1 - tau(s_b)), each only when that
    side leaves something out."""
    d, l, k = 5, 5, 5000
    a, b, D, _, _, s_lo, s_hi = _case(d, l, k)
    s_a, s_b = _arith._s_window(k, a, D, s_lo, s_hi)
    first, last = Fraction(3, 7), Fraction(5, 11)
    rho = Fraction(s_a * b, 2 * a * (k - s_a + 1))
    tau = Fraction(2 * a * (k - s_b), (s_b + 1) * b)
    both = first * rho / (1 - rho) + last * tau / (1 - tau)
    got = _arith._outside_bound(_ball(first), _ball(last), k, a, b, s_a, s_b, s_lo, s_hi)
    assert _close(got, both)
    low = _arith._outside_bound(_ball(first), _ball(last), k, a, b, s_a, s_hi, s_lo, s_hi)
    assert _close(low, first * rho / (1 - rho))
    high = _arith._outside_bound(_ball(first), _ball(last), k, a, b, s_lo, s_b, s_lo, s_hi)
    assert _close(high, last * tau / (1 - tau))
    assert _arith._outside_bound(_ball(first), _ball(last), k, a, b, s_lo, s_hi, s_lo,
                                 s_hi) == 0


@pytest.mark.parametrize(("d", "l", "k"), [(3, 3, 10), (3, 3, 27), (4, 3, 64), (4, 4, 200),
                                           (5, 3, 600), (5, 5, 5000), (6, 4, 1729)])
def test_eq7_failure_ball__windowed_equals_the_exact_rational(d, l, k):
    """Computed anew (no cache), at sizes where the window covers the range and where it
    truncates it, including s < hi + lo (the window's other branch)."""
    exact = 1 - _arith.eq7_hold_probability(d, l, k)
    ball = _arith._eq7_failure_ball(d, l, k)
    ctx.prec = 512
    assert ball.contains(_ball(exact)), (d, l, k, ball, float(exact))
    ctx.prec = 64
    assert float(ball.rad()) < 1e-15, ball


def test_own_id__is_the_pinned_hash_of_statement_and_inputs():
    inputs = {"variables": ["x"], "assumptions": [], "goal": ["x**2 + 1", ">", "0"]}
    assert _steps.own_id("x^2 + 1 > 0", inputs) == "h7cc1e8246665"
    assert _steps.own_id("x^2 + 1 > 0", {**inputs, "assumptions": [["x", ">", "0"]]}) != \
        "h7cc1e8246665"


def test_mismatch__shortens_the_tables_side_at_80_characters():
    s2 = _steps.paper_steps()["S.2"]
    table = json.dumps(s2["inputs"]["goal"])
    assert len(table) > 80
    assert _steps.mismatch("S.2", s2["inequality"], {**s2["inputs"], "goal": ["0", ">=", "1"]}) \
        == f'step S.2 of the paper has inputs.goal = {table[:80]}, this file ["0", ">=", "1"]'


def test_mismatch__shortens_long_texts_at_60_and_80_characters():
    b9 = _steps.paper_steps()["B.9"]
    long_name = "y" * 100
    assert _steps.mismatch("B.9", long_name, b9["inputs"]) == (
        f"step B.9 of the paper states {b9['inequality'][:60]!r}, this file {'y' * 60!r}")
    goal = {**b9["inputs"], "goal": ["z" * 100, ">=", "0"]}
    want = '["16*v0_s*v1_u**2 + 96*v0_s*v1_u + 144*v0_s - 4*v1_u - 12", ">=", "0"]'
    mine = ('["' + "z" * 100)[:80]
    assert _steps.mismatch("B.9", b9["inequality"], goal) == (
        f"step B.9 of the paper has inputs.goal = {want[:80]}, this file {mine}")
