"""Property test of the per-seed evaluation of Theorem 5.1 (:func:`evaluate_seed`): the same
seed gives the same evidence, and the verdict is exactly "S_2 separable and the limit error
within the explicit bound" (deterministic, no statistical decision)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from properties.strategies import seeds
from verify.claims.section_5 import theorem_setting
from verify.claims.theorem_5_1_confidence import evaluate_seed
from verify.evidence import Verdict


@given(d=st.integers(3, 4), data=st.data(), seed=seeds)
def test_evaluate_seed__verdict_is_the_conclusion(d, data, seed):
    l = data.draw(st.integers(3, d), label="l")
    s = theorem_setting(d, l, 2, 8 * d**3 + 1, 40, 2, 0)
    ev = evaluate_seed(s, seed)
    assert ev.as_dict() == evaluate_seed(s, seed).as_dict()
    holds = ev.details["separable"] and ev.observed <= ev.bound
    assert (ev.verdict is Verdict.HOLDS) is holds
    assert 0.0 <= ev.observed <= 1.0
