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
