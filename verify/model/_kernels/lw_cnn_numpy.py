"""NumPy twin of :mod:`verify.model._kernels.lw_cnn_numba`: plain gradient descent on ``a``."""

from __future__ import annotations

import numpy as np

from verify.model._kernels.network_numpy import loss_and_coefficients


def second_layer_direct(Z, y, a0, eta2, T2):
    """``a^(T2)`` and every loss, by ``a <- a - eta2 Z^T c``."""
    a = a0.copy()
    losses = []
    for t in range(T2 + 1):
        loss, c = loss_and_coefficients(Z @ a, y)
        losses.append(loss)
        if t < T2:
            a = a - eta2 * (Z.T @ c)
    return a, np.array(losses)
