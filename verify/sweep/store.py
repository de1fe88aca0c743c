"""The sweep's store: one row per finished task, in Parquet, in a directory that pandas and
pyarrow read directly (``pandas.read_parquet(DIR)``).

Layout: ``_manifest.json`` (the schema version and the columns) and ``part-*.parquet``, one file
per finished batch of tasks, and ``_lock`` (held by the sweep that is running: two sweeps never
write one store at once). Every file is written to a hidden temporary name (``.tmp-*``) and
renamed into place (``os.replace``), so a sweep killed at any point, even by ``kill -9``, leaves
only whole files; the readers (pyarrow's dataset discovery, and :meth:`Store.done_keys`) skip
names that start with ``.`` or ``_``. A part's name is the hash of its task keys, so writing the
same batch twice replaces it rather than adding rows; a task whose key is already in the store
is never run again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from verify._files import _umask
from verify.evidence.sweep_spec import digest

__all__ = ["EVENT", "NO_EVENT", "SCHEMA", "SCHEMA_VERSION", "Store", "StoreError"]

SCHEMA_VERSION = "verify-sweep/3"
"""Changes when the columns or their meaning change; a store of another version is refused
(usage error). Version 2 added the ``strength`` column; version 3 records a probabilistic
claim's per-seed row as :data:`EVENT` or :data:`NO_EVENT` (version 2 copied the checker's
verdict on one draw, "holds" even where the claimed event failed)."""

EVENT = "event"
"""The ``verdict`` of a probabilistic claim's row (one seed) in which the claimed event occurred."""
NO_EVENT = "no event"
"""The ``verdict`` of a probabilistic claim's row (one seed) in which the claimed event failed.
The claim's own verdict is that of its success rates (:mod:`verify.sweep.rates`)."""

MANIFEST = "_manifest.json"

SCHEMA = pa.schema([
    ("key", pa.string()),          # sha256 of (claim, canonical params, seed)
    ("claim", pa.string()),
    ("params", pa.string()),       # the regime, canonical JSON
    ("d", pa.int64()), ("l", pa.int64()), ("n", pa.int64()), ("k", pa.int64()),
    ("m", pa.int64()), ("T1", pa.int64()),  # the regime's, where it has them (else null)
    ("replicate", pa.int64()),     # 0 .. seeds - 1
    ("root_seed", pa.int64()),     # the sweep's --seed
    ("seed", pa.int64()),          # the task's seed, derived from the three above
    ("observed", pa.float64()), ("bound", pa.float64()), ("slack", pa.float64()),
    ("slack_kind", pa.string()),
    ("verdict", pa.string()),      # holds, fails, boundary, not applicable; or, for a
    #                                probabilistic claim's seed, event / no event
    ("strength", pa.string()),     # proved, computed, statistical, vacuous, not tested
    ("assumed", pa.bool_()),       # every stated assumption of the claim held
    ("assumptions", pa.string()),  # {name: held}, JSON
    ("event", pa.bool_()),         # probabilistic claims: did the claimed event occur
    ("probability_bound", pa.float64()),  # ... and the stated lower bound on its probability
    ("reason", pa.string()),
    ("reproduce", pa.string()),
    ("seconds", pa.float64()),     # the only column that depends on the machine
    ("version", pa.string()),      # the package version that computed the row
])
PARAM_COLUMNS = ("d", "l", "n", "k", "m", "T1")


BAD = "_bad"
"""Where parts that cannot be read are set aside (their tasks are then run again)."""


