"""The report command's behaviour (issue 5): exit codes, determinism, atomic writes, Ctrl-C."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests import fake_section
from verify import report
from verify.report import registry

FAKE = fake_section.DECLARATION
TIME = re.compile(r"\b\d+\.\d s\b")


@pytest.fixture
def fake_registry(monkeypatch):
    monkeypatch.setattr(registry, "SECTIONS", (FAKE,))
    monkeypatch.setattr(fake_section, "FAIL", False)
    monkeypatch.setattr(fake_section, "INTERRUPT", False)


def _run(tmp_path: Path, *extra: str, name: str = "R.md") -> tuple[int, str]:
    out = tmp_path / name
    code = report.main(["--only", "fake", "--out", str(out), "--no-progress", *extra])
    return code, out.read_text(encoding="utf-8")


def test_main__same_seed_same_report_apart_from_timings(tmp_path, fake_registry):
    code1, a = _run(tmp_path, "--seed", "3", name="a.md")
    code2, b = _run(tmp_path, "--seed", "3", name="b.md")
    assert code1 == code2 == 0
    assert TIME.sub("T", a).replace("a_files", "X") == TIME.sub("T", b).replace("b_files", "X")


def test_main__different_seed_changes_the_evidence(tmp_path, fake_registry):
    _, a = _run(tmp_path, "--seed", "3", name="a.md")
    _, b = _run(tmp_path, "--seed", "4", name="a.md")
    assert TIME.sub("T", a) != TIME.sub("T", b)


def test_main__workers_do_not_change_the_report(tmp_path, fake_registry):
    _, one = _run(tmp_path, "--workers", "1", name="w.md")
    _, two = _run(tmp_path, "--workers", "2", name="w.md")
    assert TIME.sub("T", one) == TIME.sub("T", two)


def test_main__failing_claim_exits_1_and_is_reported(tmp_path, fake_registry, monkeypatch):
    monkeypatch.setattr(fake_section, "FAIL", True)
    code, text = _run(tmp_path)
    assert code == 1
    assert "❌ fails" in text
    assert "**Fake claim** fails" in text


def test_main__json_carries_the_same_verdicts(tmp_path, fake_registry):
    js = tmp_path / "r.json"
    code, _ = _run(tmp_path, "--json", str(js))
    doc = json.loads(js.read_text())
    assert code == 0
    assert doc["schema"] == "verify-report/1"
    assert doc["summary"][0]["claim"] == "Fake claim"
    assert doc["summary"][0]["verdict"] == "holds"
    assert doc["sections"][0]["evidence"][0]["params"]["seed"] == 0


def test_main__interrupt_writes_an_incomplete_report(tmp_path, fake_registry, monkeypatch):
    monkeypatch.setattr(fake_section, "INTERRUPT", True)
    code, text = _run(tmp_path, "--workers", "1")
    assert code == 130
    assert "INCOMPLETE" in text


@pytest.mark.parametrize(
    "argv",
    [["--profile", "huge"], ["--only", "no-such-claim"], ["--workers", "0"], ["--seed", "-1"],
     ["--seed", "x"]],
)
def test_main__usage_errors_exit_2_with_one_line(argv, tmp_path, capsys):
    code = None
    try:
        code = report.main([*argv, "--out", str(tmp_path / "R.md"), "--no-progress"])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith("verify.report: error:")
    assert not (tmp_path / "R.md").exists()


def test_write_atomic__replaces_whole_file_and_leaves_no_temporaries(tmp_path):
    path = tmp_path / "R.md"
    report.write_atomic(path, "old\n")
    report.write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R.md"]


def test_write_atomic__failure_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "R.md"
    report.write_atomic(path, "old\n")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        report.write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R.md"]


def test_select__matches_names_loosely():
    assert [s.key for s in registry.select(["Lemma 5.2"])] == ["lemma-5.2"]
    assert [s.key for s in registry.select(["corollary5.4"])] == ["lemma-5.3"]
    with pytest.raises(ValueError, match="--only"):
        registry.select(["Lemma 9.9"])


def test_merge_errata__one_row_per_location_with_every_source():
    from verify.report.document import merge_errata

    rows = [
        {"location": "Lemma 5.3", "kind": "typo", "text_says": "t eta1/0", "what_is_true": "/9",
         "evidence": "quote", "found_by": "verify.claims.errata"},
        {"location": "Eq. 14", "kind": "loose", "text_says": "4", "what_is_true": "2",
         "evidence": "exact", "found_by": "verify.claims.event_14"},
        {"location": "Lemma 5.3", "kind": "typo", "text_says": "other", "what_is_true": "other",
         "evidence": "checked at every step", "found_by": "verify.claims.lemma_5_3"},
    ]
    out = merge_errata(rows)
    assert [e["location"] for e in out] == ["Lemma 5.3", "Eq. 14"]
    assert out[0]["text_says"] == "t eta1/0"
    assert out[0]["evidence"] == "quote || checked at every step"
    assert out[0]["found_by"] == "verify.claims.errata || verify.claims.lemma_5_3"
    assert rows[0]["evidence"] == "quote"  # inputs untouched


def test_details__renders_section_7_rows_as_one_table_line_per_size():
    from verify.report.sections import details as _details

    rows = [{"m": m, "model": model, "repeats": 5, "test_error_mean": e, "test_error_std": 0.01,
             "train_error_mean": 0.0, "train_error_max": 0.0, "nonseparable_repeats": None}
            for m, pair in ((10, (0.1, 0.4)), (20, (0.0, 0.3)))
            for model, e in zip(("ConvPool", "MLP"), pair, strict=True)]
    lines = _details({"table": rows})
    assert "    | m | ConvPool | MLP |" in lines
    assert "    | 10 | 0.1000 ± 0.0100 (train 0.000) | 0.4000 ± 0.0100 (train 0.000) |" in lines
    assert sum(line.startswith("    | 20 |") for line in lines) == 1


def test_main__json_keeps_every_evidence_field_of_every_record(tmp_path, fake_registry):
    """The Markdown folds details away; the JSON keeps every field of every Evidence, with the
    values the checker returned."""
    import dataclasses

    from verify.evidence import Evidence

    js = tmp_path / "r.json"
    _run(tmp_path, "--json", str(js), "--seed", "5")
    doc = json.loads(js.read_text())
    fields = {f.name for f in dataclasses.fields(Evidence)}
    expected = [e.as_dict() for e in fake_section.report_checks("quick", 5)]
    got = doc["sections"][0]["evidence"]
    assert [set(e) for e in got] == [fields] * len(expected)
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
