"""A fuzzing counterexample lists only the setting's fields its claim depends on
(:attr:`verify.fuzzing.FuzzTarget.depends_on`, set for every target). Each target's checker is
run on a small setting with every field outside its ``depends_on`` changed: its evidence must
not change. (These tests run LW_CNN's kernels, so they sit outside the mutation selection,
which runs none; see MUTATION.md.)"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from verify import fuzzing
from verify.model.assumptions import ASSUMPTIONS
from verify.model.setting import Setting, largest_allowed_steps

FIELDS = tuple(f.name for f in dataclasses.fields(Setting))
_FIELD = re.compile(r"eta1|eta2|T1|T2|[dlnkmr]")


def _fields_of(assumption: str) -> set[str]:
    """The setting's fields an assumption's name reads, e.g. ``eta1<=1/(4k(T1+1))`` ->
    ``{eta1, k, T1}``."""
    return set(_FIELD.findall(assumption))


def test_targets__every_target_states_its_fields_and_they_cover_its_assumptions():
    for t in fuzzing.targets():
        assert t.depends_on is not None, t.claim
        assert set(t.depends_on) <= set(FIELDS), t.claim
        assert len(set(t.depends_on)) == len(t.depends_on), t.claim
        for a in t.assumptions:
            assert a in ASSUMPTIONS, (t.claim, a)
            assert _fields_of(a) <= set(t.depends_on), (t.claim, a)


def test_targets__the_fields_each_claim_depends_on():
    got = {t.claim: set(t.depends_on or ()) for t in fuzzing.targets()}
    first = {"d", "l", "n", "k", "m", "eta1", "r", "T1", "seed"}
    assert got["Lemma 5.2"] == {"d", "l", "k"}
    assert got["Eq. 14"] == {"m"}
    assert got["Theorem 4.2"] == {"n", "d", "l", "seed"}
    for claim in ("Lemma C.1", "Lemma C.2", "First-layer drift", "Lemma 5.3", "Corollary 5.4",
                  "Lemma 5.5"):
        assert got[claim] == first, claim
    for claim in ("Appendix E", "Theorem 5.1"):
        assert got[claim] == set(FIELDS), claim


def _small() -> Setting:
    eta1, r = largest_allowed_steps(3, 217, 2)
    return Setting(d=3, l=3, n=2, k=217, m=12, eta1=eta1, eta2=1.0, r=r, T1=2, T2=3, seed=5)


def _other(s: Setting, keep: tuple[str, ...]) -> Setting:
    """``s`` with every field outside ``keep`` changed (to another valid value)."""
    change = {"d": 4, "l": 4, "n": 3, "k": 513, "m": 16, "eta1": s.eta1 / 2, "r": s.r / 4,
              "T1": 1, "eta2": 2.0, "T2": 4, "seed": 6}
    return s.replace(**{f: v for f, v in change.items() if f not in keep})


def _outcome(ev):
    return (ev.verdict, ev.observed, ev.bound, ev.slack, ev.slack_kind)


@pytest.mark.parametrize("claim", [t.claim for t in fuzzing.targets()])
def test_check__evidence_does_not_change_with_the_fields_it_does_not_depend_on(claim):
    t = next(t for t in fuzzing.targets() if t.claim == claim)
    keep = t.depends_on or FIELDS
    s = _small()
    other = _other(s, keep)
    if len(keep) < len(FIELDS):
        assert other != s
    assert _outcome(t.check(other)) == _outcome(t.check(s))


def test_fuzz_inside__lemma_5_2_counterexample_lists_d_l_k_only():
    """Lemma 5.2 fails as stated (at l < d); its counterexample names d, l and k, not n, m,
    the step sizes or the seed; the replay command keeps the whole setting."""
    t = next(t for t in fuzzing.targets() if t.claim == "Lemma 5.2")
    row = fuzzing.fuzz_inside(t, tries=12, seed=0)
    assert row.counterexample, row
    shown = json.loads(row.counterexample)
    assert set(shown) == {"d", "l", "k"}
    replay = json.loads(row.reproduce.split("--setting '", 1)[1].rstrip("'"))
    assert set(replay) == set(FIELDS)
