"""Where the command-line programs write, and how.

- :func:`check_output_file` and :func:`check_output_dir` validate an output path before any
  work: a regular file (or a symbolic link to one) or a new name, in an existing directory where
  a file can be created (tried, not guessed from permission bits). Directories, device files,
  links to anything but a regular file and read-only places raise :class:`UsageError`.
- :func:`write_atomic` writes through a temporary file in the same directory and
  ``os.replace``: a killed run leaves the old file or the new one, never a part. The file gets
  the mode the umask gives (``0o666 & ~umask``, as ``open`` would), not ``mkstemp``'s 0600. It
  never replaces a non-regular file; through a symbolic link it writes the link's target.
- :func:`remove_stale` deletes the files of an earlier run that a program manages and that this
  run did not write (e.g. the report's plots).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from verify._cli import UsageError

__all__ = ["check_output_dir", "check_output_file", "remove_stale", "write_atomic"]


def _umask() -> int:
    """The process's umask: read from ``/proc`` where it can be (setting it to read it back,
    the portable way, would change it for a moment for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _regular_or_new(option: str, path: Path) -> Path:
    """``path`` with symbolic links resolved, if it is a regular file or does not exist."""
    real = Path(os.path.realpath(path))
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise UsageError(f"{option}: cannot use {str(path)!r}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{option}: {str(path)!r} is a directory; give a file name")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{option}: {str(path)!r} is not a regular file; give a file name")
    return real


def _probe_dir(option: str, path: Path, directory: Path) -> None:
    """Raise unless a file can be created in ``directory`` (by creating and removing one)."""
    if not directory.is_dir():
        raise UsageError(f"{option}: cannot write {str(path)!r}: directory {str(directory)!r} "
                         "does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".verify-probe.")
    except OSError as exc:
        raise UsageError(f"{option}: cannot write {str(path)!r}: {exc.strerror} "
                         f"({str(directory)!r})") from None
    os.close(fd)
    os.unlink(tmp)


def check_output_file(option: str, path: str | os.PathLike[str]) -> Path:
    """Validate the output file ``path`` of option ``option`` before any work (see the module
    docstring); return it. Raises :class:`UsageError` (one line naming ``option``)."""
    path = Path(path)
    real = _regular_or_new(option, path)
    _probe_dir(option, path, real.parent)
    return path


def check_output_dir(option: str, path: str | os.PathLike[str],
                     files: Iterable[str] = ()) -> Path:
    """Validate the output directory ``path`` (an existing directory, or a new name whose
    nearest existing ancestor is a directory where one can write) and the ``files`` that will be
    written in it (each a regular file or a new name). Raises :class:`UsageError`."""
    path = Path(path)
    real = Path(os.path.realpath(path))
    if real.exists() and not real.is_dir():
        raise UsageError(f"{option}: {str(path)!r} is not a directory")
    ancestor = real
    while not ancestor.exists():
        ancestor = ancestor.parent
    _probe_dir(option, path, ancestor)
    if real.is_dir():
        for name in files:
            _regular_or_new(option, path / name)
    return path


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file and ``os.replace``,
    with mode ``0o666 & ~umask``; a symbolic link's target is written. The directory must exist;
    a non-regular file at ``path`` raises :class:`UsageError` and is left alone."""
    real = _regular_or_new("output", Path(path))
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
        os.replace(tmp, real)
    except OSError as exc:  # named after the file it was for (a full disk: one clear line)
        Path(tmp).unlink(missing_ok=True)
        if exc.errno is None or exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TMP = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp")
"""The temporary name :func:`write_atomic` writes through (``mkstemp``'s 8 random characters)."""


def remove_stale(directory: Path, pattern: re.Pattern[str], keep: Iterable[str]) -> list[str]:
    """Delete the regular files of ``directory`` whose whole name matches ``pattern`` and is not
    in ``keep`` (files an earlier run wrote), and the temporary files :func:`write_atomic` left
    for such names when a run was killed mid-write (``.NAME.XXXXXXXX.tmp``); return their
    names. Nothing else is touched."""
    keep = set(keep)
    removed = []
    if not directory.is_dir():
        return removed
    for entry in sorted(directory.iterdir()):
        tmp = _TMP.fullmatch(entry.name)
        if tmp is not None and pattern.fullmatch(tmp["name"]):
            pass  # a killed run's temporary file: stale whatever its name
        elif entry.name in keep or not pattern.fullmatch(entry.name):
            continue
        if entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed
