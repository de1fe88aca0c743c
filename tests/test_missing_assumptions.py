"""Lemma 5.2 and Theorem 4.2 fail as stated only where a missing assumption fails:
the counterexamples stay pinned, and each names the condition under which the claim holds."""

from __future__ import annotations

import math

import pytest

from verify.claims.lemma_5_2 import (
    check_lemma_5_2_exact,
    check_lucky_probability,
    exact_failure_probability,
)
from verify.claims.lemma_5_2.statement import HOLDS_UNDER, proof_condition
from verify.claims.theorem_4_2 import check_vc_dimension
from verify.evidence import Verdict


def test_check_vc_dimension__smallest_counterexample_holds_under_l_at_least_d_over_2_plus_1():
    ev = check_vc_dimension(3, 3, d=6)
    assert ev.verdict is Verdict.FAILS
    assert ev.holds_under.startswith("l >= d/2 + 1")
    edge = check_vc_dimension(3, 4, d=6)  # l = d/2 + 1: the weakest condition suffices
    assert edge.verdict is Verdict.HOLDS
    assert edge.holds_under == ""


@pytest.mark.parametrize("n", [3, 4, 5])
def test_check_vc_dimension__fails_exactly_below_d_over_2_plus_1(n):
    for l in range(3, 2 * n + 1):
        ev = check_vc_dimension(n, l, labellings=0)
        assert (ev.verdict is Verdict.FAILS) is (l < n + 1), (n, l)
        assert bool(ev.holds_under) is (l < n + 1)


def test_check_lemma_5_2_exact__smallest_counterexample_holds_under_the_proof_condition():
    ev = check_lemma_5_2_exact(5, 3, 1000)
    assert ev.verdict is Verdict.FAILS
    assert ev.holds_under == HOLDS_UNDER
    assert not proof_condition(5, 3)


def test_proof_condition__is_true_at_l_equal_d_and_decided_in_integers():
    assert all(proof_condition(d, d) for d in range(3, 60))
    for d in range(3, 30):
        for l in range(3, d + 1):
            q = (1 - 2.0 ** (1 - l)) / (2 * (l - 1))
            assert proof_condition(d, l) is (q <= 3 / (4 * d) + 1e-15)


@pytest.mark.parametrize("d", [3, 4, 5, 6])
def test_proof_condition__lemma_5_2_holds_under_it_at_k_8d3(d):
    """Under the condition (which includes l = d) and k = 8d^3 the exact failure probability is
    at most 4e^{-d}, as the Hoeffding argument of Appendix B gives."""
    for l in range(3, d + 1):
        if proof_condition(d, l):
            assert exact_failure_probability(d, l, 8 * d**3) <= 4 * math.exp(-d), (d, l)
            assert check_lemma_5_2_exact(d, l, 8 * d**3).verdict is Verdict.HOLDS


def test_check_lucky_probability__paper_formula_holds_under_l_equal_d():
    ev = check_lucky_probability(6, 3, 200, trials=20, seed=0, formula="paper")
    assert ev.verdict is Verdict.FAILS
    assert ev.holds_under == "l = d"
