"""Lemma 5.5 (proof in Appendix D): every filter's response to every pattern stays small.

The claim: for all ``1 <= t <= T1``, all filters ``i``, all positions ``j`` and every ``x`` drawn
from D, ``x[j] . w_i^(t) <= 2 eta1 t``. (The statement writes ``1 <= j <= d``; ``x`` has ``n``
positions, so it should read ``1 <= j <= n``: :func:`errata`.) The proof: ``||w_i^(t)|| <=
eta1 (t+1) <= 2 eta1 t`` for ``t >= 1`` (Lemma C.1, so ``r <= eta1``) and ``||x[j]|| = 1``.

The supremum over the whole support of D is exact and cheap: each position of a support point
holds a pattern, and every pattern that can appear somewhere does (``o_1`` in positives, ``o_2`` in
negatives, the spurious ones when ``n >= 2``), so

    max_{x in supp D, j} x[j] . w_i^(t) = max_{p that can appear} (W^(t) O^T)[i, p].

:class:`ResponseRecorder` records that maximum at every step (with the filter and pattern); with
``fresh`` points it also computes ``max_{s, i} z(x_s)_i = max(0, max_{s, j, i} x_s[j] .
w_i^(t))`` with the dense network (:func:`verify.model.network.features` on the dense ``W^(t)`` and
dense inputs), and records how far it is from the same maximum over the patterns those points
contain (they agree to rounding), which shows the shortcut is right.

Slack in units of ``eta1``; tolerance ``1e-12 (T1+1)`` (relative ``1e-12`` to ``eta1 (T1+1)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verify._validate import check_array, check_int, check_positive_float, check_seed
from verify.claims import section_5_grids as section5
from verify.claims.section_5 import (
    Part,
    StepWorst,
    combine,
    fresh_samples,
    regimes,
    reproduce_snippet,
    run_lw_cnn,
)
from verify.evidence import Erratum, Evidence
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model import network
from verify.model.assumptions import evaluate
from verify.model.distribution import dense
from verify.model.lw_cnn import FirstLayerState
from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "DECLARATION",
    "STATEMENT",
    "ResponseRecorder",
    "appearing_patterns",
    "check_recorder",
    "check_setting",
    "errata",
    "report_checks",
]

CLAIM = "Lemma 5.5"
STATEMENT = "For 1 <= t <= T1, all i, all positions j and x in supp D: x[j].w_i^(t) <= 2 eta1 t"
ASSUMPTIONS = ("r<=eta1",)
TOL = 1e-12
DENSE_AGREEMENT_TOL = 1e-12


def appearing_patterns(n: int, l: int) -> np.ndarray:
    """Indices of the patterns that occur in some point of supp D: ``o_1``, ``o_2`` and, when
    ``n >= 2``, the spurious ``o_3..o_l``."""
    n = check_int("n", n, low=1)
    l = check_int("l", l, low=3)
    return np.arange(l) if n >= 2 else np.array([0, 1])


class ResponseRecorder:
    """Streaming recorder of ``max_{i, p appearing} P^(t)[i, p]`` per step (where = ``(filter,
    pattern)``) and, with ``fresh = (idx, patterns)``, the dense maximum over those points and its
    difference from the pattern-coordinate maximum over the patterns they contain."""

    def __init__(self, n: int, l: int, *, fresh_idx: object | None = None) -> None:
        self.cols = appearing_patterns(n, l)
        self.best = StepWorst("max")
        self.fresh_idx = None if fresh_idx is None else check_array(
            "fresh_idx", fresh_idx, ndim=2, dtype=int)
        self.dense_max: list[float] = []
        self.dense_gap: list[float] = []
        self._where: np.ndarray | None = None

    def on_step(self, state: FirstLayerState) -> None:
        P = state.P
        if self._where is None:
            k = P.shape[0]
            self._where = np.stack(
                np.meshgrid(np.arange(k), self.cols, indexing="ij"), axis=-1).reshape(-1, 2)
        self.best.add(state.t, P[:, self.cols], where=self._where)
        if self.fresh_idx is not None:
            # The dense network's pooled features z(x)_i = max_j relu(w_i . x[j]) (Eq. 1).
            X = dense(self.fresh_idx, state.patterns)
            dmax = float(np.max(network.features(state.dense_W(), X)[0]))
            present = np.unique(self.fresh_idx)
            pmax = max(0.0, float(np.max(P[:, present])))
            self.dense_max.append(dmax)
            self.dense_gap.append(abs(dmax - pmax))


def check_recorder(
    rec: ResponseRecorder,
    *,
    eta1: float,
    params: dict[str, Any] | None = None,
    assumptions: dict[str, bool] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Evidence for Lemma 5.5 from a recorder that watched a whole first layer (steps
    ``t >= 1``; with ``T1 = 0`` there is nothing to check: NOT_APPLICABLE)."""
    if not isinstance(rec, ResponseRecorder):
        raise ValueError(f"rec must be a ResponseRecorder, got {type(rec).__name__}")
    eta1 = check_positive_float("eta1", eta1)
    if not rec.best.t:
        raise ValueError("rec has recorded no step: run the first layer with it first")
    t = np.array(rec.best.t, dtype=np.float64)
    T1 = int(t.max())
    vals = np.array(rec.best.value)
    params = params or {"eta1": eta1}
    details: dict[str, Any] = {
        "per_step": {"t": rec.best.t, "max_response_over_eta1": (vals / eta1).tolist(),
                     "at_filter_pattern": rec.best.where},
        "patterns_that_appear": rec.cols.tolist(),
        "t0_max_response_over_eta1": float(vals[0] / eta1),
    }
    if T1 < 1:
        return combine(CLAIM, STATEMENT, [], params=params, assumptions=assumptions or {},
                       reproduce=reproduce, not_applicable="T1 = 0: no step 1 <= t <= T1",
                       details=details)
    sel = t >= 1
    slack = (2 * eta1 * t - vals) / eta1
    slack[~sel] = np.inf
    i = int(np.argmin(slack))
    parts = [Part("x[j].w_i^(t) <= 2 eta1 t", float(vals[i]), float(2 * eta1 * t[i]), True,
                  eta1, "eta1", TOL * (T1 + 1),
                  where={"t": int(t[i]), "filter_pattern": rec.best.where[i]},
                  extra={"ratio_bound_over_observed": float(2 * eta1 * t[i] / vals[i])
                         if vals[i] > 0 else None})]
    if rec.dense_max:
        gap = float(max(rec.dense_gap))
        details["dense_fresh_max_over_eta1"] = (np.array(rec.dense_max) / eta1).tolist()
        details["dense_vs_pattern_max_gap"] = gap
        parts.append(Part("dense fresh max = pattern max over their patterns", gap,
                          DENSE_AGREEMENT_TOL * eta1 * (T1 + 1), True, eta1, "eta1", 0.0,
                          extra={"note": "agreement of two computations, not a paper bound"}))
    return combine(CLAIM, STATEMENT, parts, params=params, assumptions=assumptions or {},
                   reproduce=reproduce, details=details)


