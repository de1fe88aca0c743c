"""Adaptive rounds for the probabilistic claims: seeds are added to each regime in
rounds, at the looks of a :class:`verify.evidence.sequential.SequentialDesign` (``first``,
``2 first``, ... up to ``budget`` seeds), until the regime's "P(event) >= p" is decided
(:func:`verify.evidence.sequential.decide_rate`: demonstrated, refuted or vacuous) or the budget
is spent (undecided). Only undecided regimes get more seeds. A task's seed depends only on
(``--seed``, claim, regime, replicate) (:func:`verify.sweep.engine.task_seed`), so a round
reuses the earlier rounds' rows from the store and the decisions are the same for the same
seed, whatever the workers. The error guarantees are the design's (Bonferroni alpha-spending
over the looks, as for the paper's probability bounds, e.g. Lemma 5.2 and Theorem 5.1).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pyarrow.compute as pc

from verify._validate import check_seed
from verify.evidence.sequential import SequentialDesign, decide_rate
from verify.evidence.sweep_spec import Grid, SweepSpec, canonical
from verify.sweep.engine import run_sweep
from verify.sweep.store import Store

__all__ = ["adaptive_text", "run_adaptive"]


def _counts(store: Store, claim: str, root_seed: int,
            seeds: int) -> dict[str, tuple[int, float, bool]]:
    """Per regime (canonical JSON): successes among replicates ``< seeds``, stated bound, and
    whether the stated assumptions hold (in every row)."""
    t = store.read(columns=["claim", "params", "replicate", "event", "probability_bound",
                            "assumed"],
                   filters=(pc.field("root_seed") == root_seed) & (pc.field("claim") == claim)
                   & (pc.field("replicate") < seeds)).to_pandas()
    out: dict[str, tuple[int, float, bool]] = {}
    for params, g in t.groupby("params", sort=False):
        bound = float(g["probability_bound"].iloc[0])
        out[str(params)] = (int(g["event"].astype(bool).sum()), bound,
                            bool(g["assumed"].astype(bool).all()))
    return out


def run_adaptive(client: Any, spec: SweepSpec, grid: str, store: Store, *,
                 design: SequentialDesign | None = None, root_seed: int = 0,
                 progress: bool = False) -> list[dict[str, Any]]:
    """Run ``spec``'s regimes of ``grid`` in rounds (see the module docstring) on the Dask
    ``client`` into ``store``; return one record per regime, in the grid's order: ``params``,
    ``assumed`` (the stated assumptions hold) and the last
    :class:`~verify.evidence.sequential.RateDecision` as a dict.

    Raises ``ValueError`` if ``spec`` is not probabilistic or lacks ``grid``, and
    ``RuntimeError`` if a task raised or was lost (nothing is decided on missing rows)."""
    if not isinstance(spec, SweepSpec) or not spec.probabilistic:
        raise ValueError("spec must be the SweepSpec of a probabilistic claim")
    if grid not in spec.grids:
        raise ValueError(f"grid must be one of {sorted(spec.grids)}, got {grid!r}")
    root_seed = check_seed("root_seed", root_seed)
    design = SequentialDesign() if design is None else design
    regimes = list(spec.grids[grid].regimes)
    undecided = list(regimes)
    decisions: dict[str, dict[str, Any]] = {}
    for look, n in enumerate(design.looks(), start=1):
        if not undecided:
            break
        sub = dataclasses.replace(spec, grids={**spec.grids, grid: Grid(tuple(undecided), n)})
        result = run_sweep(client, [sub], grid, store, root_seed=root_seed, progress=progress)
        if result["n_errors"] or result["n_lost"]:
            raise RuntimeError(f"{spec.claim}: {result['n_errors']} task(s) raised and "
                               f"{result['n_lost']} were lost in round {look}; rerun to retry")
        counts = _counts(store, spec.claim, root_seed, n)
        still = []
        for r in undecided:
            successes, claimed, assumed = counts[canonical(r)]
            d = decide_rate(successes, n, claimed, design, looks=look)
            decisions[canonical(r)] = {"assumed": assumed, **d.as_dict()}
            if not d.decided:
                still.append(r)
        undecided = still
    return [{"params": dict(r), **decisions[canonical(r)]} for r in regimes]


def _fmt(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in params.items())


def adaptive_text(records: list[dict[str, Any]], store: Store, *, grid: str, root_seed: int,
                  design: SequentialDesign) -> str:
    """:func:`run_adaptive`'s records (each with its ``claim``) as short Markdown: one table
    row per regime with its seeds, rate, lower confidence bound, stated bound and decision."""
    looks = ", ".join(str(n) for n in design.looks())
    lines = [f"# Adaptive sweep `{grid}`, seed {root_seed} (store {store.path})", "",
             f"Seeds per regime at the looks {looks}; a regime stops at the first look that "
             f"decides it. Refuted at level {design.alpha:g} over all looks; demonstrated at "
             f"confidence {design.confidence:g} over all looks.", "",
             "| claim | regime | seeds | rate | lower bound | stated >= | decision |",
             "|---|---|---|---|---|---|---|"]
    for r in records:
        where = "" if r["assumed"] else " (outside)"
        lines.append(f"| {r['claim']} | {_fmt(r['params'])} | {r['trials']} | "
                     f"{r['observed_rate']:.4f} | {r['lower_confidence_bound']:.4f} | "
                     f"{r['claimed_probability']:.6g} | {r['status']}{where} |")
    return "\n".join(lines) + "\n"
