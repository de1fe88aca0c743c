"""The reproduce lines of the committed ``REPORT.md`` run as printed.

Every line names importable code (each ``from A import B`` resolves; each ``python -m M`` names
a command-line module), and a sample of them, one per kind of cheap checker, is run in this
process and must print the verdict the report shows for it. ``REPORT.md`` is written only by
``python -m verify.report``; when a module moves, regenerating it is part of the move, and this
test fails until it is done.

On a freshly generated quick report (slow: the session's ``quick_report``), every reproduce line
is one shell command that can be pasted as it is: ``python -c <code>`` or ``python -m <module>``,
parsed by :func:`shlex.split`, the code compiling; and a sample of them is run in a shell-like
subprocess (the arguments :func:`shlex.split` gives), from another directory, printing the claim
and the verdict the report shows for it.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[1] / "REPORT.md"
SPAN = re.compile(r"`((?:python -[cm] |from verify)[^`]+)`")
FROM_IMPORT = re.compile(r"from (verify[\w.]*) import ([\w, ]+)")
FINDING = re.compile(
    r"^- \*\*(?P<claim>[^*]+)\*\* (?:\[proved\] )?(?P<verdict>fails|holds)\b.*"
    r"Reproduce: `(?P<cmd>[^`]+)`", re.DOTALL)
CLI_MODULES = {
    "verify.report", "verify.fuzzing", "verify.experiments", "verify.sweep", "verify.certify",
}


def _lines(report: Path = REPORT) -> list[str]:
    return sorted(set(SPAN.findall(report.read_text(encoding="utf-8"))))


def _items(text: str) -> list[str]:
    """The report's top-level list items, each with its wrapped continuation lines joined."""
    items: list[str] = []
    for row in text.splitlines():
        if row.startswith("- "):
            items.append(row)
        elif items and row.startswith("  ") and not row.lstrip().startswith("- "):
            items[-1] += " " + row.strip()
        else:
            items.append("")
    return [i for i in items if i]


def _code(line: str) -> str | None:
    """The Python code of a reproduce line, or None for a ``python -m`` command."""
    if line.startswith("python -c "):
        return shlex.split(line)[2]
    if line.startswith("from verify"):
        return line
    return None


def test_report__has_reproduce_lines():
    lines = _lines()
    assert len(lines) >= 20
    assert any(line.startswith("python -m verify.fuzzing") for line in lines)
    assert any(_code(line) for line in lines)


@pytest.mark.parametrize("line", _lines())
def test_reproduce_line__names_importable_code(line):
    code = _code(line)
    if code is None:
        module = shlex.split(line)[2]
        assert module in CLI_MODULES, line
        importlib.import_module(module)
        return
    compile(code, "<reproduce>", "exec")
    imports = FROM_IMPORT.findall(code)
    assert imports, line
    for module, names in imports:
        mod = importlib.import_module(module)
        for name in (n.strip() for n in names.split(",")):
            assert hasattr(mod, name), f"{module} has no {name}: {line}"


SAMPLE = ("check_vc_dimension(3, 3", "check_lemma_5_2_exact(5, 3, 1000",
          "check_lemma_5_2_exact(3, 3, 27,")


def _findings(report: Path = REPORT, sample: tuple[str, ...] = SAMPLE
              ) -> list[tuple[str, str, str]]:
    out = []
    for row in _items(report.read_text(encoding="utf-8")):
        m = FINDING.match(row)
        if m and any(s in m["cmd"] for s in sample):
            out.append((m["claim"], m["verdict"], m["cmd"]))
    return out


def test_reproduce_line__sample_is_found():
    assert len(_findings()) == len(SAMPLE)


@pytest.mark.parametrize(("claim", "verdict", "line"), _findings())
def test_reproduce_line__runs_and_prints_the_reported_verdict(claim, verdict, line):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(_code(line), {})  # the line as printed, in this process
    printed = out.getvalue()
    assert claim in printed
    assert f": {verdict}" in printed, printed


# --- on a freshly generated report (slow) ------------------------------------------------------


@pytest.mark.slow
def test_quick_report__every_reproduce_line_is_one_shell_command(quick_report):
    lines = _lines(quick_report[0])
    assert len(lines) >= 20
    for line in lines:
        assert line.startswith(("python -c ", "python -m ")), line  # never bare Python
        argv = shlex.split(line)
        assert argv[:2] in (["python", "-c"], ["python", "-m"]), line
        if argv[1] == "-c":
            assert len(argv) == 3, line  # the code is one quoted argument
            compile(argv[2], "<reproduce>", "exec")
        else:
            assert argv[2] in CLI_MODULES, line


RUN_SAMPLE = ("check_vc_dimension(3, 3", "check_lemma_5_2_exact(5, 3, 1000",
              "lemma_c1 import check_setting")


@pytest.mark.slow
def test_quick_report__a_sample_of_reproduce_lines_runs_as_pasted(quick_report, tmp_path):
    """Each sampled line is split as a shell splits it and run from an empty directory; it
    prints the claim and the verdict its finding shows."""
    findings = _findings(quick_report[0], RUN_SAMPLE)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    ran = 0
    for sample in RUN_SAMPLE:
        claim, verdict, line = next(f for f in findings if sample in f[2])
        argv = shlex.split(line)
        proc = subprocess.run([sys.executable, *argv[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, f"{line}\n{proc.stderr[-1500:]}"
        assert claim in proc.stdout, line
        assert f": {verdict}" in proc.stdout, proc.stdout
        ran += 1
    assert ran == len(RUN_SAMPLE)
