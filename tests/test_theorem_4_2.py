"""Unit tests of verify.claims.theorem_4_2: the set B, Eq. 5, the network of the proof, the checkers
(and that each can fail), the symbolic inverse, the exact VC dimension for every l, the errata."""

import itertools
from fractions import Fraction

import numpy as np
import pytest

from verify.claims.theorem_4_2 import (
    CLAIM,
    MAX_CERTIFIED,
    all_labellings,
    cayley_patterns,
    check_exact,
    check_setting,
    check_shattering,
    check_system_inverse,
    check_vc_dimension,
    errata,
    filters,
    in_support,
    outputs,
    pattern_set_count,
    pattern_set_representatives,
    report_checks,
    second_layer,
    shattered_set,
    solve_alpha,
    system_matrix,
)
from verify.evidence import Verdict
from verify.model import network
from verify.model.distribution import enumerate_support
from verify.model.patterns import haar_patterns, standard_patterns
from verify.model.setting import Setting
from verify.rng import generator


def _paper_point(I, last):
    """x_I as the proof writes it, 1-based patterns: x_I[j] = I[j] o_{2j+1} + (1-I[j]) o_{2j+2}."""
    return [2 * j + 1 if bit else 2 * j + 2 for j, bit in enumerate(I, start=1)] + [last]


# ----------------------------------------------------------------------------- B


@pytest.mark.parametrize("n", [2, 3, 4, 5])
@pytest.mark.parametrize("last", [1, 2])
def test_shattered_set__is_the_papers_set_b(n, last):
    idx = shattered_set(n, last="o1" if last == 1 else "o2")
    want = [_paper_point(I, last) for I in itertools.product((0, 1), repeat=n - 1)]
    assert idx.shape == (2 ** (n - 1), n)
    assert (idx + 1).tolist() == want  # rows in the order of I read as a binary number
    assert len(np.unique(idx, axis=0)) == 2 ** (n - 1)
    assert idx.max() == 2 * n - 1  # o_d is used: B needs l = d


def test_shattered_set__complement_is_the_reversed_row():
    n = 4
    idx = shattered_set(n)
    N = idx.shape[0]
    for r in range(N):
        c = N - 1 - r
        # I^c flips every choice between o_{2j+1} (0-based 2j) and o_{2j+2} (2j+1)
        assert np.all(idx[r, :-1] + idx[c, :-1] == 2 * (2 * np.arange(1, n)) + 1)


def test_shattered_set__mixed_last_position():
    idx = shattered_set(3, last=[2, 1, 1, 2])
    assert idx[:, -1].tolist() == [1, 0, 0, 1]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_shattered_set__lies_in_the_support_of_d(n):
    d = 2 * n
    support = {tuple(row) for row in enumerate_support(n, d)[0].tolist()}
    for last in ("o1", "o2", [1, 2] * 2 ** (n - 2)):
        idx = shattered_set(n, last=last)
        assert all(tuple(row) in support for row in idx.tolist())
        assert in_support(idx, d).all()
        assert not in_support(idx, d - 1).all()  # l < d: o_d is not a pattern of D


def test_shattered_set__rejects_bad_arguments():
    with pytest.raises(ValueError, match="n must be >= 2"):
        shattered_set(1)
    with pytest.raises(ValueError, match="n must be an integer"):
        shattered_set(2.0)
    with pytest.raises(ValueError, match="last"):
        shattered_set(3, last="o3")
    with pytest.raises(ValueError, match="last"):
        shattered_set(3, last=[1, 2, 3, 1])
    with pytest.raises(ValueError, match="last"):
        shattered_set(3, last=[1, 2])


def test_in_support__rejects_points_outside_the_support():
    idx = np.array([[0, 2, 3], [0, 1, 2], [2, 3, 4], [0, 2, 5], [1, 4, 4]])
    assert in_support(idx, 5).tolist() == [True, False, False, False, True]
    with pytest.raises(ValueError, match="l must be >= 3"):
        in_support(idx, 2)


# ----------------------------------------------------------------------------- Eq. 5


