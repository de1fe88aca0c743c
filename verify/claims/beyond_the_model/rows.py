"""From per-seed outcomes over a ``(mu, sigma)`` grid to the report's rows: success rates with
their Clopper-Pearson intervals, the measured boundary, the predicted one beside it, and the
phase diagram.

Decision rule for a boundary: a cell *survives* when its success rate is at least
:data:`SURVIVAL_RATE` (over the seeds where the conclusion is applicable). Along each column of
fixed ``mu``, the measured boundary ``sigma*(mu)`` lies between the last surviving ``sigma``
before the first failing one and that failing one (reported as their midpoint, good to half a
grid step); ``inf`` when every cell of the column survives, ``0`` when the cell at ``sigma = 0``
already fails. ``mu*`` is the same along the row ``sigma = 0``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from verify.claims.beyond_the_model.predictions import predicted_boundary, sigma_star_at
from verify.claims.beyond_the_model.run import CONCLUSIONS
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.stats import clopper_pearson
from verify.model.setting import Setting

__all__ = [
    "NAMES",
    "OUTSIDE",
    "SURVIVAL_RATE",
    "advantage_frontier",
    "axis_boundary",
    "cell_rates",
    "column_boundaries",
    "conclusion_row",
    "errors_row",
    "outside_assumptions",
]

SURVIVAL_RATE = 0.5
"""A cell survives when at least this fraction of its applicable seeds keep the conclusion."""

OUTSIDE = ("orthonormal patterns (mu = 0)", "noiseless inputs (sigma = 0)")
"""The paper's two modelling assumptions this section relaxes (Section 3): named in every row
with ``False``, so that every row is outside the paper's stated assumptions."""

Cell = tuple[float, float]


def outside_assumptions() -> dict[str, bool]:
    """Every row of the section is a map beyond D: both relaxed assumptions are marked as not
    holding for the grid as a whole (its rows never count as failures of the paper)."""
    return dict.fromkeys(OUTSIDE, False)


def cell_rates(outcomes: Mapping[Cell, Sequence[bool | None]]) -> dict[Cell, dict[str, Any]]:
    """Per cell ``(mu, sigma)``: applicable trials, successes, rate and its 95% Clopper-Pearson
    interval (``None`` outcomes, where a conditioning event failed, are left out)."""
    out = {}
    for cell, seen in outcomes.items():
        live = [bool(v) for v in seen if v is not None]
        n, x = len(live), sum(live)
        lo, hi = clopper_pearson(x, n) if n else (math.nan, math.nan)
        out[cell] = {"trials": n, "successes": x, "rate": x / n if n else math.nan,
                     "ci95": [lo, hi]}
    return out


def _survives(rate: float) -> bool | None:
    return None if math.isnan(rate) else rate >= SURVIVAL_RATE


def axis_boundary(values: Sequence[float], rates: Sequence[float]) -> dict[str, float]:
    """The measured boundary along one axis (values increasing): ``{"last_ok", "first_fail",
    "boundary"}``; ``boundary`` is their midpoint, ``inf`` if nothing fails, ``0`` if the first
    value fails. Cells with no applicable trial are skipped.

    Examples
    --------
    >>> axis_boundary([0.0, 0.1, 0.2], [1.0, 0.5, 0.25])
    {'last_ok': 0.1, 'first_fail': 0.2, 'boundary': 0.15000000000000002}
    >>> axis_boundary([0.0, 0.1], [1.0, 1.0])["boundary"]
    inf
    """
    last_ok = math.nan
    for v, r in zip(values, rates, strict=True):
        ok = _survives(r)
        if ok is None:
            continue
        if not ok:
            b = 0.0 if math.isnan(last_ok) else (last_ok + v) / 2
            return {"last_ok": last_ok, "first_fail": float(v), "boundary": b}
        last_ok = float(v)
    return {"last_ok": last_ok, "first_fail": math.inf, "boundary": math.inf}


def column_boundaries(mus: Sequence[float], sigmas: Sequence[float],
                      rates: Mapping[Cell, Mapping[str, Any]]) -> list[float]:
    """``sigma*(mu)`` for each ``mu`` (:func:`axis_boundary` along ``sigma``)."""
    return [axis_boundary(sigmas, [rates[(mu, s)]["rate"] for s in sigmas])["boundary"]
            for mu in mus]


def _shown(v: float, top: float) -> float:
    """A boundary drawn inside the plot: ``inf`` at the top edge."""
    return top if math.isinf(v) else v


