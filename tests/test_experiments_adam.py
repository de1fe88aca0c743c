"""Adam (:mod:`verify.claims.section_7.adam`): the update of Kingma & Ba, bit for bit, and its
behaviour on a quadratic."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from verify.claims.section_7.adam import Adam
from verify.rng import generator


def _plain_adam(theta, grads_of, steps, lr, b1=0.9, b2=0.999, eps=1e-8):
    """The textbook formula, allocating freely: what the in-place update must equal."""
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = grads_of(theta)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (g * g)
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return theta


def test_adam_step__equals_the_plain_formula_bit_for_bit():
    rng = generator(0, "adam")
    A = rng.standard_normal((6, 6))
    Q = A @ A.T + np.eye(6)

    def grad(x):
        return Q @ x - 1.0

    x0 = rng.standard_normal(6)
    want = _plain_adam(x0.copy(), grad, 50, lr=0.05)
    x = x0.copy()
    opt = Adam([x], lr=0.05)
    for _ in range(50):
        opt.step([grad(x)])
    assert_array_equal(x, want)


def test_adam_step__minimises_a_quadratic():
    """``f(x) = (x - c)^T D (x - c) / 2`` with an ill-conditioned diagonal ``D``: Adam's
    per-coordinate scaling reaches ``c`` in every coordinate."""
    c = np.array([1.0, -2.0, 3.0])
    D = np.array([100.0, 1.0, 0.01])
    x = np.zeros(3)
    opt = Adam([x], lr=0.05)
    for _ in range(4000):
        opt.step([D * (x - c)])
    assert np.max(np.abs(x - c)) < 1e-3


def test_adam_step__first_step_moves_each_coordinate_by_lr():
    x = np.array([1.0, -2.0, 0.5])
    opt = Adam([x], lr=0.1)
    opt.step([np.array([3.0, -1e-3, 1e5])])
    np.testing.assert_allclose(x, [0.9, -1.9, 0.4], rtol=0, atol=1e-6)


def test_adam_step__updates_several_arrays_in_place():
    W, a = np.ones((2, 3)), np.ones(2)
    opt = Adam([W, a], lr=0.5)
    opt.step([np.ones((2, 3)), -np.ones(2)])
    assert np.allclose(W, 0.5)
    assert np.allclose(a, 1.5)
    assert opt.t == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Adam([], lr=0.1), "params"),
        (lambda: Adam([np.ones(2, dtype=np.float32)]), "params"),
        (lambda: Adam([np.ones(2)], lr=0.0), "lr"),
        (lambda: Adam([np.ones(2)], beta1=1.0), "beta1"),
        (lambda: Adam([np.ones(2)]).step([np.ones(3)]), "grads"),
        (lambda: Adam([np.ones(2)]).step([]), "grads"),
    ],
)
def test_adam__bad_arguments_raise_naming_them(make, message):
    with pytest.raises(ValueError, match=message):
        make()
