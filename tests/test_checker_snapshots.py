"""The whole evidence of each checker on hand-made input, pinned.

:mod:`tests.test_bound_constants` pins each verdict; this pins everything else the report prints
from the same evidence: the observed value, bound and slack of the worst part, where it is
attained, the reason, the per-step details and the parts' units, for a holding, a failing and a
not-applicable input of each checker. A change of any of these shows here as a diff of one
scenario; if it is intended, regenerate the file and review the diff:
``python -m tests.test_checker_snapshots``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.test_bound_constants import (
    ETA1,
    T1,
    _c1,
    _c2,
    _check_5_3,
    _lucky,
    _norms,
    _responses,
)
from tests.test_bound_constants_events import _constant_counts, _labels
from verify.claims import event_14, lemma_5_2, lemma_5_3, lemma_5_5, lemma_c1
from verify.evidence import Evidence

SNAPSHOTS = Path(__file__).parent / "data" / "checker_snapshots.json"


def _own_fails() -> list[float]:
    own = [(t + 1) * ETA1 for t in range(T1 + 1)]
    own[2] = 0.1 * ETA1
    return own


def _no_lucky(sign: int) -> Evidence:
    rec = lemma_5_3.LuckyRecorder(sign)
    rec.filters = np.array([], dtype=int)
    rec.samples = np.array([0])
    for t in range(T1 + 1):
        rec.own.add(t, [])
        rec.other.add(t, [])
        rec.margin.add(t, [])
    rec.mismatches = [0] * (T1 + 1)
    return _check_5_3(rec)


def _first_failing(failures: int):
    """A Lemma 5.2 sampler whose first ``failures`` trials (d = 3, k = 216) miss Eq. 7."""
    def sampler(d: int, l: int, k: int, trials: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        plus = np.full(trials, 40, dtype=np.int64)
        plus[:failures] = 17
        return plus, np.full(trials, 40, dtype=np.int64)
    return sampler


def _lucky_steps(steps: int) -> lemma_5_3.LuckyRecorder:
    """One lucky filter, one sample, ``steps`` steps (``T1 = steps - 1``), all holding."""
    rec = lemma_5_3.LuckyRecorder(1)
    rec.filters, rec.samples = np.array([0]), np.array([0])
    for t in range(steps):
        rec.own.add(t, [(t + 1) * ETA1])
        rec.other.add(t, [0.0])
        rec.margin.add(t, [ETA1])
    rec.mismatches = [0] * steps
    return rec


SCENARIOS: dict[str, Callable[[], Evidence]] = {
    "lemma_5_3 holds": lambda: _check_5_3(_lucky(1)),
    "lemma_5_3 item 1 fails": lambda: _check_5_3(_lucky(1, own=_own_fails())),
    "lemma_5_3 item 2 fails": lambda: _check_5_3(_lucky(1, other=[0.0, 2e-5, 0.0, 0.0])),
    "lemma_5_3 mismatch": lambda: _check_5_3(_lucky(1, margin=[ETA1, -ETA1, ETA1, ETA1],
                                                    mismatches=[0, 2, 0, 0])),
    "corollary_5_4 holds": lambda: _check_5_3(_lucky(-1)),
    "corollary_5_4 off Eq. 14": lambda: _check_5_3(_lucky(-1, own=_own_fails()),
                                                   balanced=False),
    "lemma_5_3 no samples": lambda: _check_5_3(_lucky(1, samples=False)),
    "lemma_5_3 no lucky filters": lambda: _no_lucky(1),
    "corollary_5_4 no lucky filters": lambda: _no_lucky(-1),
    "lemma_5_3 flat": lambda: _check_5_3(_lucky(1, own=[ETA1] * (T1 + 1))),
    # the worst step of item 1 is t = 3 with t eta1/9 (it would be t = 1 with t eta1/10)
    "lemma_5_3 item 1 worst step": lambda: _check_5_3(
        _lucky(1, own=[ETA1, 0.5 * ETA1, ETA1, 0.71 * ETA1])),
    "lemma_5_3 T1 = 2": lambda: _check_5_3(_lucky_steps(3)),
    "lemma_5_3 T1 = 1": lambda: _check_5_3(_lucky_steps(2)),
    "lemma_5_5 T1 = 1": lambda: lemma_5_5.check_recorder(_responses([0.0, 3 * ETA1]), eta1=ETA1),
    "lemma_5_5 zero responses": lambda: lemma_5_5.check_recorder(
        _responses([0.0] * (T1 + 1)), eta1=ETA1),
    "lemma_5_5 worst at t = 3": lambda: lemma_5_5.check_recorder(
        _responses([0.0, 0.1 * ETA1, 0.2 * ETA1, 5 * ETA1]), eta1=ETA1),
    "lemma_5_5 holds": lambda: lemma_5_5.check_recorder(
        _responses([0.5 * ETA1 * t for t in range(T1 + 1)]), eta1=ETA1),
    "lemma_5_5 fails": lambda: lemma_5_5.check_recorder(
        _responses([0.0, 3 * ETA1, 0.0, 0.0]), eta1=ETA1),
    "lemma_5_5 dense": lambda: lemma_5_5.check_recorder(
        _responses([0.5 * ETA1 * t for t in range(T1 + 1)], dense_gap=1e-20), eta1=ETA1),
    "lemma_5_5 T1 = 0": lambda: lemma_5_5.check_recorder(_responses([ETA1]), eta1=ETA1),
    "lemma_c1 holds": lambda: _c1(),
    "lemma_c1 fails": lambda: _c1(grads=[0.5, 1.5, 0.5, 0.5]),
    "lemma_c1 outside": lambda: lemma_c1.check_recorder(
        _norms([0.5] * 4, [1e-5, 2e-5, 3e-5, 4e-5]), eta1=ETA1, r=1e-5,
        assumptions={"r<=eta1": False, "T1>0": True, "l=d": False}, params={"seed": 1},
        reproduce="replay"),
    "lemma_c2 holds": lambda: _c2(),
    "lemma_c2 zero outputs": lambda: _c2(outs=[0.0] * (T1 + 1)),
    "lemma_c2 fails": lambda: _c2(outs=[0.6, 0.1, 0.1, 0.1]),
    "lemma_5_2 holds": lambda: lemma_5_2.check_lemma_5_2(
        3, 3, 216, trials=30, sampler=_constant_counts(20, 30)),
    "lemma_5_2 fails": lambda: lemma_5_2.check_lemma_5_2(
        3, 3, 216, trials=30, sampler=_constant_counts(17, 30)),
    "lemma_5_2 exact k = d^3": lambda: lemma_5_2.check_lemma_5_2_exact(3, 3, 27),
    "lemma_5_2 exact smallest counterexample": lambda: lemma_5_2.check_lemma_5_2_exact(5, 3, 1000),
    "lemma_5_2 exact 8d*3 <= k < 8d^3": lambda: lemma_5_2.check_lemma_5_2_exact(5, 3, 400),
    "lemma_5_2 exact scan": lambda: lemma_5_2.check_lemma_5_2_exact(3, 3, 216, scan=True),
    "lemma_5_2 library sampler": lambda: lemma_5_2.check_lemma_5_2(3, 3, 216, trials=20, seed=1),
    "lemma_5_2 at the bounds": lambda: lemma_5_2.check_lemma_5_2(
        3, 3, 216, trials=10, sampler=_constant_counts(18, 72)),
    "lemma_5_2 at the bounds, swapped": lambda: lemma_5_2.check_lemma_5_2(
        3, 3, 216, trials=10, sampler=_constant_counts(72, 18)),
    "lemma_5_2 l < d fails": lambda: lemma_5_2.check_lemma_5_2(
        6, 3, 1729, trials=30, sampler=_constant_counts(400, 100)),
    "lemma_5_2 inconsistent with the exact law": lambda: lemma_5_2.check_lemma_5_2(
        3, 3, 216, trials=100, sampler=_first_failing(5)),
    "lemma_5_2 exact": lambda: lemma_5_2.check_lemma_5_2_exact(3, 3, 216),
    "lemma_5_2 exact l < d": lambda: lemma_5_2.check_lemma_5_2_exact(6, 3, 1729),
    "event_14 library sampler": lambda: event_14.check_event_14(60, trials=200, seed=3, n=2, l=4),
    "event_14 vacuous": lambda: event_14.check_event_14(30, trials=30, sampler=_labels(10)),
    "lemma_c1 T1 = 0": lambda: lemma_c1.check_recorder(_norms([0.5], [1e-5]), eta1=ETA1, r=1e-5),
    "event_14 exact m = 30": lambda: event_14.check_event_14_exact(30),
    "event_14 exact": lambda: event_14.check_event_14_exact(100),
    "event_14 holds": lambda: event_14.check_event_14(100, trials=30, sampler=_labels(20)),
    "event_14 fails": lambda: event_14.check_event_14(100, trials=30, sampler=_labels(10)),
}


def _small_run_checks() -> dict[str, Callable[[], Evidence]]:
    """Appendix E and Theorem 5.1 on one small run: their values come from a QP solver and
    Numba kernels, so they are compared to a relative 1e-6 (:func:`_close`)."""
    from verify.claims import appendix_e, theorem_5_1
    from verify.claims.section_5 import theorem_setting

    s = theorem_setting(3, 3, 2, 217, 40, 2, 0, T2=3)
    return {
        "appendix_e small run": lambda: appendix_e.check_setting(s),
        "appendix_e outside eta1": lambda: appendix_e.check_setting(s.replace(eta1=4 * s.eta1)),
        "theorem_5_1 small run": lambda: theorem_5_1.check_setting(s, fresh=200),
        "appendix_e T1 = 0": lambda: appendix_e.check_setting(s.replace(T1=0)),
    }


APPROX = _small_run_checks()
SCENARIOS.update(APPROX)


def _close(got: Any, want: Any, path: str = "") -> None:
    """Equal, floats to a relative 1e-6 (absolute 1e-9)."""
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        assert sorted(got) == sorted(want), path
        for key in want:
            _close(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list), path
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(g, w, f"{path}[{i}]")
    elif isinstance(want, float) and not isinstance(got, bool):
        assert got == pytest.approx(want, rel=1e-6, abs=1e-9), path
    else:
        assert got == want, path


def _snapshot(name: str) -> dict[str, Any]:
    return json.loads(SCENARIOS[name]().to_json())


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_check_recorder__evidence_equals_its_snapshot(name):
    want = json.loads(SNAPSHOTS.read_text())[name]
    got = _snapshot(name)
    for key in sorted(set(want) | set(got)):
        if name in APPROX:
            _close(got.get(key), want.get(key), f"{name}: {key}")
        else:
            assert got.get(key) == want.get(key), f"{name}: {key}"


def test_snapshots__one_per_scenario():
    assert sorted(json.loads(SNAPSHOTS.read_text())) == sorted(SCENARIOS)


def _write() -> None:
    np.seterr(all="ignore")
    SNAPSHOTS.parent.mkdir(exist_ok=True)
    data = {name: _snapshot(name) for name in sorted(SCENARIOS)}
    SNAPSHOTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(data)} scenarios to {SNAPSHOTS}", file=sys.stderr)


if __name__ == "__main__":
    _write()
