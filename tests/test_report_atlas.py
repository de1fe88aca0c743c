"""The atlas of the report (:mod:`verify.report.atlas`): cells, readings, predictions, the store
it reads, and the command-line check of ``--atlas``."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from verify import report
from verify.claims.theorem_4_2 import pattern_set_count
from verify.report.atlas import (
    ATLAS,
    AtlasSpec,
    atlas_cells,
    atlas_entries,
    open_store,
    predicted_lemma_5_2,
    predicted_theorem_4_2,
)
from verify.sweep.store import Store


def _row(claim, verdict="holds", slack=0.5, assumed=True, event=None, **params):
    return {"claim": claim, "params": json.dumps(params, sort_keys=True), "verdict": verdict,
            "slack": slack, "assumed": assumed, "observed": 0.1, "bound": 0.2,
            "event": event, "probability_bound": None if event is None else 0.9}


def test_atlas_cells__groups_by_the_two_varying_axes_and_counts_failures():
    spec = AtlasSpec("X", ("d", "l", "k"), predicted_theorem_4_2, "l <= d/2")
    df = pd.DataFrame([_row("X", d=4, l=2, k=7, slack=-1.0, verdict="fails"),
                       _row("X", d=4, l=2, k=7, slack=0.3),
                       _row("X", d=6, l=4, k=7, assumed=False),
                       _row("Y", d=9, l=9, k=7)])
    axes, cells = atlas_cells(df, spec)
    assert axes == ["d", "l"]  # k does not vary
    assert [c["at"] for c in cells] == [{"d": 4, "l": 2}, {"d": 6, "l": 4}]
    first, second = cells
    assert (first["rows"], first["fails"], first["worst"]) == (2, 1, -1.0)
    assert first["predicted"] is True
    assert second["assumed"] is False
    assert second["predicted"] is False


def test_atlas_cells__a_probabilistic_row_fails_when_its_event_did_not_occur():
    spec = AtlasSpec("P", ("m", "n"))
    df = pd.DataFrame([_row("P", event=True, m=10, n=3), _row("P", event=False, m=10, n=3),
                       _row("P", event=True, m=20, n=3)])
    axes, cells = atlas_cells(df, spec)
    assert axes == ["m"]
    assert [c["fails"] for c in cells] == [1, 0]


def test_atlas_entries__reading_counts_agreement_with_the_prediction():
    spec = next(s for s in ATLAS if s.claim == "Theorem 4.2")
    rows = [_row("Theorem 4.2", verdict="fails" if l <= 3 else "holds", d=6, l=l)
            for l in (3, 4, 5, 6)]
    rows.append(_row("Theorem 4.2", verdict="holds", d=8, l=4))  # predicted to fail: disagrees
    (entry,) = atlas_entries(pd.DataFrame(rows), [], None, "x")
    assert entry["claim"] == spec.claim
    assert "fails in" not in entry["reading"]
    assert "1 cell that fails" in entry["reading"]
    assert "matches the errata's prediction in 4 of 5 cells" in entry["reading"]
    assert entry["figures"] == []


def test_predicted_theorem_4_2__is_where_the_exact_vc_dimension_falls_short():
    for n in range(2, 6):
        d = 2 * n
        for l in range(3, d + 1):
            assert predicted_theorem_4_2(d, l) == (pattern_set_count(n, l) < 2 ** (d / 2 - 1))


def test_predicted_lemma_5_2__the_mean_count_against_k_over_d():
    assert not predicted_lemma_5_2(6, 6)
    assert predicted_lemma_5_2(6, 3)  # q_3 = 3/16 > 1/6
    assert not predicted_lemma_5_2(5, 3)  # q_3 = 3/16 < 1/5: fails only at finite k
    assert math.isclose((1 - 2.0**-2) / 4, 3 / 16)


def test_open_store__refuses_what_is_not_a_store(tmp_path):
    with pytest.raises(ValueError, match="--atlas"):
        open_store(tmp_path / "missing")
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="--atlas"):
        open_store(tmp_path / "f")
    Store(tmp_path / "s")
    assert open_store(tmp_path / "s").path == tmp_path / "s"


def test_main__atlas_that_is_not_a_store_is_a_usage_error(tmp_path, capsys):
    code = report.main(["--only", "lemma-5.2", "--atlas", str(tmp_path / "nope"),
                        "--out", str(tmp_path / "R.md"), "--no-progress"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("verify.report: error: --atlas:")
    assert err.count("\n") == 1
    assert not (tmp_path / "R.md").exists()


def test_draw_cells__a_probabilistic_claim_over_one_axis_shows_its_failure_frequency():
    pytest.importorskip("matplotlib", reason="needs the plot extra (matplotlib)")
    from verify._plot import BOUND, figure
    from verify.report.atlas import _draw_cells_on

    spec = AtlasSpec("P", ("m", "n"))
    rows = [_row("P", event=(s % 4 != 0), m=m, n=3) for m in (10, 100) for s in range(8)]
    axes, cells = atlas_cells(pd.DataFrame(rows), spec)
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        bound = next(ln for label, ln in lines.items() if "stated bound" in label)
        assert (bound.get_color(), bound.get_linestyle()) == (BOUND["color"], "--")
        assert list(bound.get_ydata()) == [0.2, 0.2]  # the rows' bound
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any("8 seeds), 95% CI" in t for t in legend)
        assert "fails" not in legend  # one seed without the event is no failure of the claim
        assert ax.get_ylabel() == "probability that the claimed event fails"


def test_collect_atlas__rejects_an_unknown_profile():
    from verify.report.atlas import collect_atlas

    with pytest.raises(ValueError, match="profile"):
        collect_atlas((), profile="huge", seed=0, store=None, client=None, out_dir=None,
                      link_prefix="x")
