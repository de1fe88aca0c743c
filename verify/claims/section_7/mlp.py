"""The MLP baseline of Section 7: "a standard fully connected neural network with one hidden
layer. The network receives the complete x as input ... We use a number of hidden neurons that
results in the same number of parameters as ConvPool."

Here: ``N_MLP(x) = c + sum_{i=1}^h a_i relu(w_i . x + b_i)`` with ``x`` in R^{nd} (the ``n``
positions concatenated), ReLU hidden units with biases and an output bias, trained on the loss of
Eq. 2. It has ``h (nd + 2) + 1`` parameters; :func:`matched_hidden_units` picks the ``h`` whose
count is closest to ConvPool's ``k d + k`` (Eq. 1 has no biases): at ``k = 500, d = 20, n = 10``
that is ``h = 52``, 10,505 parameters against ConvPool's 10,500.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from verify._validate import check_array, check_int, check_labels
from verify.claims.section_7._kernels import mlp_numba as _nb
from verify.claims.section_7._kernels import mlp_numpy as _np
from verify.model._kernels import network_numba as _net_nb
from verify.model._kernels import network_numpy as _net_np

__all__ = [
    "MLPParams",
    "init_mlp",
    "matched_hidden_units",
    "mlp_forward",
    "mlp_loss_and_grads",
    "mlp_parameter_count",
]

Backend = Literal["numba", "numpy"]


class MLPParams(NamedTuple):
    """``W (h x p)``, ``b (h)``, ``a (h)`` and ``c`` (shape ``(1,)``): the MLP's parameters, or
    the gradients with respect to them."""

    W: np.ndarray
    b: np.ndarray
    a: np.ndarray
    c: np.ndarray


def mlp_parameter_count(p: int, h: int) -> int:
    """``h (p + 2) + 1``: weights, hidden biases, output weights and the output bias."""
    p = check_int("p", p, low=1)
    h = check_int("h", h, low=1)
    return h * (p + 2) + 1


def matched_hidden_units(p: int, target: int) -> int:
    """The number of hidden units ``h >= 1`` whose parameter count ``h (p + 2) + 1`` is closest
    to ``target`` (ties to the smaller ``h``).

    Examples
    --------
    >>> matched_hidden_units(200, 500 * 20 + 500)  # n = 10, d = 20 against ConvPool, k = 500
    52
    """
    p = check_int("p", p, low=1)
    target = check_int("target", target, low=1)
    lo = max(1, (target - 1) // (p + 2))
    return min((lo, lo + 1), key=lambda h: (abs(mlp_parameter_count(p, h) - target), h))


def init_mlp(p: int, h: int, rng: np.random.Generator) -> MLPParams:
    """He initialisation: ``W_iq ~ N(0, 2/p)``, ``a_i ~ N(0, 1/h)``, biases 0 (``W`` is drawn
    before ``a``)."""
    p = check_int("p", p, low=1)
    h = check_int("h", h, low=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    W = rng.standard_normal((h, p)) * np.sqrt(2.0 / p)
    a = rng.standard_normal(h) * np.sqrt(1.0 / h)
    return MLPParams(W, np.zeros(h), a, np.zeros(1))


def _check_backend(backend: str) -> None:
    if backend not in ("numba", "numpy"):
        raise ValueError(f"backend must be 'numba' or 'numpy', got {backend!r}")


def _check(params: object, X: object) -> tuple[MLPParams, np.ndarray]:
    if not isinstance(params, MLPParams):
        raise ValueError(f"params must be an MLPParams, got {type(params).__name__}")
    W = check_array("params.W", params.W, ndim=2, dtype=float)
    h, p = W.shape
    b = check_array("params.b", params.b, ndim=1, dtype=float)
    a = check_array("params.a", params.a, ndim=1, dtype=float)
    c = check_array("params.c", params.c, ndim=1, dtype=float)
    if b.shape != (h,) or a.shape != (h,) or c.shape != (1,):
        raise ValueError(f"params: b and a must have shape ({h},) and c shape (1,), got "
                         f"{b.shape}, {a.shape}, {c.shape}")
    X = check_array("X", X, ndim=2, dtype=float)
    if X.shape[1] != p:
        raise ValueError(f"X must have p = {p} columns, got {X.shape[1]}")
    return MLPParams(W, b, a, c), X


def mlp_forward(params: MLPParams, X: object, *, backend: Backend = "numba") -> np.ndarray:
    """``N_MLP(x)`` for each row of ``X`` (``m x p``).

    Examples
    --------
    >>> P = MLPParams(np.array([[1.0, -1.0]]), np.array([0.5]), np.array([2.0]), np.array([-1.0]))
    >>> mlp_forward(P, np.array([[1.0, 0.0], [0.0, 1.0]]))  # c + a relu(w.x + b)
    array([ 2., -1.])
    """
    _check_backend(backend)
    params, X = _check(params, X)
    return (_nb if backend == "numba" else _np).mlp_forward(*params, X)[0]


def mlp_loss_and_grads(
    params: MLPParams, X: object, y: object, *, backend: Backend = "numba"
) -> tuple[float, MLPParams]:
    """The loss of Eq. 2, ``(1/m) sum_s l(y_s N_MLP(x_s))``, and its gradients as an
    :class:`MLPParams` (``relu'(0) = 0``)."""
    _check_backend(backend)
    params, X = _check(params, X)
    y = check_labels("y", y, X.shape[0])
    return _loss_and_grads_unchecked(params, X, y, backend)


def _loss_and_grads_unchecked(
    params: MLPParams, X: np.ndarray, y: np.ndarray, backend: str = "numba"
) -> tuple[float, MLPParams]:
    """:func:`mlp_loss_and_grads` without validation, for the training loop (which validates
    the parameters and the data once, then calls this on contiguous float64 mini-batches)."""
    kern, net = (_nb, _net_nb) if backend == "numba" else (_np, _net_np)
    N, U = kern.mlp_forward(*params, X)
    loss, g = net.loss_and_coefficients(N, y)
    return float(loss), MLPParams(*kern.mlp_grads(X, U, params.a, g))
