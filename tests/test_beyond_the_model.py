"""Beyond the model (verify.claims.beyond_the_model): the exact anchor reproduces the Section 5
checkers bit for bit, the decision rules, the predictions' constants, and rows that never fail
the report."""

from __future__ import annotations

import itertools
import math

import pytest

from verify.claims import lemma_5_3, lemma_5_5, lemma_c2
from verify.claims.beyond_the_model import (
    DECLARATION,
    FRESH,
    NAMES,
    SWEEP,
    check_grid,
    evaluate_point,
    regime,
    sweep_evidence,
)
from verify.claims.beyond_the_model.predictions import (
    alignment_mu_star,
    expected_max_normal,
    gap_density,
    predicted_boundary,
    sigma_star_at,
)
from verify.claims.beyond_the_model.rows import (
    OUTSIDE,
    SURVIVAL_RATE,
    _agreement,
    axis_boundary,
    cell_rates,
    conclusion_row,
)
from verify.claims.beyond_the_model.run import ITEM_2
from verify.claims.section_5 import theorem_setting
from verify.model.relaxed import RelaxedModel
from verify.report.document import (
    build_document,
    claim_summary,
    inside_stated_assumptions,
    is_failure,
)
from verify.report.runner import SectionResult

SETTING = theorem_setting(3, 3, 4, 217, 40, 4, 5, T2=50)


def _same(a, b):
    assert a.verdict == b.verdict
    assert (a.observed, a.bound, a.slack) == (b.observed, b.bound, b.slack)
    assert a.details == b.details


def test_evaluate_point__exact_model_reproduces_the_section_5_checkers_bit_for_bit():
    out = evaluate_point(SETTING, RelaxedModel(), fresh=5, test_points=50)
    assert out.path == "pattern"
    plus, minus = lemma_5_3.check_both(SETTING)
    _same(out.evidence["lemma_5_3"], plus)
    _same(out.evidence["corollary_5_4"], minus)
    _same(out.evidence["lemma_5_5"], lemma_5_5.check_setting(SETTING))
    _same(out.evidence["lemma_c2"], lemma_c2.check_setting(SETTING))
    assert all(v is True for k, v in out.holds.items() if k != "cnn_beats_svm")


def test_evaluate_point__dense_path_at_zero_zero_gives_the_same_outcomes():
    exact = evaluate_point(SETTING, RelaxedModel(), fresh=5, test_points=200)
    dense = evaluate_point(SETTING, RelaxedModel(), fresh=5, test_points=200, path="dense")
    assert dense.path == "dense"
    assert dense.holds == exact.holds
    assert (dense.cnn_error, dense.svm_error) == (exact.cnn_error, exact.svm_error)
    for key in exact.evidence:
        a, b = exact.evidence[key], dense.evidence[key]
        assert a.verdict == b.verdict
        assert math.isclose(a.observed, b.observed, rel_tol=1e-9, abs_tol=1e-15)


def test_evaluate_point__pattern_path_refuses_a_relaxed_model():
    with pytest.raises(ValueError, match="path: the pattern fast path"):
        evaluate_point(SETTING, RelaxedModel(sigma=0.1), path="pattern")


def test_evaluate_point__noise_breaks_the_argmax_and_not_the_small_outputs():
    out = evaluate_point(SETTING, RelaxedModel(0.0, 0.5), fresh=5, test_points=50)
    assert out.path == "dense"
    assert out.holds["argmax"] is False
    assert out.holds["output"] is True


# ------------------------------------------------------------------------ decision rules


def test_axis_boundary__just_inside_and_just_outside_the_survival_rate():
    eps = 1e-12
    inside = axis_boundary([0.0, 0.1, 0.2], [1.0, SURVIVAL_RATE, SURVIVAL_RATE - eps])
    assert inside == {"last_ok": 0.1, "first_fail": 0.2, "boundary": (0.1 + 0.2) / 2}
    outside = axis_boundary([0.0, 0.1, 0.2], [1.0, SURVIVAL_RATE - eps, 1.0])
    assert outside["first_fail"] == 0.1
    assert outside["boundary"] == 0.05


