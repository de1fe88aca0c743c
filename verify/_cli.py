"""What the project's command-line programs share.

- Usage errors are one clear line on stderr, ``<program>: error: <message>``, and exit status
  :data:`USAGE` (2), before any work (:class:`Parser`, :class:`UsageError`).
- One table of exit statuses for every program (:data:`EXIT_STATUSES`, printed by ``--help``):
  0 every claim holds where its assumptions hold, 1 some claim fails there, 2 usage error,
  3 a checker or the machine failed, 130 interrupted.
- Ctrl-C stops every program promptly, with status 130, wherever it arrives
  (:func:`interrupts`): the SIGINT handler records the interrupt before it raises
  :class:`KeyboardInterrupt`, so an interrupt that compiled code or a library turned into
  another exception (Numba's ``SystemError: ... returned a result with an exception set``,
  Hypothesis' ``FlakyFailure``) or swallowed is still seen (:func:`interrupted`,
  :func:`stop_if_interrupted`) and never blamed on a checker.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "CLAIM_FAILS",
    "EXIT_STATUSES",
    "FAILURE",
    "HOLDS",
    "INTERRUPTED",
    "USAGE",
    "Parser",
    "UsageError",
    "interrupted",
    "interrupts",
    "loose_name",
    "run_main",
    "stop_if_interrupted",
]

HOLDS = 0
CLAIM_FAILS = 1
USAGE = 2
FAILURE = 3
INTERRUPTED = 130

EXIT_STATUSES = f"""\
exit status:
  {HOLDS}    every claim holds wherever its assumptions hold
  {CLAIM_FAILS}    some claim fails where its assumptions hold
  {USAGE}    usage error (one line on stderr, before any work)
  {FAILURE}    a checker or the machine failed (an error, MemoryError), whatever the claims gave
  {INTERRUPTED}  interrupted (Ctrl-C): what had finished is written, marked INCOMPLETE"""


class UsageError(ValueError):
    """A bad command line found after parsing (an output path, a setting too large): the
    program prints its one line and exits :data:`USAGE`."""


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose usage errors print one line (named after
    ``name``, e.g. ``verify.report``) instead of the usage block, and exit 2. Its ``--help``
    ends with ``epilog`` (if any) and the table of exit statuses."""

    def __init__(self, *args, name: str, epilog: str = "", **kwargs) -> None:
        epilog = f"{epilog}\n\n{EXIT_STATUSES}" if epilog else EXIT_STATUSES
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, epilog=epilog, **kwargs)
        self.name = name

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.name}: error: {message}", file=sys.stderr)
        raise SystemExit(USAGE)


def loose_name(name: str) -> str:
    """``name`` as the programs match names of claims and sections: case, spaces and
    punctuation other than dots ignored (``"Proof Algebra"``, ``proof-algebra``; ``Lemma 5.2``,
    ``lemma5.2``).

    Examples
    --------
    >>> loose_name("Proof Algebra") == loose_name("proof-algebra"), loose_name("Lemma 5.2")
    (True, 'lemma5.2')
    """
    return "".join(ch for ch in name.lower() if ch.isalnum() or ch == ".")


_interrupted = threading.Event()


def interrupted() -> bool:
    """Whether SIGINT arrived while :func:`interrupts` was active."""
    return _interrupted.is_set()


def stop_if_interrupted(cause: BaseException | None = None) -> None:
    """Raise :class:`KeyboardInterrupt` (from ``cause``) if SIGINT arrived: call it where an
    exception, or a normal return, may hide an interrupt."""
    if _interrupted.is_set():
        raise KeyboardInterrupt from cause


def _on_sigint(signum: int, frame: object) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def _unraisable(unraisable: Any) -> None:
    """Python cannot raise an exception out of some callbacks (llvmlite's object-cache hook,
    while Numba compiles, is one): it prints it as "Exception ignored" and goes on. A
    KeyboardInterrupt lost that way is already recorded (:func:`interrupted`) and acted on at the
    next :func:`stop_if_interrupted`, so its traceback is not printed; anything else is."""
    if issubclass(unraisable.exc_type, KeyboardInterrupt) and _interrupted.is_set():
        return
    sys.__unraisablehook__(unraisable)


@contextmanager
def interrupts() -> Iterator[None]:
    """Within the block, SIGINT records the interrupt (:func:`interrupted`) and raises
    :class:`KeyboardInterrupt`; the previous handler is restored, and the record cleared, on
    exit. Outside the main thread no handler is installed."""
    _interrupted.clear()
    if threading.current_thread() is not threading.main_thread():
        try:
            yield
        finally:
            _interrupted.clear()
        return
    previous = signal.signal(signal.SIGINT, _on_sigint)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _unraisable
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook
        _interrupted.clear()


def run_main(name: str, main: Callable[[], int]) -> int:
    """``main()`` with Ctrl-C, usage errors and failures mapped to the table's statuses: a
    :class:`UsageError` prints one line (2); Ctrl-C anywhere gives 130 and one line,
    ``<name>: interrupted``, followed by the message of the ``KeyboardInterrupt`` if ``main``
    raised one with a message (what was kept, how to resume); MemoryError or any other
    exception prints its cause (3), never 1, which means that a claim fails."""
    with interrupts():
        try:
            try:
                return main()
            except KeyboardInterrupt:
                raise
            except UsageError as exc:
                stop_if_interrupted(exc)
                print(f"{name}: error: {exc}", file=sys.stderr)
                return USAGE
            except MemoryError as exc:
                stop_if_interrupted(exc)
                print(f"{name}: failed: out of memory ({exc or 'MemoryError'})", file=sys.stderr)
                return FAILURE
            except Exception as exc:
                stop_if_interrupted(exc)
                traceback.print_exc()
                print(f"{name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                return FAILURE
        except KeyboardInterrupt as exc:  # one line, with what the program added (if any)
            print(f"{name}: interrupted" + (f"; {exc}" if str(exc) else ""), file=sys.stderr)
            return INTERRUPTED
