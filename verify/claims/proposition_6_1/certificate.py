"""Proposition 6.1's lower bound certified exactly: the closed-form dual certificate of the
min-norm separator of D (:func:`closed_form`) and :func:`verify_certificate`, which checks a
certificate in rational arithmetic (SymPy) or, for Haar patterns, in floating point."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from verify._validate import check_array, check_int, check_labels, check_size
from verify.claims.proposition_6_1.statement import TOL_FLOAT
from verify.model.distribution import support_size


def section_6_separator(n: int, patterns: object) -> np.ndarray:
    """Section 6's separator: ``n`` copies of ``o_1 - o_2``, flattened into ``R^{nd}``."""
    n = check_int("n", n, low=1)
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    if O.shape[0] < 2:
        raise ValueError(f"patterns must have at least 2 rows, got {O.shape[0]}")
    return np.tile(O[0] - O[1], n)



# ----------------------------------------------------------------------------- exact certificate


@dataclass(frozen=True)
class Certificate:
    """A primal-dual pair for Eq. 9 on the standard basis: ``w`` (length ``n d``) and one
    multiplier per support point (the order of :func:`flat_support`), as exact rationals, and
    the optimum they claim."""

    w: tuple[Any, ...]
    multipliers: tuple[Any, ...]
    optimum: Any
    formula: str


def closed_form(n: int, l: int, d: int | None = None) -> Certificate:
    """The exact optimum of Eq. 9 and its certificate: ``w_hat[j] = o_1 - o_2`` for every
    position ``j`` (standard basis of ``R^d``), ``lambda_s = (l-2)^{-(n-1)}`` on every support
    point, ``||w_hat||^2 = sum_s lambda_s = 2n`` (independent of ``l`` and ``d``).

    Examples
    --------
    >>> c = closed_form(3, 5)
    >>> c.optimum, c.multipliers[0], len(c.multipliers)
    (6, 1/9, 54)
    """
    n = check_int("n", n, low=1)
    l = check_size("l", l, low=3, high=10**6, why="the support's points are vectors of R^l")
    d = l if d is None else check_size("d", d, low=l, high=10**6, why="vectors of R^d")
    if (n - 1) * math.log10(max(l - 2, 1)) + math.log10(2 * n) > 6:
        raise ValueError(f"n = {n}, l = {l} is too large (the support has 2n (l-2)^(n-1) "
                         "points, at most 10^6 here)")
    block = [sympy.Integer(1), sympy.Integer(-1)] + [sympy.Integer(0)] * (d - 2)
    lam = sympy.Rational(1, (l - 2) ** (n - 1))
    return Certificate(
        w=tuple(block * n), multipliers=(lam,) * support_size(n, l),
        optimum=sympy.Integer(2 * n),
        formula=f"w_hat[j] = o_1 - o_2 (j = 1..n); lambda_s = (l-2)^-(n-1) = {lam}; "
                f"||w_hat||^2 = sum lambda = 2n = {2 * n}",
    )


def _rational(name: str, value: object) -> sympy.Rational:
    if isinstance(value, sympy.Rational):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return sympy.Integer(int(value))
    raise ValueError(f"{name} must hold exact rationals (int, fractions.Fraction or "
                     f"sympy.Rational), got {type(value).__name__}")