def test_all_labellings__each_labelling_once():
    Y = all_labellings(4)
    assert Y.shape == (16, 4)
    assert len({tuple(r) for r in Y.tolist()}) == 16
    assert set(np.unique(Y)) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="N"):
        all_labellings(0)


@pytest.mark.parametrize("N", [2, 4, 8, 16, 128])
def test_solve_alpha__solves_eq_5(N):
    Y = np.where(generator(1, "test", N).integers(0, 2, size=(20, N)) == 1, 1.0, -1.0)
    A = solve_alpha(Y)
    for y, alpha in zip(Y, A, strict=True):
        for I in range(N):  # sum_{I' != I} alpha_I' = y_{I^c}, I^c = N - 1 - I
            assert abs(sum(alpha[J] for J in range(N) if J != I) - y[N - 1 - I]) < 1e-12
        np.testing.assert_allclose(alpha, np.linalg.solve(system_matrix(N), y[::-1]),
                                   rtol=0, atol=1e-12)
    assert np.all(A != 0)  # sum(y) and N - 1 have opposite parities


def test_system_matrix__all_ones_minus_identity_with_the_closed_form_inverse():
    for N in (2, 3, 8):
        M = system_matrix(N)
        np.testing.assert_array_equal(M, np.ones((N, N)) - np.eye(N))
        np.testing.assert_allclose(M @ (np.ones((N, N)) / (N - 1) - np.eye(N)), np.eye(N),
                                   atol=1e-15)


def test_solve_alpha__rejects_bad_labels():
    with pytest.raises(ValueError, match="only"):
        solve_alpha([1.0, 0.0])
    with pytest.raises(ValueError, match="N >= 2"):
        solve_alpha([1.0])
    with pytest.raises(ValueError, match="shape"):
        solve_alpha(np.ones((2, 2, 2)))


# ----------------------------------------------------------------------------- the network


def test_filters__rows_w_then_u_and_a():
    n = 3
    O = haar_patterns(6, 6, generator(0, "test"))
    idx = shattered_set(n)
    alpha = np.array([0.5, -2.0, 0.0, 1.0])
    W = filters(alpha, idx, O)
    assert W.shape == (8, 6)
    for I in range(4):
        s = O[idx[I, 0]] + O[idx[I, 1]]
        np.testing.assert_allclose(W[I], max(alpha[I], 0) * s)
        np.testing.assert_allclose(W[4 + I], max(-alpha[I], 0) * s)
    assert second_layer(4).tolist() == [1.0] * 4 + [-1.0] * 4
    assert filters(np.tile(alpha, (3, 1)), idx, O).shape == (3, 8, 6)


def test_filters__rejects_bad_arguments():
    idx, O = shattered_set(3), standard_patterns(6, 6)
    with pytest.raises(ValueError, match="alpha must have last dimension"):
        filters(np.ones(3), idx, O)
    with pytest.raises(ValueError, match="alpha must hold only finite"):
        filters(np.array([1.0, np.nan, 1.0, 1.0]), idx, O)
    with pytest.raises(ValueError, match="idx must hold pattern indices"):
        filters(np.ones(4), idx, O[:4])


def test_outputs__match_the_dense_and_pattern_forward_passes():
    n = 3
    O = haar_patterns(6, 6, generator(2, "test"))
    idx = shattered_set(n, last="o2")
    alpha = generator(3, "test").standard_normal((40, 4))
    got = outputs(alpha, idx, O)
    X, a = O[idx], second_layer(4)
    for r in range(40):
        W = filters(alpha[r], idx, O)
        np.testing.assert_allclose(got[r], network.forward(W, a, X), rtol=0, atol=1e-13)
        np.testing.assert_allclose(got[r], network.forward_patterns(W, a, O, idx),
                                   rtol=0, atol=1e-13)