class StoreError(ValueError):
    """The directory is not a store this version can use (a usage error)."""


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write through a hidden ``.tmp-*`` file and ``os.replace``, with the mode the umask
    gives (``0o666 & ~umask``, as ``open`` would; not ``mkstemp``'s 0600)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # named after the file it was for (a full disk: one clear line)
        Path(tmp).unlink(missing_ok=True)
        if exc.errno is None or exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    """A sweep store at ``path`` (created if absent or empty, unless ``create=False``: then
    only checked, and created by :meth:`create` or the first :meth:`write`).

    Raises :class:`StoreError` if ``path`` is a file, or a non-empty directory without this
    version's manifest; nothing is written or removed then.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store {self.path} is not a directory")
        manifest = self.path / MANIFEST
        if manifest.exists():
            try:
                found = json.loads(manifest.read_text(encoding="utf-8")).get("schema")
            except (OSError, ValueError, AttributeError) as exc:
                raise StoreError(f"store {self.path}: unreadable manifest ({exc})") from None
            if found != SCHEMA_VERSION:
                raise StoreError(f"store {self.path} has schema {found!r}; this version reads "
                                 f"{SCHEMA_VERSION!r} (use another --store)")
        elif self.path.exists() and any(not p.name.startswith(".") for p in self.path.iterdir()):
            raise StoreError(f"store {self.path} is not empty and has no {MANIFEST}: not a sweep "
                             "store (use another --store)")
        if create:
            self.create()

    def create(self) -> None:
        """Make the directory and its manifest if they are not there yet."""
        manifest = self.path / MANIFEST
        if not manifest.exists():
            self.path.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"schema": SCHEMA_VERSION, "columns": SCHEMA.names}, indent=1)
            _atomic_write_bytes(manifest, text.encode("utf-8"))

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store for one sweep (an advisory ``flock`` on ``_lock``, released by the
        kernel even after ``kill -9``); raises :class:`StoreError` if another sweep holds it."""
        try:
            self.create()
            fd = os.open(self.path / "_lock", os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise StoreError(f"store {self.path} cannot be written: {exc.strerror}") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"store {self.path} is in use by another sweep") from None
            self._check_writable()
            self.remove_stale_tmp()
            yield
        finally:
            os.close(fd)

    def _check_writable(self) -> None:
        """Raise :class:`StoreError` unless a file can be created, renamed and removed in the
        store (tried: a read-only mount or an immutable directory fails here, before any work)."""
        probe = self.path / ".tmp-probe"
        try:
            _atomic_write_bytes(probe, b"")
            probe.unlink()
        except OSError as exc:
            raise StoreError(f"store {self.path} cannot be written: {exc.strerror}") from None

    def remove_stale_tmp(self) -> list[str]:
        """Delete the hidden ``.tmp-*`` files that a killed sweep left (call it holding the
        lock: no other sweep is writing then); return their names."""
        removed = []
        for p in sorted(self.path.glob(".tmp-*")):
            if p.is_file() and not p.is_symlink():
                p.unlink(missing_ok=True)
                removed.append(p.name)
        return removed

    def check_parts(self, *, set_aside: bool) -> tuple[set[str], list[str]]:
        """Read every part's keys: ``(keys, bad)``, ``bad`` the names of the parts that cannot
        be used (:meth:`part_problem`: truncated, not Parquet, another schema, null keys). With
        ``set_aside`` they are moved to ``_bad/`` (so their tasks are run again); without it,
        left in place."""
        keys: set[str] = set()
        bad: list[str] = []
        for part in self.parts():
            got = self._part_keys(part)
            if isinstance(got, str):
                bad.append(part.name)
                if set_aside:
                    (self.path / BAD).mkdir(exist_ok=True)
                    os.replace(part, self.path / BAD / part.name)
            else:
                keys.update(got)
        return keys, bad

    @staticmethod
    def _part_keys(part: Path) -> list[str] | str:
        """The keys of one part, or why it cannot be used (a string)."""
        try:
            found = pq.read_schema(part)
            missing = [f.name for f in SCHEMA if found.get_field_index(f.name) < 0
                       or not found.field(f.name).type.equals(f.type)]
            if missing:
                return f"another schema (columns {', '.join(missing[:4])} missing or retyped)"
            column = pq.read_table(part, columns=["key", "claim"], schema=SCHEMA)
        except (OSError, ValueError, pa.ArrowException) as exc:
            return f"cannot be read ({type(exc).__name__})"
        if column.column("key").null_count or column.column("claim").null_count:
            return "rows with null keys"
        return column.column("key").to_pylist()

    def part_problem(self, part: Path) -> str | None:
        """Why the part file ``part`` cannot be used (it cannot be read, it has another schema
        or rows with null keys), or ``None``."""
        got = self._part_keys(part)
        return got if isinstance(got, str) else None

    def parts(self) -> list[Path]:
        """The finished part files, sorted by name."""
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.glob("part-*.parquet"))

    def done_keys(self) -> set[str]:
        """Keys of every task in the readable parts of the store."""
        return self.check_parts(set_aside=False)[0]

    def write(self, rows: Iterable[Mapping[str, Any]]) -> Path | None:
        """Write one part file holding ``rows`` (atomically); ``None`` if there are none."""
        rows = sorted(rows, key=lambda r: r["key"])
        if not rows:
            return None
        self.create()
        table = pa.Table.from_pylist([{c: r.get(c) for c in SCHEMA.names} for r in rows],
                                     schema=SCHEMA)
        path = self.path / f"part-{digest(''.join(r['key'] for r in rows))[:24]}.parquet"
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        _atomic_write_bytes(path, sink.getvalue().to_pybytes())
        return path

    def read(self, columns: Sequence[str] | None = None,
             filters: Any = None) -> pa.Table:
        """Every row (of ``columns``, default all; only those matching the pyarrow
        ``filters`` if given), one table (empty if there are none). A part that cannot be read
        (truncated, another schema, null keys: :meth:`part_problem`) raises
        :class:`StoreError` naming it."""
        cols = list(SCHEMA.names if columns is None else columns)
        parts = self.parts()
        if not parts:
            return SCHEMA.empty_table().select(cols)
        tables = []
        for p in parts:
            problem = self.part_problem(p)
            try:
                if problem is None:
                    tables.append(pq.read_table(p, schema=SCHEMA, columns=cols, filters=filters))
            except (OSError, ValueError, pa.ArrowException) as exc:
                problem = f"cannot be read ({type(exc).__name__})"
            if problem is not None:
                raise StoreError(f"store {self.path}: part {p.name} {problem}; rerun python -m "
                                 "verify.sweep on this store to set it aside and redo its "
                                 "tasks")
        return pa.concat_tables(tables)

    def write_text(self, name: str, text: str) -> Path:
        """A small file beside the parts (e.g. the summary), atomically; ``name`` must start
        with ``_`` so that readers of the Parquet parts skip it."""
        if not name.startswith("_") or "/" in name:
            raise ValueError(f"name must start with '_' and name a file, got {name!r}")
        path = self.path / name
        _atomic_write_bytes(path, text.encode("utf-8"))
        return path
