"""Theorem 5.1's and Corollary 5.4's confidence over seeds: the per-seed
evaluation, the sequential decision (demonstrated / refuted / undecided / vacuous, with the
effect as slack), and the pinned finding that Corollary 5.4 survives Lemma 5.2's event failing
(its 4e^{-d} is not needed)."""

from __future__ import annotations

import math

import pytest

from verify.claims.section_5 import theorem_setting
from verify.claims.theorem_5_1_confidence import (
    ALPHA,
    ROWS_PER_REPORT,
    check_confidence,
    check_confidence_corollary,
    claimed_probability,
    errata,
    evaluate_seed,
    profile_design,
    smallest_nonvacuous_m,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.sequential import SequentialDesign

CORNER = theorem_setting(3, 3, 3, 217, 40, 1, 0)
L_BELOW_D = theorem_setting(6, 3, 3, 1729, 200, 2, 0)


def test_claimed_probability__formula_and_floor():
    assert claimed_probability(6, 200) == pytest.approx(
        0.95 * (1 - 4 * math.exp(-6) - 4 * math.exp(-200 / 36)))
    assert claimed_probability(3, 40) == 0.0  # vacuous at the corner: 4e^-3 + 4e^-40/36 > 1
    assert claimed_probability(6, 200, delta=0, lemma_5_2=False) == pytest.approx(
        1 - 4 * math.exp(-200 / 36))
    with pytest.raises(ValueError, match="delta"):
        claimed_probability(6, 200, delta=1.0)


def test_evaluate_seed__deterministic_and_records_the_events():
    a, b = evaluate_seed(CORNER, 3), evaluate_seed(CORNER, 3)
    assert a.as_dict() == b.as_dict()
    assert a.params["seed"] == 3
    assert set(a.details["events"]) == {"event_14", "lemma_5_2", "lemma_5_2_lower",
                                        "lemma_5_2_upper"}
    assert a.verdict is Verdict.HOLDS
    assert evaluate_seed(CORNER, 4).as_dict() != a.as_dict()


def test_check_confidence__rejects_a_rate_far_below_the_claim():
    def failing(setting, seed):
        ev = evaluate_seed(setting, seed)
        return Evidence(ev.claim, ev.statement, Verdict.FAILS, 1.0, 0.0, -1.0,
                        details=ev.details)

    ev = check_confidence(L_BELOW_D, seeds=8, evaluate=failing)
    assert ev.verdict is Verdict.FAILS
    assert ev.details["successes"] == 0
    assert ev.details["decision"]["status"] == "refuted"
    assert ev.strength is Strength.STATISTICAL
    assert ev.slack == pytest.approx(-ev.bound)  # effect: observed rate 0 - claimed
    ok = check_confidence(L_BELOW_D, seeds=8)
    assert ok.verdict is Verdict.HOLDS
    assert ok.details["successes"] == 8
    # 8 of 8 cannot demonstrate 0.926 at 95%: 0.05 ** (1/8) = 0.69 < 0.926
    assert ok.details["decision"]["status"] == "undecided"


def test_check_confidence__conclusion_survives_lemma_5_2_failing_at_l_below_d():
    ev = check_confidence(L_BELOW_D, seeds=10)
    assert "part" not in ev.details  # the probability of both parts
    # at these m the explicit bound is >= 1: the event tested is L2 -> 0 alone
    assert ev.details["bound_vacuous"]
    assert ev.details["event_parts"] == {
        "with probability >= (1 - delta)(1 - 4e^-d - 4e^(-m/36))": "of the event below, over 10 "
                                                                   "seeds",
        "L2 -> 0": "tested at every seed (10)",
        "test error <= the explicit bound (w.p. >= 1 - delta)":
            "vacuous: the explicit bound is >= 1 at every seed (10); the row shows P(L2 -> 0) >= "
            "the claimed probability"}
    failed = ev.details["lemma_5_2_event_failed"]
    assert failed["seeds"] == 10  # pinned: Lemma 5.2's upper bound fails on every seed here
    assert failed["successes"] == 10


def test_check_confidence_corollary__holds_without_lemma_5_2s_event():
    ev = check_confidence_corollary(L_BELOW_D, seeds=10)
    assert ev.verdict is Verdict.HOLDS
    assert ev.details["lemma_5_2_event_failed"] == {"seeds": 10, "successes": 10}
    assert ev.details["claimed_without_4e^-d"] > ev.bound
    (e,) = errata()
    assert e.kind == "loose"
    assert "1 - 4e^{-m/36}" in e.what_is_true


def _fake(pattern):
    """An ``evaluate`` whose seed ``s`` holds iff ``pattern(s)``: the decision rule alone."""
    def fn(setting, seed):
        ok = pattern(seed)
        return Evidence("x", "x", Verdict.HOLDS if ok else Verdict.FAILS, 0.0, 0.0, 0.0,
                        details={"events": {"event_14": True, "lemma_5_2": True},
                                 "limit_error_zero": True, "bound_vacuous": True})
    return fn


DESIGN = SequentialDesign(first=20, budget=640, alpha=ALPHA)


@pytest.mark.parametrize(("pattern", "status", "seeds", "verdict"), [
    # claimed 0.926, 6 looks: all successes demonstrate at the first n with
    # (0.05/6) ** (1/n) >= 0.926, i.e. n >= 63: the look at 80 seeds
    (lambda s: True, "demonstrated", 80, Verdict.HOLDS),
    # every other seed fails: 10 failures of 20 have p = 4e-7 > 1e-9/6, not refuted yet;
    # 20 of 40 reject at the second look
    (lambda s: s % 2 == 0, "refuted", 40, Verdict.FAILS),
    # one failure in 20: never refuted, never demonstrated by 640 (rate 0.95, bound < 0.926)
    (lambda s: s % 20 != 7, "undecided", 640, Verdict.HOLDS),
])
def test_check_confidence__sequential_decision_table(pattern, status, seeds, verdict):
    ev = check_confidence(L_BELOW_D, design=DESIGN, evaluate=_fake(pattern))
    dec = ev.details["decision"]
    assert (dec["status"], dec["trials"], ev.verdict) == (status, seeds, verdict)
    assert ev.params["seeds"] == seeds
    assert ev.strength is Strength.STATISTICAL
    assert ev.slack_kind == "effect"
    assert ev.slack == pytest.approx(dec["observed_rate"] - claimed_probability(6, 200))
    assert ev.details["p_value"] == dec["p_value"]
    assert status in ev.reason


def test_check_confidence__vacuous_where_the_claimed_probability_is_zero():
    ev = check_confidence(CORNER, design=DESIGN)
    assert ev.details["decision"]["status"] == "vacuous"
    assert ev.strength is Strength.VACUOUS
    assert ev.details["nonvacuous_from"] == (
        "m >= 58 at d = 3 (the claimed probability is <= 0 below)")
    assert ev.params["seeds"] == 20  # one look: nothing more to decide


def test_smallest_nonvacuous_m__both_sides():
    for d in (2, 3, 4, 6):
        m = smallest_nonvacuous_m(d)
        assert claimed_probability(d, m) > 0
        assert claimed_probability(d, m - 1) == 0
    assert smallest_nonvacuous_m(3) == 58
    assert smallest_nonvacuous_m(1) is None
    with pytest.raises(ValueError, match="d"):
        smallest_nonvacuous_m(0)


def test_profile_design__budgets_and_suite_false_alarm_budget():
    assert [profile_design(p).budget for p in ("quick", "standard", "thorough")] == [
        640, 5120, 20480]
    assert profile_design("quick").looks() == (20, 40, 80, 160, 320, 640)
    assert all(profile_design(p).alpha == 1e-9 for p in ("quick", "standard", "thorough"))
    assert ROWS_PER_REPORT * ALPHA <= 1e-8  # this module's share of the suite's 1e-6
    with pytest.raises(ValueError, match="profile"):
        profile_design("huge")


def test_check_confidence__arguments_and_determinism():
    with pytest.raises(ValueError, match="seeds and design"):
        check_confidence(L_BELOW_D, seeds=4, design=DESIGN)
    with pytest.raises(ValueError, match="design"):
        check_confidence(L_BELOW_D, design=640)
    with pytest.raises(ValueError, match="seeds"):
        check_confidence(L_BELOW_D, seeds=0)
    small = SequentialDesign(first=4, budget=8)
    a = check_confidence(L_BELOW_D, design=small, first_seed=3)
    b = check_confidence(L_BELOW_D, design=small, first_seed=3)
    assert a.as_dict() == b.as_dict()
