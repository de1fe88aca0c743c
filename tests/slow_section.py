"""A stand-in checker module for the interrupt tests: it announces on stderr that it is about to
enter a long compiled (Numba) kernel call, then makes that call, so a test can send SIGINT while
the kernel runs."""

from __future__ import annotations

import sys

import numpy as np

from verify.evidence import Evidence
from verify.evidence.claim import ClaimDeclaration
from verify.model.network import loss_and_grads

MARK = "slow_section: entering the kernel"


def report_checks(profile: str, seed: int) -> list[Evidence]:
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((8192, 64))
    a = rng.standard_normal(8192)
    X = rng.standard_normal((2048, 64, 64))
    y = np.where(rng.random(2048) < 0.5, -1.0, 1.0)
    loss_and_grads(W[:2], a[:2], X[:2], y[:2])  # compiled (or loaded) before the mark
    print(MARK, file=sys.stderr, flush=True)
    for _ in range(1000):  # each call lasts seconds: the interrupt lands inside one
        loss_and_grads(W, a, X, y)
    raise AssertionError("slow_section: the interrupt did not stop the run")


DECLARATION = ClaimDeclaration(
    key="slow",
    title="Slow",
    names=("Slow claim",),
    statement="s",
    location="nowhere (a test stand-in)",
    assumptions=(),
    checkers=(report_checks,),
    report_checks=report_checks,
)
