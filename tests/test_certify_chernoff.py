"""Lemma 5.2's Chernoff/KL tail certificate (``verify.certify._chernoff``) against an
independent floating-point evaluation of the same formula, its decision at the three outcomes
(shown, refuted, too wide to tell), the precision loop and the certificate's fields."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

import flint

from verify import certify
from verify.certify import _chernoff

F = Fraction


def _kl(a: float, q: float) -> float:
    return a * math.log(a / q) + (1 - a) * math.log((1 - a) / (1 - q))


def _float_tail(d: int, l: int, k: int) -> tuple[float, float, float, float]:
    q = (1 - 2.0 ** -(l - 1)) / (2 * (l - 1))
    lo, hi = _kl(1 / (4 * d), q), _kl(1 / d, q)
    return lo, hi, 2 * math.exp(-k * lo) + 2 * math.exp(-k * hi), 4 * math.exp(-d)


@pytest.fixture
def bits64():
    old = flint.ctx.prec
    flint.ctx.prec = 64
    yield
    flint.ctx.prec = old


def _mid(x) -> float:
    return float(x.mid())


def test_q__appendix_b():
    assert _chernoff._q(3) == F(3, 16)
    assert _chernoff._q(4) == F(7, 48)
    assert _chernoff._q(20) == (1 - F(1, 2**19)) / 38


def test_ball_and_text(bits64):
    third = _chernoff._ball(F(1, 3))
    assert third.contains(flint.fmpq(1, 3))
    assert not third.contains(flint.fmpq(333333, 1000000))
    assert _mid(_chernoff._ball(F(-7, 3))) == pytest.approx(-7 / 3, rel=1e-15)
    assert _chernoff._text(flint.arb(2)) == "2.0000000000000000000"
    flint.ctx.prec = 256  # 20 significant digits and the radius
    assert _chernoff._text(flint.arb(1) / 3) == "[0.33333333333333333333 +/- 3.34e-21]"


@pytest.mark.parametrize(("d", "l", "k", "shown"), [
    (20, 20, 8000, 1),     # the tail is far below 4e^{-20}
    (5, 3, 1000, -1),      # the tail is above 4e^{-5}: no precision shows it
    (3, 3, 10, -1),
    (12, 5, 1728, -1),
    (12, 5, 20000, 1),
])
def test_tail_enclosures__the_formula_and_the_decision(bits64, d, l, k, shown):
    balls, got = _chernoff.tail_enclosures(d, l, k)
    lo, hi, tail, bound = _float_tail(d, l, k)
    assert _mid(balls["kl_lower"]) == pytest.approx(lo, rel=1e-12)
    assert _mid(balls["kl_upper"]) == pytest.approx(hi, rel=1e-12)
    assert _mid(balls["tail"]) == pytest.approx(tail, rel=1e-9)
    assert _mid(balls["bound"]) == pytest.approx(bound, rel=1e-15)
    assert set(balls) == {"kl_lower", "kl_upper", "tail", "bound"}
    assert got == shown


def test_tail_enclosures__too_wide_to_tell_at_a_low_precision():
    old = flint.ctx.prec
    try:
        flint.ctx.prec = 8
        assert _chernoff.tail_enclosures(20, 20, 8000)[1] == 0
        assert _chernoff.tail_enclosures(5, 3, 1000)[1] == 0
    finally:
        flint.ctx.prec = old


def test_certificate__holds():
    cert = certify.lemma_5_2_chernoff_tail(20, 20, 8000)
    assert {k: v for k, v in cert.items() if k not in ("inequality", "enclosure")} == {
        "format": certify.FORMAT, "kind": "lemma_5_2_chernoff_tail",
        "claim": "Lemma 5.2 (k >= d^3, Section 5's sketch)",
        "inputs": {"d": 20, "l": 20, "k": 8000},
        "bound": [["4", "-20"]], "verdict": "holds"}
    assert cert["inequality"].startswith("P(Eq. 7 fails at k') <= 2e^{-k' KL(1/(4d)||q_l)} + ")
    encl = cert["enclosure"]
    assert sorted(encl) == ["bits", "bound", "kl_lower", "kl_upper", "quantity"]
    assert encl["bits"] == 64
    lo, hi, tail, bound = _float_tail(20, 20, 8000)
    for key, value in (("quantity", tail), ("bound", bound), ("kl_lower", lo), ("kl_upper", hi)):
        ball = flint.arb(encl[key])
        assert float(ball.mid()) == pytest.approx(value, rel=1e-9), key
        assert float(ball.rad()) < 1e-13 * abs(value)


def test_certificate__an_upper_bound_above_4e_minus_d_decides_nothing():
    cert = certify.lemma_5_2_chernoff_tail(5, 3, 1000)
    assert cert["verdict"] == "undecided"
    assert cert["enclosure"]["bits"] == 64
    assert float(flint.arb(cert["enclosure"]["quantity"]).mid()) == \
        pytest.approx(_float_tail(5, 3, 1000)[2], rel=1e-9)


def test_certificate__q_l_outside_the_window():
    # q_5 = 15/128 is not below 1/d = 1/10: no tail is computed
    cert = certify.lemma_5_2_chernoff_tail(10, 5, 1000)
    assert cert["enclosure"] == {"q_l": "15/128",
                                 "note": "q_l is not strictly between 1/(4d) and 1/d"}
    assert cert["verdict"] == "undecided"
    # q_3 = 3/16 lies between 1/(4d) and 1/d at d = 3, 4, 5 (1/5 > 3/16), above 1/d at d = 6
    for d in (3, 4, 5):
        assert "note" not in certify.lemma_5_2_chernoff_tail(d, 3, 10)["enclosure"]
    assert certify.lemma_5_2_chernoff_tail(6, 3, 10)["enclosure"] == {
        "q_l": "3/16", "note": "q_l is not strictly between 1/(4d) and 1/d"}


@pytest.mark.parametrize(("answers", "bits", "verdict"), [
    ([1], 64, "holds"), ([-1], 64, "undecided"), ([0, 0, 1], 256, "holds"),
    ([0, -1], 128, "undecided"), ([0] * 7, 4096, "undecided")])
def test_certificate__the_precision_doubles_until_decided(monkeypatch, answers, bits, verdict):
    seen = []
    real = _chernoff.tail_enclosures

    def fake(d, l, k):
        seen.append(flint.ctx.prec)
        balls, _ = real(d, l, k)
        return balls, answers[len(seen) - 1]

    monkeypatch.setattr(_chernoff, "tail_enclosures", fake)
    old = flint.ctx.prec
    cert = certify.lemma_5_2_chernoff_tail(20, 20, 8000)
    assert seen == [64 * 2**i for i in range(len(answers))]
    assert cert["enclosure"]["bits"] == bits
    assert cert["verdict"] == verdict
    assert flint.ctx.prec == old  # the precision is restored


def test_certificate__the_precision_is_restored_after_an_error(monkeypatch):
    def broken(d, l, k):
        flint.ctx.prec = 999
        raise RuntimeError("x")

    monkeypatch.setattr(_chernoff, "tail_enclosures", broken)
    old = flint.ctx.prec
    with pytest.raises(RuntimeError):
        certify.lemma_5_2_chernoff_tail(20, 20, 8000)
    assert flint.ctx.prec == old


@pytest.mark.parametrize(("args", "why"), [
    ((2, 3, 1), "d must be an integer >= 3, got 2"),
    ((3, 2, 1), "l must be an integer >= 3, got 2"),
    ((3, 3, 0), "k must be an integer >= 1, got 0"),
    ((True, 3, 1), "d must be an integer >= 3, got True"),
    ((3.0, 3, 1), "d must be an integer >= 3, got 3.0"),
    ((3, 3, "1"), "k must be an integer >= 1, got '1'"),
    ((4, 5, 1), "l must be <= d = 4, got 5")])
def test_certificate__bad_inputs(args, why):
    with pytest.raises(ValueError) as info:
        certify.lemma_5_2_chernoff_tail(*args)
    assert str(info.value) == why
    assert certify.lemma_5_2_chernoff_tail(3, 3, 1)["inputs"] == {"d": 3, "l": 3, "k": 1}
