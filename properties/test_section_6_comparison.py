"""Property test of Section 6's comparison: for every small (n, l) and pattern draw, the best
linear bound ||w_hat||^2 R^2 is 2n^2 (deterministic QP check, no statistical decision)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from properties.strategies import seeds
from verify.claims.section_6_comparison import check_linear_complexity
from verify.evidence import Verdict


@given(n=st.integers(1, 4), l=st.integers(3, 5), seed=seeds, haar=st.booleans())
def test_check_linear_complexity__best_bound_2n_squared(n, l, seed, haar):
    ev = check_linear_complexity(n, l, patterns="haar" if haar else "standard", seed=seed)
    assert ev.verdict is Verdict.HOLDS, ev.summary()
