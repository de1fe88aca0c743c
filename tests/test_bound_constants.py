"""Every bound's constant pinned (issue 18): evidence fed to each checker through its recorder (or
its inputs) just inside and just outside the stated bound gives holds and fails.

Real runs have large slack, so a checker whose constant is changed by any factor (``t eta1/9`` to
``t eta1/8``, ``2 eta1 t`` to ``eta1 t``) would still pass them; here each inequality is fed a
value a relative ``EPS`` from its bound, on each side, with every other part of the claim held far
from its own bound, and the verdict of that part (``details["parts"][name]["verdict"]``) and of
the claim are asserted.
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


# ----------------------------------------------------------------------------- Lemma 5.2


def _constant_counts(plus: int, minus: int):
    def sampler(d: int, l: int, k: int, trials: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        return np.full(trials, plus, dtype=np.int64), np.full(trials, minus, dtype=np.int64)
    return sampler


# (k, count, verdict): d = 3; k/(4d) and k/d are 18 and 72 at k = 216, 18.08 and 72.33 at 217
LEMMA_5_2_COUNTS = [
    (216, 18, Verdict.HOLDS), (216, 17, Verdict.FAILS),
    (216, 72, Verdict.HOLDS), (216, 73, Verdict.FAILS),
    (217, 19, Verdict.HOLDS), (217, 18, Verdict.FAILS),
    (217, 72, Verdict.HOLDS), (217, 73, Verdict.FAILS),
]


@pytest.mark.parametrize(("k", "count", "verdict"), LEMMA_5_2_COUNTS)
@pytest.mark.parametrize("side", ["plus", "minus"])
def test_lemma_5_2_check_lemma_5_2__count_bounds_are_k_over_4d_and_k_over_d(k, count, verdict,
                                                                            side):
    from verify.claims.lemma_5_2 import check_lemma_5_2

    other = 40  # inside [k/(4d), k/d]
    counts = (count, other) if side == "plus" else (other, count)
    ev = check_lemma_5_2(3, 3, k, trials=30, seed=0, sampler=_constant_counts(*counts))
    assert ev.verdict is verdict, ev.summary()
    assert ev.observed == (0.0 if verdict is Verdict.HOLDS else 1.0)
    assert ev.bound == pytest.approx(4 * np.exp(-3), rel=1e-12)
    assert ev.details["claim_test"]["claimed_rate"] == pytest.approx(4 * np.exp(-3), rel=1e-12)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("d", [3, 7])
def test_lemma_5_2_check_lemma_5_2_exact__bound_is_4_exp_minus_d(monkeypatch, side, verdict, d):
    from verify.claims.lemma_5_2 import check_lemma_5_2_exact, exact

    bound = 4 * np.exp(-d)
    monkeypatch.setattr(exact, "exact_failure_probability",
                        lambda d_, l_, k_: bound * (1 - side * EPS))
    ev = check_lemma_5_2_exact(d, d, 8 * d**3)
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == pytest.approx(bound, rel=1e-12)
    assert ev.tolerance == pytest.approx(1e-9 * bound, rel=1e-12)


def test_lemma_5_2_check_lemma_5_2_exact__boundary_within_1e_9_relative(monkeypatch):
    from verify.claims.lemma_5_2 import check_lemma_5_2_exact, exact

    bound = 4 * np.exp(-3)
    for rel, verdict in ((0.9e-9, Verdict.BOUNDARY), (-0.9e-9, Verdict.BOUNDARY),
                         (1.1e-9, Verdict.FAILS), (-1.1e-9, Verdict.HOLDS)):
        monkeypatch.setattr(exact, "exact_failure_probability",
                            lambda d_, l_, k_, rel=rel: bound * (1 + rel))
        assert check_lemma_5_2_exact(3, 3, 216).verdict is verdict, rel


# ----------------------------------------------------------------------------- Eq. 14


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize("m", [50, 100, 400])
def test_event_14_check_event_14_exact__bound_is_4_exp_minus_m_over_36(monkeypatch, side,
                                                                       verdict, m):
    from verify.claims import event_14

    bound = 4 * np.exp(-m / 36)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: bound * (1 - side * EPS))
    ev = event_14.check_event_14_exact(m)
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == pytest.approx(bound, rel=1e-12)
    assert ev.details["hoeffding_bound_2e^(-m/36)"] == pytest.approx(bound / 2, rel=1e-12)
    assert ev.tolerance == pytest.approx(1e-9 * bound, rel=1e-12)


def _labels(positives: int):
    """A sampler whose ``S_1`` (the first ``m_1 = ceil(m/2)`` points) has ``positives`` positive
    labels, every time."""
    def sampler(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        m1 = -(-m // 2)
        y = -np.ones(m)
        y[:positives] = 1.0
        y[m1:] = 1.0
        return np.zeros((m, n), dtype=np.int64), y
    return sampler


# m = 100: m_1 = 50, the event needs 50/3 <= |S_1+| <= 100/3, i.e. 17..33 positives
@pytest.mark.parametrize(("positives", "verdict"), [
    (17, Verdict.HOLDS), (16, Verdict.FAILS), (33, Verdict.HOLDS), (34, Verdict.FAILS)])
def test_event_14_check_event_14__event_is_m1_over_3_on_each_side(positives, verdict):
    from verify.claims import event_14

    ev = event_14.check_event_14(100, trials=30, seed=0, sampler=_labels(positives))
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == pytest.approx(4 * np.exp(-100 / 36), rel=1e-12)
    assert ev.observed == (0.0 if verdict is Verdict.HOLDS else 1.0)


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_event_14_check_event_14__exact_probability_above_the_bound_fails(monkeypatch, side,
                                                                         verdict):
    """The Monte Carlo also fails when the exact law itself exceeds ``4e^{-m/36}``."""
    from verify.claims import event_14

    bound = 4 * np.exp(-100 / 36)
    exact = bound * (1 - side * EPS)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: exact)
    failures = round(exact * 200)
    ev = event_14.check_event_14(100, trials=200, seed=0,
                                 sampler=_fraction_failing(failures, 200))
    assert ev.verdict is verdict, ev.summary()


def _fraction_failing(failures: int, trials: int):
    """A sampler whose first ``failures`` draws (in order) miss the event of Eq. 14."""
    count = {"n": 0}

    def sampler(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        i = count["n"]
        count["n"] += 1
        return _labels(0 if i < failures else 25)(n, l, m, rng)
    return sampler


# ----------------------------------------------------------------------------- Appendix E, Thm 5.1
# One small real run (d = 3, k = 217, T1 = 2: well under a second). Each part's bound is compared
# with the paper's expression, and its relation with the paper's direction: with Part's verdict
# rule (tests/test_verdict_rules.py) that fixes the verdict of every input. Soudry's condition,
# whose bound does not depend on eta2, is also fed eta2 just inside and just outside it.


def _small_setting(T2: int = 3):
    from verify.claims.section_5 import theorem_setting

    return theorem_setting(3, 3, 2, 217, 40, 2, 0, T2=T2)


def test_appendix_e_check_run__bounds_are_the_papers():
    from verify.claims import appendix_e

    s = _small_setting()
    ev = appendix_e.check_setting(s)
    parts = ev.details["parts"]
    d, k, eta1, T1, m2 = s.d, s.k, s.eta1, s.T1, s.m2
    sig2 = ev.details["soudry"]["sigma_max_sq"]
    want = {
        "y z(x).v* > 1 on supp D": (">=", 1.0),
        "||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)": ("<=", 2 * 80**2 * d / (k * eta1**2 * T1**2)),
        "||z(x)||^2 <= 4k eta1^2 T1^2": ("<=", 4 * k * eta1**2 * T1**2),
        "||Z||_F^2 <= 4 m2 k eta1^2 T1^2": ("<=", 4 * m2 * k * eta1**2 * T1**2),
        "4 m2 k eta1^2 T1^2 <= m2/(4k)": ("<=", m2 / (4 * k)),
        "8k <= 2 m2/sigma_max(Z)^2": ("<=", 2 * m2 / sig2),
        "eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)": ("<=", 2 * m2 / sig2),
        "sigma_max(Z)^2 <= ||Z||_F^2": ("<=", ev.details["soudry"]["frobenius_sq"]),
        "L_2(a(t+1)) <= L_2(a(t)) at every step": ("<=", 0.0),
    }
    for name, (relation, bound) in want.items():
        assert parts[name]["relation"] == relation, name
        assert parts[name]["bound"] == pytest.approx(bound, rel=1e-12), name
    assert parts["4 m2 k eta1^2 T1^2 <= m2/(4k)"]["observed"] == pytest.approx(
        4 * m2 * k * eta1**2 * T1**2, rel=1e-12)
    assert parts["8k <= 2 m2/sigma_max(Z)^2"]["observed"] == 8 * k
    assert parts["eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)"]["observed"] == s.eta2
    assert parts["||a_hat||^2 <= ||v*||^2"]["bound"] == pytest.approx(
        parts["||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)"]["observed"], rel=1e-12)
    assert ev.details["lucky_counts"]["k/(4d)"] == k / (4 * d)
    assert ev.details["lucky_counts"]["k/d"] == k / d
    assert ev.details["soudry"]["limit_beta_1/4"] == pytest.approx(8 * m2 / sig2, rel=1e-12)
    assert ev.verdict is Verdict.HOLDS


@pytest.mark.parametrize(("side", "verdict"), SIDES)
def test_appendix_e_check_run__soudry_condition_is_eta2_below_2_m2_over_sigma2(side, verdict):
    from verify.claims import appendix_e

    s = _small_setting(T2=0)
    name = "eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)"
    limit = appendix_e.check_setting(s).details["parts"][name]["bound"]
    ev = appendix_e.check_setting(s.replace(eta2=limit * (1 - side * EPS)))
    assert ev.details["parts"][name]["verdict"] == verdict.value
    assert ev.assumptions["eta2<8k"] is False  # the limit is far above 8k here
    # with T2 = 0 the descent part is at its boundary (no step, no increase)
    assert ev.verdict is (Verdict.BOUNDARY if verdict is Verdict.HOLDS else Verdict.FAILS)


def test_theorem_5_1_check_run__bounds_are_the_papers():
    from verify.claims import theorem_5_1

    s = _small_setting()
    ev = theorem_5_1.check_setting(s)
    parts = ev.details["parts"]
    p2 = ev.details["part_2"]
    name = "||a_hat||^2 max_x ||z(x)||^2 <= 51200 d (the proof's O(d))"
    assert parts[name]["bound"] == 2 * 80**2 * 4 * s.d == 51200 * s.d
    assert parts[name]["relation"] == "<="
    assert parts[name]["observed"] == p2["q_a_hat"]
    assert p2["proof_constant_51200d"] == 51200 * s.d
    assert p2["margin_bound_delta_0.05"] == pytest.approx(
        2 * np.sqrt(p2["q_v_star"] / s.m2) + np.sqrt(2 * np.log(2 / 0.05) / s.m2), rel=1e-12)
    sep = "S_2 separable by z: min_i y_i z_i.a_hat / (||a_hat|| max_i ||z_i||) > 0"
    assert (parts[sep]["relation"], parts[sep]["bound"], parts[sep]["tolerance"]) == (
        ">=", 0.0, 1e-6)
    assert p2["sqrt_d_over_m"] == pytest.approx(np.sqrt(s.d / s.m), rel=1e-12)
    assert ev.verdict is Verdict.HOLDS


@pytest.mark.parametrize(("q", "m2", "delta"), [(4.0, 16, 0.05), (0.0, 1, 0.5), (575.2, 20, 0.01)])
def test_theorem_5_1_margin_bound__is_2_sqrt_q_over_m2_plus_sqrt_2_log_2_over_delta_over_m2(
        q, m2, delta):
    from verify.claims.theorem_5_1 import DELTA, margin_bound

    assert DELTA == 0.05
    want = 2 * np.sqrt(q / m2) + np.sqrt(2 * np.log(2 / delta) / m2)
    assert margin_bound(q, m2, delta) == pytest.approx(want, rel=1e-14)
    assert margin_bound(q, m2) == margin_bound(q, m2, 0.05)


# ------------------------------------------------------------------------ Theorem 4.2, Prop. 6.1


@pytest.mark.parametrize(
    ("n", "l", "d", "verdict"),
    [
        # n = 3, l = 4: VCdim = 6, between 2^(7/2-1) = 5.66 and 2^(8/2-1) = 8
        (3, 4, 7, Verdict.HOLDS),
        (3, 4, 8, Verdict.FAILS),
        (3, 4, 6, Verdict.HOLDS),
        # n = 2, l = 3, d = 4: VCdim = 2 = 2^(4/2-1), exactly at the bound
        (2, 3, 4, Verdict.BOUNDARY),
        (3, 3, 6, Verdict.FAILS),  # VCdim = 2 < 4
    ],
)
def test_theorem_4_2_check_vc_dimension__bound_is_2_to_the_d_over_2_minus_1(n, l, d, verdict):
    from verify.claims.theorem_4_2 import check_vc_dimension

    ev = check_vc_dimension(n, l, d=d, labellings=1)
    assert ev.verdict is verdict, ev.summary()
    assert ev.bound == 2.0 ** (d / 2 - 1)
    assert ev.details["parts"]["VCdim(H_CNN(X)) >= 2^(d/2-1)"]["relation"] == ">="


@pytest.mark.parametrize(("side", "verdict"), SIDES)
@pytest.mark.parametrize(("n", "l"), [(2, 3), (3, 4)])
def test_proposition_6_1_check_proposition__bound_is_n(side, verdict, n, l):
    """``w`` is the QP's solution scaled so that ``||w||^2`` is just above or below ``n`` (it is
    then infeasible, margin < 1, as the proposition says it must be: the claim fails)."""
    from verify.claims.proposition_6_1 import check_proposition
    from verify.claims.proposition_6_1.certificate import closed_form

    base = check_proposition(n, l)
    part = base.details["parts"]["||w_hat||^2 >= n (QP on supp D)"]
    assert (part["bound"], part["relation"]) == (n, ">=")
    assert part["observed"] == pytest.approx(2 * n, rel=1e-9)  # the exact optimum is 2n
    w = np.array([float(v) for v in closed_form(n, l).w])
    w = w * np.sqrt(n * (1 + side * EPS) / float(w @ w))
    ev = check_proposition(n, l, w=w)
    part = ev.details["parts"]["||w_hat||^2 >= n (QP on supp D)"]
    assert part["verdict"] == verdict.value
    assert ev.verdict is Verdict.FAILS  # ||w||^2 < 2n: not a separator with margin 1



def test_event_14_check_event_14__exact_probability_at_the_bound_holds(monkeypatch):
    from verify.claims import event_14

    bound = 4 * np.exp(-100 / 36)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: bound)
    ev = event_14.check_event_14(100, trials=200, seed=0,
                                 sampler=_fraction_failing(round(bound * 200), 200))
    assert ev.verdict is Verdict.HOLDS, ev.summary()


def test_event_14_check_event_14_exact__a_failure_says_exact_above_bound(monkeypatch):
    from verify.claims import event_14

    bound = 4 * np.exp(-100 / 36)
    monkeypatch.setattr(event_14, "exact_failure_probability", lambda m_: 2 * bound)
    ev = event_14.check_event_14_exact(100)
    assert ev.reason == f"exact {2 * bound:.4g} > {bound:.4g}"
    assert ev.details["exact_over_claimed"] == pytest.approx(2.0)


@pytest.mark.parametrize("m", range(1, 25))
def test_event_14_exact_failure_probability__equals_enumeration(m):
    from verify.claims import event_14

    assert event_14.exact_failure_probability(m) == pytest.approx(
        event_14.exact_failure_probability_by_enumeration(m), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("trials", [1, 999, 1000, 1001, 2500])
def test_event_14_event_14_failures__one_fresh_draw_per_trial(trials):
    """Every trial draws once, from its own part of the stream: no chunk replays another."""
    from verify.claims import event_14

    draws: list[float] = []

    def sampler(n: int, l: int, m: int, rng: np.random.Generator):
        draws.append(float(rng.random()))
        return _labels(20)(n, l, m, rng)

    assert event_14.event_14_failures(60, trials, 0, sampler=sampler) == 0
    assert len(draws) == trials
    assert len(set(draws)) == trials
