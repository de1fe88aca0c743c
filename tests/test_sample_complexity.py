"""The scaling law: the learners' test-error decisions (Monte Carlo against exact, where both
run), the pooled-output kernel against its NumPy twin and the pattern path, the rows of a small
real run, determinism, validation, profiles and registration (the verdict rules on hand-made
tables: tests/test_sample_complexity_verdicts.py)."""

from __future__ import annotations

import numpy as np
import pytest

from verify.claims import CLAIM_MODULES
from verify.claims._kernels import pooled_output_numba, pooled_output_numpy
from verify.claims.sample_complexity import (
    CLAIM,
    CLAIM_BOUNDS,
    CLAIM_LEVEL,
    DECLARATION,
    PROFILES,
    check_scaling,
    check_seed_at,
    measure,
    report_checks,
)
from verify.claims.sample_complexity.law import TOP
from verify.claims.sample_complexity.learners import error_curve, family, grid, problem
from verify.evidence import Strength, Verdict
from verify.model import network
from verify.rng import generator


def test_pooled_output__numba_and_numpy_twins_agree_and_match_the_pattern_path():
    rng = generator(0, "test-pooled")
    k, l, n = 37, 6, 5
    P = rng.normal(size=(k, l))
    v = rng.normal(size=k)
    idx = rng.integers(0, l, size=(50, n))
    Rk = np.ascontiguousarray(np.maximum(P, 0.0))
    got = pooled_output_numba.pooled_output(Rk, v, idx)
    want = pooled_output_numpy.pooled_output(Rk, v, idx)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    Z = network.pattern_features(P, idx)[0]
    np.testing.assert_allclose(pooled_output_numpy.pooled_features(
        np.ascontiguousarray(Rk.T), idx), Z, rtol=0, atol=0)
    np.testing.assert_allclose(got, Z @ v, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("learner", "d"), [("CNN", 4), ("SVM", 4), ("CNN", 5), ("SVM", 5)])
def test_error_curve__monte_carlo_agrees_with_the_exact_error(learner, d):
    """Where the support is small both run on the same trained classifiers: the exact error
    lies in every Monte Carlo interval, and a decided Monte Carlo size agrees with the exact
    decision."""
    ms = [2, 4, 8, 16, 32, 64, 128, 256]
    mc = error_curve(learner, d, 3, ms, confirm=len(ms), refine=False)
    ex = error_curve(learner, d, 3, ms, confirm=len(ms), refine=False, mode="exact")
    assert [m for m, _ in mc] == [m for m, _ in ex] == ms
    assert all(e.exact and not m.exact for (_, m), (_, e) in zip(mc, ex, strict=True))
    assert {e.status for _, e in ex} == {"reached", "not reached"}  # both kinds of size
    for (_, m), (_, e) in zip(mc, ex, strict=True):
        lo, hi = m.interval
        assert lo <= e.error <= hi
        if m.status != "undecided":
            assert m.status == e.status


def test_error_curve__deterministic_stops_and_refines():
    a = error_curve("SVM", 6, 1, grid(1024))
    assert a == error_curve("SVM", 6, 1, grid(1024))
    ms = [m for m, _ in a]
    assert ms == sorted(ms)
    assert all(dec.reached for _, dec in a[-2:])  # stops after two reached sizes
    first = next(i for i, (_, dec) in enumerate(a) if dec.reached and all(
        x.reached for _, x in a[i:]))
    # the geometric midpoint between the last miss and the first reached size of the grid
    coarse = [m for m in ms if m & (m - 1) == 0]
    if ms[first] not in coarse:
        lo = max(m for m in coarse if m < ms[first])
        assert ms[first] == round((lo * 2 * lo) ** 0.5)


def test_error_curve__the_mlp_trains_and_is_decided():
    curve = error_curve("MLP", 3, 0, [2, 4], confirm=2, refine=False)
    assert [m for m, _ in curve] == [2, 4]
    assert all(dec.status in ("reached", "not reached", "undecided") and not dec.exact
               for _, dec in curve)


