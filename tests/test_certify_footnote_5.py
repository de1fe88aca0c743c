"""Tests of footnote 5's certificate (:mod:`verify.certify._footnote_5`): the KL values,
``I(d)`` and the fitted rate enclosed in ``arb``; tampering fails; too close is undecided."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from tests.certificates_tamper import tampered
from verify import certify
from verify.claims.footnote_5 import _grid, check_footnote_5, chernoff_rate
from verify.evidence import Strength
from verify.evidence.certified import certify_footnote_5

DS = [3, 4]
KS = {str(d): _grid(d, 6) for d in DS}


def _cert(tolerance: str = "1/20", max_bits: int = 4096) -> dict:
    return json.loads(certify.dumps(certify.footnote_5_rate(DS, KS, tolerance, max_bits)))


def _contains(ball: str, x: float) -> bool:
    from flint import arb

    return bool(arb(ball).contains(arb(x)))


def test_footnote_5_rate__verifies_and_encloses_the_checkers_floats():
    cert = _cert()
    assert cert["verdict"] == "holds"
    res = certify.check(cert)
    assert res.ok, res
    ev = check_footnote_5(tuple(DS), points=6)
    for d in DS:
        encl, rate, row = cert["enclosure"]["by_d"][str(d)], chernoff_rate(d), ev.details["by_d"][d]
        assert encl["smaller_tail"] == "lower (1/(4d))"
        # the checker's floats agree with the balls to rounding (a ball widened by 1e-12)
        for key, x in (("KL(1/(4d)||q)", rate["lower_tail"]), ("KL(1/d||q)", rate["upper_tail"]),
                       ("I(d)", rate["rate"]), ("ratio", row["ratio"])):
            mid = float(encl[key].strip("[]").split("+/-")[0])
            assert x == pytest.approx(mid, rel=1e-9, abs=0), (d, key)


def test_footnote_5_rate__a_decided_failure_is_a_valid_certificate():
    cert = _cert("1/100")  # d = 4: a / I(4) = 0.9849, outside 1 +/- 1/100
    assert cert["verdict"] == "fails"
    assert certify.check(cert).ok


def test_footnote_5_rate__too_close_is_undecided_at_the_limit():
    from flint import ctx

    from verify.certify._footnote_5 import rate_enclosures

    old = ctx.prec
    try:
        ctx.prec = 256
        ratio = rate_enclosures(3, KS["3"], Fraction(1, 20))[0]["ratio"]
        mid = Fraction(ratio.mid().str(30, radius=False))
    finally:
        ctx.prec = old
    # the tolerance |mid - 1| (30 digits) sits inside the 64-bit ball: undecided at 64 bits,
    # decided at 4096
    tol = str(abs(mid - 1))
    assert certify.footnote_5_rate([3], {"3": KS["3"]}, tol, 64)["verdict"] == "undecided"
    assert certify.footnote_5_rate([3], {"3": KS["3"]}, tol, 4096)["verdict"] != "undecided"


@pytest.mark.parametrize(("path", "new"), [
    (("inputs", "ks", "3", 0), KS["3"][0] + 1),        # one digit of an input
    (("inputs", "d_values"), [3, 5]),                  # the grid no longer matches
    (("inputs", "tolerance"), "1/1000"),               # the bound
    (("enclosure", "by_d", "4", "ratio"), "[0.9848710976359 +/- 6.39e-13]"),
    (("enclosure", "by_d", "3", "I(d)"), "[0.043 +/- 1e-3]"),
    (("verdict",), "fails"),
])
def test_footnote_5_rate__tampering_fails(path, new):
    assert not certify.check(tampered(_cert(), path, new)).ok


def test_certify_footnote_5__the_row_keeps_its_certificate_but_stays_computed():
    """The certificate re-checks the enclosures and the fit; the asymptotic reading (Cramer-
    Chernoff) is not certified, so the row is computed, not proved."""
    ev = certify_footnote_5(check_footnote_5(tuple(DS), points=6))
    assert ev.strength is Strength.COMPUTED
    assert ev.details["certificate"]["kind"] == "footnote_5_rate"
    assert "Cramer-Chernoff" in ev.details["strength_note"]


@pytest.mark.parametrize(("kwargs", "name"), [({"tolerance": "0"}, "tolerance"),
                                              ({"ks": {"3": [1, 2, 3]}}, "ks")])
def test_footnote_5_rate__bad_inputs_raise_value_error_naming_them(kwargs, name):
    args = {"d_values": [3], "ks": {"3": KS["3"]}, "tolerance": "1/20", **kwargs}
    with pytest.raises(ValueError, match=f"^{name}"):
        certify.footnote_5_rate(**args)


def test_certify_footnote_5__a_disagreeing_checker_is_not_proved():
    import dataclasses

    from verify.evidence import Verdict

    ev = check_footnote_5(tuple(DS), points=6)
    wrong = dataclasses.replace(ev, verdict=Verdict.FAILS)
    out = certify_footnote_5(wrong)
    assert out.strength is not Strength.PROVED
    assert "disagreement" in out.details["certificate_check"]
