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
- Before and after that work, imports included, :func:`guard` makes Ctrl-C end the program at
  once with the same one line and status 130. ``python -m verify.<command>`` installs it as the
  package ``verify`` is first imported (``verify/__init__.py``), before any heavy module loads.
"""

from __future__ import annotations

import argparse
import difflib
import errno
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

__all__ = [
    "CLAIM_FAILS",
    "EXIT_STATUSES",
    "FAILURE",
    "HOLDS",
    "INTERRUPTED",
    "USAGE",
    "Parser",
    "Progress",
    "UsageError",
    "guard",
    "interrupted",
    "interrupts",
    "loose_name",
    "match_name",
    "require_extra",
    "run_main",
    "stop_if_interrupted",
    "unknown_name",
]

HOLDS = 0
CLAIM_FAILS = 1
USAGE = 2
FAILURE = 3
INTERRUPTED = 130

EXIT_STATUSES = f"""\
exit status (the same for every verify command):
  {HOLDS}    every claim holds wherever its assumptions hold (certify: every file verifies)
  {CLAIM_FAILS}    some claim fails where its assumptions hold (certify: a file does not verify);
       a failure outside the stated assumptions is a finding, not status 1
  {USAGE}    usage error (one line on stderr, before any work)
  {FAILURE}    a checker or the machine failed (an error, MemoryError, a full disk, a lost
       worker), whatever the claims gave; what had finished is kept
  {INTERRUPTED}  interrupted (Ctrl-C, at any moment): one line; what had finished is kept"""


class Progress:
    """The progress of a long command on stderr, the same way in every command: a bar (tqdm) on
    a terminal; elsewhere (a log, a pipe, CI) one plain line per finished unit, ``<name>: 3/20
    sections done (lemma-5.2); 42 s elapsed``, at most one a second (a unit that finishes
    sooner is counted in the next line, and the last unit always gets its line); nothing at
    all with ``quiet`` (``--quiet``)."""

    def __init__(self, name: str, total: int, unit: str, *, quiet: bool = False,
                 stream: Any = None, min_interval: float = 1.0) -> None:
        self.name, self.total, self.unit = name, total, unit
        self.stream = sys.stderr if stream is None else stream
        self.quiet = quiet
        self.done = 0
        self.start = time.monotonic()
        self.min_interval = min_interval
        self._last = -float("inf")
        self.bar = None
        isatty = getattr(self.stream, "isatty", lambda: False)
        if not quiet and isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=name, unit=unit, file=self.stream,
                            dynamic_ncols=True)

    def update(self, n: int = 1, label: str = "") -> None:
        """``n`` more units finished (``label``: the last one's name)."""
        self.done += n
        if self.bar is not None:
            if label:
                self.bar.set_postfix_str(label)
            self.bar.update(n)
            return
        now = time.monotonic()
        if self.quiet or n == 0 or (now - self._last < self.min_interval
                                    and self.done < self.total):
            return
        self._last = now
        what = f" ({label})" if label else ""
        print(f"{self.name}: {self.done:,}/{self.total:,} {self.unit}s done{what}; "
              f"{now - self.start:.0f} s elapsed", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
    """``name`` as every program matches names of claims and sections: case, spaces and
    punctuation ignored (``"Proof Algebra"``, ``proof-algebra``; ``Lemma C.2``, ``lemmac2``,
    ``lemma-c.2``).

    Examples
    --------
    >>> loose_name("Proof Algebra") == loose_name("proof-algebra"), loose_name("Lemma C.2")
    (True, 'lemmac2')
    """
    return "".join(ch for ch in name.lower() if ch.isalnum())


def match_name(name: str, known: Iterable[str]) -> list[str]:
    """The entries of ``known`` that ``name`` names (:func:`loose_name` equal), in order.

    Examples
    --------
    >>> match_name("lemmac2", ["Lemma C.1", "Lemma C.2", "lemma-c.2"])
    ['Lemma C.2', 'lemma-c.2']
    """
    key = loose_name(name)
    return [k for k in known if loose_name(k) == key]


def unknown_name(name: str, known: Iterable[str], *, what: str = "claim") -> str:
    """The one-line message of every program for a name that matches nothing in ``known``:
    the closest names first (``difflib``), then all of them.

    Examples
    --------
    >>> unknown_name("Lemma C.3", ["Lemma C.1", "Lemma C.2", "Theorem 4.2"])
    "unknown claim 'Lemma C.3' (did you mean 'Lemma C.2', 'Lemma C.1'?); choose from: Lemma C.1, \
Lemma C.2, Theorem 4.2 (case, spaces and punctuation ignored)"
    """
    known = list(dict.fromkeys(known))
    by_key: dict[str, str] = {}
    for k in known:
        by_key.setdefault(loose_name(k), k)
    close = difflib.get_close_matches(loose_name(name), list(by_key), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(by_key[c]) for c in close)}?)" if close else ""
    return (f"unknown {what} {name!r}{hint}; choose from: {', '.join(known)} (case, spaces and "
            "punctuation ignored)")


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


