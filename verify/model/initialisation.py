"""The initialisation of Section 5: each filter uniform on the sphere of radius ``r`` in R^d,
each output weight uniform in {+1, -1}, all independent."""

from __future__ import annotations

import numpy as np

from verify._validate import check_int, check_positive_float

__all__ = ["initialise"]


def initialise(
    k: int, d: int, r: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``(W0, a0)``: ``W0`` is ``k x d`` with rows uniform on ``{w : ||w|| = r}`` (normalised
    Gaussians), ``a0`` is float64 in {+1, -1}. ``W0`` is drawn before ``a0`` from ``rng``; the two
    are independent."""
    k = check_int("k", k, low=1)
    d = check_int("d", d, low=1)
    r = check_positive_float("r", r)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    g = rng.standard_normal((k, d))
    W0 = r * g / np.linalg.norm(g, axis=1, keepdims=True)
    a0 = np.where(rng.integers(0, 2, size=k) == 1, 1.0, -1.0)
    return W0, a0
