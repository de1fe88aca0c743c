"""Numba kernels that let the pattern path compute once per *class* of samples.

A class is a set of samples with the same set of patterns (``{idx[s, j] : j}``), whatever their
order and multiplicity. Every filter's pooled value ``max_j relu(P[i, idx[s, j]])`` depends
only on that set, so samples of one class have the same features and the same ``N``. Where no
filter has two equal positive projections (:func:`block_ties` is false), the value is attained
by one pattern, and they have the same ``top`` too; with ties the first position decides (the
paths' tie rule), the order of the positions matters, and ``top`` is made sample by sample.
"""

from __future__ import annotations

import numpy as np

from verify.accelerate import jit
from verify.model._kernels.lanes import _u

MAX_CLASS_PATTERNS = 64  # a class is keyed by a 64-bit mask of its patterns


@jit
def sample_classes(idx):
    """``(cls (m), reps (c), masks (c))``: ``cls[s]`` is the class of sample ``s``, classes
    numbered in order of their first sample, ``reps[u]`` is that first sample and ``masks[u]``
    the class's set of patterns (bit ``p`` for pattern ``p``). Needs ``l <= 64``."""
    m, n = idx.shape
    masks = np.zeros(m, dtype=np.uint64)
    for s in range(m):
        mask = np.uint64(0)
        for j in range(n):
            mask |= np.uint64(1) << np.uint64(idx[s, j])
        masks[s] = mask
    order = np.argsort(masks, kind="mergesort")  # stable: each run of equal masks starts with
    first = np.empty(m, dtype=np.int64)  # its smallest sample
    for t in range(m):
        s = order[t]
        if t == 0 or masks[s] != masks[order[t - 1]]:
            f = s
        first[s] = f
    cls = np.empty(m, dtype=np.int64)
    number = np.empty(m, dtype=np.int64)
    c = 0
    for s in range(m):  # first[s] <= s: numbered before s is reached
        if first[s] == s:
            number[s] = c
            c += 1
        cls[s] = number[first[s]]
    reps = np.empty(c, dtype=np.int64)
    for s in range(m):
        if first[s] == s:
            reps[cls[s]] = s
    return cls, reps, masks[reps]


@jit
def class_sums(c, cls, n_classes):
    """``C[u] = sum_{s : cls[s] = u} c[s]``, the samples in order."""
    C = np.zeros(n_classes)
    for s in range(c.shape[0]):
        C[cls[s]] += c[s]
    return C


@jit
def block_ties(PT, b):
    """Whether a filter of block ``b`` of the blocked projections ``PT[b, p, r] = P[b*LANES + r,
    p]`` has two equal positive projections, ``P[i, p] = P[i, q] > 0`` with ``p != q``. Not
    checked for more than :data:`MAX_CLASS_PATTERNS` patterns (classes are not used then):
    reported true."""
    _, l, lanes = PT.shape
    if l > MAX_CLASS_PATTERNS:
        return True
    t = 0
    for p in range(l):
        for q in range(p + 1, l):
            for r in range(lanes):
                x = PT[b, p, _u(r)]
                if x > 0.0 and x == PT[b, q, _u(r)]:
                    t += 1
    return t > 0