def test_error_curve__validation():
    with pytest.raises(ValueError, match="learner"):
        error_curve("RNN", 3, 0, [2, 4])
    with pytest.raises(ValueError, match="ms"):
        error_curve("SVM", 3, 0, [4, 2])
    with pytest.raises(ValueError, match="ms"):
        error_curve("SVM", 3, 0, [1, 2])
    with pytest.raises(ValueError, match="mode"):
        error_curve("SVM", 3, 0, [2, 4], mode="guess")
    with pytest.raises(ValueError, match="mode"):
        error_curve("SVM", 7, 0, [2, 4], mode="exact")   # 218,750 support points
    with pytest.raises(ValueError, match="eps"):
        error_curve("SVM", 3, 0, [2, 4], eps=1.5)


def test_family__sizes_and_limits():
    assert family(12, 1) == {"d": 12, "l": 12, "n": 12, "k": 13825}
    assert family(5, 2) == {"d": 5, "l": 5, "n": 25, "k": 1001}
    with pytest.raises(ValueError, match="r"):
        family(3, 3)
    with pytest.raises(ValueError, match="d"):
        family(2, 1)
    p = problem(4, 2, 0)
    assert p.flat(np.zeros((3, 16), dtype=np.int64)).shape == (3, 64)


def test_check_scaling__rows_determinism_and_plots():
    plan = {"CNN": {1: (3, 4)}, "SVM": {1: (3, 4)}}
    table = measure(plan, seeds=3, seed=0)
    assert table == measure(plan, seeds=3, seed=0)
    assert set(table) == {1}
    assert all(len(v) == 3 for v in table[1]["SVM"].values())
    evs = check_scaling(plan, seeds=3, seed=0, table=table)
    # 3 seeds cannot decide "fewer samples" at a d: doubled twice (SEED_ROUNDS), every learner
    assert all(len(v) == 12 for per in table[1].values() for v in per.values())
    assert evs[1].details["decision"]["trials"] == 12
    assert [e.claim for e in evs] == [CLAIM, CLAIM_LEVEL, CLAIM_BOUNDS, CLAIM_BOUNDS]
    assert evs[0].details["plot"]["logx"]
    assert evs[0].details["plot"]["logy"]
    assert "plot" in evs[1].details  # the ratio FC/CNN
    assert evs[0].details["not_run"]
    assert all(e.strength == Strength.STATISTICAL and "part" in e.details for e in evs)
    again = check_scaling(plan, seeds=3, seed=0, table=table)
    assert [e.details["decision"] for e in evs] == [e.details["decision"] for e in again]


def test_check_seed_at__one_seed_and_validation():
    ev = check_seed_at(3, "SVM", 5)
    assert ev.strength == Strength.COMPUTED
    assert ev.slack == ev.bound - ev.observed
    assert ev.verdict == (Verdict.HOLDS if ev.observed < ev.bound else Verdict.FAILS)
    with pytest.raises(ValueError, match="fc"):
        check_seed_at(3, "CNN", 0)
    with pytest.raises(ValueError, match="profile"):
        report_checks("huge", 0)
    with pytest.raises(ValueError, match="plan"):
        measure({"SVM": {1: (3, 4)}}, seeds=1, seed=0)
    with pytest.raises(ValueError, match="plan"):
        measure({"CNN": {1: (4, 3)}}, seeds=1, seed=0)


def test_registration_and_profiles():
    assert "verify.claims.sample_complexity" in CLAIM_MODULES
    assert DECLARATION.names == (CLAIM, CLAIM_LEVEL, CLAIM_BOUNDS)
    std = PROFILES["standard"]["plan"]
    assert std["CNN"][1] == tuple(range(3, 13)) == std["SVM"][1]
    assert std["CNN"][2] == (3, 4, 5) == std["SVM"][2]
    assert PROFILES["quick"]["seeds"] >= 10  # fewer cannot pass Holm's first step over 5 d
    grids = DECLARATION.sweeps[0].grids
    assert max(r["d"] for r in grids["thorough"].regimes if r["r"] == 1) == 20
    assert {(r["r"], r["fc"]) for r in grids["standard"].regimes} == {(1, "SVM"), (2, "SVM")}
    assert TOP[2] >= TOP[1]
