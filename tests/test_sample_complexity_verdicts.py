"""The scaling law's verdict rows on hand-made tables (no kernel runs): a negative exponent
difference is refuted and fails the claim in the report's Summary, never "holds"; Holm over d;
the exponents against the bounds and their tightness; a flat CNN as a finding."""

from __future__ import annotations

import numpy as np
import pytest

from verify.claims.sample_complexity import CLAIM, CLAIM_BOUNDS, CLAIM_LEVEL, DECLARATION
from verify.claims.sample_complexity.law import LEVEL, REPLICATES, TOP, fit_law
from verify.claims.sample_complexity.rules import (
    interval_decision,
    paired_bootstrap_difference,
    sign_test_decision,
    trend_interval,
)
from verify.claims.sample_complexity.verdicts import (
    ALPHA,
    bound_row,
    growth_row,
    level_row,
    part,
)
from verify.evidence import Strength, Verdict
from verify.report.document import claim_summary, is_failure
from verify.report.runner import SectionResult
from verify.rng import seed_sequence


def _table(cnn_b: float, fc_b: float, *, ds=(3, 4, 6, 8), seeds=12, noise=0.2):
    rng = np.random.default_rng(11)
    def draw(c, b):
        return {d: [int(max(2, round(c * d**b * np.exp(z)))) for z in
                    rng.normal(0, noise, seeds)] for d in ds}
    return draw(4.0, cnn_b), draw(2.0, fc_b)


PARAMS = {"seed": 0}


def test_growth_row__a_negative_exponent_difference_is_refuted_not_holds():
    """A CNN whose m_eps grows faster than the SVM's (difference about -1.5): refuted, FAILS."""
    cnn, svm = _table(2.0, 0.5)
    ev = growth_row("SVM", 1, cnn, svm, seed=0, params=PARAMS, reproduce="")
    assert ev.details["decision"]["status"] == "refuted"
    assert ev.verdict == Verdict.FAILS
    assert ev.observed < 0
    assert ev.details["decision"]["effect_interval"][1] < 0
    assert ev.strength == Strength.STATISTICAL
    assert ev.claim == CLAIM


def test_growth_row__the_reports_summary_rejects_a_negative_difference():
    """Through the report's calculus: the claim of a refuted growth row fails, whatever the
    other rows of the section say; a demonstrated one holds."""
    cnn, svm = _table(2.0, 0.5)
    bad = growth_row("SVM", 1, cnn, svm, seed=0, params=PARAMS, reproduce="").as_dict()
    cnn, svm = _table(0.2, 2.0)
    good = growth_row("SVM", 2, cnn, svm, seed=0, params=PARAMS, reproduce="").as_dict()

    def verdict(rows):
        summary = claim_summary(DECLARATION, SectionResult(key=DECLARATION.key, evidence=rows))
        return next(s["verdict"] for s in summary if s["claim"] == CLAIM)

    assert is_failure(verdict([bad, good]))
    assert is_failure(verdict([bad]))
    assert verdict([good]).startswith("holds")


def test_growth_row__demonstrated_undecided_and_the_slack_sign():
    cnn, svm = _table(0.2, 2.0)
    ev = growth_row("SVM", 1, cnn, svm, seed=0, params=PARAMS, reproduce="")
    assert ev.details["decision"]["status"] == "demonstrated"
    assert ev.verdict == Verdict.HOLDS
    assert ev.slack == ev.details["decision"]["effect"] == ev.observed > 0
    assert ev.details["decision"]["effect_interval"][0] > 0
    assert ev.details["part"].startswith("m_eps(FC) / m_eps(CNN) grows")
    # the same growth (noiseless, ratio constant): the interval is the point 0, undecided
    same = {d: [4 * d] * 12 for d in (3, 4, 6, 8)}
    ev = growth_row("SVM", 1, same, {d: [8 * d] * 12 for d in same}, seed=0, params=PARAMS,
                    reproduce="")
    assert ev.details["decision"]["status"] == "undecided"
    assert ev.verdict == Verdict.HOLDS  # judged by its decision: "consistent: not refuted"


