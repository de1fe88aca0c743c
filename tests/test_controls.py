"""Negative controls (:mod:`verify.evidence.controls`): each twin re-judges a row as the
statement's false twin would, and a control's outcome counts the rows that refute it."""

from __future__ import annotations

import math
from typing import Any

import pytest

from verify.evidence.controls import (
    Control,
    bound_at,
    effect_raised,
    only,
    rate_raised,
    shifted,
    tightened,
)


def _row(observed: float, bound: float, slack: float, kind: str = "difference",
         **extra: Any) -> dict[str, Any]:
    return {"verdict": "holds", "observed": observed, "bound": bound, "slack": slack,
            "slack_kind": kind, **extra}


UPPER = _row(0.3, 1.0, 0.7)  # observed 0.3 <= bound 1
LOWER = _row(3.0, 2.0, 1.0)  # observed 3 >= bound 2


@pytest.mark.parametrize(("make", "arg", "row", "holds"), [
    # an upper bound divided by the factor: 1/2 = 0.5 >= 0.3 holds; 1/4 = 0.25 < 0.3 fails
    (tightened, 2, UPPER, True),
    (tightened, 4, UPPER, False),
    (tightened, 1 / 0.3, UPPER, True),  # exactly at the twin's bound
    # within the row's tolerance of the twin's bound: holds
    (tightened, 4, UPPER | {"tolerance": 0.06}, True),
    (tightened, 4, UPPER | {"tolerance": 0.04}, False),
    # a lower bound multiplied by it: 2 * 1.5 = 3 <= 3 holds; 2 * 2 = 4 > 3 fails
    (tightened, 1.5, LOWER, True),
    (tightened, 2, LOWER, False),
    # a ratio slack bound/observed divided by the factor
    (tightened, 2, _row(1.0, 3.0, 3.0, "ratio"), True),
    (tightened, 4, _row(1.0, 3.0, 3.0, "ratio"), False),
    # a bound of 0 or below cannot be tightened by a factor; an unknown slack cannot be judged
    (tightened, 2, _row(-0.5, 0.0, 0.5), None),
    (tightened, 2, _row(0.3, 1.0, 0.2), None),
    (tightened, 2, _row(0.3, math.nan, 0.7), None),
    (tightened, 2, _row(0.3, math.inf, math.inf), None),
    # moved towards the observation by delta, in the statement's units
    (shifted, 0.5, UPPER, True),
    (shifted, 0.8, UPPER, False),
    (shifted, 0.8, UPPER | {"tolerance": 0.2}, True),
    (shifted, 0.8, LOWER, True),
    (shifted, 1.5, LOWER, False),
    (shifted, 0.5, _row(-0.5, 0.0, 0.5), True),
    (shifted, 0.6, _row(-0.5, 0.0, 0.5), False),
    (shifted, 0.5, _row(1.0, 3.0, 3.0, "ratio"), None),
])
def test_twins_rejudge_the_row(make, arg, row, holds):
    # the twin is built inside the test, so that a changed factory is what the test runs
    assert make(arg)(row) is holds


def _rate(successes: int, trials: int, claimed: float = 0.9) -> dict[str, Any]:
    return {"verdict": "holds", "details": {"decision": {
        "successes": successes, "trials": trials, "claimed_probability": claimed}}}


@pytest.mark.parametrize(("factor", "row", "holds"), [
    # 20 of 20 successes: no twin below 1 is refuted (the upper bound is 1)
    (10, _rate(20, 20), True),
    # 80 of 100: the one-sided 95% upper bound is about 0.87 < 1 - 0.1/2 = 0.95: refuted
    (2, _rate(80, 100), False),
    # 95 of 100: upper bound about 0.98 >= 0.95: not refuted
    (2, _rate(95, 100), True),
    (2, {"verdict": "holds", "details": {}}, None),
    (2, _rate(5, 4), None),
    # no trials, one trial, no success
    (2, _rate(0, 0), None),
    (2, _rate(1, 1), True),
    (2, _rate(0, 10), False),
    # the bound is the one-sided 95% Clopper-Pearson upper bound (the two-sided 90% one): 90 of
    # 100 gives 0.9447; the two-sided 95% one would give 0.9510, the 85% one 0.9404
    (0.1 / 0.052, _rate(90, 100), False),
    (0.1 / 0.0575, _rate(90, 100), True),
    (2, _rate(5, 10, claimed=1.0), None),
    (2, _rate(5, 10, claimed=0.0), None),
    (2, {"verdict": "holds", "details": {"decision": {"trials": 3}}}, None),
])
def test_rate_raised(factor, row, holds):
    assert rate_raised(factor)(row) is holds


