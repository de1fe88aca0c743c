"""The distribution D of Section 3, in pattern-index form.

A sample is stored as a row of pattern indices ``idx[s, j]`` (0-based: 0 is ``o_1``, 1 is
``o_2``, 2..l-1 are the spurious patterns) and a label ``y[s]`` in {+1, -1}. The dense input
``x[s, j] = O[idx[s, j]]`` is built on demand by :func:`dense`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from verify._validate import check_array, check_int

__all__ = [
    "balanced_event",
    "dense",
    "enumerate_support",
    "sample",
    "split",
    "support_size",
]


def sample(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``m`` iid points of D (Section 3, properties 1-3).

    Returns ``(idx, y)``: ``idx`` is ``m x n`` int64, ``y`` is float64 in {+1, -1}. For each
    point, ``y`` is +1 or -1 with probability 1/2, the discriminative pattern (``o_1`` for
    ``y = +1``, ``o_2`` for ``y = -1``) sits at a uniform position ``j+``, and every other position
    holds an independent uniform spurious pattern ``o_3..o_l``.
    """
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    m = check_int("m", m, low=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    y = np.where(rng.integers(0, 2, size=m) == 1, 1.0, -1.0)
    jplus = rng.integers(0, n, size=m)
    idx = rng.integers(2, l, size=(m, n))
    idx[np.arange(m), jplus] = np.where(y > 0, 0, 1)
    return idx, y


def dense(idx: object, patterns: object) -> np.ndarray:
    """The dense inputs ``x[s, j] = o_{idx[s, j]}``: an ``m x n x d`` float64 array."""
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    idx = check_array("idx", idx, ndim=2, dtype=int)
    if idx.size and (idx.min() < 0 or idx.max() >= O.shape[0]):
        raise ValueError(f"idx must hold pattern indices in [0, {O.shape[0] - 1}]")
    return np.ascontiguousarray(O[idx])


def support_size(n: int, l: int) -> int:
    """``|supp D| = 2 n (l-2)^(n-1)``: label, position of the discriminative pattern, and the
    spurious pattern at each other position. Every point of the support has probability
    ``1/|supp D|``."""
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    return 2 * n * (l - 2) ** (n - 1)


def enumerate_support(
    n: int, l: int, *, max_size: int = 2_000_000
) -> tuple[np.ndarray, np.ndarray]:
    """Every point of the support of D, each once, as ``(idx, y)`` in a fixed order (positives
    first). Raises if the support has more than ``max_size`` points."""
    size = support_size(n, l)
    max_size = check_int("max_size", max_size, low=1)
    if size > max_size:
        raise ValueError(
            f"n, l: the support of D has {size} points, more than max_size={max_size}"
        )
    idx = np.empty((size, n), dtype=np.int64)
    y = np.empty(size)
    row = 0
    for label, disc in ((1.0, 0), (-1.0, 1)):
        for jplus in range(n):
            for spur in itertools.product(range(2, l), repeat=n - 1):
                idx[row, :jplus] = spur[:jplus]
                idx[row, jplus] = disc
                idx[row, jplus + 1 :] = spur[jplus:]
                y[row] = label
                row += 1
    return idx, y


def split(m: int) -> tuple[slice, slice]:
    """The split of Section 3: ``S_1`` is the first ``ceil(m/2)`` samples, ``S_2`` the rest."""
    m = check_int("m", m, low=1)
    m1 = math.ceil(m / 2)
    return slice(0, m1), slice(m1, m)


def balanced_event(y1: object) -> bool:
    """The event of Eq. 14, read as its proof uses it: ``|S_1+| >= m_1/3`` and
    ``|S_1-| >= m_1/3``, for the labels ``y1`` of ``S_1``. (The text prints
    ``|S_1+|/m_1, |S_1-|/m_1 >= m_1/3``, a typo.)"""
    y1 = np.asarray(y1, dtype=np.float64)
    if y1.ndim != 1 or y1.size < 1:
        raise ValueError(f"y1 must be a non-empty vector of labels, got shape {y1.shape}")
    if not np.all((y1 == 1) | (y1 == -1)):
        raise ValueError("y1 must contain only +1 and -1")
    m1 = y1.size
    return bool(3 * np.sum(y1 > 0) >= m1 and 3 * np.sum(y1 < 0) >= m1)
