"""The report's writes (:mod:`verify.report.output`): everything it will write is probed before
any work (exit 2, one line); a write that still fails after the work keeps the finished run in a
fallback folder beside the target (exit 3, one line saying where); the plots and certificates of
a failed run never end up beside an older report."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import fake_section
from verify import report
from verify.report import output, registry


@pytest.fixture
def fake_registry(monkeypatch):
    monkeypatch.setattr(registry, "SECTIONS", (fake_section.DECLARATION,))
    monkeypatch.setattr(fake_section, "FAIL", False)
    monkeypatch.setattr(fake_section, "INTERRUPT", False)


@pytest.fixture
def ran(monkeypatch):
    """Records whether a section ran (work started)."""
    calls = []
    real = fake_section.report_checks

    def spy(profile, seed):
        calls.append(seed)
        return real(profile, seed)

    monkeypatch.setattr(fake_section, "report_checks", spy)
    return calls


def _main(out: Path, *extra: str) -> int:
    return report.main(["--only", "fake", "--out", str(out), "--no-progress", *extra])


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file()}


def _old_report(tmp_path: Path) -> dict[str, bytes]:
    """An earlier run's report, JSON and files (a plot and a certificate)."""
    (tmp_path / "R.md").write_text("old report\n")
    (tmp_path / "R.json").write_text("{}\n")
    files = tmp_path / "R_files"
    (files / "certificates").mkdir(parents=True)
    (files / "fake-07-old.png").write_bytes(b"old")
    (files / "certificates" / "old.json").write_text("{}")
    return _tree(tmp_path)


def test_probe__a_certificates_folder_that_cannot_take_files_is_a_usage_error(
        tmp_path, fake_registry, ran, capsys):
    files = tmp_path / "R_files"
    files.mkdir()
    (files / "certificates").write_text("a file where the folder should be")
    assert _main(tmp_path / "R.md") == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("verify.report: error: --out: ")
    assert "certificates" in err[0]
    assert ran == []  # before any work


def test_probe__an_out_that_cannot_be_replaced_is_a_usage_error(
        tmp_path, fake_registry, ran, capsys, monkeypatch):
    before = _old_report(tmp_path)
    out = tmp_path / "R.md"
    real = os.rename

    def rename(src, dst):  # what an immutable file (chattr +i) does
        if Path(src) == out:
            raise PermissionError(errno.EPERM, "Operation not permitted")
        return real(src, dst)

    monkeypatch.setattr(output.os, "rename", rename)
    assert _main(out) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"verify.report: error: --out: {str(out)!r} cannot be replaced: Operation "
                   "not permitted"]
    assert ran == []
    assert _tree(tmp_path) == before


@pytest.mark.skipif(shutil.which("chattr") is None or os.geteuid() != 0,
                    reason="needs chattr and root (an immutable file)")
def test_probe__an_immutable_out_is_a_usage_error(tmp_path, fake_registry, ran, capsys):
    out = tmp_path / "R.md"
    out.write_text("old\n")
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem has no immutable attribute")
    try:
        assert _main(out) == 2
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert "cannot be replaced" in capsys.readouterr().err
    assert ran == []
    assert out.read_text() == "old\n"


def test_commit__a_failed_write_after_the_work_keeps_the_run_in_a_fallback(
        tmp_path, fake_registry, ran, capsys, monkeypatch):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    before = _old_report(tmp_path)
    out = tmp_path / "R.md"
    real = output.write_atomic

    def full_disk(path, data):
        if Path(path) == out:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(output, "write_atomic", full_disk)
    assert _main(out, "--json", str(tmp_path / "R.json")) == 3
    assert ran  # the work was done
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"verify.report: cannot write {out} (No space left on device); "
                             "the finished report is kept in ")
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("R.unsaved-")]
    assert len(kept) == 1
    assert f"kept in {kept[0]}/" in err[0]
    text = (kept[0] / "R.md").read_text()
    assert "Fake claim" in text
    assert (kept[0] / "R.json").is_file()
    links = [p for p in (kept[0] / "R_files").iterdir() if p.suffix == ".png"]
    assert links
    assert all(f"R_files/{p.name}" in text for p in links)
    # the old report and its files are exactly as they were: nothing of the failed run beside it
    after = _tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("R.unsaved-")} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".R_files.")]  # no staging


def test_commit__a_successful_run_replaces_the_old_files(tmp_path, fake_registry):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    _old_report(tmp_path)
    out = tmp_path / "R.md"
    assert _main(out) == 0
    files = sorted(p.name for p in (tmp_path / "R_files").iterdir())
    assert "fake-07-old.png" not in files  # an earlier run's plot is removed ...
    assert any(name.endswith(".png") for name in files)  # ... this run's is there
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".R_files.", "R.unsaved"))]


def test_commit__an_interrupted_or_failed_run_leaves_no_staging_folder(
        tmp_path, fake_registry, monkeypatch):
    monkeypatch.setattr(fake_section, "INTERRUPT", True)
    assert _main(tmp_path / "R.md") == 130
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".R_files.")]


def test_atlas__interrupted_says_so_and_names_the_finished_claims(monkeypatch):
    """Ctrl-C during the Atlas sweep: the Atlas keeps the claims whose every row is in, says it
    was interrupted, and the Markdown names the finished and unfinished claims."""
    import contextlib
    import types

    import distributed

    from tests import synthetic_sweep
    from tests.sync_client import SyncAsCompleted, SyncClient
    from verify.report import atlas as atlas_mod
    from verify.report.markdown import _atlas
    from verify.sweep import engine

    monkeypatch.setattr(distributed, "as_completed", SyncAsCompleted)
    monkeypatch.setattr(atlas_mod, "atlas_entries", lambda *a: [])
    real = engine.run_sweep
    first, second = synthetic_sweep.RATE_SWEEP, synthetic_sweep.GATED

    def interrupted_sweep(client, specs, grid, store, **kw):
        real(client, [first], grid, store, **kw)  # the first claim finishes, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run_sweep", interrupted_sweep)
    decl = types.SimpleNamespace(sweeps=(first, second))
    got = atlas_mod.collect_atlas([decl], profile="quick", seed=0, store=None,
                                  client=lambda: contextlib.nullcontext(SyncClient()),
                                  out_dir=None, link_prefix="F")
    assert got["interrupted"] is True
    assert got["finished"] == [first.claim]
    assert got["unfinished"] == [second.claim]
    text = " ".join(_atlas({"atlas": got, "sections": [], "complete": False})).replace("\n", " ")
    assert "The Atlas sweep was interrupted (Ctrl-C)" in text
    assert f"Finished, and drawn below: {first.claim}. Not finished: {second.claim}." in text
    assert "No sweep ran" not in text
    none = "\n".join(_atlas({"atlas": None, "sections": [], "complete": False}))
    assert "interrupted before it" in none
