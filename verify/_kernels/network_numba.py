"""Numba kernels for N_CNN (Eq. 1), the logistic loss (Eq. 2) and their gradients.

Conventions shared with the NumPy twins in :mod:`verify._kernels.network_numpy`:

- the max over positions breaks ties by the first position ``j``;
- ``relu'(0) = 0``: a filter whose best dot product is ``<= 0`` has no active pattern
  (``jstar = -1`` / ``top = -1``), feature 0 and no gradient;
- dot products accumulate over coordinates in order from 0.0, the same way in the dense path and
  in :func:`projections`, so the two paths see bit-identical activations and break ties alike.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from verify.accelerate import jit, pjit

BLOCK = 128  # filters per parallel block in the gradient kernels


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


@pjit
def dense_forward(W, a, X):
    """Dense path: ``N (m)``, features ``z (m x k)`` and argmax positions ``jstar (m x k)``."""
    m, n, d = X.shape
    k = W.shape[0]
    WT = np.ascontiguousarray(W.T)
    N = np.zeros(m)
    z = np.zeros((m, k))
    jstar = np.full((m, k), -1, dtype=np.int32)
    for s in prange(m):
        best = np.full(k, -np.inf)
        jb = np.zeros(k, dtype=np.int32)
        acc = np.empty(k)
        for j in range(n):
            acc[:] = 0.0
            for c in range(d):
                xc = X[s, j, c]
                for i in range(k):
                    acc[i] += WT[c, i] * xc
            for i in range(k):
                if acc[i] > best[i]:
                    best[i] = acc[i]
                    jb[i] = j
        total = 0.0
        for i in range(k):
            if best[i] > 0.0:
                z[s, i] = best[i]
                jstar[s, i] = jb[i]
                total += a[i] * best[i]
        N[s] = total
    return N, z, jstar


@pjit
def dense_grads(X, z, jstar, a, c):
    """``dL/dW (k x d)`` and ``dL/da (k)`` from the forward pass and the coefficients ``c``."""
    m, n, d = X.shape
    k = z.shape[1]
    G = np.zeros((k, d))
    da = np.zeros(k)
    nblocks = (k + BLOCK - 1) // BLOCK
    for b in prange(nblocks):
        i0 = b * BLOCK
        i1 = min(k, i0 + BLOCK)
        for s in range(m):
            cs = c[s]
            for i in range(i0, i1):
                j = jstar[s, i]
                if j >= 0:
                    for q in range(d):
                        G[i, q] += cs * X[s, j, q]
                    da[i] += cs * z[s, i]
        for i in range(i0, i1):
            for q in range(d):
                G[i, q] *= a[i]
    return G, da


@pjit
def projections(W, O):
    """``P = W O^T (k x l)``, the filters in pattern coordinates, summed as in the dense path."""
    k, d = W.shape
    l = O.shape[0]
    P = np.zeros((k, l))
    for i in prange(k):
        for p in range(l):
            acc = 0.0
            for c in range(d):
                acc += W[i, c] * O[p, c]
            P[i, p] = acc
    return P


@pjit
def positive_order(P):
    """Per filter: its positive projections' pattern indices sorted by decreasing value, their
    count, and whether two of them are exactly equal (then the caller scans positions)."""
    k, l = P.shape
    order = np.zeros((k, l), dtype=np.int16)
    count = np.zeros(k, dtype=np.int64)
    tie = np.zeros(k, dtype=np.bool_)
    for i in prange(k):
        c = 0
        for p in range(l):
            v = P[i, p]
            if v > 0.0:
                q = c
                while q > 0 and P[i, order[i, q - 1]] < v:
                    order[i, q] = order[i, q - 1]
                    q -= 1
                order[i, q] = p
                c += 1
        count[i] = c
        for q in range(1, c):
            if P[i, order[i, q]] == P[i, order[i, q - 1]]:
                tie[i] = True
    return order, count, tie


@jit
def pattern_masks(idx):
    """Bitmask of the patterns present in each sample (``l <= 64``)."""
    m, n = idx.shape
    masks = np.zeros(m, dtype=np.uint64)
    for s in range(m):
        b = np.uint64(0)
        for j in range(n):
            b |= np.uint64(1) << np.uint64(idx[s, j])
        masks[s] = b
    return masks


@pjit
def pattern_forward(P, a, idx, order, count, tie, masks, use_masks):
    """Pattern path: ``N (m)`` and ``top (m x k)``, the index of the pattern ``p_i(x)`` of Eq. 3
    (``-1`` when it is 0)."""
    m, n = idx.shape
    k = P.shape[0]
    N = np.zeros(m)
    top = np.empty((m, k), dtype=np.int16)
    one = np.uint64(1)
    for s in prange(m):
        B = masks[s]
        total = 0.0
        for i in range(k):
            t = -1
            if use_masks and not tie[i]:
                for q in range(count[i]):
                    p = order[i, q]
                    if (B >> np.uint64(p)) & one:
                        t = p
                        break
            else:
                t = idx[s, 0]
                best = P[i, t]
                for j in range(1, n):
                    v = P[i, idx[s, j]]
                    if v > best:
                        best = v
                        t = idx[s, j]
                if not best > 0.0:
                    t = -1
            top[s, i] = t
            if t >= 0:
                total += a[i] * P[i, t]
        N[s] = total
    return N, top


@pjit
def pattern_grads(P, top, a, c):
    """``dL/dW`` in pattern coordinates (``k x l``: ``dL/dw_i = sum_p G[i, p] o_p``) and
    ``dL/da``."""
    m, k = top.shape
    l = P.shape[1]
    G = np.zeros((k, l))
    da = np.zeros(k)
    nblocks = (k + BLOCK - 1) // BLOCK
    for b in prange(nblocks):
        i0 = b * BLOCK
        i1 = min(k, i0 + BLOCK)
        for s in range(m):
            cs = c[s]
            for i in range(i0, i1):
                t = top[s, i]
                if t >= 0:
                    G[i, t] += cs
                    da[i] += cs * P[i, t]
        for i in range(i0, i1):
            for p in range(l):
                G[i, p] *= a[i]
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