def _is_exact(values: object) -> bool:
    """Whether ``values`` is a sequence of exact rationals (not floats)."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return bool(np.issubdtype(values.dtype, np.integer))
    try:
        items = list(values)  # type: ignore[call-overload]
    except TypeError:
        return False
    return all(isinstance(v, (sympy.Rational, Fraction, numbers.Integral))
               and not isinstance(v, bool) for v in items)


def _scaled(name: str, values: Sequence[object]) -> tuple[np.ndarray, int]:
    """Integers ``N`` and a common denominator ``L`` with ``values = N / L`` exactly."""
    rs = [_rational(name, v) for v in values]
    L = math.lcm(*(int(r.q) for r in rs)) if rs else 1
    return np.array([int(r.p) * (L // int(r.q)) for r in rs], dtype=object), L


@dataclass(frozen=True)
class CertificateCheck:
    """The KKT conditions of Eq. 9 for a :class:`Certificate`, decided in exact arithmetic.
    ``valid`` means ``w`` is optimal and ``value = ||w||^2`` is the exact optimum."""

    min_margin: sympy.Rational
    argmin: int
    min_multiplier: sympy.Rational
    stationarity_residual: sympy.Rational  # max_i |w_i - (sum_s lambda_s y_s x_s)_i|
    value: sympy.Rational  # ||w||^2
    sum_multipliers: sympy.Rational

    @property
    def primal_feasible(self) -> bool:
        return bool(self.min_margin >= 1)

    @property
    def dual_feasible(self) -> bool:
        return bool(self.min_multiplier >= 0)

    @property
    def stationary(self) -> bool:
        return bool(self.stationarity_residual == 0)

    @property
    def gap(self) -> sympy.Rational:
        """``||w||^2 - sum lambda`` (twice the primal minus dual objective of
        ``min ||w||^2 / 2``)."""
        return self.value - self.sum_multipliers

    @property
    def valid(self) -> bool:
        return self.primal_feasible and self.dual_feasible and self.stationary and self.gap == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid, "primal_feasible": self.primal_feasible,
            "dual_feasible": self.dual_feasible, "stationary": self.stationary,
            "min_margin": str(self.min_margin), "argmin": self.argmin,
            "min_multiplier": str(self.min_multiplier),
            "stationarity_residual": str(self.stationarity_residual),
            "value": str(self.value), "sum_multipliers": str(self.sum_multipliers),
            "gap": str(self.gap),
        }


def verify_certificate(X: object, y: object, w: Sequence[object],
                       multipliers: Sequence[object]) -> CertificateCheck:
    """Check, exactly, that ``(w, multipliers)`` solves Eq. 9 on the samples ``(X, y)``: primal
    feasibility ``y_s w . x_s >= 1``, dual feasibility ``lambda >= 0``, stationarity
    ``w = sum_s lambda_s y_s x_s`` and zero duality gap ``||w||^2 = sum_s lambda_s``.

    ``X`` must be an integer array (e.g. :func:`flat_support` on the standard basis); ``w`` and
    ``multipliers`` exact rationals. All arithmetic is on Python integers over common
    denominators.

    Examples
    --------
    >>> from verify.claims.proposition_6_1 import flat_support
    >>> X, y = flat_support(2, 4, np.eye(4))
    >>> c = closed_form(2, 4)
    >>> chk = verify_certificate(X.astype(int), y.astype(int), c.w, c.multipliers)
    >>> chk.valid, chk.value
    (True, 4)
    """
    X = check_array("X", X, ndim=2, dtype=int)
    m, p = X.shape
    yi = check_labels("y", y, m).astype(np.int64).astype(object)
    if len(w) != p:
        raise ValueError(f"w must have length {p} (the columns of X), got {len(w)}")
    if len(multipliers) != m:
        raise ValueError(f"multipliers must have length {m} (the rows of X), got "
                         f"{len(multipliers)}")
    Wn, Lw = _scaled("w", w)
    Pn, Lp = _scaled("multipliers", multipliers)
    Xo = X.astype(object)
    margins = yi * Xo.dot(Wn)  # y_s x_s . w, times Lw
    s = int(np.argmin(margins))
    combo = (Pn * yi).dot(Xo)  # sum_s lambda_s y_s x_s, times Lp
    resid = max((abs(a) for a in Wn * Lp - combo * Lw), default=0)
    return CertificateCheck(
        min_margin=sympy.Rational(int(margins[s]), Lw), argmin=s,
        min_multiplier=sympy.Rational(int(min(Pn, default=0)), Lp),
        stationarity_residual=sympy.Rational(int(resid), Lw * Lp),
        value=sympy.Rational(int(sum(Wn * Wn)), Lw * Lw),
        sum_multipliers=sympy.Rational(int(sum(Pn)), Lp),
    )


def _float_certificate(X, y, O, n, l) -> dict[str, Any]:
    """The closed form's conditions in floating point (Haar patterns: irrational entries)."""
    w = section_6_separator(n, O)
    lam = np.full(y.size, float(l - 2) ** -(n - 1))
    value, total = float(w @ w), float(lam.sum())
    out = {
        "min_margin": float(np.min(y * (X @ w))),
        "stationarity_residual": float(np.max(np.abs(w - X.T @ (lam * y)))),
        "value": value, "sum_multipliers": total, "gap": value - total,
        "min_multiplier": float(lam.min()), "tolerance": TOL_FLOAT,
    }
    out["valid"] = bool(out["min_margin"] >= 1 - TOL_FLOAT and out["min_multiplier"] >= 0
                        and out["stationarity_residual"] <= TOL_FLOAT
                        and abs(out["gap"]) <= TOL_FLOAT * value)
    return out
