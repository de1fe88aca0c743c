"""Numba kernels for N_CNN (Eq. 1), the logistic loss (Eq. 2) and their gradients.

Conventions shared with the NumPy twins in :mod:`verify._kernels.network_numpy`:

- the max over positions breaks ties by the first position ``j``;
- ``relu'(0) = 0``: a filter whose best dot product is ``<= 0`` has no active pattern
  (``jstar = -1`` / ``top = -1``), feature 0 and no gradient;
- every dot product ``w . x`` is the chain ``acc <- fma(w[c], x[c], acc)`` over ``c = 0..d-1``
  from ``acc = 0.0`` (one rounding per term, fused multiply-add as an explicit LLVM intrinsic, not
  ``fastmath``), the same in the dense path and in :func:`projections`, so the two paths see
  bit-identical activations and break ties alike (the dense path runs the chain in four-lane
  vectors, :mod:`verify._kernels.simd`: lane by lane the same operations);
- ``N(x) = sum_i a_i z_i`` is summed in :data:`LANES` interleaved partial sums (lane ``r`` adds
  the filters ``i = r, r + LANES, ...`` in order), then the lanes in order; both paths do this, so
  their ``N`` are bit-identical too.

Layout: filters are processed in blocks of :data:`LANES` with the block's weights transposed
(``d x LANES``), so the inner loops run over filters and vectorise. The dense forward pass is a
register-tiled micro-kernel (:func:`_positions_max5`) written with explicit vectors, as in a
matrix multiplication: LLVM's auto-vectoriser left it at a third of the FMA peak on AVX2. The
forward kernels give ``prange`` chunks of samples (:func:`_chunk`), the gradient kernels tasks
of :data:`SUPER` filters. Every output element is written by exactly one ``prange`` iteration
and reduced in a fixed order: results do not depend on the thread count (nor on the chunking).

Performance notes: indices of the form ``i0 + r`` are cast to unsigned (``_u``) so that Numba
drops its negative-index wraparound and LLVM emits plain vector loads and stores instead of
gathers; hot loops never slice arrays (a view costs an atomic reference count).
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from verify._kernels.dtypes import index_dtype
from verify._kernels.simd import (
    fma,
    vadd,
    vfma,
    vload,
    vmul,
    vsel_gt,
    vsplat,
    vstore,
    vstore_index,
    vzero,
)
from verify.accelerate import jit, pjit

_u = np.uint64  # unsigned offsets: Numba then skips negative-index wraparound and LLVM vectorises
LANES = 64  # filters per block: the vectorised inner loops run over these
MAX_CHUNK = 64  # samples per parallel task in the forward kernels (at most; see _chunk)
SUPER = 1024  # filters per parallel task in the gradient kernels: each task reads long rows of
# the m x k arrays (top, jstar, z) and keeps its accumulators in L2


@jit
def softplus_neg(z):
    """``l(z) = log(1 + e^{-z})``, stable for every finite ``z``."""
    if z > 0:
        return math.log1p(math.exp(-z))
    return -z + math.log1p(math.exp(z))


@jit
def dsoftplus_neg(z):
    """``l'(z) = -1/(1 + e^z)``, stable for every finite ``z``."""
    if z >= 0:
        e = math.exp(-z)
        return -e / (1.0 + e)
    return -1.0 / (1.0 + math.exp(z))


@jit
def loss_and_coefficients(N, y):
    """Eq. 2's loss and ``c_s = l'(y_s N_s) y_s / m``, the factor every gradient shares."""
    m = N.shape[0]
    total = 0.0
    c = np.empty(m)
    for s in range(m):
        z = y[s] * N[s]
        total += softplus_neg(z)
        c[s] = dsoftplus_neg(z) * y[s] / m
    return total / m, c


