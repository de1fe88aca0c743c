"""Unit tests of verify.model.separators: hand-solvable cases, the primal and dual forms agreeing (a
problem is sent to one or the other by padding it with zero features), infeasible data, the
soft margin with a large C, and argument validation."""

import numpy as np
import pytest

from verify.model.separators import Separator, min_norm_separator, soft_margin_separator
from verify.rng import generator


def _separable(m, p, seed, *, offset=0.0):
    """``m`` points in ``R^p`` labelled by a random hyperplane, kept at distance >= 0.1."""
    rng = generator(seed, "test-separators")
    u = rng.standard_normal(p)
    Z = rng.standard_normal((m, p))
    s = Z @ u + offset
    keep = np.abs(s) > 0.1 * np.linalg.norm(u)
    return Z[keep], np.where(s[keep] > 0, 1.0, -1.0)


def _pad(Z, extra):
    return np.hstack([Z, np.zeros((Z.shape[0], extra))])


# ----------------------------------------------------------------------------- hand-solved


def test_min_norm_separator__one_dimensional_case_by_hand():
    # 2 v >= 1 and -(-1) v >= 1: v = 1; only the second constraint is active.
    sep = min_norm_separator(np.array([[2.0, 0.0], [-1.0, 0.0]]), np.array([1.0, -1.0]))
    assert sep.status == "optimal"
    np.testing.assert_allclose(sep.v, [1.0, 0.0], atol=1e-8)
    assert sep.b == 0.0
    np.testing.assert_allclose(sep.multipliers, [0.0, 1.0], atol=1e-8)  # v = sum lam y z
    assert sep.norm_sq == pytest.approx(1.0, abs=1e-8)
    assert sep.min_margin == pytest.approx(1.0, abs=1e-8)
    assert sep.kkt_residual < 1e-8


def test_min_norm_separator__with_bias_by_hand():
    # 2 v1 + b >= 1 and -b >= 1: b = -1, v = (1, 0); lambda = (1/2, 1/2).
    Z = np.array([[2.0, 0.0], [0.0, 0.0]])
    sep = min_norm_separator(Z, np.array([1.0, -1.0]), bias=True)
    assert sep.optimal
    np.testing.assert_allclose(sep.v, [1.0, 0.0], atol=1e-8)
    assert sep.b == pytest.approx(-1.0, abs=1e-8)
    np.testing.assert_allclose(sep.multipliers, [0.5, 0.5], atol=1e-8)


def test_min_norm_separator__symmetric_pair_needs_no_bias():
    Z = np.array([[3.0, 4.0], [-3.0, -4.0]])
    y = np.array([1.0, -1.0])
    for bias in (False, True):
        sep = min_norm_separator(Z, y, bias=bias)
        np.testing.assert_allclose(sep.v, [3 / 25, 4 / 25], atol=1e-9)
        assert sep.b == pytest.approx(0.0, abs=1e-9)
        assert sep.norm_sq == pytest.approx(1 / 25, abs=1e-9)


# ----------------------------------------------------------------------------- primal vs dual


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_min_norm_separator__primal_and_dual_forms_agree(bias, seed):
    Z, y = _separable(40, 3, seed, offset=0.5 if bias else 0.0)
    assert Z.shape[0] > Z.shape[1] + 30  # primal form
    primal = min_norm_separator(Z, y, bias=bias)
    dual = min_norm_separator(_pad(Z, Z.shape[0]), y, bias=bias)  # m <= p: dual form
    assert primal.optimal
    assert dual.optimal
    np.testing.assert_allclose(dual.v[Z.shape[1]:], 0.0, atol=1e-9)
    np.testing.assert_allclose(dual.v[:Z.shape[1]], primal.v, rtol=1e-6, atol=1e-8)
    assert dual.b == pytest.approx(primal.b, abs=1e-7)
    assert dual.norm_sq == pytest.approx(primal.norm_sq, rel=1e-7)
    for sep, Zs in ((primal, Z), (dual, _pad(Z, Z.shape[0]))):
        assert sep.kkt_residual < 1e-7
        assert sep.min_margin >= 1 - 1e-7
        np.testing.assert_allclose(Zs.T @ (sep.multipliers * y), sep.v, atol=1e-7)
        if bias:
            assert abs(sep.multipliers @ y) < 1e-7


