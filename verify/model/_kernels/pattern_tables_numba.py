"""The pattern path's forward pass (Eq. 1 and Eq. 3 in pattern coordinates): each *item* (a
sample, or one representative of a class of samples, :mod:`verify.model._kernels.classes_numba`) is
a list of *entries*, rows of a table of ``(value, pattern)`` pairs per filter, and

    z_i = max(0, max over the item's entries of value_i),   top_i = that entry's pattern_i

scanned in the entries' order with a strict ``>`` (``top_i = -1`` when ``z_i = 0``). Two tables:

- the **identity** table: row ``p`` is pattern ``p`` (``value_i = P[i, p]``); a sample's entries
  are its distinct patterns in order of first position, so ties go to the first position, as in
  the dense path;
- **subset** tables: the patterns in groups of :data:`GROUP`; row ``(g, mask)`` holds, per
  filter, the largest positive ``P[i, p]`` over the patterns ``p`` of group ``g`` in ``mask`` and
  that pattern. An item's entries are its non-empty groups: a couple of look-ups instead of a
  scan over every pattern. Which pattern wins a tie depends on the groups, not on positions:
  for ``top``, callers use subset tables only where no filter has two equal positive
  projections. The values alone (all ``N`` needs) are the same in any order, ties or not.

Each table covers :data:`TABLE` filters (four vectors). The parallel tasks take one *span* of
filters (:data:`verify.model._kernels.lanes.SPAN_BLOCKS` blocks) and a chunk of at most
:data:`ITEM_CHUNK` items; each task writes the span's partial sums of ``N`` (the order of
:mod:`verify.model._kernels.lanes`) and its part of ``top``. With ``top``, a table is built (in L1)
and every item looks it up; for ``N`` alone, the tables of up to :data:`TABLE_BUDGET` bytes are
built first and each item runs through all of them with its lanes in registers. Every output
element is written by one task: results do not depend on the thread count.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from verify.accelerate import jit, pjit
from verify.model._kernels.lanes import (
    LANES,
    N_LANES,
    SPAN_BLOCKS,
    lane_add,
    lane_step,
    lanes_total,
    span_sums,
    store_indices,
)
from verify.model._kernels.simd import vload, vsel_gt, vsplat, vstore, vstore_index, vzero

GROUP = 5  # patterns per group of a subset table: 32 rows per group
TABLE = 16  # filters per table (four vectors)
ITEM_CHUNK = 512  # items per parallel task
TABLE_BUDGET = 1 << 17  # bytes of subset tables built at a time for the values-only pass (L2)


@jit
def table_rows(l, subsets):
    """Rows of the table for ``l`` patterns: ``l``, or 32 per group of :data:`GROUP`."""
    return ((l + GROUP - 1) // GROUP) << GROUP if subsets else l


def tables_pay(l: int, identity_entries: int, subset_entries: int, items: int) -> bool:
    """Whether subset tables are expected to beat the identity table: per table of filters,
    building a row costs about 8 vector operations (32 rows per group, rebuilt for each chunk of
    items), copying an identity row 2, and an entry look-up 5. Speed only: both are exact
    where subset tables apply."""
    chunks = -(-items // ITEM_CHUNK)
    groups = -(-l // GROUP)
    identity = chunks * l * 2 + identity_entries * 5
    subsets = chunks * (groups << GROUP) * 8 + subset_entries * 5
    return subsets < identity


@jit
def distinct_entries(idx, rows):
    """Identity-table entries of the samples ``rows``: each one's distinct patterns in order of
    first position. Returns ``(entries (items x n), counts (items))``."""
    n = idx.shape[1]
    c = rows.shape[0]
    ent = np.empty((c, n), dtype=np.int64)
    ne = np.empty(c, dtype=np.int64)
    for u in range(c):
        s = rows[u]
        e = 0
        for j in range(n):
            p = idx[s, j]
            new = True
            for t in range(e):
                if ent[u, t] == p:
                    new = False
            if new:
                ent[u, e] = p
                e += 1
        ne[u] = e
    return ent, ne


@jit
def subset_entries(idx, rows, l):
    """Subset-table entries of the samples ``rows``: row ``(g << GROUP) + mask`` for each
    non-empty group ``g``, ``mask`` the sample's patterns in it. Returns ``(entries, counts)``."""
    ng = (l + GROUP - 1) // GROUP
    c = rows.shape[0]
    ent = np.empty((c, ng), dtype=np.int64)
    ne = np.empty(c, dtype=np.int64)
    masks = np.zeros(ng, dtype=np.int64)
    for u in range(c):
        masks[:] = 0
        s = rows[u]
        for j in range(idx.shape[1]):
            p = idx[s, j]
            masks[p // GROUP] |= 1 << (p % GROUP)
        e = 0
        for g in range(ng):
            if masks[g] != 0:
                ent[u, e] = (g << GROUP) + masks[g]
                e += 1
        ne[u] = e
    return ent, ne


@jit
def _identity_table(PT, b, v0, VT, at):
    """``VT`` row ``p`` (from ``VT.flat[at]``) = block ``b``'s projections on pattern ``p``,
    filters ``v0..v0+15``."""
    l = PT.shape[1]
    base = b * l * LANES + v0
    for p in range(l):
        for v in range(0, TABLE, 4):
            vstore(VT, at + p * TABLE + v, vload(PT, base + p * LANES + v))


@jit
def _identity_patterns(l):
    """``IT`` of the identity table: row ``p`` is ``p`` in every lane."""
    IT = np.empty(l * TABLE)
    for p in range(l):
        IT[p * TABLE:(p + 1) * TABLE] = float(p)
    return IT


@jit
def _subset_tables(PT, b, v0, VT, IT, want_top, at):
    """Rows ``(g << GROUP) + mask`` of ``VT`` (from ``VT.flat[at]``; and, if ``want_top``,
    ``IT``) for block ``b``'s
    filters ``v0..v0+15``: row ``mask`` with its highest pattern ``t`` is row ``mask - 2^t``
    updated with ``t`` by a strict ``>``, from the empty row ``(0, -1)``. Masks with patterns
    past ``l`` are not built (no entry names them)."""
    l = PT.shape[1]
    base = b * l * LANES + v0
    none = vsplat(-1.0)
    for g in range((l + GROUP - 1) // GROUP):
        r0 = g << GROUP
        for v in range(0, TABLE, 4):
            vstore(VT, at + r0 * TABLE + v, vzero())
            if want_top:
                vstore(IT, r0 * TABLE + v, none)
        for t in range(min(GROUP, l - g * GROUP)):
            p = g * GROUP + t
            J = vsplat(float(p))
            for mask in range(1 << t, 2 << t):
                ro = (r0 + mask) * TABLE
                lo = (r0 + mask - (1 << t)) * TABLE
                for v in range(0, TABLE, 4):
                    x = vload(PT, base + p * LANES + v)
                    bv = vload(VT, at + lo + v)
                    if want_top:
                        vstore(IT, ro + v, vsel_gt(x, bv, J, vload(IT, lo + v)))
                    vstore(VT, at + ro + v, vsel_gt(x, bv, x, bv))


@jit
def _scan_item(VT, IT, ent, ne, u):
    """Item ``u``'s best value and pattern for the table's 16 filters (four vectors each)."""
    b0 = b1 = b2 = b3 = vzero()
    t0 = t1 = t2 = t3 = vsplat(-1.0)
    for e in range(ne[u]):
        o = ent[u, e] * TABLE
        x = vload(VT, o)
        t0 = vsel_gt(x, b0, vload(IT, o), t0)
        b0 = vsel_gt(x, b0, x, b0)
        x = vload(VT, o + 4)
        t1 = vsel_gt(x, b1, vload(IT, o + 4), t1)
        b1 = vsel_gt(x, b1, x, b1)
        x = vload(VT, o + 8)
        t2 = vsel_gt(x, b2, vload(IT, o + 8), t2)
        b2 = vsel_gt(x, b2, x, b2)
        x = vload(VT, o + 12)
        t3 = vsel_gt(x, b3, vload(IT, o + 12), t3)
        b3 = vsel_gt(x, b3, x, b3)
    return b0, b1, b2, b3, t0, t1, t2, t3


@jit
def _scan_values(VT, at, ent, ne, u):
    """Item ``u``'s best values for the 16 filters of the table at ``VT.flat[at]``:
    :func:`_scan_item` without the patterns (the largest value does not depend on the order of
    the entries)."""
    b0 = b1 = b2 = b3 = vzero()
    for e in range(ne[u]):
        o = at + ent[u, e] * TABLE
        x = vload(VT, o)
        b0 = vsel_gt(x, b0, x, b0)
        x = vload(VT, o + 4)
        b1 = vsel_gt(x, b1, x, b1)
        x = vload(VT, o + 8)
        b2 = vsel_gt(x, b2, x, b2)
        x = vload(VT, o + 12)
        b3 = vsel_gt(x, b3, x, b3)
    return b0, b1, b2, b3


def items_forward(PT, ap, k, ent, ne, subsets, top):
    """``N`` of each item and, unless ``top`` has no rows, ``top (items x k)`` written in place,
    from the blocked projections ``PT`` (``blocks x l x LANES``), the padded weights ``ap`` and
    the items' entries into the identity table or (``subsets``) the subset tables.

    ``N`` alone needs only each filter's largest value, which is the same in any order of the
    entries, ties or not: without ``top``, the patterns are not tracked."""
    nspan = (PT.shape[0] + SPAN_BLOCKS - 1) // SPAN_BLOCKS
    partial = np.empty((ent.shape[0], nspan))
    if top.shape[0] > 0:
        _items_forward_into(PT, ap, k, ent, ne, subsets, top, partial)
    else:
        _items_values_into(PT, ap, ent, ne, subsets, partial)
    return span_sums(partial)


@jit
def _task_items(task, nch, c):
    """Task ``task``'s span ``q`` and items ``u0 <= u < u1`` (``nch`` chunks of items)."""
    u0 = (task % nch) * ITEM_CHUNK
    return task // nch, u0, min(c, u0 + ITEM_CHUNK)


@pjit
def _items_forward_into(PT, ap, k, ent, ne, subsets, top, partial):
    """``top`` and the spans' partial sums of ``N``, table by table, the items' lanes in
    memory."""
    nb, l, _ = PT.shape
    c = ent.shape[0]
    nspan = partial.shape[1]
    nch = (c + ITEM_CHUNK - 1) // ITEM_CHUNK
    rows = table_rows(l, subsets)
    for task in prange(nspan * nch):
        q, u0, u1 = _task_items(task, nch, c)
        lanes = np.zeros((u1 - u0, N_LANES))
        VT = np.empty(rows * TABLE)
        IT = np.empty(rows * TABLE) if subsets else _identity_patterns(l)
        b1 = min(nb, (q + 1) * SPAN_BLOCKS)
        tb = np.empty((u1 - u0 if b1 * LANES > k else 0, LANES))  # top of a partial block
        for b in range(q * SPAN_BLOCKS, b1):
            i0 = b * LANES
            full = i0 + LANES <= k
            for v0 in range(0, LANES, TABLE):
                if subsets:
                    _subset_tables(PT, b, v0, VT, IT, True, 0)
                else:
                    _identity_table(PT, b, v0, VT, 0)
                for u in range(u0, u1):
                    z0, z1, z2, z3, t0, t1, t2, t3 = _scan_item(VT, IT, ent, ne, u)
                    _add_values(lanes, u - u0, ap, i0, v0, z0, z1, z2, z3)
                    if full:
                        _store_top(top, u * k + i0 + v0, t0, t1, t2, t3)
                    else:
                        _store_partial(tb, (u - u0) * LANES + v0, t0, t1, t2, t3)
            if not full:
                for u in range(u0, u1):
                    store_indices(top, u, i0, tb[u - u0])
        for u in range(u0, u1):
            partial[u, q] = lanes_total(lanes, u - u0)


@pjit
def _items_values_into(PT, ap, ent, ne, subsets, partial):
    """The spans' partial sums of ``N`` alone. The tables of up to :data:`TABLE_BUDGET` bytes
    of blocks are built first; then each item runs through them with its sixteen lanes in
    registers (:func:`~verify.model._kernels.lanes.lane_step`, in the same order)."""
    nb, l, _ = PT.shape
    c = ent.shape[0]
    nspan = partial.shape[1]
    nch = (c + ITEM_CHUNK - 1) // ITEM_CHUNK
    size = table_rows(l, subsets) * TABLE  # one table: 16 filters
    per_block = LANES // TABLE * size
    group = max(1, min(SPAN_BLOCKS, TABLE_BUDGET // (8 * per_block)))
    for task in prange(nspan * nch):
        q, u0, u1 = _task_items(task, nch, c)
        lanes = np.zeros((u1 - u0, N_LANES))
        VT = np.empty(group * per_block)
        IT = np.empty(0)
        b1 = min(nb, (q + 1) * SPAN_BLOCKS)
        for g0 in range(q * SPAN_BLOCKS, b1, group):
            g1 = min(b1, g0 + group)
            for b in range(g0, g1):
                for v0 in range(0, LANES, TABLE):
                    at = ((b - g0) * LANES + v0) // TABLE * size
                    if subsets:
                        _subset_tables(PT, b, v0, VT, IT, False, at)
                    else:
                        _identity_table(PT, b, v0, VT, at)
            i0 = g0 * LANES
            for u in range(u0, u1):
                o = (u - u0) * N_LANES
                a0 = vload(lanes, o)
                a1 = vload(lanes, o + 4)
                a2 = vload(lanes, o + 8)
                a3 = vload(lanes, o + 12)
                for t in range((g1 - g0) * (LANES // TABLE)):
                    z0, z1, z2, z3 = _scan_values(VT, t * size, ent, ne, u)
                    i = i0 + t * TABLE
                    a0 = lane_step(a0, ap, i, z0)
                    a1 = lane_step(a1, ap, i + 4, z1)
                    a2 = lane_step(a2, ap, i + 8, z2)
                    a3 = lane_step(a3, ap, i + 12, z3)
                vstore(lanes, o, a0)
                vstore(lanes, o + 4, a1)
                vstore(lanes, o + 8, a2)
                vstore(lanes, o + 12, a3)
        for u in range(u0, u1):
            partial[u, q] = lanes_total(lanes, u - u0)


@jit
def _add_values(lanes, row, ap, i0, v0, z0, z1, z2, z3):
    """:func:`~verify.model._kernels.lanes.lane_add` for the table's 16 filters."""
    lane_add(lanes, row, ap, i0, v0, z0)
    lane_add(lanes, row, ap, i0, v0 + 4, z1)
    lane_add(lanes, row, ap, i0, v0 + 8, z2)
    lane_add(lanes, row, ap, i0, v0 + 12, z3)


@jit
def _store_top(top, o, t0, t1, t2, t3):
    """``top.flat[o : o + 16]`` = the 16 filters' patterns."""
    vstore_index(top, o, t0)
    vstore_index(top, o + 4, t1)
    vstore_index(top, o + 8, t2)
    vstore_index(top, o + 12, t3)


@jit
def _store_partial(tb, o, t0, t1, t2, t3):
    """:func:`_store_top` into the float64 buffer of a partial block."""
    vstore(tb, o, t0)
    vstore(tb, o + 4, t1)
    vstore(tb, o + 8, t2)
    vstore(tb, o + 12, t3)
