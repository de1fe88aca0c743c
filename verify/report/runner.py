"""Run the report's sections, in this process or in worker processes.

Each section is one claim module's declared ``report_checks(profile, seed)``; sections are
independent, so ``--workers N`` runs them in ``N`` processes. Results are collected in the
registry's order, so the report does not depend on ``N``.
"""

from __future__ import annotations

import importlib
import os
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

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
    out.evidence = [e.as_dict() for e in declaration.report_checks(profile, seed)]
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
    """Run one section ``(key, module, profile, seed)``; never raises (errors are recorded)."""
    key, module, profile, seed = task
    start = time.perf_counter()
    try:
        if key in SPECIAL:
            out = SPECIAL[key](profile, seed)
        else:
            out = _call_module(module, profile, seed)
    except Exception:
        out = SectionResult(key=key, error=traceback.format_exc(limit=8))
    out.key = key
    out.seconds = time.perf_counter() - start
    return out


def _init_worker(threads: int) -> None:
    import numba

    numba.set_num_threads(threads)


def run_sections(
    tasks: Iterable[tuple[str, str, str, int]],
    *,
    workers: int,
    on_done: Callable[[SectionResult], None] = lambda r: None,
) -> tuple[dict[str, SectionResult], bool]:
    """Run every task; return ``({key: result}, complete)``. ``complete`` is False when the run
    was interrupted (Ctrl-C): the results then hold what had finished."""
    tasks = list(tasks)
    results: dict[str, SectionResult] = {}
    try:
        if workers <= 1:
            for task in tasks:
                res = run_task(task)
                results[res.key] = res
                on_done(res)
        else:
            threads = max(1, (os.cpu_count() or 1) // workers)
            with ProcessPoolExecutor(
                max_workers=workers, initializer=_init_worker, initargs=(threads,)
            ) as pool:
                pending: set[Future] = {pool.submit(run_task, t) for t in tasks}
                try:
                    while pending:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for fut in done:
                            res = fut.result()
                            results[res.key] = res
                            on_done(res)
                except KeyboardInterrupt:
                    for fut in pending:
                        fut.cancel()
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    except KeyboardInterrupt:
        return results, False
    return results, True
