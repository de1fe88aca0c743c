"""Tests of :mod:`verify.certify`: certificates re-checked from their inputs alone."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

from tests.certificates_tamper import tampered
from verify import certify
from verify.certify import _arith
from verify.claims import event_14
from verify.claims.lemma_5_2 import exact
from verify.claims.lemma_5_2.smallest_k import bernstein_horizon

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("d", "l", "k"), [(3, 3, 27), (3, 3, 216), (5, 3, 1000), (6, 4, 1729),
                                           (4, 4, 3), (10, 10, 8000)])
def test_eq7_hold_probability__agrees_with_the_checkers_float_sum(d, l, k):
    got = float(1 - _arith.eq7_hold_probability(d, l, k))
    assert got == pytest.approx(exact.exact_failure_probability(d, l, k), rel=1e-9, abs=1e-300)


def test_eq7_hold_probability__equals_brute_force_multinomial():
    d, l, k = 3, 4, 40
    q = _arith.lucky_probability(l)
    lo, hi = _arith.eq7_counts(d, k)
    from math import factorial
    brute = sum(Fraction(factorial(k), factorial(x) * factorial(y) * factorial(k - x - y))
                * q**x * q**y * (1 - 2 * q) ** (k - x - y)
                for x in range(lo, hi + 1) for y in range(lo, hi + 1) if x + y <= k)
    assert _arith.eq7_hold_probability(d, l, k) == brute


def test_eq7_failure_ball__contains_the_exact_rational_and_is_tight():
    """The ball twin (linear in k) against the exact rational (quadratic in k's bits), on every
    (d, l) with 3 <= l <= d <= 6 and small k (window cases: empty, hi < 2 lo, hi >= s), and at
    the report's corners; a ball that misses the exact value, or is too wide to decide
    anything, fails."""
    from flint import arb, ctx, fmpq

    old = ctx.prec
    try:
        cases = [(d, l, k) for d in range(3, 7) for l in range(3, d + 1)
                 for k in (*range(1, 41), 100, 217, 1001)]
        cases += [(5, 3, 1000), (6, 4, 1729), (8, 5, 4000), (10, 10, 8000)]
        for d, l, k in cases:
            ctx.prec = 64
            ball = _arith.eq7_failure_ball(d, l, k)
            exact_value = 1 - _arith.eq7_hold_probability(d, l, k)
            ctx.prec = 512
            assert ball.contains(arb(fmpq(exact_value.numerator, exact_value.denominator))), (
                d, l, k, ball, float(exact_value))
            assert ball.rad() < 1e-12, (d, l, k, ball)
    finally:
        ctx.prec = old


def test_half_binomial_cdf__contains_the_exact_value_below_and_above_the_median():
    """G(s, m) = P(Bin(s, 1/2) <= m), summed down from m with the rest bounded: against the
    exact rational at every m of a few s, including the truncated ones (s = 400)."""
    from flint import arb, ctx, fmpq

    old = ctx.prec
    try:
        for s in (0, 1, 2, 7, 40, 400):
            for m in range(-1, s + 2):
                ctx.prec = 64
                ball = _arith._half_binomial_cdf(s, m)
                exact = Fraction(sum(math.comb(s, j) for j in range(max(m + 1, 0))), 2**s)
                ctx.prec = 512
                assert ball.contains(arb(fmpq(exact.numerator, exact.denominator))), (s, m)
                assert ball.rad() < 1e-15, (s, m, ball)
    finally:
        ctx.prec = old


def test_eq7_window__truncates_and_bounds_the_rest_by_at_least_the_omitted_mass():
    """At (d, l, k) = (5, 5, 5000) the window of s is strictly inside [2 lo, min(2 hi, k)] on
    both sides; the bound of what is left out is at least the exact omitted mass of P(S = s),
    and the truncated ball contains the exact failure probability."""
    from flint import arb, ctx, fmpq

    d, l, k = 5, 5, 5000
    q = _arith.lucky_probability(l)
    a, D = q.numerator, q.denominator
    b = D - 2 * a
    lo, hi = _arith.eq7_counts(d, k)
    s_lo, s_hi = 2 * lo, min(2 * hi, k)
    old = ctx.prec
    try:
        ctx.prec = 64
        s_a, s_b = _arith._s_window(k, a, D, s_lo, s_hi)
        assert s_lo < s_a < s_b < s_hi
        outside = [*range(s_lo, s_a), *range(s_b + 1, s_hi + 1)]
        omitted = Fraction(sum(math.comb(k, s) * (2 * a) ** s * b ** (k - s) for s in outside),
                           D**k)
        first = _arith._start_term(k, s_a, a, b, D)
        last = _arith._start_term(k, s_b, a, b, D)
        bound = _arith._outside_bound(first, last, k, a, b, s_a, s_b, s_lo, s_hi)
        ctx.prec = 512
        exact = arb(fmpq(omitted.numerator, omitted.denominator))
        assert bound > exact or bound.overlaps(exact), (bound, float(omitted))
        assert bound < 2.0**-90  # negligible at 64 bits, as the window is meant to make it
        ctx.prec = 64
        failure = _arith.eq7_failure_ball(d, l, k)
        want = 1 - _arith.eq7_hold_probability(d, l, k)
        ctx.prec = 512
        assert failure.contains(arb(fmpq(want.numerator, want.denominator)))
        # a window that does not straddle the mode has no geometric bound
        with pytest.raises(ValueError, match="is not below the mode"):
            _arith._outside_bound(first, last, k, a, b, s_b, s_b, s_lo, s_hi)
        with pytest.raises(ValueError, match="is not above the mode"):
            _arith._outside_bound(first, last, k, a, b, s_lo, s_a, s_lo, s_hi)
    finally:
        ctx.prec = old


def test_eq7_failure_ball__a_narrow_window_or_an_early_stop_still_encloses_the_exact_value(
        monkeypatch):
    """What is left out is added as [0, bound], not dropped: with a window of 11 values of s
    around the mode, or sums of G stopped at 2^-14, the ball is wide and still contains the
    exact failure probability (a dropped bound would exclude it)."""
    from flint import arb, ctx, fmpq

    cases = [(5, 5, 5000), (6, 4, 1729), (5, 3, 1000)]
    exact = {c: 1 - _arith.eq7_hold_probability(*c) for c in cases}
    old = ctx.prec

    def narrow(k, a, D, s_lo, s_hi):
        mode = min(max((k + 1) * 2 * a // D, s_lo), s_hi)
        return max(s_lo, mode - 5), min(s_hi, mode + 5)

    try:
        for patch in (("_s_window", narrow), ("GUARD", -50)):
            with monkeypatch.context() as m:
                m.setattr(_arith, *patch)
                for case in cases:
                    ctx.prec = 64
                    ball = _arith._eq7_failure_ball(*case)
                    ctx.prec = 512
                    want = exact[case]
                    assert ball.contains(arb(fmpq(want.numerator, want.denominator))), (
                        patch[0], case, ball, float(want))
        ctx.prec = 64
        monkeypatch.setattr(_arith, "_s_window", narrow)
        assert _arith._eq7_failure_ball(5, 5, 5000).rad() > 1e-6  # the bound is there
    finally:
        ctx.prec = old


@pytest.mark.parametrize(("d", "l", "k"), [(10, 10, 80_000), (10, 3, 80_000), (10, 6, 80_001),
                                           (18, 18, 800 * 18**3 + 1), (6, 4, 17_280)])
def test_eq7_failure_ball__the_windowed_sum_agrees_with_the_full_sum(d, l, k):
    """The windowed ball and the full sum (every s) enclose the same number: they overlap, and
    the windowed one is no wider than the full one plus 2^-60."""
    from flint import ctx

    old = ctx.prec
    try:
        ctx.prec = 64
        fast = _arith._eq7_failure_ball(d, l, k)
        full = _arith.eq7_failure_ball_full(d, l, k)
        assert fast.overlaps(full), (fast, full)
        assert fast.rad() <= full.rad() + 2.0**-60, (fast, full)
    finally:
        ctx.prec = old


def test_lemma_certificate__large_k_is_fast_enough_to_certify():
    """d = 12, k = 80 d^3 (the standard profile's largest exact row): the certificate decides
    (the exact rational took minutes there; the ball takes milliseconds) and re-checks."""
    cert = certify.lemma_5_2_failure_probability(12, 12, 80 * 12**3)
    assert cert["verdict"] == "holds"
    assert certify.check(json.loads(certify.dumps(cert))).ok


@pytest.mark.parametrize("m", [1, 2, 3, 50, 99, 100, 400])
def test_eq14_failure_probability__agrees_with_the_checker(m):
    got = float(_arith.eq14_failure_probability(m))
    assert got == pytest.approx(event_14.exact_failure_probability(m), rel=1e-9)


def test_compare_exp__too_close_is_undecided_at_the_limit():
    # e^{-1} against a rational 1e-30 away from it: undecided at 64 bits, decided at more.
    from flint import arb, ctx
    ctx.prec = 300
    near = Fraction(str(arb(-1).exp().mid().str(40, radius=False)))
    ctx.prec = 53
    assert _arith.compare_exp(near, [(Fraction(1), Fraction(-1))], max_bits=64).sign == 0
    decided = _arith.compare_exp(near, [(Fraction(1), Fraction(-1))], max_bits=4096)
    assert decided.sign != 0
    assert decided.bits > 64


def _certs():
    return [certify.lemma_5_2_failure_probability(5, 3, 1000),
            certify.lemma_5_2_failure_probability(3, 3, 216),
            certify.event_14_probability(100),
            certify.smallest_k(3, 3, 29, bernstein_horizon(3, 3)),
            certify.algebra_step("x^2 + 1 > 0", ["x"], [], ["x**2 + 1", ">", "0"]),
            certify.algebra_step("x^2 >= x for x >= 0", ["x"], [["x", ">=", "0"]],
                                 ["x**2", ">=", "x"])]


def test_check__valid_certificates_verify():
    certs = _certs()
    assert [c["verdict"] for c in certs] == ["fails", "holds", "holds", "holds", "holds", "fails"]
    for c in certs:
        res = certify.check(json.loads(certify.dumps(c)))
        assert res.ok, (c, res)


def test_smallest_k__wrong_k_star_does_not_verify():
    h = bernstein_horizon(3, 3)
    for k_star in (28, 30):
        assert not certify.check(certify.smallest_k(3, 3, k_star, h)).ok


@pytest.mark.parametrize(("index", "path", "new"), [
    (0, ("inputs", "k"), 1001),           # one digit of an input
    (0, ("inputs", "l"), 4),
    (0, ("bound", 0, 0), "5"),            # one bound
    (0, ("bound", 0, 1), "-6"),
    (0, ("verdict",), "holds"),
    (0, ("enclosure", "quantity"), "[0.2820029828435315182 +/- 7.40e-20]"),
    (1, ("inputs", "d"), 4),
    (2, ("inputs", "m"), 10),
    (2, ("bound", 0, 1), "-25/8"),
    (3, ("inputs", "k_star"), 28),
    (3, ("bound", 0, 0), "3"),
    (4, ("inputs", "goal", 2), "2"),
    (5, ("witness", "x"), "2"),
])
def test_check__a_tampered_certificate_fails(index, path, new):
    assert not certify.check(tampered(_certs()[index], path, new)).ok


@pytest.mark.parametrize("missing", ["flint", "z3"])
def test_certify__without_its_extra_is_one_line_and_status_2(tmp_path, missing):
    """A stand-in package that fails to import plays the missing library: the command says so
    in one line (status 2, a usage error: the environment, not a certificate); an import names
    the extra and how to install it."""
    fake = tmp_path / "fake" / missing
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(f"raise ImportError('not installed', name={missing!r})\n")
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path / "fake"), str(ROOT)]),
           "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-m", "verify.certify", "check", "x.json"],
                         cwd=tmp_path, capture_output=True, text=True, check=False, env=env)
    assert res.returncode == 2, res.stderr
    assert res.stderr == (f"verify.certify: error: needs the 'certify' extra: {missing} is not "
                          f"installed (pip install 'verify[certify]')\n")
    res = subprocess.run([sys.executable, "-c", "import verify.certify"], cwd=tmp_path,
                         capture_output=True, text=True, check=False, env=env)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines()[-1] == (
        f"ImportError: needs the 'certify' extra: {missing} is not installed "
        f"(pip install 'verify[certify]')")
    # the report and the other commands do not need it
    res = subprocess.run([sys.executable, "-c", "import verify.evidence.certified as c; "
                          "assert not c.available()"], cwd=tmp_path, capture_output=True,
                         text=True, check=False, env=env)
    assert res.returncode == 0, res.stderr


def test_certify__imports_none_of_the_checkers(tmp_path):
    f = tmp_path / "lemma_5_2_failure_probability-d5-k1000-l3.json"
    f.write_text(certify.dumps(certify.lemma_5_2_failure_probability(5, 3, 1000)))
    code = (f"import sys, runpy; sys.argv = ['verify.certify', 'check', {str(f)!r}]\n"
            "try:\n    runpy.run_module('verify.certify', run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "bad = sorted(m for m in sys.modules if m.startswith('verify') and m not in "
            "('verify', 'verify._cli') and not m.startswith('verify.certify'))\n"
            "assert not bad, bad\n"
            "assert not any(m in sys.modules for m in ('numpy', 'scipy', 'sympy')), 'heavy'\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=False,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("bad", [{"d": 2, "l": 3, "k": 5}, {"d": 5, "l": 6, "k": 5},
                                 {"d": 5, "l": 3, "k": 0}, {"d": 5, "l": 3, "k": True}])
def test_lemma_certificate__bad_inputs_raise_value_error_naming_them(bad):
    with pytest.raises(ValueError, match=r"^(d|l|k) "):
        certify.lemma_5_2_failure_probability(**bad)


def _kkt():
    from verify.claims.proposition_6_1 import closed_form

    cf = closed_form(3, 5, 6)
    return certify.proposition_6_1_kkt(3, 5, 6, [str(v) for v in cf.w], str(cf.multipliers[0]))


def test_proposition_6_1_kkt__the_closed_form_verifies():
    cert = _kkt()
    assert cert["verdict"] == "holds"
    assert cert["enclosure"]["optimum"] == "6"
    assert certify.check(json.loads(certify.dumps(cert))).ok


@pytest.mark.parametrize(("path", "new"), [
    (("witness", "multiplier"), "1/8"),     # one bound: the duality gap opens
    (("witness", "w", 0), "2"),             # one digit of the witness
    (("inputs", "n"), 4),                   # one input
    (("inputs", "l"), 6),
    (("enclosure", "optimum"), "7"),
])
def test_proposition_6_1_kkt__tampering_fails(path, new):
    assert not certify.check(tampered(_kkt(), path, new)).ok


def test_algebra_step__integer_variables_and_if():
    """Integer variables (a step over the integers) and ``If`` (a case split, e.g. max)."""
    false_over_reals = certify.algebra_step("(m-3)(m-4) >= 0", ["m"], [["m", ">=", "3"]],
                                            ["(m - 3)*(m - 4)", ">=", "0"])
    assert false_over_reals["verdict"] == "fails"
    over_integers = certify.algebra_step("(m-3)(m-4) >= 0", ["m"], [["m", ">=", "3"]],
                                         ["(m - 3)*(m - 4)", ">=", "0"], integers=["m"])
    assert over_integers["verdict"] == "holds"
    assert certify.check(json.loads(certify.dumps(over_integers))).ok
    refuted = certify.algebra_step("m - m^2/3 >= 0", ["m"], [["m", ">=", "1"]],
                                   ["m - m**2/3", ">=", "0"], integers=["m"])
    assert refuted["verdict"] == "fails"
    assert certify.check(refuted).ok
    # a witness that violates the goal too, but is not an integer
    assert not certify.check(tampered(refuted, ("witness", "m"), "7/2")).ok
    relu = certify.algebra_step("max(a,0) - max(-a,0) = a", ["a"], [],
                                ["If(a >= 0, a, 0) - If(-a >= 0, -a, 0)", "==", "a"])
    assert relu["verdict"] == "holds"
    assert certify.check(relu).ok
    with pytest.raises(ValueError, match="integers"):
        certify.algebra_step("x", ["m"], [], ["m", ">=", "0"], integers=["n"])
    with pytest.raises(ValueError, match="If"):
        certify.algebra_step("x", ["a"], [], ["If(a, 1, 0)", ">=", "0"])


def test_atlas_exact_grids__every_cell_is_certified():
    """The Atlas's exact grids (``Lemma 5.2 (exact)``, ``Eq. 14 (exact)``) certify each cell:
    strength proved, the certificate re-checks, and it decides the cell's own verdict."""
    from verify.claims.event_14 import SWEEP as EQ14
    from verify.claims.lemma_5_2.sweep import SWEEP as LEMMA
    from verify.evidence import Strength

    for spec, picks in ((LEMMA[1], (0, 30, -1)), (EQ14[1], (0, 99, -1))):
        regimes = spec.grids["quick"].regimes
        for i in picks:
            ev = spec.evaluate(dict(regimes[i]), 0)
            assert ev.strength == Strength.PROVED, (spec.claim, regimes[i])
            cert = ev.details["certificate"]
            assert certify.check(json.loads(certify.dumps(cert))).ok
            assert cert["verdict"] == ("holds" if ev.holds else "fails")
