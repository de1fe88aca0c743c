"""``check_report``: the certificates a report binds to its rows, checked on a small hand-made
report folder (three certificates written by ``verify.certify``'s builders and their index; no
report build). Each problem is checked alone, with the exact lines it prints and exit status 1,
then in orders where one problem must not hide the next."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from tests.certificates_tamper import FlushRecorder
from verify import certify
from verify.certify import _binding

E50 = "event_14_probability-m50.json"
E60 = "event_14_probability-m60.json"
L5 = "lemma_5_2_failure_probability-d5-k1000-l3.json"
LINK = "R_files/certificates/"


def _folder(tmp_path: Path) -> dict[str, str]:
    """The three certificate files under ``tmp_path/R_files/certificates``; their SHA-256."""
    folder = tmp_path / "R_files" / "certificates"
    folder.mkdir(parents=True)
    out = {}
    for cert in (certify.event_14_probability(50), certify.event_14_probability(60),
                 certify.lemma_5_2_failure_probability(5, 3, 1000)):
        name = certify.file_name(cert)
        text = certify.dumps(cert)
        (folder / name).write_text(text)
        out[name] = hashlib.sha256(text.encode()).hexdigest()
    return out


def _doc(digests: dict[str, str]) -> dict:
    """A report binding E50 and L5 to two evidence rows and one erratum (which names both)."""
    erratum = (f"[proved] (certificate {E50}: holds, the bound) and (certificate {L5}: fails "
               f"at k = 1000)")
    return {
        "sections": [{"title": "S", "evidence": [
            {"claim": "Eq. 14", "strength": "proved", "params": {"m": 50}, "verdict": "holds",
             "details": {"certificate": LINK + E50}},
            {"claim": "Lemma 5.2", "strength": "proved", "params": {"d": 5, "l": 3, "k": 1000},
             "verdict": "fails", "details": {"certificate": LINK + L5}},
            {"claim": "plain", "strength": "computed", "verdict": "holds"}]}],
        "errata": [{"claim": "Lemma 5.2", "evidence": erratum}],
        "certificates": [{"file": LINK + E50, "sha256": digests[E50]},
                         {"file": LINK + L5, "sha256": digests[L5]}]}


def _checker(refuse: tuple[str, ...] = ()):
    """A stand-in for ``check_file``: ``(ok, "PATH: checked ok|refused")``."""
    def check_file(file: Path) -> tuple[bool, str]:
        ok = file.name not in refuse
        return ok, f"{file}: checked {'ok' if ok else 'refused'}"
    return check_file


def _run(path: Path, capsys, refuse: tuple[str, ...] = ()) -> tuple[object, list[str]]:
    status = _binding.check_report(path, _checker(refuse))
    return status, capsys.readouterr().out.splitlines()


@pytest.fixture
def report(tmp_path):
    """``(report path, its document, the folder, the digests)``: a report all of whose
    certificates verify and back their rows, with E60 in the folder but not yet listed."""
    digests = _folder(tmp_path)
    path = tmp_path / "report.json"
    doc = _doc(digests)
    path.write_text(json.dumps(doc))
    return path, doc, tmp_path / "R_files" / "certificates", digests


def _write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc))
    return path


def test_check_report__all_bound_with_the_real_check(report, capsys):
    path, _, folder, _ = report
    (folder / E60).unlink()
    from verify.certify.__main__ import check_file

    status = _binding.check_report(path, check_file)
    out = capsys.readouterr().out.splitlines()
    assert status == 0, out
    assert [line.split(": ", 2)[:2] for line in out[:2]] == [
        [str(folder / E50), "verified"], [str(folder / L5), "verified"]]
    # three rows (two evidence rows, one erratum naming two files), two files
    assert out[2:] == [f"{path}: all of 2 certificates verified and bound to 3 rows"]


def test_check_report__each_line_is_flushed_when_printed(report, monkeypatch):
    """A reader of a pipe sees each file's line as soon as it is decided."""
    path, doc, folder, _ = report
    (folder / E60).unlink()

    for problem in ("none", "problems", "no file", "not JSON"):
        if problem == "no file":
            _write(path, {"certificates": [{"sha256": "0"}]})
        if problem == "not JSON":
            path.write_text("{")
        if problem == "problems":
            doc["sections"][0]["evidence"][2]["strength"] = "proved"
            doc["sections"][0]["evidence"][0]["params"] = {"m": 51}
            doc["certificates"].append({"file": LINK + "gone.json", "sha256": "0"})
            doc["certificates"].append({"file": LINK + E60, "sha256": "0"})
            doc["sections"][0]["evidence"].append(
                {"claim": "u", "details": {"certificate": LINK + "unlisted.json"}})
            (folder / "stray.json").write_text("{}")
            (folder / E60).write_text("{}")
            _write(path, doc)
        stream = FlushRecorder()
        monkeypatch.setattr(sys, "stdout", stream)
        status = _binding.check_report(path, _checker(() if problem == "none" else (L5,)))
        monkeypatch.undo()
        lines = stream.getvalue().splitlines()
        # print(line, flush=True): the text, the newline, then a flush, for every line
        assert stream.events == ["write", "write", "flush"] * len(lines), (problem, lines)
        assert status == (0 if problem == "none" else 1)
        assert len(lines) >= 1
        if problem == "problems":
            # every kind of line: a row without a certificate, missing, SHA-256, refused,
            # unlisted, does not back, listed unused, stray, the summary
            assert len(lines) == 11, lines


