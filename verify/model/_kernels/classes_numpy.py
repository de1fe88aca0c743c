"""Plain-NumPy twins of :mod:`verify.model._kernels.classes_numba`."""

from __future__ import annotations

import numpy as np


def pattern_sets(idx):
    """Each sample's set of patterns as a bit mask (``l <= 64``)."""
    bits = np.left_shift(np.uint64(1), idx.astype(np.uint64))
    return np.bitwise_or.reduce(bits, axis=1)


def sample_classes(idx):
    masks = pattern_sets(idx)
    _, first, inverse = np.unique(masks, return_index=True, return_inverse=True)
    order = np.argsort(first)  # classes numbered in order of their first sample
    number = np.empty_like(order)
    number[order] = np.arange(order.size)
    return number[inverse.ravel()], first[order], masks[first[order]]


def class_sums(c, cls, n_classes):
    return np.bincount(cls, weights=c, minlength=n_classes)


def positive_ties(P):
    """Whether some row of ``P`` has two equal positive entries."""
    same = (P[:, :, None] == P[:, None, :]) & (P[:, :, None] > 0)
    same &= ~np.eye(P.shape[1], dtype=bool)
    return bool(same.any())
