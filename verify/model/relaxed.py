"""A relaxed model beside the distribution D of Section 3: nearly orthogonal patterns and noisy
inputs. Outside the paper's assumptions by design; D itself (:mod:`verify.model.distribution`,
:mod:`verify.model.patterns`) is untouched.

**Coherent patterns.** The ``l`` unit patterns have Gram matrix ``G = (1 - mu) I + mu 11^T``:
every pair has inner product exactly ``mu`` (``0 <= mu < 1``). They are built from orthonormal
patterns ``O`` as ``O_mu = G^{1/2} O``, so ``O_mu O_mu^T = G`` and ``mu = 0`` gives ``O`` itself,
bit for bit. This choice over random directions with ``max |o_i . o_j| = mu``: one number fixes
every inner product exactly (no draw decides which pair is the worst), the positive and negative
patterns are exactly as coherent as a spurious pair, and the first-order predictions of
``docs/explanation/beyond-the-model.md`` are closed-form in ``mu``. ``G^{1/2} = sqrt(1 - mu) I +
c 11^T`` with ``c = (sqrt(1 - mu + l mu) - sqrt(1 - mu)) / l``.

**Noisy inputs.** Each position is its pattern plus independent Gaussian noise,
``x[j] = o_{idx[j]} + sigma xi_j`` with ``xi_j ~ N(0, I_d)``; ``sigma = 0`` gives the dense input
of D bit for bit (no noise is drawn).

Only the dense path of :mod:`verify.model.network` serves the relaxed model
(:func:`first_layer_relaxed`); the pattern fast path needs orthonormal, noiseless inputs and
refuses it (:func:`check_path`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from verify._validate import check_array, check_int, check_labels, check_positive_float
from verify.model import network
from verify.model._kernels import network_numba as _nb
from verify.model.distribution import dense
from verify.model.lw_cnn import FirstLayerResult, FirstLayerState, Recorder
from verify.model.patterns import validate_patterns

__all__ = [
    "PATHS",
    "RelaxedModel",
    "check_path",
    "coherent_patterns",
    "first_layer_relaxed",
    "noisy_inputs",
]

PATHS = ("dense", "pattern")


@dataclass(frozen=True)
class RelaxedModel:
    """The two relaxations: pattern coherence ``mu`` in ``[0, 1)`` and input noise ``sigma >= 0``
    (standard deviation per coordinate). ``RelaxedModel(0, 0)`` is D."""

    mu: float = 0.0
    sigma: float = 0.0

    def __post_init__(self) -> None:
        mu = check_positive_float("mu", self.mu, allow_zero=True)
        if mu >= 1.0:
            raise ValueError(f"mu must be in [0, 1) (unit patterns with Gram (1-mu)I + mu 11^T),"
                             f" got {mu!r}")
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "sigma",
                           check_positive_float("sigma", self.sigma, allow_zero=True))

    @property
    def exact(self) -> bool:
        """Whether this is the paper's D (orthonormal patterns, noiseless inputs)."""
        return self.mu == 0.0 and self.sigma == 0.0


def check_path(path: str, model: RelaxedModel) -> str:
    """Return ``path`` (``"dense"`` or ``"pattern"``) after checking that it can serve
    ``model``: the pattern fast path works in pattern coordinates ``W O^T`` of orthonormal,
    noiseless inputs and refuses any relaxed model with a ValueError naming ``path``."""
    if path not in PATHS:
        raise ValueError(f"path must be one of {PATHS}, got {path!r}")
    if not isinstance(model, RelaxedModel):
        raise ValueError(f"model must be a RelaxedModel, got {type(model).__name__}")
    if path == "pattern" and not model.exact:
        raise ValueError(
            f"path: the pattern fast path needs D's orthonormal, noiseless inputs (mu = 0, "
            f"sigma = 0), got mu={model.mu!r}, sigma={model.sigma!r}; use path='dense'")
    return path


def coherent_patterns(patterns: object, mu: float) -> np.ndarray:
    """``G^{1/2} O`` for orthonormal patterns ``O`` (``l x d``): unit patterns whose pairwise
    inner products are all ``mu`` (Gram ``(1 - mu) I + mu 11^T``). ``mu = 0`` returns a copy of
    ``O`` (bit for bit).

    Examples
    --------
    >>> O = coherent_patterns(np.eye(3, 4), 0.25)
    >>> np.round(O @ O.T, 12).tolist()
    [[1.0, 0.25, 0.25], [0.25, 1.0, 0.25], [0.25, 0.25, 1.0]]
    """
    O = validate_patterns(patterns)
    mu = RelaxedModel(mu=mu).mu
    if mu == 0.0:
        return O.copy()
    l = O.shape[0]
    diag = math.sqrt(1.0 - mu)
    c = (math.sqrt(1.0 - mu + l * mu) - diag) / l
    return np.ascontiguousarray(diag * O + c * O.sum(axis=0)[None, :])


