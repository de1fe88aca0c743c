"""The orthonormal patterns of Section 3: Haar-distributed, standard basis, and validation.

Statistical decisions (each designed so that a correct sampler fails it with probability at
most the stated level, exactly or by Hoeffding's inequality; 20,000 draws at d = 4):

- exact Kolmogorov-Smirnov tests that ``O[0, 0]^2`` and ``O[1, 2]^2`` follow
  ``Beta(1/2, (d-1)/2)`` (the law of a squared coordinate of a uniform unit vector): 1e-9 each;
- exact two-sided binomial tests that each diagonal entry ``O[p, p]`` is positive with
  probability 1/2 (a Haar matrix is invariant under sign flips): 1e-9 / d each;
- Hoeffding's bound on the mean of ``tr O`` (``E = 0``, ``|tr O| <= d``): 1e-9.

Total false-alarm probability below 3e-9. The sign and trace statistics reject the classic
mistake (QR without moving R's signs into Q): ``test_haar_statistics__reject_qr_without_sign_fix``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from verify.evidence.stats import two_sided_binomial_test
from verify.model.patterns import (
    ORTHONORMAL_TOL,
    haar_patterns,
    standard_patterns,
    validate_patterns,
)
from verify.rng import generator

ALPHA = 1e-9
D, DRAWS = 4, 20_000


@pytest.mark.parametrize(("d", "l"), [(1, 1), (3, 3), (5, 3), (10, 10), (20, 7)])
def test_haar_patterns__rows_orthonormal(d, l):
    for seed in range(5):
        O = haar_patterns(d, l, generator(seed, "orthonormal", d, l))
        assert O.shape == (l, d)
        assert O.dtype == np.float64
        assert O.flags.c_contiguous
        assert_allclose(O @ O.T, np.eye(l), rtol=0, atol=1e-14, err_msg=f"seed={seed}")
        if l >= 3:
            assert validate_patterns(O) is not None


def test_haar_patterns__same_generator_state_same_patterns():
    assert_array_equal(
        haar_patterns(6, 4, generator(3, "p")), haar_patterns(6, 4, generator(3, "p"))
    )
    # the first l rows do not depend on l
    assert_array_equal(
        haar_patterns(6, 6, generator(3, "p"))[:4], haar_patterns(6, 4, generator(3, "p"))
    )


def _haar_statistics(draw, seed):
    rng = generator(seed, "haar-statistics")
    Q = np.array([draw(D, rng) for _ in range(DRAWS)])
    beta = stats.beta(0.5, (D - 1) / 2).cdf
    ks = [stats.kstest(Q[:, p, c] ** 2, beta, method="exact").pvalue for p, c in ((0, 0), (1, 2))]
    signs = [
        two_sided_binomial_test(int(np.sum(Q[:, p, p] > 0)), DRAWS, 0.5, ALPHA / D)
        for p in range(D)
    ]
    trace = np.trace(Q, axis1=1, axis2=2)
    hoeffding = math.sqrt((2 * D) ** 2 * math.log(2 / ALPHA) / (2 * DRAWS))
    return ks, signs, float(trace.mean()), hoeffding


def test_haar_patterns__haar_distributed():
    ks, signs, trace_mean, bound = _haar_statistics(lambda d, rng: haar_patterns(d, d, rng), 0)
    assert min(ks) >= ALPHA, f"KS p-values {ks}; seed 0"
    assert not any(t.rejected for t in signs), [t.as_dict() for t in signs]
    assert abs(trace_mean) <= bound, f"mean tr O = {trace_mean} > {bound}; seed 0"


def test_haar_statistics__reject_qr_without_sign_fix():
    def unfixed(d, rng):
        q, _ = np.linalg.qr(rng.standard_normal((d, d)))
        return q.T

    _, signs, trace_mean, bound = _haar_statistics(unfixed, 0)
    assert any(t.rejected for t in signs)
    assert abs(trace_mean) > bound


def test_standard_patterns__are_the_first_basis_vectors():
    assert_array_equal(standard_patterns(4, 3), np.eye(3, 4))
    assert_array_equal(validate_patterns(standard_patterns(3, 3)), np.eye(3))


def test_validate_patterns__accepts_within_tolerance_and_returns_float64():
    O = np.eye(3, 5, dtype=np.int64)
    out = validate_patterns(O)
    assert out.dtype == np.float64
    near = np.eye(3) + np.diag([ORTHONORMAL_TOL / 4] * 3)
    validate_patterns(near)
    validate_patterns(np.eye(3) * (1 + 1e-6), tol=1e-5)


@pytest.mark.parametrize(
    ("O", "kw"),
    [
        (np.eye(3)[0], {}),  # ndim
        (np.eye(2), {}),  # l < 3
        (np.eye(4, 3), {}),  # l > d
        (np.ones((3, 3)), {}),  # not orthonormal
        (np.eye(3) * (1 + 1e-9), {}),  # off by more than the tolerance
        (np.eye(3) * (1 + 1e-6), {"tol": 1e-7}),
        (np.full((3, 3), np.nan), {}),
        (np.array([["a", "b", "c"]] * 3), {}),
    ],
)
def test_validate_patterns__rejects_non_orthonormal_or_bad_shapes(O, kw):
    with pytest.raises(ValueError, match=r"^patterns\b"):
        validate_patterns(O, **kw)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("d", (0, 1)),
        ("d", (3.0, 1)),
        ("l", (3, 4)),
        ("l", (3, 0)),
        ("rng", (3, 3, 0)),
        ("rng", (3, 3, np.random.RandomState(0))),
    ],
)
def test_haar_patterns__rejects_bad_arguments(name, args):
    if len(args) == 2:
        args = (*args, generator(0))
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        haar_patterns(*args)


@pytest.mark.parametrize(("name", "args"), [("d", (0, 1)), ("l", (3, 4)), ("l", (3, -1))])
def test_standard_patterns__rejects_bad_arguments(name, args):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        standard_patterns(*args)
