"""The scaling law's decision rules on hand-made numbers, each just inside and just outside:
m_eps from decided sizes, the exponent fit and its bootstraps, the trend test, the interval
decision, Holm's procedure, the sign test, and the test-error decisions (exact and sequential)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verify.claims.sample_complexity.rules import (
    TOL,
    bootstrap_exponent,
    fit_exponent,
    holm,
    interval_decision,
    m_epsilon,
    paired_bootstrap_difference,
    sign_test_decision,
    trend_interval,
)
from verify.claims.sample_complexity.test_error import (
    DELTA,
    LOOKS,
    exact_decision,
    sequential_decision,
)
from verify.claims.sample_complexity.verdicts import ALPHA
from verify.evidence.stats import clopper_pearson

T, F = True, False


@pytest.mark.parametrize(("curve", "want"), [
    ([(2, F), (4, F), (8, T), (16, T)], 8),
    ([(2, T), (4, F), (8, T), (16, T)], 8),      # a reached size before a miss does not count
    ([(2, T), (4, T)], 2),
    ([(2, F), (4, T), (8, F)], None),            # the last one not reached: censored
    ([(2, F)], None),
])
def test_m_epsilon__smallest_size_from_which_every_size_is_reached(curve, want):
    assert m_epsilon(curve) == want


@pytest.mark.parametrize("curve", [[], [(4, T), (2, T)], [(0, T)], [(2, 0.1)]])
def test_m_epsilon__rejects_bad_curves(curve):
    with pytest.raises(ValueError, match="curve"):
        m_epsilon(curve)


@pytest.mark.parametrize(("b", "c"), [(1.0, 8.0), (2.0, 3.0), (0.0, 5.0), (2.5, 0.5)])
def test_fit_exponent__recovers_a_power_law(b, c):
    ds = [3, 4, 5, 6]
    f = fit_exponent(ds, [[c * d**b, c * d**b] for d in ds])
    assert f["exponent"] == pytest.approx(b, abs=1e-12)
    assert f["constant"] == pytest.approx(c, rel=1e-12)


def test_fit_exponent__uses_geometric_means_and_a_wrong_slope_differs():
    ds = [2, 4, 8]
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
    assert a == bootstrap_exponent(ds, values, seed_seq=np.random.SeedSequence(1))
    assert a[0] < 2.0 < a[1]
    assert a[1] - a[0] < 1.5
    lo, hi = bootstrap_exponent(ds, [[d**1.0] * 5 for d in ds],
                                seed_seq=np.random.SeedSequence(0), replicates=50)
    assert (lo, hi) == pytest.approx((1.0, 1.0), abs=1e-12)
    with pytest.raises(ValueError, match="seed_seq"):
        bootstrap_exponent(ds, values, seed_seq=1)  # type: ignore[arg-type]


def test_paired_bootstrap_difference__point_interval_pairing_and_validation():
    ds = [3, 4, 6, 8]
    rng = np.random.default_rng(5)
    noise = [rng.normal(0, 0.3, 12) for _ in ds]
    # one seed's noise is shared by both learners: paired, the difference has no noise at all
    a = [list(5.0 * np.exp(z)) for z in noise]
    b = [list(2.0 * d**2 * np.exp(z)) for d, z in zip(ds, noise, strict=True)]
    diff, lo, hi = paired_bootstrap_difference(ds, a, b, seed_seq=np.random.SeedSequence(2))
    assert (diff, lo, hi) == pytest.approx((2.0, 2.0, 2.0), abs=1e-9)
    assert diff == pytest.approx(fit_exponent(ds, b)["exponent"] - fit_exponent(ds, a)[
        "exponent"], abs=1e-12)
    # independent noise: an interval around the truth, wider than zero
    c = [list(2.0 * d**2 * np.exp(rng.normal(0, 0.3, 12))) for d in ds]
    diff, lo, hi = paired_bootstrap_difference(ds, a, c, seed_seq=np.random.SeedSequence(2))
    assert lo < 2.0 < hi
    assert hi - lo > 0.1
    with pytest.raises(ValueError, match="a, b"):
        paired_bootstrap_difference(ds, a, [v[:3] for v in c], seed_seq=np.random.SeedSequence(0))


def test_trend_interval__slope_is_the_difference_and_the_interval_covers_it():
    ds = [3, 4, 5, 6, 8]
    rng = np.random.default_rng(7)
    a = [list(4.0 * np.exp(rng.normal(0, 0.2, 10))) for _ in ds]
    b = [list(d**1.5 * np.exp(rng.normal(0, 0.2, 10))) for d in ds]
    slope, lo, hi = trend_interval(ds, a, b)
    assert slope == pytest.approx(fit_exponent(ds, b)["exponent"] - fit_exponent(ds, a)[
        "exponent"], abs=1e-12)
    assert lo < 1.5 < hi
    with pytest.raises(ValueError, match="a, b"):
        trend_interval([3, 4], [[1.0], [1.0]], [[2.0], [2.0]])


E = 2 * TOL  # just outside the floating-point tolerance


@pytest.mark.parametrize(("lo", "hi", "claimed", "claim", "want"), [
    (E, 3.0, 0.0, "above", "demonstrated"),          # just above 0
    (TOL, 3.0, 0.0, "above", "undecided"),           # within the tolerance of 0
    (0.0, 3.0, 0.0, "above", "undecided"),
    (-3.0, -TOL, 0.0, "above", "undecided"),         # -1e-16 from equal ratios is not below
    (-3.0, -E, 0.0, "above", "refuted"),             # just below 0
    (0.2, 1.0 - E, 1.0, "at most", "demonstrated"),
    (0.2, 1.0, 1.0, "at most", "undecided"),
    (1.0, 1.5, 1.0, "at most", "undecided"),
    (1.0 + TOL, 1.5, 1.0, "at most", "undecided"),
    (1.0 + E, 1.5, 1.0, "at most", "refuted"),
    (3.9, 4.0 - E, 4.0, "at most", "demonstrated"),  # r = 2: the bound's exponent is 4
])
def test_interval_decision__just_inside_and_outside(lo, hi, claimed, claim, want):
    assert interval_decision(lo, hi, claimed, claim=claim) == want


def test_interval_decision__validation():
    with pytest.raises(ValueError, match="claim"):
        interval_decision(0.0, 1.0, 0.0, claim="below")
    with pytest.raises(ValueError, match="lo, hi"):
        interval_decision(1.0, 0.0, 0.0, claim="above")
    with pytest.raises(ValueError, match="lo, hi"):
        interval_decision(math.nan, 1.0, 0.0, claim="above")
    with pytest.raises(ValueError, match="tol"):
        interval_decision(0.0, 1.0, 0.0, claim="above", tol=0.1)


@pytest.mark.parametrize(("ps", "alpha", "want"), [
    ([0.001, 0.04, 0.02], 0.05, [T, T, T]),
    ([0.001, 0.04, 0.03], 0.05, [T, F, F]),           # 0.03 > 0.05/2 stops the procedure
    ([0.01, 0.02], 0.02, [T, T]),                     # 0.01 <= 0.02/2, then 0.02 <= 0.02
    ([0.0101, 0.02], 0.02, [F, F]),                   # the first step just fails
    ([0.01 / 10] * 10, 0.01, [T] * 10),               # 12 seeds won at 10 values of d
    ([2.0**-8] * 5, 0.01, [F] * 5),                   # 8 seeds cannot pass 0.01/5
    ([2.0**-10] * 5, 0.01, [T] * 5),                  # 10 seeds can
])
def test_holm__step_down_table(ps, alpha, want):
    assert holm(ps, alpha) == want


def test_holm__validation():
    with pytest.raises(ValueError, match="p_values"):
        holm([], 0.05)
    with pytest.raises(ValueError, match="p_values"):
        holm([1.5], 0.05)


@pytest.mark.parametrize(("cnn", "fc", "status", "wins"), [
    ([8] * 7, [64] * 7, "demonstrated", 7),             # p = 1/128 <= 0.01
    ([8] * 6 + [64], [64] * 7, "undecided", 6),         # a tie counts against the CNN
    ([8] * 4, [64] * 4, "undecided", 4),                # 1/16 > 0.01: cannot decide
    ([64] * 7, [8] * 7, "refuted", 0),
    ([8] * 7, [None] * 7, "demonstrated", 7),           # censored FC: above every measured m
    ([None] * 7, [None] * 7, "refuted", 0),             # both censored: ties
])
def test_sign_test_decision__table(cnn, fc, status, wins):
    dec = sign_test_decision(cnn, fc, alpha=ALPHA)
    assert dec["status"] == status
    assert dec["successes"] == wins


def test_sign_test_decision__exact_p_value_and_power():
    dec = sign_test_decision([1] * 10, [2] * 10, alpha=0.01, alternative_rate=0.9)
    assert dec["p_value"] == pytest.approx(2.0**-10, rel=1e-12)
    assert dec["critical_successes"] == 10
    assert dec["power"] == pytest.approx(0.9**10, rel=1e-12)
    with pytest.raises(ValueError, match="cnn, fc"):
        sign_test_decision([1], [1, 2], alpha=0.01)


def test_exact_decision__at_most_eps_includes_eps():
    assert exact_decision(5, 100, 0.05).status == "reached"
    assert exact_decision(6, 100, 0.05).status == "not reached"
    assert exact_decision(0, 64, 0.05).reached
    with pytest.raises(ValueError, match="errors"):
        exact_decision(5, 4, 0.05)


def _stream(rate: float):
    """Exactly ``floor(rate * b) - floor(rate * a)`` errors among draws ``a..b-1``."""
    return lambda a, b: math.floor(rate * b) - math.floor(rate * a)


def test_sequential_decision__first_look_decides_the_clear_cases():
    dec = sequential_decision(_stream(0.0), 0.05)
    assert (dec.status, dec.trials, dec.exact) == ("reached", LOOKS[0], False)
    assert dec.interval[1] <= 0.05
    dec = sequential_decision(_stream(0.5), 0.05)
    assert (dec.status, dec.trials) == ("not reached", LOOKS[0])
    assert not dec.reached


def test_sequential_decision__near_eps_draws_more_and_may_stay_undecided():
    dec = sequential_decision(_stream(0.05), 0.05)
    assert (dec.status, dec.trials) == ("undecided", LOOKS[-1])
    assert not dec.reached  # an undecided size is not reached
    dec = sequential_decision(_stream(0.03), 0.05)
    assert dec.status == "reached"
    assert LOOKS[0] < dec.trials < LOOKS[-1]


def test_sequential_decision__the_per_look_level_is_delta_over_the_looks():
    """Just inside and just outside the rule at the first look: the largest error count whose
    Clopper-Pearson upper end (confidence 1 - DELTA/len(LOOKS)) is <= eps is reached there."""
    n, conf = LOOKS[0], 1 - DELTA / len(LOOKS)
    x = max(x for x in range(n) if clopper_pearson(x, n, conf)[1] <= 0.05)
    looks = (n,)
    one = sequential_decision(lambda a, b: x, 0.05, looks=looks, delta=DELTA / len(LOOKS))
    assert one.status == "reached"
    more = sequential_decision(lambda a, b: x + 1, 0.05, looks=looks, delta=DELTA / len(LOOKS))
    assert more.status != "reached"
    # the whole-delta level (no correction over the looks) would reach more: a wrong level fails
    assert clopper_pearson(x + 1, n, 1 - DELTA)[1] <= 0.05 or x == 0


def test_sequential_decision__validation():
    with pytest.raises(ValueError, match="looks"):
        sequential_decision(_stream(0.0), 0.05, looks=(100, 50))
    with pytest.raises(ValueError, match="count_errors"):
        sequential_decision(lambda a, b: b - a + 1, 0.05)
    with pytest.raises(ValueError, match="eps"):
        sequential_decision(_stream(0.0), 0.0)


def test_m_epsilon__sizes_from_one_and_strictly_increasing():
    assert m_epsilon([(1, T)]) == 1
    with pytest.raises(ValueError, match="curve"):
        m_epsilon([(2, T), (2, T)])


def test_sign_test_decision__every_field_on_a_small_table():
    # wins at seeds 0 and 3, a tie at seed 1, a loss at seed 2
    dec = sign_test_decision([1, 2, 3, 5], [2, 2, 1, 9], alpha=0.1, alternative_rate=0.7)
    lo, hi = clopper_pearson(2, 4)
    assert dec == {
        "status": "undecided", "level": 0.1, "power": pytest.approx(0.7**4),
        "alternative": "P(m_eps(CNN) < m_eps(FC)) = 0.7 per seed",
        "test": "exact one-sided sign test over seeds (ties count against the CNN)",
        "trials": 4, "successes": 2, "ties": 1, "critical_successes": 4,
        "p_value": pytest.approx(11 / 16), "p_value_opposite": pytest.approx(11 / 16),
        "observed_rate": 0.5, "claimed": 0.5, "effect": 0.0,
        "effect_interval": [pytest.approx(lo - 0.5), pytest.approx(hi - 0.5)]}


def test_sign_test_decision__levels_just_at_alpha_and_power_zero():
    # P(Bin(4, 1/2) >= 4) = 1/16 exactly: at alpha = 1/16 it decides, both ways
    assert sign_test_decision([1] * 4, [2] * 4, alpha=1 / 16)["status"] == "demonstrated"
    assert sign_test_decision([1] * 4, [2] * 4, alpha=1 / 16)["critical_successes"] == 4
    assert sign_test_decision([2] * 4, [1] * 4, alpha=1 / 16)["status"] == "refuted"
    assert sign_test_decision([1] * 4, [2] * 4, alpha=0.06)["status"] == "undecided"
    low = sign_test_decision([1] * 4, [2] * 4, alpha=0.01)
    assert (low["critical_successes"], low["power"]) == (5, 0.0)
    d12 = sign_test_decision([1] * 12, [2] * 12, alpha=0.01, alternative_rate=0.7)
    assert d12["critical_successes"] == 11
    assert d12["power"] == pytest.approx(0.7**12 + 12 * 0.7**11 * 0.3, rel=1e-12)


def test_holm__a_p_value_of_zero_is_rejected():
    assert holm([0.0, 1.0], 0.05) == [True, False]


def test_exact_decision__every_field():
    dec = exact_decision(3, 60, 0.05)
    assert (dec.errors, dec.trials, dec.exact, dec.eps, dec.interval) == (3, 60, True, 0.05,
                                                                         (0.05, 0.05))
    assert dec.error == 0.05