def _phase_plot(title: str, mus, sigmas, rates, measured, predicted) -> dict[str, Any]:
    top = max(sigmas) + (sigmas[1] - sigmas[0] if len(sigmas) > 1 else 0.05) / 2
    series = [{"label": "measured boundary sigma*(mu) (midpoint; drawn at the top: survives "
                        "the grid)", "x": list(mus), "y": [_shown(b, top) for b in measured],
               "style": "points"}]
    if not any(math.isnan(p) for p in predicted):
        series.append({"label": "predicted sigma*(mu) (first order; docs/explanation/"
                                "beyond-the-model.md)", "x": list(mus),
                       "y": [min(_shown(p, top), top) for p in predicted], "style": "bound"})
    return {
        "title": title, "xlabel": "mu (coherence: o_i . o_j for i != j)",
        "ylabel": "sigma (input noise per coordinate; square-root axis)", "logx": False,
        "logy": False,
        "image": {"x": list(mus), "y": list(sigmas),
                  "z": [[rates[(mu, s)]["rate"] for mu in mus] for s in sigmas],
                  "label": f"success rate over seeds (survives: >= {SURVIVAL_RATE})",
                  "vmin": 0.0, "vmax": 1.0, "yscale": "sqrt"},
        "series": series, "legend": "upper right",
        "note": "outside the paper's model (Section 3 assumes orthonormal patterns and no noise)",
    }


def _text(v: float) -> str:
    return "beyond the grid" if math.isinf(v) else f"{v:.3g}"


def conclusion_row(conclusion: str, setting: Setting, mus: Sequence[float],
                   sigmas: Sequence[float], outcomes: Mapping[Cell, Sequence[bool | None]],
                   *, reproduce: str, fresh: int = 50) -> Evidence:
    """One row: where ``conclusion`` survives over the grid, for the regime ``setting`` (its
    seed is the first of the seeds run), against its first-order prediction. ``observed`` is
    the measured ``sigma*`` at ``mu = 0``, ``bound`` the predicted one, ``slack`` their
    difference (positive: the prediction is pessimistic; ``nan`` when either is beyond the
    grid or there is no prediction). The verdict is
    ``fails`` when some cell of the grid fails (a boundary lies inside it), ``holds`` when
    every cell survives; either way the row is outside the paper's assumptions."""
    mus, sigmas = [float(m) for m in mus], [float(s) for s in sigmas]
    rates = cell_rates(outcomes)
    measured = column_boundaries(mus, sigmas, rates)
    pred = predicted_boundary(conclusion, setting, fresh=fresh)
    predicted = [sigma_star_at(pred, mu) for mu in mus]
    mu_axis = axis_boundary(mus, [rates[(mu, sigmas[0])]["rate"] for mu in mus])
    sigma_axis = axis_boundary(sigmas, [rates[(mus[0], s)]["rate"] for s in sigmas])
    any_fail = any(_survives(r["rate"]) is False for r in rates.values())
    title = f"{NAMES[conclusion]} (d = {setting.d}, k = {setting.k})"
    agree_sigma = _agreement(sigma_axis, sigma_star_at(pred, mus[0]))
    agree_mu = _agreement(mu_axis, pred["mu_star"])
    details = {
        "conclusion": conclusion, "mu": mus, "sigma": sigmas,
        "cells": [{"mu": mu, "sigma": s, **rates[(mu, s)]} for s in sigmas for mu in mus],
        "measured_sigma_star_by_mu": measured, "predicted_sigma_star_by_mu": predicted,
        "measured_mu_star_at_sigma_0": mu_axis, "predicted_mu_star": pred["mu_star"],
        "measured_sigma_star_at_mu_0": sigma_axis, "predicted_sigma_star": pred["sigma_star"],
        "agreement": {"sigma_at_mu_0": agree_sigma, "mu_at_sigma_0": agree_mu},
        "survival_rate": SURVIVAL_RATE,
        "plot": _phase_plot(title, mus, sigmas, rates, measured, predicted),
    }
    reason = (f"outside the paper's model (a map, never a failure of the paper): measured "
              f"sigma* at mu = 0: {_text(sigma_axis['boundary'])} (predicted "
              f"{_text(pred['sigma_star'])}, {agree_sigma}); measured mu* at sigma = 0: "
              f"{_text(mu_axis['boundary'])} (predicted {_text(pred['mu_star'])}, {agree_mu})")
    observed = sigma_axis["boundary"]
    bound = pred["sigma_star"]
    return Evidence(
        claim=NAMES[conclusion], statement=CONCLUSIONS[conclusion],
        verdict=Verdict.FAILS if any_fail else Verdict.HOLDS, observed=observed, bound=bound,
        slack=observed - bound if math.isfinite(observed) and math.isfinite(bound) else math.nan,
        slack_kind="difference", tolerance=0.0,
        params={**setting.as_dict(), "mu": mus, "sigma": sigmas,
                "seeds": max((len(v) for v in outcomes.values()), default=0)},
        assumptions=outside_assumptions(), reason=reason, details=details,
        reproduce=reproduce, strength=Strength.STATISTICAL)


