"""Timing helpers shared by the benchmark scripts (run as ``python benchmarks/NAME.py``, so this
module is importable as ``_timing``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def settle(seconds: float = 0.5) -> None:
    """Let other thread pools' spinning workers go to sleep before a measurement."""
    time.sleep(seconds)


def median_time(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of ``fn``, after one warm-up call (compilation,
    caches, thread pool)."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def median_times_interleaved(
    fns: dict[str, Callable[[], object]], repeats: int
) -> dict[str, float]:
    """Median wall time of each of ``fns``, called in turn (``a, b, a, b, ...``) after one
    warm-up call each: on a shared machine whose speed drifts, the functions then see the same
    conditions, and the ratio of two medians is not skewed by which one ran in a slow spell."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}
