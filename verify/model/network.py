"""N_CNN (Eq. 1), the loss of Eq. 2 and their hand-written gradients.

Two paths compute the same quantities:

- the **dense path** takes any real inputs ``X`` of shape ``m x n x d``;
- the **pattern path** takes inputs built from orthonormal patterns, as pattern indices
  ``idx (m x n)`` and the ``l x d`` pattern array, and works in pattern coordinates
  ``P = W O^T (k x l)``: each activation is a table look-up instead of a dot product. Its Numba
  backend computes once per class of samples with the same set of patterns, and, for few
  patterns without ties, takes the gradient from sums over sets of patterns
  (:mod:`verify.model._kernels.pattern_path_numba`).

Both use the same conventions: ``sign(0) = -1``; the max over positions breaks ties by the first
position; a filter whose best dot product is ``<= 0`` is inactive (``relu'(0) = 0``). With the
Numba backend the two paths give bit-identical ``N``, features and active patterns on
``x = O[idx]``; their gradients are the same sums added in different orders. Each function takes
``backend="numba"`` (default) or ``backend="numpy"`` (the reference twin).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from typing import Literal

import numpy as np

from verify._validate import check_array, check_labels
from verify.model._kernels import network_numba as _nb
from verify.model._kernels import network_numpy as _np
from verify.model._kernels import pattern_path_numba as _pp
from verify.model._kernels.lanes import LANES, SPAN_BLOCKS

__all__ = [
    "PatternStep",
    "classify",
    "features",
    "forward",
    "forward_blocks",
    "forward_patterns",
    "logistic_loss",
    "logistic_loss_derivative",
    "loss_and_grads",
    "loss_and_grads_patterns",
    "pattern_features",
    "pattern_step",
    "projections",
    "warm_up",
]

Backend = Literal["numba", "numpy"]
_MAX_PATTERNS = np.iinfo(np.int16).max  # top is int8 or int16
_MAX_EXPONENT = 1000  # inputs whose bound on N reaches 2^1000 are refused (_check_magnitude)
FORWARD_BLOCK = 1 << 22  # samples x filters per kernel call of forward (its memory bound)


def _check_backend(backend: str) -> None:
    if backend not in ("numba", "numpy"):
        raise ValueError(f"backend must be 'numba' or 'numpy', got {backend!r}")


def _check_params(W: object, a: object, name: str = "W") -> tuple[np.ndarray, np.ndarray]:
    W = check_array(name, W, ndim=2, dtype=float)
    a = check_array("a", a, ndim=1, dtype=float)
    if a.shape[0] != W.shape[0]:
        raise ValueError(
            f"a must have length k = {name}.shape[0] = {W.shape[0]}, got {a.shape[0]}"
        )
    if W.shape[0] < 1:
        raise ValueError(f"{name} must have at least one row (k >= 1)")
    if W.shape[1] < 1:
        raise ValueError(f"{name} must have at least one column ({'d' if name == 'W' else 'l'} "
                         ">= 1)")
    return W, a


def _check_dense(W: object, a: object, X: object) -> tuple[np.ndarray, ...]:
    W, a = _check_params(W, a)
    X = check_array("X", X, ndim=3, dtype=float)
    if X.shape[2] != W.shape[1]:
        raise ValueError(f"X must have last dimension d = {W.shape[1]}, got {X.shape[2]}")
    if X.shape[1] < 1:
        raise ValueError("X must have at least one position (n >= 1)")
    _check_magnitude("W and X", W, X, W.shape[1])
    _check_magnitude("W, a and X", W, a, X, W.shape[0], W.shape[1])
    return W, a, X


def _check_batch(name: str, arr: np.ndarray) -> None:
    """The loss of Eq. 2 is a mean over the samples: an empty batch has none."""
    if arr.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one sample (m >= 1): the loss of Eq. 2 is a "
                         "mean over the batch")


def _log2_max(arr: np.ndarray) -> float:
    top = max(-float(arr.min()), float(arr.max())) if arr.size else 0.0  # no |arr| copy
    return math.log2(top) if top > 0 else -math.inf


def _check_magnitude(names: str, *factors: float | np.ndarray) -> None:
    """Raise ValueError naming ``names`` unless the product of ``factors`` (arrays by their
    largest magnitude, numbers as they are) is below 2^1000, which bounds every output.

    ``|w_i . x[j]| <= d max|W| max|X|`` and ``|N| <= k max|a| d max|W| max|X|`` (and the
    gradients by the same product): below 2^1000, far from float64's 2^1024, nothing overflows;
    above it the dot products could be ``inf`` or ``nan`` (``inf - inf``) and a ``nan`` would
    silently make its filter inactive."""
    exponent = sum(_log2_max(f) if isinstance(f, np.ndarray) else math.log2(max(f, 1))
                   for f in factors)
    if exponent >= _MAX_EXPONENT:
        raise ValueError(f"{names} are too large for float64: the bound on N_CNN (Eq. 1) is "
                         f"2^{exponent:.0f} >= 2^{_MAX_EXPONENT}; scale them down")


def _check_idx(idx: object, l: int) -> np.ndarray:
    idx = check_array("idx", idx, ndim=2, dtype=int)
    if idx.shape[1] < 1:
        raise ValueError("idx must have at least one position (n >= 1)")
    if idx.size and (idx.min() < 0 or idx.max() >= l):
        raise ValueError(f"idx must hold pattern indices in [0, {l - 1}]")
    return idx


def logistic_loss(z: object) -> np.ndarray:
    """``l(z) = log(1 + e^{-z})`` (Eq. 2), computed stably."""
    return _np.softplus_neg(check_array("z", np.atleast_1d(z), ndim=1, dtype=float))


def logistic_loss_derivative(z: object) -> np.ndarray:
    """``l'(z) = -1/(1 + e^z)``, computed stably."""
    return _np.dsoftplus_neg(check_array("z", np.atleast_1d(z), ndim=1, dtype=float))


