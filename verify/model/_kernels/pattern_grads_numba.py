"""Numba kernels of the pattern path's gradient (Eq. 2, in pattern coordinates), two ways.

:func:`grads_by_items` adds each item's coefficient where its ``top`` points: ``O(k)`` per item,
always exact. :func:`grads_from_subset_sums` needs few patterns and no ties:

Where no filter has two equal positive projections, the pattern ``p_i(x)`` of Eq. 3 is the
pattern of ``x`` with the largest positive projection, so ``x``'s set of patterns ``U`` decides
it: ``p_i(x) = o_p`` exactly when ``P[i, p] > 0`` and ``p in U subset B_i(p)``, with
``B_i(p) = {q : P[i, q] <= P[i, p]}``. Hence, with the coefficients ``C_u`` of the classes of
samples (:mod:`verify.model._kernels.classes_numba`, each class one set ``U_u``),

    H[i, p] = sum_{s : p_i(x_s) = o_p} c_s = S[p, B_i(p)],
    S[p, Y] = sum_{u : p in U_u subset Y} C_u,

a table of ``l 2^l`` subset sums (the zeta transform of the classes' weights) built once per
step: then one look-up per filter and pattern instead of a pass over the samples. ``H`` is the
same sum of the ``c_s`` as the per-sample gradient, added in another order.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from verify.accelerate import jit, pjit
from verify.model._kernels.lanes import LANES, _u
from verify.model._kernels.simd import vadd, vfma, vload, vsel_gt, vsplat, vstore, vzero

MAX_SUBSET_PATTERNS = 12  # S has l 2^l entries (393 KiB at l = 12)


def subset_sums_pay(l: int, k: int, items: int) -> bool:
    """Whether the subset sums are expected to beat the pass over the items: building ``S``
    costs about ``l^2 2^l`` additions, the pass ``k`` scattered additions per item."""
    return l <= MAX_SUBSET_PATTERNS and l * l * (1 << l) <= k * items


@jit
def subset_sums(masks, C, l):
    """``S (l x 2^l)``: ``S[p, Y] = sum_{u : p in masks[u] subset Y} C[u]`` (sets as bit masks),
    for distinct ``masks``."""
    S = np.zeros((l, 1 << l))
    for u in range(masks.shape[0]):
        U = np.int64(masks[u])
        for p in range(l):
            if (U >> p) & 1:
                S[p, U] = C[u]
    for p in range(l):
        for t in range(l):  # Y with bit t from Y without it, in runs of 2^t
            bit = 1 << t
            for Y0 in range(0, 1 << l, 2 * bit):
                for j in range(bit):
                    S[p, _u(Y0 + bit + j)] += S[p, _u(Y0 + j)]
    return S


@pjit
def grads_from_subset_sums(PT, S, a, O, want_dense):
    """``(G, da, dW)`` as :func:`grads_by_items`, with
    ``H[i, p] = S[p, B_i(p)]`` (0 where ``P[i, p] <= 0``). Needs no two equal positive
    projections in any filter."""
    k = a.shape[0]
    nb, l, _ = PT.shape
    d = O.shape[1]
    G = np.empty((k, l))
    da = np.empty(k)
    dW = np.empty((k, d) if want_dense else (0, 0))
    Op = padded_columns(O)
    for b in prange(nb):
        i0 = b * LANES
        bw = min(LANES, k - i0)
        B = _below_sets(PT, b)
        for r in range(bw):
            i = i0 + r
            acc = 0.0
            for p in range(l):
                x = PT[b, p, r]
                h = S[p, int(B[p, r])]  # loaded either way: a select, not a branch
                h = h if x > 0.0 else 0.0
                acc += x * h
                G[i, p] = h * a[i]
            da[i] = acc
        if want_dense:
            to_dense(G, Op, i0, bw, dW)
    return G, da, dW


@jit
def _below_sets(PT, b):
    """``B[p, r] = sum_{q : P[i, q] <= P[i, p]} 2^q`` for block ``b``'s filters ``i = b*LANES +
    r``: the sets ``B_i(p)`` as bit masks, held exactly in float64 (``l <= 12``), four filters
    and sixteen at a time in registers."""
    _, l, _ = PT.shape
    B = np.empty((l, LANES))
    zero = vzero()
    for p in range(l):
        xo = (b * l + p) * LANES
        for v in range(0, LANES, 16):
            x0 = vload(PT, xo + v)
            x1 = vload(PT, xo + v + 4)
            x2 = vload(PT, xo + v + 8)
            x3 = vload(PT, xo + v + 12)
            m0 = m1 = m2 = m3 = vzero()
            for q in range(l):
                bit = vsplat(float(1 << q))
                yo = (b * l + q) * LANES + v
                m0 = vadd(m0, vsel_gt(vload(PT, yo), x0, zero, bit))
                m1 = vadd(m1, vsel_gt(vload(PT, yo + 4), x1, zero, bit))
                m2 = vadd(m2, vsel_gt(vload(PT, yo + 8), x2, zero, bit))
                m3 = vadd(m3, vsel_gt(vload(PT, yo + 12), x3, zero, bit))
            vstore(B, p * LANES + v, m0)
            vstore(B, p * LANES + v + 4, m1)
            vstore(B, p * LANES + v + 8, m2)
            vstore(B, p * LANES + v + 12, m3)
    return B


@pjit
def grads_by_items(PT, top, a, c, O, want_dense):
    """``(G, da, dW)``: ``dL/dW`` in pattern coordinates ``G (k x l)``
    (``dL/dw_i = sum_p G[i, p] o_p``), ``dL/da (k)``, and, if ``want_dense``, ``dW = G O``
    (``k x d``; else ``0 x 0``), from the items' ``top`` and coefficients ``c``.

    ``H[i, p] = sum_{u : top[u, i] = p} c_u`` (items in order); then ``G[i, p] = a_i H[i, p]``,
    ``dL/da_i = sum_u c_u w_i . p_i(x_u) = sum_p P[i, p] H[i, p]`` (``p`` in order): equal to
    the dense path's ``sum_s c_s z_si`` up to rounding, at a cost of ``O(k l)`` instead of
    ``O(m k)``; and ``dW[i, q] = sum_p G[i, p] O[p, q]``, an fma chain over ``p`` from ``0.0``."""
    m, k = top.shape
    l = PT.shape[1]
    d = O.shape[1]
    G = np.empty((k, l))
    da = np.empty(k)
    dW = np.empty((k, d) if want_dense else (0, 0))
    Op = padded_columns(O)
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
            i = i0 + r
            b, rr = i // LANES, i % LANES
            acc = 0.0
            for p in range(l):
                acc += PT[b, p, rr] * H[r, p + 1]
                G[i, p] = H[r, p + 1] * a[i]
            da[i] = acc
        if want_dense:
            to_dense(G, Op, i0, bw, dW)
    return G, da, dW


@jit
def to_dense(G, Op, i0, bw, dW):
    """``dW[i, q] = sum_p G[i, p] O[p, q]`` for the filters ``i0 <= i < i0 + bw``: fma chains
    over ``p`` from ``0.0``, four ``q`` at a time (``Op`` is ``O`` zero-padded to a multiple of
    four columns) and eight filters at a time (eight independent chains hide each other's
    latency; past the last filter, the last is repeated)."""
    l, dp = Op.shape
    d = dW.shape[1]
    buf = np.empty(8 * dp)
    last = i0 + bw - 1
    for i in range(i0, i0 + bw, 8):
        j1, j2, j3 = min(i + 1, last), min(i + 2, last), min(i + 3, last)
        j4, j5, j6, j7 = min(i + 4, last), min(i + 5, last), min(i + 6, last), min(i + 7, last)
        for q in range(0, dp, 4):
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = vzero()
            for p in range(l):
                o = vload(Op, p * dp + q)
                a0 = vfma(vsplat(G[i, p]), o, a0)
                a1 = vfma(vsplat(G[j1, p]), o, a1)
                a2 = vfma(vsplat(G[j2, p]), o, a2)
                a3 = vfma(vsplat(G[j3, p]), o, a3)
                a4 = vfma(vsplat(G[j4, p]), o, a4)
                a5 = vfma(vsplat(G[j5, p]), o, a5)
                a6 = vfma(vsplat(G[j6, p]), o, a6)
                a7 = vfma(vsplat(G[j7, p]), o, a7)
            vstore(buf, q, a0)
            vstore(buf, dp + q, a1)
            vstore(buf, 2 * dp + q, a2)
            vstore(buf, 3 * dp + q, a3)
            vstore(buf, 4 * dp + q, a4)
            vstore(buf, 5 * dp + q, a5)
            vstore(buf, 6 * dp + q, a6)
            vstore(buf, 7 * dp + q, a7)
        for t in range(min(8, last + 1 - i)):
            for q in range(d):
                dW[i + t, q] = buf[t * dp + q]


@jit
def padded_columns(O):
    """``O`` zero-padded to a multiple of four columns (for :func:`to_dense`)."""
    l, d = O.shape
    Op = np.zeros((l, (d + 3) // 4 * 4))
    Op[:, :d] = O
    return Op