def _agreement(measured: Mapping[str, float], predicted: float) -> str:
    """Whether the predicted boundary lies in the measured interval ``(last_ok, first_fail]``
    (or both are beyond the grid), else which side it errs on."""
    lo, hi = measured["last_ok"], measured["first_fail"]
    if math.isnan(predicted):
        return "no prediction"
    if math.isinf(hi):
        return "agree (both beyond the grid)" if predicted > lo or math.isnan(lo) \
            else "prediction too pessimistic (measured survives the grid)"
    if (math.isnan(lo) or predicted >= lo) and predicted <= hi:
        return "agree (within one grid step)"
    return "prediction too pessimistic" if predicted < lo else "prediction too optimistic"


def errors_row(setting: Setting, mus: Sequence[float], sigmas: Sequence[float],
               errors: Mapping[Cell, Sequence[tuple[float, ...]]], *,
               reproduce: str) -> Evidence:
    """LW_CNN's test error against the SVM's over the grid. Per cell: the mean errors over the
    seeds and the fraction of seeds where the CNN's error is strictly below the SVM's (its
    Clopper-Pearson interval); the phase diagram colours that fraction and marks, for each
    ``sigma``, the *advantage frontier*: the largest ``mu`` up to which the CNN's mean error
    stays below the SVM's. An optional third error per seed is the MLP's (``nan`` where it was
    not trained): its mean per cell, and the cells where the CNN is ahead of it, are reported
    beside. The verdict is ``holds`` when the CNN is ahead of the SVM on average in every cell,
    else ``fails``; the row is outside the paper's assumptions either way."""
    mus, sigmas = [float(m) for m in mus], [float(s) for s in sigmas]
    wins = cell_rates({c: [e[0] < e[1] for e in v] for c, v in errors.items()})
    mean = {c: (sum(e[0] for e in v) / len(v), sum(e[1] for e in v) / len(v))
            for c, v in errors.items()}
    cells = [{"mu": mu, "sigma": s, "cnn_error": mean[(mu, s)][0],
              "svm_error": mean[(mu, s)][1], "cnn_better_rate": wins[(mu, s)]["rate"],
              "cnn_better_ci95": wins[(mu, s)]["ci95"]} for s in sigmas for mu in mus]
    frontier = advantage_frontier(mus, sigmas, mean)
    reading = _advantage_reading(mus, sigmas, frontier, mean)
    mlp = _mlp_means(errors)
    if mlp:
        trained = [c for c in cells if (c["mu"], c["sigma"]) in mlp]
        for c in trained:
            c["mlp_error"] = mlp[(c["mu"], c["sigma"])]
        beat = sum(c["cnn_error"] < c["mlp_error"] for c in trained)
        reading += (f"; against Section 7's MLP (same m): LW_CNN's mean test error below the "
                    f"MLP's in {beat} of the {len(trained)} cells where it was trained")
    ahead = sum(c["cnn_error"] < c["svm_error"] for c in cells)
    gap = max(c["cnn_error"] - c["svm_error"] for c in cells)
    shown = [(f, s) for f, s in zip(frontier, sigmas, strict=True) if not math.isnan(f)]
    plot = {
        "title": f"{NAMES['cnn_beats_svm']} (d = {setting.d}, m = {setting.m})",
        "xlabel": "mu (coherence: o_i . o_j for i != j)",
        "ylabel": "sigma (input noise per coordinate; square-root axis)", "logx": False,
        "logy": False,
        "image": {"x": mus, "y": sigmas,
                  "z": [[wins[(mu, s)]["rate"] for mu in mus] for s in sigmas],
                  "label": "fraction of seeds where LW_CNN's test error < the SVM's",
                  "vmin": 0.0, "vmax": 1.0, "yscale": "sqrt"},
        "series": [{"label": "advantage frontier: largest mu with mean CNN error < SVM's",
                    "x": [f for f, _ in shown], "y": [s for _, s in shown],
                    "style": "points"}],
        "legend": "upper right",
        "note": "outside the paper's model; test errors: Monte Carlo, 2,000 fresh draws",
    }
    return Evidence(
        claim=NAMES["cnn_beats_svm"], statement=CONCLUSIONS["cnn_beats_svm"],
        verdict=Verdict.HOLDS if ahead == len(cells) else Verdict.FAILS,
        observed=gap, bound=0.0, slack=-gap, slack_kind="difference",
        params={**setting.as_dict(), "mu": mus, "sigma": sigmas,
                "seeds": max((len(v) for v in errors.values()), default=0)},
        assumptions=outside_assumptions(), reason=f"outside the paper's model: {reading}",
        details={"cells": cells, "cnn_ahead_cells": ahead, "advantage_frontier_mu": frontier,
                 "advantage": reading, "plot": plot},
        reproduce=reproduce, strength=Strength.STATISTICAL)


