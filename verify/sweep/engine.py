"""The sweep engine: tasks, their seeds and keys, batches, and the run on Dask.

One task is one (claim, regime, replicate) evaluation through the claim's declared ``evaluate``
(its checker). Its seed is drawn from ``SeedSequence(--seed)`` along the path ``("sweep",
claim, regime, replicate)`` (:func:`task_seed`), so it does not depend on which other tasks run,
on the number of workers or on the order they finish in; its key is the hash of (claim,
canonical regime, seed) (:func:`task_key`). Tasks already in the store are skipped; the rest are
cut into batches of ``spec.batch`` tasks of one claim, each batch is one Dask task, and each
finished batch is written as one Parquet part (:mod:`verify.sweep.store`).

At scale the plan is a lazy stream (:func:`iter_tasks`, :func:`iter_batches`): at most
``window`` batches per worker thread are in flight, topped up as results arrive, so the first
results reach the store within seconds and the main process's memory does not grow with the
grid (only with the keys already in the store, read once to resume).
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from verify import __version__
from verify._cli import Progress
from verify._validate import check_int, check_positive_float, check_seed
from verify.evidence import Evidence
from verify.evidence.sweep_spec import SweepSpec, canonical, digest
from verify.model.assumptions import is_stated
from verify.rng import seed_sequence
from verify.sweep.store import EVENT, NO_EVENT, PARAM_COLUMNS, Store

__all__ = ["WINDOW", "Outcome", "Task", "batches", "evaluate_task", "iter_batches", "iter_tasks",
           "plan", "run_batch", "run_sweep", "strength_of", "task_key", "task_seed"]

WINDOW = 4
"""Batches in flight per worker thread: enough to keep every thread busy while results travel
back, few enough that an interrupt cancels little and memory stays bounded."""


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


def iter_tasks(specs: Sequence[SweepSpec], grid: str, *, seeds: int | None, root_seed: int,
               largest_first: bool = False) -> Iterator[Task]:
    """Every task of ``grid`` for ``specs``, lazily: ``seeds`` replicates per regime (default:
    the grid's own). ``largest_first`` walks each grid's regimes from the last (grids list them
    from small to large: the longest tasks start early). Arguments are checked at the call."""
    root_seed = check_seed("seed", root_seed)
    if seeds is not None:
        seeds = check_int("seeds", seeds, low=1)
    for spec in specs:
        if grid not in spec.grids:
            raise ValueError(f"grid must be one of {sorted(spec.grids)}, got {grid!r}")

    def gen() -> Iterator[Task]:
        for spec in specs:
            g = spec.grids[grid]
            regimes = reversed(g.regimes) if largest_first else g.regimes
            for regime in regimes:
                params = canonical(regime)
                for rep in range(g.seeds if seeds is None else seeds):
                    s = task_seed(root_seed, spec.claim, params, rep)
                    yield Task(spec.claim, spec.module, params, rep, root_seed, s,
                               task_key(spec.claim, params, s))

    return gen()


def plan(specs: Sequence[SweepSpec], grid: str, *, seeds: int | None, root_seed: int) -> list[Task]:
    """Every task of ``grid`` for ``specs`` as a list (:func:`iter_tasks`)."""
    return list(iter_tasks(specs, grid, seeds=seeds, root_seed=root_seed))


def planned_size(specs: Sequence[SweepSpec], grid: str, *, seeds: int | None) -> int:
    """The number of tasks of ``grid`` for ``specs``, without planning them."""
    return sum(len(s.grids[grid].regimes) * (s.grids[grid].seeds if seeds is None else seeds)
               for s in specs)


def iter_batches(tasks: Iterable[Task], sizes: dict[str, int]) -> Iterator[list[Task]]:
    """Consecutive tasks of one claim, at most ``sizes[claim]`` per batch, lazily."""
    cur: list[Task] = []
    for t in tasks:
        if cur and (cur[0].claim != t.claim or len(cur) >= sizes[t.claim]):
            yield cur
            cur = []
        cur.append(t)
    if cur:
        yield cur


def batches(tasks: Iterable[Task], sizes: dict[str, int]) -> list[list[Task]]:
    """Consecutive tasks of one claim, at most ``sizes[claim]`` per batch."""
    return list(iter_batches(tasks, sizes))


def strength_of(ev: Evidence) -> str:
    """The row's strength: the evidence's own (:class:`verify.evidence.Strength`) if set, else
    ``"statistical"`` for a p-value or effect-size row and ``"computed"`` for any other."""
    if getattr(ev, "strength", None) is not None:
        return str(ev.strength.value)
    return "statistical" if ev.slack_kind in ("p-value", "effect") else "computed"


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
    """Run one task and return its row (see :data:`verify.sweep.store.SCHEMA`).

    A probabilistic claim's row is one seed: its ``verdict`` is whether the claimed event
    occurred (``"event"`` or ``"no event"``), not the checker's verdict on a single draw (which
    cannot reject and read "holds" even where the event failed); the claim's verdict is that of
    its success rates (:mod:`verify.sweep.rates`)."""
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
        "slack_kind": ev.slack_kind, "verdict": ev.verdict.value, "strength": strength_of(ev),
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
        row["verdict"] = EVENT if row["event"] else NO_EVENT
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


NO_WORKER_GRACE = 30.0
"""Seconds without any worker before the sweep says so on stderr (``--worker-grace``)."""
NO_WORKER_WAIT = 300.0
"""Seconds more without any worker before the sweep stops, keeping what finished, with exit
status 3 (``--worker-wait``)."""


class NoWorkers(Exception):
    """No worker for ``seconds``: the grace and the wait are over."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no worker for {seconds:.0f} s")
        self.seconds = seconds


