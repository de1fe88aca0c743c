"""Seeds where they decide: a sequential procedure for "P(event) >= p" claims.

A probabilistic claim "the event holds with probability at least ``p``" is *decided* in one of
two ways, never by a fixed number of seeds that cannot decide it:

- **demonstrated**: the one-sided Clopper-Pearson lower confidence bound on the success rate is
  at least ``p``;
- **refuted**: the exact one-sided binomial test of ``H0: failure rate <= 1 - p`` rejects.

Seeds are added in rounds (:meth:`SequentialDesign.looks`: ``first``, ``2 first``,
``4 first``, ... cumulative seeds, capped at ``budget``) until one of the two happens. The
procedure is a group-sequential design with **repeated confidence intervals and Bonferroni
alpha-spending over the looks** (Jennison & Turnbull, *Group Sequential Methods*, 2000, ch. 9):
with ``R`` looks at most, look ``r`` uses level ``alpha / R`` for the refutation test and
``(1 - confidence) / R`` for the demonstration bound. By the union bound over looks, whatever
the stopping rule,

- a correct claim is refuted with probability at most ``alpha`` (the suite's false-alarm budget
  counts one decision of level ``alpha`` per regime, as for a fixed-size test), and
- a false claim is demonstrated with probability at most ``1 - confidence``.

A budget spent without either is **undecided**, with the power reached: the smallest true failure
rate the last look's test catches with 99% probability. The rounds are deterministic: seeds are
indexed ``0, 1, 2, ...`` and a round evaluates the next block of indices, so the same seed gives
the same decision.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from scipy import stats as _st

from verify._validate import check_int, check_probability
from verify.evidence.stats import clopper_pearson, detectable_rate

__all__ = [
    "DEMONSTRATED",
    "REFUTED",
    "UNDECIDED",
    "VACUOUS",
    "RateDecision",
    "SequentialDesign",
    "decide_rate",
    "lower_confidence_bound",
    "run_sequential",
]

DEMONSTRATED = "demonstrated"
REFUTED = "refuted"
UNDECIDED = "undecided"
VACUOUS = "vacuous"  # the claimed probability is <= 0: no outcome can contradict it


def lower_confidence_bound(successes: int, trials: int, level: float) -> float:
    """One-sided Clopper-Pearson lower bound on a success rate: the ``level`` quantile of
    ``Beta(x, n - x + 1)`` (0 when ``x = 0``); it covers the true rate with probability at least
    ``1 - level``.

    Examples
    --------
    >>> round(lower_confidence_bound(40, 40, 0.05), 4)  # 0.05 ** (1 / 40)
    0.9278
    """
    trials = check_int("trials", trials, low=1)
    successes = check_int("successes", successes, low=0, high=trials)
    level = check_probability("level", level)
    if successes == 0:
        return 0.0
    if successes == trials:
        return float(level ** (1.0 / trials))
    return float(_st.beta.ppf(level, successes, trials - successes + 1))


@dataclass(frozen=True)
class SequentialDesign:
    """The rounds and levels of the sequential procedure.

    ``first`` seeds in the first round, doubling each round up to ``budget`` seeds in all;
    ``alpha`` is the refutation level over all looks (a correct claim's false-alarm
    probability); ``confidence`` the demonstration confidence over all looks.
    """

    first: int = 20
    budget: int = 20_480
    alpha: float = 1e-9
    confidence: float = 0.95

    def __post_init__(self) -> None:
        check_int("first", self.first, low=1)
        check_int("budget", self.budget, low=self.first)
        check_probability("alpha", self.alpha)
        check_probability("confidence", self.confidence)

    def looks(self) -> tuple[int, ...]:
        """Cumulative seed counts at each look: ``first * 2**r`` capped at ``budget``.

        Examples
        --------
        >>> SequentialDesign(first=20, budget=100).looks()
        (20, 40, 80, 100)
        """
        sizes = []
        n = self.first
        while n < self.budget:
            sizes.append(n)
            n *= 2
        sizes.append(self.budget)
        return tuple(sizes)

    @property
    def alpha_per_look(self) -> float:
        return self.alpha / len(self.looks())

    @property
    def demonstration_level_per_look(self) -> float:
        return (1.0 - self.confidence) / len(self.looks())


@dataclass(frozen=True)
class RateDecision:
    """The decision on "P(event) >= claimed" after ``trials`` seeds (``looks`` looks taken)."""

    status: str
    claimed: float
    successes: int
    trials: int
    looks: int
    lower: float  # one-sided lower confidence bound at the per-look demonstration level
    p_value: float  # exact P(Bin(trials, 1 - claimed) >= failures)
    alpha_per_look: float
    demonstration_level_per_look: float
    rate: float
    effect: float  # observed success rate - claimed: the slack of a statistical row
    effect_interval: tuple[float, float]  # two-sided Clopper-Pearson (report confidence) - claimed
    detectable_failure_rate: float  # smallest failure rate refuted with 99% power at this look

    @property
    def decided(self) -> bool:
        return self.status in (DEMONSTRATED, REFUTED, VACUOUS)

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "claimed_probability": self.claimed,
            "successes": self.successes,
            "trials": self.trials,
            "looks": self.looks,
            "lower_confidence_bound": self.lower,
            "p_value": self.p_value,
            "alpha_per_look": self.alpha_per_look,
            "demonstration_level_per_look": self.demonstration_level_per_look,
            "observed_rate": self.rate,
            "effect": self.effect,
            "effect_interval": list(self.effect_interval),
            "detectable_failure_rate_99pct_power": self.detectable_failure_rate,
            "procedure": "repeated Clopper-Pearson bounds, Bonferroni alpha-spending over looks",
        }


def decide_rate(
    successes: int, trials: int, claimed: float, design: SequentialDesign, *, looks: int = 1
) -> RateDecision:
    """Decide "P(event) >= claimed" from ``successes`` of ``trials`` seeds at the ``looks``-th
    look of ``design`` (the per-look levels are the design's, whatever ``looks`` is).

    Examples
    --------
    >>> d = SequentialDesign(first=40, budget=40, alpha=1e-9, confidence=0.95)
    >>> decide_rate(40, 40, 0.926, d).status
    'demonstrated'
    >>> decide_rate(20, 40, 0.926, d).status
    'refuted'
    """
    trials = check_int("trials", trials, low=1)
    successes = check_int("successes", successes, low=0, high=trials)
    if not isinstance(claimed, (int, float)) or math.isnan(claimed) or claimed > 1:
        raise ValueError(f"claimed must be a number <= 1, got {claimed!r}")
    looks = check_int("looks", looks, low=1, high=len(design.looks()))
    a, g = design.alpha_per_look, design.demonstration_level_per_look
    failures = trials - successes
    p0 = min(max(1.0 - float(claimed), 0.0), 1.0)
    p_value = 1.0 if failures == 0 else float(_st.binom.sf(failures - 1, trials, p0))
    lower = lower_confidence_bound(successes, trials, g)
    lo, hi = clopper_pearson(successes, trials, design.confidence)
    if claimed <= 0:
        status = VACUOUS
    elif p_value < a:
        status = REFUTED
    elif lower >= claimed:
        status = DEMONSTRATED
    else:
        status = UNDECIDED
    return RateDecision(
        status=status,
        claimed=float(claimed),
        successes=successes,
        trials=trials,
        looks=looks,
        lower=lower,
        p_value=p_value,
        alpha_per_look=a,
        demonstration_level_per_look=g,
        rate=successes / trials,
        effect=successes / trials - float(claimed),
        effect_interval=(lo - float(claimed), hi - float(claimed)),
        detectable_failure_rate=detectable_rate(trials, p0, a) if p0 < 1 else 1.0,
    )


def run_sequential(
    successes_in: Callable[[int, int], int], claimed: float, design: SequentialDesign
) -> RateDecision:
    """Run the rounds: ``successes_in(start, stop)`` evaluates seeds ``start..stop-1`` and returns
    how many of them had the event; stop at the first look that decides, or at the budget.

    Examples
    --------
    >>> always = lambda start, stop: stop - start
    >>> r = run_sequential(always, 0.926, SequentialDesign(first=20, budget=640))
    >>> r.status, r.trials
    ('demonstrated', 80)
    """
    successes, done = 0, 0
    decision = None
    for r, n in enumerate(design.looks(), start=1):
        got = successes_in(done, n)
        if not 0 <= got <= n - done:
            raise ValueError(f"successes_in({done}, {n}) returned {got}, not in [0, {n - done}]")
        successes += got
        done = n
        decision = decide_rate(successes, done, claimed, design, looks=r)
        if decision.decided:
            break
    assert decision is not None
    return decision
