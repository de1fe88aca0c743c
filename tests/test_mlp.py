"""The MLP baseline of Section 7 (:mod:`verify.claims.section_7.mlp`): gradients against central
finite differences, parameter counts matched to ConvPool, initialisation and validation."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from verify.claims.section_7.mlp import (
    MLPParams,
    init_mlp,
    matched_hidden_units,
    mlp_forward,
    mlp_loss_and_grads,
    mlp_parameter_count,
)
from verify.claims.section_7.models import convpool_parameter_count, mlp_units_for
from verify.rng import generator


def _problem(seed: int, m: int = 9, p: int = 7, h: int = 5):
    rng = generator(seed, "mlp-fd")
    params = MLPParams(rng.standard_normal((h, p)), rng.standard_normal(h),
                       rng.standard_normal(h), rng.standard_normal(1))
    X = rng.standard_normal((m, p))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    return params, X, y


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mlp_loss_and_grads__match_central_differences(backend, seed):
    params, X, y = _problem(seed)
    U = X @ params.W.T + params.b
    assert np.min(np.abs(U)) > 1e-3  # no unit within a step of its kink: the loss is smooth here
    _, grads = mlp_loss_and_grads(params, X, y, backend=backend)
    step = 1e-6
    for name, value, grad in zip(MLPParams._fields, params, grads, strict=True):
        fd = np.empty_like(value)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + step
            up, _ = mlp_loss_and_grads(params, X, y, backend=backend)
            value[i] = old - step
            down, _ = mlp_loss_and_grads(params, X, y, backend=backend)
            value[i] = old
            fd[i] = (up - down) / (2 * step)
        # central differences: O(step^2) truncation plus O(eps/step) ~ 1e-10 rounding
        assert_allclose(grad, fd, rtol=1e-6, atol=1e-8, err_msg=f"{name}, seed {seed}")


def test_mlp_forward__backends_agree_and_match_the_formula():
    params, X, _ = _problem(3)
    want = np.maximum(X @ params.W.T + params.b, 0.0) @ params.a + params.c[0]
    assert_allclose(mlp_forward(params, X), want, rtol=1e-13, atol=1e-13)
    assert_allclose(mlp_forward(params, X, backend="numpy"), want, rtol=1e-13, atol=1e-13)


def test_mlp_loss_and_grads__inactive_unit_at_zero_gets_no_gradient():
    params = MLPParams(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2), np.array([1.0, 1.0]),
                       np.zeros(1))
    X = np.array([[0.0, 2.0]])  # unit 0 has pre-activation exactly 0: relu'(0) = 0
    for backend in ("numba", "numpy"):
        _, g = mlp_loss_and_grads(params, X, np.array([1.0]), backend=backend)
        assert g.W[0].tolist() == [0.0, 0.0]
        assert g.b[0] == 0.0
        assert g.a[0] == 0.0
        assert g.W[1, 1] != 0.0


def test_matched_hidden_units__closest_count_to_convpool():
    # the paper's setting: k = 500, d = 20, n = 10 -> 10,500 parameters
    target = convpool_parameter_count(500, 20)
    assert target == 10_500
    h = mlp_units_for(10, 20, 500)
    assert h == 52
    assert mlp_parameter_count(200, h) == 10_505
    for n in (5, 10, 20, 40):
        p = n * 20
        h = mlp_units_for(n, 20, 500)
        best = min(range(1, 200), key=lambda u: (abs(mlp_parameter_count(p, u) - target), u))
        assert h == best, n
    assert matched_hidden_units(10, 1) == 1  # never fewer than one unit


def test_init_mlp__he_scales_and_zero_biases():
    P = init_mlp(400, 300, generator(0, "init-mlp"))
    assert P.W.shape == (300, 400)
    assert P.b.shape == (300,)
    assert P.c.shape == (1,)
    assert not P.b.any()
    assert not P.c.any()
    assert abs(np.var(P.W) * 400 / 2 - 1) < 0.02  # 120,000 draws of N(0, 2/p)
    assert abs(np.var(P.a) * 300 - 1) < 0.25  # 300 draws of N(0, 1/h)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda P, X, y: mlp_forward(P, X[:, :-1]), "columns"),
        (lambda P, X, y: mlp_forward(P._replace(b=P.b[:-1]), X), "params"),
        (lambda P, X, y: mlp_forward(tuple(P), X), "MLPParams"),
        (lambda P, X, y: mlp_loss_and_grads(P, X, y[:-1]), "y"),
        (lambda P, X, y: mlp_loss_and_grads(P, X, y, backend="torch"), "backend"),
        (lambda P, X, y: mlp_parameter_count(0, 3), "p"),
        (lambda P, X, y: matched_hidden_units(5, 0), "target"),
    ],
)
def test_mlp__bad_arguments_raise_naming_them(call, message):
    params, X, y = _problem(4)
    with pytest.raises(ValueError, match=message):
        call(params, X, y)
