"""The tamper suite of :mod:`verify.certify`: each tampered file is derived from a real
certificate of the quick report (:func:`tests.certificates_tamper.quick_report`) and must be
refused, by the single-file check and by ``check --report``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from tests.certificates_tamper import quick_report, tampered
from verify import certify
from verify.certify.__main__ import main


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return quick_report(tmp_path_factory.mktemp("quick"))


@pytest.fixture
def copy(report, tmp_path):
    """A fresh copy of the quick report's folder; returns its index."""
    shutil.copytree(report.parent, tmp_path / "R_files")
    return tmp_path / "R_files" / report.name


def _certs(index: Path) -> Path:
    return index.parent / "certificates"


def _load(index: Path, name: str) -> dict:
    return json.loads((_certs(index) / name).read_text())


def _write(index: Path, name: str, cert: dict | str) -> Path:
    path = _certs(index) / name
    path.write_text(cert if isinstance(cert, str) else certify.dumps(cert))
    return path


def _check(path: Path, capsys) -> tuple[int, str]:
    status = main(["check", str(path)])
    return status, capsys.readouterr().out


def _check_report(index: Path, capsys) -> tuple[int, str]:
    status = main(["check", "--report", str(index)])
    return status, capsys.readouterr().out


LEMMA = "lemma_5_2_failure_probability-d5-k1000-l3.json"
SMALLEST = "smallest_k-d3-horizon104-k_star29-l3.json"
VC = "theorem_4_2_vc_dimension-d6-l3-n3.json"
EQ14 = "event_14_probability-m50.json"

# (file, path in the certificate, new value, the refusal's words): "What was found"
CASES = [
    (LEMMA, ("claim",), "Theorem 4.2", "claim is"),
    (LEMMA, ("inequality",), "P(Eq. 7 fails) > 1 for every k", "inequality is"),
    (SMALLEST, ("verdict",), "fails", "recomputed verdict 'holds'"),
    (VC, ("enclosure", "vc_dimension"), 3, "enclosure.vc_dimension is 3"),
    (LEMMA, ("enclosure", "bound"), "[0.02695178799634186849 +/- 5.47e-21]", "enclosure.bound"),
    (LEMMA, ("enclosure", "bits"), 128, "enclosure.bits is 128"),
    (LEMMA, ("enclosure", "quantity"), "[0.282002982842542 +/- 5.13e-16]", "enclosure.quantity"),
    (LEMMA, ("bound", 0, 1), "-6", "bound[0][1]"),
    (LEMMA, ("inputs", "extra"), 1, "malformed: unknown input 'extra'"),
    (LEMMA, ("extra",), 1, "malformed: unknown field 'extra'"),
    (LEMMA, ("enclosure",), "oops", "malformed: field 'enclosure' must be an object"),
    (LEMMA, ("inputs", "k"), 1000.0, "malformed: input 'k' must be an integer"),
    (LEMMA, ("inputs", "k"), 10**12, "too large to re-check: k = 10^12 > 10^9"),
    (EQ14, ("inputs", "m"), 10**9, "too large to re-check: m = 10^9 > 10^4"),
    (SMALLEST, ("inputs", "horizon"), 10**9, "too large to re-check: horizon = 10^9 > 6000"),
    (VC, ("inputs", "d"), 10**10, "too large to re-check: d = 10^10 > 2000"),
]


@pytest.mark.parametrize(("name", "path", "new", "why"), CASES)
def test_tampered_certificate__is_refused_alone_and_by_the_report(copy, capsys, name, path,
                                                                   new, why):
    file = _write(copy, name, tampered(_load(copy, name), path, new))
    status, out = _check(file, capsys)
    assert status == 1, out
    assert why in out, out
    status, out = _check_report(copy, capsys)
    assert status == 1, out
    assert f"{file}: NOT VERIFIED: SHA-256" in out, out


def test_untampered_quick_report__verifies(copy, capsys):
    status, out = _check_report(copy, capsys)
    assert status == 0, out
    assert out.splitlines()[-1].endswith("certificates verified and bound to 20 rows")


def test_other_parameters_under_the_original_name__are_refused(copy, capsys):
    """k = 999 saved as the k = 1000 file; Eq. 14 at another m saved as m = 100's file."""
    for name, other in ((LEMMA, certify.lemma_5_2_failure_probability(5, 3, 999)),
                        (EQ14, certify.event_14_probability(52))):
        file = _write(copy, name, other)
        status, out = _check(file, capsys)
        assert status == 1, out
        assert "is not the recomputed" in out, out
    status, out = _check_report(copy, capsys)
    assert status == 1, out
    assert out.count("SHA-256") == 2, out