def _mlp_means(errors: Mapping[Cell, Sequence[tuple[float, ...]]]) -> dict[Cell, float]:
    """The MLP's mean test error in each cell where every seed has one."""
    return {c: sum(e[2] for e in v) / len(v) for c, v in errors.items()
            if v and all(len(e) > 2 and not math.isnan(e[2]) for e in v)}


def advantage_frontier(mus: Sequence[float], sigmas: Sequence[float],
                       mean: Mapping[Cell, tuple[float, float]]) -> list[float]:
    """For each ``sigma``: the largest ``mu`` such that the CNN's mean test error is below the
    SVM's at every ``mu' <= mu`` of the grid (``nan`` if it is not ahead at ``mu = mus[0]``).

    Examples
    --------
    >>> mean = {(0.0, 0.0): (0.0, 0.0), (0.5, 0.0): (0.0, 0.0),
    ...         (0.0, 0.1): (0.1, 0.2), (0.5, 0.1): (0.3, 0.2)}
    >>> advantage_frontier([0.0, 0.5], [0.0, 0.1], mean)
    [nan, 0.0]
    """
    out = []
    for s in sigmas:
        last = math.nan
        for mu in mus:
            cnn, svm = mean[(mu, s)]
            if not cnn < svm:
                break
            last = mu
        out.append(last)
    return out


def _advantage_reading(mus: Sequence[float], sigmas: Sequence[float],
                       frontier: Sequence[float],
                       mean: Mapping[Cell, tuple[float, float]]) -> str:
    """The frontier in words, sigma by sigma, and how many cells the CNN is ahead of, tied with
    (equal mean errors, e.g. both 0) and behind the SVM."""
    parts = []
    for s, f in zip(sigmas, frontier, strict=True):
        if math.isnan(f):
            cnn, svm = mean[(mus[0], s)]
            how = "tied" if cnn == svm else "behind"
            parts.append(f"sigma = {s:g}: {how} at mu = {mus[0]:g}")
        elif f == mus[-1]:
            parts.append(f"sigma = {s:g}: ahead at every mu <= {f:g}")
        else:
            parts.append(f"sigma = {s:g}: ahead for mu <= {f:g}")
    ahead = sum(c < v for c, v in mean.values())
    tied = sum(c == v for c, v in mean.values())
    behind = [(mu, s) for (mu, s), (c, v) in sorted(mean.items()) if c > v]
    where = ""
    if behind:
        where = (" (behind at mu >= " + f"{min(mu for mu, _ in behind):g}" + ", sigma <= "
                 + f"{max(s for _, s in behind):g})")
    return (f"LW_CNN's mean test error against the SVM's: ahead in {ahead}, tied in {tied}, "
            f"behind in {len(behind)} of {len(mean)} cells{where}; " + "; ".join(parts))


NAMES: dict[str, str] = {
    "alignment": "Beyond the model: Lemma 5.3 alignment",
    "off_pattern": "Beyond the model: Lemma 5.3 item 2",
    "argmax": "Beyond the model: Lemma 5.3 argmax",
    "response": "Beyond the model: Lemma 5.5",
    "output": "Beyond the model: Lemma C.2",
    "separable": "Beyond the model: S2 separable",
    "cnn_beats_svm": "Beyond the model: LW_CNN beats the SVM",
}
"""The claim names of the section's rows."""
