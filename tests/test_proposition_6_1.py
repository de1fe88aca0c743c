"""Unit tests of verify.claims.proposition_6_1: the flattened support, Section 6's separator, the
exact certificate of Eq. 9 (checked against an independent SymPy computation), the checkers (and
that they fail on broken inputs), the finite-sample curve and the report entry point."""

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy

from verify.claims.proposition_6_1 import (
    CLAIM,
    SECTION_CLAIM,
    check_proposition,
    check_section_6,
    closed_form,
    errata,
    finite_sample_curve,
    flat_support,
    multiplier_convention,
    report_checks,
    section_6_separator,
    verify_certificate,
)
from verify.evidence import Verdict
from verify.model.distribution import enumerate_support, support_size
from verify.model.patterns import haar_patterns, standard_patterns
from verify.rng import generator

from .spec_checks import assert_readable

CERT = "certificate: ||w_hat||^2 = {} >= n (exact rational arithmetic)"


def _exact_support(n, l, d=None):
    X, y = flat_support(n, l, standard_patterns(l if d is None else d, l))
    return X.astype(np.int64), y.astype(np.int64)


# ----------------------------------------------------------------------------- flat_support


def test_flat_support__position_blocks_hold_the_patterns():
    n, l, d = 3, 4, 6
    O = haar_patterns(d, l, generator(1, "test"))
    X, y = flat_support(n, l, O)
    idx, y_ref = enumerate_support(n, l)
    assert X.shape == (support_size(n, l), n * d)
    np.testing.assert_array_equal(y, y_ref)
    for s in range(len(y)):
        for j in range(n):
            np.testing.assert_array_equal(X[s, j * d:(j + 1) * d], O[idx[s, j]])


def test_flat_support__standard_basis_gives_0_1_vectors_with_n_ones():
    X, _ = flat_support(3, 5, standard_patterns(7, 5))
    assert set(np.unique(X)) == {0.0, 1.0}
    np.testing.assert_array_equal(X.sum(axis=1), 3.0)


def test_flat_support__rejects_bad_arguments():
    with pytest.raises(ValueError, match="l must be <= 3"):
        flat_support(2, 4, np.eye(3))
    with pytest.raises(ValueError, match="n must be >= 1"):
        flat_support(0, 3, np.eye(3))
    with pytest.raises(ValueError, match="patterns must have 2 dimensions"):
        flat_support(2, 3, np.ones(3))


def test_section_6_separator__is_n_copies_of_o1_minus_o2():
    O = haar_patterns(5, 3, generator(2, "test"))
    w = section_6_separator(4, O)
    np.testing.assert_array_equal(w.reshape(4, 5), np.tile(O[0] - O[1], (4, 1)))
    with pytest.raises(ValueError, match="at least 2 rows"):
        section_6_separator(2, np.ones((1, 3)))


# ----------------------------------------------------------------------------- the certificate


