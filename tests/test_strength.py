"""The strength of one evidence row: :mod:`verify.evidence.strength`, on a table of
hand-made rows where each wrong rule fails at least one line."""

from __future__ import annotations

from typing import Any

import pytest

from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.strength import ORDER, decision_status, is_vacuous, strength_of, weakest

P, C, S, V, NT = (Strength.PROVED, Strength.COMPUTED, Strength.STATISTICAL, Strength.VACUOUS,
                  Strength.NOT_TESTED)


def _row(verdict: str = "holds", kind: str = "difference", bound: float = 0.5,
         strength: str | None = None, **details: Any) -> dict[str, Any]:
    row = {"claim": "X", "verdict": verdict, "slack_kind": kind, "bound": bound,
           "details": details}
    if strength is not None:
        row["strength"] = strength
    return row


ROWS: list[tuple[dict[str, Any], Strength, bool, str | None]] = [
    # (row, strength, vacuous, decision status)
    (_row(), C, False, None),
    (_row(kind="ratio"), C, False, None),
    (_row(strength="proved"), P, False, None),
    (_row(kind="p-value", strength="computed"), C, False, None),  # explicit wins
    (_row(verdict="not tested"), NT, False, None),
    (_row(verdict="not applicable", kind="p-value"), NT, False, None),
    (_row(verdict="fails"), C, False, None),
    (_row(kind="p-value"), S, False, "undecided"),  # an old-style p-value row
    (_row(verdict="boundary", kind="p-value"), S, False, "undecided"),
    (_row(verdict="fails", kind="p-value"), S, False, "refuted"),
    (_row(kind="effect"), S, False, "undecided"),
    (_row(kind="effect", decision={"status": "demonstrated"}), S, False, "demonstrated"),
    (_row(kind="p-value", decision={"status": "refuted"}), S, False, "refuted"),
    (_row(strength="statistical", decision={"status": "vacuous", "claimed_probability": 0.0}),
     S, True, "vacuous"),
    (_row(kind="effect", decision={"status": "undecided", "claimed_probability": 0.0}),
     S, True, "undecided"),
    (_row(kind="effect", decision={"status": "undecided", "claimed_probability": 1e-9}),
     S, False, "undecided"),
    # an upper bound on a probability or 0-1 error: vacuous from 1 on
    (_row(bound=1.0, bound_on="0-1 error"), V, True, None),
    (_row(bound=176.0, bound_on="0-1 error"), V, True, None),
    (_row(bound=0.999, bound_on="0-1 error"), C, False, None),
    (_row(bound=1.0, bound_on="probability", side="upper"), V, True, None),
    # a lower bound on a probability: vacuous at 0 and below
    (_row(bound=0.0, bound_on="probability", side="lower"), V, True, None),
    (_row(bound=1e-12, bound_on="probability", side="lower"), C, False, None),
    (_row(bound=1.0, bound_on="probability", side="lower"), C, False, None),
    # a bound >= 1 on something that is not a probability says something
    (_row(bound=5.0), C, False, None),
    (_row(bound=5.0, bound_on="norm"), C, False, None),
    (_row(bound=2.0, bound_on="0-1 error", strength="vacuous"), V, True, None),
    (_row(decision={"status": "vacuous"}), V, True, None),
]


@pytest.mark.parametrize(("row", "strength", "vacuous", "status"), ROWS)
def test_strength_of__each_rule(row, strength, vacuous, status):
    assert strength_of(row) is strength
    assert is_vacuous(row) is vacuous
    assert decision_status(row) == status


def test_strength_of__an_evidence_object_and_its_dict_agree():
    ev = Evidence("X", "s", Verdict.HOLDS, 0.1, 3.0, 2.9, details={"bound_on": "0-1 error"})
    assert strength_of(ev) is V
    assert strength_of(ev.as_dict()) is V
    ev = Evidence("X", "s", Verdict.HOLDS, 0.1, 0.2, 0.1, strength=Strength.PROVED)
    assert strength_of(ev) is P
    assert strength_of(ev.as_dict()) is P


@pytest.mark.parametrize(
    ("strengths", "expected"),
    [([P], P), ([P, C], C), ([C, P], C), ([C, S], S), ([S, V], V), ([V, S, P], V),
     ([V, NT], NT), ([NT, P], NT), (["proved", "computed"], C), ([S, S], S)],
)
def test_weakest__the_order(strengths, expected):
    assert weakest(strengths) is expected


def test_order__strongest_first():
    assert [s.value for s in ORDER] == ["proved", "computed", "statistical", "vacuous",
                                         "not tested"]


@pytest.mark.parametrize(
    "call",
    [lambda: weakest([]), lambda: strength_of(3), lambda: strength_of(_row(strength="sure")),
     lambda: is_vacuous(_row(bound_on="probability", side="left")),
     lambda: decision_status(_row(kind="p-value", decision={"status": "maybe"}))],
)
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_strongest__is_the_first_in_order_and_rejects_nothing():
    from verify.evidence import Strength
    from verify.evidence.strength import strongest

    assert strongest(["statistical", "proved", "vacuous"]) is Strength.PROVED
    assert strongest([Strength.VACUOUS, Strength.COMPUTED]) is Strength.COMPUTED
    # the paper-facing order, not the alphabetical one ("computed" < "proved" as strings)
    assert strongest([Strength.COMPUTED, Strength.PROVED]) is Strength.PROVED
    assert strongest(["not tested", "statistical"]) is Strength.STATISTICAL
    with pytest.raises(ValueError, match="strengths"):
        strongest([])
