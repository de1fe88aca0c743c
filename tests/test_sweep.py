"""Tests of verify.sweep's engine on a LocalCluster: rows against direct calls of the checkers,
resumability, and the same rows whatever the number of workers."""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import pytest

from verify._dask import dask_client
from verify.claims import event_14, lemma_5_2, lemma_c2, theorem_5_1
from verify.claims import section_5_grids as section5
from verify.evidence.sweep_spec import GRID_NAMES, Grid, SweepSpec, product
from verify.sweep.engine import plan, run_sweep
from verify.sweep.registry import find
from verify.sweep.store import Store

_S5 = {"d": 3, "l": 3, "n": 3, "k": 217, "m": 60, "T1": 1, "eta1": 1.0}


def _small(claim: str, regimes: tuple[dict, ...], seeds: int, batch: int) -> SweepSpec:
    spec = find(claim)
    return dataclasses.replace(spec, grids={g: Grid(regimes, seeds) for g in GRID_NAMES},
                               batch=batch)


SPECS = [
    _small("Lemma 5.2 (exact)", ({"d": 3, "l": 3, "k": 217}, {"d": 5, "l": 3, "k": 1001},
                                 {"d": 6, "l": 4, "k": 1729}), 1, 2),
    _small("Eq. 14", product(m=(50, 100), n=(3,), l=(3,)), 10, 4),
    _small("Lemma C.2", (_S5,), 2, 1),
    _small("Theorem 5.1", ({**_S5, "T2": 100, "fresh": 200},), 2, 1),
]
TOTAL = 3 + 20 + 2 + 2


def _rows(store: Store) -> list[dict]:
    """Rows sorted by key, without the machine-dependent seconds."""
    rows = store.read().to_pylist()
    for r in rows:
        del r["seconds"]
    return sorted(rows, key=lambda r: r["key"])


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def full(client, tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("full"))
    result = run_sweep(client, SPECS, "quick", store, root_seed=7, progress=False)
    assert result == {"tasks": TOTAL, "skipped": 0, "run": TOTAL, "errors": [], "lost": [],
                      "n_errors": 0, "n_lost": 0, "worker_absences": 0, "no_workers": None}
    return store


def _same(a: float | None, b: float) -> bool:
    return (a is None and not math.isfinite(b)) or a == b


def test_run_sweep__rows_match_direct_checker_calls(full):
    rows = _rows(full)
    assert len(rows) == TOTAL
    seen = set()
    for r in rows:
        p = json.loads(r["params"])
        if r["claim"] == "Lemma 5.2 (exact)":
            ev = lemma_5_2.check_lemma_5_2_exact(p["d"], p["l"], p["k"])
        elif r["claim"] == "Eq. 14":
            ev = event_14.check_event_14(p["m"], trials=1, seed=r["seed"], n=3, l=3)
            assert r["event"] == (ev.details["claim_test"]["failures"] == 0)
            assert r["probability_bound"] == 1 - event_14.claimed_bound(p["m"])
        elif r["claim"] == "Lemma C.2":
            ev = lemma_c2.check_setting(section5.setting(p, r["seed"]))
        else:
            ev = theorem_5_1.check_setting(section5.setting(p, r["seed"]), T2=100, fresh=200)
            assert r["event"] == theorem_5_1.sweep_event(ev)
        # a probabilistic claim's row is one seed: whether its event occurred
        probabilistic = {s.claim: s.probabilistic for s in SPECS}[r["claim"]]
        want = ("event" if r["event"] else "no event") if probabilistic else ev.verdict.value
        assert (r["verdict"], r["slack_kind"], r["reason"]) == (
            want, ev.slack_kind, ev.reason), r
        assert _same(r["observed"], ev.observed), r
        assert _same(r["bound"], ev.bound), r
        assert _same(r["slack"], ev.slack), r
        seen.add(r["claim"])
    assert seen == {s.claim for s in SPECS}


def test_run_sweep__rerun_skips_done_tasks(client, full):
    before = _rows(full)
    result = run_sweep(client, SPECS, "quick", full, root_seed=7, progress=False)
    assert (result["skipped"], result["run"]) == (TOTAL, 0)
    assert _rows(full) == before


def test_run_sweep__interrupted_then_resumed_equals_uninterrupted(client, full, tmp_path):
    store = Store(tmp_path / "s")

    def stop(n: int) -> None:
        if n == 3:
            raise KeyboardInterrupt

    cancelled: list[object] = []
    real_cancel = client.cancel
    client.cancel = lambda *a, **k: cancelled.append(a) or real_cancel(*a, **k)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_sweep(client, SPECS, "quick", store, root_seed=7, progress=False,
                      on_batch=stop)
        # Ctrl-C sends no blocking per-future cancel (the client's close releases them)
        assert cancelled == []

        def fail(n: int) -> None:
            raise RuntimeError("a hook failed")

        with pytest.raises(RuntimeError):
            run_sweep(client, SPECS, "quick", Store(tmp_path / "other"), root_seed=7,
                      progress=False, on_batch=fail)
        assert cancelled  # any other exception cancels what is in flight
    finally:
        client.cancel = real_cancel
    kept = len(store.read())
    assert 0 < kept < TOTAL
    result = run_sweep(client, SPECS, "quick", store, root_seed=7, progress=False)
    assert result["skipped"] == kept
    assert result["run"] == TOTAL - kept
    assert _rows(store) == _rows(full)


def test_run_sweep__same_rows_for_1_and_2_workers(full, tmp_path):
    store = Store(tmp_path / "one")
    with dask_client(workers=1) as one:
        run_sweep(one, SPECS, "quick", store, root_seed=7, progress=False)
    assert _rows(store) == _rows(full)


def test_run_sweep__another_seed_gives_other_tasks(full):
    keys = {t.key for t in plan(SPECS, "quick", seeds=None, root_seed=8)}
    assert not keys & {r["key"] for r in _rows(full)}


def test_store__pandas_reads_it_directly(full):
    df = pd.read_parquet(full.path)
    assert len(df) == TOTAL
    assert df["key"].is_unique
    assert set(df["claim"]) == {s.claim for s in SPECS}
    assert df.loc[df["claim"] == "Eq. 14", "event"].notna().all()
