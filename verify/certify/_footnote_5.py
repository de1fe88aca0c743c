"""Footnote 5's certificate (``footnote_5_rate``) for :mod:`verify.certify`: the Chernoff rate
``I(d)`` and the fitted exponent of Lemma 5.2's exact failure probability, in ball arithmetic.

Written from the paper, not from the checkers. At ``l = d``, ``q = q_d`` (Lemma 5.2):

- ``KL(a || q) = a ln(a/q) + (1 - a) ln((1 - a)/(1 - q))`` at ``a = 1/(4d)`` and ``a = 1/d``
  (the two tails of Eq. 7), ``I(d)`` the smaller (which one is decided, not assumed);
- ``y_k = -ln P(Eq. 7 fails at k)`` with ``P`` the rigorous ball of
  :func:`verify.certify._arith.eq7_failure_ball` (about ``sqrt(k)`` ball operations; the
  exact rational's gcd is quadratic in ``k``'s bits and took minutes at ``d = 30``);
- the least-squares fit ``y = a k + b ln k + c`` over the given ``k`` (normal equations, solved
  by Cramer's rule in ``arb``), and the ratio ``a / I(d)``.

The verdict is the footnote check's decision rule: ``|a / I(d) - 1| <= tolerance`` for every
``d`` (``holds``), decided by the enclosures; ``fails`` when one ``d`` is decided outside. The
precision starts at 64 bits and doubles up to 4096. What this proves is the computation (the
exact probabilities, their fit and ``I(d)``); that ``-ln P = I(d) k + O(ln k)`` is
Cramér-Chernoff's theorem, which the certificate does not check.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flint import arb, ctx, fmpq

from verify.certify import _arith
from verify.certify._common import FORMAT, pos_int

__all__ = ["GUARD_BITS", "footnote_5_rate", "rate_enclosures"]

GUARD_BITS = 256
"""Extra bits for the failure probability's ball (footnote 5's grids go down to about 2^-200)."""


def _arb(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


def _kl(a: Fraction, q: Fraction) -> arb:
    A, Q = _arb(a), _arb(q)
    return A * (A / Q).log() + (1 - A) * ((1 - A) / (1 - Q)).log()


def _det3(m: list[list[arb]]) -> arb:
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def _fit_rate(ks: list[int], ys: list[arb]) -> arb:
    """``a`` of the least-squares fit ``y = a k + b ln k + c`` (normal equations, Cramer)."""
    rows = [[arb(k), arb(k).log(), arb(1)] for k in ks]
    M = [[sum((r[i] * r[j] for r in rows), arb(0)) for j in range(3)] for i in range(3)]
    rhs = [sum((r[i] * y for r, y in zip(rows, ys, strict=True)), arb(0)) for i in range(3)]
    Ma = [[rhs[i], M[i][1], M[i][2]] for i in range(3)]
    return _det3(Ma) / _det3(M)


def rate_enclosures(d: int, ks: list[int], tolerance: Fraction
                    ) -> tuple[dict[str, arb], int, int]:
    """The enclosures at the current precision, the sign of ``KL(1/(4d)) - KL(1/d)`` (0: not
    decided) and the decision ``|ratio - 1| <= tolerance`` (1 inside, -1 outside, 0 not
    decided)."""
    q = _arith.lucky_probability(d)
    lo, hi = _kl(Fraction(1, 4 * d), q), _kl(Fraction(1, d), q)
    diff = lo - hi
    tails = 1 if diff > 0 else -1 if diff < 0 else 0
    rate = lo if tails == -1 else hi if tails == 1 else lo.union(hi)
    # the ball of 1 - P(Eq. 7 holds) loses about -log2 P bits to cancellation: computed with
    # GUARD_BITS more, so that y_k is as tight as the working precision
    ys = [-(_arith.eq7_failure_ball_at(d, d, k, ctx.prec + GUARD_BITS)).log() for k in ks]
    a = _fit_rate(ks, ys)
    ratio = a / rate
    t = _arb(tolerance)
    above, below = ratio - 1 - t, ratio - 1 + t
    inside = 1 if (above <= 0 and below >= 0) else -1 if (above > 0 or below < 0) else 0
    return ({"KL(1/(4d)||q)": lo, "KL(1/d||q)": hi, "I(d)": rate, "d*I(d)": rate * d,
             "fitted_rate": a, "ratio": ratio}, tails, inside)


def _decide(ds: list[int], ks: dict[str, list[int]], tolerance: Fraction,
            max_bits: int) -> tuple[str, dict[str, Any], int]:
    bits = _arith.START_BITS
    old = ctx.prec
    try:
        while True:
            ctx.prec = bits
            out, decided, verdict = {}, True, "holds"
            for d in ds:
                encl, tails, inside = rate_enclosures(d, ks[str(d)], tolerance)
                out[str(d)] = {k: _arith.enclosure(v) for k, v in encl.items()}
                out[str(d)]["smaller_tail"] = {-1: "lower (1/(4d))", 1: "upper (1/d)",
                                               0: "undecided"}[tails]
                decided &= tails != 0 and inside != 0
                verdict = "fails" if inside == -1 else verdict
            if decided or bits >= max_bits:
                return (verdict if decided or verdict == "fails" else "undecided"), out, bits
            bits *= 2
    finally:
        ctx.prec = old


def _inputs(d_values: Any, ks: Any, tolerance: Any) -> tuple[list[int], dict[str, list[int]],
                                                              Fraction]:
    if not isinstance(d_values, list) or not d_values:
        raise ValueError("d_values must be a non-empty list")
    ds = [pos_int("d_values", d, 3) for d in d_values]
    if not isinstance(ks, dict) or set(ks) != {str(d) for d in ds}:
        raise ValueError("ks must map each d (as text) to its k values")
    grid = {str(d): [pos_int("ks", k, 1) for k in ks[str(d)]] for d in ds}
    if any(len(set(v)) < 4 for v in grid.values()):
        raise ValueError("ks: at least 4 distinct k per d")
    tol = Fraction(str(tolerance))
    if tol <= 0:
        raise ValueError(f"tolerance must be > 0, got {tolerance!r}")
    return ds, grid, tol


def footnote_5_rate(d_values: list[int], ks: dict[str, list[int]], tolerance: Any = "1/20",
                    max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate of footnote 5's check (Section 5): for each ``d`` (``l = d``), ``I(d)``,
    ``d I(d)``, both KL values, the fitted rate of the exact ``-ln P(Eq. 7 fails)`` over
    ``ks[str(d)]`` and its ratio to ``I(d)``, enclosed; verdict ``holds`` when every ratio is
    within ``tolerance`` of 1."""
    ds, grid, tol = _inputs(list(d_values), ks, tolerance)
    verdict, encl, bits = _decide(ds, grid, tol, max_bits)
    return {"format": FORMAT, "kind": "footnote_5_rate", "claim": "Footnote 5",
            "inequality": "|a(d) / I(d) - 1| <= tolerance for each d: a(d) the least-squares "
            "rate of -ln P(Eq. 7 fails at k) = a k + b ln k + c over the given k (P exact, "
            "l = d), I(d) = min(KL(1/(4d) || q_d), KL(1/d || q_d)); -ln P = I(d) k + O(ln k) "
            "itself is Cramer-Chernoff's theorem, not checked here",
            "inputs": {"d_values": ds, "ks": grid, "tolerance": str(tol), "l": "d"},
            "enclosure": {"by_d": encl, "bits": bits}, "verdict": verdict}
