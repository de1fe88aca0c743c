"""Exact rational functions over :class:`fractions.Fraction` for :mod:`verify.certify`'s algebra
steps: an identity ``lhs == rhs`` of rational expressions is decided by writing each side as
``P/Q`` (polynomials with rational coefficients) and checking ``P1 Q2 - P2 Q1 = 0`` term by term.
Where both denominators are non-zero the two sides are then equal: the step is proved with no
solver, from the sides as the proof writes them.
"""

from __future__ import annotations

from fractions import Fraction

from verify.certify._strict import TooLarge

__all__ = ["MAX_TERMS", "MAX_WORK", "Rational", "identical", "reset_work"]

MAX_TERMS = 20_000
"""Largest number of terms of a polynomial formed while deciding (else :class:`TooLarge`)."""
MAX_WORK = 10**6
"""Largest number of term-by-term products in one decision (else :class:`TooLarge`)."""


def power(n: int) -> str:
    return f"{n // 10**6}*10^6" if n % 10**6 == 0 and n > 10**6 else str(n)

Monomial = tuple[tuple[str, int], ...]
Poly = dict[Monomial, Fraction]


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    out = dict(a)
    for v, e in b:
        out[v] = out.get(v, 0) + e
    return tuple(sorted(out.items()))


def _add(p: Poly, q: Poly, sign: int = 1) -> Poly:
    out = dict(p)
    for m, c in q.items():
        v = out.get(m, Fraction(0)) + sign * c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return out


_work = [0]


def reset_work() -> None:
    """Start a new decision's count of term products (:data:`MAX_WORK`)."""
    _work[0] = 0


def _mul(p: Poly, q: Poly) -> Poly:
    _work[0] += len(p) * len(q)
    if _work[0] > MAX_WORK:
        raise TooLarge(f"more than {power(MAX_WORK)} term products to expand the goal")
    out: Poly = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = _mono_mul(m1, m2)
            v = out.get(m, Fraction(0)) + c1 * c2
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    if len(out) > MAX_TERMS:
        raise TooLarge(f"more than {MAX_TERMS} terms when the goal is expanded")
    return out


class Rational:
    """``num / den``, both polynomials (dicts from monomials to rationals)."""

    __slots__ = ("den", "num")

    def __init__(self, num: Poly, den: Poly | None = None) -> None:
        self.num = num
        self.den = {(): Fraction(1)} if den is None else den

    @classmethod
    def constant(cls, value: Fraction) -> Rational:
        return cls({(): value} if value else {})

    @classmethod
    def variable(cls, name: str) -> Rational:
        return cls({((name, 1),): Fraction(1)})

    def __add__(self, other: Rational) -> Rational:
        return Rational(_add(_mul(self.num, other.den), _mul(other.num, self.den)),
                        _mul(self.den, other.den))

    def __sub__(self, other: Rational) -> Rational:
        return Rational(_add(_mul(self.num, other.den), _mul(other.num, self.den), -1),
                        _mul(self.den, other.den))

    def __mul__(self, other: Rational) -> Rational:
        return Rational(_mul(self.num, other.num), _mul(self.den, other.den))

    def __truediv__(self, other: Rational) -> Rational:
        if not other.num:
            raise ValueError("goal: division by the zero polynomial")
        return Rational(_mul(self.num, other.den), _mul(self.den, other.num))

    def __neg__(self) -> Rational:
        return Rational({m: -c for m, c in self.num.items()}, self.den)

    def __pos__(self) -> Rational:
        return self


def identical(lhs: Rational, rhs: Rational) -> bool:
    """Whether ``lhs`` and ``rhs`` are the same rational function (``P1 Q2 = P2 Q1``)."""
    return not _add(_mul(lhs.num, rhs.den), _mul(rhs.num, lhs.den), -1)