def test_check_report__all_bound(report, capsys):
    path, _, folder, _ = report
    (folder / E60).unlink()
    status, out = _run(path, capsys)
    assert status == 0
    assert out == [f"{folder / E50}: checked ok", f"{folder / L5}: checked ok",
                   f"{path}: all of 2 certificates verified and bound to 3 rows"]


def _final(path: Path, listed: int = 2, rows: int = 3) -> str:
    return f"{path}: NOT all of {listed} certificates verified and bound to {rows} rows"


def test_check_report__a_proved_row_without_a_certificate(report, capsys):
    path, doc, folder, _ = report
    (folder / E60).unlink()
    doc["sections"][0]["evidence"][2]["strength"] = "proved"
    status, out = _run(_write(path, doc), capsys)
    assert status == 1
    assert out == [f"{path}: NOT VERIFIED: S, row 3 (plain): a proved row names no certificate",
                   f"{folder / E50}: checked ok", f"{folder / L5}: checked ok", _final(path)]


def test_check_report__a_missing_file_is_reported_and_the_rest_checked(report, capsys):
    path, _, folder, _ = report
    (folder / E60).unlink()
    (folder / E50).unlink()
    status, out = _run(path, capsys)
    assert status == 1
    # its rows are then not compared (nothing verified backs them); L5 is still checked
    assert out == [f"{folder / E50}: NOT VERIFIED: missing (No such file or directory)",
                   f"{folder / L5}: checked ok", _final(path)]


def test_check_report__a_changed_digest(report, capsys):
    path, doc, folder, digests = report
    (folder / E60).unlink()
    doc["certificates"][0]["sha256"] = "ab" * 32
    status, out = _run(_write(path, doc), capsys)
    assert status == 1
    assert out == [f"{folder / E50}: NOT VERIFIED: SHA-256 {digests[E50][:16]}... is not the "
                   f"report's abababababababab...", f"{folder / L5}: checked ok", _final(path)]


def test_check_report__an_entry_without_a_digest(report, capsys):
    path, doc, folder, digests = report
    (folder / E60).unlink()
    del doc["certificates"][0]["sha256"]
    status, out = _run(_write(path, doc), capsys)
    assert status == 1
    assert out[0] == (f"{folder / E50}: NOT VERIFIED: SHA-256 {digests[E50][:16]}... is not "
                      f"the report's ...")
    assert out[1:] == [f"{folder / L5}: checked ok", _final(path)]


