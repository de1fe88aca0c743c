"""A sweep on an external scheduler whose last worker dies (``dask scheduler`` and ``dask worker``
as separate processes): the sweep says so on stderr after ``--worker-grace`` seconds; a worker
that joins in time lets it finish, and the summary says a worker was lost; otherwise it stops
after ``--worker-wait`` seconds more with exit status 3, the finished rows kept, and says how to
resume.

Event-driven: every wait is for a file, a line on stderr or a process's exit, with a ceiling
that only a hang reaches. The tasks of regimes ``m < 3`` wait for a gate file to disappear
(``m = 3`` runs first), so the sweep is certainly still running when its worker is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verify.sweep.store import Store

ROOT = Path(__file__).resolve().parent.parent
CEILING = 600.0  # seconds: reached only by a hang


def _wait(what: str, ok, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + CEILING
    while not ok():
        if proc is not None:
            assert proc.poll() is None, f"ended while waiting for {what}: " + (
                log.read_text()[-3000:] if log else "")
        assert time.monotonic() < deadline, f"no {what} in {CEILING:.0f} s"
        time.sleep(0.05)


class Cluster:
    """A scheduler and workers, each its own process (its own session, killed at the end)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.file = tmp / "scheduler.json"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT),
                    "VERIFY_SYNTHETIC_GATE": str(tmp / "gate")}
        self.procs: list[subprocess.Popen] = []
        self.scheduler = self._start([sys.executable, "-m", "distributed.cli.dask_scheduler",
                                      "--scheduler-file", str(self.file), "--port", "0",
                                      "--no-dashboard"], "scheduler")
        _wait("scheduler file", self.file.exists, self.scheduler)
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, argv: list[str], name: str) -> subprocess.Popen:
        with (self.tmp / f"{name}-{len(self.procs)}.log").open("w") as log:
            proc = subprocess.Popen(argv, cwd=self.tmp, env=self.env, stdout=log, stderr=log,
                                    start_new_session=True)
        self.procs.append(proc)
        return proc

    def worker(self) -> subprocess.Popen:
        return self._start([sys.executable, "-m", "distributed.cli.dask_worker",
                            "--scheduler-file", str(self.file), "--nthreads", "1",
                            "--no-nanny", "--no-dashboard"], "worker")

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    yield c
    c.close()


def _sweep(cluster: Cluster, store: Path, log: Path, wait: float) -> subprocess.Popen:
    code = (
        "from verify.sweep import __main__ as m, registry\n"
        "from tests import synthetic_sweep\n"
        "registry.specs = lambda: {'Gated': synthetic_sweep.GATED}\n"
        f"raise SystemExit(m.main(['Gated', '--store', {str(store)!r}, '--scheduler', "
        f"{cluster.address!r}, '--no-progress', '--worker-grace', '1', '--worker-wait', "
        f"'{wait:g}']))\n"
    )
    with log.open("w") as err:
        return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=err,
                                stdout=subprocess.DEVNULL, env=cluster.env,
                                start_new_session=True)


UNGATED_ROWS = 2  # regime m = 3 of tests/synthetic_sweep.py's GATED grid, at its 2 seeds


def _run_until_no_worker(cluster: Cluster, tmp_path: Path, wait: float):
    store, gate, log = tmp_path / "store", tmp_path / "gate", tmp_path / "sweep.err"
    gate.touch()
    first = cluster.worker()
    sweep = _sweep(cluster, store, log, wait)
    # both rows of the ungated regime (m = 3) are stored: the sweep is running, some rows are
    # finished, and the worker holds no finished result the sweep has not fetched (only a task
    # blocked on the gate), so its death loses running work only
    _wait("both m = 3 rows", lambda: len(Store(store, create=False).read()) >= UNGATED_ROWS,
          sweep, log)
    os.killpg(first.pid, signal.SIGKILL)  # the last worker dies, its tasks unfinished
    first.wait()
    _wait("'no worker' line", lambda: "no worker is left" in log.read_text(), sweep, log)
    return sweep, store, gate, log


@pytest.mark.slow
def test_sweep__a_worker_that_joins_in_time_lets_it_finish_and_is_reported(cluster, tmp_path):
    sweep, store, gate, log = _run_until_no_worker(cluster, tmp_path, wait=600)
    gate.unlink()
    cluster.worker()
    code = sweep.wait(timeout=CEILING)
    err = log.read_text()
    assert code == 0, err[-3000:]
    assert "verify.sweep: no worker is left (none for 1 s)" in err
    assert "a worker joined; the sweep goes on" in err
    assert len(Store(store).read()) == 8
    summary = (store / "_summary.md").read_text()
    assert "A worker was lost during the run" in summary
    assert json.loads((store / "_summary.json").read_text())["run"]["worker_absences"] >= 1


@pytest.mark.slow
def test_sweep__no_worker_after_the_wait_exits_3_keeping_the_rows(cluster, tmp_path):
    sweep, store, _, log = _run_until_no_worker(cluster, tmp_path, wait=2)
    code = sweep.wait(timeout=CEILING)
    err = log.read_text()
    assert code == 3, err[-3000:]
    assert "verify.sweep: no worker for " in err
    assert "finished tasks are kept in" in err
    assert "rerun the same command, with workers, to resume" in err
    assert "Traceback" not in err
    kept = Store(store).read().to_pylist()
    assert kept
    assert {json.loads(r["params"])["m"] for r in kept} == {3}
