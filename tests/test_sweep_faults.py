"""Faults of ``python -m verify.sweep`` and the atlas, one test (or more) each: the
store checked before any cluster starts, --workers capped, unreadable parts set aside, the
umask, stale temporary files, lost tasks, Ctrl-C, and the summary of this sweep's rows only."""

from __future__ import annotations

import json
import logging
import os
import stat
import time
from pathlib import Path

import pandas as pd
import pytest

from verify import _dask
from verify._dask import cap_workers, dask_client, silence_shutdown
from verify._files import remove_stale
from verify.evidence import Evidence, Verdict
from verify.evidence.sweep_spec import canonical
from verify.report.atlas import open_store
from verify.sweep import __main__ as sweep_main
from verify.sweep.engine import strength_of
from verify.sweep.rates import claim_verdicts
from verify.sweep.registry import find
from verify.sweep.store import BAD, SCHEMA, SCHEMA_VERSION, Store


def _row(key: str, claim: str = "Eq. 14 (exact)", params: str = '{"m":1}', root_seed: int = 0,
         replicate: int = 0, **extra) -> dict:
    row = dict.fromkeys(SCHEMA.names)
    row.update(key=key, claim=claim, params=params, root_seed=root_seed, replicate=replicate,
               seed=1, verdict="holds", assumed=True, strength="computed", **extra)
    return row


@pytest.fixture
def no_cluster(monkeypatch):
    """Fail the test if a cluster is started (every check must come before)."""
    def boom(**kw):
        raise AssertionError("a cluster was started")
    monkeypatch.setattr(_dask, "dask_client", boom)


def _one_line_usage(capsys, argv) -> str:
    with pytest.raises(SystemExit) as exc:
        sweep_main.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("verify.sweep: error: ")
    return err


# 1, 2: --workers capped at the cores, with one line
def test_cap_workers__caps_at_the_cores_and_says_so():
    assert cap_workers(64, cores=2) == (2, "--workers 64 is more than the 2 core(s) of this "
                                           "machine; using 2")
    assert cap_workers(2, cores=2) == (2, None)
    assert cap_workers(1, cores=2) == (1, None)
    assert cap_workers(None, cores=3) == (3, None)
    with pytest.raises(ValueError, match="workers"):
        cap_workers(0, cores=2)


def test_report_atlas_sweep_uses_the_capped_workers():
    import inspect

    from verify import report
    assert "dask_client(workers=cap_workers(args.workers)[0])" in inspect.getsource(report)


# 3: a truncated part is named, set aside and redone
def test_check_parts__a_truncated_part_is_named_and_set_aside(tmp_path):
    store = Store(tmp_path / "s")
    good = store.write([_row("a" * 32)])
    bad = store.write([_row("b" * 32)])
    bad.write_bytes(bad.read_bytes()[:40])
    keys, names = store.check_parts(set_aside=False)
    assert keys == {"a" * 32}
    assert names == [bad.name]
    assert bad.exists()
    keys, names = store.check_parts(set_aside=True)
    assert names == [bad.name]
    assert not bad.exists()
    assert (store.path / BAD / bad.name).exists()
    assert good.exists()
    assert store.check_parts(set_aside=True) == ({"a" * 32}, [])


