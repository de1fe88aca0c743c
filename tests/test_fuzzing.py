"""verify.fuzzing: the targets cover every named assumption of every checker, the searches find
violations where there are some, the replay command works, and every counterexample of the
Assumptions table is pinned: it must keep breaking its claim."""

import importlib
import json

import pytest

from verify import fuzzing
from verify.evidence import Evidence, Verdict
from verify.model.assumptions import evaluate, is_stated
from verify.model.setting import Setting

TARGETS = {t.claim: t for t in fuzzing.targets()}

# (claim, assumption violated alone or None for "inside the stated assumptions", setting): the
# shrunk counterexamples of `python -m verify.report` (quick profile, seed 0).
_C = {"d": 3, "l": 3, "n": 1, "k": 217, "T2": 0, "seed": 0}
PINNED = [
    ("Lemma 5.2", None,
     {"d": 5, "l": 3, "n": 1, "k": 1000, "m": 2, "eta1": 0.000125, "eta2": 1.0, "r": 6.25e-07,
      "T1": 1, "T2": 0, "seed": 0}),
    ("Lemma 5.2", "k>=8d^3",
     {**_C, "k": 1, "m": 2, "eta1": 0.0005787037037037037, "eta2": 1.0,
      "r": 2.8935185185185184e-06, "T1": 1}),
    ("Theorem 4.2", None,
     {"d": 6, "l": 3, "n": 3, "k": 1729, "m": 2, "eta1": 7.229612492770387e-05, "eta2": 1.0,
      "r": 3.6148062463851934e-07, "T1": 1, "T2": 0, "seed": 0}),
    ("Theorem 4.2", "d=2n",
     {"d": 11, "l": 11, "n": 2, "k": 513, "m": 2, "eta1": 0.00024366471734892786, "eta2": 1.0,
      "r": 1.2183235867446392e-06, "T1": 1, "T2": 0, "seed": 0}),
    ("Lemma C.1", "r<=eta1",
     {**_C, "m": 2, "eta1": 0.000576036866359447, "eta2": 868.0, "r": 0.0008676917075440283,
      "T1": 1}),
    ("Lemma C.2", "eta1<=1/(4k(T1+1))",
     {**_C, "m": 2, "eta1": 0.00208416650650947, "eta2": 868.0, "r": 2.880184331797235e-06,
      "T1": 1}),
    ("Lemma C.2", "r<=eta1",
     {**_C, "m": 2, "eta1": 0.000576036866359447, "eta2": 868.0, "r": 0.0008676917075440283,
      "T1": 1}),
    ("Lemma 5.3", "eta1<=1/(4k(T1+1))",
     {**_C, "m": 3, "eta1": 2.880184331797235, "eta2": 868.0, "r": 1.4400921658986175e-06,
      "T1": 3}),
    ("Corollary 5.4", "eta1<=1/(4k(T1+1))",
     {**_C, "m": 3, "eta1": 2.880184331797235, "eta2": 868.0, "r": 1.4400921658986175e-06,
      "T1": 3}),
    ("Lemma 5.5", "r<=eta1",
     {**_C, "m": 2, "eta1": 0.000576036866359447, "eta2": 868.0, "r": 0.0008676917075440283,
      "T1": 1}),
    ("Appendix E", "T1>0",
     {**_C, "m": 3, "eta1": 0.000576036866359447, "eta2": 868.0, "r": 2.880184331797235e-06,
      "T1": 0}),
    ("Appendix E", "eta1<=1/(4k(T1+1))",
     {**_C, "m": 3, "eta1": 0.0005811311936615696, "eta2": 868.0,
      "r": 1.9201228878648233e-06, "T1": 2}),
    ("Appendix E", "eta2<8k",
     {**_C, "m": 3, "eta1": 0.00038402457757296467, "eta2": 1736000.0,
      "r": 1.9201228878648233e-06, "T1": 2}),
]


