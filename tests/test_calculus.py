"""The verdict calculus (:mod:`verify.evidence.calculus`), written as its specification: a table of
claims (parts, rows, negative control) and the Summary verdict, strength and strength text each
must get. Each rule of the module docstring fails at least one line if it is changed."""

from __future__ import annotations

from typing import Any

import pytest

from verify.evidence import Strength
from verify.evidence.calculus import (
    CANNOT_FAIL,
    FAILS_OUTSIDE,
    HOLDS_OUTSIDE,
    NOT_CAUGHT,
    Judgement,
    Part,
    judge_claim,
    judge_part,
    judge_row,
    row_slack,
    row_verdict,
    strength_text,
)


def _row(verdict: str = "holds", *, strength: str | None = "computed", slack: float = 0.1,
         part: str | None = None, inside: bool = True, status: str | None = None,
         kind: str = "difference", **details: Any) -> dict[str, Any]:
    d: dict[str, Any] = dict(details)
    if part is not None:
        d["part"] = part
    if status is not None:
        d["decision"] = {"status": status, "claimed_probability": 0.9,
                         "detectable_failure_rate_99pct_power": 0.3}
    row = {"claim": "A", "verdict": verdict, "slack": slack, "slack_kind": kind,
           "observed": 0.0, "bound": slack, "details": d, "inside": inside}
    if strength:
        row["strength"] = strength
    return row


def _inside(row: dict[str, Any]) -> bool:
    return row["inside"]


def _fails(rows: list[dict[str, Any]]) -> str:
    return "fails"


CAUGHT = {"caught": True}
MISSED = {"caught": False}
PROVED, COMPUTED = _row(strength="proved"), _row()
DEMONSTRATED = _row(strength="statistical", status="demonstrated", kind="effect")
UNDECIDED = _row(strength="statistical", status="undecided", kind="effect")
VACUOUS_ROW = _row(strength="vacuous", nonvacuous_from="m2 >= 824,125")
FAILING = _row("fails", slack=-0.5)
ONE = (Part("the statement"),)
L2, ERR = Part("L2 -> 0"), Part("error bound")
SAMPLER = Part("sampler", auxiliary=True)
SLOWER, FEWER = Part("grows slower"), Part("fewer samples at every d")

