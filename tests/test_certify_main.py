"""``python -m verify.certify``'s own code, in process (fast): its help, each usage error's one
line, the line each file gets (a renamed file, an unreadable path), ``--report`` through the
same ``check_file``, the arguments read from ``sys.argv``, and every line flushed as printed."""

from __future__ import annotations

import hashlib
import json
import sys

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from tests.certificates_tamper import FlushRecorder
from verify import certify
from verify.certify.__main__ import check_file, check_files, main


def _good(tmp_path, name=None):
    cert = certify.event_14_probability(100)
    path = tmp_path / (name or certify.file_name(cert))
    path.write_text(certify.dumps(cert))
    return path


def test_help__names_the_program_its_arguments_and_the_status_lines(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m verify.certify [-h] [--report INDEX] {check} "
                          "[PATH ...]\n")
    for text in ("Re-verify certificates from their inputs alone, without the checkers.",
                 "{check}         re-verify certificate files",
                 "PATH            certificate files",
                 "--report INDEX  the report's certificate index "
                 "(<stem>_files/certificates.json or report.json):",
                 "check every certificate it binds to a proved row",
                 "\nstatus lines: verified, NOT VERIFIED, malformed, too large to re-check\n"):
        assert text in out, text


@pytest.mark.parametrize(("argv", "line"), [
    (["check"], "give at least one PATH, or --report INDEX"),
    (["check", "x.json", "--report", "r.json"], "give PATHs or --report INDEX, not both"),
    (["check", "--report", "missing.json"], "--report: 'missing.json' is not a readable file"),
    (["check", "missing.json"], "'missing.json' is not a readable file"),
])
def test_main__each_usage_error(argv, line, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"verify.certify: error: {line}\n"


def test_main__only_the_check_command(tmp_path, capsys):
    good = _good(tmp_path)
    assert main(["verify", str(good)]) == 2
    assert capsys.readouterr().err == ("verify.certify: error: argument command: invalid "
                                       "choice: 'verify' (choose from 'check')\n")


def test_main__reads_sys_argv(tmp_path, capsys, monkeypatch):
    good = _good(tmp_path)
    monkeypatch.setattr(sys, "argv", ["python -m verify.certify", "check", str(good)])
    assert main() == 0
    assert capsys.readouterr().out.startswith(f"{good}: verified: holds")


def test_check_file__a_renamed_file_is_not_verified(tmp_path):
    path = _good(tmp_path, "event_14_probability-m99.json")
    assert check_file(path) == (
        False, f"{path}: NOT VERIFIED: file name 'event_14_probability-m99.json' is not the "
               f"recomputed 'event_14_probability-m100.json'")
    ok, line = check_file(_good(tmp_path))
    assert ok is True
    assert line.startswith(f"{tmp_path}/event_14_probability-m100.json: verified: holds: ")


def test_check_file__an_unreadable_path(tmp_path):
    folder = tmp_path / "d.json"
    folder.mkdir()
    assert check_file(folder) == (False, f"{folder}: NOT VERIFIED: cannot read: Is a directory")


def test_check_file__malformed_and_too_large_have_no_verdict_word(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[]")
    assert check_file(path) == (False, f"{path}: malformed: not a JSON object but a list")
    cert = certify.event_14_probability(100)
    cert["inputs"]["m"] = 10**15
    path.write_text(certify.dumps(cert))
    ok, line = check_file(path)
    assert ok is False
    assert line.startswith(f"{path}: too large to re-check: m = ")


def test_main__report(tmp_path, capsys):
    folder = tmp_path / "R_files" / "certificates"
    folder.mkdir(parents=True)
    good = _good(folder)
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    link = f"R_files/certificates/{good.name}"
    doc = {"sections": [{"title": "S", "evidence": [
        {"claim": "Eq. 14", "strength": "proved", "params": {"m": 100}, "verdict": "holds",
         "details": {"certificate": link}}]}],
        "certificates": [{"file": link, "sha256": digest}]}
    report = tmp_path / "report.json"
    report.write_text(json.dumps(doc))
    assert main(["check", "--report", str(report)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{good}: verified: holds")
    assert out[1] == f"{report}: all of 1 certificates verified and bound to 1 rows"
    doc["sections"][0]["evidence"][0]["params"] = {"m": 99}
    report.write_text(json.dumps(doc))
    assert main(["check", "--report", str(report)]) == 1


def test_check_files__every_line_flushed_as_printed(tmp_path, monkeypatch):
    good = _good(tmp_path)
    out, err = FlushRecorder(), FlushRecorder()
    calls = []

    def check(cert, *, name=None):
        calls.append(name)
        if len(calls) == 2:
            raise TypeError("a bug")
        return certify.Result(True, "fine")

    monkeypatch.setattr(certify, "check", check)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    status = check_files([good, good, good])
    monkeypatch.undo()
    assert status == 3
    assert out.getvalue() == f"{good}: verified: fine\n" * 2
    assert out.events == ["write", "write", "flush"] * 2
    assert err.getvalue() == f"verify.certify: failed: {good}: TypeError: a bug\n"
    assert err.events == ["write", "write", "flush"]
