"""Theorem 5.1 (non-vacuous bound): the sizes at which the explicit bound certifies an error,
the rows' strengths and verdicts at d = 3, the looseness figures, validation, determinism and
registration."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verify.claims import CLAIM_MODULES
from verify.claims.theorem_5_1 import PROOF_CONSTANT, margin_bound, smallest_nonvacuous_m2
from verify.claims.theorem_5_1_nonvacuous import (
    PART,
    _first_from,
    bound_m2,
    check_d,
    coverage,
    report_checks,
    run_counts,
)
from verify.evidence import Strength, Verdict


@pytest.mark.parametrize(("d", "eps"), [(3, 0.1), (3, 0.01), (6, 0.1), (4, 1.0 - 1e-12)])
def test_bound_m2_is_the_smallest_size_certifying_eps(d, eps):
    m = bound_m2(d, eps)
    assert margin_bound(PROOF_CONSTANT * d, m) <= eps
    assert margin_bound(PROOF_CONSTANT * d, m - 1) > eps


def test_bound_m2_at_one_is_next_to_the_nonvacuous_size():
    assert bound_m2(3, 1.0) in (smallest_nonvacuous_m2(3) - 1, smallest_nonvacuous_m2(3))
    assert bound_m2(3, 0.1) == 61_866_550  # about 100 times 618,666


def test_first_from_needs_every_later_value_below():
    assert _first_from([1, 2, 3, 4], [0.5, 0.0, 0.2, 0.0], 0.1) == 4
    assert _first_from([1, 2, 3], [0.05, 0.0, 0.0], 0.1) == 1
    assert _first_from([1, 2], [0.5, 0.5], 0.1) is None


def test_d3_rows_vacuous_and_the_nonvacuous_sizes_cannot_fail():
    """At d = 3 the support has 2 distinct feature vectors: from the size where the bound is
    below 1, S_2 holds both, so the error is 0 by construction and the row is vacuous."""
    evs = check_d(3, seeds=3, seed=0)
    assert [e.strength for e in evs] == [Strength.VACUOUS, Strength.VACUOUS]
    vac, non = evs
    assert all(r["bound"] >= 1 for r in vac.details["per_m2"])
    assert all(m >= 618_666 for m in non.params["m2s"])
    assert non.verdict == Verdict.HOLDS
    assert non.details["bound_failures"]["trials"] > 0
    assert non.details["runs_that_could_fail"] == 0
    assert non.observed == 0.0
    assert non.observed <= non.bound < 1
    assert non.reason.startswith("cannot fail here: the explicit bound first says something "
                                 "(< 1) at m2 = 618,666 = 2.06e+05 d")
    assert "2 distinct (feature, label) rows" in non.reason
    assert "error is 0 at every seed from m2 = 16 on" in non.reason
    assert non.details["error_zero_from_m2"] == 16
    assert non.details["nonvacuous_m2_over_d"] == pytest.approx(618_666 / 3)
    assert vac.details["nonvacuous_from"] == non.details["nonvacuous_from"]
    assert non.details["nonvacuous_from"].startswith("m2 >= 618,666 for the bound (< 1), at no "
                                                     "size run for the check")
    assert PART == "test error <= the explicit bound (w.p. >= 1 - delta)"
    assert all(e.details["part"] == PART for e in evs)
    assert non.details["looseness"]["0.1"]["bound_certifies_from_m2"] == 61_866_550


def test_a_failing_bound_is_reported_as_failing(monkeypatch):
    """A planted wrong error (0.99, above every bound < 1) fails the row, computed."""
    import verify.claims.theorem_5_1_nonvacuous as mod

    real = mod.run_counts

    def wrong(d, m2, seed):
        out = real(d, m2, seed)
        return {**out, "error": 0.99}

    monkeypatch.setattr(mod, "run_counts", wrong)
    evs = mod.check_d(3, m2s=(2**20, 2**22), seeds=3, seed=0)
    assert evs[-1].verdict == Verdict.FAILS
    assert evs[-1].strength == Strength.COMPUTED
    assert "the bound fails in 6/6 runs" in evs[-1].reason


def test_a_run_that_could_fail_makes_the_row_computed(monkeypatch):
    """When S_2 misses rows whose mass exceeds the bound, the check could have failed: a
    holding row is then computed, not vacuous; a planted error above the bound in those runs
    fails it."""
    import verify.claims.theorem_5_1_nonvacuous as mod

    real = mod.run_counts

    def thin(d, m2, seed):
        return {**real(d, m2, seed), "uncovered_mass": 0.95}

    monkeypatch.setattr(mod, "run_counts", thin)
    ev = mod.check_d(3, m2s=(2**20, 2**22), seeds=3, seed=0)[-1]
    assert ev.verdict == Verdict.HOLDS
    assert ev.strength == Strength.COMPUTED
    assert ev.details["runs_that_could_fail"] == 6
    assert ev.reason == "6 of 6 runs could have failed (uncovered mass above the bound)"

    def thin_and_wrong(d, m2, seed):
        return {**thin(d, m2, seed), "error": 0.9}

    monkeypatch.setattr(mod, "run_counts", thin_and_wrong)
    ev = mod.check_d(3, m2s=(2**20, 2**22), seeds=3, seed=0)[-1]
    assert ev.verdict == Verdict.FAILS


def test_coverage__counts_distinct_rows_and_the_uncovered_mass():
    Z = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [2.0, 2.0]])
    y = np.array([1, 1, -1, 1, -1])
    assert coverage(Z, y, np.array([1, 0, 0, 0, 0])) == (4, 0.6)
    assert coverage(Z, y, np.array([0, 3, 1, 1, 1])) == (4, 0.0)
    assert coverage(Z, y, np.array([0, 0, 0, 0, 2])) == (4, 0.8)
    with pytest.raises(ValueError, match="Z_support"):
        coverage(Z, y[:3], np.ones(5, dtype=int))


def test_run_counts__s2_covers_the_support_at_nonvacuous_sizes():
    r = run_counts(7, 2**20, 0)
    assert r["distinct_support"] == 50
    assert r["uncovered_mass"] == 0.0
    assert r["error"] == 0.0
    small = run_counts(7, 16, 1)
    assert small["uncovered_mass"] > 0.5
    assert small["distinct"] < small["distinct_support"]


def test_run_counts_is_deterministic_and_exact_over_the_support():
    a = run_counts(4, 1000, 7)
    b = run_counts(4, 1000, 7)
    assert a["error"] == b["error"]
    assert 0 <= a["error"] <= 0.5
    assert math.isclose(a["bound"], margin_bound(PROOF_CONSTANT * 4, 1000))


def test_validation():
    with pytest.raises(ValueError, match="d"):
        run_counts(8, 10, 0)
    with pytest.raises(ValueError, match="m2s"):
        check_d(3, m2s=(), seeds=1, seed=0)
    with pytest.raises(ValueError, match="eps"):
        bound_m2(3, 0.0)
    with pytest.raises(ValueError, match="profile"):
        report_checks("fast", 0)


def test_registered():
    assert "verify.claims.theorem_5_1_nonvacuous" in CLAIM_MODULES


def test_sweep_evaluates_one_run_per_task():
    from verify.claims.theorem_5_1_nonvacuous import SWEEP, _sweep
    from verify.sweep.registry import find

    assert find("Theorem 5.1 (non-vacuous bound)") is SWEEP
    big = _sweep({"d": 3, "m2": 4**11}, 1)
    assert big.strength == Strength.VACUOUS  # the error is 0 by construction there
    assert big.verdict == Verdict.HOLDS
    small = _sweep({"d": 3, "m2": 4}, 1)
    assert small.strength == Strength.VACUOUS
    assert small.details["nonvacuous_from"] == "m2 >= 618,666"
    assert len(SWEEP.grids["standard"].regimes) == 4 * 13