def test_check_report__a_file_that_does_not_verify(report, capsys):
    path, _, folder, _ = report
    (folder / E60).unlink()
    status, out = _run(path, capsys, refuse=(E50,))
    assert status == 1
    # not compared with its rows either: a refused file backs nothing
    assert out == [f"{folder / E50}: checked refused", f"{folder / L5}: checked ok",
                   _final(path)]


def test_check_report__a_row_naming_an_unlisted_file_does_not_stop_the_others(report, capsys):
    path, doc, folder, _ = report
    (folder / E60).unlink()
    doc["sections"][0]["evidence"].insert(0, {"claim": "u", "details": {
        "certificate": LINK + "unlisted.json"}})
    doc["sections"][0]["evidence"][2]["params"] = {"d": 5, "l": 3, "k": 999}
    status, out = _run(_write(path, doc), capsys)
    assert status == 1
    assert out == [
        f"{folder / E50}: checked ok", f"{folder / L5}: checked ok",
        f"{path}: NOT VERIFIED: S, row 1 (u) names unlisted.json, which the report does not "
        f"list",
        f"{folder / L5}: NOT VERIFIED: does not back S, row 3 (Lemma 5.2): the certificate's "
        f"k = 1000 is not the row's 999",
        _final(path, rows=4)]


def test_check_report__a_certificate_that_does_not_back_its_row(report, capsys):
    path, doc, folder, _ = report
    (folder / E60).unlink()
    doc["sections"][0]["evidence"][0]["params"] = {"m": 51}
    status, out = _run(_write(path, doc), capsys)
    assert status == 1
    assert out == [f"{folder / E50}: checked ok", f"{folder / L5}: checked ok",
                   f"{folder / E50}: NOT VERIFIED: does not back S, row 1 (Eq. 14): the "
                   f"certificate's m = 50 is not the row's 51", _final(path)]


def test_check_report__an_unverified_file_does_not_hide_the_next_rows_problem(report, capsys):
    path, doc, folder, _ = report
    (folder / E60).unlink()
    doc["errata"][0]["evidence"] = f"[proved] (certificate {L5}: holds, a wrong verdict)"
    status, out = _run(_write(path, doc), capsys, refuse=(E50,))
    assert status == 1
    assert out == [f"{folder / E50}: checked refused", f"{folder / L5}: checked ok",
                   f"{folder / L5}: NOT VERIFIED: does not back erratum 1 (Lemma 5.2): the "
                   f"certificate's verdict 'fails' is not the row's 'holds'", _final(path)]


def test_check_report__a_listed_certificate_that_backs_no_row(report, capsys):
    path, doc, folder, digests = report
    doc["certificates"].insert(0, {"file": LINK + E60, "sha256": digests[E60]})
    status, out = _run(_write(path, doc), capsys)
    assert status == 1
    assert out == [f"{folder / E60}: checked ok", f"{folder / E50}: checked ok",
                   f"{folder / L5}: checked ok",
                   f"{folder / E60}: NOT VERIFIED: listed but backs no row",
                   _final(path, listed=3)]


def test_check_report__files_in_the_folder_that_the_report_does_not_list(report, capsys):
    path, _, folder, _ = report
    (folder / "notes.txt").write_text("not a certificate")  # only *.json files are looked at
    (folder / "a_stray-x.json").write_text("{}")
    status, out = _run(path, capsys)
    assert status == 1
    assert out == [f"{folder / E50}: checked ok", f"{folder / L5}: checked ok",
                   f"{folder / 'a_stray-x.json'}: NOT VERIFIED: in the certificate folder but "
                   f"not in the report",
                   f"{folder / E60}: NOT VERIFIED: in the certificate folder but not in the "
                   f"report", _final(path)]


def test_check_report__the_root_of_an_index(report, capsys):
    path, doc, folder, _ = report
    (folder / E60).unlink()
    index = path.parent / "R_files" / "certificates.json"
    for root in ("..", 3):
        index.write_text(json.dumps({**doc, "root": root}))
        status, out = _run(index, capsys)
        if root == "..":
            assert status == 0, out
            assert out[0] == f"{folder / E50}: checked ok"
        else:  # a root that is not text is ignored: the links are read from the index's folder
            assert status == 1
            assert out[0] == (f"{path.parent / 'R_files' / 'R_files' / 'certificates' / E50}: "
                              f"NOT VERIFIED: missing (No such file or directory)")


