"""Plain-NumPy twin of :mod:`verify.claims._kernels.pooled_output_numba`: the pooled features
``z(x)`` (elementwise maximum of the rows ``relu(P)^T[idx[s, j]]``) and ``N(x) = z(x) . v``."""

from __future__ import annotations

import numpy as np

__all__ = ["pooled_features", "pooled_output"]


def pooled_features(R: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``z (m x k)`` from ``R = relu(P)^T`` (``l x k``) and ``idx`` (``m x n``)."""
    out = R[idx[:, 0]].copy()
    for j in range(1, idx.shape[1]):
        np.maximum(out, R[idx[:, j]], out=out)
    return out


def pooled_output(Rk: np.ndarray, v: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``N (m)`` from ``Rk = relu(P)`` (``k x l``), the second layer ``v`` and ``idx``."""
    return pooled_features(np.ascontiguousarray(Rk.T), idx) @ v
