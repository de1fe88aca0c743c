"""The paper's sample-complexity message as a scaling law (issue 23).

Section 6 (after Proposition 6.1) compares sample-complexity bounds: the CNN's is ``O(d)``
(Theorem 5.1: error ``O(sqrt(d/m))``), the fully connected margin learners' ``O(||w*||^2 R^2)``
``= O(2n^2) = O(d^{2r})`` for ``n = Theta(d^r)`` (Proposition 6.1 with ``||w_hat||^2 = 2n``,
:mod:`verify.claims.section_6_comparison`); the abstract says that CNNs "significantly
outperform fully connected networks ... as predicted by our theoretical results". Here that is
measured, not bounded: ``m_eps(d)``, the smallest training-set size (on the grid ``m = 2^j``) from
which the test error, exact over the support of D, is at most ``eps`` (``eps`` = 0.1 and 0.05),
for the three learners of :mod:`~verify.claims.sample_complexity.learners` (LW_CNN on class
counts, the hard-margin SVM on raw inputs, Section 7's MLP with as many parameters), with
``l = d`` and ``n = d`` (``r = 1``), several seeds per ``(learner, d)``.

- the exponent ``b`` of ``m_eps ~ C d^b`` per learner (log-log least squares on the geometric
  means over seeds), with a 95% bootstrap interval over seeds
  (:mod:`~verify.claims.sample_complexity.rules`), beside the bounds' exponents 1 and ``2r``;
- the decay of the mean test error in ``m`` per ``(learner, d)``, where it decays through
  positive values (else: "cannot be measured");
- the verdict rows (``statistical``), one per fully connected learner, at ``eps = 0.05``: "the
  CNN's sample complexity grows slower than the fully connected learner's", decided at the
  largest ``d`` by an exact one-sided sign test over seeds that ``m_eps(CNN) < m_eps(FC)``
  (level :data:`ALPHA`; power against a per-seed success rate of 0.9), with the measured ratio
  of geometric means there, and the exponents' difference with its interval in ``details``.

``r = 2`` is not run: at ``d = 4``, ``n = 16`` the support has 1,048,576 points (the CNN's
features over it, ``k = 513``, 4 GB), and at ``d = 3`` (18 points) alone no exponent can be fitted.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verify._validate import check_int, check_rows, check_seed
from verify.claims.sample_complexity.learners import LEARNERS, MAX_SUPPORT, error_curve, family
from verify.claims.sample_complexity.rules import (
    as_table,
    bootstrap_exponent,
    decay_rate,
    fit_exponent,
    m_epsilon,
    sign_test_decision,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.sweep_spec import Grid, SweepSpec
from verify.rng import seed_sequence

__all__ = ["CLAIM", "DECLARATION", "PROFILES", "atlas_figure", "check_scaling", "check_seed_at",
           "measure", "report_checks", "scaling_law"]

Curve = list[tuple[int, float]]
CLAIM = "Sample complexity (scaling law)"
STATEMENT = ("The CNN's sample complexity m_eps(d) grows slower than the fully connected "
             "learner's (Section 6: O(d) against O(d^{2r}))")
EPSILONS = (0.1, 0.05)
EPS = 0.05
"""The ``eps`` of the verdict rows (the stricter of :data:`EPSILONS`)."""
ALPHA = 0.01
ALTERNATIVE_RATE = 0.9
REPLICATES = 2000
MS = tuple(2**j for j in range(1, 13))  # 2 .. 4096
FC_LEARNERS = ("SVM", "MLP")
BOUND_EXPONENT = {"CNN": ("1", "Theorem 5.1: O(d)"),
                  "SVM": ("2r", "Section 6 with Proposition 6.1: O(||w_hat||^2 R^2) = O(2n^2)"),
                  "MLP": ("2r", "Section 6: the FC-network bound of Brutzkus et al. (2018), "
                                "O(||w*||^2 R^2), proved for another training algorithm")}
PROFILES: dict[str, dict[str, Any]] = {
    "quick": {"ds": (3, 4, 5), "seeds": 7, "learners": ("CNN", "SVM")},
    "standard": {"ds": (3, 4, 5, 6), "seeds": 12, "learners": LEARNERS},
    "thorough": {"ds": (3, 4, 5, 6), "seeds": 40, "learners": LEARNERS},
}
"""``d = 6`` is the largest affordable:
:data:`~verify.claims.sample_complexity.learners.MAX_SUPPORT`. 7 seeds are the fewest with which the
sign test can reach level 0.01; 12 give it power 0.66 against a per-seed success rate of 0.9. The
quick profile does not train the MLP (several seconds per seed): the SVM row's
``details["not_run"]`` says so."""


def _run_seed(seed: int, i: int) -> int:
    return int(seed_sequence(seed, "sample-complexity", "run", i).generate_state(1)[0])


def _check_ds(ds: object) -> tuple[int, ...]:
    if not isinstance(ds, (tuple, list)) or len(ds) < 2:
        raise ValueError(f"ds must hold at least two dimensions, got {ds!r}")
    out = tuple(check_int("ds", d, low=3) for d in ds)
    if list(out) != sorted(set(out)):
        raise ValueError(f"ds must be increasing, got {ds!r}")
    return out


def measure(ds: tuple[int, ...], *, seeds: int, seed: int, r: int = 1,
            ms: tuple[int, ...] = MS, learners: tuple[str, ...] = LEARNERS
            ) -> dict[str, dict[int, list[Curve]]]:
    """``curves[learner][d]``: one error curve per seed
    (:func:`~verify.claims.sample_complexity.learners.error_curve`, stopping after two sizes at
    error ``<= 0.05``). Seed ``i`` of every learner and ``d`` is run seed
    ``SeedSequence(seed, ..., i)``."""
    ds = _check_ds(ds)
    seeds = check_int("seeds", seeds, low=1)
    seed = check_seed("seed", seed)
    if "CNN" not in learners or any(lr not in LEARNERS for lr in learners):
        raise ValueError(f"learners must include 'CNN' and be among {LEARNERS}, got "
                         f"{learners!r}")
    for d in ds:
        family(d, r)  # validates d and r before any work
    return {lr: {d: [error_curve(lr, d, _run_seed(seed, i), ms, r=r, stop_eps=min(EPSILONS))
                     for i in range(seeds)] for d in ds} for lr in learners}


def _mean_curve(curves: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    """The mean error over seeds at the sizes every seed reached."""
    n = min(len(c) for c in curves)
    return [(curves[0][j][0], float(np.mean([c[j][1] for c in curves]))) for j in range(n)]


def _fit(lr: str, eps: float, m: dict[int, list[int | None]], *, seed: int,
         ms: tuple[int, ...]) -> dict[str, Any]:
    """One learner's law at one ``eps`` from its ``m_eps`` per ``d`` and seed (``None``:
    censored, above the grid; it enters the fits at twice the largest size): the table, the
    exponent fit, its bootstrap interval, the geometric means. At least two values of ``d``."""
    ds = sorted(m)
    filled = [[2 * ms[-1] if v is None else v for v in m[d]] for d in ds]
    fit = fit_exponent(ds, filled)
    ss = seed_sequence(seed, "sample-complexity", "bootstrap", lr, str(eps))
    lo, hi = bootstrap_exponent(ds, filled, seed_seq=ss, replicates=REPLICATES)
    return {"m_eps": as_table(m), "exponent": fit["exponent"], "exponent_ci95": [lo, hi],
            "constant": fit["constant"],
            "geometric_mean": {str(d): float(np.exp(np.mean(np.log(f))))
                               for d, f in zip(ds, filled, strict=True)},
            "censored": sum(v is None for d in ds for v in m[d])}


def scaling_law(curves: dict[str, dict[int, list[list[tuple[int, float]]]]], *, seed: int,
                ms: tuple[int, ...] = MS) -> dict[str, Any]:
    """From :func:`measure`'s curves: per learner and ``eps``, ``m_eps`` per seed and ``d``
    (a censored seed, above the grid, enters the fits at twice the largest size), the exponent
    fit with its bootstrap interval; per learner and ``d``, the decay rate of the mean error."""
    seed = check_seed("seed", seed)
    out: dict[str, Any] = {}
    for lr, per_d in curves.items():
        ds = sorted(per_d)
        res: dict[str, Any] = {"decay": {}}
        for eps in EPSILONS:
            m = {d: [m_epsilon(c, eps) for c in per_d[d]] for d in ds}
            res[str(eps)] = _fit(lr, eps, m, seed=seed, ms=ms)
        for d in ds:
            mean = _mean_curve(per_d[d])
            rate = decay_rate(mean)
            res["decay"][str(d)] = (
                {**rate, "mean_curve": mean} if rate else
                {"slope": None, "mean_curve": mean,
                 "note": "cannot be measured: the mean error does not pass through 3 sizes "
                         "strictly between 0 and 0.45"})
        out[lr] = res
    return out


def _plot(law: dict[str, Any], ds: list[int], r: int, ms: tuple[int, ...] = MS
          ) -> dict[str, Any]:
    series: list[dict[str, Any]] = []
    big = 2 * ms[-1]
    e = str(EPS)
    xs = [float(d) for d in ds]  # a power law is straight on log-log axes: ds suffice
    for lr in law:
        f = law[lr][e]
        # a censored seed (None: above the grid) counts at twice the largest size, as in _fit
        per = [[big if v is None else v for v in f["m_eps"][str(d)]] for d in ds]
        gm = [f["geometric_mean"][str(d)] for d in ds]
        # max(0, .): the geometric mean of equal sizes may round a hair outside them
        below = [max(0.0, g - min(p)) for g, p in zip(gm, per, strict=True)]
        above = [max(0.0, max(p) - g) for g, p in zip(gm, per, strict=True)]
        lo, hi = f["exponent_ci95"]
        censored = f" ({f['censored']} censored seeds at {big})" if f["censored"] else ""
        series.append({"label": f"{lr}: geometric mean of m_eps over seeds{censored}", "x": ds,
                       "y": gm, "style": "points", "yerr": [below, above],
                       "spread": f"{lr}: min to max over seeds"})
        series.append({"label": f"{lr} fit: {f['constant']:.3g} d^{f['exponent']:.2f} "
                                f"(95% CI {lo:.2f} to {hi:.2f})",
                       "x": xs, "y": [f["constant"] * x ** f["exponent"] for x in xs],
                       "style": "fit"})
    fc = next(lr for lr in law if lr != "CNN")
    for lr, b in (("CNN", 1.0), (fc, 2.0 * r)):
        g0 = law[lr][e]["geometric_mean"][str(ds[0])]
        series.append({"label": f"slope of the {lr}'s bound, d^{b:g} (through its point at "
                                f"d={ds[0]}; the bound's constant is far above)",
                       "x": xs, "y": [g0 * (x / ds[0]) ** b for x in xs], "style": "reference"})
    ys = [v for s in series if s["style"] == "points" for v in s["y"]]
    return {"title": f"Sample complexity m_eps(d), eps={EPS}, n=d^{r}, l=d",
            "ylim": [min(ys) / 3, max(ys) * 40],  # room above the data for the legend
            "xlabel": "d (dimension of a pattern)",
            "ylabel": f"m_eps (samples to test error <= {EPS})", "logx": True, "logy": True,
            "series": series, "legend": "upper left",
            "note": "test error exact over the support of D; m on the grid 2^j"}


def check_scaling(ds: tuple[int, ...], *, seeds: int, seed: int, r: int = 1,
                  ms: tuple[int, ...] = MS, learners: tuple[str, ...] = LEARNERS,
                  curves: dict[str, Any] | None = None) -> list[Evidence]:
    """The verdict rows, one per fully connected learner of :data:`FC_LEARNERS` (see the
    module docstring; a learner not in ``learners`` gets none, and the first row's
    ``details["not_run"]`` says so); ``curves`` (from
    :func:`measure` with the same arguments) skips the measurement."""
    ds = _check_ds(ds)
    seeds = check_int("seeds", seeds, low=1)
    seed = check_seed("seed", seed)
    if curves is None:
        curves = measure(ds, seeds=seeds, seed=seed, r=r, ms=ms, learners=learners)
    learners = tuple(curves)
    law = scaling_law(curves, seed=seed, ms=ms)
    top, e = ds[-1], str(EPS)
    cnn = law["CNN"][e]
    exponents = {lr: {eps: {"exponent": law[lr][eps]["exponent"],
                            "ci95": law[lr][eps]["exponent_ci95"],
                            "bound_exponent": 1 if lr == "CNN" else 2 * r,
                            "bound": BOUND_EXPONENT[lr][1]}
                      for eps in map(str, EPSILONS)} for lr in learners}
    params = {"ds": list(ds), "r": r, "l": "d", "n": f"d^{r}", "k": "8 d^3 + 1",
              "seeds": seeds, "seed": seed, "eps": EPS, "grid": f"m = 2^j, {ms[0]}..{ms[-1]}",
              "max_support": MAX_SUPPORT}
    reproduce = ("from verify.claims.sample_complexity import check_scaling; "
                 f"[print(e.summary()) for e in check_scaling({ds!r}, seeds={seeds}, "
                 f"seed={seed}, r={r})]")
    out = []
    for fc in FC_LEARNERS:
        if fc not in learners:
            continue
        f = law[fc][e]
        dec = sign_test_decision(cnn["m_eps"][str(top)], f["m_eps"][str(top)], alpha=ALPHA,
                                 alternative_rate=ALTERNATIVE_RATE)
        ratio = f["geometric_mean"][str(top)] / cnn["geometric_mean"][str(top)]
        diff = f["exponent"] - cnn["exponent"]
        verdict = Verdict.FAILS if dec["status"] == "refuted" else Verdict.HOLDS
        reason = {"refuted": f"at d={top} the CNN needs significantly not fewer samples than "
                             f"the {fc}",
                  "undecided": f"undecided: {dec['successes']}/{dec['trials']} seeds, p = "
                               f"{dec['p_value']:.3g} > {ALPHA}",
                  "demonstrated": ""}[str(dec["status"])]
        details = {"decision": dec, "fc_learner": fc, "largest_d": top,
                   "ratio_fc_over_cnn_at_largest_d": ratio,
                   f"m_eps_cnn_at_d{top}": cnn["m_eps"][str(top)],
                   f"m_eps_{fc.lower()}_at_d{top}": f["m_eps"][str(top)],
                   "exponent_difference_fc_minus_cnn": diff,
                   "exponents": exponents,
                   "decay_rates": {lr: {d: law[lr]["decay"][d].get("slope")
                                        for d in law[lr]["decay"]} for lr in learners},
                   "r=2": "not run (the support at d = 4, n = 16 has 1,048,576 points)",
                   "note": "sign test at the largest d; the exponents (least squares on log-log "
                           "geometric means, 95% bootstrap over seeds) are descriptive: d spans "
                           f"only {ds[0]}..{top}"}
        if fc == FC_LEARNERS[0]:
            details["plot"] = _plot(law, list(ds), r, ms)
            details["m_eps_per_d"] = {lr: law[lr][e]["m_eps"] for lr in learners}
            details["not_run"] = [f"{lr}: not run at this profile (its training costs seconds "
                                  "per seed; the standard profile runs it)"
                                  for lr in LEARNERS if lr not in learners]
        out.append(Evidence(
            CLAIM, f"{STATEMENT}; FC learner: {fc}, eps = {EPS}, at d = {top}", verdict,
            dec["observed_rate"], 0.5, dec["effect"], "difference", 0.0, {**params, "fc": fc},
            {}, reason, details, reproduce, strength=Strength.STATISTICAL))
    return out


def check_seed_at(d: int, fc: str, seed: int, *, r: int = 1) -> Evidence:
    """One seed at one ``d``: ``m_eps`` (``eps`` = :data:`EPS`) of the CNN against the fully
    connected learner ``fc``; HOLDS when the CNN's is strictly smaller (the sweep's event: its
    success rate is what :func:`check_scaling`'s sign test judges). A single run decides
    nothing: the row is COMPUTED for that seed only."""
    if fc not in FC_LEARNERS:
        raise ValueError(f"fc must be one of {FC_LEARNERS}, got {fc!r}")
    seed = check_seed("seed", seed)
    family(d, r)
    mc = m_epsilon(error_curve("CNN", d, seed, MS, r=r, stop_eps=EPS), EPS)
    mf = m_epsilon(error_curve(fc, d, seed, MS, r=r, stop_eps=EPS), EPS)
    big = 2 * MS[-1]
    c, f = big if mc is None else mc, big if mf is None else mf
    ok = c < f
    return Evidence(CLAIM, f"{STATEMENT}; one seed", Verdict.HOLDS if ok else Verdict.FAILS,
                    float(c), float(f), math.log2(f / c), "difference", 0.0,
                    {"d": d, "r": r, "fc": fc, "seed": seed, "eps": EPS},
                    {}, "" if ok else f"m_eps(CNN) = {c} is not below m_eps({fc}) = {f}",
                    {"m_eps_cnn": mc, f"m_eps_{fc.lower()}": mf,
                     "slack": "log2 of m_eps(FC) / m_eps(CNN)"},
                    f"from verify.claims.sample_complexity import check_seed_at; "
                    f"print(check_seed_at({d}, {fc!r}, {seed}).summary())",
                    strength=Strength.COMPUTED)


def atlas_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Atlas's figure and reading of this claim's sweep rows (:data:`SWEEP`: one row per
    ``(d, fc, seed)``, ``observed`` = the CNN's ``m_eps``, ``bound`` = the fully connected
    learner's, ``2 * MS[-1]`` where censored): per learner, ``m_eps`` at ``eps`` = :data:`EPS`
    per ``d`` and seed (the CNN's pooled over both comparisons, each a seed of its own), the
    exponent fit with its bootstrap interval (seeded by the rows' root seed) and the bounds'
    slopes, as :func:`check_scaling` draws them (the same :func:`_fit` and plot)."""
    rows = check_rows("rows", rows, params=("d", "fc"),
                      fields=("observed", "bound", "root_seed"))
    big = 2 * MS[-1]
    m: dict[str, dict[int, list[int | None]]] = {"CNN": {}}
    for row in rows:
        d, fc = int(row["params"]["d"]), str(row["params"]["fc"])
        for lr, v in (("CNN", row["observed"]), (fc, row["bound"])):
            m.setdefault(lr, {}).setdefault(d, []).append(None if v >= big else int(v))
    ds = sorted(m["CNN"])
    learners = [lr for lr in LEARNERS if lr in m]
    if len(ds) < 2:
        return {"reading": f"m_{EPS}(d) measured at d = {ds[0]} only: no exponent can be "
                           "fitted", "plot": None}
    seed = min(int(row["root_seed"]) for row in rows)
    law = {lr: {str(EPS): _fit(lr, EPS, m[lr], seed=seed, ms=MS)} for lr in learners}
    top = ds[-1]
    gm = {lr: law[lr][str(EPS)]["geometric_mean"][str(top)] for lr in learners}
    fits = ", ".join(f"{lr} {law[lr][str(EPS)]['exponent']:.2f} "
                     f"({law[lr][str(EPS)]['exponent_ci95'][0]:.2f} to "
                     f"{law[lr][str(EPS)]['exponent_ci95'][1]:.2f})" for lr in learners)
    ratios = " and ".join(f"the {lr} {gm[lr] / gm['CNN']:.3g}" for lr in learners
                          if lr != "CNN")
    reading = (f"exponent b of m_{EPS}(d) ~ C d^b over d = {ds[0]}..{top} (95% bootstrap "
               f"interval over seeds; descriptive, d spans a factor {top / ds[0]:.3g}): {fits}; "
               "the bounds' exponents: 1 for the CNN (Theorem 5.1), 2r = 2 for the fully "
               f"connected learners (Section 6); at d = {top} the samples needed, as a multiple "
               f"of the CNN's (geometric means over seeds): {ratios}")
    plot = _plot(law, ds, 1)
    plot["note"] = "from the sweep store; " + plot["note"]
    return {"reading": reading, "plot": plot}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """The verdict rows at :data:`PROFILES`' ``profile``."""
    seed = check_seed("seed", seed)
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    p = PROFILES[profile]
    return check_scaling(p["ds"], seeds=p["seeds"], seed=seed, learners=p["learners"])


