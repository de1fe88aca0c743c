"""Lemma 5.2 at k >= d^3 by the Chernoff/KL tail (verify.claims.lemma_5_2.chernoff): an upper
bound on the exact failure probability, decreasing in k, deciding d = 8..19 at k = d^3 and
nothing at d <= 7; a wrong constant or a KL with a sign error does not pass."""

from __future__ import annotations

import itertools
import math

import pytest

import verify.claims.lemma_5_2.chernoff as chernoff
from verify.claims.lemma_5_2 import exact_failure_probability, shown_range
from verify.claims.lemma_5_2.chernoff import (
    CHERNOFF_DS,
    PART,
    check_chernoff_tail,
    chernoff_tail,
    chernoff_tail_ball,
    kl_divergence,
)
from verify.evidence import Strength, Verdict

flint = pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

# C(d^3) / 4e^{-d}, from the enclosures at 128 bits (rounded); d = 11..14 close the gap between
# the quick scan (d <= 10) and the Bernstein argument (d >= 15)
RATIOS = {8: 0.85794, 11: 0.072866, 12: 0.025352, 13: 0.0076160, 14: 0.0019686, 19: 2.3012e-7}


@pytest.mark.parametrize(("d", "l", "k"), [(5, 5, 125), (5, 5, 1000), (6, 6, 216), (8, 8, 512),
                                           (10, 10, 1000), (11, 11, 1331), (12, 12, 1728),
                                           (6, 4, 1729), (10, 9, 8001), (3, 3, 27)])
def test_chernoff_tail__bounds_the_exact_failure_probability(d, l, k):
    exact = exact_failure_probability(d, l, k)
    assert chernoff_tail(d, l, k) >= exact
    ball = chernoff_tail_ball(d, l, k)
    assert float(ball["tail"].lower()) >= exact


