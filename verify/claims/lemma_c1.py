"""Lemma C.1 (Appendix C): the gradient and the filters stay small during the first layer.

The claim, as the proof of Lemma C.1 shows it: for all ``0 <= t <= T1`` and all ``i``,

- ``||dL_1/dw_i (W^(t), a^(0))|| <= 1`` (every ``x[j]`` has norm 1, ``|l'| <= 1``, ``|a_i| = 1``);
- ``||w_i^(t)|| <= r + eta1 t``, and ``r + eta1 t <= eta1 (t+1)`` (this needs ``r <= eta1``,
  which Theorem 5.1's ``r <= eta1/200`` implies; the lemma's statement omits it).

:class:`NormRecorder` keeps, at every step, the largest gradient norm and the largest filter norm
and which filter attains them (``O(T1)`` memory); :func:`check_recorder` turns that into
:class:`~verify.evidence.Evidence`. Slacks: the gradient part in units of 1, the norm parts in
units of ``eta1``; floating-point tolerance ``1e-12`` in the gradient's unit and
``1e-12 (T1 + 1)`` in units of ``eta1`` (i.e. ``1e-12`` relative to the largest bound
``eta1 (T1 + 1)``). At ``t = 0`` the bound ``||w_i^(0)|| <= r`` is an equality by construction
(the filters start on the ``r``-sphere), so the middle part is always at the BOUNDARY; its slack
over ``t >= 1`` is reported in ``details``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verify._validate import check_positive_float, check_seed
from verify.claims import section_5_grids as section5
from verify.claims.section_5 import Part, StepWorst, combine, regimes, reproduce_snippet, run_lw_cnn
from verify.evidence import Evidence
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model.assumptions import evaluate
from verify.model.lw_cnn import FirstLayerState
from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "DECLARATION",
    "STATEMENT",
    "NormRecorder",
    "check_recorder",
    "check_setting",
    "report_checks",
]

CLAIM = "Lemma C.1"
STATEMENT = (
    "For 0 <= t <= T1 and all i: ||dL1/dw_i(W^(t), a^(0))|| <= 1 and "
    "||w_i^(t)|| <= r + eta1 t <= eta1 (t+1)"
)
ASSUMPTIONS = ("r<=eta1",)
TOL = 1e-12


class NormRecorder:
    """Streaming recorder (``on_step``) of the largest ``||dL_1/dw_i||`` and ``||w_i^(t)||`` at
    each step ``t``, with the filter that attains each."""

    def __init__(self) -> None:
        self.grad = StepWorst("max")
        self.norm = StepWorst("max")

    def on_step(self, state: FirstLayerState) -> None:
        self.grad.add(state.t, state.grad_norms)
        self.norm.add(state.t, state.w_norms)


def check_recorder(
    rec: NormRecorder,
    *,
    eta1: float,
    r: float,
    params: dict[str, Any] | None = None,
    assumptions: dict[str, bool] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Evidence for Lemma C.1 from a recorder that watched a whole first layer."""
    if not isinstance(rec, NormRecorder):
        raise ValueError(f"rec must be a NormRecorder, got {type(rec).__name__}")
    eta1 = check_positive_float("eta1", eta1)
    r = check_positive_float("r", r)
    if not rec.norm.t:
        raise ValueError("rec has recorded no step: run the first layer with it first")
    t = np.array(rec.norm.t, dtype=np.float64)
    T1 = int(t.max())
    tol_eta = TOL * (T1 + 1)
    norms = np.array(rec.norm.value)
    mid = r + eta1 * t
    top = eta1 * (t + 1)
    s_mid = (mid - norms) / eta1
    s_top = (top - norms) / eta1
    i_mid = int(np.argmin(s_mid))
    i_top = int(np.argmin(s_top))
    g_val, g_t, g_i = rec.grad.worst()
    after0 = s_mid[t >= 1]
    parts = [
        Part("||dL1/dw_i|| <= 1", g_val, 1.0, True, 1.0, "1", TOL,
             where={"t": g_t, "filter": g_i}),
        Part("||w_i^(t)|| <= r + eta1 t", float(norms[i_mid]), float(mid[i_mid]), True, eta1,
             "eta1", tol_eta, where={"t": int(t[i_mid]), "filter": rec.norm.where[i_mid]},
             extra={"slack_t>=1": float(after0.min()) if after0.size else None}),
        Part("r + eta1 t <= eta1 (t+1)", r, eta1, True, eta1, "eta1", TOL),
        Part("||w_i^(t)|| <= eta1 (t+1)", float(norms[i_top]), float(top[i_top]), True, eta1,
             "eta1", tol_eta, where={"t": int(t[i_top]), "filter": rec.norm.where[i_top]}),
    ]
    details = {
        "per_step": {
            "t": rec.norm.t,
            "max_grad_norm": rec.grad.value,
            "max_grad_filter": rec.grad.where,
            "max_w_norm_over_eta1": (norms / eta1).tolist(),
            "max_w_filter": rec.norm.where,
            "slack_r_plus_eta1_t": s_mid.tolist(),
        },
        "tolerance_note": "1e-12 (gradient) and 1e-12 (T1+1) eta1 (norms): rounding only",
        "note": "||w_i^(0)|| = r by construction, so ||w_i^(t)|| <= r + eta1 t is attained at "
        "t = 0 (BOUNDARY); its slack over t >= 1 is parts[...]['slack_t>=1'] (units of eta1)",
    }
    return combine(CLAIM, STATEMENT, parts, params=params or {"eta1": eta1, "r": r},
                   assumptions=assumptions or {}, reproduce=reproduce, details=details)


