"""The figure specifications and the experiment loop (:mod:`verify.claims.section_7.figures`), and
the figure-level verdicts of :mod:`verify.claims.section_7`, on tiny settings."""

from __future__ import annotations

import dataclasses

import numba
import pytest

from verify.claims.section_7 import FIGURES, check_figure, reproduce_command
from verify.claims.section_7.figures import PROFILES, FigureSpec, figure_specs, run_figure
from verify.claims.section_7.svm_training import svm_probe_records
from verify.evidence import Verdict

TINY = FigureSpec("tiny", "tiny", ns=(3,), sizes=(8, 16), noise=1.0, d=5, k=12, m_test=40,
                  repeats=2)


def test_figures__paper_settings():
    for spec in FIGURES.values():
        assert (spec.d, spec.k, spec.m_test, spec.repeats) == (20, 500, 1000, 5)
    assert FIGURES["fig3a"].noise == 0.0
    assert FIGURES["fig3b"].noise == 1.0
    assert FIGURES["fig3a"].ns == FIGURES["fig3b"].ns == (10,)
    assert FIGURES["fig4"].x_key == "n"
    assert FIGURES["fig3a"].x_key == "m"
    for profile, specs in PROFILES.items():
        assert set(specs) == {"fig3a", "fig3b", "fig4"}, profile
        assert all(s.repeats >= 5 for s in specs.values())  # fewer cannot reach p < 0.05


def test_run_figure__same_seed_same_records_and_threads_restored():
    before = numba.get_num_threads()
    a = run_figure(TINY, 7)
    assert numba.get_num_threads() == before
    b = run_figure(TINY, 7)
    assert a == b
    assert len(a) == TINY.repeats * len(TINY.sizes) * 3
    assert {r.model for r in a} == {"ConvPool", "MLP", "SVM"}
    assert all(r.separable is None for r in a if r.model != "SVM")
    assert all(isinstance(r.separable, bool) for r in a if r.model == "SVM")
    c = run_figure(TINY, 8)
    assert [r.test_error for r in c] != [r.test_error for r in a]


def test_run_figure__progress_counts_models():
    calls = []
    spec = dataclasses.replace(TINY, sizes=(8,))
    run_figure(spec, 0, progress=calls.append)
    assert calls == [1] * (spec.repeats * 3)


def test_check_figure__one_evidence_per_claim():
    records = run_figure(TINY, 0)
    evs = check_figure(TINY, records, seed=0, reproduce="cmd")
    assert [e.claim for e in evs] == ["Section 7", "Section 7",
                                      "Section 7 (Fig. 3b: SVM training error)"]
    assert evs[2].details["tested"] is False  # 16 points in R^15: dim + 1 = 16, not tested
    assert evs[0].slack_kind == "p-value"
    assert evs[0].reproduce == "cmd"
    assert evs[0].params["seed"] == 0
    assert evs[0].params["sizes"] == [8, 16]
    # 2 repeats: the smallest attainable p is 1/4 > alpha, so the claim cannot be tested (issue
    # 17: "not tested", never "fails"), unless every size is saturated
    assert evs[0].verdict in (Verdict.NOT_TESTED, Verdict.NOT_APPLICABLE)
    if evs[0].verdict is Verdict.NOT_TESTED:
        assert evs[0].reason.startswith("not tested (too few repeats for alpha)")
    assert "table" in evs[0].details
    assert "nonzero_cases" in evs[1].details
    varied = dataclasses.replace(TINY, ns=(2, 4), sizes=(16,))
    (growth,) = check_figure(varied, run_figure(varied, 0), seed=0)
    assert "slope_per_doubling_of_n" in growth.details


def test_svm_probe_records__let_the_svm_half_of_fig3b_be_tested():
    probe = svm_probe_records(TINY, 0, (40,), repeats=2)
    assert [(r.model, r.m, r.repeat) for r in probe] == [("SVM", 40, 0), ("SVM", 40, 1)]
    assert probe == svm_probe_records(TINY, 0, (40,), repeats=2)
    evs = check_figure(TINY, run_figure(TINY, 0), seed=0, svm_probe=probe)
    assert evs[2].details["tested"] is True
    assert evs[2].details["testable_sizes"] == [40]
    assert evs[2].params["svm_probe_sizes"] == [40]
    assert evs[2].verdict in (Verdict.HOLDS, Verdict.FAILS)
    assert svm_probe_records(TINY, 0, (), repeats=3) == []
    with pytest.raises(ValueError, match="sizes"):
        svm_probe_records(TINY, 0, (0,))


def test_reproduce_command__names_the_grid():
    assert reproduce_command(FIGURES["fig3a"], 0) == "python -m verify.experiments fig3a --seed 0"
    quick = figure_specs("quick")["fig4"]
    assert reproduce_command(quick, 2, profile="quick").endswith("--seed 2 --quick")
    thorough = figure_specs("thorough")["fig3b"]
    assert reproduce_command(thorough, 0, profile="thorough").endswith("--repeats 10")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "fig 3"}, "name"),
        ({"sizes": (16, 8)}, "sizes"),
        ({"sizes": ()}, "sizes"),
        ({"ns": (2, 3), "sizes": (8, 16)}, "either"),
        ({"noise": -1.0}, "noise"),
        ({"repeats": 1}, "repeats"),
        ({"d": 2}, "d"),
    ],
)
def test_figure_spec__bad_fields_raise_naming_them(change, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(TINY, **change)


def test_figure_specs__unknown_profile_raises():
    with pytest.raises(ValueError, match="profile"):
        figure_specs("fast")
    with pytest.raises(ValueError, match="spec"):
        run_figure("fig3a", 0)
