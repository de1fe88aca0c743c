"""The atlas's figures, read back from Matplotlib's artists: what a reader of each figure relies
on (which cells are coloured how, hatched, numbered, where the predicted boundary runs, the
points, error bars, bounds, ticks, labels, legends, scales and limits), for each kind of figure
(:mod:`verify.report.atlas`), and the files and entries that carry them. These are
the tests that kill the drawing's mutants (MUTATION.md)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from verify.report import atlas
from verify.report.atlas import (
    AtlasSpec,
    _draw_cells_on,
    _draw_fraction_on,
    _draw_rates_on,
    atlas_cells,
    atlas_entries,
    open_store,
    predicted_lemma_5_2,
    predicted_theorem_4_2,
    sequential_seeds,
)

pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")

from verify._plot import BOUND, FIGSIZE, PREDICTED, figure


def _row(claim, verdict="holds", slack=0.5, assumed=True, event=None, observed=0.1, bound=0.2,
         **params):
    return {"claim": claim, "params": json.dumps(params, sort_keys=True), "verdict": verdict,
            "slack": slack, "assumed": assumed, "observed": observed, "bound": bound,
            "event": event, "probability_bound": None if event is None else 0.9}


def _draw(spec, axes, cells, read):
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        return read(fig, ax)


def _segments(collection):
    return [tuple(map(tuple, np.round(s, 9))) for s in collection.get_segments()]


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _style(line):
    return (line.get_color(), line.get_linestyle(), line.get_linewidth())


# --- the heat map (two axes) ---------------------------------------------------------------


def _heatmap_cells():
    """Three d (x) by two l (y): a non-square grid, so that no swap of the axes goes unseen.
    Fractions failing: (4, 2) 1/2, (6, 2) 0, (8, 2) 1; (4, 3) 0, (6, 3) 1/2, (8, 3) 0; the
    assumptions fail at (6, 3) only; worst slacks differ per cell."""
    spec = AtlasSpec("X", ("d", "l"))
    fails = {(4, 2): 1, (8, 2): 2, (6, 3): 1}
    rows = []
    for d in (4, 6, 8):
        for l in (2, 3):
            for s in range(2):
                rows.append(_row("X", verdict="fails" if s < fails.get((d, l), 0) else "holds",
                                 slack=d / 10 - l + s, assumed=(d, l) != (6, 3), d=d, l=l))
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert axes == ["d", "l"]
    return spec, axes, cells


def test_heatmap__colours_are_the_failing_fractions_on_a_cell_grid():
    spec, axes, cells = _heatmap_cells()

    def read(fig, ax):
        mesh = ax.collections[0]
        return (np.asarray(mesh.get_array()).reshape(2, 3).tolist(),
                np.asarray(mesh.get_coordinates()).tolist(), mesh.get_clim(),
                mesh.get_cmap().name, mesh.colorbar.ax.get_ylabel(), len(fig.axes))

    grid, coords, clim, cmap, bar, n_axes = _draw(spec, axes, cells, read)
    assert grid == [[0.5, 0.0, 1.0], [0.0, 0.5, 0.0]]  # rows l = 2, 3; columns d = 4, 6, 8
    assert coords == [[[x - 0.5, y - 0.5] for x in range(4)] for y in range(3)]
    assert clim == (0, 1)
    assert cmap == "RdYlGn_r"  # red where the rows fail
    assert (bar, n_axes) == ("fraction of rows that fail", 2)


def test_heatmap__hatching_numbers_ticks_words_and_no_grid():
    spec, axes, cells = _heatmap_cells()

    def read(fig, ax):
        hatched = [(p.get_xy(), p.get_width(), p.get_height(), p.get_fill(), bool(p.get_hatch()))
                   for p in ax.patches]
        texts = sorted((t.get_position(), t.get_text(), t.get_ha(), t.get_va())
                       for t in ax.texts)
        ticks = (list(ax.get_xticks()), [t.get_text() for t in ax.get_xticklabels()],
                 list(ax.get_yticks()), [t.get_text() for t in ax.get_yticklabels()])
        grid = any(g.get_visible() for g in ax.get_xgridlines() + ax.get_ygridlines())
        return (hatched, texts, ticks, grid, ax.get_xlabel(), ax.get_ylabel(), ax.get_title(),
                ax.get_legend())

    hatched, texts, ticks, grid, xlabel, ylabel, title, legend = _draw(spec, axes, cells, read)
    assert hatched == [((0.5, 0.5), 1, 1, False, True)]  # (6, 3): x index 1, y index 1
    # the worst slack of each cell: d/10 - l (its first row), at the cell's centre
    worst = {(i, j): f"{d / 10 - l:.2g}" for i, d in enumerate((4, 6, 8))
             for j, l in enumerate((2, 3))}
    assert texts == sorted((pos, s, "center", "center") for pos, s in worst.items())
    assert ticks == ([0, 1, 2], ["4", "6", "8"], [0, 1], ["2", "3"])
    assert not grid
    assert (xlabel, ylabel) == ("d (dimension of a pattern)", "l (number of patterns)")
    assert title == ("X: failures (colour), worst slack (numbers)\n"
                     "hatched: a stated assumption fails")  # a cell is hatched: its key
    assert legend is None  # no prediction, no boundary, no legend


def test_heatmap__no_key_to_the_hatching_where_no_cell_is_hatched():
    spec, axes, cells = _heatmap_cells()
    for c in cells:
        c["assumed"] = True
    title, hatched = _draw(spec, axes, cells, lambda fig, ax: (
        ax.get_title(), [p for p in ax.patches if p.get_hatch()]))
    assert hatched == []
    assert title == "X: failures (colour), worst slack (numbers)"


def test_heatmap__ticks_are_the_values_as_numbers():
    spec = AtlasSpec("X", ("eta1", "T1"))
    rows = [_row("X", eta1=e, T1=t) for e in (0.001, 0.25) for t in (10, 1000)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    ticks = _draw(spec, axes, cells, lambda fig, ax: (
        [t.get_text() for t in ax.get_xticklabels()],
        [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel(), ax.get_ylabel()))
    assert ticks == (["0.001", "0.25"], ["10", "1000"],
                     "eta1 (fraction of the largest allowed step, 1/(4k(T1+1)))",
                     "T1 (first-layer steps)")


def test_heatmap__a_cell_with_no_finite_slack_has_no_number():
    spec, axes, cells = _heatmap_cells()
    cells[0]["worst"] = math.inf
    texts = _draw(spec, axes, cells, lambda fig, ax: sorted(t.get_position() for t in ax.texts))
    assert texts == [(0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]


@pytest.mark.parametrize(("n_cells", "numbers"), [(150, 150), (151, 0)])
def test_heatmap__numbers_up_to_150_cells_only(n_cells, numbers):
    """A cell per (d, l) of a 16 x 10 grid, cut to ``n_cells`` (151: 9 cells missing, blank)."""
    spec = AtlasSpec("X", ("d", "l"))
    rows = [_row("X", d=d, l=l) for d in range(16) for l in range(10)][:n_cells]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert len(cells) == n_cells

    def read(fig, ax):
        grid = np.ma.filled(ax.collections[0].get_array(), np.nan)
        return len(ax.texts), grid.size - int(np.isnan(grid).sum())

    assert _draw(spec, axes, cells, read) == (numbers, n_cells)


def test_heatmap__a_probabilistic_claims_colour_bar_counts_seeds():
    spec = AtlasSpec("P", ("m", "n"))
    rows = [_row("P", event=s != 0 or m == 20, m=m, n=n)
            for m in (10, 20) for n in (3, 4) for s in range(4)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    bar, grid, clim = _draw(spec, axes, cells, lambda fig, ax: (
        fig.axes[-1].get_ylabel(), list(np.asarray(ax.collections[0].get_array()).ravel()),
        ax.collections[0].get_clim()))
    assert bar == "fraction of seeds without the claimed event"
    assert grid == [0.25, 0.0, 0.25, 0.0]
    assert clim == (0, 1)  # the colours mean the same fractions in every figure


def test_heatmap__the_colour_scale_is_0_to_1_whatever_the_data():
    """Every cell failing half or all of its rows: still 0 to 1 (green at 0), not the data's
    own range, which would colour a half-failing cell as a passing one."""
    spec = AtlasSpec("X", ("d", "l"))
    rows = [_row("X", verdict="fails" if s == 0 or d == 4 else "holds", d=d, l=l)
            for d in (4, 5) for l in (2, 3) for s in range(2)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    clim = _draw(spec, axes, cells, lambda fig, ax: ax.collections[0].get_clim())
    assert [c["fails"] / c["rows"] for c in cells] == [1.0, 1.0, 0.5, 0.5]
    assert clim == (0, 1)


# --- the predicted boundary ----------------------------------------------------------------


def _predicted_cells(column):
    """One column (d = 6) of cells l = 1..len(column), predicted as ``column`` says (None: no
    prediction); a second column (d = 8) without predictions, so that the grid is two-axis."""
    spec = AtlasSpec("X", ("d", "l"), predicted_theorem_4_2, "erratum: the label")
    rows = [_row("X", d=d, l=l) for d in (6, 8) for l in range(1, len(column) + 1)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    for c in cells:
        c["predicted"] = column[c["at"]["l"] - 1] if c["at"]["d"] == 6 else None
    return spec, axes, cells


def _boundary(spec, axes, cells):
    def read(fig, ax):
        lines = [ln for ln in ax.get_lines() if len(ln.get_xdata())]
        legend = ax.get_legend()
        return ([((tuple(ln.get_xdata()), tuple(ln.get_ydata())), _style(ln)) for ln in lines],
                None if legend is None else (_legend(ax), legend._loc,
                                             [_style(h) for h in legend.legend_handles]))
    return _draw(spec, axes, cells, read)


@pytest.mark.parametrize(("column", "between"), [
    ((True, True, False), [1]),          # between l = 2 and l = 3 (y = 1.5)
    ((False, True, True), [0]),
    ((True, False, True, False), [0, 1, 2]),
    ((True, None, False), []),           # not across a cell without prediction
    ((None, True, False), [1]),
    ((True, False, None), [0]),
])
def test_boundary__between_adjacent_cells_predicted_to_fail_and_to_hold(column, between):
    spec, axes, cells = _predicted_cells(column)
    lines, legend = _boundary(spec, axes, cells)
    style = (PREDICTED["color"], PREDICTED["linestyle"], PREDICTED["linewidth"])
    assert lines == [(((-0.5, 0.5), (j + 0.5, j + 0.5)), style) for j in between]
    assert legend == (["erratum: the label"], 2, [style])  # 2: upper left


def test_boundary__none_without_predictions():
    spec, axes, cells = _predicted_cells((None, None, None))
    assert _boundary(spec, axes, cells) == ([], None)


# --- one axis, deterministic: observed against the bound -----------------------------------


def _line_cells(xs, observed, bound=0.35, fails=()):
    spec = AtlasSpec("X", ("eta1",))
    rows = []
    for x, o in zip(xs, observed, strict=True):
        rows.append(_row("X", verdict="fails" if x in fails else "holds", observed=o,
                         bound=bound, eta1=x))
        rows.append(_row("X", observed=None, bound=None, eta1=x))  # a row with neither
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    return spec, axes, cells


def _line_figure(spec, axes, cells):
    def read(fig, ax):
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        return ({k: (list(ln.get_xdata()), list(ln.get_ydata()), ln.get_marker(),
                     ln.get_linestyle(), ln.get_color()) for k, ln in lines.items()},
                _legend(ax), ax.get_xscale(), ax.get_yscale(), list(ax.get_xticks()),
                [t.get_text() for t in ax.get_xticklabels()])
    return _draw(spec, axes, cells, read)


def test_line__observed_bound_and_failures_drawn_and_named():
    spec, axes, cells = _line_cells((1, 2, 3), (0.1, 0.2, 0.4), fails=(3,))
    lines, legend, xscale, yscale, _, _ = _line_figure(spec, axes, cells)
    assert lines["observed (worst over seeds)"][:4] == ([1, 2, 3], [0.1, 0.2, 0.4], "o", "-")
    assert lines["stated bound"] == ([1, 2, 3], [0.35] * 3, "None", "--", BOUND["color"])
    assert lines["fails"] == ([3], [0.4], "x", "None", "r")
    assert legend == ["observed (worst over seeds)", "stated bound", "fails"]
    assert (xscale, yscale) == ("linear", "linear")


def test_line__a_single_cell():
    """No axis varies: the first preferred axis, one cell, drawn as a line of one point."""
    spec, axes, cells = _line_cells((5,), (0.1,))
    lines, *_ = _line_figure(spec, axes, cells)
    assert lines["observed (worst over seeds)"][:2] == ([5], [0.1])


def test_line__a_row_without_a_value_is_left_out_wherever_it_comes():
    """A store keeps a missing observed value or bound as null, which pandas reads as NaN:
    NaN, like None, is no value (it once made the worst of a cell NaN when it came first)."""
    spec = AtlasSpec("X", ("d",))
    rows = []
    for d in (2, 3):
        rows.append(_row("X", observed=None, bound=None, d=d))
        rows.append(_row("X", observed=0.1 * d, bound=0.35, d=d))
        rows.append(_row("X", observed=None, bound=None, d=d))
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert math.isnan(cells[0]["observed"][0])
    lines, *_ = _line_figure(spec, axes, cells)
    assert lines["observed (worst over seeds)"][:2] == ([2, 3], pytest.approx([0.2, 0.3]))
    assert lines["stated bound"][:2] == ([2, 3], [0.35, 0.35])


def test_line__a_cell_without_any_value_is_a_gap():
    spec = AtlasSpec("X", ("d",))
    rows = [_row("X", observed=None, bound=None, d=2), _row("X", observed=0.3, d=3)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    lines, *_ = _line_figure(spec, axes, cells)
    ys = lines["observed (worst over seeds)"][1]
    assert math.isnan(ys[0])
    assert ys[1] == pytest.approx(0.3)
    bound = lines["stated bound"][1]
    assert math.isnan(bound[0])
    assert bound[1] == 0.2


@pytest.mark.parametrize(("xs", "scale"), [
    ((1, 30), "linear"), ((1, 30.5), "log"), ((0.01, 0.1, 1.0), "log"), ((0.5, 14), "linear"),
])
def test_line__log_x_where_the_values_span_more_than_30_times(xs, scale):
    spec, axes, cells = _line_cells(xs, [0.1] * len(xs))
    _, _, xscale, _, ticks, labels = _line_figure(spec, axes, cells)
    assert xscale == scale
    if scale == "log":  # ticks at the values themselves, as plain numbers
        assert (ticks, labels) == (list(xs), [f"{x:g}" for x in xs])


@pytest.mark.parametrize(("observed", "bound", "scale"), [
    ((0.001, 0.01), 0.1, "linear"),      # 0.001 to 0.1: 100 times, not more
    ((0.001, 0.01), 0.1005, "log"),      # 100.5 times
    ((0.001, 0.2), 0.5, "log"),
    ((0.0, 0.01), 0.5, "linear"),        # 0 is left out: 0.01 to 0.5
    ((0.0, 0.001), 0.5, "log"),
])
def test_line__log_y_where_the_positive_values_span_more_than_100_times(observed, bound, scale):
    spec, axes, cells = _line_cells((1, 2), observed, bound=bound)
    assert _line_figure(spec, axes, cells)[3] == scale


def test_line__words():
    spec, axes, cells = _line_cells((1, 2), (0.1, 0.2))
    words = _draw(spec, axes, cells, lambda fig, ax: (ax.get_xlabel(), ax.get_ylabel(),
                                                      ax.get_title()))
    assert words == ("eta1 (fraction of the largest allowed step, 1/(4k(T1+1)))",
                     "probability that the claimed event fails", "X: observed against its bound")


# --- one axis, probabilistic: the failure frequency ----------------------------------------


def _fraction_cells(xs, seeds, missed, bound=0.2):
    spec = AtlasSpec("P", ("m", "n"))
    rows = []
    for x, n, k in zip(xs, seeds, missed, strict=True):
        rows += [_row("P", event=s >= k, bound=bound, m=x, n=3) for s in range(n)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert axes == ["m"]
    return spec, cells


def _fraction_figure(spec, cells):
    from verify.evidence.stats import clopper_pearson

    def read(fig, ax):
        line = ax.lines[0]
        bars = next(c for c in ax.collections if len(c.get_segments()))
        bound = next(ln for ln in ax.get_lines() if ln.get_label().startswith("stated"))
        assert list(bound.get_xdata()) == list(line.get_xdata())
        return (list(line.get_xdata()), list(line.get_ydata()), line.get_marker(),
                line.get_linestyle(), _segments(bars), list(bound.get_ydata()), _style(bound),
                _legend(ax), ax.get_xscale(), list(ax.get_xticks()), ax.get_ylim(),
                (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()))

    with figure() as (fig, ax):
        _draw_fraction_on(ax, spec, "m", cells)
        got = read(fig, ax)
    cis = [clopper_pearson(int(c["fails"]), int(c["rows"])) for c in cells]
    return got, [tuple(map(tuple, np.round(((c["at"]["m"], lo), (c["at"]["m"], hi)), 9)))
                 for c, (lo, hi) in zip(cells, cis, strict=True)]


def test_fraction__points_intervals_capped_bound_and_words():
    spec, cells = _fraction_cells((10, 20, 40), (9, 9, 9), (0, 3, 9), bound=1.7)
    (x, y, marker, style, bars, bound, bound_style, legend, xscale, _, ylim, words), cis = \
        _fraction_figure(spec, cells)
    assert x == [10, 20, 40]
    assert y == pytest.approx([0.0, 1 / 3, 1.0])
    assert (marker, style) == ("o", "-")
    assert bars == cis
    assert bound == [1.0, 1.0, 1.0]  # 1.7 capped at 1
    assert bound_style == (BOUND["color"], BOUND["linestyle"], BOUND["linewidth"])
    assert sorted(legend) == ["fraction of seeds without the event (9 seeds), 95% CI",
                              "stated bound on that probability (capped at 1)"]
    assert xscale == "linear"
    assert ylim == pytest.approx((-0.03, 1.05))
    assert words == ("m (training samples)", "probability that the claimed event fails",
                     "P: failure frequency against its bound")


@pytest.mark.parametrize(("seeds", "words"), [((4, 4, 9), "4-9 seeds"),
                                              ((4, 6, 9), "4-9 seeds")])
def test_fraction__seeds_from_fewest_to_most(seeds, words):
    spec, cells = _fraction_cells((10, 20, 40), seeds, (1, 1, 1))
    legend = _fraction_figure(spec, cells)[0][7]
    assert legend[1] == f"fraction of seeds without the event ({words}), 95% CI"


def test_fraction__the_lowest_of_the_rows_bounds():
    spec, cells = _fraction_cells((10, 20), (3, 3), (0, 0), bound=0.4)
    cells[1]["bound"] = [0.5, None, 0.3]
    got = _fraction_figure(spec, cells)[0]
    assert got[5] == [0.4, 0.3]
    assert got[10] == pytest.approx((-0.03, 1.05))  # the whole scale, whatever the data


def test_fraction__a_cell_without_any_bound_is_drawn_at_1():
    spec, cells = _fraction_cells((10, 20), (3, 3), (0, 0), bound=None)
    assert _fraction_figure(spec, cells)[0][5] == [1.0, 1.0]


def test_fraction__a_row_without_a_bound_is_left_out_wherever_it_comes():
    spec = AtlasSpec("P", ("m",))
    rows = [_row("P", event=True, bound=b, m=m) for m in (10, 20) for b in (None, 0.25, None)]
    _, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert _fraction_figure(spec, cells)[0][5] == [0.25, 0.25]


@pytest.mark.parametrize(("xs", "scale"), [((1, 30), "linear"), ((1, 30.5), "log"),
                                           ((0.01, 0.5), "log")])
def test_fraction__log_x_where_the_values_span_more_than_30_times(xs, scale):
    spec, cells = _fraction_cells(xs, (3,) * len(xs), (0,) * len(xs))
    got = _fraction_figure(spec, cells)[0]
    assert got[8] == scale
    if scale == "log":
        assert got[9] == list(xs)


def test_fraction__drawn_for_a_probabilistic_claim_over_one_axis():
    spec, cells = _fraction_cells((10, 20), (3, 3), (0, 1))
    title = _draw(spec, ["m"], cells, lambda fig, ax: ax.get_title())
    assert title == "P: failure frequency against its bound"


# --- the success rates ---------------------------------------------------------------------


def _rate(seeds=40, rate=0.9, ci=(0.8, 0.95), bound=0.85, **params):
    return {"claim": "P", "params": params, "rate": rate, "ci95": list(ci),
            "stated_lower_bound": bound, "seeds": seeds}


def _rates_figure(own):
    with figure((4, 3)) as (_, ax):
        _draw_rates_on(ax, "P", own)
        line = ax.lines[0]
        bars, bounds = (c for c in ax.collections if len(c.get_segments()))
        return {"points": (list(line.get_xdata()), list(line.get_ydata()), line.get_marker(),
                           line.get_linestyle()),
                "bars": _segments(bars), "bounds": _segments(bounds),
                "bound_style": (bounds.get_linestyle(), tuple(bounds.get_color()[0])),
                "ticks": [t.get_text() for t in ax.get_xticklabels()],
                "rotation": [t.get_rotation() for t in ax.get_xticklabels()],
                "legend": _legend(ax), "loc": ax.get_legend()._loc, "title": ax.get_title(),
                "xlabel": ax.get_xlabel(), "ylim": ax.get_ylim()}


def test_rates__points_bars_bounds_ticks_and_words():
    own = [_rate(d=3, eta1=0.001, k=5), _rate(d=4, eta1=0.5, k=5, rate=0.5, ci=(0.3, 0.7),
                                               bound=0.0)]
    got = _rates_figure(own)
    assert got["points"] == ([0, 1], [0.9, 0.5], "o", "None")
    assert got["bars"] == [((0.0, 0.8), (0.0, 0.95)), ((1.0, 0.3), (1.0, 0.7))]
    assert got["bounds"] == [((-0.3, 0.85), (0.3, 0.85)), ((0.7, 0.0), (1.3, 0.0))]
    assert got["bound_style"][0][0][1] is not None  # dashed
    assert got["bound_style"][1][:3] == (0.0, 0.0, 0.0)  # black
    assert got["ticks"] == ["d=3, eta1=0.001×max", "d=4, eta1=0.5×max"]  # eta1 with its unit
    assert got["rotation"] == [90.0, 90.0]
    assert got["legend"] == ["stated lower bound on the probability (drawn at 0 where it is <= "
                             "0: vacuous)", "success rate, 95% Clopper-Pearson interval"]
    assert got["loc"] == 6  # center left
    assert got["xlabel"] == "regime (the parameters that vary)"
    assert got["title"] == "P: success rate per regime (40 seeds each)"
    assert got["ylim"] == pytest.approx((-0.02, 1.02))


def test_rates__no_vacuous_words_when_every_bound_is_positive():
    got = _rates_figure([_rate(d=3, bound=0.5), _rate(d=4, bound=0.01)])
    assert got["legend"][0] == "stated lower bound on the probability"


def test_rates__seeds_per_regime_when_they_differ():
    got = _rates_figure([_rate(seeds=20, d=3), _rate(seeds=40, d=4), _rate(seeds=40, d=5)])
    assert got["ticks"] == ["d=3 (20 seeds)", "d=4 (40 seeds)", "d=5 (40 seeds)"]
    assert got["title"] == "P: success rate per regime (20-40 seeds per regime)"
    got = _rates_figure([_rate(seeds=20, d=3), _rate(seeds=40, d=4), _rate(seeds=80, d=5)])
    assert got["title"] == "P: success rate per regime (20-80 seeds per regime)"


def test_rates__one_regime():
    got = _rates_figure([_rate(d=3)])
    assert got["ticks"] == [""]
    assert got["title"] == "P: success rate per regime (40 seeds each)"


# --- the files and the entries -------------------------------------------------------------


def _capture(monkeypatch):
    """png_bytes replaced: records each figure's size, title and first line's data."""
    seen = []

    def fake(fig, **_):
        ax = fig.axes[0]
        seen.append((tuple(fig.get_size_inches()), ax.get_title(),
                     list(ax.lines[0].get_ydata()) if ax.lines else None))
        return f"PNG {len(seen)}".encode()

    monkeypatch.setattr(atlas, "png_bytes", fake)
    return seen


def test_draw_cells__writes_the_figure_of_the_cells(tmp_path, monkeypatch):
    seen = _capture(monkeypatch)
    spec, axes, cells = _heatmap_cells()
    atlas._draw_cells(spec, axes, cells, tmp_path / "a.png")
    assert (tmp_path / "a.png").read_bytes() == b"PNG 1"
    assert seen[0][0] == FIGSIZE
    assert seen[0][1].startswith("X: failures (colour)")


@pytest.mark.parametrize(("n", "width"), [(2, FIGSIZE[0]), (30, 0.28 * 30)])
def test_draw_rates__writes_the_claims_rates_wide_enough(tmp_path, monkeypatch, n, width):
    seen = _capture(monkeypatch)
    rates = [_rate(rate=i / 100, ci=(0, 1), d=i) for i in range(n)]
    rates.append({**_rate(d=99), "claim": "Q"})
    atlas._draw_rates("P", rates, tmp_path / "r.png")
    assert (tmp_path / "r.png").read_bytes() == b"PNG 1"
    size, title, ys = seen[0]
    assert size == pytest.approx((width, FIGSIZE[1]))
    assert ys == pytest.approx([i / 100 for i in range(n)])  # P's regimes only
    assert title.startswith("P: success rate per regime")


def test_atlas_entries__entries_cells_and_figures(tmp_path, monkeypatch):
    seen = _capture(monkeypatch)
    rows = [_row("Theorem 4.2", verdict="fails" if l <= 3 else "holds", slack=l - 4.0,
                 d=6, l=l) for l in (3, 4)]
    rows.append(_row("Theorem 4.2", slack=float("nan"), d=8, l=4))
    rows += [_row("Eq. 14", event=s > 0, observed=0.2, bound=0.1, m=m, n=3)
             for m in (10, 20) for s in range(2)]
    rows.append(_row("Not in the atlas", d=1))
    df = pd.DataFrame(rows)
    rates = [{**_rate(d=3), "claim": "Eq. 14", "vacuous": False, "rejected": False}]
    out = tmp_path / "new" / "figs"
    entries = atlas_entries(df, rates, out, "files")
    assert [e["claim"] for e in entries] == ["Theorem 4.2", "Eq. 14"]  # the order of ATLAS
    thm, eq = entries
    assert thm["axes"] == ["d", "l"]
    assert thm["reading"] == atlas._reading(atlas.ATLAS[2], atlas_cells(df, atlas.ATLAS[2])[1],
                                            rates)
    assert thm["figures"] == ["files/atlas-theorem-4-2.png"]
    assert [(c["at"], c["rows"], c["fails"], c["worst"], c["predicted"])
            for c in thm["cells"]] == [({"d": 6, "l": 3}, 1, 1, -1.0, True),
                                       ({"d": 6, "l": 4}, 1, 0, 0.0, False),
                                       ({"d": 8, "l": 4}, 1, 0, None, True)]
    assert all("observed" not in c and "bound" not in c for c in thm["cells"])
    assert eq["figures"] == ["files/atlas-eq-14.png", "files/atlas-eq-14-rates.png"]
    assert "success rate below its stated bound" in eq["reading"]
    assert (out / "atlas-theorem-4-2.png").read_bytes() == b"PNG 1"
    assert (out / "atlas-eq-14-rates.png").read_bytes() == b"PNG 3"
    assert len(seen) == 3
    # again into the same (now existing) directory
    assert atlas_entries(df, rates, out, "files")[1]["figures"] == eq["figures"]
    assert atlas_entries(df.iloc[:0], rates, out, "files") == []
    assert atlas_entries(df, rates, None, "files")[1]["figures"] == []


# --- atlas_cells, the predictions, the store, the sequential seeds -------------------------


def test_atlas_cells__seeds_worst_assumed_and_what_each_cell_keeps():
    spec = AtlasSpec("X", ("d", "l", "k"), predicted_theorem_4_2, "x")
    rows = [_row("X", slack=0.5, observed=1.0, bound=2.0, d=4, l=2, k=1),
            _row("X", verdict="fails", slack=-0.25, assumed=False, observed=3.0, bound=None,
                 d=4, l=2, k=1),
            _row("X", slack=None, d=4, l=2, k=1),
            _row("X", slack=float("nan"), d=4, l=3, k=1),
            _row("X", d=4, l=3, k=1), _row("X", d=4, l=3, k=1)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert axes == ["l"]  # only l varies
    first, second = cells
    assert first == {"at": {"l": 2}, "rows": 3, "fails": 1, "worst": -0.25, "assumed": False,
                     "observed": [1.0, 3.0, 0.1], "bound": first["bound"], "predicted": True,
                     "seeds": [3, 3], "probabilistic": False}
    assert first["bound"][::2] == [2.0, 0.2]
    assert math.isnan(first["bound"][1])
    assert (second["rows"], second["fails"], second["worst"], second["assumed"]) == (
        3, 0, 0.5, True)
    assert second["predicted"] is False  # l = 3 > d / 2


def test_atlas_cells__probabilistic_rows_fail_where_the_event_is_missed():
    spec = AtlasSpec("P", ("m",))
    rows = [_row("P", event=e, m=10) for e in (True, False, False)]
    rows += [_row("P", event=True, m=20)]
    _, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert [(c["fails"], c["probabilistic"]) for c in cells] == [(2, True), (0, True)]


def test_atlas_cells__a_deterministic_row_with_a_missing_event():
    spec = AtlasSpec("X", ("d",))
    rows = [_row("X", verdict="fails", d=4), {**_row("X", d=5), "event": float("nan")},
            _row("P", event=True, d=1)]
    _, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert [(c["fails"], c["probabilistic"]) for c in cells] == [(1, False), (0, False)]


def test_atlas_cells__no_prediction_without_d_and_l():
    spec = AtlasSpec("X", ("m",), predicted_theorem_4_2, "x")
    rows = [_row("X", m=4, d=4), _row("X", m=5, l=2), _row("X", m=6, d=4, l=2)]
    _, cells = atlas_cells(pd.DataFrame(rows), spec)
    assert [c["predicted"] for c in cells] == [None, None, True]


def test_predictions__at_their_boundaries():
    assert predicted_theorem_4_2(4, 2)
    assert not predicted_theorem_4_2(4, 3)
    assert predicted_theorem_4_2(6, 3)
    assert not predicted_theorem_4_2(6, 4)
    assert predicted_lemma_5_2(6, 3)
    assert not predicted_lemma_5_2(5, 3)


def test_open_store__an_empty_directory_is_not_a_store(tmp_path):
    (tmp_path / "e").mkdir()
    with pytest.raises(ValueError, match="is not a sweep store"):
        open_store(tmp_path / "e")


def test_open_store__leaves_bad_parts_where_they_are_and_counts_them(tmp_path):
    """open_store only reads: the unreadable parts stay (the sweep sets them aside)."""
    from verify.sweep.store import SCHEMA, Store

    def row(key):
        r = dict.fromkeys(SCHEMA.names)
        r.update(key=key, claim="Eq. 14 (exact)", params='{"m":1}', root_seed=0, replicate=0,
                 seed=1, verdict="holds", assumed=True, strength="computed")
        return r

    store = Store(tmp_path / "s")
    bad = [store.write([row(c * 32)]) for c in "abc"]
    for part in bad:
        part.write_bytes(b"PAR1 truncated")
    with pytest.raises(ValueError, match=r"or null keys\) \(and 2 more\)"):
        open_store(tmp_path / "s")
    assert all(part.exists() for part in bad)


def test_open_store__the_missing_claims_go_to_stderr_by_default(tmp_path, capsys):
    from verify.claims import declarations
    from verify.sweep.store import Store

    Store(tmp_path / "s")
    decls = [d for d in declarations() if any(s.claim == "Theorem 4.2" for s in d.sweeps)]
    open_store(tmp_path / "s", decls)
    out, err = capsys.readouterr()
    assert out == ""
    assert "verify.report: --atlas: Theorem 4.2 is not in the store" in err


def test_sequential_seeds__sections_without_evidence_bool_trials_and_defaults():
    sections = [{}, {"evidence": [
        {"claim": "A", "details": {"decision": {"trials": True}}},
        {"claim": "B", "details": None, "params": {"d": 3}},
        {"claim": "C", "details": {"decision": {"trials": 7}}},
        {"claim": "D", "params": None, "details": {"decision": {"trials": 9, "budget": 50}}},
        {"claim": "E", "params": {"budget": 10, "d": 2, "q": 1},
         "details": {"decision": {"trials": 3, "status": "x", "budget": 20}}},
    ]}]
    assert sequential_seeds(sections) == [  # C: a fixed number of trials, no budget: no rounds
        {"claim": "D", "regime": {}, "status": "", "seeds": 9, "budget": 50},
        {"claim": "E", "regime": {"d": 2}, "status": "x", "seeds": 3, "budget": 20}]


def test_atlas_cells__at_most_two_axes_and_the_first_when_none_varies():
    spec = AtlasSpec("X", ("d", "l", "k"))
    rows = [_row("X", d=d, l=l, k=k) for d in (4, 5) for l in (2, 3) for k in (1, 2)]
    assert atlas_cells(pd.DataFrame(rows), spec)[0] == ["d", "l"]
    axes, cells = atlas_cells(pd.DataFrame([_row("X", d=4, l=2, k=1)] * 2), spec)
    assert axes == ["d"]
    assert [(c["at"], c["rows"]) for c in cells] == [({"d": 4}, 2)]


def test_atlas_cells__rows_without_any_slack_leave_the_worst_unknown():
    spec = AtlasSpec("X", ("d",))
    _, cells = atlas_cells(pd.DataFrame([_row("X", slack=None, d=d) for d in (4, 5)]), spec)
    assert [c["worst"] for c in cells] == [math.inf, math.inf]


def test_axis_label__an_axis_without_a_description_is_named_as_it_is():
    assert atlas._axis_label("budget") == "budget"
    spec = AtlasSpec("X", ("budget", "d"))
    axes, cells = atlas_cells(pd.DataFrame([_row("X", budget=b, d=d) for b in (1, 2)
                                            for d in (4, 5)]), spec)
    assert _draw(spec, axes, cells, lambda fig, ax: ax.get_xlabel()) == "budget"


def test_reading__one_probabilistic_cell():
    spec = AtlasSpec("P", ("m",))
    _, cells = atlas_cells(pd.DataFrame([_row("P", event=False, m=10)]), spec)
    assert atlas._reading(spec, cells, []) == (
        "1 row in 1 cell; 1 cell with a seed missing the claimed event (1 where every "
        "stated assumption holds).")


def test_reading__the_lowest_margin_is_rate_minus_bound():
    spec, _, cells = _heatmap_cells()
    rates = [{"claim": "X", "vacuous": False, "rate": 0.3, "stated_lower_bound": 0.2,
              "ci95": [0.2, 0.4], "rejected": False},
             {"claim": "X", "vacuous": False, "rate": 0.9, "stated_lower_bound": 0.95,
              "ci95": [0.85, 0.95], "rejected": False}]
    assert atlas._reading(spec, cells, rates).endswith(
        "lowest margin: rate 0.9 (95% CI 0.85-0.95) against 0.95.")
