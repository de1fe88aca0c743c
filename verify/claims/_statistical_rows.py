"""The decision and the slack of a fixed-size statistical evidence row.

Two kinds of Monte Carlo rows recur in Section 5's checkers:

- "``P(fail) <= b``" (Lemma 5.2's Eq. 7, Eq. 14): the same as "``P(event) >= 1 - b``", decided
  by :func:`verify.evidence.sequential.decide_rate` with one look of ``trials`` trials at level
  ``alpha`` (:func:`failure_rate_decision`): *refuted* when the exact one-sided binomial test
  rejects, *demonstrated* when the one-sided 95% Clopper-Pearson lower bound on the success rate
  reaches ``1 - b``, *undecided* otherwise, *vacuous* when ``b >= 1``;
- "``P = q``" (Lemma 5.2's per-filter probability, Appendix B): an equality is never
  demonstrated by sampling, so it is *refuted* when the exact two-sided test rejects and
  *undecided* otherwise, with the test's power against a stated alternative
  (:func:`equality_decision`).

Either way the row's slack is the **effect**, observed rate minus claimed rate, with its
two-sided 95% Clopper-Pearson interval in ``details``; the p-value goes in ``details`` too, so a
2x discrepancy reads as an effect of about the claimed rate, never as a near miss of a p-value.
"""

from __future__ import annotations

from verify._validate import check_int, check_probability
from verify.evidence.sequential import (
    REFUTED,
    UNDECIDED,
    RateDecision,
    SequentialDesign,
    decide_rate,
)
from verify.evidence.stats import clopper_pearson

__all__ = ["equality_decision", "failure_rate_decision"]


def failure_rate_decision(failures: int, trials: int, failure_bound: float,
                          alpha: float) -> RateDecision:
    """The decision on "``P(fail) <= failure_bound``" from ``failures`` of ``trials``, one look
    at level ``alpha``; ``failure_bound >= 1`` gives a *vacuous* decision (claimed success
    probability ``<= 0``). Its ``effect`` is ``failure_bound - failure rate``.

    Examples
    --------
    >>> failure_rate_decision(0, 100, 0.2, 1e-9).status
    'demonstrated'
    >>> failure_rate_decision(60, 100, 0.2, 1e-9).status
    'refuted'
    """
    trials = check_int("trials", trials, low=1)
    failures = check_int("failures", failures, low=0, high=trials)
    if not isinstance(failure_bound, (int, float)) or not failure_bound >= 0:
        raise ValueError(f"failure_bound must be a number >= 0, got {failure_bound!r}")
    alpha = check_probability("alpha", alpha)
    design = SequentialDesign(first=trials, budget=trials, alpha=alpha)
    return decide_rate(trials - failures, trials, 1.0 - min(float(failure_bound), 1.0), design)


def equality_decision(successes: int, trials: int, claimed: float, *, rejected: bool,
                      p_value: float, alpha: float, power: float, alternative: str
                      ) -> dict[str, object]:
    """``details["decision"]`` of a two-sided test of "rate = ``claimed``": *refuted* iff
    ``rejected``, else *undecided* (sampling cannot demonstrate an equality); with the level, the
    ``power`` against the stated ``alternative``, the p-value and the effect with its interval.

    Examples
    --------
    >>> equality_decision(187, 1000, 0.097, rejected=True, p_value=1e-20, alpha=1e-9,
    ...                   power=1.0, alternative="rate 0.1875")["status"]
    'refuted'
    """
    trials = check_int("trials", trials, low=1)
    successes = check_int("successes", successes, low=0, high=trials)
    claimed = check_probability("claimed", claimed, open_interval=False)
    alpha = check_probability("alpha", alpha)
    power = check_probability("power", power, open_interval=False)
    if not isinstance(alternative, str) or not alternative:
        raise ValueError("alternative must be a non-empty string")
    lo, hi = clopper_pearson(successes, trials)
    rate = successes / trials
    return {"status": REFUTED if rejected else UNDECIDED, "level": alpha, "power": power,
            "alternative": alternative, "p_value": float(p_value), "claimed": claimed,
            "observed_rate": rate, "effect": rate - claimed,
            "effect_interval": [lo - claimed, hi - claimed], "trials": trials,
            "test": "exact two-sided binomial test of rate = claimed"}
