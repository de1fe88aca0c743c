"""The parts of claim statements and the twins that read a claim's own rows
(:mod:`verify.claims._parts`): each judges the row layout its claim writes."""

from __future__ import annotations

from typing import Any

import pytest

from verify.claims._parts import (
    EQ14_EXACT,
    EQ14_SAMPLER,
    SECTION_7_GROWTH,
    SECTION_7_LOWER,
    SECTION_7_TRAINING,
    THEOREM_5_1_CONFIDENCE_PARTS,
    THEOREM_5_1_PARTS,
    errors_zero_from_some_m,
    every_cell,
    exact,
    limit_error_zero,
)
from verify.evidence import Strength
from verify.evidence.calculus import Judgement


def _row(**details: Any) -> dict[str, Any]:
    return {"verdict": "holds", "strength": "computed", "slack": 0.1, "slack_kind": "difference",
            "observed": 0.0, "bound": 0.1, "details": details}


L2, ERROR = THEOREM_5_1_PARTS


@pytest.mark.parametrize(("part2", "outcome", "strength", "slack"), [
    # the explicit bound is 1 or more: the error half cannot fail
    ({"margin_bound_delta_0.05": 12.04, "fresh_error_final_a": 0.0}, "vacuous", "vacuous", None),
    ({"margin_bound_delta_0.05": 1.0, "fresh_error_final_a": 0.0}, "vacuous", "vacuous", None),
    # below 1: one run decides nothing about a with-probability statement...
    ({"margin_bound_delta_0.05": 0.4, "fresh_error_final_a": 0.1}, "undecided", "statistical",
     0.3),
    ({"margin_bound_delta_0.05": 0.4, "fresh_error_final_a": 0.4}, "undecided", "statistical",
     0.0),
    # ...unless its error exceeds the bound
    ({"margin_bound_delta_0.05": 0.4, "fresh_error_final_a": 0.5}, "fails", "statistical",
     -0.1),
])
def test_theorem_5_1_error_part(part2, outcome, strength, slack):
    j = ERROR.judgement(_row(part_2=part2))
    assert (j.outcome, j.strength.value) == (outcome, strength)
    assert j.slack == (None if slack is None else pytest.approx(slack))
    assert j.kind == ("vacuous" if slack is None else "difference")


def test_theorem_5_1_parts__which_rows_they_judge():
    assert ERROR.judgement(_row()) is None
    assert ERROR.judgement(_row(part_2="x")) is None
    assert ERROR.judgement(_row(part_2={"fresh_error_final_a": 0.0})) is None
    assert L2.judgement(_row()) is None
    assert L2.judgement(_row(parts={})).outcome == "holds"
    assert L2.judgement({"verdict": "holds", "details": "x"}) is None
    assert [p.claim for p in THEOREM_5_1_PARTS] == ["Theorem 5.1", "Theorem 5.1"]


def test_theorem_5_1_confidence_parts():
    probability, error = THEOREM_5_1_CONFIDENCE_PARTS
    row = _row(bound_vacuous=True)
    assert probability.judgement(row).outcome == "holds"
    assert error.judgement(row) == Judgement("vacuous", Strength.VACUOUS, None, "vacuous")
    assert error.judgement(_row(bound_vacuous=False)).outcome == "holds"
    assert error.judgement(_row()).outcome == "holds"
    assert error.judgement(_row(bound_vacuous=1)).outcome == "holds"


@pytest.mark.parametrize(("details", "holds"), [
    ({"limit_error_zero": 20, "successes": 20}, True),
    ({"limit_error_zero": 21, "successes": 20}, True),
    ({"limit_error_zero": 19, "successes": 20}, False),
    ({"limit_error_zero": 20}, None),
    ({"successes": 20}, None),
    ({"limit_error_zero": "20", "successes": 20}, None),
])
def test_limit_error_zero(details, holds):
    assert limit_error_zero(_row(**details)) is holds


@pytest.mark.parametrize(("details", "holds"), [
    ({"errors_exactly_zero_from_m": 1024}, True),
    ({"errors_exactly_zero_from_m": None}, False),
    ({}, None),
])
def test_errors_zero_from_some_m(details, holds):
    assert errors_zero_from_some_m(_row(**details)) is holds


@pytest.mark.parametrize(("details", "holds"), [
    ({"cells": [{"rate": 1.0}, {"rate": 1.0}]}, True),
    ({"cells": [{"rate": 1.0}, {"rate": 0.9}]}, False),
    ({"cells": [{"rate": 1.0}, {"rate": float("nan")}]}, True),
    ({"cells": [{"rate": float("nan")}]}, None),
    ({"cells": [{"other": 1}, "x"]}, None),
    ({"cells": []}, None),
    ({"cells": "x"}, None),
    ({"cells": "ab", "cnn_ahead_cells": 2}, None),
    ({}, None),
    ({"cells": [{"cnn_error": 0.1}, {"cnn_error": 0.2}], "cnn_ahead_cells": 2}, True),
    ({"cells": [{"cnn_error": 0.1}, {"cnn_error": 0.2}], "cnn_ahead_cells": 1}, False),
])
def test_every_cell(details, holds):
    assert every_cell(_row(**details)) is holds


@pytest.mark.parametrize(("method", "is_exact"), [
    ("exact binomial", True), ("exact multinomial", True), ("Monte Carlo", False), ("", False),
    (None, False),
])
def test_eq_14_parts__exact_rows_decide_and_the_sampler_is_auxiliary(method, is_exact):
    row = _row() | {"params": {} if method is None else {"method": method}}
    assert exact(row) is is_exact
    assert (EQ14_EXACT.judgement(row) is not None) is is_exact
    assert (EQ14_SAMPLER.judgement(row) is not None) is not is_exact
    assert EQ14_SAMPLER.auxiliary
    assert not EQ14_EXACT.auxiliary
    assert exact({"verdict": "holds"}) is False


@pytest.mark.parametrize(("tests", "lower", "growth", "training"), [
    ([{"mean_difference": 0.2}], True, False, False),
    ([{"mean_slope_difference": 0.2}], False, True, False),
    ([{"mean_difference": 0.2}, "x"], True, False, False),
    (None, False, False, True),
    ([], False, False, True),
    ("x", False, False, True),
])
def test_section_7_parts(tests, lower, growth, training):
    row = _row() if tests is None else _row(tests=tests)
    assert (SECTION_7_LOWER.judgement(row) is not None) is lower
    assert (SECTION_7_GROWTH.judgement(row) is not None) is growth
    assert (SECTION_7_TRAINING.judgement(row) is not None) is training
    assert SECTION_7_TRAINING.auxiliary
