"""The atlas's own figures for the claims whose sweep rows read better as a curve than as a
map of failures: Theorem 5.1 part (2) where its bound says something, and the
sample-complexity scaling law. Tested on their data: which rows enter which learner and d, the
fits against the claim's own fitting code, the reading, and that the figure is the one drawn."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from verify.claims import sample_complexity as sc
from verify.claims import theorem_5_1_nonvacuous as nv
from verify.claims.sample_complexity.law import fit_law
from verify.claims.sample_complexity.rules import fit_exponent
from verify.report.atlas import ATLAS, atlas_entries, sequential_seeds

BIG = 2 * sc.TOP[1]  # a censored m_eps at r = 1, as the sweep stores it


def _sc_rows(table):
    """Store-like rows of the scaling law from ``{(d, fc): [(cnn, fc_value), ...]}``."""
    rows = []
    for (d, fc), pairs in table.items():
        for rep, (c, f) in enumerate(pairs):
            rows.append({"claim": sc.CLAIM, "params": json.dumps({"d": d, "fc": fc}),
                         "replicate": rep, "root_seed": 0, "observed": float(c),
                         "bound": float(f), "slack": math.log2(f / c), "verdict": "event",
                         "assumed": True, "event": c < f, "probability_bound": 0.5})
    return rows


TABLE = {(3, "SVM"): [(4, 16), (8, 16), (8, 32)], (3, "MLP"): [(4, 32), (8, 32), (16, 64)],
         (4, "SVM"): [(8, 32), (8, 64), (4, 32)], (4, "MLP"): [(8, 64), (8, BIG), (8, 64)],
         (5, "SVM"): [(8, 64), (16, 64), (8, 128)], (5, "MLP"): [(8, 128), (16, 256), (8, 8)]}


def _parsed(rows):
    return [{**r, "params": json.loads(r["params"])} for r in rows]


def test_scaling_law_figure__each_learner_gets_its_rows_and_the_claims_own_fit():
    fig = sc.atlas_figure(_parsed(_sc_rows(TABLE)))
    labels = [s["label"] for s in fig["plot"]["series"]]
    points = {s["label"].split(":")[0]: s for s in fig["plot"]["series"]
              if s["style"] == "points"}
    assert sorted(points) == ["CNN", "MLP", "SVM"]
    # the CNN's seeds are pooled over both comparisons (each task is a seed of its own)
    cnn = {d: [c for (dd, _), pairs in TABLE.items() if dd == d for c, _ in pairs]
           for d in (3, 4, 5)}
    svm = {d: [f for c, f in TABLE[(d, "SVM")]] for d in (3, 4, 5)}
    mlp = {d: [f for c, f in TABLE[(d, "MLP")]] for d in (3, 4, 5)}
    for name, m in (("CNN", cnn), ("SVM", svm), ("MLP", mlp)):
        want = fit_exponent([3, 4, 5], [m[d] for d in (3, 4, 5)])
        gm = [math.exp(np.mean(np.log(m[d]))) for d in (3, 4, 5)]
        assert points[name]["y"] == pytest.approx(gm, rel=1e-12)
        assert points[name]["x"] == [3, 4, 5]
        assert f"{name} fit: {want['constant']:.3g} d^{want['exponent']:.2f}" in " ".join(labels)
        assert f"{name} {want['exponent']:.2f} (" in fig["reading"]
        below, above = points[name]["yerr"]
        assert min(below) >= 0
        assert min(above) >= 0
        assert [g + a for g, a in zip(gm, above, strict=True)] == pytest.approx(
            [max(m[d]) for d in (3, 4, 5)])
    assert f"(1 censored seeds at {BIG})" in points["MLP"]["label"]
    ratio_svm = (math.exp(np.mean(np.log(svm[5]))) / math.exp(np.mean(np.log(cnn[5]))))
    assert f"at d = 5 the samples needed, as a multiple of the CNN's: the SVM {ratio_svm:.3g} " \
           "and the MLP" in fig["reading"]
    assert "the bounds' exponents: 1 for the CNN (Theorem 5.1), 2 for the fully connected" \
        in fig["reading"]
    slopes = [s for s in fig["plot"]["series"] if s["style"] == "reference"]
    assert [s["label"].split(",")[0] for s in slopes] == ["slope of the CNN's bound",
                                                         "slope of the SVM's bound",
                                                         "slope of the MLP's bound"]
    for s, b in zip(slopes, (1.0, 2.0, 2.0), strict=True):
        assert math.log(s["y"][-1] / s["y"][0]) / math.log(s["x"][-1] / s["x"][0]) == \
            pytest.approx(b)
    assert fig["plot"]["logx"]
    assert fig["plot"]["logy"]


def test_scaling_law_figure__equals_check_scalings_fit_on_the_same_sizes():
    """One source of truth: the atlas's numbers are the claim's _fit on the same m_eps."""
    rows = _parsed(_sc_rows(TABLE))
    fig = sc.atlas_figure(rows)
    m = {d: [f for c, f in TABLE[(d, "SVM")]] for d in (3, 4, 5)}
    fit = fit_law("SVM", m, r=1, seed=0)
    lo, hi = fit["interval"]
    assert f"SVM {fit['exponent']:.2f} ({lo:.2f} to {hi:.2f})" in fig["reading"]


def test_scaling_law_figure__both_r_in_one_figure_with_their_own_bounds():
    rows = _parsed(_sc_rows(TABLE))
    two = _parsed(_sc_rows({(d, "SVM"): [(4, 8 * d**2), (8, 8 * d**2)] for d in (3, 4)}))
    for row in two:
        row["params"]["r"] = 2
    fig = sc.atlas_figure(rows + two)
    labels = [s["label"] for s in fig["plot"]["series"]]
    assert any(lab.startswith("n=d^2: SVM fit") for lab in labels)
    assert any(lab.startswith("n=d^2: slope of the SVM's bound, d^4") for lab in labels)
    assert "n = d^1, d = 3..5" in fig["reading"]
    assert "n = d^2, d = 3..4" in fig["reading"]
    assert "n=d^r" in fig["plot"]["title"]


def test_scaling_law_figure__one_d_has_no_fit_and_no_rows_is_refused():
    one = {k: v for k, v in TABLE.items() if k[0] == 3}
    fig = sc.atlas_figure(_parsed(_sc_rows(one)))
    assert fig["plot"] is None
    assert fig["reading"] == "m_0.05(d) measured at one d per r only: no exponent can be fitted"
    with pytest.raises(ValueError, match="rows"):
        sc.atlas_figure([])


def _nv_rows(d, m2s, errors):
    rows = []
    for m2 in m2s:
        bound = nv.margin_bound(nv.PROOF_CONSTANT * d, m2)
        for rep, e in enumerate(errors(m2)):
            rows.append({"claim": nv.CLAIM, "params": json.dumps({"d": d, "m2": m2}),
                         "replicate": rep, "root_seed": 0, "observed": e, "bound": bound,
                         "slack": bound - e, "verdict": "holds" if e <= bound else "fails",
                         "assumed": True, "event": None, "probability_bound": None})
    return rows


def test_nonvacuous_figure__smallest_nonvacuous_m2_and_the_runs_above_the_bound():
    m2s = (4**5, 4**10, 4**11, 4**12)
    rows = _nv_rows(3, m2s, lambda m2: [0.0, 0.9 if m2 == 4**11 else 0.01, 0.0])
    rows += _nv_rows(4, (4**5, 4**6), lambda m2: [0.5, 0.0])
    fig = nv.atlas_figure(_parsed(rows))
    b10 = nv.margin_bound(nv.PROOF_CONSTANT * 3, 4**10)
    assert b10 < 1 < nv.margin_bound(nv.PROOF_CONSTANT * 3, 4**5)
    assert fig["reading"] == (
        f"d = 3: non-vacuous from m2 = {4**10:,} (bound {b10:.3g}), error above the bound in 1 "
        "of 9 runs there (largest error 0.9); d = 4: the bound is >= 1 at every swept m2 "
        f"(<= {4**6:,}): vacuous")
    series = fig["plot"]["series"]
    assert [s["label"] for s in series] == [
        "d=3: mean limit error over 3 seeds (0 drawn at 1e-06)",
        "explicit bound 2 sqrt(51200 d/m2) + sqrt(2 ln(2/delta)/m2) (one per d, larger d above)",
        "d=4: mean limit error over 2 seeds (0 drawn at 1e-06)", None]
    assert [s["spread"] for s in series[::2]] == ["mean to max over seeds", None]
    assert series[0]["x"] == list(m2s)
    assert series[0]["y"] == pytest.approx([1e-6 if e == 0 else e for e in
                                            (0.01 / 3, 0.01 / 3, 0.9 / 3, 0.01 / 3)])
    assert series[0]["hi"] == pytest.approx([0.01, 0.01, 0.9, 0.01])
    assert series[1]["y"] == pytest.approx([nv.margin_bound(nv.PROOF_CONSTANT * 3, m)
                                            for m in m2s])
    assert series[1]["style"] == "bound"
    with pytest.raises(ValueError, match="rows"):
        nv.atlas_figure([])


def test_atlas__the_curve_claims_are_in_the_atlas_with_their_own_figure(tmp_path):
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify.claims.beyond_the_model import SWEEP as BEYOND

    claims = [s.claim for s in ATLAS if s.figure is not None]
    assert claims == [nv.CLAIM, sc.CLAIM, *(s.claim for s in BEYOND)]
    rows = _sc_rows(TABLE) + _nv_rows(3, (4**5, 4**10), lambda m2: [0.0, 0.0])
    df = pd.DataFrame(rows)
    entries = atlas_entries(df, [], tmp_path, "F")
    by = {e["claim"]: e for e in entries}
    assert by[sc.CLAIM]["figures"] == ["F/atlas-sample-complexity-scaling-law.png"]
    assert by[nv.CLAIM]["figures"] == ["F/atlas-theorem-5-1-non-vacuous-bound.png"]
    assert (tmp_path / "atlas-sample-complexity-scaling-law.png").stat().st_size > 0
    fig = sc.atlas_figure(_parsed(_sc_rows(TABLE)))
    assert by[sc.CLAIM]["plot"] == fig["plot"]
    # the claim's reading first, then the cells' (any claim's) reading
    assert by[sc.CLAIM]["reading"].startswith(fig["reading"] + ". 18 rows in 3 cells; ")
    assert by[nv.CLAIM]["reading"].startswith("d = 3: non-vacuous from m2 = 1,048,576")
    # the order of a store's rows does not change a figure (the bootstrap resamples by index)
    shuffled = df.sample(frac=1.0, random_state=1).reset_index(drop=True)
    again = {e["claim"]: e for e in atlas_entries(shuffled, [], None, "F")}
    assert again[sc.CLAIM]["reading"] == by[sc.CLAIM]["reading"]
    assert again[sc.CLAIM]["plot"] == by[sc.CLAIM]["plot"]


def test_draw_rates__a_learner_is_a_label_as_it_is():
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify._plot import figure
    from verify.report.atlas import _draw_rates_on

    own = [{"claim": sc.CLAIM, "params": {"d": d, "fc": fc}, "seeds": 7, "rate": 1.0,
            "ci95": [0.59, 1.0], "stated_lower_bound": 0.5, "vacuous": False, "rejected": False}
           for d in (3, 4) for fc in ("MLP", "SVM")]
    with figure() as (_, ax):
        _draw_rates_on(ax, sc.CLAIM, own)
        assert [t.get_text() for t in ax.get_xticklabels()] == [
            "d=3, fc=MLP", "d=3, fc=SVM", "d=4, fc=MLP", "d=4, fc=SVM"]


def test_sequential_seeds__a_fixed_number_of_trials_is_not_rounds():
    def ev(claim, budget):
        params = {"d": 4} if budget is None else {"d": 4, "budget": budget}
        return {"claim": claim, "params": params,
                "details": {"decision": {"status": "demonstrated", "trials": 40}}}

    got = sequential_seeds([{"evidence": [ev("Eq. 14", None), ev("Theorem 5.1 (confidence)",
                                                                  640)]}])
    assert [(r["claim"], r["budget"]) for r in got] == [("Theorem 5.1 (confidence)", 640)]
    inside = sequential_seeds([{"evidence": [{
        "claim": "T", "params": {"d": 4},
        "details": {"decision": {"status": "refuted", "trials": 8, "budget": 16}}}]}])
    assert [(r["claim"], r["seeds"], r["budget"]) for r in inside] == [("T", 8, 16)]


def test_value__numbers_as_g_and_anything_else_as_it_is():
    from verify.report.atlas import _value

    assert [_value(v) for v in (2.0, 3, 1e-6, 0.25)] == ["2", "3", "1e-06", "0.25"]
    assert [_value(v) for v in (True, "SVM")] == ["True", "SVM"]  # a bool is not a number here


def test_reading__counts_take_the_noun_in_their_number():
    from verify.report.atlas import AtlasSpec, _reading, atlas_cells
    from verify.report.format import counted

    assert [counted(n, "cell", "cells") for n in (0, 1, 2)] == ["0 cells", "1 cell", "2 cells"]
    spec = AtlasSpec("X", ("d",))
    one = pd.DataFrame([{"claim": "X", "params": json.dumps({"d": 4}), "verdict": "fails",
                         "slack": -1.0, "assumed": True, "observed": 1.0, "bound": 0.5,
                         "event": None, "probability_bound": None}])
    assert _reading(spec, atlas_cells(one, spec)[1], []) == (
        "1 row in 1 cell; 1 cell that fails (1 where every stated assumption holds).")


@pytest.mark.parametrize(("figure", "rows", "match"), [
    (sc.atlas_figure, "rows", "non-empty list"),
    (sc.atlas_figure, [{"observed": 4.0}], "params mapping"),
    (sc.atlas_figure, [{"params": {"d": 3}, "observed": 4.0, "bound": 8.0, "root_seed": 0}],
     "params lack fc"),
    (sc.atlas_figure, [{"params": {"d": 3, "fc": "SVM"}, "observed": "4", "bound": 8.0,
                        "root_seed": 0}], "observed must be a number"),
    (nv.atlas_figure, [{"params": {"m2": 4}, "observed": 0.0, "bound": 9.0}], "params lack d"),
    (nv.atlas_figure, [{"params": {"d": 3, "m2": 4}, "observed": 0.0, "bound": None}],
     "bound must be a number"),
])
def test_atlas_figure__malformed_rows_are_refused_by_name(figure, rows, match):
    with pytest.raises(ValueError, match=f"rows.*{match}"):
        figure(rows)
