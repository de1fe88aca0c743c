"""The MLP kernels (:mod:`verify.claims.section_7._kernels.mlp_numba`) against their plain-NumPy
twins (:mod:`verify.claims.section_7._kernels.mlp_numpy`), and against themselves under another
thread count.

Shapes cover the forward kernel's chunking of the samples (``CHUNK - 1, CHUNK, CHUNK + 1``) and
``h = 1``; integer-valued inputs give exact arithmetic and pre-activations exactly 0 (the
``relu'(0) = 0`` convention must agree).
"""

from __future__ import annotations

import numba
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from verify.claims.section_7._kernels import mlp_numba as nb
from verify.claims.section_7._kernels import mlp_numpy as npk
from verify.model._kernels import network_numpy as net_np
from verify.rng import generator

CHUNK = nb.CHUNK


@st.composite
def mlp_cases(draw):
    """``(W, b, a, c, X, y, kind, seed)``; ``kind = "integer"`` gives exact sums and zeros."""
    m = draw(st.one_of(st.sampled_from([1, CHUNK - 1, CHUNK, CHUNK + 1]), st.integers(1, 40)))
    h, p = draw(st.integers(1, 12)), draw(st.integers(1, 30))
    kind = draw(st.sampled_from(["real", "integer"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = generator(seed, "mlp-kernel-twin")
    if kind == "real":
        W, X = rng.standard_normal((h, p)), rng.standard_normal((m, p))
        b, a, c = rng.standard_normal(h), rng.standard_normal(h), rng.standard_normal(1)
    else:
        W = rng.integers(-2, 3, size=(h, p)).astype(float)
        X = rng.integers(-1, 2, size=(m, p)).astype(float)
        b = rng.integers(-1, 2, size=h).astype(float)
        a = rng.integers(-2, 3, size=h).astype(float)
        c = rng.integers(-1, 2, size=1).astype(float)
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    return W, b, a, c, X, y, kind, seed


def _scale(a, U):
    return 1.0 + float(np.max(np.abs(np.maximum(U, 0.0)) @ np.abs(a)))


@given(mlp_cases())
def test_mlp_forward__numba_equals_numpy_twin(case):
    W, b, a, c, X, _, kind, seed = case
    msg = f"seed={seed}, kind={kind}, W{W.shape}, X{X.shape}"
    N, U = nb.mlp_forward(W, b, a, c, X)
    N0, U0 = npk.mlp_forward(W, b, a, c, X)
    # p <= 30 products of O(1) terms per pre-activation
    assert_allclose(U, U0, rtol=1e-13, atol=1e-13, err_msg=msg)
    assert_allclose(N, N0, rtol=1e-12, atol=1e-13 * _scale(a, U0), err_msg=msg)
    if kind == "integer":  # exact arithmetic: the same bits, zeros included
        assert_array_equal(U, U0, err_msg=msg)
        assert_array_equal(N, N0, err_msg=msg)


@given(mlp_cases())
def test_mlp_grads__numba_equals_numpy_twin(case):
    W, b, a, c, X, y, kind, seed = case
    msg = f"seed={seed}, kind={kind}, W{W.shape}, X{X.shape}"
    N, U = npk.mlp_forward(W, b, a, c, X)
    _, g = net_np.loss_and_coefficients(N, y)
    got = nb.mlp_grads(X, U, a, g)
    want = npk.mlp_grads(X, U, a, g)
    # m <= 40 terms of size |g| <= 1/m times O(1) factors
    for name, x, x0 in zip(("dW", "db", "da", "dc"), got, want, strict=True):
        assert x.shape == x0.shape, name
        assert_allclose(x, x0, rtol=1e-12, atol=1e-13, err_msg=f"{name}: {msg}")


def test_mlp_kernels__thread_count_does_not_change_bits():
    rng = generator(0, "mlp-threads")
    W, X = rng.standard_normal((13, 50)), rng.standard_normal((3 * CHUNK + 5, 50))
    b, a, c = rng.standard_normal(13), rng.standard_normal(13), np.array([0.3])
    g = rng.standard_normal(X.shape[0])
    before = numba.get_num_threads()
    outs = []
    try:
        for threads in sorted({1, before}):
            numba.set_num_threads(threads)
            N, U = nb.mlp_forward(W, b, a, c, X)
            outs.append((N, U, *nb.mlp_grads(X, U, a, g)))
    finally:
        numba.set_num_threads(before)
    for x, x0 in zip(outs[-1], outs[0], strict=True):
        assert_array_equal(x, x0)
