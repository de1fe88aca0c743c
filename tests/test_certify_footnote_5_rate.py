"""Footnote 5's certificate (``verify.certify._footnote_5``) on its own arithmetic: the
divergences against floating point, the 3 x 3 determinant against the cofactor expansion in
rationals, the least-squares rate against NumPy, and the decision rule with a stand-in failure
probability ``P_k = exp(-(r k + b ln k + c))`` whose fitted rate is ``r`` exactly (so the
ratio to ``I(d)`` is chosen by the test). Fast: no exact probability is computed."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

import flint
import numpy as np

from verify import certify
from verify.certify import _arith, _footnote_5

F = Fraction
KS = [40, 80, 160, 320]


def _kl(a: float, q: float) -> float:
    return a * math.log(a / q) + (1 - a) * math.log((1 - a) / (1 - q))


def _rates(d: int) -> tuple[float, float]:
    q = (1 - 2.0 ** -(d - 1)) / (2 * (d - 1))
    return _kl(1 / (4 * d), q), _kl(1 / d, q)


@pytest.fixture
def bits(request):
    old = flint.ctx.prec
    flint.ctx.prec = getattr(request, "param", 64)
    yield
    flint.ctx.prec = old


@pytest.fixture
def model(monkeypatch):
    """Replace the exact failure probability by ``exp(-(factor I(d) k + 2 ln k + 1))``; records
    the calls. Returns a dict whose ``"factor"`` the test sets."""
    state = {"factor": 1.0, "calls": []}

    def ball(d, l, k, prec):
        state["calls"].append((d, l, k, prec))
        lo, hi = _rates(d)
        r = flint.arb(repr(state["factor"] * min(lo, hi)))
        return (-(r * k + 2 * flint.arb(k).log() + 1)).exp()

    monkeypatch.setattr(_arith, "eq7_failure_ball_at", ball)
    return state


def _mid(x) -> float:
    return float(x.mid())


def test_arb_and_kl(bits):
    assert _footnote_5._arb(F(1, 3)).contains(flint.fmpq(1, 3))
    assert _mid(_footnote_5._arb(F(-7, 2))) == -3.5
    for a, q in ((F(1, 20), F(3, 16)), (F(1, 5), F(3, 16)), (F(1, 40), F(1, 19))):
        assert _mid(_footnote_5._kl(a, q)) == pytest.approx(_kl(float(a), float(q)), rel=1e-14)


def _det_exact(m: list[list[int]]) -> int:
    return sum((-1) ** sum(1 for i, j in itertools.combinations(range(3), 2) if p[i] > p[j])
               * m[0][p[0]] * m[1][p[1]] * m[2][p[2]] for p in itertools.permutations(range(3)))


def test_det3__the_cofactor_expansion(bits):
    rng = random.Random(3)
    for _ in range(30):
        m = [[rng.randint(-9, 9) for _ in range(3)] for _ in range(3)]
        got = _footnote_5._det3([[flint.arb(v) for v in row] for row in m])
        assert got == _det_exact(m), m
    assert _footnote_5._det3([[flint.arb(v) for v in r] for r in
                              ([2, -1, 0], [1, 3, 2], [0, 1, 4])]) == 24


def test_fit_rate__least_squares(bits):
    rng = random.Random(5)
    ks = [10, 25, 60, 150, 400]
    for a, b, c in ((0.3, 2.0, 1.0), (0.01, -1.5, 4.0), (1.25, 0.0, -2.0)):
        ys = [a * k + b * math.log(k) + c + rng.uniform(-0.1, 0.1) for k in ks]
        want = np.linalg.lstsq(np.array([[k, math.log(k), 1.0] for k in ks]), np.array(ys),
                               rcond=None)[0][0]
        got = _footnote_5._fit_rate(ks, [flint.arb(repr(y)) for y in ys])
        assert _mid(got) == pytest.approx(want, rel=1e-9)
    with pytest.raises(ValueError):  # one value per k
        _footnote_5._fit_rate(ks, [flint.arb(1)] * 4)


@pytest.mark.parametrize(("d", "factor", "inside"), [
    (5, 1.0, 1), (5, 1.04, 1), (5, 0.96, 1), (5, 1.06, -1), (5, 0.94, -1),
    (12, 1.01, 1), (12, 1.2, -1), (12, 0.7, -1)])
def test_rate_enclosures__the_ratio_and_the_decision(bits, model, d, factor, inside):
    model["factor"] = factor
    encl, tails, got = _footnote_5.rate_enclosures(d, KS, F(1, 20))
    lo, hi = _rates(d)
    assert _mid(encl["KL(1/(4d)||q)"]) == pytest.approx(lo, rel=1e-12)
    assert _mid(encl["KL(1/d||q)"]) == pytest.approx(hi, rel=1e-12)
    assert tails == (1 if lo > hi else -1)
    assert _mid(encl["I(d)"]) == pytest.approx(min(lo, hi), rel=1e-12)
    assert _mid(encl["d*I(d)"]) == pytest.approx(d * min(lo, hi), rel=1e-12)
    assert _mid(encl["fitted_rate"]) == pytest.approx(factor * min(lo, hi), rel=1e-9)
    assert _mid(encl["ratio"]) == pytest.approx(factor, rel=1e-9)
    assert sorted(encl) == sorted(["KL(1/(4d)||q)", "KL(1/d||q)", "I(d)", "d*I(d)",
                                   "fitted_rate", "ratio"])
    assert got == inside
    # the probability is computed with 256 guard bits, at l = d
    assert model["calls"] == [(d, d, k, 64 + 256) for k in KS]


def test_rate_enclosures__which_tail_is_smaller(bits, model):
    # at l = d the lower tail 1/(4d) binds: KL(1/(4d) || q_d) < KL(1/d || q_d)
    for d in (3, 4, 20):
        lo, hi = _rates(d)
        assert lo < hi
        encl, tails, _ = _footnote_5.rate_enclosures(d, KS, F(1, 20))
        assert tails == -1
        assert encl["I(d)"].mid() == encl["KL(1/(4d)||q)"].mid()


def test_rate_enclosures__at_the_tolerance(bits, model):
    # exactly at 1 + tolerance (in balls): neither inside nor outside can be shown at 64 bits
    model["factor"] = 1.05
    assert _footnote_5.rate_enclosures(5, KS, F(1, 20))[2] == 0
    model["factor"] = 0.95
    assert _footnote_5.rate_enclosures(5, KS, F(1, 20))[2] == 0


@pytest.mark.parametrize("bits", [6], indirect=True)
def test_rate_enclosures__too_wide_at_a_low_precision(bits, model):
    encl, tails, inside = _footnote_5.rate_enclosures(5, KS, F(1, 20))
    assert (tails, inside) == (0, 0)
    # the rate is then the union of both divergences
    assert encl["I(d)"].contains(encl["KL(1/(4d)||q)"])
    assert encl["I(d)"].contains(encl["KL(1/d||q)"])


@pytest.mark.parametrize(("answers", "verdict", "bits_used"), [
    ({3: [(-1, 1)], 4: [(-1, 1)]}, "holds", 64),
    ({3: [(-1, 1)], 4: [(-1, -1)]}, "fails", 64),
    ({3: [(-1, -1)] * 3, 4: [(0, 0)] * 3}, "fails", 256),
    ({3: [(0, 1), (-1, 1)], 4: [(-1, 1), (-1, 1)]}, "holds", 128),
    ({3: [(-1, 0), (1, 1)], 4: [(-1, 1), (-1, 1)]}, "holds", 128),
    ({3: [(-1, 0)] * 3, 4: [(-1, 1)] * 3}, "undecided", 256),
    ({3: [(0, 1)] * 3, 4: [(-1, 1)] * 3}, "undecided", 256),
])
def test_decide__the_rule_and_the_precision(monkeypatch, answers, verdict, bits_used):
    precs = []

    def fake(d, ks, tolerance):
        if d == 3:
            precs.append(flint.ctx.prec)
        tails, inside = answers[d][len(precs) - 1]
        return {"ratio": flint.arb(1)}, tails, inside

    monkeypatch.setattr(_footnote_5, "rate_enclosures", fake)
    old = flint.ctx.prec
    got, out, used = _footnote_5._decide([3, 4], {"3": KS, "4": KS}, F(1, 20), 256)
    assert (got, used) == (verdict, bits_used)
    assert precs == [64 * 2**i for i in range(len(precs))]
    assert precs[-1] == bits_used
    assert flint.ctx.prec == old
    names = {-1: "lower (1/(4d))", 1: "upper (1/d)", 0: "undecided"}
    assert out == {str(d): {"ratio": "1.0000000000000000000",
                            "smaller_tail": names[answers[d][len(precs) - 1][0]]}
                   for d in (3, 4)}


def test_decide__restores_the_precision_after_an_error(monkeypatch):
    def broken(d, ks, tolerance):
        flint.ctx.prec = 999
        raise RuntimeError("x")

    monkeypatch.setattr(_footnote_5, "rate_enclosures", broken)
    old = flint.ctx.prec
    with pytest.raises(RuntimeError):
        _footnote_5._decide([3], {"3": KS}, F(1, 20), 256)
    assert flint.ctx.prec == old


@pytest.mark.parametrize(("args", "why"), [
    (([], {}, "1/20"), "d_values must be a non-empty list"),
    (((3,), {"3": KS}, "1/20"), "d_values must be a non-empty list"),
    (([2], {"2": KS}, "1/20"), "d_values must be an integer >= 3, got 2"),
    (([3], {"4": KS}, "1/20"), "ks must map each d (as text) to its k values"),
    (([3], {"3": KS, "4": KS}, "1/20"), "ks must map each d (as text) to its k values"),
    (([3], [KS], "1/20"), "ks must map each d (as text) to its k values"),
    (([3], {"3": [1, 2, 3, 0]}, "1/20"), "ks must be an integer >= 1, got 0"),
    (([3], {"3": [1, 2, 3, 3]}, "1/20"), "ks: at least 4 distinct k per d"),
    (([3, 4], {"3": KS, "4": KS[:3]}, "1/20"), "ks: at least 4 distinct k per d"),
    (([3], {"3": KS}, "0"), "tolerance must be > 0, got '0'"),
    (([3], {"3": KS}, -0.5), "tolerance must be > 0, got -0.5"),
])
def test_inputs__refusals(args, why):
    with pytest.raises(ValueError) as info:
        _footnote_5._inputs(*args)
    assert str(info.value) == why


def test_inputs__normalised():
    assert _footnote_5._inputs([np.int64(4), 3], {"3": [1, 2, 3, 4], "4": KS}, 0.25) == (
        [4, 3], {"4": KS, "3": [1, 2, 3, 4]}, F(1, 4))
    assert _footnote_5._inputs([3], {"3": [4, 3, 2, 1]}, "1/1000")[2] == F(1, 1000)


def test_footnote_5_rate__the_certificate(model):
    model["factor"] = 1.01
    cert = certify.footnote_5_rate([3, 5], {"3": KS, "5": KS}, "1/20")
    assert {k: v for k, v in cert.items() if k not in ("inequality", "enclosure")} == {
        "format": certify.FORMAT, "kind": "footnote_5_rate", "claim": "Footnote 5",
        "inputs": {"d_values": [3, 5], "ks": {"3": KS, "5": KS}, "tolerance": "1/20",
                   "l": "d"}, "verdict": "holds"}
    assert cert["inequality"].startswith("|a(d) / I(d) - 1| <= tolerance for each d: ")
    assert cert["enclosure"]["bits"] == 64
    assert sorted(cert["enclosure"]["by_d"]) == ["3", "5"]
    assert cert["enclosure"]["by_d"]["5"]["smaller_tail"] == "lower (1/(4d))"
    assert float(flint.arb(cert["enclosure"]["by_d"]["5"]["ratio"]).mid()) == \
        pytest.approx(1.01, rel=1e-9)
    model["factor"] = 1.5
    assert certify.footnote_5_rate([5], {"5": KS})["verdict"] == "fails"
    assert certify.footnote_5_rate([5], {"5": KS}, tolerance="3/5")["verdict"] == "holds"
    # a ratio the rule cannot decide at 64 bits, with no more bits allowed: undecided
    model["factor"] = 1.05
    cert = certify.footnote_5_rate([5], {"5": KS}, max_bits=64)
    assert (cert["verdict"], cert["enclosure"]["bits"]) == ("undecided", 64)
