"""The relaxed model (verify.model.relaxed): coherent patterns, noisy inputs, the dense first
layer with recorders, and the pattern fast path's refusal."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from verify.claims.section_5 import StateLog, run_lw_cnn, theorem_setting
from verify.model import lw_cnn, network
from verify.model.distribution import dense, sample
from verify.model.initialisation import initialise
from verify.model.patterns import haar_patterns, standard_patterns
from verify.model.relaxed import (
    RelaxedModel,
    check_path,
    coherent_patterns,
    first_layer_relaxed,
    noisy_inputs,
)
from verify.rng import generator


def _haar(d=6, l=5, seed=0):
    return haar_patterns(d, l, generator(seed, "patterns"))


@pytest.mark.parametrize("mu", [0.0, 0.05, 0.3, 0.5, 0.9])
def test_coherent_patterns__gram_matrix_is_one_minus_mu_identity_plus_mu(mu):
    O = _haar()
    Om = coherent_patterns(O, mu)
    l = O.shape[0]
    assert_allclose(Om @ Om.T, (1 - mu) * np.eye(l) + mu * np.ones((l, l)), rtol=0, atol=1e-13)
    assert_allclose(np.linalg.norm(Om, axis=1), 1.0, rtol=0, atol=1e-14)


def test_coherent_patterns__mu_zero_is_the_exact_patterns_bit_for_bit():
    for O in (_haar(), standard_patterns(4, 3)):
        Om = coherent_patterns(O, 0.0)
        assert Om.tobytes() == O.tobytes()
        assert Om is not O


def test_coherent_patterns__stays_in_the_span_of_the_patterns():
    O = _haar(7, 4)
    Om = coherent_patterns(O, 0.4)
    assert_allclose(Om @ O.T @ O, Om, rtol=0, atol=1e-13)


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5, float("nan")])
def test_relaxed_model__rejects_mu_outside_zero_one(bad):
    with pytest.raises(ValueError, match="mu"):
        RelaxedModel(mu=bad)


@pytest.mark.parametrize("bad", [-0.01, float("inf"), float("nan")])
def test_relaxed_model__rejects_negative_or_infinite_sigma(bad):
    with pytest.raises(ValueError, match="sigma"):
        RelaxedModel(sigma=bad)


def test_relaxed_model__exact_only_at_zero_zero():
    assert RelaxedModel().exact
    assert not RelaxedModel(mu=1e-9).exact
    assert not RelaxedModel(sigma=1e-9).exact


def test_coherent_patterns__refuses_non_orthonormal_input():
    with pytest.raises(ValueError, match="orthonormal"):
        coherent_patterns(np.ones((3, 4)), 0.1)


def test_noisy_inputs__sigma_zero_is_dense_bit_for_bit_and_draws_nothing():
    O = _haar()
    idx, _ = sample(3, 5, 20, generator(0, "train"))
    rng = generator(0, "noise")
    state = rng.bit_generator.state
    X = noisy_inputs(idx, O, 0.0, rng)
    assert X.tobytes() == dense(idx, O).tobytes()
    assert rng.bit_generator.state == state


def test_noisy_inputs__noise_has_mean_zero_and_variance_sigma_squared_per_coordinate():
    O = _haar(d=5, l=4)
    idx, _ = sample(4, 4, 5000, generator(1, "train"))
    sigma = 0.3
    noise = noisy_inputs(idx, O, sigma, generator(1, "noise")) - dense(idx, O)
    flat = noise.reshape(-1, O.shape[1])  # 20,000 draws per coordinate
    # mean: standard error sigma / sqrt(20000) = 0.0021; 6 standard errors
    assert np.all(np.abs(flat.mean(axis=0)) < 6 * sigma / np.sqrt(flat.shape[0]))
    # variance: relative standard error sqrt(2 / 20000) = 0.01; 6 of them
    assert_allclose(flat.var(axis=0), sigma**2, rtol=0.06)
    cov = np.cov(flat.T)
    off = cov - np.diag(np.diag(cov))
    assert np.max(np.abs(off)) < 6 * sigma**2 / np.sqrt(flat.shape[0])


def test_check_path__pattern_path_refuses_the_relaxed_model_naming_path():
    assert check_path("pattern", RelaxedModel()) == "pattern"
    assert check_path("dense", RelaxedModel(0.2, 0.1)) == "dense"
    for model in (RelaxedModel(mu=0.1), RelaxedModel(sigma=0.1)):
        with pytest.raises(ValueError, match="path: the pattern fast path"):
            check_path("pattern", model)
    with pytest.raises(ValueError, match="path must be one of"):
        check_path("fast", RelaxedModel())


def test_pattern_fast_path__refuses_coherent_patterns():
    s = theorem_setting(3, 3, 3, 217, 20, 2, 0)
    W0, a0 = initialise(s.k, s.d, s.r, generator(0, "init"))
    idx, y = sample(s.n, s.l, s.m, generator(0, "train"))
    O = coherent_patterns(haar_patterns(3, 3, generator(0, "patterns")), 0.2)
    with pytest.raises(ValueError, match="orthonormal"):
        lw_cnn.first_layer(W0, a0, O, idx, y, eta1=s.eta1, T1=2)


def _exact_inputs(s):
    O = haar_patterns(s.d, s.l, generator(s.seed, "patterns"))
    W0, a0 = initialise(s.k, s.d, s.r, generator(s.seed, "init"))
    idx, y = sample(s.n, s.l, s.m, generator(s.seed, "train"))
    return O, W0, a0, idx[: s.m1], y[: s.m1]


def test_first_layer_relaxed__at_zero_zero_agrees_with_the_pattern_path():
    """mu = sigma = 0: the same draws as the exact run (bit for bit) and the same trajectory to
    rounding (the two paths add the gradient's terms in different orders)."""
    s = theorem_setting(4, 4, 3, 513, 40, 6, 3)
    O, W0, a0, idx1, y1 = _exact_inputs(s)
    run = run_lw_cnn(s, second=False)
    assert run.patterns.tobytes() == coherent_patterns(O, 0.0).tobytes()
    assert run.idx1.tobytes() == idx1.tobytes()
    X1 = noisy_inputs(idx1, coherent_patterns(O, 0.0), 0.0, generator(0, "unused"))
    log_d, log_p = StateLog(), StateLog()
    got = first_layer_relaxed(W0, a0, O, X1, idx1, y1, eta1=s.eta1, T1=s.T1, recorders=[log_d])
    want = lw_cnn.first_layer(W0, a0, O, idx1, y1, eta1=s.eta1, T1=s.T1, recorders=[log_p])
    assert_allclose(got.W, want.W, rtol=0, atol=1e-12 * s.eta1 * (s.T1 + 1))
    assert_allclose(got.P, want.P, rtol=0, atol=1e-12 * s.eta1 * (s.T1 + 1))
    assert_allclose(got.losses, want.losses, rtol=1e-13, atol=0)
    for a, b in zip(log_d.states, log_p.states, strict=True):
        assert a.t == b.t
        assert np.array_equal(a.step.top, b.step.top)
        assert_allclose(a.step.N, b.step.N, rtol=0, atol=1e-14)
        assert_allclose(a.w_norms, b.w_norms, rtol=1e-12, atol=0)
        assert_allclose(a.grad_norms, b.grad_norms, rtol=1e-10, atol=1e-18)


def test_first_layer_relaxed__is_first_layer_dense_with_recorders():
    s = theorem_setting(3, 3, 3, 217, 30, 4, 1)
    O, W0, a0, idx1, y1 = _exact_inputs(s)
    Om = coherent_patterns(O, 0.3)
    X1 = noisy_inputs(idx1, Om, 0.2, generator(1, "noise"))
    got = first_layer_relaxed(W0, a0, Om, X1, idx1, y1, eta1=s.eta1, T1=s.T1)
    want = lw_cnn.first_layer_dense(W0, a0, X1, y1, eta1=s.eta1, T1=s.T1)
    assert got.W.tobytes() == want.W.tobytes()
    assert got.losses.tobytes() == want.losses.tobytes()
    assert_allclose(got.P, got.W @ Om.T, rtol=0, atol=0)


def test_first_layer_relaxed__top_is_the_pattern_at_the_dense_argmax():
    s = theorem_setting(3, 3, 3, 217, 30, 1, 2)
    O, W0, a0, idx1, y1 = _exact_inputs(s)
    Om = coherent_patterns(O, 0.2)
    X1 = noisy_inputs(idx1, Om, 0.3, generator(2, "noise"))
    log = StateLog()
    first_layer_relaxed(W0, a0, Om, X1, idx1, y1, eta1=s.eta1, T1=s.T1, recorders=[log])
    st = log.states[-1]
    _z, jstar = network.features(st.W, X1, backend="numpy")
    want = np.where(jstar >= 0, np.take_along_axis(idx1, np.maximum(jstar, 0), axis=1), -1)
    assert np.array_equal(st.step.top, want)
    assert_allclose(st.P, st.W @ Om.T, rtol=0, atol=0)


def test_first_layer_relaxed__rejects_mismatched_shapes_naming_them():
    s = theorem_setting(3, 3, 3, 217, 30, 1, 2)
    O, W0, a0, idx1, y1 = _exact_inputs(s)
    X1 = dense(idx1, O)
    with pytest.raises(ValueError, match="X1 must be"):
        first_layer_relaxed(W0, a0, O, X1[:, :2], idx1, y1, eta1=s.eta1, T1=1)
    with pytest.raises(ValueError, match="idx1 must hold"):
        first_layer_relaxed(W0, a0, O, X1, idx1 + 5, y1, eta1=s.eta1, T1=1)
    with pytest.raises(ValueError, match="patterns must have"):
        first_layer_relaxed(W0, a0, O[:, :2], X1, idx1, y1, eta1=s.eta1, T1=1)
