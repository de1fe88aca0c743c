"""Which lucky-count bounds the margin of ``v*`` needs (Appendix E, proof-algebra check E.4).

Appendix E lower-bounds the margin of ``v*`` on a positive point by the chain

    ``z(x+) . v* >= c |W0+ ∩ A+| T1 eta1/9 - c |W0- ∩ A-| r``,  ``c = 80d/(k eta1 T1)``,

(Lemma 5.3 for the lucky positive filters, Corollary 5.4, item 2, for the lucky negative ones,
whose feature on ``x+`` is at most ``r``), and the mirror chain on negative points. The first
term needs Lemma 5.2's *lower* bound ``|W0+ ∩ A+| >= k/(4d)``; the second, subtracted, term
needs an *upper* bound on the opposite count ``|W0- ∩ A-|``: with ``r = eta1/200`` (the largest
the assumptions allow) the chain is ``80 d P/(9k) - 2 d Q/(5 k T1)`` for ``P = |W0+ ∩ A+|``,
``Q = |W0- ∩ A-|``, which exceeds 1 at ``P = k/(4d)`` iff ``Q < (55/18) T1 k/d``. Lemma 5.2's
``Q <= k/d`` gives ``82/45`` at ``T1 = 1``; the trivial ``Q <= k`` gives ``20/9 - 2d/(5 T1)``,
below 1 for every ``d >= 4`` at ``T1 = 1``.

:func:`margin_chain` computes all of this exactly (SymPy rationals); that the chain exceeds 1
everywhere under Lemma 5.2's two bounds is proof-algebra check E.4 (a positivity certificate).
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from verify._validate import check_int

__all__ = ["margin_chain", "negative_count_threshold"]

k, d, r, eta1, T1 = sp.symbols("k d r eta1 T1", positive=True)
P, Q = sp.symbols("P Q", nonnegative=True)
_C = 80 * d / (k * eta1 * T1)
CHAIN = _C * P * (T1 * eta1 / 9) - _C * Q * r
"""The chain of Appendix E for a positive point (the negative point's mirror is the same with
the roles of the two counts exchanged)."""


def negative_count_threshold(T1_value: int = 1) -> sp.Expr:
    """The largest ``beta`` such that ``Q < beta k/d`` keeps the chain above 1 at the worst
    ``P = k/(4d)``, ``r = eta1/200``: ``beta = (55/18) T1`` (exact).

    Examples
    --------
    >>> negative_count_threshold(1)
    55/18
    """
    t = check_int("T1_value", T1_value, low=1)
    beta = sp.Symbol("beta", positive=True)
    worst = CHAIN.subs({P: k / (4 * d), Q: beta * k / d, r: eta1 / 200, T1: t})
    return sp.solve(sp.Eq(sp.simplify(worst), 1), beta)[0]


def margin_chain(d_values: tuple[int, ...] = (3, 4, 5, 6, 10)) -> dict[str, Any]:
    """The chain with and without the upper bound on the opposite lucky count, exactly, at the
    worst values the assumptions allow (``P = k/(4d)``, ``r = eta1/200``, ``T1 = 1``).

    Returns ``worst_with_upper`` (``Q = k/d``: ``82/45 > 1``; that the chain exceeds 1
    everywhere under these bounds is proof-algebra check E.4, a positivity certificate),
    ``worst_without_upper[d]`` (``Q = k``, the trivial bound: ``20/9 - 2d/5``, exact),
    ``smallest_d_below_1`` (the smallest ``d`` in ``d_values`` where that is ``< 1``) and
    ``threshold`` (``55/18``: the chain needs ``Q < (55/18) T1 k/d``).

    Examples
    --------
    >>> out = margin_chain((3, 4))
    >>> out["worst_with_upper"], out["worst_without_upper"], out["smallest_d_below_1"]
    (82/45, {3: 46/45, 4: 28/45}, 4)
    """
    ds = [check_int("d_values", v, low=3) for v in d_values]
    at = {P: k / (4 * d), r: eta1 / 200, T1: 1}
    worst_with = sp.simplify(CHAIN.subs({**at, Q: k / d}))
    worst_without = {v: sp.simplify(CHAIN.subs({**at, Q: k}).subs(d, v)) for v in ds}
    below = [v for v in ds if worst_without[v] < 1]
    return {
        "worst_with_upper": worst_with,
        "worst_without_upper": worst_without,
        "smallest_d_below_1": min(below) if below else None,
        "threshold": negative_count_threshold(1),
    }
