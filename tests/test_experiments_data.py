"""The data of Section 7 (:mod:`verify.claims.section_7.data`): the noise law, the noise-free points
of D, and the streams of a repeat."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import stats

from verify.claims.section_7.data import ball_noise, noisy_samples, repeat_data
from verify.model.patterns import haar_patterns
from verify.rng import generator


@pytest.mark.parametrize(("d", "radius"), [(1, 1.0), (3, 1.0), (20, 1.0), (20, 0.5)])
def test_ball_noise__inside_the_ball(d, radius):
    v = ball_noise(2000, 3, d, radius, generator(0, "ball", d))
    assert v.shape == (2000, 3, d)
    assert np.all(np.linalg.norm(v, axis=2) <= radius * (1 + 1e-12))


@pytest.mark.parametrize("d", [2, 20])
def test_ball_noise__uniform_in_the_ball(d):
    """Uniform in the ball: ``(||v|| / radius)^d`` is Uniform(0, 1) and the direction is
    uniform on the sphere (its coordinates have mean 0 and variance 1/d). The KS test and the
    moment checks run on a fixed seed; their false-alarm rate is about 1e-3 each."""
    m = 20_000
    v = ball_noise(m, 1, d, 1.0, generator(1, "ball-law", d))[:, 0, :]
    r = np.linalg.norm(v, axis=1)
    assert stats.kstest(r**d, "uniform").pvalue > 1e-3
    u = v / r[:, None]
    se = np.sqrt(1.0 / (d * m))  # standard error of a coordinate's mean
    assert np.all(np.abs(u.mean(axis=0)) < 4 * se)
    assert np.allclose((u**2).mean(axis=0), 1.0 / d, atol=6 * np.sqrt(2.0 / m) / d)


def test_ball_noise__radius_zero_is_zero():
    assert not ball_noise(4, 2, 3, 0.0, generator(0, "zero")).any()


def test_noisy_samples__noise_free_points_are_patterns_of_D():
    O = haar_patterns(6, 6, generator(0, "patterns"))
    S = noisy_samples(O, 4, 300, generator(0, "train"))
    assert_array_equal(S.X, O[S.idx])
    pos = S.idx[S.y == 1]
    neg = S.idx[S.y == -1]
    # D: exactly one o1 (index 0) in a positive sample, one o2 (index 1) in a negative one
    assert np.all((pos == 0).sum(axis=1) == 1)
    assert not np.any(pos == 1)
    assert np.all((neg == 1).sum(axis=1) == 1)
    assert not np.any(neg == 0)


def test_noisy_samples__noise_is_added_to_every_position():
    O = haar_patterns(5, 5, generator(0, "patterns"))
    S = noisy_samples(O, 3, 200, generator(2, "train"), noise=1.0)
    v = S.X - O[S.idx]
    norms = np.linalg.norm(v, axis=2)
    assert np.all(norms <= 1.0 + 1e-12)
    assert np.all(norms > 0)


def test_repeat_data__same_keys_same_data_and_pool_shared_across_sizes():
    a = repeat_data(0, "fig3b", 1, d=8, n=3, m_train=40, m_test=10, noise=1.0)
    b = repeat_data(0, "fig3b", 1, d=8, n=3, m_train=40, m_test=10, noise=1.0)
    for x, y in zip(a, b, strict=True):
        assert_array_equal(getattr(x, "X", x), getattr(y, "X", y))
    O, pool, test = a
    assert O.shape == (8, 8)
    assert len(pool) == 40
    assert len(test) == 10
    assert_array_equal(pool.head(10).X, pool.X[:10])
    other = repeat_data(0, "fig3b", 2, d=8, n=3, m_train=40, m_test=10, noise=1.0)
    assert not np.array_equal(other[1].X, pool.X)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ball_noise(2, 2, 2, -1.0, generator(0)), "radius"),
        (lambda: ball_noise(2, 0, 2, 1.0, generator(0)), "n"),
        (lambda: ball_noise(2, 2, 2, 1.0, 0), "rng"),
        (lambda: noisy_samples(np.eye(4), 2, 0, generator(0)), "m"),
        (lambda: repeat_data(0, "", 0, d=4, n=2, m_train=2, m_test=2, noise=0.0), "figure"),
    ],
)
def test_data__bad_arguments_raise_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()
