"""What every claim checker returns: the evidence for one claim in one regime.

A checker never prints a bare pass/fail: it returns an :class:`Evidence` with the observed value,
the bound, the slack, a :class:`Verdict`, the named assumptions and whether each held, and what
reproduces it (the parameters and the seed). ``properties/`` asserts on it and ``verify.report``
renders it; neither re-implements the claim.
"""

from __future__ import annotations

import enum
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

__all__ = ["Erratum", "Evidence", "Strength", "Verdict", "verdict_from_slack"]


class Verdict(str, enum.Enum):
    """Outcome of checking one claim in one regime."""

    HOLDS = "holds"
    FAILS = "fails"
    BOUNDARY = "boundary"  # within the stated floating-point tolerance of the bound
    NOT_APPLICABLE = "not applicable"  # an assumption or conditioning event fails; see reason
    NOT_TESTED = "not tested"  # the test cannot reach its level (too few repeats); see reason


class Strength(str, enum.Enum):
    """How strongly one piece of evidence shows its verdict.

    ``PROVED``: exact rational or interval arithmetic, or a checked certificate, decides the
    inequality. ``COMPUTED``: floating point, checked at every step and filter, with a stated
    tolerance. ``STATISTICAL``: a test at a stated level, with its power against a stated
    alternative (a "holds" is *demonstrated* only when the one-sided lower confidence bound on
    the success rate reaches the claimed probability, :mod:`verify.evidence.sequential`).
    ``VACUOUS``: the bound cannot fail at the sizes run (a probability bound <= 0, an error bound
    >= 1, a bound above the quantity's largest possible value). ``NOT_TESTED``: nothing decided.
    """

    PROVED = "proved"
    COMPUTED = "computed"
    STATISTICAL = "statistical"
    VACUOUS = "vacuous"
    NOT_TESTED = "not tested"


def verdict_from_slack(slack: float, tol: float) -> Verdict:
    """``slack > tol``: holds; ``|slack| <= tol``: boundary; ``slack < -tol``: fails.

    ``slack`` is signed so that positive means room to spare (``bound - observed`` for an upper
    bound, ``observed - bound`` for a lower bound)."""
    if math.isnan(slack):
        return Verdict.FAILS
    if slack > tol:
        return Verdict.HOLDS
    if slack >= -tol:
        return Verdict.BOUNDARY
    return Verdict.FAILS


def _plain(value: Any) -> Any:
    """Convert NumPy scalars and arrays (recursively) to JSON-ready Python values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


@dataclass(frozen=True)
class Evidence:
    """Evidence for one claim in one regime.

    Attributes
    ----------
    claim
        The paper's name for the claim, e.g. ``"Lemma 5.2"``.
    statement
        The claim in one line.
    verdict
        See :class:`Verdict`.
    observed, bound
        The worst observed value and the bound it is compared with.
    slack
        Signed room to spare: positive holds, negative fails (see ``slack_kind``).
    slack_kind
        ``"difference"`` or ``"ratio"`` (``bound / observed`` for upper bounds), or
        ``"p-value"`` for statistical checks.
    tolerance
        The floating-point tolerance the verdict allows at the boundary.
    params
        Everything that reproduces the run, including ``seed``.
    assumptions
        ``{assumption name: held}``.
    reason
        Why the verdict is ``NOT_APPLICABLE``, ``NOT_TESTED`` or ``FAILS``, in words.
    details
        Further evidence: per-step worst values, statistical tests, counts.
    reproduce
        A command or Python snippet that reproduces this evidence.
    holds_under
        Set on a failure that lies inside the claim's stated assumptions but outside a condition
        its proof uses and its statement omits (a missing assumption): that condition, in words,
        under which the claim is shown to hold (e.g. ``"l = d"``). The report's Summary then
        reads "fails as stated; holds under <condition>" (see
        :func:`verify.report.document.claim_summary`). Empty otherwise.
    strength
        How strongly the verdict is shown (:class:`Strength`); ``None`` when the checker does
        not state it.
    """

    claim: str
    statement: str
    verdict: Verdict
    observed: float
    bound: float
    slack: float
    slack_kind: str = "difference"
    tolerance: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    assumptions: dict[str, bool] = field(default_factory=dict)
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    reproduce: str = ""
    holds_under: str = ""
    strength: Strength | None = None

    @property
    def holds(self) -> bool:
        return self.verdict in (Verdict.HOLDS, Verdict.BOUNDARY)

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True)

    def summary(self) -> str:
        """One line, suitable for an assertion message: verdict, values and how to reproduce."""
        return (
            f"{self.claim}: {self.verdict.value} (observed {self.observed:.6g}, bound "
            f"{self.bound:.6g}, slack {self.slack:.3g} [{self.slack_kind}]"
            f"{'; ' + self.reason if self.reason else ''}); params {self.params}; "
            f"reproduce: {self.reproduce}"
        )


@dataclass(frozen=True)
class Erratum:
    """A place where the paper's text is wrong, or a proof step does not follow as written.

    ``kind`` is one of ``"typo"`` (the intended statement is clear), ``"false-step"`` (a step does
    not follow as written though the conclusion may hold), ``"false-claim"`` (the stated claim is
    false in some regime of the setting), ``"missing-assumption"`` (the proof uses an assumption
    that the statement omits) or ``"loose"`` (true, but the constant is not the right one).
    ``evidence`` says what shows it: a checker's Evidence summary, an algebra check, or both.
    """

    location: str
    kind: str
    text_says: str
    what_is_true: str
    evidence: str = ""
    found_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))
