"""The three learners of the scaling law and their test error against the training-set size.

Every learner sees the same distribution D (Section 3) with ``l = d`` Haar patterns (the rows of
a random orthogonal matrix, as in Section 7) and ``n = d^r`` positions (:func:`family`), and its
test error is computed **exactly over the enumerated support** of D (every point has probability
``1/|supp D|``, :func:`verify.model.distribution.support_size`):

- ``"CNN"``: LW_CNN (Algorithm 1) inside Theorem 5.1's assumptions (``k = 8 d^3 + 1``,
  ``T1 = 2``, the largest ``eta1 = 1/(4k(T1+1))`` and ``r = eta1/200``), trained on a training
  set drawn by its class counts (:mod:`verify.model.class_counts`, exact in distribution); the
  second layer is its limit ``a_hat`` (Appendix E, Eq. 25). A run whose ``S_2`` features are not
  separable counts as error 0.5 (as :mod:`verify.claims.theorem_5_1_nonvacuous`).
- ``"SVM"``: the hard-margin linear SVM on the raw inputs ``x`` in ``R^{nd}`` without a bias:
  the min-norm margin-1 separator of Section 6 / Proposition 6.1 (Eq. 9), whose margin bound is
  ``O(||w_hat||^2 R^2) = O(2n^2) = O(d^{2r})``
  (:func:`verify.model.separators.min_norm_separator`, the QP the project uses for Proposition 6.1).
  D is linearly separable (Section 6), so the QP is always feasible.
- ``"MLP"``: Section 7's one-hidden-layer ReLU MLP on ``x`` in ``R^{nd}`` with as many parameters
  as the CNN (``k d + k``, :func:`verify.claims.section_7.models.mlp_units_for`), trained with
  Adam on the loss of Eq. 2 (:func:`verify.claims.section_7.models.train_mlp`, the default
  :class:`~verify.claims.section_7.models.TrainConfig`).

The SVM's and the MLP's training sets of one seed are the prefixes of one pool of iid draws
(nested, as in Section 7); the CNN's are independent class-count draws per size (its first layer
and initialisation are shared across sizes). :func:`error_curve` walks the geometric grid of sizes
upward and stops once the error has been at most ``stop_eps`` at ``confirm`` consecutive sizes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from verify._validate import check_int, check_seed
from verify.claims.proposition_6_1 import flat_support
from verify.claims.section_5 import theorem_setting
from verify.claims.section_7.data import Dataset
from verify.claims.section_7.mlp import MLPParams, mlp_forward
from verify.claims.section_7.models import mlp_units_for, train_mlp
from verify.model import network
from verify.model.class_counts import (
    draw_counts,
    first_layer_counts,
    limit_by_counts,
    support_with_probabilities,
)
from verify.model.distribution import support_size
from verify.model.initialisation import initialise
from verify.model.patterns import haar_patterns
from verify.model.separators import min_norm_separator
from verify.rng import generator

__all__ = ["LEARNERS", "MAX_SUPPORT", "Problem", "error_curve", "family", "problem"]

LEARNERS: tuple[str, ...] = ("CNN", "SVM", "MLP")
T1 = 2
MAX_SUPPORT = 20_000
"""The largest support enumerated (``d = 6, r = 1``: 12,288 points; the CNN's features over it,
``k = 1729`` filters, take 170 MB; ``d = 7`` would take 218,750 points and 4.8 GB)."""
STREAM = "sample-complexity"


def family(d: int, r: int) -> dict[str, int]:
    """``{"d", "l", "n", "k"}`` of the scaling family: ``l = d`` patterns, ``n = d^r`` positions,
    ``k = 8 d^3 + 1`` filters (Theorem 5.1's smallest). Raises when the support is larger than
    :data:`MAX_SUPPORT` (the test error is exact over it).

    Examples
    --------
    >>> family(4, 1)
    {'d': 4, 'l': 4, 'n': 4, 'k': 513}
    """
    d = check_int("d", d, low=3)
    r = check_int("r", r, low=1, high=2)
    n = d**r
    size = support_size(n, d)
    if size > MAX_SUPPORT:
        raise ValueError(f"d, r: the support of D (n = {n}, l = {d}) has {size:,} points, more "
                         f"than MAX_SUPPORT = {MAX_SUPPORT:,}")
    return {"d": d, "l": d, "n": n, "k": 8 * d**3 + 1}


@dataclass(frozen=True)
class Problem:
    """One seed's instance at ``(d, r)``: the patterns, the support (pattern indices, labels and
    flattened inputs) and the CNN's initialisation."""

    d: int
    r: int
    n: int
    l: int
    k: int
    seed: int
    O: np.ndarray
    idx: np.ndarray
    y: np.ndarray
    X: np.ndarray
    W0: np.ndarray
    a0: np.ndarray
    eta1: float


