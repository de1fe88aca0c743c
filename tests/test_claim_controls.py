"""Every registered claim (:func:`verify.claims.declarations`) declares a negative control for each
of its names, and the control runs: re-judged on recorded rows of that claim (from the quick
report, seed 0, trimmed to what the twins read: ``tests/data/claim_rows.json``, written by
``python tests/data/claim_rows.py REPORT_JSON``), it judges at least one row. Beyond the
model's rows are built here with its own row builder."""

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


def _rows(name: str) -> list[dict[str, Any]]:
    if name.startswith("Beyond the model"):
        return [r for r in _beyond_rows() if r["claim"] == name]
    return ROWS.get(name, [])


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
