"""A stand-in checker module for the report's own tests: deterministic in the seed, fast."""

from __future__ import annotations

from verify.evidence import Evidence, Verdict, verdict_from_slack
from verify.evidence.claim import ClaimDeclaration
from verify.rng import generator

FAIL = False  # tests flip it to see the report fail
INTERRUPT = False  # tests flip it to simulate Ctrl-C


def report_checks(profile: str, seed: int) -> list[Evidence]:
    if INTERRUPT:
        raise KeyboardInterrupt
    x = float(generator(seed, "fake").random())
    bound = 2.0 if not FAIL else -1.0  # x is in [0, 1)
    slack = bound - x
    return [
        Evidence(
            claim="Fake claim",
            statement="x <= bound",
            verdict=verdict_from_slack(slack, 1e-12),
            observed=x,
            bound=bound,
            slack=slack,
            params={"seed": seed, "profile": profile},
            assumptions={"always": True},
            details={"plot": {"title": "fake", "series": [{"label": "x", "x": [0, 1],
                                                           "y": [0, x]}]}},
            reproduce=f"report_checks({profile!r}, {seed})",
        ),
        Evidence(
            claim="Fake claim",
            statement="outside",
            verdict=Verdict.NOT_APPLICABLE,
            observed=float("nan"),
            bound=0.0,
            slack=float("nan"),
            assumptions={"always": False},
            reason="an assumption fails",
        ),
    ]


def _report_checks(profile: str, seed: int) -> list[Evidence]:
    """Looks ``report_checks`` up at call time, so that tests can replace it."""
    return report_checks(profile, seed)


DECLARATION = ClaimDeclaration(
    key="fake",
    title="Fake section",
    names=("Fake claim",),
    statement="x <= bound",
    location="nowhere (a test stand-in)",
    assumptions=("always",),
    checkers=(report_checks,),
    report_checks=_report_checks,
)