class WorkerWatch:
    """Whether the cluster still has a worker, checked at most once a second while no result
    arrives: after ``grace`` seconds without one, ``say`` it (once per absence); after ``wait``
    seconds more, raise :class:`NoWorkers`. ``absences`` counts the times the cluster was left
    without a worker; ``longest`` the longest absence, in seconds."""

    def __init__(self, client: Any, grace: float, wait: float,
                 say: Callable[[str], None]) -> None:
        self.client, self.grace, self.wait, self.say = client, grace, wait, say
        self.since: float | None = None
        self.warned = False
        self.absences = 0
        self.longest = 0.0
        self._checked = -math.inf

    def workers(self) -> int:
        """The number of workers the scheduler knows (``None``-safe for stand-in clients)."""
        info = getattr(self.client, "scheduler_info", None)
        if info is None:
            return 1
        try:
            return len(info().get("workers", {}))
        except Exception:  # a scheduler being lost: the futures will say so
            return 1

    def check(self) -> None:
        now = time.monotonic()
        if now - self._checked < min(1.0, self.grace / 4):
            return
        self._checked = now
        if self.workers() > 0:
            if self.since is not None and self.warned:
                self.say("a worker joined; the sweep goes on")
            self.since, self.warned = None, False
            return
        if self.since is None:
            self.since = now
            self.absences += 1
        gone = now - self.since
        self.longest = max(self.longest, gone)
        if not self.warned and gone >= self.grace:
            self.warned = True
            self.say(f"no worker is left (none for {self.grace:g} s); waiting {self.wait:g} s "
                     "more for one to join before stopping (finished tasks are kept)")
        if gone >= self.grace + self.wait:
            raise NoWorkers(gone)


def _finished(ac: Any, watch: WorkerWatch) -> Iterator[Any]:
    """The futures of ``ac`` as they finish; while none is ready, ``watch`` checks that the
    cluster still has a worker (a stand-in without ``has_ready`` is iterated as it is)."""
    if not hasattr(ac, "has_ready"):
        yield from ac
        return
    while not ac.is_empty():
        if ac.has_ready():
            yield next(ac)
        else:
            watch.check()
            time.sleep(0.05)


