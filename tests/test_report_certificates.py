"""Tests of :mod:`verify.report.certificates`: the report writes its certificates, references
them from the document, marks proved findings and counts them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from verify.claims.lemma_5_2 import check_lemma_5_2_exact
from verify.evidence.certified import certify_lemma_5_2
from verify.report.certificates import mark, summary_lines, write_certificates

ROOT = Path(__file__).resolve().parents[1]


def _doc():
    proved = certify_lemma_5_2(check_lemma_5_2_exact(5, 3, 1000)).as_dict()
    plain = check_lemma_5_2_exact(3, 3, 216).as_dict()
    return {"sections": [{"evidence": [proved, plain, json.loads(json.dumps(proved))]}],
            "errata": [{"evidence": "[proved] (certificate x) ..."}, {"evidence": "other"}]}


def test_write_certificates__writes_references_and_removes_stale(tmp_path):
    files = tmp_path / "r_files"
    (files / "certificates").mkdir(parents=True)
    (files / "certificates" / "old.json").write_text("{}")
    (files / "certificates" / "keep.txt").write_text("not ours")
    doc = _doc()
    names = write_certificates(doc, files, "r_files")
    assert names == ["lemma_5_2_failure_probability-d5-k1000-l3.json"]
    assert sorted(p.name for p in (files / "certificates").iterdir()) == ["keep.txt", *names]
    link = "r_files/certificates/" + names[0]
    digest = hashlib.sha256((files / "certificates" / names[0]).read_bytes()).hexdigest()
    assert doc["certificates"] == [{"file": link, "claim": "Lemma 5.2",
                                    "kind": "lemma_5_2_failure_probability",
                                    "inputs": {"d": 5, "l": 3, "k": 1000}, "verdict": "fails",
                                    "sha256": digest}]
    index = json.loads((files / "certificates.json").read_text())
    assert index["root"] == ".."
    assert index["certificates"] == doc["certificates"]
    assert [ev["details"]["certificate"] for ev in index["sections"][0]["evidence"]] == [link] * 2
    assert doc["sections"][0]["evidence"][0]["details"]["certificate"] == link
    res = subprocess.run([sys.executable, "-m", "verify.certify", "check",
                          str(files / "certificates" / names[0])], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mark_and_summary_lines__count_proved_rows_and_errata(tmp_path):
    doc = _doc()
    write_certificates(doc, tmp_path, "t")
    evs = doc["sections"][0]["evidence"]
    assert [mark(e) for e in evs] == [" [proved]", "", " [proved]"]
    (line,) = summary_lines(doc)
    assert line.startswith("Proved findings: 2 of 3 evidence rows (2 failures, 0 holds) and "
                           "1 errata")
    assert "python -m verify.certify check --report t/certificates.json" in line


def test_summary_lines__without_certificates_says_so():
    (line,) = summary_lines({"sections": [], "errata": []})
    assert "no certificates" in line


def test_write_certificates__the_proof_algebras_z3_certificates(tmp_path):
    from verify.certify import check
    from verify.claims.proof_algebra import algebra_checks

    doc = {"sections": [], "algebra": [c.as_dict() for c in algebra_checks()]}
    names = write_certificates(doc, tmp_path, "t")
    assert "algebra_step-B.9.json" in names  # a false step: Z3's counterexample
    # every Z3 agreement has its certificate, except a step decided by induction (B.5): its
    # base case and step are separate checks, and no one certificate decides it
    z3_agree = [c for c in doc["algebra"] if c["second_prover"]["agreement"] == "agree"
                and c["second_prover"]["engine"] == "Z3"]
    induction = {c["id"] for c in z3_agree if "induction" in c["second_prover"]["text"]}
    assert induction == {"B.5"}
    assert len(names) == len(z3_agree) - len(induction)
    for name in names:
        assert check(json.loads((tmp_path / "certificates" / name).read_text())).ok, name


def test_errata__certified_items_start_with_proved():
    from verify.claims import proposition_6_1, theorem_4_2
    from verify.claims.errata import text_errata

    t42 = theorem_4_2.errata()
    assert t42[0].evidence.startswith(
        "[proved] (certificate theorem_4_2_vc_dimension-d6-l3-n3.json: fails")
    assert t42[1].evidence.startswith(
        "[proved] at d = 10 (the other values computed) (certificate "
        "theorem_4_2_vc_dimension-d10-l10-n5.json: holds")
    assert not any(e.evidence.startswith("[proved]") for e in t42[2:])  # not certificates
    # the certificates the errata name are written by the report's rows in every profile
    for regimes in theorem_4_2._VC_REGIMES.values():
        assert {(3, 3), (5, 10)} <= set(regimes)
    assert proposition_6_1.errata()[0].evidence.startswith("[proved] (certificates "
                                                            "proposition_6_1_kkt-")
    b9 = [e for e in text_errata() if e.found_by.endswith("(check B.9)")]
    assert b9
    assert b9[0].evidence.startswith("[proved] (certificate algebra_step-B.9.json: fails")


def test_write_certificates__leaves_the_cached_algebra_checks_alone(tmp_path):
    from verify.claims.proof_algebra import algebra_checks

    doc = {"sections": [], "algebra": [c.as_dict() for c in algebra_checks()]}
    write_certificates(doc, tmp_path, "t")
    b9 = next(c for c in algebra_checks() if c.id == "B.9")
    assert isinstance(b9.second["certificate"], dict)  # not the report's link
