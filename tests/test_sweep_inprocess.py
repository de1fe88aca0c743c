"""The sweep without a cluster: :func:`verify.sweep.engine.run_sweep` and
:func:`verify.sweep.adaptive.run_adaptive` on a synchronous stand-in for a Dask client
(``tests/sync_client.py``), the tasks' seeds, keys and batches, and the store's semantics.

What a user relies on: every planned task's row lands in the store once (one part per batch);
a rerun skips what is stored; at most ``window`` batches per worker thread are in flight; a
checker's error or a lost batch is reported and not stored; an interruption keeps the finished
batches; the seeds and keys of a task never change (a store written by one version is resumed by
the next); the adaptive rounds give more seeds only to undecided regimes. These tests run in the
test's own process, so mutation testing reaches these functions (a cluster started in mutmut's
forked workers hangs; see MUTATION.md). ``tests/test_sweep.py``, ``tests/test_sweep_faults.py``
and ``tests/test_sweep_adaptive.py`` test the same on a real ``LocalCluster``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from typing import ClassVar

import distributed
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tests import synthetic_sweep
from tests.sync_client import BareClient, SyncAsCompleted, SyncClient
from verify.evidence import Evidence, Verdict
from verify.evidence.sequential import SequentialDesign
from verify.evidence.sweep_spec import GRID_NAMES, Grid, SweepSpec, canonical
from verify.sweep import engine
from verify.sweep import store as store_module
from verify.sweep.adaptive import _counts, _fmt, adaptive_text, run_adaptive
from verify.sweep.engine import (
    Task,
    batches,
    evaluate_task,
    iter_batches,
    iter_tasks,
    plan,
    run_batch,
    run_sweep,
    task_key,
    task_seed,
)
from verify.sweep.store import BAD, MANIFEST, SCHEMA, SCHEMA_VERSION, Store, StoreError


@pytest.fixture(autouse=True)
def sync_dask(monkeypatch):
    """``run_sweep`` imports ``as_completed`` from ``distributed`` when called: the stand-in."""
    monkeypatch.setattr(distributed, "as_completed", SyncAsCompleted)


def _ev(params: dict, seed: int) -> Evidence:
    if params.get("boom"):
        raise RuntimeError(f"boom {params['d']}")
    return Evidence("Toy", "toy", Verdict.HOLDS, float(seed % 7), 10.0, 10.0 - seed % 7,
                    params=params, assumptions={"k>8d^3": True})


def _spec(claim: str = "Toy", regimes=({"d": 3}, {"d": 4}, {"d": 5}), seeds: int = 4,
          batch: int = 3, **kw) -> SweepSpec:
    grids = {g: Grid(tuple(regimes), seeds) for g in GRID_NAMES}
    return SweepSpec(claim, grids, _ev, batch=batch, module=__name__, **kw)


def _never(params: dict, seed: int) -> Evidence:
    return Evidence(claim="never", statement="never", verdict=Verdict.HOLDS, observed=1.0,
                    bound=0.0, slack=-1.0)


def _raises(params: dict, seed: int) -> Evidence:
    raise ValueError("x")


TOY = _spec()
OTHER = _spec("Other", regimes=({"d": 6},), seeds=2, batch=5)
RATE = synthetic_sweep.RATE_SWEEP
# the synthetic rate claim whose event never occurs, under the same name and under another
NEVER = dataclasses.replace(RATE, evaluate=_never, module=__name__)
COPY = dataclasses.replace(NEVER, claim="Copy")
BROKEN = dataclasses.replace(RATE, claim="Broken rate", evaluate=_raises, batch=100,
                             module=__name__)
PAIR = (TOY, OTHER)
SWEEP = (TOY, OTHER, NEVER, COPY, BROKEN)  # what a worker finds in this module (engine._spec)


def _rows(store: Store) -> list[dict]:
    rows = store.read().to_pylist()
    for r in rows:
        r.pop("seconds")
    return sorted(rows, key=lambda r: r["key"])


def _direct(specs, root_seed: int = 0, seeds: int | None = None) -> list[dict]:
    rows = []
    for t in plan(specs, "quick", seeds=seeds, root_seed=root_seed):
        spec = next(s for s in specs if s.claim == t.claim)
        row = evaluate_task(t, spec)
        row.pop("seconds")
        rows.append(row)
    return sorted(rows, key=lambda r: r["key"])


def _sweep(client, specs, store, **kw):
    kw.setdefault("progress", False)
    return run_sweep(client, list(specs), "quick", store, **kw)


# ---------------------------------------------------------------- seeds, keys, tasks, batches

def test_words__four_big_endian_words_of_the_sha256():
    h = hashlib.sha256(b"Lemma 5.2").hexdigest()
    assert engine._words("Lemma 5.2") == tuple(int(h[i:i + 8], 16) for i in range(0, 32, 8))
    assert engine._words("Toy") == (661022646, 3458603481, 1962596322, 4006258911)


def test_task_seed__fixed_for_ever_and_63_bits():
    """A store's keys are derived from the seeds: a seed that changed between versions would
    make a rerun redo every stored task."""
    assert task_seed(0, "Toy", '{"d":3}', 0) == 9138241714999542850
    assert task_seed(2**40 + 5, "Lemma 5.2", '{"d":20,"k":64001}', 17) == 3466328148385275928
    seeds = {task_seed(r, c, p, i) for r in (0, 1) for c in ("A", "B") for p in ("{}", '{"d":3}')
             for i in range(3)}
    assert len(seeds) == 24
    assert all(0 <= s < 2**63 for s in seeds)
    assert max(seeds) >= 2**62  # the high word is used
    assert any(s & 0xFFFFFFFF >= 2**31 for s in seeds)  # the low word whole


def test_task_key__32_hex_digits_of_the_sha256_of_claim_regime_and_seed():
    assert task_key("Toy", '{"d":3}', 123) == "df074c1d6c4e79db0919ed065acbec8c"
    text = json.dumps(["Toy", '{"d":3}', 123], separators=(",", ":"))
    assert task_key("Toy", '{"d":3}', 123) == hashlib.sha256(text.encode()).hexdigest()[:32]
    assert len({task_key("Toy", '{"d":3}', 1), task_key("Toy", '{"d":3}', 2),
                task_key("Toy", '{"d":4}', 1), task_key("Toy2", '{"d":3}', 1)}) == 4


def test_iter_tasks__every_regime_and_replicate_in_order_with_their_seeds_and_keys():
    tasks = list(iter_tasks([TOY, OTHER], "quick", seeds=None, root_seed=5))
    assert [(t.claim, t.params, t.replicate) for t in tasks] == [
        *[("Toy", canonical({"d": d}), i) for d in (3, 4, 5) for i in range(4)],
        ("Other", '{"d":6}', 0), ("Other", '{"d":6}', 1)]
    for t in tasks:
        assert t.module == __name__
        assert t.root_seed == 5
        assert t.seed == task_seed(5, t.claim, t.params, t.replicate)
        assert t.key == task_key(t.claim, t.params, t.seed)
    largest = list(iter_tasks([TOY, OTHER], "quick", seeds=2, root_seed=5, largest_first=True))
    assert [(t.claim, t.params, t.replicate) for t in largest] == [
        *[("Toy", canonical({"d": d}), i) for d in (5, 4, 3) for i in range(2)],
        ("Other", '{"d":6}', 0), ("Other", '{"d":6}', 1)]
    assert plan([TOY], "quick", seeds=1, root_seed=5) == [
        t for t in tasks if t.claim == "Toy" and t.replicate == 0]


def test_iter_tasks__arguments_checked_at_the_call_not_at_the_first_task():
    with pytest.raises(ValueError, match="grid must be one of"):
        iter_tasks([TOY], "huge", seeds=None, root_seed=0)
    with pytest.raises(ValueError, match="seeds"):
        iter_tasks([TOY], "quick", seeds=0, root_seed=0)
    with pytest.raises(ValueError, match="seed"):
        iter_tasks([TOY], "quick", seeds=None, root_seed=-1)


def _task(claim: str, i: int) -> Task:
    return Task(claim, __name__, "{}", i, 0, i, f"{claim}{i}")


def test_iter_batches__consecutive_tasks_of_one_claim_at_most_its_size():
    tasks = [_task("A", i) for i in range(5)] + [_task("B", i) for i in range(3)] + [_task("A", 9)]
    got = [[(t.claim, t.replicate) for t in b] for b in iter_batches(tasks, {"A": 2, "B": 3})]
    assert got == [[("A", 0), ("A", 1)], [("A", 2), ("A", 3)], [("A", 4)],
                   [("B", 0), ("B", 1), ("B", 2)], [("A", 9)]]
    assert batches(tasks, {"A": 1, "B": 1}) == [[t] for t in tasks]
    assert list(iter_batches([], {})) == []
    assert batches(tasks[:2], {"A": 5}) == [tasks[:2]]
    # lazily: the first batch comes before the input ends
    def endless():
        i = 0
        while True:
            yield _task("A", i)
            i += 1
    it = iter_batches(endless(), {"A": 3})
    assert [t.replicate for t in next(it)] == [0, 1, 2]


# ------------------------------------------------------------------------------- run_sweep

def test_run_sweep__every_task_stored_once_as_a_direct_call_gives_it(tmp_path):
    client = SyncClient()
    store = Store(tmp_path / "s")
    result = _sweep(client, PAIR, store, root_seed=3)
    assert result == {"tasks": 14, "skipped": 0, "run": 14, "errors": [], "lost": [],
                      "n_errors": 0, "n_lost": 0, "worker_absences": 0, "no_workers": None}
    assert _rows(store) == _direct(PAIR, root_seed=3)
    # batches of each claim's size, the largest regimes first, each one run_batch call
    sizes = [[(t.claim, t.params, t.replicate) for t in args[0]] for args in client.submitted]
    assert [len(b) for b in sizes] == [3, 3, 3, 3, 2]
    assert [b[0][:2] for b in sizes] == [("Toy", '{"d":5}'), ("Toy", '{"d":5}'),
                                         ("Toy", '{"d":4}'), ("Toy", '{"d":3}'),
                                         ("Other", '{"d":6}')]
    assert client.kwargs == [{"pure": False}] * 5
    assert len(store.parts()) == 5  # one part per batch
    assert client.live == set()  # every future released


def test_run_sweep__seeds_override_the_grids(tmp_path):
    store = Store(tmp_path / "s")
    result = _sweep(SyncClient(), [TOY], store, seeds=1)
    assert (result["tasks"], result["run"]) == (3, 3)
    assert _rows(store) == _direct([TOY], seeds=1)


def test_run_sweep__a_rerun_skips_what_is_stored(tmp_path):
    store = Store(tmp_path / "s")
    _sweep(SyncClient(), PAIR, store)
    before = _rows(store)
    client = SyncClient()
    result = _sweep(client, PAIR, store)
    assert result == {"tasks": 14, "skipped": 14, "run": 0, "errors": [], "lost": [],
                      "n_errors": 0, "n_lost": 0, "worker_absences": 0, "no_workers": None}
    assert client.submitted == []
    assert _rows(store) == before


def test_run_sweep__resumes_with_the_given_done_keys_or_the_stores(tmp_path):
    done = {t.key for t in plan([TOY], "quick", seeds=None, root_seed=0) if t.replicate < 2}
    client = SyncClient()
    store = Store(tmp_path / "s")
    result = _sweep(client, [TOY], store, done=done)
    assert (result["skipped"], result["run"]) == (6, 6)
    assert {t.replicate for args in client.submitted for t in args[0]} == {2, 3}
    assert {r["key"] for r in _rows(store)}.isdisjoint(done)
    # without done: the store's own keys
    store.write(_direct([TOY])[:5])
    client = SyncClient()
    fresh = Store(tmp_path / "t")
    fresh.write(_direct([TOY])[:5])
    result = _sweep(client, [TOY], fresh)
    assert (result["skipped"], result["run"]) == (5, 7)
    assert _rows(fresh) == _direct([TOY])


@pytest.mark.parametrize(("nthreads", "window", "most"), [
    ({"w": 1}, 1, 1), ({"w": 1}, 3, 3), ({"a": 2, "b": 3}, 1, 5), ({"a": 2, "b": 1}, 2, 6),
    ({}, 2, 2),  # no threads reported: one
])
def test_run_sweep__at_most_window_batches_per_thread_in_flight(tmp_path, nthreads, window, most):
    spec = _spec(regimes=tuple({"d": d} for d in range(3, 13)), seeds=3, batch=1)  # 30 batches
    client = SyncClient(nthreads=nthreads)
    seen = []
    result = _sweep(client, [spec], Store(tmp_path / "s"), window=window,
                    on_batch=lambda n: seen.append(len(client.submitted) - n))
    assert result["run"] == 30
    assert len(client.submitted) == 30
    assert max(client.in_flight) == most
    # the window is filled at the start, then topped up one batch per finished batch
    assert client.in_flight[:most] == list(range(1, most + 1))
    assert seen[: 30 - most] == [most - 1] * (30 - most)


def test_run_sweep__a_client_without_nthreads_or_status_has_one_thread(tmp_path):
    spec = _spec(batch=1)
    client = BareClient()
    result = _sweep(client, [spec], Store(tmp_path / "s"), window=2)
    assert result["run"] == 12
    assert max(client.in_flight) == 2
    assert len(client.submitted) == 12


def test_run_sweep__window_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="window"):
        _sweep(SyncClient(), [TOY], Store(tmp_path / "s"), window=0)


def test_run_sweep__a_checker_error_is_reported_and_not_stored(tmp_path):
    spec = _spec(regimes=({"d": 3}, {"d": 4, "boom": True}), seeds=2, batch=2)
    store = Store(tmp_path / "s")
    result = _sweep(SyncClient(), [spec], store)
    assert result["errors"] == [("Toy", '{"boom":true,"d":4}', "RuntimeError: boom 4")] * 2
    assert (result["n_errors"], result["run"], result["n_lost"], result["lost"]) == (2, 4, 0, [])
    assert {r["params"] for r in _rows(store)} == {'{"d":3}'}
    assert len(_rows(store)) == 2


def test_run_sweep__at_most_100_errors_listed_all_counted(tmp_path):
    spec = _spec(regimes=({"d": 3, "boom": True}, {"d": 4, "boom": True}), seeds=75, batch=40)
    result = _sweep(SyncClient(), [spec], Store(tmp_path / "s"))
    assert result["n_errors"] == 150
    assert len(result["errors"]) == 100
    assert result["errors"][:75] == [("Toy", '{"boom":true,"d":4}', "RuntimeError: boom 4")] * 75
    assert result["errors"][75:] == [("Toy", '{"boom":true,"d":3}', "RuntimeError: boom 3")] * 25


def test_run_sweep__a_lost_batch_is_reported_and_not_stored_the_others_are(tmp_path):
    client = SyncClient(fail=lambda n, args: OSError("connection closed") if n == 2 else None)
    store = Store(tmp_path / "s")
    result = _sweep(client, [TOY], store)
    lost_batch = client.submitted[1][0]
    assert result["lost"] == [("Toy", t.params, "OSError: connection closed") for t in lost_batch]
    assert (result["n_lost"], result["n_errors"], result["errors"]) == (3, 0, [])
    assert (result["run"], result["tasks"]) == (12, 12)
    assert len(_rows(store)) == 9
    assert {r["key"] for r in _rows(store)}.isdisjoint(t.key for t in lost_batch)
    # a rerun runs the lost batch's tasks only
    client = SyncClient()
    result = _sweep(client, [TOY], store)
    assert (result["skipped"], result["run"]) == (9, 3)
    assert _rows(store) == _direct([TOY])


def test_run_sweep__at_most_100_lost_listed_all_counted(tmp_path):
    spec = _spec(regimes=({"d": 3}, {"d": 4}), seeds=75, batch=40)
    client = SyncClient(fail=lambda n, args: TimeoutError())
    result = _sweep(client, [spec], Store(tmp_path / "s"))
    assert result["n_lost"] == 150
    assert result["lost"] == [("Toy", '{"d":4}', "TimeoutError")] * 75 + [
        ("Toy", '{"d":3}', "TimeoutError")] * 25


@pytest.mark.parametrize("status", ["running", "connecting", "newly-created"])
def test_run_sweep__keeps_sending_while_the_scheduler_is_there(tmp_path, status):
    client = SyncClient()
    client.status = status
    result = _sweep(client, [_spec(batch=1)], Store(tmp_path / "s"))
    assert (result["run"], result["n_lost"]) == (12, 0)
    assert len(client.submitted) == 12


@pytest.mark.parametrize("status", ["closing", "closed", "failed"])
def test_run_sweep__sends_nothing_once_the_scheduler_is_lost(tmp_path, status):
    spec = _spec(regimes=({"d": 3}, {"d": 4}), seeds=60, batch=1)
    client = SyncClient(nthreads={"w": 1})
    store = Store(tmp_path / "s")

    def lose(n):
        if n == 2:
            client.status = status

    result = _sweep(client, [spec], store, window=3, on_batch=lose)
    # 3 sent first, 1 more after the first batch; nothing after the second
    assert len(client.submitted) == 4
    assert len(_rows(store)) == 4
    assert result["n_lost"] == 116  # every task run is stored or lost: none is dropped
    why = "not sent: the scheduler was lost"
    assert result["lost"] == [("Toy", '{"d":4}', why)] * 56 + [("Toy", '{"d":3}', why)] * 44
    assert (result["run"], result["skipped"], result["tasks"]) == (120, 0, 120)


def test_run_sweep__a_scheduler_back_gets_a_full_window_again(tmp_path):
    spec = _spec(regimes=({"d": 3}, {"d": 4}), seeds=10, batch=1)
    client = SyncClient(nthreads={"w": 1})

    def flap(n):
        client.status = "connecting" if n >= 3 else "closing"

    result = _sweep(client, [spec], Store(tmp_path / "s"), window=3, on_batch=flap)
    assert result["run"] == 20
    assert result["n_lost"] == 0
    # 3 first; none after batches 1 and 2; after batch 3 (none in flight) a full window of 3
    assert client.in_flight[:6] == [1, 2, 3, 1, 2, 3]
    assert len(client.submitted) == 20


def test_run_sweep__an_exception_cancels_what_is_in_flight_and_keeps_what_finished(tmp_path):
    client = SyncClient(nthreads={"w": 1})
    store = Store(tmp_path / "s")

    def stop(n):
        if n == 2:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        _sweep(client, [_spec(batch=1)], store, window=3, on_batch=stop)
    assert len(_rows(store)) == 2
    assert len(client.submitted) == 4  # 3, then 1 after the first batch
    assert sorted(client.cancelled) == sorted(client.live | set(client.cancelled))
    assert len(client.cancelled) == 2  # the two still in flight
    # resumed: the same rows as an uninterrupted sweep
    result = _sweep(SyncClient(), [_spec(batch=1)], store)
    assert (result["skipped"], result["run"]) == (2, 10)
    assert _rows(store) == _direct([_spec(batch=1)])


def test_run_sweep__ctrl_c_propagates_without_a_cancel_per_future(tmp_path):
    client = SyncClient(nthreads={"w": 1})
    store = Store(tmp_path / "s")

    def interrupt(n):
        if n == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _sweep(client, [_spec(batch=1)], store, window=3, on_batch=interrupt)
    assert client.cancelled == []
    assert len(_rows(store)) == 2


class _Bar:
    """Stands in for :class:`verify._cli.Progress` in the engine: records how it was made, its
    updates and whether it was closed."""

    made: ClassVar[list[_Bar]] = []

    def __init__(self, name, total, unit, *, quiet=False, **kw):
        self.kw = {"name": name, "total": total, "unit": unit, "quiet": quiet, **kw}
        self.updates: list[int] = []
        self.closed = False
        _Bar.made.append(self)

    def update(self, n=1, label=""):
        self.updates.append(n)

    def close(self):
        self.closed = True


def test_run_sweep__progress_counts_skipped_and_finished_tasks(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "Progress", _Bar)
    _Bar.made.clear()
    store = Store(tmp_path / "s")
    done = {t.key for t in plan([TOY], "quick", seeds=None, root_seed=0) if t.params == '{"d":5}'}
    _sweep(SyncClient(), [TOY], store, progress=True, done=done, window=1)
    (bar,) = _Bar.made
    assert bar.kw == {"name": "verify.sweep quick", "total": 12, "unit": "task", "quiet": False}
    # d=5 (largest first) is skipped before the first batch is sent; then 3 batches of 3
    assert bar.updates == [4, 3, 3, 2]
    assert sum(bar.updates) == 12
    assert bar.closed
    _Bar.made.clear()
    _sweep(SyncClient(), [TOY], Store(tmp_path / "t"))
    assert _Bar.made[0].kw["quiet"] is True
    assert _Bar.made[0].closed


def test_run_sweep__progress_bar_closed_on_an_exception(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "Progress", _Bar)
    _Bar.made.clear()
    with pytest.raises(RuntimeError):
        _sweep(SyncClient(), [TOY], Store(tmp_path / "s"),
               on_batch=lambda n: (_ for _ in ()).throw(RuntimeError("x")))
    assert _Bar.made[0].closed


def test_run_batch__rows_of_each_task_in_order():
    tasks = plan([TOY], "quick", seeds=1, root_seed=0)
    out = run_batch(tasks)
    assert [r["key"] for r in out.rows] == [t.key for t in tasks]
    assert out.errors == []


# ------------------------------------------------------------------------------ adaptive

DESIGN = SequentialDesign(first=20, budget=80, alpha=1e-9, confidence=0.95)


def test_run_adaptive__rounds_until_decided_or_the_budget(tmp_path):
    client = SyncClient()
    store = Store(tmp_path / "a")
    a = run_adaptive(client, RATE, "quick", store, design=DESIGN)
    got = [(r["params"], r["assumed"], r["status"], r["trials"], r["looks"]) for r in a]
    assert got == [({"q": 1.0, "claimed": 0.5}, True, "demonstrated", 20, 1),
                   ({"q": 0.0, "claimed": 0.9}, True, "refuted", 20, 1),
                   ({"q": 0.9, "claimed": 0.9}, True, "undecided", 80, 3)]
    assert (a[2]["successes"], a[2]["observed_rate"]) == (67, 67 / 80)
    assert store.read(columns=["params"]).num_rows == 20 + 20 + 80
    # round 1: the three regimes, 20 seeds each; rounds 2 and 3: the undecided one only
    per_round = [{t.params for args in client.submitted for t in args[0]}]
    assert per_round == [{canonical(r) for r in RATE.grids["quick"].regimes}]
    last = [t for args in client.submitted for t in args[0]][60:]
    assert {t.params for t in last} == {'{"claimed":0.9,"q":0.9}'}
    assert sorted(t.replicate for t in last) == list(range(20, 80))
    b = run_adaptive(SyncClient(), RATE, "quick", Store(tmp_path / "b"), design=DESIGN)
    assert a == b  # deterministic in the seed


def test_run_adaptive__the_root_seed_chooses_the_seeds(tmp_path):
    store = Store(tmp_path / "a")
    a = run_adaptive(SyncClient(), RATE, "quick", store, design=DESIGN, root_seed=4)
    seeds = set(store.read(columns=["root_seed"]).column("root_seed").to_pylist())
    assert seeds == {4}
    assert a[2]["successes"] != run_adaptive(SyncClient(), RATE, "quick",
                                             Store(tmp_path / "b"), design=DESIGN)[2]["successes"]


def test_run_adaptive__counts_only_this_claim_seed_and_look(tmp_path):
    """Rows of another sweep seed, of another claim, or of replicates past the look are in the
    store: the decisions are those of a fresh store."""
    fresh = run_adaptive(SyncClient(), RATE, "quick", Store(tmp_path / "fresh"), design=DESIGN)
    store = Store(tmp_path / "s")
    # every seed of another root seed, and of another claim, with the event failing
    run_sweep(SyncClient(), [NEVER], "quick", store, seeds=80, root_seed=1, progress=False)
    run_sweep(SyncClient(), [COPY], "quick", store, seeds=80, progress=False)
    # 80 seeds of the regime q=1 already there: the first look counts 20 of them
    run_sweep(SyncClient(), [RATE], "quick", store, seeds=80, progress=False)
    assert run_adaptive(SyncClient(), RATE, "quick", store, design=DESIGN) == fresh


def test_run_adaptive__default_design(tmp_path):
    spec = dataclasses.replace(RATE, grids={g: Grid(RATE.grids[g].regimes[:2], 1)
                                            for g in GRID_NAMES})
    got = run_adaptive(SyncClient(), spec, "standard", Store(tmp_path / "s"))
    assert [(r["status"], r["trials"], r["looks"]) for r in got] == [
        ("demonstrated", 20, 1), ("refuted", 20, 1)]  # SequentialDesign()'s first look: 20


def test_run_adaptive__a_task_that_raises_or_is_lost_stops_it(tmp_path):
    with pytest.raises(RuntimeError, match=r"^Broken rate: 60 task\(s\) raised and 0 were "
                                           r"lost in round 1; rerun to retry$"):
        run_adaptive(SyncClient(), BROKEN, "quick", Store(tmp_path / "a"), design=DESIGN)
    client = SyncClient(fail=lambda n, args: OSError("gone") if n == 2 else None)
    with pytest.raises(RuntimeError, match=r"^Synthetic rate: 0 task\(s\) raised and 20 were "
                                           r"lost in round 1; rerun to retry$"):
        run_adaptive(client, RATE, "quick", Store(tmp_path / "b"), design=DESIGN)


def test_run_adaptive__refuses_a_grid_it_lacks_and_a_bad_seed(tmp_path):
    with pytest.raises(ValueError, match="grid must be one of"):
        run_adaptive(SyncClient(), RATE, "huge", Store(tmp_path / "s"))
    with pytest.raises(ValueError, match="root_seed"):
        run_adaptive(SyncClient(), RATE, "quick", Store(tmp_path / "s"), root_seed=-1)
    with pytest.raises(ValueError, match="probabilistic"):
        run_adaptive(SyncClient(), TOY, "quick", Store(tmp_path / "s"))


def _row(key, params='{"q":1}', replicate=0, event=True, assumed=True, bound=0.5,
         claim="C", root_seed=0):
    row = dict.fromkeys(SCHEMA.names)
    row.update(key=key, claim=claim, params=params, replicate=replicate, event=event,
               assumed=assumed, probability_bound=bound, root_seed=root_seed, seed=1)
    return row


def test_counts__successes_bound_and_assumed_per_regime(tmp_path):
    store = Store(tmp_path / "s")
    store.write([_row("a", replicate=0, event=True), _row("b", replicate=1, event=False),
                 _row("c", replicate=2, event=True),
                 _row("d", params='{"q":2}', replicate=0, event=False, assumed=False, bound=0.25),
                 _row("e", params='{"q":2}', replicate=1, event=False, assumed=True, bound=0.25),
                 _row("f", replicate=3, event=True),  # past the look
                 _row("g", claim="D"), _row("h", root_seed=1)])
    assert _counts(store, "C", 0, 3) == {'{"q":1}': (2, 0.5, True), '{"q":2}': (0, 0.25, False)}
    assert _counts(store, "C", 0, 4)['{"q":1}'] == (3, 0.5, True)
    assert _counts(store, "C", 1, 4) == {'{"q":1}': (1, 0.5, True)}
    assert _counts(store, "X", 0, 4) == {}
    c = _counts(store, "C", 0, 3)
    assert all(type(v[0]) is int and type(v[1]) is float and type(v[2]) is bool
               for v in c.values())


def test_fmt__floats_as_g_others_as_they_are():
    assert _fmt({"q": 0.9, "d": 3, "eta": 1e-07, "x": 2.0, "s": "a"}) == (
        "q=0.9, d=3, eta=1e-07, x=2, s=a")
    assert _fmt({}) == ""


def test_adaptive_text__one_row_per_regime(tmp_path):
    store = Store(tmp_path / "s")
    records = [
        {"claim": "C", "params": {"q": 1.0, "d": 3}, "assumed": True, "trials": 20,
         "observed_rate": 1.0, "lower_confidence_bound": 0.81487, "claimed_probability": 0.5,
         "status": "demonstrated"},
        {"claim": "C", "params": {"q": 0.123456789}, "assumed": False, "trials": 80,
         "observed_rate": 0.8375, "lower_confidence_bound": 0.75, "claimed_probability":
         0.123456789, "status": "undecided"},
    ]
    text = adaptive_text(records, store, grid="quick", root_seed=7,
                         design=SequentialDesign(first=20, budget=80, alpha=1e-9,
                                                 confidence=0.95))
    assert text == (
        f"# Adaptive sweep `quick`, seed 7 (store {store.path})\n"
        "\n"
        "Seeds per regime at the looks 20, 40, 80; a regime stops at the first look that "
        "decides it. Refuted at level 1e-09 over all looks; demonstrated at confidence 0.95 "
        "over all looks.\n"
        "\n"
        "| claim | regime | seeds | rate | lower bound | stated >= | decision |\n"
        "|---|---|---|---|---|---|---|\n"
        "| C | q=1, d=3 | 20 | 1.0000 | 0.8149 | 0.5 | demonstrated |\n"
        "| C | q=0.123457 | 80 | 0.8375 | 0.7500 | 0.123457 | undecided (outside) |\n")


# ---------------------------------------------------------------------------------- store

def _part_rows(keys, **kw):
    return [_row(k, **kw) for k in keys]


def test_store__a_file_is_not_a_store(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match=r"store .*f is not a directory"):
        Store(tmp_path / "f")


@pytest.mark.parametrize("text", ["{", "[1]", "\xff"])
def test_store__an_unreadable_manifest_is_refused(tmp_path, text):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / MANIFEST).write_text(text, encoding="latin-1")
    with pytest.raises(StoreError, match="unreadable manifest"):
        Store(tmp_path / "s")
    assert os.listdir(tmp_path / "s") == [MANIFEST]


def test_store__another_version_is_refused_naming_both(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / MANIFEST).write_text(json.dumps({"schema": "verify-sweep/2"}))
    with pytest.raises(StoreError) as exc:
        Store(tmp_path / "s")
    assert str(exc.value) == (f"store {tmp_path / 's'} has schema 'verify-sweep/2'; this version "
                              f"reads {SCHEMA_VERSION!r} (use another --store)")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / MANIFEST).write_text(json.dumps({"columns": []}))
    with pytest.raises(StoreError, match="has schema None"):
        Store(tmp_path / "t")


def test_store__a_directory_of_hidden_files_only_becomes_a_store(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / ".hidden").write_text("x")
    store = Store(tmp_path / "s")
    assert (store.path / MANIFEST).exists()
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "_x").write_text("x")
    with pytest.raises(StoreError, match="not a sweep store"):
        Store(tmp_path / "t")
    assert os.listdir(tmp_path / "t") == ["_x"]


def test_store__create_false_checks_only_then_create_writes_the_manifest(tmp_path):
    store = Store(tmp_path / "a" / "s", create=False)
    assert not (tmp_path / "a").exists()
    assert store.parts() == []
    assert store.done_keys() == set()
    assert store.read().num_rows == 0
    assert store.write([]) is None
    assert not (tmp_path / "a").exists()
    store.create()
    text = (store.path / MANIFEST).read_text()
    assert json.loads(text) == {"schema": SCHEMA_VERSION, "columns": SCHEMA.names}
    assert text == json.dumps({"schema": SCHEMA_VERSION, "columns": SCHEMA.names}, indent=1)
    store.create()  # again: unchanged
    assert (store.path / MANIFEST).read_text() == text
    assert Store(store.path).path == store.path


def test_store__write_creates_the_store_and_names_the_part_by_its_keys(tmp_path):
    store = Store(tmp_path / "s", create=False)
    path = store.write(_part_rows(["b", "a"]))
    assert (store.path / MANIFEST).exists()
    assert path == store.path / (
        "part-" + hashlib.sha256(b"ab").hexdigest()[:24] + ".parquet")
    table = pq.read_table(path)
    assert table.schema.equals(SCHEMA)
    assert table.column("key").to_pylist() == ["a", "b"]  # sorted by key
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    assert [p.name for p in store.parts()] == [path.name]


def test_store__write_fills_missing_columns_with_null(tmp_path):
    store = Store(tmp_path / "s")
    store.write([{"key": "k", "claim": "C", "extra": 1}])
    (row,) = store.read().to_pylist()
    assert row == {**dict.fromkeys(SCHEMA.names), "key": "k", "claim": "C"}


def test_store__read_all_or_some_columns_of_every_part_in_order(tmp_path):
    store = Store(tmp_path / "s")
    assert store.read().schema.equals(SCHEMA)
    assert store.read(columns=["claim", "key"]).column_names == ["claim", "key"]
    store.write(_part_rows(["c", "d"], claim="X"))
    store.write(_part_rows(["a", "b"], replicate=3))
    names = [p.name for p in store.parts()]
    assert names == sorted(names)
    t = store.read()
    assert t.column_names == SCHEMA.names
    by_part = [pq.read_table(p).column("key").to_pylist() for p in store.parts()]
    assert t.column("key").to_pylist() == by_part[0] + by_part[1]
    t = store.read(columns=["key", "replicate"])
    assert t.column_names == ["key", "replicate"]
    assert sorted(t.to_pylist(), key=lambda r: r["key"]) == [
        {"key": "a", "replicate": 3}, {"key": "b", "replicate": 3},
        {"key": "c", "replicate": 0}, {"key": "d", "replicate": 0}]
    t = store.read(columns=["key"], filters=pc.field("claim") == "X")
    assert sorted(t.column("key").to_pylist()) == ["c", "d"]
    assert store.done_keys() == {"a", "b", "c", "d"}


def test_store__parts_are_only_the_finished_part_files(tmp_path):
    store = Store(tmp_path / "s")
    store.write(_part_rows(["a"]))
    (store.path / ".tmp-x").write_bytes(b"")
    (store.path / "_summary.md").write_text("x")
    (store.path / "notes.parquet").write_bytes(b"")
    assert [p.name for p in store.parts()] == [
        "part-" + hashlib.sha256(b"a").hexdigest()[:24] + ".parquet"]


def _truncate(store: Store) -> str:
    part = store.write(_part_rows(["x", "y"]))
    part.write_bytes(part.read_bytes()[:50])
    return part.name


def test_store__check_parts_names_unreadable_parts_and_sets_them_aside_if_asked(tmp_path):
    store = Store(tmp_path / "s")
    store.write(_part_rows(["a", "b"]))
    bad = _truncate(store)
    (store.path / "part-zz.parquet").write_text("not parquet")
    assert store.check_parts(set_aside=False) == ({"a", "b"}, [bad, "part-zz.parquet"])
    assert store.done_keys() == {"a", "b"}
    assert len(store.parts()) == 3
    with pytest.raises(StoreError, match=f"part {bad} cannot be read"):
        store.read()
    assert store.check_parts(set_aside=True) == ({"a", "b"}, [bad, "part-zz.parquet"])
    assert sorted(os.listdir(store.path / BAD)) == [bad, "part-zz.parquet"]
    assert len(store.parts()) == 1
    assert store.check_parts(set_aside=True) == ({"a", "b"}, [])
    assert store.read().num_rows == 2


def test_store__one_sweep_at_a_time(tmp_path):
    store = Store(tmp_path / "s")
    with store.lock(), pytest.raises(StoreError, match=r"^store .* is in use by another sweep$"),\
            Store(tmp_path / "s").lock():
        pass
    with Store(tmp_path / "s").lock():  # released
        pass


def test_store__lock_creates_the_store_and_removes_stale_temporary_files(tmp_path):
    store = Store(tmp_path / "s", create=False)
    store.path.mkdir()
    (store.path / ".tmp-a").write_bytes(b"x")
    (store.path / ".tmp-dir").mkdir()
    (store.path / ".other").write_bytes(b"x")
    with store.lock():
        assert (store.path / MANIFEST).exists()
        assert not (store.path / ".tmp-a").exists()
        assert not (store.path / ".tmp-probe").exists()
    assert sorted(os.listdir(store.path)) == [".other", ".tmp-dir", "_lock", MANIFEST]


def test_store__remove_stale_tmp_returns_the_removed_names_not_dirs_or_links(tmp_path):
    store = Store(tmp_path / "s")
    for name in (".tmp-b", ".tmp-a"):
        (store.path / name).write_bytes(b"")
    (store.path / ".tmp-d").mkdir()
    (tmp_path / "target").write_text("keep")
    (store.path / ".tmp-link").symlink_to(tmp_path / "target")
    assert store.remove_stale_tmp() == [".tmp-a", ".tmp-b"]
    assert (tmp_path / "target").read_text() == "keep"
    assert (store.path / ".tmp-link").is_symlink()
    assert store.remove_stale_tmp() == []


def test_store__a_store_that_cannot_be_written_is_refused_at_the_lock(tmp_path, monkeypatch):
    store = Store(tmp_path / "s")

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store_module, "_atomic_write_bytes", denied)
    with pytest.raises(StoreError, match=r"^store .* cannot be written: Permission denied$"), \
            store.lock():
        pass
    monkeypatch.undo()
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(StoreError, match=r"^store .* cannot be written: Permission denied$"), \
            store.lock():
        pass


def test_store__files_follow_the_umask_and_a_failed_write_leaves_no_temporary(tmp_path,
                                                                             monkeypatch):
    old = os.umask(0o027)
    try:
        store = Store(tmp_path / "s")
        part = store.write(_part_rows(["a"]))
        text = store.write_text("_summary.md", "hello")
    finally:
        os.umask(old)
    for p in (store.path / MANIFEST, part, text):
        assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert text == store.path / "_summary.md"
    assert text.read_text() == "hello"

    def fail(*a):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        store.write_text("_x", "y")
    assert not [p for p in os.listdir(store.path) if p.startswith(".tmp-")]
    assert not (store.path / "_x").exists()


@pytest.mark.parametrize("name", ["summary.md", "_a/b", "a_"])
def test_store__write_text_only_hidden_names(tmp_path, name):
    store = Store(tmp_path / "s")
    with pytest.raises(ValueError, match="name must start with '_'"):
        store.write_text(name, "x")


def test_store__a_part_of_another_schema_is_not_read_as_rows(tmp_path):
    """A part with fewer columns or other types (written by hand, or by another writer) is not
    the store's: it is named like a truncated one, never read as rows with null keys."""
    store = Store(tmp_path / "s")
    pq.write_table(pa.table({"key": [1, 2]}), store.path / "part-other.parquet")
    assert store.check_parts(set_aside=False) == (set(), ["part-other.parquet"])
    with pytest.raises(StoreError, match=r"part-other\.parquet another schema"):
        store.read()


