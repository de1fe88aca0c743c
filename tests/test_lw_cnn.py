"""LW_CNN (Algorithm 1): the first layer in pattern coordinates against the same algorithm on
dense inputs, what recorders see, the second layer's span form against plain gradient descent
on ``a`` (:func:`verify.model._kernels.lw_cnn_numpy.second_layer_direct`), the composition,
validation and determinism."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numba
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from verify.model._kernels.lw_cnn_numpy import second_layer_direct
from verify.model.distribution import sample
from verify.model.initialisation import initialise
from verify.model.lw_cnn import (
    FirstLayerState,
    TrajectoryRecorder,
    first_layer,
    first_layer_dense,
    lw_cnn,
    second_layer,
)
from verify.model.network import loss_and_grads, pattern_features, projections
from verify.model.patterns import haar_patterns, standard_patterns
from verify.model.setting import largest_allowed_steps
from verify.rng import generator


def _problem(seed, *, d=5, l=5, n=4, k=40, m=24, r=0.3):
    rng = generator(seed, "lw-cnn-test")
    O = haar_patterns(d, l, rng)
    W0, a0 = initialise(k, d, r, rng)
    idx, y = sample(n, l, m, rng)
    return O, W0, a0, idx, y


@pytest.mark.parametrize(("seed", "eta1", "T1", "r"), [(0, 0.05, 8, 0.3), (1, 0.5, 5, 1.0)])
def test_first_layer__equals_first_layer_dense(seed, eta1, T1, r):
    O, W0, a0, idx, y = _problem(seed, r=r)
    got = first_layer(W0, a0, O, idx, y, eta1=eta1, T1=T1)
    want = first_layer_dense(W0, a0, O[idx], y, eta1=eta1, T1=T1)
    msg = f"seed={seed}, eta1={eta1}, T1={T1}, r={r}"
    assert_allclose(got.losses, want.losses, rtol=1e-12, atol=0, err_msg=msg)
    assert_allclose(got.W, want.W, rtol=0, atol=1e-13 * (r + eta1 * T1), err_msg=msg)
    assert_allclose(got.P, got.W @ O.T, rtol=0, atol=1e-14 * (r + eta1 * T1), err_msg=msg)
    assert want.P.shape == (W0.shape[0], 0)
    assert not np.allclose(got.W, W0)  # the run moved


def test_first_layer__equals_dense_in_theorem_regime():
    d, k, T1 = 4, 8 * 4**3 + 1, 6
    eta1, r = largest_allowed_steps(d, k, T1)
    O, W0, a0, idx, y = _problem(4, d=d, l=d, k=k, r=r, m=30)
    got = first_layer(W0, a0, O, idx, y, eta1=eta1, T1=T1)
    want = first_layer_dense(W0, a0, O[idx], y, eta1=eta1, T1=T1)
    assert_allclose(got.losses, want.losses, rtol=1e-13, atol=0)
    assert_allclose(got.W, want.W, rtol=0, atol=1e-13 * eta1 * (T1 + 1))


@dataclass
class CheckingRecorder:
    """Checks every state against the dense quantities it stands for."""

    seen: list[int] = field(default_factory=list)

    def on_step(self, state: FirstLayerState) -> None:
        self.seen.append(state.t)
        W = state.dense_W()
        O = state.patterns
        assert state.W is None
        assert_allclose(state.P, W @ O.T, rtol=0, atol=1e-14)
        assert_allclose(state.w_norms, np.linalg.norm(W, axis=1), rtol=1e-13, atol=0)
        _, dW, da = loss_and_grads(W, state.a0, O[state.idx1], state.y1)
        assert_allclose(state.grad_norms, np.linalg.norm(dW, axis=1), rtol=1e-11, atol=1e-15)
        assert_allclose(state.step.G @ O, dW, rtol=1e-11, atol=1e-15)
        assert_allclose(state.step.da, da, rtol=1e-11, atol=1e-15)
        _, top = pattern_features(state.P, state.idx1)
        assert_array_equal(state.step.top, top)
        assert_allclose(state.W_perp @ O.T, 0.0, rtol=0, atol=1e-14)


def test_first_layer__recorders_see_every_step_with_consistent_state():
    O, W0, a0, idx, y = _problem(5)
    check, traj = CheckingRecorder(), TrajectoryRecorder()
    res = first_layer(W0, a0, O, idx, y, eta1=0.05, T1=7, recorders=[check, traj])
    assert check.seen == list(range(8))
    assert len(traj.P) == len(traj.w_norms) == len(traj.grad_norms) == len(traj.N) == 8
    assert_array_equal(np.array(traj.loss), res.losses)
    assert_array_equal(traj.P[-1], res.P)
    assert_array_equal(traj.P[0], projections(W0, O))
    for t in range(7):  # each step is P <- P - eta1 G
        assert not np.array_equal(traj.P[t], traj.P[t + 1])


def test_first_layer__T1_zero_returns_the_initialisation():
    O, W0, a0, idx, y = _problem(6)
    traj = TrajectoryRecorder()
    res = first_layer(W0, a0, O, idx, y, eta1=0.1, T1=0, recorders=[traj])
    assert len(traj.P) == 1
    assert res.losses.shape == (1,)
    assert_allclose(res.W, W0, rtol=0, atol=1e-15)
    assert res.losses[0] == pytest.approx(math.log(2), abs=0.5)


@pytest.mark.parametrize(("m2", "k"), [(7, 30), (30, 7), (12, 12)])
@pytest.mark.parametrize("record_every", [1, 3])
def test_second_layer__span_form_equals_direct_gradient_descent(m2, k, record_every):
    rng = generator(7, "second-layer", m2, k)
    Z = np.maximum(rng.standard_normal((m2, k)), 0.0)
    y2 = np.where(rng.random(m2) < 0.5, 1.0, -1.0)
    a0 = np.where(rng.random(k) < 0.5, 1.0, -1.0)
    eta2, T2 = 0.3, 25
    got = second_layer(Z, y2, a0, eta2=eta2, T2=T2, record_every=record_every)
    a, losses = second_layer_direct(Z, y2, a0, eta2, T2)
    msg = f"m2={m2}, k={k}, record_every={record_every}"
    assert_allclose(got.a, a, rtol=1e-12, atol=1e-12, err_msg=msg)
    want = losses[sorted({*range(0, T2 + 1, record_every), T2})]
    assert_allclose(got.losses, want, rtol=1e-12, atol=0, err_msg=msg)
    assert losses[-1] < losses[0]


def test_second_layer__T2_zero_keeps_a0():
    Z = np.eye(3)
    got = second_layer(Z, np.array([1.0, -1.0, 1.0]), np.ones(3), eta2=1.0, T2=0)
    assert_array_equal(got.a, np.ones(3))
    assert_allclose(got.losses, [np.mean(np.log1p(np.exp([-1.0, 1.0, -1.0])))], rtol=1e-15)


def test_lw_cnn__is_first_layer_on_s1_then_second_layer_on_s2():
    O, W0, a0, idx, y = _problem(8, m=15)
    W, a, first, second = lw_cnn(W0, a0, O, idx, y, eta1=0.05, eta2=2.0, T1=4, T2=9)
    m1 = 8  # ceil(15 / 2)
    f = first_layer(W0, a0, O, idx[:m1], y[:m1], eta1=0.05, T1=4)
    Z2, _ = pattern_features(f.P, idx[m1:])
    s = second_layer(Z2, y[m1:], a0, eta2=2.0, T2=9)
    assert_array_equal(W, f.W)
    assert_array_equal(first.losses, f.losses)
    assert_array_equal(a, s.a)
    assert_array_equal(second.losses, s.losses)


def test_lw_cnn__same_seed_same_bits():
    runs = []
    for _ in range(2):
        O, W0, a0, idx, y = _problem(9, m=20)
        runs.append(lw_cnn(W0, a0, O, idx, y, eta1=0.05, eta2=1.0, T1=5, T2=5))
    assert_array_equal(runs[0][0], runs[1][0])
    assert_array_equal(runs[0][1], runs[1][1])
    assert_array_equal(runs[0][2].losses, runs[1][2].losses)


def test_first_layer__bit_identical_on_one_and_two_threads():
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs NUMBA_NUM_THREADS >= 2")
    O, W0, a0, idx, y = _problem(10, k=300, m=80)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = first_layer(W0, a0, O, idx, y, eta1=0.05, T1=4)
        numba.set_num_threads(2)
        two = first_layer(W0, a0, O, idx, y, eta1=0.05, T1=4)
    finally:
        numba.set_num_threads(before)
    assert_array_equal(one.P, two.P)
    assert_array_equal(one.losses, two.losses)


# -- validation --------------------------------------------------------------------------------

_O = standard_patterns(3, 3)
_IDX = np.array([[0, 2], [1, 2], [2, 0]])
_Y = np.array([1.0, -1.0, 1.0])
_FIRST = {
    "W0": np.ones((2, 3)),
    "a0": np.ones(2),
    "patterns": _O,
    "idx1": _IDX,
    "y1": _Y,
    "eta1": 0.1,
    "T1": 2,
}


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("W0", {"W0": np.ones(3)}),
        ("W0", {"W0": np.full((2, 3), np.nan)}),
        ("a0", {"a0": np.ones(3)}),
        ("patterns", {"patterns": np.ones((3, 3))}),  # not orthonormal
        ("patterns", {"patterns": np.eye(2, 3)}),  # l < 3
        ("patterns", {"patterns": np.eye(4)}),  # d = 4 != 3
        ("idx1", {"idx1": np.zeros((0, 2), dtype=int), "y1": np.ones(0)}),
        ("idx1", {"idx1": np.zeros((3, 0), dtype=int)}),
        ("idx1", {"idx1": _IDX + 1}),
        ("idx1", {"idx1": _IDX * 1.0}),
        ("y1", {"y1": np.ones(2)}),
        ("y1", {"y1": np.array([1.0, 0.0, 1.0])}),
        ("eta1", {"eta1": 0.0}),
        ("eta1", {"eta1": float("nan")}),
        ("T1", {"T1": -1}),
        ("T1", {"T1": 2.0}),
    ],
)
def test_first_layer__rejects_bad_arguments(name, change):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        first_layer(**(_FIRST | change))


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("W0", {"W0": np.ones((2, 3, 1))}),
        ("a0", {"a0": np.ones(1)}),
        ("X1", {"X1": np.ones((3, 2))}),
        ("X1", {"X1": np.ones((3, 2, 4))}),
        ("y1", {"y1": np.ones(4)}),
        ("eta1", {"eta1": -1.0}),
        ("T1", {"T1": -2}),
    ],
)
def test_first_layer_dense__rejects_bad_arguments(name, change):
    args = {"W0": np.ones((2, 3)), "a0": np.ones(2), "X1": _O[_IDX], "y1": _Y, "eta1": 0.1, "T1": 2}
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        first_layer_dense(**(args | change))


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("Z", {"Z": np.ones(3)}),
        ("Z", {"Z": np.ones((0, 2)), "y2": np.ones(0)}),
        ("Z", {"Z": np.full((3, 2), np.inf)}),
        ("y2", {"y2": np.ones(2)}),
        ("a0", {"a0": np.ones(3)}),
        ("eta2", {"eta2": 0}),
        ("T2", {"T2": -1}),
        ("record_every", {"record_every": 0}),
    ],
)
def test_second_layer__rejects_bad_arguments(name, change):
    args = {"Z": np.ones((3, 2)), "y2": _Y, "a0": np.ones(2), "eta2": 1.0, "T2": 3}
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        second_layer(**(args | change))


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("idx", {"idx": _IDX[:1], "y": _Y[:1]}),
        ("idx", {"idx": np.ones(3, dtype=int)}),
        ("y", {"y": np.ones(2)}),
        ("eta2", {"eta2": -1.0}),
    ],
)
def test_lw_cnn__rejects_bad_arguments(name, change):
    args = {
        "W0": np.ones((2, 3)),
        "a0": np.ones(2),
        "patterns": _O,
        "idx": _IDX,
        "y": _Y,
        "eta1": 0.1,
        "eta2": 1.0,
        "T1": 1,
        "T2": 1,
    }
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        lw_cnn(**(args | change))