def test_closed_form__optimum_is_2n_and_multipliers_are_uniform():
    c = closed_form(4, 5, d=7)
    assert c.optimum == 8
    assert len(c.w) == 4 * 7
    assert len(c.multipliers) == support_size(4, 5)
    assert set(c.multipliers) == {sympy.Rational(1, 27)}
    assert c.w[:7] == (1, -1, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(("n", "l", "d"),
                         [(1, 3, 3), (2, 3, 5), (2, 6, 6), (3, 4, 5), (4, 5, 5), (5, 3, 4),
                          (3, 7, 9)])
def test_verify_certificate__closed_form_is_valid(n, l, d):
    X, y = _exact_support(n, l, d)
    c = closed_form(n, l, d)
    chk = verify_certificate(X, y, c.w, c.multipliers)
    assert chk.valid, chk.as_dict()
    assert chk.value == 2 * n == chk.sum_multipliers
    assert chk.min_margin == 1
    assert chk.gap == 0


def test_verify_certificate__agrees_with_a_sympy_matrix_computation():
    n, l = 3, 4
    X, y = _exact_support(n, l)
    c = closed_form(n, l)
    Xs = sympy.Matrix(X.tolist())
    w = sympy.Matrix(c.w)
    lam_y = sympy.Matrix([lam * int(t) for lam, t in zip(c.multipliers, y, strict=True)])
    assert Xs.T * lam_y == w  # stationarity
    assert min(int(t) * m for t, m in zip(y, Xs * w, strict=True)) == 1  # every margin is 1
    assert (w.T * w)[0] == sum(c.multipliers) == 2 * n


def test_verify_certificate__rejects_a_perturbed_multiplier():
    X, y = _exact_support(3, 5)
    c = closed_form(3, 5)
    lam = list(c.multipliers)
    lam[7] += sympy.Rational(1, 1000)
    chk = verify_certificate(X, y, c.w, lam)
    assert not chk.valid
    assert not chk.stationary
    assert chk.gap == -sympy.Rational(1, 1000)  # ||w||^2 - sum lambda


def test_verify_certificate__rejects_a_negative_multiplier():
    X, y = _exact_support(2, 3)
    c = closed_form(2, 3)
    lam = list(c.multipliers)
    lam[0] = -lam[0]
    chk = verify_certificate(X, y, c.w, lam)
    assert not chk.dual_feasible
    assert not chk.valid


@pytest.mark.parametrize(("scale", "broken"), [(Fraction(1, 2), "primal"), (2, "gap")])
def test_verify_certificate__rejects_a_scaled_w(scale, broken):
    X, y = _exact_support(2, 4)
    c = closed_form(2, 4)
    chk = verify_certificate(X, y, [scale * v for v in c.w], c.multipliers)
    assert not chk.valid
    if broken == "primal":
        assert not chk.primal_feasible
        assert chk.min_margin == sympy.Rational(1, 2)
    else:
        assert chk.primal_feasible
        assert not chk.stationary


def test_verify_certificate__rejects_bad_arguments():
    X, y = _exact_support(2, 3)
    c = closed_form(2, 3)
    with pytest.raises(ValueError, match="w must hold exact rationals"):
        verify_certificate(X, y, [0.5] * len(c.w), c.multipliers)
    with pytest.raises(ValueError, match="multipliers must hold exact rationals"):
        verify_certificate(X, y, c.w, [True] * len(c.multipliers))
    with pytest.raises(ValueError, match="w must have length"):
        verify_certificate(X, y, c.w[:-1], c.multipliers)
    with pytest.raises(ValueError, match="multipliers must have length"):
        verify_certificate(X, y, c.w, c.multipliers[:-1])
    with pytest.raises(ValueError, match="X must hold integers"):
        verify_certificate(X.astype(float), y, c.w, c.multipliers)
    with pytest.raises(ValueError, match="y must contain only"):
        verify_certificate(X, 2 * y, c.w, c.multipliers)


# ----------------------------------------------------------------------------- Section 6


def test_check_section_6__holds_exactly_with_every_margin_equal_to_1():
    ev = check_section_6(3, 5, d=6)
    assert ev.claim == SECTION_CLAIM
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    part = ev.details["parts"]["min_s y_s w.x_s >= 1 (exact)"]
    assert part["exact_min_margin"] == "1"
    assert part["points_with_margin_exactly_1"] == support_size(3, 5)
    assert ev.details["norm_sq"] == 6.0


def test_check_section_6__is_at_the_boundary_in_floating_point():
    ev = check_section_6(4, 4, d=6, patterns="haar", seed=3)
    assert ev.verdict == Verdict.BOUNDARY, ev.summary()
    assert not ev.details["exact"]
    assert ev.details["correctly_classified"] == support_size(4, 4)


def test_check_section_6__fails_for_half_the_separator():
    w = [Fraction(v) / 2 for v in closed_form(3, 4).w]
    ev = check_section_6(3, 4, w=w)
    assert ev.details["exact"]
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.observed == 0.5


def test_check_section_6__fails_for_o1_minus_o3():
    block = [1, 0, -1, 0]
    ev = check_section_6(2, 4, w=block * 2)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["correctly_classified"] < support_size(2, 4)


def test_check_section_6__fails_in_floating_point_for_a_shrunk_separator():
    O = haar_patterns(5, 4, generator(0, "patterns", "proposition-6.1"))
    ev = check_section_6(2, 4, d=5, patterns="haar", w=0.999 * section_6_separator(2, O))
    assert ev.verdict == Verdict.FAILS, ev.summary()


def test_check_section_6__rejects_bad_arguments():
    with pytest.raises(ValueError, match="patterns must be one of"):
        check_section_6(2, 3, patterns="random")
    with pytest.raises(ValueError, match="d must be >= 4"):
        check_section_6(2, 4, d=3)
    with pytest.raises(ValueError, match="w must have length"):
        check_section_6(2, 3, w=[1, -1, 0])
    with pytest.raises(ValueError, match="SUPPORT_LIMIT"):
        check_section_6(12, 12)


# ----------------------------------------------------------------------------- Proposition 6.1


@pytest.mark.parametrize(("n", "l"), [(1, 3), (2, 5), (4, 4)])
def test_check_proposition__holds_with_the_optimum_2n(n, l):
    ev = check_proposition(n, l, d=l + 1)
    assert ev.claim == CLAIM
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert ev.observed == pytest.approx(2 * n, rel=1e-8)
    assert ev.bound == n
    assert ev.slack == pytest.approx(1.0, abs=1e-8)
    assert ev.details["certified_optimum"] == str(2 * n)
    assert ev.details["parts"][CERT.format(2 * n)]["valid"]
    assert ev.details["solver_status"] == "optimal"
    assert ev.details["max_abs_w_hat_minus_closed_form"] < 1e-7
    assert ev.details["with_bias_norm_sq"] == pytest.approx(2 * n, rel=1e-8)


def test_check_proposition__holds_on_haar_patterns():
    ev = check_proposition(3, 4, d=7, patterns="haar", seed=5)
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    part = ev.details["parts"]["certificate: ||w_hat||^2 = 6 >= n (floating point)"]
    assert part["valid"]
    assert ev.observed == pytest.approx(6.0, rel=1e-8)


def test_check_proposition__fails_for_a_too_small_w():
    w = 0.5 * section_6_separator(3, standard_patterns(4, 4))  # ||w||^2 = n/2
    ev = check_proposition(3, 4, w=w)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.observed == pytest.approx(1.5)
    parts = ev.details["parts"]
    assert parts["||w_hat||^2 >= n (QP on supp D)"]["verdict"] == "fails"
    assert parts["min_s y_s w_hat.x_s >= 1 (QP solution feasible)"]["verdict"] == "fails"


def test_check_proposition__fails_for_a_feasible_but_suboptimal_w():
    w = 1.5 * section_6_separator(2, standard_patterns(4, 4))  # feasible, ||w||^2 = 4.5 n
    ev = check_proposition(2, 4, w=w)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["QP optimum = certified optimum (relative 1e-7)"]["verdict"] \
        == "fails"


def test_check_proposition__fails_for_a_broken_certificate():
    c = closed_form(2, 4)
    lam = list(c.multipliers)
    lam[0] *= 2
    ev = check_proposition(2, 4, certificate=replace(c, multipliers=tuple(lam)))
    assert ev.verdict == Verdict.FAILS, ev.summary()
    part = ev.details["parts"][CERT.format(4)]  # ||w||^2 = 4, sum lambda = 9/2
    assert part["verdict"] == "fails"
    assert not part["valid"]


def test_check_proposition__fails_when_the_certificate_claims_the_papers_bound():
    c = closed_form(3, 3)
    ev = check_proposition(3, 3, certificate=replace(c, optimum=sympy.Integer(3)))
    assert ev.verdict == Verdict.FAILS, ev.summary()


def test_check_proposition__reports_a_finite_sample_curve():
    ms = [2, 8, 32, 128]
    ev = check_proposition(2, 4, curve_ms=ms, curve_repeats=2, seed=1)
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    curve = ev.details["curve"]
    assert curve["m"] == ms
    rows = zip(curve["min"], curve["mean"], curve["max"], strict=True)
    assert all(lo <= mu <= hi for lo, mu, hi in rows)
    assert max(curve["max"]) <= 4 * (1 + 1e-8)
    assert ev.details["plot"]["series"][0]["y"] == curve["mean"]
    assert ev.details["parts"]["finite samples: ||w_m||^2 <= ||w_hat||^2 = 2n"]["verdict"] \
        == "holds"


def test_check_proposition__rejects_bad_arguments():
    with pytest.raises(ValueError, match="needs patterns='standard'"):
        check_proposition(2, 3, patterns="haar", certificate=closed_form(2, 3))
    with pytest.raises(ValueError, match="certificate must be a Certificate"):
        check_proposition(2, 3, certificate="2n")
    with pytest.raises(ValueError, match="w must have length"):
        check_proposition(2, 3, w=np.ones(5))
    with pytest.raises(ValueError, match="seed must be >= 0"):
        check_proposition(2, 3, seed=-1)
    with pytest.raises(ValueError, match="l must be >= 3"):
        check_proposition(2, 2)


# ----------------------------------------------------------------------------- curve, report


def test_finite_sample_curve__is_deterministic_and_below_the_optimum():
    a = finite_sample_curve(3, 4, [4, 16, 64], repeats=3, seed=7)
    b = finite_sample_curve(3, 4, [4, 16, 64], repeats=3, seed=7)
    assert a == b
    assert a["all_optimal"]
    assert max(a["max"]) <= 6 * (1 + 1e-8)
    assert a["mean"][0] < a["mean"][-1]


def test_finite_sample_curve__rejects_bad_arguments():
    with pytest.raises(ValueError, match="ms must hold at least one"):
        finite_sample_curve(2, 3, [])
    with pytest.raises(ValueError, match="ms must be >= 1"):
        finite_sample_curve(2, 3, [0])
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        finite_sample_curve(2, 3, [4], repeats=0)


def test_report_checks__quick_holds_and_is_reproducible():
    evs = report_checks("quick", 0)
    claims = {e.claim for e in evs}
    assert claims == {CLAIM, SECTION_CLAIM}
    assert all(e.holds for e in evs), [e.summary() for e in evs if not e.holds]
    props = [e for e in evs if e.claim == CLAIM]
    assert all(e.verdict == Verdict.HOLDS for e in props)
    assert sum("curve" in e.details for e in props) == 2
    assert {e.params["patterns"] for e in props} == {"standard", "haar"}
    again = check_proposition(5, 6, d=8, patterns="haar", seed=0)
    assert evs[-1].as_dict() == again.as_dict()
    with pytest.raises(ValueError, match="profile must be one of"):
        report_checks("fast", 0)


def test_errata__proposition_is_loose_by_a_factor_2():
    (err,) = errata()
    assert err.kind == "loose"
    assert "2n exactly" in err.what_is_true
    assert "valid for n = 1..4, l = 3..5: True" in err.evidence


@pytest.mark.parametrize(("n", "l"), [(1, 3), (2, 4), (3, 5)])
def test_multiplier_convention__closed_form_multipliers_belong_to_half_the_squared_norm(n, l):
    text = multiplier_convention(n, l)
    assert "max |w - sum lambda y x| = 0 " in text
    assert "max |2w - sum lambda y x| = 0 " not in text
    assert text.endswith("max |2w - sum 2 lambda y x| = 0")


def test_errata__proposition_names_the_objective_of_its_multipliers():
    text = errata()[0].what_is_true
    assert "for the objective ||w||^2 / 2" in text
    assert "mu_s = 2 (l-2)^-(n-1)" in text


def test_check_proposition__plot_draws_the_bound_n_and_the_min_max_band():
    ev = check_proposition(2, 4, curve_ms=[2, 8, 32], curve_repeats=2, seed=1)
    spec, curve = ev.details["plot"], ev.details["curve"]
    assert_readable(spec, bound="bound n = 2", xlabel="samples", ylabel="||w_m||^2",
                    spread=True)
    assert [h["y"] for h in spec["hlines"] if h.get("bound")] == [2.0]
    band = spec["series"][0]
    assert (band["lo"], band["y"], band["hi"]) == (curve["min"], curve["mean"], curve["max"])
