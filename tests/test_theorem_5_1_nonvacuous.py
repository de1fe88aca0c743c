"""Theorem 5.1 (non-vacuous bound): the sizes at which the explicit bound certifies an error,
the rows' strengths and verdicts at d = 3, the looseness figures, validation, determinism and
registration."""

from __future__ import annotations

import math

import pytest

from verify.claims import CLAIM_MODULES
from verify.claims.theorem_5_1 import PROOF_CONSTANT, margin_bound, smallest_nonvacuous_m2
from verify.claims.theorem_5_1_nonvacuous import (
    _first_from,
    bound_m2,
    check_d,
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


def test_d3_rows_vacuous_then_computed_and_holding():
    evs = check_d(3, seeds=3, seed=0)
    assert [e.strength for e in evs] == [Strength.VACUOUS, Strength.COMPUTED]
    vac, com = evs
    assert vac.details["nonvacuous_from"] == "m2 >= 618,666"
    assert all(r["bound"] >= 1 for r in vac.details["per_m2"])
    assert all(m >= 618_666 for m in com.params["m2s"])
    assert com.verdict == Verdict.HOLDS
    assert com.details["bound_failures"]["trials"] > 0
    assert com.observed <= com.bound < 1
    assert com.details["looseness"]["0.1"]["bound_certifies_from_m2"] == 61_866_550


def test_a_failing_bound_is_reported_as_failing(monkeypatch):
    import verify.claims.theorem_5_1_nonvacuous as mod

    real = mod.run_counts

    def wrong(d, m2, seed):
        out = real(d, m2, seed)
        return {**out, "error": 0.99}

    monkeypatch.setattr(mod, "run_counts", wrong)
    evs = mod.check_d(3, m2s=(2**20, 2**22), seeds=3, seed=0)
    assert evs[-1].verdict == Verdict.FAILS
    assert evs[-1].strength == Strength.COMPUTED


def test_run_counts_is_deterministic_and_exact_over_the_support():
    a = run_counts(4, 1000, 7)
    b = run_counts(4, 1000, 7)
    assert a["error"] == b["error"]
    assert 0 <= a["error"] <= 0.5
    assert math.isclose(a["bound"], margin_bound(PROOF_CONSTANT * 4, 1000))


def test_validation():
    with pytest.raises(ValueError, match="d"):
        run_counts(7, 10, 0)
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
    assert big.strength == Strength.COMPUTED
    assert big.verdict == Verdict.HOLDS
    small = _sweep({"d": 3, "m2": 4}, 1)
    assert small.strength == Strength.VACUOUS
    assert small.details["nonvacuous_from"] == "m2 >= 618,666"
    assert len(SWEEP.grids["standard"].regimes) == 4 * 13
