"""Adaptive rounds (:mod:`verify.sweep.adaptive`): a regime that is decided early gets no more
seeds, an undecided one gets seeds up to the budget, and the decisions are the same for the
same seed."""

from __future__ import annotations

import pytest

from tests import synthetic_sweep
from verify._dask import dask_client
from verify.evidence.sequential import SequentialDesign
from verify.sweep.adaptive import run_adaptive
from verify.sweep.registry import find
from verify.sweep.store import Store

DESIGN = SequentialDesign(first=20, budget=80, alpha=1e-9, confidence=0.95)


def test_run_adaptive__rounds_until_decided_or_the_budget_and_deterministic(tmp_path):
    spec = synthetic_sweep.RATE_SWEEP
    with dask_client(workers=1) as client:
        a = run_adaptive(client, spec, "quick", Store(tmp_path / "a"), design=DESIGN)
        b = run_adaptive(client, spec, "quick", Store(tmp_path / "b"), design=DESIGN)
    assert a == b
    got = [(r["params"]["q"], r["status"], r["trials"], r["looks"]) for r in a]
    assert got[0] == (1.0, "demonstrated", 20, 1)  # 20 of 20 at the first look
    assert got[1] == (0.0, "refuted", 20, 1)  # 0 of 20 against 0.9
    assert got[2][:3] == (0.9, "undecided", 80)  # rate = claim: more seeds, to the budget
    assert got[2][3] == len(DESIGN.looks())
    stored = Store(tmp_path / "a").read(columns=["params"]).num_rows
    assert stored == 20 + 20 + 80


def test_run_adaptive__refuses_a_deterministic_claim(tmp_path):
    with pytest.raises(ValueError, match="spec"):
        run_adaptive(None, find("Theorem 4.2"), "quick", Store(tmp_path / "s"))
