"""Lemma C.2 (Appendix C): the network's output stays small on ``S_1`` during the first layer.

The claim: for all ``x`` in ``S_1`` and ``0 <= t <= T1``, ``|N[(W^(t), a^(0))](x)| <= 1/2``.
The proof's chain is ``|N(x)| <= k max_i ||w_i^(t)|| <= k eta1 (t+1) <= 1/2``: the middle step is
Lemma C.1 (needs ``r <= eta1``), the last one ``eta1 <= 1/(4k(T1+1))``, which in fact gives
``k eta1 (T1+1) <= 1/4``: the stated ``1/2`` is loose by a factor of 2 (harmless: Eq. 17 only
needs ``|N| <= 1/2``). :func:`errata` reports it, with the measured ``max |N|``, which is far
smaller still (the ``a_i^(0)`` have random signs, so the sum cancels).

:class:`OutputRecorder` keeps, at every step, ``max_{x in S_1} |N(x)|`` (and the sample attaining
it) and ``k max_i ||w_i^(t)||``. Slacks are in units of 1; the floating-point tolerance is
``1e-12`` (``|N| <= 1/2`` is computed from ``k`` terms of size ``<= 1/(4k)``: rounding is
~``1e-16``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verify._validate import check_int, check_positive_float, check_seed
from verify.claims import section_5_grids as section5
from verify.claims.section_5 import Part, StepWorst, combine, regimes, reproduce_snippet, run_lw_cnn
from verify.evidence import Erratum, Evidence
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
    "OutputRecorder",
    "check_recorder",
    "check_setting",
    "errata",
    "report_checks",
]

CLAIM = "Lemma C.2"
STATEMENT = "For all x in S1 and 0 <= t <= T1: |N[(W^(t), a^(0))](x)| <= 1/2"
ASSUMPTIONS = ("eta1<=1/(4k(T1+1))", "r<=eta1")
TOL = 1e-12


class OutputRecorder:
    """Streaming recorder of ``max_{x in S_1} |N(x)|`` and ``k max_i ||w_i^(t)||`` per step."""

    def __init__(self) -> None:
        self.output = StepWorst("max")
        self.k_norm = StepWorst("max")

    def on_step(self, state: FirstLayerState) -> None:
        self.output.add(state.t, np.abs(state.step.N))
        k = state.P.shape[0]
        self.k_norm.add(state.t, k * state.w_norms)


def check_recorder(
    rec: OutputRecorder,
    *,
    k: int,
    eta1: float,
    params: dict[str, Any] | None = None,
    assumptions: dict[str, bool] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Evidence for Lemma C.2 (and each step of its proof) from a recorder that watched a whole
    first layer with ``k`` filters and step ``eta1``."""
    if not isinstance(rec, OutputRecorder):
        raise ValueError(f"rec must be an OutputRecorder, got {type(rec).__name__}")
    k = check_int("k", k, low=1)
    eta1 = check_positive_float("eta1", eta1)
    if not rec.output.t:
        raise ValueError("rec has recorded no step: run the first layer with it first")
    t = np.array(rec.output.t, dtype=np.float64)
    T1 = int(t.max())
    outs = np.array(rec.output.value)
    knorm = np.array(rec.k_norm.value)
    chain = k * eta1 * (t + 1)
    n_val, n_t, n_s = rec.output.worst()
    i1 = int(np.argmin(knorm - outs))
    i2 = int(np.argmin(chain - knorm))
    final = k * eta1 * (T1 + 1)
    parts = [
        Part("|N(x)| <= 1/2", n_val, 0.5, True, 1.0, "1", TOL, where={"t": n_t, "sample": n_s}),
        Part("|N(x)| <= k max_i ||w_i^(t)||", float(outs[i1]), float(knorm[i1]), True, 1.0, "1",
             TOL, where={"t": int(t[i1])}),
        Part("k max_i ||w_i^(t)|| <= k eta1 (t+1)", float(knorm[i2]), float(chain[i2]), True,
             1.0, "1", TOL, where={"t": int(t[i2]), "filter": rec.k_norm.where[i2]}),
        Part("k eta1 (T1+1) <= 1/2", final, 0.5, True, 1.0, "1", TOL,
             extra={"proof_gives": "k eta1 (T1+1) <= 1/4 under eta1 <= 1/(4k(T1+1))"}),
    ]
    details = {
        "per_step": {"t": rec.output.t, "max_abs_N": rec.output.value,
                     "max_abs_N_sample": rec.output.where, "k_max_w_norm": rec.k_norm.value},
        "proof_bound_k_eta1_T1p1": final,
        "max_abs_N_over_proof_bound": n_val / final,
        "stated_bound_over_max_abs_N": 0.5 / n_val if n_val > 0 else None,
    }
    return combine(CLAIM, STATEMENT, parts, params=params or {"k": k, "eta1": eta1},
                   assumptions=assumptions or {}, reproduce=reproduce, details=details)