# ----------------------------------------------------------------------------- check_shattering


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("patterns", ["standard", "haar"])
@pytest.mark.parametrize("last", ["o1", "o2"])
def test_check_shattering__realises_every_labelling(n, patterns, last):
    ev = check_shattering(n, patterns=patterns, last=last, seed=5)
    assert ev.claim == CLAIM
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert ev.assumptions == {"d=2n": True, "l=d": True}
    det = ev.details
    assert det["exhaustive"]
    assert det["labellings_checked"] == 2 ** 2 ** (n - 1)
    assert det["misclassified_labellings"] == 0
    assert det["max_abs_N_minus_y"] <= det["tolerance"]
    assert abs(ev.slack - 1.0) < 1e-12  # N(x_I) = y_I: every margin is 1


def test_check_shattering__drawn_labellings_at_n_6():
    ev = check_shattering(6, patterns="haar", last="o2", labellings=50, seed=1)
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert not ev.details["exhaustive"]
    assert ev.details["labellings_checked"] == 50
    assert ev.params["labellings"] == 50


def test_check_shattering__given_patterns_array():
    O = haar_patterns(6, 6, generator(9, "test"))
    assert check_shattering(3, patterns=O).verdict == Verdict.HOLDS


def test_check_shattering__fails_when_one_alpha_changes_sign():
    Y = all_labellings(4)
    A = solve_alpha(Y)
    A[9, 2] = -A[9, 2]
    ev = check_shattering(3, labellings=Y, alpha=A)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["misclassified_labellings"] == 1
    assert ev.details["parts"]["misclassified labellings = 0"]["where"]["labelling"] == 9


def test_check_shattering__fails_when_a_channel_is_dropped():
    # alpha_I = 0 removes w^(I) (or u^(I)): the channel that carried alpha_I is gone.
    Y = all_labellings(8)
    A = solve_alpha(Y)
    A[200, 5] = 0.0
    ev = check_shattering(4, patterns="haar", labellings=Y, alpha=A)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["parts"]["|N(x_I) - y_I| <= tol"]["verdict"] == "fails"


def test_check_shattering__fails_without_the_complement_in_eq_5():
    # Reading Eq. 5 with y_I instead of y_{I^c} realises y_{I^c} instead of y_I: exactly the
    # labellings that are not symmetric under I -> I^c fail.
    ys = all_labellings(4)
    ev = check_shattering(3, labellings=ys, alpha=solve_alpha(ys[:, ::-1]))
    assert ev.verdict == Verdict.FAILS
    symmetric = int(np.all(ys == ys[:, ::-1], axis=1).sum())
    assert ev.details["misclassified_labellings"] == 16 - symmetric == 12


def test_check_shattering__rejects_bad_arguments():
    with pytest.raises(ValueError, match="n must be >= 2"):
        check_shattering(1)
    with pytest.raises(ValueError, match="exhaustive"):
        check_shattering(6)
    with pytest.raises(ValueError, match="labellings must have N"):
        check_shattering(3, labellings=np.ones((2, 3)))
    with pytest.raises(ValueError, match="labellings must contain only"):
        check_shattering(3, labellings=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="labellings must be >= 1"):
        check_shattering(3, labellings=0)
    with pytest.raises(ValueError, match="d = 2n = 6"):
        check_shattering(3, patterns=standard_patterns(8, 8))
    with pytest.raises(ValueError, match="l = d = 6"):
        check_shattering(3, patterns=standard_patterns(6, 5))
    with pytest.raises(ValueError, match="orthonormal"):
        check_shattering(3, patterns=2 * standard_patterns(6, 6))
    with pytest.raises(ValueError, match="patterns must be"):
        check_shattering(3, patterns="gaussian")
    with pytest.raises(ValueError, match="alpha must have the labellings' shape"):
        check_shattering(3, labellings=all_labellings(4), alpha=np.ones((3, 4)))
    with pytest.raises(ValueError, match="seed"):
        check_shattering(3, seed=-1)


# ----------------------------------------------------------------------------- exact


@pytest.mark.parametrize(("n", "patterns", "last"),
                         [(2, "standard", "o1"), (2, "standard", "o2"), (3, "standard", "o1"),
                          (3, "cayley", "o2"), (4, "standard", "o2")])
def test_check_exact__n_equals_y_exactly(n, patterns, last):
    ev = check_exact(n, patterns=patterns, last=last, seed=3)
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert ev.details["mismatches"] == 0
    assert ev.details["min_margin"] == "1"
    assert ev.details["labellings_checked"] == 2 ** 2 ** (n - 1)


