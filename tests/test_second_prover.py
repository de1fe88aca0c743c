"""Tests of :mod:`verify.evidence.second_prover`: Z3 (and arb for constants) re-decide the
proof algebra's steps; agreements, undecided rows and disagreements are all reported."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")
pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")

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


def test_second_opinion__a_real_counterexample_of_an_integer_step_is_redecided_over_integers():
    d = sp.Symbol("d", positive=True)
    # (d - 3)(d - 4) >= 0 holds for every integer d >= 3, not for real d in (3, 4): Z3's real
    # counterexample does not refute it; over the integers Z3 proves it.
    out = nonneg_from((d - 3) * (d - 4), d, 3)
    assert out.status == PROVED
    got = second_opinion(out)
    assert got["agreement"] == AGREE
    assert "integer" in got["text"]
    # an integer step that is false: the counterexample is an integer, re-evaluated exactly
    m = sp.Symbol("m", positive=True)
    bad = nonneg_from(m - m**2 / 3, m, 1)
    assert bad.status == FALSE
    got = second_opinion(bad)
    assert (got["agreement"], got["status"]) == (AGREE, "false")
    assert got["certificate"]["inputs"]["integers"]
    assert second_opinion(dataclasses.replace(bad, status=PROVED))["agreement"] == DISAGREE


def test_second_opinion__2_to_the_d_steps_by_induction():
    from verify.evidence._algebra import exp2_bound

    d = sp.Symbol("d", positive=True)
    good = exp2_bound(2 ** (d - 1) - d, d, 3)  # Appendix B's 2^{d-1} >= d
    got = second_opinion(good)
    assert got["agreement"] == AGREE
    assert "induction" in got["text"]
    assert "certificate" not in got  # the relaxed real attempt decides nothing
    bad = exp2_bound(2**d - d**3, d, 2)  # 2^d >= d^3 fails at d = 2..9
    assert bad.status == FALSE
    got = second_opinion(bad)
    assert (got["agreement"], got["status"]) == (AGREE, "false")
    assert "d = 2" in got["text"]
    assert second_opinion(dataclasses.replace(bad, status=PROVED))["agreement"] == DISAGREE


def test_second_opinion__max_is_given_to_z3_as_if():
    from verify.evidence._algebra import identity

    a = sp.Symbol("alpha", real=True)
    good = identity((sp.Max(a, 0) - sp.Max(-a, 0)).rewrite(sp.Piecewise), a)
    assert second_opinion(good)["text"].startswith("proved by SymPy and Z3")
    wrong = dataclasses.replace(identity((sp.Max(a, 0) + sp.Max(-a, 0)).rewrite(sp.Piecewise),
                                         a), status=PROVED)  # |alpha| != alpha
    assert second_opinion(wrong)["agreement"] == DISAGREE


def test_second_matrices__eq5_recomputed_in_flint_and_a_wrong_construction_fails(monkeypatch):
    from verify.evidence import _second_matrices as sm

    assert sm.eq5_matrices([2, 4, 8])[0]
    assert sm.eq5_shattering([2, 3, 4])[0]
    with pytest.raises(ValueError, match="sizes"):
        sm.eq5_matrices([1])
    with pytest.raises(ValueError, match="ns"):
        sm.eq5_shattering([1])
    # x_I's patterns ignoring I's bits: the points collapse, so no labelling but a constant one
    # is realised
    monkeypatch.setattr(sm, "_point", lambda code: [2 * j for j in range(1, len(code) + 1)]
                        + [sum(code) % 2])
    assert not sm.eq5_shattering([3])[0]
    wrong = Outcome(FALSE, "m", problem={"type": "eq5_matrices", "sizes": [4]})
    assert second_opinion(wrong)["agreement"] == DISAGREE


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
    # every step is re-decided: B.5 by induction, C.6 over the integers, T.1 and T.4 by Z3
    # (T.4's max as If), T.3 and T.5 in flint's exact rational matrices
    assert undecided == set()
    assert {rows[i]["engine"] for i in ("T.3", "T.5")} == {"flint"}


def test_second_opinion__identities_are_given_to_z3_side_by_side():
    from verify.evidence._algebra import identity

    d = sp.Symbol("d", positive=True)
    good = identity((1 - 2 ** (-d + 1)) / 2, sp.Rational(1, 2) - 2 ** (-d))
    assert second_opinion(good)["text"].startswith("proved by SymPy and Z3")
    wrong = dataclasses.replace(identity(x + 1, x + 2), status=PROVED)
    assert second_opinion(wrong)["agreement"] == DISAGREE