def classify(N: object) -> np.ndarray:
    """``sign(N)`` with ``sign(0) = -1`` (Section 3, footnote 2)."""
    N = np.asarray(N, dtype=np.float64)
    return np.where(N > 0, 1.0, -1.0)


def features(
    W: object, X: object, *, backend: Backend = "numba"
) -> tuple[np.ndarray, np.ndarray]:
    """``z(x)_i = max_j relu(w_i . x[j])`` for each row of ``X`` (``m x k``), and the maximising
    position ``j_i(x)`` (``-1`` where the filter is inactive)."""
    _check_backend(backend)
    W, a, X = _check_dense(W, np.zeros(np.asarray(W).shape[0]), X)
    kern = _nb if backend == "numba" else _np
    _, z, jstar = kern.dense_forward(W, a, X, True)
    return z, jstar


def forward(W: object, a: object, X: object, *, backend: Backend = "numba") -> np.ndarray:
    """``N_CNN[(W, a)](x)`` of Eq. 1 for each row ``x`` of ``X`` (``m x n x d``).

    Examples
    --------
    >>> import numpy as np
    >>> W = np.array([[1.0, 0.0], [0.0, 1.0]]); a = np.array([1.0, -1.0])
    >>> X = np.array([[[2.0, 0.0], [0.0, 0.5]]])
    >>> forward(W, a, X)
    array([1.5])
    """
    _check_backend(backend)
    W, a, X = _check_dense(W, a, X)
    spans = _nb.dense_spans if backend == "numba" else _numpy_spans
    N = np.zeros(X.shape[0])  # partial sums added in order from 0.0, as lanes.span_sums does
    for s0, s1, i0, i1 in forward_blocks(X.shape[0], W.shape[0]):
        partial = spans(W[i0:i1], a[i0:i1], X[s0:s1])
        for q in range(partial.shape[1]):
            N[s0:s1] += partial[:, q]
    return N


