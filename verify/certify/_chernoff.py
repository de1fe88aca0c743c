"""Lemma 5.2's Chernoff/KL tail (``lemma_5_2_chernoff_tail``) for :mod:`verify.certify`, in
ball arithmetic, written from the paper and Chernoff's bound, not from the checkers.

At ``(d, l, k)``, each count ``X = |W_0+ ∩ A+|``, ``|W_0- ∩ A-|`` is ``Bin(k', q_l)`` at ``k'``
filters, ``q_l = (1 - 2^{-(l-1)}) / (2(l-1))`` (Lemma 5.2, Appendix B with ``l - 1``
patterns). Eq. 7 fails when a count is below ``k'/(4d)`` or above ``k'/d``. Chernoff's bound,
``P(X <= a k') <= e^{-k' KL(a || q)}`` for ``a < q`` and ``P(X >= b k') <= e^{-k' KL(b || q)}``
for ``b > q``, with ``KL(a || q) = a ln(a/q) + (1 - a) ln((1 - a)/(1 - q))``, and a union over
the four tails give

    P(Eq. 7 fails at k') <= 2 e^{-k' KL(1/(4d) || q_l)} + 2 e^{-k' KL(1/d || q_l)},

which decreases in ``k'`` when both divergences are positive. The certificate's verdict is
``holds`` ("Eq. 7 holds w.p. >= 1 - 4e^{-d} at every ``k' >= k``") when the balls show both
divergences ``> 0`` and the tail at ``k`` ``< 4e^{-d}``; else ``undecided`` (an upper bound
above ``4e^{-d}`` shows no failure). The precision starts at 64 bits and doubles up to 4096.
``1/(4d) < q_l < 1/d`` is decided in exact rationals first. What is proved is the computation;
Chernoff's bound itself is the textbook inequality, stated here, not re-derived.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flint import arb, ctx, fmpq

from verify.certify._common import FORMAT

__all__ = ["CLAIM", "lemma_5_2_chernoff_tail", "tail_enclosures"]

CLAIM = "Lemma 5.2 (k >= d^3, Section 5's sketch)"
START_BITS = 64
MAX_BITS = 4096


def _q(l: int) -> Fraction:
    return (1 - Fraction(1, 2 ** (l - 1))) / (2 * (l - 1))


def _ball(x: Fraction) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


def _text(x: arb) -> str:
    return x.str(20, radius=True)


def tail_enclosures(d: int, l: int, k: int) -> tuple[dict[str, arb], int]:
    """The balls ``KL(1/(4d) || q_l)``, ``KL(1/d || q_l)``, the tail at ``k`` and ``4e^{-d}``
    at the current precision, and the decision: 1 (both KL ``> 0`` and tail ``< 4e^{-d}``),
    -1 (tail ``> 4e^{-d}``: no precision shows it), 0 (not shown at this precision)."""
    q = _ball(_q(l))
    kls = []
    for a in (Fraction(1, 4 * d), Fraction(1, d)):
        A = _ball(a)
        kls.append(A * (A / q).log() + (1 - A) * ((1 - A) / (1 - q)).log())
    tail = 2 * (-k * kls[0]).exp() + 2 * (-k * kls[1]).exp()
    bound = 4 * arb(-d).exp()
    diff = tail - bound
    shown = 1 if kls[0] > 0 and kls[1] > 0 and diff < 0 else -1 if diff > 0 else 0
    return {"kl_lower": kls[0], "kl_upper": kls[1], "tail": tail, "bound": bound}, shown


def lemma_5_2_chernoff_tail(d: int, l: int, k: int) -> dict[str, Any]:
    """The certificate that Eq. 7 (Lemma 5.2) holds with probability ``>= 1 - 4e^{-d}`` at every
    ``k' >= k``, by the Chernoff/KL union tail at ``k`` (see the module docstring); ``d, l, k``
    integers with ``3 <= l <= d``, ``k >= 1``. ``enclosure``: the tail at ``k``
    (``quantity``), ``4e^{-d}`` (``bound``), both divergences and the precision."""
    for name, value, low in (("d", d, 3), ("l", l, 3), ("k", k, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    if l > d:
        raise ValueError(f"l must be <= d = {d}, got {l}")
    q = _q(l)
    inside = Fraction(1, 4 * d) < q < Fraction(1, d)
    bits, shown, encl = START_BITS, 0, None
    if inside:
        old = ctx.prec
        try:
            while True:
                ctx.prec = bits
                balls, shown = tail_enclosures(d, l, k)
                if shown != 0 or bits >= MAX_BITS:
                    encl = {"quantity": _text(balls["tail"]), "bound": _text(balls["bound"]),
                            "kl_lower": _text(balls["kl_lower"]),
                            "kl_upper": _text(balls["kl_upper"])}
                    break
                bits *= 2
        finally:
            ctx.prec = old
    return {"format": FORMAT, "kind": "lemma_5_2_chernoff_tail", "claim": CLAIM,
            "inequality": "P(Eq. 7 fails at k') <= 2e^{-k' KL(1/(4d)||q_l)} + "
            "2e^{-k' KL(1/d||q_l)} <= 4e^{-d} for every k' >= k (Chernoff's bound on each of "
            "the four tails, X+, X- ~ Bin(k', q_l), q_l = (1 - 2^{-(l-1)})/(2(l-1)); the tail "
            "decreases in k' as both KL > 0)",
            "inputs": {"d": d, "l": l, "k": k},
            "bound": [["4", str(-d)]],
            "enclosure": ({**encl, "bits": bits} if encl is not None else
                          {"q_l": str(q), "note": "q_l is not strictly between 1/(4d) and 1/d"}),
            "verdict": "holds" if shown == 1 else "undecided"}
