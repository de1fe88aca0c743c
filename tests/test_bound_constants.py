"""Every bound's constant pinned: evidence fed to each checker through its recorder (or
its inputs) just inside and just outside the stated bound gives holds and fails.

Real runs have large slack, so a checker whose constant is changed by any factor (``t eta1/9`` to
``t eta1/8``, ``2 eta1 t`` to ``eta1 t``) would still pass them; here each inequality is fed a
value a relative ``EPS`` from its bound, on each side, with every other part of the claim held far
from its own bound, and the verdict of that part (``details["parts"][name]["verdict"]``) and of
the claim are asserted. This module: the recorders of Section 5 (Lemma 5.3, Corollary 5.4,
Lemma 5.5, Lemmas C.1 and C.2); :mod:`tests.test_bound_constants_events` (Lemma 5.2, Eq. 14) and
:mod:`tests.test_bound_constants_theorems` (Appendix E, Theorems 5.1 and 4.2, Proposition 6.1)
do the same for the others.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from verify.claims import lemma_5_3, lemma_5_5, lemma_c1, lemma_c2
from verify.evidence import Evidence, Verdict

EPS = 1e-6  # relative distance from the bound: far above the checkers' 1e-12 tolerances
SIDES = [(1, Verdict.HOLDS), (-1, Verdict.FAILS)]  # +1: just inside the bound; -1: just outside


def _part(ev: Evidence, name: str) -> dict[str, Any]:
    return ev.details["parts"][name]


def _assert_part(ev: Evidence, name: str, verdict: Verdict) -> None:
    """The named part has ``verdict`` and so has the claim (every other part holds)."""
    assert _part(ev, name)["verdict"] == verdict.value, ev.summary()
    assert ev.verdict is verdict, ev.summary()
    others = {k: p["verdict"] for k, p in ev.details["parts"].items() if k != name}
    assert set(others.values()) <= {"holds"}, others


# ----------------------------------------------------------------------------- Lemma 5.3 / Cor 5.4

ETA1, R, T1 = 0.01, 1e-5, 3


def _lucky(sign: int = 1, *, own: list[float] | None = None, other: list[float] | None = None,
           margin: list[float] | None = None, mismatches: list[int] | None = None,
           samples: bool = True) -> lemma_5_3.LuckyRecorder:
    """A LuckyRecorder holding hand-made per-step worst values (one lucky filter, one sample)."""
    rec = lemma_5_3.LuckyRecorder(sign)
    rec.filters = np.array([0])
    rec.samples = np.array([0]) if samples else np.array([], dtype=int)
    ts = range(T1 + 1)
    own = own if own is not None else [(t + 1) * ETA1 for t in ts]  # far above t eta1/9
    other = other if other is not None else [R / 2] * (T1 + 1)
    margin = margin if margin is not None else [ETA1] * (T1 + 1)
    for t in ts:
        rec.own.add(t, [own[t]])
        rec.other.add(t, [other[t]])
        rec.margin.add(t, [margin[t]] if samples else [])
    rec.mismatches = list(mismatches) if mismatches is not None else [0] * (T1 + 1)
    return rec


def _check_5_3(rec: lemma_5_3.LuckyRecorder, balanced: bool = True) -> Evidence:
    return lemma_5_3.check_recorder(rec, eta1=ETA1, r=R, balanced=balanced)


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("t_star", [1, T1])
def test_lemma_5_3_check_recorder__item_1_is_t_eta1_over_9(sign, side, verdict, t_star):
    own = [(t + 1) * ETA1 for t in range(T1 + 1)]
    own[t_star] = t_star * ETA1 / 9 * (1 + side * EPS)
    ev = _check_5_3(_lucky(sign, own=own))
    o = "o1" if sign == 1 else "o2"
    _assert_part(ev, f"{o}.w_i^(t) >= t eta1/9", verdict)
    assert ev.claim == ("Lemma 5.3" if sign == 1 else "Corollary 5.4")
    assert _part(ev, f"{o}.w_i^(t) >= t eta1/9")["bound"] == pytest.approx(t_star * ETA1 / 9)


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_5_3_check_recorder__item_2_is_r(sign, side, verdict):
    other = [R / 2] * (T1 + 1)
    other[2] = R * (1 - side * EPS)
    ev = _check_5_3(_lucky(sign, other=other))
    _assert_part(ev, "o_j.w_i^(t) <= r (j != own)", verdict)
    assert _part(ev, "o_j.w_i^(t) <= r (j != own)")["slack_in_units_of_r"] == pytest.approx(
        side * EPS)


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_5_3_check_recorder__item_3_margin_is_zero(sign, side, verdict):
    margin = [ETA1] * (T1 + 1)
    margin[1] = side * EPS * ETA1
    ev = _check_5_3(_lucky(sign, margin=margin))
    o = "o1" if sign == 1 else "o2"
    _assert_part(ev, f"p_i^(t)(x) = {o} on S1 (detection margin >= 0)", verdict)


@pytest.mark.parametrize("sign", [1, -1])
def test_lemma_5_3_check_recorder__one_mismatched_pair_fails_item_3(sign):
    ev = _check_5_3(_lucky(sign, mismatches=[0, 0, 1, 0]))
    o = "o1" if sign == 1 else "o2"
    name = f"p_i^(t)(x) = {o} on S1 (detection margin >= 0)"
    _assert_part(ev, name, Verdict.FAILS)
    assert _part(ev, name)["mismatched_pairs_total"] == 1
    ev = _check_5_3(_lucky(sign, mismatches=[0, 0, 0, 0]))
    assert _part(ev, name)["mismatched_pairs_total"] == 0
    assert ev.verdict is Verdict.HOLDS


def test_lemma_5_3_check_recorder__no_samples_drops_item_3():
    ev = _check_5_3(_lucky(samples=False))
    assert ev.verdict is Verdict.HOLDS
    assert len(ev.details["parts"]) == 2


@pytest.mark.parametrize("sign", [1, -1])
def test_lemma_5_3_check_recorder__not_applicable_off_eq_14_even_when_it_fails(sign):
    own = [0.0, -ETA1, 0.0, 0.0]
    ev = _check_5_3(_lucky(sign, own=own), balanced=False)
    assert ev.verdict is Verdict.NOT_APPLICABLE
    assert "Eq. 14" in ev.reason
    assert _check_5_3(_lucky(sign, own=own), balanced=True).verdict is Verdict.FAILS


# ----------------------------------------------------------------------------- Lemma 5.5


def _responses(values: list[float], *,
               dense_gap: float | None = None) -> lemma_5_5.ResponseRecorder:
    rec = lemma_5_5.ResponseRecorder(2, 3)
    for t, v in enumerate(values):
        rec.best.add(t, [v])
    if dense_gap is not None:
        rec.dense_max = [1.0] * len(values)
        rec.dense_gap = [0.0] * (len(values) - 1) + [dense_gap]
    return rec


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("t_star", [1, 2, T1])
def test_lemma_5_5_check_recorder__bound_is_2_eta1_t(side, verdict, t_star):
    vals = [0.5 * ETA1 * t for t in range(T1 + 1)]
    vals[0] = 5 * ETA1  # t = 0 is not part of the claim (1 <= t <= T1)
    vals[t_star] = 2 * ETA1 * t_star * (1 - side * EPS)
    ev = lemma_5_5.check_recorder(_responses(vals), eta1=ETA1)
    _assert_part(ev, "x[j].w_i^(t) <= 2 eta1 t", verdict)
    assert ev.bound == pytest.approx(2 * ETA1 * t_star)
    assert ev.details["t0_max_response_over_eta1"] == pytest.approx(5.0)


def test_lemma_5_5_check_recorder__t1_zero_is_not_applicable():
    ev = lemma_5_5.check_recorder(_responses([9.0]), eta1=ETA1)
    assert ev.verdict is Verdict.NOT_APPLICABLE


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_5_5_check_recorder__dense_agreement_tolerance(side, verdict):
    tol = lemma_5_5.DENSE_AGREEMENT_TOL * ETA1 * (T1 + 1)
    vals = [0.5 * ETA1 * t for t in range(T1 + 1)]
    ev = lemma_5_5.check_recorder(_responses(vals, dense_gap=tol * (1 - side * EPS)), eta1=ETA1)
    _assert_part(ev, "dense fresh max = pattern max over their patterns", verdict)


def test_lemma_5_5__tolerances_pinned():
    assert lemma_5_5.TOL == 1e-12
    assert lemma_5_5.DENSE_AGREEMENT_TOL == 1e-12
    assert lemma_5_3.TOL == 1e-12
    assert lemma_c1.TOL == 1e-12
    assert lemma_c2.TOL == 1e-12


# ----------------------------------------------------------------------------- Lemma C.1


def _norms(grads: list[float], norms: list[float]) -> lemma_c1.NormRecorder:
    rec = lemma_c1.NormRecorder()
    for t, (g, w) in enumerate(zip(grads, norms, strict=True)):
        rec.grad.add(t, [g])
        rec.norm.add(t, [w])
    return rec


def _c1(grads: list[float] | None = None, norms: list[float] | None = None,
        r: float = R) -> Evidence:
    grads = grads if grads is not None else [0.5] * (T1 + 1)
    norms = norms if norms is not None else [r / 2 + 0.5 * ETA1 * t for t in range(T1 + 1)]
    return lemma_c1.check_recorder(_norms(grads, norms), eta1=ETA1, r=r)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_c1_check_recorder__gradient_bound_is_1(side, verdict):
    grads = [0.5] * (T1 + 1)
    grads[2] = 1 - side * EPS
    _assert_part(_c1(grads=grads), "||dL1/dw_i|| <= 1", verdict)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("t_star", [0, 1, T1])
def test_lemma_c1_check_recorder__norm_bound_is_r_plus_eta1_t(side, verdict, t_star):
    norms = [R / 2 + 0.5 * ETA1 * t for t in range(T1 + 1)]
    norms[t_star] = (R + ETA1 * t_star) * (1 - side * EPS)
    _assert_part(_c1(norms=norms), "||w_i^(t)|| <= r + eta1 t", verdict)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("t_star", [0, T1])
def test_lemma_c1_check_recorder__norm_bound_is_eta1_t_plus_1(side, verdict, t_star):
    """With ``r > eta1`` the middle bound is the looser one, so the last part is pinned alone."""
    r = 1.5 * ETA1
    norms = [0.5 * ETA1 * (t + 1) for t in range(T1 + 1)]
    norms[t_star] = ETA1 * (t_star + 1) * (1 - side * EPS)
    ev = _c1(norms=norms, r=r)
    assert _part(ev, "||w_i^(t)|| <= eta1 (t+1)")["verdict"] == verdict.value
    assert _part(ev, "||w_i^(t)|| <= r + eta1 t")["verdict"] == "holds"
    assert _part(ev, "r + eta1 t <= eta1 (t+1)")["verdict"] == "fails"  # r > eta1
    assert ev.verdict is Verdict.FAILS


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_c1_check_recorder__last_step_needs_r_at_most_eta1(side, verdict):
    r = ETA1 * (1 - side * EPS)
    norms = [r / 2 + 0.5 * ETA1 * t for t in range(T1 + 1)]
    _assert_part(_c1(norms=norms, r=r), "r + eta1 t <= eta1 (t+1)", verdict)


def test_lemma_c1_check_recorder__slack_after_t0_is_reported():
    norms = [R, R + 0.5 * ETA1, R + 1.5 * ETA1, R + 2.25 * ETA1]
    ev = _c1(norms=norms)
    assert _part(ev, "||w_i^(t)|| <= r + eta1 t")["slack_t>=1"] == pytest.approx(0.5)
    assert _part(ev, "||w_i^(t)|| <= r + eta1 t")["verdict"] == "boundary"  # t = 0: ||w|| = r


# ----------------------------------------------------------------------------- Lemma C.2

K = 10


def _outputs(outs: list[float], knorms: list[float]) -> lemma_c2.OutputRecorder:
    rec = lemma_c2.OutputRecorder()
    for t, (o, kn) in enumerate(zip(outs, knorms, strict=True)):
        rec.output.add(t, [o])
        rec.k_norm.add(t, [kn])
    return rec


def _c2(outs: list[float] | None = None, knorms: list[float] | None = None,
        eta1: float = 0.25 / (K * (T1 + 1))) -> Evidence:
    chain = [K * eta1 * (t + 1) for t in range(T1 + 1)]
    knorms = knorms if knorms is not None else [0.9 * c for c in chain]
    outs = outs if outs is not None else [0.5 * kn for kn in knorms]
    return lemma_c2.check_recorder(_outputs(outs, knorms), k=K, eta1=eta1)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_c2_check_recorder__output_bound_is_one_half(side, verdict):
    """The proof's chain ends at ``k eta1 (T1+1) <= 1/2``, so ``|N| > 1/2`` breaks the chain
    too: only the holding side leaves every other part holding."""
    eta1 = 0.5 * (1 - EPS / 4) / (K * (T1 + 1))
    knorms = [0.5 * K * eta1 * (t + 1) for t in range(T1 + 1)]
    outs = [0.5 * kn for kn in knorms]
    outs[T1] = 0.5 * (1 - side * EPS)
    knorms[T1] = 0.5 * (1 - side * EPS / 2)
    ev = _c2(outs=outs, knorms=knorms, eta1=eta1)
    assert _part(ev, "|N(x)| <= 1/2")["verdict"] == verdict.value
    assert ev.verdict is verdict
    assert ev.details["max_abs_N_over_proof_bound"] == pytest.approx(
        outs[T1] / (K * eta1 * (T1 + 1)))
    assert ev.details["stated_bound_over_max_abs_N"] == pytest.approx(0.5 / outs[T1])


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_c2_check_recorder__output_below_k_max_norm(side, verdict):
    knorms = [0.9 * K * 0.025 / (T1 + 1) * (t + 1) for t in range(T1 + 1)]
    outs = [0.5 * kn for kn in knorms]
    outs[1] = knorms[1] * (1 - side * EPS)
    _assert_part(_c2(outs=outs, knorms=knorms, eta1=0.025 / (T1 + 1)),
                 "|N(x)| <= k max_i ||w_i^(t)||", verdict)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("t_star", [0, T1])
def test_lemma_c2_check_recorder__k_max_norm_below_k_eta1_t_plus_1(side, verdict, t_star):
    eta1 = 0.25 / (K * (T1 + 1))
    knorms = [0.5 * K * eta1 * (t + 1) for t in range(T1 + 1)]
    knorms[t_star] = K * eta1 * (t_star + 1) * (1 - side * EPS)
    _assert_part(_c2(knorms=knorms, eta1=eta1), "k max_i ||w_i^(t)|| <= k eta1 (t+1)", verdict)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_lemma_c2_check_recorder__last_step_k_eta1_t1_plus_1_below_one_half(side, verdict):
    eta1 = 0.5 / (K * (T1 + 1)) * (1 - side * EPS)
    knorms = [0.1 * K * eta1 * (t + 1) for t in range(T1 + 1)]
    _assert_part(_c2(knorms=knorms, eta1=eta1), "k eta1 (T1+1) <= 1/2", verdict)
    ev = _c2(knorms=knorms, eta1=eta1)
    assert ev.details["proof_bound_k_eta1_T1p1"] == pytest.approx(K * eta1 * (T1 + 1))
