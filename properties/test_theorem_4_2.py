"""Theorem 4.2: the proof's network realises Hypothesis-drawn labellings of B for n = 6..8
(|B| = 32..128, where exhaustion is out of reach), with Haar or standard patterns and any choice
of x_I[n]; the checker fails whenever one coefficient of Eq. 5's solution changes sign; and for
every number of patterns l, the theorem holds exactly when l > d/2."""

import numpy as np
from hypothesis import given, settings, target
from hypothesis import strategies as st

from verify.claims.theorem_4_2 import check_shattering, check_vc_dimension, solve_alpha
from verify.evidence import Verdict
from verify.fuzzing.strategies import seeds


@st.composite
def shattering_cases(draw, *, min_n=6, max_n=8, max_labellings=4):
    """``(n, patterns, last, labellings)``: ``labellings`` an ``L x 2^(n-1)`` array of +-1."""
    n = draw(st.integers(min_n, max_n))
    N = 2 ** (n - 1)
    label = st.lists(st.sampled_from([-1.0, 1.0]), min_size=N, max_size=N)
    rows = draw(st.lists(label, min_size=1, max_size=max_labellings))
    last = draw(st.one_of(st.sampled_from(["o1", "o2"]),
                          st.lists(st.sampled_from([1, 2]), min_size=N, max_size=N)))
    return n, draw(st.sampled_from(["haar", "standard"])), last, np.array(rows)


@given(shattering_cases(), seeds)
def test_check_shattering__realises_drawn_labellings_for_n_6_to_8(case, seed):
    n, patterns, last, ys = case
    ev = check_shattering(n, patterns=patterns, last=last, labellings=ys, seed=seed)
    target(-ev.slack, label="smallest margin y_I N(x_I), negated")
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert ev.details["misclassified_labellings"] == 0
    assert ev.details["max_abs_N_minus_y"] <= ev.details["tolerance"]


@settings(max_examples=15)
@given(shattering_cases(min_n=2, max_n=7, max_labellings=1), seeds, st.data())
def test_check_shattering__fails_when_any_alpha_changes_sign(case, seed, data):
    # alpha_K = sum(y)/(N-1) - y_{K^c} is never 0 (sum(y) and N-1 differ in parity), so the sign
    # flip moves N(x_J) by -2 alpha_K at every J != K^c: the checker must see it.
    n, patterns, last, ys = case
    alpha = solve_alpha(ys)
    k = data.draw(st.integers(0, ys.shape[1] - 1), label="K")
    alpha[0, k] = -alpha[0, k]
    ev = check_shattering(n, patterns=patterns, last=last, labellings=ys, seed=seed, alpha=alpha)
    assert ev.verdict == Verdict.FAILS, ev.summary()


@settings(max_examples=10)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(st.just(n), st.integers(3, 2 * n))), seeds)
def test_check_vc_dimension__theorem_holds_iff_l_exceeds_d_over_2(nl, seed):
    n, l = nl
    ev = check_vc_dimension(n, l, seed=seed, labellings=2)
    target(float(ev.slack), label="VCdim - 2^(d/2-1)")
    assert ev.details["vc_dimension"] == ev.details["pattern_sets"]  # certified in full
    if l > n:
        assert ev.holds, ev.summary()
    else:
        assert ev.verdict == Verdict.FAILS, ev.summary()
