"""The paper's sample-complexity message as a scaling law, decided on growth.

Section 6 (after Proposition 6.1) compares sample-complexity bounds: the CNN's is ``O(d)``
(Theorem 5.1: error ``O(sqrt(d/m))``), the fully connected margin learners' ``O(||w*||^2 R^2)``
``= O(2n^2) = O(d^{2r})`` for ``n = Theta(d^r)`` (Proposition 6.1 with ``||w_hat||^2 = 2n``,
:mod:`verify.claims.section_6_comparison`); the abstract says that CNNs "significantly
outperform fully connected networks ... as predicted by our theoretical results". Here that is
measured: ``m_eps(d)``, the smallest training-set size from which "test error <= eps" (eps =
0.05) is decided on fresh draws from D (:mod:`~verify.claims.sample_complexity.test_error`), for
LW_CNN trained by class counts, the hard-margin SVM (a QP) and Section 7's MLP with as many
parameters (:mod:`~verify.claims.sample_complexity.learners`), with ``l = d`` and ``n = d^r``
for ``r = 1`` and ``r = 2``, over a range of ``d`` and seeds (:data:`PROFILES`).

The rows (:mod:`~verify.claims.sample_complexity.verdicts`), all statistical:

- "grows slower" (:data:`CLAIM`), per fully connected learner and ``r``: the exponent difference
  ``b_FC - b_CNN`` with its paired bootstrap interval over seeds, decided against 0;
- "needs fewer samples at every d" (:data:`CLAIM_LEVEL`): per-``d`` sign tests, Holm over ``d``;
- "exponents against the bounds" (:data:`CLAIM_BOUNDS`): each learner's exponent against 1 (the
  CNN) or ``2r`` (a fully connected learner), and whether that bound is tight in ``d``.

The growth and the ratio are drawn (:mod:`~verify.claims.sample_complexity.figures`), in the
report and, from a sweep store, in the Atlas (:func:`atlas_figure`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verify._validate import check_int, check_rows, check_seed
from verify.claims.sample_complexity.figures import law_plot, ratio_plot
from verify.claims.sample_complexity.law import (
    EPS,
    LEVEL,
    REPLICATES,
    TOP,
    Table,
    extend,
    fit_law,
    measure,
    seed_m_eps,
)
from verify.claims.sample_complexity.learners import LEARNERS, family
from verify.claims.sample_complexity.rules import paired_bootstrap_difference
from verify.claims.sample_complexity.test_error import DELTA, LOOKS
from verify.claims.sample_complexity.verdicts import (
    ALPHA,
    CLAIM,
    CLAIM_BOUNDS,
    CLAIM_LEVEL,
    bound_row,
    growth_row,
    level_row,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, effect_raised
from verify.evidence.sweep_spec import Grid, SweepSpec
from verify.rng import seed_sequence

__all__ = ["ALPHA", "CLAIM", "CLAIM_BOUNDS", "CLAIM_LEVEL", "DECLARATION", "EPS", "PROFILES",
           "atlas_figure", "check_scaling", "check_seed_at", "measure", "report_checks"]

STATEMENT = ("The CNN's sample complexity m_eps(d) grows slower than a fully connected "
             "learner's (Section 6: O(d) against O(d^{2r}) for n = d^r)")
FC_LEARNERS = ("SVM", "MLP")
SEED_ROUNDS = 3
"""Rounds of seeds for the level rows: a ``d`` where "fewer samples" is undecided gets its seeds
doubled, up to ``SEED_ROUNDS`` rounds (``seeds``, ``2 seeds``, ``4 seeds``); every p-value is
multiplied by ``SEED_ROUNDS`` (:func:`~verify.claims.sample_complexity.verdicts.level_row`)."""


def _span(lo: int, hi: int) -> tuple[int, ...]:
    return tuple(range(lo, hi + 1))


PROFILES: dict[str, dict[str, Any]] = {
    "quick": {"plan": {"CNN": {1: _span(3, 6), 2: (3, 4)}, "SVM": {1: _span(3, 6), 2: (3, 4)}},
              "seeds": 12},
    "standard": {"plan": {"CNN": {1: _span(3, 12), 2: _span(3, 5)},
                          "SVM": {1: _span(3, 12), 2: _span(3, 5)}},
                 "seeds": 12},
    "thorough": {"plan": {"CNN": {1: _span(3, 16), 2: _span(3, 6)},
                          "SVM": {1: _span(3, 16), 2: _span(3, 6)},
                          "MLP": {1: _span(3, 5)}},
                 "seeds": 24},
}
"""``{"plan": {learner: {r: ds}}, "seeds"}`` per profile. The quick profile decides the
smaller statement "over d = 3..6 (n = d) and d = 3, 4 (n = d^2)". 12 seeds are the fewest with
which Holm's first step passes when every seed is won, with the p-values multiplied by the
:data:`SEED_ROUNDS` = 3 rounds: 3 x 2^-12 <= 0.01/10 (standard, 10 values of d) and <= 0.01/4
(quick, 4). Where a ``d`` is undecided its seeds are doubled, up to 48.
The MLP (Section 7's Adam budget: about 40 s per seed at ``d = 3`` on the shared 2-core machine)
runs at ``thorough`` only, for ``r = 1`` and ``d = 3..5``: the other profiles say so in
``details["not_run"]``."""


def _params(plan: Mapping[str, Mapping[int, Any]], seeds: int, seed: int) -> dict[str, Any]:
    return {"l": "d", "k": "8 d^3 + 1", "eps": EPS, "seeds": seeds, "seed": seed,
            "grid": "m = 2^j (refined by sqrt 2 near m_eps), top " + ", ".join(
                f"{TOP[r]} at r = {r}" for r in sorted({r for p in plan.values() for r in p})),
            "test_error": f"Clopper-Pearson on fresh draws, looks {LOOKS[0]}..{LOOKS[-1]}, "
                          f"confidence {1 - DELTA} per size"}


def _ratios(table: Table, laws: dict[int, dict[str, dict[str, Any]]], seed: int
            ) -> dict[str, dict[str, Any]]:
    out = {}
    for r, per in sorted(table.items()):
        for fc in FC_LEARNERS:
            if fc not in per:
                continue
            ds = sorted(set(per["CNN"]) & set(per[fc]))
            if len(ds) < 2:
                continue
            diff, lo, hi = paired_bootstrap_difference(
                ds, [[float(2 * TOP[r]) if v is None else v for v in per["CNN"][d]] for d in ds],
                [[float(2 * TOP[r]) if v is None else v for v in per[fc][d]] for d in ds],
                seed_seq=seed_sequence(seed, "sample-complexity", "difference", fc, r),
                replicates=REPLICATES, level=LEVEL)
            gm = laws[r]
            out[f"{fc}/CNN, n=d^{r}"] = {
                "ds": ds, "difference": diff, "interval": [lo, hi],
                "ratio": [gm[fc]["geometric_mean"][str(d)] / gm["CNN"]["geometric_mean"][str(d)]
                          for d in ds]}
    return out


def _add_rounds(table: Table, seeds: int, seed: int) -> None:
    """Double the seeds at every ``(r, d)`` where a level row is undecided, for every learner
    there, up to :data:`SEED_ROUNDS` rounds (in place; the growth and bound rows then use them
    too: their bootstrap resamples each ``d``'s own seeds)."""
    for rnd in range(1, SEED_ROUNDS):
        open_at = set()
        for r, per in table.items():
            for fc in FC_LEARNERS:
                if fc in per and len(set(per["CNN"]) & set(per[fc])) >= 1:
                    row = level_row(fc, r, per["CNN"], per[fc], params={}, reproduce="",
                                    looks=SEED_ROUNDS)
                    open_at |= {(r, int(d)) for d, v in row.details["per_d"].items()
                                if v["status"] == "undecided"}
        if not open_at:
            return
        for r, d in sorted(open_at):
            extend(table, r, d, seeds * 2**rnd, seed=seed)


def check_scaling(plan: Mapping[str, Mapping[int, Any]], *, seeds: int, seed: int,
                  table: Table | None = None) -> list[Evidence]:
    """The verdict rows for ``plan`` (``{learner: {r: ds}}``, the CNN included; see the module
    docstring) with ``seeds`` seeds, doubled where "fewer samples" is undecided at a ``d`` (up to
    :data:`SEED_ROUNDS` rounds); ``table`` (from :func:`measure` with the same arguments) skips
    the first round's measurement (it is extended in place)."""
    seeds = check_int("seeds", seeds, low=1)
    seed = check_seed("seed", seed)
    if table is None:
        table = measure(plan, seeds=seeds, seed=seed)
    _add_rounds(table, seeds, seed)
    laws = {r: {lr: fit_law(lr, per[lr], r=r, seed=seed) for lr in per if len(per[lr]) >= 2}
            for r, per in table.items()}
    params = _params(plan, seeds, seed)
    reproduce = ("from verify.claims.sample_complexity import check_scaling; "
                 f"[print(e.summary()) for e in check_scaling({dict(plan)!r}, seeds={seeds}, "
                 f"seed={seed})]")
    ratios = _ratios(table, laws, seed)
    growth, level, bounds = [], [], []
    for r, per in sorted(table.items()):
        for fc in FC_LEARNERS:
            if fc in per and len(set(per["CNN"]) & set(per[fc])) >= 2:
                growth.append(growth_row(fc, r, per["CNN"], per[fc], seed=seed,
                                         params=params, reproduce=reproduce))
                level.append(level_row(fc, r, per["CNN"], per[fc], params=params,
                                       reproduce=reproduce, looks=SEED_ROUNDS))
        for lr in laws[r]:
            bounds.append(bound_row(lr, r, laws[r][lr], params=params, reproduce=reproduce))
    for ev in growth:
        r = ev.params["r"]
        if ev.params["fc"] == "SVM":
            ev.details["plot"] = law_plot(laws[r], r)
            ev.details["geometric_means"] = {lr: laws[r][lr]["geometric_mean"] for lr in laws[r]}
            ev.details["exponents"] = {lr: {"exponent": laws[r][lr]["exponent"],
                                            "interval": laws[r][lr]["interval"]}
                                       for lr in laws[r]}
    if level and ratios:
        level[0].details["plot"] = ratio_plot(ratios)
        level[0].details["ratio_fc_over_cnn"] = {
            k: {str(d): v for d, v in zip(q["ds"], q["ratio"], strict=True)}
            for k, q in ratios.items()}
    if growth:
        growth[0].details["not_run"] = [
            f"{lr}: not run at these regimes (seconds per size; the thorough profile runs it "
            "at r = 1, d = 3..5)" for lr in LEARNERS if lr not in plan]
    return growth + level + bounds


def check_seed_at(d: int, fc: str, seed: int, *, r: int = 1) -> Evidence:
    """One seed at one ``(d, r)``: ``m_eps`` (eps = :data:`EPS`) of the CNN against the fully
    connected learner ``fc`` (the sweep's task). HOLDS when the CNN's is strictly smaller; a
    single run decides nothing: the row is COMPUTED for that seed only."""
    if fc not in FC_LEARNERS:
        raise ValueError(f"fc must be one of {FC_LEARNERS}, got {fc!r}")
    seed = check_seed("seed", seed)
    family(d, r)
    mc, mf = seed_m_eps("CNN", d, r, seed), seed_m_eps(fc, d, r, seed)
    big = 2 * TOP[r]
    c, f = big if mc is None else mc, big if mf is None else mf
    ok = c < f
    return Evidence(CLAIM, f"{STATEMENT}; one seed", Verdict.HOLDS if ok else Verdict.FAILS,
                    float(c), float(f), float(f - c), "difference", 0.0,
                    {"d": d, "r": r, "fc": fc, "seed": seed, "eps": EPS},
                    {}, "" if ok else f"m_eps(CNN) = {c} is not below m_eps({fc}) = {f}",
                    {"m_eps_cnn": mc, f"m_eps_{fc.lower()}": mf,
                     "slack": "m_eps(FC) - m_eps(CNN), samples (censored: 2 x the grid's top)"},
                    f"from verify.claims.sample_complexity import check_seed_at; "
                    f"print(check_seed_at({d}, {fc!r}, {seed}, r={r}).summary())",
                    strength=Strength.COMPUTED)


def atlas_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The Atlas's figure and reading of this claim's sweep rows (:data:`SWEEP`: one row per
    ``(d, r, fc, seed)``, ``observed`` = the CNN's ``m_eps``, ``bound`` = the fully connected
    learner's, ``2 TOP[r]`` where censored): per ``r`` (the largest with rows at two ``d`` or
    more; ``r = 1`` when both have), ``m_eps`` per learner, ``d`` and seed (the CNN's pooled over
    both comparisons), the exponent fits with their intervals (seeded by the rows' root seed) and
    the bounds' slopes, as :func:`check_scaling` draws them."""
    rows = check_rows("rows", rows, params=("d", "fc"),
                      fields=("observed", "bound", "root_seed"))
    m: dict[int, dict[str, dict[int, list[int | None]]]] = {}
    for row in rows:
        d, fc = int(row["params"]["d"]), str(row["params"]["fc"])
        r = int(row["params"].get("r", 1))
        for lr, v in (("CNN", row["observed"]), (fc, row["bound"])):
            m.setdefault(r, {}).setdefault(lr, {}).setdefault(d, []).append(
                None if v >= 2 * TOP[r] else int(v))
    fitted = sorted(r for r in m if len(m[r]["CNN"]) >= 2)
    if not fitted:
        return {"reading": f"m_{EPS}(d) measured at one d per r only: no exponent can be "
                           "fitted", "plot": None}
    seed = min(int(row["root_seed"]) for row in rows)
    readings, plots = [], {}
    for r in fitted:
        laws = {lr: fit_law(lr, m[r][lr], r=r, seed=seed) for lr in LEARNERS
                if lr in m[r] and len(m[r][lr]) >= 2}
        ds = sorted(m[r]["CNN"])
        fits = ", ".join(f"{lr} {f['exponent']:.2f} ({f['interval'][0]:.2f} to "
                         f"{f['interval'][1]:.2f})" for lr, f in laws.items())
        top = str(ds[-1])
        ratios = " and ".join(
            f"the {lr} {f['geometric_mean'][top] / laws['CNN']['geometric_mean'][top]:.3g}"
            for lr, f in laws.items() if lr != "CNN" and top in f["geometric_mean"])
        readings.append(
            f"n = d^{r}, d = {ds[0]}..{ds[-1]}: exponent b of m_{EPS}(d) ~ C d^b ({LEVEL:.0%} "
            f"bootstrap interval over seeds): {fits}; the bounds' exponents: 1 for the CNN "
            f"(Theorem 5.1), {2 * r} for the fully connected learners (Section 6); at d = {top} "
            f"the samples needed, as a multiple of the CNN's: {ratios}")
        plots[r] = law_plot(laws, r)
    plot = plots[fitted[0]]
    if len(fitted) > 1:  # one figure: each r named by its n; the legend (16 lines) above the data
        plot["series"] = [_short(s, fitted[0]) for s in plot["series"]]
        for r in fitted[1:]:
            plot["series"] += [{**_short(s, r), "spread": ""} for s in plots[r]["series"]]
            plot["ylim"] = [min(plot["ylim"][0], plots[r]["ylim"][0]),
                            max(plot["ylim"][1], plots[r]["ylim"][1]) * 1000]
        plot["title"] = plot["title"].replace(f"n=d^{fitted[0]}", "n=d^r")
    plot["note"] = "from the sweep store; " + plot["note"]
    return {"reading": "; ".join(readings), "plot": plot}


def _short(series: dict[str, Any], r: int) -> dict[str, Any]:
    """A series of :func:`law_plot` with its label prefixed by its ``n`` and shortened."""
    label = series["label"].split(" (through its first point")[0]
    label = label.replace(": geometric mean over seeds", " (geometric mean)")
    return {**series, "label": f"n=d^{r}: {label}"}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """The verdict rows at :data:`PROFILES`' ``profile``."""
    seed = check_seed("seed", seed)
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    p = PROFILES[profile]
    return check_scaling(p["plan"], seeds=p["seeds"], seed=seed)


def _sweep(params: dict[str, Any], seed: int) -> Evidence:
    return check_seed_at(int(params["d"]), str(params["fc"]), seed, r=int(params["r"]))


def _sweep_event(ev: Evidence) -> bool:
    return ev.verdict == Verdict.HOLDS


def _sweep_probability(params: dict[str, Any]) -> float:
    return 0.5


def _grid(plan: Mapping[str, Mapping[int, Any]], seeds: int) -> Grid:
    return Grid(tuple({"d": d, "r": r, "fc": fc} for fc in FC_LEARNERS if fc in plan
                      for r, ds in sorted(plan[fc].items()) for d in ds), seeds)


SWEEP = SweepSpec(
    CLAIM, {"quick": _grid({"SVM": {1: (3, 4, 5), 2: (3, 4)}}, 6),
            "standard": _grid(PROFILES["standard"]["plan"], PROFILES["standard"]["seeds"]),
            "thorough": _grid({"CNN": {1: _span(3, 20), 2: _span(3, 6)},
                               "SVM": {1: _span(3, 20), 2: _span(3, 6)},
                               "MLP": {1: _span(3, 8)}}, 40)},
    _sweep, event=_sweep_event, probability=_sweep_probability, batch=1,
    note="one seed per task: m_eps (eps = 0.05) of the CNN against the SVM or the MLP at one "
         "(d, r); the claimed success probability is above 1/2 (the sign test's null); the "
         "quick grid is small (the report runs it for the Atlas), the standard one is the "
         "standard profile's, the thorough grid (d = 3..20 at r = 1, 40 seeds) is meant for a "
         "cluster",
)

DECLARATION = ClaimDeclaration(
    key="sample-complexity",
    title="Sample complexity as a scaling law (CNN against fully connected learners)",
    names=(CLAIM, CLAIM_LEVEL, CLAIM_BOUNDS),
    statement=STATEMENT,
    location="Section 6 (after Proposition 6.1) and the abstract; Theorem 5.1; Section 7",
    assumptions=(),
    checkers=(check_scaling, check_seed_at),
    report_checks=report_checks,
    errata=None,
    sweeps=SWEEP,
    controls=(
        Control("b_FC - b_CNN >= 3 (the FC learner's m_eps grows at least d^3 faster than "
                "the CNN's)", effect_raised(3.0), claim=CLAIM,
                why="false on D: an FC exponent of at most about 2r against a CNN that grows "
                    "at least a little; refuted where the difference's interval lies below 3 "
                    "(the bounds' own difference, 2r - 1, is 1 at r = 1: the measured one is "
                    "above it, so a twin at 1 is true and could not be caught)"),
        Control("the CNN needs fewer samples at every seed of every d (win rate 1)",
                effect_raised(0.5), claim=CLAIM_LEVEL,
                why="refuted only where some seed has the CNN needing more samples"),
        Control("each exponent at least 1 below its bound's (the CNN's m_eps flat in d)",
                effect_raised(1.0), claim=CLAIM_BOUNDS,
                why="m_eps grows with d, so an exponent 1 below the CNN's bound (0) is false"),
    ),
)