def check_setting(setting: Setting, *, patterns: str = "haar") -> Evidence:
    """Run LW_CNN's first layer for ``setting`` and check Lemma C.2 at every step and sample of
    ``S_1``. A failed assumption is named, not skipped."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    rec = OutputRecorder()
    run_lw_cnn(setting, recorders=[rec], second=False, patterns=patterns)
    return check_recorder(
        rec, k=setting.k, eta1=setting.eta1,
        params={**setting.as_dict(), "patterns": patterns},
        assumptions=evaluate(setting, ASSUMPTIONS),
        reproduce=reproduce_snippet("lemma_c2", "check_setting", setting, patterns=patterns),
    )


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Lemma C.2 on the shared Section 5 regimes, plus one regime outside
    ``eta1 <= 1/(4k(T1+1))`` (``eta1`` 400 times larger)."""
    seed = check_seed("seed", seed)
    out = [check_setting(s) for s in regimes(profile, seed)]
    base = regimes("quick", seed)[1]
    out.append(check_setting(base.replace(eta1=400 * base.eta1, r=2 * base.eta1)))
    return out


def errata(seed: int = 0) -> list[Erratum]:
    """Lemma C.2's bound ``1/2`` is loose: its own proof gives ``k eta1 (T1+1) <= 1/4``."""
    s = regimes("quick", seed)[1]
    ev = check_setting(s)
    return [
        Erratum(
            location="Appendix C, Lemma C.2",
            kind="loose",
            text_says="|N[(W^(t), a^(0))](x)| <= 1/2 for x in S1, 0 <= t <= T1",
            what_is_true=(
                "the proof's chain |N| <= k eta1 (t+1) with eta1 <= 1/(4k(T1+1)) gives "
                "|N| <= 1/4; the measured max |N| is smaller still (random signs of a^(0) "
                "cancel). Harmless: Eq. 17 needs only |N| <= 1/2."
            ),
            evidence=(
                f"{ev.summary()}; max|N| / (k eta1 (T1+1)) = "
                f"{ev.details['max_abs_N_over_proof_bound']:.3g}"
            ),
            found_by="verify.claims.lemma_c2.check_setting",
        )
    ]


# ----------------------------------------------------------------------------- sweep (verify.sweep)


SWEEP = section5.sweep_spec(CLAIM, check_setting)


DECLARATION = ClaimDeclaration(
    key="lemma-c.2",
    title="Lemma C.2 (small outputs on S_1)",
    names=(CLAIM,),
    statement="|N[(W^(t), a^(0))](x)| <= 1/2 for x in S1, 0 <= t <= T1.",
    location="Appendix C, Lemma C.2",
    assumptions=ASSUMPTIONS,
    checkers=(check_recorder, check_setting),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    controls=(
        Control('k eta1 (T1 + 1) <= 0, so |N(x)| <= 0 (the constant 1/2 moved to 0)',
                bound_at(0.0),
                why='false for every T1 >= 0 and eta1 > 0: the first part of every row refutes it'),
    ),
)
