"""The scaling law (issue 23): the m_eps rule on hand-made curves, the exponent fit on synthetic
power laws, the bootstrap, the sign test's decision table, the decay-rate rule, determinism,
validation and registration."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verify.claims import CLAIM_MODULES
from verify.claims.sample_complexity import (
    ALPHA,
    CLAIM,
    DECLARATION,
    PROFILES,
    check_scaling,
    check_seed_at,
    measure,
    report_checks,
)
from verify.claims.sample_complexity.learners import error_curve, family
from verify.claims.sample_complexity.rules import (
    bootstrap_exponent,
    decay_rate,
    fit_exponent,
    m_epsilon,
    sign_test_decision,
)
from verify.evidence import Strength, Verdict


@pytest.mark.parametrize(("curve", "eps", "want"), [
    ([(2, 0.5), (4, 0.3), (8, 0.08), (16, 0.0)], 0.1, 8),
    ([(2, 0.5), (4, 0.3), (8, 0.08), (16, 0.0)], 0.05, 16),
    ([(2, 0.05), (4, 0.2), (8, 0.0), (16, 0.0)], 0.1, 8),   # a dip below eps does not count
    ([(2, 0.0), (4, 0.0)], 0.1, 2),
    ([(2, 0.1), (4, 0.1)], 0.1, 2),                          # "at most eps" includes eps
    ([(2, 0.5), (4, 0.0), (8, 0.2)], 0.1, None),             # last above eps: censored
])
def test_m_epsilon__smallest_size_from_which_every_error_is_at_most_eps(curve, eps, want):
    assert m_epsilon(curve, eps) == want


@pytest.mark.parametrize("curve", [[], [(4, 0.1), (2, 0.0)], [(2, 1.5)], [(0, 0.1)]])
def test_m_epsilon__rejects_bad_curves(curve):
    with pytest.raises(ValueError, match="curve"):
        m_epsilon(curve, 0.1)


def test_m_epsilon__rejects_bad_eps():
    with pytest.raises(ValueError, match="eps"):
        m_epsilon([(2, 0.0)], 0.0)


@pytest.mark.parametrize(("b", "c"), [(1.0, 8.0), (2.0, 3.0), (0.0, 5.0), (2.5, 0.5)])
def test_fit_exponent__recovers_a_power_law(b, c):
    ds = [3, 4, 5, 6]
    f = fit_exponent(ds, [[c * d**b, c * d**b] for d in ds])
    assert f["exponent"] == pytest.approx(b, abs=1e-12)
    assert f["constant"] == pytest.approx(c, rel=1e-12)


def test_fit_exponent__uses_geometric_means_and_a_wrong_slope_differs():
    ds = [2, 4, 8]
    # per-seed values 1/2 and 2 times d^2: geometric mean exactly d^2 (arithmetic would not be)
    f = fit_exponent(ds, [[0.5 * d**2, 2.0 * d**2] for d in ds])
    assert f["exponent"] == pytest.approx(2.0, abs=1e-12)
    assert f["constant"] == pytest.approx(1.0, rel=1e-12)
    assert abs(fit_exponent(ds, [[d**1.5] for d in ds])["exponent"] - 2.0) > 0.4


@pytest.mark.parametrize(("ds", "values"), [([3], [[1.0]]), ([3, 3], [[1.0], [2.0]]),
                                            ([3, 4], [[1.0]]), ([3, 4], [[1.0], []]),
                                            ([3, 4], [[1.0], [0.0]])])
def test_fit_exponent__validation(ds, values):
    with pytest.raises(ValueError, match=r"ds|values"):
        fit_exponent(ds, values)


def test_bootstrap_exponent__deterministic_and_covers_the_truth():
    rng = np.random.default_rng(3)
    ds = [3, 4, 5, 6]
    values = [list(4.0 * d**2 * np.exp(rng.normal(0, 0.2, 10))) for d in ds]
    a = bootstrap_exponent(ds, values, seed_seq=np.random.SeedSequence(1))
    b = bootstrap_exponent(ds, values, seed_seq=np.random.SeedSequence(1))
    assert a == b
    assert a[0] < 2.0 < a[1]
    assert a[1] - a[0] < 1.5
    # no spread over seeds: the interval is the point
    lo, hi = bootstrap_exponent(ds, [[d**1.0] * 5 for d in ds],
                                seed_seq=np.random.SeedSequence(0), replicates=50)
    assert lo == pytest.approx(1.0, abs=1e-12)
    assert hi == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError, match="seed_seq"):
        bootstrap_exponent(ds, values, seed_seq=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cnn", "fc", "status", "wins"), [
    ([8] * 7, [64] * 7, "demonstrated", 7),             # p = 1/128 <= 0.01
    ([8] * 6 + [64], [64] * 7, "undecided", 6),         # a tie counts against the CNN
    ([8] * 6 + [128], [64] * 7, "undecided", 6),
    ([8] * 4, [64] * 4, "undecided", 4),                # 1/16 > 0.01: cannot decide
    ([64] * 7, [8] * 7, "refuted", 0),
    ([8] * 7, [None] * 7, "demonstrated", 7),           # censored FC: above every measured m
    ([None] * 7, [None] * 7, "refuted", 0),             # both censored: ties
])
def test_sign_test_decision__table(cnn, fc, status, wins):
    dec = sign_test_decision(cnn, fc, alpha=ALPHA)
    assert dec["status"] == status
    assert dec["successes"] == wins
    assert dec["level"] == ALPHA


def test_sign_test_decision__exact_p_value_and_power():
    dec = sign_test_decision([1] * 10, [2] * 10, alpha=0.01, alternative_rate=0.9)
    assert dec["p_value"] == pytest.approx(2.0**-10, rel=1e-12)
    assert dec["critical_successes"] == 10  # P(Bin(10, 1/2) >= 9) = 11/1024 > 0.01
    assert dec["power"] == pytest.approx(0.9**10, rel=1e-12)
    d12 = sign_test_decision([1] * 12, [2] * 12, alpha=0.01, alternative_rate=0.9)
    assert d12["critical_successes"] == 11
    assert d12["power"] == pytest.approx(0.9**12 + 12 * 0.9**11 * 0.1, rel=1e-12)
    assert sign_test_decision([1] * 4, [2] * 4, alpha=0.01)["power"] == 0.0
    with pytest.raises(ValueError, match="cnn, fc"):
        sign_test_decision([1], [1, 2], alpha=0.01)
    with pytest.raises(ValueError, match="alpha"):
        sign_test_decision([1], [2], alpha=0.0)


def test_decay_rate__power_law_and_jump():
    curve = [(m, 1.0 * m**-0.75) for m in (8, 16, 32, 64, 128)]  # 0.21 down to 0.026
    assert decay_rate(curve)["slope"] == pytest.approx(-0.75, abs=1e-12)
    assert decay_rate([(2, 0.5), (4, 0.5), (8, 0.0), (16, 0.0)]) is None
    assert decay_rate([(2, 0.3), (4, 0.0)]) is None
    with pytest.raises(ValueError, match="top"):
        decay_rate(curve, top=0.0)


def test_family__sizes_and_limits():
    assert family(6, 1) == {"d": 6, "l": 6, "n": 6, "k": 1729}
    with pytest.raises(ValueError, match="d, r"):
        family(7, 1)          # 218,750 support points
    with pytest.raises(ValueError, match="d, r"):
        family(4, 2)          # n = 16: 1,048,576 support points
    with pytest.raises(ValueError, match="r"):
        family(3, 3)


def test_error_curve__validation():
    with pytest.raises(ValueError, match="learner"):
        error_curve("RNN", 3, 0, [2, 4])
    with pytest.raises(ValueError, match="ms"):
        error_curve("SVM", 3, 0, [4, 2])
    with pytest.raises(ValueError, match="ms"):
        error_curve("SVM", 3, 0, [1, 2])
    with pytest.raises(ValueError, match="stop_eps"):
        error_curve("SVM", 3, 0, [2, 4], stop_eps=1.0)
    with pytest.raises(ValueError, match="learners"):
        measure((3, 4), seeds=1, seed=0, learners=("SVM",))
    with pytest.raises(ValueError, match="ds"):
        measure((4, 3), seeds=1, seed=0)
    with pytest.raises(ValueError, match="fc"):
        check_seed_at(3, "CNN", 0)
    with pytest.raises(ValueError, match="profile"):
        report_checks("huge", 0)


def test_error_curve__deterministic_exact_errors_and_stopping():
    for learner in ("CNN", "SVM"):
        a = error_curve(learner, 4, 11, [2, 4, 8, 16, 32, 64, 128], stop_eps=0.05)
        b = error_curve(learner, 4, 11, [2, 4, 8, 16, 32, 64, 128], stop_eps=0.05)
        assert a == b
        # exact over the 64 support points: every error is a multiple of 1/64
        assert all(math.isclose(e * 64, round(e * 64)) for _, e in a)
        assert all(e <= 0.05 for _, e in a[-2:])


def test_check_scaling__rows_strength_and_determinism():
    kw = {"seeds": 2, "seed": 0, "learners": ("CNN", "SVM")}
    evs = check_scaling((3, 4), **kw)
    again = check_scaling((3, 4), **kw)
    assert [e.details["decision"] for e in evs] == [e.details["decision"] for e in again]
    assert len(evs) == 1
    assert evs[0].params["fc"] == "SVM"
    ev = evs[0]
    assert ev.strength == Strength.STATISTICAL
    assert ev.details["decision"]["status"] in ("undecided", "refuted")  # 2 seeds cannot
    assert ev.verdict in (Verdict.HOLDS, Verdict.FAILS)
    assert "plot" in ev.details
    assert ev.details["not_run"]
    assert set(ev.details["exponents"]) == {"CNN", "SVM"}


def test_check_scaling__a_cnn_as_slow_as_the_svm_is_refuted():
    curves = {"CNN": {3: [[(2, 0.5), (64, 0.0)]] * 7, 4: [[(2, 0.5), (128, 0.0)]] * 7},
              "SVM": {3: [[(2, 0.5), (8, 0.0)]] * 7, 4: [[(2, 0.5), (16, 0.0)]] * 7}}
    (ev,) = check_scaling((3, 4), seeds=7, seed=0, curves=curves)
    assert ev.details["decision"]["status"] == "refuted"
    assert ev.verdict == Verdict.FAILS
    assert ev.details["ratio_fc_over_cnn_at_largest_d"] == pytest.approx(1 / 8)


def test_registration_and_profiles():
    assert "verify.claims.sample_complexity" in CLAIM_MODULES
    assert DECLARATION.names == (CLAIM,)
    assert PROFILES["standard"]["ds"][-1] == 6
    assert PROFILES["quick"]["seeds"] >= 7  # fewer cannot reach level 0.01
    grid = DECLARATION.sweeps[0].grids["quick"]
    assert {r["fc"] for r in grid.regimes} == {"SVM", "MLP"}
