"""The atlas's figures tested on their data, not only on a PNG being written: which cells fail
(a cell fails when ANY of its seeds misses the claimed event), where the hatching goes (on the
cells where a stated assumption FAILS), the reading line, and the predicted boundary."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from verify.report.atlas import AtlasSpec, _reading, atlas_cells, predicted_theorem_4_2


def _row(claim, verdict="holds", assumed=True, event=None, **params):
    return {"claim": claim, "params": json.dumps(params, sort_keys=True), "verdict": verdict,
            "slack": 0.5, "assumed": assumed, "observed": 0.1, "bound": 0.2, "event": event,
            "probability_bound": None if event is None else 0.9}


def _probabilistic_cells():
    """Four (m, n) cells of three seeds each: one seed misses the event at (10, 3), all three
    at (20, 4), none elsewhere; the assumptions fail at n = 4 only."""
    spec = AtlasSpec("P", ("m", "n"))
    rows = []
    for m in (10, 20):
        for n in (3, 4):
            for s in range(3):
                missed = (m, n) == (20, 4) or ((m, n) == (10, 3) and s == 1)
                rows.append(_row("P", event=not missed, assumed=n == 3, m=m, n=n))
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    return spec, axes, cells


def test_reading__a_cell_fails_when_any_seed_misses_the_event():
    spec, axes, cells = _probabilistic_cells()
    assert axes == ["m", "n"]
    assert [(c["at"]["m"], c["at"]["n"], c["rows"], c["fails"]) for c in cells] == [
        (10, 3, 3, 1), (10, 4, 3, 0), (20, 3, 3, 0), (20, 4, 3, 3)]
    reading = _reading(spec, cells, [])
    assert reading.startswith("12 rows in 4 cells; 2 cells with a seed missing the claimed "
                              "event (1 where every stated assumption holds)")


def test_reading__a_deterministic_cell_fails_when_any_row_fails():
    spec = AtlasSpec("X", ("d", "l"))
    rows = [_row("X", verdict="fails" if s == 0 else "holds", d=4, l=2) for s in range(3)]
    rows += [_row("X", d=4, l=3) for _ in range(3)]
    _, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert "2 cells; 1 cell that fails (1 where every stated assumption holds)" in _reading(
        spec, cells, [])


def test_draw_cells__hatching_on_the_cells_where_an_assumption_fails_only():
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    import matplotlib.patches

    from verify._plot import figure
    from verify.report.atlas import _draw_cells_on

    spec, axes, cells = _probabilistic_cells()
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        hatched = sorted((round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in ax.patches
                         if isinstance(p, matplotlib.patches.Rectangle) and p.get_hatch())
        colours = ax.collections[0].get_array()
    # x index over m (10, 20), y index over n (3, 4): the assumptions fail at n = 4 (y = 1)
    assert hatched == [(0, 1), (1, 1)]
    assert list(colours.ravel()) == [1 / 3, 0.0, 0.0, 1.0]  # rows n = 3, then n = 4


def test_draw_cells__the_predicted_boundary_lies_between_predicted_fail_and_hold():
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify._plot import figure
    from verify.report.atlas import _draw_cells_on

    spec = AtlasSpec("X", ("d", "l"), predicted_theorem_4_2, "fails iff l <= d/2")
    rows = [_row("X", verdict="fails" if l <= d / 2 else "holds", d=d, l=l)
            for d in (4, 6) for l in (1, 2, 3, 4)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert axes == ["d", "l"]
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        segments = sorted((tuple(ln.get_xdata()), tuple(ln.get_ydata())) for ln in ax.get_lines()
                          if len(ln.get_xdata()) == 2)
    # d = 4 (x = 0): fails for l <= 2, so between l = 2 and 3 (y = 1.5); d = 6: l = 3 and 4
    assert segments == [((-0.5, 0.5), (1.5, 1.5)), ((0.5, 1.5), (2.5, 2.5))]
    assert "matches the errata's prediction in 8 of 8 cells" in _reading(spec, cells, [])


def test_build_document__a_fuzzing_counterexample_outside_the_assumptions_is_not_exit_1():
    """A counterexample found outside the assumptions shows that an assumption is needed: no
    failure of the claim as stated (exit 0); one found inside is (exit 1)."""
    from verify.report.document import build_document
    from verify.report.runner import SectionResult

    def doc(rows):
        return build_document({"fuzzing": SectionResult(key="fuzzing", extra=rows)}, (),
                              profile="quick", seed=0, command="c", complete=True)

    outside = {"claim": "Lemma 5.2", "assumption": "l >= d", "result": "needed", "tries": 5,
               "counterexample": '{"d": 4, "l": 2}', "inside": False}
    inside = {**outside, "assumption": "(all stated hold)",
              "result": "VIOLATED inside the assumptions", "inside": True}
    held = {**inside, "result": "held in 5 tries", "counterexample": ""}
    assert doc([outside])["exit_status"] == 0
    assert doc([outside, held])["exit_status"] == 0
    assert doc([outside, inside])["exit_status"] == 1


def test_atlas_cells__seeds_each_regime_took():
    """Where seeds were added in rounds (verify.sweep.adaptive), regimes differ in
    seeds; each cell states the fewest and most seeds a regime of it took."""
    spec = AtlasSpec("P", ("m",))
    rows = [_row("P", event=True, m=m, n=n) for m, n, seeds in
            ((10, 3, 20), (10, 4, 40), (20, 3, 80), (20, 4, 80)) for _ in range(seeds)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert axes == ["m"]
    assert [(c["at"]["m"], c["rows"], c["seeds"]) for c in cells] == [
        (10, 60, [20, 40]), (20, 160, [80, 80])]


def test_sequential_seeds__the_regimes_decided_in_rounds_and_their_seeds():
    from verify.report.atlas import sequential_seeds
    from verify.report.markdown import sequential_table

    def ev(claim, trials, status, d):
        dec = {"status": status} if trials is None else {"status": status, "trials": trials}
        return {"claim": claim, "params": {"d": d, "l": d, "m": 40, "eta1": 0.1,
                                           "budget": 640},
                "details": {"decision": dec}}

    sections = [{"evidence": [ev("Theorem 5.1 (confidence)", 40, "demonstrated", 4),
                              ev("Theorem 5.1 (confidence)", 80, "demonstrated", 6),
                              {"claim": "X", "params": {}, "details": {}},
                              ev("Section 7", None, "undecided", 3)]},
                {"evidence": [ev("Corollary 5.4 (confidence)", 320, "demonstrated", 6)]}]
    got = sequential_seeds(sections)
    assert [(r["claim"], r["regime"], r["status"], r["seeds"], r["budget"]) for r in got] == [
        ("Theorem 5.1 (confidence)", {"d": 4, "l": 4, "m": 40}, "demonstrated", 40, 640),
        ("Theorem 5.1 (confidence)", {"d": 6, "l": 6, "m": 40}, "demonstrated", 80, 640),
        ("Corollary 5.4 (confidence)", {"d": 6, "l": 6, "m": 40}, "demonstrated", 320, 640)]
    table = sequential_table(got)
    assert "| Theorem 5.1 (confidence) | d=6, l=6, m=40 | demonstrated | 80 | 640 |" in table
    assert "| Corollary 5.4 (confidence) | d=6, l=6, m=40 | demonstrated | 320 | 640 |" in table
    assert sequential_table([]) == []


def test_reading__the_whole_line_with_the_success_rates():
    spec, _, cells = _probabilistic_cells()
    rates = [
        {"claim": "P", "vacuous": False, "rate": 0.95, "stated_lower_bound": 0.9,
         "ci95": [0.91, 0.98], "rejected": False},
        {"claim": "P", "vacuous": False, "rate": 0.5, "stated_lower_bound": 0.75,
         "ci95": [0.4, 0.6], "rejected": True},
        {"claim": "P", "vacuous": True, "rate": 0.0, "stated_lower_bound": -1.0,
         "ci95": [0.0, 0.1], "rejected": False},  # vacuous: not a margin
        {"claim": "Q", "vacuous": False, "rate": 0.0, "stated_lower_bound": 1.0,
         "ci95": [0.0, 0.1], "rejected": True},  # another claim's
    ]
    assert _reading(spec, cells, rates) == (
        "12 rows in 4 cells; 2 cells with a seed missing the claimed event (1 where every "
        "stated assumption holds); success rate below its stated bound (exact test) in 1 of 2 "
        "regimes; lowest margin: rate 0.5 (95% CI 0.4-0.6) against 0.75.")


def test_reading__no_failing_cell_has_no_count_inside():
    spec = AtlasSpec("X", ("d",))
    _, cells = atlas_cells(pd.DataFrame([_row("X", d=4), _row("X", d=5, assumed=False)]), spec)
    assert _reading(spec, cells, []) == "2 rows in 2 cells; 0 cells that fail."


def test_draw_rates__points_intervals_bounds_and_labels_are_the_rates():
    """The success-rate figure: one point per regime at its rate, its 95% interval as the error
    bar, the stated bound as a bar (at 0 where it is vacuous), ticks naming what varies."""
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    import matplotlib.collections
    import numpy as np

    from verify._plot import figure
    from verify.report.atlas import _draw_rates_on

    own = [{"params": {"d": 3, "k": 5}, "rate": 0.9, "ci95": [0.8, 0.95],
            "stated_lower_bound": 0.85, "seeds": 40},
           {"params": {"d": 4, "k": 5}, "rate": 0.25, "ci95": [0.1, 0.4],
            "stated_lower_bound": -1.0, "seeds": 40}]
    with figure((4, 3)) as (_, ax):
        _draw_rates_on(ax, "P", own)
        line = ax.lines[0]
        assert list(line.get_xdata()) == [0, 1]
        assert list(line.get_ydata()) == [0.9, 0.25]
        bars, bounds = (c for c in ax.collections
                        if isinstance(c, matplotlib.collections.LineCollection))
        assert [tuple(map(tuple, np.round(s, 12))) for s in bars.get_segments()] == [
            ((0.0, 0.8), (0.0, 0.95)), ((1.0, 0.1), (1.0, 0.4))]
        assert [tuple(map(tuple, np.round(s, 12))) for s in bounds.get_segments()] == [
            ((-0.3, 0.85), (0.3, 0.85)), ((0.7, 0.0), (1.3, 0.0))]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["d=3", "d=4"]
        assert ax.get_ylim() == pytest.approx((-0.02, 1.02))
        assert ax.get_title() == "P: success rate per regime (40 seeds each)"
        assert ax.get_ylabel() == "fraction of seeds with the claimed event"
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "stated lower bound on the probability (drawn at 0 where it is <= 0: vacuous)" \
            in labels


def test_draw_cells__the_heatmaps_words_and_numbers():
    """What a reader reads on a two-axis figure: the colour bar's meaning, each cell's worst
    slack at its place, the axes in the paper's terms, the title and its key to the hatching."""
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify._plot import figure
    from verify.report.atlas import _draw_cells_on

    spec, axes, cells = _probabilistic_cells()
    cells[0]["worst"] = -0.123
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        texts = sorted((t.get_position(), t.get_text()) for t in ax.texts)
        colorbar = fig.axes[-1].get_ylabel()
        ticks = ([t.get_text() for t in ax.get_xticklabels()],
                 [t.get_text() for t in ax.get_yticklabels()])
        labels, title = (ax.get_xlabel(), ax.get_ylabel()), ax.get_title()
        limits = ax.collections[0].get_clim()
    assert colorbar == "fraction of seeds without the claimed event"
    assert limits == (0, 1)
    assert texts == [((0, 0), "-0.12"), ((0, 1), "0.5"), ((1, 0), "0.5"), ((1, 1), "0.5")]
    assert ticks == (["10", "20"], ["3", "4"])
    assert labels == ("m (training samples)", "n (positions per input)")
    assert title == ("P: failures (colour), worst slack (numbers)\n"
                     "hatched: a stated assumption fails")


def test_draw_cells__one_axis_deterministic_observed_against_the_bound():
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify._plot import figure
    from verify.report.atlas import _draw_cells_on

    spec = AtlasSpec("X", ("d",))
    rows = [{**_row("X", verdict="fails" if d == 4 else "holds", d=d), "observed": 0.1 * d,
             "bound": 0.35} for d in (2, 3, 4) for _ in range(2)]
    rows[0]["observed"] = 0.05  # the worst over seeds is drawn: 0.2 at d = 2
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        lines = {ln.get_label(): (list(ln.get_xdata()), list(ln.get_ydata()))
                 for ln in ax.get_lines()}
        words = (ax.get_xlabel(), ax.get_ylabel(), ax.get_title(), ax.get_xscale())
    assert lines["observed (worst over seeds)"] == ([2, 3, 4], pytest.approx([0.2, 0.3, 0.4]))
    assert lines["stated bound"] == ([2, 3, 4], [0.35, 0.35, 0.35])
    assert lines["fails"] == ([4], pytest.approx([0.4]))
    assert words == ("d (dimension of a pattern)", "probability that the claimed event fails",
                     "X: observed against its bound", "linear")
