"""Tests of :mod:`verify.evidence.certified`: ``proved`` only when the certificate checks and
decides the evidence's own verdict."""

from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from verify import certify
from verify.claims.event_14 import check_event_14_exact
from verify.claims.lemma_5_2 import check_lemma_5_2_exact, check_smallest_k
from verify.evidence import Strength, Verdict
from verify.evidence.certified import (
    certify_event_14,
    certify_evidence,
    certify_lemma_5_2,
    certify_smallest_k,
)


@pytest.mark.parametrize(("d", "l", "k"), [(5, 3, 1000), (3, 3, 216)])
def test_certify_lemma_5_2__proves_the_checkers_verdict(d, l, k):
    ev = check_lemma_5_2_exact(d, l, k)
    got = certify_lemma_5_2(ev)
    assert got.strength is Strength.PROVED
    assert got.verdict is ev.verdict
    assert got.details["certificate"]["verdict"] == ev.verdict.value


def test_certify_event_14__and_smallest_k__prove():
    assert certify_event_14(check_event_14_exact(100)).strength is Strength.PROVED
    got = certify_smallest_k(check_smallest_k(3))
    assert got.strength is Strength.PROVED
    assert got.verdict is Verdict.FAILS  # k* = 29 > d^3 = 27


def test_certify_evidence__a_tampered_certificate_leaves_the_strength():
    ev = check_lemma_5_2_exact(5, 3, 1000)
    cert = certify.lemma_5_2_failure_probability(5, 3, 1000)
    cert["bound"] = [["5", "-5"]]
    got = certify_evidence(ev, cert)
    assert got.strength is ev.strength
    assert "certificate" not in got.details
    assert got.details["certificate_check"].startswith("does not verify")


def test_certify_evidence__a_disagreement_is_reported_and_the_verdict_kept():
    ev = dataclasses.replace(check_lemma_5_2_exact(5, 3, 1000), verdict=Verdict.HOLDS)
    got = certify_evidence(ev, certify.lemma_5_2_failure_probability(5, 3, 1000))
    assert got.strength is ev.strength
    assert got.verdict is Verdict.HOLDS
    assert got.details["certificate_check"].startswith("disagreement")


def test_certify_evidence__wrong_k_star_is_not_proved():
    ev = check_smallest_k(3)
    cert = certify.smallest_k(3, 3, 30, int(ev.details["horizon"]))
    assert certify_evidence(ev, cert).strength is ev.strength


def test_certify_evidence__bad_arguments_raise_value_error():
    ev = check_event_14_exact(100)
    with pytest.raises(ValueError, match=r"^certificate"):
        certify_evidence(ev, "x")
    with pytest.raises(ValueError, match=r"^ev"):
        certify_evidence("x", {})


def test_proved_failure_note__only_for_a_verified_failure():
    from verify.evidence.certified import proved_failure_note

    note = proved_failure_note(5, 3, 1000)
    assert note.startswith("[proved] (certificate lemma_5_2_failure_probability-d5-k1000-l3.json")
    assert proved_failure_note(3, 3, 216) == ""  # holds there: no failure to prove
