"""Every registered claim (:func:`verify.claims.declarations`) declares a negative control for each
of its names, and the control runs: re-judged on recorded rows of that claim (from the quick
report, seed 0, trimmed to what the twins read: ``tests/data/claim_rows.json``, written by
``python tests/data/claim_rows.py REPORT_JSON``), it judges at least one row. The rows of
Section 7's comparisons, of the scaling law and of Beyond the model are built here by the
claims' own row builders, from small made-up inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from verify.claims import declarations
from verify.report.document import claim_summary, inside_stated_assumptions
from verify.report.runner import SectionResult

ROWS: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "data" / "claim_rows.json").read_text(encoding="utf-8"))
NAMES = [(d, n) for d in declarations() for n in d.names]


def _beyond_rows() -> list[dict[str, Any]]:
    from verify.claims.beyond_the_model import CONCLUSIONS, regime
    from verify.claims.beyond_the_model.rows import conclusion_row, errors_row

    mus, sigmas = (0.0, 0.5), (0.0, 0.5)
    outcomes = {(m, s): [True, m == 0.0] for m in mus for s in sigmas}
    rows = [conclusion_row(c, regime(3, 0), mus, sigmas, outcomes, reproduce="x")
            for c in CONCLUSIONS]
    errors = {(m, s): [(0.1, 0.2 if m == 0.0 else 0.05)] for m in mus for s in sigmas}
    rows.append(errors_row(regime(3, 0), mus, sigmas, errors, reproduce="x"))
    return [r.as_dict() for r in rows]


def _section_7_rows() -> list[dict[str, Any]]:
    from dataclasses import replace

    from verify.claims.figure_3c import CLAIM as FIG3C
    from verify.claims.section_7.verdicts import check_growth_with_n, check_outperforms

    base = {"ConvPool": 0.1, "MLP": 0.3, "SVM": 0.35}
    sizes = [{"repeat": r, "n": 10, "m": m, "model": model, "train_error": 0.0,
              "test_error": err + 0.01 * r - 0.001 * m}
             for r in range(5) for m in (20, 40, 80) for model, err in base.items()]
    growth = [{"repeat": r, "n": n, "m": 60, "model": model, "train_error": 0.0,
               "test_error": err * (1 + (0.05 if model == "ConvPool" else 0.5) * n / 10)
               + 0.002 * r} for r in range(5) for n in (10, 20, 40) for model, err in
              base.items()]
    rows = [check_outperforms(sizes, figure="fig3a"), check_growth_with_n(growth)]
    fig3c = replace(check_outperforms(sizes, figure="fig3c"), claim=FIG3C)
    return [r.as_dict() for r in (*rows, fig3c)]


def _scaling_rows() -> list[dict[str, Any]]:
    import numpy as np

    from verify.claims.sample_complexity.law import fit_law
    from verify.claims.sample_complexity.verdicts import bound_row, growth_row, level_row

    rng = np.random.default_rng(11)
    ds = (3, 4, 6, 8)

    def draw(c: float, b: float) -> dict[int, list[int]]:
        return {d: [int(max(2, round(c * d**b * np.exp(z)))) for z in rng.normal(0, 0.2, 12)]
                for d in ds}

    cnn, svm = draw(4.0, 0.5), draw(2.0, 2.0)
    rows = [growth_row("SVM", 1, cnn, svm, seed=0, params={"seed": 0}, reproduce=""),
            level_row("SVM", 1, cnn, svm, params={"seed": 0}, reproduce=""),
            bound_row("CNN", 1, fit_law("CNN", cnn, r=1, seed=0), params={"seed": 0},
                      reproduce="")]
    return [r.as_dict() for r in rows]



def _rows(name: str) -> list[dict[str, Any]]:
    built: list[dict[str, Any]] = []
    if name.startswith("Beyond the model"):
        built = _beyond_rows()
    elif name in ("Section 7", "Section 7 (Fig. 3c, digits)"):
        built = _section_7_rows()
    elif name.startswith("Sample complexity"):
        built = _scaling_rows()
    return [r for r in built if r["claim"] == name] or ROWS.get(name, [])


@pytest.mark.parametrize(("declaration", "name"), NAMES, ids=[n for _, n in NAMES])
def test_every_claim_declares_a_control(declaration, name):
    control = declaration.control_of(name)
    assert control is not None, f"{name}: no negative control declared"
    assert control.twin
    assert control.why


RUNNABLE = [(d, n) for d, n in NAMES if _rows(n)]


@pytest.mark.parametrize(("declaration", "name"), RUNNABLE, ids=[n for _, n in RUNNABLE])
def test_every_control_runs_on_its_claims_rows(declaration, name):
    rows = _rows(name)
    outcome = declaration.control_of(name).outcome(rows, inside_stated_assumptions)
    applicable = [r for r in rows if r["verdict"] not in ("not applicable", "not tested")]
    if not applicable:
        # a claim whose every recorded row is not applicable: the control cannot run, and says so
        assert outcome["outcome"] == "not run"
        return
    assert outcome["regimes"] >= 1, f"{name}: the control judged no row ({outcome})"
    assert outcome["outcome"] in ("caught", "not caught")


def test_recorded_rows_cover_every_claim_but_the_map():
    missing = [n for _, n in NAMES if not _rows(n)]
    assert missing == []


@pytest.mark.parametrize(("name", "verdict", "control"), [
    # the quick report's findings, re-judged from its recorded rows
    ("Theorem 5.1 (non-vacuous bound)",
     "holds; cannot fail at the regimes run (negative control not caught)", "not caught"),
    ("Proposition 6.1", "holds", "caught"),
    ("Eq. 14", "holds", "caught"),
])
def test_summary_of_recorded_rows(name, verdict, control):
    declaration = next(d for d, n in NAMES if n == name)
    result = SectionResult(key=declaration.key, evidence=_rows(name), seconds=0.0)
    row = next(r for r in claim_summary(declaration, result) if r["claim"] == name)
    assert (row["verdict"], row["control"]["outcome"]) == (verdict, control)
