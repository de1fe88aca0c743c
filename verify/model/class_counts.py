"""Training sets by class counts: LW_CNN (Algorithm 1) at ``m = 10^7`` for the cost of the support.

Every point of the support of D (Section 3) has probability ``1/|supp D|``
(:func:`~verify.model.distribution.support_size`), so the number of times each support point
appears in ``m`` iid draws is exactly ``Multinomial(m, p)``, ``p`` uniform over
:func:`~verify.model.distribution.enumerate_support`. ``N_CNN`` (Eq. 1) depends on an input only
through its patterns, so the loss ``L[S] = (1/m) sum_s l(y_s N(x_s))`` of a training set is
``(1/m) sum_u c_u l(y_u N(x_u))`` over the support points ``u`` with counts ``c_u``. Hence:

- :func:`draw_counts`: ``(c_1, c_2)``, the counts of ``S_1`` (``ceil(m/2)`` samples) and ``S_2``
  (the rest), exact in distribution;
- :func:`first_layer_counts`: the first loop of Algorithm 1 on ``S_1`` given by its counts
  (the same gradient steps as :func:`~verify.model.lw_cnn.first_layer` on the samples, up to the
  order of the floating-point sums);
- :func:`limit_by_counts`: the second loop's limit direction ``a_hat`` (Appendix E, Eq. 25: the
  min-norm margin-1 separator of ``S_2``'s features), which depends only on the *distinct*
  feature vectors of ``S_2``, not on their multiplicities, and its test error exactly over the
  support (every point equally likely: the fraction misclassified).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verify._validate import check_array, check_int, check_labels, check_positive_float
from verify.model import network
from verify.model._kernels import network_numpy as _np
from verify.model._kernels import pattern_path_numba as _pp
from verify.model.distribution import enumerate_support, support_size
from verify.model.lw_cnn import FirstLayerResult
from verify.model.patterns import validate_patterns

__all__ = [
    "LimitResult",
    "draw_counts",
    "first_layer_counts",
    "limit_by_counts",
    "support_index",
    "support_with_probabilities",
]

MAX_SUPPORT = 2_000_000


def support_with_probabilities(n: int, l: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(idx, y, p)``: the support of D in :func:`enumerate_support`'s order and the probability
    of each point, ``p = 1/|supp D|`` (Section 3: label, position of the discriminative pattern
    and spurious patterns all uniform and independent)."""
    idx, y = enumerate_support(n, l, max_size=MAX_SUPPORT)
    return idx, y, np.full(y.shape[0], 1.0 / y.shape[0])


def support_index(idx: object, y: object, n: int, l: int) -> np.ndarray:
    """The position of each sample ``(idx[s], y[s])`` of D in :func:`enumerate_support`'s order
    (positives first; then the discriminative position ``j+``; then the spurious patterns in
    lexicographic order). Raises if a row is not in the support."""
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    idx = check_array("idx", idx, ndim=2, dtype=int)
    if idx.shape[1] != n:
        raise ValueError(f"idx must have n = {n} columns, got {idx.shape[1]}")
    y = check_labels("y", y, idx.shape[0])
    disc = np.where(y > 0, 0, 1)
    is_disc = idx == disc[:, None]
    if np.any(is_disc.sum(axis=1) != 1) or np.any((idx < 0) | (idx >= l)):
        raise ValueError("idx, y: every row must hold its label's pattern exactly once and "
                         "spurious patterns elsewhere")
    jplus = np.argmax(is_disc, axis=1)
    spur = idx[~is_disc].reshape(idx.shape[0], n - 1)
    if n > 1 and np.any(spur < 2):
        raise ValueError("idx, y: a row holds the other label's discriminative pattern")
    code = np.zeros(idx.shape[0], dtype=np.int64)
    for j in range(n - 1):
        code = code * (l - 2) + (spur[:, j] - 2)
    per_label = n * (l - 2) ** (n - 1)
    return np.where(y > 0, 0, per_label) + jplus * (l - 2) ** (n - 1) + code


