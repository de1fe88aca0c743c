"""Numba kernel of LW_CNN's second layer (gradient descent in the span of the features)."""

from __future__ import annotations

import numpy as np

from verify.accelerate import jit
from verify.model._kernels.network_numba import loss_and_coefficients


@jit
def second_layer_span(K, N0, y, eta2, T2, record_every):
    """``beta`` after ``T2`` steps and the recorded losses; ``N = N0 + K beta``."""
    m = K.shape[0]
    beta = np.zeros(m)
    N = N0.copy()
    nrec = T2 // record_every + 1 + (1 if T2 % record_every else 0)
    losses = np.empty(nrec)
    r = 0
    for t in range(T2 + 1):
        loss, c = loss_and_coefficients(N, y)
        if t % record_every == 0 or t == T2:
            losses[r] = loss
            r += 1
        if t == T2:
            break
        for s in range(m):
            beta[s] -= eta2 * c[s]
        N = N0 + K @ beta
    return beta, losses[:r]
