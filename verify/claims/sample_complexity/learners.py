"""The three learners of the scaling law and their test error against the training-set size.

Every learner sees the same distribution D (Section 3) with ``l = d`` Haar patterns (the rows of
a random orthogonal matrix, as in Section 7) and ``n = d^r`` positions (:func:`family`). Its test
error at each size is decided against ``eps`` by
:mod:`~verify.claims.sample_complexity.test_error`: on fresh iid draws from D with exact
Clopper-Pearson intervals (``"monte-carlo"``, any ``d``), or exactly over the enumerated support
(``"exact"``, where it has at most
:data:`~verify.claims.sample_complexity.test_error.EXACT_SUPPORT` points).

- ``"CNN"``: LW_CNN (Algorithm 1) inside Theorem 5.1's assumptions (``k = 8 d^3 + 1``,
  ``T1 = 2``, the largest ``eta1 = 1/(4k(T1+1))`` and ``r = eta1/200``). The first layer is
  trained on ``S_1`` by its class counts (the distinct points of the sample and their
  multiplicities, :func:`verify.model.class_counts.first_layer_counts`: the same gradient steps as
  on the samples, at the cost of the distinct points); the second layer is its limit ``a_hat``
  (Appendix E, Eq. 25: the min-norm margin-1 separator of ``S_2``'s distinct features). A run
  whose ``S_2`` features are not separable has no classifier: its size is not reached.
- ``"SVM"``: the hard-margin linear SVM on the raw inputs ``x`` in ``R^{nd}`` without a bias: the
  min-norm margin-1 separator of Section 6 / Proposition 6.1 (Eq. 9), a QP
  (:func:`verify.model.separators.min_norm_separator`). D is linearly separable (Section 6), so
  the QP is always feasible.
- ``"MLP"``: Section 7's one-hidden-layer ReLU MLP on ``x`` in ``R^{nd}`` with as many parameters
  as the CNN (``k d + k``, :func:`verify.claims.section_7.models.mlp_units_for`), trained with
  Adam on the loss of Eq. 2 (:func:`verify.claims.section_7.models.train_mlp`).

The training sets of one seed are the prefixes of iid pools (nested in ``m``, as in Section 7):
one pool for the SVM and the MLP, two (``S_1`` and ``S_2``) for the CNN. The test points of one
seed are one stream of iid draws shared by every size. :func:`error_curve` walks the grid of
sizes upward and stops once ``confirm`` consecutive sizes are decided "error <= eps".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from verify._validate import check_int, check_probability, check_seed
from verify.accelerate import one_thread
from verify.claims._kernels import pooled_output_numba as _pooled_numba
from verify.claims._kernels import pooled_output_numpy as _pooled
from verify.claims.sample_complexity.test_error import (
    EXACT_SUPPORT,
    ErrorDecision,
    exact_decision,
    sequential_decision,
)
from verify.claims.section_5 import theorem_setting
from verify.claims.section_7.data import Dataset
from verify.claims.section_7.mlp import MLPParams, mlp_forward
from verify.claims.section_7.models import mlp_units_for, train_mlp
from verify.model import network
from verify.model.class_counts import first_layer_counts
from verify.model.distribution import enumerate_support, sample, support_size
from verify.model.initialisation import initialise
from verify.model.patterns import haar_patterns
from verify.model.separators import min_norm_separator
from verify.rng import generator

__all__ = ["LEARNERS", "MAX_D", "MODES", "Problem", "error_curve", "family", "fit", "grid",
           "problem"]

LEARNERS: tuple[str, ...] = ("CNN", "SVM", "MLP")
MODES: tuple[str, ...] = ("monte-carlo", "exact")
T1 = 2
MAX_D = 40
"""The largest ``d`` accepted (``k = 8 d^3 + 1 = 512,001`` filters)."""
STREAM = "sample-complexity"

Predictor = Callable[[np.ndarray], np.ndarray]


def family(d: int, r: int) -> dict[str, int]:
    """``{"d", "l", "n", "k"}`` of the scaling family: ``l = d`` patterns, ``n = d^r`` positions,
    ``k = 8 d^3 + 1`` filters (Theorem 5.1's smallest).

    Examples
    --------
    >>> family(4, 2)
    {'d': 4, 'l': 4, 'n': 16, 'k': 513}
    """
    d = check_int("d", d, low=3, high=MAX_D)
    r = check_int("r", r, low=1, high=2)
    return {"d": d, "l": d, "n": d**r, "k": 8 * d**3 + 1}


@dataclass(frozen=True)
class Problem:
    """One seed's instance at ``(d, r)``: the patterns and the CNN's initialisation."""

    d: int
    r: int
    n: int
    l: int
    k: int
    seed: int
    O: np.ndarray
    W0: np.ndarray
    a0: np.ndarray
    eta1: float

    def flat(self, idx: np.ndarray) -> np.ndarray:
        """The inputs ``x`` flattened into ``R^{nd}`` (Section 6)."""
        return self.O[idx].reshape(idx.shape[0], self.n * self.d)


@lru_cache(maxsize=4)
def problem(d: int, r: int, seed: int) -> Problem:
    """The instance of seed ``seed`` at ``(d, r)`` (streams ``(seed, STREAM, d, r, ...)``)."""
    fam = family(d, r)
    seed = check_seed("seed", seed)
    n, l, k = fam["n"], fam["l"], fam["k"]
    O = haar_patterns(d, l, generator(seed, STREAM, d, r, "patterns"))
    s = theorem_setting(d, l, n, k, 2, T1, seed)
    W0, a0 = initialise(k, d, s.r, generator(seed, STREAM, d, r, "init"))
    return Problem(d, r, n, l, k, seed, O, W0, a0, s.eta1)


def _distinct(idx: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, counts = np.unique(np.column_stack([idx, y.astype(np.int64)]), axis=0,
                             return_counts=True)
    return np.ascontiguousarray(rows[:, :-1]), rows[:, -1].astype(np.float64), counts


def _cnn(p: Problem, s1: tuple[np.ndarray, np.ndarray], s2: tuple[np.ndarray, np.ndarray]
         ) -> Predictor | None:
    idx1, y1, c1 = _distinct(*s1)
    P = first_layer_counts(p.W0, p.a0, p.O, idx1, y1, c1, eta1=p.eta1, T1=T1).P
    idx2, y2, _ = _distinct(*s2)
    Rk = np.ascontiguousarray(np.maximum(P, 0.0))
    sep = min_norm_separator(_pooled.pooled_features(np.ascontiguousarray(Rk.T), idx2), y2,
                             bias=False)
    if sep.status != "optimal":
        return None
    v = sep.v
    return lambda idx: network.classify(_pooled_numba.pooled_output(Rk, v, idx))


def _svm(p: Problem, idx: np.ndarray, y: np.ndarray) -> Predictor:
    sep = min_norm_separator(p.flat(idx), y, bias=False)
    if sep.status != "optimal":
        raise RuntimeError(f"SVM: the QP stopped with status {sep.status!r} on separable data")
    v = sep.v
    return lambda idx: network.classify(p.flat(idx) @ v)


def _mlp(p: Problem, idx: np.ndarray, y: np.ndarray, m: int) -> Predictor:
    data = Dataset(np.ascontiguousarray(p.O[idx]), y, idx)
    model = train_mlp(data, h=mlp_units_for(p.n, p.d, p.k),
                      rng=generator(p.seed, STREAM, p.d, p.r, "mlp", m))
    params = MLPParams(*model.params)
    return lambda idx: network.classify(mlp_forward(params, p.flat(idx)))


def _pools(p: Problem, learner: str, top: int) -> list[tuple[np.ndarray, np.ndarray]]:
    g = (p.seed, STREAM, p.d, p.r, learner)
    if learner == "CNN":
        half = (top + 1) // 2
        return [sample(p.n, p.l, half, generator(*g, "S1")),
                sample(p.n, p.l, half, generator(*g, "S2"))]
    return [sample(p.n, p.l, top, generator(*g, "pool"))]


def fit(learner: str, p: Problem, pools: list[tuple[np.ndarray, np.ndarray]], m: int
        ) -> Predictor | None:
    """``learner`` trained on the first ``m`` points of its ``pools`` (the CNN: ``ceil(m/2)``
    of ``S_1``, ``floor(m/2)`` of ``S_2``); ``None`` when the CNN's ``S_2`` is not separable."""
    if learner == "CNN":
        m1 = (m + 1) // 2
        (i1, y1), (i2, y2) = pools
        return _cnn(p, (i1[:m1], y1[:m1]), (i2[:m - m1], y2[:m - m1]))
    idx, y = pools[0]
    return _svm(p, idx[:m], y[:m]) if learner == "SVM" else _mlp(p, idx[:m], y[:m], m)


@lru_cache(maxsize=2)
def _support(n: int, l: int) -> tuple[np.ndarray, np.ndarray]:
    return enumerate_support(n, l, max_size=EXACT_SUPPORT)


def _decide(p: Problem, predict: Predictor | None, eps: float, mode: str) -> ErrorDecision:
    if mode == "exact":
        idx, y = _support(p.n, p.l)
        wrong = y.shape[0] if predict is None else int(np.sum(predict(idx) != y))
        return exact_decision(wrong, y.shape[0], eps)

    def count(a: int, b: int) -> int:
        idx, y = sample(p.n, p.l, b - a, generator(p.seed, STREAM, p.d, p.r, "test", a, b))
        return b - a if predict is None else int(np.sum(predict(idx) != y))

    return sequential_decision(count, eps)


def grid(top: int) -> tuple[int, ...]:
    """The coarse grid of sizes ``2, 4, ..., top`` (powers of 2); :func:`error_curve` refines
    the last step by its geometric midpoint.

    Examples
    --------
    >>> grid(64)
    (2, 4, 8, 16, 32, 64)
    """
    top = check_int("top", top, low=2)
    return tuple(2**j for j in range(1, top.bit_length()) if 2**j <= top)


def error_curve(learner: str, d: int, seed: int, ms: Sequence[int], *, r: int = 1,
                eps: float = 0.05, confirm: int = 2, refine: bool = True,
                mode: str = "monte-carlo") -> list[tuple[int, ErrorDecision]]:
    """``[(m, decision), ...]`` (increasing ``m``) of ``learner`` (one of :data:`LEARNERS`) at
    ``(d, r)`` and seed ``seed``: the decision "test error <= eps" at each size
    (:mod:`~verify.claims.sample_complexity.test_error`; ``mode`` one of :data:`MODES`).

    The sizes ``ms`` are walked upward until ``confirm`` consecutive ones are reached; then, with
    ``refine``, the geometric midpoint ``round(sqrt(a b))`` of the last size ``a`` not reached
    and the first reached ``b`` is decided too (so ``m_eps`` is read on a grid twice as fine
    near it). Sizes must be increasing and ``>= 2``; ``"exact"`` needs a support of at most
    ``EXACT_SUPPORT`` points."""
    if learner not in LEARNERS:
        raise ValueError(f"learner must be one of {LEARNERS}, got {learner!r}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    ms = [check_int("ms", m, low=2) for m in ms]
    if not ms or any(b <= a for a, b in itertools.pairwise(ms)):
        raise ValueError(f"ms must be a non-empty increasing sequence of sizes, got {ms!r}")
    eps = check_probability("eps", eps)
    confirm = check_int("confirm", confirm, low=1)
    fam = family(d, r)
    if mode == "exact" and support_size(fam["n"], fam["l"]) > EXACT_SUPPORT:
        raise ValueError(f"mode: 'exact' needs a support of at most {EXACT_SUPPORT:,} points; "
                         f"d = {d}, r = {r} has {support_size(fam['n'], fam['l']):,}")
    with one_thread():
        return _walk(learner, problem(d, r, seed), ms, eps, confirm, refine, mode)


def _walk(learner: str, p: Problem, ms: list[int], eps: float, confirm: int, refine: bool,
          mode: str) -> list[tuple[int, ErrorDecision]]:
    pools = _pools(p, learner, ms[-1])
    out: list[tuple[int, ErrorDecision]] = []
    run = 0
    for i, m in enumerate(ms):
        dec = _decide(p, fit(learner, p, pools, m), eps, mode)
        out.append((m, dec))
        run = run + 1 if dec.reached else 0
        if run >= confirm:
            first = i - confirm + 1
            if refine and first > 0:
                a, b = ms[first - 1], ms[first]
                mid = round((a * b) ** 0.5)
                if a < mid < b:
                    out.insert(first, (mid, _decide(p, fit(learner, p, pools, mid), eps, mode)))
            break
    return out
