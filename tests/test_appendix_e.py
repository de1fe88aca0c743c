"""Unit tests of verify.claims.appendix_e's pieces: v*, the support points, and gradient descent on
the second layer with its checks (monotone loss, the convex-GD bound, the fit, the cosines)."""

import math

import numpy as np
import pytest

from verify.claims.second_layer import SUPPORT_LIMIT, descend, support_points, v_star
from verify.claims.section_5 import theorem_setting
from verify.model.distribution import support_size


def test_v_star__has_the_entries_of_appendix_e():
    plus = np.array([True, False, False, True])
    minus = np.array([False, True, False, False])
    v = v_star(plus, minus, d=3, eta1=0.01, T1=2)
    c = 80 * 3 / (4 * 0.01 * 2)
    np.testing.assert_allclose(v, [c, -c, 0.0, c], rtol=1e-15, atol=0)


def test_v_star__rejects_bad_arguments():
    with pytest.raises(ValueError, match="T1"):
        v_star(np.array([True]), np.array([False]), d=3, eta1=0.1, T1=0)
    with pytest.raises(ValueError, match="disjoint"):
        v_star(np.array([True]), np.array([True]), d=3, eta1=0.1, T1=1)
    with pytest.raises(ValueError, match="same length"):
        v_star(np.array([True]), np.array([True, False]), d=3, eta1=0.1, T1=1)


def test_support_points__enumerates_small_supports_and_samples_large_ones():
    s = theorem_setting(4, 4, 3, 513, 10, 1, seed=0)
    idx, y, how = support_points(s)
    assert how == "support"
    assert len(y) == support_size(3, 4)
    big = s.replace(n=30)
    assert support_size(30, 4) > SUPPORT_LIMIT
    idx, y, how = support_points(big, fresh=50)
    assert how == "fresh"
    assert idx.shape == (50, 30)


# A separable toy problem with a known min-norm separator: a_hat = (1, 0).
Z = np.array([[1.0, 0.3], [-1.0, 0.3], [2.0, -1.0]])
Y = np.array([1.0, -1.0, 1.0])
A_HAT = np.array([1.0, 0.0])


def test_descend__loss_decreases_to_zero_below_the_convex_gd_bound():
    a0 = np.array([0.0, 1.0])
    sig2 = np.linalg.norm(Z, 2) ** 2
    eta2 = 4 * 3 / sig2  # 1/beta with beta = sigma_max^2/(4 m2)
    out = descend(Z, Y, a0, eta2=eta2, T2=20_000, tol=1e-3, a_hat=A_HAT)
    assert out.max_increase <= 0.0
    assert out.checkpoints[0] == 0
    assert out.checkpoints[-1] == 20_000
    assert np.all(np.diff(out.losses) <= 0)
    assert out.first_below is not None
    assert out.losses[-1] < 1e-3
    pos = out.checkpoints > 0
    assert np.all(out.losses[pos] <= out.bound[pos])
    assert out.cosines[-1] > 0.99
    assert out.fit["slope"] < -0.8  # L_2 ~ 1/t up to log factors


def test_descend__finds_an_increase_when_the_step_is_too_large():
    # eta2 far above 2/beta: gradient descent overshoots and the loss goes up somewhere.
    Zb = np.array([[1.0], [1.0]])
    yb = np.array([1.0, -1.0])  # not separable: minimum at a = 0
    out = descend(Zb, yb, np.array([1.0]), eta2=100.0, T2=50)
    assert out.max_increase > 0
    assert out.first_below is None


def test_descend__t2_zero_is_just_the_initial_loss():
    out = descend(Z, Y, np.zeros(2), eta2=1.0, T2=0, a_hat=A_HAT)
    assert out.checkpoints.tolist() == [0]
    assert math.isclose(out.losses[0], math.log(2), rel_tol=1e-15)
    assert math.isnan(out.bound[0])
    assert out.fit is None


def test_descend__rejects_bad_arguments():
    with pytest.raises(ValueError, match="eta2"):
        descend(Z, Y, np.zeros(2), eta2=0.0, T2=1)
    with pytest.raises(ValueError, match="a_hat"):
        descend(Z, Y, np.zeros(2), eta2=1.0, T2=1, a_hat=np.zeros(3))
    with pytest.raises(ValueError, match="y"):
        descend(Z, Y[:2], np.zeros(2), eta2=1.0, T2=1)
