"""Numba kernels of the pattern path: N_CNN (Eq. 1) and the gradients of Eq. 2's loss for
inputs ``x[s, j] = o_{idx[s, j]}`` built from orthonormal patterns, in pattern coordinates
``P = W O^T (k x l)``.

The conventions are those of :mod:`verify.model._kernels.network_numba` (ties to the first position,
``relu'(0) = 0``, each projection the dense path's fma chain, ``N`` summed in the order of
:mod:`verify.model._kernels.lanes`): on ``x = O[idx]`` this path gives the dense path's ``N`` and
active patterns bit for bit.

The filters are kept in blocks, ``PT[b, p, r] = P[b*LANES + r, p]`` (zero-padded), made once
per step together with the tie check, which decides whether ``top`` can be computed once per
class of samples (:mod:`verify.model._kernels.classes_numba`) and whether the gradient can come from
subset sums (:mod:`verify.model._kernels.pattern_grads_numba`); the forward pass is
:mod:`verify.model._kernels.pattern_tables_numba`; :func:`step` chooses between them.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from verify.accelerate import pjit
from verify.model._kernels.classes_numba import (
    MAX_CLASS_PATTERNS,
    block_ties,
    class_sums,
    sample_classes,
)
from verify.model._kernels.dtypes import index_dtype
from verify.model._kernels.lanes import LANES, lane_weights
from verify.model._kernels.network_numba import loss_and_coefficients
from verify.model._kernels.pattern_grads_numba import (
    MAX_SUBSET_PATTERNS,
    grads_by_items,
    grads_from_subset_sums,
    subset_sums,
    subset_sums_pay,
)
from verify.model._kernels.pattern_tables_numba import (
    distinct_entries,
    items_forward,
    subset_entries,
    tables_pay,
)
from verify.model._kernels.simd import fma, vfma, vload, vsplat, vstore, vzero

MODES = ("auto", "samples", "classes", "subsets")
GRADIENTS = ("auto", "items", "subset_sums")


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
def projection_blocks(W, O):
    """``(PT, tied)``: the blocked projections of the filters ``W`` on the patterns ``O``
    (:func:`projections`, the same chains, sixteen filters at a time) and whether some filter
    has two equal positive projections (:func:`~verify.model._kernels.classes_numba.block_ties`)."""
    k, d = W.shape
    l = O.shape[0]
    nb = (k + LANES - 1) // LANES
    PT = np.empty((nb, l, LANES))
    ties = np.empty(nb, dtype=np.bool_)
    for b in prange(nb):
        WT = np.zeros(d * LANES)  # the block's filters, transposed; rows past k stay 0
        for r in range(min(LANES, k - b * LANES)):
            for c in range(d):
                WT[c * LANES + r] = W[b * LANES + r, c]
        for p in range(l):
            o = (b * l + p) * LANES
            for v in range(0, LANES, 16):
                a0 = a1 = a2 = a3 = vzero()
                for c in range(d):
                    x = vsplat(O[p, c])
                    w = c * LANES + v
                    a0 = vfma(vload(WT, w), x, a0)
                    a1 = vfma(vload(WT, w + 4), x, a1)
                    a2 = vfma(vload(WT, w + 8), x, a2)
                    a3 = vfma(vload(WT, w + 12), x, a3)
                vstore(PT, o + v, a0)
                vstore(PT, o + v + 4, a1)
                vstore(PT, o + v + 8, a2)
                vstore(PT, o + v + 12, a3)
        ties[b] = block_ties(PT, b)
    return PT, ties.any()


@pjit
def pattern_blocks(P):
    """``(PT, tied)`` from given projections ``P`` (:func:`projection_blocks`)."""
    k, l = P.shape
    nb = (k + LANES - 1) // LANES
    PT = np.zeros((nb, l, LANES))
    ties = np.empty(nb, dtype=np.bool_)
    for b in prange(nb):
        for r in range(min(LANES, k - b * LANES)):
            for p in range(l):
                PT[b, p, r] = P[b * LANES + r, p]
        ties[b] = block_ties(PT, b)
    return PT, ties.any()


def forward_items(PT, tied, a, idx, mode="auto", want_top=True, classes=None):
    """The forward pass on *items*: ``(N (c), top (c x k) or None, cls)``, ``top`` the index of
    the pattern ``p_i(x)`` of Eq. 3 (``-1`` when it is 0), of type :func:`index_dtype` ``(l)``.

    Items are the samples (``cls = None``) or, for ``l <= 64``, classes of samples with the same
    set of patterns (sample ``s`` has item ``cls[s]``; ``classes`` may pass
    :func:`~verify.model._kernels.classes_numba.sample_classes` already computed). ``N`` alone is
    the same for every sample of a class; ``top`` too where no filter has two equal positive
    projections (``not tied``), else ties go by position and ``top`` needs the samples.
    ``mode`` is ``"auto"``, or forces ``"samples"`` (identity table per sample: always exact),
    ``"classes"`` (identity table per class) or ``"subsets"`` (subset tables per class); the
    last two raise ``ValueError`` where they do not apply. Every mode gives each sample the same
    ``N`` and ``top``, bit for bit."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    k = a.shape[0]
    l = PT.shape[1]
    by_class = l <= MAX_CLASS_PATTERNS and not (want_top and tied)
    if mode in ("classes", "subsets") and not by_class:
        raise ValueError(f"mode {mode!r} needs l <= {MAX_CLASS_PATTERNS} patterns and, for top, "
                         "no filter with two equal positive projections")
    subsets = False
    if mode == "samples" or not by_class:
        cls = None
        ent, ne = distinct_entries(idx, np.arange(idx.shape[0]))
    else:
        cls, reps, _ = sample_classes(idx) if classes is None else classes
        ent, ne = distinct_entries(idx, reps)
        if mode != "classes":
            sub_ent, sub_ne = subset_entries(idx, reps, l)
            subsets = mode == "subsets" or tables_pay(l, ne.sum(), sub_ne.sum(), reps.shape[0])
            if subsets:
                ent, ne = sub_ent, sub_ne
    top = np.empty((ent.shape[0] if want_top else 0, k), dtype=index_dtype(l))
    N = items_forward(PT, lane_weights(a), k, ent, ne, subsets, top)
    return N, (top if want_top else None), cls


