"""Plain-NumPy reference twins of :mod:`verify.model._kernels.network_numba` (same conventions: ties
to the first position, ``relu'(0) = 0``). Slow and obvious on purpose."""

from __future__ import annotations

import numpy as np

from verify.model._kernels.dtypes import index_dtype


def softplus_neg(z):
    return np.logaddexp(0.0, -np.asarray(z, dtype=np.float64))


def dsoftplus_neg(z):
    z = np.asarray(z, dtype=np.float64)
    return -np.exp(-np.logaddexp(0.0, z))


def loss_and_coefficients(N, y):
    z = y * N
    return float(np.mean(softplus_neg(z))), dsoftplus_neg(z) * y / N.shape[0]


def dense_forward(W, a, X, want_z=True):
    prods = np.einsum("snc,kc->skn", X, W)  # m x k x n
    jb = np.argmax(prods, axis=2)  # first maximal position
    best = np.take_along_axis(prods, jb[:, :, None], axis=2)[:, :, 0]
    active = best > 0
    z = np.where(active, best, 0.0)
    jstar = np.where(active, jb, -1).astype(index_dtype(X.shape[1]))
    return z @ a, z, jstar  # z whatever want_z says


def dense_grads(X, W, jstar, a, c):
    m = X.shape[0]
    active = (jstar >= 0).astype(np.float64)
    xs = X[np.arange(m)[:, None], np.maximum(jstar, 0)]  # m x k x d: x_s[jstar_si]
    z = active * np.einsum("skd,kd->sk", xs, W)  # w_i . p_i(x_s)
    G = np.einsum("s,sk,skd->kd", c, active, xs) * a[:, None]
    return G, c @ z


def projections(W, O):
    return W @ O.T


def from_patterns(G, O):
    return G @ O


def pattern_forward(P, a, idx):
    vals = P[:, idx]  # k x m x n
    jb = np.argmax(vals, axis=2)
    best = np.take_along_axis(vals, jb[:, :, None], axis=2)[:, :, 0]  # k x m
    tops = np.take_along_axis(idx, jb.T, axis=1)  # m x k
    active = best.T > 0
    top = np.where(active, tops, -1).astype(index_dtype(P.shape[1]))
    z = np.where(active, best.T, 0.0)
    return z @ a, top


def pattern_grads(P, top, a, c):
    _m, _k = top.shape
    l = P.shape[1]
    onehot = (top[:, :, None] == np.arange(l)[None, None, :]).astype(np.float64)  # m x k x l
    G = np.einsum("s,skp->kp", c, onehot) * a[:, None]
    z = pattern_features(P, top)
    return G, c @ z


def pattern_features(P, top):
    k = P.shape[0]
    vals = P[np.arange(k)[None, :], np.maximum(top, 0)]
    return np.where(top >= 0, vals, 0.0)