@pytest.mark.parametrize(("row", "holds"), [
    # Section 7: the gap's interval reaches 0.3: the twin "gap >= 0.3" is not refuted
    ({"slack": 0.01, "slack_kind": "p-value", "details": {"effect": 0.21,
                                                          "effect_interval": [0.1, 0.3]}}, True),
    ({"slack": 0.01, "slack_kind": "p-value", "details": {"effect": 0.21,
                                                          "effect_interval": [0.1, 0.29]}},
     False),
    ({"slack": 0.01, "slack_kind": "p-value", "details": {"effect": 0.31}}, True),
    ({"slack": 0.01, "slack_kind": "p-value", "details": {"effect": 0.21}}, False),
    ({"slack": 0.01, "slack_kind": "difference"}, None),
])
def test_effect_raised(row, holds):
    assert effect_raised(0.3)(row) is holds


@pytest.mark.parametrize("make", [tightened, shifted, rate_raised, effect_raised])
@pytest.mark.parametrize("bad", [0, -1, math.inf, math.nan, "2"])
def test_twins_validate_their_constant(make, bad):
    if make in (tightened, rate_raised) and bad == 0:
        bad = 1  # factor must be > 1
    with pytest.raises(ValueError):
        make(bad)


def test_rate_raised__validates_alpha():
    with pytest.raises(ValueError, match="alpha"):
        rate_raised(2, alpha=0.5)
    with pytest.raises(ValueError, match="alpha"):
        rate_raised(2, alpha=0.0)


def _inside(row: dict[str, Any]) -> bool:
    return row.get("inside", True)


def test_control_outcome__caught_not_caught_and_not_run():
    control = Control("the bound divided by 4", tightened(4), why="w")
    rows = [UPPER, _row(0.1, 1.0, 0.9)]
    assert control.outcome(rows, _inside) == {
        "twin": "the bound divided by 4", "why": "w", "caught": True, "regimes": 2,
        "refuted_at": 1, "outside": False, "outcome": "caught"}
    got = Control("t", tightened(2)).outcome(rows, _inside)
    assert (got["caught"], got["outcome"], got["refuted_at"]) == (False, "not caught", 0)
    # rows outside the assumptions, not applicable or not tested, and rows the twin cannot
    # judge are skipped
    skipped = [UPPER | {"inside": False}, UPPER | {"verdict": "not applicable"},
               UPPER | {"verdict": "not tested"}, _row(0.3, 1.0, 0.2)]
    got = Control("t", tightened(4)).outcome(skipped, _inside)
    assert (got["caught"], got["outcome"], got["regimes"]) == (None, "not run", 0)
    # a map with no row inside the assumptions: the twin is judged on every row, and says so
    got = Control("t", tightened(4)).outcome([UPPER | {"inside": False}], _inside)
    assert (got["caught"], got["outside"], got["regimes"]) == (True, True, 1)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"twin": "", "holds": tightened(2)}, "twin"),
    ({"twin": "t", "holds": 3}, "holds"),
])
def test_control__validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Control(**kwargs)


@pytest.mark.parametrize(("value", "row", "holds"), [
    # an upper-bound row holds "the bound moved to value" where observed <= value
    (0.3, UPPER, True),
    (0.29, UPPER, False),
    (0.29, UPPER | {"tolerance": 0.02}, True),
    # a lower-bound row where observed >= value
    (3.0, LOWER, True),
    (3.1, LOWER, False),
    # a ratio row: lower when observed >= bound, else upper
    (0.5, _row(1.0, 0.5, 2.0, "ratio"), True),
    (2.0, _row(1.0, 0.5, 2.0, "ratio"), False),
    # observed equal to the bound: a lower bound
    (0.5, _row(1.0, 1.0, 1.0, "ratio"), True),
    (2.0, _row(1.0, 3.0, 3.0, "ratio"), True),
    (0.5, _row(1.0, 3.0, 3.0, "ratio"), False),
    # a row whose slack is neither, or whose observation is not a number, cannot judge it
    (0.0, _row(0.3, 1.0, 0.2), None),
    (0.0, _row(math.nan, 1.0, 0.2), None),
])
def test_bound_at(value, row, holds):
    assert bound_at(value)(row) is holds


def _parts_row(*parts: dict[str, Any]) -> dict[str, Any]:
    return {"verdict": "holds", "observed": 0.0, "bound": 0.0, "slack": 0.5,
            "details": {"parts": {f"p{i}": p for i, p in enumerate(parts)}}}


def _part(observed: float, bound: float, relation: str, **kw: Any) -> dict[str, Any]:
    return {"observed": observed, "bound": bound, "relation": relation, **kw}


