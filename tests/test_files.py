""":mod:`verify._files`: output paths checked before any work, atomic writes with the
umask's mode that never replace a non-regular file, and the removal of stale managed files."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from verify._cli import UsageError
from verify._files import check_output_dir, check_output_file, remove_stale, write_atomic


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_write_atomic__mode_follows_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "a.txt", "text\n")
        write_atomic(tmp_path / "b.png", b"\x89PNG")
    finally:
        os.umask(old)
    for name in ("a.txt", "b.png"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask


def test_write_atomic__refuses_a_non_regular_file_and_leaves_it(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        write_atomic(fifo, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(UsageError, match="is a directory"):
        write_atomic(tmp_path, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_write_atomic__through_a_link_writes_its_target(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda p: p, "is a directory"),
     (lambda p: Path("/dev/null"), "not a regular file"),
     (lambda p: p / "no" / "x.md", "does not exist"),
     (lambda p: Path("/proc/x.md"), "cannot write")],
)
def test_check_output_file__refuses_what_cannot_be_a_new_regular_file(tmp_path, make, message):
    with pytest.raises(UsageError, match=message):
        check_output_file("--out", make(tmp_path))
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing


def test_check_output_file__accepts_a_new_name_and_a_regular_file(tmp_path):
    assert check_output_file("--out", tmp_path / "new.md") == tmp_path / "new.md"
    (tmp_path / "old.md").write_text("x")
    assert check_output_file("--out", tmp_path / "old.md") == tmp_path / "old.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.md"]


def test_check_output_dir__new_nested_name_and_files_inside(tmp_path):
    assert check_output_dir("--out", tmp_path / "a" / "b", ["x.csv"]) == tmp_path / "a" / "b"
    assert not (tmp_path / "a").exists()  # nothing created before the work
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.csv").mkdir()
    with pytest.raises(UsageError, match="is a directory"):
        check_output_dir("--out", tmp_path / "d", ["x.csv"])
    (tmp_path / "f").write_text("x")
    with pytest.raises(UsageError, match="is not a directory"):
        check_output_dir("--out", tmp_path / "f")


def test_remove_stale__only_managed_names_not_kept(tmp_path):
    for name in ("sec-00-a.png", "sec-01-b.png", "mine.png", "sec-02-c.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sec-03-dir.png").mkdir()
    removed = remove_stale(tmp_path, re.compile(r"sec-\d\d-[a-z]+\.png"), ["sec-00-a.png"])
    assert removed == ["sec-01-b.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mine.png", "sec-00-a.png", "sec-02-c.txt", "sec-03-dir.png"]
