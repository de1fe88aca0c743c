"""The verdict rows of the scaling law, one rule each, on what Section 6 says.

- :func:`growth_row` ("grows slower", claim :data:`CLAIM`): the difference of exponents
  ``b_FC - b_CNN`` with its paired percentile bootstrap interval over seeds (level
  :data:`~verify.claims.sample_complexity.law.LEVEL`): *demonstrated* when the interval lies above
  0, *refuted* when it lies below 0, *undecided* otherwise. The trend test of ``log(ratio)``
  against ``log d`` (Student t) is reported beside it as a cross-check, and does not decide.
- :func:`level_row` ("needs fewer samples at every d", claim :data:`CLAIM_LEVEL`): at each ``d``
  the exact one-sided sign test over seeds of ``m_eps(CNN) < m_eps(FC)``, with Holm's procedure
  over the ``d`` at level :data:`ALPHA` (for each direction): *demonstrated* when it rejects at
  every ``d``, *refuted* when the opposite test rejects at some ``d``, *undecided* otherwise.
- :func:`bound_row` ("the exponent is at most the bound's", claim :data:`CLAIM_BOUNDS`): the
  measured exponent against 1 (the CNN, Theorem 5.1: ``O(d)``) or ``2r`` (a fully connected
  learner, Section 6: ``O(d^{2r})``): *demonstrated* when the interval lies below the bound's
  exponent, *refuted* when it lies above, *undecided* when it holds it; and whether the bound is
  tight in ``d`` (the interval holds the bound's exponent) or not (it lies below).

Every row carries ``details["part"]`` (the part of the statement it tests) and its slack with one
meaning: positive inside the statement, in its units (an exponent of ``d``, or a success rate),
``kind`` named: ``effect`` with its interval (``decision["effect_interval"]``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from verify._validate import check_int
from verify.claims.sample_complexity.law import LEVEL, REPLICATES, filled
from verify.claims.sample_complexity.rules import (
    holm,
    interval_decision,
    paired_bootstrap_difference,
    sign_test_decision,
    trend_interval,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.sequential import DEMONSTRATED, REFUTED, UNDECIDED
from verify.rng import seed_sequence

__all__ = ["ALPHA", "BOUND_EXPONENT", "CLAIM", "CLAIM_BOUNDS", "CLAIM_LEVEL", "PARTS",
           "bound_row", "growth_row", "level_row", "part"]

CLAIM = "Sample complexity (scaling law)"
CLAIM_LEVEL = "Sample complexity (fewer samples at every d)"
CLAIM_BOUNDS = "Sample complexity (exponents against the bounds)"
ALPHA = 0.01
PARTS = {"growth": "m_eps(FC) / m_eps(CNN) grows with d (exponent difference > 0)",
         "level": "m_eps(CNN) < m_eps(FC) at every d",
         "CNN": "the CNN's exponent is at most 1 (Theorem 5.1: O(d))",
         "FC": "a fully connected learner's exponent is at most 2r (Section 6: O(d^{2r}))"}
"""The parts of the statements; a row tests one of them at one ``r`` (:func:`part`)."""


def part(kind: str, r: int) -> str:
    """The part a row of ``kind`` (a key of :data:`PARTS`) at ``r`` tests: its words and ``n``.

    Examples
    --------
    >>> part("level", 2)
    'm_eps(CNN) < m_eps(FC) at every d, n = d^2'
    """
    return f"{PARTS[kind]}, n = d^{r}"
BOUND_EXPONENT = {"CNN": "Theorem 5.1: O(d)",
                  "SVM": "Section 6 with Proposition 6.1: O(||w_hat||^2 R^2) = O(2n^2)",
                  "MLP": "Section 6: the FC-network bound of Brutzkus et al. (2018), "
                         "O(||w*||^2 R^2), proved for another training algorithm"}


def _verdict(status: str) -> Verdict:
    """A refuted decision fails; any other is judged by its decision (an undecided one is
    "consistent: not refuted", never "holds")."""
    return Verdict.FAILS if status == REFUTED else Verdict.HOLDS


def _span(ds: Sequence[int]) -> str:
    return f"d = {ds[0]}..{ds[-1]}" if list(ds) == list(range(ds[0], ds[-1] + 1)) else \
        "d in " + ", ".join(map(str, ds))


def growth_row(fc: str, r: int, cnn: Mapping[int, Sequence[int | None]],
               other: Mapping[int, Sequence[int | None]], *, seed: int,
               params: dict[str, Any], reproduce: str) -> Evidence:
    """"The CNN's ``m_eps`` grows slower than ``fc``'s" at ``r`` over the ``d`` both ran."""
    ds = sorted(set(cnn) & set(other))
    a = filled({d: cnn[d] for d in ds}, r)
    b = filled({d: other[d] for d in ds}, r)
    ss = seed_sequence(seed, "sample-complexity", "difference", fc, r)
    diff, lo, hi = paired_bootstrap_difference(ds, a, b, seed_seq=ss, replicates=REPLICATES,
                                               level=LEVEL)
    status = interval_decision(lo, hi, 0.0, claim="above")
    t_slope, t_lo, t_hi = trend_interval(ds, a, b, level=LEVEL)
    reason = {REFUTED: f"the {fc}'s m_eps grows significantly slower than the CNN's",
              UNDECIDED: f"undecided: the {LEVEL:.0%} interval [{lo:.3g}, {hi:.3g}] of the "
                         "exponent difference holds 0",
              DEMONSTRATED: ""}[status]
    decision = {
        "status": status, "level": round(1 - LEVEL, 12),
        "test": f"paired percentile bootstrap over seeds ({REPLICATES} replicates) of "
                "b_FC - b_CNN, the difference of the least-squares exponents of the geometric "
                "means; demonstrated when the two-sided interval lies above 0, refuted when "
                "below",
        "trials": len(a[0]), "unit": "seeds per d", "observed": diff, "claimed": 0.0,
        "effect": diff, "effect_interval": [lo, hi]}
    details = {"part": part("growth", r), "decision": decision,
               "slack": "effect = b_FC - b_CNN (exponents of d; positive: inside)",
               "trend_test": {"slope": t_slope, "interval": [t_lo, t_hi],
                              "test": "least squares of per-seed log(m_FC / m_CNN) on log d, "
                                      f"Student-t {LEVEL:.0%} interval (a cross-check)",
                              "status": interval_decision(t_lo, t_hi, 0.0, claim="above")}}
    return Evidence(
        CLAIM, f"the CNN's m_eps grows slower in d than the {fc}'s (n = d^{r}, {_span(ds)})",
        _verdict(status), diff, 0.0, diff, "effect", 0.0, {**params, "fc": fc, "r": r},
        {}, reason, details, reproduce, strength=Strength.STATISTICAL)


def level_row(fc: str, r: int, cnn: Mapping[int, Sequence[int | None]],
              other: Mapping[int, Sequence[int | None]], *, params: dict[str, Any],
              reproduce: str, looks: int = 1) -> Evidence:
    """"The CNN needs fewer samples than ``fc`` at every ``d``" at ``r``: per-``d`` sign tests,
    Holm over ``d``. With ``looks > 1`` (seeds added at a ``d`` in up to ``looks`` rounds while
    it is undecided, :data:`~verify.claims.sample_complexity.SEED_ROUNDS`), each p-value is
    multiplied by ``looks`` (Bonferroni over the rounds: valid whatever the stopping rule)
    before Holm's procedure."""
    looks = check_int("looks", looks, low=1)
    ds = sorted(set(cnn) & set(other))
    tests = {d: sign_test_decision(cnn[d], other[d], alpha=ALPHA) for d in ds}
    demo = holm([min(1.0, looks * float(tests[d]["p_value"])) for d in ds], ALPHA)
    refute = holm([min(1.0, looks * float(tests[d]["p_value_opposite"])) for d in ds], ALPHA)
    per_d = {}
    for d, yes, no in zip(ds, demo, refute, strict=True):
        t = tests[d]
        per_d[str(d)] = {"cnn_fewer": f"{t['successes']}/{t['trials']}", "ties": t["ties"],
                         "p": t["p_value"], "p_opposite": t["p_value_opposite"],
                         "status": DEMONSTRATED if yes else REFUTED if no else UNDECIDED}
    statuses = [v["status"] for v in per_d.values()]
    status = (REFUTED if REFUTED in statuses else
              DEMONSTRATED if all(s == DEMONSTRATED for s in statuses) else UNDECIDED)
    worst = min(ds, key=lambda d: (tests[d]["observed_rate"], -tests[d]["p_value"]))
    w = tests[worst]
    open_ds = [d for d in ds if per_d[str(d)]["status"] != DEMONSTRATED]
    reason = {REFUTED: "the CNN needs significantly not fewer samples at d = " + ", ".join(
                  k for k, v in per_d.items() if v["status"] == REFUTED),
              UNDECIDED: "undecided at d = " + ", ".join(map(str, open_ds)),
              DEMONSTRATED: ""}[status]
    decision = {
        "status": status, "level": ALPHA,
        "test": "exact one-sided sign test over seeds at each d (ties count against the CNN), "
                f"p-values times {looks} (Bonferroni over the rounds of seeds), Holm's "
                f"step-down over the {len(ds)} values of d for each direction",
        "trials": w["trials"], "unit": "seeds per d", "observed": w["observed_rate"],
        "claimed": 0.5, "effect": w["effect"], "effect_interval": w["effect_interval"],
        "power": w["power"], "alternative": w["alternative"]}
    details = {"part": part("level", r), "decision": decision, "per_d": per_d,
               "slack": f"effect at the worst d ({worst}): the fraction of seeds where the CNN "
                        "needs fewer samples, minus 1/2 (positive: inside)"}
    return Evidence(
        CLAIM_LEVEL, f"the CNN needs fewer samples than the {fc} at every d (n = d^{r}, "
                     f"{_span(ds)})", _verdict(status), w["observed_rate"], 0.5, w["effect"],
        "effect", 0.0, {**params, "fc": fc, "r": r}, {}, reason, details, reproduce,
        strength=Strength.STATISTICAL)