def test_store__writes_go_through_a_hidden_temporary_file_beside_the_target(tmp_path,
                                                                             monkeypatch):
    """A sweep killed mid-write leaves only a ``.tmp-*`` file in the store, which readers skip
    and the next lock removes."""
    store = Store(tmp_path / "s")
    real = os.replace
    moves = []

    def replace(src, dst):
        moves.append((os.path.dirname(src), os.path.basename(src), str(dst)))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    part = store.write(_part_rows(["a"]))
    store.write_text("_x", "y")
    with store.lock():
        pass
    assert [m[2] for m in moves] == [str(part), str(store.path / "_x"),
                                     str(store.path / ".tmp-probe")]
    for where, name, _ in moves:
        assert where == str(store.path)
        assert name.startswith(".tmp-")
    assert not (store.path / ".tmp-probe").exists()


def test_store__a_failed_write_raises_its_own_error_even_if_its_temporary_file_is_gone(
        tmp_path, monkeypatch):
    store = Store(tmp_path / "s")

    def replace(src, dst):
        os.unlink(src)  # e.g. removed by another process
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match=r"^disk full$"):
        store.write_text("_x", "y")


def test_progress__shown_by_run_sweep_by_default_not_by_run_adaptive(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "Progress", _Bar)
    _Bar.made.clear()
    run_sweep(SyncClient(), [TOY], "quick", Store(tmp_path / "s"))
    assert [b.kw["quiet"] for b in _Bar.made] == [False]
    design = SequentialDesign(first=20, budget=20)
    for progress, quiet in ((None, True), (True, False), (False, True)):
        _Bar.made.clear()
        kw = {} if progress is None else {"progress": progress}
        run_adaptive(SyncClient(), RATE, "quick", Store(tmp_path / f"a{progress}"),
                     design=design, **kw)
        assert [b.kw["quiet"] for b in _Bar.made] == [quiet]
