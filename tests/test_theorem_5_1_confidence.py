"""Theorem 5.1's and Corollary 5.4's confidence over seeds (issue 16): the per-seed evaluation,
the aggregate test, and the pinned finding that Corollary 5.4 survives Lemma 5.2's event
failing (its 4e^{-d} is not needed)."""

from __future__ import annotations

import math

import pytest

from verify.claims.section_5 import theorem_setting
from verify.claims.theorem_5_1_confidence import (
    check_confidence,
    check_confidence_corollary,
    claimed_probability,
    errata,
    evaluate_seed,
)
from verify.evidence import Evidence, Verdict

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
    ok = check_confidence(L_BELOW_D, seeds=8)
    assert ok.verdict is Verdict.HOLDS
    assert ok.details["successes"] == 8


def test_check_confidence__conclusion_survives_lemma_5_2_failing_at_l_below_d():
    ev = check_confidence(L_BELOW_D, seeds=10)
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
