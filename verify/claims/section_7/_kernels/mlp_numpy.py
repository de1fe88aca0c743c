"""Plain-NumPy reference twin of :mod:`verify.claims.section_7._kernels.mlp_numba` (same
conventions: ``relu'(0) = 0``). Obvious on purpose."""

from __future__ import annotations

import numpy as np


def mlp_forward(W, b, a, c, X):
    U = X @ W.T + b
    return np.maximum(U, 0.0) @ a + c[0], U


def mlp_grads(X, U, a, g):
    active = (U > 0).astype(np.float64)
    delta = g[:, None] * active * a[None, :]  # m x h: dN_s/du_si times g_s
    return delta.T @ X, delta.sum(axis=0), g @ (active * U), np.array([g.sum()])
