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
