"""Section 6 and Proposition 6.1 on random (n, l, d, patterns, seed): Section 6's separator has
margin 1, the min-norm separator of the support has ||w_hat||^2 = 2n >= n with a valid exact
certificate, finite samples stay below it; and the checkers reject broken inputs."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import assume, given, target
from hypothesis import strategies as st

from verify.claims.proposition_6_1 import (
    check_proposition,
    check_section_6,
    closed_form,
    flat_support,
    section_6_separator,
    verify_certificate,
)
from verify.evidence import Verdict
from verify.model.distribution import support_size
from verify.model.patterns import standard_patterns

MAX_SUPPORT = 3_000


@st.composite
def regimes(draw):
    """``(n, l, d, patterns, seed)`` with a support of at most ``MAX_SUPPORT`` points."""
    n = draw(st.integers(1, 6))
    l = draw(st.integers(3, 8))
    assume(support_size(n, l) <= MAX_SUPPORT)
    d = l + draw(st.integers(0, 2))
    patterns = draw(st.sampled_from(["standard", "haar"]))
    return n, l, d, patterns, draw(st.integers(0, 2**16))


@given(regimes())
def test_check_proposition__optimum_is_2n_on_every_regime(r):
    n, l, d, patterns, seed = r
    ev = check_proposition(n, l, d=d, patterns=patterns, seed=seed)
    deviation = abs(ev.observed - 2 * n) / (2 * n)
    target(deviation, label="relative distance of the QP optimum from 2n")
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    assert deviation < 1e-7, ev.summary()
    assert ev.slack == pytest.approx(1.0, abs=1e-7)  # ||w_hat||^2 / n - 1


@given(regimes())
def test_check_section_6__margin_is_1_on_every_regime(r):
    n, l, d, patterns, seed = r
    ev = check_section_6(n, l, d=d, patterns=patterns, seed=seed)
    assert ev.holds, ev.summary()
    if patterns == "standard":
        assert ev.verdict == Verdict.HOLDS  # decided exactly
    assert ev.details["correctly_classified"] == support_size(n, l)


@given(regimes(), st.data())
def test_verify_certificate__rejects_every_perturbation(r, data):
    n, l, d, _, _ = r
    X, y = flat_support(n, l, standard_patterns(d, l))
    c = closed_form(n, l, d)
    delta = data.draw(st.fractions(-2, 2, max_denominator=50).filter(lambda f: f != 0))
    w, lam = list(c.w), list(c.multipliers)
    if data.draw(st.booleans(), label="perturb w"):
        i = data.draw(st.integers(0, len(w) - 1))
        w[i] += sympy.Rational(delta.numerator, delta.denominator)
    else:
        s = data.draw(st.integers(0, len(lam) - 1))
        lam[s] += sympy.Rational(delta.numerator, delta.denominator)
    chk = verify_certificate(X.astype(int), y, w, lam)
    assert not chk.valid
    assert not chk.stationary


@given(regimes(), st.floats(0.0, 0.999))
def test_check_proposition__fails_for_every_scaled_down_separator(r, c):
    n, l, d, _, _ = r
    w = c * section_6_separator(n, standard_patterns(d, l))  # infeasible, ||w||^2 = 2n c^2
    ev = check_proposition(n, l, d=d, w=w)
    assert ev.verdict == Verdict.FAILS, ev.summary()


@given(regimes(), st.fractions(Fraction(1, 100), Fraction(99, 100), max_denominator=100))
def test_check_section_6__fails_exactly_for_every_scaled_down_separator(r, c):
    n, l, d, _, _ = r
    w = [c * v for v in closed_form(n, l, d).w]
    ev = check_section_6(n, l, d=d, w=w)
    assert ev.verdict == Verdict.FAILS, ev.summary()
    assert ev.observed == pytest.approx(float(c))


@given(regimes(), st.integers(1, 300))
def test_check_proposition__finite_samples_stay_below_the_optimum(r, m):
    n, l, d, _, seed = r
    ev = check_proposition(n, l, d=d, curve_ms=[m], curve_repeats=2, seed=seed)
    assert ev.verdict == Verdict.HOLDS, ev.summary()
    curve = ev.details["curve"]
    target(max(curve["max"]) / (2 * n), label="||w_m||^2 / 2n")
    assert max(curve["max"]) <= 2 * n * (1 + 1e-8)
