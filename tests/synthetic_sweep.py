"""A synthetic sweep claim for the scale benchmark (``benchmarks/bench_sweep.py --scale``) and
the streaming tests: ten regimes of ``VERIFY_SYNTHETIC_SEEDS`` seeds each (default 1,000), each
task a few microseconds of arithmetic. Not a claim of the paper; never in the registry."""

from __future__ import annotations

import os
import time

from verify.evidence import Evidence, Verdict
from verify.evidence.sweep_spec import Grid, SweepSpec

SEEDS = int(os.environ.get("VERIFY_SYNTHETIC_SEEDS", "1000"))


def evaluate(params: dict, seed: int) -> Evidence:
    x = (seed % 1000) / 1000.0
    return Evidence(claim="Synthetic", statement="x < m + 1", verdict=Verdict.HOLDS,
                    observed=x, bound=params["m"] + 1.0, slack=params["m"] + 1.0 - x,
                    reason="synthetic", reproduce="tests/synthetic_sweep.py")


_GRID = Grid(tuple({"m": m} for m in range(10)), SEEDS)
SCALE = SweepSpec("Synthetic", dict.fromkeys(("quick", "standard", "thorough"), _GRID), evaluate,
                  batch=1000, note="a scale test, not a claim", module="tests.synthetic_sweep")


def evaluate_rate(params: dict, seed: int) -> Evidence:
    """The event "u < q" for ``u`` uniform on the thousandths given by ``seed``: probability
    ``q`` (up to the seed's spread), claimed to be at least ``claimed``."""
    u = (seed % 1000) / 1000.0
    return Evidence(claim="Synthetic rate", statement="P(u < q) >= claimed",
                    verdict=Verdict.HOLDS, observed=u, bound=params["q"],
                    slack=params["q"] - u, reason="synthetic", reproduce="tests/synthetic_sweep.py")


_RATE = Grid(({"q": 1.0, "claimed": 0.5}, {"q": 0.0, "claimed": 0.9},
              {"q": 0.9, "claimed": 0.9}), 1)
RATE_SWEEP = SweepSpec("Synthetic rate", dict.fromkeys(("quick", "standard", "thorough"), _RATE),
                       evaluate_rate, event=lambda ev: ev.observed < ev.bound,
                       probability=lambda p: p["claimed"], batch=20,
                       note="adaptive rounds test, not a claim", module="tests.synthetic_sweep")

def evaluate_gated(params: dict, seed: int) -> Evidence:
    """Instant for ``m = 3`` (the regime the sweep runs first); for the others waits while the
    file named by ``VERIFY_SYNTHETIC_GATE`` exists (the worker-loss tests hold a task running
    with it)."""
    gate = os.environ.get("VERIFY_SYNTHETIC_GATE", "")
    while params["m"] < 3 and gate and os.path.exists(gate):
        time.sleep(0.05)
    return Evidence(claim="Gated", statement="s", verdict=Verdict.HOLDS, observed=0.0,
                    bound=1.0, slack=1.0, reason="synthetic", reproduce="tests/synthetic_sweep.py")


_GATED = Grid(tuple({"m": m} for m in range(4)), 2)
GATED = SweepSpec("Gated", dict.fromkeys(("quick", "standard", "thorough"), _GATED),
                  evaluate_gated, batch=1, note="worker-loss tests, not a claim",
                  module="tests.synthetic_sweep")

SWEEP = (SCALE, RATE_SWEEP, GATED)
