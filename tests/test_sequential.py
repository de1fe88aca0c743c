"""The sequential procedure of :mod:`verify.evidence.sequential`: its looks, its per-look levels,
its three outcomes, its validity across looks (computed exactly) and its determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st

from verify.evidence.sequential import (
    DEMONSTRATED,
    REFUTED,
    UNDECIDED,
    VACUOUS,
    SequentialDesign,
    decide_rate,
    lower_confidence_bound,
    run_sequential,
)
from verify.evidence.stats import clopper_pearson


def test_looks__double_from_first_and_end_at_budget():
    assert SequentialDesign(first=20, budget=20).looks() == (20,)
    assert SequentialDesign(first=20, budget=100).looks() == (20, 40, 80, 100)
    assert SequentialDesign(first=10, budget=80).looks() == (10, 20, 40, 80)


def test_design__levels_split_over_the_looks():
    d = SequentialDesign(first=10, budget=80, alpha=4e-9, confidence=0.96)
    assert d.alpha_per_look == pytest.approx(1e-9)
    assert d.demonstration_level_per_look == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"first": 0}, "first"), ({"budget": 5, "first": 10}, "budget"), ({"alpha": 0.0}, "alpha"),
     ({"confidence": 1.0}, "confidence")],
)
def test_design__rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):  # the parameter's own name, first
        SequentialDesign(**kwargs)


def test_lower_confidence_bound__is_the_clopper_pearson_quantile():
    assert lower_confidence_bound(40, 40, 0.05) == pytest.approx(0.05 ** (1 / 40))
    assert lower_confidence_bound(0, 10, 0.05) == 0.0
    assert lower_confidence_bound(7, 10, 0.05) == pytest.approx(st.beta.ppf(0.05, 7, 4))
    # coverage: P(bound <= true rate) >= 1 - level, exactly, at a few rates
    for p in (0.3, 0.8, 0.97):
        n = 30
        xs = np.arange(n + 1)
        covered = np.array([lower_confidence_bound(int(x), n, 0.05) <= p for x in xs])
        assert st.binom.pmf(xs, n, p)[covered].sum() >= 0.95


def test_decide_rate__the_issue_examples():
    one = SequentialDesign(first=40, budget=40, alpha=1e-9, confidence=0.95)
    assert decide_rate(40, 40, 0.926, one).status == DEMONSTRATED
    assert decide_rate(39, 40, 0.926, one).status == UNDECIDED
    assert decide_rate(40, 40, 0.93, one).status == UNDECIDED  # 0.05 ** (1/40) = 0.9278
    # 1 - 4 e^-10 needs about 16,500 successes at 95% in one look
    p = 1 - 4 * math.exp(-10)
    need = math.ceil(math.log(0.05) / math.log(p))
    assert 16_400 < need < 16_600
    big = SequentialDesign(first=need, budget=need)
    assert decide_rate(need, need, p, big).status == DEMONSTRATED
    assert decide_rate(need - 1, need - 1, p, SequentialDesign(need - 1, need - 1)).status == (
        UNDECIDED
    )


def test_decide_rate__refutes_exactly_below_alpha_per_look():
    d = SequentialDesign(first=40, budget=80, alpha=2e-9)  # 1e-9 per look
    p0 = 1 - 0.926
    x = next(x for x in range(41) if st.binom.sf(x - 1, 40, p0) < 1e-9)  # critical count
    assert decide_rate(40 - x, 40, 0.926, d).status == REFUTED
    assert decide_rate(40 - x + 1, 40, 0.926, d).status != REFUTED


def test_decide_rate__vacuous_claims_and_certain_claims():
    d = SequentialDesign(first=20, budget=20)
    assert decide_rate(0, 20, 0.0, d).status == VACUOUS
    assert decide_rate(0, 20, -3.5, d).status == VACUOUS
    assert decide_rate(19, 20, 1.0, d).status == REFUTED  # one failure refutes P = 1
    assert decide_rate(20, 20, 1.0, d).status == UNDECIDED  # P = 1 is never demonstrated


def test_decide_rate__effect_is_observed_minus_claimed_with_its_interval():
    r = decide_rate(10, 20, 0.9, SequentialDesign(first=20, budget=20))
    assert r.effect == pytest.approx(-0.4)
    assert r.effect_interval[0] < -0.4 < r.effect_interval[1]
    assert r.as_dict()["procedure"].startswith("repeated Clopper-Pearson")


def test_decide_rate__rejects_bad_arguments():
    d = SequentialDesign(first=20, budget=20)
    with pytest.raises(ValueError, match="claimed"):
        decide_rate(1, 2, 1.5, d)
    with pytest.raises(ValueError, match="successes"):
        decide_rate(3, 2, 0.5, d)
    with pytest.raises(ValueError, match="looks"):
        decide_rate(1, 2, 0.5, d, looks=2)


def _exact_error(design: SequentialDesign, claimed: float, true_rate: float, target: str) -> float:
    """Exact probability, over the rounds' binomial increments, that the procedure ends with
    ``target`` (dynamic programming over the success count)."""
    looks = design.looks()
    dist = {0: 1.0}
    done = 0
    hit = 0.0
    for r, n in enumerate(looks, start=1):
        inc = n - done
        pmf = st.binom.pmf(np.arange(inc + 1), inc, true_rate)
        new: dict[int, float] = {}
        for s, w in dist.items():
            for k in range(inc + 1):
                new[s + k] = new.get(s + k, 0.0) + w * pmf[k]
        dist = {}
        for s, w in new.items():
            status = decide_rate(s, n, claimed, design, looks=r).status
            if status == target:
                hit += w
            elif status == UNDECIDED:
                dist[s] = w
        done = n
    return hit


def test_run_sequential__errors_stay_within_their_levels_across_looks():
    design = SequentialDesign(first=10, budget=160, alpha=0.05, confidence=0.9)
    # a correct claim (true rate = claimed) is refuted with probability <= alpha ...
    assert _exact_error(design, 0.8, 0.8, REFUTED) <= 0.05
    # ... and a false one (true rate below the claim) demonstrated with probability <= 0.1
    assert _exact_error(design, 0.8, 0.79, DEMONSTRATED) <= 0.1
    # without the split over looks the same design would exceed its level: the rule matters
    naive = SequentialDesign(first=10, budget=160, alpha=0.05 * 5, confidence=1 - 0.1 * 5)
    assert _exact_error(naive, 0.8, 0.79, DEMONSTRATED) > 0.1


def test_run_sequential__stops_at_the_first_deciding_look_and_is_deterministic():
    calls = []

    def all_succeed(start: int, stop: int) -> int:
        calls.append((start, stop))
        return stop - start

    r = run_sequential(all_succeed, 0.926, SequentialDesign(first=20, budget=640))
    assert (r.status, r.trials, r.looks) == (DEMONSTRATED, 80, 3)
    assert calls == [(0, 20), (20, 40), (40, 80)]
    rng_rounds = [np.random.default_rng([7, s]).random() < 0.5 for s in range(640)]
    f = lambda a, b: int(sum(rng_rounds[a:b]))  # noqa: E731
    assert run_sequential(f, 0.9, SequentialDesign(20, 640)) == run_sequential(
        f, 0.9, SequentialDesign(20, 640)
    )


def test_run_sequential__budget_spent_is_undecided_with_its_power():
    r = run_sequential(lambda a, b: b - a, 0.999, SequentialDesign(first=10, budget=40))
    assert (r.status, r.trials) == (UNDECIDED, 40)
    assert 0 < r.detectable_failure_rate < 1


def test_run_sequential__rejects_an_impossible_count():
    with pytest.raises(ValueError, match="successes_in"):
        run_sequential(lambda a, b: b - a + 1, 0.5, SequentialDesign(first=10, budget=10))
    # too many in a later round (the round's seeds are n - done, not n + done)
    with pytest.raises(ValueError, match="successes_in"):
        run_sequential(lambda a, b: b - a + (a > 0), 0.9, SequentialDesign(first=10, budget=40))
    with pytest.raises(ValueError, match="successes_in"):
        run_sequential(lambda a, b: -1, 0.5, SequentialDesign(first=10, budget=10))


def test_run_sequential__no_success_in_a_round_is_a_valid_count():
    """0 successes is a count (all seeds missed the event): refuted, not an error."""
    r = run_sequential(lambda a, b: 0, 0.9, SequentialDesign(first=20, budget=640))
    assert (r.status, r.trials, r.successes) == ("refuted", 20, 0)


def test_decide_rate__edges_of_its_rules():
    """Mutation-found edges: a NaN claim is refused; a vacuous claim's p-value is that of
    p0 = 1 (never NaN); the effect's interval is at the design's confidence; a lower bound equal
    to the claim demonstrates it (">=")."""
    d = SequentialDesign(first=40, budget=40)
    with pytest.raises(ValueError, match="claimed"):
        decide_rate(40, 40, math.nan, d)
    v = decide_rate(3, 40, -1.0, d)
    assert (v.status, v.p_value, v.detectable_failure_rate) == ("vacuous", 1.0, 1.0)
    d99 = SequentialDesign(first=40, budget=40, confidence=0.99)
    r = decide_rate(30, 40, 0.5, d99)
    lo, hi = clopper_pearson(30, 40, 0.99)
    assert r.effect_interval == (lo - 0.5, hi - 0.5)
    exact = lower_confidence_bound(40, 40, d.demonstration_level_per_look)
    assert decide_rate(40, 40, exact, d).status == "demonstrated"


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"first": 0}, "first"), ({"first": 20, "budget": 10}, "budget"),
    ({"alpha": 1.5}, "alpha"), ({"confidence": -0.1}, "confidence")])
def test_design__bad_arguments_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} "):  # the parameter's own name, first
        SequentialDesign(**kwargs)


def test_design__one_seed_first_look_is_valid():
    assert SequentialDesign(first=1, budget=4).looks() == (1, 2, 4)