def _numpy_spans(W: np.ndarray, a: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The NumPy twin's ``N`` as one partial sum (``m x 1``)."""
    return _np.dense_forward(W, a, X, False)[0][:, None]


def forward_blocks(m: int, k: int, block: int | None = None) -> Iterator[tuple[int, ...]]:
    """The blocks ``(s0, s1, i0, i1)`` of samples ``s0:s1`` and filters ``i0:i1`` over which
    :func:`forward` streams: at most ``block`` (default :data:`FORWARD_BLOCK`) samples x filters
    each (or one span of filters, :data:`verify.model._kernels.lanes.SPAN_BLOCKS` x ``LANES``, for
    one sample), filters in whole spans and in order for each sample block, so that ``N`` is the
    same bit for bit as in one call; its memory is then bounded by the block, not by ``m x k``.

    Examples
    --------
    >>> list(forward_blocks(3, 5))
    [(0, 3, 0, 5)]
    >>> list(forward_blocks(4, 3000, block=2048))[:4]
    [(0, 2, 0, 1024), (0, 2, 1024, 2048), (0, 2, 2048, 3000), (2, 4, 0, 1024)]
    """
    block = FORWARD_BLOCK if block is None else block
    span = SPAN_BLOCKS * LANES
    if m * k <= block:
        filters = k
    else:
        filters = min(k, max(span, block // max(m, 1) // span * span))
    rows = max(1, min(m, block // filters))
    for s0 in range(0, m, rows):
        for i0 in range(0, k, filters):
            yield s0, min(m, s0 + rows), i0, min(k, i0 + filters)


def loss_and_grads(
    W: object, a: object, X: object, y: object, *, backend: Backend = "numba"
) -> tuple[float, np.ndarray, np.ndarray]:
    """Eq. 2's loss ``L[S](W, a)`` and its gradients ``(dL/dW, dL/da)``."""
    _check_backend(backend)
    W, a, X = _check_dense(W, a, X)
    _check_batch("X", X)
    y = check_labels("y", y, X.shape[0])
    kern = _nb if backend == "numba" else _np
    N, _, jstar = kern.dense_forward(W, a, X, False)
    loss, c = kern.loss_and_coefficients(N, y)
    dW, da = kern.dense_grads(X, W, jstar, a, c)
    return float(loss), dW, da


def projections(W: object, patterns: object, *, backend: Backend = "numba") -> np.ndarray:
    """``P = W O^T``: each filter's dot product with each pattern (``k x l``)."""
    _check_backend(backend)
    W = check_array("W", W, ndim=2, dtype=float)
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    if O.shape[1] != W.shape[1]:
        raise ValueError(f"patterns must have d = {W.shape[1]} columns, got {O.shape[1]}")
    _check_magnitude("W and patterns", W, O, W.shape[1])
    return (_pp if backend == "numba" else _np).projections(W, O)


class PatternStep:
    """One forward/backward pass in pattern coordinates.

    ``G`` is ``dL/dW`` in pattern coordinates (``dL/dw_i = sum_p G[i, p] o_p``); ``top[s, i]`` is
    the index of ``p_i(x_s)`` (Eq. 3), ``-1`` where ``p_i(x_s) = 0`` (``int8`` when ``l <= 128``,
    else ``int16``). The Numba backend may compute the loss and gradients without ``top``
    (once per class of samples, :mod:`verify.model._kernels.pattern_grads_numba`): ``top`` is then
    computed on first access.
    """

    __slots__ = ("G", "N", "_top", "da", "loss")

    def __init__(self, loss: float, G: np.ndarray, da: np.ndarray, N: np.ndarray,
                 top: np.ndarray | Callable[[], np.ndarray]) -> None:
        self.loss, self.G, self.da, self.N = loss, G, da, N
        self._top = top

    @property
    def top(self) -> np.ndarray:
        if callable(self._top):
            self._top = self._top()
        return self._top

    def _replace(self, **changes: object) -> PatternStep:
        """A copy with some fields replaced, as ``NamedTuple._replace`` (``top`` stays lazy
        unless replaced)."""
        fields = {"loss": self.loss, "G": self.G, "da": self.da, "N": self.N, "top": self._top}
        unknown = set(changes) - set(fields)
        if unknown:
            raise ValueError(f"PatternStep has no fields {sorted(unknown)}")
        return PatternStep(**{**fields, **changes})

    def __repr__(self) -> str:
        return f"PatternStep(loss={self.loss!r}, k={self.G.shape[0]}, m={self.N.shape[0]})"


def _check_pattern_count(P: np.ndarray) -> None:
    if P.shape[1] > _MAX_PATTERNS:
        raise ValueError(f"P must have at most {_MAX_PATTERNS} columns (l), got {P.shape[1]}")


def _pattern_forward(P: np.ndarray, a: np.ndarray, idx: np.ndarray, backend: str):
    _check_pattern_count(P)
    return (_pp if backend == "numba" else _np).pattern_forward(P, a, idx)


def _numba_step(PT, tied, a, idx, y, O=None) -> tuple[PatternStep, np.ndarray]:
    """The step from blocked projections; ``dL/dW = G O`` too if ``O`` is given."""
    dense = O is not None
    loss, N, G, da, dW, top = _pp.step(
        PT, tied, a, idx, y, O if dense else np.zeros((PT.shape[1], 0)), dense
    )
    return PatternStep(float(loss), G, da, N, top), dW


def _step(P: np.ndarray, a: np.ndarray, idx: np.ndarray, y: np.ndarray, backend: str):
    _check_pattern_count(P)
    if backend == "numba":
        return _numba_step(*_pp.pattern_blocks(P), a, idx, y)[0]
    N, top = _np.pattern_forward(P, a, idx)
    loss, c = _np.loss_and_coefficients(N, y)
    G, da = _np.pattern_grads(P, top, a, c)
    return PatternStep(float(loss), G, da, N, top)


def pattern_step(
    P: object, a: object, idx: object, y: object, *, backend: Backend = "numba"
) -> PatternStep:
    """Loss, gradients, outputs and active patterns from pattern coordinates ``P (k x l)``."""
    _check_backend(backend)
    P, a = _check_params(P, a, "P")
    _check_magnitude("P and a", P, a, P.shape[0])
    idx = _check_idx(idx, P.shape[1])
    _check_batch("idx", idx)
    y = check_labels("y", y, idx.shape[0])
    return _step(P, a, idx, y, backend)


def pattern_features(
    P: object, idx: object, *, backend: Backend = "numba"
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled features ``z (m x k)`` and active patterns ``top (m x k)`` from ``P``."""
    _check_backend(backend)
    P = check_array("P", P, ndim=2, dtype=float)
    idx = _check_idx(idx, P.shape[1])
    a = np.zeros(P.shape[0])
    _, top = _pattern_forward(P, a, idx, backend)
    return (_pp if backend == "numba" else _np).pattern_features(P, top), top


def _check_patterns_for(W: np.ndarray, patterns: object) -> np.ndarray:
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    if O.shape[1] != W.shape[1]:
        raise ValueError(f"patterns must have d = {W.shape[1]} columns, got {O.shape[1]}")
    if O.shape[0] > _MAX_PATTERNS:
        raise ValueError(f"patterns must have at most {_MAX_PATTERNS} rows (l), got {O.shape[0]}")
    return O


def _check_pattern_inputs(
    W: object, a: object, patterns: object, idx: object, backend: Backend
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pattern path's arguments, validated: ``(W, a, O, idx)``."""
    _check_backend(backend)
    W, a = _check_params(W, a)
    O = _check_patterns_for(W, patterns)
    _check_magnitude("W and patterns", W, O, W.shape[1])
    _check_magnitude("W, a and patterns", W, a, O, W.shape[0], W.shape[1])
    return W, a, O, _check_idx(idx, O.shape[0])


def forward_patterns(
    W: object, a: object, patterns: object, idx: object, *, backend: Backend = "numba"
) -> np.ndarray:
    """:func:`forward` for inputs ``x[s, j] = patterns[idx[s, j]]``, via the pattern path."""
    W, a, O, idx = _check_pattern_inputs(W, a, patterns, idx, backend)
    if backend == "numpy":
        return _pattern_forward(_np.projections(W, O), a, idx, backend)[0]
    N, _, cls = _pp.forward_items(*_pp.projection_blocks(W, O), a, idx, want_top=False)
    return N if cls is None else N[cls]


def loss_and_grads_patterns(
    W: object, a: object, patterns: object, idx: object, y: object, *, backend: Backend = "numba"
) -> tuple[float, np.ndarray, np.ndarray]:
    """:func:`loss_and_grads` for inputs ``x[s, j] = patterns[idx[s, j]]``, via the pattern path.

    The filters' components orthogonal to the patterns get no gradient, so
    ``dL/dW = G O`` with ``G`` the pattern-coordinate gradient.
    """
    W, a, O, idx = _check_pattern_inputs(W, a, patterns, idx, backend)
    _check_batch("idx", idx)
    y = check_labels("y", y, idx.shape[0])
    if backend == "numpy":
        step = _step(_np.projections(W, O), a, idx, y, backend)
        return step.loss, _np.from_patterns(step.G, O), step.da
    step, dW = _numba_step(*_pp.projection_blocks(W, O), a, idx, y, O)
    return step.loss, dW, step.da


@functools.cache
def warm_up() -> None:
    """Compile (or load from the cache) every kernel once per process on tiny inputs."""
    from verify.model.patterns import standard_patterns

    O = standard_patterns(3, 3)
    W = np.array([[1.0, -0.5, 0.25], [0.0, 0.5, -1.0]])
    a = np.array([1.0, -1.0])
    idx = np.array([[0, 2], [1, 2]])
    y = np.array([1.0, -1.0])
    loss_and_grads(W, a, O[idx], y)
    loss_and_grads_patterns(W, a, O, idx, y)
    pattern_features(projections(W, O), idx)
    PT, tied = _pp.projection_blocks(W, O)  # both gradients, with and without G O
    for gradient in ("items", "subset_sums"):
        for Od in (O, np.zeros((3, 0))):
            _pp.step(PT, tied, a, idx, y, Od, Od.shape[1] > 0, gradient=gradient)[5]()
