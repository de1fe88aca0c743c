"""The initialisation of Section 5: filters uniform on the sphere of radius r, output weights
uniform in {+1, -1}.

Statistical decisions: one family of 12 Hoeffding bounds on 200,000 filters in d = 3 (the mean
of each coordinate of ``u = w/r`` is 0; ``E[u u^T] = I/d``; ``E[u_c^4] = 3/(d(d+2))``, the
fourth moment that tells the sphere from a normalised cube), each at level 1e-9/12; and one
exact two-sided binomial test at 1e-9 that ``a_i = +1`` with probability 1/2. A correct
initialisation fails this file with probability below 2e-9.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from verify.evidence.stats import two_sided_binomial_test
from verify.model.initialisation import initialise
from verify.rng import generator

ALPHA = 1e-9
D, K = 3, 200_000


@pytest.mark.parametrize("r", [1e-12, 2.88e-6, 1.0, 7.5e5])
@pytest.mark.parametrize(("k", "d"), [(1, 1), (5, 3), (300, 10)])
def test_initialise__rows_on_the_sphere_of_radius_r(r, k, d):
    W0, a0 = initialise(k, d, r, generator(0, "radius", k, d))
    assert W0.shape == (k, d)
    assert W0.dtype == np.float64
    assert_allclose(np.linalg.norm(W0, axis=1), r, rtol=1e-12, atol=0)
    assert a0.shape == (k,)
    assert a0.dtype == np.float64
    assert np.all((a0 == 1.0) | (a0 == -1.0))


def test_initialise__draws_W0_then_a0_from_the_generator():
    W0, a0 = initialise(50, 4, 0.5, generator(1, "order"))
    rng = generator(1, "order")
    g = rng.standard_normal((50, 4))
    assert_array_equal(W0, 0.5 * g / np.linalg.norm(g, axis=1, keepdims=True))
    assert_array_equal(a0, np.where(rng.integers(0, 2, size=50) == 1, 1.0, -1.0))


def _isotropy_violations(U):
    """The Hoeffding-bounded deviations that exceed their bound (empty when all pass)."""
    n, d = U.shape
    level = ALPHA / (d + d * (d + 1) // 2 + d)

    def radius(width):
        return width * math.sqrt(math.log(2 / level) / (2 * n))

    out = []
    for c in range(d):  # E u_c = 0, u_c in [-1, 1]
        dev = abs(float(U[:, c].mean()))
        if dev > radius(2.0):
            out.append(("mean", c, dev))
    for c, e in itertools.combinations_with_replacement(range(d), 2):  # E u_c u_e = delta/d
        dev = abs(float((U[:, c] * U[:, e]).mean()) - (1.0 / d if c == e else 0.0))
        if dev > radius(2.0):
            out.append(("second", (c, e), dev))
    for c in range(d):  # E u_c^4 = 3/(d(d+2)), u_c^4 in [0, 1]
        dev = abs(float((U[:, c] ** 4).mean()) - 3.0 / (d * (d + 2)))
        if dev > radius(1.0):
            out.append(("fourth", c, dev))
    return out


def test_initialise__isotropic():
    r = 0.25
    W0, a0 = initialise(K, D, r, generator(2, "isotropy"))
    bad = _isotropy_violations(W0 / r)
    assert not bad, f"isotropy violations {bad}; k={K}, d={D}, seed 2"
    test = two_sided_binomial_test(int(np.sum(a0 > 0)), K, 0.5, ALPHA)
    assert not test.rejected, test.as_dict()


def test_isotropy_statistics__reject_a_normalised_cube():
    g = generator(2, "cube").uniform(-1.0, 1.0, (K, D))
    assert any(
        kind == "fourth"
        for kind, _, _ in _isotropy_violations(g / np.linalg.norm(g, axis=1, keepdims=True))
    )


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("k", (0, 3, 1.0)),
        ("k", (2.0, 3, 1.0)),
        ("d", (2, 0, 1.0)),
        ("r", (2, 3, 0.0)),
        ("r", (2, 3, -1.0)),
        ("r", (2, 3, math.inf)),
        ("r", (2, 3, "1")),
        ("rng", (2, 3, 1.0, 5)),
        ("rng", (2, 3, 1.0, np.random.RandomState(0))),
    ],
)
def test_initialise__rejects_bad_arguments(name, args):
    if len(args) == 3:
        args = (*args, generator(0))
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        initialise(*args)
