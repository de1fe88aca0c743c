"""Property test of Appendix E's last step: inside Theorem 5.1's assumptions, Soudry et al.'s
hypotheses hold and no support point is a tie z.a_hat = 0 (deterministic, no statistics)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from verify.claims.appendix_e_last_step import check_last_step
from verify.claims.section_5 import theorem_setting
from verify.evidence import Verdict


@given(d=st.integers(3, 4), data=st.data(), T1=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_check_last_step__soudry_hypotheses_and_no_ties(d, data, T1, seed):
    l = data.draw(st.integers(3, d), label="l")
    n = data.draw(st.integers(1, 3), label="n")
    ev = check_last_step(theorem_setting(d, l, n, 8 * d**3 + 1, 40, T1, seed))
    assert ev.verdict is Verdict.HOLDS or (
        ev.verdict is Verdict.NOT_APPLICABLE and "event fails" in ev.reason), ev.summary()
