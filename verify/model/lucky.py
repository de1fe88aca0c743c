"""The sets of Section 5, Part 1 (Eq. 6): ``A+``, ``A-``, ``W_t+``, ``W_t-`` and the "lucky"
filters ``W_0+ ∩ A+`` and ``W_0- ∩ A-``.

All functions take the filters in pattern coordinates, ``P = W O^T`` (``k x l``; column 0 is
``o_1``, column 1 is ``o_2``), which is all the definitions depend on.
"""

from __future__ import annotations

import numpy as np

from verify._validate import check_array

__all__ = ["lucky_filters", "w_minus", "w_plus"]


def _check_P(P: object) -> np.ndarray:
    P = check_array("P", P, ndim=2, dtype=float)
    if P.shape[1] < 3:
        raise ValueError(f"P must have l >= 3 columns (one per pattern), got {P.shape[1]}")
    return P


def _detects(P: np.ndarray, own: int, other: int) -> np.ndarray:
    """``argmax over O minus {o_other} of w . o = o_own`` and ``w . o_own > 0``.

    The argmax is taken as unique: a filter whose ``o_own`` projection ties with another
    pattern's is not counted (a measure-zero event under the initialisation of Section 5).
    """
    rest = np.delete(P, [own, other], axis=1)
    return (P[:, own] > rest.max(axis=1)) & (P[:, own] > 0)


def w_plus(P: object) -> np.ndarray:
    """Boolean mask of ``W_t+`` (Eq. 6) for the filters ``P = W^(t) O^T``."""
    return _detects(_check_P(P), 0, 1)


def w_minus(P: object) -> np.ndarray:
    """Boolean mask of ``W_t-`` (Eq. 6) for the filters ``P = W^(t) O^T``."""
    return _detects(_check_P(P), 1, 0)


def lucky_filters(P0: object, a0: object) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks of ``W_0+ ∩ A+`` and ``W_0- ∩ A-`` (Section 5, Part 1) from the initial
    filters in pattern coordinates ``P0 = W^(0) O^T`` and the initial output weights ``a0``.

    Examples
    --------
    >>> P0 = np.array([[0.9, 0.1, 0.2], [0.1, 0.8, 0.3], [0.5, 0.1, 0.6]])
    >>> plus, minus = lucky_filters(P0, np.array([1.0, -1.0, 1.0]))
    >>> plus.tolist(), minus.tolist()
    ([True, False, False], [False, True, False])
    """
    P0 = _check_P(P0)
    a0 = check_array("a0", a0, ndim=1, dtype=float)
    if a0.shape[0] != P0.shape[0]:
        raise ValueError(f"a0 must have length k = {P0.shape[0]}, got {a0.shape[0]}")
    return w_plus(P0) & (a0 == 1.0), w_minus(P0) & (a0 == -1.0)
