"""The sweep engine: tasks, their seeds and keys, batches, and the run on Dask.

One task is one (claim, regime, replicate) evaluation through the claim's declared ``evaluate``
(its checker). Its seed is drawn from ``SeedSequence(--seed)`` along the path ``("sweep",
claim, regime, replicate)`` (:func:`task_seed`), so it does not depend on which other tasks run,
on the number of workers or on the order they finish in; its key is the hash of (claim,
canonical regime, seed) (:func:`task_key`). Tasks already in the store are skipped; the rest are
cut into batches of ``spec.batch`` tasks of one claim, each batch is one Dask task, and each
finished batch is written as one Parquet part (:mod:`verify.sweep.store`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from verify import __version__
from verify._validate import check_int, check_seed
from verify.evidence import Evidence
from verify.evidence.sweep_spec import SweepSpec, canonical, digest
from verify.model.assumptions import is_stated
from verify.rng import seed_sequence
from verify.sweep.store import PARAM_COLUMNS, Store

__all__ = ["Outcome", "Task", "batches", "evaluate_task", "plan", "run_batch", "run_sweep",
           "task_key", "task_seed"]


@dataclass(frozen=True)
class Task:
    """One (claim, regime, replicate) evaluation."""

    claim: str
    module: str  # where the claim's SWEEP is declared (imported on the worker)
    params: str  # canonical JSON of the regime
    replicate: int
    root_seed: int
    seed: int
    key: str


def _words(text: str) -> tuple[int, ...]:
    """Four 32-bit words of SHA-256(text): a collision-free stream key for a string."""
    h = bytes.fromhex(digest(text))
    return tuple(int.from_bytes(h[i : i + 4], "big") for i in range(0, 16, 4))


def task_seed(root_seed: int, claim: str, params: str, replicate: int) -> int:
    """The seed of one task: 63 bits drawn from ``SeedSequence(root_seed)`` along the path
    ``("sweep", claim, regime, replicate)``."""
    ss = seed_sequence(root_seed, "sweep", *_words(claim), *_words(params), replicate)
    lo, hi = (int(w) for w in ss.generate_state(2))
    return ((hi & 0x7FFFFFFF) << 32) | lo


def task_key(claim: str, params: str, seed: int) -> str:
    """The task's key: SHA-256 of (claim, canonical regime, seed), 32 hex digits."""
    return digest(json.dumps([claim, params, seed], separators=(",", ":")))[:32]


def plan(specs: Sequence[SweepSpec], grid: str, *, seeds: int | None, root_seed: int) -> list[Task]:
    """Every task of ``grid`` for ``specs``: ``seeds`` replicates per regime (default: the
    grid's own)."""
    root_seed = check_seed("seed", root_seed)
    if seeds is not None:
        seeds = check_int("seeds", seeds, low=1)
    out: list[Task] = []
    for spec in specs:
        if grid not in spec.grids:
            raise ValueError(f"grid must be one of {sorted(spec.grids)}, got {grid!r}")
        g = spec.grids[grid]
        for regime in g.regimes:
            params = canonical(regime)
            for rep in range(g.seeds if seeds is None else seeds):
                s = task_seed(root_seed, spec.claim, params, rep)
                out.append(Task(spec.claim, spec.module, params, rep, root_seed, s,
                                task_key(spec.claim, params, s)))
    return out


def batches(tasks: Iterable[Task], sizes: dict[str, int]) -> list[list[Task]]:
    """Consecutive tasks of one claim, at most ``sizes[claim]`` per batch."""
    out: list[list[Task]] = []
    for t in tasks:
        if out and out[-1][0].claim == t.claim and len(out[-1]) < sizes[t.claim]:
            out[-1].append(t)
        else:
            out.append([t])
    return out


def _spec(task: Task) -> SweepSpec:
    from verify.sweep.registry import module_specs

    for s in module_specs(task.module):
        if s.claim == task.claim:
            return s
    raise ValueError(f"claim {task.claim!r} is not declared in {task.module}")


