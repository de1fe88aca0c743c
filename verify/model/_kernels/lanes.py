"""How both forward paths add up ``N(x) = sum_i a_i z_i`` (Eq. 1), so that their ``N`` are
bit-identical.

Within a *span* of :data:`SPAN_BLOCKS` blocks of :data:`LANES` filters, lane ``r`` (of
:data:`N_LANES`) adds ``a_i z_i`` for the span's filters ``i = r (mod N_LANES)`` in increasing
order (the product rounded, then the sum: :func:`lane_step`); the span's partial sum is its
lanes added in order (:func:`lanes_total`); ``N`` is the spans' partial sums added in order from
``0.0`` (:func:`span_sums`). The spans let the pattern path give each parallel task its own
range of filters while keeping this order; sixteen lanes fit in four vector registers.
"""

from __future__ import annotations

import numpy as np

from verify.accelerate import jit
from verify.model._kernels.simd import vadd, vload, vmul, vstore, vstore_index

_u = np.uint64  # unsigned offsets: Numba then skips negative-index wraparound and LLVM vectorises
LANES = 64  # filters per block: the vectorised inner loops run over these
SPAN_BLOCKS = 16  # blocks per partial sum of N (1,024 filters)
N_LANES = 16  # interleaved partial sums of N within a span


@jit
def lane_weights(a):
    """``a`` zero-padded to a whole number of blocks."""
    k = a.shape[0]
    ap = np.zeros((k + LANES - 1) // LANES * LANES)
    ap[:k] = a
    return ap


@jit
def lane_step(acc, ap, i, z):
    """``acc + a_i z`` for the four filters ``i, ..., i + 3`` (``a`` padded: ``ap``): the product
    rounded, then the sum. Every addition to ``N``'s lanes is this operation."""
    return vadd(acc, vmul(vload(ap, i), z))


@jit
def lane_add(lanes, row, ap, i0, v, z):
    """Lanes ``v % N_LANES, ...`` (four of them) of ``row`` ``+= a_i z`` for the filters
    ``i = i0 + v, ..., i0 + v + 3`` (``i0`` a multiple of ``N_LANES``): the product rounded, then
    the sum (:func:`lane_step`), the lanes in memory."""
    o = row * N_LANES + v % N_LANES
    vstore(lanes, o, lane_step(vload(lanes, o), ap, i0 + v, z))


@jit
def lanes_total(lanes, row):
    """The lanes of ``row`` added in order."""
    total = 0.0
    for r in range(N_LANES):
        total += lanes[row, r]
    return total


@jit
def span_sums(partial):
    """``N[u]``: the spans' partial sums ``partial[u, q]`` added in order from ``0.0``."""
    c, nspan = partial.shape
    N = np.empty(c)
    for u in range(c):
        acc = 0.0
        for q in range(nspan):
            acc += partial[u, q]
        N[u] = acc
    return N


@jit
def store_indices(out, s, i0, vals):
    """``out[s, i0 + r] = vals[r]`` for block ``i0``'s filters (indices held as float64): four
    at a time for a whole block, one at a time for the last, partial one."""
    k = out.shape[1]
    if i0 + LANES <= k:
        for v in range(0, LANES, 4):
            vstore_index(out, s * k + i0 + v, vload(vals, v))
    else:
        for r in range(k - i0):
            out[s, _u(i0) + _u(r)] = int(vals[r])
