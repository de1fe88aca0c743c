"""Unit tests of verify._plot: the plot specification's series styles (a bound dashed black,
error bars, bands), the old format still drawn, log axes where the data span decades, and the
same spec giving the same bytes. Checked on the Matplotlib artists, never on pixels."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")

from verify._plot import BOUND, REFERENCE, draw_spec, figure, render_spec

OLD = {"title": "old", "xlabel": "x", "ylabel": "y", "logx": False, "logy": False,
       "series": [{"label": "a", "x": [1, 2, 3], "y": [1, 4, 9], "style": "line"},
                  {"label": "b", "x": [1, 2, 3], "y": [2, 3, 4], "style": "points"},
                  {"label": "c", "x": [1, 2, 3], "y": [0, 1, 0], "style": "step"}],
       "hlines": [{"y": 2.5, "label": "h"}], "vlines": [{"x": 2, "label": "v"}]}

NEW = {"title": "new", "xlabel": "m (samples)", "ylabel": "error (probability)",
       "series": [{"label": "mean", "x": [4, 8, 16], "y": [0.3, 0.2, 0.1], "lo": [0.1, 0.0, 0.0],
                   "hi": [0.5, 0.4, 0.2], "spread": "min-max over 3 runs"},
                  {"label": "other", "x": [4, 8, 16], "y": [0.4, 0.3, 0.3],
                   "yerr": [0.05, 0.04, 0.03], "spread": "±1 std"},
                  {"label": "the bound", "x": [4, 8, 16], "y": [0.9, 0.6, 0.45],
                   "style": "bound"},
                  {"label": "a rate", "x": [4, 8, 16], "y": [1.0, 0.7, 0.5],
                   "style": "reference"}],
       "hlines": [{"y": 0.95, "label": "a bound line", "bound": True}],
       "note": "a note"}


def _drawn(spec):
    with figure() as (_fig, ax):
        draw_spec(ax, spec)
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        legend = [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
        return (lines, legend, list(ax.collections), ax.get_xscale(), ax.get_yscale(),
                ax.get_xlabel(), ax.get_ylabel())


def test_draw_spec__bound_series_and_lines_are_dashed_black():
    lines, legend, *_ = _drawn(NEW)
    for label in ("the bound", "a bound line"):
        assert lines[label].get_color() == BOUND["color"]
        assert lines[label].get_linestyle() == "--"
        assert label in legend
    assert lines["a rate"].get_color() == REFERENCE["color"]
    assert lines["a rate"].get_linestyle() == ":"


def test_draw_spec__bands_and_error_bars_are_drawn_with_their_legend():
    _, legend, collections, *_ = _drawn(NEW)
    kinds = sorted(type(c).__name__ for c in collections)
    assert any("Poly" in k or "FillBetween" in k for k in kinds), kinds  # the band
    assert "LineCollection" in kinds  # the error bars
    assert "min-max over 3 runs" in legend
    assert "±1 std" in legend


def test_draw_spec__the_first_format_is_still_drawn():
    lines, legend, collections, xscale, yscale, xl, yl = _drawn(OLD)
    assert {"a", "b", "c", "h", "v"} <= set(lines)
    assert {"a", "b", "c", "h", "v"} <= set(legend)
    assert lines["h"].get_linestyle() == ":"  # a line without "bound" is a reference
    assert not collections
    assert (xscale, yscale, xl, yl) == ("linear", "linear", "x", "y")
    assert render_spec(OLD).startswith(b"\x89PNG")
    assert render_spec({"series": []}).startswith(b"\x89PNG")  # nothing to draw, still a PNG


def test_draw_spec__log_axes_where_the_data_span_decades_unless_the_spec_says():
    wide = {"series": [{"x": [1, 10, 1000], "y": [0.5, 0.1, 0.001]}]}
    assert _drawn(wide)[3:5] == ("log", "log")
    assert _drawn({**wide, "logx": False, "logy": False})[3:5] == ("linear", "linear")
    narrow = {"series": [{"x": [0, 1, 2], "y": [1, 2, 3]}]}
    assert _drawn(narrow)[3:5] == ("linear", "linear")


def test_draw_spec__log_x_ticks_at_the_values_in_plain_numbers():
    with figure() as (_fig, ax):
        draw_spec(ax, {"logx": True, "series": [{"x": [4, 8, 16, 32], "y": [1, 2, 3, 4]}]})
        assert list(ax.get_xticks()) == [4, 8, 16, 32]
        fmt = ax.xaxis.get_major_formatter()
        assert [fmt(v, i) for i, v in enumerate((4, 32))] == ["4", "32"]


def test_render_spec__same_spec_same_bytes_and_other_data_other_bytes():
    a, b = render_spec(NEW), render_spec(NEW)
    assert a.startswith(b"\x89PNG")
    assert a == b
    changed = {**NEW, "series": [{**NEW["series"][0], "y": [0.3, 0.25, 0.1]}, *NEW["series"][1:]]}
    assert render_spec(changed) != a


def test_draw_spec__dodge_shifts_the_bars_apart_and_keeps_the_spec():
    spec = {"logx": True, "dodge": 0.1,
            "series": [{"label": k, "x": [10, 100], "y": [0.1, 0.2], "yerr": [0.01, 0.01]}
                       for k in ("a", "b")]}
    lines, *_ = _drawn(spec)
    assert list(lines["a"].get_xdata()) == pytest.approx([10 * 10**-0.05, 100 * 10**-0.05])
    assert list(lines["b"].get_xdata()) == pytest.approx([10 * 10**0.05, 100 * 10**0.05])
    assert spec["series"][0]["x"] == [10, 100]
    lines, *_ = _drawn({**spec, "dodge": 0.0})
    assert list(lines["a"].get_xdata()) == [10, 100]


def test_draw_spec__integer_x_gets_integer_ticks():
    with figure() as (_fig, ax):
        draw_spec(ax, {"series": [{"x": [0, 1, 2, 3], "y": [0, 1, 2, 3]}]})
        ticks = [t for t in ax.get_xticks() if -0.5 < t < 3.5]
        assert ticks
        assert all(float(t).is_integer() for t in ticks)


def test_draw_spec__a_fit_is_a_plain_line_and_a_short_line_has_markers():
    spec = {"series": [{"label": "fit", "x": [3, 4, 5], "y": [1, 2, 3], "style": "fit"},
                       {"label": "data", "x": [3, 4, 5], "y": [1, 2, 4], "style": "line"}]}
    lines, legend, *_ = _drawn(spec)
    assert lines["fit"].get_marker() == "None"
    assert lines["fit"].get_linestyle() == "-"
    assert lines["data"].get_marker() == "o"
    assert legend == ["fit", "data"]
