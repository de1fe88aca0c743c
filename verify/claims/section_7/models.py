"""The three models of Section 7 and how each is trained.

- **ConvPool**: N_CNN of Eq. 1, ``N(x) = sum_i a_i max_j relu(w_i . x[j])`` with ``k = 500``
  channels (``k d + k`` parameters, no biases, as in Eq. 1), trained end to end on the loss of
  Eq. 2 with Adam, on the library's dense-path gradients
  (:func:`verify.model.network.loss_and_grads`; the noisy data of Fig. 3b and 4 are not pure
  patterns). The paper does not give its initialisation; we use He-style Gaussians: ``W_ic ~ N(0,
  2/d)``, ``a_i ~ N(0, 1/k)``.
- **MLP**: one hidden ReLU layer on the whole ``x`` in R^{nd} (:mod:`verify.claims.section_7.mlp`),
  as many parameters as ConvPool (closest ``h``), He initialisation, same loss, same Adam.
- **SVM**: the hard-margin linear SVM on ``x`` with a bias, from
  :func:`verify.model.separators.min_norm_separator`; when the training set is not linearly
  separable (noisy data), the soft-margin SVM :func:`verify.model.separators.soft_margin_separator`
  with ``C =`` :data:`SVM_C` (large: a hard margin wherever one exists, the fewest violations
  otherwise).

Training (ConvPool and MLP, :class:`TrainConfig`): Adam (``lr = 1e-3``, ``beta = (0.9, 0.999)``,
``eps = 1e-8``) on mini-batches of ``min(m, 32)`` samples, reshuffled every epoch, for at most
``max(max_epochs * ceil(m / batch), min_steps)`` steps. The whole training set is evaluated
after every epoch that ends at least ``check_steps`` steps after the previous evaluation (every
epoch once ``m >= check_steps * batch``; every few epochs for tiny training sets, where an epoch
is one or two steps), and training stops once its error is 0 and its loss is below
``loss_tol``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from verify._validate import check_array, check_int, check_labels, check_positive_float
from verify.claims.section_7.adam import Adam
from verify.claims.section_7.data import Dataset
from verify.claims.section_7.mlp import (
    MLPParams,
    init_mlp,
    matched_hidden_units,
    mlp_forward,
    mlp_loss_and_grads,
    mlp_parameter_count,
)
from verify.claims.section_7.mlp import _loss_and_grads_unchecked as _mlp_loss_and_grads_unchecked
from verify.model import network
from verify.model.separators import Separator, min_norm_separator, soft_margin_separator

__all__ = [
    "MODELS",
    "SVM_C",
    "TrainConfig",
    "Trained",
    "convpool_parameter_count",
    "decision",
    "error_rate",
    "init_convpool",
    "mlp_units_for",
    "separators_fit",
    "train_convpool",
    "train_mlp",
    "train_model",
    "train_svm",
]

MODELS: tuple[str, ...] = ("ConvPool", "MLP", "SVM")
SVM_C: float = 1e4
"""The soft-margin SVM's ``C`` on non-separable training sets: each unit of hinge loss costs as
much as ``||w||^2 / 2`` growing by 10^4."""


@dataclass(frozen=True)
class TrainConfig:
    """The Adam budget shared by ConvPool and the MLP (see the module docstring)."""

    lr: float = 1e-3
    batch_size: int = 32
    max_epochs: int = 200
    min_steps: int = 1000
    loss_tol: float = 1e-3
    check_steps: int = 10

    def __post_init__(self) -> None:
        check_positive_float("lr", self.lr)
        check_int("batch_size", self.batch_size, low=1)
        check_int("max_epochs", self.max_epochs, low=1)
        check_int("min_steps", self.min_steps, low=0)
        check_positive_float("loss_tol", self.loss_tol, allow_zero=True)
        check_int("check_steps", self.check_steps, low=1)

    def as_dict(self) -> dict[str, Any]:
        return {"lr": self.lr, "batch_size": self.batch_size, "max_epochs": self.max_epochs,
                "min_steps": self.min_steps, "loss_tol": self.loss_tol,
                "check_steps": self.check_steps}


@dataclass(frozen=True)
class Trained:
    """A trained model: its kind (one of :data:`MODELS`), parameters, parameter count, and how
    training ended (error and loss on the training set, Adam steps and epochs run; for the SVM,
    whether the training set was linearly separable)."""

    kind: str
    params: tuple[np.ndarray, ...]
    n_params: int
    train_error: float
    train_loss: float
    steps: int = 0
    epochs: int = 0
    info: dict[str, Any] = field(default_factory=dict)


def convpool_parameter_count(k: int, d: int) -> int:
    """``k d + k``: the filters ``W (k x d)`` and the output weights ``a`` of Eq. 1."""
    return check_int("k", k, low=1) * (check_int("d", d, low=1) + 1)


def mlp_units_for(n: int, d: int, k: int) -> int:
    """Hidden units of the MLP on R^{nd} with the parameter count closest to ConvPool's
    ``k d + k`` (:func:`verify.claims.section_7.mlp.matched_hidden_units`).

    Examples
    --------
    >>> mlp_units_for(10, 20, 500)
    52
    """
    return matched_hidden_units(check_int("n", n, low=1) * check_int("d", d, low=1),
                                convpool_parameter_count(k, d))


def init_convpool(k: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """He-style initialisation of Eq. 1's network for end-to-end training: ``W_ic ~ N(0, 2/d)``
    then ``a_i ~ N(0, 1/k)``, all independent (the paper's Section 7 does not say which it
    used; Section 5's small-sphere initialisation is for layer-wise training)."""
    k = check_int("k", k, low=1)
    d = check_int("d", d, low=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    W = rng.standard_normal((k, d)) * math.sqrt(2.0 / d)
    a = rng.standard_normal(k) * math.sqrt(1.0 / k)
    return W, a


def _error(N: np.ndarray, y: np.ndarray) -> float:
    """The fraction of ``sign(N) != y`` with ``sign(0) = -1``."""
    return float(np.mean(network.classify(N) != y))


def _loss(N: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(network.logistic_loss(y * N)))


def _adam_fit(
    params: Sequence[np.ndarray],
    grads: Callable[[np.ndarray], tuple[float, Sequence[np.ndarray]]],
    outputs: Callable[[], np.ndarray],
    y: np.ndarray,
    rng: np.random.Generator,
    config: TrainConfig,
) -> tuple[float, float, int, int]:
    """Adam on mini-batches (``grads(batch indices)``), checking the whole training set
    (``outputs()``) as the module docstring says; returns ``(train error, train loss, steps,
    epochs)``."""
    m = y.shape[0]
    B = min(m, config.batch_size)
    per_epoch = math.ceil(m / B)
    budget = max(config.max_epochs * per_epoch, config.min_steps)
    opt = Adam(list(params), lr=config.lr)
    steps = epochs = 0
    checked_at = 0
    N = outputs()
    err, loss = _error(N, y), _loss(N, y)
    while steps < budget and not (err == 0.0 and loss < config.loss_tol):
        order = rng.permutation(m)
        for start in range(0, m, B):
            if steps >= budget:
                break
            _, g = grads(np.sort(order[start:start + B]))
            opt.step(g)
            steps += 1
        epochs += 1
        if steps - checked_at >= config.check_steps or steps >= budget:
            checked_at = steps
            N = outputs()
            err, loss = _error(N, y), _loss(N, y)
    return err, loss, steps, epochs


def _check_data(data: object) -> Dataset:
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be a Dataset, got {type(data).__name__}")
    return data


def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def train_convpool(
    data: Dataset, *, k: int, rng: np.random.Generator, config: TrainConfig | None = None
) -> Trained:
    """Train Eq. 1's network (``k`` channels) end to end with Adam on ``data``.

    ``rng`` draws the initialisation (:func:`init_convpool`), then the mini-batch orders."""
    data = _check_data(data)
    k = check_int("k", k, low=1)
    rng = _check_rng(rng)
    config = config or TrainConfig()
    X, y = data.X, data.y
    W, a = init_convpool(k, X.shape[2], rng)

    def grads(batch: np.ndarray) -> tuple[float, list[np.ndarray]]:
        loss, dW, da = network.loss_and_grads(W, a, X[batch], y[batch])
        return loss, [dW, da]

    err, loss, steps, epochs = _adam_fit(
        [W, a], grads, lambda: network.forward(W, a, X), y, rng, config
    )
    return Trained("ConvPool", (W, a), convpool_parameter_count(k, X.shape[2]), err, loss,
                   steps, epochs)


def train_mlp(
    data: Dataset, *, h: int, rng: np.random.Generator, config: TrainConfig | None = None
) -> Trained:
    """Train the one-hidden-layer MLP (``h`` ReLU units) on the flattened inputs with Adam.

    ``rng`` draws the initialisation (:func:`verify.claims.section_7.mlp.init_mlp`), then the
    mini-batch orders."""
    data = _check_data(data)
    h = check_int("h", h, low=1)
    rng = _check_rng(rng)
    config = config or TrainConfig()
    F, y = data.flat, data.y
    params = init_mlp(F.shape[1], h, rng)

    mlp_loss_and_grads(params, F[:1], y[:1])  # validates the shapes once for the loop below

    def grads(batch: np.ndarray) -> tuple[float, MLPParams]:
        return _mlp_loss_and_grads_unchecked(params, F[batch], y[batch])

    err, loss, steps, epochs = _adam_fit(
        list(params), grads, lambda: mlp_forward(params, F), y, rng, config
    )
    return Trained("MLP", tuple(params), mlp_parameter_count(F.shape[1], h), err, loss,
                   steps, epochs)


def train_svm(data: Dataset, *, C: float = SVM_C) -> Trained:
    """The hard-margin linear SVM with a bias on the flattened inputs
    (:func:`verify.model.separators.min_norm_separator`); if the training set is not linearly
    separable, the soft-margin SVM with penalty ``C``
    (:func:`verify.model.separators.soft_margin_separator`). ``info`` records which
    (``separable``), the solver's status and KKT residual, and ``||w||``."""
    data = _check_data(data)
    C = check_positive_float("C", C)
    F, y = data.flat, data.y
    sep, separable = separators_fit(F, y, C=C)
    w, b = sep.v, sep.b
    N = F @ w + b
    info = {"separable": separable, "C": None if separable else C, "status": sep.status,
            "kkt_residual": sep.kkt_residual, "norm_w": float(np.linalg.norm(w))}
    return Trained("SVM", (w, np.array([b])), F.shape[1] + 1, _error(N, y), _loss(N, y),
                   info=info)


def separators_fit(F: object, y: object, *, C: float = SVM_C) -> tuple[Separator, bool]:
    """The SVM of Section 7 on samples ``F (m x p)``: the hard-margin separator with a bias
    when one exists (``True``), else the soft-margin separator with penalty ``C`` (``False``).

    Raises ``RuntimeError`` if the solver stops short of a certified answer (neither optimal
    nor proved infeasible): a silent fallback would mislabel the SVM's results.

    Examples
    --------
    >>> sep, separable = separators_fit(np.array([[1.0], [-1.0]]), np.array([1.0, -1.0]))
    >>> separable, round(float(sep.v[0]), 6)
    (True, 1.0)
    >>> sep, separable = separators_fit(np.array([[1.0], [1.0]]), np.array([1.0, -1.0]))
    >>> separable
    False
    """
    F = check_array("F", F, ndim=2, dtype=float)
    y = check_labels("y", y, F.shape[0])
    C = check_positive_float("C", C)
    hard = min_norm_separator(F, y, bias=True)
    if hard.status == "optimal":
        return hard, True
    if hard.status != "infeasible":
        raise RuntimeError(f"hard-margin SVM: solver stopped with status {hard.status!r}")
    soft = soft_margin_separator(F, y, C=C, bias=True)
    if soft.status != "optimal":
        raise RuntimeError(f"soft-margin SVM: solver stopped with status {soft.status!r}")
    return soft, False


def train_model(
    kind: str,
    data: Dataset,
    *,
    k: int,
    rng: np.random.Generator,
    config: TrainConfig | None = None,
) -> Trained:
    """Train model ``kind`` (one of :data:`MODELS`) with ConvPool's width ``k`` (the MLP gets
    the matched number of hidden units, :func:`mlp_units_for`)."""
    data = _check_data(data)
    if kind == "ConvPool":
        return train_convpool(data, k=k, rng=rng, config=config)
    if kind == "MLP":
        h = mlp_units_for(data.X.shape[1], data.X.shape[2], k)
        return train_mlp(data, h=h, rng=rng, config=config)
    if kind == "SVM":
        return train_svm(data)
    raise ValueError(f"kind must be one of {MODELS}, got {kind!r}")


def decision(model: Trained, X: object) -> np.ndarray:
    """The model's real-valued output on inputs ``X (m x n x d)``; its prediction is
    ``sign`` of it with ``sign(0) = -1``."""
    if not isinstance(model, Trained):
        raise ValueError(f"model must be a Trained, got {type(model).__name__}")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3:
        raise ValueError(f"X must have 3 dimensions (m x n x d), got shape {X.shape}")
    if model.kind == "ConvPool":
        return network.forward(*model.params, X)
    F = X.reshape(X.shape[0], -1)
    if model.kind == "MLP":
        return mlp_forward(MLPParams(*model.params), F)
    w, b = model.params
    return F @ w + b[0]


def error_rate(model: Trained, data: Dataset) -> float:
    """The fraction of ``data`` that ``model`` misclassifies (``sign(0) = -1``)."""
    data = _check_data(data)
    return _error(decision(model, data.X), data.y)
