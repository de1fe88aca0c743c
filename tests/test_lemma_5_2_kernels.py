"""Unit tests of the Lemma 5.2 Monte Carlo: the Numba kernel against its NumPy twin (bit for
bit), the kernel's decisions against :func:`verify.model.lucky.lucky_filters` on the very draws it
read, the "projections are a positive multiple of iid normals" reduction on the dense path,
thread-count independence, and the fast and dense paths against the exact multinomial law.

Statistical decisions in this file: 16 exact tests at level ``ALPHA = 1e-9`` (2 settings x 2
paths x 4 tests) that a correct implementation passes except with probability at most 1.6e-8,
and 2 that must reject a deliberately wrong kernel (miss probability below 1e-12 each); see
``properties/test_lemma_5_2.py`` for the budget of the whole suite.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import stats as sst

from verify.claims._kernels import lemma_5_2_numba as nb
from verify.claims._kernels import lemma_5_2_numpy as npk
from verify.claims.lemma_5_2 import (
    ALPHA,
    check_lemma_5_2,
    count_bounds,
    exact_failure_probability,
    lemma_failures,
    lucky_counts,
    lucky_probability,
)
from verify.evidence.stats import (
    binomial_law_test,
    two_sided_binomial_test,
    two_sided_rejection_probability,
)
from verify.model.initialisation import initialise
from verify.model.lucky import lucky_filters
from verify.model.network import projections
from verify.model.patterns import standard_patterns
from verify.rng import generator

from .spec_checks import assert_readable, bound_labels


def _chunk(module, seed: int, k: int, l: int, trials: int):
    plus = np.empty(trials, dtype=np.int64)
    minus = np.empty(trials, dtype=np.int64)
    module.lucky_counts_chunk(generator(seed, "kernel-test", k, l), k, l, plus, minus)
    return plus, minus


def test_numba_generator__draws_the_numpy_stream_bit_for_bit():
    # The premise of the twin test: Generator.random / standard_normal in Numba = NumPy.
    from verify.accelerate import jit

    @jit(cache=False)
    def draw(rng, n):
        out = np.empty(2 * n)
        for i in range(n):
            out[2 * i] = rng.standard_normal()
            out[2 * i + 1] = rng.random()
        return out

    got = draw(generator(3, "stream"), 5000)
    rng = generator(3, "stream")
    want = np.empty(10_000)
    for i in range(5000):
        want[2 * i] = rng.standard_normal()
        want[2 * i + 1] = rng.random()
    assert_array_equal(got, want)


@pytest.mark.parametrize(("k", "l"), [(1, 3), (50, 3), (200, 4), (300, 10), (64, 17)])
def test_lucky_counts_chunk__numba_equals_numpy_twin(k, l):
    for seed in range(3):
        got = _chunk(nb, seed, k, l, 7)
        want = _chunk(npk, seed, k, l, 7)
        # integer counts from identical draws: exact equality (tolerance 0)
        assert_array_equal(got[0], want[0], err_msg=f"seed={seed}, k={k}, l={l}")
        assert_array_equal(got[1], want[1], err_msg=f"seed={seed}, k={k}, l={l}")


@pytest.mark.parametrize(("k", "l"), [(400, 3), (400, 6), (150, 12)])
def test_lucky_counts_chunk__decisions_equal_lucky_filters_on_the_draws_read(k, l):
    trials = 5
    plus = np.empty(trials, dtype=np.int64)
    minus = np.empty(trials, dtype=np.int64)
    P, A = npk.lucky_counts_chunk(generator(11, "rec", k, l), k, l, plus, minus, record=True)
    for t in range(trials):
        mp, mm = lucky_filters(P[t], A[t])
        assert (int(mp.sum()), int(mm.sum())) == (plus[t], minus[t]), f"k={k}, l={l}, t={t}"


@pytest.mark.parametrize(("d", "l", "k"), [(3, 3, 500), (7, 4, 500), (12, 9, 300)])
def test_projections__on_standard_patterns_are_a_positive_multiple_of_normals(d, l, k):
    # The dense path's P0 = W0 O^T with O = e_1..e_l is r g[:, :l] / ||g||: the lucky sets must
    # be those of the raw normals g[:, :l] (the reduction the fast path relies on), exactly.
    for seed in range(3):
        W0, a0 = initialise(k, d, 0.37, generator(seed, "dense-exact"))
        g = generator(seed, "dense-exact").standard_normal((k, d))  # the same draws
        got = lucky_filters(projections(W0, standard_patterns(d, l)), a0)
        want = lucky_filters(g[:, :l], a0)
        assert_array_equal(got[0], want[0], err_msg=f"seed={seed}")
        assert_array_equal(got[1], want[1], err_msg=f"seed={seed}")


def test_lucky_counts__independent_of_workers_and_backend():
    base = lucky_counts(5, 4, 300, 250, 7, workers=1)
    for workers in (2, 3):
        other = lucky_counts(5, 4, 300, 250, 7, workers=workers)
        assert_array_equal(base[0], other[0])
        assert_array_equal(base[1], other[1])
    twin = lucky_counts(5, 4, 300, 250, 7, backend="numpy")
    assert_array_equal(base[0], twin[0])
    assert_array_equal(base[1], twin[1])
    prefix = lucky_counts(5, 4, 300, 100, 7)  # chunks are fixed: a prefix is a prefix
    assert_array_equal(base[0][:100], prefix[0])


def test_lemma_failures__integer_bounds():
    d, k = 5, 1000
    lo, hi = count_bounds(d, k)
    assert (lo, hi) == (50, 200)
    plus = np.array([49, 50, 200, 201, 100])
    minus = np.array([100, 100, 100, 100, 50])
    assert lemma_failures(d, k, plus, minus).tolist() == [True, False, False, True, False]


@pytest.mark.parametrize(("d", "l", "k"), [(3, 3, 12), (4, 3, 40), (5, 5, 61), (6, 4, 48)])
def test_exact_failure_probability__equals_the_brute_force_multinomial(d, l, k):
    q = lucky_probability(l)
    lo, hi = count_bounds(d, k)
    want = 0.0
    for xp, xm in itertools.product(range(k + 1), repeat=2):
        if xp + xm <= k and not (lo <= xp <= hi and lo <= xm <= hi):
            want += sst.multinomial.pmf([xp, xm, k - xp - xm], k, [q, q, 1 - 2 * q])
    assert exact_failure_probability(d, l, k) == pytest.approx(want, rel=1e-10, abs=1e-15)


@pytest.mark.parametrize(("path", "trials"), [("fast", 20_000), ("dense", 2000)])
@pytest.mark.parametrize(("d", "l", "k"), [(5, 3, 1000), (4, 4, 300)])
def test_lucky_counts__follow_the_exact_multinomial_law(path, trials, d, l, k):
    """4 exact tests at ALPHA each: pooled rate of W_0+ ∩ A+, law of |W_0+ ∩ A+| per trial
    (Bin(k, q)), law of |W_0+ ∩ A+| + |W_0- ∩ A-| (Bin(k, 2q): checks the joint law), and the
    failure count of Eq. 7 against the exact failure probability."""
    plus, minus = lucky_counts(d, l, k, trials, 2024, path=path)
    q = lucky_probability(l)
    where = f"d={d}, l={l}, k={k}, trials={trials}, seed=2024, path={path}"
    pooled = two_sided_binomial_test(int(plus.sum()), trials * k, q, ALPHA)
    assert not pooled.rejected, f"{where}: {pooled}"
    law = binomial_law_test(plus, k, q, ALPHA)
    assert not law["rejected"], f"{where}: {law}"
    both = binomial_law_test(plus + minus, k, 2 * q, ALPHA)
    assert not both["rejected"], f"{where}: {both}"
    fails = int(lemma_failures(d, k, plus, minus).sum())
    cons = two_sided_binomial_test(fails, trials, exact_failure_probability(d, l, k), ALPHA)
    assert not cons.rejected, f"{where}: {cons}"


def test_lucky_counts__law_tests_detect_a_kernel_with_the_wrong_pattern_count():
    # The paper's slip, as a kernel bug: counts drawn with l + 1 patterns instead of l. The
    # pooled test must reject; its exact power is computed first (miss probability < 1e-12).
    d, l, k, trials = 5, 3, 1000, 2000
    wrong, _ = lucky_counts(d, l + 1, k, trials, 5)
    q = lucky_probability(l)
    assert two_sided_rejection_probability(trials * k, q, ALPHA, lucky_probability(l + 1)) > (
        1 - 1e-12
    )
    assert two_sided_binomial_test(int(wrong.sum()), trials * k, q, ALPHA).rejected
    assert binomial_law_test(wrong, k, q, ALPHA)["rejected"]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: lucky_counts(3, 4, 10, 5, 0), "l"),
        (lambda: lucky_counts(4, 3, 10, 0, 0), "trials"),
        (lambda: lucky_counts(4, 3, 10, 5, 0, path="sparse"), "path"),
        (lambda: lucky_counts(4, 3, 10, 5, 0, backend="cuda"), "backend"),
        (lambda: lucky_counts(4, 3, 10, 5, 0, workers=0), "workers"),
        (lambda: exact_failure_probability(2, 3, 10), "d"),
        (lambda: exact_failure_probability(4, 3, 0), "k"),
        (
            lambda: check_lemma_5_2(
                4, 3, 10, trials=5, sampler=lambda *a: (np.zeros(4, int), np.zeros(4, int))
            ),
            "sampler",
        ),
        (lambda: check_lemma_5_2(4, 3, 10, trials=5, alpha=1.5), "alpha"),
    ],
)
def test_lemma_5_2__bad_arguments_raise_naming_them(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_check_lemma_5_2__plot_draws_the_interval_as_the_bound_and_labels_its_axes():
    ev = check_lemma_5_2(4, 3, 513, trials=200, seed=0)
    spec = ev.details["plot"]
    assert_readable(spec, bound="k/(4d)", xlabel="lucky filters", ylabel="trials", spread=False)
    bounds = [v["x"] for v in spec["vlines"] if v.get("bound")]
    assert bounds == [513 / 16, 513 / 4]
    assert "k/d" in bound_labels(spec)[0]
    assert any("k q_l" in v["label"] for v in spec["vlines"] if not v.get("bound"))
    assert [sum(s["y"]) for s in spec["series"]] == [200, 200]  # one count per trial
    assert f"of {200} trials" in spec["note"]
