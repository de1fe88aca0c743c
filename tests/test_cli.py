""":mod:`verify._cli`: one exit-status table for every program, and failures mapped
to it (never to 1, which means that a claim fails)."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from verify import _cli
from verify._cli import EXIT_STATUSES, UsageError, interrupted, interrupts, run_main


def _raise(exc: BaseException):
    def main() -> int:
        raise exc

    return main


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [(UsageError("--out: bad"), 2, "prog: error: --out: bad"),
     (MemoryError(), 3, "prog: failed: out of memory"),
     (RuntimeError("boom"), 3, "prog: failed: RuntimeError: boom"),
     (KeyboardInterrupt(), 130, "prog: interrupted")],
)
def test_run_main__maps_failures_to_the_table(exc, code, line, capsys):
    assert run_main("prog", _raise(exc)) == code
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(line)


def test_run_main__an_error_after_sigint_is_an_interrupt(capsys):
    def main() -> int:
        _cli._interrupted.set()  # what the SIGINT handler does first
        raise SystemError("returned a result with an exception set")

    assert run_main("prog", main) == 130
    assert not interrupted()  # cleared on exit


def _sigint_self() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(10**6):  # the handler runs at a bytecode boundary
        pass


def test_interrupts__sigint_is_recorded_and_raised():
    with interrupts():
        with pytest.raises(KeyboardInterrupt):
            _sigint_self()
        assert interrupted()
    assert not interrupted()


@pytest.mark.parametrize("module", ["verify.report", "verify.experiments",
                                    "verify.fuzzing"])
def test_help__every_program_ends_with_the_exit_status_table(module, capsys):
    import importlib

    main = importlib.import_module(module).main
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.rstrip().endswith(EXIT_STATUSES.rstrip())


def test_readme__has_the_same_exit_status_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for code, meaning in [(0, "every claim holds"), (1, "some claim fails"), (2, "usage error"),
                          (3, "a checker or the machine failed"), (130, "interrupted")]:
        assert f"| {code} | {meaning}" in readme


class _RaisesOnDelete:
    """Python cannot raise out of ``__del__``: it reports the exception as unraisable, as it
    does for llvmlite's object-cache callback when Ctrl-C lands while Numba compiles."""

    def __init__(self, exc: type[BaseException]) -> None:
        self.exc = exc

    def __del__(self) -> None:
        raise self.exc


def test_interrupts__a_lost_interrupt_prints_no_traceback_and_is_still_acted_on(capsys):
    with _cli.interrupts():
        _cli._interrupted.set()  # what the SIGINT handler does before raising
        _RaisesOnDelete(KeyboardInterrupt)  # deleted at once: the interrupt is "ignored"
        assert capsys.readouterr().err == ""
        with pytest.raises(KeyboardInterrupt):
            _cli.stop_if_interrupted()
        _RaisesOnDelete(ValueError)  # any other unraisable error is still printed
        assert "ValueError" in capsys.readouterr().err
    assert sys.unraisablehook is not _cli._unraisable  # restored on exit
