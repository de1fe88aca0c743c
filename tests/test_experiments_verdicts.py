"""The verdicts on Section 7's claims (:mod:`verify.claims.section_7.verdicts`), fed with made-up
tables: they hold when ConvPool wins in every repeat, and FAIL when it does not."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from verify.claims.section_7.svm_training import check_svm_training_error
from verify.claims.section_7.verdicts import (
    check_growth_with_n,
    check_outperforms,
    check_training_error,
    paired_permutation_pvalue,
    paired_t_pvalue,
    summary_table,
)
from verify.evidence import Verdict

from .spec_checks import assert_readable


def _rows(errors, *, x_key="m", train=None, separable=None):
    """Records from ``errors[model][x] = [test error per repeat]``."""
    rows = []
    for model, by_x in errors.items():
        for x, errs in by_x.items():
            for r, e in enumerate(errs):
                rows.append({"repeat": r, "n": x if x_key == "n" else 10,
                             "m": x if x_key == "m" else 500, "model": model, "test_error": e,
                             "train_error": (train or {}).get((model, x, r), 0.0),
                             "separable": separable if model == "SVM" else None})
    return rows


GOOD = {
    "ConvPool": {10: [0.2, 0.3, 0.1, 0.2, 0.25], 50: [0.0, 0.01, 0.0, 0.0, 0.02]},
    "MLP": {10: [0.4, 0.4, 0.4, 0.4, 0.4], 50: [0.3, 0.28, 0.31, 0.29, 0.3]},
    "SVM": {10: [0.45, 0.4, 0.4, 0.42, 0.4], 50: [0.3, 0.27, 0.3, 0.28, 0.26]},
}


def test_paired_permutation_pvalue__exact_enumeration():
    D = np.array([0.3, -0.1, 0.2, 0.05, 0.4])
    count = sum(1 for s in itertools.product((1, -1), repeat=5)
                if np.dot(s, np.abs(D)) >= D.sum() - 1e-12)
    assert paired_permutation_pvalue(D) == count / 32
    assert paired_permutation_pvalue([0.1] * 5) == 1 / 32
    assert paired_permutation_pvalue([-0.1] * 5) == 1.0
    assert paired_permutation_pvalue([0.0] * 5) == 1.0  # all ties: no evidence


def test_paired_t_pvalue__one_sided():
    D = [0.3, -0.1, 0.2, 0.05, 0.4]
    t = np.mean(D) / (np.std(D, ddof=1) / math.sqrt(5))
    from scipy import stats

    assert paired_t_pvalue(D) == pytest.approx(stats.t.sf(t, 4), rel=1e-12)
    assert paired_t_pvalue([0.2, 0.2]) == 0.0
    assert paired_t_pvalue([0.0, 0.0]) == 1.0


def test_check_outperforms__holds_when_convpool_wins_every_repeat():
    ev = check_outperforms(_rows(GOOD), figure="fig3a")
    assert ev.verdict is Verdict.HOLDS, ev.summary()
    assert ev.observed == 1 / 32
    assert ev.slack == pytest.approx(0.05 - 1 / 32)
    assert {(t["baseline"], t["m"]) for t in ev.details["tests"]} == {("MLP", 50), ("SVM", 50)}
    rows = ev.details["table"]
    assert len(rows) == 6
    assert {r["model"] for r in rows} == {"ConvPool", "MLP", "SVM"}


def test_check_outperforms__fails_when_convpool_is_worse():
    bad = {**GOOD, "ConvPool": {10: GOOD["ConvPool"][10], 50: [0.35, 0.3, 0.4, 0.33, 0.36]}}
    ev = check_outperforms(_rows(bad), figure="fig3a")
    assert ev.verdict is Verdict.FAILS
    assert "not below" in ev.reason
    assert ev.slack < 0


def test_check_outperforms__fails_when_a_repeat_is_lost():
    one_loss = {**GOOD, "MLP": {10: GOOD["MLP"][10], 50: [0.3, 0.28, 0.31, 0.29, 0.01]}}
    ev = check_outperforms(_rows(one_loss), figure="fig3b")
    assert ev.verdict is Verdict.FAILS  # 4 wins of 5 cannot reach p < 0.05
    assert "not significant" in ev.reason


def test_check_outperforms__smallest_size_is_not_tested():
    worse_first = {**GOOD, "ConvPool": {10: [0.5] * 5, 50: GOOD["ConvPool"][50]}}
    assert check_outperforms(_rows(worse_first), figure="fig3a").verdict is Verdict.HOLDS


def test_check_outperforms__saturated_sizes_are_not_applicable():
    zero = {mdl: {10: [0.1] * 5, 50: [0.0] * 5} for mdl in ("ConvPool", "MLP", "SVM")}
    ev = check_outperforms(_rows(zero), figure="fig3a")
    assert ev.verdict is Verdict.NOT_APPLICABLE
    assert len(ev.details["saturated"]) == 2


def test_check_training_error__fails_on_a_nonzero_training_error():
    ok = check_training_error(_rows(GOOD), figure="fig3a", svm_separable=True, dim=200)
    assert ok.verdict is Verdict.HOLDS
    assert ok.observed == 0.0
    bad = check_training_error(_rows(GOOD, train={("MLP", 50, 3): 0.02}), figure="fig3a",
                               svm_separable=True, dim=200)
    assert bad.verdict is Verdict.FAILS
    assert bad.observed == 0.02
    assert "MLP" in bad.reason


def test_check_svm_training_error__noisy_data_need_some_svm_error_when_testable():
    big = {mdl: {300: v[10]} | {1000: v[50]} for mdl, v in GOOD.items()}
    none = check_svm_training_error(_rows(big), figure="fig3b", dim=200)
    assert none.verdict is Verdict.FAILS
    assert "SVM" in none.reason
    assert none.details["tested"] is True
    some = check_svm_training_error(_rows(big, train={("SVM", 1000, 0): 0.05}), figure="fig3b",
                                    dim=200)
    assert some.verdict is Verdict.HOLDS
    assert some.observed == 1.0
    assert some.details["nonzero_cases"] == [{"m": 1000, "repeat": 0, "train_error": 0.05}]


def test_check_svm_training_error__small_training_sets_are_not_tested():
    small = check_svm_training_error(_rows(GOOD), figure="fig3b", dim=200)
    assert small.verdict is Verdict.NOT_APPLICABLE
    assert small.details["tested"] is False
    assert small.reason.startswith("not tested")
    # a non-zero error below dim + 1 cannot happen for points in general position; it does
    # not count as a test either
    odd = check_svm_training_error(_rows(GOOD, train={("SVM", 50, 0): 0.1}), figure="fig3b",
                                   dim=200)
    assert odd.verdict is Verdict.NOT_APPLICABLE


def test_check_training_error__noisy_data_judge_convpool_and_mlp_only():
    small = check_training_error(_rows(GOOD, train={("SVM", 50, 0): 0.1}), figure="fig3b",
                                 svm_separable=False, dim=200)
    assert small.verdict is Verdict.HOLDS
    assert "SVM" not in small.statement
    bad = check_training_error(_rows(GOOD, train={("ConvPool", 50, 1): 0.01}), figure="fig3b",
                               svm_separable=False, dim=200)
    assert bad.verdict is Verdict.FAILS


def _growth(cp_slope):
    ns = (5, 10, 20, 40)
    base = {n: [0.1 * i + 0.01 * r for r in range(5)] for i, n in enumerate(ns)}
    cp = {n: [0.01 + cp_slope * i + 0.001 * r for r in range(5)] for i, n in enumerate(ns)}
    return _rows({"ConvPool": cp, "MLP": base, "SVM": base}, x_key="n")


def test_check_growth_with_n__holds_when_convpool_is_flatter():
    ev = check_growth_with_n(_growth(0.001))
    assert ev.verdict is Verdict.HOLDS, ev.summary()
    slopes = ev.details["slope_per_doubling_of_n"]
    assert slopes["MLP"]["mean"] == pytest.approx(0.1)
    assert slopes["ConvPool"]["mean"] == pytest.approx(0.001)


def test_check_growth_with_n__fails_when_convpool_degrades_as_fast():
    ev = check_growth_with_n(_growth(0.15))
    assert ev.verdict is Verdict.FAILS
    assert ev.slack < 0
    assert "MLP" in ev.reason


def test_summary_table__mean_std_and_nonseparable_counts():
    rows = _rows(GOOD, separable=False)
    table = summary_table(rows, "m")
    svm = next(r for r in table if r["model"] == "SVM" and r["m"] == 10)
    assert svm["test_error_mean"] == pytest.approx(np.mean(GOOD["SVM"][10]))
    assert svm["test_error_std"] == pytest.approx(np.std(GOOD["SVM"][10], ddof=1))
    assert svm["nonseparable_repeats"] == 5
    assert next(r for r in table if r["model"] == "MLP")["nonseparable_repeats"] is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: paired_permutation_pvalue([]), "diff"),
        (lambda: paired_t_pvalue([1.0]), "diff"),
        (lambda: check_outperforms([], figure="f"), "records"),
        (lambda: check_outperforms([{"repeat": 0}], figure="f"), "lacks"),
        (lambda: check_outperforms(_rows(GOOD) + _rows(GOOD)[:1], figure="f"), "two rows"),
        (lambda: check_outperforms(_rows(GOOD), figure="f", alpha=1.5), "alpha"),
        (lambda: check_growth_with_n(_rows(GOOD)), "n"),
        (lambda: summary_table(_rows(GOOD), "k"), "x_key"),
    ],
)
def test_verdicts__bad_arguments_raise_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- a test that cannot reach its level is "not tested", never "fails" -----------------------


def _first(rows_by_model: dict, repeats: int) -> dict:
    return {mdl: {x: v[:repeats] for x, v in by_x.items()} for mdl, by_x in rows_by_model.items()}


@pytest.mark.parametrize("repeats", [2, 3, 4])
def test_check_outperforms__too_few_repeats_is_not_tested_whatever_the_data(repeats):
    bad = {**GOOD, "ConvPool": {10: GOOD["ConvPool"][10], 50: [0.35, 0.3, 0.4, 0.33, 0.36]}}
    for data in (GOOD, bad):
        ev = check_outperforms(_rows(_first(data, repeats)), figure="fig3a")
        assert ev.verdict is Verdict.NOT_TESTED, ev.summary()
        assert ev.reason.startswith("not tested (too few repeats for alpha)")
        assert f"2^-{repeats}" in ev.reason
        assert not ev.holds


@pytest.mark.parametrize("repeats", [2, 4])
def test_check_growth_with_n__too_few_repeats_is_not_tested(repeats):
    rows = [r for r in _growth(0.15) if r["repeat"] < repeats]
    ev = check_growth_with_n(rows)
    assert ev.verdict is Verdict.NOT_TESTED
    assert "too few repeats" in ev.reason


def test_min_repeats__smallest_r_with_two_to_the_minus_r_at_most_alpha():
    from verify.claims.section_7.verdicts import min_repeats

    assert [min_repeats(a) for a in (0.5, 0.25, 0.2, 0.05, 1 / 32, 0.01)] == [1, 2, 3, 5, 5, 7]
    for alpha in (0.3, 0.05, 0.001):
        r = min_repeats(alpha)
        assert 2.0**-r <= alpha < 2.0 ** -(r - 1)


def test_report_summary__not_tested_is_neither_holds_nor_fails():
    from verify.report.document import claim_summary
    from verify.report.registry import SECTIONS
    from verify.report.runner import SectionResult

    section = next(s for s in SECTIONS if s.key == "section-7")
    ev = check_outperforms(_rows(_first(GOOD, 3)), figure="fig3a")
    rows = claim_summary(section, SectionResult("section-7", evidence=[ev.as_dict()]))
    (row,) = [r for r in rows if r["claim"] == ev.claim]  # the other names of the section: not run
    assert row["verdict"] == "not tested"


def test_error_plot__shows_every_model_with_its_std_over_the_repeats():
    for ev, x in ((check_outperforms(_rows(GOOD), figure="fig3a"), "m"),
                  (check_growth_with_n(_growth(0.001)), "n")):
        spec = ev.details["plot"]
        assert_readable(spec, bound=None, xlabel=x, ylabel="test error", spread=True)
        assert [s["label"] for s in spec["series"]] == ["ConvPool", "MLP", "SVM"]
        table = {(r[x], r["model"]): r for r in ev.details["table"]}
        for s in spec["series"]:
            assert s["yerr"] == [table[(v, s["label"])]["test_error_std"] for v in s["x"]]
        assert "5 repeats" in spec["series"][0]["spread"]
        assert spec["logx"] is True
