"""The constants of the probabilistic claims pinned: Lemma 5.2's ``k/(4d)``, ``k/d``
and ``4e^{-d}`` through its ``Sampler`` (constant counts) and its exact law; Eq. 14's
``4e^{-m/36}`` and ``m_1/3`` through a label sampler and its exact law. See
:mod:`tests.test_bound_constants`.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_bound_constants import EPS, SIDES
from verify.evidence import Verdict

# ----------------------------------------------------------------------------- Lemma 5.2


def _constant_counts(plus: int, minus: int):
    def sampler(d: int, l: int, k: int, trials: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        return np.full(trials, plus, dtype=np.int64), np.full(trials, minus, dtype=np.int64)
    return sampler


# (k, count, verdict): d = 3; k/(4d) and k/d are 18 and 72 at k = 216, 18.08 and 72.33 at 217
LEMMA_5_2_COUNTS = [
    (216, 18, Verdict.HOLDS), (216, 17, Verdict.FAILS),
    (216, 72, Verdict.HOLDS), (216, 73, Verdict.FAILS),
    (217, 19, Verdict.HOLDS), (217, 18, Verdict.FAILS),
    (217, 72, Verdict.HOLDS), (217, 73, Verdict.FAILS),
]


@pytest.mark.parametrize(("k", "count", "verdict"), LEMMA_5_2_COUNTS)
@pytest.mark.parametrize("side", ["plus", "minus"])
def test_lemma_5_2_check_lemma_5_2__count_bounds_are_k_over_4d_and_k_over_d(k, count, verdict,
                                                                            side):
    from verify.claims.lemma_5_2 import check_lemma_5_2

    other = 40  # inside [k/(4d), k/d]
    counts = (count, other) if side == "plus" else (other, count)
    ev = check_lemma_5_2(3, 3, k, trials=30, seed=0, sampler=_constant_counts(*counts))
    assert ev.verdict is verdict, ev.summary()
    assert ev.observed == (0.0 if verdict is Verdict.HOLDS else 1.0)
    assert ev.bound == pytest.approx(4 * np.exp(-3), rel=1e-12)
    assert ev.details["claim_test"]["claimed_rate"] == pytest.approx(4 * np.exp(-3), rel=1e-12)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("d", [3, 7])
def test_lemma_5_2_check_lemma_5_2_exact__bound_is_4_exp_minus_d(monkeypatch, side, verdict, d):
    from verify.claims.lemma_5_2 import check_lemma_5_2_exact, exact

    bound = 4 * np.exp(-d)
    monkeypatch.setattr(exact, "exact_failure_probability",
                        lambda d_, l_, k_: bound * (1 - side * EPS))
    ev = check_lemma_5_2_exact(d, d, 8 * d**3)
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == pytest.approx(bound, rel=1e-12)
    assert ev.tolerance == pytest.approx(1e-9 * bound, rel=1e-12)


def test_lemma_5_2_check_lemma_5_2_exact__boundary_within_1e_9_relative(monkeypatch):
    from verify.claims.lemma_5_2 import check_lemma_5_2_exact, exact

    bound = 4 * np.exp(-3)
    for rel, verdict in ((0.9e-9, Verdict.BOUNDARY), (-0.9e-9, Verdict.BOUNDARY),
                         (1.1e-9, Verdict.FAILS), (-1.1e-9, Verdict.HOLDS)):
        monkeypatch.setattr(exact, "exact_failure_probability",
                            lambda d_, l_, k_, rel=rel: bound * (1 + rel))
        assert check_lemma_5_2_exact(3, 3, 216).verdict is verdict, rel


# ----------------------------------------------------------------------------- Eq. 14


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("m", [50, 100, 400])
def test_event_14_check_event_14_exact__bound_is_4_exp_minus_m_over_36(monkeypatch, side,
                                                                       verdict, m):
    from verify.claims import event_14

    bound = 4 * np.exp(-m / 36)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: bound * (1 - side * EPS))
    ev = event_14.check_event_14_exact(m)
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == pytest.approx(bound, rel=1e-12)
    assert ev.details["hoeffding_bound_2e^(-m/36)"] == pytest.approx(bound / 2, rel=1e-12)
    assert ev.tolerance == pytest.approx(1e-9 * bound, rel=1e-12)


def _labels(positives: int):
    """A sampler whose ``S_1`` (the first ``m_1 = ceil(m/2)`` points) has ``positives`` positive
    labels, every time."""
    def sampler(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        m1 = -(-m // 2)
        y = -np.ones(m)
        y[:positives] = 1.0
        y[m1:] = 1.0
        return np.zeros((m, n), dtype=np.int64), y
    return sampler


# m = 100: m_1 = 50, the event needs 50/3 <= |S_1+| <= 100/3, i.e. 17..33 positives
@pytest.mark.parametrize(("positives", "verdict"), [
    (17, Verdict.HOLDS), (16, Verdict.FAILS), (33, Verdict.HOLDS), (34, Verdict.FAILS)])
def test_event_14_check_event_14__event_is_m1_over_3_on_each_side(positives, verdict):
    from verify.claims import event_14

    ev = event_14.check_event_14(100, trials=30, seed=0, sampler=_labels(positives))
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == pytest.approx(4 * np.exp(-100 / 36), rel=1e-12)
    assert ev.observed == (0.0 if verdict is Verdict.HOLDS else 1.0)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_event_14_check_event_14__exact_probability_above_the_bound_fails(monkeypatch, side,
                                                                         verdict):
    """The Monte Carlo also fails when the exact law itself exceeds ``4e^{-m/36}``."""
    from verify.claims import event_14

    bound = 4 * np.exp(-100 / 36)
    exact = bound * (1 - side * EPS)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: exact)
    failures = round(exact * 200)
    ev = event_14.check_event_14(100, trials=200, seed=0,
                                 sampler=_fraction_failing(failures, 200))
    assert ev.verdict is verdict, ev.summary()


def _fraction_failing(failures: int, trials: int):
    """A sampler whose first ``failures`` draws (in order) miss the event of Eq. 14."""
    count = {"n": 0}

    def sampler(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        i = count["n"]
        count["n"] += 1
        return _labels(0 if i < failures else 25)(n, l, m, rng)
    return sampler


def test_event_14_check_event_14__exact_probability_at_the_bound_holds(monkeypatch):
    from verify.claims import event_14

    bound = 4 * np.exp(-100 / 36)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: bound)
    ev = event_14.check_event_14(100, trials=200, seed=0,
                                 sampler=_fraction_failing(round(bound * 200), 200))
    assert ev.verdict is Verdict.HOLDS, ev.summary()


def test_event_14_check_event_14_exact__a_failure_says_exact_above_bound(monkeypatch):
    from verify.claims import event_14

    bound = 4 * np.exp(-100 / 36)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: 2 * bound)
    ev = event_14.check_event_14_exact(100)
    assert ev.reason == f"exact {2 * bound:.4g} > {bound:.4g}"
    assert ev.details["exact_over_claimed"] == pytest.approx(2.0)


@pytest.mark.parametrize("m", range(1, 25))
def test_event_14_exact_failure_probability__equals_enumeration(m):
    from verify.claims import event_14

    assert event_14.exact_failure_probability(m) == pytest.approx(
        event_14.exact_failure_probability_by_enumeration(m), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("trials", [1, 999, 1000, 1001, 2500])
def test_event_14_event_14_failures__one_fresh_draw_per_trial(trials):
    """Every trial draws once, from its own part of the stream: no chunk replays another."""
    from verify.claims import event_14

    draws: list[float] = []

    def sampler(n: int, l: int, m: int, rng: np.random.Generator):
        draws.append(float(rng.random()))
        return _labels(20)(n, l, m, rng)

    assert event_14.event_14_failures(60, trials, 0, sampler=sampler) == 0
    assert len(draws) == trials
    assert len(set(draws)) == trials


def test_event_14_event_14_failures__defaults_to_one_position_and_three_patterns():
    from verify.claims import event_14

    counts = {(n, l): event_14.event_14_failures(40, 300, 0, n=n, l=l)
              for n, l in ((1, 3), (2, 3), (1, 4))}
    assert event_14.event_14_failures(40, 300, 0) == counts[(1, 3)]
    assert len(set(counts.values())) == 3  # the streams differ, so the defaults are pinned


def test_defaults__trials_and_levels_of_the_monte_carlo_checkers():
    """The default trials and level fix each Monte Carlo test's power (reported in its
    evidence); properties/test_false_alarm_budget.py counts the levels."""
    import inspect

    from verify.claims import event_14, lemma_5_2

    for fn, trials in ((event_14.check_event_14, 20_000), (lemma_5_2.check_lemma_5_2, 2000)):
        params = inspect.signature(fn).parameters
        assert (params["trials"].default, params["alpha"].default) == (trials, 1e-9)


def test_lemma_5_2_check_lemma_5_2__passes_its_arguments_to_the_sampler():
    from verify.claims.lemma_5_2 import check_lemma_5_2

    seen = []

    def sampler(d: int, l: int, k: int, trials: int, seed: int):
        seen.append((d, l, k, trials, seed))
        return _constant_counts(250, 250)(d, l, k, trials, seed)

    check_lemma_5_2(5, 4, 1000, trials=7, seed=3, sampler=sampler)
    assert seen == [(5, 4, 1000, 7, 3)]
    ev = check_lemma_5_2(5, 4, 1000, sampler=sampler)  # the defaults
    assert seen[-1] == (5, 4, 1000, 2000, 0)
    assert ev.params["trials"] == 2000


def test_event_14_check_event_14__default_trials():
    from verify.claims import event_14

    ev = event_14.check_event_14(60, sampler=_labels(20))
    assert ev.params["trials"] == 20_000
    assert ev.params["alpha"] == 1e-9
