"""The N_CNN kernels (:mod:`verify.model._kernels.network_numba`) against their plain-NumPy twins
(:mod:`verify.model._kernels.network_numpy`), against each other (dense path vs pattern path) and
against themselves under a different thread count.

Shapes are drawn by Hypothesis and cover the kernels' edges: ``k = 1`` and the block
boundaries ``LANES - 1, LANES, LANES + 1``; ``m = 1`` and sizes around the chunking of the
samples; ``n = 1`` and ``n`` not a multiple of 5 (the dense kernel takes positions five or two
at a time, repeating the last); any ``d`` (its coordinate loop is not unrolled). Exact
ties come from integer-valued filters and inputs (all products and sums are then exact in both
implementations) and from repeated patterns within a sample.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given
from numpy.testing import assert_allclose, assert_array_equal

from verify.model._kernels import network_numba as nb
from verify.model._kernels import network_numpy as npk
from verify.model._kernels import pattern_path_numba as pp
from verify.model._kernels.dtypes import index_dtype
from verify.model.patterns import haar_patterns, standard_patterns
from verify.rng import generator

from .kernel_cases import dense_cases, pattern_cases, scale

LANES = nb.LANES


@given(dense_cases())
def test_dense_forward__numba_equals_numpy_twin(case):
    W, a, X, _, kind, seed = case
    N, z, jstar = nb.dense_forward(W, a, X, True)
    N0, z0, jstar0 = npk.dense_forward(W, a, X, True)
    msg = f"seed={seed}, kind={kind}, shape W{W.shape} X{X.shape}"
    # one rounding per dot-product term; inputs O(1), d <= 9 terms
    assert_allclose(z, z0, rtol=1e-13, atol=1e-14, err_msg=msg)
    assert_allclose(N, N0, rtol=1e-12, atol=1e-13 * scale(a, z0), err_msg=msg)
    # continuous inputs have no near-ties (probability ~1e-15); integer inputs are exact
    assert_array_equal(jstar, jstar0, err_msg=msg)
    assert jstar.dtype == jstar0.dtype == index_dtype(X.shape[1])
    N1, z1, jstar1 = nb.dense_forward(W, a, X, False)  # without features: same N, jstar
    assert z1.shape == (0, 0)
    assert_array_equal(N1, N, err_msg=msg)
    assert_array_equal(jstar1, jstar, err_msg=msg)


@given(dense_cases())
def test_dense_grads__numba_equals_numpy_twin(case):
    W, a, X, y, kind, seed = case
    N, _z, jstar = npk.dense_forward(W, a, X, True)
    loss, c = nb.loss_and_coefficients(N, y)
    loss0, c0 = npk.loss_and_coefficients(N, y)
    msg = f"seed={seed}, kind={kind}, shape W{W.shape} X{X.shape}"
    assert_allclose(loss, loss0, rtol=1e-14, atol=0, err_msg=msg)
    assert_allclose(c, c0, rtol=1e-14, atol=1e-300, err_msg=msg)
    G, da = nb.dense_grads(X, W, jstar, a, c0)
    G0, da0 = npk.dense_grads(X, W, jstar, a, c0)
    # m <= 40 terms of size |c| <= 1/m times O(1) inputs
    assert_allclose(G, G0, rtol=1e-12, atol=1e-14, err_msg=msg)
    assert_allclose(da, da0, rtol=1e-12, atol=1e-14, err_msg=msg)


@given(pattern_cases())
def test_pattern_kernels__numba_equal_numpy_twin(case):
    W, a, O, idx, y, kind, seed = case
    msg = f"seed={seed}, kind={kind}, k={W.shape[0]}, l={O.shape[0]}, idx{idx.shape}"
    P = pp.projections(W, O)
    assert_allclose(P, npk.projections(W, O), rtol=1e-13, atol=1e-14, err_msg=msg)
    N, top = pp.pattern_forward(P, a, idx)
    N0, top0 = npk.pattern_forward(P, a, idx)  # the same P: identical comparisons
    assert_array_equal(top, top0, err_msg=msg)
    assert top.dtype == top0.dtype == index_dtype(O.shape[0])
    assert_allclose(
        N, N0, rtol=1e-12, atol=1e-13 * scale(a, npk.pattern_features(P, top0)), err_msg=msg
    )
    z = pp.pattern_features(P, top)
    assert_array_equal(z, npk.pattern_features(P, top0), err_msg=msg)  # a pure look-up
    _, c = npk.loss_and_coefficients(N0, y)
    G, da = pp.pattern_grads(P, top, a, c)
    G0, da0 = npk.pattern_grads(P, top0, a, c)
    assert_allclose(G, G0, rtol=1e-12, atol=1e-15, err_msg=msg)
    assert_allclose(da, da0, rtol=1e-12, atol=1e-14, err_msg=msg)


@given(pattern_cases())
def test_pattern_path__bit_identical_activations_to_dense_path(case):
    # The pattern path must see exactly the activations of the dense path on x = O[idx]: same
    # features, same active pattern (ties to the first position), same N (same lane order).
    W, a, O, idx, y, kind, seed = case
    msg = f"seed={seed}, kind={kind}, k={W.shape[0]}, l={O.shape[0]}, idx{idx.shape}"
    X = O[idx]
    N_dense, z_dense, jstar = nb.dense_forward(W, a, X, True)
    P = pp.projections(W, O)
    N_pat, top = pp.pattern_forward(P, a, idx)
    rows = np.arange(idx.shape[0])[:, None]
    assert_array_equal(top, np.where(jstar >= 0, idx[rows, np.maximum(jstar, 0)], -1), err_msg=msg)
    assert_array_equal(pp.pattern_features(P, top), z_dense, err_msg=msg)
    assert_array_equal(N_pat, N_dense, err_msg=msg)
    # gradients: the same quantity by different sums
    _, c = nb.loss_and_coefficients(N_dense, y)
    G_dense, da_dense = nb.dense_grads(X, W, jstar, a, c)
    G, da = pp.pattern_grads(P, top, a, c)
    assert_allclose(G @ O, G_dense, rtol=1e-12, atol=1e-14, err_msg=msg)
    assert_allclose(da, da_dense, rtol=1e-12, atol=1e-14, err_msg=msg)


@pytest.mark.parametrize("l", [128, 129, 300])
def test_pattern_forward__top_type_holds_every_pattern_index(l):
    # int8 up to l = 128 patterns (indices 0..127), int16 beyond: the largest index must survive
    rng = generator(l, "many-patterns")
    O = standard_patterns(l, l)
    W = rng.standard_normal((70, l))
    W[:, l - 1] = 10.0  # the last pattern wins wherever present
    idx = rng.integers(0, l, size=(9, 4))
    idx[::2, 3] = l - 1
    P = pp.projections(W, O)
    _N, top = pp.pattern_forward(P, np.ones(70), idx)
    _N0, top0 = npk.pattern_forward(P, np.ones(70), idx)
    assert top.dtype == (np.int8 if l <= 128 else np.int16) == top0.dtype
    assert_array_equal(top, top0)
    assert np.all(top[::2] == l - 1)
    _, z, _jstar = nb.dense_forward(W, np.ones(70), O[idx], True)
    assert_array_equal(pp.pattern_features(P, top), z)


@pytest.mark.parametrize("n", [128, 129])
def test_dense_forward__jstar_type_holds_every_position(n):
    # only the last position has a positive dot product: jstar = n - 1 must survive the type
    W = np.abs(generator(n, "many-positions").standard_normal((70, 3)))
    X = np.zeros((2, n, 3))
    X[:, n - 1] = 1.0
    _N, _z, jstar = nb.dense_forward(W, np.ones(70), X, False)
    _N0, _z0, jstar0 = npk.dense_forward(W, np.ones(70), X, False)
    assert jstar.dtype == (np.int8 if n <= 128 else np.int16) == jstar0.dtype
    assert np.all(jstar == n - 1)
    assert_array_equal(jstar, jstar0)


def test_dense_forward__ties_go_to_the_first_position_and_relu_prime_zero():
    # filter 0: positions 1 and 2 tie at the maximum 2; filter 1: every product is <= 0, with
    # 0 attained (inactive: relu'(0) = 0); filter 2: ties at 0 and a negative -> inactive.
    W = np.array([[1.0, 0.0], [0.0, -1.0], [-1.0, 0.0]])
    X = np.array([[[1.0, 0.0], [2.0, 1.0], [2.0, 3.0], [0.0, 0.0]]])
    a = np.array([1.0, 1.0, 1.0])
    for kern in (nb, npk):
        N, z, jstar = kern.dense_forward(W, a, X, True)
        assert jstar.tolist() == [[1, -1, -1]]
        assert z.tolist() == [[2.0, 0.0, 0.0]]
        assert N.tolist() == [2.0]
        G, da = kern.dense_grads(X, W, jstar, a, np.array([0.5]))
        assert G.tolist() == [[1.0, 0.5], [0.0, 0.0], [0.0, 0.0]]
        assert da.tolist() == [1.0, 0.0, 0.0]


def test_pattern_forward__ties_between_patterns_go_to_the_first_position():
    P = np.array([[1.0, 1.0, 0.5], [0.0, -1.0, 0.0], [2.0, 3.0, 3.0]])
    idx = np.array([[2, 1, 0], [0, 1, 2], [1, 1, 0]])
    for kern in (pp, npk):
        _, top = kern.pattern_forward(P, np.ones(3), idx)
        # sample 0: filter 0 ties o_2 (pos 1) and o_1 (pos 2) -> o_2; filter 2 ties o_3 (pos 0)
        # and o_2 (pos 1) -> o_3; filter 1 never positive -> -1
        assert top.tolist() == [[1, -1, 2], [0, -1, 1], [1, -1, 1]]


def test_projections__is_the_fma_chain_of_the_dense_path():
    # Every P[i, p] is the fma chain sum_c fma(W[i, c], O[p, c], .) from 0.0: e.g. with
    # w = (-1, 1 + 2^-30) and o = (1, 1 - 2^-30), unfused arithmetic gives 0, the chain -2^-60.
    e = 2.0**-30
    W = np.array([[-1.0, 1.0 + e]])
    O = np.array([[1.0, 1.0 - e]])
    assert pp.projections(W, O)[0, 0] == -(2.0**-60)
    N, z, _ = nb.dense_forward(-W, np.ones(1), O[None], True)
    assert z[0, 0] == 2.0**-60
    assert N[0] == 2.0**-60


def test_loss_and_coefficients__numba_equals_numpy_twin_at_extremes():
    N = np.array([-800.0, -40.0, -1e-9, 0.0, 1e-9, 3.0, 40.0, 800.0])
    for y in (np.ones(8), -np.ones(8)):
        loss, c = nb.loss_and_coefficients(N, y)
        loss0, c0 = npk.loss_and_coefficients(N, y)
        assert np.isfinite(loss)
        assert np.all(np.isfinite(c))
        assert_allclose(loss, loss0, rtol=1e-15, atol=0)
        assert_allclose(c, c0, rtol=1e-14, atol=1e-320)
    for z in N:
        assert_allclose(nb.softplus_neg(z), npk.softplus_neg(z), rtol=1e-15, atol=1e-320)
        assert_allclose(nb.dsoftplus_neg(z), npk.dsoftplus_neg(z), rtol=1e-14, atol=1e-320)


@pytest.fixture
def two_threads():
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs NUMBA_NUM_THREADS >= 2")
    before = numba.get_num_threads()
    yield
    numba.set_num_threads(before)


def _run_all_kernels(W, a, O, idx, y):
    X = O[idx]
    N, z, jstar = nb.dense_forward(W, a, X, True)
    _, c = nb.loss_and_coefficients(N, y)
    G, da = nb.dense_grads(X, W, jstar, a, c)
    P = pp.projections(W, O)
    Np, top = pp.pattern_forward(P, a, idx)
    Gp, dap = pp.pattern_grads(P, top, a, c)
    PT, tied = pp.projection_blocks(W, O)
    steps = [pp.step(PT, tied, a, idx, y, O, True, gradient=g)[:5]
             for g in ("items", "subset_sums")]
    Nv = pp.forward_items(PT, tied, a, idx, "subsets", want_top=False)[0]
    return (N, z, jstar, G, da, P, Np, top, Gp, dap, pp.pattern_features(P, top), PT, Nv,
            *[x for step in steps for x in step])


@pytest.mark.usefixtures("two_threads")
def test_kernels__bit_identical_on_one_and_two_threads():
    # many chunks of samples, blocks and spans of filters: k = 2 SUPER + 7 LANES + 5 filters
    rng = generator(5, "threads")
    k, d, l, n, m = 2 * nb.SUPER + 7 * LANES + 5, 6, 5, 5, 83
    O = haar_patterns(d, l, rng)
    W, a = rng.standard_normal((k, d)), rng.standard_normal(k)
    idx = rng.integers(0, l, size=(m, n))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    numba.set_num_threads(1)
    one = _run_all_kernels(W, a, O, idx, y)
    numba.set_num_threads(2)
    two = _run_all_kernels(W, a, O, idx, y)
    for u, v in zip(one, two, strict=True):
        assert_array_equal(u, v)
