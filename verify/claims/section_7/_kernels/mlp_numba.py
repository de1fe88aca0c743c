"""Numba kernels for the one-hidden-layer MLP baseline of Section 7:
``N(x) = c + sum_i a_i relu(w_i . x + b_i)`` on the flattened input ``x`` in R^{nd}.

Conventions shared with the NumPy twin :mod:`verify.claims.section_7._kernels.mlp_numpy`:
``relu'(0) = 0`` (a unit with pre-activation exactly 0 is inactive); sums over samples run in
sample order. The forward kernel gives each ``prange`` iteration one sample, the gradient kernel
one hidden unit (its row of ``dL/dW``, its ``dL/db_i`` and ``dL/da_i``), so the results do not
depend on the number of threads.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from verify.accelerate import jit, pjit

CHUNK = 16  # samples per parallel task of the forward kernel (each sample is one task's)


@pjit
def mlp_forward(W, b, a, c, X):
    """Outputs ``N (m)`` and pre-activations ``U = X W^T + b (m x h)``; ``c`` has shape (1,).

    ``U[s, i]`` is summed over ``q = 0..p-1`` in order from 0, then ``b[i]`` is added; the loop
    over hidden units is innermost (independent accumulators, so it vectorises without
    reassociating any sum). ``N[s] = c + sum_i a_i relu(U[s, i])``, ``i`` in order."""
    m, p = X.shape
    h = W.shape[0]
    WT = np.ascontiguousarray(W.T)
    N = np.empty(m)
    U = np.empty((m, h))
    nch = (m + CHUNK - 1) // CHUNK
    for ch in prange(nch):
        acc = np.empty(h)
        for s in range(ch * CHUNK, min(m, (ch + 1) * CHUNK)):
            for i in range(h):
                acc[i] = 0.0
            for q in range(p):
                xq = X[s, q]
                for i in range(h):
                    acc[i] += WT[q, i] * xq
            out = c[0]
            for i in range(h):
                u = acc[i] + b[i]
                U[s, i] = u
                if u > 0:
                    out += a[i] * u
            N[s] = out
    return N, U


@jit
def _grad_c(g):
    total = 0.0
    for s in range(g.shape[0]):
        total += g[s]
    return total


@pjit
def mlp_grads(X, U, a, g):
    """Gradients ``(dW (h x p), db (h), da (h), dc (1,))`` of ``sum_s g_s N(x_s)``, given the
    pre-activations ``U`` and the per-sample coefficients ``g`` (for the loss of Eq. 2,
    ``g_s = l'(y_s N_s) y_s / m``)."""
    m, p = X.shape
    h = U.shape[1]
    dW = np.zeros((h, p))
    db = np.zeros(h)
    da = np.zeros(h)
    for i in prange(h):
        ai = a[i]
        sb = 0.0
        sa = 0.0
        for s in range(m):
            u = U[s, i]
            if u > 0:
                gs = g[s]
                sa += gs * u
                delta = gs * ai
                sb += delta
                for q in range(p):
                    dW[i, q] += delta * X[s, q]
        db[i] = sb
        da[i] = sa
    dc = np.empty(1)
    dc[0] = _grad_c(g)
    return dW, db, da, dc
