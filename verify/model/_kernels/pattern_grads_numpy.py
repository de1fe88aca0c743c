"""Plain-NumPy twin of :func:`verify.model._kernels.pattern_grads_numba.subset_sums` (the per-item
gradient's twin is :func:`verify.model._kernels.network_numpy.pattern_grads`)."""

from __future__ import annotations

import numpy as np


def subset_sums(masks, C, l):
    masks = np.asarray(masks, dtype=np.int64)
    Y = np.arange(1 << l)
    member = (masks[:, None] >> np.arange(l)) & 1  # u x p
    inside = (masks[:, None] & ~Y[None, :]) == 0  # u x Y: U_u subset Y
    return np.einsum("u,up,uY->pY", C, member.astype(float), inside.astype(float))