def _sweep(params: dict[str, Any], seed: int) -> Evidence:
    return check_seed_at(int(params["d"]), str(params["fc"]), seed)


def _sweep_event(ev: Evidence) -> bool:
    return ev.verdict == Verdict.HOLDS


def _sweep_probability(params: dict[str, Any]) -> float:
    return 0.5


def _grid(ds: tuple[int, ...], seeds: int) -> Grid:
    return Grid(tuple({"d": d, "fc": fc} for d in ds for fc in FC_LEARNERS), seeds)


SWEEP = SweepSpec(
    CLAIM, {name: _grid(p["ds"], p["seeds"]) for name, p in PROFILES.items()}, _sweep,
    event=_sweep_event, probability=_sweep_probability, batch=1,
    note="one seed per task: m_eps (eps = 0.05) of the CNN against the SVM or the MLP at one d; "
         "the claimed success probability is above 1/2 (the sign test's null)",
)

DECLARATION = ClaimDeclaration(
    key="sample-complexity",
    title="Sample complexity as a scaling law (CNN against fully connected learners)",
    names=(CLAIM,),
    statement=STATEMENT,
    location="Section 6 (after Proposition 6.1) and the abstract; Theorem 5.1; Section 7",
    assumptions=(),
    checkers=(check_scaling, check_seed_at),
    report_checks=report_checks,
    errata=None,
    sweeps=SWEEP,
)
