"""The reproduce lines of the committed ``REPORT.md`` run as printed.

Every line names importable code (each ``from A import B`` resolves; each ``python -m M`` names
a command-line module), and a sample of them, one per kind of cheap checker, is run in this
process and must print the verdict the report shows for it. ``REPORT.md`` is written only by
``python -m verify.report``; when a module moves, regenerating it is part of the move, and this
test fails until it is done.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import shlex
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[1] / "REPORT.md"
SPAN = re.compile(r"`((?:python -[cm] |from verify)[^`]+)`")
FROM_IMPORT = re.compile(r"from (verify[\w.]*) import ([\w, ]+)")
FINDING = re.compile(
    r"^- \*\*(?P<claim>[^*]+)\*\* (?:\[proved\] )?(?P<verdict>fails|holds)\b.*"
    r"Reproduce: `(?P<cmd>[^`]+)`")
CLI_MODULES = {
    "verify.report", "verify.fuzzing", "verify.experiments", "verify.sweep", "verify.certify",
}


def _lines() -> list[str]:
    return sorted(set(SPAN.findall(REPORT.read_text(encoding="utf-8"))))


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


def _findings() -> list[tuple[str, str, str]]:
    out = []
    for row in REPORT.read_text(encoding="utf-8").splitlines():
        m = FINDING.match(row)
        if m and any(s in m["cmd"] for s in SAMPLE):
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
