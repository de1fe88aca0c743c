"""Deciding "test error <= eps" for one trained learner: exactly, or on fresh draws from D.

The test error of a classifier ``f`` on D (Section 3) is ``P_{(x, y) ~ D}(f(x) != y)``.

- **exact** (:func:`exact_decision`): the fraction misclassified over the enumerated support of
  D (every point has probability ``1/|supp D|``); "error <= eps" is then decided without error.
  Only where the support is small (:data:`EXACT_SUPPORT`).
- **Monte Carlo** (:func:`sequential_decision`): the number of errors on ``T`` fresh iid draws is
  ``Binomial(T, error)``. At each look ``T`` in :data:`LOOKS` (cumulative draws), the exact
  two-sided Clopper-Pearson interval at confidence ``1 - delta / len(LOOKS)`` is computed:
  *reached* when its upper end is ``<= eps``, *not reached* when its lower end is ``> eps``,
  else the next look. After the last look the size is *undecided*, and counts as not reached.
  By the union bound over looks, whatever the stopping, a size with error ``> eps`` is declared
  reached with probability at most ``delta / 2``, and one with error ``< eps`` not reached with
  at most ``delta / 2`` (Bonferroni over the looks; the undecided band around ``eps`` has
  half-width about ``3.3 sqrt(eps (1 - eps) / 38400) = 0.004`` at ``eps = 0.05``). The first
  look, 150 draws, is the fewest that decide a classifier without error reached at
  ``eps = 0.05`` (``0.001^(1/150) > 0.95``).

``delta`` (:data:`DELTA`) is per size; a seed's ``m_eps`` is read from a handful of sizes, each
decided at this confidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verify._validate import check_int, check_probability
from verify.evidence.stats import clopper_pearson

__all__ = ["DELTA", "EXACT_SUPPORT", "LOOKS", "ErrorDecision", "exact_decision",
           "sequential_decision"]

DELTA = 0.01
LOOKS: tuple[int, ...] = (150, 600, 2400, 9600, 38400)
EXACT_SUPPORT = 20_000
"""The largest support the exact error enumerates (``d = n = 6``: 12,288 points)."""

REACHED, NOT_REACHED, UNDECIDED = "reached", "not reached", "undecided"


@dataclass(frozen=True)
class ErrorDecision:
    """One size's test error and the decision "error <= eps".

    ``errors`` of ``trials`` test points misclassified (the support's size when ``exact``);
    ``interval`` the Clopper-Pearson interval of the last look (the point itself when exact);
    ``status`` one of ``"reached"``, ``"not reached"``, ``"undecided"``."""

    errors: int
    trials: int
    exact: bool
    eps: float
    interval: tuple[float, float]
    status: str

    @property
    def error(self) -> float:
        return self.errors / self.trials

    @property
    def reached(self) -> bool:
        """Only a decided "error <= eps" counts: an undecided size is not reached."""
        return self.status == REACHED


def exact_decision(errors: int, size: int, eps: float) -> ErrorDecision:
    """``errors`` misclassified of the ``size`` support points: reached iff
    ``errors / size <= eps``.

    Examples
    --------
    >>> exact_decision(3, 60, 0.05).status, exact_decision(4, 60, 0.05).status
    ('reached', 'not reached')
    """
    size = check_int("size", size, low=1)
    errors = check_int("errors", errors, low=0, high=size)
    eps = check_probability("eps", eps)
    e = errors / size
    return ErrorDecision(errors, size, True, eps, (e, e), REACHED if e <= eps else NOT_REACHED)


def sequential_decision(count_errors: Callable[[int, int], int], eps: float, *,
                        looks: tuple[int, ...] = LOOKS, delta: float = DELTA) -> ErrorDecision:
    """Decide "error <= eps" on fresh draws (see the module docstring). ``count_errors(a, b)``
    returns the number of misclassified test points among draws ``a .. b-1`` of a fixed stream
    of iid test points (so the decision is deterministic given that stream).

    Examples
    --------
    >>> sequential_decision(lambda a, b: 0, 0.05).status     # no error in the first 150 draws
    'reached'
    >>> sequential_decision(lambda a, b: (b - a) // 2, 0.05).trials
    150
    """
    eps = check_probability("eps", eps)
    delta = check_probability("delta", delta)
    if not looks or any(check_int("looks", t, low=1) <= s for s, t in
                        zip((0, *looks[:-1]), looks, strict=True)):
        raise ValueError(f"looks must be increasing positive draw counts, got {looks!r}")
    confidence = 1.0 - delta / len(looks)
    errors, done = 0, 0
    lo, hi = 0.0, 1.0
    for t in looks:
        got = count_errors(done, t)
        if not 0 <= got <= t - done:
            raise ValueError(f"count_errors returned {got} errors among {t - done} draws")
        errors, done = errors + got, t
        lo, hi = clopper_pearson(errors, done, confidence)
        if hi <= eps:
            return ErrorDecision(errors, done, False, eps, (lo, hi), REACHED)
        if lo > eps:
            return ErrorDecision(errors, done, False, eps, (lo, hi), NOT_REACHED)
    return ErrorDecision(errors, done, False, eps, (lo, hi), UNDECIDED)