# (parts, rows, control outcome, verdict, strength, strength text)
CASES: list[tuple[tuple[Part, ...], list[dict[str, Any]], Any, str, str, str]] = [
    # a part shown by a row that could have failed: holds, as strong as that row
    (ONE, [COMPUTED], CAUGHT, "holds", "computed", "computed"),
    (ONE, [PROVED, PROVED], CAUGHT, "holds", "proved", "proved"),
    # proved at some regimes, computed at others: both are said; the strength is the weakest
    (ONE, [PROVED] * 37 + [COMPUTED] * 4, CAUGHT, "holds", "computed",
     "proved at 37 regimes, computed at 4"),
    (ONE, [PROVED, COMPUTED], CAUGHT, "holds", "computed", "proved at 1 regime, computed at 1"),
    (ONE, [DEMONSTRATED, PROVED], CAUGHT, "holds", "statistical",
     "proved at 1 regime, statistical at 1"),
    # the only deciding row is vacuous: nothing could have failed
    (ONE, [VACUOUS_ROW], CAUGHT, "vacuous at the sizes run", "vacuous", "vacuous"),
    # an undecided test decides nothing: never "holds"
    (ONE, [UNDECIDED], CAUGHT, "consistent: not refuted", "statistical", "statistical"),
    (ONE, [UNDECIDED, COMPUTED], CAUGHT, "holds", "computed", "computed"),
    # a twin (negative control) that is not caught: the check could not have failed here
    (ONE, [COMPUTED], MISSED, NOT_CAUGHT, "vacuous", "vacuous"),
    (ONE, [PROVED] * 3, MISSED, NOT_CAUGHT, "vacuous", "vacuous"),
    # a control that could not run changes nothing (the Summary shows "not run")
    (ONE, [COMPUTED], {"caught": None}, "holds", "computed", "computed"),
    (ONE, [COMPUTED], None, "holds", "computed", "computed"),
    # a failing claim takes the strength of its strongest failing row, whatever its control
    (ONE, [_row("fails", strength="proved"), _row("fails")], MISSED, "fails", "proved",
     "proved"),
    (ONE, [FAILING, PROVED], CAUGHT, "fails", "computed", "computed"),
    (ONE, [_row(strength="statistical", status="refuted", kind="effect"), PROVED], CAUGHT,
     "fails", "statistical", "statistical"),
    # two parts: "holds" only if every part is shown by a row that could have failed
    ((L2, ERR), [_row(part="L2 -> 0"), _row(part="error bound", strength="proved")], CAUGHT,
     "holds", "computed", "proved at 1 regime, computed at 1"),
    ((L2, ERR), [_row(part="L2 -> 0"), _row(part="error bound", strength="vacuous")], CAUGHT,
     "holds for L2 -> 0 (computed); error bound vacuous at the sizes run", "vacuous",
     "vacuous"),
    ((L2, ERR), [_row(part="L2 -> 0")], CAUGHT,
     "holds for L2 -> 0 (computed); error bound not tested", "not tested", "not tested"),
    ((L2, ERR), [_row(part="L2 -> 0", strength="statistical", status="undecided"),
                 _row(part="error bound", strength="vacuous")], CAUGHT,
     "L2 -> 0 consistent: not refuted; error bound vacuous at the sizes run", "vacuous",
     "vacuous"),
    ((L2, ERR), [_row(part="L2 -> 0", strength="vacuous"),
                 _row(part="error bound", strength="vacuous")], CAUGHT,
     "vacuous at the sizes run", "vacuous", "vacuous"),
    ((L2, ERR), [_row(part="L2 -> 0"), _row(part="error bound", strength="vacuous")], MISSED,
     "holds for L2 -> 0 (computed); error bound vacuous at the sizes run; cannot fail at the "
     "regimes run (negative control not caught)", "vacuous", "vacuous"),
    ((L2, ERR), [_row(part="L2 -> 0"), _row("fails", part="error bound", strength="proved")],
     CAUGHT, "fails", "proved", "proved"),
    # an auxiliary part (a sampler check beside an exact computation) neither decides nor
    # weakens the claim; its failure fails it
    ((ONE[0], SAMPLER), [_row(strength="proved", part="the statement"),
                         _row(strength="statistical", status="undecided", part="sampler")],
     CAUGHT, "holds", "proved", "proved"),
    ((ONE[0], SAMPLER), [_row(strength="proved", part="the statement"),
                         _row("fails", strength="statistical", status="refuted",
                              part="sampler")], CAUGHT, "fails", "statistical", "statistical"),
    # the scaling law: a negative exponent difference fails "grows slower", whatever the level
    # comparison at every d says
    ((SLOWER, FEWER), [_row("fails", part="grows slower", slack=-0.3),
                       _row(part="fewer samples at every d", strength="statistical",
                            status="demonstrated")], CAUGHT, "fails", "computed", "computed"),
    ((SLOWER, FEWER), [_row(part="fewer samples at every d", strength="statistical",
                            status="demonstrated")], CAUGHT,
     "holds for fewer samples at every d (statistical); grows slower not tested", "not tested",
     "not tested"),
    # rows outside the claim's assumptions decide nothing about it when some row is inside
    (ONE, [_row("not applicable", strength=None), _row(inside=False)], CAUGHT, "not tested",
     "not tested", "not tested"),
    (ONE, [COMPUTED, _row("fails", inside=False)], CAUGHT,
     "holds where assumed; fails outside", "computed", "computed"),
    (ONE, [COMPUTED, _row("fails", strength="proved", inside=False)], CAUGHT,
     "holds where assumed; fails outside", "computed", "computed"),
    (ONE, [COMPUTED, _row(inside=False)], MISSED, NOT_CAUGHT, "vacuous", "vacuous"),
    # a claim every row of which is outside its assumptions (a map beyond the model, on
    # purpose) is judged on all of them and says where: it holds or fails outside
    (ONE, [_row(inside=False), _row(strength="proved", inside=False)], CAUGHT, HOLDS_OUTSIDE,
     "computed", "proved at 1 regime, computed at 1"),
    (ONE, [_row(strength="statistical", status="demonstrated", kind="effect", inside=False)],
     None, HOLDS_OUTSIDE, "statistical", "statistical"),
    (ONE, [_row(inside=False)], MISSED, f"{HOLDS_OUTSIDE}; {CANNOT_FAIL}", "vacuous",
     "vacuous"),
    (ONE, [_row(inside=False), _row("fails", strength="proved", inside=False),
           _row("fails", inside=False)], MISSED, FAILS_OUTSIDE, "proved", "proved"),
    (ONE, [_row("fails", strength="statistical", status="refuted", kind="effect",
                inside=False), _row("not tested", strength=None, inside=False)], CAUGHT,
     FAILS_OUTSIDE, "statistical", "statistical"),
    # ... an undecided test or a bound that cannot fail there says so, never "holds" ...
    (ONE, [_row(strength="statistical", status="undecided", kind="effect", inside=False),
           _row(strength="statistical", inside=False)], MISSED,
     "consistent: not refuted outside the paper's assumptions", "statistical", "statistical"),
    ((L2, ERR), [_row(part="L2 -> 0", strength="vacuous", inside=False),
                 _row(part="error bound", strength="vacuous", inside=False)], CAUGHT,
     "vacuous at the sizes run outside the paper's assumptions", "vacuous", "vacuous"),
    # ... and it is judged as any other claim when a row or a part is not tested there, or its
    # parts differ
    ((L2, ERR), [_row(part="L2 -> 0", inside=False)], CAUGHT, "not tested", "not tested",
     "not tested"),
    ((L2, ERR), [_row(part="L2 -> 0", inside=False),
                 _row(part="error bound", strength="vacuous", inside=False)], CAUGHT,
     "not tested", "not tested", "not tested"),
    (ONE, [_row(inside=False), _row("not tested", strength=None, inside=False)], CAUGHT,
     "not tested", "not tested", "not tested"),
    (ONE, [_row("not applicable", strength=None, inside=False)], CAUGHT, "not applicable",
     "not tested", "not tested"),
    # a claim partly tested is never "holds"
    (ONE, [COMPUTED, _row("not tested", strength=None)], CAUGHT, "not tested", "not tested",
     "not tested"),
    (ONE, [_row("not applicable", strength=None)], CAUGHT, "not applicable", "not tested",
     "not tested"),
]


