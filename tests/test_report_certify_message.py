"""The Summary's line on certificates (:func:`verify.report.certificates.summary_lines`) says
the ``certify`` extra is needed only when it is missing and the run holds a part that would
have made a certificate; :data:`~verify.report.certificates.CERTIFYING` lists exactly the claim
modules that make them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verify.report import certificates
from verify.report.certificates import CERTIFYING, summary_lines
from verify.report.registry import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
NEEDED = "the `certify` extra, python-flint and z3-solver, is needed"


def _doc(*modules: str, algebra=(), errata=()) -> dict:
    return {"sections": [{"module": m, "run": True, "evidence": [{"strength": "computed"}]}
                         for m in modules], "algebra": list(algebra), "errata": list(errata),
            "certificates": []}


@pytest.mark.parametrize("installed", [True, False])
def test_summary_lines__a_claim_with_nothing_to_certify_never_asks_for_the_extra(
        installed, monkeypatch):
    monkeypatch.setattr("verify.evidence.certified.available", lambda: installed)
    (line,) = summary_lines(_doc("verify.claims.first_layer_drift"))
    assert NEEDED not in line
    assert "no certificates: no claim run here makes one" in line


def test_summary_lines__asks_for_the_extra_when_missing_and_something_would_be_certified(
        monkeypatch):
    monkeypatch.setattr("verify.evidence.certified.available", lambda: False)
    for doc in (_doc("verify.claims.lemma_5_2"), _doc(algebra=[{"id": "B.9"}]),
                _doc(errata=[{"evidence": "x"}])):
        (line,) = summary_lines(doc)
        assert NEEDED in line, doc


def test_summary_lines__with_the_extra_installed_never_asks_for_it(monkeypatch):
    monkeypatch.setattr("verify.evidence.certified.available", lambda: True)
    (line,) = summary_lines(_doc("verify.claims.lemma_5_2"))
    assert NEEDED not in line


def _sources(module: str) -> str:
    path = ROOT.joinpath(*module.split("."))
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_certifying__lists_every_claim_module_that_makes_certificates():
    makes = re.compile(r"verify\.evidence\.certified|from verify import certify|verify\.certify")
    modules = {s.module for s in SECTIONS}
    assert set(CERTIFYING) <= modules
    assert {m for m in modules if makes.search(_sources(m))} == set(CERTIFYING)


def test_would_certify__reads_the_modules_run():
    assert certificates._would_certify(_doc("verify.claims.event_14"))
    assert not certificates._would_certify(_doc("verify.claims.lemma_c1"))
    not_run = _doc("verify.claims.event_14")
    not_run["sections"][0]["run"] = False
    assert not certificates._would_certify(not_run)
