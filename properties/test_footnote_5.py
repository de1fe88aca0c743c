"""Property test of footnote 5 (:mod:`verify.claims.footnote_5`): for every ``d``, the exact
``-ln P(Lemma 5.2 fails)`` grows linearly in ``k`` at the Chernoff rate ``I(d)`` (deterministic:
no statistical decision)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from verify.claims.footnote_5 import check_footnote_5, chernoff_rate
from verify.evidence import Verdict


@given(d=st.integers(3, 14))
def test_check_footnote_5__exponent_is_linear_in_k_at_the_chernoff_rate(d):
    ev = check_footnote_5((d,), points=6)
    assert ev.verdict is Verdict.HOLDS, ev.summary()
    assert chernoff_rate(d + 1)["rate"] < chernoff_rate(d)["rate"]
