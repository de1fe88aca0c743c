"""``python -m verify.experiments`` (:mod:`verify.experiments`) and what it writes
(:mod:`verify.claims.section_7.output`)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from verify.claims.section_7 import FIGURES
from verify.claims.section_7.figures import Record
from verify.claims.section_7.output import FIELDS, csv_text, markdown_text, write_plot
from verify.experiments import main

TINY_RUN = ["fig3a", "--quick", "--repeats", "2", "--no-progress"]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["fig5"],
        ["fig3a", "--seed", "-1"],
        ["fig3a", "--seed", "x"],
        ["fig3a", "--repeats", "1"],
        ["fig3a", "--bogus"],
    ],
)
def test_main__usage_errors_exit_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("verify.experiments: error:")
    assert err.count("\n") == 1


def test_module__usage_error_from_the_command_line():
    proc = subprocess.run([sys.executable, "-m", "verify.experiments", "fig9"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("verify.experiments: error:")
    assert proc.stdout == ""


def test_main__tiny_run_writes_csv_and_markdown_and_is_deterministic(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    code = main([*TINY_RUN, "--out", str(first), "--seed", "3"])
    # 2 repeats cannot reach alpha = 0.05 (smallest p = 1/4): the comparison is not tested (it
    # does not fail), and every model reaches zero training error: exit 0
    assert code == 0
    csv = (first / "fig3a.csv").read_text()
    lines = csv.splitlines()
    assert lines[0] == ",".join(FIELDS)
    assert len(lines) == 1 + 2 * 2 * 3  # repeats x sizes x models
    md = (first / "fig3a.md").read_text()
    assert "| m | ConvPool | MLP | SVM |" in md
    assert "±" in md
    assert "--seed 3 --quick --repeats 2" in md
    assert "smallest attainable p" in md
    assert "**not tested**" in md
    assert "not tested (too few repeats for alpha)" in md
    assert "**fails**" not in md
    err = capsys.readouterr().err
    assert "fig3a:" in err
    assert " s; verdicts:" in err
    assert main([*TINY_RUN, "--out", str(second), "--seed", "3"]) == 0
    assert (second / "fig3a.csv").read_text() == csv
    assert (second / "fig3a.md").read_text() == md


def test_write_plot__skipped_without_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import raises ImportError
    assert write_plot(FIGURES["fig3a"], [], tmp_path / "x.png") is False
    assert not (tmp_path / "x.png").exists()


def test_write_plot__draws_with_matplotlib(tmp_path):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    table = [{"m": m, "model": mdl, "test_error_mean": 0.1, "test_error_std": 0.01}
             for m in (10, 20) for mdl in ("ConvPool", "MLP", "SVM")]
    assert write_plot(FIGURES["fig3a"], table, tmp_path / "p.png") is True
    assert (tmp_path / "p.png").stat().st_size > 0


def test_output__bad_arguments_raise():
    with pytest.raises(ValueError, match="Record"):
        csv_text([{"figure": "x"}])
    with pytest.raises(ValueError, match="spec"):
        markdown_text("fig3a", [], [])
    assert csv_text([Record("f", 0, 1, 2, "MLP", 0.5, 0.0, 0.1, 3, 4, 5, None)]).endswith(
        "f,0,1,2,MLP,0.5,0.0,0.1,3,4,5,\n")


# --- output directory checked before any work; files follow the umask -----------------------


@pytest.mark.parametrize("where", ["a file", "/dev/null", "a read-only place", "a fifo inside"])
def test_main__bad_output_directory_is_a_usage_error_before_any_work(
        where, tmp_path, capsys, monkeypatch):
    import verify.experiments as cli

    def boom(*args, **kwargs):
        raise AssertionError("the figure ran before the usage error")

    monkeypatch.setattr(cli, "run_figure", boom)
    target = {"a file": tmp_path / "f.txt", "/dev/null": Path("/dev/null"),
              "a read-only place": Path("/proc/verify-s7"), "a fifo inside": tmp_path / "d"}[where]
    if where == "a file":
        target.write_text("x")
    if where == "a fifo inside":
        target.mkdir()
        os.mkfifo(target / "fig3a.csv")
    code = main([*TINY_RUN, "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("verify.experiments: error: --out:")
    assert err.count("\n") == 1
    assert Path("/dev/null").is_char_device()


def test_main__files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert main([*TINY_RUN, "--out", str(tmp_path / "s7")]) == 0
    finally:
        os.umask(old)
    files = sorted((tmp_path / "s7").iterdir())
    assert {f.suffix for f in files} >= {".csv", ".md"}
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o644, f


def test_main__interrupt_inside_a_kernel_exits_130_without_traceback(tmp_path, monkeypatch,
                                                                     capsys):
    """What Numba makes of Ctrl-C inside a kernel: the SIGINT handler ran (and recorded the
    interrupt) but the caller sees a SystemError, which the program turns into exit status 130
    with no traceback."""
    import verify.experiments as cli
    from verify import _cli

    def interrupted_kernel(*args, **kwargs):
        _cli._interrupted.set()
        raise SystemError("CPUDispatcher(...) returned a result with an exception set")

    monkeypatch.setattr(cli, "run_figure", interrupted_kernel)
    code = main([*TINY_RUN, "--out", str(tmp_path / "s7")])
    err = capsys.readouterr().err
    assert code == 130
    assert "Traceback" not in err
    assert err.strip() == "verify.experiments: interrupted"
