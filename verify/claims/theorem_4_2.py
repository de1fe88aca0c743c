"""Theorem 4.2 (Section 4): ``VCdim(H_CNN(X)) >= 2^(d/2 - 1)`` when ``d = 2n``, ``n >= 2``.

The proof shatters a set ``B`` of ``N = 2^(n-1)`` points of the support ``X`` of D. Rows of every
array below are indexed by ``I in {0,1}^(n-1)`` read as a binary number with ``I[1]`` the most
significant bit, so the complement ``I^c`` of row ``r`` is row ``N - 1 - r``:

- :func:`shattered_set`: ``x_I[j] = o_{2j+1}`` if ``I[j] = 1`` else ``o_{2j+2}`` (``j < n``) and
  ``x_I[n] = o_1`` or ``o_2``, in pattern-index form (0-based: ``o_i`` is index ``i - 1``);
- :func:`solve_alpha`: the solution of Eq. 5, ``sum_{I' != I} alpha_{I'} = y_{I^c}``, in closed
  form ``alpha = (J/(N-1) - I) y^c`` (the matrix of Eq. 5 is ``J - I``; Sherman-Morrison);
- :func:`filters`: ``w^(I) = max(alpha_I, 0) s_I``, ``u^(I) = max(-alpha_I, 0) s_I`` with
  ``s_I = sum_{j<n} x_I[j]``; ``a = (1, ..., 1, -1, ..., -1)`` (:func:`second_layer`);
- :func:`outputs`: ``N(x_I)`` for many labellings at once, through the library's forward pass
  (:func:`verify.model.network.features` on all the labellings' filters stacked).

Checkers: :func:`check_shattering` (floating point, every labelling or drawn ones, standard or
Haar patterns), :func:`check_exact` (SymPy rationals, standard or exactly orthonormal rational
patterns), :func:`check_system_inverse` (``J - I`` invertible for symbolic ``N``) and
:func:`check_vc_dimension`, which settles the claim for every ``l``: ``N_CNN(x)`` depends on
``x`` only through its set of patterns, and every labelling of distinct sets is realised, so
``VCdim(H_CNN(X))`` is the number of pattern sets (:func:`pattern_set_count`), below
``2^(d/2-1)`` exactly when ``l <= d/2``. The proof uses ``l = d`` (``o_3..o_{2n}``), which
Section 3 does not grant: the theorem as stated is false for small ``l`` (see :func:`errata`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp
from sympy import QQ, ZZ
from sympy.polys.matrices import DomainMatrix

from verify._validate import check_array, check_int, check_seed
from verify.claims.section_5 import PROFILES, Part, combine
from verify.evidence import Erratum, Evidence, Verdict
from verify.model import network
from verify.model.distribution import dense, enumerate_support, support_size
from verify.model.patterns import haar_patterns, standard_patterns, validate_patterns
from verify.model.setting import Setting
from verify.rng import generator

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "MAX_CERTIFIED",
    "MAX_EXHAUSTIVE_N",
    "STATEMENT",
    "TOL",
    "all_labellings",
    "cayley_patterns",
    "check_exact",
    "check_setting",
    "check_shattering",
    "check_system_inverse",
    "check_vc_dimension",
    "errata",
    "filters",
    "in_support",
    "outputs",
    "pattern_set_count",
    "pattern_set_representatives",
    "report_checks",
    "second_layer",
    "shattered_set",
    "solve_alpha",
    "system_matrix",
]

CLAIM = "Theorem 4.2"
STATEMENT = ("If d = 2n and n >= 2 then VCdim(H_CNN(X)) >= 2^(d/2-1), X = supp D: the proof's set "
             "B is shattered")
ASSUMPTIONS = ("d=2n",)
TOL = 1e-12  # relative to the scale max ||alpha||_1 sqrt(n-1) of a network's output
MAX_EXHAUSTIVE_N = 16  # |B| = 2^(n-1) <= 16 (n <= 5): 65,536 labellings
_CHUNK_ELEMS = 1 << 21  # features per batch of labellings (16 MB)


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
    N = check_int("N", N, low=1)
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
    N = check_int("N", N, low=1)
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
    probe = sorted({0, Y.shape[0] - 1, int(np.argmin(margin.min(axis=1))),
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
    i_worst = np.unravel_index(int(np.argmin(margin)), margin.shape)
    i_err = np.unravel_index(int(np.argmax(err)), err.shape)
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
    reproduce = (f"from verify.claims.theorem_4_2 import check_shattering; print(check_shattering({n}, "
                 f"patterns={pat}, last={_last_name(last)!r}, labellings={lab}, seed={seed})"
                 ".summary())")
    return combine(CLAIM, STATEMENT, parts, params=params,
                   assumptions={"d=2n": True, "l=d": True}, reproduce=reproduce, details=details)


# ----------------------------------------------------------------------------- exact (SymPy)


def cayley_patterns(d: int, rng: np.random.Generator, *, max_entry: int = 2) -> sp.Matrix:
    """``d`` exactly orthonormal rational patterns in R^d (rows of a SymPy Matrix): the Cayley
    transform ``(I - K)(I + K)^(-1)`` of a random skew-symmetric integer ``K`` (entries in
    ``[-max_entry, max_entry]``), orthogonal because ``K`` is skew."""
    d = check_int("d", d, low=1, high=64)
    max_entry = check_int("max_entry", max_entry, low=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    upper = np.triu(rng.integers(-max_entry, max_entry + 1, size=(d, d)), 1)
    K = DomainMatrix([[QQ(int(v)) for v in row] for row in upper - upper.T], (d, d), QQ)
    eye = DomainMatrix.eye(d, QQ)
    return ((eye - K) * (eye + K).inv()).to_Matrix()


def _exact_patterns(n: int, patterns: str, seed: int) -> DomainMatrix:
    d = 2 * n
    if patterns == "standard":
        return DomainMatrix.eye(d, QQ)
    if patterns == "cayley":
        Q = cayley_patterns(d, generator(seed, "theorem-4.2", "cayley", n))
        return DomainMatrix.from_Matrix(Q).convert_to(QQ)
    raise ValueError(f"patterns must be 'standard' or 'cayley', got {patterns!r}")


def check_exact(
    n: int,
    *,
    patterns: str = "standard",
    last: str | Sequence[int] = "o1",
    labellings: int | np.ndarray | None = None,
    seed: int = 0,
    alpha: Sequence[Sequence[object]] | None = None,
) -> Evidence:
    """Theorem 4.2's construction in exact rational arithmetic (SymPy ``DomainMatrix`` over
    QQ): Eq. 5 solved by exact LU for every labelling (and compared with the closed form),
    ``W`` built, and Eq. 1 evaluated exactly on ``B``; ``N(x_I) = y_I`` must hold with
    equality. ``patterns``: ``"standard"`` or ``"cayley"`` (:func:`cayley_patterns`, checked
    exactly orthonormal). ``labellings`` as in :func:`check_shattering` (all for ``n <= 4``);
    ``alpha`` (``L x N`` rationals: ints, ``Fraction`` or strings such as ``"1/3"``) replaces the
    solution of Eq. 5 in ``W`` (to test the checker with)."""
    n = check_int("n", n, low=2, high=6)
    seed = check_seed("seed", seed)
    d, N = 2 * n, 2 ** (n - 1)
    O = _exact_patterns(n, patterns, seed)
    orth = _same(O * O.transpose(), DomainMatrix.eye(d, QQ))
    idx = shattered_set(n, last=last)
    if labellings is None and N > 8:
        raise ValueError("labellings: pass a count or an array for n >= 5 (exact is slow)")
    Y, exhaustive = _draw_labellings(N, labellings, seed)
    L = Y.shape[0]
    M = DomainMatrix([[QQ(int(i != j)) for j in range(N)] for i in range(N)], (N, N), QQ)
    Yc = DomainMatrix([[QQ(int(v)) for v in row] for row in Y[:, ::-1].T], (N, L), QQ)
    A = M.lu_solve(Yc).to_list()  # N x L: alpha_I for each labelling
    closed = [[QQ(int(Y[c].sum()), N - 1) - QQ(int(Y[c, N - 1 - i])) for c in range(L)]
              for i in range(N)]
    closed_ok = closed == A
    if alpha is not None:
        A = _rational_alpha(alpha, L, N)
    rows = O.to_list()
    s = [[sum((rows[p][c] for p in idx[i, :-1]), QQ(0)) for c in range(d)] for i in range(N)]
    W = []
    for c in range(L):
        W += [[max(A[i][c], QQ(0)) * v for v in s[i]] for i in range(N)]
        W += [[max(-A[i][c], QQ(0)) * v for v in s[i]] for i in range(N)]
    Xcols = DomainMatrix([[rows[p][c] for p in idx.ravel()] for c in range(d)], (d, N * n), QQ)
    dots = (DomainMatrix(W, (2 * N * L, d), QQ).to_sparse() * Xcols.to_sparse()).to_list()
    zero, mism, margin, first, at = QQ(0), 0, None, None, None
    for c in range(L):
        for i in range(N):
            out = zero
            for ch in range(2 * N):
                row = dots[c * 2 * N + ch]
                z = max(zero, *row[i * n : (i + 1) * n])  # Eq. 1: max_j relu(w . x_I[j])
                out = out + z if ch < N else out - z
            yi = QQ(int(Y[c, i]))
            if out != yi:
                mism += 1
                first = first or {"labelling": c, "I": i, "N": str(out), "y": int(Y[c, i])}
            m = out * yi
            if margin is None or m < margin:
                margin, at = m, {"labelling": c, "I": i}
    outside = int((~in_support(idx, d)).sum())
    parts = [
        Part("min y_I N(x_I) > 0 (exact)", float(sp.Rational(margin.numerator,
             margin.denominator)), 0.0, False, tolerance=0.0, where=at),
        Part("N(x_I) = y_I exactly", float(mism), 0.0, True, where=first,
             verdict_override=_ok(mism == 0)),
        Part("LU solution of Eq. 5 = closed form", float(not closed_ok), 0.0, True,
             verdict_override=_ok(closed_ok)),
        Part("patterns exactly orthonormal", float(not orth), 0.0, True,
             verdict_override=_ok(orth)),
        Part("B in the support of D", float(outside), 0.0, True, verdict_override=_ok(not outside)),
    ]
    details = {"n": n, "d": d, "B_size": N, "labellings_checked": L, "exhaustive": exhaustive,
               "mismatches": mism, "arithmetic": "SymPy DomainMatrix over QQ (exact)",
               "min_margin": str(margin), "alpha_given": alpha is not None}
    params = {"n": n, "d": d, "l": d, "patterns": patterns, "last": _last_name(last),
              "labellings": "all" if exhaustive else L, "seed": seed}
    lab = "None" if exhaustive else (str(L) if isinstance(labellings, (int, np.integer))
                                     else "<array>")
    reproduce = (f"from verify.claims.theorem_4_2 import check_exact; print(check_exact({n}, "
                 f"patterns={patterns!r}, last={_last_name(last)!r}, labellings={lab}, "
                 f"seed={seed}).summary())")
    return combine(CLAIM, STATEMENT, parts, params=params,
                   assumptions={"d=2n": True, "l=d": True}, reproduce=reproduce, details=details)


def _rational_alpha(alpha: object, L: int, N: int) -> list[list[Any]]:
    """``alpha`` (``L x N`` rationals) transposed to ``N x L`` elements of QQ."""
    try:
        rows = [[sp.Rational(v if not isinstance(v, float) else str(v)) for v in row]
                for row in alpha]  # type: ignore[union-attr]
    except (TypeError, ValueError, sp.SympifyError) as exc:
        raise ValueError(f"alpha must be an L x N array of rationals: {exc}") from None
    if len(rows) != L or any(len(r) != N for r in rows):
        raise ValueError(f"alpha must have the labellings' shape ({L}, {N})")
    return [[QQ(int(rows[c][i].p), int(rows[c][i].q)) for c in range(L)] for i in range(N)]


def _same(a: DomainMatrix, b: DomainMatrix) -> bool:
    """Entrywise equality (``DomainMatrix.__eq__`` also compares the dense/sparse format)."""
    return a.shape == b.shape and a.to_Matrix() == b.to_Matrix()


def _scalar(term: sp.Expr) -> sp.Expr:
    """The scalar factor of a (possibly nested) ``MatMul``."""
    out = sp.Integer(1)
    for arg in term.args:
        if isinstance(arg, sp.MatMul):
            out *= _scalar(arg)
        elif not arg.is_Matrix:
            out *= arg
    return out


def _pq_mul(x: tuple, y: tuple, N: sp.Symbol) -> tuple:
    """``(p1 I + q1 J)(p2 I + q2 J)`` with ``J^2 = N J``."""
    return (x[0] * y[0], x[0] * y[1] + x[1] * y[0] + x[1] * y[1] * N)


def check_system_inverse(
    sizes: Sequence[int] = (*range(2, 17), 32, 64, 128),
    *,
    candidate: tuple[str, str] = ("-1", "1/(N - 1)"),
) -> Evidence:
    """Eq. 5 has a unique solution for every ``n >= 2``: for symbolic ``N = 2^(n-1)``,
    ``(J - I)(J/(N-1) - I) = I`` in the algebra spanned by ``I`` and ``J`` (``J^2 = N J``), in
    both orders and by SymPy's matrix expressions; Sherman-Morrison with ``A = -I`` and
    ``u v^T = J`` gives that inverse; ``det(J - I) = (-1)^(N-1) (N-1)`` by the matrix
    determinant lemma, non-zero for ``N >= 2`` (zero at ``N = 1``, i.e. ``n = 1``). Each identity
    is also checked exactly (rationals) at every size in ``sizes``. ``candidate`` is the
    inverse ``p I + q J`` to check, as SymPy expressions in ``N`` (the default is the paper's,
    via Sherman-Morrison; another one shows the checker failing)."""
    sizes = [check_int("sizes", s, low=2, high=256) for s in sizes]
    if not sizes:
        raise ValueError("sizes must not be empty")
    N = sp.Symbol("N", integer=True, positive=True)
    try:
        inv = tuple(sp.sympify(c, locals={"N": N}) for c in candidate)
    except (sp.SympifyError, TypeError) as exc:
        raise ValueError(f"candidate must be two SymPy expressions in N: {exc}") from None
    if len(inv) != 2 or not all(e.free_symbols <= {N} for e in inv):
        raise ValueError(f"candidate must be two SymPy expressions in N, got {candidate!r}")
    M = (-1, 1)
    right = [sp.simplify(v - e) == 0 for v, e in zip(_pq_mul(M, inv, N), (1, 0), strict=True)]
    left = [sp.simplify(v - e) == 0 for v, e in zip(_pq_mul(inv, M, N), (1, 0), strict=True)]
    J, Id = sp.OneMatrix(N, N), sp.Identity(N)
    terms = sp.expand((J - Id) * (inv[0] * Id + inv[1] * J)).args
    coeff_J = sum((_scalar(t) for t in terms if t.has(sp.OneMatrix)), sp.Integer(0))
    expr_ok = sp.simplify(coeff_J) == 0 and Id in terms
    # Sherman-Morrison: (A + u v^T)^-1 = A^-1 - A^-1 u v^T A^-1 / (1 + v^T A^-1 u), A = -I
    sm = (sp.Integer(-1), -1 / (1 + (-N)))  # A^-1 u v^T A^-1 = J, v^T A^-1 u = -N
    sm_ok = all(sp.simplify(a - b) == 0 for a, b in zip(sm, inv, strict=True))
    det_lemma = (-1) ** N * (1 + (-N))  # det(A) (1 + v^T A^-1 u)
    det_ok = sp.simplify(det_lemma - (-1) ** (N - 1) * (N - 1)) == 0
    exact_bad, dets = [], []
    for s in sizes:
        ones = DomainMatrix([[ZZ(1)] * s for _ in range(s)], (s, s), ZZ)
        eye = DomainMatrix.eye(s, ZZ)
        det = (ones - eye).det()
        dets.append(abs(int(det)))
        p, q = (sp.Rational(e.subs(N, s)) for e in inv)
        den = math.lcm(int(p.q), int(q.q))  # integer arithmetic: (J - I)(den cand) = den I
        cand = eye * ZZ(int(p * den)) + ones * ZZ(int(q * den))
        if not _same((ones - eye) * cand, eye * ZZ(den)) or det != (-1) ** (s - 1) * (s - 1):
            exact_bad.append(s)
    symbolic = all(right) and all(left) and expr_ok
    parts = [
        Part("|det(J - I)| = N - 1 >= 1 for N >= 2", float(min(dets)), 0.0, False,
             tolerance=0.0, where={"N": sizes[int(np.argmin(dets))]}),
        Part("(J - I)(J/(N-1) - I) = I (symbolic N)", float(not symbolic), 0.0, True,
             verdict_override=_ok(symbolic)),
        Part("Sherman-Morrison gives J/(N-1) - I", float(not sm_ok), 0.0, True,
             verdict_override=_ok(sm_ok)),
        Part("det(J - I) = (-1)^(N-1) (N-1) (determinant lemma)", float(not det_ok), 0.0, True,
             verdict_override=_ok(det_ok)),
        Part("exact at each size", float(len(exact_bad)), 0.0, True, where=exact_bad or None,
             verdict_override=_ok(not exact_bad)),
    ]
    details = {"method": "algebra {p I + q J} with J^2 = N J; sympy.expand of OneMatrix/"
               "Identity expressions; Sherman-Morrison; matrix determinant lemma; exact "
               "integer matrices", "sizes": sizes, "n=1": "N = 1: J - I = 0 is singular, so "
               "the proof needs n >= 2 (as stated)"}
    return combine(CLAIM, STATEMENT, parts,
                   params={"sizes": sizes, "candidate": [str(e) for e in inv]},
                   assumptions={"d=2n": True}, details=details,
                   reproduce="from verify.claims.theorem_4_2 import check_system_inverse; "
                   f"print(check_system_inverse({list(sizes)!r}, candidate={tuple(candidate)!r})"
                   ".summary())")


# ----------------------------------------------------------------------------- any l: exact VCdim


def pattern_set_count(n: int, l: int) -> int:
    """The number of distinct pattern sets ``P(x)`` over the support of D: ``o_1`` or ``o_2``
    with a non-empty set of at most ``n - 1`` spurious patterns (``2`` when ``n = 1``). It is
    ``VCdim(H_CNN(X))`` (:func:`check_vc_dimension`).

    Examples
    --------
    >>> pattern_set_count(3, 3), pattern_set_count(4, 4), pattern_set_count(3, 6)
    (2, 6, 20)
    """
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    if n == 1:
        return 2
    return 2 * sum(math.comb(l - 2, s) for s in range(1, min(n - 1, l - 2) + 1))


def pattern_set_representatives(n: int, l: int) -> np.ndarray:
    """One point of the support of D per pattern set, ``pattern_set_count(n, l) x n`` pattern
    indices, ordered by the size of the set: ``(o_disc, t_1, ..., t_s, t_s, ..., t_s)``."""
    n = check_int("n", n, low=1, high=30)
    l = check_int("l", l, low=3)
    if n == 1:
        return np.array([[0], [1]], dtype=np.int64)
    rows = [[disc, *T, *[T[-1]] * (n - 1 - len(T))]
            for s in range(1, min(n - 1, l - 2) + 1)
            for disc in (0, 1) for T in itertools.combinations(range(2, l), s)]
    return np.array(rows, dtype=np.int64)


MAX_CERTIFIED = 2000  # pattern sets certified shattered (an m x m matrix)


def check_vc_dimension(
    n: int, l: int, *, d: int | None = None, seed: int = 0, labellings: int = 8
) -> Evidence:
    """``VCdim(H_CNN(X))`` for ``n`` positions and ``l`` patterns in R^d (``d = 2n`` unless
    given; the VC dimension does not depend on ``d``), exactly, against ``2^(d/2-1)``.

    Upper bound: ``N_CNN(x)`` depends on ``x`` only through its pattern set (Eq. 1 takes a max
    over positions), so ``VCdim <= m = pattern_set_count(n, l)``. Lower bound: one point per
    set (:func:`pattern_set_representatives`, standard patterns) and ``m + 1`` filters, ``w_0 =
    sum_p o_p`` and ``w_U = sum_{p not in U} o_p`` for each set ``U``; the library's features
    (:func:`verify.model.network.features`) are ``z_0 = 1`` and ``z_U(x_P) = 1 - [P ⊆ U]``; the
    inclusion matrix ``[P ⊆ U]`` is unitriangular (sets ordered by size), so every labelling is
    ``N = sum_i a_i z_i`` for some integer ``a``: the representatives are shattered (certified
    for the first ``MAX_CERTIFIED``; H_CNN has any number of channels, footnote 2). ``labellings``
    drawn labellings are realised with that ``a`` through :func:`verify.model.network.forward`. Where
    the support has at most 200,000 points, it is enumerated: the count is checked, and random
    networks are shown constant (bit for bit) on each pattern set."""
    n = check_int("n", n, low=1, high=30)
    d = 2 * n if d is None else check_int("d", d, low=3, high=64)
    l = check_int("l", l, low=3, high=d)
    seed = check_seed("seed", seed)
    labellings = check_int("labellings", labellings, low=0)
    m, bound = pattern_set_count(n, l), 2.0 ** (d / 2 - 1)
    reps = pattern_set_representatives(n, l)[:MAX_CERTIFIED]
    c = reps.shape[0]
    O = standard_patterns(d, l)
    member = np.zeros((c, l), dtype=bool)
    member[np.arange(c)[:, None], reps] = True
    W = np.vstack([O.sum(axis=0), (~member).astype(np.float64) @ O])  # w_0, then w_U
    X = dense(reps, O)
    Z = network.features(W, X)[0]
    incl = 1.0 - Z[:, 1:]  # [P ⊆ U]
    unitri = bool(np.all(Z[:, 0] == 1.0) and np.all(np.isin(incl, (0.0, 1.0)))
                  and np.all(np.diag(incl) == 1.0) and not np.tril(incl, -1).any())
    rng = generator(seed, "theorem-4.2", "vc", n, l)
    worst = 0.0
    for _ in range(labellings if unitri else 0):
        y = rng.choice([-1.0, 1.0], size=c)
        coef = np.zeros(c)  # incl @ coef = y, back substitution (integers)
        for i in range(c - 1, -1, -1):
            coef[i] = y[i] - incl[i, i + 1 :] @ coef[i + 1 :]
        a = np.concatenate([[coef.sum()], -coef])  # sum_U coef_U [P ⊆ U] = N
        worst = max(worst, float(np.abs(network.forward(W, a, X) - y).max()))
    certified = c if unitri else 0
    # observed: VCdim when certified in full (it is then m), else the certified lower bound;
    # below the bound, m (an upper bound) already decides
    observed = m if m < bound else certified
    parts = [Part("VCdim(H_CNN(X)) >= 2^(d/2-1)", float(observed), float(bound), False,
                  tolerance=0.0, extra={"upper_bound_m": m, "certified_shattered": certified})]
    parts.append(Part("inclusion matrix unitriangular (exact)", float(not unitri), 0.0, True,
                      verdict_override=_ok(unitri)))
    parts.append(Part("drawn labellings realised exactly", worst, 0.0, True,
                      verdict_override=_ok(worst == 0.0)))
    enumerated = support_size(n, l) <= 200_000
    spread = None
    if enumerated:
        idx, _ = enumerate_support(n, l)
        classes: dict[frozenset, list[int]] = {}
        for r, row in enumerate(idx.tolist()):
            classes.setdefault(frozenset(row), []).append(r)
        parts.append(Part("#pattern sets by enumeration", float(len(classes)), float(m), False,
                          verdict_override=_ok(len(classes) == m)))
        Xs = dense(idx, haar_patterns(d, l, rng))
        spread = 0.0
        for _ in range(4):
            out = network.forward(rng.standard_normal((8, d)), rng.choice([-1.0, 1.0], 8), Xs)
            spread = max(spread, max(float(np.ptp(out[rows])) for rows in classes.values()))
        parts.append(Part("N constant on each pattern set", spread, 0.0, True,
                          verdict_override=_ok(spread == 0.0)))
    details = {"vc_dimension": m if certified == m else None, "pattern_sets": m,
               "certified_shattered": certified, "bound": bound,
               "support_size": support_size(n, l), "enumerated": enumerated,
               "max_spread_within_a_set": spread, "labellings_realised": labellings,
               "holds_iff": "l >= n + 1 = d/2 + 1 (d = 2n, n >= 2)",
               "why": "N(x) depends only on the set P(x) (VCdim <= m); the filters sum_{p not in "
               "U} o_p give features 1 - [P ⊆ U], whose unitriangular inclusion matrix spans "
               "every labelling (VCdim >= m)"}
    return combine(CLAIM, STATEMENT, parts, params={"n": n, "d": d, "l": l, "seed": seed},
                   assumptions={"d=2n": d == 2 * n and n >= 2, "l=d": l == d},
                   details=details,
                   reproduce=f"from verify.claims.theorem_4_2 import check_vc_dimension; "
                   f"print(check_vc_dimension({n}, {l}, d={d}, seed={seed}).summary())")


def check_setting(setting: Setting) -> Evidence:
    """:func:`check_vc_dimension` for a setting's ``(n, l, d)`` (for the fuzzing: outside
    ``d = 2n`` the bound ``2^(d/2-1)`` grows with ``d`` while the VC dimension does not)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    return check_vc_dimension(setting.n, setting.l, d=setting.d, seed=setting.seed)


