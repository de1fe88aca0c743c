"""Exact rational functions (``verify.certify._poly``), the arithmetic that decides an algebra
step's identity: each operation's exact numerator and denominator, cancellation, the caps on
terms and on work, and their messages."""

from __future__ import annotations

from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from verify.certify import _poly
from verify.certify._strict import TooLarge

F = Fraction
X = (("x", 1),)
Y = (("y", 1),)
ONE = ()


@pytest.fixture(autouse=True)
def _fresh_work():
    _poly.reset_work()
    yield
    _poly.reset_work()


def x():
    return _poly.Rational.variable("x")


def y():
    return _poly.Rational.variable("y")


def c(value):
    return _poly.Rational.constant(F(value))


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (7, "7"), (10**6, "1000000"),
                                         (10**6 + 1, "1000001"), (2 * 10**6, "2*10^6"),
                                         (10**7, "10*10^6"), (2 * 10**6 + 10, "2000010")])
def test_power__millions_only_above_one_million(n, text):
    assert _poly.power(n) == text


def test_mono_mul__adds_exponents_sorted_by_name():
    assert _poly._mono_mul((("y", 2),), (("x", 1), ("y", 1))) == (("x", 1), ("y", 3))
    assert _poly._mono_mul(ONE, (("z", 4),)) == (("z", 4),)
    assert _poly._mono_mul((("z", 4),), ONE) == (("z", 4),)
    assert _poly._mono_mul(ONE, ONE) == ()


def test_add__sums_cancels_and_leaves_its_arguments():
    p = {X: F(2), ONE: F(1)}
    q = {X: F(-2), Y: F(1, 3)}
    assert _poly._add(p, q) == {ONE: F(1), Y: F(1, 3)}
    assert _poly._add(p, q, -1) == {X: F(4), ONE: F(1), Y: F(-1, 3)}
    assert _poly._add(p, {X: F(2)}, -1) == {ONE: F(1)}
    assert _poly._add({}, {X: F(0)}) == {}
    assert p == {X: F(2), ONE: F(1)}
    assert q == {X: F(-2), Y: F(1, 3)}


def test_mul__products_and_cancellation():
    # (x + 1)(x - 1) = x^2 - 1: the x terms cancel and are dropped, not kept as 0
    p = {X: F(1), ONE: F(1)}
    q = {X: F(1), ONE: F(-1)}
    assert _poly._mul(p, q) == {(("x", 2),): F(1), ONE: F(-1)}
    assert _poly._mul({X: F(2, 3)}, {Y: F(3, 4), ONE: F(5)}) == \
        {(("x", 1), ("y", 1)): F(1, 2), X: F(10, 3)}
    assert _poly._mul({}, q) == {}
    assert _poly._work == [2 * 2 + 1 * 2 + 0]


def test_mul__the_work_cap_counts_across_products(monkeypatch):
    monkeypatch.setattr(_poly, "MAX_WORK", 8)
    p = {X: F(1), ONE: F(1)}
    _poly._mul(p, p)
    _poly._mul(p, p)  # 8 products in all: at the cap
    assert _poly._work == [8]
    with pytest.raises(TooLarge) as info:
        _poly._mul({X: F(1)}, {X: F(1)})
    assert str(info.value) == "more than 8 term products to expand the goal"
    _poly.reset_work()
    assert _poly._work == [0]
    _poly._mul(p, p)
    monkeypatch.setattr(_poly, "MAX_WORK", 10**6)
    _poly._work[0] = 10**6
    with pytest.raises(TooLarge, match=r"^more than 1000000 term products to expand the goal$"):
        _poly._mul({X: F(1)}, {X: F(1)})


def test_mul__the_term_cap(monkeypatch):
    p = {X: F(1), ONE: F(1)}
    q = {Y: F(1), ONE: F(1)}
    monkeypatch.setattr(_poly, "MAX_TERMS", 4)
    assert len(_poly._mul(p, q)) == 4  # xy + x + y + 1: at the cap
    monkeypatch.setattr(_poly, "MAX_TERMS", 3)
    with pytest.raises(TooLarge) as info:
        _poly._mul(p, q)
    assert str(info.value) == "more than 3 terms when the goal is expanded"


def test_constant_and_variable():
    assert _poly.Rational.constant(F(0)).num == {}
    assert _poly.Rational.constant(F(0)).den == {ONE: F(1)}
    assert c(F(3, 2)).num == {ONE: F(3, 2)}
    assert x().num == {X: F(1)}
    assert x().den == {ONE: F(1)}
    r = _poly.Rational({X: F(2)}, {Y: F(3)})
    assert (r.num, r.den) == ({X: F(2)}, {Y: F(3)})


def test_operations__exact_numerators_and_denominators():
    s = x() + c(2)
    assert (s.num, s.den) == ({X: F(1), ONE: F(2)}, {ONE: F(1)})
    d = x() - c(2)
    assert (d.num, d.den) == ({X: F(1), ONE: F(-2)}, {ONE: F(1)})
    m = x() * y()
    assert (m.num, m.den) == ({(("x", 1), ("y", 1)): F(1)}, {ONE: F(1)})
    q = x() / (y() + c(1))
    assert (q.num, q.den) == ({X: F(1)}, {Y: F(1), ONE: F(1)})
    # a/b + c/d = (ad + cb) / bd; a/b - c/d = (ad - cb) / bd
    a = _poly.Rational({X: F(1)}, {Y: F(2)})
    b = _poly.Rational({ONE: F(3)}, {X: F(1)})
    t = a + b
    assert (t.num, t.den) == ({(("x", 2),): F(1), Y: F(6)}, {(("x", 1), ("y", 1)): F(2)})
    t = a - b
    assert (t.num, t.den) == ({(("x", 2),): F(1), Y: F(-6)}, {(("x", 1), ("y", 1)): F(2)})
    t = b - a
    assert (t.num, t.den) == ({Y: F(6), (("x", 2),): F(-1)}, {(("x", 1), ("y", 1)): F(2)})
    t = a * b
    assert (t.num, t.den) == ({X: F(3)}, {(("x", 1), ("y", 1)): F(2)})
    t = a / b
    assert (t.num, t.den) == ({(("x", 2),): F(1)}, {Y: F(6)})
    n = -a
    assert (n.num, n.den) == ({X: F(-1)}, {Y: F(2)})
    assert +a is a


def test_division_by_the_zero_polynomial():
    with pytest.raises(ValueError) as info:
        x() / (y() - y())
    assert str(info.value) == "goal: division by the zero polynomial"
    assert (x() / c(2)).den == {ONE: F(2)}


def test_identical__equal_rational_functions_only():
    assert _poly.identical(x() / y(), (c(2) * x()) / (c(2) * y()))
    assert _poly.identical(c(0), x() - x())
    assert not _poly.identical(x() / y(), y() / x())
    assert not _poly.identical(x() + c(1), x())
    assert not _poly.identical(c(1), c(0))
    assert not _poly.identical(c(0), c(1))
    assert not _poly.identical(x() - y(), y() - x())
    assert _poly.identical(x() - y(), -(y() - x()))
