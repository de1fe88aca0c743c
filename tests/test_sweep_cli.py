"""Tests of ``python -m verify.sweep``: usage errors (one line, exit 2, the store intact), exit
statuses and the summary, and a sweep killed by SIGKILL then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verify.sweep.__main__ import main
from verify.sweep.engine import evaluate_task, plan
from verify.sweep.registry import find
from verify.sweep.store import MANIFEST, Store

HANG = 3600.0
"""Seconds: the ceiling of the waits on a child (a part file, its exit). Only a hang reaches
it: the resumed standard grid takes minutes of CPU, ten times that on a loaded 2-core machine."""


def _usage_error(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("verify.sweep: error: ")
    return err


def _snapshot(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A store written by another schema version, with one part."""
    path = tmp_path / "old"
    path.mkdir()
    (path / MANIFEST).write_text(json.dumps({"schema": "verify-sweep/0"}))
    (path / "part-0.parquet").write_bytes(b"not really parquet")
    return path


def test_main__unknown_claim_is_a_usage_error(capsys, tmp_path):
    err = _usage_error(capsys, ["Lemma 9.9", "--store", str(tmp_path / "s")])
    assert "unknown claim 'Lemma 9.9'" in err
    assert not (tmp_path / "s").exists()


def test_main__unknown_grid_is_a_usage_error(capsys, tmp_path):
    err = _usage_error(capsys, ["Eq. 14", "--grid", "huge", "--store", str(tmp_path / "s")])
    assert "unknown grid 'huge'" in err
    assert not (tmp_path / "s").exists()


def test_main__incompatible_store_is_a_usage_error_and_kept(capsys, old_store):
    before = _snapshot(old_store)
    err = _usage_error(capsys, ["Eq. 14", "--store", str(old_store)])
    assert "schema 'verify-sweep/0'" in err
    assert _snapshot(old_store) == before


def test_main__foreign_directory_is_a_usage_error_and_kept(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    before = _snapshot(tmp_path)
    err = _usage_error(capsys, ["Eq. 14", "--store", str(tmp_path)])
    assert "not a sweep store" in err
    assert _snapshot(tmp_path) == before


def test_main__unreachable_scheduler_is_a_usage_error(capsys, tmp_path):
    err = _usage_error(capsys, ["Eq. 14", "--scheduler", "tcp://127.0.0.1:9",
                                "--store", str(tmp_path / "s")])
    assert "cannot reach a Dask scheduler" in err
    assert not (tmp_path / "s").exists()


def test_main__exit_status_and_summary(capsys, tmp_path):
    store = tmp_path / "s"
    # Lemma 5.2 (exact) fails at l < d, inside the lemma as stated; Eq. 14 (exact) holds.
    assert main(["Eq. 14 (exact)", "Lemma 5.2 (exact)", "--grid", "quick", "--workers", "2",
                 "--store", str(store), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "**Lemma 5.2 (exact)**: fails" in out
    assert "**Eq. 14 (exact)**: holds" in out
    summary = json.loads((store / "_summary.json").read_text())
    assert summary["exit_status"] == 1
    assert summary["rows"] == 400 + 55
    assert (store / "_summary.md").read_text() == out
    assert main(["eq-14-exact", "--store", str(store), "--workers", "1",
                 "--no-progress"]) == 0


@pytest.mark.slow
def test_main__killed_then_resumed_loses_nothing_counts_nothing_twice(tmp_path):
    store = tmp_path / "s"
    cmd = [sys.executable, "-m", "verify.sweep", "Lemma 5.2 (exact)", "--grid", "standard",
           "--workers", "1", "--store", str(store), "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + HANG
        while not Store(store, create=False).parts() and proc.poll() is None:
            assert time.monotonic() < deadline, f"no part written in {HANG:.0f} s"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, at once
        proc.wait()
    spec = find("Lemma 5.2 (exact)")
    tasks = plan([spec], "standard", seeds=None, root_seed=0)
    kept = Store(store).read().to_pylist()
    assert len(kept) < len(tasks)
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=HANG)
    assert rerun.returncode == 1, rerun.stderr  # Lemma 5.2 fails at l < d
    rows = {r["key"]: r for r in Store(store).read().to_pylist()}
    assert len(rows) == len(Store(store).read()) == len(tasks)
    for t in tasks[:: len(tasks) // 40]:
        want = evaluate_task(t, spec)
        got = rows[t.key]
        assert {k: v for k, v in got.items() if k != "seconds"} == {
            k: v for k, v in want.items() if k != "seconds"}


def test_main__store_in_use_is_a_usage_error(capsys, tmp_path):
    store = Store(tmp_path / "s")
    with store.lock():
        err = _usage_error(capsys, ["eq-14-exact", "--store", str(store.path), "--workers",
                                    "1", "--no-progress"])
    assert "in use by another sweep" in err
    assert store.parts() == []
