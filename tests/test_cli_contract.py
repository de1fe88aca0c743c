"""The contract every command keeps (:mod:`verify._cli`): the same exit-status table in
``--help``, one way of matching claim names (case, spaces and punctuation ignored, suggestions on
a miss), and Ctrl-C at any moment, imports included, giving one line and status 130.

The import test is event-driven, not timed: a ``sitecustomize`` module on the child's path
stalls the first import of ``numpy`` (or ``flint``, for the certificate checker) made after the
package ``verify`` is imported, and announces it on stderr; the test sends SIGINT once it reads
that line, so the interrupt lands inside an import every time, however loaded the machine.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verify._cli import EXIT_STATUSES, command_name, loose_name, match_name, unknown_name

ROOT = Path(__file__).resolve().parent.parent
CEILING = 600.0  # seconds: reached only by a hang, never by a slow machine

STALL = '''\
import sys, time
class _Stall:
    done = False
    def find_spec(self, name, path=None, target=None):
        if name in ("numpy", "flint") and "verify" in sys.modules and not self.done:
            self.done = True
            sys.stderr.write("STALLED importing " + name + "\\n")
            sys.stderr.flush()
            time.sleep(3600)
        return None
sys.meta_path.insert(0, _Stall())
'''

COMMANDS = {
    "verify.report": ["--only", "errata", "--out", "{tmp}/R.md"],
    "verify.sweep": ["Eq. 14", "--store", "{tmp}/store"],
    "verify.certify": ["check", "{tmp}/c.json"],
    "verify.fuzzing": ["--claim", "Lemma C.2", "--setting", "{{}}"],
    "verify.experiments": ["fig3a", "--quick", "--out", "{tmp}/s7"],
}
MAINS = {"verify.report": "verify.report", "verify.sweep": "verify.sweep.__main__",
         "verify.certify": "verify.certify.__main__", "verify.fuzzing": "verify.fuzzing",
         "verify.experiments": "verify.experiments"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_guard__sigint_during_the_imports_is_one_line_and_130(command, tmp_path):
    if command == "verify.certify":  # the stall is on flint's import
        pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(STALL)
    log = tmp_path / "err.txt"
    argv = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    env = {**os.environ, "PYTHONPATH": f"{hook}{os.pathsep}{ROOT}"}
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", command, *argv], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        deadline = time.monotonic() + CEILING
        while "STALLED" not in log.read_text():
            assert proc.poll() is None, f"ended before the import: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "the child never reached the import"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=CEILING)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = [line for line in log.read_text().splitlines() if not line.startswith("STALLED")]
    assert code == 130, lines
    assert lines == [f"{command}: interrupted"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help__every_command_prints_the_same_exit_status_table(command, capsys):
    if command == "verify.certify":
        pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
    main = importlib.import_module(MAINS[command]).main
    try:
        code = main(["--help"])
    except SystemExit as exc:
        code = exc.code
    assert code == 0
    assert capsys.readouterr().out.rstrip().endswith(EXIT_STATUSES.rstrip())


def test_command_name__is_the_module_after_dash_m():
    assert command_name(["python", "-X", "importtime", "-m", "verify.sweep", "x"]) == \
        "verify.sweep"
    assert command_name(["python", "-mverify.report"]) == "verify.report"
    assert command_name(["python", "-c", "pass"]) == "verify"


@pytest.mark.parametrize("typed", ["lemmac2", "Lemma C.2", "LEMMA-C-2", "lemma c.2", "lemma_c2"])
def test_loose_name__ignores_case_spaces_and_all_punctuation(typed):
    assert loose_name(typed) == loose_name("Lemma C.2") == "lemmac2"


def test_match_name__every_command_accepts_lemmac2():
    from verify.fuzzing import targets
    from verify.report.registry import select
    from verify.sweep.registry import find

    assert [s.key for s in select(["lemmac2"])] == ["lemma-c.2"]
    assert find("eq14exact").claim == "Eq. 14 (exact)"
    assert find("lemma52").claim == "Lemma 5.2"
    assert match_name("lemmac2", [t.claim for t in targets()]) == ["Lemma C.2"]


def test_unknown_name__suggests_the_closest_names_in_every_command(capsys, tmp_path):
    from verify import fuzzing
    from verify.report import main as report
    from verify.sweep.__main__ import main as sweep

    assert "did you mean 'Lemma C.2'" in unknown_name("Lemma C2x", ["Lemma C.2", "Eq. 14"])
    assert fuzzing.main(["--claim", "Lema C.2", "--setting", "{}"]) == 2
    assert report(["--only", "Lema C.2", "--out", str(tmp_path / "R.md")]) == 2
    with pytest.raises(SystemExit):
        sweep(["Lema 5.2", "--store", str(tmp_path / "s")])
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3, err
    assert "unknown claim 'Lema C.2' (did you mean 'Lemma C.2'" in err[0]
    assert "unknown claim 'Lema C.2' (did you mean 'Lemma C.2'" in err[1]
    assert "unknown claim 'Lema 5.2' (did you mean 'Lemma 5.2'" in err[2]
    assert not (tmp_path / "s").exists()


def test_progress__off_a_terminal_one_plain_line_per_unit_with_the_elapsed_time():
    import io

    from verify._cli import Progress

    log = io.StringIO()  # not a terminal
    bar = Progress("verify.x", 3, "section", stream=log, min_interval=0.0)
    for key in ("a", "b", "c"):
        bar.update(1, key)
    bar.close()
    lines = log.getvalue().splitlines()
    assert [line.split(";")[0] for line in lines] == [
        "verify.x: 1/3 sections done (a)", "verify.x: 2/3 sections done (b)",
        "verify.x: 3/3 sections done (c)"]
    assert all(line.endswith(" s elapsed") for line in lines)
    quiet = io.StringIO()
    bar = Progress("verify.x", 3, "section", stream=quiet, quiet=True)
    bar.update(3)
    assert quiet.getvalue() == ""


def test_progress__the_report_and_the_sweep_print_lines_in_a_log_and_quiet_silences_them(
        tmp_path, capsys, monkeypatch):
    from tests import fake_section
    from verify.report import main as report
    from verify.report import registry
    from verify.sweep.__main__ import main as sweep

    monkeypatch.setattr(registry, "SECTIONS", (fake_section.DECLARATION,))
    assert report(["--only", "fake", "--out", str(tmp_path / "R.md")]) == 0
    err = capsys.readouterr().err
    assert "verify.report: 1/1 sections done (fake); " in err
    assert report(["--only", "fake", "--out", str(tmp_path / "R.md"), "--quiet"]) == 0
    assert "sections done" not in capsys.readouterr().err
    store = str(tmp_path / "s")
    assert sweep(["eq-14-exact", "--store", store, "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "verify.sweep quick: " in err
    assert "tasks done (Eq. 14 (exact)); " in err
    assert err.rstrip().endswith("s elapsed")