@pytest.mark.parametrize("d", [5, 8, 11, 14, 19])
def test_chernoff_tail__decreases_in_k(d):
    ks = [d**3 // 2, d**3, d**3 + 1, 2 * d**3, 8 * d**3, 100 * d**3]
    tails = [chernoff_tail(d, d, k) for k in ks]
    assert all(a > b for a, b in itertools.pairwise(tails)), tails
    ball = chernoff_tail_ball(d, d, d**3)
    assert ball["kl_lower"] > 0
    assert ball["kl_upper"] > 0


@pytest.mark.parametrize(("d", "ratio"), RATIOS.items())
def test_check_chernoff_tail__holds_at_d_cubed_with_the_pinned_ratio(d, ratio):
    ev = check_chernoff_tail(d)
    assert ev.verdict is Verdict.HOLDS
    assert ev.strength is Strength.COMPUTED
    assert ev.observed == pytest.approx(ratio, rel=1e-4)
    assert ev.slack == pytest.approx(1 - ev.observed)
    assert ev.params == {"d": d, "l": d, "k": d**3,
                         "method": "Chernoff/KL union bound, decreasing in k"}
    assert ev.details["part"] == PART
    assert ev.details["for_every_k_from"] == d**3
    assert "arb" in ev.details["arithmetic"]
    exact = exact_failure_probability(d, d, d**3) / (4 * math.exp(-d))
    assert exact <= ev.observed


@pytest.mark.parametrize("d", [5, 6, 7])
def test_check_chernoff_tail__decides_nothing_where_the_tail_exceeds_the_bound(d):
    ev = check_chernoff_tail(d)
    assert ev.verdict is Verdict.NOT_TESTED
    assert ev.strength is Strength.NOT_TESTED
    assert ev.observed > 1
    assert "decides nothing" in ev.reason
    assert ev.details["for_every_k_from"] is None


def test_check_chernoff_tail__a_wrong_constant_does_not_hold(monkeypatch):
    """At d = 8 the tail is 0.858 x 4e^-d: against 3e^-d (a wrong constant) it is 1.14, and
    the row must not hold."""
    assert check_chernoff_tail(8).verdict is Verdict.HOLDS
    real = chernoff.chernoff_tail_ball

    def three(d, l, k, bits=chernoff.BITS):
        out = real(d, l, k, bits)
        bound = out["bound"] * 3 / 4
        return {**out, "bound": bound, "difference": out["tail"] - bound,
                "ratio": out["tail"] / bound}

    monkeypatch.setattr(chernoff, "chernoff_tail_ball", three)
    assert check_chernoff_tail(8).verdict is Verdict.NOT_TESTED


def test_check_chernoff_tail__a_kl_with_a_sign_error_does_not_hold(monkeypatch):
    """KL(a||q) written a ln(q/a) + (1-a) ln((1-q)/(1-a)) is negative: the tail then grows in k
    and the check must refuse to hold, in balls and in floats."""
    real = chernoff.chernoff_tail_ball

    def flipped(d, l, k, bits=chernoff.BITS):
        out = real(d, l, k, bits)
        lo, hi = -out["kl_lower"], -out["kl_upper"]
        tail = 2 * (-k * lo).exp() + 2 * (-k * hi).exp()
        return {**out, "kl_lower": lo, "kl_upper": hi, "tail": tail,
                "difference": tail - out["bound"], "ratio": tail / out["bound"]}

    monkeypatch.setattr(chernoff, "chernoff_tail_ball", flipped)
    assert check_chernoff_tail(12).verdict is Verdict.NOT_TESTED
    monkeypatch.setattr(chernoff, "chernoff_tail_ball", real)
    monkeypatch.setattr(chernoff, "kl_divergence", lambda a, q: -kl_divergence(a, q))
    monkeypatch.setattr(chernoff, "_flint", lambda: False)
    assert check_chernoff_tail(12).verdict is Verdict.NOT_TESTED


def test_check_chernoff_tail__without_flint_computes_in_floats_and_says_so(monkeypatch):
    monkeypatch.setattr(chernoff, "_flint", lambda: False)
    ev = check_chernoff_tail(11)
    assert ev.verdict is Verdict.HOLDS
    assert "float64" in ev.details["arithmetic"]
    assert ev.observed == pytest.approx(RATIOS[11], rel=1e-4)
    assert check_chernoff_tail(7).verdict is Verdict.NOT_TESTED


def test_kl_divergence__matches_the_definition_and_validates():
    a, q = 0.03, 0.07
    want = a * math.log(a / q) + (1 - a) * math.log((1 - a) / (1 - q))
    assert kl_divergence(a, q) == pytest.approx(want, rel=1e-14)
    assert kl_divergence(q, q) == 0.0
    for bad in (0, 1, -0.1, 1.5, "x"):
        with pytest.raises(ValueError, match="a"):
            kl_divergence(bad, 0.5)
        with pytest.raises(ValueError, match="q"):
            kl_divergence(0.5, bad)


def test_chernoff_tail__validates_its_arguments():
    with pytest.raises(ValueError, match="l"):
        chernoff_tail(6, 3, 100)  # q_3 > 1/6: Eq. 7 fails for large k
    with pytest.raises(ValueError, match="d"):
        chernoff_tail(2, 3, 10)
    with pytest.raises(ValueError, match="k"):
        chernoff_tail(5, 5, 0)
    with pytest.raises(ValueError, match="bits"):
        chernoff_tail_ball(5, 5, 10, bits=4)
    with pytest.raises(ValueError, match="d"):
        check_chernoff_tail(2)


def test_shown_range__the_chernoff_rows_close_d_11_to_14():
    assert tuple(range(11, 20)) == CHERNOFF_DS
    closed = [d for d in CHERNOFF_DS if check_chernoff_tail(d).verdict is Verdict.HOLDS]
    assert closed == list(CHERNOFF_DS)
    assert shown_range(10, closed) == "d >= 5"
    assert shown_range(10, [11, 12]) == "5 <= d <= 12 and d >= 15"
    assert shown_range(10, [12, 13, 14]) == "5 <= d <= 10 and d >= 12"
    assert shown_range(10, [12]) == "5 <= d <= 10 and d = 12 and d >= 15"
    with pytest.raises(ValueError, match="closed"):
        shown_range(10, [2])


def test_large_d__bernstein_exponent_at_d_cubed_is_at_least_d_for_every_real_d_from_20():
    """What backs d >= 20 (check_smallest_k_large_d), re-derived by Z3 over the reals without
    the worst-case substitution: for d >= 20 and 1/(2d) <= q <= 1/(2(d-1)) (q_d lies there),
    d^3 eps^2 >= 2d (q(1-q) + eps/3) for eps = q - 1/(4d) and eps = 1/d - q, i.e. each
    Bernstein exponent at k = d^3 is at least d. From d >= 18 on the lower tail's is not (Z3
    finds a point): the argument needs d >= 19 over the reals, and the row claims 20."""
    z3 = pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")
    d, q = z3.Reals("d q")

    def check(eps, low):
        s = z3.Solver()
        s.set("timeout", 20_000)
        s.add(d >= low, 2 * d * q >= 1, 2 * (d - 1) * q <= 1,
              z3.Not(d**3 * eps**2 >= 2 * d * (q * (1 - q) + eps / 3)))
        return s.check()

    assert check(q - 1 / (4 * d), 20) == z3.unsat
    assert check(1 / d - q, 20) == z3.unsat
    assert check(q - 1 / (4 * d), 18) == z3.sat


def test_certificate__verifies_and_makes_the_row_proved():
    pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")
    from verify import certify
    from verify.evidence.certified import certify_chernoff_tail

    for d in (11, 14, 19):
        ev = certify_chernoff_tail(check_chernoff_tail(d))
        assert ev.strength is Strength.PROVED, ev.details.get("certificate_check")
        cert = ev.details["certificate"]
        assert cert["kind"] == "lemma_5_2_chernoff_tail"
        assert cert["inputs"] == {"d": d, "l": d, "k": d**3}
        assert cert["verdict"] == "holds"
        res = certify.check(cert, name=f"lemma_5_2_chernoff_tail-d{d}-k{d**3}-l{d}.json")
        assert res.ok, res.message
    # a row that decides nothing is left as it is
    assert certify_chernoff_tail(check_chernoff_tail(7)).strength is Strength.NOT_TESTED


def test_certificate__a_changed_digit_or_verdict_or_input_does_not_verify():
    from verify import certify

    cert = certify.lemma_5_2_chernoff_tail(12, 12, 1728)
    assert certify.check(cert).ok
    text = cert["enclosure"]["quantity"]
    i = next(j for j, ch in enumerate(text) if ch.isdigit() and ch != "0")
    changed = text[:i] + str(int(text[i]) % 9 + 1) + text[i + 1:]
    tampered = {**cert, "enclosure": {**cert["enclosure"], "quantity": changed}}
    assert changed != text
    assert not certify.check(tampered).ok
    assert not certify.check({**cert, "bound": [["3", "-12"]]}).ok
    assert not certify.check({**cert, "verdict": "fails"}).ok
    assert not certify.check({**cert, "inputs": {"d": 12, "l": 12, "k": 1729}}).ok


def test_certificate__decides_nothing_where_the_tail_is_above_or_q_is_outside():
    from verify import certify

    low = certify.lemma_5_2_chernoff_tail(7, 7, 343)
    assert low["verdict"] == "undecided"  # 1.72 x 4e^-7 at k = d^3
    assert low["enclosure"]["bits"] == 64  # decided above at once, no precision helps
    assert not certify.check(low).ok
    assert certify.lemma_5_2_chernoff_tail(7, 7, 8 * 343)["verdict"] == "holds"
    outside = certify.lemma_5_2_chernoff_tail(6, 3, 1000)  # q_3 = 3/16 > 1/6
    assert outside["verdict"] == "undecided"
    assert outside["enclosure"]["q_l"] == "3/16"
    with pytest.raises(ValueError, match="l"):
        certify.lemma_5_2_chernoff_tail(5, 6, 10)
    res = certify.check({**certify.lemma_5_2_chernoff_tail(12, 12, 1728),
                         "inputs": {"d": 12, "l": 12, "k": 10**13}})
    assert res.status == "too large to re-check"


@pytest.mark.parametrize("profile", ["quick", "standard", "thorough"])
def test_report_checks__names_d_from_5_at_every_profile_with_proved_chernoff_rows(monkeypatch,
                                                                                   profile):
    """The quick profile scans d <= 10 only: its Chernoff/KL rows close d = 11..14, so the
    range it shows is "d >= 5", as at the standard and thorough profiles."""
    pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")
    import verify.claims.lemma_5_2 as lemma

    shown: list[str] = []
    for name in ("check_lemma_5_2_exact", "certify_lemma_5_2", "check_lemma_5_2",
                 "check_lucky_probability", "check_smallest_k_large_d", "certify_smallest_k",
                 "certify_per_filter", "check_lucky_probability_exact"):
        monkeypatch.setattr(lemma, name, lambda *a, **k: None)
    monkeypatch.setattr(lemma, "check_smallest_k", lambda d, shown_=shown, **k:
                        shown_.append(k["shown"]))
    out = lemma.report_checks(profile, 0)
    assert set(shown) == {"d >= 5"}
    rows = [e for e in out if e is not None and e.details.get("part") == PART]
    assert [e.params["d"] for e in rows] == list(CHERNOFF_DS)
    assert all(e.strength is Strength.PROVED and e.verdict is Verdict.HOLDS for e in rows)
    last = out[-1]
    assert last.params["d"] == ">= 20"
    assert last.strength is Strength.PROVED
    assert last.details["certificate"]["kind"] == "algebra_step"


def test_check_smallest_k_from_20__holds_and_its_z3_step_makes_it_proved():
    pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")
    from verify.claims.lemma_5_2.smallest_k import BERNSTEIN_STEP, check_smallest_k_from_20
    from verify.evidence.certified import certify_algebra_row

    ev = check_smallest_k_from_20()
    assert ev.verdict is Verdict.HOLDS
    assert ev.observed == pytest.approx(1 + 28 / 1112)
    assert ev.slack == pytest.approx(28 / 1112)
    assert ev.details["sympy"]["certified_from"] == 20
    proved = certify_algebra_row(ev)
    assert proved.strength is Strength.PROVED, proved.details.get("certificate_check")
    assert proved.details["certificate"]["id"] == BERNSTEIN_STEP["id"]


def test_check_smallest_k_from_20__a_step_from_d_19_is_refuted_and_not_proved():
    """Z3 finds a point (d, q, e) with d >= 19 where the exponent is below d: a row stating
    that step is not made proved."""
    pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")
    import dataclasses

    from verify.claims.lemma_5_2.smallest_k import BERNSTEIN_STEP, check_smallest_k_from_20
    from verify.evidence.certified import certify_algebra_row

    ev = check_smallest_k_from_20()
    step = {**BERNSTEIN_STEP, "assumptions": [["d", ">=", "19"],
                                              *BERNSTEIN_STEP["assumptions"][1:]]}
    del step["id"]  # a step of its own: decided, and refuted
    wrong = certify_algebra_row(dataclasses.replace(ev, details={**ev.details,
                                                                 "algebra_step": step}))
    assert wrong.strength is not Strength.PROVED
    assert "fails" in wrong.details["certificate_check"]
    # under the paper step's id, it is not verify.certify's statement of that step
    step["id"] = BERNSTEIN_STEP["id"]
    named = certify_algebra_row(dataclasses.replace(ev, details={**ev.details,
                                                                 "algebra_step": step}))
    assert named.strength is not Strength.PROVED
    assert named.details["certificate_check"].startswith(
        "step_id: step lemma-5.2-bernstein-d-ge-20 of the paper has inputs.assumptions = ")


def _prove_in_daemon(conn):
    from verify.claims.lemma_5_2.smallest_k import check_smallest_k_from_20
    from verify.evidence.certified import certify_algebra_row

    conn.send(certify_algebra_row(check_smallest_k_from_20()).strength.value)
    conn.close()


def test_certify_algebra_row__works_in_a_daemonic_worker():
    """The report runs each section in a daemonic worker process, which multiprocessing does
    not let start children: the check isolates Z3 in a plain subprocess all the same."""
    pytest.importorskip("z3", reason="needs the certify extra (z3-solver)")
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_prove_in_daemon, args=(send,), daemon=True)
    worker.start()
    send.close()
    try:
        assert recv.poll(120)
        assert recv.recv() == "proved"
    finally:
        worker.join(10)
        if worker.is_alive():
            worker.kill()
