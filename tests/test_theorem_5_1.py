"""Unit tests of verify.claims.theorem_5_1: the explicit margin bound, the rate study's verdict
(shown able to fail), validation."""

import math

import pytest

from verify.claims import theorem_5_1
from verify.claims.theorem_5_1 import PROOF_CONSTANT, check_rate, margin_bound
from verify.evidence import Strength, Verdict

from .spec_checks import assert_readable


def test_margin_bound__is_shalev_shwartz_ben_david_15_4():
    got = margin_bound(4.0, 100, 0.05)
    want = 2 * math.sqrt(4.0 / 100) + math.sqrt(2 * math.log(40) / 100)
    assert math.isclose(got, want, rel_tol=1e-15)
    with pytest.raises(ValueError, match="m2"):
        margin_bound(1.0, 0)
    with pytest.raises(ValueError, match="delta"):
        margin_bound(1.0, 10, 1.5)


def test_proof_constant__is_2_80sq_times_4():
    assert PROOF_CONSTANT == 51200


RATE = {"d": 3, "l": 3, "n": 2, "k": 217, "T1": 1, "ms": (16, 32), "replicates": 4, "seed": 0}


def test_check_rate__holds_and_reports_the_fit_inputs():
    ev = check_rate(**RATE)
    assert ev.claim == "Theorem 5.1 (test error vs m)"
    assert ev.verdict in (Verdict.HOLDS, Verdict.NOT_APPLICABLE)
    assert [row["m"] for row in ev.details["per_m"]] == [16, 32]


def test_check_rate__fails_when_the_bound_is_broken(monkeypatch):
    # A margin bound of -1 is exceeded by every error (>= 0): the exact binomial test rejects
    # "fails in at most a delta fraction of runs".
    monkeypatch.setattr(theorem_5_1, "margin_bound", lambda q, m2, delta=0.05: -1.0)
    ev = check_rate(**{**RATE, "replicates": 6})
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.details["bound_failures_test"]["rejected"]


def test_check_rate__a_bound_at_least_1_everywhere_is_vacuous(monkeypatch):
    """At m2 = 16, 32 the explicit bound is far above 1: the row is vacuous and says
    from which m2 it would say something; a bound below 1 in some run is statistical."""
    ev = check_rate(**RATE)
    if ev.verdict is Verdict.NOT_APPLICABLE:
        pytest.skip("no run inside the events")
    assert ev.strength is Strength.VACUOUS
    assert ev.details["nonvacuous_from"] == (
        f"m2 >= {theorem_5_1.smallest_nonvacuous_m2(3, 0.05):,}")
    assert ev.details["nonvacuous_from"] == "m2 >= 618,666"
    monkeypatch.setattr(theorem_5_1, "margin_bound", lambda q, m2, delta=0.05: 0.999)
    ev = check_rate(**RATE)
    assert ev.strength is Strength.STATISTICAL
    assert "nonvacuous_from" not in ev.details


def test_check_rate__one_run_with_a_bound_below_1_at_an_early_m_is_not_vacuous(monkeypatch):
    """Every run's bound counts, at every m: one bound of 0.5 in the first run (the mean of
    its m still above 1, and every bound of the last m above 1) makes the row statistical."""
    calls = []
    real = theorem_5_1.margin_bound

    def bound(q, m2, delta=0.05):
        calls.append(m2)
        return 0.5 if len(calls) == 1 else real(q, m2, delta)

    monkeypatch.setattr(theorem_5_1, "margin_bound", bound)
    ev = check_rate(**{**RATE, "replicates": 6})
    if ev.verdict is Verdict.NOT_APPLICABLE:
        pytest.skip("no run inside the events")
    rows = [r for r in ev.details["per_m"] if r["mean_margin_bound"] is not None]
    assert rows[0]["m"] == 16
    assert all(r["mean_margin_bound"] >= 1 for r in rows), rows
    assert ev.strength is Strength.STATISTICAL
    assert "nonvacuous_from" not in ev.details


def test_check_rate__rejects_bad_arguments():
    with pytest.raises(ValueError, match="ms"):
        check_rate(**{**RATE, "ms": ()})
    with pytest.raises(ValueError, match="T1"):
        check_rate(**{**RATE, "T1": 0})


def test_report_checks__rejects_an_unknown_profile():
    with pytest.raises(ValueError, match="profile"):
        theorem_5_1.report_checks("fast", 0)


def test_check_rate__plot_draws_the_margin_bound_and_the_spread_over_runs():
    ev = check_rate(**RATE)
    spec = ev.details["plot"]
    assert_readable(spec, bound="margin bound", xlabel="training size m", ylabel="test error",
                    spread=True)
    mean = spec["series"][0]
    assert mean["y"] == [r["mean_error"] for r in ev.details["per_m"]]
    assert mean["hi"] == [r["max_error"] for r in ev.details["per_m"]]
    assert all(lo <= mu <= hi for lo, mu, hi in zip(mean["lo"], mean["y"], mean["hi"],
                                                    strict=True))
    assert "4 runs" in mean["spread"]
    assert any(s["style"] == "reference" and "sqrt(d/m)" in s["label"] for s in spec["series"])


def test_smallest_nonvacuous_m2__is_the_first_m2_where_the_explicit_bound_drops_below_1():
    from verify.claims.theorem_5_1 import PROOF_CONSTANT, margin_bound, smallest_nonvacuous_m2

    for d in (1, 3, 6, 10):
        m2 = smallest_nonvacuous_m2(d)
        assert margin_bound(PROOF_CONSTANT * d, m2) < 1 <= margin_bound(PROOF_CONSTANT * d, m2 - 1)
    assert smallest_nonvacuous_m2(3) == 618_666
    with pytest.raises(ValueError, match="d"):
        smallest_nonvacuous_m2(0)


def test_rows_name_the_part_of_the_statement_they_test():
    """A run tests part (1) and says that the error half is not decided there (vacuous when the
    explicit bound is >= 1); the rate rows test the error half alone."""
    from verify.claims.section_5 import theorem_setting

    assert theorem_5_1.PART_L2 == "L2 -> 0"
    assert theorem_5_1.PART_ERROR == "test error <= the explicit bound (w.p. >= 1 - delta)"
    assert theorem_5_1.PART_PROBABILITY.startswith("with probability >= ")
    ev = theorem_5_1.check_setting(theorem_setting(3, 3, 2, 217, 40, 2, 0, T2=3), fresh=200)
    assert "part" not in ev.details  # it tests L2 -> 0 and carries the error half's bound
    err = ev.details["error_part"]
    assert err["part"] == "test error <= the explicit bound (w.p. >= 1 - delta)"
    assert err["explicit_bound"] == ev.details["part_2"]["margin_bound_delta_0.05"]
    assert err["vacuous"] is (err["explicit_bound"] >= 1) is True
    assert check_rate(**RATE).details["part"] == theorem_5_1.PART_ERROR