def always_fails(setting: Setting) -> Evidence:
    """A deliberately broken checker: every setting 'violates' its claim."""
    return Evidence("Broken", "always fails", Verdict.FAILS, 1.0, 0.0, -1.0)


@pytest.mark.parametrize(
    ("claim", "module"),
    [
        ("Lemma C.1", "verify.claims.lemma_c1"),
        ("Lemma C.2", "verify.claims.lemma_c2"),
        ("Lemma 5.3", "verify.claims.lemma_5_3"),
        ("Corollary 5.4", "verify.claims.lemma_5_3"),
        ("Lemma 5.5", "verify.claims.lemma_5_5"),
        ("Appendix E", "verify.claims.appendix_e"),
        ("Theorem 5.1", "verify.claims.theorem_5_1"),
    ],
)
def test_targets__cover_every_named_assumption_of_the_checker(claim, module):
    assert set(importlib.import_module(module).ASSUMPTIONS) <= set(TARGETS[claim].assumptions)


def test_targets__cover_lemma_5_2s_proof_assumptions():
    from verify.claims.lemma_5_2 import ASSUMPTION_NAMES

    assert set(ASSUMPTION_NAMES) <= set(TARGETS["Lemma 5.2"].assumptions)


@pytest.mark.parametrize(("claim", "assumption", "fields"), PINNED,
                         ids=[f"{c}|{a}" for c, a, _ in PINNED])
def test_pinned_counterexample__still_breaks_the_claim(claim, assumption, fields):
    t = TARGETS[claim]
    s = Setting(**fields)
    held = evaluate(s, t.assumptions)
    if assumption is None:  # a finding: every stated assumption holds
        assert all(ok for a, ok in held.items() if is_stated(a)), held
    else:  # the assumption alone is violated
        assert not held[assumption]
        assert all(ok for a, ok in held.items() if a != assumption), held
    ev = t.check(s)
    assert ev.verdict == Verdict.FAILS, ev.summary()


def test_targets__cover_theorem_4_2s_assumptions():
    from verify.claims.theorem_4_2 import ASSUMPTIONS

    assert set(ASSUMPTIONS) <= set(TARGETS["Theorem 4.2"].assumptions)


def test_fuzz_outside__finds_a_needed_assumption_and_its_counterexample_replays():
    row = fuzzing.fuzz_outside(TARGETS["Lemma C.1"], "r<=eta1", tries=12, seed=0)
    assert row.status == "needed", row
    # the counterexample lists only the fields Lemma C.1 depends on; the reproduce command
    # keeps the whole setting, which replays the failure
    shown = json.loads(row.counterexample)
    assert "eta2" not in shown
    assert "T2" not in shown
    whole = json.loads(row.reproduce.split("--setting '")[1].rstrip("'"))
    assert {k: whole[k] for k in shown} == shown
    ev = TARGETS["Lemma C.1"].check(Setting(**whole))
    assert ev.verdict == Verdict.FAILS


def test_fuzz_inside__finds_lemma_5_2s_smallest_counterexample_with_l_below_d():
    row = fuzzing.fuzz_inside(TARGETS["Lemma 5.2"], tries=12, seed=0)
    assert row.status == "VIOLATED inside the assumptions"
    assert '"d": 5, "l": 3' in row.counterexample
    assert '"k": 1000' in row.counterexample


def test_fuzz_inside__reports_a_broken_checker():
    t = fuzzing.FuzzTarget("Broken", __name__, "always_fails", ())
    row = fuzzing.fuzz_inside(t, tries=3, seed=0)
    assert row.status == "VIOLATED inside the assumptions"
    assert row.counterexample


def test_fuzz_inside__no_violation_when_the_checker_holds():
    row = fuzzing.fuzz_inside(TARGETS["Eq. 14"], tries=12, seed=0)
    assert row.status == "no violation in 12 tries"
    assert row.smallest_slack is not None
    assert row.smallest_slack > 0


