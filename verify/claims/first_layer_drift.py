"""First-layer drift: the network's output moves by at most ``k eta1`` per step of the first layer.

Not a claim of the paper: a small true consequence of its model and of Lemma C.1 (Appendix C),
added as the documentation's tutorial (``docs/tutorial.md``) on how to check a claim of one's own.
The claim: for all ``x`` in ``S_1`` and ``0 <= t <= T1``,

    ``|N[(W^(t), a^(0))](x) - N[(W^(0), a^(0))](x)| <= k eta1 t <= 1/4``.

Why it holds. ``N(x) = sum_i a_i max_j relu(w_i . x[j])`` (Eq. 1) with ``|a_i^(0)| = 1`` and
``||x[j]|| = 1`` (Section 3), so ``|N(x)|`` changes by at most ``sum_i ||Delta w_i||`` when the
filters move by ``Delta w_i`` (``w -> max_j relu(w . x[j])`` is 1-Lipschitz). One step of the
first layer moves each filter by ``eta1 ||dL_1/dw_i|| <= eta1`` (Lemma C.1's gradient bound), so
every step moves ``N(x)`` by at most ``k eta1``, and ``t`` steps by at most ``k eta1 t``. The
last inequality is the named assumption ``eta1 <= 1/(4k(T1+1))`` of Theorem 5.1:
``k eta1 T1 <= T1 / (4(T1+1)) < 1/4``. Nothing else is assumed (no ``r <= eta1``: the drift does
not depend on where the filters start).

:class:`DriftRecorder` watches the first layer: it keeps ``N^(0)`` on ``S_1`` and the previous
step's outputs, and at every step the largest drift since ``t = 0`` and the largest drift of the
step. Slacks are in units of 1; the floating-point tolerance is ``1e-12`` (each ``N`` is a sum of
``k`` terms of size ``<= 1/(4k)``: rounding is ~``1e-16``). The evidence's strength is
:attr:`~verify.evidence.Strength.COMPUTED`: floating point, checked at every step and sample.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from verify._validate import check_int, check_positive_float, check_seed
from verify.claims import section_5_grids as section5
from verify.claims.section_5 import Part, StepWorst, combine, regimes, reproduce_snippet, run_lw_cnn
from verify.evidence import Evidence, Strength
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, bound_at
from verify.model.assumptions import evaluate
from verify.model.lw_cnn import FirstLayerState
from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "DECLARATION",
    "STATEMENT",
    "DriftRecorder",
    "check_recorder",
    "check_setting",
    "report_checks",
]

CLAIM = "First-layer drift"
STATEMENT = "For all x in S1 and 0 <= t <= T1: |N^(t)(x) - N^(0)(x)| <= k eta1 t <= 1/4"
ASSUMPTIONS = ("eta1<=1/(4k(T1+1))",)
TOL = 1e-12


class DriftRecorder:
    """Streaming recorder (``on_step``) of ``max_{x in S_1} |N^(t)(x) - N^(0)(x)|`` and of
    ``max_{x in S_1} |N^(t)(x) - N^(t-1)(x)|`` at each step ``t``, with the sample attaining
    each. Memory: two arrays of ``|S_1|`` outputs and ``O(T1)`` numbers."""

    def __init__(self) -> None:
        self.since_start = StepWorst("max")
        self.per_step = StepWorst("max")
        self._first: np.ndarray | None = None
        self._last: np.ndarray | None = None

    def on_step(self, state: FirstLayerState) -> None:
        N = np.array(state.step.N, dtype=np.float64)
        if self._first is None:
            self._first = N
        self.since_start.add(state.t, np.abs(N - self._first))
        if self._last is not None:
            self.per_step.add(state.t, np.abs(N - self._last))
        self._last = N


def check_recorder(
    rec: DriftRecorder,
    *,
    k: int,
    eta1: float,
    params: dict[str, Any] | None = None,
    assumptions: dict[str, bool] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Evidence for the first-layer drift claim from a recorder that watched a whole first layer
    with ``k`` filters and step ``eta1`` (at least the steps ``t = 0`` and ``t = 1``)."""
    if not isinstance(rec, DriftRecorder):
        raise ValueError(f"rec must be a DriftRecorder, got {type(rec).__name__}")
    k = check_int("k", k, low=1)
    eta1 = check_positive_float("eta1", eta1)
    if not rec.per_step.t:
        raise ValueError("rec has recorded no step t >= 1: run the first layer (T1 >= 1) with it")
    t = np.array(rec.since_start.t, dtype=np.float64)
    drift = np.array(rec.since_start.value)
    T1 = int(t.max())
    later = t >= 1  # at t = 0 the drift is 0 = k eta1 0 by construction: no test
    slack = np.where(later, k * eta1 * t - drift, np.inf)
    i = int(np.argmin(slack))
    s_val, s_t, s_where = rec.per_step.worst()
    parts = [
        Part("|N^(t)(x) - N^(0)(x)| <= k eta1 t", float(drift[i]), float(k * eta1 * t[i]), True,
             1.0, "1", TOL, where={"t": int(t[i]), "sample": rec.since_start.where[i]}),
        Part("|N^(t)(x) - N^(t-1)(x)| <= k eta1", s_val, k * eta1, True, 1.0, "1", TOL,
             where={"t": s_t, "sample": s_where}),
        Part("k eta1 T1 <= 1/4", k * eta1 * T1, 0.25, True, 1.0, "1", TOL, where={"T1": T1},
             extra={"assumption": "eta1 <= 1/(4k(T1+1)) gives k eta1 T1 <= T1/(4(T1+1))"}),
    ]
    details = {
        "per_step": {"t": rec.since_start.t, "max_drift_since_0": rec.since_start.value,
                     "max_drift_of_step": [_none_for_nan(v) for v in
                                           [float("nan"), *rec.per_step.value]]},
        "k_eta1": k * eta1,
        "largest_step_drift_over_k_eta1": s_val / (k * eta1),
    }
    ev = combine(CLAIM, STATEMENT, parts, params=params or {"k": k, "eta1": eta1},
                 assumptions=assumptions or {}, reproduce=reproduce, details=details)
    return dataclasses.replace(ev, strength=Strength.COMPUTED)