def bound_row(lr: str, r: int, law: Mapping[str, Any], *, params: dict[str, Any],
              reproduce: str) -> Evidence:
    """"``lr``'s exponent is at most its bound's" (1 for the CNN, ``2r`` otherwise) at ``r``,
    from :func:`~verify.claims.sample_complexity.law.fit_law`'s ``law``."""
    bound = 1.0 if lr == "CNN" else 2.0 * r
    b = float(law["exponent"])
    lo, hi = (float(x) for x in law["interval"])
    ds = sorted(int(d) for d in law["m_eps"])
    status = interval_decision(lo, hi, bound, claim="at most")
    if status == DEMONSTRATED:
        tight = (f"not tight in d: m_eps grows slower than d^{bound:g} (the {LEVEL:.0%} "
                 f"interval of the exponent ends at {hi:.3g})")
    elif status == UNDECIDED:
        tight = f"tight in d: the interval holds the bound's exponent {bound:g}"
    else:
        tight = f"exceeded: the exponent is above {bound:g} over {_span(ds)}"
    details: dict[str, Any] = {
        "part": part("CNN" if lr == "CNN" else "FC", r),
        "decision": {"status": status, "level": round(1 - LEVEL, 12),
                     "test": "percentile bootstrap over seeds of the least-squares exponent of "
                             "the geometric means; demonstrated when the two-sided interval "
                             "lies below the bound's exponent, refuted when above",
                     "trials": len(next(iter(law["m_eps"].values()))), "unit": "seeds per d",
                     "observed": b, "claimed": f"<= {bound:g}", "effect": bound - b,
                     "effect_interval": [bound - hi, bound - lo]},
        "slack": f"effect = {bound:g} - b (the bound's exponent minus the measured one; "
                 "positive: inside)",
        "tight_in_d": tight, "bound": BOUND_EXPONENT[lr],
        "exponent_interval": [lo, hi], "censored_seeds": law["censored"]}
    if lr == "CNN":
        details["flat_in_d"] = (
            f"an exponent of 0 is inside [{lo:.3g}, {hi:.3g}]: over {_span(ds)} the CNN's "
            "m_eps does not grow measurably with d; Theorem 5.1's O(d) is an upper bound that "
            "is loose in d here, and the CNN's advantage over the fully connected learners "
            "comes from their growth alone"
            if interval_decision(lo, hi, 0.0, claim="above") == UNDECIDED else
            f"the CNN's m_eps grows with d: exponent {b:.3g} ({lo:.3g} to {hi:.3g})"
            if lo > 0.0 else f"the CNN's m_eps decreases with d: exponent {b:.3g} ({lo:.3g} to "
                             f"{hi:.3g})")
    reason = {REFUTED: f"the {lr}'s exponent {b:.3g} is significantly above {bound:g}",
              UNDECIDED: f"undecided: the interval [{lo:.3g}, {hi:.3g}] holds {bound:g}",
              DEMONSTRATED: ""}[status]
    return Evidence(
        CLAIM_BOUNDS, f"the {lr}'s exponent of d in m_eps is at most {bound:g} (n = d^{r}, "
                      f"{_span(ds)})", _verdict(status), b, bound, bound - b, "effect", 0.0,
        {**params, "learner": lr, "r": r}, {}, reason, details, reproduce,
        strength=Strength.STATISTICAL)
