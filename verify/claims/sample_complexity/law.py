"""From error curves to the scaling law's numbers: ``m_eps`` per learner, ``r``, ``d`` and seed;
the exponent of ``m_eps ~ C d^b`` per learner with its interval; the ratio FC/CNN per ``d``.

- :func:`measure`: ``m_eps`` (eps = :data:`EPS`) of every learner at every ``(r, d)`` and seed,
  from :func:`~verify.claims.sample_complexity.learners.error_curve` on the coarse grid
  ``2..TOP[r]`` (refined near ``m_eps``). Seed ``i`` of every learner, ``r`` and ``d`` is the
  run seed ``SeedSequence(seed, ..., i)``: the learners' values of a seed are paired.
- :func:`fit_law`: per learner, the exponent fit on the geometric means over seeds
  (:func:`~verify.claims.sample_complexity.rules.fit_exponent`) with its percentile bootstrap
  interval over seeds, the geometric means, and the count of censored seeds (beyond the grid:
  they enter at twice the grid's top, which biases that learner's exponent *down*).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from verify._validate import check_int, check_seed
from verify.claims.sample_complexity.learners import LEARNERS, error_curve, family, grid
from verify.claims.sample_complexity.rules import (
    as_table,
    bootstrap_exponent,
    fit_exponent,
    m_epsilon,
)
from verify.rng import seed_sequence

__all__ = ["EPS", "LEVEL", "REPLICATES", "TOP", "Table", "extend", "filled", "fit_law", "measure",
           "run_seed", "seed_m_eps"]

EPS = 0.05
"""The ``eps`` of ``m_eps``: the smallest size from which "test error <= eps" is decided."""
LEVEL = 0.95
"""The two-sided level of every interval of an exponent (percentile bootstrap over seeds)."""
REPLICATES = 4000
TOP = {1: 8192, 2: 16384}
"""The largest size tried per ``r`` (a seed not reached there is censored)."""

Table = dict[int, dict[str, dict[int, list[int | None]]]]
"""``table[r][learner][d]``: ``m_eps`` per seed (``None``: censored)."""


def run_seed(seed: int, i: int) -> int:
    """The run seed of seed index ``i`` under root ``seed``."""
    return int(seed_sequence(seed, "sample-complexity", "run", i).generate_state(1)[0])


def seed_m_eps(learner: str, d: int, r: int, seed: int) -> int | None:
    """``m_eps`` of ``learner`` at ``(d, r)`` for one run seed (``None``: censored)."""
    curve = error_curve(learner, d, seed, grid(TOP[r]), r=r, eps=EPS)
    return m_epsilon([(m, dec.reached) for m, dec in curve])


def _check_plan(plan: Mapping[str, Mapping[int, Sequence[int]]]) -> dict[str, dict[int, tuple]]:
    if not isinstance(plan, Mapping) or "CNN" not in plan or any(lr not in LEARNERS
                                                                 for lr in plan):
        raise ValueError(f"plan must map learners among {LEARNERS}, 'CNN' included, to "
                         f"{{r: ds}}, got {plan!r}")
    out: dict[str, dict[int, tuple]] = {}
    for lr, per_r in plan.items():
        out[lr] = {}
        for r, ds in per_r.items():
            ds = tuple(check_int("ds", d, low=3) for d in ds)
            if list(ds) != sorted(set(ds)):
                raise ValueError(f"plan: the ds of {lr} at r = {r} must be increasing, got {ds}")
            for d in ds:
                family(d, r)  # validates d and r before any work
            out[lr][r] = ds
    return out


def measure(plan: Mapping[str, Mapping[int, Sequence[int]]], *, seeds: int, seed: int
            ) -> Table:
    """``table[r][learner][d]``: :func:`seed_m_eps` for seeds ``0..seeds-1`` of every learner
    at the ``(r, ds)`` of ``plan`` (``{learner: {r: ds}}``)."""
    plan = _check_plan(plan)
    seeds = check_int("seeds", seeds, low=1)
    seed = check_seed("seed", seed)
    table: Table = {}
    for lr, per_r in plan.items():
        for r, ds in per_r.items():
            table.setdefault(r, {})[lr] = {
                d: [seed_m_eps(lr, d, r, run_seed(seed, i)) for i in range(seeds)] for d in ds}
    return table


def extend(table: Table, r: int, d: int, stop: int, *, seed: int) -> None:
    """Add seeds up to index ``stop - 1`` at ``(r, d)`` for every learner of ``table[r]`` that
    ran ``d`` (in place; the seeds already run are kept)."""
    for lr, per_d in table[r].items():
        if d in per_d:
            per_d[d].extend(seed_m_eps(lr, d, r, run_seed(seed, i))
                            for i in range(len(per_d[d]), stop))


def filled(m: Mapping[int, Sequence[int | None]], r: int) -> list[list[float]]:
    """The values a fit uses, per ``d`` in increasing order: a censored seed at ``2 TOP[r]``."""
    return [[float(2 * TOP[r]) if v is None else float(v) for v in m[d]] for d in sorted(m)]


def fit_law(lr: str, m: Mapping[int, Sequence[int | None]], *, r: int, seed: int
            ) -> dict[str, Any]:
    """One learner's law at ``r`` from its ``m_eps`` per ``d`` and seed: the table, the exponent
    with its :data:`LEVEL` bootstrap interval, the constant, the geometric means, the censored
    count. At least two values of ``d``."""
    ds = sorted(m)
    values = filled(m, r)
    fit = fit_exponent(ds, values)
    ss = seed_sequence(seed, "sample-complexity", "bootstrap", lr, r)
    lo, hi = bootstrap_exponent(ds, values, seed_seq=ss, replicates=REPLICATES, level=LEVEL)
    return {"m_eps": as_table({d: m[d] for d in ds}), "exponent": fit["exponent"],
            "interval": [lo, hi], "constant": fit["constant"],
            "geometric_mean": {str(d): float(np.exp(np.mean(np.log(f))))
                               for d, f in zip(ds, values, strict=True)},
            "censored": sum(v is None for d in ds for v in m[d])}
