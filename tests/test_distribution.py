"""The distribution D of Section 3: the sampler's law, the support, the split and Eq. 14's event.

Statistical decisions (exact two-sided binomial tests on cell counts, each cell's count being
exactly binomial under the claimed law; Bonferroni within a family, so each family's
false-alarm probability is at most ALPHA = 1e-9):

- the whole law on small supports: every support point has probability ``1/|supp D|``
  (3 families);
- on a large sample (n = 5, l = 6): label balance; (label, position of the discriminative
  pattern) uniform over the 2n cells; spurious values uniform over ``o_3..o_l``; the pair of
  spurious values at positions (0, 1) uniform over the ``(l-2)^2`` cells (4 families).

A correct sampler fails this file with probability below 7e-9.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from verify.evidence.stats import two_sided_binomial_test
from verify.model.distribution import (
    balanced_event,
    dense,
    enumerate_support,
    sample,
    split,
    support_size,
)
from verify.model.patterns import haar_patterns, standard_patterns
from verify.rng import generator

ALPHA = 1e-9


def _cells_uniform(counts, trials, label):
    """Exact two-sided tests that each of ``len(counts)`` cells has probability 1/len."""
    cells = len(counts)
    tests = [two_sided_binomial_test(int(c), trials, 1 / cells, ALPHA / cells) for c in counts]
    bad = [(i, t.successes, t.p_value) for i, t in enumerate(tests) if t.rejected]
    assert not bad, f"{label}: cells rejected (cell, count, p) {bad} of {trials} trials"


def _check_rows_in_support(idx, y, l):
    disc = (idx == 0) | (idx == 1)
    assert np.all(disc.sum(axis=1) == 1), "exactly one discriminative pattern per sample"
    assert np.all(idx[disc] == np.where(y > 0, 0, 1)), "o_1 for y = +1, o_2 for y = -1"
    assert np.all((idx[~disc] >= 2) & (idx[~disc] <= l - 1)), "spurious patterns o_3..o_l"


@pytest.mark.parametrize(("n", "l"), [(1, 3), (2, 4), (3, 4)])
def test_sample__every_support_point_has_probability_one_over_support_size(n, l):
    m = 40_000 * support_size(n, l) // 8
    idx, y = sample(n, l, m, generator(0, "law", n, l))
    _check_rows_in_support(idx, y, l)
    sidx, sy = enumerate_support(n, l)
    code = {
        (*row, lab): i for i, (row, lab) in enumerate(zip(sidx.tolist(), sy.tolist(), strict=True))
    }
    hits = np.array([code[(*row, lab)] for row, lab in zip(idx.tolist(), y.tolist(), strict=True)])
    _cells_uniform(np.bincount(hits, minlength=len(code)), m, f"n={n}, l={l}, seed 0")


def test_sample__marginal_laws_on_a_large_sample():
    n, l, m = 5, 6, 200_000
    idx, y = sample(n, l, m, generator(1, "law-large"))
    assert idx.shape == (m, n)
    assert idx.dtype == np.int64
    assert y.shape == (m,)
    assert y.dtype == np.float64
    _check_rows_in_support(idx, y, l)
    positive = int(np.sum(y > 0))
    test = two_sided_binomial_test(positive, m, 0.5, ALPHA)
    assert not test.rejected, f"label balance: {test.as_dict()}; seed 1"
    jplus = np.argmax(idx <= 1, axis=1)
    _cells_uniform(np.bincount(jplus * 2 + (y > 0), minlength=2 * n), m, "(j+, label)")
    spurious = idx[idx >= 2] - 2
    _cells_uniform(np.bincount(spurious, minlength=l - 2), spurious.size, "spurious values")
    both = (idx[:, 0] >= 2) & (idx[:, 1] >= 2)
    pairs = (idx[both, 0] - 2) * (l - 2) + idx[both, 1] - 2
    _cells_uniform(np.bincount(pairs, minlength=(l - 2) ** 2), int(both.sum()), "pairs (0, 1)")


def test_sample__same_generator_state_same_sample():
    a = sample(4, 5, 100, generator(2, "s"))
    b = sample(4, 5, 100, generator(2, "s"))
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])


@pytest.mark.parametrize(("n", "l"), [(1, 3), (1, 5), (2, 3), (3, 4), (4, 5), (2, 10)])
def test_enumerate_support__every_point_once(n, l):
    idx, y = enumerate_support(n, l)
    size = 2 * n * (l - 2) ** (n - 1)
    assert support_size(n, l) == size
    assert idx.shape == (size, n)
    assert y.shape == (size,)
    _check_rows_in_support(idx, y, l)
    rows = {(*row, lab) for row, lab in zip(idx.tolist(), y.tolist(), strict=True)}
    assert len(rows) == size  # distinct points of the support, as many as it has: all of it
    assert np.all(y[: size // 2] == 1)
    assert np.all(y[size // 2 :] == -1)


def test_enumerate_support__rejects_large_supports():
    with pytest.raises(ValueError, match=r"^n, l\b"):
        enumerate_support(10, 12)
    with pytest.raises(ValueError, match=r"^max_size\b"):
        enumerate_support(2, 3, max_size=0)
    assert enumerate_support(2, 4, max_size=8)[0].shape == (8, 2)
    with pytest.raises(ValueError, match=r"^n, l\b"):
        enumerate_support(2, 4, max_size=7)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("n", (0, 3, 5)),
        ("l", (2, 2, 5)),
        ("m", (2, 3, 0)),
        ("n", (1.0, 3, 5)),
        ("rng", (2, 3, 5, 0)),
        ("rng", (2, 3, 5, np.random.RandomState(0))),
    ],
)
def test_sample__rejects_bad_arguments(name, args):
    if len(args) == 3:
        args = (*args, generator(0))
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        sample(*args)


@pytest.mark.parametrize(("name", "args"), [("n", (0, 3)), ("l", (2, 2))])
def test_support_size__rejects_bad_arguments(name, args):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        support_size(*args)


def test_dense__builds_inputs_from_pattern_indices():
    O = haar_patterns(5, 4, generator(0, "dense"))
    idx = np.array([[0, 3, 3], [1, 2, 0]])
    X = dense(idx, O)
    assert X.shape == (2, 3, 5)
    assert X.flags.c_contiguous
    assert_array_equal(X, O[idx])


@pytest.mark.parametrize(
    ("name", "idx", "O"),
    [
        ("idx", np.array([[0, 3]]), standard_patterns(3, 3)),
        ("idx", np.array([[-1, 0]]), standard_patterns(3, 3)),
        ("idx", np.array([[0.0, 1.0]]), standard_patterns(3, 3)),
        ("idx", np.array([0, 1]), standard_patterns(3, 3)),
        ("patterns", np.array([[0, 1]]), np.ones(3)),
    ],
)
def test_dense__rejects_bad_arguments(name, idx, O):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        dense(idx, O)


@pytest.mark.parametrize(("m", "m1"), [(1, 1), (2, 1), (7, 4), (10, 5), (2001, 1001)])
def test_split__first_ceil_half_then_the_rest(m, m1):
    s1, s2 = split(m)
    assert (s1.start, s1.stop, s2.start, s2.stop) == (0, m1, m1, m)
    assert len(range(m)[s1]) + len(range(m)[s2]) == m


def test_split__rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"^m\b"):
        split(0)


@pytest.mark.parametrize(
    ("y1", "event"),
    [
        ([1, -1, -1], True),  # 3 |S+| = 3 >= m1 = 3
        ([1, 1, 1], False),
        ([1, 1, -1, -1, -1, -1, -1], False),  # 3 * 2 = 6 < 7
        ([1, 1, 1, -1, -1, -1, -1], True),
        ([-1, 1, -1, -1, 1, -1], True),  # exactly m1 / 3 each side is enough
        ([1], False),
    ],
)
def test_balanced_event__boundaries(y1, event):
    assert balanced_event(np.array(y1, dtype=float)) is event


@pytest.mark.parametrize("y1", [np.array([]), np.ones((2, 2)), np.array([1.0, 0.0]), [2.0]])
def test_balanced_event__rejects_bad_labels(y1):
    with pytest.raises(ValueError, match=r"^y1\b"):
        balanced_event(y1)