@pytest.mark.parametrize(("parts", "rows", "control", "verdict", "strength", "text"), CASES)
def test_judge_claim__table_of_cases(parts, rows, control, verdict, strength, text):
    got = judge_claim(parts, rows, _inside, fails_verdict=_fails, control=control)
    assert (got.verdict, got.strength.value, got.strength_text) == (verdict, strength, text)
    assert got.control == control


def test_judge_claim__notes_say_the_power_or_where_a_bound_starts_to_say_something():
    got = judge_claim(ONE, [UNDECIDED], _inside, fails_verdict=_fails)
    assert got.note == ("power: a failure rate of 0.3 or more would have been caught with "
                        "probability 99%")
    got = judge_claim(ONE, [VACUOUS_ROW], _inside, fails_verdict=_fails)
    assert got.note == "non-vacuous from m2 >= 824,125"


def test_judge_claim__the_failing_rows_are_given_to_fails_verdict():
    seen = []
    rows = [COMPUTED, _row("fails", tag=1), _row("fails", tag=2, inside=False)]
    judge_claim(ONE, rows, _inside, fails_verdict=lambda r: seen.extend(r) or "fails")
    assert [r["details"]["tag"] for r in seen] == [1]


@pytest.mark.parametrize(("rows", "worst"), [
    # the part closest to failing first, then the smallest slack in it
    ([_row(slack=0.3, part="L2 -> 0"), _row(slack=0.1, part="error bound")], 1),
    ([_row("fails", slack=-0.1, part="L2 -> 0"), _row(slack=-0.5, part="error bound")], 0),
    ([_row(slack=0.3, part="L2 -> 0"), _row(slack=0.1, part="error bound", strength="vacuous")],
     0),
    # no row inside the assumptions: the rows outside give it
    ([_row(slack=0.3, inside=False), _row("fails", slack=-2.0, inside=False)], 1),
])
def test_judge_claim__worst_slack_comes_from_the_part_closest_to_failing(rows, worst):
    got = judge_claim((L2, ERR), rows, _inside, fails_verdict=_fails)
    assert got.worst is not None
    assert got.worst[0] == worst


def test_judge_claim__an_auxiliary_part_gives_the_worst_slack_only_when_it_fails():
    rows = [_row(slack=0.3, part="the statement"), _row(slack=0.01, part="sampler")]
    assert judge_claim((ONE[0], SAMPLER), rows, _inside, fails_verdict=_fails).worst[0] == 0
    rows[1] = _row("fails", slack=-0.01, part="sampler")
    assert judge_claim((ONE[0], SAMPLER), rows, _inside, fails_verdict=_fails).worst[0] == 1


