"""Tests of verify.claims.proof_algebra: every check's status is pinned, and the provers can
fail."""

from __future__ import annotations

import pytest
import sympy as sp

from verify.claims.proof_algebra import (
    ERRATUM_KINDS,
    AlgebraCheck,
    algebra_checks,
    constant_sign,
    exp2_bound,
    nonneg_factored,
)
from verify.evidence._algebra import FALSE, PROVED, STATUSES, nonneg

EXPECTED = {
    "B.1": PROVED, "B.2": PROVED, "B.3": PROVED, "B.4": FALSE, "B.5": PROVED, "B.6": PROVED,
    "B.7": PROVED, "B.8": PROVED, "B.9": FALSE,
    "C.1": PROVED, "C.2": PROVED, "C.3": PROVED, "C.4": PROVED, "C.5": PROVED, "C.6": FALSE,
    "C.7": PROVED, "C.8": PROVED, "C.9": PROVED, "C.10": PROVED, "C.11": PROVED,
    "D.1": PROVED,
    "E.1": PROVED, "E.2": PROVED, "E.3": PROVED, "E.4": PROVED, "E.5": PROVED, "E.6": PROVED,
    "E.7": PROVED, "E.8": PROVED, "E.9": PROVED, "E.10": PROVED,
    "S.1": PROVED, "S.2": FALSE, "S.3": PROVED,
    "T.1": PROVED, "T.2": PROVED, "T.3": PROVED, "T.4": PROVED, "T.5": PROVED,
}

d = sp.Symbol("d", positive=True)
P_D = (1 - 2 ** (-d + 1)) / (2 * (d - 1))


@pytest.fixture(scope="module")
def checks() -> dict[str, AlgebraCheck]:
    return {c.id: c for c in algebra_checks()}


def test_algebra_checks__statuses_are_pinned(checks):
    assert {i: c.status for i, c in checks.items()} == EXPECTED


def test_algebra_checks__fields_and_ids(checks):
    ids = [c.id for c in algebra_checks()]
    assert len(ids) == len(set(ids))
    for c in checks.values():
        for field in (c.location, c.statement, c.method):
            assert field.strip(), c.id
        assert c.status in STATUSES
        assert c.kind in ERRATUM_KINDS
        assert set(c.as_dict()) - {"second_prover"} == {"id", "location", "statement", "status",
                                                        "method", "detail", "note"}


def test_algebra_checks__false_checks_say_what_is_true(checks):
    for c in checks.values():
        if c.status == FALSE:
            assert c.method == "exact counterexample"
            assert c.note.strip(), c.id


def test_algebra_checks__smallest_counterexamples(checks):
    assert "k = 27, d = 3" in checks["B.4"].detail  # the sketch's k >= d^3, at d = 3
    assert "P = 1/3, d = 3" in checks["B.9"].detail  # p <= 1/d does not give p + 1/(4d) <= 1/d
    assert "m1 = 4" in checks["C.6"].detail  # Eq. 14 as printed is empty from m1 = 4 on
    # ||v|| = O(sqrt(d/k)) fails at the smallest setting inside the theorem's assumptions.
    assert "eta1 = 1/1728, T1 = 1, k = 216, d = 3" in checks["S.2"].detail


def test_algebra_checks__notes_follow_computed_statuses(checks):
    assert "false as a step (check B.9)" in checks["B.8"].note
    assert "proved for every d >= 3 (check B.8)" in checks["B.9"].note
    assert "1/16" in checks["B.8"].note  # 1/d - p - 1/(4d) at d = 3
    assert "82/45" in checks["E.4"].note  # the margin chain's worst value at T1 = 1
    assert "1800/41" in checks["E.4"].note  # the smallest constant instead of 80
    assert "C/80" in checks["E.1"].note


def test_algebra_checks__deterministic():
    assert [c.as_dict() for c in algebra_checks()] == [c.as_dict() for c in algebra_checks()]


# ----------------------------------------------------------------------------- can fail


def test_exp2_bound__false_bound_is_false():
    out = exp2_bound(P_D - 1 / d, d, 3)  # p >= 1/d is false (p = 3/16 < 1/3 at d = 3)
    assert out.status == FALSE
    assert "d = 3" in out.detail


def test_exp2_bound__true_bound_is_proved():
    assert exp2_bound(2 ** (d - 1) - d, d, 3).status == PROVED


def test_nonneg__weakened_step_size_is_false():
    k, eta1, T1 = sp.symbols("k eta1 T1", positive=True)
    s, u = sp.symbols("s u", nonnegative=True)
    out = nonneg(sp.Rational(1, 8) - k * eta1 * (T1 + 1), positive=[k], nonnegative=[s, u],
                 subs={eta1: 1 / (4 * k * (T1 + 1) + s), T1: u})
    assert out.status == FALSE


def test_nonneg__margin_chain_with_constant_40_is_false():
    k, r, eta1, T1 = sp.symbols("k r eta1 T1", positive=True)
    s, u = sp.symbols("s u", nonnegative=True)
    c = 40 * d / (k * eta1 * T1)
    chain = c * (k / (4 * d)) * (T1 * eta1 / 9) - c * (k / d) * r - 1
    out = nonneg(chain, positive=[k, d, r], nonnegative=[s, u],
                 subs={eta1: 200 * r + s, T1: 1 + u}, strict=True)
    assert out.status == FALSE


def test_constant_sign__false_constant_is_false():
    out = constant_sign(1 / (1 + sp.sqrt(sp.E)) - sp.Rational(2, 5))
    assert out.status == FALSE


def test_nonneg_factored__square_is_proved_and_negative_is_false():
    x = sp.Symbol("x", positive=True)
    assert nonneg_factored((x - 1) ** 2 / (x + 1), positive=(x,)).status == PROVED
    assert nonneg_factored(sp.Rational(1, 5) - x / (1 + x) ** 2, positive=(x,)).status == FALSE


def test_nonneg_factored__near_square_is_false_not_proved():
    x = sp.Symbol("x", positive=True)
    out = nonneg_factored((x - 1) ** 2 - sp.Rational(1, 10**9), positive=(x,))
    assert out.status == FALSE
    assert "x = 1" in out.detail


# ----------------------------------------------------------------------------- validation


def test_exp2_bound__rejects_bad_arguments():
    with pytest.raises(ValueError, match="d must be a SymPy Symbol"):
        exp2_bound(P_D, "d", 3)
    with pytest.raises(ValueError, match="d0 must be >= 1"):
        exp2_bound(P_D, d, 0)
    with pytest.raises(ValueError, match="expr must be a SymPy expression"):
        exp2_bound(object(), d, 3)


def test_constant_sign__rejects_free_symbols():
    with pytest.raises(ValueError, match="expr must be a constant"):
        constant_sign(d - 1)


def test_nonneg_factored__rejects_non_symbols():
    with pytest.raises(ValueError, match="positive must hold SymPy Symbols"):
        nonneg_factored(d, positive=("d",))
