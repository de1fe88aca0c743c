"""Unit tests of verify.report.plots: a plot specification drawn into a file, with and without
the bound and interval series, the same data giving the same bytes."""

from __future__ import annotations

import pytest

from verify._plot import render_spec
from verify.report.plots import _draw

pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")

WITH_BOUND = {"title": "t", "xlabel": "m (samples)", "ylabel": "error (probability)",
              "series": [{"label": "mean", "x": [2, 4, 8], "y": [0.5, 0.3, 0.2],
                          "lo": [0.4, 0.2, 0.1], "hi": [0.6, 0.4, 0.3],
                          "spread": "min-max over 5 runs"},
                         {"label": "stated bound", "x": [2, 4, 8], "y": [0.9, 0.7, 0.6],
                          "style": "bound"}]}
PLAIN = {"title": "t", "xlabel": "x", "ylabel": "y",
         "series": [{"label": "a", "x": [0, 1], "y": [1, 2], "style": "points"}]}


@pytest.mark.parametrize("spec", [WITH_BOUND, PLAIN], ids=["bound-and-band", "first-format"])
def test_draw__writes_the_rendered_png_the_same_bytes_each_time(tmp_path, spec):
    _draw(spec, tmp_path / "a.png")
    _draw(spec, tmp_path / "b.png")
    a = (tmp_path / "a.png").read_bytes()
    assert a.startswith(b"\x89PNG")
    assert a == (tmp_path / "b.png").read_bytes() == render_spec(spec)


def test_draw__the_bound_changes_the_picture(tmp_path):
    without = {**WITH_BOUND, "series": WITH_BOUND["series"][:1]}
    _draw(WITH_BOUND, tmp_path / "a.png")
    _draw(without, tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "b.png").read_bytes()


def test_stable_spec__last_bit_differences_give_the_same_spec():
    from verify.report.plots import stable_spec

    a = {"title": "rate 0.18716", "series": [{"x": [1, 2], "y": [0.1 + 0.2, 7.7422711367119605],
                                              "label": "fit"}], "logx": True}
    b = {"title": "rate 0.18716", "series": [{"x": [1, 2], "y": [0.3, 7.742271136711962],
                                              "label": "fit"}], "logx": True}
    assert stable_spec(a) == stable_spec(b)
    assert stable_spec(a)["series"][0]["y"] == [0.3, 7.742]
    assert stable_spec(a)["title"] == "rate 0.1872"
    assert stable_spec(a)["series"][0]["x"] == [1, 2]  # integers as they are
    assert stable_spec(a)["logx"] is True