def test_judge_claim__vacuous_rows_give_no_worst_slack():
    assert judge_claim(ONE, [VACUOUS_ROW], _inside, fails_verdict=_fails).worst is None


def test_judge_claim__needs_a_statement_part():
    with pytest.raises(ValueError, match="statement part"):
        judge_claim((SAMPLER,), [COMPUTED], _inside, fails_verdict=_fails)


@pytest.mark.parametrize(("row", "outcome", "strength"), [
    (_row(), "holds", "computed"),
    (_row("boundary"), "holds", "computed"),
    (_row("fails"), "fails", "computed"),
    (_row(strength=None), "holds", "computed"),
    (_row(strength="statistical", status="demonstrated"), "holds", "statistical"),
    (_row(strength="statistical", status="undecided"), "undecided", "statistical"),
    # a statistical row's decision, not its verdict, says whether it failed
    (_row("fails", strength="statistical", status="undecided"), "undecided", "statistical"),
    (_row("not applicable", strength="statistical", status="refuted"), "fails", "statistical"),
    (_row(strength="statistical", status="vacuous"), "vacuous", "vacuous"),
    (_row(strength="statistical", status="demonstrated", bound_on="probability") | {
        "bound": 1.5}, "vacuous", "vacuous"),
    (_row(strength=None, bound_on="0-1 error") | {"bound": 6.6}, "vacuous", "vacuous"),
    (_row("fails", strength="vacuous"), "fails", "vacuous"),
    (_row(strength="vacuous"), "vacuous", "vacuous"),
    (_row(reading={"fails": "uniformly", "holds": "pointwise"}), "fails", "computed"),
    (_row(reading={"fails": "uniformly"}), "holds", "computed"),
    (_row("not tested", strength=None), "not tested", "not tested"),
    (_row("not applicable", strength=None), "not applicable", "not tested"),
])
def test_judge_row(row, outcome, strength):
    j = judge_row(row)
    assert (j.outcome, j.strength.value) == (outcome, strength)


@pytest.mark.parametrize(("row", "verdict"), [
    # Lemma 5.2's Monte Carlo row at (6, 4, 1729): undecided, never "holds"
    (_row(strength="statistical", status="undecided"), "undecided"),
    (_row("boundary", strength="statistical", status="undecided"), "undecided"),
    (_row(strength="statistical", status="demonstrated"), "holds"),
    (_row(strength="vacuous"), "vacuous"),
    # a test that did not reject has refuted nothing (Section 7 at 4 wins of 5)
    (_row("fails", strength="statistical", status="undecided"), "undecided"),
    (_row("fails", strength="vacuous"), "fails"),
    (_row("fails"), "fails"),
    (_row(), "holds"),
    (_row("boundary"), "boundary"),
    (_row("not applicable", strength=None), "not applicable"),
])
def test_row_verdict__an_undecided_row_never_reads_holds(row, verdict):
    assert row_verdict(row) == verdict


@pytest.mark.parametrize(("row", "slack"), [
    # a decision's effect: observed success rate minus claimed, with its interval
    ({"slack": 0.5, "slack_kind": "p-value", "details": {"decision": {
        "effect": 0.07, "effect_interval": [0.03, 0.09]}}}, (0.07, "effect", (0.03, 0.09))),
    # a stated effect (Section 7: the error gap of the claimed ordering)
    ({"slack": 0.01, "slack_kind": "p-value", "details": {"effect": 0.21,
                                                          "effect_interval": [0.1, 0.3]}},
     (0.21, "effect", (0.1, 0.3))),
    ({"slack": 0.01, "slack_kind": "p-value", "details": {"effect": 0.21}},
     (0.21, "effect", None)),
    # a failure rate against its claimed bound: claimed minus observed (the same sign)
    ({"slack": 0.9, "slack_kind": "p-value", "observed": 0.1, "bound": 0.05,
      "details": {"bound_on": "probability"}}, (-0.05, "effect", None)),
    ({"slack": 0.9, "slack_kind": "p-value", "observed": 0.1, "bound": 0.05}, (0.9, "p-value",
                                                                              None)),
    ({"slack": 0.2, "slack_kind": "difference", "details": {"decision": {"effect": "nan"}}},
     (0.2, "difference", None)),
    ({"slack": 2.0, "slack_kind": "ratio"}, (2.0, "ratio", None)),
])
def test_row_slack__positive_inside_in_the_statement_units(row, slack):
    value, kind, interval = row_slack(row)
    assert (round(value, 12), kind, interval) == slack