def pattern_forward(P, a, idx, mode="auto"):
    """``N (m)`` and ``top (m x k)`` for each sample (:func:`forward_items`)."""
    N, top, cls = forward_items(*pattern_blocks(P), a, idx, mode)
    if cls is None:
        return N, top
    return N[cls], top[cls]


def step(PT, tied, a, idx, y, O, want_dense, forward="auto", gradient="auto"):
    """One forward/backward pass from the blocked projections: ``(loss, N, G, da, dW, top)``,
    ``dW = G O`` if ``want_dense`` (else ``0 x 0``) and ``top`` a function returning the
    ``m x k`` array of :func:`forward_items` (made only if asked for).

    ``gradient`` is ``"auto"``, ``"items"`` (:func:`~verify.model._kernels.pattern_grads_numba.
    grads_by_items`, always exact) or ``"subset_sums"`` (:func:`~verify.model._kernels.
    pattern_grads_numba.grads_from_subset_sums`: ``l <= 12`` and no ties, else
    ``ValueError``); ``forward`` is :func:`forward_items`' mode."""
    if gradient not in GRADIENTS:
        raise ValueError(f"gradient must be one of {GRADIENTS}, got {gradient!r}")
    l = PT.shape[1]
    k = a.shape[0]
    sums_apply = not tied and l <= MAX_SUBSET_PATTERNS
    if gradient == "subset_sums" and not sums_apply:
        raise ValueError(f"gradient 'subset_sums' needs l <= {MAX_SUBSET_PATTERNS} patterns and "
                         "no filter with two equal positive projections")
    classes = sample_classes(idx) if l <= MAX_CLASS_PATTERNS else None
    items = idx.shape[0] if classes is None else classes[1].shape[0]
    if gradient == "subset_sums" or (
        gradient == "auto" and sums_apply and subset_sums_pay(l, k, items)
    ):
        # N per class (values only), then the gradient from the classes' subset sums
        N, _, cls = forward_items(PT, tied, a, idx, forward, False, classes)
        N = N if cls is None else N[cls]
        loss, c = loss_and_coefficients(N, y)
        cls, _, masks = classes
        S = subset_sums(masks, class_sums(c, cls, masks.shape[0]), l)
        G, da, dW = grads_from_subset_sums(PT, S, a, O, want_dense)

        def top():
            _, t, cl = forward_items(PT, tied, a, idx, forward, True, classes)
            return t if cl is None else t[cl]

        return loss, N, G, da, dW, top
    # N and top per item; the items' coefficients, then the gradient item by item
    N, t, cls = forward_items(PT, tied, a, idx, forward, True, classes)
    if cls is not None:
        N = N[cls]
    loss, c = loss_and_coefficients(N, y)
    C = c if cls is None else class_sums(c, cls, t.shape[0])
    G, da, dW = grads_by_items(PT, t, a, C, O, want_dense)
    return loss, N, G, da, dW, (lambda: t) if cls is None else (lambda: t[cls])


def pattern_grads(P, top, a, c):
    """``(G, da)`` from projections ``P`` and per-sample ``top``
    (:func:`~verify.model._kernels.pattern_grads_numba.grads_by_items`)."""
    G, da, _ = grads_by_items(pattern_blocks(P)[0], top, a, c, np.zeros((P.shape[1], 0)), False)
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
