"""``python -m verify.experiments`` (:mod:`verify.experiments`) and what it writes
(:mod:`verify.claims.section_7.output`)."""

from __future__ import annotations

import subprocess
import sys

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
    # 2 repeats cannot establish the claim (smallest p = 1/4): the verdict fails, exit 1
    assert code == 1
    csv = (first / "fig3a.csv").read_text()
    lines = csv.splitlines()
    assert lines[0] == ",".join(FIELDS)
    assert len(lines) == 1 + 2 * 2 * 3  # repeats x sizes x models
    md = (first / "fig3a.md").read_text()
    assert "| m | ConvPool | MLP | SVM |" in md
    assert "±" in md
    assert "--seed 3 --quick --repeats 2" in md
    assert "smallest attainable p" in md
    err = capsys.readouterr().err
    assert "fig3a:" in err
    assert " s; verdicts:" in err
    assert main([*TINY_RUN, "--out", str(second), "--seed", "3"]) == 1
    assert (second / "fig3a.csv").read_text() == csv
    assert (second / "fig3a.md").read_text() == md


def test_write_plot__skipped_without_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import raises ImportError
    assert write_plot(FIGURES["fig3a"], [], tmp_path / "x.png") is False
    assert not (tmp_path / "x.png").exists()


def test_write_plot__draws_with_matplotlib(tmp_path):
    pytest.importorskip("matplotlib")
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
