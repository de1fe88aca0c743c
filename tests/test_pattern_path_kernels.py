"""The pattern path's kernels (:mod:`verify.model._kernels.pattern_path_numba`,
:mod:`verify.model._kernels.pattern_tables_numba`,
:mod:`verify.model._kernels.pattern_grads_numba`) in each of their modes, against the plain-NumPy
twins and against the dense path.

Every forward mode must give each sample the dense path's ``N`` and ``top`` bit for bit; the
two gradients (item by item, and from subset sums) must equal the NumPy twin to rounding. The
modes that group samples by their set of patterns are guarded by the tie check: a pinned case
shows what they would get wrong without it.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from verify.model._kernels import classes_numba as cn
from verify.model._kernels import classes_numpy as cnp
from verify.model._kernels import network_numba as nb
from verify.model._kernels import network_numpy as npk
from verify.model._kernels import pattern_grads_numba as pg
from verify.model._kernels import pattern_grads_numpy as pgn
from verify.model._kernels import pattern_path_numba as pp
from verify.model._kernels.lanes import LANES, SPAN_BLOCKS
from verify.model.patterns import haar_patterns
from verify.rng import generator

from .kernel_cases import pattern_cases, scale

FORWARD_MODES = ("auto", "samples", "classes", "subsets")


def _dense_reference(W, a, O, idx):
    """The dense path's ``N`` and the active pattern of each (sample, filter) on ``x = O[idx]``."""
    N, _, jstar = nb.dense_forward(W, a, O[idx], False)
    rows = np.arange(idx.shape[0])[:, None]
    return N, np.where(jstar >= 0, idx[rows, np.maximum(jstar, 0)], -1)


def _per_sample(N, top, cls):
    """Each sample's ``(N, top)`` from ``forward_items``."""
    if cls is None:
        return N, top
    return N[cls], (None if top is None else top[cls])


@given(pattern_cases(), st.sampled_from(FORWARD_MODES), st.booleans())
def test_forward_items__every_mode_gives_the_dense_paths_N_and_top(case, mode, want_top):
    W, a, O, idx, _y, kind, seed = case
    msg = f"seed={seed}, kind={kind}, {mode}, want_top={want_top}, k={W.shape[0]}, idx{idx.shape}"
    N_dense, top_dense = _dense_reference(W, a, O, idx)
    PT, tied = pp.projection_blocks(W, O)
    if mode in ("classes", "subsets") and want_top and tied:
        with pytest.raises(ValueError, match="no filter with two equal positive projections"):
            pp.forward_items(PT, tied, a, idx, mode, want_top)
        return
    N, top = _per_sample(*pp.forward_items(PT, tied, a, idx, mode, want_top))
    assert_array_equal(N, N_dense, err_msg=msg)
    if want_top:
        assert_array_equal(top, top_dense, err_msg=msg)
    else:
        assert top is None


@given(pattern_cases())
def test_projection_blocks__are_the_blocked_projections_and_flag_exactly_the_ties(case):
    W, _a, O, _idx, _y, kind, seed = case
    P = pp.projections(W, O)
    PT, tied = pp.projection_blocks(W, O)
    PT2, tied2 = pp.pattern_blocks(P)
    assert_array_equal(PT, PT2, err_msg=f"seed={seed}, kind={kind}")
    k, l = P.shape
    assert_array_equal(PT.transpose(0, 2, 1).reshape(-1, l)[:k], P)
    assert not PT.transpose(0, 2, 1).reshape(-1, l)[k:].any()  # padding filters are zero
    assert tied == tied2 == cnp.positive_ties(P)


def test_pattern_blocks__report_ties_for_more_patterns_than_classes_allow():
    P = generator(0, "many-patterns").standard_normal((3, cn.MAX_CLASS_PATTERNS + 1))
    assert pp.pattern_blocks(P)[1]  # not checked: classes are not used past 64 patterns
    assert not pp.pattern_blocks(P[:, : cn.MAX_CLASS_PATTERNS])[1]


def test_forward_items__classes_need_the_tie_check_for_top():
    # One filter, two patterns tied at 1 > 0: the first position decides. Samples 0 and 1 have
    # the same set of patterns in opposite orders, so one class could not give both their top.
    P = np.array([[1.0, 1.0, -1.0]])
    idx = np.array([[0, 1, 2], [1, 0, 2]])
    a = np.ones(1)
    PT, tied = pp.pattern_blocks(P)
    assert tied
    N, top, cls = pp.forward_items(PT, tied, a, idx)
    assert cls is None  # per sample: the first position wins
    assert top.tolist() == [[0], [1]]
    with pytest.raises(ValueError, match="two equal positive projections"):
        pp.forward_items(PT, tied, a, idx, "classes")
    # N alone is the same for the class (the largest value does not depend on the order)
    N_c, none, cls = pp.forward_items(PT, tied, a, idx, "classes", want_top=False)
    assert none is None
    assert cls.tolist() == [0, 0]
    assert_array_equal(N_c[cls], N)
    assert_array_equal(N, [1.0, 1.0])


