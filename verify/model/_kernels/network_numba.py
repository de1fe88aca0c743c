"""Numba kernels for N_CNN (Eq. 1) on dense inputs, the logistic loss (Eq. 2) and their
gradients (the pattern path is :mod:`verify.model._kernels.pattern_path_numba`).

Conventions shared with the pattern path and the NumPy twins in
:mod:`verify.model._kernels.network_numpy`:

- the max over positions breaks ties by the first position ``j``;
- ``relu'(0) = 0``: a filter whose best dot product is ``<= 0`` has no active pattern
  (``jstar = -1`` / ``top = -1``), feature 0 and no gradient;
- every dot product ``w . x`` is the chain ``acc <- fma(w[c], x[c], acc)`` over ``c = 0..d-1``
  from ``acc = 0.0`` (one rounding per term, fused multiply-add as an explicit LLVM intrinsic, not
  ``fastmath``), the same in the dense path and in the pattern path's projections
  (:mod:`verify.model._kernels.pattern_path_numba`), so the two paths see bit-identical activations
  and break ties alike (both run the chain in four-lane vectors, :mod:`verify.model._kernels.simd`:
  lane by lane the same operations);
- ``N(x) = sum_i a_i z_i`` is summed in the order of :mod:`verify.model._kernels.lanes` (interleaved
  lanes within spans of filters, then the spans); both paths do this, so their ``N`` are
  bit-identical too.

Layout: filters are processed in blocks of :data:`LANES` with the block's weights transposed
(``d x LANES``), so the inner loops run over filters and vectorise. The dense forward pass is a
register-tiled micro-kernel (:func:`_positions_max5`) written with explicit vectors, as in a
matrix multiplication: LLVM's auto-vectoriser left it at a third of the FMA peak on AVX2. The
forward kernel gives ``prange`` chunks of samples (:func:`_chunk`), the gradient kernel tasks
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

from verify.accelerate import jit, pjit
from verify.model._kernels.dtypes import index_dtype
from verify.model._kernels.lanes import (
    LANES,
    N_LANES,
    SPAN_BLOCKS,
    _u,
    lane_add,
    lane_weights,
    lanes_total,
    span_sums,
    store_indices,
)
from verify.model._kernels.simd import vfma, vload, vsel_gt, vsplat, vstore, vzero

MAX_CHUNK = 64  # samples per parallel task in the dense forward kernel (at most; see _chunk)
SUPER = 1024  # filters per parallel task in the dense gradient kernel: each task reads long
# rows of the m x k array jstar and keeps its accumulators in L2


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
def _lane_sum(ap, i0, best, lanes, row):
    """``lanes[row, r] += a_i best[r]`` for block ``i0``'s filters ``i = i0 + r``."""
    for v in range(0, LANES, 4):
        lane_add(lanes, row, ap, i0, v, vload(best, v))


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
    partial, z = _dense_forward_into(W, a, X, want_z, jstar)
    return span_sums(partial), z, jstar


def dense_spans(W, a, X):
    """``N``'s span partial sums (``m x spans``, :mod:`verify.model._kernels.lanes`) alone: adding
    them in order from ``0.0``, span after span and call after call over consecutive blocks of
    whole spans of filters, gives :func:`dense_forward`'s ``N`` bit for bit."""
    jstar = np.empty((X.shape[0], W.shape[0]), dtype=index_dtype(X.shape[1]))
    return _dense_forward_into(W, a, X, False, jstar)[0]


@pjit
def _dense_forward_into(W, a, X, want_z, jstar):
    """:func:`dense_forward` writing ``jstar`` in place; returns ``N``'s span partial sums and
    ``z``."""
    m, n, d = X.shape
    k = W.shape[0]
    WT = _filter_blocks(W)
    ap = lane_weights(a)
    nb = WT.shape[0]
    partial = np.empty((m, (nb + SPAN_BLOCKS - 1) // SPAN_BLOCKS))  # N's spans (lanes.py)
    z = np.empty((m, k) if want_z else (0, 0))
    chunk = _chunk(m)
    for ch in prange((m + chunk - 1) // chunk):
        s0 = ch * chunk
        s1 = min(m, s0 + chunk)
        best = np.empty(LANES)
        jbest = np.empty(LANES)  # positions as float64, to share the lanes' compare masks
        lanes = np.zeros((chunk, N_LANES))
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
                store_indices(jstar, s, i0, jbest)
            if (b + 1) % SPAN_BLOCKS == 0 or b == nb - 1:  # the span's last block
                for s in range(s0, s1):
                    partial[s, b // SPAN_BLOCKS] = lanes_total(lanes, s - s0)
                    lanes[s - s0, :] = 0.0
    return partial, z


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