@jit
def _chunk(m):
    """Samples per parallel task: about m/8 (so that there are tasks for every thread), at most
    :data:`MAX_CHUNK`. Each block of filters is loaded once per task (block-major loops), so
    the filters are streamed from cache ``m / chunk`` times. Each sample's outputs are computed
    within one task, so the results do not depend on the chunking."""
    return min(MAX_CHUNK, max(1, (m + 7) // 8))


@jit
def _lane_weights(a):
    """``a`` zero-padded to a whole number of blocks."""
    k = a.shape[0]
    ap = np.zeros((k + LANES - 1) // LANES * LANES)
    ap[:k] = a
    return ap


@jit
def _lane_add(lanes, row, ap, i0, v, z):
    """``lanes[row, v:v+4] += a_i z`` for the filters ``i = i0 + v, ..., i0 + v + 3``: the
    product rounded, then the sum. The one way both paths add to ``N``'s lanes."""
    o = row * LANES + v
    vstore(lanes, o, vadd(vload(lanes, o), vmul(vload(ap, i0 + v), z)))


@jit
def _lane_sum(ap, i0, best, lanes, row):
    """``lanes[row, r] += a_i best[r]`` for block ``i0``'s filters ``i = i0 + r``."""
    for v in range(0, LANES, 4):
        _lane_add(lanes, row, ap, i0, v, vload(best, v))


@jit
def _store_indices(out, s, i0, vals):
    """``out[s, i0 + r] = vals[r]`` for block ``i0``'s filters (indices held as float64): four
    at a time for a whole block, one at a time for the last, partial one."""
    k = out.shape[1]
    if i0 + LANES <= k:
        for v in range(0, LANES, 4):
            vstore_index(out, s * k + i0 + v, vload(vals, v))
    else:
        for r in range(k - i0):
            out[s, _u(i0) + _u(r)] = int(vals[r])


@jit
def _lanes_total(lanes, row):
    total = 0.0
    for r in range(LANES):
        total += lanes[row, r]
    return total


@pjit
def _filter_blocks(W):
    """``WT[b, c, r] = W[b*LANES + r, c]``, zero-padded to whole blocks."""
    k, d = W.shape
    nb = (k + LANES - 1) // LANES
    WT = np.zeros((nb, d, LANES))
    for b in prange(nb):
        for r in range(min(LANES, k - b * LANES)):
            for c in range(d):
                WT[b, c, r] = W[b * LANES + r, c]
    return WT


@jit
def _positions_max5(WT, base, X, s, j0, j1, j2, j3, j4, best, jbest):
    """Dot products of one block's filters (``WT.flat[base:]``, ``d x LANES``) with positions
    ``j0..j4`` of sample ``s``, then ``best``/``jbest`` updated with ``j0``, ..., ``j4`` in that
    order (strict ``>``: the first maximal position wins).

    Register tile: 5 positions x 8 filters (two four-lane vectors) = 10 accumulators, held in
    registers over the whole chain ``c = 0..d-1``; per coordinate, two loads of filter weights
    and five broadcasts feed ten FMAs."""
    d = X.shape[2]
    J0 = vsplat(float(j0))
    J1 = vsplat(float(j1))
    J2 = vsplat(float(j2))
    J3 = vsplat(float(j3))
    J4 = vsplat(float(j4))
    for v in range(0, LANES, 8):
        a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = a40 = a41 = vzero()
        o = base + v
        for c in range(d):
            w0 = vload(WT, o)
            w1 = vload(WT, o + 4)
            x = vsplat(X[s, j0, c])
            a00 = vfma(w0, x, a00)
            a01 = vfma(w1, x, a01)
            x = vsplat(X[s, j1, c])
            a10 = vfma(w0, x, a10)
            a11 = vfma(w1, x, a11)
            x = vsplat(X[s, j2, c])
            a20 = vfma(w0, x, a20)
            a21 = vfma(w1, x, a21)
            x = vsplat(X[s, j3, c])
            a30 = vfma(w0, x, a30)
            a31 = vfma(w1, x, a31)
            x = vsplat(X[s, j4, c])
            a40 = vfma(w0, x, a40)
            a41 = vfma(w1, x, a41)
            o += LANES
        _take5(best, jbest, v, a00, a10, a20, a30, a40, J0, J1, J2, J3, J4)
        _take5(best, jbest, v + 4, a01, a11, a21, a31, a41, J0, J1, J2, J3, J4)


@jit
def _take5(best, jbest, off, a0, a1, a2, a3, a4, J0, J1, J2, J3, J4):
    """``best``/``jbest`` lanes ``off..off+3`` updated with ``a0``, ..., ``a4`` in order."""
    bv = vload(best, off)
    bj = vload(jbest, off)
    bj = vsel_gt(a0, bv, J0, bj)
    bv = vsel_gt(a0, bv, a0, bv)
    bj = vsel_gt(a1, bv, J1, bj)
    bv = vsel_gt(a1, bv, a1, bv)
    bj = vsel_gt(a2, bv, J2, bj)
    bv = vsel_gt(a2, bv, a2, bv)
    bj = vsel_gt(a3, bv, J3, bj)
    bv = vsel_gt(a3, bv, a3, bv)
    bj = vsel_gt(a4, bv, J4, bj)
    bv = vsel_gt(a4, bv, a4, bv)
    vstore(best, off, bv)
    vstore(jbest, off, bj)


@jit
def _positions_max2(WT, base, X, s, j0, j1, best, jbest):
    """:func:`_positions_max5` for two positions, 8 filters per pass (the remainder of ``n``)."""
    d = X.shape[2]
    J0 = vsplat(float(j0))
    J1 = vsplat(float(j1))
    for v in range(0, LANES, 8):
        a00 = a01 = a10 = a11 = vzero()
        o = base + v
        for c in range(d):
            w0 = vload(WT, o)
            w1 = vload(WT, o + 4)
            x = vsplat(X[s, j0, c])
            a00 = vfma(w0, x, a00)
            a01 = vfma(w1, x, a01)
            x = vsplat(X[s, j1, c])
            a10 = vfma(w0, x, a10)
            a11 = vfma(w1, x, a11)
            o += LANES
        _take5(best, jbest, v, a00, a10, a10, a10, a10, J0, J1, J1, J1, J1)
        _take5(best, jbest, v + 4, a01, a11, a11, a11, a11, J0, J1, J1, J1, J1)


def dense_forward(W, a, X, want_z):
    """Dense path: ``N (m)``, features ``z (m x k)`` (``0 x 0`` unless ``want_z``: the gradient
    does not need them) and argmax positions ``jstar (m x k)``, of type
    :func:`index_dtype` ``(n)``."""
    jstar = np.empty((X.shape[0], W.shape[0]), dtype=index_dtype(X.shape[1]))
    N, z = _dense_forward_into(W, a, X, want_z, jstar)
    return N, z, jstar


@pjit
def _dense_forward_into(W, a, X, want_z, jstar):
    """:func:`dense_forward` writing ``jstar`` in place; returns ``N`` and ``z``."""
    m, n, d = X.shape
    k = W.shape[0]
    WT = _filter_blocks(W)
    ap = _lane_weights(a)
    nb = WT.shape[0]
    N = np.empty(m)
    z = np.empty((m, k) if want_z else (0, 0))
    chunk = _chunk(m)
    for ch in prange((m + chunk - 1) // chunk):
        s0 = ch * chunk
        s1 = min(m, s0 + chunk)
        best = np.empty(LANES)
        jbest = np.empty(LANES)  # positions as float64, to share the lanes' compare masks
        lanes = np.zeros((chunk, LANES))
        for b in range(nb):  # block-major within the chunk: the block stays in L1
            i0 = b * LANES
            base = b * d * LANES
            for s in range(s0, s1):
                best[:] = 0.0  # strict '>' from 0: first maximal position, and relu
                jbest[:] = -1.0
                j = 0
                while j < n:  # positions past n - 1 repeat n - 1, which changes nothing
                    if n - j > 2:
                        _positions_max5(WT, base, X, s, j, min(j + 1, n - 1), min(j + 2, n - 1),
                                        min(j + 3, n - 1), min(j + 4, n - 1), best, jbest)
                        j += 5
                    else:
                        _positions_max2(WT, base, X, s, j, min(j + 1, n - 1), best, jbest)
                        j += 2
                _lane_sum(ap, i0, best, lanes, s - s0)
                if want_z:
                    for r in range(min(LANES, k - i0)):
                        z[s, _u(i0) + _u(r)] = best[r]
                _store_indices(jstar, s, i0, jbest)
        for s in range(s0, s1):
            N[s] = _lanes_total(lanes, s - s0)
    return N, z


@pjit
def dense_grads(X, W, jstar, a, c):
    """``dL/dW (k x d)`` and ``dL/da (k)`` from the forward pass and the coefficients ``c``.

    ``H_i = sum_s c_s x_s[jstar_si]`` (samples in order, active pairs only); then
    ``dL/dw_i = a_i H_i`` and ``dL/da_i = sum_s c_s w_i . x_s[jstar_si] = w_i . H_i``
    (coordinates in order): equal to ``sum_s c_s z_si`` up to rounding, without reading
    ``z``."""
    m, _, d = X.shape
    k = W.shape[0]
    G = np.empty((k, d))
    da = np.empty(k)
    for sb in prange((k + SUPER - 1) // SUPER):
        i0 = sb * SUPER
        bw = min(SUPER, k - i0)
        Gb = np.zeros((SUPER, d))
        for s in range(m):
            cs = c[s]
            for r in range(bw):
                j = jstar[s, _u(i0) + _u(r)]
                if j >= 0:
                    for q in range(d):
                        Gb[r, q] += cs * X[s, j, q]
        for r in range(bw):
            acc = 0.0
            for q in range(d):
                acc += W[i0 + r, q] * Gb[r, q]
                G[i0 + r, q] = Gb[r, q] * a[i0 + r]
            da[i0 + r] = acc
    return G, da


@pjit
def projections(W, O):
    """``P = W O^T (k x l)``, the filters in pattern coordinates, each entry the same fma chain
    as the dense path's dot products."""
    k, d = W.shape
    l = O.shape[0]
    P = np.empty((k, l))
    for i in prange(k):
        for p in range(l):
            acc = 0.0
            for c in range(d):
                acc = fma(W[i, c], O[p, c], acc)
            P[i, p] = acc
    return P


@pjit
def from_patterns(G, O):
    """``G O``: pattern coordinates (``k x l``) back to ``k x d`` (in a kernel: calling BLAS
    right after the parallel kernels makes its threads and Numba's contend)."""
    k, l = G.shape
    d = O.shape[1]
    out = np.empty((k, d))
    for i in prange(k):
        for c in range(d):
            acc = 0.0
            for p in range(l):
                acc = fma(G[i, p], O[p, c], acc)
            out[i, c] = acc
    return out


@pjit
def _pattern_blocks(P):
    """``PT[b, p, r] = P[b*LANES + r, p]``, zero-padded to whole blocks."""
    k, l = P.shape
    nb = (k + LANES - 1) // LANES
    PT = np.zeros((nb, l, LANES))
    for b in prange(nb):
        for r in range(min(LANES, k - b * LANES)):
            for p in range(l):
                PT[b, p, r] = P[b * LANES + r, p]
    return PT


@jit
def _distinct(idx, s, seen, uniq, row):
    """``uniq[row, :nu]``: the distinct patterns of sample ``s`` in order of first position;
    returns ``nu``."""
    nu = 0
    for j in range(idx.shape[1]):
        p = idx[s, j]
        if not seen[p]:
            seen[p] = True
            uniq[row, nu] = p
            nu += 1
    for u in range(nu):
        seen[uniq[row, u]] = False
    return nu


@jit
def _scan_patterns(PT, b, uniq, row, nu, ap, lanes, top, s, tb):
    """Block ``b``'s filters ``i = b*LANES + r`` on sample ``s``: ``z_i = max(0, max_u P[i,
    uniq[row, u]])`` and ``top[s, i]``, the first pattern (in the order of ``uniq``) attaining
    it, ``-1`` if none is positive; ``lanes[row, r] += a_i z_i`` (:func:`_lane_add`).

    Sixteen filters per pass (four vectors), the running max and argmax in registers over the
    sample's patterns; the patterns' indices ride along as float64 so that one compare mask
    serves the value and the index. ``top`` is written directly for a whole block, through
    ``tb`` for the last, partial one."""
    k = top.shape[1]
    i0 = b * LANES
    full = i0 + LANES <= k
    base = b * PT.shape[1] * LANES
    none = vsplat(-1.0)
    for v in range(0, LANES, 16):
        b0 = b1 = b2 = b3 = vzero()
        t0 = t1 = t2 = t3 = none
        for u in range(nu):
            p = uniq[row, u]
            J = vsplat(float(p))
            o = base + p * LANES + v
            x = vload(PT, o)
            t0 = vsel_gt(x, b0, J, t0)
            b0 = vsel_gt(x, b0, x, b0)
            x = vload(PT, o + 4)
            t1 = vsel_gt(x, b1, J, t1)
            b1 = vsel_gt(x, b1, x, b1)
            x = vload(PT, o + 8)
            t2 = vsel_gt(x, b2, J, t2)
            b2 = vsel_gt(x, b2, x, b2)
            x = vload(PT, o + 12)
            t3 = vsel_gt(x, b3, J, t3)
            b3 = vsel_gt(x, b3, x, b3)
        _lane_add(lanes, row, ap, i0, v, b0)
        _lane_add(lanes, row, ap, i0, v + 4, b1)
        _lane_add(lanes, row, ap, i0, v + 8, b2)
        _lane_add(lanes, row, ap, i0, v + 12, b3)
        if full:
            to = s * k + i0 + v
            vstore_index(top, to, t0)
            vstore_index(top, to + 4, t1)
            vstore_index(top, to + 8, t2)
            vstore_index(top, to + 12, t3)
        else:
            vstore(tb, v, t0)
            vstore(tb, v + 4, t1)
            vstore(tb, v + 8, t2)
            vstore(tb, v + 12, t3)
    if not full:
        _store_indices(top, s, i0, tb)


def pattern_forward(P, a, idx):
    """Pattern path: ``N (m)`` and ``top (m x k)``, the index of the pattern ``p_i(x)`` of Eq. 3
    (``-1`` when it is 0), of type :func:`index_dtype`. Each sample's distinct patterns are
    scanned in order of first position with a strict ``>``, so ties go to the first position
    as in the dense path."""
    top = np.empty((idx.shape[0], P.shape[0]), dtype=index_dtype(P.shape[1]))
    return _pattern_forward_into(P, a, idx, top), top


@pjit
def _pattern_forward_into(P, a, idx, top):
    """:func:`pattern_forward` writing ``top`` in place; returns ``N``."""
    m, n = idx.shape
    l = P.shape[1]
    PT = _pattern_blocks(P)
    ap = _lane_weights(a)
    nb = PT.shape[0]
    N = np.empty(m)
    chunk = _chunk(m)
    for ch in prange((m + chunk - 1) // chunk):
        s0 = ch * chunk
        s1 = min(m, s0 + chunk)
        tb = np.empty(LANES)
        lanes = np.zeros((chunk, LANES))
        seen = np.zeros(l, dtype=np.bool_)
        uniq = np.empty((chunk, n), dtype=np.int64)
        nu = np.empty(chunk, dtype=np.int64)
        for s in range(s0, s1):
            nu[s - s0] = _distinct(idx, s, seen, uniq, s - s0)
        for b in range(nb):  # block-major within the chunk: the block stays in L1
            for s in range(s0, s1):
                _scan_patterns(PT, b, uniq, s - s0, nu[s - s0], ap, lanes, top, s, tb)
        for s in range(s0, s1):
            N[s] = _lanes_total(lanes, s - s0)
    return N


@pjit
def pattern_grads(P, top, a, c):
    """``dL/dW`` in pattern coordinates (``k x l``: ``dL/dw_i = sum_p G[i, p] o_p``) and
    ``dL/da``.

    ``H[i, p] = sum_{s : p_i(x_s) = o_p} c_s`` (samples in order); then ``G[i, p] = a_i H[i, p]``
    and ``dL/da_i = sum_s c_s w_i . p_i(x_s) = sum_p P[i, p] H[i, p]`` (``p`` in order): equal to
    the dense path's ``sum_s c_s z_si`` up to rounding, at a cost of ``O(k l)`` instead of
    ``O(m k)``."""
    m, k = top.shape
    l = P.shape[1]
    G = np.empty((k, l))
    da = np.empty(k)
    tile = max(LANES, 4096 // (l + 1) // LANES * LANES)  # H (tile x l+1) within ~32 KiB: L1
    for sb in prange((k + tile - 1) // tile):
        i0 = sb * tile
        bw = min(tile, k - i0)
        H = np.zeros((tile, l + 1))  # column t + 1 for top = t; column 0 takes the inactive
        for s in range(m):
            cs = c[s]
            for r in range(bw):  # no branch: an inactive pair adds to column 0, never read
                H[r, _u(top[s, _u(i0) + _u(r)] + 1)] += cs
        for r in range(bw):
            acc = 0.0
            for p in range(l):
                acc += P[i0 + r, p] * H[r, p + 1]
                G[i0 + r, p] = H[r, p + 1] * a[i0 + r]
            da[i0 + r] = acc
    return G, da


@pjit
def pattern_features(P, top):
    """``z (m x k)``: ``z[s, i] = P[i, top[s, i]]`` where active, else 0."""
    m, k = top.shape
    z = np.zeros((m, k))
    for s in prange(m):
        for i in range(k):
            t = top[s, i]
            if t >= 0:
                z[s, i] = P[i, t]
    return z