@lru_cache(maxsize=4)
def problem(d: int, r: int, seed: int) -> Problem:
    """The instance of seed ``seed`` at ``(d, r)`` (streams ``(seed, STREAM, d, r, ...)``)."""
    fam = family(d, r)
    seed = check_seed("seed", seed)
    n, l, k = fam["n"], fam["l"], fam["k"]
    O = haar_patterns(d, l, generator(seed, STREAM, d, r, "patterns"))
    s = theorem_setting(d, l, n, k, 2, T1, seed)
    W0, a0 = initialise(k, d, s.r, generator(seed, STREAM, d, r, "init"))
    idx, y, _ = support_with_probabilities(n, l)
    X = flat_support(n, l, O)[0]
    return Problem(d, r, n, l, k, seed, O, idx, y, X, W0, a0, s.eta1)


def _cnn_error(p: Problem, m: int) -> float:
    c1, c2 = draw_counts(p.n, p.l, m, generator(p.seed, STREAM, p.d, p.r, "cnn-counts", m))
    first = first_layer_counts(p.W0, p.a0, p.O, p.idx, p.y, c1, eta1=p.eta1, T1=T1)
    lim = limit_by_counts(first.P, p.idx, p.y, c2)
    return 0.5 if lim.error is None else float(lim.error)


def _svm_error(p: Problem, u: np.ndarray) -> float:
    sep = min_norm_separator(p.X[u], p.y[u], bias=False)
    if sep.status != "optimal":
        raise RuntimeError(f"SVM: the QP stopped with status {sep.status!r} on separable data")
    return float(np.mean(network.classify(p.X @ sep.v) != p.y))


def _mlp_error(p: Problem, u: np.ndarray, m: int) -> float:
    data = Dataset(np.ascontiguousarray(p.X[u].reshape(len(u), p.n, p.d)), p.y[u], p.idx[u])
    model = train_mlp(data, h=mlp_units_for(p.n, p.d, p.k),
                      rng=generator(p.seed, STREAM, p.d, p.r, "mlp", m))
    N = mlp_forward(MLPParams(*model.params), p.X)
    return float(np.mean(network.classify(N) != p.y))


def error_curve(learner: str, d: int, seed: int, ms: Sequence[int], *, r: int = 1,
                stop_eps: float = 0.0, confirm: int = 2) -> list[tuple[int, float]]:
    """``[(m, test error), ...]`` of ``learner`` (one of :data:`LEARNERS`) at ``(d, r)`` and
    seed ``seed``, for the sizes ``ms`` in increasing order, stopping after the first
    ``confirm`` consecutive sizes with error ``<= stop_eps`` (``stop_eps = 0`` with an error
    that stays above 0 runs the whole grid). Sizes must be increasing and ``>= 2``."""
    if learner not in LEARNERS:
        raise ValueError(f"learner must be one of {LEARNERS}, got {learner!r}")
    ms = [check_int("ms", m, low=2) for m in ms]
    if not ms or any(b <= a for a, b in itertools.pairwise(ms)):
        raise ValueError(f"ms must be a non-empty increasing sequence of sizes, got {ms!r}")
    if not 0 <= stop_eps < 1:
        raise ValueError(f"stop_eps must be in [0, 1), got {stop_eps!r}")
    confirm = check_int("confirm", confirm, low=1)
    p = problem(d, r, seed)
    pool = generator(seed, STREAM, d, r, learner, "pool").integers(0, p.y.shape[0], ms[-1])
    out: list[tuple[int, float]] = []
    run = 0
    for m in ms:
        if learner == "CNN":
            err = _cnn_error(p, m)
        elif learner == "SVM":
            err = _svm_error(p, pool[:m])
        else:
            err = _mlp_error(p, pool[:m], m)
        out.append((m, err))
        run = run + 1 if err <= stop_eps else 0
        if run >= confirm:
            break
    return out
