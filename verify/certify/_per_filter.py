"""Lemma 5.2's per-filter probability (``lemma_5_2_per_filter``) for :mod:`verify.certify`, in
exact rationals, written from the paper.

``q = P(i in W_0+ ∩ A+)``: ``a_i = +1`` (probability 1/2, independent of ``w_i``) and, over the
``m = l - 1`` patterns of ``O minus {o_2}``, the argmax of ``w_i . o`` is ``o_1`` with
``w_i . o_1 > 0`` (Eq. 6). For Gaussian ``w_i`` and orthonormal patterns the projections
``g_j = w_i . o_j`` are i.i.d., symmetric and continuous, so their signs are i.i.d. fair coins,
independent of the ``|g_j|``, whose ranks are uniform. The event is: ``g_1 > 0`` and ``|g_1|`` is
the largest ``|g_j|`` over the positive ``g_j`` (a negative ``g_j`` is below ``g_1``). So
``q = 1/2 sum_{sign vectors with s_1 = +} 2^{-m} / #{j : s_j = +}``, summed here over all
``2^m`` sign vectors (that reduction is the certificate's stated argument; the sum is the
program's). The paper's (Appendix B) is ``(1 - 2^{-d+1}) / (2(d-1))``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from verify.certify._common import FORMAT, pos_int

__all__ = ["MAX_L", "lemma_5_2_per_filter", "paper_value",
           "per_filter_probability"]

MAX_L = 21
"""Largest ``l`` (``2^(l-1)`` sign vectors)."""


def per_filter_probability(l: int) -> Fraction:
    """``q_l`` exactly, by the sum over the ``2^(l-1)`` sign vectors."""
    l = pos_int("l", l, 3)
    if l > MAX_L:
        raise ValueError(f"l must be <= {MAX_L}, got {l}")
    m = l - 1
    total = Fraction(0)
    for signs in itertools.product((1, -1), repeat=m - 1):  # s_1 = +1; the other m - 1 free
        total += Fraction(1, 1 + signs.count(1))
    return total / 2**m / 2


def paper_value(d: int) -> Fraction:
    """Appendix B's ``(1 - 2^{-d+1}) / (2(d-1))``."""
    d = pos_int("d", d, 3)
    return (1 - Fraction(1, 2 ** (d - 1))) / (2 * (d - 1))


def lemma_5_2_per_filter(d: int, l: int) -> dict[str, Any]:
    """The certificate of Appendix B's ``P(i in W_0+ ∩ A+) = (1 - 2^{-d+1})/(2(d-1))`` at
    ``(d, l)``: ``q_l`` exactly against the paper's value; verdict ``holds`` when equal."""
    d = pos_int("d", d, 3)
    l = pos_int("l", l, 3)
    if l > d:
        raise ValueError(f"l must be <= d = {d}, got {l}")
    q, paper = per_filter_probability(l), paper_value(d)
    return {"format": FORMAT, "kind": "lemma_5_2_per_filter",
            "claim": "Lemma 5.2 (per-filter probability)",
            "inequality": "P(i in W_0+ ∩ A+) = (1 - 2^{-d+1}) / (2(d-1)) (Appendix B); q_l = 1/2 "
            "sum over sign vectors of (g_j)_{j != 2} with g_1 > 0 of 2^{-(l-1)} / #positive "
            "(i.i.d. symmetric continuous projections: uniform ranks of |g_j| given the signs)",
            "inputs": {"d": d, "l": l},
            "enclosure": {"q_l": str(q), "paper": str(paper)},
            "verdict": "holds" if q == paper else "fails"}
