"""The fuzzing's classification of an assumption, for checkers that return each verdict kind:
the inside search's "VIOLATED" / "no violation", the outside search's "needed" /
"not needed" / "untested", on fake checkers (this module's ``check_*`` functions) so that it is
fast.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import strategies as st

from verify import fuzzing
from verify.evidence import Evidence, Verdict
from verify.model.setting import Setting


def _checker(verdict: Verdict, slack: float) -> Any:
    def check(setting: Setting) -> Evidence:
        return Evidence("Fake", "fake", verdict, 1.0, 1.0, slack)
    return check


check_holds = _checker(Verdict.HOLDS, 0.25)
check_boundary = _checker(Verdict.BOUNDARY, 0.0)
check_fails = _checker(Verdict.FAILS, -1.0)
check_not_applicable = _checker(Verdict.NOT_APPLICABLE, math.nan)
check_holds_nan = _checker(Verdict.HOLDS, math.nan)


def check_fails_unless_l_is_d(setting: Setting) -> Evidence:
    """Fails exactly where the proof-only condition l = d fails."""
    verdict = Verdict.HOLDS if setting.l == setting.d else Verdict.FAILS
    return Evidence("Fake", "fake", verdict, 1.0, 1.0, 1.0)


def check_fails_when_r_above_eta1(setting: Setting) -> Evidence:
    ok = setting.r <= setting.eta1
    return Evidence("Fake", "fake", Verdict.HOLDS if ok else Verdict.FAILS, 1.0, 1.0,
                    0.5 if ok else -0.5)


def _target(function: str, assumptions: tuple[str, ...] = ("r<=eta1",)) -> fuzzing.FuzzTarget:
    return fuzzing.FuzzTarget("Fake", __name__, function, assumptions)


# (checker, inside status, outside status for r<=eta1, smallest slack of the inside search)
FUZZ_ROWS = [
    ("check_holds", "no violation in 4 tries", "not needed in 4 tries", 0.25),
    ("check_boundary", "no violation in 4 tries", "not needed in 4 tries", 0.0),
    ("check_not_applicable", "no violation in 4 tries", "not needed in 4 tries", None),
    ("check_holds_nan", "no violation in 4 tries", "not needed in 4 tries", None),
    ("check_fails", "VIOLATED inside the assumptions", "needed", None),
]


@pytest.mark.parametrize(("function", "inside", "outside", "slack"), FUZZ_ROWS)
def test_fuzz_inside__status_for_each_verdict_kind(function, inside, outside, slack):
    row = fuzzing.fuzz_inside(_target(function), tries=4, seed=0)
    assert row.claim == "Fake"
    assert row.inside
    assert row.assumption == "(all stated hold)"
    assert row.status == inside
    assert row.tries == 4
    assert row.smallest_slack == slack
    assert bool(row.counterexample) == (inside != "no violation in 4 tries")
    assert bool(row.reproduce) == bool(row.counterexample)


@pytest.mark.parametrize(("function", "inside", "outside", "slack"), FUZZ_ROWS)
def test_fuzz_outside__status_for_each_verdict_kind(function, inside, outside, slack):
    row = fuzzing.fuzz_outside(_target(function), "r<=eta1", tries=4, seed=0)
    assert row.claim == "Fake"
    assert not row.inside
    assert row.assumption == "r<=eta1"
    assert row.status == outside
    assert row.tries == 4
    if outside == "needed":
        s = Setting(**json.loads(row.counterexample))
        assert s.r > s.eta1  # the counterexample violates the assumption
        assert row.reproduce.startswith("python -m verify.fuzzing --claim 'Fake' --setting ")
        assert row.smallest_slack is None
    else:
        assert row.counterexample == ""
        assert row.smallest_slack == slack


def test_fuzz_outside__needed_only_where_the_checker_fails_outside():
    t = _target("check_fails_when_r_above_eta1")
    assert fuzzing.fuzz_inside(t, tries=4, seed=0).status == "no violation in 4 tries"
    assert fuzzing.fuzz_outside(t, "r<=eta1", tries=4, seed=0).status == "needed"


def test_fuzz_outside__untested_when_the_assumption_cannot_be_violated_alone(monkeypatch):
    monkeypatch.setattr(fuzzing, "violating", lambda base, a: st.nothing())
    row = fuzzing.fuzz_outside(_target("check_fails"), "r<=eta1", tries=4, seed=0)
    assert row.status == "untested (could not violate it alone)"
    assert row.tries == 0
    assert row.counterexample == ""


def test_fuzz_outside__untested_when_violating_it_breaks_another_assumption():
    """Violating ``r <= eta1`` always violates ``r <= eta1/200`` too: never alone."""
    t = _target("check_fails_when_r_above_eta1", ("r<=eta1", "r<=eta1/200"))
    row = fuzzing.fuzz_outside(t, "r<=eta1", tries=3, seed=0)
    assert (row.claim, row.assumption, row.status, row.tries) == (
        "Fake", "r<=eta1", "untested (could not violate it alone)", 0)


def test_fuzz_inside__proof_only_conditions_are_not_imposed():
    """A checker failing only where l != d is violated inside its stated assumptions."""
    t = fuzzing.FuzzTarget("Fake", __name__, "check_fails_unless_l_is_d", ("l=d",),
                           base=fuzzing.settings_initialisation)
    row = fuzzing.fuzz_inside(t, tries=12, seed=0)
    assert row.status == "VIOLATED inside the assumptions"
    s = Setting(**json.loads(row.counterexample))
    assert s.l != s.d
    assert row.smallest_slack == 1.0  # the examples with l = d held, with slack 1


CALLS: list[int] = []


def check_counting(setting: Setting) -> Evidence:
    CALLS.append(1)
    return Evidence("Fake", "fake", Verdict.HOLDS, 1.0, 1.0, 1.0)


@pytest.mark.parametrize("tries", [1, 3])
def test_fuzz_searches__call_the_checker_at_most_tries_times(tries):
    CALLS.clear()
    fuzzing.fuzz_inside(_target("check_counting"), tries=tries, seed=0)
    assert 1 <= len(CALLS) <= tries
    CALLS.clear()
    fuzzing.fuzz_outside(_target("check_counting"), "r<=eta1", tries=tries, seed=0)
    assert 1 <= len(CALLS) <= tries


def test_fuzz_inside__stated_assumptions_are_imposed():
    row = fuzzing.fuzz_inside(_target("check_fails_when_r_above_eta1"), tries=12, seed=0)
    assert row.status == "no violation in 12 tries"
    assert row.smallest_slack == 0.5


def check_slack_from_seed(setting: Setting) -> Evidence:
    """Always holds, with a slack that depends on the drawn setting (so on the search's seed)."""
    return Evidence("Fake", "fake", Verdict.HOLDS, 1.0, 1.0, 1.0 - setting.seed / 2**32)


def test_assumption_table__rows_are_the_searches_with_its_seed(monkeypatch):
    t = _target("check_slack_from_seed", ("r<=eta1",))
    monkeypatch.setattr(fuzzing, "targets", lambda: [t])
    monkeypatch.setitem(fuzzing.TRIES, "quick", 3)
    for seed in (7, 8):
        rows = fuzzing.assumption_table("quick", seed)
        assert rows == [fuzzing.fuzz_inside(t, tries=3, seed=seed),
                        fuzzing.fuzz_outside(t, "r<=eta1", tries=3, seed=seed)]
    assert fuzzing.assumption_table("quick", 7) != fuzzing.assumption_table("quick", 8)


def test_fuzz_searches__the_seed_chooses_the_examples():
    t = _target("check_slack_from_seed", ("r<=eta1",))
    assert fuzzing.fuzz_inside(t, tries=3, seed=7) == fuzzing.fuzz_inside(t, tries=3, seed=7)
    assert fuzzing.fuzz_inside(t, tries=3, seed=7) != fuzzing.fuzz_inside(t, tries=3, seed=8)
    out = [fuzzing.fuzz_outside(t, "r<=eta1", tries=3, seed=s) for s in (7, 8)]
    assert out[0] != out[1]


def test_assumption_table__one_inside_row_then_one_per_assumption(monkeypatch):
    t = _target("check_fails_when_r_above_eta1", ("r<=eta1", "T1>0"))
    monkeypatch.setattr(fuzzing, "targets", lambda: [t])
    monkeypatch.setitem(fuzzing.TRIES, "quick", 3)
    rows = fuzzing.assumption_table("quick", 0)
    assert [(r.assumption, r.inside) for r in rows] == [
        ("(all stated hold)", True), ("r<=eta1", False), ("T1>0", False)]
    assert rows[1].status == "needed"
    assert rows[2].status == "not needed in 3 tries"


def test_fuzz_inside__a_counterexample_lists_only_the_fields_the_claim_depends_on():
    """Theorem 4.2 depends on (n, d, l, seed); k, m and eta1 are not listed, while the
    replay command keeps the whole setting."""
    t = fuzzing.FuzzTarget("Fake", __name__, "check_fails_unless_l_is_d", ("l=d",),
                           base=fuzzing.settings_initialisation, depends_on=("d", "l"))
    row = fuzzing.fuzz_inside(t, tries=12, seed=0)
    shown = json.loads(row.counterexample)
    assert set(shown) == {"d", "l"}
    assert shown["l"] != shown["d"]
    replay = json.loads(row.reproduce.split("--setting '", 1)[1].rstrip("'"))
    assert {"k", "m", "eta1"} <= set(replay)
    assert fuzzing.targets()[1].claim == "Theorem 4.2"
    assert fuzzing.targets()[1].depends_on == ("n", "d", "l", "seed")