def _float(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def evaluate_task(task: Task, spec: SweepSpec | None = None) -> dict[str, Any]:
    """Run one task and return its row (see :data:`verify.sweep.store.SCHEMA`)."""
    spec = _spec(task) if spec is None else spec
    params = json.loads(task.params)
    t0 = time.perf_counter()
    ev = spec.evaluate(dict(params), task.seed)
    seconds = time.perf_counter() - t0
    if not isinstance(ev, Evidence):
        raise TypeError(f"{task.claim}: evaluate returned {type(ev).__name__}, not Evidence")
    row: dict[str, Any] = {
        "key": task.key, "claim": task.claim, "params": task.params,
        "replicate": task.replicate, "root_seed": task.root_seed, "seed": task.seed,
        "observed": _float(ev.observed), "bound": _float(ev.bound), "slack": _float(ev.slack),
        "slack_kind": ev.slack_kind, "verdict": ev.verdict.value,
        "assumed": all(ok for name, ok in ev.assumptions.items() if is_stated(name)),
        "assumptions": json.dumps({k: bool(v) for k, v in ev.assumptions.items()},
                                  sort_keys=True),
        "event": None, "probability_bound": None,
        "reason": ev.reason, "reproduce": ev.reproduce,
        "seconds": seconds, "version": __version__,
    }
    for c in PARAM_COLUMNS:
        v = params.get(c)
        row[c] = v if isinstance(v, int) and not isinstance(v, bool) else None
    if spec.probabilistic:
        row["event"] = bool(spec.event(ev))
        row["probability_bound"] = float(spec.probability(params))
    return row


@dataclass(frozen=True)
class Outcome:
    """What one batch returned: its rows, and the tasks whose checker raised."""

    rows: list[dict[str, Any]]
    errors: list[tuple[str, str, str]]  # (claim, params, message)


def run_batch(tasks: Sequence[Task]) -> Outcome:
    """Run a batch on a worker. A checker that raises is reported, and its task is not stored
    (a rerun tries it again)."""
    rows, errors = [], []
    for t in tasks:
        try:
            rows.append(evaluate_task(t))
        except Exception as exc:  # a checker's error is reported, never stored as a result
            errors.append((t.claim, t.params, f"{type(exc).__name__}: {exc}"))
    return Outcome(rows, errors)


def run_sweep(
    client: Any,
    specs: Sequence[SweepSpec],
    grid: str,
    store: Store,
    *,
    seeds: int | None = None,
    root_seed: int = 0,
    progress: bool = True,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run every task of ``grid`` for ``specs`` that ``store`` lacks on the Dask ``client``,
    writing each finished batch as it arrives. A checker that raises, or a batch whose worker
    died, is reported in ``errors`` and not stored. ``on_batch(n)`` is called after the ``n``-th
    batch is written (a test hook; an exception there stops the sweep like Ctrl-C).

    Returns ``{"tasks": planned, "skipped": already done, "run": run now, "errors": [...],
    "keys": the planned tasks' keys}``.
    A ``KeyboardInterrupt`` cancels what is pending and propagates; finished batches are kept.
    """
    from distributed import as_completed
    from tqdm import tqdm

    tasks = plan(specs, grid, seeds=seeds, root_seed=root_seed)
    done = store.done_keys()
    todo = [t for t in tasks if t.key not in done]
    sizes = {s.claim: s.batch for s in specs}
    # Largest regimes first: each grid lists its regimes from small to large, so the reversed
    # order starts the longest tasks early and leaves short ones to fill the end (less idle
    # time at the tail). The rows do not depend on the order.
    work = batches(todo, sizes)[::-1]
    errors: list[tuple[str, str, str]] = []
    bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), disable=not progress,
               unit="task", desc=f"sweep {grid}", dynamic_ncols=True)
    futures = []
    try:
        futures = [client.submit(run_batch, b, pure=False) for b in work]
        batch_of = {f.key: b for f, b in zip(futures, work, strict=True)}
        for n, fut in enumerate(as_completed(futures), start=1):
            try:
                out: Outcome = fut.result()
            except Exception as exc:  # a worker died (e.g. killed for memory): report the batch
                out = Outcome([], [(t.claim, t.params, f"{type(exc).__name__}: {exc}")
                                   for t in batch_of[fut.key]])
            store.write(out.rows)
            errors.extend(out.errors)
            bar.update(len(out.rows) + len(out.errors))
            fut.release()
            if on_batch is not None:
                on_batch(n)
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    finally:
        bar.close()
    return {"tasks": len(tasks), "skipped": len(tasks) - len(todo), "run": len(todo),
            "errors": errors, "keys": [t.key for t in tasks]}
