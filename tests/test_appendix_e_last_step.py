"""Appendix E's last step: Soudry et al.'s hypotheses, no ties z.a_hat = 0 on the
support, and the margin bound's hypotheses and constants (Shalev-Shwartz & Ben-David, Thm 15.4)."""

from __future__ import annotations

import math

import pytest

from verify.claims.appendix_e_last_step import TEXTBOOK, check_last_step, logistic_tail
from verify.claims.section_5 import regimes
from verify.claims.theorem_5_1 import margin_bound
from verify.evidence import Verdict


def test_logistic_tail__exact_bounds():
    t = logistic_tail()
    assert t["-l' - X(1-X)"] == "X**3/(X + 1)"
    assert t["X(1+X) - (-l')"] == "X**2*(X + 2)/(X + 1)"
    assert t["lower_nonneg"] == t["upper_nonneg"] == "True"


def test_check_last_step__holds_on_the_quick_regimes_with_no_ties():
    for s in regimes("quick", 0):
        ev = check_last_step(s)
        assert ev.verdict is Verdict.HOLDS, ev.summary()
        ties = ev.details["parts"]["no support point with z.a_hat = 0 (relative |z.a_hat|)"]
        assert ties["observed"] > 0.1
        mb = ev.details["margin_bound"]
        assert mb["m2_for_non_vacuous_proof_q"] == 4 * 51200 * s.d
        assert mb["bound_at_m2 (delta)"] > 1  # vacuous at these m2: pinned


def test_margin_bound__is_the_textbook_constant():
    """Theorem 15.4: sqrt(4 (rho/gamma)^2 / m) + sqrt(2 ln(2/delta) / m)."""
    q, m, delta = 37.0, 500, 0.1
    want = math.sqrt(4 * q / m) + math.sqrt(2 * math.log(2 / delta) / m)
    assert margin_bound(q, m, delta) == pytest.approx(want, rel=1e-15)
    assert "Theorem 15.4" in TEXTBOOK


def test_check_last_step__validates_arguments():
    with pytest.raises(ValueError, match="setting"):
        check_last_step(None)
    with pytest.raises(ValueError, match="delta"):
        check_last_step(regimes("quick", 0)[0], delta=1.5)
