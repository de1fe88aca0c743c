"""The evidence record every checker returns: verdicts from signed slacks, and serialisation."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from verify.evidence import Erratum, Evidence, Verdict, verdict_from_slack


@pytest.mark.parametrize(
    ("slack", "tol", "verdict"),
    [
        (1.0, 0.0, Verdict.HOLDS),
        (1e-300, 0.0, Verdict.HOLDS),
        (0.0, 0.0, Verdict.BOUNDARY),
        (-0.0, 0.0, Verdict.BOUNDARY),
        (-1e-300, 0.0, Verdict.FAILS),
        (1e-9, 1e-9, Verdict.BOUNDARY),  # |slack| <= tol is the boundary, both ends included
        (-1e-9, 1e-9, Verdict.BOUNDARY),
        (math.nextafter(1e-9, 1.0), 1e-9, Verdict.HOLDS),
        (math.nextafter(-1e-9, -1.0), 1e-9, Verdict.FAILS),
        (math.inf, 1e-9, Verdict.HOLDS),
        (-math.inf, 1e-9, Verdict.FAILS),
        (math.nan, 1e-9, Verdict.FAILS),  # an undefined slack never passes
    ],
)
def test_verdict_from_slack__thresholds(slack, tol, verdict):
    assert verdict_from_slack(slack, tol) is verdict


def _evidence(verdict, **kw):
    base = {
        "claim": "Lemma X",
        "statement": "s",
        "verdict": verdict,
        "observed": 1.0,
        "bound": 2.0,
        "slack": 1.0,
    }
    return Evidence(**(base | kw))


@pytest.mark.parametrize(
    ("verdict", "holds"),
    [
        (Verdict.HOLDS, True),
        (Verdict.BOUNDARY, True),
        (Verdict.FAILS, False),
        (Verdict.NOT_APPLICABLE, False),
    ],
)
def test_evidence__holds_only_for_holds_and_boundary(verdict, holds):
    assert _evidence(verdict).holds is holds


def test_evidence__as_dict_is_json_ready():
    ev = _evidence(
        Verdict.FAILS,
        observed=np.float64(3.5),
        slack=-math.inf,
        params={"k": np.int64(7), "seed": 3, "x": np.array([1.0, 2.0])},
        assumptions={"k>8d^3": np.bool_(False)},
        details={"nan": math.nan, "nested": [(np.float32(0.5), Verdict.HOLDS)], 1: "int key"},
        reason="because",
        reproduce="python -c 'pass'",
    )
    d = ev.as_dict()
    assert d["verdict"] == "fails"
    assert d["slack"] == "-inf"
    assert d["details"]["nan"] == "nan"
    assert d["params"] == {"k": 7, "seed": 3, "x": [1.0, 2.0]}
    assert d["assumptions"] == {"k>8d^3": False}
    assert d["details"]["nested"] == [[0.5, "holds"]]
    assert d["details"]["1"] == "int key"
    text = ev.to_json()
    assert json.loads(text) == d
    assert text == json.dumps(d, sort_keys=True)


def test_evidence__summary_says_what_and_how_to_reproduce():
    ev = _evidence(Verdict.FAILS, params={"seed": 11}, reason="slack < 0", reproduce="CMD")
    s = ev.summary()
    for part in (
        "Lemma X",
        "fails",
        "observed 1",
        "bound 2",
        "slack 1",
        "slack < 0",
        "seed",
        "11",
        "CMD",
    ):
        assert part in s
    assert "[difference]); params {}" in _evidence(Verdict.HOLDS).summary()  # no empty reason
    assert s == ("Lemma X: fails (observed 1, bound 2, slack 1 [difference]; slack < 0); "
                 "params {'seed': 11}; reproduce: CMD")


def test_evidence__is_frozen():
    ev = _evidence(Verdict.HOLDS)
    with pytest.raises(AttributeError):
        ev.verdict = Verdict.FAILS


def test_erratum__as_dict():
    e = Erratum("Lemma 5.3", "typo", "t eta1 / 0", "t eta1 / 9", evidence="x", found_by="me")
    assert e.as_dict() == {
        "location": "Lemma 5.3",
        "kind": "typo",
        "text_says": "t eta1 / 0",
        "what_is_true": "t eta1 / 9",
        "evidence": "x",
        "found_by": "me",
    }
