"""Training sets by class counts (:mod:`verify.model.class_counts`): the counts' law against
per-sample draws (exact multinomial pmf, chi-square goodness of fit at level 1e-9 per test), the
first layer on counts against :func:`~verify.model.lw_cnn.first_layer` on the samples, the
second layer's limit against the separator of every sample of ``S_2``, validation and
determinism."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from verify.model.class_counts import (
    draw_counts,
    first_layer_counts,
    limit_by_counts,
    support_index,
    support_with_probabilities,
)
from verify.model.distribution import enumerate_support, sample
from verify.model.initialisation import initialise
from verify.model.lw_cnn import first_layer
from verify.model.network import classify, pattern_features
from verify.model.patterns import haar_patterns
from verify.model.separators import min_norm_separator
from verify.rng import generator

LEVEL = 1e-9  # per chi-square test; the file runs 3 at the correct law: false alarm < 1e-8


@pytest.mark.parametrize(("n", "l"), [(1, 3), (2, 4), (3, 3), (3, 5), (4, 4)])
def test_support_index_inverts_enumerate_support(n, l):
    idx, y = enumerate_support(n, l)
    assert_array_equal(support_index(idx, y, n, l), np.arange(y.shape[0]))


def test_support_index_rejects_points_outside_the_support():
    with pytest.raises(ValueError, match="idx, y"):
        support_index(np.array([[0, 1]]), np.array([1.0]), 2, 4)  # both discriminative
    with pytest.raises(ValueError, match="idx, y"):
        support_index(np.array([[2, 3]]), np.array([1.0]), 2, 4)  # no discriminative
    with pytest.raises(ValueError, match="n"):
        support_index(np.array([[0, 2]]), np.array([1.0]), 3, 4)


def test_support_probabilities_are_uniform():
    idx, _y, p = support_with_probabilities(3, 4)
    assert idx.shape == (2 * 3 * 2**2, 3)
    assert_allclose(p, 1 / 24)
    assert math.isclose(p.sum(), 1.0)


# ----------------------------------------------------------------------------- the counts' law

N, L, M, R = 2, 4, 3, 20_000  # support 8; S_1: 2 samples, S_2: 1


def _outcomes():
    size = 2 * N * (L - 2) ** (N - 1)
    vecs1 = [c for c in itertools.product(range(3), repeat=size) if sum(c) == 2]
    keys = {(c1, u): i for i, (c1, u) in enumerate(itertools.product(vecs1, range(size)))}
    pmf = np.empty(len(keys))
    for (c1, _u), i in keys.items():
        pmf[i] = math.factorial(2) / math.prod(math.factorial(c) for c in c1) / size**3
    return keys, pmf


def _p_value(counts1, counts2):
    keys, pmf = _outcomes()
    obs = np.zeros(len(keys))
    for c1, c2 in zip(counts1, counts2, strict=True):
        obs[keys[(tuple(int(v) for v in c1), int(np.argmax(c2)))]] += 1
    assert math.isclose(pmf.sum(), 1.0)
    return stats.chisquare(obs, pmf * obs.sum()).pvalue


def test_draw_counts_has_the_multinomial_law():
    rng = generator(11, "class-counts-law")
    c = [draw_counts(N, L, M, rng) for _ in range(R)]
    assert _p_value([a for a, _ in c], [b for _, b in c]) > LEVEL


def test_per_sample_draws_have_the_same_law():
    idx, y = sample(N, L, M * R, generator(12, "class-counts-law"))
    u = support_index(idx, y, N, L).reshape(R, M)
    size = 2 * N * (L - 2) ** (N - 1)
    c1 = np.stack([np.bincount(r[:2], minlength=size) for r in u])
    c2 = np.stack([np.bincount(r[2:], minlength=size) for r in u])
    assert _p_value(c1, c2) > LEVEL


def test_the_law_test_rejects_a_wrong_sampler():
    rng = generator(13, "class-counts-law")
    size = 2 * N * (L - 2) ** (N - 1)
    p = np.ones(size)
    p[0] = 1.5
    p /= p.sum()
    c1 = rng.multinomial(2, p, size=R)
    c2 = rng.multinomial(1, p, size=R)
    assert _p_value(c1, c2) < LEVEL


def test_draw_counts_sums_and_determinism():
    a1, a2 = draw_counts(3, 5, 10**7, generator(0, "c"))
    b1, b2 = draw_counts(3, 5, 10**7, generator(0, "c"))
    assert a1.sum() == 5 * 10**6
    assert a2.sum() == 5 * 10**6
    assert_array_equal(a1, b1)
    assert_array_equal(a2, b2)
    c1, c2 = draw_counts(3, 5, 7, generator(0, "c"))
    assert (c1.sum(), c2.sum()) == (4, 3)


def test_draw_counts_validates():
    with pytest.raises(ValueError, match="m"):
        draw_counts(3, 5, 0, generator(0))
    with pytest.raises(ValueError, match="rng"):
        draw_counts(3, 5, 4, 0)
    with pytest.raises(ValueError, match="l"):
        draw_counts(3, 2, 4, generator(0))


# ----------------------------------------------------------------------------- the first layer


def _problem(seed, *, d=5, l=5, n=4, k=300, m1=40):
    rng = generator(seed, "class-counts-test")
    O = haar_patterns(d, l, rng)
    W0, a0 = initialise(k, d, 0.3 / k, rng)
    idx, y = sample(n, l, m1, rng)
    return O, W0, a0, idx, y


@pytest.mark.parametrize("seed", range(4))
def test_first_layer_on_counts_matches_the_samples(seed):
    O, W0, a0, idx, y = _problem(seed)
    n, l = idx.shape[1], O.shape[0]
    eta1 = 1 / (4 * W0.shape[0] * 4)
    ref = first_layer(W0, a0, O, idx, y, eta1=eta1, T1=3)
    si, sy, _ = support_with_probabilities(n, l)
    counts = np.bincount(support_index(idx, y, n, l), minlength=sy.shape[0])
    got = first_layer_counts(W0, a0, O, si, sy, counts, eta1=eta1, T1=3)
    scale = np.abs(ref.P - (W0 @ O.T)).max()
    assert scale > 0
    assert np.abs(got.P - ref.P).max() <= 1e-12 * scale + 1e-15 * np.abs(ref.P).max()
    assert_allclose(got.losses, ref.losses, rtol=1e-12, atol=0)
    assert_allclose(got.W, ref.W, rtol=0, atol=1e-12)


def test_first_layer_on_counts_sees_the_counts():
    O, W0, a0, idx, y = _problem(5)
    n, l = idx.shape[1], O.shape[0]
    si, sy, _ = support_with_probabilities(n, l)
    counts = np.bincount(support_index(idx, y, n, l), minlength=sy.shape[0])
    a = first_layer_counts(W0, a0, O, si, sy, counts, eta1=1e-3, T1=2)
    b = first_layer_counts(W0, a0, O, si, sy, 3 * counts, eta1=1e-3, T1=2)  # same weights
    assert_allclose(a.P, b.P, rtol=1e-13, atol=1e-18)
    bumped = counts.copy()
    bumped[np.argmax(counts)] += 5
    c = first_layer_counts(W0, a0, O, si, sy, bumped, eta1=1e-3, T1=2)
    assert np.abs(c.P - a.P).max() > 1e-9


def test_first_layer_counts_validates():
    O, W0, a0, idx, _y = _problem(0)
    si, sy, _ = support_with_probabilities(idx.shape[1], O.shape[0])
    good = np.ones(sy.shape[0], dtype=int)
    with pytest.raises(ValueError, match="counts"):
        first_layer_counts(W0, a0, O, si, sy, -good, eta1=1e-3, T1=1)
    with pytest.raises(ValueError, match="counts"):
        first_layer_counts(W0, a0, O, si, sy, good[:-1], eta1=1e-3, T1=1)
    with pytest.raises(ValueError, match="eta1"):
        first_layer_counts(W0, a0, O, si, sy, good, eta1=0.0, T1=1)
    with pytest.raises(ValueError, match="a0"):
        first_layer_counts(W0, a0[:-1], O, si, sy, good, eta1=1e-3, T1=1)


# ----------------------------------------------------------------------------- the limit


@pytest.mark.parametrize("seed", range(3))
def test_limit_by_counts_is_the_separator_of_every_sample(seed):
    O, W0, a0, idx, y = _problem(seed, m1=60)
    n, l = idx.shape[1], O.shape[0]
    f = first_layer(W0, a0, O, idx, y, eta1=1 / (4 * W0.shape[0] * 11), T1=10)
    idx2, y2 = sample(n, l, 50, generator(seed, "s2"))
    si, sy, _ = support_with_probabilities(n, l)
    counts = np.bincount(support_index(idx2, y2, n, l), minlength=sy.shape[0])
    got = limit_by_counts(f.P, si, sy, counts)
    ref = min_norm_separator(pattern_features(f.P, idx2)[0], y2)
    assert got.status == ref.status
    if ref.status != "optimal":
        assert got.v is None
        assert got.error is None
        return
    assert_allclose(got.v, ref.v, rtol=0, atol=1e-5 * np.abs(ref.v).max())
    Zs = pattern_features(f.P, si)[0]
    assert got.error == float(np.mean(classify(Zs @ ref.v) != sy))
    assert got.distinct <= np.count_nonzero(counts)
    many = limit_by_counts(f.P, si, sy, 1000 * counts)  # multiplicities do not change it
    assert_array_equal(many.v, got.v)


def test_limit_by_counts_validates():
    si, sy, _ = support_with_probabilities(2, 4)
    P = np.ones((3, 4))
    with pytest.raises(ValueError, match="counts"):
        limit_by_counts(P, si, sy, np.zeros(sy.shape[0], dtype=int))
