"""Numba kernel: the CNN's output ``N(x) = sum_i v_i max_j relu(w_i . x_j)`` in pattern
coordinates, for many inputs at once (the test points of the scaling law).

``Rk = relu(P)`` (``k x l``, ``P[i, p] = w_i . o_p``) and ``idx`` (``m x n``) the patterns of each
input; row ``i`` of ``Rk`` is contiguous, so the inner loop over positions reads ``l`` adjacent
numbers. No array of ``m x k`` features is formed. The plain-NumPy twin is
:func:`verify.claims._kernels.pooled_output_numpy.pooled_output`.
"""

from __future__ import annotations

import numpy as np

from verify.accelerate import jit

__all__ = ["pooled_output"]


@jit
def pooled_output(Rk, v, idx):
    m, n = idx.shape
    k = Rk.shape[0]
    out = np.zeros(m)
    for s in range(m):
        acc = 0.0
        for i in range(k):
            best = Rk[i, idx[s, 0]]
            for j in range(1, n):
                val = Rk[i, idx[s, j]]
                if val > best:
                    best = val
            acc += v[i] * best
        out[s] = acc
    return out
