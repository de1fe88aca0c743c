"""The Atlas's figure of a "Beyond the model" sweep: the phase diagram of one conclusion drawn
from a sweep store's rows (one row per ``(mu, sigma, d, seed)``), with the same rates, decision
rule and predicted boundary as the report's rows (:mod:`verify.claims.beyond_the_model.rows`)."""

from __future__ import annotations

from typing import Any

from verify._validate import check_rows
from verify.claims.beyond_the_model.predictions import predicted_boundary, sigma_star_at
from verify.claims.beyond_the_model.rows import (
    NAMES,
    SURVIVAL_RATE,
    _phase_plot,
    _text,
    axis_boundary,
    cell_rates,
    column_boundaries,
)
from verify.evidence import Verdict

__all__ = ["atlas_figure"]

_OUTCOME = {Verdict.HOLDS.value: True, Verdict.FAILS.value: False}


def atlas_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"reading", "plot"}`` for the rows of one conclusion's sweep (``params`` parsed, with
    ``mu``, ``sigma`` and ``d``): the phase diagram of the smallest ``d`` swept, and, per ``d``,
    the measured boundaries against the predicted ones in words (``sigma*`` at the smallest
    ``mu``, ``mu*`` at the smallest ``sigma``)."""
    from verify.claims.beyond_the_model import regime

    rows = check_rows("rows", rows, params=("mu", "sigma", "d"), fields=("observed",))
    by_name = {v: k for k, v in NAMES.items()}
    conclusion = by_name.get(rows[0].get("claim"))
    if conclusion is None or any(r.get("claim") != rows[0]["claim"] for r in rows):
        raise ValueError(f"rows must all be of one of {sorted(by_name)}")
    words, plot = [], None
    for d in sorted({int(r["params"]["d"]) for r in rows}):
        outcomes: dict[tuple[float, float], list[bool | None]] = {}
        for r in rows:
            if int(r["params"]["d"]) == d:
                cell = (float(r["params"]["mu"]), float(r["params"]["sigma"]))
                outcomes.setdefault(cell, []).append(_OUTCOME.get(r["verdict"]))
        mus = sorted({c[0] for c in outcomes})
        sigmas = sorted({c[1] for c in outcomes})
        if len(outcomes) != len(mus) * len(sigmas):
            raise ValueError(f"rows: d = {d} does not cover a full (mu, sigma) grid")
        rates = cell_rates(outcomes)
        pred = predicted_boundary(conclusion, regime(d, 0))
        predicted = [sigma_star_at(pred, mu) for mu in mus]
        measured = column_boundaries(mus, sigmas, rates)
        at0 = axis_boundary(sigmas, [rates[(mus[0], s)]["rate"] for s in sigmas])["boundary"]
        mu0 = axis_boundary(mus, [rates[(mu, sigmas[0])]["rate"] for mu in mus])["boundary"]
        if conclusion == "cnn_beats_svm":  # a region where it holds, not a boundary where it ends
            won = [f"({mu:g}, {s:g})" for (mu, s), r in sorted(rates.items())
                   if r["rate"] > SURVIVAL_RATE]
            words.append(f"d = {d}: LW_CNN's test error below the SVM's on most seeds at "
                         f"(mu, sigma) in {{{', '.join(won)}}} ({len(won)} of {len(rates)} "
                         "cells)")
        else:
            words.append(f"d = {d}: sigma* at mu = {mus[0]:g} measured {_text(at0)}, predicted "
                         f"{_text(sigma_star_at(pred, mus[0]))}; mu* at sigma = {sigmas[0]:g} "
                         f"measured {_text(mu0)}, predicted {_text(pred['mu_star'])}")
        if plot is None and len(mus) > 1 and len(sigmas) > 1:
            plot = _phase_plot(f"{NAMES[conclusion]} (d = {d}; sweep store)", mus, sigmas,
                               rates, measured, predicted)
    if plot is not None and conclusion == "cnn_beats_svm":
        plot["series"] = []  # a region, not a boundary: the colours say it
    return {"reading": "outside the paper's model: " + "; ".join(words), "plot": plot}