def test_check_exact__fails_with_a_perturbed_alpha():
    Y = all_labellings(4)
    A = [[Fraction(v).limit_denominator(100) for v in row] for row in solve_alpha(Y)]
    assert check_exact(3, alpha=A).verdict == Verdict.HOLDS
    A[5][2] += Fraction(1, 10**9)  # exact arithmetic sees any change
    ev = check_exact(3, alpha=A)
    assert ev.verdict == Verdict.FAILS
    assert ev.details["parts"]["N(x_I) = y_I exactly"]["where"]["labelling"] == 5


def test_check_exact__rejects_bad_arguments():
    with pytest.raises(ValueError, match="patterns must be 'standard' or 'cayley'"):
        check_exact(3, patterns="haar")
    with pytest.raises(ValueError, match="labellings: pass a count"):
        check_exact(5)
    with pytest.raises(ValueError, match="alpha must have the labellings' shape"):
        check_exact(2, alpha=[[1, 1]])
    with pytest.raises(ValueError, match="alpha must be an L x N array of rationals"):
        check_exact(2, alpha=[["x", 1]] * 4)


def test_cayley_patterns__exactly_orthonormal_and_not_axis_aligned():
    q = cayley_patterns(6, generator(0, "test"))
    assert q * q.T == type(q).eye(6)
    assert sum(1 for v in q if v != 0) > 6
    O = np.array(q, dtype=float)
    np.testing.assert_allclose(O @ O.T, np.eye(6), atol=1e-14)


# ----------------------------------------------------------------------------- J - I


def test_check_system_inverse__proves_the_inverse_for_symbolic_n():
    ev = check_system_inverse()
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert all(p["verdict"] == "holds" for p in ev.details["parts"].values())


def test_check_system_inverse__fails_for_a_wrong_inverse():
    ev = check_system_inverse((2, 3, 4), candidate=("-1", "1/N"))
    assert ev.verdict == Verdict.FAILS
    parts = ev.details["parts"]
    assert parts["(J - I)(J/(N-1) - I) = I (symbolic N)"]["verdict"] == "fails"
    assert parts["exact at each size"]["where"] == [2, 3, 4]


def test_check_system_inverse__rejects_bad_arguments():
    with pytest.raises(ValueError, match="sizes must be >= 2"):
        check_system_inverse((1, 2))
    with pytest.raises(ValueError, match="sizes must not be empty"):
        check_system_inverse(())
    with pytest.raises(ValueError, match="candidate"):
        check_system_inverse(candidate=("-1", "1/(M - 1)"))


# ----------------------------------------------------------------------------- any l


def test_pattern_set_count__matches_the_enumerated_support():
    for n in (1, 2, 3, 4):
        for l in range(3, max(3, 2 * n) + 1):
            idx, _ = enumerate_support(n, l)
            assert pattern_set_count(n, l) == len({frozenset(r) for r in idx.tolist()})


def test_pattern_set_representatives__one_support_point_per_set():
    for n, l in ((2, 3), (3, 5), (4, 8)):
        reps = pattern_set_representatives(n, l)
        assert reps.shape == (pattern_set_count(n, l), n)
        assert in_support(reps, l).all()
        sets = [frozenset(r) for r in reps.tolist()]
        assert len(set(sets)) == len(sets)
        assert [len(x) for x in sets] == sorted(len(x) for x in sets)  # ordered by size


def test_check_vc_dimension__holds_iff_l_exceeds_d_over_2():
    # VCdim = pattern_set_count >= 2^(n-1) exactly when l >= n + 1 (n >= 2)
    for n in range(2, 9):
        for l in range(3, 2 * n + 1):
            assert (pattern_set_count(n, l) >= 2 ** (n - 1)) == (l >= n + 1)


