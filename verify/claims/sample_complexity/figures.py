"""The scaling law's plot specifications (:mod:`verify._plot`): ``m_eps(d)`` on log-log axes per
learner at one ``r``, with the fits, the spread over seeds and the bounds' slopes; and the ratio
FC/CNN of the geometric means against ``d``, with the fitted trend ``d^(b_FC - b_CNN)``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from verify.claims.sample_complexity.law import EPS, LEVEL, TOP

__all__ = ["law_plot", "ratio_plot"]


def law_plot(laws: Mapping[str, Mapping[str, Any]], r: int) -> dict[str, Any]:
    """``m_eps`` per ``d`` of every learner of ``laws``
    (:func:`~verify.claims.sample_complexity.law.fit_law` per learner) at ``r``."""
    series: list[dict[str, Any]] = []
    big = 2 * TOP[r]
    for lr, f in laws.items():
        ds = sorted(int(d) for d in f["m_eps"])
        per = [[big if v is None else v for v in f["m_eps"][str(d)]] for d in ds]
        gm = [f["geometric_mean"][str(d)] for d in ds]
        # max(0, .): the geometric mean of equal sizes may round a hair outside them
        below = [max(0.0, g - min(p)) for g, p in zip(gm, per, strict=True)]
        above = [max(0.0, max(p) - g) for g, p in zip(gm, per, strict=True)]
        lo, hi = f["interval"]
        censored = f" ({f['censored']} censored seeds at {big})" if f["censored"] else ""
        series.append({"label": f"{lr}: geometric mean over seeds{censored}", "x": ds,
                       "y": gm, "style": "points", "yerr": [below, above],
                       "spread": f"{lr}: min to max over seeds"})
        xs = [float(d) for d in ds]
        series.append({"label": f"{lr} fit: {f['constant']:.3g} d^{f['exponent']:.2f} "
                                f"({LEVEL:.0%} interval {lo:.2f} to {hi:.2f})",
                       "x": xs, "y": [f["constant"] * x ** f["exponent"] for x in xs],
                       "style": "fit"})
    for lr, f in laws.items():
        b = 1.0 if lr == "CNN" else 2.0 * r
        ds = sorted(int(d) for d in f["m_eps"])
        g0 = f["geometric_mean"][str(ds[0])]
        series.append({"label": f"slope of the {lr}'s bound, d^{b:g} (through its first point; "
                                "the bound's constant is far above)",
                       "x": [float(d) for d in ds],
                       "y": [g0 * (d / ds[0]) ** b for d in ds], "style": "reference"})
    ys = [v for s in series if s["style"] == "points" for v in s["y"]]
    return {"title": f"Sample complexity m_eps(d), eps={EPS}, n=d^{r}, l=d",
            "ylim": [min(ys) / 3, max(ys) * 40],  # room above the data for the legend
            "xlabel": "d (dimension of a pattern)",
            "ylabel": f"m_eps (samples to test error <= {EPS})", "logx": True, "logy": True,
            "series": series, "legend": "upper left",
            "note": f"m_eps: the smallest size from which test error <= {EPS} is decided at "
                    "confidence 0.99 on fresh draws (grid 2^j, refined by sqrt 2 near m_eps)"}


def ratio_plot(ratios: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``ratios[label] = {"ds", "ratio", "difference", "interval"}``: the ratio FC/CNN of the
    geometric means per ``d`` and the trend ``ratio(d_0) (d/d_0)^difference``."""
    series: list[dict[str, Any]] = []
    for label, q in ratios.items():
        ds, ratio = list(q["ds"]), list(q["ratio"])
        lo, hi = q["interval"]
        series.append({"label": f"{label}: ratio of geometric means", "x": ds, "y": ratio,
                       "style": "points"})
        # the line through the mean log ratio, with the slope b_FC - b_CNN
        lx = [math.log(d) for d in ds]
        ly = [math.log(v) for v in ratio]
        mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
        series.append({"label": f"{label}: trend d^{q['difference']:.2f} ({LEVEL:.0%} interval "
                                f"{lo:.2f} to {hi:.2f})",
                       "x": [float(d) for d in ds],
                       "y": [math.exp(my + q["difference"] * (v - mx)) for v in lx],
                       "style": "fit"})
    return {"title": "m_eps(FC) / m_eps(CNN) against d", "xlabel": "d (dimension of a pattern)",
            "ylabel": "ratio of geometric means over seeds", "logx": True, "logy": True,
            "series": series, "legend": "lower right",
            "hlines": [{"y": 1.0, "label": "ratio 1: equal sample complexity", "bound": False}],
            "note": "a ratio growing with d: the fully connected learner's m_eps grows faster"}