def _refuted(n_max: int = 8) -> list[tuple[int, int, int]]:
    """``(n, l, VCdim)`` with ``d = 2n``, ``n <= n_max``, where the theorem fails."""
    return [(n, l, pattern_set_count(n, l)) for n in range(2, n_max + 1)
            for l in range(3, 2 * n + 1) if pattern_set_count(n, l) < 2 ** (n - 1)]
def errata() -> list[Erratum]:
    """What Theorem 4.2's text gets wrong (evidence computed now, exactly)."""
    refuted = _refuted()
    first = min(refuted, key=lambda r: (2 * r[0], r[1]))
    table = ", ".join(f"(n={n}, l={l}): {c} < {2 ** (n - 1)}" for n, l, c in refuted)
    exact = ", ".join(f"d={2 * n}: {pattern_set_count(n, 2 * n)}" for n in range(2, 9))
    return [
        Erratum(
            location="Theorem 4.2 (Section 4) and Section 3 (3 <= l <= d)",
            kind="false-claim",
            text_says="Assume that d = 2n and n >= 2, then VCdim(H_CNN(X)) >= 2^(d/2-1), X the "
            "support of D (Section 3 allows any 3 <= l <= d patterns)",
            what_is_true="N_CNN(x) depends on x only through its set of patterns P(x), and H_CNN "
            "(any number of channels) realises every labelling of distinct pattern sets, so "
            "VCdim(H_CNN(X)) = 2 sum_{s=1}^{min(n-1,l-2)} C(l-2,s) exactly; this is >= "
            "2^(d/2-1) iff l >= d/2 + 1. The theorem is false for 3 <= l <= d/2 (n >= 3); "
            f"smallest counterexample d = {2 * first[0]}, l = {first[1]}: X has 2 pattern sets "
            "({o1,o3}, {o2,o3}), VCdim = 2 < 4. The statement needs l > d/2 (its proof, l = d)",
            evidence=f"VCdim below 2^(d/2-1) for n <= 8: {table}; check_vc_dimension(3, 3) "
            "FAILS and check_vc_dimension(3, 4) HOLDS (VCdim 6): upper bound by enumerating the "
            "support with N shown constant on each pattern set, lower bound by an exact "
            "unitriangular certificate and realised labellings",
            found_by="verify.claims.theorem_4_2",
        ),
        Erratum(
            location="Theorem 4.2 (Section 4)",
            kind="loose",
            text_says="VCdim(H_CNN(X)) >= 2^(d/2-1) (the proof shatters 2^(n-1) points)",
            what_is_true="for l = d, VCdim(H_CNN(X)) = 2 sum_{s=1}^{n-1} C(d-2,s) = "
            "2^(d-2) + C(d-2, d/2-1) - 2, between 2^(d-2) and 2^(d-1): exponential in d with "
            "exponent about d, not d/2 (the paper's conclusion holds, more strongly)",
            evidence=f"exact VCdim at l = d: {exact} (vs 2^(d/2-1) = 2, 4, ..., 128); "
            "check_vc_dimension(5, 10) certifies 324 shattered points at d = 10",
            found_by="verify.claims.theorem_4_2",
        ),
        Erratum(
            location="Proof of Theorem 4.2 (Section 4), first paragraph",
            kind="missing-assumption",
            text_says="We note that the inclusion B ⊆ X will hold for any eps_i > 0, 1 <= i <= d; "
            "x_I[j] = I[j] o_{2j+1} + (1 - I[j]) o_{2j+2} for 1 <= j <= n-1",
            what_is_true="no eps_i appear in this version's D (a leftover of a variant where "
            "every o_i, i <= d, has probability eps_i > 0). B uses o_3, ..., o_{2n} = o_d as "
            "spurious patterns, so B ⊆ X needs l = d, which Section 3 does not grant",
            evidence="shattered_set(n) uses pattern indices up to d - 1; in_support(B, l) is "
            "False for l < d",
            found_by="verify.claims.theorem_4_2",
        ),
        Erratum(
            location="Proof of Theorem 4.2, the display after Eq. 5, first line",
            kind="typo",
            text_says="N_CNN[theta](x_I) = sum_{I'} [max_j sigma(w^(I') . x[j]) - max_j "
            "sigma(u^(I') . x[j])]",
            what_is_true="x_I[j] for x[j]; with it every step holds as written, including "
            "the index I^c in Eq. 5 (sum_{I' != I^c} alpha_I' = y_I is Eq. 5 at I^c)",
            evidence="check_shattering: N(x_I) = y_I for every labelling, n = 2..5, and "
            "exactly (SymPy) for n <= 4",
            found_by="verify.claims.theorem_4_2",
        ),
    ]