def test_axis_boundary__first_cell_failing_is_zero_and_none_failing_is_inf_and_nan_skipped():
    assert axis_boundary([0.0, 0.1], [0.0, 1.0])["boundary"] == 0.0
    b = axis_boundary([0.0, 0.1, 0.2], [1.0, math.nan, 1.0])
    assert b["boundary"] == math.inf
    assert b["last_ok"] == 0.2
    assert axis_boundary([0.0, 0.1, 0.2], [math.nan, 1.0, 0.0])["boundary"] == (0.1 + 0.2) / 2


def test_cell_rates__leave_out_not_applicable_and_give_clopper_pearson():
    r = cell_rates({(0.0, 0.0): [True, True, None, False]})[(0.0, 0.0)]
    assert (r["trials"], r["successes"]) == (3, 2)
    assert r["rate"] == pytest.approx(2 / 3)
    lo, hi = r["ci95"]
    assert 0.09 < lo < 0.1
    assert 0.99 < hi < 1.0
    empty = cell_rates({(0.0, 0.0): [None]})[(0.0, 0.0)]
    assert empty["trials"] == 0
    assert math.isnan(empty["rate"])


def test_agreement__inside_the_measured_interval_and_either_side():
    m = {"last_ok": 0.1, "first_fail": 0.15, "boundary": 0.125}
    assert _agreement(m, 0.12).startswith("agree")
    assert _agreement(m, 0.15).startswith("agree")
    assert _agreement(m, 0.1).startswith("agree")
    assert _agreement(m, 0.0999) == "prediction too pessimistic"
    assert _agreement(m, 0.1501) == "prediction too optimistic"
    beyond = {"last_ok": 0.5, "first_fail": math.inf, "boundary": math.inf}
    assert _agreement(beyond, math.inf).startswith("agree")
    assert _agreement(beyond, 0.49).startswith("prediction too pessimistic")
    assert _agreement(m, math.nan) == "no prediction"


# ------------------------------------------------------------------------ predictions


# ------------------------------------------------------------------------ Lemma 5.3, item 2


def _item_2(out):
    """Lemma 5.3's and Corollary 5.4's item 2 parts of a run's evidence."""
    return [out.evidence[k].details["parts"][ITEM_2] for k in ("lemma_5_3", "corollary_5_4")]


def test_evaluate_point__item_2_holds_in_d_and_its_largest_value_is_at_t_0():
    out = evaluate_point(regime(3, 0), RelaxedModel(), fresh=FRESH, test_points=10)
    assert out.path == "pattern"
    assert out.holds["off_pattern"] is True
    plus, minus = _item_2(out)
    # o_j.w_i^(0) <= ||w_i^(0)|| = r, and Eq. 23: o_j.w_i^(t) never increases
    assert plus["observed"] / plus["bound"] == pytest.approx(0.9159934564052352, rel=1e-12)
    assert minus["observed"] / minus["bound"] == pytest.approx(0.9954206912885634, rel=1e-12)
    assert plus["where"]["t"] == minus["where"]["t"] == 0
    for k in ("lemma_5_3", "corollary_5_4"):
        steps = out.evidence[k].details["per_step"]["max_other_over_r"]
        assert all(b <= a + 1e-12 for a, b in itertools.pairwise(steps))


def test_evaluate_point__item_2_fails_at_coherence_0_05_after_the_first_step():
    out = evaluate_point(regime(3, 0), RelaxedModel(0.05, 0.0), fresh=FRESH, test_points=10)
    assert out.path == "dense"
    assert out.holds["off_pattern"] is False
    assert out.holds["argmax"] is True  # coherence alone does not move the argmax
    plus, minus = _item_2(out)
    assert plus["verdict"] == minus["verdict"] == "fails"
    assert plus["observed"] / plus["bound"] == pytest.approx(2.4499219521858713, rel=1e-9)
    assert minus["observed"] / minus["bound"] == pytest.approx(2.4886960061991257, rel=1e-9)
    assert (plus["where"]["t"], minus["where"]["t"]) == (2, 1)


def _ev(verdict=None):
    from types import SimpleNamespace

    parts = {} if verdict is None else {ITEM_2: {"verdict": verdict}}
    parts.update({"o1.w_i^(t) >= t eta1/9": {"verdict": "holds"},
                  "o2.w_i^(t) >= t eta1/9": {"verdict": "holds"}})
    return SimpleNamespace(details={"parts": parts})


