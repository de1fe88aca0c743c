"""The report command's behaviour: exit codes, determinism, atomic writes, Ctrl-C."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from pathlib import Path

import pytest

from tests import fake_section
from verify import _files, report
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

    monkeypatch.setattr(_files.os, "replace", boom)
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
    from verify.evidence.strength import strength_of

    # the report fills in each row's strength (explicit, else inferred)
    expected = [{**e.as_dict(), "strength": strength_of(e).value}
                for e in fake_section.report_checks("quick", 5)]
    assert all(e["strength"] for e in expected)
    got = doc["sections"][0]["evidence"]
    assert [set(e) for e in got] == [fields] * len(expected)
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
# --- exit statuses, output paths, plots, file modes, workers, --only -------------------------

FAKE2 = dataclasses.replace(FAKE, key="fake-2", title="Second fake")


def _broken_checks(profile: str, seed: int) -> list:
    """A section whose module has no DECLARATION: the runner fails to load it."""
    raise AssertionError("never called")


BROKEN = dataclasses.replace(FAKE, key="broken", title="Broken", names=("Broken claim",),
                             report_checks=_broken_checks)


def _main(*argv: str) -> int:
    try:
        return report.main([*argv, "--no-progress"])
    except SystemExit as exc:
        return exc.code


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if any section runs: usage errors must come before any work."""
    def boom(*args, **kwargs):
        raise AssertionError("a section ran before the usage error")

    monkeypatch.setattr(report, "run_sections", boom)


_BAD_PLACES = ["a directory", "/dev/null", "a link to /dev/null", "a fifo", "a missing directory",
               "a read-only place"]


