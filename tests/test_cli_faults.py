"""The command-line programs under faults: Ctrl-C at chosen moments, including inside a
compiled kernel, and the kill of the report's main process. Each test runs the program as a
child process (``sys.executable``) and sends it a real signal.

Ctrl-C must stop a program with exit status 130 (every wait is for an event: a line on stderr,
a file, the child's exit, with a ceiling, CEILING, that only a hang reaches, never a slow or
loaded machine: these are not timing tests) and, for the report, an INCOMPLETE report that
blames no checker; killing the report's main process must leave none of its workers behind.
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

from tests.slow_section import MARK

ROOT = Path(__file__).resolve().parent.parent
CEILING = 600.0  # seconds: reached only by a hang


class Child:
    """A program run as a child process, its stderr going to a file (not a pipe: workers that
    outlive it would hold a pipe open and a read would never end)."""

    def __init__(self, argv: list[str], cwd: Path, log: Path,
                 env: dict[str, str] | None = None) -> None:
        self.log = log
        with log.open("w") as err:  # a session of its own: SIGINT can go to its whole group
            self.proc = subprocess.Popen(argv, cwd=cwd, stderr=err, stdout=subprocess.DEVNULL,
                                         env=None if env is None else {**os.environ, **env},
                                         start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str = "", path: Path | None = None, pattern: str = "") -> None:
        """Until ``text`` is on stderr, or ``path`` holds a file matching ``pattern`` (the child
        must still be running)."""
        deadline = time.monotonic() + CEILING
        while (text not in self.stderr() if text else not any(path.glob(pattern))):
            assert self.proc.poll() is None, f"the child ended early: {self.stderr()[-2000:]}"
            assert time.monotonic() < deadline, "no sign of the child"
            time.sleep(0.05)

    def interrupt(self, group: bool = False) -> tuple[int, float]:
        """SIGINT to the child (or to its whole process group, as a terminal's Ctrl-C does);
        return (exit status, seconds it took to stop)."""
        start = time.monotonic()
        if group:
            os.killpg(self.proc.pid, signal.SIGINT)
        else:
            self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=CEILING)
        return code, time.monotonic() - start

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def _report_child(out: Path, workers: int) -> Child:
    """``verify.report``'s main on two stand-in sections: ``slow`` (a long compiled-kernel loop,
    announced on stderr by MARK) and ``fake`` (instant)."""
    code = (
        "from verify.report import main, registry\n"
        "from tests import fake_section, slow_section\n"
        "registry.SECTIONS = (slow_section.DECLARATION, fake_section.DECLARATION)\n"
        f"raise SystemExit(main(['--only', 'slow', 'fake', '--workers', '{workers}', '--out', "
        f"{str(out)!r}, '--json', {str(out.with_suffix('.json'))!r}, '--no-progress']))\n"
    )
    return Child([sys.executable, "-c", code], ROOT, out.with_suffix(".err"))


@pytest.mark.slow
@pytest.mark.parametrize(("workers", "group"), [(1, False), (2, False), (2, True)])
def test_report__sigint_inside_a_compiled_kernel_exits_130_incomplete(tmp_path, workers, group):
    out = tmp_path / "R.md"
    with _report_child(out, workers) as child:
        child.wait_for(MARK)
        time.sleep(1.0)  # inside one of the kernel calls (each lasts seconds)
        code, seconds = child.interrupt(group)
        err = child.stderr()
    assert code == 130, err[-3000:]
    assert seconds < CEILING
    text = out.read_text(encoding="utf-8")
    doc = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert "INCOMPLETE" in text
    assert "Exit status 130." in text
    assert doc["complete"] is False
    assert doc["exit_status"] == 130
    # no checker is blamed: no error anywhere, the interrupted section is "not run"
    assert "💥" not in text
    assert "SystemError" not in text
    assert "Traceback" not in text
    assert all(not s["error"] for s in doc["sections"])
    assert {r["claim"]: r["verdict"] for r in doc["summary"]}["Slow claim"] == "not run"
    assert "not run" in text
    assert "Traceback" not in err


@pytest.mark.slow
def test_report__sigint_during_the_fuzzing_exits_130_and_blames_no_checker(tmp_path):
    out = tmp_path / "R.md"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with Child([sys.executable, "-m", "verify.report", "--only", "fuzzing", "--workers", "1",
                "--out", str(out), "--no-progress"], tmp_path, tmp_path / "err.txt",
               env={"TMPDIR": str(tmp)}) as child:
        child.wait_for(path=tmp, pattern="verify-hypothesis-*")  # the searches have started
        time.sleep(2.0)  # inside them (about 25 s in all)
        code, seconds = child.interrupt()
        err = child.stderr()
    assert code == 130, err[-3000:]
    assert seconds < CEILING
    text = out.read_text(encoding="utf-8")
    assert "INCOMPLETE" in text
    assert "Flaky" not in text
    assert "Error in fuzzing" not in text
    assert "Traceback" not in err
    assert not (tmp_path / ".hypothesis").exists()


@pytest.mark.slow
def test_experiments__sigint_while_training_exits_130_without_traceback(tmp_path):
    with Child([sys.executable, "-m", "verify.experiments", "all", "--quick", "--out",
                str(tmp_path / "s7")], ROOT, tmp_path / "err.txt") as child:
        child.wait_for("fig3a")  # the progress bar is up: the training has started
        time.sleep(1.5)
        code, seconds = child.interrupt()
        err = child.stderr()
    assert code == 130, err[-3000:]
    assert seconds < CEILING
    assert "Traceback" not in err
    assert "verify.experiments: interrupted" in err


def _children(pid: int) -> list:
    import psutil

    return psutil.Process(pid).children(recursive=True)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_report__killing_the_main_process_leaves_no_worker(tmp_path, sig):
    psutil = pytest.importorskip("psutil")
    with _report_child(tmp_path / "R.md", workers=2) as child:
        child.wait_for(MARK)  # a worker is inside the kernel
        workers = _children(child.pid)
        assert workers, "the report started no worker process"
        os.kill(child.pid, sig)
        child.proc.wait(timeout=CEILING)
        _, alive = psutil.wait_procs(workers, timeout=CEILING)
    for p in alive:  # leave nothing behind, even when the test fails
        p.kill()
    assert not alive, f"workers outlived their parent: {[p.pid for p in alive]}"


def _sweep_child(store: Path, log: Path) -> Child:
    """``python -m verify.sweep``'s main on the synthetic claim (10^7 cheap tasks: it is
    still running when interrupted), one worker, no progress bar."""
    code = (
        "from verify.sweep import __main__ as m, registry\n"
        "from tests import synthetic_sweep\n"
        "registry.specs = lambda: {'Synthetic': synthetic_sweep.SCALE}\n"
        f"raise SystemExit(m.main(['Synthetic', '--store', {str(store)!r}, '--workers', '1', "
        "'--no-progress']))\n"
    )
    return Child([sys.executable, "-c", code], ROOT, log,
                 env={"VERIFY_SYNTHETIC_SEEDS": "1000000", "PYTHONPATH": str(ROOT)})


@pytest.mark.slow
@pytest.mark.parametrize("group", [False, True])
def test_sweep__sigint_prints_interrupted_once_and_exits_130(tmp_path, group):
    store = tmp_path / "store"
    with _sweep_child(store, tmp_path / "err") as child:
        child.wait_for(path=store, pattern="part-*.parquet")  # ready: a batch is stored
        code, seconds = child.interrupt(group)
        err = child.stderr()
    assert code == 130, err[-3000:]
    assert seconds < CEILING
    lines = [line for line in err.splitlines() if "interrupted" in line]
    assert lines == [f"verify.sweep: interrupted; finished tasks are kept in {store} (rerun "
                     "to resume)"], err[-3000:]
    assert "Traceback" not in err