@given(pattern_cases(), st.sampled_from(("items", "subset_sums")), st.booleans())
def test_step__both_gradients_equal_the_numpy_twin(case, gradient, want_dense):
    W, a, O, idx, y, kind, seed = case
    msg = f"seed={seed}, kind={kind}, gradient={gradient}, k={W.shape[0]}, idx{idx.shape}"
    PT, tied = pp.projection_blocks(W, O)
    Op = O if want_dense else np.zeros((O.shape[0], 0))
    if gradient == "subset_sums" and tied:
        with pytest.raises(ValueError, match="no filter with two equal positive projections"):
            pp.step(PT, tied, a, idx, y, Op, want_dense, gradient=gradient)
        return
    loss, N, G, da, dW, top = pp.step(PT, tied, a, idx, y, Op, want_dense, gradient=gradient)
    P = pp.projections(W, O)
    N0, top0 = npk.pattern_forward(P, a, idx)
    loss0, c0 = npk.loss_and_coefficients(N0, y)
    G0, da0 = npk.pattern_grads(P, top0, a, c0)
    N_dense, top_dense = _dense_reference(W, a, O, idx)
    assert_array_equal(N, N_dense, err_msg=msg)
    assert_array_equal(top(), top_dense, err_msg=msg)
    assert_allclose(loss, loss0, rtol=1e-12, err_msg=msg)
    # m <= 40 coefficients of size <= 1/m, added in another order: rounding of the sums
    assert_allclose(G, G0, rtol=1e-12, atol=1e-15, err_msg=msg)
    assert_allclose(da, da0, rtol=1e-12, atol=1e-14 * scale(a, npk.pattern_features(P, top0)),
                    err_msg=msg)
    if want_dense:
        assert_allclose(dW, G @ O, rtol=1e-12, atol=1e-15, err_msg=msg)
    else:
        assert dW.shape == (0, 0)


def test_step__dense_gradient_is_the_fma_chain_of_G_O():
    # dW[i, q] = fma chain over p of G[i, p] O[p, q] from 0.0, exactly, for every filter of
    # the partial last block and of a whole one, whichever gradient made G
    rng = generator(3, "dense-gradient")
    k, d, l, m = LANES + 13, 7, 5, 30
    O = haar_patterns(d, l, rng)
    W, a = rng.standard_normal((k, d)), rng.standard_normal(k)
    idx = rng.integers(0, l, size=(m, 4))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    PT, tied = pp.projection_blocks(W, O)
    for gradient in ("items", "subset_sums"):
        _, _, G, _, dW, _ = pp.step(PT, tied, a, idx, y, O, True, gradient=gradient)
        for i in range(k):
            for q in range(d):
                acc = 0.0
                for p in range(l):
                    acc = float(Fraction(G[i, p]) * Fraction(O[p, q]) + Fraction(acc))
                assert dW[i, q] == acc, (gradient, i, q)


@given(st.integers(1, 10), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_subset_sums__numba_equals_numpy_twin(l, m, seed):
    rng = generator(seed, "subset-sums")
    idx = rng.integers(0, l, size=(m, rng.integers(1, 6)))
    _, reps, masks = cn.sample_classes(idx)
    C = rng.standard_normal(reps.shape[0]) / m
    S = pg.subset_sums(masks, C, l)
    assert_allclose(S, pgn.subset_sums(masks, C, l), rtol=1e-13, atol=1e-16,
                    err_msg=f"seed={seed}, l={l}, m={m}")


def test_step__same_bits_across_spans_and_modes():
    # three spans of filters (N adds the spans' partial sums in order): every forward mode and
    # both gradients give the dense path's N, bit for bit
    rng = generator(11, "spans")
    k, d, l, m = 2 * SPAN_BLOCKS * LANES + 70, 6, 6, 23
    O = haar_patterns(d, l, rng)
    W, a = rng.standard_normal((k, d)), rng.standard_normal(k)
    idx = rng.integers(0, l, size=(m, 5))
    y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    N_dense, top_dense = _dense_reference(W, a, O, idx)
    PT, tied = pp.projection_blocks(W, O)
    assert not tied
    for mode in FORWARD_MODES:
        for want_top in (False, True):
            N, top = _per_sample(*pp.forward_items(PT, tied, a, idx, mode, want_top))
            assert_array_equal(N, N_dense, err_msg=f"{mode}, {want_top}")
            if want_top:
                assert_array_equal(top, top_dense, err_msg=mode)
        for gradient in ("items", "subset_sums"):
            _, N, *_ = pp.step(PT, tied, a, idx, y, O, True, mode, gradient)
            assert_array_equal(N, N_dense, err_msg=f"{mode}, {gradient}")


def test_step__rejects_unknown_modes():
    PT, tied = pp.pattern_blocks(np.ones((2, 3)))
    idx, y = np.zeros((1, 2), dtype=np.int64), np.ones(1)
    with pytest.raises(ValueError, match="mode must be one of"):
        pp.forward_items(PT, tied, np.ones(2), idx, "fast")
    with pytest.raises(ValueError, match="gradient must be one of"):
        pp.step(PT, tied, np.ones(2), idx, y, np.zeros((3, 0)), False, gradient="fast")


def test_tables_pay__subset_tables_for_many_items_identity_for_few():
    assert pp.tables_pay(10, 152 * 6.6, 152 * 2, 152)
    assert not pp.tables_pay(10, 5 * 3, 5 * 2, 5)
    assert pg.subset_sums_pay(10, 8001, 152)
    assert not pg.subset_sums_pay(10, 3, 2)
    assert not pg.subset_sums_pay(pg.MAX_SUBSET_PATTERNS + 1, 10**6, 10**6)