def test_min_norm_separator__few_samples_in_high_dimension():
    # m < p: the minimiser lies in the span of the samples; with orthogonal samples of norm 2,
    # v = sum_s y_s z_s / 4 (margins exactly 1).
    Z = 2.0 * np.eye(3, 7)
    y = np.array([1.0, -1.0, 1.0])
    sep = min_norm_separator(Z, y)
    np.testing.assert_allclose(sep.v, Z.T @ y / 4, atol=1e-9)
    np.testing.assert_allclose(sep.multipliers, 0.25, atol=1e-9)


# ----------------------------------------------------------------------------- infeasible


def test_min_norm_separator__same_point_with_both_labels_is_infeasible():
    Z = np.array([[1.0, 0.0], [1.0, 0.0]])
    sep = min_norm_separator(Z, np.array([1.0, -1.0]))  # dual form
    assert sep.status == "infeasible"
    assert not sep.optimal
    assert np.isnan(sep.kkt_residual)
    Z3 = np.array([[1.0], [1.0], [2.0]])
    assert min_norm_separator(Z3, np.array([1.0, -1.0, 1.0])).status == "infeasible"  # primal


def test_min_norm_separator__xor_is_infeasible_even_with_bias():
    Z = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    assert min_norm_separator(Z, y, bias=True).status == "infeasible"
    assert min_norm_separator(_pad(Z, 4), y, bias=True).status == "infeasible"


def test_min_norm_separator__origin_cannot_be_separated_without_bias():
    Z = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    y = np.array([1.0, -1.0, -1.0])
    assert min_norm_separator(Z, y).status == "infeasible"
    assert min_norm_separator(Z, y, bias=True).optimal


# ----------------------------------------------------------------------------- soft margin


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize(("m", "extra"), [(40, 0), (12, 20)])
def test_soft_margin_separator__large_C_is_the_hard_margin(bias, m, extra):
    Z, y = _separable(m, 3, 5, offset=0.3 if bias else 0.0)
    Z = _pad(Z, extra)
    hard = min_norm_separator(Z, y, bias=bias)
    soft = soft_margin_separator(Z, y, C=1e6, bias=bias)
    assert soft.optimal
    np.testing.assert_allclose(soft.v, hard.v, rtol=1e-5, atol=1e-7)
    assert soft.b == pytest.approx(hard.b, abs=1e-6)
    assert np.max(soft.multipliers) < 1e6 / 2  # no multiplier at the box: no slack used


def test_soft_margin_separator__non_separable_data_saturate_the_box():
    Z = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    C = 0.7
    sep = soft_margin_separator(Z, y, C=C)
    assert sep.optimal
    assert np.all(sep.multipliers <= C + 1e-8)
    assert np.any(sep.multipliers >= C - 1e-6)
    assert sep.kkt_residual < 1e-7


# ----------------------------------------------------------------------------- validation


def test_min_norm_separator__rejects_bad_input():
    Z = np.eye(2)
    y = np.array([1.0, -1.0])
    with pytest.raises(ValueError, match="Z must have 2 dimensions"):
        min_norm_separator(np.ones(3), y)
    with pytest.raises(ValueError, match="at least one sample"):
        min_norm_separator(np.ones((0, 2)), np.ones(0))
    with pytest.raises(ValueError, match="Z must hold only finite"):
        min_norm_separator(np.array([[np.nan, 0.0], [0.0, 1.0]]), y)
    with pytest.raises(ValueError, match="y must have shape"):
        min_norm_separator(Z, np.ones(3))
    with pytest.raises(ValueError, match="y must contain only"):
        min_norm_separator(Z, np.array([1.0, 0.0]))


def test_soft_margin_separator__rejects_bad_C():
    Z, y = np.eye(2), np.array([1.0, -1.0])
    with pytest.raises(ValueError, match="C must be > 0"):
        soft_margin_separator(Z, y, C=0.0)
    with pytest.raises(ValueError, match="C must be finite"):
        soft_margin_separator(Z, y, C=np.inf)


def test_separator__optimal_property_follows_status():
    sep = min_norm_separator(np.eye(2), np.array([1.0, -1.0]))
    assert isinstance(sep, Separator)
    assert sep.optimal is (sep.status == "optimal")


@pytest.mark.parametrize("scale", [1e-5, 1e4, 1e5])
def test_min_norm_separator__is_accurate_on_badly_scaled_data(scale):
    # Optimum by hand: v = (1, 1/2) / scale, with every constraint active.
    Z = scale * np.array([[1.0, 0.0], [-1.0, 0.0], [0.5, 1.0]])
    sep = min_norm_separator(Z, np.array([1.0, -1.0, 1.0]))
    assert sep.optimal
    np.testing.assert_allclose(sep.v * scale, [1.0, 0.5], rtol=1e-6)
    assert sep.kkt_residual < 1e-8
