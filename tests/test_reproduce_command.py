"""Reproduce lines are one shell command (:mod:`verify.evidence.reproduce`)."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from verify.evidence.reproduce import is_command, python_command, shell_command

CODES = [
    "print(1 + 1)",
    "from math import sqrt; print(sqrt(2), {'a': 1})",
    'print("double", \'single\')',
    "import os; print(os.environ.get('HOME', '$HOME'))",
    "print('!', r'\\\\')",
]


@pytest.mark.parametrize("code", CODES)
def test_python_command__a_shell_splits_it_back_into_the_code(code):
    line = python_command(code)
    assert shlex.split(line) == ["python", "-c", code]
    assert is_command(line)


def test_python_command__double_quotes_when_the_shell_leaves_them_alone():
    assert python_command("print({'a': 1})") == "python -c \"print({'a': 1})\""
    assert python_command("print('$x')") == "python -c 'print('\"'\"'$x'\"'\"')'"


@pytest.mark.parametrize("bad", ["", "   ", None, 3])
def test_python_command__refuses_no_code(bad):
    with pytest.raises(ValueError, match="code"):
        python_command(bad)


def test_shell_command__wraps_code_and_keeps_commands():
    assert shell_command("from x import y; y()") == 'python -c "from x import y; y()"'
    assert shell_command("python -m verify.fuzzing --claim 'Lemma 5.2'") == (
        "python -m verify.fuzzing --claim 'Lemma 5.2'")
    assert shell_command("python -c 'print(1)'") == "python -c 'print(1)'"
    assert shell_command("") == ""
    assert not is_command("python -c 'unclosed")
    assert not is_command("from x import y")


def test_python_command__runs_in_a_real_shell(tmp_path):
    """What the reader does: paste the line into sh."""
    line = python_command("import sys; print('ok', sys.argv[0] == '-c')")
    line = line.replace("python", shlex.quote(sys.executable), 1)
    out = subprocess.run(["sh", "-c", line], capture_output=True, text=True, cwd=tmp_path,
                         check=True).stdout
    assert out == "ok True\n"
