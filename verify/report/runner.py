"""Run the report's sections, in this process or in worker processes.

Each section is one claim module's declared ``report_checks(profile, seed)``; sections are
independent, so ``--workers N`` runs them in ``N`` processes of a local ``dask.distributed`` cluster
(:func:`verify._dask.dask_client`; the workers die with this process). Results are collected
in the registry's order, so the report does not depend on ``N``.
"""

from __future__ import annotations

import importlib
import os
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from verify._cli import interrupted, stop_if_interrupted
from verify._dask import dask_client
from verify.evidence.strength import strength_of

__all__ = ["PROFILES", "SectionResult", "run_sections", "run_task"]

PROFILES = ("quick", "standard", "thorough")


@dataclass
class SectionResult:
    """What one section produced: its evidence (as dicts), errata, any error, and its time."""

    key: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    errata: list[dict[str, Any]] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


def _call_module(module: str, profile: str, seed: int) -> SectionResult:
    declaration = importlib.import_module(module).DECLARATION
    out = SectionResult(key=module)
    out.evidence = [{**e.as_dict(), "strength": strength_of(e).value}
                    for e in declaration.report_checks(profile, seed)]
    if declaration.errata is not None:
        out.errata = [e.as_dict() for e in declaration.errata()]
    return out


def _call_algebra(profile: str, seed: int) -> SectionResult:
    from verify.claims import proof_algebra

    out = SectionResult(key="proof-algebra")
    out.extra = [c.as_dict() for c in proof_algebra.algebra_checks()]
    return out


def _call_errata(profile: str, seed: int) -> SectionResult:
    from verify.claims import errata

    out = SectionResult(key="errata")
    out.errata = [e.as_dict() for e in errata.text_errata()]
    return out


def _call_fuzzing(profile: str, seed: int) -> SectionResult:
    from verify import fuzzing

    out = SectionResult(key="fuzzing")
    out.extra = [row.as_dict() for row in fuzzing.assumption_table(profile, seed)]
    return out


SPECIAL: dict[str, Callable[[str, int], SectionResult]] = {
    "proof-algebra": _call_algebra,
    "errata": _call_errata,
    "fuzzing": _call_fuzzing,
}


def run_task(task: tuple[str, str, str, int]) -> SectionResult:
    """Run one section ``(key, module, profile, seed)``; errors are recorded, not raised. An
    interrupt is raised as :class:`KeyboardInterrupt`, also when compiled code or a library
    turned it into another exception (:func:`verify._cli.stop_if_interrupted`): it never
    becomes a checker's error."""
    key, module, profile, seed = task
    start = time.perf_counter()
    try:
        if key in SPECIAL:
            out = SPECIAL[key](profile, seed)
        else:
            out = _call_module(module, profile, seed)
    except Exception as exc:
        stop_if_interrupted(exc)
        out = SectionResult(key=key, error=traceback.format_exc(limit=8))
    stop_if_interrupted()  # an interrupt that the section swallowed
    out.key = key
    out.seconds = time.perf_counter() - start
    return out


def _run_in_worker(task: tuple[str, str, str, int], threads: int) -> SectionResult:
    """:func:`run_task` in a Dask worker, with ``threads`` Numba threads."""
    import numba

    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    return run_task(task)


def run_sections(
    tasks: Iterable[tuple[str, str, str, int]],
    *,
    workers: int,
    on_done: Callable[[SectionResult], None] = lambda r: None,
) -> tuple[dict[str, SectionResult], bool]:
    """Run every task; return ``({key: result}, complete)``. ``complete`` is False when the run
    was interrupted (Ctrl-C): the results then hold what had finished.

    ``workers > 1`` runs the sections on a local Dask cluster of that many processes (at most
    one per section: more could not be used), each with ``cpu_count // workers`` Numba threads;
    the results do not depend on ``workers``."""
    tasks = list(tasks)
    workers = min(workers, len(tasks))
    results: dict[str, SectionResult] = {}
    try:
        if workers <= 1:
            for task in tasks:
                res = run_task(task)
                results[res.key] = res
                on_done(res)
        else:
            _run_parallel(tasks, workers, results, on_done)
    except KeyboardInterrupt:
        return results, False
    return results, not interrupted()


def _run_parallel(tasks: list[tuple[str, str, str, int]], workers: int,
                  results: dict[str, SectionResult],
                  on_done: Callable[[SectionResult], None]) -> None:
    from distributed import as_completed

    threads = max(1, (os.cpu_count() or 1) // workers)
    with dask_client(workers=workers) as client:
        futures = [client.submit(_run_in_worker, t, threads, key=f"section-{t[0]}", pure=False)
                   for t in tasks]
        for fut in as_completed(futures):
            try:
                res = fut.result()
            except Exception as exc:  # the worker died (KilledWorker) or could not import
                stop_if_interrupted(exc)
                key = tasks[futures.index(fut)][0]
                res = SectionResult(key=key, error=f"{type(exc).__name__}: {exc}")
            stop_if_interrupted()
            results[res.key] = res
            on_done(res)