@pytest.mark.parametrize(
    ("option", "where"),
    [*((opt, w) for opt in ("--out", "--json") for w in _BAD_PLACES),
     ("--out", "a file as the plots folder")],
)
def test_main__bad_output_path_is_a_usage_error_before_any_work(
        where, option, tmp_path, fake_registry, no_work, capsys):
    target = {
        "a directory": tmp_path,
        "/dev/null": Path("/dev/null"),
        "a link to /dev/null": tmp_path / "link.md",
        "a fifo": tmp_path / "fifo.md",
        "a missing directory": tmp_path / "no" / "R.md",
        "a read-only place": Path("/proc/verify-R.md"),
        "a file as the plots folder": tmp_path / "P.md",
    }[where]
    if where == "a link to /dev/null":
        target.symlink_to("/dev/null")
    if where == "a fifo":
        os.mkfifo(target)
    if where == "a file as the plots folder":
        (tmp_path / "P_files").write_text("not a folder")
    if where == "a read-only place" and not Path("/proc/self").exists():
        pytest.skip("needs /proc")
    argv = ["--only", "fake", "--out", str(tmp_path / "R.md"), option, str(target)]
    code = _main(*argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1, err
    assert err[0].startswith(f"verify.report: error: {option}:")
    assert Path("/dev/null").is_char_device()  # never replaced
    if where == "a fifo":
        assert stat.S_ISFIFO(target.stat().st_mode)
    assert not (tmp_path / "R.md").exists()


def test_main__symlink_to_a_regular_file_writes_its_target(tmp_path, fake_registry):
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code = _main("--only", "fake", "--out", str(link))
    assert code == 0
    assert link.is_symlink()
    assert real.read_text().startswith("# Verification report")


def test_main__outputs_follow_the_umask(tmp_path, fake_registry):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    old = os.umask(0o027)
    try:
        code = _main("--only", "fake", "--out", str(tmp_path / "R.md"), "--json",
                        str(tmp_path / "r.json"))
    finally:
        os.umask(old)
    assert code == 0
    pngs = list((tmp_path / "R_files").glob("*.png"))
    assert pngs
    for path in [tmp_path / "R.md", tmp_path / "r.json", *pngs]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path


def test_main__stale_plots_are_removed_and_others_kept(tmp_path, fake_registry):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    plots = tmp_path / "R_files"
    plots.mkdir()
    (plots / "fake-07-an-old-plot.png").write_bytes(b"old")  # a name the report manages
    (plots / "my-notes.png").write_bytes(b"mine")  # not one of its names
    code, text = _run(tmp_path)
    assert code == 0
    names = sorted(p.name for p in plots.iterdir())
    assert "fake-07-an-old-plot.png" not in names
    assert "my-notes.png" in names
    assert [n for n in names if n != "my-notes.png"] == ["fake-00-fake.png"]
    assert "R_files/fake-00-fake.png" in text


def test_draw_plots__a_failed_write_keeps_the_old_plot(tmp_path, fake_registry, monkeypatch):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    _run(tmp_path)
    png = tmp_path / "R_files" / "fake-00-fake.png"
    before = png.read_bytes()
    assert before.startswith(b"\x89PNG")

    def boom(*args, **kwargs):
        raise OSError("killed")

    monkeypatch.setattr(os, "replace", boom)
    code, _ = _run(tmp_path, "--seed", "5")  # the write fails: a failure of the machine
    assert code == 3
    assert png.read_bytes() == before
    assert sorted(p.name for p in png.parent.iterdir()) == ["fake-00-fake.png"]


def test_main__a_checker_error_exits_3_not_1(tmp_path, fake_registry, monkeypatch):
    monkeypatch.setattr(fake_section, "FAIL", True)
    monkeypatch.setattr(registry, "SECTIONS", (FAKE, BROKEN))
    js = tmp_path / "r.json"
    code = report.main(["--only", "fake", "broken", "--out", str(tmp_path / "R.md"), "--json",
                        str(js), "--no-progress", "--workers", "1"])
    assert code == 3
    assert json.loads(js.read_text())["exit_status"] == 3
    assert "Exit status 3." in (tmp_path / "R.md").read_text()


def test_main__interrupt_states_exit_status_130_in_markdown_and_json(
        tmp_path, fake_registry, monkeypatch):
    monkeypatch.setattr(fake_section, "INTERRUPT", True)
    js = tmp_path / "r.json"
    code, text = _run(tmp_path, "--workers", "1", "--json", str(js))
    doc = json.loads(js.read_text())
    assert code == 130
    assert "Exit status 130." in text
    assert (doc["complete"], doc["exit_status"]) == (False, 130)
    assert doc["sections"][0]["run"] is False
    assert doc["sections"][0]["error"] == ""


def test_main__interrupt_hidden_in_another_exception_is_an_interrupt(
        tmp_path, fake_registry, monkeypatch):
    """What Numba does with Ctrl-C inside a kernel: the signal handler ran (and recorded the
    interrupt) but the caller sees a SystemError."""
    from verify import _cli

    def interrupted_kernel(profile, seed):
        _cli._interrupted.set()
        raise SystemError("CPUDispatcher(...) returned a result with an exception set")

    monkeypatch.setattr(fake_section, "report_checks", interrupted_kernel)
    code, text = _run(tmp_path, "--workers", "1")
    assert code == 130
    assert "INCOMPLETE" in text
    assert "SystemError" not in text


def test_main__workers_are_capped_at_the_sections(tmp_path, fake_registry, monkeypatch):
    from verify.report import runner

    monkeypatch.setattr(registry, "SECTIONS", (FAKE, FAKE2))
    seen = []

    def spy(tasks, workers, results, on_done):  # the parallel run, recorded and run in-process
        seen.append(workers)
        for task in tasks:
            results[task[0]] = runner.run_task(task)
            on_done(results[task[0]])

    monkeypatch.setattr(runner, "_run_parallel", spy)
    code = _main("--only", "fake", "fake-2", "--workers", "1000", "--out", str(tmp_path / "R.md"))
    assert code == 0
    assert seen == [2]
    assert "one per section" in report._parser().format_help().replace("\n", " ")


@pytest.mark.slow
def test_main__dask_workers_do_not_change_the_report(tmp_path, fake_registry, monkeypatch):
    monkeypatch.setattr(registry, "SECTIONS", (FAKE, FAKE2))
    args = ["--only", "fake", "fake-2", "--no-progress", "--seed", "2"]
    assert report.main([*args, "--workers", "1", "--out", str(tmp_path / "w.md")]) == 0
    one = (tmp_path / "w.md").read_text()
    assert report.main([*args, "--workers", "2", "--out", str(tmp_path / "w.md")]) == 0
    two = (tmp_path / "w.md").read_text()
    assert TIME.sub("T", one) == TIME.sub("T", two)
    assert one.count(': `python -c "report_checks(') == 2  # one evidence row per section


def test_tasks__only_matches_the_report_parts_loosely():
    args = report._parser().parse_args(["--only", "Proof Algebra", "ERRATA", "Lemma 5.2"])
    sections, tasks = report._tasks(args)
    assert [t[0] for t in tasks] == ["proof-algebra", "errata", "lemma-5.2"]
    assert [s.key for s in sections] == ["lemma-5.2"]


def test_main__unknown_only_lists_every_claim_name(capsys, tmp_path):
    code = _main("--only", "Lemma 9.9", "--out", str(tmp_path / "R.md"))
    err = capsys.readouterr().err
    assert code == 2
    for name in [*(c for s in registry.SECTIONS for c in s.names), "proof-algebra", "errata",
                 "fuzzing"]:
        assert name in err


def test_parser__help_gives_the_readme_times_and_the_exit_statuses():
    text = report._parser().format_help()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "~3 min on 2 idle cores" in " ".join(text.split())
    assert "~6 min" in text
    assert "`quick` (the default; about 3 minutes on 2 idle cores" in " ".join(readme.split())
    assert "about 6 minutes" in readme
    for code in ("0", "1", "2", "3", "130"):
        assert f"\n  {code} " in text
