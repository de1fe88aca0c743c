"""The classes of samples (:mod:`verify.model._kernels.classes_numba`) against their plain-NumPy
twins (:mod:`verify.model._kernels.classes_numpy`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from verify.model._kernels import classes_numba as cn
from verify.model._kernels import classes_numpy as cnp
from verify.model._kernels import pattern_path_numba as pp
from verify.rng import generator


@st.composite
def index_arrays(draw):
    """``(idx, l, seed)``: ``m x n`` pattern indices in ``[0, l)``, ``l`` up to 64 (the largest
    index, 63, is the mask's top bit); few patterns make classes with many samples."""
    l = draw(st.one_of(st.sampled_from([1, 2, 63, 64]), st.integers(1, 64)))
    m, n = draw(st.integers(1, 60)), draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    idx = generator(seed, "classes").integers(0, l, size=(m, n))
    return idx, l, seed


@given(index_arrays())
def test_sample_classes__numba_equals_numpy_twin(case):
    idx, l, seed = case
    cls, reps, masks = cn.sample_classes(idx)
    cls0, reps0, masks0 = cnp.sample_classes(idx)
    msg = f"seed={seed}, l={l}, idx{idx.shape}"
    assert_array_equal(cls, cls0, err_msg=msg)
    assert_array_equal(reps, reps0, err_msg=msg)
    assert_array_equal(masks, masks0, err_msg=msg)
    # the definition: same class iff same set of patterns; numbered by first sample
    sets = [frozenset(row.tolist()) for row in idx]
    for s in range(idx.shape[0]):
        assert sets[reps[cls[s]]] == sets[s]
        assert reps[cls[s]] <= s
    assert len(set(sets)) == reps.shape[0]
    assert np.all(np.diff(reps) > 0)


@given(index_arrays())
def test_class_sums__numba_equals_numpy_twin(case):
    idx, _l, seed = case
    cls, reps, _ = cn.sample_classes(idx)
    c = generator(seed, "coefficients").standard_normal(idx.shape[0])
    # at most 60 terms of size O(1): rounding of a sum in another order
    assert_allclose(cn.class_sums(c, cls, reps.shape[0]),
                    cnp.class_sums(c, cls, reps.shape[0]), rtol=1e-13, atol=1e-13)


@given(st.integers(1, 150), st.integers(1, 12), st.integers(0, 2**32 - 1), st.booleans())
def test_block_ties__flags_exactly_two_equal_positive_projections(k, l, seed, integer):
    rng = generator(seed, "ties")
    if integer:  # values in {-2, ..., 2}: ties, at 0 and negative ones too, that do not count
        P = rng.integers(-2, 3, size=(k, l)).astype(float)
    else:
        P = rng.standard_normal((k, l))
    assert pp.pattern_blocks(P)[1] == cnp.positive_ties(P), f"seed={seed}"


def test_block_ties__ignores_ties_at_zero_and_below():
    P = np.array([[0.0, 0.0, -1.0, -1.0, 2.0]])
    assert not cnp.positive_ties(P)
    assert not pp.pattern_blocks(P)[1]
    P[0, 0] = 2.0
    assert cnp.positive_ties(P)
    assert pp.pattern_blocks(P)[1]