def test_a_true_step_under_a_false_steps_name__is_refused_alone_and_by_the_report(copy, capsys):
    b9 = _load(copy, "algebra_step-B.9.json")
    true_step = _load(copy, "algebra_step-C.1.json")
    forged = {**true_step, "id": "B.9", "claim": "proof algebra B.9",
              "inequality": b9["inequality"]}
    file = _write(copy, "algebra_step-B.9.json", forged)
    # alone: B.9 is a step of the paper, whose inputs verify.certify states itself
    status, out = _check(file, capsys)
    assert status == 1, out
    assert "NOT VERIFIED: step B.9 of the paper has inputs.assumptions = " in out, out
    # with C.1's statement as well, the statement is not B.9's
    file = _write(copy, "algebra_step-B.9.json", {**true_step, "id": "B.9",
                                                  "claim": "proof algebra B.9"})
    status, out = _check(file, capsys)
    assert status == 1, out
    assert "NOT VERIFIED: step B.9 of the paper states " in out, out
    file = _write(copy, "algebra_step-B.9.json", forged)
    status, out = _check_report(copy, capsys)
    assert status == 1, out
    assert "algebra_step-B.9.json: NOT VERIFIED: SHA-256" in out, out
    # even with the digest updated, the file is not B.9 (and its verdict is not the row's)
    index = json.loads(copy.read_text())
    import hashlib

    for entry in index["certificates"]:
        if entry["file"].endswith("algebra_step-B.9.json"):
            entry["sha256"] = hashlib.sha256(file.read_bytes()).hexdigest()
    copy.write_text(json.dumps(index))
    status, out = _check_report(copy, capsys)
    assert status == 1, out
    assert "algebra_step-B.9.json: NOT VERIFIED: step B.9 of the paper has inputs." in out, out


def test_duplicate_keys__are_malformed(copy, capsys):
    text = (_certs(copy) / LEMMA).read_text()
    doubled = text.replace('"verdict": "fails"', '"verdict": "holds", "verdict": "fails"')
    status, out = _check(_write(copy, LEMMA, doubled), capsys)
    assert status == 1, out
    assert "malformed: duplicate key 'verdict'" in out, out


def test_nan_in_an_enclosure__is_malformed(copy, capsys):
    text = (_certs(copy) / LEMMA).read_text()
    cert = json.loads(text)
    cert["enclosure"]["bits"] = float("nan")
    status, out = _check(_write(copy, LEMMA, json.dumps(cert)), capsys)
    assert status == 1, out
    assert "malformed: NaN" in out, out


def test_a_trivially_true_algebra_goal__is_malformed(copy, capsys):
    cert = _load(copy, "algebra_step-E.6.json")
    lhs = cert["inputs"]["goal"][0]
    file = _write(copy, "algebra_step-E.6.json", tampered(cert, ("inputs", "goal", 2), lhs))
    status, out = _check(file, capsys)
    assert status == 1, out
    assert "trivially true" in out, out


@pytest.mark.parametrize("action", ["delete", "swap", "rename", "add", "edit_listed_digest",
                                    "unlisted_row"])
def test_report__catches_files_deleted_swapped_renamed_added(copy, capsys, action):
    certs = _certs(copy)
    a, b = certs / LEMMA, certs / EQ14
    if action == "delete":
        a.unlink()
    elif action == "swap":
        ta, tb = a.read_text(), b.read_text()
        a.write_text(tb)
        b.write_text(ta)
    elif action == "rename":
        a.rename(certs / "lemma_5_2_failure_probability-d5-k1001-l3.json")
    elif action == "add":
        (certs / "lemma_5_2_failure_probability-d5-k999-l3.json").write_text(
            certify.dumps(certify.lemma_5_2_failure_probability(5, 3, 999)))
    elif action == "edit_listed_digest":
        index = json.loads(copy.read_text())
        index["certificates"][0]["sha256"] = "0" * 64
        copy.write_text(json.dumps(index))
    else:  # a proved row whose certificate link was removed from the index
        index = json.loads(copy.read_text())
        index["sections"][0]["evidence"][0]["details"]["certificate"] = None
        copy.write_text(json.dumps(index))
    status, out = _check_report(copy, capsys)
    assert status == 1, out
    assert "NOT VERIFIED" in out
