"""A Summary verdict says how strongly it was shown. A table of evidence rows ->
(Summary verdict, strength, note, seeds) that each wrong rule of
:func:`verify.report.document.claim_summary` fails, and the slack text of
:func:`verify.report.format.slack_text`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_verdict_rules import SECTION, _result
from verify.evidence.calculus import CANNOT_FAIL, FAILS_OUTSIDE, HOLDS_OUTSIDE
from verify.report.document import build_document, claim_summary
from verify.report.format import icon, slack_text


def _r(verdict: str = "holds", *, strength: str | None = None, kind: str = "difference",
       inside: bool = True, status: str | None = None, power: float | None = None,
       trials: int | None = None, nonvacuous: str = "", reading: dict | None = None,
       claimed: float = 0.9, repeats: int | None = None, unit: str | None = None
       ) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if status is not None:
        details["decision"] = {"status": status, "claimed_probability": claimed}
        if power is not None:
            details["decision"]["detectable_failure_rate_99pct_power"] = power
        if trials is not None:
            details["decision"]["trials"] = trials
        if repeats is not None:
            details["decision"]["repeats"] = repeats
        if unit is not None:
            details["decision"]["unit"] = unit
    if nonvacuous:
        details["nonvacuous_from"] = nonvacuous
    if reading:
        details["reading"] = reading
    row = {"claim": "Claim A", "statement": "s", "verdict": verdict, "slack": 0.1,
           "slack_kind": kind, "assumptions": {"r<=eta1": inside}, "details": details}
    if strength:
        row["strength"] = strength
    return row


ST = "statistical"
DEM = _r(strength=ST, status="demonstrated", trials=40)
UND = _r(strength=ST, status="undecided", power=0.21, trials=20)
UND2 = _r(strength=ST, status="undecided", power=0.35, trials=20480)
REF = _r("fails", strength=ST, status="refuted", trials=20)
VAC = _r(strength="vacuous", nonvacuous="m2 >= 618,666")
P0 = _r(strength=ST, status="vacuous", claimed=0.0, trials=20)
VAC_BOUND = _r(strength=ST) | {"bound": 1.5}
VAC_BOUND["details"]["bound_on"] = "probability"
POWER21 = ("power: a failure rate of 0.21 or more would have been caught with probability 99%")
FN5 = {"fails": "uniformly in d", "holds": "for each fixed d"}

# (rows, verdict, strength, note, seeds)
TABLE: list[tuple[list[dict[str, Any]], str, str, str, str]] = [
    ([_r()], "holds", "computed", "", ""),  # no strength stated: computed
    ([_r(strength="proved")], "holds", "proved", "", ""),
    ([_r(strength="proved"), _r()], "holds", "computed", "", ""),  # the weakest deciding row
    ([_r(strength="proved"), DEM], "holds", ST, "", "40"),
    ([DEM], "holds", ST, "", "40"),
    # an undecided statistical row does not decide; the computed one does
    ([_r(), UND], "holds", "computed", "", "20"),
    ([UND], "consistent: not refuted", ST, POWER21, "20"),
    # the power stated is the weakest regime's (largest detectable failure rate)
    ([UND, UND2], "consistent: not refuted", ST,
     "power: a failure rate of 0.35 or more would have been caught with probability 99%",
     "20–20,480"),
    ([_r(kind="p-value")], "consistent: not refuted", ST, "power not stated", ""),
    ([_r(kind="p-value"), VAC], "consistent: not refuted", ST, "power not stated", ""),
    ([VAC], "vacuous at the sizes run", "vacuous", "non-vacuous from m2 >= 618,666", ""),
    ([P0], "vacuous at the sizes run", "vacuous", "no size stated", "20"),
    ([P0, DEM], "holds", ST, "", "20–40"),
    ([REF], "fails", ST, "", "20"),
    ([REF, _r(strength="proved")], "fails", ST, "", "20"),
    # a failure is as strong as its strongest failing row (one row shows it)
    ([REF, _r("fails", strength="proved")], "fails", "proved", "", "20"),
    ([_r("fails"), REF], "fails", "computed", "", "20"),
    ([_r(strength=ST, status="refuted")], "fails", ST, "", ""),  # refuted decides
    ([_r("fails", strength="proved"), UND], "fails", "proved", "", "20"),
    # readings: fails as stated in one reading, holds in another
    ([_r(reading=FN5)], "fails uniformly in d; holds for each fixed d", "computed", "", ""),
    ([_r("fails", reading=FN5), _r()], "fails uniformly in d; holds for each fixed d",
     "computed", "", ""),
    # only outside the assumptions (a map beyond the model): shown there, and said so
    ([_r(inside=False)], HOLDS_OUTSIDE, "computed", "", ""),
    ([_r(inside=False), _r("fails", inside=False)], FAILS_OUTSIDE, "computed", "", ""),
    ([UND, _r(inside=False)], "consistent: not refuted", ST, POWER21, "20"),
    ([_r(strength=ST, status="undecided", power=0.21, trials=20, inside=False)],
     "consistent: not refuted outside the paper's assumptions", ST, POWER21, "20"),
    ([UND, _r("fails", inside=False)], "consistent: not refuted where assumed; fails outside",
     ST, POWER21, "20"),
    ([_r(), _r("fails", inside=False)], "holds where assumed; fails outside", "computed", "",
     ""),
    ([VAC, _r("fails", inside=False)], "vacuous at the sizes run where assumed; fails outside",
     "vacuous", "non-vacuous from m2 >= 618,666", ""),
    ([_r("not applicable")], "not applicable", "not tested", "", ""),
    ([_r("not tested"), DEM], "not tested", "not tested", "", "40"),
    # a test that did not reject (verdict "fails" at its p-value, decision undecided) has not
    # refuted the claim: its decision rules (Section 7 at 4 wins of 5 repeats)
    ([_r("fails", strength=ST, status="undecided", power=0.21, trials=20)],
     "consistent: not refuted", ST, POWER21, "20"),
    ([_r("fails", strength=ST, status="undecided", power=0.21, trials=20), _r()], "holds",
     "computed", "", "20"),
    # Section 7's decisions count repeats of a paired test, not seeds: "5 repeats"
    ([_r(strength=ST, status="demonstrated", repeats=5)], "holds", ST, "", "5 repeats"),
    ([_r(strength=ST, status="demonstrated", repeats=5),
      _r(strength=ST, status="demonstrated", repeats=10)], "holds", ST, "", "5–10 repeats"),
    # seeds, where a row counts them, are what the column shows
    ([_r(strength=ST, status="demonstrated", repeats=5), DEM], "holds", ST, "", "40"),
    # trials that are not seeds are named (Lemma 5.2's per-filter rows count filter draws)
    ([_r(strength=ST, status="demonstrated", trials=1729000, unit="filter draws")], "holds",
     ST, "", "1,729,000 filter draws"),
    ([_r(strength=ST, status="demonstrated", trials=20, unit="filter draws"), DEM], "holds",
     ST, "", "20–40"),  # mixed units: no name
    # a reading needs both halves: one with only "fails" is no reading
    ([_r(reading={"fails": "uniformly in d"})], "holds", "computed", "", ""),
    # a computed row at its boundary with a reading fails as stated, like a holding one
    ([_r("boundary", reading=FN5)], "fails uniformly in d; holds for each fixed d", "computed",
     "", ""),
    # a statistical test of a probability bound >= 1 cannot fail, even with no decision stated
    ([VAC_BOUND], "vacuous at the sizes run", "vacuous", "no size stated", ""),
    # only a statistical row's decision overrides its verdict: a computed row that fails, fails
    ([_r("fails", strength="computed", status="demonstrated")], "fails", "computed", "", ""),
    # a refuted decision fails the claim whatever the row's verdict says
    ([_r("not applicable", strength=ST, status="refuted")], "fails", ST, "", ""),
    # a not-applicable row backs nothing, whatever strength its checker gave it
    ([UND, _r("not applicable", strength="computed")], "consistent: not refuted", ST, POWER21,
     "20"),
]


@pytest.mark.parametrize(("rows", "verdict", "strength", "note", "seeds"), TABLE)
def test_claim_summary__verdict_strength_note_seeds(rows, verdict, strength, note, seeds):
    row = claim_summary(SECTION, _result(rows))[0]
    assert (row["verdict"], row["strength"], row["note"], row["seeds"]) == (
        verdict, strength, note, seeds)


@pytest.mark.parametrize(("rows", "verdict", "strength", "note", "seeds"), TABLE)
def test_build_document__a_reading_or_refutation_fails_the_report(rows, verdict, strength,
                                                                   note, seeds):
    doc = build_document({"claim-a": _result(rows)}, (SECTION,), profile="quick", seed=0,
                         command="c", complete=True)
    assert doc["exit_status"] == (1 if verdict.startswith("fails") and verdict != FAILS_OUTSIDE
                                  else 0)
    assert doc["summary"][0]["strength"] == strength


def test_no_holds_without_a_backing_row():
    """Only proved, computed or demonstrated rows inside the assumptions give a ✅ (outside
    them for "holds outside the paper's assumptions")."""
    for rows, verdict, *_ in TABLE:
        backed = any(r["verdict"] == "holds"
                     and (r["assumptions"]["r<=eta1"] or verdict == HOLDS_OUTSIDE)
                     and r.get("strength") != "vacuous"
                     and not {"fails", "holds"} <= set(r["details"].get("reading", {}))
                     and (r.get("strength") in (None, "proved")
                          or r["details"].get("decision", {}).get("status") == "demonstrated")
                     and r["slack_kind"] == "difference" for r in rows)
        if "✅" in icon(verdict) and not verdict.startswith("fails"):
            assert backed, verdict


@pytest.mark.parametrize(
    ("verdict", "text"),
    [("consistent: not refuted", "🔶 consistent: not refuted"),
     ("vacuous at the sizes run", "⭕ vacuous at the sizes run"),
     ("fails uniformly in d; holds for each fixed d",
      "❌ fails uniformly in d; ✅ holds for each fixed d"),
     ("consistent: not refuted where assumed; fails outside",
      "🔶 consistent: not refuted where assumed; ❌ fails outside"),
     ("holds where assumed; fails outside", "✅ holds where assumed; ❌ fails outside"),
     ("not tested where assumed; fails outside", "❔ not tested where assumed; ❌ fails outside"),
     (HOLDS_OUTSIDE, "✅ holds outside the paper's assumptions"),
     (f"{HOLDS_OUTSIDE}; {CANNOT_FAIL}", "⭕ holds outside the paper's assumptions; cannot fail "
      "at the regimes run (negative control not caught)"),
     (FAILS_OUTSIDE, "❌ fails outside the paper's assumptions"),
     ("consistent: not refuted outside the paper's assumptions",
      "🔶 consistent: not refuted outside the paper's assumptions"),
     ("vacuous at the sizes run outside the paper's assumptions",
      "⭕ vacuous at the sizes run outside the paper's assumptions")],
)
def test_icon__new_verdicts(verdict, text):
    assert icon(verdict) == text


@pytest.mark.parametrize(
    ("args", "text"),
    [
        # Section 6: rounding inside the stated tolerance is not a negative slack
        ((-6.661e-16, "difference", None, 1e-12), "0 (difference, within tolerance 1.000e-12)"),
        ((-2e-12, "difference", None, 1e-12), "-2.000e-12 (difference)"),
        ((-6.661e-16, "difference", None, 0.0), "-6.661e-16 (difference)"),
        ((0.5, "ratio"), "0.5 (ratio)"),
        # Lemma 5.2 per-filter: 0.187 against 0.097 is a 2x discrepancy, not a near miss (the
        # p-value and alpha are in the details)
        ((-5e-10, "p-value", None, 0.0, 0.187, 0.097), "+0.09 (effect = observed - claimed)"),
        # a bound that cannot fail has no slack; on a quantity in [0, 1], its excess over 1
        ((None, "vacuous"), "—"),
        ((None, "vacuous", None, 0.0, 0.1, 6.6), "— (bound exceeds the trivial 1 by 5.6)"),
        ((None, "vacuous", None, 0.0, 0.1, 0.5), "—"),
        ((0.999, "p-value"), "0.999 (p-value)"),
        ((-0.09, "effect", [-0.1, -0.08]), "-0.09 (effect, 95% interval [-0.1, -0.08])"),
        ((-0.09, "effect"), "-0.09 (effect)"),
        (("nan", "difference"), "nan (difference)"),
    ],
)
def test_slack_text(args, text):
    assert slack_text(*args) == text


def test_slack_text__kind_must_be_a_string():
    with pytest.raises(ValueError, match="kind"):
        slack_text(0.1, None)


def test_fails_verdict__several_conditions_and_readings_are_joined_with_and():
    from verify.report.document import fails_verdict

    assert fails_verdict([{"holds_under": "l = d"}, {"holds_under": "d >= 5"},
                          {"holds_under": "l = d"}]) == (
        "fails as stated; holds under l = d and d >= 5")
    other = {"fails": "as the value", "holds": "as a lower bound"}
    rows = [_r("fails", reading=FN5), _r("fails", reading=other), _r("fails", reading=FN5)]
    assert fails_verdict(rows) == ("fails uniformly in d and as the value; "
                                   "holds for each fixed d and as a lower bound")
    # one failure without a condition: a plain failure
    assert fails_verdict([{"holds_under": "l = d"}, {}]) == "fails"


def test_notes__rows_without_details_and_several_sizes():
    from verify.evidence.calculus import _nonvacuous_note, _power_note

    assert _power_note([{"claim": "A"}]) == "power not stated"
    assert _nonvacuous_note([{"claim": "A"}]) == "no size stated"
    two = [_r(strength="vacuous", nonvacuous="m2 >= 618,666"),
           _r(strength="vacuous", nonvacuous="m >= 58"),
           _r(strength="vacuous", nonvacuous="m >= 58")]
    assert _nonvacuous_note(two) == "non-vacuous from m2 >= 618,666; m >= 58"


def _untested(verdict: str, tested: bool | None) -> dict[str, Any]:
    row = _r(verdict)
    if tested is not None:
        row["details"]["tested"] = tested
    return row


@pytest.mark.parametrize(("rows", "verdict"), [
    ([_untested("not applicable", False)], "not tested"),
    ([_untested("not applicable", False), _untested("not applicable", False)], "not tested"),
    ([_untested("not applicable", None)], "not applicable"),
    ([_untested("not applicable", False), _untested("not applicable", True)], "not applicable"),
])
def test_claim_summary__not_tested_or_not_applicable(rows, verdict):
    """Mutation-found: rows that say ``tested: false`` (no regime could test the claim) read
    "not tested"; otherwise "not applicable"; neither shows a strength or a note."""
    row = claim_summary(SECTION, _result(rows))[0]
    assert (row["verdict"], row["strength"], row["note"]) == (verdict, "not tested", "")


def test_is_failure__error_and_fails_readings():
    from verify.report.document import is_failure

    assert is_failure("error") is True
    assert is_failure("fails as stated; holds under l = d") is True
    assert is_failure("holds") is False
    assert is_failure("not tested") is False


def test_claim_summary__a_claim_not_run_shows_no_strength_or_note():
    """Mutation-found: a claim of a section that did not run, errored, or has no evidence row
    reads "not run" or "error" with strength "not tested" and no note."""
    for result, verdict in [(None, "not run"), (_result([], error="boom"), "error"),
                            (_result([_r()]), "not run")]:
        row = claim_summary(SECTION, result)[1]  # Claim B
        assert (row["claim"], row["verdict"], row["strength"], row["note"]) == (
            "Claim B", verdict, "not tested", "")
