"""The tutorial's steps (``docs/tutorial.md``), followed as a newcomer would, on a copy of its
claim: the module copied under a new name into a temporary directory and registered in memory
(the claim module in ``CLAIM_MODULES``, a ``FuzzTarget`` with its ``depends_on``, an
``AtlasSpec``), nothing in the repository changed. Then the checks that every registered claim
must pass are run on it, the project's own tests among them
(``tests/test_fuzzing_depends.py``): they pass with ``depends_on`` and fail without it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests import test_fuzzing_depends as depends
from verify import claims, fuzzing
from verify.evidence import Verdict
from verify.fuzzing import FIRST_LAYER, TRIES, FuzzTarget
from verify.report import atlas
from verify.report.atlas import AtlasSpec

ROOT = Path(__file__).resolve().parent.parent
COPY = "Tutorial copy"
MODULE = "verify.claims.tutorial_copy"
ASSUMPTION = "eta1<=1/(4k(T1+1))"


@pytest.fixture
def copy_module(tmp_path, monkeypatch):
    """Step 1-5: a new claim module (the tutorial's, renamed), imported from a temporary file."""
    src = (ROOT / "verify" / "claims" / "first_layer_drift.py").read_text(encoding="utf-8")
    src = src.replace('CLAIM = "First-layer drift"', f'CLAIM = "{COPY}"')
    src = src.replace('key="first-layer-drift"', 'key="tutorial-copy"')
    assert f'CLAIM = "{COPY}"' in src
    assert 'key="tutorial-copy"' in src
    path = tmp_path / "tutorial_copy.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(MODULE, path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, MODULE, module)
    spec.loader.exec_module(module)
    return module


def _register(monkeypatch, *, depends_on=FIRST_LAYER) -> FuzzTarget:
    """Step 5's three registrations, in memory."""
    monkeypatch.setattr(claims, "CLAIM_MODULES", (*claims.CLAIM_MODULES, MODULE))
    target = FuzzTarget(COPY, MODULE, "check_setting", (ASSUMPTION,), depends_on=depends_on)
    shipped = fuzzing.targets
    monkeypatch.setattr(fuzzing, "targets", lambda: [*shipped(), target])
    monkeypatch.setattr(atlas, "ATLAS", (*atlas.ATLAS, AtlasSpec(COPY, ("eta1", "T1", "d", "l"))))
    return target


def test_steps__the_registered_copy_reaches_the_report_the_sweeps_and_the_atlas(
        copy_module, monkeypatch):
    from verify.sweep.registry import find, specs

    _register(monkeypatch)
    decl = next(d for d in claims.declarations() if d.key == "tutorial-copy")
    assert decl is copy_module.DECLARATION
    assert decl.names == (COPY,)
    assert specs()[COPY] is decl.sweeps[0]
    assert find("tutorial-copy") is decl.sweeps[0]
    assert COPY in {a.claim for a in atlas.ATLAS}
    assert COPY in {t.claim for t in fuzzing.targets()}


def test_steps__with_depends_on_the_fuzzing_tests_pass(copy_module, monkeypatch):
    _register(monkeypatch)
    depends.test_targets__every_target_states_its_fields_and_they_cover_its_assumptions()
    depends.test_check__evidence_does_not_change_with_the_fields_it_does_not_depend_on(COPY)


def test_steps__without_depends_on_the_fuzzing_test_fails(copy_module, monkeypatch):
    """What the tutorial warns of: a target without ``depends_on`` fails
    ``tests/test_fuzzing_depends.py``."""
    _register(monkeypatch, depends_on=None)
    with pytest.raises(AssertionError, match=COPY):
        depends.test_targets__every_target_states_its_fields_and_they_cover_its_assumptions()


@pytest.mark.slow
def test_steps__the_fuzzing_finds_the_assumption_needed_and_the_replay_runs(
        copy_module, monkeypatch, capsys):
    """Step 6: with the quick profile's tries, the search outside the assumption finds a
    counterexample; it lists the fields of ``depends_on`` and replays from them alone (exit
    0: the claim fails only outside its assumption)."""
    target = _register(monkeypatch)
    row = fuzzing.fuzz_outside(target, ASSUMPTION, tries=TRIES["quick"], seed=0)
    assert row.status == "needed", row
    shown = json.loads(row.counterexample)
    assert set(shown) == set(FIRST_LAYER)
    assert fuzzing.main(["--claim", COPY, "--setting", row.counterexample]) == 0
    assert "fails" in capsys.readouterr().out
    inside = fuzzing.fuzz_inside(target, tries=TRIES["quick"], seed=0)
    assert inside.status == f"no violation in {TRIES['quick']} tries", inside


@pytest.mark.slow
def test_steps__the_report_rows_of_the_copy(copy_module, monkeypatch):
    """Step 6: the section's rows hold inside the assumption, each named after the copy."""
    _register(monkeypatch)
    rows = copy_module.DECLARATION.report_checks("quick", 0)
    assert rows
    assert {r.claim for r in rows} == {COPY}
    inside = [r for r in rows if r.assumptions.get(ASSUMPTION)]
    assert inside
    assert all(r.verdict == Verdict.HOLDS for r in inside)
