"""Where the report writes, probed before any work and committed in an order that never loses a
finished run.

- :func:`probe_outputs` (before any work): ``--out`` and ``--json`` are regular files or new
  names in directories where one can write (:func:`verify._files.check_output_file`), and an
  existing one can be replaced (renamed away and back: an immutable or append-only file fails
  here); ``<stem>_files/`` and its ``certificates/`` are directories (or new names) that can
  take files. Anything else is a :class:`~verify._cli.UsageError`: one line, exit 2.
- :class:`Staging`: the run's plots, Atlas figures and certificates are drawn into a hidden
  sibling folder, ``.<stem>_files.<random>/<stem>_files/``, never into ``<stem>_files/``
  directly. :meth:`Staging.commit` writes the Markdown first, then the JSON, then moves the
  staged files into ``<stem>_files/`` and removes the plots and certificates of an earlier run
  that this one did not write. So a run that fails before its Markdown is written leaves the old
  report and its old files exactly as they were.
- If the Markdown cannot be written after all (a full disk, a target made immutable during the
  run), the finished run is kept: the staging folder is renamed to the visible
  ``<stem>.unsaved-<random>/`` beside the target, holding ``<name>.md``, the JSON and
  ``<stem>_files/`` (its links work there), or, when even that fails, the same under the
  system's temporary directory. One line says where; the exit status is 3.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from verify._cli import FAILURE, UsageError
from verify._files import check_output_dir, check_output_file, remove_stale, write_atomic

__all__ = ["Staging", "probe_outputs", "probe_replace"]


def probe_replace(option: str, path: Path) -> None:
    """Raise :class:`UsageError` unless the existing ``path`` (a file or a directory) can be
    replaced: it is renamed to a hidden name beside it and back (what ``os.replace`` needs)."""
    real = Path(os.path.realpath(path))
    if not real.exists():
        return
    probe = real.parent / f".{real.name}.verify-probe"
    try:
        os.rename(real, probe)
    except OSError as exc:
        raise UsageError(f"{option}: {str(path)!r} cannot be replaced: {exc.strerror}") from None
    finally:  # put it back whatever happens, Ctrl-C between the two renames included
        if not real.exists() and probe.exists():
            os.rename(probe, real)


def probe_outputs(out: str, json_out: str | None) -> tuple[Path, Path]:
    """Validate everything the report will write, before any work; return ``(out,
    files_dir)``. Raises :class:`UsageError`."""
    path = check_output_file("--out", out)
    probe_replace("--out", path)
    files_dir = path.parent / f"{path.stem}_files"
    check_output_dir("--out", files_dir)
    certs = files_dir / "certificates"
    if certs.exists() or certs.is_symlink():
        check_output_dir("--out", certs)
        _probe_files(certs)
    if files_dir.is_dir():
        _probe_files(files_dir)
    if json_out:
        check_output_file("--json", json_out)
        if Path(os.path.realpath(json_out)) == Path(os.path.realpath(path)):
            raise UsageError("--json: must differ from --out")
        probe_replace("--json", Path(json_out))
    return path, files_dir


def _probe_files(directory: Path) -> None:
    """A file can be created (and removed) in ``directory``."""
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".verify-probe.")
    except OSError as exc:
        raise UsageError(f"--out: cannot write in {str(directory)!r}: {exc.strerror}") from None
    os.close(fd)
    os.unlink(tmp)


class Staging:
    """The hidden sibling folder where one run's files are drawn before :meth:`commit`."""

    def __init__(self, out: Path, files_dir: Path) -> None:
        self.out = out
        self.final = files_dir
        self.root = Path(tempfile.mkdtemp(prefix=f".{files_dir.name}.", dir=out.parent))
        self.files = self.root / files_dir.name

    def discard(self) -> None:
        """Remove the staging folder (the run's files are not kept)."""
        shutil.rmtree(self.root, ignore_errors=True)

    def commit(self, markdown: str, json_path: Path | None, json_text: str,
               keep: Iterable[tuple[str, re.Pattern[str], Iterable[str]]], *, name: str
               ) -> int | None:
        """Write the report and move the staged files into place (see the module docstring).
        ``keep`` lists ``(subfolder, pattern, names)``: in that subfolder of ``<stem>_files``
        (``""`` for itself), ``names`` are this run's files; others matching ``pattern`` are an
        earlier run's and are removed. Returns ``None``, or :data:`FAILURE` after printing the
        one line that says where the finished report went."""
        try:
            write_atomic(self.out, markdown)
        except OSError as exc:
            return self._fallback(f"cannot write {self.out} ({exc.strerror})", markdown,
                                  json_path, json_text, name=name)
        status = None
        if json_path is not None:
            try:
                write_atomic(json_path, json_text)
            except OSError as exc:
                status = self._fallback(f"cannot write {json_path} ({exc.strerror})", None,
                                        json_path, json_text, name=name, move=False)
        self._move_files()
        for sub, pattern, names in keep:
            remove_stale(self.final / sub if sub else self.final, pattern, names)
        self.discard()
        return status

    def _move_files(self) -> None:
        if not self.files.is_dir():
            return
        for src in sorted(self.files.rglob("*")):
            if src.is_dir():
                continue
            dst = self.final / src.relative_to(self.files)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)

    def _fallback(self, why: str, markdown: str | None, json_path: Path | None,
                  json_text: str, *, name: str, move: bool = True) -> int:
        """Keep the finished run beside the target (else in the temporary directory)."""
        for parent in (self.out.parent, Path(tempfile.gettempdir())):
            try:
                where = Path(tempfile.mkdtemp(prefix=f"{self.out.stem}.unsaved-", dir=parent))
                if markdown is not None:
                    write_atomic(where / self.out.name, markdown)
                if json_path is not None:
                    write_atomic(where / json_path.name, json_text)
                if move and self.files.is_dir():
                    os.replace(self.files, where / self.files.name)
            except OSError:
                continue
            if move:
                self.discard()
            print(f"{name}: {why}; the finished report is kept in {where}/ (with its plots); "
                  "exit status 3", file=sys.stderr)
            return FAILURE
        if move:
            with suppress(OSError):
                self.discard()
        print(f"{name}: {why}, and nowhere else could take the finished report; exit status 3",
              file=sys.stderr)
        return FAILURE