def test_lucky_outcomes__item_2_is_read_off_both_signs_part():
    from verify.claims.beyond_the_model.run import _lucky_outcomes

    assert _lucky_outcomes([_ev("holds"), _ev("boundary")], True)["off_pattern"] is True
    assert _lucky_outcomes([_ev("holds"), _ev("fails")], True)["off_pattern"] is False
    assert _lucky_outcomes([_ev("fails"), _ev("holds")], True)["off_pattern"] is False
    assert _lucky_outcomes([_ev("holds"), _ev("holds")], False)["off_pattern"] is None
    with pytest.raises(KeyError):  # a renamed part in Lemma 5.3's checker is loud
        _lucky_outcomes([_ev(), _ev("holds")], True)


def test_predictions__item_2_breaks_below_the_first_coherence_of_every_grid():
    from verify.claims.beyond_the_model import GRIDS, _sweep_grids

    s = regime(3, 0)
    p = predicted_boundary("off_pattern", s)
    # one push of the own class, mu eta1 (1 - p) / 2 with 1 - p = 1/2 + 1/sqrt(2 pi m1), equals r
    assert p["mu_star"] == pytest.approx(2 * s.r / (s.eta1 * (0.5 + 1 / math.sqrt(60 * math.pi))),
                                         rel=1e-12)
    assert p["mu_star"] == pytest.approx(0.0174570, rel=1e-5)  # r = eta1/200, m1 = 30
    assert predicted_boundary("off_pattern", regime(4, 0))["mu_star"] == p["mu_star"]
    first = [min(m for m in g["mu"] if m > 0) for g in GRIDS.values()]
    first += [min(r["mu"] for r in g.regimes if r["mu"] > 0) for g in _sweep_grids().values()]
    assert 0.0 < p["mu_star"] < min(first)
    assert sigma_star_at(p, 0.0) == p["sigma_star"]
    assert sigma_star_at(p, p["mu_star"]) == 0.0
    # noise: one flip pushes the rival by eta1/(2 m1) = 3.3 r > r, so the argmax's first flip
    assert p["sigma_star"] == predicted_boundary("argmax", s)["sigma_star"]
    big = s.replace(m=300)  # m1 = 150: one flip pushes by eta1/(2 m1) = 2r/3, two are needed
    assert predicted_boundary("off_pattern", big)["sigma_star"] == pytest.approx(
        2 * predicted_boundary("argmax", big)["sigma_star"], rel=1e-12)
    # one flip pushing by exactly r leaves o_j.w_i = r, which item 2 allows: two are needed
    edge = s.replace(m=256, eta1=2**-10, r=2**-18)  # eta1/(2 m1) = r in exact arithmetic
    assert predicted_boundary("off_pattern", edge)["sigma_star"] == pytest.approx(
        2 * predicted_boundary("argmax", edge)["sigma_star"], rel=1e-12)


def test_conclusion_row__item_2_measured_and_predicted_mu_star_agree_on_a_coarse_grid():
    mus, sigmas = (0.0, 0.05), (0.0,)
    row = conclusion_row("off_pattern", regime(3, 0), mus, sigmas,
                         {(0.0, 0.0): [True, True], (0.05, 0.0): [False, True, False]},
                         reproduce="x")
    assert row.claim == NAMES["off_pattern"] == "Beyond the model: Lemma 5.3 item 2"
    assert row.verdict.value == "fails"
    assert row.details["measured_mu_star_at_sigma_0"]["boundary"] == 0.025
    assert row.details["agreement"]["mu_at_sigma_0"] == "agree (within one grid step)"
    assert "o_j.w_i^(t) <= r" in row.statement
    assert not inside_stated_assumptions(row.as_dict())


# ------------------------------------------------------------------------ predictions


