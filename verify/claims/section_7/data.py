"""The data of Section 7: points of D (Section 3) in dense form, optionally with noise added to
every pattern occurrence (Figures 3b and 4).

Noise law (the paper only says "independent random noise v ... where ||v|| <= 1.0"): each
position of each sample gets its own ``v``, drawn independently and **uniformly in the ball of
radius** ``noise`` of R^d (direction uniform on the sphere, radius ``noise * U^(1/d)`` with ``U``
uniform on [0, 1]). ``noise = 0`` gives the noise-free data of Figure 3a.

Streams (:func:`verify.rng.generator`): a repeat ``r`` of figure ``fig`` draws its patterns from
``(seed, fig, r, "patterns")``, its training pool from ``(seed, fig, r, "train", n)`` and its
test set from ``(seed, fig, r, "test", n)``. The training sets of a learning curve are the
prefixes of one pool (nested), so every model and every size within a repeat sees the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verify._validate import check_array, check_int, check_positive_float
from verify.model.distribution import dense, sample
from verify.model.patterns import haar_patterns
from verify.rng import generator

__all__ = ["Dataset", "ball_noise", "noisy_samples", "repeat_data"]


def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def ball_noise(m: int, n: int, d: int, radius: float, rng: np.random.Generator) -> np.ndarray:
    """``m x n x d`` independent draws, each uniform in the ball ``{v : ||v|| <= radius}``.

    Examples
    --------
    >>> v = ball_noise(100, 3, 4, 1.0, generator(0, "noise"))
    >>> v.shape, bool((np.linalg.norm(v, axis=2) <= 1.0).all())
    ((100, 3, 4), True)
    """
    m = check_int("m", m, low=0)
    n = check_int("n", n, low=1)
    d = check_int("d", d, low=1)
    radius = check_positive_float("radius", radius, allow_zero=True)
    rng = _check_rng(rng)
    g = rng.standard_normal((m, n, d))
    u = rng.random((m, n, 1))
    norms = np.linalg.norm(g, axis=2, keepdims=True)
    norms[norms == 0] = 1.0  # probability zero; keeps the draw finite
    return g / norms * (radius * u ** (1.0 / d))


@dataclass(frozen=True)
class Dataset:
    """Samples ``X (m x n x d)`` with labels ``y`` in {+1, -1}; ``idx`` are the pattern indices
    the noise-free inputs are built from (``X = O[idx] + v``)."""

    X: np.ndarray
    y: np.ndarray
    idx: np.ndarray

    def __len__(self) -> int:
        return int(self.y.shape[0])

    def head(self, m: int) -> Dataset:
        """The first ``m`` samples."""
        m = check_int("m", m, low=1, high=len(self))
        return Dataset(self.X[:m], self.y[:m], self.idx[:m])

    @property
    def flat(self) -> np.ndarray:
        """The inputs as vectors of R^{nd} (``m x nd``): what the MLP and the SVM see."""
        return self.X.reshape(self.X.shape[0], -1)


def noisy_samples(
    patterns: object, n: int, m: int, rng: np.random.Generator, *, noise: float = 0.0
) -> Dataset:
    """Draw ``m`` points of D (Section 3) with ``l = patterns.shape[0]`` patterns and ``n``
    positions, then add to every position independent noise uniform in the ball of radius
    ``noise`` (Section 7, Fig. 3b: ``||v|| <= 1``). The pattern indices and labels are drawn
    first, then the noise, all from ``rng``.

    Examples
    --------
    >>> O = haar_patterns(4, 4, generator(0, "patterns"))
    >>> S = noisy_samples(O, 3, 5, generator(0, "train"))
    >>> S.X.shape, bool(np.array_equal(S.X, O[S.idx]))
    ((5, 3, 4), True)
    """
    O = check_array("patterns", patterns, ndim=2, dtype=float)
    n = check_int("n", n, low=1)
    m = check_int("m", m, low=1)
    noise = check_positive_float("noise", noise, allow_zero=True)
    rng = _check_rng(rng)
    idx, y = sample(n, O.shape[0], m, rng)
    X = dense(idx, O)
    if noise > 0:
        X = X + ball_noise(m, n, O.shape[1], noise, rng)
    return Dataset(np.ascontiguousarray(X), y, idx)


def repeat_data(
    seed: int,
    figure: str,
    repeat: int,
    *,
    d: int,
    n: int,
    m_train: int,
    m_test: int,
    noise: float,
) -> tuple[np.ndarray, Dataset, Dataset]:
    """One repeat's ``(patterns, training pool, test set)``: ``l = d`` Haar patterns (the rows
    of a uniformly random orthogonal matrix, Section 7), ``m_train`` and ``m_test`` noisy points
    of D, each from its own named stream (see the module docstring)."""
    if not isinstance(figure, str) or not figure:
        raise ValueError(f"figure must be a non-empty string, got {figure!r}")
    repeat = check_int("repeat", repeat, low=0)
    d = check_int("d", d, low=3)
    O = haar_patterns(d, d, generator(seed, figure, repeat, "patterns"))
    train = noisy_samples(O, n, m_train, generator(seed, figure, repeat, "train", n), noise=noise)
    test = noisy_samples(O, n, m_test, generator(seed, figure, repeat, "test", n), noise=noise)
    return O, train, test
