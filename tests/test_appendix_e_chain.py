"""Which lucky-count bounds the margin of v* needs (the corrected Appendix E erratum)."""

from __future__ import annotations

import pytest
import sympy as sp

from verify.claims.appendix_e_chain import (
    CHAIN,
    T1,
    P,
    Q,
    d,
    eta1,
    k,
    margin_chain,
    negative_count_threshold,
    r,
)


def test_margin_chain__lemma_5_2_upper_bound_keeps_it_above_1_the_trivial_one_does_not():
    out = margin_chain((3, 4, 5, 6, 10))
    assert out["worst_with_upper"] == sp.Rational(82, 45)
    assert out["worst_without_upper"] == {
        dd: sp.Rational(20, 9) - sp.Rational(2 * dd, 5) for dd in (3, 4, 5, 6, 10)}
    assert out["smallest_d_below_1"] == 4  # pinned: without the upper bound, d = 4 breaks it
    assert out["threshold"] == sp.Rational(55, 18)


@pytest.mark.parametrize("t", [1, 2, 5, 40])
def test_negative_count_threshold__is_where_the_chain_reaches_1(t):
    beta = negative_count_threshold(t)
    assert beta == sp.Rational(55, 18) * t
    at = {P: k / (4 * d), r: eta1 / 200, T1: t}
    assert sp.simplify(CHAIN.subs({**at, Q: beta * k / d})) == 1
    assert sp.simplify(CHAIN.subs({**at, Q: (beta + 1) * k / d})) < 1
    assert sp.simplify(CHAIN.subs({**at, Q: (beta - 1) * k / d})) > 1


def test_margin_chain__rejects_d_below_3():
    with pytest.raises(ValueError, match="d_values"):
        margin_chain((2,))
    with pytest.raises(ValueError, match="T1_value"):
        negative_count_threshold(0)


def test_errata__v_star_norm_erratum_says_the_margin_needs_both_bounds():
    from verify.claims.appendix_e import errata

    text = errata()[0]
    assert "needs only the lower bound" not in text.what_is_true
    assert "needs both bounds" in text.what_is_true
    assert "Q = k gives d=3: 46/45, d=4: 28/45" in text.evidence
