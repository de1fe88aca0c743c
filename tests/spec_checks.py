"""What a plot specification (:mod:`verify._plot`) must say for a reader to trust it, checked on
the specification (no pixels): its axes labelled, its stated bound named and drawn in the bound's
style, and, where there are runs, seeds or repeats, their spread."""

from __future__ import annotations

from typing import Any


def bound_labels(spec: dict[str, Any]) -> list[str]:
    """The labels of what the spec draws as a stated bound (series of style ``bound``, lines
    with ``bound: true``)."""
    return ([s.get("label", "") for s in spec.get("series", []) if s.get("style") == "bound"]
            + [h.get("label", "") for key in ("hlines", "vlines") for h in spec.get(key, [])
               if h.get("bound")])


def assert_readable(spec: dict[str, Any], *, bound: str | None, xlabel: str, ylabel: str,
                    spread: bool) -> None:
    """``spec`` labels its axes (with ``xlabel`` and ``ylabel`` in them), draws a bound whose
    label contains ``bound`` (``None``: the claim states no bound to draw), and, if ``spread``,
    shows the spread of some series (error bars or a band, with its legend entry)."""
    assert xlabel in spec["xlabel"], spec["xlabel"]
    assert ylabel in spec["ylabel"], spec["ylabel"]
    assert "(" in spec["xlabel"], spec["xlabel"]  # a unit or what it counts
    assert "(" in spec["ylabel"], spec["ylabel"]
    if bound is not None:
        assert any(bound in label for label in bound_labels(spec)), bound_labels(spec)
    if spread:
        spreads = [s for s in spec["series"] if s.get("yerr") is not None
                   or (s.get("lo") is not None and s.get("hi") is not None)]
        assert spreads
        assert any(s.get("spread") for s in spreads)
        for s in spreads:
            n = len(s["x"])
            assert all(len(s[k]) == n for k in ("y", "lo", "hi", "yerr") if s.get(k) is not None)