def test_level_row__holm_over_d_every_d_or_undecided_or_refuted():
    ds = (3, 4, 5)
    win = {d: [4] * 10 for d in ds}
    lose = {d: [64] * 10 for d in ds}
    ev = level_row("SVM", 1, win, lose, params=PARAMS, reproduce="")
    assert ev.details["decision"]["status"] == "demonstrated"   # 2^-10 <= 0.01/3
    assert ev.claim == CLAIM_LEVEL
    one_tie = {**win, 3: [4] * 9 + [64]}
    ev = level_row("SVM", 1, one_tie, lose, params=PARAMS, reproduce="")
    # p = 11/1024 > 0.01 at d = 3: Holm's last step fails there, the others pass
    assert ev.details["per_d"]["3"]["status"] == "undecided"
    assert ev.details["per_d"]["4"]["status"] == "demonstrated"
    assert ev.details["decision"]["status"] == "undecided"
    assert ev.verdict == Verdict.HOLDS
    worse = {**win, 5: [128] * 10}
    ev = level_row("SVM", 1, worse, lose, params=PARAMS, reproduce="")
    assert ev.details["per_d"]["5"]["status"] == "refuted"
    assert ev.details["decision"]["status"] == "refuted"
    assert ev.verdict == Verdict.FAILS
    # 8 seeds at 5 values of d: every seed won, yet Holm's first step (0.002) is not reached
    ev = level_row("SVM", 1, {d: [4] * 8 for d in range(3, 8)},
                   {d: [64] * 8 for d in range(3, 8)}, params=PARAMS, reproduce="")
    assert ev.details["decision"]["status"] == "undecided"


@pytest.mark.parametrize(("lr", "r", "b", "status", "tight"), [
    ("CNN", 1, 0.5, "demonstrated", "not tight"),
    ("CNN", 1, 1.0, "undecided", "tight"),
    ("CNN", 1, 1.6, "refuted", "exceeded"),
    ("SVM", 1, 2.0, "undecided", "tight"),
    ("SVM", 2, 2.0, "demonstrated", "not tight"),
    ("SVM", 2, 4.5, "refuted", "exceeded"),
])
def test_bound_row__exponent_against_the_bounds(lr, r, b, status, tight):
    ds = (3, 4, 6, 8, 12)
    m = {d: [round(100 * d**b)] * 6 for d in ds}  # noiseless: the interval is the point
    law = fit_law(lr, m, r=r, seed=0)
    ev = bound_row(lr, r, law, params=PARAMS, reproduce="")
    bound = 1.0 if lr == "CNN" else 2.0 * r
    assert ev.bound == bound
    assert ev.details["decision"]["status"] == status
    assert ev.details["tight_in_d"].startswith(tight)
    assert ev.slack == pytest.approx(bound - law["exponent"])
    assert ev.verdict == (Verdict.FAILS if status == "refuted" else Verdict.HOLDS)
    assert ev.claim == CLAIM_BOUNDS
    if lr == "CNN":
        assert "grows with d" in ev.details["flat_in_d"]


def test_bound_row__a_flat_cnn_is_reported_as_a_finding():
    rng = np.random.default_rng(1)
    m = {d: [int(8 * np.exp(z)) for z in rng.normal(0, 0.3, 10)] for d in (3, 4, 5, 6)}
    ev = bound_row("CNN", 1, fit_law("CNN", m, r=1, seed=0), params=PARAMS, reproduce="")
    assert ev.details["flat_in_d"].startswith("an exponent of 0 is inside")
    assert ev.details["decision"]["status"] == "demonstrated"


def test_growth_row__common_ds_censored_fill_and_its_bootstrap_stream():
    """The row reads only the d both learners ran, fills a censored seed at 2 TOP[r], and its
    interval is the paired bootstrap of its own stream (the ratio plot draws the same)."""
    cnn, svm = _table(0.2, 2.0)
    svm = {d: v for d, v in svm.items() if d != 8}
    cnn[3] = [None, *cnn[3][1:]]
    ev = growth_row("SVM", 2, cnn, svm, seed=4, params=PARAMS, reproduce="")
    ds = [3, 4, 6]
    a = [[float(2 * TOP[2]) if v is None else v for v in cnn[d]] for d in ds]
    b = [[float(v) for v in svm[d]] for d in ds]
    want = paired_bootstrap_difference(
        ds, a, b, seed_seq=seed_sequence(4, "sample-complexity", "difference", "SVM", 2),
        replicates=REPLICATES, level=LEVEL)
    dec = ev.details["decision"]
    assert (ev.observed, *dec["effect_interval"]) == pytest.approx(want, abs=1e-12)
    assert ev.statement.endswith("(n = d^2, d in 3, 4, 6)")
    assert (dec["trials"], dec["claimed"], dec["level"]) == (12, 0.0, 0.05)
    assert ev.params == {**PARAMS, "fc": "SVM", "r": 2}
    assert ev.details["part"] == part("growth", 2)
    slope, lo, hi = trend_interval(ds, a, b, level=LEVEL)
    assert ev.details["trend_test"]["slope"] == pytest.approx(slope)
    assert ev.details["trend_test"]["interval"] == pytest.approx([lo, hi])
    assert ev.details["trend_test"]["status"] == interval_decision(lo, hi, 0, claim="above")