def check_setting(setting: Setting, *, patterns: str = "haar") -> Evidence:
    """Run LW_CNN's first layer for ``setting`` (:func:`verify.claims.section_5.run_lw_cnn`) and
    check Lemma C.1 at every step and filter. A failed assumption is named, not skipped: the verdict
    says whether the conclusion survives it."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    rec = NormRecorder()
    run_lw_cnn(setting, recorders=[rec], second=False, patterns=patterns)
    return check_recorder(
        rec, eta1=setting.eta1, r=setting.r, params={**setting.as_dict(), "patterns": patterns},
        assumptions=evaluate(setting, ASSUMPTIONS),
        reproduce=reproduce_snippet("lemma_c1", "check_setting", setting, patterns=patterns),
    )


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Lemma C.1 on the shared Section 5 regimes (:func:`verify.claims.section_5.regimes`), plus
    one regime outside ``r <= eta1`` (``r = 2 eta1``) where the last inequality must fail."""
    seed = check_seed("seed", seed)
    out = [check_setting(s) for s in regimes(profile, seed)]
    base = regimes("quick", seed)[1]
    out.append(check_setting(base.replace(r=2.0 * base.eta1, T1=3)))
    return out


# ----------------------------------------------------------------------------- sweep (verify.sweep)


SWEEP = section5.sweep_spec(CLAIM, check_setting)


DECLARATION = ClaimDeclaration(
    key="lemma-c.1",
    title="Lemma C.1 (gradient and filter norms)",
    names=(CLAIM,),
    statement="||dL1/dw_i|| <= 1 and ||w_i^(t)|| <= r + eta1 t <= eta1 (t+1) for 0 <= t <= T1.",
    location="Appendix C, Lemma C.1",
    assumptions=ASSUMPTIONS,
    checkers=(check_recorder, check_setting),
    report_checks=report_checks,
    errata=None,
    sweeps=SWEEP,
    controls=(
        Control('every bound 1% tighter: ||w_i^(t)|| <= 0.99 (r + eta1 t)',
                tightened(1.01),
                why='the norm bound is attained (gradient norm 1 at every step), so a 1% tighter '
                    'bound must fail'),
    ),
)