def test_predictions__constants():
    assert expected_max_normal(1) == pytest.approx(0.0, abs=1e-12)
    assert expected_max_normal(2) == pytest.approx(1 / math.sqrt(math.pi), rel=1e-9)
    assert expected_max_normal(4) == pytest.approx(1.029375, rel=1e-5)
    assert gap_density(2) == pytest.approx(1 / math.sqrt(math.pi), rel=1e-9)
    # the minority class of S1 at its typical size, p = 1/2 - 1/sqrt(2 pi m1); as m1 grows,
    # p -> 1/2 and the growth condition (p - 2/9)/(1 - p) -> 5/9
    assert alignment_mu_star(10**12) == pytest.approx(5 / 9, abs=1e-5)
    s = regime(3, 0)
    p30 = 0.5 - 1 / math.sqrt(2 * math.pi * 30)
    p = predicted_boundary("alignment", s)
    assert p["mu_star"] == pytest.approx((p30 - 2 / 9) / (1 - p30), rel=1e-12)
    assert p["sigma_slope"] == pytest.approx(1 / 1.029375, rel=1e-5)
    # the proof's chain: X^2 <= 1 / (2 k eta1 (T1+1)) = 2 at the largest eta1
    out = predicted_boundary("output", s)
    x = 1 + out["sigma_star"] * (math.sqrt(3) + math.sqrt(2 * math.log(s.m1 * s.n)))
    assert x**2 == pytest.approx(2.0, rel=1e-12)
    with pytest.raises(ValueError, match="conclusion"):
        predicted_boundary("nope", s)


def test_sigma_star_at__caps_by_mu_star_and_slope():
    p = {"mu_star": 0.5, "sigma_star": 0.3, "sigma_slope": 1.0}
    assert sigma_star_at(p, 0.0) == 0.3
    assert sigma_star_at(p, 0.4) == pytest.approx(0.1)
    assert sigma_star_at(p, 0.5) == 0.0
    assert math.isnan(sigma_star_at({"mu_star": math.nan, "sigma_star": 1, "sigma_slope": 1}, 0))


# ------------------------------------------------------------------------ the report


def _failing_rows():
    mus, sigmas = (0.0, 0.5), (0.0, 0.5)
    outcomes = {(m, s): [False, False] for m in mus for s in sigmas}
    return [conclusion_row(c, regime(3, 0), mus, sigmas, outcomes, reproduce="x")
            for c in ("alignment", "argmax")]


def test_rows__are_outside_the_stated_assumptions_and_never_fail_the_report():
    rows = [e.as_dict() for e in _failing_rows()]
    assert all(r["verdict"] == "fails" for r in rows)
    assert all(not inside_stated_assumptions(r) for r in rows)
    assert all(r["assumptions"] == dict.fromkeys(OUTSIDE, False) for r in rows)
    result = SectionResult(key=DECLARATION.key, evidence=rows)
    for summary in claim_summary(DECLARATION, result):
        assert not is_failure(summary["verdict"]), summary
    doc = build_document({DECLARATION.key: result}, (DECLARATION,), profile="quick", seed=0,
                         command="test", complete=True)
    assert doc["exit_status"] == 0


def test_check_grid__a_tiny_grid_gives_one_row_per_conclusion_and_the_errors():
    rows = check_grid(3, (0.0, 0.5), (0.0,), 1)
    assert [r.claim for r in rows] == list(NAMES.values())
    assert all(not inside_stated_assumptions(r.as_dict()) for r in rows)
    assert rows[0].details["plot"]["image"]["z"] == [[1.0, 1.0]]


def test_sweep__one_spec_per_conclusion_marked_outside_unless_exact():
    assert [s.claim for s in SWEEP] == list(NAMES.values())
    ev = sweep_evidence("output", {"mu": 0.5, "sigma": 0.0, "d": 3}, 0)
    assert ev.assumptions == {OUTSIDE[0]: False, OUTSIDE[1]: True}
    assert ev.verdict.value == "holds"
    anchor = sweep_evidence("output", {"mu": 0.0, "sigma": 0.0, "d": 3}, 0)
    assert not inside_stated_assumptions(anchor.as_dict())
    with pytest.raises(ValueError, match="conclusion"):
        sweep_evidence("nope", {"mu": 0.0, "sigma": 0.0, "d": 3}, 0)


# ------------------------------------------------------------------------ the atlas


def _store_rows(claim, cells):
    """Sweep-store rows: ``cells`` maps ``(mu, sigma)`` to verdicts over seeds."""
    return [{"claim": claim, "params": {"mu": mu, "sigma": s, "d": 3}, "verdict": v,
             "observed": 1.0 if v == "holds" else 0.0}
            for (mu, s), vs in cells.items() for v in vs]


