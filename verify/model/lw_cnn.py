"""LW_CNN, the layerwise algorithm of Figure 2 (Algorithm 1).

``T1`` full-batch gradient steps on ``W`` for ``L_1 = L[S_1]`` with ``a = a^(0)`` fixed, then
``T2`` full-batch gradient steps on ``a`` for ``L_2 = L[S_2]`` with ``W = W^(T1)`` fixed.

For inputs built from patterns the first layer runs in pattern coordinates: the gradient of
every filter lies in ``span(O)``, so ``W^(t) = W_perp + P^(t) O`` with ``W_perp`` (the part of
``W^(0)`` orthogonal to the patterns) fixed and ``P^(t) = W^(t) O^T`` updated by
``P^(t+1) = P^(t) - eta1 G^(t)``. :func:`first_layer_dense` runs the same algorithm on arbitrary
dense inputs and is the reference the pattern path is tested against.

A *recorder* is any object with ``on_step(state: FirstLayerState) -> None``; it is called at
every ``t = 0..T1`` (the gradient at ``t = T1`` is computed too, so that per-step claims can be
checked at every ``t`` the paper names). :class:`TrajectoryRecorder` keeps everything (small
runs); claim checkers provide streaming recorders that keep only per-step statistics, so memory
stays bounded at ``k = 64,001``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from verify._validate import check_array, check_int, check_labels, check_positive_float
from verify.model import network
from verify.model._kernels import pattern_path_numba as _pp
from verify.model.patterns import validate_patterns

__all__ = [
    "FirstLayerResult",
    "FirstLayerState",
    "Recorder",
    "SecondLayerResult",
    "TrajectoryRecorder",
    "first_layer",
    "first_layer_dense",
    "lw_cnn",
    "second_layer",
]


@dataclass(frozen=True)
class FirstLayerState:
    """What a recorder sees at step ``t`` of the first layer.

    ``P`` is ``W^(t) O^T`` (``k x l``); ``w_norms`` the filter norms ``||w_i^(t)||``; ``step``
    the forward/backward pass at ``(W^(t), a^(0))`` on ``S_1`` (its ``G`` is ``dL_1/dW`` in
    pattern coordinates, its ``top`` the index of ``p_i^(t)(x)`` for ``x`` in ``S_1``); ``W`` is
    the dense ``W^(t)`` in the dense path and ``None`` in the pattern path (use :meth:`dense_W`).
    """

    t: int
    P: np.ndarray
    w_norms: np.ndarray
    grad_norms: np.ndarray
    step: network.PatternStep
    a0: np.ndarray
    idx1: np.ndarray
    y1: np.ndarray
    W_perp: np.ndarray
    patterns: np.ndarray
    W: np.ndarray | None = None

    def dense_W(self) -> np.ndarray:
        """``W^(t)`` as a dense ``k x d`` array."""
        return self.W if self.W is not None else self.W_perp + self.P @ self.patterns


class Recorder(Protocol):
    def on_step(self, state: FirstLayerState) -> None: ...


@dataclass
class TrajectoryRecorder:
    """Keeps ``P^(t)``, the filter and gradient norms, ``N(x)`` on ``S_1`` and the loss at
    every step (memory ``O(T1 k l)``: for small runs)."""

    P: list[np.ndarray] = field(default_factory=list)
    w_norms: list[np.ndarray] = field(default_factory=list)
    grad_norms: list[np.ndarray] = field(default_factory=list)
    N: list[np.ndarray] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)

    def on_step(self, state: FirstLayerState) -> None:
        self.P.append(state.P.copy())
        self.w_norms.append(state.w_norms.copy())
        self.grad_norms.append(state.grad_norms.copy())
        self.N.append(state.step.N.copy())
        self.loss.append(state.step.loss)


@dataclass(frozen=True)
class FirstLayerResult:
    """``W^(T1)`` (dense and in pattern coordinates) and the per-step losses ``L_1(W^(t))``."""

    W: np.ndarray
    P: np.ndarray
    losses: np.ndarray


def _check_run(W0, a0, patterns, idx1, y1, eta1, T1):
    W0 = check_array("W0", W0, ndim=2, dtype=float)
    a0 = check_array("a0", a0, ndim=1, dtype=float)
    if a0.shape[0] != W0.shape[0]:
        raise ValueError(f"a0 must have length k = {W0.shape[0]}, got {a0.shape[0]}")
    O = validate_patterns(patterns)  # the pattern coordinates need orthonormal patterns
    if O.shape[1] != W0.shape[1]:
        raise ValueError(f"patterns must have d = {W0.shape[1]} columns, got {O.shape[1]}")
    idx1 = check_array("idx1", idx1, ndim=2, dtype=int)
    if idx1.shape[0] < 1 or idx1.shape[1] < 1:
        raise ValueError(f"idx1 must hold at least one sample and one position, got {idx1.shape}")
    if idx1.min() < 0 or idx1.max() >= O.shape[0]:
        raise ValueError(f"idx1 must hold pattern indices in [0, {O.shape[0] - 1}]")
    y1 = check_labels("y1", y1, idx1.shape[0])
    eta1 = check_positive_float("eta1", eta1)
    T1 = check_int("T1", T1, low=0)
    return W0, a0, O, idx1, y1, eta1, T1


def _grad_norms(G: np.ndarray) -> np.ndarray:
    # The patterns are orthonormal, so ||sum_p G[i, p] o_p|| = ||G[i]||.
    return np.sqrt(np.einsum("ip,ip->i", G, G))


def first_layer(
    W0: object,
    a0: object,
    patterns: object,
    idx1: object,
    y1: object,
    *,
    eta1: float,
    T1: int,
    recorders: Iterable[Recorder] = (),
) -> FirstLayerResult:
    """The first loop of Algorithm 1 on ``S_1 = (idx1, y1)``, in pattern coordinates."""
    W0, a0, O, idx1, y1, eta1, T1 = _check_run(W0, a0, patterns, idx1, y1, eta1, T1)
    recorders = list(recorders)
    P = _pp.projections(W0, O)
    W_perp = W0 - P @ O
    perp_sq = np.einsum("id,id->i", W_perp, W_perp)
    losses = np.empty(T1 + 1)
    for t in range(T1 + 1):
        step = network.pattern_step(P, a0, idx1, y1)
        losses[t] = step.loss
        if recorders:
            state = FirstLayerState(
                t=t,
                P=P,
                w_norms=np.sqrt(perp_sq + np.einsum("ip,ip->i", P, P)),
                grad_norms=_grad_norms(step.G),
                step=step,
                a0=a0,
                idx1=idx1,
                y1=y1,
                W_perp=W_perp,
                patterns=O,
            )
            for rec in recorders:
                rec.on_step(state)
        if t < T1:
            P = P - eta1 * step.G
    return FirstLayerResult(W=W_perp + P @ O, P=P, losses=losses)


def first_layer_dense(
    W0: object,
    a0: object,
    X1: object,
    y1: object,
    *,
    eta1: float,
    T1: int,
) -> FirstLayerResult:
    """The first loop of Algorithm 1 on arbitrary dense inputs ``X1 (m1 x n x d)``.

    Returns ``P`` as an empty ``k x 0`` array (no patterns are assumed)."""
    W = check_array("W0", W0, ndim=2, dtype=float)
    a0 = check_array("a0", a0, ndim=1, dtype=float)
    if a0.shape[0] != W.shape[0]:
        raise ValueError(f"a0 must have length k = {W.shape[0]}, got {a0.shape[0]}")
    X1 = check_array("X1", X1, ndim=3, dtype=float)
    if X1.shape[2] != W.shape[1] or X1.shape[1] < 1:
        raise ValueError(f"X1 must have n >= 1 positions of d = {W.shape[1]}, got {X1.shape}")
    y1 = check_labels("y1", y1, X1.shape[0])
    eta1 = check_positive_float("eta1", eta1)
    T1 = check_int("T1", T1, low=0)
    losses = np.empty(T1 + 1)
    for t in range(T1 + 1):
        loss, dW, _ = network.loss_and_grads(W, a0, X1, y1)
        losses[t] = loss
        if t < T1:
            W = W - eta1 * dW
    return FirstLayerResult(W=W, P=np.zeros((W.shape[0], 0)), losses=losses)


@dataclass(frozen=True)
class SecondLayerResult:
    """``a^(T2)`` and the losses ``L_2(W^(T1), a^(t))`` for ``t = 0..T2``."""

    a: np.ndarray
    losses: np.ndarray


def second_layer(
    Z: object,
    y2: object,
    a0: object,
    *,
    eta2: float,
    T2: int,
    record_every: int = 1,
) -> SecondLayerResult:
    """The second loop of Algorithm 1: gradient descent on ``a`` for the logistic loss of the
    linear model ``a . z(x)`` on the fixed features ``Z (m2 x k)`` (Appendix E).

    When ``m2 < k`` it runs in the span of the data, exactly: ``a^(t) = a^(0) + Z^T beta^(t)``
    with ``beta^(t+1) = beta^(t) - eta2 c^(t)``, so each step costs ``O(m2^2)`` instead of
    ``O(m2 k)``. ``losses`` holds every ``record_every``-th loss and the last one.
    """
    Z = check_array("Z", Z, ndim=2, dtype=float)
    m2, k = Z.shape
    if m2 < 1:
        raise ValueError("Z must hold at least one sample (m2 >= 1)")
    y2 = check_labels("y2", y2, m2)
    a0 = check_array("a0", a0, ndim=1, dtype=float)
    if a0.shape[0] != k:
        raise ValueError(f"a0 must have length k = {k}, got {a0.shape[0]}")
    eta2 = check_positive_float("eta2", eta2)
    T2 = check_int("T2", T2, low=0)
    record_every = check_int("record_every", record_every, low=1)
    beta, losses = _nb_second_layer(Z, y2, a0, eta2, T2, record_every)
    return SecondLayerResult(a=a0 + Z.T @ beta, losses=losses)


def _nb_second_layer(Z, y2, a0, eta2, T2, record_every):
    from verify.model._kernels.lw_cnn_numba import second_layer_span

    K = Z @ Z.T
    N0 = Z @ a0
    return second_layer_span(K, N0, y2, eta2, T2, record_every)


def lw_cnn(
    W0: object,
    a0: object,
    patterns: object,
    idx: object,
    y: object,
    *,
    eta1: float,
    eta2: float,
    T1: int,
    T2: int,
    recorders: Sequence[Recorder] = (),
    record_every: int = 1,
) -> tuple[np.ndarray, np.ndarray, FirstLayerResult, SecondLayerResult]:
    """Algorithm 1 on the training set ``(idx, y)``: ``S_1`` is its first ``ceil(m/2)`` samples,
    ``S_2`` the rest. Returns ``(W^(T1), a^(T2), first, second)``."""
    idx = check_array("idx", idx, ndim=2, dtype=int)
    m = idx.shape[0]
    if m < 2:
        raise ValueError(f"idx must hold at least 2 samples (m >= 2), got {m}")
    y = check_labels("y", y, m)
    m1 = (m + 1) // 2
    first = first_layer(
        W0, a0, patterns, idx[:m1], y[:m1], eta1=eta1, T1=T1, recorders=recorders
    )
    Z2, _ = network.pattern_features(first.P, idx[m1:])
    second = second_layer(Z2, y[m1:], a0, eta2=eta2, T2=T2, record_every=record_every)
    return first.W, second.a, first, second
