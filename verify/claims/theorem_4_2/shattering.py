"""Theorem 4.2's construction (Section 4): the shattered set ``B``, the solution ``alpha`` of Eq. 5,
the filters and second layer, and :func:`check_shattering`, which realises labellings of ``B``
in floating point through the library's forward pass."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from verify._validate import check_array, check_int, check_seed, check_size
from verify.claims.section_5 import Part, combine
from verify.claims.theorem_4_2.statement import (
    _CHUNK_ELEMS,
    CLAIM,
    MAX_EXHAUSTIVE_N,
    STATEMENT,
    TOL,
)
from verify.evidence import Evidence, Verdict
from verify.evidence.ties import first_extreme
from verify.model import network
from verify.model.distribution import dense
from verify.model.patterns import haar_patterns, standard_patterns, validate_patterns
from verify.rng import generator


def _ok(flag: bool) -> Verdict:
    return Verdict.HOLDS if flag else Verdict.FAILS


def _last(last: object, N: int) -> np.ndarray:
    if isinstance(last, str):
        if last not in ("o1", "o2"):
            raise ValueError(f"last must be 'o1', 'o2' or a sequence of 1 and 2, got {last!r}")
        return np.full(N, 0 if last == "o1" else 1, dtype=np.int64)
    arr = np.asarray(last)
    if arr.shape != (N,) or not np.issubdtype(arr.dtype, np.integer) or not np.all(
        (arr == 1) | (arr == 2)
    ):
        raise ValueError(f"last must be 'o1', 'o2' or {N} entries in {{1, 2}} (one per x_I)")
    return arr.astype(np.int64) - 1


def _last_name(last: object) -> Any:
    return last if isinstance(last, str) else np.asarray(last).tolist()


def shattered_set(n: int, *, last: str | Sequence[int] = "o1") -> np.ndarray:
    """The set ``B`` of the proof of Theorem 4.2 as pattern indices, ``2^(n-1) x n``.

    ``last`` chooses ``x_I[n]``: ``"o1"``, ``"o2"`` or one of 1, 2 per ``x_I`` (the proof lets
    the choice be arbitrary). The patterns used are ``o_1..o_{2n}``: ``l = d = 2n``.

    Examples
    --------
    >>> shattered_set(3).tolist()  # rows I = 00, 01, 10, 11; 0-based pattern indices
    [[3, 5, 0], [3, 4, 0], [2, 5, 0], [2, 4, 0]]
    """
    n = check_int("n", n, low=2, high=30)
    N = 2 ** (n - 1)
    j = np.arange(1, n)
    bits = (np.arange(N)[:, None] >> (n - 1 - j)[None, :]) & 1  # I[j], I[1] most significant
    idx = np.empty((N, n), dtype=np.int64)
    idx[:, : n - 1] = np.where(bits == 1, 2 * j, 2 * j + 1)  # o_{2j+1} or o_{2j+2}, 0-based
    idx[:, n - 1] = _last(last, N)
    return idx


def in_support(idx: object, l: int) -> np.ndarray:
    """Whether each row of ``idx`` is a point of the support of D (Section 3) with ``l``
    patterns: ``o_1`` or ``o_2`` at exactly one position, spurious ``o_3..o_l`` elsewhere."""
    l = check_int("l", l, low=3)
    idx = check_array("idx", idx, ndim=2, dtype=int)
    disc = (idx == 0) | (idx == 1)
    spur = (idx >= 2) & (idx < l)
    return (disc.sum(axis=1) == 1) & np.all(disc | spur, axis=1)


def all_labellings(N: int) -> np.ndarray:
    """Every labelling of ``N`` points, ``2^N x N`` in {+1, -1}: row ``b`` labels point ``I``
    with ``+1`` iff bit ``I`` of ``b`` is set."""
    N = check_int("N", N, low=1, high=20)
    b = np.arange(2**N, dtype=np.int64)[:, None]
    return np.where((b >> np.arange(N)[None, :]) & 1, 1.0, -1.0)


def system_matrix(N: int) -> np.ndarray:
    """The matrix of Eq. 5: ``J - I`` (all ones minus the identity), ``N x N``."""
    N = check_size("N", N, low=1, high=10**4, why="an N x N float64 matrix")
    return np.ones((N, N)) - np.eye(N)


def _labels(y: object, name: str = "y") -> np.ndarray:
    y = np.asarray(y)
    if y.ndim not in (1, 2) or y.shape[-1] < 2:
        raise ValueError(f"{name} must be a labelling (N,) or labellings (L, N) with N >= 2, "
                         f"got shape {y.shape}")
    if not np.all((y == 1) | (y == -1)):
        raise ValueError(f"{name} must contain only +1 and -1")
    return np.ascontiguousarray(y, dtype=np.float64)


def solve_alpha(y: object) -> np.ndarray:
    """The solution of Eq. 5 for labels ``y`` (``(N,)`` or ``(L, N)``, rows in the order of
    :func:`shattered_set`): ``alpha_I = sum(y)/(N-1) - y_{I^c}``, i.e. ``(J/(N-1) - I) y^c``.

    Examples
    --------
    >>> solve_alpha([1.0, 1.0])  # N = 2: J - I is its own inverse
    array([1., 1.])
    """
    y = _labels(y)
    N = y.shape[-1]
    return y.sum(axis=-1, keepdims=True) / (N - 1) - y[..., ::-1]


def _patterns_for(n: int, patterns: object) -> np.ndarray:
    O = validate_patterns(patterns)
    if O.shape[1] != 2 * n:
        raise ValueError(f"patterns must live in R^d with d = 2n = {2 * n}, got d = {O.shape[1]}")
    if O.shape[0] != O.shape[1]:
        raise ValueError(f"patterns must have l = d = {2 * n} rows (B uses o_3..o_d), "
                         f"got l = {O.shape[0]}")
    return O


def _inputs(idx: object, patterns: object) -> tuple[np.ndarray, np.ndarray]:
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    idx = check_array("idx", idx, ndim=2, dtype=int)
    if idx.shape[0] < 2 or idx.shape[1] < 2:
        raise ValueError(f"idx must have at least 2 points and 2 positions, got {idx.shape}")
    if idx.min() < 0 or idx.max() >= O.shape[0]:
        raise ValueError(f"idx must hold pattern indices in [0, {O.shape[0] - 1}]")
    return idx, O


def _alpha(alpha: object, N: int, *, ndim: int) -> np.ndarray:
    if ndim not in (1, 2):
        raise ValueError(f"alpha must be (N,) or (L, N), got {np.ndim(alpha)} dimensions")
    alpha = check_array("alpha", alpha, ndim=ndim, dtype=float)
    if alpha.shape[-1] != N:
        raise ValueError(f"alpha must have last dimension N = |B| = {N}, got {alpha.shape}")
    return alpha


def filters(alpha: object, idx: object, patterns: object) -> np.ndarray:
    """``W`` of the proof for each row of ``alpha``: rows ``w^(I) = max(alpha_I, 0) s_I`` then
    ``u^(I) = max(-alpha_I, 0) s_I``, ``s_I = sum_{j<n} x_I[j]``; shape ``(..., 2N, d)``."""
    idx, O = _inputs(idx, patterns)
    alpha = _alpha(alpha, idx.shape[0], ndim=np.ndim(alpha))
    s = O[idx[:, :-1]].sum(axis=1)  # N x d
    pos = np.maximum(alpha, 0.0)[..., None] * s
    neg = np.maximum(-alpha, 0.0)[..., None] * s
    return np.concatenate([pos, neg], axis=-2)


def second_layer(N: int) -> np.ndarray:
    """``a = (1, ..., 1, -1, ..., -1)``, ``N`` of each."""
    N = check_size("N", N, low=1, high=2**28, why="a vector of 2N float64 values")
    return np.concatenate([np.ones(N), -np.ones(N)])


def outputs(alpha: object, idx: object, patterns: object) -> np.ndarray:
    """``N_CNN[(W, a)](x_I)`` (Eq. 1) for the network of each row of ``alpha`` (``L x N``), by
    the library's dense forward pass (:func:`verify.model.network.features`) on every labelling's
    filters stacked, in batches; ``N = sum_c a_c z_c`` per labelling."""
    idx, O = _inputs(idx, patterns)
    alpha = _alpha(np.atleast_2d(alpha), idx.shape[0], ndim=2)
    X = dense(idx, O)
    N = idx.shape[0]
    a = second_layer(N)
    per = max(1, _CHUNK_ELEMS // (2 * N * N))
    out = np.empty((alpha.shape[0], N))
    for s in range(0, alpha.shape[0], per):
        chunk = alpha[s : s + per]
        W = filters(chunk, idx, O).reshape(-1, O.shape[1])
        z = network.features(W, X)[0].reshape(N, chunk.shape[0], 2 * N)
        out[s : s + per] = (z * a).sum(axis=2).T
    return out


def _draw_patterns(n: int, patterns: object, seed: int) -> tuple[np.ndarray, str]:
    d = 2 * n
    if isinstance(patterns, str):
        if patterns == "standard":
            return standard_patterns(d, d), "standard"
        if patterns == "haar":
            return haar_patterns(d, d, generator(seed, "theorem-4.2", "patterns", n)), "haar"
        raise ValueError(f"patterns must be 'standard', 'haar' or an array, got {patterns!r}")
    return _patterns_for(n, patterns), "given"


def _draw_labellings(N: int, labellings: object, seed: int) -> tuple[np.ndarray, bool]:
    if labellings is None:
        if N > MAX_EXHAUSTIVE_N:
            raise ValueError(f"labellings: exhaustive only for |B| <= {MAX_EXHAUSTIVE_N} "
                             f"(n <= 5); pass a count of random labellings for |B| = {N}")
        return all_labellings(N), True
    if isinstance(labellings, (int, np.integer)) and not isinstance(labellings, bool):
        count = check_int("labellings", labellings, low=1)
        rng = generator(seed, "theorem-4.2", "labellings", N)
        return np.where(rng.integers(0, 2, size=(count, N)) == 1, 1.0, -1.0), False
    y = _labels(labellings, "labellings")
    y = np.atleast_2d(y)
    if y.shape[1] != N:
        raise ValueError(f"labellings must have N = |B| = {N} columns, got {y.shape[1]}")
    return y, False


def check_shattering(
    n: int,
    *,
    patterns: str | np.ndarray = "standard",
    last: str | Sequence[int] = "o1",
    labellings: int | np.ndarray | None = None,
    seed: int = 0,
    alpha: np.ndarray | None = None,
) -> Evidence:
    """Check, in floating point, that the network of the proof realises every labelling of ``B``.

    ``labellings``: ``None`` for all ``2^N`` (``n <= 5``), a count of uniform random ones (stream
    ``"theorem-4.2", "labellings", N``), or an ``L x N`` array. ``patterns``: ``"standard"``,
    ``"haar"`` (stream ``"theorem-4.2", "patterns", n``) or an orthonormal ``d x d`` array.
    ``alpha`` replaces the solution of Eq. 5 (a certificate to test the checker with). Parts:
    the smallest ``y_I N(x_I)`` (headline: it should be 1), misclassified labellings (``sign(0) =
    -1``), ``max |N(x_I) - y_I| <= TOL * scale``, ``B`` in the support, ``|B| = 2^(d/2-1)``
    distinct points, Eq. 5's residual, and agreement with :func:`verify.model.network.forward` and
    :func:`verify.model.network.forward_patterns` on sampled labellings.
    """
    n = check_int("n", n, low=2, high=12)
    seed = check_seed("seed", seed)
    d, N = 2 * n, 2 ** (n - 1)
    O, kind = _draw_patterns(n, patterns, seed)
    idx = shattered_set(n, last=last)
    Y, exhaustive = _draw_labellings(N, labellings, seed)
    A = solve_alpha(Y) if alpha is None else check_array("alpha", alpha, ndim=2, dtype=float)
    if A.shape != Y.shape:
        raise ValueError(f"alpha must have the labellings' shape {Y.shape}, got {A.shape}")
    out = outputs(A, idx, O)
    margin = Y * out
    wrong = network.classify(out) != Y
    bad_rows = np.flatnonzero(wrong.any(axis=1))
    err = np.abs(out - Y)
    scale = max(1.0, float(np.abs(A).sum(axis=1).max()) * math.sqrt(n - 1))
    tol = TOL * scale
    # Eq. 5 as written, sum_{I' != I} alpha_I' = y_{I^c} (no BLAS call: its spinning threads
    # would slow the Numba kernels that follow, see benchmarks/README.md)
    resid = float(np.abs(A.sum(axis=1, keepdims=True) - A - Y[:, ::-1]).max())
    # the batched features against the library's own forward passes, on a few labellings
    probe = sorted({0, Y.shape[0] - 1, first_extreme(margin.min(axis=1), "min", tol),
                    *generator(seed, "theorem-4.2", "probe", n).integers(0, Y.shape[0], 6)})
    X, a = dense(idx, O), second_layer(N)
    gap_dense = gap_pattern = 0.0
    for r in probe:
        W = filters(A[r], idx, O)
        gap_dense = max(gap_dense, float(np.abs(network.forward(W, a, X) - out[r]).max()))
        gap_pattern = max(gap_pattern, float(
            np.abs(network.forward_patterns(W, a, O, idx) - out[r]).max()))
    outside = int((~in_support(idx, d)).sum())
    distinct = len(np.unique(idx, axis=0))
    # the first position within the tolerance of the worst is named (verify.evidence.ties)
    i_worst = np.unravel_index(first_extreme(margin, "min", tol), margin.shape)
    i_err = np.unravel_index(first_extreme(err, "max", tol), err.shape)
    parts = [
        Part("min y_I N(x_I) > 0", float(margin.min()), 0.0, False, 1.0, "1", tol,
             where={"labelling": int(i_worst[0]), "I": int(i_worst[1])}),
        Part("misclassified labellings = 0", float(bad_rows.size), 0.0, True,
             verdict_override=_ok(bad_rows.size == 0),
             where=None if not bad_rows.size else {
                 "labelling": int(bad_rows[0]), "y": Y[bad_rows[0]].tolist(),
                 "N": out[bad_rows[0]].tolist()}),
        Part("|N(x_I) - y_I| <= tol", float(err.max()), tol, True, tol, "tol", 0.0,
             where={"labelling": int(i_err[0]), "I": int(i_err[1])},
             verdict_override=_ok(float(err.max()) <= tol)),
        Part("B in the support of D", float(outside), 0.0, True, verdict_override=_ok(not outside)),
        Part("|B| = 2^(d/2-1) distinct points", float(distinct), float(N), False,
             verdict_override=_ok(distinct == N)),
        Part("Eq. 5 residual", resid, tol, True, tol, "tol", 0.0,
             verdict_override=_ok(resid <= tol)),
        Part("forward / forward_patterns agree", max(gap_dense, gap_pattern), tol, True, tol,
             "tol", 0.0, verdict_override=_ok(max(gap_dense, gap_pattern) <= tol)),
    ]
    details = {
        "n": n, "d": d, "B_size": N, "labellings_checked": int(Y.shape[0]),
        "labellings_total": 2**N, "exhaustive": exhaustive,
        "misclassified_labellings": int(bad_rows.size),
        "misclassified_pairs": int(wrong.sum()),
        "min_abs_N": float(np.abs(out).min()), "min_margin": float(margin.min()),
        "max_abs_N_minus_y": float(err.max()), "tolerance": tol, "scale": scale,
        "tolerance_note": "1e-12 * max(1, max ||alpha||_1 sqrt(n-1)): rounding only",
        "max_alpha_l1": float(np.abs(A).sum(axis=1).max()),
        "eq5_residual": resid, "forward_gap_dense": gap_dense, "forward_gap_pattern": gap_pattern,
        "probed_labellings": [int(r) for r in probe], "alpha_given": alpha is not None,
        "B": idx.tolist() if N <= 16 else None,
    }
    params = {"n": n, "d": d, "l": d, "patterns": kind, "last": _last_name(last),
              "labellings": "all" if exhaustive else int(Y.shape[0]), "seed": seed}
    pat = repr(kind) if isinstance(patterns, str) else "<array>"
    lab = "None" if exhaustive else (
        str(Y.shape[0]) if isinstance(labellings, (int, np.integer)) else "<array>")
    reproduce = ("from verify.claims.theorem_4_2 import check_shattering; "
                 f"print(check_shattering({n}, "
                 f"patterns={pat}, last={_last_name(last)!r}, labellings={lab}, seed={seed})"
                 ".summary())")
    return combine(CLAIM, STATEMENT, parts, params=params,
                   assumptions={"d=2n": True, "l=d": True}, reproduce=reproduce, details=details)