def test_assumption_table__rejects_an_unknown_profile():
    with pytest.raises(ValueError, match="profile"):
        fuzzing.assumption_table("fast", 0)


def test_main__replays_a_counterexample_inside_the_assumptions_with_exit_1(capsys):
    claim, _, fields = PINNED[0]  # Lemma 5.2 at l = 3 < d = 5: every stated assumption holds
    assert fuzzing.main(["--claim", claim, "--setting", json.dumps(fields)]) == 1
    assert "fails" in capsys.readouterr().out


def test_main__a_counterexample_outside_the_assumptions_is_a_finding_exit_0(capsys):
    claim, assumption, fields = next(p for p in PINNED if p[0] == "Lemma C.1")
    assert fuzzing.main(["--claim", claim, "--setting", json.dumps(fields)]) == 0
    out, err = capsys.readouterr()
    assert "fails" in out
    assert f"outside the stated assumptions ({assumption} violated)" in err


def test_main__usage_errors_exit_2(capsys):
    assert fuzzing.main(["--claim", "Lemma 9.9", "--setting", "{}"]) == 2
    assert fuzzing.main(["--claim", "Lemma C.1", "--setting", '{"d": 2}']) == 2
    err = capsys.readouterr().err
    assert "--claim: unknown claim 'Lemma 9.9'" in err
    assert "--setting" in err


# --- the replay command's limits, and no .hypothesis/ left behind -----------------------------

_BIG = {"d": 5, "l": 3, "n": 1, "k": 1_000_000_000, "m": 2, "eta1": 0.000125, "eta2": 1.0,
        "r": 6.25e-07, "T1": 1, "T2": 0, "seed": 0}


def test_main__setting_too_large_is_a_usage_error_before_any_allocation(capsys, monkeypatch):
    def boom(self, setting):
        raise AssertionError("the checker ran")

    monkeypatch.setattr(fuzzing.FuzzTarget, "check", boom)
    code = fuzzing.main(["--claim", "Lemma 5.2", "--setting", json.dumps(_BIG)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith("verify.fuzzing: error: --setting: too large: about ")
    assert "GiB of memory needed" in err[0]


def test_setting_memory__grows_with_the_setting():
    small = Setting(**{**_BIG, "k": 1000})
    assert 0 < fuzzing.setting_memory(small) < 2**30
    assert fuzzing.setting_memory(Setting(**_BIG)) > 100 * 2**30


@pytest.mark.parametrize("claim", ["lemma 5.2", "LEMMA 5.2", "Lemma-5.2", "lemma5.2"])
def test_main__claim_is_matched_ignoring_case_and_punctuation(claim, capsys):
    code = fuzzing.main(["--claim", claim, "--setting", json.dumps({**_BIG, "k": 1000})])
    assert code == 1  # the pinned counterexample: Lemma 5.2 fails at l = 3 < d = 5
    assert capsys.readouterr().out.startswith("Lemma 5.2: fails")


def test_main__unknown_claim_is_a_usage_error(capsys):
    assert fuzzing.main(["--claim", "Lemma 9.9", "--setting", "{}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verify.fuzzing: error: --claim: unknown claim 'Lemma 9.9'")
    assert err.count("\n") == 1


def test_hypothesis_storage__is_a_temporary_directory_then_restored(tmp_path, monkeypatch):
    from hypothesis.configuration import storage_directory

    monkeypatch.chdir(tmp_path)
    before = storage_directory("constants", intent_to_write=False).path
    with fuzzing._hypothesis_storage():
        inside = storage_directory("constants", intent_to_write=False).path
        row = fuzzing.fuzz_inside(TARGETS["Eq. 14"], tries=2, seed=0)
    assert not inside.is_relative_to(tmp_path)
    assert not inside.exists()  # removed afterwards
    assert storage_directory("constants", intent_to_write=False).path == before
    assert row.tries == 2
    assert not (tmp_path / ".hypothesis").exists()
