"""The tie rule for the position a report names (:mod:`verify.evidence.ties`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verify.evidence.ties import RTOL, first_extreme


def test_first_extreme__rounding_ties_go_to_the_first_position():
    r = 2.880184331797235e-06
    norms = np.array([r * (1 + 2e-16), r, r * (1 - 1e-16), r * (1 + 4e-16)])
    assert first_extreme(norms, "max") == 0
    assert first_extreme(norms[::-1], "max") == 0  # whichever order: the first of the tie
    assert first_extreme(norms, "min") == 0
    assert first_extreme([1.0, 3.0, 2.0], "max") == 1  # a real maximum is still found
    assert first_extreme([1.0, 3.0, 2.0], "min") == 0


def test_first_extreme__an_absolute_tolerance_for_values_near_zero():
    err = [4e-16, 1e-16, 3e-16, 0.5e-12]
    assert int(np.argmax(err)) == 3
    assert first_extreme(err, "max", tol=1e-12) == 0  # all within the check's tolerance
    assert first_extreme(err, "max") == 3  # without it: relative ties only


def test_first_extreme__nan_and_infinities():
    assert first_extreme([math.nan, 1.0, 2.0], "max") == 2
    assert first_extreme([math.nan, math.nan], "min") == 0
    assert first_extreme([1.0, math.inf, math.inf], "max") == 1
    assert first_extreme([-math.inf, 0.0], "min") == 0
    assert first_extreme(np.ones((2, 3)), "min") == 0  # flat index


def test_first_extreme__width_is_relative_to_the_extreme():
    assert RTOL == 1e-9
    assert first_extreme([1.0, 1.0 + 2e-9], "max") == 1
    assert first_extreme([1.0, 1.0 + 0.5e-9], "max") == 0


@pytest.mark.parametrize(("args", "match"), [
    (([], "max"), "empty"), (([1.0], "median"), "kind"), (([1.0], "max", -1.0), "tol")])
def test_first_extreme__bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        first_extreme(*args)


def test_calculus_worst__rounding_noise_does_not_pick_another_row():
    """The Summary's worst row (verify.evidence.calculus): slacks within their rows' tolerance
    tie at 0 and slacks equal to 4 significant digits tie; the first row wins either way."""
    from verify.evidence import Strength
    from verify.evidence.calculus import Judgement, Part, PartJudgement, _tie_slack, _worst

    rows = [{"tolerance": 2e-12}, {"tolerance": 5e-12}, {"tolerance": 0.0}]
    assert _tie_slack(-1.47e-18, rows[0]) == 0.0
    assert _tie_slack(-2.12e-18, rows[1]) == 0.0
    assert _tie_slack(0.30000000000000004, rows[2]) == _tie_slack(0.3, rows[2])
    assert _tie_slack(-1e-18, rows[2]) == -1e-18  # no tolerance: the value itself

    def judged(s0, s1):
        j = [Judgement("holds", Strength.COMPUTED, s) for s in (s0, s1)]
        return (PartJudgement(Part("p"), "holds", Strength.COMPUTED, rows=((0, j[0]), (1, j[1]))),)

    assert _worst(judged(-1.47e-18, -2.12e-18), rows)[0] == 0  # on one machine
    assert _worst(judged(-7.35e-19, -2.12e-18), rows)[0] == 0  # on another: the same row
    assert _worst(judged(0.5, 0.25), rows)[0] == 1  # a real difference still decides
