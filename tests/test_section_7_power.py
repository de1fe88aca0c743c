"""Section 7's statistical rows: the decision (demonstrated / refuted / undecided),
the power of the sign-flip test against the stated alternative, and Fig. 3c's SVM row in its
own words (no noise) and not folded into a holds when not applicable."""

from __future__ import annotations

import itertools

import pytest
from scipy import stats

from verify.claims.figure_3c import CLAIM, CLAIM_SVM_3C, STATEMENT_SVM_3C, check_fig3c
from verify.claims.section_7.figures import FigureSpec, Record
from verify.claims.section_7.power import (
    ALTERNATIVE_WIN_PROBABILITY,
    max_losses,
    permutation_decision,
    sign_flip_power,
)
from verify.claims.section_7.verdicts import (
    check_growth_with_n,
    check_outperforms,
    paired_permutation_pvalue,
)
from verify.evidence import Strength, Verdict

from .test_experiments_verdicts import GOOD, _growth, _rows


@pytest.mark.parametrize(("repeats", "alpha", "c"), [
    (5, 0.05, 0),  # 2^-5 = 0.031 < 0.05, 2^-4 = 0.0625 is not
    (4, 0.05, -1),  # 2^-4 > 0.05: never rejects
    (6, 0.05, 1),  # 2^-5 < 0.05
    (10, 0.05, 5),  # 2^5 / 2^10 = 0.031
    (10, 0.03125, 4),  # strict: 2^-5 is not < 2^-5
])
def test_max_losses__largest_c_with_2_to_c_minus_r_below_alpha(repeats, alpha, c):
    assert max_losses(repeats, alpha) == c


def test_max_losses__a_sign_flip_test_with_more_losses_never_rejects():
    # brute force over every sign pattern and a few magnitudes: p >= 2^c / 2^R
    for R in (4, 5, 6):
        c_max = max_losses(R, 0.05)
        for signs in itertools.product((1, -1), repeat=R):
            D = [s * (1 + 0.37 * i) for i, s in enumerate(signs)]
            losses = sum(1 for s in signs if s < 0)
            if paired_permutation_pvalue(D) < 0.05:
                assert losses <= c_max


def test_sign_flip_power__exact_at_five_repeats_and_an_upper_bound_otherwise():
    assert sign_flip_power(5, 0.05, 0.9) == pytest.approx(0.9**5)
    assert sign_flip_power(5, 0.05, 0.5) == pytest.approx(1 / 32)
    assert sign_flip_power(4, 0.05, 0.99) == 0.0
    assert sign_flip_power(10, 0.05, 0.9) == pytest.approx(stats.binom.cdf(5, 10, 0.1))
    with pytest.raises(ValueError, match="win_probability"):
        sign_flip_power(5, 0.05, 1.5)


def test_permutation_decision__table():
    assert permutation_decision(1 / 32, [1.0], 5, 0.05)["status"] == "demonstrated"
    assert permutation_decision(0.05, [1.0], 5, 0.05)["status"] == "undecided"  # p not < alpha
    assert permutation_decision(1.0, [1 / 32], 5, 0.05)["status"] == "refuted"
    assert permutation_decision(1.0, [0.0625], 5, 0.05)["status"] == "undecided"
    d = permutation_decision(0.5, [0.5], 5, 0.05)
    assert (d["level"], d["power"]) == (0.05, pytest.approx(ALTERNATIVE_WIN_PROBABILITY**5))
    assert "0.9" in d["alternative"]
    # the Summary's Seeds column shows what the decision counted: "5 repeats"
    assert d["repeats"] == 5
    assert permutation_decision(0.5, [0.5], 10, 0.05)["repeats"] == 10
    with pytest.raises(ValueError, match="p_value"):
        permutation_decision(1.5, [], 5, 0.05)


def test_check_outperforms__statistical_with_the_decision():
    ev = check_outperforms(_rows(GOOD), figure="fig3a")
    assert ev.strength is Strength.STATISTICAL
    assert ev.details["decision"]["status"] == "demonstrated"
    assert ev.details["decision"]["power"] == pytest.approx(0.9**5)
    worse = {**GOOD, "ConvPool": {10: GOOD["ConvPool"][10], 50: [0.35, 0.3, 0.4, 0.33, 0.36]}}
    ev = check_outperforms(_rows(worse), figure="fig3a")
    assert ev.details["decision"]["status"] == "refuted"  # the baselines win all 5 repeats
    one_loss = {**GOOD, "MLP": {10: GOOD["MLP"][10], 50: [0.3, 0.28, 0.31, 0.29, 0.01]}}
    ev = check_outperforms(_rows(one_loss), figure="fig3b")
    assert ev.details["decision"]["status"] == "undecided"
    zero = {mdl: {10: [0.1] * 5, 50: [0.0] * 5} for mdl in ("ConvPool", "MLP", "SVM")}
    na = check_outperforms(_rows(zero), figure="fig3a")
    assert na.verdict is Verdict.NOT_APPLICABLE
    assert na.strength is Strength.NOT_TESTED
    assert na.reason.startswith("not applicable")


def test_check_growth_with_n__statistical_with_the_decision():
    ev = check_growth_with_n(_growth(0.001))
    assert ev.strength is Strength.STATISTICAL
    assert ev.details["decision"]["status"] == "demonstrated"
    assert "flatter slope" in ev.details["decision"]["alternative"]
    bad = check_growth_with_n(_growth(0.15))
    assert bad.details["decision"]["status"] == "refuted"


def _records(svm_train_error):
    out = []
    for r in range(5):
        for m, base in ((10, 0.4), (50, 0.3)):
            out.append(Record("fig3c", r, 4, m, "ConvPool", base - 0.2, 0.0, 0.0, 1, 1, 1, None))
            out.append(Record("fig3c", r, 4, m, "MLP", base, 0.0, 0.0, 1, 1, 1, None))
            out.append(Record("fig3c", r, 4, m, "SVM", base + 0.01, svm_train_error, 0.0, 1, 1,
                              1, True))
    return out


def test_check_fig3c__svm_row_has_its_own_words_and_stays_not_applicable():
    spec = FigureSpec("fig3c", "t", ns=(4,), sizes=(10, 50), noise=0.0, d=64, k=8, m_test=20,
                      repeats=5)
    out = check_fig3c(spec, _records(0.0), [], seed=0, source="test")
    svm = out[1]
    assert "noisy" not in svm.statement
    assert svm.statement == STATEMENT_SVM_3C.format(figure="fig3c")
    assert "no added noise" in svm.statement
    assert "not linearly separable" in svm.statement
    # dim + 1 = 4 * 64 + 1 = 257 > 50: nothing testable
    assert svm.verdict is Verdict.NOT_APPLICABLE
    assert svm.strength is Strength.NOT_TESTED
    assert out[0].strength is Strength.STATISTICAL
    assert (out[0].claim, svm.claim) == (CLAIM, CLAIM_SVM_3C)  # not folded into Fig. 3c's row