def check_setting(setting: Setting, *, patterns: str = "haar", fresh: int = 0) -> Evidence:
    """Run LW_CNN's first layer for ``setting`` and check Lemma 5.5 at every step ``t >= 1``
    over the whole support of D (exactly), and over ``fresh`` dense draws if ``fresh > 0``.
    A failed assumption is named, not skipped."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    fresh = check_int("fresh", fresh, low=0)
    fidx = fresh_samples(setting, fresh, "lemma-5.5")[0] if fresh else None
    rec = ResponseRecorder(setting.n, setting.l, fresh_idx=fidx)
    run_lw_cnn(setting, recorders=[rec], second=False, patterns=patterns)
    return check_recorder(
        rec, eta1=setting.eta1, params={**setting.as_dict(), "patterns": patterns,
                                        "fresh": fresh},
        assumptions=evaluate(setting, ASSUMPTIONS),
        reproduce=reproduce_snippet("lemma_5_5", "check_setting", setting, patterns=patterns,
                                    fresh=fresh),
    )


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Lemma 5.5 on the shared Section 5 regimes, each also over 200 fresh dense draws, plus one
    regime outside ``r <= eta1`` (``r = 3 eta1``, ``T1 = 1``) where the bound can fail."""
    seed = check_seed("seed", seed)
    out = [check_setting(s, fresh=200) for s in regimes(profile, seed)]
    base = regimes("quick", seed)[0]
    out.append(check_setting(base.replace(r=3.0 * base.eta1), fresh=200))
    return out


def errata(seed: int = 0) -> list[Erratum]:
    """The statement's ``1 <= j <= d`` ranges over positions, of which there are ``n``."""
    s = regimes("quick", seed)[1]  # n = 5 != d = 4
    ev = check_setting(s, fresh=50)
    return [
        Erratum(
            location="Section 5, Lemma 5.5 (and Appendix D)",
            kind="typo",
            text_says="for all ... 1 <= j <= d ... x[j] . w_i^(t) <= 2 eta1 t",
            what_is_true=(
                "j indexes the n positions of x (x = (x[1], ..., x[n])): 1 <= j <= n. With "
                "that reading the lemma holds"
            ),
            evidence=f"checked over positions j = 1..n (n = {s.n}, d = {s.d}): {ev.summary()}",
            found_by="verify.claims.lemma_5_5.check_setting",
        )
    ]


# ----------------------------------------------------------------------------- sweep (verify.sweep)


SWEEP = section5.sweep_spec(CLAIM, check_setting)


DECLARATION = ClaimDeclaration(
    key="lemma-5.5",
    title="Lemma 5.5 (all filters stay small)",
    names=(CLAIM,),
    statement="x[j].w_i^(t) <= 2 eta1 t for 1 <= t <= T1, all i, j and x drawn from D.",
    location="Section 5, Lemma 5.5; proof in Appendix D",
    assumptions=ASSUMPTIONS,
    checkers=(check_recorder, check_setting),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    controls=(
        Control('x[j].w_i^(t) <= eta1 t / 5 (the bound divided by 10)',
                tightened(10),
                why='the largest response is about a sixth of 2 eta1 t at the sizes run'),
    ),
)