def test_atlas_figure__phase_diagram_and_reading_from_store_rows():
    from verify.claims.beyond_the_model.figures import atlas_figure

    cells = {(0.0, 0.0): ["holds", "holds"], (0.5, 0.0): ["holds", "fails"],
             (0.0, 0.5): ["fails", "fails"], (0.5, 0.5): ["fails", "not applicable"]}
    out = atlas_figure(_store_rows(NAMES["output"], cells))
    image = out["plot"]["image"]
    assert image["x"] == [0.0, 0.5]
    assert image["y"] == [0.0, 0.5]
    assert image["z"] == [[1.0, 0.5], [0.0, 0.0]]
    assert out["plot"]["series"][0]["y"] == [0.25, 0.25]
    assert "sigma* at mu = 0 measured 0.25" in out["reading"]
    assert "mu* at sigma = 0 measured beyond the grid, predicted 1" in out["reading"]
    item_2 = atlas_figure(_store_rows(NAMES["off_pattern"], cells))["reading"]
    assert "mu* at sigma = 0 measured beyond the grid, predicted 0.0175" in item_2
    cells[(0.5, 0.0)] = ["fails", "fails"]
    item_2 = atlas_figure(_store_rows(NAMES["off_pattern"], cells))["reading"]
    assert "mu* at sigma = 0 measured 0.25, predicted 0.0175" in item_2
    assert out["reading"].startswith("outside the paper's model")


def test_atlas_figure__lw_cnn_against_the_svm_reads_as_a_region():
    from verify.claims.beyond_the_model.figures import atlas_figure

    cells = {(0.0, 0.0): ["fails", "fails"], (0.5, 0.0): ["fails", "fails"],
             (0.0, 0.5): ["holds", "holds"], (0.5, 0.5): ["holds", "fails"]}
    out = atlas_figure(_store_rows(NAMES["cnn_beats_svm"], cells))
    assert "in {(0, 0.5)} (1 of 4 cells)" in out["reading"]
    assert out["plot"]["series"] == []


def test_atlas_figure__refuses_mixed_claims_and_holes_in_the_grid():
    from verify.claims.beyond_the_model.figures import atlas_figure

    rows = _store_rows(NAMES["output"], {(0.0, 0.0): ["holds"], (0.5, 0.5): ["holds"]})
    with pytest.raises(ValueError, match="full"):
        atlas_figure(rows)
    rows = _store_rows(NAMES["output"], {(0.0, 0.0): ["holds"]})
    rows += _store_rows(NAMES["argmax"], {(0.0, 0.0): ["holds"]})
    with pytest.raises(ValueError, match="one of"):
        atlas_figure(rows)


def test_atlas__declares_one_figure_per_sweep_of_the_section():
    from verify.report.atlas import ATLAS

    claims = {a.claim for a in ATLAS if a.figure is not None}
    assert {s.claim for s in SWEEP} <= claims


def test_advantage_frontier__ties_are_not_an_advantage_and_the_first_loss_stops_it():
    from verify.claims.beyond_the_model.rows import advantage_frontier

    mus, sigmas = [0.0, 0.1, 0.2], [0.0, 0.5]
    mean = {(0.0, 0.0): (0.0, 0.0), (0.1, 0.0): (0.0, 1e-12), (0.2, 0.0): (0.0, 1.0),
            (0.0, 0.5): (0.1, 0.1 + 1e-12), (0.1, 0.5): (0.2, 0.2), (0.2, 0.5): (0.0, 1.0)}
    got = advantage_frontier(mus, sigmas, mean)
    assert math.isnan(got[0])  # a tie at mu = 0: not ahead
    assert got[1] == 0.0  # ahead just inside at mu = 0, a tie at 0.1 stops it


def test_errors_row__rates_frontier_and_verdict():
    from verify.claims.beyond_the_model.rows import errors_row

    mus, sigmas = (0.0, 0.5), (0.0, 0.5)
    errors = {(0.0, 0.0): [(0.0, 0.0)], (0.5, 0.0): [(0.0, 0.0)],
              (0.0, 0.5): [(0.1, 0.3), (0.2, 0.1)], (0.5, 0.5): [(0.4, 0.3)]}
    ev = errors_row(regime(3, 0), mus, sigmas, errors, reproduce="x")
    assert ev.claim == NAMES["cnn_beats_svm"]
    assert ev.verdict.value == "fails"
    assert ev.details["advantage_frontier_mu"][1] == 0.0
    assert ev.details["plot"]["image"]["z"] == [[0.0, 0.0], [0.5, 0.0]]
    assert ev.observed == pytest.approx(0.1)
    assert "ahead in 1, tied in 2, behind in 1 of 4 cells (behind at mu >= 0.5" in ev.reason
    assert "sigma = 0: tied at mu = 0" in ev.reason
    assert not inside_stated_assumptions(ev.as_dict())
    ahead = {c: [(0.0, 0.1)] for c in errors}
    assert errors_row(regime(3, 0), mus, sigmas, ahead, reproduce="x").verdict.value == "holds"