def _foreign_part(store: Store, kind: str) -> Path:
    """A part file of another schema, or of this schema with null keys."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = store.path / f"part-{kind}.parquet"
    if kind == "other-schema":
        pq.write_table(pa.table({"claim": ["Eq. 14"], "verdict": ["holds"]}), path)
    else:
        row = dict.fromkeys(SCHEMA.names) | {"claim": "Eq. 14", "verdict": "holds"}
        pq.write_table(pa.Table.from_pylist([row], schema=SCHEMA), path)
    return path


@pytest.mark.parametrize("kind", ["other-schema", "null-keys"])
def test_check_parts__a_part_of_another_schema_or_with_null_keys_is_set_aside(tmp_path, kind):
    store = Store(tmp_path / "s")
    store.write([_row("a" * 32)])
    bad = _foreign_part(store, kind)
    assert store.check_parts(set_aside=False) == ({"a" * 32}, [bad.name])
    with pytest.raises(ValueError, match=bad.name):
        store.read()
    assert store.check_parts(set_aside=True) == ({"a" * 32}, [bad.name])
    assert (store.path / BAD / bad.name).exists()
    assert store.read().column("key").to_pylist() == ["a" * 32]


@pytest.mark.parametrize("kind", ["other-schema", "null-keys"])
def test_main__a_part_of_another_schema_is_named_moved_and_redone(tmp_path, capsys, kind):
    from verify.sweep.__main__ import main

    store = tmp_path / "s"
    argv = ["eq-14-exact", "--store", str(store), "--workers", "1", "--no-progress"]
    assert main(argv) == 0
    rows = len(Store(store).read())
    bad = _foreign_part(Store(store), kind)
    capsys.readouterr()
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"part {bad.name} of {store} cannot be used" in err
    assert (store / BAD / bad.name).exists()
    assert len(Store(store).read()) == rows


def test_read__a_truncated_part_is_a_store_error_naming_it(tmp_path):
    store = Store(tmp_path / "s")
    bad = store.write([_row("b" * 32)])
    bad.write_bytes(b"PAR1 truncated")
    with pytest.raises(ValueError, match=bad.name):
        store.read()


# 4, 8: --atlas validates the store before any work and names missing claims
def test_open_store__a_truncated_part_is_a_usage_error_naming_it(tmp_path):
    store = Store(tmp_path / "s")
    bad = store.write([_row("b" * 32)])
    bad.write_bytes(b"PAR1 truncated")
    with pytest.raises(ValueError, match=f"--atlas: part {bad.name}"):
        open_store(tmp_path / "s")


def test_open_store__names_each_missing_claim_with_the_command_that_fills_it(tmp_path):
    from verify.claims import declarations

    store = Store(tmp_path / "s")
    store.write([_row("a" * 32, claim="Eq. 14 (exact)")])
    decls = [d for d in declarations() if any(s.claim in ("Eq. 14 (exact)", "Theorem 4.2")
                                               for s in d.sweeps)]
    lines: list[str] = []
    open_store(tmp_path / "s", decls, note=lines.append)
    wanted = {s.claim for d in decls for s in d.sweeps} - {"Eq. 14 (exact)"}
    assert wanted
    assert len(lines) == len(wanted)
    for claim in wanted:
        assert any(f"{claim} is not in the store" in ln
                   and f"python -m verify.sweep {claim!r} --store" in ln for ln in lines)


def test_report__atlas_on_a_truncated_store_is_exit_2_before_any_section(tmp_path, capsys,
                                                                          monkeypatch):
    from verify import report

    store = Store(tmp_path / "s")
    bad = store.write([_row("b" * 32)])
    bad.write_bytes(b"PAR1 truncated")
    monkeypatch.setattr(report, "run_sections", lambda *a, **k: pytest.fail("sections ran"))
    status = report.main(["--only", "Eq. 14", "--atlas", str(tmp_path / "s"),
                          "--out", str(tmp_path / "r.md"), "--no-progress"])
    assert status == 2  # before any section: run_sections fails the test if called
    assert bad.name in capsys.readouterr().err


# 5: a store that cannot be written: exit 2 before any cluster
def test_main__unwritable_store_is_a_usage_error_before_any_cluster(capsys, tmp_path,
                                                                      monkeypatch, no_cluster):
    import verify.sweep.store as store_mod

    def refuse(*a, **k):
        raise OSError(30, "Read-only file system")
    Store(tmp_path / "s")
    monkeypatch.setattr(store_mod.tempfile, "mkstemp", refuse)
    err = _one_line_usage(capsys, ["Eq. 14", "--store", str(tmp_path / "s")])
    assert "cannot be written: Read-only file system" in err


# 6: a store in use: exit 2 before any cluster, at once
def test_main__store_in_use_is_refused_before_any_cluster(capsys, tmp_path, no_cluster):
    store = Store(tmp_path / "s")
    with store.lock():  # at once: no_cluster fails the test if a cluster is started
        err = _one_line_usage(capsys, ["Eq. 14", "--store", str(tmp_path / "s")])
    assert "in use by another sweep" in err


# 7: the store's files follow the umask
def test_store_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "s")
        with store.lock():
            part = store.write([_row("a" * 32)])
            summary = store.write_text("_summary.md", "x")
    finally:
        os.umask(old)
    for p in (part, summary, store.path / "_manifest.json", store.path / "_lock"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p.name


# 9: Ctrl-C prints no Dask tracebacks
def test_silence_shutdown__quiets_distributed_tornado_and_asyncio():
    logging.getLogger("distributed.core")  # a child that exists before
    silence_shutdown()
    for name in ("distributed", "distributed.core", "tornado", "tornado.application",
                 "asyncio"):
        assert not logging.getLogger(name).isEnabledFor(logging.CRITICAL)


# 10: Ctrl-C takes effect promptly even while a worker holds the GIL (a cold Numba compile)
def _hold_gil(n: int) -> int:
    return sum(range(n))  # one C loop: the GIL is never released


def test_dask_client__interrupt_while_a_worker_holds_the_gil_is_prompt():
    t0 = []

    def run() -> None:
        with dask_client(workers=1) as client:
            fut = client.submit(_hold_gil, 10**11)
            time.sleep(1.0)
            assert not fut.done()
            t0.append(time.monotonic())
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run()
    # the held loop would last tens of minutes: a ceiling that only waiting for it reaches
    assert time.monotonic() - t0[0] < 300


# 11: stale temporary files removed; lost tasks reported once, as lost
def test_lock__removes_stale_tmp_files(tmp_path):
    store = Store(tmp_path / "s")
    (store.path / ".tmp-abc123").write_bytes(b"x")
    with store.lock():
        pass
    assert not list(store.path.glob(".tmp-*"))


def test_remove_stale__removes_a_killed_writes_temporary_files(tmp_path):
    import re

    (tmp_path / ".atlas-x.png.ab12CD_9.tmp").write_bytes(b"x")
    (tmp_path / ".other.txt.ab12CD_9.tmp").write_bytes(b"x")
    (tmp_path / "atlas-x.png").write_bytes(b"x")
    removed = remove_stale(tmp_path, re.compile(r"atlas-.*\.png"), ["atlas-x.png"])
    assert removed == [".atlas-x.png.ab12CD_9.tmp"]
    assert (tmp_path / ".other.txt.ab12CD_9.tmp").exists()


def test_finish__lost_tasks_are_one_line_called_lost_and_exit_3(tmp_path, capsys):
    import argparse

    store = Store(tmp_path / "s")
    spec = find("Eq. 14 (exact)")
    args = argparse.Namespace(grid="quick", seeds=None, seed=0)
    lost = [("Eq. 14 (exact)", "{}", "CancelledError: x")] * 7
    status = sweep_main._finish(store, [spec], args, {
        "tasks": 7, "skipped": 0, "run": 7, "errors": [], "lost": lost, "n_errors": 0,
        "n_lost": 7})
    err = capsys.readouterr().err
    assert status == 3
    assert err.count("\n") == 1
    assert "7 task(s) lost" in err
    assert "raised" not in err


# the summary reads this sweep's rows only
def test_selection__only_this_sweeps_rows(tmp_path):
    spec = find("Eq. 14 (exact)")
    g = spec.grids["quick"]
    params = canonical(g.regimes[0])
    store = Store(tmp_path / "s")
    store.write([_row(f"{i:032d}", params=params, root_seed=s, replicate=r)
                 for i, (s, r) in enumerate([(0, 0), (1, 0), (1, g.seeds), (0, 1)])])
    store.write([_row("f" * 32, claim="Theorem 4.2", params=params, root_seed=1)])
    store.write([_row("e" * 32, params='{"m":999999}', root_seed=1)])
    rows = sweep_main._selection(store, [spec], "quick", None, 1)
    assert list(rows["key"]) == [f"{1:032d}"]
    assert len(sweep_main._selection(store, [spec], "quick", None, 0)) == 1 + (g.seeds > 1)


# strength and slack ranking
def test_strength_of__the_evidences_own_else_inferred_from_the_slack_kind():
    from verify.evidence import Strength

    ev = Evidence(claim="x", statement="s", verdict=Verdict.HOLDS, observed=1, bound=2, slack=1,
                  slack_kind="p-value", reason="r")
    assert strength_of(ev) == "statistical"
    ev2 = Evidence(claim="x", statement="s", verdict=Verdict.HOLDS, observed=1, bound=2, slack=1,
                   slack_kind="effect", reason="r")
    assert strength_of(ev2) == "statistical"
    ev3 = Evidence(claim="x", statement="s", verdict=Verdict.HOLDS, observed=1, bound=2, slack=1,
                   slack_kind="ratio", reason="r")
    assert strength_of(ev3) == "computed"
    ev4 = Evidence(claim="x", statement="s", verdict=Verdict.HOLDS, observed=1, bound=2, slack=1,
                   slack_kind="p-value", reason="r", strength=Strength.PROVED)
    assert strength_of(ev4) == "proved"
    assert SCHEMA_VERSION == "verify-sweep/3"
    assert "strength" in SCHEMA.names


def test_claim_verdicts__effect_and_p_value_slacks_are_not_ranked():
    spec = find("Theorem 4.2")
    rows = pd.DataFrame([
        {"claim": "Theorem 4.2", "params": '{"d":1}', "seed": 1, "verdict": "holds",
         "assumed": True, "slack": -5.0, "slack_kind": "effect", "event": None},
        {"claim": "Theorem 4.2", "params": '{"d":2}', "seed": 2, "verdict": "holds",
         "assumed": True, "slack": -4.0, "slack_kind": "p-value", "event": None},
        {"claim": "Theorem 4.2", "params": '{"d":3}', "seed": 3, "verdict": "holds",
         "assumed": True, "slack": 0.5, "slack_kind": "ratio", "event": None}])
    out = claim_verdicts(rows, [], {"Theorem 4.2": spec})
    assert out["Theorem 4.2"]["smallest_slack"]["slack"] == 0.5


def test_old_store_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "_manifest.json").write_text(json.dumps({"schema": "verify-sweep/1"}))
    with pytest.raises(ValueError, match="verify-sweep/1"):
        Store(tmp_path)


# streaming: a bounded window of futures, whatever the grid's size
def test_run_sweep__keeps_a_bounded_window_of_futures_in_flight(tmp_path):
    import dataclasses

    from tests import synthetic_sweep
    from verify.evidence.sweep_spec import Grid
    from verify.sweep.engine import run_sweep

    g = Grid(synthetic_sweep.SCALE.grids["quick"].regimes, 400)
    spec = dataclasses.replace(synthetic_sweep.SCALE, batch=10,
                               grids=dict.fromkeys(("quick", "standard", "thorough"), g))
    seen: list[int] = []
    with dask_client(workers=1) as client:
        def on_batch(n: int) -> None:
            seen.append(len(client.futures))
        result = run_sweep(client, [spec], "quick", Store(tmp_path / "s"), progress=False,
                           on_batch=on_batch, window=3)
    assert result["run"] == 4000
    assert len(seen) == 400
    assert max(seen) <= 3  # window x 1 thread, never the 400 batches at once


def test_main__a_full_disk_is_one_line_exit_3_and_the_store_intact(tmp_path):
    """``ulimit -f`` (the size limit Python meets as EFBIG, like a full disk's ENOSPC): one
    line naming the file and the cause, no traceback, exit 3, the store still usable."""
    import resource
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    store = tmp_path / "s"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    res = subprocess.run([sys.executable, "-m", "verify.sweep", "eq-14-exact", "--store",
                          str(store), "--workers", "1", "--no-progress"],
                         capture_output=True, text=True, cwd=tmp_path, preexec_fn=limit,
                         env={**os.environ, "PYTHONPATH": str(root)}, timeout=600)
    assert res.returncode == 3, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("verify.sweep: failed: ")
    assert "File too large (file size limit, ulimit -f); what had finished is kept" in lines[0]
    assert Store(store).check_parts(set_aside=False) == (set(), [])