_REPORT = {
    # (n, patterns, last, labellings): exhaustive for n <= 5, drawn for n >= 6
    "quick": {
        "float": [(n, p, la, None) for n in (2, 3, 4) for p in ("standard", "haar")
                  for la in ("o1", "o2")] + [(5, "standard", "o1", None), (5, "haar", "o2", None)],
        "exact": [(2, "standard", "o1", None), (2, "standard", "o2", None),
                  (3, "standard", "o1", None), (3, "cayley", "o2", None)],
    },
    "standard": {
        "float": [(n, p, la, None) for n in (2, 3, 4, 5) for p in ("standard", "haar")
                  for la in ("o1", "o2")]
        + [(6, "haar", "o1", 2000), (6, "standard", "o2", 2000), (7, "haar", "o2", 1000),
           (7, "standard", "o1", 1000), (8, "haar", "o1", 500), (8, "standard", "o2", 500)],
        "exact": [(2, "standard", "o1", None), (2, "standard", "o2", None),
                  (3, "standard", "o1", None), (3, "cayley", "o2", None),
                  (4, "standard", "o1", None), (4, "cayley", "o2", 32)],
    },
}
_REPORT["thorough"] = {
    "float": _REPORT["standard"]["float"]
    + [(6, "haar", "o2", 20000), (7, "haar", "o1", 10000), (8, "haar", "o2", 5000)],
    "exact": [*_REPORT["standard"]["exact"], (4, "cayley", "o1", None),
              (5, "standard", "o1", 64)],
}


