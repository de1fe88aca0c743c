"""The scaling law's verdict rows on hand-made tables (no kernel runs): a negative exponent
difference is refuted and fails the claim in the report's Summary, never "holds"; Holm over d;
the exponents against the bounds and their tightness; a flat CNN as a finding."""

from __future__ import annotations

import numpy as np
import pytest

from verify.claims.sample_complexity import CLAIM, CLAIM_BOUNDS, CLAIM_LEVEL, DECLARATION
from verify.claims.sample_complexity.law import fit_law
from verify.claims.sample_complexity.verdicts import bound_row, growth_row, level_row
from verify.evidence import Strength, Verdict
from verify.report.document import claim_summary, is_failure
from verify.report.runner import SectionResult


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
