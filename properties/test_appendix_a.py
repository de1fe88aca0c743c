"""Property test of Appendix A's margin (:mod:`verify.claims.appendix_a`): inside Theorem 5.1's
assumptions the normalised max margin is at least the proof's 1/sqrt(51200 d) and at least v*'s
normalised margin, and at most 1 (deterministic: no statistical decision)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from verify.claims.appendix_a import normalised_margin
from verify.claims.section_5 import run_lw_cnn, theorem_setting


@given(d=st.integers(3, 5), data=st.data(), T1=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_normalised_margin__between_the_proof_bound_and_one(d, data, T1, seed):
    l = data.draw(st.integers(3, d), label="l")
    n = data.draw(st.integers(1, 3), label="n")
    run = run_lw_cnn(theorem_setting(d, l, n, 8 * d**3 + 1, 30, T1, seed), second=False)
    if run.events_reason():
        return  # the proof's bound is conditional on Eq. 14 and Lemma 5.2's event
    m = normalised_margin(run)
    assert m["proof_bound"] < m["v_star_normalised_margin"] <= m["gamma"] + 1e-9
    assert m["gamma"] <= 1 + 1e-9