# (n, l): the smallest failures (l = n) beside the smallest l where it holds (l = n + 1), l = d
_VC_REGIMES = {
    "quick": [(3, 3), (3, 4), (4, 4), (4, 5), (5, 5), (5, 6), (5, 10)],
    "standard": [(3, 3), (3, 4), (4, 4), (4, 5), (5, 5), (5, 6), (5, 10), (6, 6), (6, 7),
                 (6, 12)],
}
_VC_REGIMES["thorough"] = [*_VC_REGIMES["standard"], (7, 7), (7, 8), (8, 8), (8, 9)]


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Eq. 5's matrix invertible (symbolic); the shattering of ``B`` in floating point
    (exhaustive for ``n <= 5``, drawn labellings for ``n = 6..8`` in ``standard``), both last
    positions, standard and Haar patterns, one mixed choice of ``x_I[n]``; exactly (SymPy) for
    ``n <= 3`` (``n = 4`` in ``standard``); and the exact VC dimension for ``l = n`` (where
    the theorem fails: ``d = 6, l = 3`` is the smallest case), ``l = n + 1`` and ``l = d``."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    seed = check_seed("seed", seed)
    cfg = _REPORT[profile]
    out = [check_system_inverse()]
    out += [check_shattering(n, patterns=p, last=la, labellings=lab, seed=seed)
            for n, p, la, lab in cfg["float"]]
    out.append(check_shattering(4, patterns="haar", last=[1, 2] * 4, seed=seed))
    out += [check_exact(n, patterns=p, last=la, labellings=lab, seed=seed)
            for n, p, la, lab in cfg["exact"]]
    out += [check_vc_dimension(n, l, seed=seed) for n, l in _VC_REGIMES[profile]]
    return out