def draw_counts(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The class counts of a training set of ``m`` iid points of D split as in Section 3:
    ``c_1 ~ Multinomial(ceil(m/2), p)`` and, independently, ``c_2 ~ Multinomial(floor(m/2), p)``
    over :func:`support_with_probabilities`. Exact in distribution: the counts of
    :func:`~verify.model.distribution.sample`'s draws have this law."""
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    m = check_int("m", m, low=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    size = support_size(n, l)
    if size > MAX_SUPPORT:
        raise ValueError(f"n, l: the support of D has {size} points, more than {MAX_SUPPORT}")
    p = np.full(size, 1.0 / size)
    m1 = (m + 1) // 2
    return rng.multinomial(m1, p).astype(np.int64), rng.multinomial(m - m1, p).astype(np.int64)


def first_layer_counts(
    W0: object,
    a0: object,
    patterns: object,
    idx: object,
    y: object,
    counts: object,
    *,
    eta1: float,
    T1: int,
) -> FirstLayerResult:
    """The first loop of Algorithm 1 (``T1`` gradient steps on ``W`` for ``L_1``, ``a = a0``)
    on the training set holding ``counts[u]`` copies of ``(idx[u], y[u])``: the per-sample
    coefficients of :func:`~verify.model.lw_cnn.first_layer` weighted by the counts, in pattern
    coordinates. Rows with count 0 are skipped. Cost ``O(T1 k |rows|)``, whatever the counts."""
    W0 = check_array("W0", W0, ndim=2, dtype=float)
    a0 = check_array("a0", a0, ndim=1, dtype=float)
    if a0.shape[0] != W0.shape[0]:
        raise ValueError(f"a0 must have length k = {W0.shape[0]}, got {a0.shape[0]}")
    O = validate_patterns(patterns)
    if O.shape[1] != W0.shape[1]:
        raise ValueError(f"patterns must have d = {W0.shape[1]} columns, got {O.shape[1]}")
    idx = check_array("idx", idx, ndim=2, dtype=int)
    if idx.size and (idx.min() < 0 or idx.max() >= O.shape[0]):
        raise ValueError(f"idx must hold pattern indices in [0, {O.shape[0] - 1}]")
    y = check_labels("y", y, idx.shape[0])
    counts = check_array("counts", counts, ndim=1, dtype=int)
    if counts.shape[0] != idx.shape[0] or np.any(counts < 0) or counts.sum() < 1:
        raise ValueError("counts must be one non-negative count per row of idx, summing to >= 1")
    eta1 = check_positive_float("eta1", eta1)
    T1 = check_int("T1", T1, low=0)
    keep = counts > 0
    idx, y, w = np.ascontiguousarray(idx[keep]), y[keep], counts[keep].astype(np.float64)
    m1 = float(counts.sum())
    P = _pp.projections(W0, O)
    W_perp = W0 - P @ O
    losses = np.empty(T1 + 1)
    for t in range(T1 + 1):
        N, top = _pp.pattern_forward(P, a0, idx)
        z = y * N
        losses[t] = float(np.dot(w, _np.softplus_neg(z)) / m1)
        if t < T1:
            c = w * _np.dsoftplus_neg(z) * y / m1
            G, _ = _pp.pattern_grads(P, top, a0, c)
            P = P - eta1 * G
    return FirstLayerResult(W=W_perp + P @ O, P=P, losses=losses)


@dataclass(frozen=True)
class LimitResult:
    """The second layer's limit on ``S_2`` given by counts.

    ``v`` is ``a_hat`` (``None`` when ``S_2``'s features are not separable), ``distinct`` the
    number of distinct rows it was computed from, ``error`` its test error exactly over the
    support (``None`` when not separable), ``rho_sq`` ``max_x ||z(x)||^2`` over the support,
    ``norm_sq`` ``||a_hat||^2``."""

    v: np.ndarray | None
    status: str
    distinct: int
    error: float | None
    rho_sq: float
    norm_sq: float | None
    Z_support: np.ndarray


def limit_by_counts(P: object, idx: object, y: object, counts: object) -> LimitResult:
    """``a_hat`` of Eq. 25 for ``S_2 = counts[u]`` copies of ``(idx[u], y[u])``, and its exact
    test error when ``(idx, y)`` is the whole support of D (each point equally likely).

    Repeated rows repeat constraints ``y_u z_u . a >= 1``, so ``a_hat`` depends on the distinct
    rows only (Appendix E: the limit direction of gradient descent on ``L_2`` is ``a_hat``)."""
    from verify.model.separators import min_norm_separator

    P = check_array("P", P, ndim=2, dtype=float)
    idx = check_array("idx", idx, ndim=2, dtype=int)
    y = check_labels("y", y, idx.shape[0])
    counts = check_array("counts", counts, ndim=1, dtype=int)
    if counts.shape[0] != idx.shape[0] or np.any(counts < 0) or counts.sum() < 1:
        raise ValueError("counts must be one non-negative count per row of idx, summing to >= 1")
    Zs = network.pattern_features(P, idx)[0]
    rho_sq = float(np.max(np.einsum("sk,sk->s", Zs, Zs)))
    keep = counts > 0
    Z2, y2 = Zs[keep], y[keep]
    # distinct (feature, label) rows: the separator does not see multiplicities
    rows = np.unique(np.column_stack([Z2, y2]), axis=0)
    sep = min_norm_separator(rows[:, :-1], rows[:, -1], bias=False)
    if sep.status != "optimal":
        return LimitResult(None, sep.status, rows.shape[0], None, rho_sq, None, Zs)
    err = float(np.mean(network.classify(Zs @ sep.v) != y))
    return LimitResult(sep.v, sep.status, rows.shape[0], err, rho_sq, float(sep.norm_sq), Zs)