def test_strength_text():
    assert strength_text(((Strength.PROVED, 3),)) == "proved"
    assert strength_text(((Strength.PROVED, 37), (Strength.COMPUTED, 4))) == (
        "proved at 37 regimes, computed at 4")
    with pytest.raises(ValueError, match="counts"):
        strength_text(())


def test_part__selects_its_rows():
    part = Part("error bound", select=lambda r: r["details"].get("tag") == 1)
    assert part.judgement(_row(tag=2)) is None
    assert part.judgement(_row(tag=1)).outcome == "holds"
    custom = Part("x", judge=lambda r: Judgement("vacuous", Strength.VACUOUS))
    assert custom.judgement(_row()).outcome == "vacuous"
    assert Part("x").judgement(_row(part="y")) is None
    assert Part("x").judgement(_row(part="x")).outcome == "holds"
    assert Part("x").judgement(_row()).outcome == "holds"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"name": ""}, "name"), ({"name": "x", "judge": 3}, "judge"),
    ({"name": "x", "select": "y"}, "select"),
])
def test_part__validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Part(**kwargs)


def test_judgement__validates_its_outcome():
    with pytest.raises(ValueError, match="outcome"):
        Judgement("maybe", Strength.COMPUTED)


def test_judge_part__as_dict_and_text():
    got = judge_part(L2, [PROVED, COMPUTED], _inside)
    assert got.text == "L2 -> 0 (proved at 1 regime, computed at 1)"
    assert got.as_dict() == {"part": "L2 -> 0", "auxiliary": False, "outcome": "holds",
                             "strength": "computed",
                             "strength_text": "proved at 1 regime, computed at 1",
                             "regimes": 2, "note": ""}
    vac = judge_part(L2, [VACUOUS_ROW], _inside)
    assert vac.text == "L2 -> 0 vacuous at the sizes run"
    assert vac.as_dict()["strength_text"] == "vacuous"


def test_parts_named__the_rows_name_the_parts_of_a_claim_that_declares_none():
    from verify.evidence.calculus import parts_named

    assert [p.name for p in parts_named([COMPUTED])] == ["the statement"]
    assert [p.name for p in parts_named([])] == ["the statement"]
    rows = [_row(part="grows slower"), _row(part="fewer samples at every d"),
            _row(part="grows slower")]
    assert [p.name for p in parts_named(rows)] == ["grows slower", "fewer samples at every d"]
    assert [p.name for p in parts_named([*rows, COMPUTED])] == [
        "grows slower", "fewer samples at every d", "the statement"]


@pytest.mark.parametrize(("rows", "verdict"), [
    # the scaling law's rows name their parts: one undecided part is not a "holds"
    ([_row(part="grows slower", strength="statistical", status="undecided", kind="effect"),
      _row(part="fewer samples at every d", strength="statistical", status="demonstrated")],
     "holds for fewer samples at every d (statistical); grows slower consistent: not refuted"),
    # a negative exponent difference refutes "grows slower": the claim fails
    ([_row(part="grows slower", strength="statistical", status="refuted", kind="effect",
           slack=-0.4),
      _row(part="fewer samples at every d", strength="statistical", status="demonstrated")],
     "fails"),
    ([_row(part="grows slower", strength="statistical", status="demonstrated"),
      _row(part="fewer samples at every d", strength="statistical", status="demonstrated")],
     "holds"),
])
def test_judge__a_claim_without_declared_parts_takes_its_rows_parts(rows, verdict):
    from verify.report.document import judge

    for r in rows:
        r["assumptions"] = {}
    assert judge(rows).verdict == verdict


def test_judge_row__keeps_the_slack_kind_and_interval():
    vac = judge_row(VACUOUS_ROW)
    assert (vac.slack, vac.kind, vac.interval) == (None, "vacuous", None)
    row = _row(strength="statistical", status="demonstrated", kind="effect")
    row["details"]["decision"] |= {"effect": 0.07, "effect_interval": [0.03, 0.09]}
    assert judge_row(row) == Judgement("holds", Strength.STATISTICAL, 0.07, "effect",
                                       (0.03, 0.09))
    # a statistical row that is not applicable, with an undecided decision, stays so
    na = _row("not applicable", strength="statistical", status="undecided")
    assert judge_row(na).outcome == "not applicable"


