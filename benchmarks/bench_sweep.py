"""Benchmark: the sweep engine (``verify.sweep``) on local Dask clusters of 1 and 2 workers
(target: 2 workers >= 1.7x the throughput of 1 on 2 cores; the ``standard`` grid under 20
minutes with 2 workers).

    python benchmarks/bench_sweep.py [--repeats 2] [--standard STORE]
    PYTHONPATH=. python benchmarks/bench_sweep.py --loopback [--repeats 2]
    PYTHONPATH=. python benchmarks/bench_sweep.py --scale 10000000 [--seconds 20]

- ``--scale N``: a synthetic grid of about ``N`` cheap tasks (``tests/synthetic_sweep.py``,
  1,000 tasks per batch) streamed on 2 workers for ``--seconds`` seconds, then stopped as
  Ctrl-C stops it (a ``KeyboardInterrupt`` in the main thread): the time to the first stored
  result, the main process's peak memory (``ru_maxrss``) before and after, the throughput, and
  the time from the interrupt until the cluster is gone. Run with ``N`` = 10^4 (it finishes),
  10^6 and 10^7: the first result, memory and latency must not depend on ``N``.

- ``--loopback``: the same throughput measure on a loopback scheduler, a ``dask scheduler``
  process and 1 or 2 ``dask worker`` processes (one thread each) on 127.0.0.1, beside a
  ``LocalCluster(processes=True)`` of as many workers, on a lighter cut (:data:`LOOPBACK`),
  in turn (local 1, loopback 1, local 2, loopback 2; medians of ``--repeats``). Every process
  it starts is in a session of its own and is killed (its whole group) on the way out, also on
  Ctrl-C or an error.
- Throughput: a fixed workload cut from the ``standard`` grid (every claim, fewer seeds; see
  :data:`WORKLOAD`), run into a fresh store on a warm cluster of 1 and of 2 worker processes,
  in turn (1, 2, 1, 2, ...; medians), so that both see the same load on a shared machine.
  Cluster start-up and the workers' first (compiling) calls are excluded by a warm-up sweep.
- Scheduling overhead per task, as a fraction of task time: ``(wall x workers - sum of the
  tasks' own seconds) / sum of the tasks' seconds`` (everything that is not a checker running:
  Dask, pickling, the store's writes, idle workers at the end).
- ``--standard STORE``: how the time of a finished ``standard`` sweep (``python -m
  verify.sweep all --grid standard --store STORE``) divides between claims (the tasks'
  seconds, summed per claim).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from verify._dask import dask_client
from verify.evidence.sweep_spec import Grid, SweepSpec
from verify.sweep.engine import plan, run_sweep
from verify.sweep.registry import specs
from verify.sweep.store import Store

WORKLOAD = {"Lemma 5.2": (20, 1), "Lemma 5.2 (exact)": (1, 4), "Eq. 14": (40, 1),
            "Eq. 14 (exact)": (1, 1), "Lemma 5.3": (1, 5), "Corollary 5.4": (1, 1),
            "Lemma 5.5": (1, 5), "Lemma C.1": (1, 5), "Lemma C.2": (1, 5), "Appendix E": (1, 5),
            "Theorem 5.1": (1, 2), "Theorem 4.2": (1, 3)}
"""Per claim, ``(seeds per regime, stride)``: every ``stride``-th regime of its ``standard``
grid (about two minutes of work on one worker)."""


LOOPBACK = {c: (max(1, seeds // 2), stride * 2) for c, (seeds, stride) in WORKLOAD.items()}
"""The ``--loopback`` cut: half the seeds of :data:`WORKLOAD`, every other regime of it."""


def workload(grid: str = "standard",
             cut: dict[str, tuple[int, int]] = WORKLOAD) -> list[SweepSpec]:
    out = []
    for claim, spec in specs().items():
        seeds, stride = cut.get(claim, (1, 5))  # a claim added since: a light cut
        g = Grid(spec.grids[grid].regimes[::stride], seeds)
        out.append(dataclasses.replace(spec, grids={**spec.grids, grid: g}))
    return out


def warm_up(client: Any) -> None:
    """One small sweep, so that every worker has imported and compiled what the checkers use."""
    small = [dataclasses.replace(s, grids={**s.grids, "quick": Grid(s.grids["quick"].regimes[:2],
                                                                     1)}) for s in specs().values()]
    with tempfile.TemporaryDirectory() as d:
        run_sweep(client, small, "quick", Store(d), root_seed=12345, progress=False)


def measure(client: Any, work: list[SweepSpec]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as d:
        store = Store(d)
        t0 = time.perf_counter()
        result = run_sweep(client, work, "standard", store, root_seed=0, progress=False)
        wall = time.perf_counter() - t0
        busy = sum(store.read().column("seconds").to_pylist())
    return {"tasks": result["run"], "wall": wall, "busy": busy}


def per_claim(path: str) -> None:
    import pandas as pd

    keys = {t.key for t in plan(list(specs().values()), "standard", seeds=None, root_seed=0)}
    df = pd.read_parquet(path)
    df = df[df["key"].isin(keys)]
    total = df["seconds"].sum()
    print(f"\n`standard` store {path}: {len(df)} of the grid's {len(keys)} tasks, "
          f"{total:.0f} task-seconds in all ({total / 120:.1f} minutes on 2 busy workers)")
    print("| claim | tasks | task-seconds | share | mean per task |")
    print("|---|---|---|---|---|")
    by = df.groupby("claim", sort=False)["seconds"].agg(["count", "sum", "mean"])
    for claim, row in by.sort_values("sum", ascending=False).iterrows():
        print(f"| {claim} | {int(row['count'])} | {row['sum']:.1f} | {row['sum'] / total:.1%} | "
              f"{row['mean'] * 1e3:.1f} ms |")


def scale(n: int, seconds: float, workers: int = 2) -> dict[str, float]:
    """Stream a synthetic grid of about ``n`` tasks for ``seconds`` (see the module
    docstring) and return what was measured."""
    import resource

    os.environ["VERIFY_SYNTHETIC_SEEDS"] = str(max(1, n // 10))
    from tests import synthetic_sweep

    g = Grid(synthetic_sweep.SCALE.grids["quick"].regimes, max(1, n // 10))
    spec = dataclasses.replace(synthetic_sweep.SCALE,
                               grids=dict.fromkeys(("quick", "standard", "thorough"), g))
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out: dict[str, float] = {"tasks": 10 * max(1, n // 10)}
    with tempfile.TemporaryDirectory() as d:
        store = Store(d)
        with dask_client(workers=workers) as client:
            done = {"batches": 0}
            t0 = time.perf_counter()

            def on_batch(k: int) -> None:
                done["batches"] = k
                if k == 1:
                    out["first_result_s"] = time.perf_counter() - t0
                if time.perf_counter() - t0 > seconds:
                    out["run_s"] = time.perf_counter() - t0
                    raise KeyboardInterrupt

            try:
                run_sweep(client, [spec], "quick", store, root_seed=0, progress=False,
                          on_batch=on_batch)
                out["run_s"] = time.perf_counter() - t0
                out["finished"] = 1
            except KeyboardInterrupt:
                out["finished"] = 0
                t_int = time.perf_counter()
        if not out["finished"]:
            out["interrupt_s"] = time.perf_counter() - t_int
        stored = sum(len(t) for t in [store.read(columns=["key"])])
    out["stored"] = stored
    out["tasks_per_s"] = stored / out["run_s"]
    out["rss_before_mib"] = rss0
    out["rss_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def loopback(workers: int) -> Iterator[Any]:
    """A client of a ``dask scheduler`` process with ``workers`` ``dask worker`` processes
    (one thread, one Numba thread each) on 127.0.0.1; every process is killed on exit."""
    from distributed import Client

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "NUMBA_NUM_THREADS": "1"}
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs: list[subprocess.Popen] = []
    logs = tempfile.TemporaryDirectory()

    def start(*args: str) -> None:
        log = open(Path(logs.name) / f"{len(procs)}.log", "w")  # noqa: SIM115
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", *args], env=env,
                                      stdout=log, stderr=log, start_new_session=True))

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
              "--no-dashboard")
        for _ in range(workers):
            start("worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                  "--nworkers", "1", "--no-dashboard", "--memory-limit", "0")
        client = Client(address, timeout=60)
        try:
            client.wait_for_workers(workers, timeout=120)
            yield client
        finally:
            client.close(timeout=10)
    finally:
        for proc in procs:  # the whole group: a worker's nanny and its process
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logs.cleanup()


def compare_loopback(repeats: int) -> None:
    """Throughput of 1 and 2 workers, LocalCluster against a loopback scheduler."""
    work = workload(cut=LOOPBACK)
    n = len(plan(work, "standard", seeds=None, root_seed=0))
    print(f"loopback workload: {n} tasks; load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} cores")
    rows = []
    for w in (1, 2):
        for kind in ("LocalCluster", "loopback"):
            with (dask_client(workers=w) if kind == "LocalCluster" else loopback(w)) as c:
                warm_up(c)
                walls = [measure(c, work)["wall"] for _ in range(repeats)]
            rows.append((kind, w, statistics.median(walls)))
    print("| cluster | workers | wall (s) | tasks/s |")
    print("|---|---|---|---|")
    rate = {}
    for kind, w, wall in rows:
        rate[kind, w] = n / wall
        print(f"| {kind} | {w} | {wall:.1f} | {n / wall:.1f} |")
    for kind in ("LocalCluster", "loopback"):
        print(f"{kind}: 2 workers / 1 worker = {rate[kind, 2] / rate[kind, 1]:.2f}x")
    print(f"load average now {os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--standard", default=None, help="a finished standard sweep's store")
    p.add_argument("--scale", type=int, default=None, help="synthetic tasks (see the docstring)")
    p.add_argument("--seconds", type=float, default=20.0, help="--scale: stop after this long")
    p.add_argument("--loopback", action="store_true",
                   help="LocalCluster against a loopback dask scheduler, 1 and 2 workers")
    a = p.parse_args(argv)
    if a.loopback:
        compare_loopback(a.repeats)
        return 0
    if a.scale is not None:
        r = scale(a.scale, a.seconds)
        print(" ".join(f"{k}={v:.3g}" for k, v in r.items()))
        return 0
    work = workload()
    n = len(plan(work, "standard", seeds=None, root_seed=0))
    print(f"workload: {n} tasks cut from the standard grid; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    with dask_client(workers=1) as one, dask_client(workers=2) as two:
        clients = {1: one, 2: two}
        for c in clients.values():
            warm_up(c)
        for _ in range(a.repeats):
            for w, c in clients.items():
                runs[w].append(measure(c, work))
    rate = {}
    print("| workers | wall (s) | tasks/s | task-seconds | overhead per task / task time |")
    print("|---|---|---|---|---|")
    for w, rs in runs.items():
        wall = statistics.median(r["wall"] for r in rs)
        busy = statistics.median(r["busy"] for r in rs)
        rate[w] = n / wall
        over = (wall * w - busy) / busy
        print(f"| {w} | {wall:.1f} | {rate[w]:.1f} | {busy:.1f} | {over:.1%} "
              f"({(wall * w - busy) / n * 1e3:.2f} ms per task) |")
    speedup = rate[2] / rate[1]
    print(f"\n2 workers / 1 worker throughput: {speedup:.2f}x (target >= 1.7x: "
          f"{'met' if speedup >= 1.7 else 'not met'}); load average now "
          f"{os.getloadavg()[0]:.2f}")
    if a.standard:
        per_claim(a.standard)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
