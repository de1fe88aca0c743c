"""Adaptive rounds (:mod:`verify.sweep.adaptive`): a regime that is decided early gets no more
seeds, an undecided one gets seeds up to the budget, and the decisions are the same for the
same seed."""

from __future__ import annotations

import json

import pytest

from tests import synthetic_sweep
from verify import _dask
from verify._dask import dask_client
from verify.evidence.sequential import SequentialDesign
from verify.sweep.adaptive import run_adaptive
from verify.sweep.registry import find
from verify.sweep.store import Store

DESIGN = SequentialDesign(first=20, budget=80, alpha=1e-9, confidence=0.95)


def test_run_adaptive__rounds_until_decided_or_the_budget_and_deterministic(tmp_path):
    spec = synthetic_sweep.RATE_SWEEP
    with dask_client(workers=1) as client:
        a = run_adaptive(client, spec, "quick", Store(tmp_path / "a"), design=DESIGN)
        b = run_adaptive(client, spec, "quick", Store(tmp_path / "b"), design=DESIGN)
    assert a == b
    got = [(r["params"]["q"], r["status"], r["trials"], r["looks"]) for r in a]
    assert got[0] == (1.0, "demonstrated", 20, 1)  # 20 of 20 at the first look
    assert got[1] == (0.0, "refuted", 20, 1)  # 0 of 20 against 0.9
    assert got[2][:3] == (0.9, "undecided", 80)  # rate = claim: more seeds, to the budget
    assert got[2][3] == len(DESIGN.looks())
    stored = Store(tmp_path / "a").read(columns=["params"]).num_rows
    assert stored == 20 + 20 + 80


def test_run_adaptive__refuses_a_deterministic_claim(tmp_path):
    with pytest.raises(ValueError, match="spec"):
        run_adaptive(None, find("Theorem 4.2"), "quick", Store(tmp_path / "s"))


@pytest.fixture
def no_cluster(monkeypatch):
    """Fail the test if a cluster is started (every check must come before)."""
    def boom(**kw):
        raise AssertionError("a cluster was started")
    monkeypatch.setattr(_dask, "dask_client", boom)


@pytest.fixture
def rate_registry(monkeypatch):
    """``python -m verify.sweep`` sees the synthetic rate claim and one deterministic claim."""
    from verify.sweep import registry

    table = {"Synthetic rate": synthetic_sweep.RATE_SWEEP, "Theorem 4.2": find("Theorem 4.2")}
    monkeypatch.setattr(registry, "specs", lambda: table)


def test_main_adaptive__decides_each_regime_in_rounds_and_is_deterministic(rate_registry,
                                                                           tmp_path, capsys):
    from verify.sweep.__main__ import main

    argv = ["Synthetic rate", "--adaptive", "--first", "20", "--budget", "80", "--workers", "1",
            "--no-progress"]
    assert main([*argv, "--store", str(tmp_path / "a")]) == 1  # a refuted regime, assumed
    out = capsys.readouterr().out
    assert ("| Synthetic rate | q=1, claimed=0.5 | 20 | 1.0000 | 0.8149 | 0.5 | demonstrated |"
            in out)
    assert "| Synthetic rate | q=0, claimed=0.9 | 20 | 0.0000 | 0.0000 | 0.9 | refuted |" in out
    assert "| Synthetic rate | q=0.9, claimed=0.9 | 80 | 0.8375 |" in out
    assert out.rstrip().endswith("| 0.9 | undecided |")
    assert "looks 20, 40, 80" in out
    assert main([*argv, "--store", str(tmp_path / "b")]) == 1
    a, b = ((tmp_path / d / "_adaptive.json").read_text() for d in "ab")
    assert a == b  # same seed, same decisions, bit for bit
    doc = json.loads(a)
    assert [r["status"] for r in doc["regimes"]] == ["demonstrated", "refuted", "undecided"]
    assert (doc["first"], doc["budget"]) == (20, 80)
    assert (tmp_path / "a" / "_adaptive.md").read_text() in out + capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["--adaptive", "--seeds", "3"], "--seeds and --adaptive exclude each other"),
    (["--adaptive", "--first", "0"], "--first must be >= 1, got 0"),
    (["--adaptive", "--first", "40", "--budget", "20"], "--budget must be >= --first (40)"),
    (["--budget", "20"], "--first and --budget need --adaptive"),
])
def test_main_adaptive__bad_options_are_one_line_before_any_work(rate_registry, no_cluster,
                                                                 tmp_path, capsys, argv, message):
    from verify.sweep.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["Synthetic rate", *argv, "--store", str(tmp_path / "s")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"verify.sweep: error: {message}")
    assert not (tmp_path / "s").exists()


def test_main_adaptive__a_deterministic_claim_is_a_usage_error(rate_registry, no_cluster,
                                                                tmp_path, capsys):
    from verify.sweep.__main__ import main

    with pytest.raises(SystemExit) as exc:
        main(["Theorem 4.2", "--adaptive", "--store", str(tmp_path / "s")])
    assert exc.value.code == 2
    assert "probabilistic claims only; not 'Theorem 4.2'" in capsys.readouterr().err