def test_check_vc_dimension__fails_at_the_smallest_counterexample_d6_l3():
    refuted = [(2 * n, l) for n in range(2, 9) for l in range(3, 2 * n + 1)
               if pattern_set_count(n, l) < 2 ** (n - 1)]
    assert min(refuted) == (6, 3)
    ev = check_vc_dimension(3, 3)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert (ev.observed, ev.bound) == (2.0, 4.0)  # VCdim = 2 < 4 = 2^(d/2-1)
    assert ev.assumptions == {"d=2n": True, "l=d": False}
    parts = ev.details["parts"]
    assert parts["N constant on each pattern set"]["verdict"] == "holds"
    assert parts["#pattern sets by enumeration"]["verdict"] == "holds"
    assert parts["inclusion matrix unitriangular (exact)"]["verdict"] == "holds"
    assert ev.details["vc_dimension"] == 2


@pytest.mark.parametrize(("n", "l", "vc"), [(3, 4, 6), (4, 5, 14), (5, 10, 324), (6, 12, 1274)])
def test_check_vc_dimension__certifies_the_exact_vc_dimension(n, l, vc):
    ev = check_vc_dimension(n, l, seed=2)
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert ev.observed == vc
    assert ev.details["vc_dimension"] == vc
    assert ev.details["parts"]["drawn labellings realised exactly"]["observed"] == 0.0


def test_check_vc_dimension__equality_at_n_2_l_3_and_partial_certificate_at_d_16():
    assert check_vc_dimension(2, 3).verdict == Verdict.BOUNDARY  # VCdim = 2 = 2^(d/2-1)
    ev = check_vc_dimension(8, 16, labellings=1)
    assert ev.verdict == Verdict.HOLDS
    assert ev.details["certified_shattered"] == MAX_CERTIFIED < ev.details["pattern_sets"]
    assert ev.details["vc_dimension"] is None


def test_check_setting__vc_dimension_outside_d_2n():
    # d > 2n: the bound 2^(d/2-1) grows with d while VCdim(H_CNN(X)) depends on n and l only
    s = Setting(d=8, l=4, n=2, k=1, m=2, eta1=0.1, eta2=1.0, r=0.01, T1=1, T2=0)
    ev = check_setting(s)
    assert ev.assumptions == {"d=2n": False, "l=d": False}
    assert (ev.verdict, ev.observed, ev.bound) == (Verdict.FAILS, 4.0, 8.0)
    assert check_setting(s.replace(d=4, l=4)).verdict == Verdict.HOLDS  # d = 2n, l = d
    one = check_vc_dimension(1, 3, d=3)  # n = 1: {o1} and {o2} only
    assert (one.verdict, one.observed) == (Verdict.HOLDS, 2.0)
    with pytest.raises(ValueError, match="setting"):
        check_setting((4, 4, 2))


def test_check_vc_dimension__rejects_bad_arguments():
    with pytest.raises(ValueError, match="l must be <= 6"):
        check_vc_dimension(3, 7)
    with pytest.raises(ValueError, match="n must be >= 1"):
        check_vc_dimension(0, 3)
    with pytest.raises(ValueError, match="l must be <= 4"):
        check_vc_dimension(3, 5, d=4)
    with pytest.raises(ValueError, match="labellings"):
        check_vc_dimension(3, 3, labellings=-1)


# ----------------------------------------------------------------------------- report


def test_errata__missing_assumptions_loose_and_typo():
    found = errata()
    assert [e.kind for e in found] == ["missing-assumption", "loose", "missing-assumption",
                                       "typo"]
    assert "(n=3, l=3): 2 < 4" in found[0].evidence
    assert "d = 6, l = 3" in found[0].what_is_true
    assert "d=10: 324" in found[1].evidence


def test_report_checks__quick_holds_for_l_equal_d_and_fails_below():
    out = report_checks("quick", 0)
    assert all(e.claim == CLAIM for e in out)
    fails = [e for e in out if e.verdict == Verdict.FAILS]
    assert [(e.params["n"], e.params["l"]) for e in fails] == [(3, 3), (4, 4), (5, 5)]
    assert all(e.verdict == Verdict.HOLDS for e in out if e not in fails)
    with pytest.raises(ValueError, match="profile"):
        report_checks("fast", 0)