def test_phase_diagram__renders_with_a_square_root_noise_axis():
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify._plot import render_spec

    (row,) = _failing_rows()[:1]
    spec = row.details["plot"]
    assert spec["image"]["yscale"] == "sqrt"
    assert render_spec(spec)[:8] == b"\x89PNG\r\n\x1a\n"


def test_errors_row__the_mlp_beside_when_every_seed_has_it():
    from verify.claims.beyond_the_model.rows import errors_row

    mus, sigmas = (0.0,), (0.0, 0.5)
    errors = {(0.0, 0.0): [(0.0, 0.0, 0.0)], (0.0, 0.5): [(0.1, 0.3, 0.2), (0.1, 0.3, 0.05)]}
    ev = errors_row(regime(3, 0), mus, sigmas, errors, reproduce="x")
    assert [c["mlp_error"] for c in ev.details["cells"]] == [0.0, 0.125]
    assert "below the MLP's in 1 of the 2 cells where it was trained" in ev.reason
    errors[(0.0, 0.0)] = [(0.0, 0.0, float("nan"))]
    ev = errors_row(regime(3, 0), mus, sigmas, errors, reproduce="x")
    assert "below the MLP's in 1 of the 1 cells where it was trained" in ev.reason
    assert "mlp_error" not in ev.details["cells"][0]
    errors[(0.0, 0.5)] = [(0.1, 0.3)]
    assert "MLP" not in errors_row(regime(3, 0), mus, sigmas, errors, reproduce="x").reason


def test_mlp_at__everywhere_nowhere_or_on_a_sub_grid():
    from verify.claims.beyond_the_model import GRIDS, _mlp_at

    assert _mlp_at(True, 0.05, 0.005)
    assert not _mlp_at(False, 0.0, 0.0)
    assert _mlp_at((0.0, 0.1), 0.1, 0.0)
    assert not _mlp_at((0.0, 0.1), 0.1, 0.05)
    assert GRIDS["quick"]["mlp"] is False
    assert set(GRIDS["standard"]["mlp"]) <= set(GRIDS["standard"]["mu"]) & set(
        GRIDS["standard"]["sigma"])


def test_evaluate_point__trains_the_mlp_only_when_asked():
    out = evaluate_point(SETTING, RelaxedModel(0.0, 0.3), fresh=5, test_points=200)
    assert math.isnan(out.mlp_error)
    out = evaluate_point(SETTING, RelaxedModel(0.0, 0.3), fresh=5, test_points=200, mlp=True)
    assert 0.0 <= out.mlp_error <= 1.0


def test_controls__each_conclusion_has_its_own_twin_in_the_summary():
    from verify.claims.beyond_the_model import CONCLUSIONS, TWINS

    assert list(TWINS) == list(CONCLUSIONS)
    twins = {name: DECLARATION.control_of(name).twin for name in NAMES.values()}
    assert twins == {NAMES[c]: TWINS[c] for c in CONCLUSIONS}
    assert len(set(twins.values())) == len(twins)  # no twin shared between conclusions
    own = {"alignment": "Lemma 5.3's alignment", "off_pattern": "Lemma 5.3's item 2",
           "argmax": "Lemma 5.3's argmax",
           "response": "Lemma 5.5", "output": "Lemma C.2", "separable": "S2",
           "cnn_beats_svm": "LW_CNN stays ahead of the SVM"}
    assert all(own[c] in TWINS[c] for c in CONCLUSIONS)
    assert [c for c in CONCLUSIONS if "SVM" in TWINS[c]] == ["cnn_beats_svm"]
    # the Summary's Control column shows each row's own twin
    rows = [e.as_dict() for e in _failing_rows()]
    result = SectionResult(key=DECLARATION.key, evidence=rows)
    summary = {s["claim"]: s["control"] for s in claim_summary(DECLARATION, result)}
    assert {name: summary[name]["twin"] for name in NAMES.values()} == twins