def test_row_verdict__edges():
    assert row_verdict({}) == ""
    # a statistical row whose decision is vacuous but whose verdict fails reads fails
    assert row_verdict(_row("fails", strength="statistical", status="vacuous")) == "fails"


def test_row_slack__a_failure_rate_without_its_numbers_keeps_the_row_slack():
    row = {"slack": 0.9, "slack_kind": "p-value", "observed": float("nan"), "bound": 0.05,
           "details": {"bound_on": "probability"}}
    assert row_slack(row) == (0.9, "p-value", None)
    row = {"slack": 0.9, "slack_kind": "p-value", "observed": 0.1, "bound": float("nan"),
           "details": {"bound_on": "probability"}}
    assert row_slack(row) == (0.9, "p-value", None)


def test_judge_part__outcomes_without_a_deciding_row():
    assert judge_part(L2, [_row("not tested", strength=None)], _inside).outcome == "not tested"
    assert judge_part(L2, [_row("not applicable", strength=None)], _inside).outcome == (
        "not applicable")
    assert judge_part(L2, [], _inside).outcome == "not tested"
    failing = judge_part(L2, [_row("fails", strength="proved"), _row("fails")], _inside)
    assert failing.as_dict()["strength_text"] == "proved at 1 regime, computed at 1"


A, B, C = Part("A"), Part("B"), Part("C")


@pytest.mark.parametrize(("rows", "verdict", "note"), [
    ([_row(part="A"), _row(part="B"), _row(part="C", strength="vacuous")],
     "holds for A (computed) and B (computed); C vacuous at the sizes run", "no size stated"),
    ([_row(part="A"), _row(part="B", strength="vacuous", nonvacuous_from="m >= 9"),
      _row(part="C", strength="statistical", status="undecided")],
     "holds for A (computed); B vacuous at the sizes run; C consistent: not refuted",
     "non-vacuous from m >= 9; power: a failure rate of 0.3 or more would have been caught "
     "with probability 99%"),
])
def test_judge_claim__several_parts_shown_and_not(rows, verdict, note):
    got = judge_claim((A, B, C), rows, _inside, fails_verdict=_fails)
    assert got.verdict == verdict
    assert got.note == (note if note != "no size stated" else "")


def test_judge_claim__notes_of_two_parts():
    # a part without a size stated says nothing beside another part; alone it says so
    rows = [_row(part="L2 -> 0"), _row(part="error bound", strength="vacuous")]
    assert judge_claim((L2, ERR), rows, _inside, fails_verdict=_fails).note == ""
    assert judge_claim(ONE, [_row(strength="vacuous")], _inside,
                       fails_verdict=_fails).note == "no size stated"
    rows = [_row(part="L2 -> 0", strength="vacuous", nonvacuous_from="m >= 9"),
            _row(part="error bound", strength="vacuous")]
    assert judge_claim((L2, ERR), rows, _inside, fails_verdict=_fails).note == (
        "non-vacuous from m >= 9")


def _undecided_without_power(part: str) -> dict[str, Any]:
    row = _row(part=part, strength="statistical", kind="effect")
    row["details"]["decision"] = {"status": "undecided", "claimed_probability": 0.9}
    return row


def test_judge_claim__a_note_two_parts_share_is_said_once():
    # the scaling law's exponents: one part shown, two undecided with no power stated
    rows = [_row(part="A"), _undecided_without_power("B"), _undecided_without_power("C")]
    got = judge_claim((A, B, C), rows, _inside, fails_verdict=_fails)
    assert got.verdict == ("holds for A (computed); B consistent: not refuted; C consistent: "
                           "not refuted")
    assert got.note == "power not stated"
    # the notes keep the parts' order; only a repeated one goes
    rows = [_undecided_without_power("A"), _row(part="B", strength="vacuous",
                                                 nonvacuous_from="m >= 9"),
            _undecided_without_power("C")]
    assert judge_claim((A, B, C), rows, _inside, fails_verdict=_fails).note == (
        "power not stated; non-vacuous from m >= 9")