def _none_for_nan(v: float) -> float | None:
    """``None`` for NaN (no value at that step), else ``v``: JSON has no NaN."""
    return None if v != v else v


def check_setting(setting: Setting, *, patterns: str = "haar") -> Evidence:
    """Run LW_CNN's first layer for ``setting`` and check the drift at every step and sample of
    ``S_1``. A failed assumption is named, not skipped."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    rec = DriftRecorder()
    run_lw_cnn(setting, recorders=[rec], second=False, patterns=patterns)
    return check_recorder(
        rec, k=setting.k, eta1=setting.eta1,
        params={**setting.as_dict(), "patterns": patterns},
        assumptions=evaluate(setting, ASSUMPTIONS),
        reproduce=reproduce_snippet("first_layer_drift", "check_setting", setting,
                                    patterns=patterns),
    )


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """The drift on the shared Section 5 regimes with ``T1 >= 1``, plus one regime outside
    ``eta1 <= 1/(4k(T1+1))`` (``eta1`` 400 times larger), where ``k eta1 T1 <= 1/4`` fails."""
    seed = check_seed("seed", seed)
    out = [check_setting(s) for s in regimes(profile, seed) if s.T1 >= 1]
    base = regimes("quick", seed)[1]
    out.append(check_setting(base.replace(eta1=400 * base.eta1)))
    return out


# ----------------------------------------------------------------------------- sweep (verify.sweep)


SWEEP = section5.sweep_spec(CLAIM, check_setting)


DECLARATION = ClaimDeclaration(
    key="first-layer-drift",
    title="First-layer drift (tutorial claim: the output moves by at most k eta1 per step)",
    names=(CLAIM,),
    statement="|N^(t)(x) - N^(0)(x)| <= k eta1 t <= 1/4 for x in S1, 0 <= t <= T1.",
    location="Not in the paper: a consequence of Eq. 1 and Lemma C.1's gradient bound "
             "(Appendix C); the tutorial's claim (docs/tutorial.md)",
    assumptions=ASSUMPTIONS,
    checkers=(check_recorder, check_setting),
    report_checks=report_checks,
    sweeps=SWEEP,
    controls=(
        Control('no drift: |N^(t)(x) - N^(0)(x)| <= 0',
                bound_at(0.0),
                why="the first layer moves at every step, so the network's output drifts"),
    ),
)
