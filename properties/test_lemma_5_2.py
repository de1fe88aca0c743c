"""Property tests of Lemma 5.2 (Eq. 7) and of the per-filter probability in its proof
(Appendix B), over the paper's whole setting ``3 <= l <= d`` (``n`` plays no role).

Where the claim holds (``l = d``, ``k >= 8d^3``) it is asserted; where it is false (``l < d``,
e.g. the smallest counterexample ``d = 5, l = 3, k = 1000``) the failure is pinned and asserted;
the corrected per-filter probability ``(1 - 2^{-(l-1)}) / (2(l-1))`` is asserted everywhere.

Statistics and false-alarm budget
---------------------------------
Every statistical assertion is an exact binomial test (:mod:`verify.evidence.stats`) at level
``ALPHA = 1e-9``:

- an assertion that a test does *not* reject fails wrongly with probability at most ``ALPHA``;
- an assertion that a test *does* reject is only made after computing, exactly, that the test
  rejects with probability at least ``1 - ALPHA`` at the true rate (its miss probability).

Decisions per ``pytest properties/`` run with the ``ci`` profile (25 examples per Hypothesis
test): this file makes at most 25 x (2 + 3 + 1 + 1) + 46 x 3 (the deterministic sweep) + 12 =
325, ``properties/test_event_14.py`` at most 25 x 2 + 3 = 53, ``tests/test_lemma_5_2_kernels.py``
18: about 400 in all, so a correct implementation fails any of them with probability at most
4e-7 (Bonferroni; valid under any dependence), within the suite's budget of 1e-6. With
``--hypothesis-profile=thorough`` (400 examples) the bound is about 3.8e-6. Each test's power is
reported in its evidence (``details``: detectable rate at 99% power, exact rejection probability
at the exact rate).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from properties.strategies import seeds
from verify.claims.lemma_5_2 import (
    ALPHA,
    certified_horizon,
    check_lemma_5_2,
    check_lemma_5_2_exact,
    check_lucky_probability,
    claimed_failure_rate,
    exact_failure_probability,
    lucky_counts,
    lucky_probability,
    paper_lucky_probability,
    proof_inequalities,
    smallest_counterexample,
)
from verify.evidence import Verdict
from verify.evidence.stats import rejection_probability, two_sided_rejection_probability

MISS = 1e-9  # largest miss probability allowed before asserting a rejection


@st.composite
def dlk(draw: st.DrawFn, *, max_d: int = 8, l_rule: str = "any", max_k_extra: int = 3000):
    """``(d, l, k)`` with ``k >= 8 d^3`` (the proof's assumption) and ``l`` by ``l_rule``:
    ``"l=d"``, ``"l<d"`` or ``"any"`` (``3 <= l <= d``)."""
    d = draw(st.integers(4 if l_rule == "l<d" else 3, max_d))
    if l_rule == "l=d":
        l = d
    elif l_rule == "l<d":
        l = draw(st.integers(3, d - 1))
    else:
        l = draw(st.integers(3, d))
    k = 8 * d**3 + draw(st.integers(0, max_k_extra))
    return d, l, k


# ------------------------------------------------------------------ where the lemma holds


@given(p=dlk(l_rule="l=d"), seed=seeds)
def test_check_lemma_5_2__holds_inside_the_proofs_assumptions(p, seed):
    d, l, k = p
    ev = check_lemma_5_2(d, l, k, trials=1000, seed=seed)  # 2 decisions
    assert ev.verdict is Verdict.HOLDS, ev.summary()
    assert ev.details["exact_failure_probability"] <= claimed_failure_rate(d), ev.summary()


@given(d=st.integers(3, 40), f=st.floats(1.0, 20.0))
def test_check_lemma_5_2_exact__holds_inside_the_proofs_assumptions(d, f):
    ev = check_lemma_5_2_exact(d, d, math.ceil(8 * d**3 * f))
    assert ev.verdict is Verdict.HOLDS, ev.summary()


def test_certified_horizon__proves_the_lemma_for_l_equal_d_and_every_k_from_8d3():
    # Hoeffding with the true deviation min(q - 1/(4d), 1/d - q) >= 1/(4d): for l = d the
    # certificate starts at or before 8d^3, so the lemma holds for EVERY k >= 8d^3.
    for d in range(3, 301):
        horizon, eventually_fails = certified_horizon(d, d)
        assert not eventually_fails, (d, horizon)
        assert horizon <= 8 * d**3, (d, horizon)


def test_proof_inequalities__what_appendix_b_needs_holds_for_every_d():
    for d in range(3, 1001):
        r = proof_inequalities(d)
        assert r["p>=1/(2d)"], r
        assert r["p<=3/(4d) (needed)"], r
        assert r["p+1/(4d)<=1/d"], r
        assert r["hoeffding_exponent_k=8d^3"] >= d * (1 - 1e-12), r


# ------------------------------------------------------------- the whole setting, vs exact


def _agrees_with_exact(d: int, l: int, k: int, seed: int) -> None:
    ev = check_lemma_5_2(d, l, k, trials=1000, seed=seed)
    exact = ev.details["exact_failure_probability"]
    assert not ev.details["consistency_with_exact"]["rejected"], ev.summary()  # 1 decision
    if exact <= claimed_failure_rate(d):
        assert ev.verdict is Verdict.HOLDS, ev.summary()  # 1 decision
    if ev.details["power_at_exact_rate"] >= 1 - MISS:
        assert ev.verdict is Verdict.FAILS, ev.summary()  # miss probability <= MISS


@given(p=dlk(l_rule="any"), seed=seeds)
def test_check_lemma_5_2__agrees_with_the_exact_law_over_the_whole_setting(p, seed):
    _agrees_with_exact(*p, seed)


SWEEP = [
    (d, l, k)
    for d in range(3, 9)
    for l in range(3, d + 1)
    for k in (8 * d**3, 24 * d**3 + 7)
] + [(10, 10, 8001), (10, 5, 8000), (12, 12, 13824), (12, 4, 13824)]


@pytest.mark.parametrize(("d", "l", "k"), SWEEP)
def test_check_lemma_5_2__agrees_with_the_exact_law_on_every_l_and_d(d, l, k):
    _agrees_with_exact(d, l, k, seed=1000 * d + l)


# ------------------------------------------------------------------ where the lemma fails


def test_smallest_counterexample__is_d5_l3_k1000():
    ce = smallest_counterexample(8)  # complete: exact below the Hoeffding horizons
    assert ce is not None
    assert (ce["d"], ce["l"], ce["k"]) == (5, 3, 1000), ce
    assert ce["k"] == 8 * ce["d"] ** 3  # the smallest k the proof allows
    ce1 = smallest_counterexample(8, k_rule="8d^3+1")  # Theorem 5.1's strict k > 8d^3
    assert ce1 is not None
    assert (ce1["d"], ce1["l"], ce1["k"]) == (5, 3, 1001), ce1
    assert smallest_counterexample(12, l_equals_d=True) is None  # l = d: no counterexample


def test_check_lemma_5_2__fails_at_the_smallest_counterexample():
    d, l, k, trials = 5, 3, 1000, 2000
    exact = exact_failure_probability(d, l, k)
    bound = claimed_failure_rate(d)
    assert exact > 10 * bound
    assert rejection_probability(trials, bound, ALPHA, exact) >= 1 - 1e-12
    ev = check_lemma_5_2(d, l, k, trials=trials, seed=0)
    assert ev.verdict is Verdict.FAILS, ev.summary()
    test = ev.details["claim_test"]
    assert test["p_value"] < ALPHA, ev.summary()
    assert test["clopper_pearson_95"][0] > bound, ev.summary()
    assert check_lemma_5_2_exact(d, l, k).verdict is Verdict.FAILS


def test_check_lemma_5_2__fails_for_l3_d6_with_probability_near_one():
    d, l, k = 6, 3, 8 * 6**3 + 1
    assert k * lucky_probability(l) > k / d  # E|W_0+ ∩ A+| = 0.1875 k > k/6
    assert exact_failure_probability(d, l, k) > 0.999
    ev = check_lemma_5_2(d, l, k, trials=300, seed=1)
    assert rejection_probability(300, claimed_failure_rate(d), ALPHA, 0.999) >= 1 - 1e-12
    assert ev.verdict is Verdict.FAILS, ev.summary()


def test_check_lemma_5_2__sketchs_k_equal_d3_fails_at_d3():
    # Section 5's sketch says "k >= d^3"; at d = 3, k = 27 the lemma fails (exactly, and by MC).
    ce = smallest_counterexample(10, k_rule="d^3", l_equals_d=True)
    assert ce is not None
    assert (ce["d"], ce["l"], ce["k"]) == (3, 3, 27), ce
    exact = exact_failure_probability(3, 3, 27)
    trials = 200_000
    assert rejection_probability(trials, claimed_failure_rate(3), ALPHA, exact) >= 1 - MISS
    ev = check_lemma_5_2(3, 3, 27, trials=trials, seed=2)
    assert ev.verdict is Verdict.FAILS, ev.summary()


# ------------------------------------------------------------ the per-filter probability


@given(d=st.integers(3, 12), data=st.data(), k=st.integers(1, 3000), seed=seeds)
def test_check_lucky_probability__l_formula_holds_everywhere(d, data, k, seed):
    l = data.draw(st.integers(3, d))
    ev = check_lucky_probability(d, l, k, trials=200, seed=seed, formula="l")  # 1 decision
    assert ev.verdict is Verdict.HOLDS, ev.summary()


@given(p=dlk(max_d=12, l_rule="l<d", max_k_extra=0), seed=seeds)
def test_check_lucky_probability__paper_formula_fails_when_l_below_d(p, seed):
    d, l, _ = p
    k = 1000
    trials = 1000  # 10^6 filters: power >= 1 - 1e-9 against every l < d <= 12 (asserted)
    power = two_sided_rejection_probability(
        trials * k, paper_lucky_probability(d), ALPHA / 2, lucky_probability(l)
    )
    assert power >= 1 - MISS, (d, l, power)
    ev = check_lucky_probability(d, l, k, trials=trials, seed=seed, formula="paper")
    assert ev.verdict is Verdict.FAILS, ev.summary()


def test_check_lucky_probability__paper_formula_holds_when_l_equals_d():
    for d in (3, 6, 10):
        ev = check_lucky_probability(d, d, 1000, trials=500, seed=d, formula="paper")
        assert ev.verdict is Verdict.HOLDS, ev.summary()


# ---------------------------------------------------------- the checkers are able to fail


def test_check_lemma_5_2__fails_on_shifted_counts():
    d, l, k = 3, 3, 216

    def shifted(d_, l_, k_, trials, seed):
        plus, minus = lucky_counts(d_, l_, k_, trials, seed)
        return plus + k_ // d_ + 1 - plus.min(), minus  # every trial above k/d

    ev = check_lemma_5_2(d, l, k, trials=50, seed=0, sampler=shifted)
    assert ev.verdict is Verdict.FAILS, ev.summary()  # 50/50 failures: certain rejection
    assert ev.details["claim_test"]["failures"] == 50


def test_check_lemma_5_2__fails_with_a_kernel_that_uses_too_few_patterns():
    # A biased kernel: asked for l = d = 6 it draws with 3 patterns (q = 0.1875 > 1/6).
    def biased(d_, l_, k_, trials, seed):
        return lucky_counts(d_, 3, k_, trials, seed)

    d, k, trials = 6, 8 * 6**3, 300
    assert exact_failure_probability(d, 3, k) > 0.99
    assert rejection_probability(trials, claimed_failure_rate(d), ALPHA, 0.99) >= 1 - 1e-12
    ev = check_lemma_5_2(d, d, k, trials=trials, seed=0, sampler=biased)
    assert ev.verdict is Verdict.FAILS, ev.summary()


def test_check_lemma_5_2__flags_counts_inconsistent_with_the_exact_law():
    # A kernel whose failures are too frequent for the exact law but not above 4e^{-d}:
    # (4, 3, 512) has exact failure 3.8e-4; this sampler makes ~2% of trials fail (below
    # 4e^{-4} = 0.073), so only the consistency test can and must catch it.
    def sometimes_empty(d_, l_, k_, trials, seed):
        plus, minus = lucky_counts(d_, l_, k_, trials, seed)
        plus[::50] = 0
        return plus, minus

    d, l, k, trials = 4, 3, 512, 5000
    exact = exact_failure_probability(d, l, k)
    assert two_sided_rejection_probability(trials, exact, ALPHA, 0.02) >= 1 - 1e-12
    ev = check_lemma_5_2(d, l, k, trials=trials, seed=0, sampler=sometimes_empty)
    assert ev.verdict is Verdict.FAILS, ev.summary()
    assert not ev.details["claim_test"]["rejected"]
    assert "inconsistent" in ev.reason


def test_check_lucky_probability__fails_with_a_biased_kernel():
    def one_pattern_more(d_, l_, k_, trials, seed):
        return lucky_counts(d_, l_ + 1, k_, trials, seed)

    d, l, k, trials = 8, 6, 1000, 500
    power = two_sided_rejection_probability(
        trials * k, lucky_probability(l), ALPHA / 2, lucky_probability(l + 1)
    )
    assert power >= 1 - 1e-12
    ev = check_lucky_probability(d, l, k, trials=trials, seed=0, formula="l",
                                 sampler=one_pattern_more)
    assert ev.verdict is Verdict.FAILS, ev.summary()
