"""The public API of :mod:`verify.model.network` (Eq. 1, Eq. 2, Eq. 3): gradients against central
finite differences and against SymPy, the pattern path against the dense path, the conventions
(``sign(0) = -1``, ties to the first position, ``relu'(0) = 0``), validation and determinism.
The kernels themselves are compared with their NumPy twins in ``test_network_kernels.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from numpy.testing import assert_allclose, assert_array_equal

from verify.model import network
from verify.model.network import (
    classify,
    features,
    forward,
    forward_patterns,
    logistic_loss,
    logistic_loss_derivative,
    loss_and_grads,
    loss_and_grads_patterns,
    pattern_features,
    pattern_step,
    projections,
)
from verify.model.patterns import haar_patterns, standard_patterns
from verify.rng import generator

BACKENDS = ["numba", "numpy"]

# Central differences: eps = 1e-6 (PyTorch's gradcheck default). With |x| <= 3 a perturbation
# moves any activation by at most 3e-6, so MARGIN = 1e-3 keeps every max, argmax and relu
# decision fixed; the difference quotient's error is then O(eps^2) + O(1e-16/eps) ~ 1e-10.
# Asserted with atol 1e-8, rtol 1e-6: stricter than gradcheck's atol 1e-5, rtol 1e-3.
EPS, MARGIN = 1e-6, 1e-3


def _margins(W, X):
    """Per (sample, filter): the gap between the two largest *distinct* activations and the
    distance of the largest one from 0 (``inf`` where a gap does not exist)."""
    prods = np.einsum("snc,kc->skn", X, W)
    out = np.inf
    for s in range(prods.shape[0]):
        for i in range(prods.shape[1]):
            v = np.unique(np.round(prods[s, i], 12))[::-1]
            out = min(out, abs(v[0]))
            if v.size > 1:
                out = min(out, v[0] - v[1])
    return out


def _away_from_kinks(make, tries=200):
    for seed in range(tries):
        case = make(generator(seed, "away-from-kinks"))
        if _margins(case[0], case[2]) > MARGIN:
            return seed, case
    raise AssertionError("no instance away from the kinks found")


def _dense_instance(rng):
    k, d, n, m = 4, 3, 3, 5
    W = rng.uniform(-1, 1, (k, d))
    a = rng.uniform(-1.5, 1.5, k)
    X = rng.uniform(-1, 1, (m, n, d))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    return W, a, X, y


def _pattern_instance(rng):
    k, d, l, n, m = 4, 5, 4, 4, 6
    O = haar_patterns(d, l, rng)
    W = rng.uniform(-1, 1, (k, d))
    a = rng.uniform(-1.5, 1.5, k)
    idx = rng.integers(0, l, size=(m, n))  # repeated patterns: equal activations, same vector
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    return W, a, O[idx], y, O, idx


def _central_differences(loss, W, a):
    gW = np.zeros_like(W)
    ga = np.zeros_like(a)
    for target, grad in ((W, gW), (a, ga)):
        for pos in np.ndindex(target.shape):
            old = target[pos]
            target[pos] = old + EPS
            up = loss()
            target[pos] = old - EPS
            down = loss()
            target[pos] = old
            grad[pos] = (up - down) / (2 * EPS)
    return gW, ga


@pytest.mark.parametrize("backend", BACKENDS)
def test_loss_and_grads__match_central_differences(backend):
    seed, (W, a, X, y) = _away_from_kinks(_dense_instance)
    _loss, dW, da = loss_and_grads(W, a, X, y, backend=backend)
    gW, ga = _central_differences(lambda: loss_and_grads(W, a, X, y, backend=backend)[0], W, a)
    assert_allclose(dW, gW, rtol=1e-6, atol=1e-8, err_msg=f"seed={seed}")
    assert_allclose(da, ga, rtol=1e-6, atol=1e-8, err_msg=f"seed={seed}")
    assert np.any(dW != 0)
    assert np.any(da != 0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_loss_and_grads_patterns__match_central_differences(backend):
    seed, (W, a, _, y, O, idx) = _away_from_kinks(_pattern_instance)

    def loss():
        return loss_and_grads_patterns(W, a, O, idx, y, backend=backend)[0]

    _, dW, da = loss_and_grads_patterns(W, a, O, idx, y, backend=backend)
    gW, ga = _central_differences(loss, W, a)
    assert_allclose(dW, gW, rtol=1e-6, atol=1e-8, err_msg=f"seed={seed}")
    assert_allclose(da, ga, rtol=1e-6, atol=1e-8, err_msg=f"seed={seed}")


def test_loss_and_grads__equal_sympy_derivative():
    # Eq. 1 and Eq. 2 written with SymPy's Max and differentiated symbolically, on a tiny
    # instance with rational inputs away from the kinks.
    k, d, n, m = 2, 2, 3, 2
    Wv = np.array([[0.5, -0.25], [-0.75, 1.0]])
    av = np.array([1.5, -0.5])
    Xv = np.array([[[1.0, 0.5], [-0.5, 2.0], [0.25, -1.5]], [[-1.0, -1.0], [2.0, 0.5], [0.0, 1.5]]])
    yv = np.array([1.0, -1.0])
    assert _margins(Wv, Xv) > MARGIN  # no tie and no activation at 0: Max is differentiable
    Ws = sympy.Matrix(k, d, lambda i, c: sympy.Symbol(f"w{i}{c}"))
    As = sympy.symbols(f"a0:{k}")
    loss = 0
    for s in range(m):
        N = sum(
            As[i]
            * sympy.Max(
                0,
                *[sum(Ws[i, c] * sympy.nsimplify(Xv[s, j, c]) for c in range(d)) for j in range(n)],
            )
            for i in range(k)
        )
        loss += sympy.log(1 + sympy.exp(-int(yv[s]) * N)) / m
    point = {Ws[i, c]: sympy.nsimplify(Wv[i, c]) for i in range(k) for c in range(d)}
    point.update({As[i]: sympy.nsimplify(av[i]) for i in range(k)})
    want_W = np.array(
        [
            [float(sympy.diff(loss, Ws[i, c]).subs(point).evalf(30)) for c in range(d)]
            for i in range(k)
        ]
    )
    want_a = np.array([float(sympy.diff(loss, As[i]).subs(point).evalf(30)) for i in range(k)])
    want_loss = float(loss.subs(point).evalf(30))
    for backend in BACKENDS:
        got_loss, dW, da = loss_and_grads(Wv, av, Xv, yv, backend=backend)
        assert_allclose(got_loss, want_loss, rtol=1e-14, atol=0)
        assert_allclose(dW, want_W, rtol=1e-13, atol=1e-16)
        assert_allclose(da, want_a, rtol=1e-13, atol=1e-16)
    assert np.all(dW != 0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("integer", [False, True])
def test_pattern_path__equals_dense_path(backend, integer):
    rng = generator(3, "pattern-vs-dense", int(integer))
    k, d, l, n, m = 70, 6, 6, 5, 19
    if integer:  # exact ties between filters' projections and repeated patterns
        O = standard_patterns(d, l)
        W = rng.integers(-2, 3, size=(k, d)).astype(float)
    else:
        O = haar_patterns(d, l, rng)
        W = rng.standard_normal((k, d))
    a = rng.standard_normal(k)
    idx = rng.integers(0, l, size=(m, n))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    X = O[idx]
    # Numba: bit-identical activations and outputs (same fma chains, same lane order). The NumPy
    # twin sums with BLAS/einsum, whose order depends on the operands' layout: tolerance.
    same = assert_array_equal if backend == "numba" else _close
    N = forward(W, a, X, backend=backend)
    same(forward_patterns(W, a, O, idx, backend=backend), N)
    z, jstar = features(W, X, backend=backend)
    zp, top = pattern_features(projections(W, O, backend=backend), idx, backend=backend)
    same(zp, z)
    rows = np.arange(m)[:, None]
    assert_array_equal(top, np.where(jstar >= 0, idx[rows, np.maximum(jstar, 0)], -1))
    loss, dW, da = loss_and_grads(W, a, X, y, backend=backend)
    loss_p, dW_p, da_p = loss_and_grads_patterns(W, a, O, idx, y, backend=backend)
    same(loss_p, loss)
    assert_allclose(dW_p, dW, rtol=1e-12, atol=1e-15)
    assert_allclose(da_p, da, rtol=1e-12, atol=1e-15)
    step = pattern_step(projections(W, O, backend=backend), a, idx, y, backend=backend)
    same(step.N, N)
    assert_array_equal(step.top, top)
    same(step.loss, loss)
    assert_allclose(step.G @ O, dW, rtol=1e-12, atol=1e-15)


def _close(got, want):
    assert_allclose(got, want, rtol=1e-13, atol=1e-14)


def test_forward__ties_to_first_position_and_inactive_filters_get_no_gradient():
    # filter 0 attains its max 1 at positions 0 and 1 (the same value, different vectors):
    # the gradient must use x[0]; filter 1's best product is exactly 0: relu'(0) = 0.
    W = np.array([[1.0, 0.0], [0.0, 1.0]])
    a = np.array([1.0, 1.0])
    X = np.array([[[1.0, 0.0], [1.0, -3.0], [-1.0, -2.0]]])
    y = np.array([1.0])
    for backend in BACKENDS:
        z, jstar = features(W, X, backend=backend)
        assert z.tolist() == [[1.0, 0.0]]
        assert jstar.tolist() == [[0, -1]]
        _, dW, da = loss_and_grads(W, a, X, y, backend=backend)
        c = float(logistic_loss_derivative(1.0)[0])
        assert_allclose(dW, [[c, 0.0], [0.0, 0.0]], rtol=1e-15, atol=0)
        assert_allclose(da, [c, 0.0], rtol=1e-15, atol=0)


def test_pattern_step__top_is_p_i_of_eq_3_with_first_position_ties():
    O = standard_patterns(3, 3)
    W = np.array([[1.0, 1.0, 0.0], [-1.0, -1.0, -1.0], [0.0, 2.0, 2.0]])
    idx = np.array([[2, 1, 0], [0, 0, 1]])
    step = pattern_step(projections(W, O), np.ones(3), idx, np.array([1.0, -1.0]))
    assert step.top.tolist() == [[1, -1, 2], [0, -1, 1]]
    assert step.top.dtype == np.int8  # l <= 127
    # Eq. 3: max_j relu(w_i . x[j]) = w_i . p_i(x)
    z, _ = pattern_features(projections(W, O), idx)
    assert z.tolist() == [[1.0, 0.0, 2.0], [1.0, 0.0, 2.0]]


def test_pattern_step__top_is_made_on_first_access_and_kept():
    # few patterns, many filters and no ties: the gradient comes from subset sums, without top
    rng = generator(8, "lazy-top")
    k, d, l, m = 300, 5, 4, 40
    O = haar_patterns(d, l, rng)
    W, a = rng.standard_normal((k, d)), rng.standard_normal(k)
    idx = rng.integers(0, l, size=(m, 6))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    P = projections(W, O)
    step = pattern_step(P, a, idx, y)
    assert callable(step._top)  # not made yet
    top = step.top
    assert step.top is top
    assert_array_equal(top, pattern_features(P, idx)[1])
    assert_array_equal(top, pattern_step(P, a, idx, y, backend="numpy").top)
    assert repr(step) == f"PatternStep(loss={step.loss!r}, k={k}, m={m})"
    other = pattern_step(P, a, idx, y)._replace(N=np.zeros(m))
    assert callable(other._top)  # still lazy
    assert_array_equal(other.top, top)
    assert not other.N.any()
    with pytest.raises(ValueError, match="no fields"):
        step._replace(tops=top)


def test_classify__sign_of_zero_is_minus_one():
    assert classify([-2.0, -0.0, 0.0, 1e-300, 3.0]).tolist() == [-1.0, -1.0, -1.0, 1.0, 1.0]


def test_logistic_loss__stable_and_equal_to_definition():
    z = np.array([-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])
    got = logistic_loss(z)
    assert np.all(np.isfinite(got))
    assert got[0] == 1000.0
    assert 0.0 <= got[-1] < 1e-300
    mid = z[1:-1]
    assert_allclose(got[1:-1], np.log1p(np.exp(-mid)), rtol=4e-15, atol=0)
    der = logistic_loss_derivative(z)
    assert der[0] == -1.0
    assert -1e-300 < der[-1] <= 0.0
    assert_allclose(der[1:-1], -1.0 / (1.0 + np.exp(mid)), rtol=4e-15, atol=0)  # a few ulps
    h = 1e-6  # the derivative is the derivative
    assert_allclose(
        der[1:-1], (logistic_loss(mid + h) - logistic_loss(mid - h)) / (2 * h), rtol=1e-8, atol=1e-9
    )


def test_loss_and_grads__same_inputs_same_bits():
    W, a, X, y = _dense_instance(generator(9, "repeat"))
    first = loss_and_grads(W, a, X, y)
    second = loss_and_grads(W.copy(), a.copy(), X.copy(), y.copy())
    assert first[0] == second[0]
    assert_array_equal(first[1], second[1])
    assert_array_equal(first[2], second[2])


def test_warm_up__runs():
    network.warm_up()


# -- validation: every public function raises ValueError naming the parameter --------------

W2 = np.ones((2, 3))
A2 = np.ones(2)
X2 = np.ones((4, 2, 3))
Y2 = np.array([1.0, -1.0, 1.0, -1.0])
O3 = standard_patterns(3, 3)
IDX = np.array([[0, 1], [2, 0], [1, 1], [0, 2]])

BAD_DENSE = [
    ("W", {"W": np.ones(3)}),
    ("W", {"W": np.full((2, 3), np.nan)}),
    ("W", {"W": np.array([["a"] * 3] * 2)}),
    ("W", {"W": np.ones((0, 3)), "a": np.ones(0)}),
    ("a", {"a": np.ones(3)}),
    ("a", {"a": np.ones((2, 1))}),
    ("X", {"X": np.ones((4, 3))}),
    ("X", {"X": np.ones((4, 2, 4))}),
    ("X", {"X": np.ones((4, 0, 3))}),
    ("X", {"X": np.full((4, 2, 3), np.inf)}),
    ("backend", {"backend": "torch"}),
]


@pytest.mark.parametrize(("name", "change"), BAD_DENSE)
def test_forward__rejects_bad_arguments(name, change):
    args = {"W": W2, "a": A2, "X": X2, "backend": "numba"} | change
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        forward(**args)


@pytest.mark.parametrize(
    ("name", "change"), [*BAD_DENSE, ("y", {"y": np.ones(3)}), ("y", {"y": Y2 * 2})]
)
def test_loss_and_grads__rejects_bad_arguments(name, change):
    args = {"W": W2, "a": A2, "X": X2, "y": Y2, "backend": "numba"} | change
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        loss_and_grads(**args)


@pytest.mark.parametrize(
    ("name", "change"),
    [("W", {"W": np.ones(3)}), ("X", {"X": np.ones((4, 2, 2))}), ("backend", {"backend": ""})],
)
def test_features__rejects_bad_arguments(name, change):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        features(**({"W": W2, "X": X2} | change))


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("W", {"W": np.ones(3)}),
        ("patterns", {"patterns": np.ones((3, 4))}),
        ("patterns", {"patterns": np.ones(3)}),
        ("backend", {"backend": "cuda"}),
    ],
)
def test_projections__rejects_bad_arguments(name, change):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        projections(**({"W": W2, "patterns": O3} | change))


BAD_PATTERN_STEP = [
    ("P", {"P": np.ones(3)}),
    ("P", {"P": np.full((2, 3), np.nan)}),
    ("P", {"P": np.ones((1, 40_000)), "a": np.ones(1)}),  # top is int16
    ("a", {"a": np.ones(5)}),
    ("idx", {"idx": np.ones((4, 2))}),  # float indices
    ("idx", {"idx": np.array([0, 1])}),
    ("idx", {"idx": np.zeros((4, 0), dtype=int)}),
    ("idx", {"idx": IDX + 1}),
    ("idx", {"idx": IDX - 1}),
    ("y", {"y": np.ones(5)}),
    ("y", {"y": np.zeros(4)}),
    ("backend", {"backend": "NumPy"}),
]


@pytest.mark.parametrize(("name", "change"), BAD_PATTERN_STEP)
def test_pattern_step__rejects_bad_arguments(name, change):
    args = {"P": np.ones((2, 3)), "a": A2, "idx": IDX, "y": Y2} | change
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        pattern_step(**args)


@pytest.mark.parametrize(
    ("name", "change"),
    [("P", {"P": np.ones((2, 3, 1))}), ("idx", {"idx": IDX + 3}), ("backend", {"backend": 1})],
)
def test_pattern_features__rejects_bad_arguments(name, change):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        pattern_features(**({"P": np.ones((2, 3)), "idx": IDX} | change))


BAD_PATTERNS = [
    ("W", {"W": np.ones((2, 3, 1))}),
    ("a", {"a": np.ones(1)}),
    ("patterns", {"patterns": np.ones((3, 2))}),
    ("idx", {"idx": IDX + 1}),
    ("backend", {"backend": "jax"}),
]


@pytest.mark.parametrize(("name", "change"), BAD_PATTERNS)
def test_forward_patterns__rejects_bad_arguments(name, change):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        forward_patterns(**({"W": W2, "a": A2, "patterns": O3, "idx": IDX} | change))


@pytest.mark.parametrize(("name", "change"), [*BAD_PATTERNS, ("y", {"y": -Y2[:3]})])
def test_loss_and_grads_patterns__rejects_bad_arguments(name, change):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        loss_and_grads_patterns(
            **({"W": W2, "a": A2, "patterns": O3, "idx": IDX, "y": Y2} | change)
        )


@pytest.mark.parametrize("function", [logistic_loss, logistic_loss_derivative])
@pytest.mark.parametrize("z", [np.ones((2, 2)), [np.nan], ["x"]])
def test_logistic_loss__rejects_bad_arguments(function, z):
    with pytest.raises(ValueError, match=r"^z\b"):
        function(z)
