"""The event of Eq. 14 (proof of Lemma C.3): ``|S_1+| >= m_1/3`` and ``|S_1-| >= m_1/3``, claimed
to hold with probability at least ``1 - 4e^{-m/36}``.

(The text prints ``|S_1+|/m_1, |S_1-|/m_1 >= m_1/3``; the proof uses the counts, as
:func:`verify.model.distribution.balanced_event` does.)

Exact law: the labels of D are iid fair signs, so ``|S_1+| ~ Bin(m_1, 1/2)`` with ``m_1 =
ceil(m/2)``, and the event fails iff ``3|S_1+| < m_1`` or ``3|S_1+| > 2 m_1``; by symmetry
``P(fail) = 2 P(Bin(m_1, 1/2) <= floor((m_1 - 1)/3))`` (:func:`exact_failure_probability`).
Hoeffding on each side gives ``e^{-2 m_1 (1/6)^2} = e^{-m_1/18} <= e^{-m/36}``, so the union bound
gives ``2e^{-m/36}`` (:func:`hoeffding_bound`): the paper's ``4e^{-m/36}`` is true but loose by a
factor 2 (:func:`errata`). The claim is vacuous (bound >= 1) for ``m <= 49``.

The Monte Carlo (:func:`check_event_14`) draws the labels through the library's sampler
:func:`verify.model.distribution.sample`, so it also checks the sampler against the exact law.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
from scipy import stats as _st

from verify._validate import check_int, check_probability, check_seed, check_size
from verify.claims._parts import EQ14_EXACT, EQ14_SAMPLER, exact
from verify.claims._statistical_rows import failure_rate_decision
from verify.evidence import Erratum, Evidence, Strength, Verdict, verdict_from_slack
from verify.evidence.certified import certify_event_14
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, only, tightened
from verify.evidence.stats import binomial_test, rejection_probability, two_sided_binomial_test
from verify.evidence.sweep_spec import Grid, SweepSpec, product
from verify.model.distribution import balanced_event, sample, split
from verify.model.setting import Setting
from verify.rng import generator

__all__ = [
    "ALPHA",
    "CHUNK_TRIALS",
    "CLAIM",
    "DECLARATION",
    "STATEMENT",
    "LabelSampler",
    "check_event_14",
    "check_event_14_exact",
    "check_setting",
    "claimed_bound",
    "errata",
    "event_14_failures",
    "event_14_grid",
    "exact_failure_probability",
    "exact_failure_probability_by_enumeration",
    "hoeffding_bound",
    "report_checks",
]

ALPHA = 1e-9
"""Default level of every exact test here (false-alarm probability per decision)."""

CHUNK_TRIALS = 1000
"""Trials per random stream ``(seed, "eq-14", n, l, m, chunk)``."""

CLAIM = "Eq. 14"
STATEMENT = "P(|S_1+| >= m_1/3 and |S_1-| >= m_1/3) >= 1 - 4e^{-m/36} (Eq. 14, proof of Lemma C.3)"

LabelSampler = Callable[[int, int, int, np.random.Generator], tuple[np.ndarray, np.ndarray]]
"""Same signature as :func:`verify.model.distribution.sample`: ``(n, l, m, rng) -> (idx, y)``."""


NONVACUOUS_FROM_M = 50
"""The smallest ``m`` with ``4e^{-m/36} < 1`` (``36 ln 4 = 49.9``): Eq. 14's bound says nothing
below it."""


def claimed_bound(m: int) -> float:
    """``4 e^{-m/36}``: the failure probability Eq. 14's proof claims."""
    m = check_int("m", m, low=1)
    return 4.0 * math.exp(-m / 36.0)


def hoeffding_bound(m: int) -> float:
    """``2 e^{-m/36}``: what Hoeffding (each side ``e^{-m_1/18} <= e^{-m/36}``) and the union
    bound over the two sides actually give."""
    m = check_int("m", m, low=1)
    return 2.0 * math.exp(-m / 36.0)