def _lost(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


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
    done: set[str] | None = None,
    window: int = WINDOW,
    worker_grace: float = NO_WORKER_GRACE,
    worker_wait: float = NO_WORKER_WAIT,
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> dict[str, Any]:
    """Run every task of ``grid`` for ``specs`` that ``store`` lacks on the Dask ``client``,
    writing each finished batch as it arrives. Batches are planned lazily and at most
    ``window`` per worker thread are in flight. A checker that raises is reported in
    ``errors`` ("raised") and not stored; a batch whose worker or scheduler was lost is
    reported in ``lost`` and not stored, and no more batches are sent once the client has lost
    its scheduler. ``done`` is the set of keys already stored (default: read from ``store``).
    ``on_batch(n)`` is called after the ``n``-th batch is written (a test hook; an exception
    there stops the sweep like Ctrl-C).

    While the cluster has no worker, ``say`` tells so after ``worker_grace`` seconds; after
    ``worker_wait`` seconds more the sweep stops: what is in flight and what was not sent is
    ``lost`` ("no worker"), and ``"no_workers"`` holds the seconds without one. A worker that
    joins in time lets the sweep go on; ``"worker_absences"`` counts such absences.

    Returns ``{"tasks": planned, "skipped": already done, "run": run now, "errors": [(claim,
    params, message)], "lost": [(claim, params, message)], "worker_absences": n,
    "no_workers": seconds or None}``; ``errors`` and ``lost`` keep at most 100 entries each,
    with counts in ``"n_errors"`` and ``"n_lost"``.
    Another exception cancels what is in flight and propagates; a ``KeyboardInterrupt`` propagates
    at once (closing the client releases what is in flight); finished batches are kept.
    """
    from distributed import as_completed

    window = check_int("window", window, low=1)
    watch = WorkerWatch(client, check_positive_float("worker_grace", worker_grace),
                        check_positive_float("worker_wait", worker_wait), say)
    stopped: float | None = None
    total = planned_size(specs, grid, seeds=seeds)
    tasks = iter_tasks(specs, grid, seeds=seeds, root_seed=root_seed, largest_first=True)
    done = store.done_keys() if done is None else done
    counts = {"skipped": 0, "run": 0, "n_errors": 0, "n_lost": 0}

    def todo() -> Iterator[Task]:
        for t in tasks:
            if t.key in done:
                counts["skipped"] += 1
            else:
                counts["run"] += 1
                yield t

    work = iter_batches(todo(), {s.claim: s.batch for s in specs})
    errors: list[tuple[str, str, str]] = []
    lost: list[tuple[str, str, str]] = []
    bar = Progress(f"verify.sweep {grid}", total, "task", quiet=not progress)
    threads = max(1, sum(client.nthreads().values()) if hasattr(client, "nthreads") else 1)
    in_flight: dict[str, tuple[Any, list[Task]]] = {}
    ac = as_completed()

    def submit(n: int) -> None:
        for b in itertools.islice(work, n):
            f = client.submit(run_batch, b, pure=False)
            in_flight[f.key] = (f, b)
            ac.add(f)

    shown = 0

    def show(finished: int, label: str = "") -> None:
        nonlocal shown
        bar.update(finished + counts["skipped"] - shown, label)
        shown = counts["skipped"]

    try:
        submit(window * threads)
        show(0)
        try:
            for n, fut in enumerate(_finished(ac, watch), start=1):
                _, batch = in_flight.pop(fut.key)
                try:
                    out: Outcome = fut.result()
                except Exception as exc:  # the worker or the scheduler was lost: not the checker
                    counts["n_lost"] += len(batch)
                    lost.extend((t.claim, t.params, _lost(exc)) for t in batch[: 100 - len(lost)])
                    out = Outcome([], [])
                store.write(out.rows)
                counts["n_errors"] += len(out.errors)
                errors.extend(out.errors[: 100 - len(errors)])
                fut.release()
                if on_batch is not None:
                    on_batch(n)
                if getattr(client, "status", "running") in ("running", "connecting",
                                                            "newly-created"):
                    submit(1 if in_flight else window * threads)
                show(len(batch), batch[0].claim if batch else "")
        except NoWorkers as exc:  # what is in flight, and the rest, are lost; finished is kept
            stopped = exc.seconds
            for f, batch in in_flight.values():
                f.cancel()
                counts["n_lost"] += len(batch)
                lost.extend((t.claim, t.params, str(exc)) for t in batch[: 100 - len(lost)])
            in_flight.clear()
        # what could not be sent after the scheduler was lost, or once no worker was left
        # (through ``work``: it holds the next batch's first task, already taken from ``todo()``
        # and counted as run)
        why = str(NoWorkers(stopped)) if stopped is not None else "the scheduler was lost"
        for t in itertools.chain.from_iterable(work):
            counts["n_lost"] += 1
            if len(lost) < 100:
                lost.append((t.claim, t.params, f"not sent: {why}"))
    except KeyboardInterrupt:
        # Ctrl-C: no per-future cancel. Each is a blocking round trip to the scheduler that an
        # event loop the interrupt caught mid-call may never answer (once, in CI, the sweep then
        # outlived its 60 s); closing the client (verify._dask.dask_client) releases them all.
        raise
    except BaseException:
        for f, _ in in_flight.values():
            f.cancel()
        raise
    finally:
        bar.close()
    return {"tasks": total, "skipped": counts["skipped"], "run": counts["run"],
            "errors": errors, "lost": lost, "n_errors": counts["n_errors"],
            "n_lost": counts["n_lost"], "worker_absences": watch.absences,
            "no_workers": stopped}