def noisy_inputs(idx: object, patterns: object, sigma: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Dense inputs ``x[s, j] = patterns[idx[s, j]] + sigma xi[s, j]``, ``xi ~ N(0, I_d)`` iid
    (``m x n x d``). With ``sigma = 0`` this is :func:`verify.model.distribution.dense` and
    ``rng`` is not used."""
    sigma = RelaxedModel(sigma=sigma).sigma
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    X = dense(idx, patterns)
    if sigma == 0.0:
        return X
    return X + sigma * rng.standard_normal(X.shape)


def _active_patterns(idx1: np.ndarray, jstar: np.ndarray) -> np.ndarray:
    """The pattern index at each filter's argmax position (``-1`` where inactive): what the
    pattern path calls ``top``, read off the dense argmax."""
    top = np.take_along_axis(idx1, np.maximum(jstar, 0).astype(np.int64), axis=1)
    return np.where(jstar >= 0, top, -1)


def first_layer_relaxed(
    W0: object,
    a0: object,
    patterns: object,
    X1: object,
    idx1: object,
    y1: object,
    *,
    eta1: float,
    T1: int,
    recorders: Iterable[Recorder] = (),
) -> FirstLayerResult:
    """The first loop of Algorithm 1 on dense inputs ``X1`` of the relaxed model (the dense
    kernels of :mod:`verify.model.network`), with the recorders of the Section 5 checkers.

    ``patterns`` (``l x d``, unit rows, any coherence) and ``idx1`` (which pattern each position
    of ``X1`` was built from) only describe the inputs: each recorder sees ``P = W^(t) O^T``
    against these patterns, ``step.top`` the pattern at each filter's argmax position, and
    ``step.G`` the *dense* gradient ``dL_1/dW`` (``k x d``); ``W`` is the dense ``W^(t)``.
    Returns ``W^(T1)``, ``P = W^(T1) O^T`` and the losses.
    """
    W = check_array("W0", W0, ndim=2, dtype=float)
    a0 = check_array("a0", a0, ndim=1, dtype=float)
    if a0.shape[0] != W.shape[0]:
        raise ValueError(f"a0 must have length k = {W.shape[0]}, got {a0.shape[0]}")
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    if O.shape[1] != W.shape[1]:
        raise ValueError(f"patterns must have d = {W.shape[1]} columns, got {O.shape[1]}")
    X1 = check_array("X1", X1, ndim=3, dtype=float)
    idx1 = check_array("idx1", idx1, ndim=2, dtype=int)
    if X1.shape[:2] != idx1.shape or X1.shape[2] != W.shape[1] or X1.shape[0] < 1:
        raise ValueError(f"X1 must be m1 x n x d = {idx1.shape} x {W.shape[1]} (idx1's shape), "
                         f"got {X1.shape}")
    if idx1.min() < 0 or idx1.max() >= O.shape[0]:
        raise ValueError(f"idx1 must hold pattern indices in [0, {O.shape[0] - 1}]")
    y1 = check_labels("y1", y1, X1.shape[0])
    eta1 = check_positive_float("eta1", eta1)
    T1 = check_int("T1", T1, low=0)
    network.loss_and_grads(W, a0, X1, y1)  # validates magnitudes once for the loop below
    recorders = list(recorders)
    losses = np.empty(T1 + 1)
    zeros = np.zeros_like(W)
    for t in range(T1 + 1):
        N, _, jstar = _nb.dense_forward(W, a0, X1, False)
        loss, c = _nb.loss_and_coefficients(N, y1)
        dW, da = _nb.dense_grads(X1, W, jstar, a0, c)
        losses[t] = loss
        if recorders:
            step = network.PatternStep(float(loss), dW, da, N, _active_patterns(idx1, jstar))
            state = FirstLayerState(
                t=t, P=W @ O.T, w_norms=np.linalg.norm(W, axis=1),
                grad_norms=np.linalg.norm(dW, axis=1), step=step, a0=a0, idx1=idx1, y1=y1,
                W_perp=zeros, patterns=O, W=W)
            for rec in recorders:
                rec.on_step(state)
        if t < T1:
            W = W - eta1 * dW
    return FirstLayerResult(W=W, P=W @ O.T, losses=losses)