def exact_failure_probability(m: int) -> float:
    """``P(3|S_1+| < m_1 or 3|S_1-| < m_1)`` with ``|S_1+| ~ Bin(m_1, 1/2)``, ``m_1 = ceil(m/2)``.

    Examples
    --------
    >>> exact_failure_probability(1)  # m_1 = 1: one of the two sides is empty
    1.0
    """
    m = check_size("m", m, low=1, high=2**53, why="the binomial law is evaluated in float64")
    m1 = math.ceil(m / 2)
    low = float(_st.binom.cdf((m1 - 1) // 3, m1, 0.5))  # 3X < m1
    high = float(_st.binom.sf((2 * m1) // 3, m1, 0.5))  # 3X > 2 m1
    return min(1.0, low + high)


def exact_failure_probability_by_enumeration(m: int) -> float:
    """The same probability by brute force: :func:`verify.model.distribution.balanced_event` on
    every one of the ``2^{m_1}`` label vectors of ``S_1`` (an independent check; ``m_1 <= 20``)."""
    m = check_int("m", m, low=1)
    m1 = math.ceil(m / 2)
    if m1 > 20:
        raise ValueError(f"m must give m_1 = ceil(m/2) <= 20 for enumeration, got m_1 = {m1}")
    bad = 0
    for code in range(2**m1):
        y = np.where((code >> np.arange(m1)) & 1, 1.0, -1.0)
        bad += not balanced_event(y)
    return bad / 2**m1


def event_14_failures(
    m: int,
    trials: int,
    seed: int,
    *,
    n: int = 1,
    l: int = 3,
    sampler: LabelSampler | None = None,
) -> int:
    """How many of ``trials`` independent training sets of size ``m`` (drawn with
    :func:`verify.model.distribution.sample`, or ``sampler``) miss the event of Eq. 14 on
    ``S_1``."""
    m = check_int("m", m, low=1)
    trials = check_int("trials", trials, low=1)
    seed = check_seed("seed", seed)
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    if sampler is None:
        sampler = sample
    elif not callable(sampler):
        raise ValueError(f"sampler must be callable or None, got {type(sampler).__name__}")
    s1, _ = split(m)
    bad = 0
    for chunk in range(-(-trials // CHUNK_TRIALS)):
        rng = generator(seed, "eq-14", n, l, m, chunk)
        for _ in range(min(CHUNK_TRIALS, trials - chunk * CHUNK_TRIALS)):
            _, y = sampler(n, l, m, rng)
            bad += not balanced_event(np.asarray(y)[s1])
    return bad


def _reproduce(fn: str, args: str) -> str:
    return f"python -c 'from verify.claims.event_14 import {fn}; print({fn}({args}).summary())'"


def check_event_14(
    m: int,
    *,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = ALPHA,
    n: int = 1,
    l: int = 3,
    sampler: LabelSampler | None = None,
) -> Evidence:
    """Monte Carlo check of Eq. 14's probability at sample size ``m``.

    Two exact tests at level ``alpha`` on the failure count over ``trials`` training sets: the
    claim (one-sided, ``H0: P(fail) <= min(1, 4e^{-m/36})``) and consistency with
    :func:`exact_failure_probability` (two-sided; checks the sampler). Verdict ``fails`` if the
    claim is rejected, or if the count is inconsistent with the exact law (reason says which),
    or if the exact probability itself exceeds the bound; else ``holds``.

    The row is statistical: ``details["decision"]`` decides "P(Eq. 14) >=
    1 - 4e^{-m/36}" (:func:`verify.claims._statistical_rows.failure_rate_decision`; any FAILS
    above makes it refuted), the slack is the effect ``bound - failure rate`` and the p-value is
    ``details["p_value"]``. For ``m < 50`` the bound is >= 1: vacuous, with
    ``details["nonvacuous_from"]``.
    """
    m = check_int("m", m, low=1)
    trials = check_int("trials", trials, low=1)
    seed = check_seed("seed", seed)
    alpha = check_probability("alpha", alpha)
    failures = event_14_failures(m, trials, seed, n=n, l=l, sampler=sampler)
    bound = claimed_bound(m)
    p0 = min(bound, 1.0)
    exact = exact_failure_probability(m)
    claim = binomial_test(failures, trials, p0, alpha)
    consistency = two_sided_binomial_test(failures, trials, exact, alpha)
    if claim.rejected:
        verdict, reason = Verdict.FAILS, (
            f"failure rate {claim.rate:.4g} significantly above 4e^(-m/36) = {bound:.4g} "
            f"(p = {claim.p_value:.3g} < {alpha:g})"
        )
    elif consistency.rejected:
        verdict, reason = Verdict.FAILS, (
            f"failure count {failures}/{trials} inconsistent with the exact probability "
            f"{exact:.4g} (two-sided p = {consistency.p_value:.3g}): the sampler is wrong"
        )
    elif exact > bound:
        verdict, reason = Verdict.FAILS, f"exact failure probability {exact:.4g} > {bound:.4g}"
    else:
        verdict, reason = Verdict.HOLDS, ""
    decision = failure_rate_decision(failures, trials, bound, alpha).as_dict()
    if verdict is Verdict.FAILS and decision["status"] != "refuted":
        decision = {**decision, "status": "refuted", "refuted_by": reason}
    strength = Strength.STATISTICAL
    extra: dict[str, object] = {}
    if decision["status"] == "vacuous":
        strength = Strength.VACUOUS
        extra["nonvacuous_from"] = f"m >= {NONVACUOUS_FROM_M} (4e^(-m/36) >= 1 below)"
    return Evidence(
        claim=CLAIM,
        statement=STATEMENT,
        verdict=verdict,
        observed=claim.rate,
        bound=bound,
        slack=decision["effect"],
        slack_kind="effect",
        tolerance=0.0,
        params={"m": m, "n": n, "l": l, "trials": trials, "seed": seed, "alpha": alpha},
        assumptions={},
        reason=reason,
        details={
            "decision": decision,
            "p_value": claim.p_value,
            "consistency_p_value": consistency.p_value,
            "effect": decision["effect"],
            "effect_interval": decision["effect_interval"],
            **extra,
            "m1": math.ceil(m / 2),
            "claim_test": claim.as_dict(),
            "vacuous": bound >= 1.0,
            "exact_failure_probability": exact,
            "hoeffding_bound_2e^(-m/36)": hoeffding_bound(m),
            "consistency_with_exact": consistency.as_dict(),
            "power_if_rate_were_bound_x2": (
                rejection_probability(trials, p0, alpha, min(1.0, 2 * p0)) if p0 < 1 else 0.0
            ),
            "sampler": "verify.model.distribution.sample" if sampler is None else "custom sampler",
        },
        reproduce=_reproduce(
            "check_event_14",
            f"{m}, trials={trials}, seed={seed}, alpha={alpha!r}, n={n}, l={l}",
        ),
        strength=strength,
    )


def check_event_14_exact(m: int) -> Evidence:
    """Exact check of Eq. 14's probability at ``m``: :func:`exact_failure_probability` against
    ``4e^{-m/36}`` (slack = bound - exact, tolerance 1e-9 relative to the bound); ``details``
    also compares it with Hoeffding's ``2e^{-m/36}``."""
    m = check_int("m", m, low=1)
    exact = exact_failure_probability(m)
    bound = claimed_bound(m)
    tol = 1e-9 * bound
    slack = bound - exact
    verdict = verdict_from_slack(slack, tol)
    return Evidence(
        claim=CLAIM,
        statement=STATEMENT,
        verdict=verdict,
        observed=exact,
        bound=bound,
        slack=slack,
        slack_kind="difference",
        tolerance=tol,
        params={"m": m, "method": "exact binomial"},
        assumptions={},
        reason="" if verdict is not Verdict.FAILS else f"exact {exact:.4g} > {bound:.4g}",
        details={
            "m1": math.ceil(m / 2),
            "vacuous": bound >= 1.0,
            "hoeffding_bound_2e^(-m/36)": hoeffding_bound(m),
            "exact_over_claimed": exact / bound,
            "exact_over_hoeffding": exact / hoeffding_bound(m),
        },
        reproduce=_reproduce("check_event_14_exact", f"{m}"),
    )


def check_setting(setting: Setting) -> Evidence:
    """:func:`check_event_14_exact` at ``setting.m``: the setting-level form the fuzzing
    (:mod:`verify.fuzzing`) calls. Eq. 14's probability depends on ``m`` alone."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    return check_event_14_exact(setting.m)


def event_14_grid(m_values: Iterable[int] = range(1, 401)) -> list[Evidence]:
    """:func:`check_event_14_exact` for every ``m`` in ``m_values``."""
    return [check_event_14_exact(check_int("m_values", m, low=1)) for m in m_values]


def errata() -> list[Erratum]:
    """Eq. 14's constant 4 is loose: the proof's Hoeffding + union bound gives 2 (evidence
    computed now, exactly, for m = 1..2000)."""
    ms = range(1, 2001)
    ratios_h = [exact_failure_probability(m) / hoeffding_bound(m) for m in ms]
    worst = max(range(len(ratios_h)), key=ratios_h.__getitem__)
    return [
        Erratum(
            location="Eq. 14 (proof of Lemma C.3) and Theorem 5.1's 4e^{-m/36}",
            kind="loose",
            text_says="the event holds with probability >= 1 - 4e^{-m/36} (Hoeffding and a union "
            "bound over positive and negative samples)",
            what_is_true="Hoeffding gives P(|S_1+| < m_1/3) <= e^{-m_1/18} <= e^{-m/36} per side, "
            "so the union bound gives 2e^{-m/36}; the exact probability is below that",
            evidence=(
                f"exact / 2e^(-m/36) <= {max(ratios_h):.4g} for m = 1..2000 (largest at m = "
                f"{ms[worst]}); exact at m = 100: {exact_failure_probability(100):.4g}, "
                f"2e^(-m/36) = {hoeffding_bound(100):.4g}, 4e^(-m/36) = {claimed_bound(100):.4g}"
            ),
            found_by="verify.claims.event_14",
        )
    ]


_PROFILES = {
    "quick": {"m_max": 400, "trials": 20_000, "ms": (50, 100, 200)},
    "standard": {"m_max": 2000, "trials": 100_000, "ms": (2, 50, 100, 200, 400)},
    "thorough": {"m_max": 5000, "trials": 500_000, "ms": (2, 3, 50, 51, 100, 200, 400, 1000)},
}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """The exact grid ``m = 1..m_max`` (summarised to the informative rows) and Monte Carlo
    checks through the library's sampler at a few ``m``."""
    if profile not in _PROFILES:
        raise ValueError(f"profile must be one of {sorted(_PROFILES)}, got {profile!r}")
    seed = check_seed("seed", seed)
    cfg = _PROFILES[profile]
    grid = event_14_grid(range(1, cfg["m_max"] + 1))
    # Keep the rows where the bound is not vacuous, thinned, plus the tightest one.
    informative = [e for e in grid if not e.details["vacuous"]]
    keep = informative[:: max(1, len(informative) // 40)]
    tightest = min(informative, key=lambda e: e.slack)
    if tightest not in keep:
        keep.append(tightest)
    keep = [certify_event_14(e) for e in keep]
    out = keep + [
        check_event_14(m, trials=cfg["trials"], seed=seed, n=n, l=l)
        for m, (n, l) in zip(cfg["ms"], [(1, 3), (4, 5), (6, 8)] * 4, strict=False)
    ]
    return out


# ----------------------------------------------------------------------------- sweep (verify.sweep)


def _sweep(params: dict[str, object], seed: int) -> Evidence:
    return check_event_14(int(params["m"]), trials=1, seed=seed, n=int(params["n"]),
                          l=int(params["l"]))


def _sweep_exact(params: dict[str, object], seed: int) -> Evidence:
    """The exact row, certified (exact rational against an arb enclosure of the bound, strength
    ``proved``) when the ``certify`` extra is installed."""
    return certify_event_14(check_event_14_exact(int(params["m"])))


def _sweep_event(ev: Evidence) -> bool:
    return ev.details["claim_test"]["failures"] == 0


def _sweep_probability(params: dict[str, object]) -> float:
    return 1.0 - claimed_bound(int(params["m"]))


_MS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
SWEEP = (
    SweepSpec(
        CLAIM,
        {"quick": Grid(product(m=_MS, n=(3,), l=(3,)), 200),
         "standard": Grid(product(m=_MS, n=(3, 10), l=(3, 10)), 1000),
         "thorough": Grid(product(m=_MS, n=(3, 10, 20), l=(3, 10, 20)), 2000)},
        _sweep, event=_sweep_event, probability=_sweep_probability, batch=100,
        note="one training set per seed (verify.model.distribution.sample); the law depends on "
        "m only",
    ),
    SweepSpec(
        CLAIM + " (exact)",
        {"quick": Grid(product(m=tuple(range(1, 401))), 1),
         "standard": Grid(product(m=tuple(range(1, 2001))), 1),
         "thorough": Grid(product(m=tuple(range(1, 5001))), 1)},
        _sweep_exact, batch=500, note="exact binomial law against 4e^(-m/36), every m",
    ),
)


DECLARATION = ClaimDeclaration(
    key="event-14",
    title="Event of Eq. 14 (balanced S_1)",
    names=(CLAIM,),
    statement="|S1+|, |S1-| >= m1/3 with probability >= 1 - 4e^{-m/36}.",
    location="Section 5, Eq. 14 (proof of Theorem 5.1)",
    assumptions=(),
    checkers=(check_event_14, check_event_14_exact, check_setting),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    parts=(EQ14_EXACT, EQ14_SAMPLER),
    controls=(
        Control('failure probability <= 0.4 e^{-m/36} (the bound divided by 10)',
                only(exact, tightened(10)),
                why='the exact failure probability exceeds a tenth of the bound at small m'),
    ),
)
