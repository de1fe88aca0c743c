"""The constants of Appendix E, Theorem 5.1, Theorem 4.2 and Proposition 6.1 pinned.
See :mod:`tests.test_bound_constants`.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_bound_constants import EPS, SIDES
from verify.evidence import Verdict

# ----------------------------------------------------------------------------- Appendix E, Thm 5.1
# One small real run (d = 3, k = 217, T1 = 2: well under a second). Each part's bound is compared
# with the paper's expression, and its relation with the paper's direction: with Part's verdict
# rule (tests/test_verdict_rules.py) that fixes the verdict of every input. Soudry's condition,
# whose bound does not depend on eta2, is also fed eta2 just inside and just outside it.


def _small_setting(T2: int = 3):
    from verify.claims.section_5 import theorem_setting

    return theorem_setting(3, 3, 2, 217, 40, 2, 0, T2=T2)


def test_appendix_e_check_run__bounds_are_the_papers():
    from verify.claims import appendix_e

    s = _small_setting()
    ev = appendix_e.check_setting(s)
    parts = ev.details["parts"]
    d, k, eta1, T1, m2 = s.d, s.k, s.eta1, s.T1, s.m2
    sig2 = ev.details["soudry"]["sigma_max_sq"]
    want = {
        "y z(x).v* > 1 on supp D": (">=", 1.0),
        "||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)": ("<=", 2 * 80**2 * d / (k * eta1**2 * T1**2)),
        "||z(x)||^2 <= 4k eta1^2 T1^2": ("<=", 4 * k * eta1**2 * T1**2),
        "||Z||_F^2 <= 4 m2 k eta1^2 T1^2": ("<=", 4 * m2 * k * eta1**2 * T1**2),
        "4 m2 k eta1^2 T1^2 <= m2/(4k)": ("<=", m2 / (4 * k)),
        "8k <= 2 m2/sigma_max(Z)^2": ("<=", 2 * m2 / sig2),
        "eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)": ("<=", 2 * m2 / sig2),
        "sigma_max(Z)^2 <= ||Z||_F^2": ("<=", ev.details["soudry"]["frobenius_sq"]),
        "L_2(a(t+1)) <= L_2(a(t)) at every step": ("<=", 0.0),
    }
    for name, (relation, bound) in want.items():
        assert parts[name]["relation"] == relation, name
        assert parts[name]["bound"] == pytest.approx(bound, rel=1e-12), name
    assert parts["4 m2 k eta1^2 T1^2 <= m2/(4k)"]["observed"] == pytest.approx(
        4 * m2 * k * eta1**2 * T1**2, rel=1e-12)
    assert parts["8k <= 2 m2/sigma_max(Z)^2"]["observed"] == 8 * k
    assert parts["eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)"]["observed"] == s.eta2
    assert parts["||a_hat||^2 <= ||v*||^2"]["bound"] == pytest.approx(
        parts["||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)"]["observed"], rel=1e-12)
    assert ev.details["lucky_counts"]["k/(4d)"] == k / (4 * d)
    assert ev.details["lucky_counts"]["k/d"] == k / d
    assert ev.details["soudry"]["limit_beta_1/4"] == pytest.approx(8 * m2 / sig2, rel=1e-12)
    assert ev.verdict is Verdict.HOLDS


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_appendix_e_check_run__soudry_condition_is_eta2_below_2_m2_over_sigma2(side, verdict):
    from verify.claims import appendix_e

    s = _small_setting(T2=0)
    name = "eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)"
    limit = appendix_e.check_setting(s).details["parts"][name]["bound"]
    ev = appendix_e.check_setting(s.replace(eta2=limit * (1 - side * EPS)))
    assert ev.details["parts"][name]["verdict"] == verdict.value
    assert ev.assumptions["eta2<8k"] is False  # the limit is far above 8k here
    # with T2 = 0 the descent part is at its boundary (no step, no increase)
    assert ev.verdict is (Verdict.BOUNDARY if verdict is Verdict.HOLDS else Verdict.FAILS)


def test_theorem_5_1_check_run__bounds_are_the_papers():
    from verify.claims import theorem_5_1

    s = _small_setting()
    ev = theorem_5_1.check_setting(s)
    parts = ev.details["parts"]
    p2 = ev.details["part_2"]
    name = "||a_hat||^2 max_x ||z(x)||^2 <= 51200 d (the proof's O(d))"
    assert parts[name]["bound"] == 2 * 80**2 * 4 * s.d == 51200 * s.d
    assert parts[name]["relation"] == "<="
    assert parts[name]["observed"] == p2["q_a_hat"]
    assert p2["proof_constant_51200d"] == 51200 * s.d
    assert p2["margin_bound_delta_0.05"] == pytest.approx(
        2 * np.sqrt(p2["q_v_star"] / s.m2) + np.sqrt(2 * np.log(2 / 0.05) / s.m2), rel=1e-12)
    sep = "S_2 separable by z: min_i y_i z_i.a_hat / (||a_hat|| max_i ||z_i||) > 0"
    assert (parts[sep]["relation"], parts[sep]["bound"], parts[sep]["tolerance"]) == (
        ">=", 0.0, 1e-6)
    assert p2["sqrt_d_over_m"] == pytest.approx(np.sqrt(s.d / s.m), rel=1e-12)
    assert ev.verdict is Verdict.HOLDS


@pytest.mark.parametrize(("q", "m2", "delta"), [(4.0, 16, 0.05), (0.0, 1, 0.5), (575.2, 20, 0.01)])
def test_theorem_5_1_margin_bound__is_2_sqrt_q_over_m2_plus_sqrt_2_log_2_over_delta_over_m2(
        q, m2, delta):
    from verify.claims.theorem_5_1 import DELTA, margin_bound

    assert DELTA == 0.05
    want = 2 * np.sqrt(q / m2) + np.sqrt(2 * np.log(2 / delta) / m2)
    assert margin_bound(q, m2, delta) == pytest.approx(want, rel=1e-14)
    assert margin_bound(q, m2) == margin_bound(q, m2, 0.05)


# ------------------------------------------------------------------------ Theorem 4.2, Prop. 6.1


@pytest.mark.parametrize(
    ("n", "l", "d", "verdict"),
    [
        # n = 3, l = 4: VCdim = 6, between 2^(7/2-1) = 5.66 and 2^(8/2-1) = 8
        (3, 4, 7, Verdict.HOLDS),
        (3, 4, 8, Verdict.FAILS),
        (3, 4, 6, Verdict.HOLDS),
        # n = 2, l = 3, d = 4: VCdim = 2 = 2^(4/2-1), exactly at the bound
        (2, 3, 4, Verdict.BOUNDARY),
        (3, 3, 6, Verdict.FAILS),  # VCdim = 2 < 4
    ],
)
def test_theorem_4_2_check_vc_dimension__bound_is_2_to_the_d_over_2_minus_1(n, l, d, verdict):
    from verify.claims.theorem_4_2 import check_vc_dimension

    ev = check_vc_dimension(n, l, d=d, labellings=1)
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == 2.0 ** (d / 2 - 1)
    assert ev.details["parts"]["VCdim(H_CNN(X)) >= 2^(d/2-1)"]["relation"] == ">="


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize(("n", "l"), [(2, 3), (3, 4)])
def test_proposition_6_1_check_proposition__bound_is_n(side, verdict, n, l):
    """``w`` is the QP's solution scaled so that ``||w||^2`` is just above or below ``n`` (it is
    then infeasible, margin < 1, as the proposition says it must be: the claim fails)."""
    from verify.claims.proposition_6_1 import check_proposition
    from verify.claims.proposition_6_1.certificate import closed_form

    base = check_proposition(n, l)
    part = base.details["parts"]["||w_hat||^2 >= n (QP on supp D)"]
    assert (part["bound"], part["relation"]) == (n, ">=")
    assert part["observed"] == pytest.approx(2 * n, rel=1e-9)  # the exact optimum is 2n
    w = np.array([float(v) for v in closed_form(n, l).w])
    w = w * np.sqrt(n * (1 + side * EPS) / float(w @ w))
    ev = check_proposition(n, l, w=w)
    part = ev.details["parts"]["||w_hat||^2 >= n (QP on supp D)"]
    assert part["verdict"] == verdict.value
    assert ev.verdict is Verdict.FAILS  # ||w||^2 < 2n: not a separator with margin 1
