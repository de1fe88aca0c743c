"""Section 6's comparison: R^2 = n, best linear bound 2n^2 = Theta(d^{2r}), against
the CNN's ||a_hat||^2 max||z||^2 <= 51200 d; crossover constants pinned."""

from __future__ import annotations

import pytest

from verify.claims.section_5 import theorem_setting
from verify.claims.section_6_comparison import (
    asymptotics,
    check_asymptotics,
    check_cnn_complexity,
    check_linear_complexity,
)
from verify.evidence import Verdict


@pytest.mark.parametrize(("n", "l"), [(1, 3), (2, 4), (3, 3), (4, 4)])
def test_check_linear_complexity__best_bound_is_2n_squared(n, l):
    ev = check_linear_complexity(n, l)
    assert ev.verdict is Verdict.HOLDS
    assert ev.details["R^2"] == n
    assert ev.details["||w_hat||^2 (exact)"] == 2 * n
    assert ev.observed == pytest.approx(2 * n * n, rel=1e-6)


def test_check_linear_complexity__fails_against_a_wrong_bound(monkeypatch):
    import verify.claims.section_6_comparison as mod

    class Fake:
        v = mod.np.ones(6)
        status = "optimal"
        kkt_residual = 0.0

    monkeypatch.setattr(mod, "min_norm_separator", lambda X, y, bias: Fake())
    assert check_linear_complexity(2, 3).verdict is Verdict.FAILS


def test_asymptotics__theta_d_2r_and_the_crossover_with_the_cnn_constant():
    a = asymptotics()
    assert a["r=1: 2n^2 = 51200 d at d"] == "[25600/c**2]"
    assert all(a[f"r={r}: lim 2n^2/d^(2r)"] == "2*c**2" for r in (1, 2, 3))
    assert check_asymptotics().verdict is Verdict.HOLDS


def test_check_cnn_complexity__far_below_51200_d():
    ev = check_cnn_complexity(theorem_setting(4, 4, 3, 513, 40, 5, 0))
    assert ev.verdict is Verdict.HOLDS
    assert ev.observed < 10  # pinned: about 1/gamma^2, not growing with d (Appendix A)
    with pytest.raises(ValueError, match="setting"):
        check_cnn_complexity(None)
    with pytest.raises(ValueError, match="patterns"):
        check_linear_complexity(2, 3, patterns="nope")
