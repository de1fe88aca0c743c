"""Tests of :mod:`verify.evidence.second_prover`: Z3 (and arb for constants) re-decide the
proof algebra's steps; agreements, undecided rows and disagreements are all reported."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

pytest.importorskip("flint")
pytest.importorskip("z3")

from verify.claims.proof_algebra import algebra_checks
from verify.evidence._algebra import FALSE, PROVED, Outcome, constant_sign, nonneg, nonneg_from
from verify.evidence.second_prover import AGREE, DISAGREE, UNDECIDED, second_opinion

x, y = sp.symbols("x y", positive=True)
s = sp.Symbol("s", nonnegative=True)


def test_second_opinion__agrees_on_a_proof_and_on_a_counterexample():
    proved = nonneg((x**2 + x * y + 1) / (x + y), positive=[x, y])
    assert proved.status == PROVED
    got = second_opinion(proved)
    assert (got["agreement"], got["engine"]) == (AGREE, "Z3")
    assert got["text"].startswith("proved by SymPy and Z3")
    false = nonneg(x - 2, positive=[x])
    assert false.status == FALSE
    got = second_opinion(false)
    assert got["agreement"] == AGREE
    assert got["text"].startswith("false by SymPy and Z3")


def test_second_opinion__reports_a_disagreement():
    wrong = dataclasses.replace(nonneg(x - 2, positive=[x]), status=PROVED)
    assert second_opinion(wrong)["agreement"] == DISAGREE
    wrong = dataclasses.replace(nonneg(x**2 + 1, positive=[x]), status=FALSE)
    got = second_opinion(wrong)
    assert got["agreement"] == DISAGREE
    assert got["text"].startswith("DISAGREEMENT")


def test_second_opinion__a_real_counterexample_of_an_integer_step_is_undecided():
    d = sp.Symbol("d", positive=True)
    # (d - 3)(d - 4) >= 0 holds for every integer d >= 3, not for real d in (3, 4).
    out = nonneg_from((d - 3) * (d - 4), d, 3)
    assert out.status == PROVED
    assert second_opinion(out)["agreement"] == UNDECIDED


def test_second_opinion__constants_by_arb():
    assert second_opinion(constant_sign(sp.E - 2))["text"].startswith("proved by SymPy and arb")
    assert second_opinion(constant_sign(1 / (1 + sp.sqrt(sp.E)) - sp.Rational(1, 3))
                          )["agreement"] == AGREE
    wrong = dataclasses.replace(constant_sign(sp.E - 2), status=FALSE)
    assert second_opinion(wrong)["agreement"] == DISAGREE


def test_second_opinion__no_problem_is_undecided_and_bad_argument_raises():
    assert second_opinion(Outcome(PROVED, "m"))["agreement"] == UNDECIDED
    with pytest.raises(ValueError, match=r"^outcome"):
        second_opinion("x")


def test_algebra_checks__every_row_has_the_second_verdict_and_none_disagrees():
    rows = {c.id: c.as_dict()["second_prover"] for c in algebra_checks()}
    assert all(r["agreement"] in (AGREE, UNDECIDED) for r in rows.values())
    undecided = {i for i, r in rows.items() if r["agreement"] == UNDECIDED}
    assert undecided == {"B.5", "C.6", "T.1", "T.3", "T.4", "T.5"}


def test_second_opinion__identities_are_given_to_z3_side_by_side():
    from verify.evidence._algebra import identity

    d = sp.Symbol("d", positive=True)
    good = identity((1 - 2 ** (-d + 1)) / 2, sp.Rational(1, 2) - 2 ** (-d))
    assert second_opinion(good)["text"].startswith("proved by SymPy and Z3")
    wrong = dataclasses.replace(identity(x + 1, x + 2), status=PROVED)
    assert second_opinion(wrong)["agreement"] == DISAGREE