def test_level_row__p_values_pay_for_the_rounds_of_seeds():
    ds = range(3, 8)
    win10 = {d: [4] * 10 for d in ds}
    lose10 = {d: [64] * 10 for d in ds}
    one = level_row("SVM", 1, win10, lose10, params=PARAMS, reproduce="", looks=1)
    assert one.details["decision"]["status"] == "demonstrated"      # 2^-10 <= 0.01/5
    three = level_row("SVM", 1, win10, lose10, params=PARAMS, reproduce="", looks=3)
    assert three.details["decision"]["status"] == "undecided"       # 3 x 2^-10 > 0.01/5
    ds = range(3, 13)
    ev = level_row("SVM", 1, {d: [4] * 12 for d in ds}, {d: [64] * 12 for d in ds},
                   params=PARAMS, reproduce="", looks=3)
    assert ev.details["decision"]["status"] == "demonstrated"       # 3 x 2^-12 <= 0.01/10
    assert "times 3" in ev.details["decision"]["test"]
    with pytest.raises(ValueError, match="looks"):
        level_row("SVM", 1, win10, lose10, params=PARAMS, reproduce="", looks=0)


def test_level_row__the_worst_d_sets_the_slack_and_every_field():
    ds = (3, 4, 5, 6)
    cnn = {d: [4] * 10 for d in ds}
    cnn[5] = [4] * 8 + [64, 64]   # the worst d: 8 of 10, two ties
    fc = {d: [64] * 10 for d in (*ds, 7)}  # d = 7: the FC learner only, not compared
    ev = level_row("SVM", 1, cnn, fc, params=PARAMS, reproduce="")
    t = sign_test_decision(cnn[5], fc[5], alpha=ALPHA)
    dec = ev.details["decision"]
    assert ev.observed == dec["observed"] == 0.8
    assert ev.slack == dec["effect"] == pytest.approx(0.3)
    assert dec["effect_interval"] == t["effect_interval"]
    assert (dec["trials"], dec["claimed"], dec["level"], dec["power"]) == (10, 0.5, ALPHA,
                                                                            t["power"])
    assert sorted(ev.details["per_d"]) == ["3", "4", "5", "6"]
    assert ev.details["per_d"]["5"] == {"cnn_fewer": "8/10", "ties": 2, "p": t["p_value"],
                                        "p_opposite": t["p_value_opposite"],
                                        "status": "undecided"}
    assert ev.reason == "undecided at d = 5"
    assert ev.details["part"] == part("level", 1)
    assert "(5)" in ev.details["slack"]


def test_bound_row__every_field():
    m = {d: [round(100 * d**0.5)] * 6 for d in (3, 4, 6, 8, 12)}
    law = fit_law("SVM", m, r=2, seed=0)
    ev = bound_row("SVM", 2, law, params=PARAMS, reproduce="x")
    dec = ev.details["decision"]
    lo, hi = law["interval"]
    assert (ev.observed, ev.bound, ev.slack) == pytest.approx((law["exponent"], 4.0,
                                                               4.0 - law["exponent"]))
    assert dec["effect"] == pytest.approx(ev.slack)
    assert dec["effect_interval"] == pytest.approx([4.0 - hi, 4.0 - lo])
    assert (dec["trials"], dec["claimed"], dec["observed"]) == (6, "<= 4", law["exponent"])
    assert ev.details["exponent_interval"] == [lo, hi]
    assert ev.details["censored_seeds"] == 0
    assert ev.details["part"] == part("FC", 2)
    assert ev.params == {**PARAMS, "learner": "SVM", "r": 2}
    assert "flat_in_d" not in ev.details
    assert ev.statement == "the SVM's exponent of d in m_eps is at most 4 (n = d^2, d in 3, 4, " \
        "6, 8, 12)"