@pytest.mark.parametrize(("content", "why"), [
    (b"{", "malformed: JSON"),
    (b"[]", "malformed: not a report: no 'certificates' list"),
    (b'{"certificates": {}}', "malformed: not a report: no 'certificates' list"),
    (b'{"sections": []}', "malformed: not a report: no 'certificates' list"),
    (b'{"certificates": [3]}', "malformed: a certificate entry without 'file'"),
    (b'{"certificates": [{"file": 3}]}', "malformed: a certificate entry without 'file'"),
    (b'{"certificates": [{"file": "a.json"}, {"sha256": "0"}]}',
     "malformed: a certificate entry without 'file'"),
    (b'\xff{"certificates": []}', "malformed: UTF-8"),
])
def test_check_report__a_malformed_report_is_one_line(tmp_path, capsys, content, why):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    status, out = _run(path, capsys)
    assert status == 1
    if why == "malformed: JSON":  # the json module's own message
        with pytest.raises(ValueError) as info:
            json.loads(content)
        why = f"malformed: {info.value}"
    if why == "malformed: UTF-8":
        with pytest.raises(UnicodeDecodeError) as info:
            content.decode("utf-8")
        why = f"malformed: {info.value}"
    assert out == [f"{path}: {why}"]


def test_check_report__an_unreadable_report(tmp_path, capsys):
    path = tmp_path / "none.json"
    status, out = _run(path, capsys)
    assert status == 1
    assert out == [f"{path}: malformed: [Errno 2] No such file or directory: '{path}'"]


def test_check_report__the_size_cap(tmp_path, capsys, monkeypatch):
    path = tmp_path / "r.json"
    path.write_text('{"certificates": []}')
    size = path.stat().st_size
    monkeypatch.setattr(_binding, "MAX_REPORT_BYTES", size)
    status, out = _run(path, capsys)
    assert (status, out) == (0, [f"{path}: all of 0 certificates verified and bound to 0 rows"])
    monkeypatch.setattr(_binding, "MAX_REPORT_BYTES", size - 1)
    status, out = _run(path, capsys)
    assert (status, out) == (1, [f"{path}: malformed: larger than {size - 1} bytes"])


def test_sha256__hex_digest():
    assert _binding.sha256(b"") == \
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_check_report__a_refused_file_is_not_read_as_a_certificate(report, capsys):
    """A listed file that does not verify backs no row, and is never compared with one: a
    file that is not a certificate at all gives its one refusal, not a crash."""
    path, doc, folder, _ = report
    (folder / E60).unlink()
    (folder / E50).write_text("{}")
    doc["certificates"][0]["sha256"] = _binding.sha256(b"{}")
    from verify.certify.__main__ import check_file

    status = _binding.check_report(_write(path, doc), check_file)
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0].startswith(f"{folder / E50}: malformed: "), out
    assert [line.split(": ")[1] for line in out[1:-1]] == ["verified"]
    assert out[-1] == _final(path)


def test_check_report__reads_a_report_up_to_one_byte_past_the_cap(tmp_path, capsys,
                                                                   monkeypatch):
    """Memory is bounded by the cap: a huge report is not read whole before it is refused."""
    asked = []

    class Endless(io.BytesIO):
        def read(self, size=-1):
            asked.append(size)
            return b" " * size if isinstance(size, int) and size >= 0 else b" " * 10**4

    monkeypatch.setattr(_binding, "MAX_REPORT_BYTES", 1000)
    monkeypatch.setattr(_binding, "open", lambda *a, **k: Endless(), raising=False)
    path = tmp_path / "r.json"
    status, out = _run(path, capsys)
    assert asked == [1001]
    assert (status, out) == (1, [f"{path}: malformed: larger than 1000 bytes"])
