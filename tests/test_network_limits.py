""":mod:`verify.model.network` at the edges of its input: an empty batch, d =
0, magnitudes that would overflow float64, and ``forward``'s memory, bounded by a block of samples x
filters rather than by ``m x k`` (streamed over filters with the bits of one call)."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from verify.model import network
from verify.model._kernels import network_numba
from verify.model.network import (
    FORWARD_BLOCK,
    features,
    forward,
    forward_blocks,
    forward_patterns,
    loss_and_grads,
    loss_and_grads_patterns,
    pattern_step,
    projections,
)
from verify.model.patterns import standard_patterns
from verify.rng import generator

BACKENDS = ["numba", "numpy"]


def _net(k: int, d: int, m: int, n: int, seed: int = 0):
    rng = generator(seed, "limits")
    return (rng.standard_normal((k, d)), rng.standard_normal(k), rng.standard_normal((m, n, d)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_loss_and_grads__empty_batch_names_X(backend):
    W, a, X = _net(4, 3, 2, 2)
    with pytest.raises(ValueError, match=r"^X must hold at least one sample"):
        loss_and_grads(W, a, X[:0], np.ones(0), backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_pattern_path__empty_batch_names_idx(backend):
    W, a, _ = _net(4, 3, 2, 2)
    O = standard_patterns(3, 3)
    idx = np.zeros((0, 2), dtype=int)
    with pytest.raises(ValueError, match=r"^idx must hold at least one sample"):
        loss_and_grads_patterns(W, a, O, idx, np.ones(0), backend=backend)
    with pytest.raises(ValueError, match=r"^idx must hold at least one sample"):
        pattern_step(W @ O.T, a, idx, np.ones(0), backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_forward__empty_batch_gives_no_outputs(backend):
    W, a, X = _net(4, 3, 2, 2)
    assert forward(W, a, X[:0], backend=backend).shape == (0,)


@pytest.mark.parametrize("backend", BACKENDS)
def test_forward__d_zero_is_rejected(backend):
    with pytest.raises(ValueError, match=r"^W must have at least one column \(d >= 1\)"):
        forward(np.ones((2, 0)), np.ones(2), np.ones((1, 1, 0)), backend=backend)
    with pytest.raises(ValueError, match=r"^W must have at least one column"):
        loss_and_grads(np.ones((2, 0)), np.ones(2), np.ones((1, 1, 0)), np.ones(1),
                       backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("scale_w", "scale_a", "scale_x", "names"),
    [(1e300, 1.0, 1.0, "W and X"), (1.0, 1.0, 1e305, "W and X"), (1e200, 1e200, 1.0, "W, a and X"),
     (1e160, 1.0, 1e160, "W and X")],
)
def test_forward__overflowing_magnitudes_are_refused(backend, scale_w, scale_a, scale_x, names):
    W, a, X = _net(3, 4, 2, 2)
    W, a, X = W * scale_w, a * scale_a, X * scale_x
    for call in (lambda: forward(W, a, X, backend=backend),
                 lambda: loss_and_grads(W, a, X, np.ones(2), backend=backend)):
        with pytest.raises(ValueError, match=f"^{names} are too large for float64"):
            call()
    if names == "W and X":
        with pytest.raises(ValueError, match="too large for float64"):
            features(W, X, backend=backend)


def test_pattern_path__overflowing_magnitudes_are_refused():
    W, a, _ = _net(3, 4, 2, 2)
    O = standard_patterns(4, 3)
    idx = np.array([[0, 1], [2, 0]])
    with pytest.raises(ValueError, match=r"^W and patterns are too large"):
        projections(W * 1e300, O * 1e300)
    with pytest.raises(ValueError, match=r"^W, a and patterns are too large"):
        forward_patterns(W * 1e200, a * 1e200, O, idx)
    with pytest.raises(ValueError, match=r"^P and a are too large"):
        pattern_step(np.full((3, 3), 1e300), a * 1e10, idx, np.ones(2))


def test_forward__large_but_safe_magnitudes_give_finite_outputs():
    W, a, X = _net(3, 4, 2, 2)
    N = forward(W * 1e90, a * 1e90, X * 1e90)  # |N| up to about 1e271: finite
    assert np.all(np.isfinite(N))
    assert np.any(N != 0)


@pytest.mark.parametrize(("m", "k"), [(1, 1), (3, 5), (7, 3000), (2, 1024), (5, 2049),
                                      (1000, 1_000_000), (10**6, 1000)])
@pytest.mark.parametrize("block", [1 << 16, FORWARD_BLOCK])
def test_forward_blocks__cover_everything_in_order_within_the_bound(m, k, block):
    span = 1024
    by_rows: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for s0, s1, i0, i1 in forward_blocks(m, k, block):
        assert (s1 - s0) * (i1 - i0) <= max(block, span)
        assert i0 % span == 0  # whole spans: the bits of one call
        by_rows.setdefault((s0, s1), []).append((i0, i1))
    # every (sample, filter) exactly once; for each sample, filters in increasing order
    rows = list(by_rows)
    assert rows[0][0] == 0
    assert rows[-1][1] == m
    assert all(a[1] == b[0] for a, b in itertools.pairwise(rows))
    for cols in by_rows.values():
        assert cols[0][0] == 0
        assert cols[-1][1] == k
        assert all(a[1] == b[0] for a, b in itertools.pairwise(cols))


@pytest.mark.parametrize(("m", "k", "block"), [(5, 3000, 2048), (37, 5000, 2048),
                                               (3, 2500, 4096), (64, 1025, 1024)])
def test_forward__streamed_equals_one_call_bit_for_bit(monkeypatch, m, k, block):
    W, a, X = _net(k, 4, m, 3, seed=k)
    whole = network_numba.dense_forward(W, a, X, False)[0]
    monkeypatch.setattr(network, "FORWARD_BLOCK", block)
    assert len(list(forward_blocks(m, k))) > 1
    assert_array_equal(forward(W, a, X), whole)
    assert np.allclose(forward(W, a, X, backend="numpy"), whole, rtol=1e-12, atol=1e-12)


def test_forward__streamed_dense_path_equals_pattern_path_bit_for_bit(monkeypatch):
    O = standard_patterns(6, 5)
    rng = generator(1, "limits", "patterns")
    W, a = rng.standard_normal((3000, 6)), rng.standard_normal(3000)
    idx = rng.integers(0, 5, size=(9, 4))
    monkeypatch.setattr(network, "FORWARD_BLOCK", 2048)
    assert_array_equal(forward(W, a, O[idx]), forward_patterns(W, a, O, idx))


def test_forward__memory_is_bounded_by_the_block(monkeypatch):
    """NumPy's allocations are traced (Numba's are not, hence the NumPy backend: both stream
    over the same blocks). One call on the whole input would need m x k x n doubles."""
    m, k, n, d = 64, 20_000, 4, 2
    W, a, X = _net(k, d, m, n)
    monkeypatch.setattr(network, "FORWARD_BLOCK", 1 << 14)
    whole = m * k * n * 8  # bytes of the m x k x n products of one call: 41 MB
    tracemalloc.start()
    try:
        forward(W, a, X, backend="numpy")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    bound = 8 * (1 << 14) * n * 4  # a few arrays of one block's size
    assert peak < bound < whole / 4, (peak, bound, whole)
