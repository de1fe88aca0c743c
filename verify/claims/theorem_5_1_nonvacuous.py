"""Theorem 5.1, part (2), where its explicit bound says something.

Part (2) of Theorem 5.1 (Section 5; proof in Appendix E) made explicit is
``err(a_hat) <= 2 sqrt(51200 d / m2) + sqrt(2 ln(2/delta) / m2)`` with probability ``>= 1 -
delta`` (:func:`~verify.claims.theorem_5_1.margin_bound` with the proof's ``q = 51200 d``). It
is below 1 only from :func:`~verify.claims.theorem_5_1.smallest_nonvacuous_m2` on (618,666 at
``d = 3``). Training sets that large are drawn by their class counts
(:mod:`verify.model.class_counts`: exact in distribution), the first layer runs on the counts,
the second layer's limit ``a_hat`` is the max-margin separator of the distinct feature vectors
of ``S_2`` and its test error is exact over the enumerated support.

Per ``d``: a VACUOUS row for the ``m2`` where the bound is ``>= 1`` (the errors measured there
are listed), and a row checking ``error <= bound`` at every seed and every ``m2`` where it is
below 1, inside the events the theorem conditions on (Eq. 14 on ``S_1``, Lemma 5.2's Eq. 7 at
initialisation). The bound may fail with probability ``delta`` per run, so failures are judged
by an exact binomial test against ``delta`` (as :func:`~verify.claims.theorem_5_1.check_rate`).

Could that row have failed? ``a_hat`` has margin ``>= 1`` on every distinct row of ``S_2``, so
it classifies every support point whose (feature, label) row ``S_2`` holds: the error of a
separable ``S_2`` is at most the probability mass of the uncovered rows (:func:`coverage`). The
bound is below 1 only from ``m2`` of about ``2.06 10^5 d``; by then ``S_2`` holds all of the
support's 2 (``d = 3``) to 50 (``d = 7``) distinct rows, so the error is 0 by construction and
the row is VACUOUS, with the finding in its reason. It is COMPUTED only when some run's
uncovered mass exceeded the bound. The exact error is 0 at every seed from ``m2 = 16`` on.

Looseness: for ``eps`` in 0.1 and 0.01, the ``m2`` at which the bound certifies
``error <= eps`` against the ``m2`` at which the measured error (mean, and 90% quantile over
seeds) is at most ``eps`` from there on.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from verify._validate import check_int, check_rows, check_seed, check_size
from verify.claims.section_5 import lemma_5_2_event, theorem_setting
from verify.claims.theorem_5_1 import (
    DELTA,
    PART_ERROR,
    PROOF_CONSTANT,
    margin_bound,
    smallest_nonvacuous_m2,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, bound_at
from verify.evidence.stats import binomial_test
from verify.evidence.sweep_spec import Grid, SweepSpec
from verify.model.assumptions import THEOREM_5_1, evaluate
from verify.model.class_counts import (
    draw_counts,
    first_layer_counts,
    limit_by_counts,
    support_with_probabilities,
)
from verify.model.initialisation import initialise
from verify.model.lucky import lucky_filters
from verify.model.network import projections
from verify.model.patterns import haar_patterns
from verify.rng import generator, seed_sequence

__all__ = ["CLAIM", "DECLARATION", "PART", "REGIMES", "atlas_figure", "bound_m2", "check_d",
           "coverage", "run_counts"]

CLAIM = "Theorem 5.1 (non-vacuous bound)"
STATEMENT = ("Limit test error <= 2 sqrt(51200 d/m2) + sqrt(2 ln(2/delta)/m2) w.p. >= 1 - delta, "
             "checked where the bound is below 1")
ALPHA = 1e-3
EPSILONS = (0.1, 0.01)
PART = PART_ERROR
"""The part of Theorem 5.1 these rows test (``details["part"]``); the others are "L2 -> 0"
(:mod:`verify.claims.theorem_5_1`) and "with probability >= ..." (its confidence rows)."""
QUANTILE = 0.9
REGIMES: dict[int, dict[str, int]] = {
    3: {"l": 3, "n": 3, "k": 217, "T1": 2},
    4: {"l": 4, "n": 4, "k": 513, "T1": 2},
    5: {"l": 5, "n": 4, "k": 1001, "T1": 2},
    6: {"l": 6, "n": 4, "k": 1729, "T1": 2},
    7: {"l": 7, "n": 4, "k": 2745, "T1": 2},
}
"""Per ``d``: ``l = d``, ``k = 8d^3 + 1`` (Theorem 5.1's smallest), largest ``eta1`` and ``r``.
The support has 2 (``d = 3``) to 50 (``d = 7``) distinct (feature, label) rows."""
M2S = tuple(4**i for i in range(1, 14))  # 4 .. 2^26
PROFILES = {"quick": {"ds": (3,), "seeds": 5},
            "standard": {"ds": (3, 4, 5, 6, 7), "seeds": 10},
            "thorough": {"ds": (3, 4, 5, 6, 7), "seeds": 40}}


def bound_m2(d: int, eps: float, delta: float = DELTA) -> int:
    """The smallest ``m2`` at which the explicit bound is ``<= eps`` (least integer above
    ``(c/eps)^2``, ``c = 2 sqrt(51200 d) + sqrt(2 ln(2/delta))``, confirmed on both sides)."""
    d = check_int("d", d, low=1)
    if not 0 < eps <= 1:
        raise ValueError(f"eps must be in (0, 1], got {eps!r}")
    q = PROOF_CONSTANT * d
    c = 2 * math.sqrt(q) + math.sqrt(2 * math.log(2 / delta))
    m2 = max(1, math.floor((c / eps) ** 2))
    while margin_bound(q, m2, delta) > eps:
        m2 += 1
    while m2 > 1 and margin_bound(q, m2 - 1, delta) <= eps:
        m2 -= 1
    return m2


def _run_seed(seed: int, d: int, m2: int, rep: int) -> int:
    return int(seed_sequence(seed, "theorem-5.1-nonvacuous", d, m2, rep).generate_state(1)[0])


def coverage(Z_support: object, y: object, counts: object) -> tuple[int, float]:
    """``(distinct, uncovered)``: the number of distinct ``(z(x), y)`` rows over the support of
    D, and the probability mass of the support points whose row is not among ``S_2``'s
    (``counts[u] > 0``). The limit separator ``a_hat`` satisfies ``y z . a_hat >= 1`` on every
    row of ``S_2``, so it classifies every covered point correctly: when ``S_2`` is separable,
    its exact test error is at most ``uncovered``, whatever the network."""
    Z = np.asarray(Z_support, dtype=float)
    y = np.asarray(y, dtype=float)
    counts = np.asarray(counts)
    if Z.ndim != 2 or y.shape != (Z.shape[0],) or counts.shape != y.shape:
        raise ValueError("Z_support, y, counts: one feature row, label and count per support "
                         f"point, got shapes {Z.shape}, {y.shape}, {counts.shape}")
    rows, inverse = np.unique(np.column_stack([Z, y]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    covered = np.zeros(rows.shape[0], dtype=bool)
    covered[inverse[counts > 0]] = True
    return int(rows.shape[0]), float(np.mean(~covered[inverse]))


def run_counts(d: int, m2: int, seed: int) -> dict[str, Any]:
    """One run of LW_CNN at ``d`` (:data:`REGIMES`) with ``m = 2 m2`` samples drawn by class
    counts: the limit's exact test error, the bound, and whether the events hold."""
    d = check_int("d", d, low=3)
    if d not in REGIMES:
        raise ValueError(f"d must be one of {sorted(REGIMES)}, got {d}")
    m2 = check_size("m2", m2, low=1, high=2**62, why="sizes are held in int64")
    seed = check_seed("seed", seed)
    r = REGIMES[d]
    s = theorem_setting(d, r["l"], r["n"], r["k"], 2 * m2, r["T1"], seed)
    O = haar_patterns(s.d, s.l, generator(seed, "patterns"))
    W0, a0 = initialise(s.k, s.d, s.r, generator(seed, "init"))
    plus, minus = lucky_filters(projections(W0, O), a0)
    idx, y, _ = support_with_probabilities(s.n, s.l)
    c1, c2 = draw_counts(s.n, s.l, s.m, generator(seed, "train-counts"))
    first = first_layer_counts(W0, a0, O, idx, y, c1, eta1=s.eta1, T1=s.T1)
    lim = limit_by_counts(first.P, idx, y, c2)
    distinct_support, uncovered = coverage(lim.Z_support, y, c2)
    pos1 = int(c1[y > 0].sum())
    m1 = int(c1.sum())
    events = (3 * pos1 >= m1 and 3 * (m1 - pos1) >= m1
              and lemma_5_2_event(d, s.k, int(plus.sum()), int(minus.sum()))["both"])
    return {"error": 0.5 if lim.error is None else lim.error, "separable": lim.error is not None,
            "bound": margin_bound(PROOF_CONSTANT * d, m2), "events": bool(events),
            "distinct": lim.distinct, "distinct_support": distinct_support,
            "uncovered_mass": uncovered, "setting": s}


def _first_from(m2s: list[int], values: list[float], eps: float) -> int | None:
    """The smallest ``m2`` from which every value is ``<= eps``."""
    for i, m in enumerate(m2s):
        if all(v <= eps for v in values[i:]):
            return m
    return None


def _cannot_fail_reason(d: int, inside: list[dict[str, Any]], rows: list[dict[str, Any]],
                        m_star: int) -> str:
    """The finding, in words, when no run inside the events could have failed: the uncovered
    mass (an upper bound on the error, :func:`coverage`) is within the bound at every run."""
    zero_from = _first_from([r["m2"] for r in rows], [r["max_error"] for r in rows], 0.0)
    distinct = max(r["distinct_support"] for r in inside)
    zero = ("the exact limit error is 0 at every seed from m2 = "
            f"{zero_from:,} on" if zero_from is not None else "the exact limit error is not 0 "
            "at every seed at any size run")
    return (f"cannot fail here: the explicit bound first says something (< 1) at m2 = "
            f"{m_star:,} = {m_star / d:.3g} d; at every run from there S_2 holds every one of the "
            f"support's {distinct} distinct (feature, label) rows (largest uncovered mass "
            f"{max(r['uncovered_mass'] for r in inside):.3g}), so the limit separator "
            f"classifies the whole support and its error is 0 by construction, below any "
            f"positive bound; {zero}, long before")


def check_d(d: int, *, m2s: tuple[int, ...] = M2S, seeds: int, seed: int) -> list[Evidence]:
    """The two rows for one ``d``: VACUOUS (``m2`` below the non-vacuous size) and the row where
    the bound is below 1 (``error <= bound`` at every seed inside the events). That row is
    COMPUTED when some run could have failed it, i.e. its uncovered mass (:func:`coverage`, an
    upper bound on the error of a separable ``S_2``) exceeds the bound; otherwise the error is
    0 by construction and the row is VACUOUS, its reason saying so. Both rows name the part of
    Theorem 5.1 they test in ``details["part"]`` (:data:`PART`)."""
    d = check_int("d", d, low=3)
    seeds = check_int("seeds", seeds, low=1)
    seed = check_seed("seed", seed)
    if not m2s or any(int(m) < 1 for m in m2s):
        raise ValueError(f"m2s must be a non-empty tuple of sizes >= 1, got {m2s!r}")
    m_star = smallest_nonvacuous_m2(d)
    rows, failures, outside, checked = [], 0, 0, []
    for m2 in m2s:
        runs = [run_counts(d, int(m2), _run_seed(seed, d, int(m2), i)) for i in range(seeds)]
        errs = [r["error"] for r in runs]
        bound = runs[0]["bound"]
        inside = [r for r in runs if r["events"]]
        if bound < 1:
            checked += inside
            failures += sum(r["error"] > bound for r in inside)
            outside += len(runs) - len(inside)
        rows.append({"m2": int(m2), "bound": bound, "mean_error": float(np.mean(errs)),
                     "q90_error": float(np.quantile(errs, QUANTILE)),
                     "max_error": float(np.max(errs)), "runs_in_events": len(inside),
                     "distinct_features_max": max(r["distinct"] for r in runs),
                     "distinct_support": max(r["distinct_support"] for r in runs),
                     "uncovered_mass_max": max(r["uncovered_mass"] for r in runs)})
    ms = [r["m2"] for r in rows]
    loose = {}
    for eps in EPSILONS:
        mb = bound_m2(d, eps)
        mean_from = _first_from(ms, [r["mean_error"] for r in rows], eps)
        q_from = _first_from(ms, [r["q90_error"] for r in rows], eps)
        loose[str(eps)] = {"bound_certifies_from_m2": mb, "mean_error_from_m2": mean_from,
                           "q90_error_from_m2": q_from,
                           "ratio_bound_over_mean": None if mean_from is None else mb / mean_from,
                           "ratio_bound_over_q90": None if q_from is None else mb / q_from}
    r0 = REGIMES[d]
    params = {"d": d, **r0, "m2s": list(m2s), "seeds": seeds, "seed": seed, "delta": DELTA}
    s0 = theorem_setting(d, r0["l"], r0["n"], r0["k"], 2 * m2s[0], r0["T1"], seed)
    assumptions = evaluate(s0, THEOREM_5_1)
    reproduce = ("from verify.claims.theorem_5_1_nonvacuous import check_d; "
                 f"[print(e.summary()) for e in check_d({d}, m2s={tuple(m2s)!r}, seeds={seeds}, "
                 f"seed={seed})]")
    words = f"m2 >= {m_star:,}"
    details = {"part": PART, "per_m2": rows, "smallest_nonvacuous_m2": m_star,
               "nonvacuous_m2_over_d": m_star / d, "nonvacuous_from": words,
               "error_zero_from_m2": _first_from(ms, [r["max_error"] for r in rows], 0.0),
               "looseness": loose, "note": "m = 2 m2 samples, drawn by class counts; error "
               "exact over the support; a run whose features are not separable counts as 0.5"}
    vac_rows = [r for r in rows if r["bound"] >= 1]
    out = []
    if vac_rows:
        out.append(Evidence(
            CLAIM, STATEMENT, Verdict.HOLDS, max(r["max_error"] for r in vac_rows),
            min(r["bound"] for r in vac_rows), min(r["bound"] for r in vac_rows) - 1.0,
            "difference", 0.0, {**params, "m2s": [r["m2"] for r in vac_rows]}, assumptions,
            f"vacuous: the bound is >= 1 at m2 <= {vac_rows[-1]['m2']:,}",
            {**details, "per_m2": vac_rows}, reproduce, strength=Strength.VACUOUS))
    non = [r for r in rows if r["bound"] < 1]
    if not non:
        return out
    details["plot"] = _plot(d, rows, seeds)
    worst = max(non, key=lambda r: r["max_error"] - r["bound"])
    details["runs_outside_events"] = outside
    trials = len(checked)
    if trials == 0:
        out.append(Evidence(CLAIM, STATEMENT, Verdict.NOT_APPLICABLE, worst["max_error"],
                            worst["bound"], math.nan, "difference", 0.0, params, assumptions,
                            "no run inside the events", details, reproduce,
                            strength=Strength.NOT_TESTED))
        return out
    test = binomial_test(failures, trials, DELTA, ALPHA)
    details["bound_failures_test"] = test.as_dict()
    details["bound_failures"] = {"failures": failures, "trials": trials}
    # a run could have failed only if the error's upper bound by construction (the uncovered
    # mass of a separable S_2; 1 when not separable) exceeded the explicit bound
    could_fail = sum((r["uncovered_mass"] if r["separable"] else 1.0) > r["bound"]
                     for r in checked)
    details["runs_that_could_fail"] = could_fail
    verdict = Verdict.FAILS if test.rejected else Verdict.HOLDS
    strength = Strength.COMPUTED
    if test.rejected:
        reason = (f"the bound fails in {failures}/{trials} runs: significantly more than delta = "
                  f"{DELTA}")
    elif could_fail == 0:
        strength = Strength.VACUOUS
        reason = _cannot_fail_reason(d, checked, rows, m_star)
        details["nonvacuous_from"] = (
            f"{words} for the bound (< 1), at no size run for the check: there S_2 covers "
            f"all {max(r['distinct_support'] for r in checked)} distinct feature vectors of the "
            "support, so the error is 0 by construction")
        out = [dataclasses.replace(e, details={**e.details,
                                               "nonvacuous_from": details["nonvacuous_from"]})
               for e in out]
    else:
        reason = f"{could_fail} of {trials} runs could have failed (uncovered mass above the bound)"
    out.append(Evidence(CLAIM, STATEMENT, verdict, worst["max_error"], worst["bound"],
                        worst["bound"] - worst["max_error"], "difference", 0.0,
                        {**params, "m2s": [r["m2"] for r in non]}, assumptions, reason, details,
                        reproduce, strength=strength))
    return out


FLOOR = 1e-6
"""An error of 0 is drawn at this floor on the plots' log axis."""


BOUND_LABEL = "explicit bound 2 sqrt(51200 d/m2) + sqrt(2 ln(2/delta)/m2)"


def _series(d: int | None, rows: list[dict[str, Any]], seeds: str, *, first: bool = True
            ) -> list[dict[str, Any]]:
    """The mean error (band: mean to max) and the bound over ``m2``; with several ``d`` in one
    figure (``d`` given), the band and the bound are labelled once, on the ``first``."""
    at = "" if d is None else f"d={d}: "
    ms = [r["m2"] for r in rows]
    return [
        {"label": f"{at}mean limit error over {seeds} seeds (0 drawn at {FLOOR:g})",
         "x": ms, "y": [max(FLOOR, r["mean_error"]) for r in rows], "style": "line",
         "lo": [max(FLOOR, r["mean_error"]) for r in rows],
         "hi": [max(FLOOR, r["max_error"]) for r in rows],
         "spread": "mean to max over seeds" if first else None},
        {"label": (BOUND_LABEL + ("" if d is None else " (one per d, larger d above)"))
                  if first else None,
         "x": ms, "y": [r["bound"] for r in rows], "style": "bound"},
    ]


def _plot(d: int, rows: list[dict[str, Any]], seeds: int) -> dict[str, Any]:
    return {
        "title": f"Theorem 5.1 part (2): explicit bound vs measured error, d={d}",
        "xlabel": "second-layer samples m2", "ylabel": "test error (probability)",
        "logx": True, "logy": True, "series": _series(None, rows, str(seeds)),
        "hlines": [{"y": 1.0, "label": "error 1 (above: vacuous)"}],
    }


def atlas_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Atlas's figure and reading of this claim's sweep rows (:data:`SWEEP`: one run per
    ``(d, m2, seed)``, ``observed`` = its limit error, ``bound`` = the explicit bound): per
    ``d``, the mean and largest error over seeds against the bound, as :func:`check_d` draws
    them; the reading gives, per ``d``, the smallest swept ``m2`` where the bound is below 1
    and how many of the runs there have error above it."""
    rows = check_rows("rows", rows, params=("d", "m2"), fields=("observed", "bound"))
    per: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in rows:
        per.setdefault((int(row["params"]["d"]), int(row["params"]["m2"])), []).append(row)
    ds = sorted({d for d, _ in per})
    series, words = [], []
    for d in ds:
        regimes = [(m2, per[(d, m2)]) for dd, m2 in sorted(per) if dd == d]
        table = [{"m2": m2, "bound": min(float(r["bound"]) for r in rs),
                  "mean_error": float(np.mean([r["observed"] for r in rs])),
                  "max_error": max(float(r["observed"]) for r in rs), "runs": len(rs),
                  "above": sum(float(r["observed"]) > float(r["bound"]) for r in rs)}
                 for m2, rs in regimes]
        counts = sorted({t["runs"] for t in table})
        seeds = str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
        series += _series(d, table, seeds, first=d == ds[0])
        non = [t for t in table if t["bound"] < 1]
        if not non:
            words.append(f"d = {d}: the bound is >= 1 at every swept m2 (<= {table[-1]['m2']:,}): "
                         "vacuous")
            continue
        runs, above = sum(t["runs"] for t in non), sum(t["above"] for t in non)
        words.append(f"d = {d}: non-vacuous from m2 = {non[0]['m2']:,} (bound "
                     f"{non[0]['bound']:.3g}), error above the bound in {above} of {runs} runs "
                     f"there (largest error {max(t['max_error'] for t in non):.3g})")
    return {"reading": "; ".join(words),
            "plot": {"title": "Theorem 5.1 part (2): explicit bound vs measured error",
                     "xlabel": "second-layer samples m2", "ylabel": "test error (probability)",
                     "logx": True, "logy": True, "series": series,
                     "hlines": [{"y": 1.0, "label": "error 1 (above: vacuous)"}],
                     "note": "from the sweep store; one run per (d, m2, seed), its limit error "
                             "exact over the support"}}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Per ``d`` of :data:`PROFILES`' profile: the vacuous and the non-vacuous rows."""
    seed = check_seed("seed", seed)
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    p = PROFILES[profile]
    return [ev for d in p["ds"] for ev in check_d(d, seeds=p["seeds"], seed=seed)]


def _sweep(params: dict[str, Any], seed: int) -> Evidence:
    return check_d(int(params["d"]), m2s=(int(params["m2"]),), seeds=1, seed=seed)[-1]


def _grid(ds: tuple[int, ...], seeds: int) -> Grid:
    return Grid(tuple({"d": d, "m2": m} for d in ds for m in M2S), seeds)


SWEEP = SweepSpec(
    CLAIM, {"quick": _grid((3,), 5), "standard": _grid((3, 4, 5, 6), 10),
            "thorough": _grid((3, 4, 5, 6), 40)},
    _sweep, batch=4,
    note="one run per (d, m2, seed): m = 2 m2 samples by class counts, limit error exact over "
         "the support against the explicit bound",
)

DECLARATION = ClaimDeclaration(
    key="theorem-5.1-nonvacuous",
    title=CLAIM,
    names=(CLAIM,),
    statement="Part (2)'s explicit bound, checked at m2 large enough that it is below 1.",
    location="Section 5, Theorem 5.1 (2); proof in Appendix E",
    assumptions=THEOREM_5_1,
    checkers=(check_d, run_counts),
    report_checks=report_checks,
    errata=None,
    sweeps=SWEEP,
    controls=(
        Control('the limit test error is 0 (the bound moved to 0)',
                bound_at(0.0),
                why='false wherever the support has enough distinct feature vectors that the '
                    'limit classifier errs'),
    ),
)