@pytest.mark.parametrize(("make", "arg", "row", "holds"), [
    # a multi-part row re-judges each applicable part by its relation
    (tightened, 2, _parts_row(_part(0.3, 1.0, "<="), _part(3.0, 1.0, ">=")), True),
    (tightened, 4, _parts_row(_part(0.3, 1.0, "<="), _part(3.0, 1.0, ">=")), False),
    (tightened, 4, _parts_row(_part(0.3, 1.0, "<=", applicable=False),
                              _part(5.0, 1.0, ">=")), True),
    (tightened, 4, _parts_row(_part(0.3, 1.0, "<=", tolerance=0.1)), True),
    (tightened, 2, _parts_row(_part(0.3, 0.0, "<="), _part(0.3, 0.0, ">=")), None),
    (tightened, 2, _parts_row(_part(0.3, 1.0, "==")), None),
    (tightened, 2, _parts_row(_part(3.0, 2.0, ">=")), False),
    # bound_at reads the first applicable part
    (bound_at, 0.3, _parts_row(_part(0.3, 1.0, "<="), _part(3.0, 1.0, ">=")), True),
    (bound_at, 0.2, _parts_row(_part(0.3, 1.0, "<="), _part(3.0, 1.0, ">=")), False),
    (bound_at, 4.0, _parts_row(_part(0.3, 1.0, "<=", applicable=False),
                               _part(3.0, 1.0, ">=")), False),
    (bound_at, 2.9, _parts_row(_part(3.0, 1.0, ">=")), True),
    (bound_at, 3.1, _parts_row(_part(3.0, 1.0, ">=", tolerance=0.2)), True),
])
def test_twins_of_multi_part_rows(make, arg, row, holds):
    assert make(arg)(row) is holds


def test_parts__a_details_parts_that_is_not_a_mapping_is_ignored():
    row = UPPER | {"details": {"parts": [1, 2]}}
    assert tightened(2)(row) is True
    row = UPPER | {"details": {"parts": {"a": 3}}}
    assert tightened(4)(row) is False


def test_only__rejudges_the_rows_it_selects():
    twin = only(lambda r: r.get("exact", False), tightened(4))
    assert twin(UPPER) is None
    assert twin(UPPER | {"exact": True}) is False
    assert only(lambda r: True, tightened(2))(UPPER) is True
    with pytest.raises(ValueError, match="callable"):
        only(3, tightened(2))
    with pytest.raises(ValueError, match="callable"):
        only(lambda r: True, 3)


@pytest.mark.parametrize("bad", [math.inf, math.nan, "0"])
def test_bound_at__validates(bad):
    with pytest.raises(ValueError, match="value"):
        bound_at(bad)


@pytest.mark.parametrize(("row", "side"), [
    (UPPER, "upper"),
    (LOWER, "lower"),
    (_row(0.5, 2.0, 1.5), "upper"),  # bound - observed (bound + observed would be 2.5)
    (_row(0.5, 2.0, 0.75), "upper"),  # 1 - observed/bound
    (_row(3.0, 2.0, 0.5), "lower"),  # observed/bound - 1
    (_row(1.0, 0.5, 1.0), "lower"),  # observed/bound - 1 with a bound below 1
    (_row(-1.0, -2.0, 0.5), None),  # a relative slack needs a positive bound
    (_row(0.3, 1.0, 0.2), None),
    (_row(1.0, 3.0, 3.0, "ratio"), "ratio"),
    (_row(math.nan, 1.0, 0.2), None),
    (_row(0.3, math.inf, 0.2), None),
    (_row(0.3, 1.0, math.nan), None),
    # within 1e-9 (relative to the larger of 1, |observed|, |bound|) of bound - observed
    (_row(0.0, 1.0, 1.0 + 5e-10), "upper"),
    (_row(0.0, 1e3, 1e3 + 5e-7), "upper"),
    (_row(0.0, 1e3, 1e3 + 2e-6), None),
    (_row(0.0, 1e-3, 1e-3 + 5e-10), "upper"),  # the tolerance is at least 1e-9
    (_row(1e3, 0.0, -1e3 + 5e-7), "upper"),  # scaled by |observed| too
    (_row(0.0, 1.0, 1.0 + 1.5e-9), None),  # and by 1, not more
    (_row(0.25, 0.5, 0.5), "upper"),  # 1 - observed/bound with a bound below 1
])
def test_side__which_slack_the_row_has(row, side):
    from verify.evidence.controls import _side

    assert _side(row) == side


def test_tightened__tolerance_of_a_lower_bound_and_a_ratio_at_its_edge():
    assert tightened(2)(LOWER) is False
    assert tightened(2)(LOWER | {"tolerance": 1.5}) is True
    assert tightened(4)(_row(1.0, 4.0, 4.0, "ratio")) is True
