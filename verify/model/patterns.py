"""The orthonormal patterns ``O = {o_1, ..., o_l}`` of Section 3, stored as the rows of an
``l x d`` array (row 0 is ``o_1``, the positive pattern; row 1 is ``o_2``, the negative one; rows
2.. are the spurious patterns)."""

from __future__ import annotations

import numpy as np

from verify._validate import check_array, check_int

__all__ = ["ORTHONORMAL_TOL", "haar_patterns", "standard_patterns", "validate_patterns"]

ORTHONORMAL_TOL = 1e-10


def haar_patterns(d: int, l: int, rng: np.random.Generator) -> np.ndarray:
    """``l`` orthonormal patterns in R^d: the first ``l`` rows of a Haar-distributed orthogonal
    matrix (QR of a Gaussian matrix with the signs of R's diagonal moved into Q, Mezzadri 2007).

    Examples
    --------
    >>> from verify.rng import generator
    >>> O = haar_patterns(5, 3, generator(0, "patterns"))
    >>> bool(np.allclose(O @ O.T, np.eye(3)))
    True
    """
    d = check_int("d", d, low=1)
    l = check_int("l", l, low=1, high=d)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
    return np.ascontiguousarray(q.T[:l])


def standard_patterns(d: int, l: int) -> np.ndarray:
    """The first ``l`` standard basis vectors of R^d."""
    d = check_int("d", d, low=1)
    l = check_int("l", l, low=1, high=d)
    return np.eye(l, d)


def validate_patterns(O: object, *, tol: float = ORTHONORMAL_TOL) -> np.ndarray:
    """Return ``O`` as a float64 ``l x d`` array after checking ``l >= 3``, ``l <= d`` and
    ``|O O^T - I| <= tol`` entrywise (Section 3: orthonormal patterns)."""
    O = check_array("patterns", O, ndim=2, dtype=float)
    l, d = O.shape
    if l < 3:
        raise ValueError(f"patterns must have at least 3 rows (l >= 3), got {l}")
    if l > d:
        raise ValueError(f"patterns must have l <= d rows, got l={l}, d={d}")
    err = float(np.max(np.abs(O @ O.T - np.eye(l))))
    if err > tol:
        raise ValueError(
            f"patterns must be orthonormal within {tol:g}; max |O O^T - I| = {err:.3g}"
        )
    return O
