"""The atlas: where in its parameter space each claim holds, drawn from a sweep store.

For each claim of :data:`ATLAS`, the sweep's rows (:mod:`verify.sweep.store`) are grouped by the
two parameters that matter most for it (the first two of ``axes`` that take at least two values
in the store). Each cell is coloured by the fraction of its rows that fail, annotated with the
worst slack, hatched where a stated assumption fails, and the boundary that the report's own
errata predict is drawn over it, so that a reader sees at once whether the measured boundary sits
where the analysis says. A claim with one varying parameter gets a line plot of observed against
bound instead (a probabilistic claim: the fraction of seeds that missed the claimed event, with
its 95% Clopper-Pearson interval, against the stated bound on that probability). Probabilistic
claims also get their success rate per regime with its 95% Clopper-Pearson interval against the
stated lower bound (:func:`verify.sweep.rates.success_rates`).
Each figure comes with one line of reading, computed from the same rows. Every figure is drawn
in the package's one style (:mod:`verify._plot`: the stated bound dashed black).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from verify._files import write_atomic
from verify._plot import BOUND, FIGSIZE, PREDICTED, figure, png_bytes, render_spec, value_ticks
from verify.report.format import counted, slug, tie_key
from verify.report.plots import stable_spec

__all__ = ["ATLAS", "AtlasSpec", "atlas_cells", "atlas_entries", "predicted_lemma_5_2",
           "sequential_seeds"]


def predicted_lemma_5_2(d: int, l: int) -> bool:
    """Lemma 5.2's erratum: for ``l < d`` the lucky counts concentrate at ``k q_l``, with
    ``q_l = (1 - 2^{-(l-1)}) / (2(l-1))`` (:func:`verify.claims.lemma_5_2.lucky_probability`);
    the upper bound ``k/d`` then fails (for large ``k``) exactly when ``q_l > 1/d``."""
    from verify.claims.lemma_5_2 import lucky_probability

    return lucky_probability(l) > 1 / d


def predicted_theorem_4_2(d: int, l: int) -> bool:
    """Theorem 4.2's erratum: ``VCdim(H_CNN(X))`` is the number of pattern sets, below
    ``2^(d/2-1)`` exactly when ``l <= d/2``."""
    return l <= d / 2


@dataclass(frozen=True)
class AtlasSpec:
    """One figure of the atlas: the sweep claim it draws, its preferred axes, and the failure
    region the errata predict (``predicted(params) -> bool``, with a label), if any."""

    claim: str
    axes: tuple[str, ...]
    predicted: Callable[..., bool] | None = None
    predicted_label: str = ""
    figure: Callable[[list[dict[str, Any]]], dict[str, Any]] | None = None
    """For a claim whose rows read better as a curve than as a map of failures: the claim
    module's ``figure(rows) -> {"reading": str, "plot": spec or None}`` (``rows``: the store's
    rows of the claim, ``params`` parsed; ``spec`` in :mod:`verify._plot`'s format). Its figure
    replaces the map of cells, its reading comes first; cells and rates stay as for any claim."""


def _nonvacuous_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from verify.claims.theorem_5_1_nonvacuous import atlas_figure

    return atlas_figure(rows)


def _scaling_law_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from verify.claims.sample_complexity import atlas_figure

    return atlas_figure(rows)


def _beyond_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from verify.claims.beyond_the_model.figures import atlas_figure

    return atlas_figure(rows)


def _beyond_the_model() -> tuple[AtlasSpec, ...]:
    from verify.claims.beyond_the_model import SWEEP

    return tuple(AtlasSpec(s.claim, ("mu", "sigma", "d"), figure=_beyond_figure) for s in SWEEP)


ATLAS: tuple[AtlasSpec, ...] = (
    AtlasSpec("Lemma 5.2 (exact)", ("d", "l", "k"), predicted_lemma_5_2,
              "erratum: fails for large k iff q_l > 1/d"),
    AtlasSpec("Lemma 5.2", ("d", "l", "k")),
    AtlasSpec("Theorem 4.2", ("d", "l"), predicted_theorem_4_2, "erratum: fails iff l <= d/2"),
    AtlasSpec("Eq. 14 (exact)", ("m",)),
    AtlasSpec("Eq. 14", ("m", "n")),
    AtlasSpec("Lemma 5.3", ("eta1", "T1", "d", "l")),
    AtlasSpec("First-layer drift", ("eta1", "T1", "d", "l")),
    AtlasSpec("Corollary 5.4", ("d", "l", "T1")),
    AtlasSpec("Lemma 5.5", ("eta1", "T1", "d", "l")),
    AtlasSpec("Theorem 5.1", ("m", "d", "l")),
    AtlasSpec("Theorem 5.1 (non-vacuous bound)", ("m2", "d"), figure=_nonvacuous_figure),
    AtlasSpec("Sample complexity (scaling law)", ("d",), figure=_scaling_law_figure),
    *_beyond_the_model(),
)


def _params(df: Any) -> list[dict[str, Any]]:
    return [json.loads(p) for p in df["params"]]


def _records(df: Any, claim: str) -> list[dict[str, Any]]:
    """The store's rows of ``claim`` as dicts, ``params`` parsed, in the order of their regime
    and replicate (a store's parts come in any order; a figure must not depend on it)."""
    rows = df[df["claim"] == claim]
    rows = rows.sort_values([c for c in ("params", "replicate") if c in rows], kind="stable")
    return [{**r, "params": p} for r, p in zip(rows.to_dict("records"), _params(rows),
                                                strict=True)]


def atlas_cells(df: Any, spec: AtlasSpec) -> tuple[list[str], list[dict[str, Any]]]:
    """``(axes, cells)``: the axes used for ``spec`` (at most two) and one record per cell:
    its coordinates, rows, failing rows, worst slack, whether every row's stated assumptions
    held, ``seeds`` (``[fewest, most]`` seeds a regime of the cell took: they differ where
    :func:`verify.sweep.adaptive.run_adaptive` added seeds in rounds until a regime was
    decided) and (where ``spec`` predicts) whether failure was predicted."""
    rows = df[df["claim"] == spec.claim]
    params = _params(rows)
    axes = [a for a in spec.axes if len({p.get(a) for p in params}) >= 2][:2]
    if not axes and spec.axes and params:
        axes = [spec.axes[0]]
    cells: dict[tuple[Any, ...], dict[str, Any]] = {}
    per_regime = rows["params"].value_counts(sort=False).to_dict()  # rows (seeds) per regime
    for p, (_, r) in zip(params, rows.iterrows(), strict=True):
        key = tuple(p.get(a) for a in axes)
        c = cells.setdefault(key, {"at": dict(zip(axes, key, strict=True)), "rows": 0,
                                   "fails": 0, "worst": math.inf, "assumed": True,
                                   "observed": [], "bound": [], "predicted": None})
        c["rows"] += 1
        n = int(per_regime[r["params"]])
        lo, hi = c.get("seeds", (n, n))
        c["seeds"] = [min(lo, n), max(hi, n)]
        event = r.get("event")
        c["probabilistic"] = event is not None and event == event  # not None, not NaN
        # a probabilistic claim's row is one seed: it fails when the claimed event did not occur
        c["fails"] += (not bool(event)) if c["probabilistic"] else r["verdict"] == "fails"
        if r["slack"] is not None and not (isinstance(r["slack"], float) and
                                           math.isnan(r["slack"])):
            c["worst"] = min(c["worst"], float(r["slack"]))
        c["assumed"] &= bool(r["assumed"])
        c["observed"].append(r["observed"])
        c["bound"].append(r["bound"])
        if spec.predicted is not None and {"d", "l"} <= p.keys():
            c["predicted"] = bool(spec.predicted(p["d"], p["l"]))
    return axes, [cells[k] for k in sorted(cells, key=lambda t: tuple(map(float, t)))]


def _reading(spec: AtlasSpec, cells: Sequence[Mapping[str, Any]], rates: Sequence[Any]) -> str:
    n = len(cells)
    failing = [c for c in cells if c["fails"]]
    inside = [c for c in failing if c["assumed"]]
    unit = ("cell with a seed missing the claimed event",
            "cells with a seed missing the claimed event") if cells and cells[0].get(
        "probabilistic") else ("cell that fails", "cells that fail")
    parts = [f"{counted(sum(c['rows'] for c in cells), 'row', 'rows')} in "
             f"{counted(n, 'cell', 'cells')}; {counted(len(failing), *unit)}"
             + (f" ({len(inside)} where every stated assumption holds)" if failing else "")]
    pred = [c for c in cells if c["predicted"] is not None]
    if pred:
        agree = sum((c["fails"] > 0) == c["predicted"] for c in pred)
        parts.append(f"the measured failure region matches the errata's prediction in {agree} "
                     f"of {len(pred)} cells")
    own = [q for q in rates if q["claim"] == spec.claim and not q["vacuous"]]
    if own:
        # ties at the printed precision: the first regime, in the store's order (tie_key)
        low = min(own, key=lambda q: tie_key(q["rate"] - q["stated_lower_bound"]))
        rejected = sum(q["rejected"] for q in own)
        parts.append(f"success rate below its stated bound (exact test) in {rejected} of "
                     f"{len(own)} regimes; lowest margin: rate {low['rate']:.3g} "
                     f"(95% CI {low['ci95'][0]:.3g}-{low['ci95'][1]:.3g}) against "
                     f"{low['stated_lower_bound']:.6g}")
    return "; ".join(parts) + "."


_AXIS_LABELS = {"d": "d (dimension of a pattern)", "l": "l (number of patterns)",
                "k": "k (filters)", "m": "m (training samples)", "n": "n (positions per input)",
                "m2": "m2 (second-layer samples)",
                "T1": "T1 (first-layer steps)",
                "eta1": "eta1 (fraction of the largest allowed step, 1/(4k(T1+1)))"}
"""A sweep's ``eta1`` is the fraction of the largest first-layer step Theorem 5.1 allows
(:mod:`verify.claims.section_5_grids`), never the step itself: its labels say so."""


def _axis_label(axis: str) -> str:
    """What a sweep axis is, in the paper's terms."""
    return _AXIS_LABELS.get(axis, axis)


def _draw_cells(spec: AtlasSpec, axes: list[str], cells: Sequence[Mapping[str, Any]],
                path: Path) -> None:
    with figure() as (fig, ax):
        _draw_cells_on(fig, ax, spec, axes, cells)
        write_atomic(path, png_bytes(fig))


def _draw_cells_on(fig: Any, ax: Any, spec: AtlasSpec, axes: list[str],
                   cells: Sequence[Mapping[str, Any]]) -> None:
    import matplotlib.patches

    if len(axes) == 2:
        xs = sorted({c["at"][axes[0]] for c in cells})
        ys = sorted({c["at"][axes[1]] for c in cells})
        grid = np.full((len(ys), len(xs)), np.nan)
        for c in cells:
            grid[ys.index(c["at"][axes[1]]), xs.index(c["at"][axes[0]])] = c["fails"] / c["rows"]
        mesh = ax.pcolormesh(np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5, grid,
                             cmap="RdYlGn_r", vmin=0, vmax=1, shading="flat")
        what = ("fraction of seeds without the claimed event" if cells[0].get("probabilistic")
                else "fraction of rows that fail")
        fig.colorbar(mesh, ax=ax, label=what)
        for c in cells:
            i, j = xs.index(c["at"][axes[0]]), ys.index(c["at"][axes[1]])
            if not c["assumed"]:
                ax.add_patch(matplotlib.patches.Rectangle((i - 0.5, j - 0.5), 1, 1, fill=False,
                                                          hatch="///", lw=0, alpha=0.5))
            if len(cells) <= 150 and math.isfinite(c["worst"]):
                ax.text(i, j, f"{c['worst']:.2g}", ha="center", va="center", fontsize=6)
        pred = {(c["at"][axes[0]], c["at"][axes[1]]): c["predicted"] for c in cells
                if c["predicted"] is not None}
        if pred:  # the predicted boundary: between predicted-failing and predicted-holding
            for i, x in enumerate(xs):
                col = [pred.get((x, y)) for y in ys]
                for j in range(len(ys) - 1):
                    if col[j] is not None and col[j + 1] is not None and col[j] != col[j + 1]:
                        ax.plot([i - 0.5, i + 0.5], [j + 0.5, j + 0.5], **PREDICTED)
            ax.plot([], [], label=spec.predicted_label, **PREDICTED)
            ax.legend(loc="upper left")
        ax.set_xticks(range(len(xs)), [f"{x:g}" for x in xs])
        ax.set_yticks(range(len(ys)), [f"{y:g}" for y in ys])
        ax.grid(False)
        ax.set_xlabel(_axis_label(axes[0]))
        ax.set_ylabel(_axis_label(axes[1]))
        hatched = any(not c["assumed"] for c in cells)
        ax.set_title(f"{spec.claim}: failures (colour), worst slack (numbers)"
                     + ("\nhatched: a stated assumption fails" if hatched else ""))
    elif cells[0].get("probabilistic"):
        _draw_fraction_on(ax, spec, axes[0], cells)
    else:
        x = [c["at"][axes[0]] for c in cells]
        # a null value is None, or NaN once read by pandas: left out wherever it comes
        obs = [max((v for v in c["observed"] if v is not None and v == v), default=math.nan)
               for c in cells]
        bound = [min((v for v in c["bound"] if v is not None and v == v), default=math.nan)
                 for c in cells]
        ax.plot(x, obs, "o-", ms=3, label="observed (worst over seeds)")
        ax.plot(x, bound, label="stated bound", **BOUND)
        bad = [(xi, o) for xi, o, c in zip(x, obs, cells, strict=True) if c["fails"]]
        if bad:
            ax.plot(*zip(*bad, strict=True), "rx", label="fails")
        if max(x) / max(min(x), 1e-300) > 30:
            ax.set_xscale("log")
            value_ticks(ax, "x", x)
        positive = [v for v in obs + bound if v is not None and v > 0]
        if positive and max(positive) / min(positive) > 100:
            ax.set_yscale("log")
        ax.set_xlabel(_axis_label(axes[0]))
        ax.set_ylabel("probability that the claimed event fails")
        ax.set_title(f"{spec.claim}: observed against its bound")
        ax.legend()


def _draw_fraction_on(ax: Any, spec: AtlasSpec, axis: str,
                      cells: Sequence[Mapping[str, Any]]) -> None:
    """A probabilistic claim over one axis: per cell the fraction of seeds that missed the
    claimed event with its 95% Clopper-Pearson interval, against the rows' stated bound on that
    probability (capped at 1, where it stops saying anything). One seed missing the event is no
    failure of such a claim: the exact test is the rates figure's."""
    from verify.evidence.stats import clopper_pearson

    x = [c["at"][axis] for c in cells]
    frac = np.array([c["fails"] / c["rows"] for c in cells])
    ci = np.array([clopper_pearson(int(c["fails"]), int(c["rows"])) for c in cells])
    bound = [min(1.0, min((v for v in c["bound"] if v is not None and v == v),
                          default=math.inf)) for c in cells]  # None or NaN: no value
    seeds = sorted({int(c["rows"]) for c in cells})
    ax.errorbar(x, frac, yerr=[frac - ci[:, 0], ci[:, 1] - frac], fmt="o-", ms=3,
                label=f"fraction of seeds without the event ({seeds[0]}"
                      + (f"-{seeds[-1]}" if len(seeds) > 1 else "") + " seeds), 95% CI")
    ax.plot(x, bound, label="stated bound on that probability (capped at 1)", **BOUND)
    if max(x) / max(min(x), 1e-300) > 30:
        ax.set_xscale("log")
        value_ticks(ax, "x", x)
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel(_axis_label(axis))
    ax.set_ylabel("probability that the claimed event fails")
    ax.set_title(f"{spec.claim}: failure frequency against its bound")
    ax.legend()


def _draw_rates(claim: str, rates: Sequence[Mapping[str, Any]], path: Path) -> None:
    own = [q for q in rates if q["claim"] == claim]
    with figure((max(FIGSIZE[0], 0.28 * len(own)), FIGSIZE[1])) as (fig, ax):
        _draw_rates_on(ax, claim, own)
        write_atomic(path, png_bytes(fig))


def _value(v: Any) -> str:
    """A regime's parameter as a label: numbers as ``:g``, anything else (a learner) as is."""
    return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _param_label(key: str, v: Any) -> str:
    """``key=value`` for a figure, with its unit: ``eta1=0.5×max`` (a fraction of the largest
    allowed step, :data:`_AXIS_LABELS`)."""
    return f"{key}={_value(v)}×max" if key == "eta1" else f"{key}={_value(v)}"


def _draw_rates_on(ax: Any, claim: str, own: Sequence[Mapping[str, Any]]) -> None:
    varying = [k for k in own[0]["params"] if len({str(q["params"][k]) for q in own}) > 1]
    labels = [", ".join(_param_label(k, q["params"][k]) for k in varying) for q in own]
    if len({q["seeds"] for q in own}) > 1:  # seeds added in rounds: each regime's own count
        labels = [f"{t} ({q['seeds']} seeds)" for t, q in zip(labels, own, strict=True)]
    x = np.arange(len(own))
    rate = np.array([q["rate"] for q in own])
    lo = np.array([q["ci95"][0] for q in own])
    hi = np.array([q["ci95"][1] for q in own])
    ax.errorbar(x, rate, yerr=[rate - lo, hi - rate], fmt="o", ms=3,
                label="success rate, 95% Clopper-Pearson interval")
    stated = [q["stated_lower_bound"] for q in own]
    vacuous = " (drawn at 0 where it is <= 0: vacuous)" if min(stated) <= 0 else ""
    ax.hlines([max(b, 0.0) for b in stated], x - 0.3, x + 0.3,
              label=f"stated lower bound on the probability{vacuous}", **BOUND)
    ax.set_xticks(x, labels, rotation=90, fontsize=6)
    ax.set_xlabel("regime (the parameters that vary)")
    ax.set_ylabel("fraction of seeds with the claimed event")
    ax.set_ylim(min(0.0, float(lo.min())) - 0.02, 1.02)
    seeds = sorted({int(q["seeds"]) for q in own})
    each = (f"{seeds[0]} seeds each" if len(seeds) == 1
            else f"{seeds[0]}-{seeds[-1]} seeds per regime")
    ax.set_title(f"{claim}: success rate per regime ({each})")
    ax.legend(loc="center left")  # clear of rates near 1 and bounds drawn at 0


def atlas_entries(df: Any, rates: Sequence[Mapping[str, Any]], out_dir: Path | None,
                  link_prefix: str) -> list[dict[str, Any]]:
    """One entry per claim of :data:`ATLAS` present in ``df``: its title, reading line, axes,
    cells, and the links of its figures (drawn into ``out_dir`` when it is given and Matplotlib
    is installed)."""
    out = []
    for spec in ATLAS:
        if df.empty or not (df["claim"] == spec.claim).any():
            continue
        axes, cells = atlas_cells(df, spec)
        reading = _reading(spec, cells, rates)
        own = None
        if spec.figure is not None:
            own = spec.figure(_records(df, spec.claim))
            reading = f"{own['reading']}. {reading}"
        entry: dict[str, Any] = {
            "claim": spec.claim, "axes": axes, "reading": reading, "figures": [],
            "cells": [{**{k: v for k, v in c.items() if k not in ("observed", "bound", "worst")},
                       "worst": c["worst"] if math.isfinite(c["worst"]) else None}
                      for c in cells]}
        if own is not None:
            entry["plot"] = own["plot"]
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            name = f"atlas-{slug(spec.claim)}.png"
            if own is None:
                _draw_cells(spec, axes, cells, out_dir / name)
                entry["figures"].append(f"{link_prefix}/{name}")
            elif own["plot"] is not None:
                write_atomic(out_dir / name, render_spec(stable_spec(own["plot"])))
                entry["figures"].append(f"{link_prefix}/{name}")
            if any(q["claim"] == spec.claim for q in rates):
                name = f"atlas-{slug(spec.claim)}-rates.png"
                _draw_rates(spec.claim, rates, out_dir / name)
                entry["figures"].append(f"{link_prefix}/{name}")
        out.append(entry)
    return out


_REGIME_KEYS = ("d", "l", "n", "k", "m", "T1")


def sequential_seeds(sections: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The regimes the report decided by sequential seeds: one record per evidence
    row whose ``details["decision"]`` counts ``trials`` of a seed ``budget`` (in the decision
    or the row's params: Theorem 5.1 and Corollary 5.4 (confidence),
    :func:`verify.evidence.sequential.run_sequential`): ``claim``, ``regime`` (its integer
    sizes), ``status``, ``seeds`` (the seeds it took) and ``budget``. A decision without a
    budget ran a fixed number of trials, not rounds, and is not listed."""
    out = []
    for sec in sections:
        for ev in sec.get("evidence", []):
            dec = (ev.get("details") or {}).get("decision")
            trials = dec.get("trials") if isinstance(dec, dict) else None
            if not isinstance(trials, int) or isinstance(trials, bool):
                continue
            params = ev.get("params") or {}
            budget = dec.get("budget", params.get("budget"))
            if budget is None:
                continue
            out.append({"claim": ev["claim"],
                        "regime": {k: params[k] for k in _REGIME_KEYS if k in params},
                        "status": dec.get("status", ""), "seeds": trials, "budget": budget})
    return out


ATLAS_GRID = {"quick": "quick", "standard": "quick", "thorough": "standard"}
"""The sweep grid the report runs for its atlas at each profile (when no store is given)."""


def open_store(path: str | Path, declarations: Sequence[Any] = (),
               note: Callable[[str], None] | None = None) -> Any:
    """The sweep store at ``path`` for reading, checked before any work: ``ValueError`` (naming
    ``--atlas``) when it is not a directory holding a store of this version, or when a part
    cannot be read (named). Each claim that ``declarations`` sweep and the store lacks gets a
    line through ``note`` (default: stderr) naming the command that fills it."""
    import sys

    from verify.sweep.store import Store, StoreError

    p = Path(path)
    if not p.is_dir() or not (p / "_manifest.json").is_file():
        raise ValueError(f"--atlas: {path} is not a sweep store (a directory written by "
                         "python -m verify.sweep)")
    try:
        store = Store(p, create=False)
        _, bad = store.check_parts(set_aside=False)
    except (StoreError, OSError) as exc:
        raise ValueError(f"--atlas: {exc}") from None
    if bad:
        raise ValueError(f"--atlas: part {bad[0]} of {path} cannot be used (truncated, another "
                         "schema or null keys)"
                         + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else "")
                         + f"; run python -m verify.sweep ... --store {path} to set it aside "
                         "and redo its tasks")
    wanted = [s.claim for d in declarations for s in d.sweeps]
    if wanted:
        import pyarrow.compute as pc

        present = set(pc.unique(store.read(columns=["claim"]).column("claim")).to_pylist())
        say = note or (lambda line: print(line, file=sys.stderr))
        for claim in wanted:
            if claim not in present:
                say(f"verify.report: --atlas: {claim} is not in the store {path}; fill it with "
                    f"python -m verify.sweep {claim!r} --store {path}")
    return store


def collect_atlas(declarations: Sequence[Any], *, profile: str, seed: int,
                  store: Any | None, client: Callable[[], Any] | None,
                  out_dir: Path | None, link_prefix: str, progress: bool = False
                  ) -> dict[str, Any] | None:
    """The report's atlas of the claims ``declarations`` sweep: read from ``store`` (an open
    sweep store), or, without one, their :data:`ATLAS_GRID` grid run now on the Dask client
    that ``client()`` opens, into a temporary store. ``None`` when no declaration sweeps. After
    Ctrl-C during that sweep, ``"interrupted"`` is true and the Atlas holds the claims whose
    every row had finished (``"finished"``; the others are ``"unfinished"``)."""
    import tempfile

    import pandas as pd

    from verify.sweep.engine import planned_size, run_sweep
    from verify.sweep.rates import success_rates
    from verify.sweep.store import Store

    if profile not in ATLAS_GRID:
        raise ValueError(f"profile must be one of {sorted(ATLAS_GRID)}, got {profile!r}")
    specs = {s.claim: s for d in declarations for s in d.sweeps}
    if not specs:
        return None
    grid = ATLAS_GRID[profile]
    interrupted = False
    if store is not None:
        df = store.read().to_pandas()
        source = f"the sweep store {store.path}"
    else:
        with tempfile.TemporaryDirectory(prefix="verify-atlas-") as tmp:
            own = Store(Path(tmp) / "store")
            try:
                with client() as c:
                    run_sweep(c, list(specs.values()), grid, own, root_seed=seed,
                              progress=progress)
            except KeyboardInterrupt:  # Ctrl-C: the claims whose every row is in are kept
                interrupted = True
            df = own.read().to_pandas()
        source = f"`python -m verify.sweep all --grid {grid} --seed {seed}`, run by the report"
    finished = list(specs)
    if interrupted:
        have = df.groupby("claim").size().to_dict() if len(df) else {}
        finished = [c for c, s in specs.items()
                    if have.get(c, 0) >= planned_size([s], grid, seeds=None)]
    df = df[df["claim"].isin(finished)].reset_index(drop=True)
    rates = success_rates(df, {c: specs[c] for c in finished}) if not df.empty else []
    return {"source": source, "rows": len(df), "rates": rates,
            "entries": atlas_entries(pd.DataFrame(df), rates, out_dir, link_prefix),
            "interrupted": interrupted, "finished": finished,
            "unfinished": [c for c in specs if c not in finished]}