_guarded: list[str] = []
"""The program name given to :func:`guard` (empty: no guard)."""


def _exit_interrupted(signum: int, frame: object) -> None:
    """The guard's SIGINT handler: one line and status 130, at once. Nothing is raised, so no
    import or shutdown in progress can print a traceback; nothing needs cleaning up, since the
    guard is active only outside :func:`run_main`'s work (no worker started, no file open)."""
    with suppress(Exception):
        sys.stdout.flush()
    with suppress(Exception):
        print(f"{_guarded[0]}: interrupted", file=sys.stderr, flush=True)
    os._exit(INTERRUPTED)


def command_name(argv: list[str] | None = None) -> str:
    """The module run by ``python [options] -m MODULE ...`` (``argv`` default
    ``sys.orig_argv``), e.g. ``verify.sweep``; ``"verify"`` if there is none."""
    argv = list(getattr(sys, "orig_argv", []) if argv is None else argv)
    for i, arg in enumerate(argv[1:], start=1):
        if arg == "-m" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("-m") and len(arg) > 2:
            return arg[2:]
    return "verify"


def guard(name: str | None = None) -> None:
    """From now on, Ctrl-C outside :func:`run_main`'s work (while modules load, after the work
    is done) ends the process at once with one line, ``<name>: interrupted``, and status 130;
    inside it, :func:`interrupts` handles it (what finished is kept). ``name`` defaults to the
    module that ``python -m`` runs (:func:`command_name`). Only in the main thread, only once,
    and not where SIGINT is ignored (a job started with ``nohup`` or ``&``)."""
    if _guarded or threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        return
    _guarded.append(name or command_name())
    signal.signal(signal.SIGINT, _exit_interrupted)


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


def os_error_text(exc: OSError) -> str:
    """One line for an error of the machine: ``cannot write PATH: No space left on device (disk
    full)``."""
    hint = {errno.ENOSPC: " (disk full)", errno.EFBIG: " (file size limit, ulimit -f)",
            errno.EDQUOT: " (disk quota)", errno.EROFS: " (read-only file system)"}
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}{hint.get(exc.errno or 0, '')}"


def require_extra(program: str, extra: str, modules: tuple[str, ...]) -> None:
    """Import ``modules`` (the optional extra ``extra``'s); if one is missing: when ``python -m
    <program>`` is starting, one line on stderr and exit status :data:`USAGE` (no traceback);
    otherwise an ImportError that names the extra and how to install it."""
    for module in modules:
        try:
            __import__(module)
        except ImportError as exc:
            text = (f"needs the {extra!r} extra: {module} is not installed "
                    f"(pip install 'verify[{extra}]')")
            if command_name() == program:
                print(f"{program}: error: {text}", file=sys.stderr)
                raise SystemExit(USAGE) from None
            raise ImportError(text, name=module) from exc


def run_main(name: str, main: Callable[[], int]) -> int:
    """``main()`` with Ctrl-C, usage errors and failures mapped to the table's statuses: a
    :class:`UsageError` prints one line (2); Ctrl-C anywhere gives 130 and one line,
    ``<name>: interrupted``, followed by the message of the ``KeyboardInterrupt`` if ``main``
    raised one with a message (what was kept, how to resume); MemoryError and OSError (a full
    disk, a file size limit) print one line (3), any other exception its traceback and cause
    (3), never 1, which means that a claim fails."""
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
            except OSError as exc:  # the machine (a full disk, a file size limit), not a bug
                stop_if_interrupted(exc)
                print(f"{name}: failed: {os_error_text(exc)}; what had finished is kept",
                      file=sys.stderr)
                return FAILURE
            except Exception as exc:
                stop_if_interrupted(exc)
                traceback.print_exc()
                print(f"{name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                return FAILURE
        except KeyboardInterrupt as exc:  # one line, with what the program added (if any)
            print(f"{name}: interrupted" + (f"; {exc}" if str(exc) else ""), file=sys.stderr)
            return INTERRUPTED
