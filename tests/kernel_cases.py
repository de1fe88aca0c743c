"""Hypothesis strategies shared by the kernel tests: shapes at the kernels' edges (``k = 1`` and
the block boundaries ``LANES - 1, LANES, LANES + 1``; ``m = 1`` and sizes around the chunking of
the samples; ``n = 1`` and ``n`` not a multiple of 5; any ``d``), and two kinds of values: real
(Gaussian: no ties, with probability 1) and integer (exact arithmetic, many ties)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from verify.model._kernels.lanes import LANES
from verify.model.patterns import haar_patterns, standard_patterns
from verify.rng import generator

k_values = st.one_of(
    st.sampled_from([1, 2, LANES - 1, LANES, LANES + 1, 2 * LANES + 3]), st.integers(1, 150)
)
m_values = st.one_of(st.sampled_from([1, 2, 7, 8, 9, 17]), st.integers(1, 40))


@st.composite
def dense_cases(draw):
    """``(W, a, X, y, kind, seed)``; ``kind = "integer"`` gives exact arithmetic and many ties."""
    k, m = draw(k_values), draw(m_values)
    n, d = draw(st.integers(1, 12)), draw(st.integers(1, 9))
    kind = draw(st.sampled_from(["real", "integer"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = generator(seed, "kernel-twin", "dense")
    if kind == "real":
        W = rng.standard_normal((k, d))
        X = rng.standard_normal((m, n, d))
        a = rng.standard_normal(k)
    else:
        W = rng.integers(-2, 3, size=(k, d)).astype(float)
        X = rng.integers(-1, 2, size=(m, n, d)).astype(float)
        a = rng.integers(-2, 3, size=k).astype(float)
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    return W, a, X, y, kind, seed


@st.composite
def pattern_cases(draw):
    """``(W, a, O, idx, y, kind, seed)`` with ``l <= d`` patterns; samples repeat patterns."""
    k, m = draw(k_values), draw(m_values)
    n, d = draw(st.integers(1, 7)), draw(st.integers(1, 9))
    l = draw(st.integers(1, d))
    kind = draw(st.sampled_from(["real", "integer"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = generator(seed, "kernel-twin", "pattern")
    if kind == "real":
        O = haar_patterns(d, l, rng)
        W = rng.standard_normal((k, d))
        a = rng.standard_normal(k)
    else:  # standard-basis patterns and integer filters: P has exact ties
        O = standard_patterns(d, l)
        W = rng.integers(-2, 3, size=(k, d)).astype(float)
        a = rng.integers(-2, 3, size=k).astype(float)
    idx = rng.integers(0, l, size=(m, n))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    return W, a, O, idx, y, kind, seed


def scale(a, z):
    """The size of ``N = z a``: absolute tolerances are relative to it."""
    return 1.0 + float(np.max(np.abs(z) @ np.abs(a)))
