"""Lemma 5.3 (= Lemma C.3, Appendix C) and Corollary 5.4: the dynamics of the lucky filters.

Lemma 5.3: on the event of Eq. 14 (``|S_1+|, |S_1-| >= m_1/3``), for all ``0 <= t <= T1`` and
all ``i`` in ``W_0+ ∩ A+``:

1. ``o_1 . w_i^(t) >= t eta1 / 9`` (the text prints ``t eta1 / 0``; the proof, Eq. 20, has 9);
2. ``o_j . w_i^(t) <= r`` for every pattern ``j != 1``;
3. ``p_i^(t)(x+) = o_1`` for every positive ``x+`` in ``S_1``.

Corollary 5.4 is the mirror image: ``W_0- ∩ A-``, ``o_2`` and the negatives of ``S_1``. The proof
uses Lemma C.2 (so ``eta1 <= 1/(4k(T1+1))``) and ``r < eta1/9`` (implied by ``r <= eta1/200``).

:class:`LuckyRecorder` (one per sign) fixes the lucky filters at ``t = 0`` and keeps, at every
step: the smallest ``o_own . w_i^(t)`` over them, the largest ``o_j . w_i^(t)`` (``j != own``),
the number of (sample, lucky filter) pairs whose active pattern ``p_i^(t)(x)`` (the network's own
``state.step.top``) is not ``o_own``, and the smallest *detection margin*
``o_own . w_i - max(0, max_{o_j in x, j != own} o_j . w_i)``, which is positive exactly when
``p_i^(t)(x) = o_own`` (up to ties): each with the filter (and sample) attaining it. Memory is
``O(T1)``.

Slacks are in units of ``eta1``; the floating-point tolerance is ``1e-12 (T1+1)`` in those units,
i.e. ``1e-12`` relative to the largest value ``eta1 (T1+1)`` an entry of ``P`` can reach
(Lemma C.1), against slacks of order ``r/eta1 >= 1e-5`` and more.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verify._validate import check_positive_float, check_seed
from verify.claims import section_5_grids as section5
from verify.claims.section_5 import Part, StepWorst, combine, regimes, reproduce_snippet, run_lw_cnn
from verify.evidence import Erratum, Evidence, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.evidence.sweep_spec import Grid, parts_hold
from verify.model.assumptions import evaluate
from verify.model.lucky import lucky_filters
from verify.model.lw_cnn import FirstLayerState
from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "CLAIM_COROLLARY",
    "DECLARATION",
    "LuckyRecorder",
    "check_both",
    "check_recorder",
    "check_setting",
    "check_setting_corollary",
    "errata",
    "report_checks",
]

CLAIM = "Lemma 5.3"
CLAIM_COROLLARY = "Corollary 5.4"
STATEMENTS = {
    1: "On Eq. 14, for 0 <= t <= T1 and i in W0+ ∩ A+: o1.w_i^(t) >= t eta1/9, "
       "o_j.w_i^(t) <= r (j != 1), p_i^(t)(x+) = o1 for x+ in S1+",
    -1: "On Eq. 14, for 0 <= t <= T1 and i in W0- ∩ A-: o2.w_i^(t) >= t eta1/9, "
        "o_j.w_i^(t) <= r (j != 2), p_i^(t)(x-) = o2 for x- in S1-",
}
ASSUMPTIONS = ("eta1<=1/(4k(T1+1))", "r<=eta1/200")
TOL = 1e-12


class LuckyRecorder:
    """Streaming recorder of Lemma 5.3 (``sign=+1``) or Corollary 5.4 (``sign=-1``).

    The lucky filters are fixed from the state at ``t = 0`` (``lucky_filters(P^(0), a^(0))``),
    unless ``mask`` is given. Attributes after a run: ``own`` (StepWorst min of ``o_own . w_i``),
    ``other`` (StepWorst max of ``o_j . w_i``, ``j != own``, where = ``(filter, pattern)``),
    ``margin`` (StepWorst min of the detection margin, where = ``(filter, sample of S_1)``),
    ``mismatches`` (per-step count of pairs with ``p_i^(t)(x) != o_own``), ``first_mismatch``.
    """

    def __init__(self, sign: int = 1, *, mask: np.ndarray | None = None) -> None:
        if sign not in (1, -1):
            raise ValueError(f"sign must be +1 or -1, got {sign!r}")
        self.sign = sign
        self.own_col = 0 if sign == 1 else 1
        self.mask = None if mask is None else np.asarray(mask, dtype=bool)
        self.filters: np.ndarray | None = None
        self.samples: np.ndarray | None = None
        self.own = StepWorst("min")
        self.other = StepWorst("max")
        self.margin = StepWorst("min")
        self.mismatches: list[int] = []
        self.first_mismatch: dict[str, int] | None = None

    def _start(self, state: FirstLayerState) -> None:
        if self.mask is None:
            plus, minus = lucky_filters(state.P, state.a0)
            self.mask = plus if self.sign == 1 else minus
        if self.mask.shape != (state.P.shape[0],):
            raise ValueError(f"mask must have length k = {state.P.shape[0]}")
        self.filters = np.flatnonzero(self.mask)
        self.samples = np.flatnonzero(state.y1 == self.sign)
        self._cols = np.delete(np.arange(state.P.shape[1]), self.own_col)
        L, S = self.filters, self.samples
        self._pair_where = np.stack(np.meshgrid(L, self._cols, indexing="ij"), axis=-1)
        self._pair_where = self._pair_where.reshape(-1, 2)
        self._margin_where = np.stack(np.meshgrid(L, S, indexing="ij"), axis=-1).reshape(-1, 2)

    def on_step(self, state: FirstLayerState) -> None:
        if self.filters is None:
            self._start(state)
        L, S, c = self.filters, self.samples, self.own_col
        t = state.t
        PL = state.P[L]
        self.own.add(t, PL[:, c], where=L)
        self.other.add(t, PL[:, self._cols], where=self._pair_where)
        idx = state.idx1[S]  # samples with the own pattern
        if len(L) and len(S):
            vals = PL[:, idx]  # (L, |S|, n): o_{x[j]} . w_i
            vals = np.where(idx[None, :, :] == c, -np.inf, vals)
            rival = np.maximum(vals.max(axis=2), 0.0)
            margin = PL[:, c][:, None] - rival
            self.margin.add(t, margin, where=self._margin_where)
            top = state.step.top[np.ix_(S, L)]
            bad = top != c
            count = int(bad.sum())
            if count and self.first_mismatch is None:
                s_, i_ = np.argwhere(bad)[0]
                self.first_mismatch = {"t": t, "sample": int(S[s_]), "filter": int(L[i_]),
                                       "top": int(top[s_, i_])}
        else:
            self.margin.add(t, np.empty(0))
            count = 0
        self.mismatches.append(count)


def check_recorder(
    rec: LuckyRecorder,
    *,
    eta1: float,
    r: float,
    balanced: bool,
    params: dict[str, Any] | None = None,
    assumptions: dict[str, bool] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Evidence for Lemma 5.3 (``rec.sign = +1``) or Corollary 5.4 (``-1``) from a recorder that
    watched a whole first layer. ``balanced`` is the event of Eq. 14 for that run's ``S_1``: if it
    fails the verdict is NOT_APPLICABLE (the lemma is conditioned on it)."""
    if not isinstance(rec, LuckyRecorder):
        raise ValueError(f"rec must be a LuckyRecorder, got {type(rec).__name__}")
    eta1 = check_positive_float("eta1", eta1)
    r = check_positive_float("r", r)
    if not rec.own.t:
        raise ValueError("rec has recorded no step: run the first layer with it first")
    claim = CLAIM if rec.sign == 1 else CLAIM_COROLLARY
    o = "o1" if rec.sign == 1 else "o2"
    t = np.array(rec.own.t, dtype=np.float64)
    T1 = int(t.max())
    tol = TOL * (T1 + 1)
    own = np.array(rec.own.value)
    other = np.array(rec.other.value)
    n_lucky = len(rec.filters)
    params = params or {"eta1": eta1, "r": r}
    details: dict[str, Any] = {
        "lucky_filters": n_lucky,
        "samples_with_own_pattern": len(rec.samples),
        "event_14": balanced,
        "per_step": {
            "t": rec.own.t,
            "min_own_over_eta1_minus_t_over_9": ((own / eta1) - t / 9).tolist(),
            "min_own_filter": rec.own.where,
            "max_other_over_r": (other / r).tolist(),
            "max_other_at": rec.other.where,
            "min_margin_over_eta1": (np.array(rec.margin.value) / eta1).tolist(),
            "mismatched_pairs": rec.mismatches,
        },
    }
    if T1 >= 2:
        details["plot"] = {
            "title": f"{claim}: min over lucky filters of {o}.w_i(t)",
            "xlabel": "t (gradient steps of the first layer)",
            "ylabel": f"min_i {o}.w_i(t) / eta1 (units of eta1)",
            "logx": False, "logy": False,
            "series": [
                {"label": f"observed: min over the {n_lucky} lucky filters i",
                 "x": rec.own.t, "y": (own / eta1).tolist(), "style": "points"},
                {"label": "stated lower bound t / 9", "x": rec.own.t, "y": (t / 9).tolist(),
                 "style": "bound"},
            ],
            "note": "one run (one seed); the minimum over the lucky filters is the worst case",
        }
    not_app = ""
    if not balanced:
        not_app = "the event of Eq. 14 (|S1+|, |S1-| >= m1/3) fails for this S1"
    elif n_lucky == 0:
        not_app = f"no lucky filters (W0{'+' if rec.sign == 1 else '-'} ∩ A): vacuous"
    if n_lucky == 0:
        return combine(claim, STATEMENTS[rec.sign], [], params=params,
                       assumptions=assumptions or {}, reproduce=reproduce,
                       not_applicable=not_app, details=details)
    s1 = own / eta1 - t / 9
    i1 = int(np.argmin(s1))
    s2 = (r - other) / eta1
    i2 = int(np.argmin(s2))
    m_val, m_t, m_where = rec.margin.worst()
    total_bad = int(sum(rec.mismatches))
    parts = [
        Part(f"{o}.w_i^(t) >= t eta1/9", float(own[i1]), float(t[i1] * eta1 / 9), False, eta1,
             "eta1", tol, where={"t": int(t[i1]), "filter": rec.own.where[i1]}),
        Part("o_j.w_i^(t) <= r (j != own)", float(other[i2]), r, True, eta1, "eta1", tol,
             where={"t": int(t[i2]), "filter_pattern": rec.other.where[i2]},
             extra={"slack_in_units_of_r": float((r - other[i2]) / r)}),
    ]
    if rec.samples is not None and len(rec.samples):
        parts.append(Part(
            f"p_i^(t)(x) = {o} on S1 (detection margin >= 0)", m_val, 0.0, False, eta1, "eta1",
            tol, where={"t": m_t, "filter_sample": m_where},
            verdict_override=Verdict.FAILS if total_bad else None,
            extra={"mismatched_pairs_total": total_bad, "first_mismatch": rec.first_mismatch}))
    return combine(claim, STATEMENTS[rec.sign], parts, params=params,
                   assumptions=assumptions or {}, reproduce=reproduce, not_applicable=not_app,
                   details=details)


def check_both(setting: Setting, *, patterns: str = "haar") -> tuple[Evidence, Evidence]:
    """Run LW_CNN's first layer once for ``setting`` and check Lemma 5.3 and Corollary 5.4 at
    every step, lucky filter and sample. A failed assumption is named, not skipped; a failed
    event of Eq. 14 gives NOT_APPLICABLE."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    recs = [LuckyRecorder(1), LuckyRecorder(-1)]
    run = run_lw_cnn(setting, recorders=recs, second=False, patterns=patterns)
    params = {**setting.as_dict(), "patterns": patterns}
    held = evaluate(setting, ASSUMPTIONS)
    out = []
    for rec, fn in zip(recs, ("check_setting", "check_setting_corollary"), strict=True):
        out.append(check_recorder(
            rec, eta1=setting.eta1, r=setting.r, balanced=run.balanced, params=params,
            assumptions=held,
            reproduce=reproduce_snippet("lemma_5_3", fn, setting, patterns=patterns)))
    return out[0], out[1]


def check_setting(setting: Setting, *, patterns: str = "haar") -> Evidence:
    """Lemma 5.3 for ``setting`` (see :func:`check_both`)."""
    return check_both(setting, patterns=patterns)[0]


def check_setting_corollary(setting: Setting, *, patterns: str = "haar") -> Evidence:
    """Corollary 5.4 for ``setting`` (see :func:`check_both`)."""
    return check_both(setting, patterns=patterns)[1]


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Lemma 5.3 and Corollary 5.4 on the shared Section 5 regimes (one first-layer run each),
    plus two regimes outside the assumptions: ``r = 2 eta1`` (``r <= eta1/200`` fails; the
    lemma survives it, because ``o_own . w_i`` never decreases and ``o_j . w_i`` never increases,
    so the order at ``t = 0`` is kept, whatever ``r``) and ``eta1`` 1000 times the largest allowed
    (``|N| <= 1/2`` is lost and item 1 fails)."""
    seed = check_seed("seed", seed)
    out: list[Evidence] = []
    for s in regimes(profile, seed):
        out.extend(check_both(s))
    base = regimes("quick", seed)[0].replace(n=4, T1=3, m=40)
    base = base.replace(eta1=1.0 / (4 * base.k * (base.T1 + 1)))
    out.extend(check_both(base.replace(r=2.0 * base.eta1)))
    out.extend(check_both(base.replace(eta1=1000.0 * base.eta1)))
    return out


def errata(seed: int = 0) -> list[Erratum]:
    """Lemma 5.3, item 1 is printed ``t eta1 / 0``; the proof (Eq. 20) and Corollary 5.4 have
    ``t eta1 / 9``, which is what is checked and holds."""
    s = regimes("quick", seed)[1]
    ev = check_setting(s)
    return [
        Erratum(
            location="Section 5, Lemma 5.3, item 1",
            kind="typo",
            text_says="o_1 . w_i^(t) >= t eta1 / 0",
            what_is_true="o_1 . w_i^(t) >= t eta1 / 9 (Lemma C.3, Eq. 20; Corollary 5.4)",
            evidence=f"checked with t eta1/9 at every step and lucky filter: {ev.summary()}",
            found_by="verify.claims.lemma_5_3.check_setting",
        )
    ]


# ----------------------------------------------------------------------------- sweep (verify.sweep)


_RATE_GRIDS = {
    "quick": Grid(section5.regimes((3, 4, 5, 6), (10,), (60,)), 20),
    "standard": Grid(section5.regimes((3, 4, 5, 6, 8, 10), (10, 100), (60, 200)), 25),
    "thorough": Grid(section5.regimes(section5.PAPER_D, (1, 10, 100), (60, 200, 1000),
                                      fractions=(1.0, 0.5, 0.1), ns=(3, 5)), 200),
}
SWEEP = (
    section5.sweep_spec(CLAIM, check_setting, batch=2,
                        note=f"{section5.NOTE}; NOT_APPLICABLE where Eq. 14 fails"),
    section5.sweep_spec(CLAIM_COROLLARY, check_setting_corollary, _RATE_GRIDS,
                        event=parts_hold, probability=section5.probability_eq_14, batch=2,
                        note="event: every part holds (evaluated even where Eq. 14 fails); "
                        "stated probability 1 - 4e^{-m/36} (the event of Eq. 14)"),
)


DECLARATION = ClaimDeclaration(
    key="lemma-5.3",
    title="Lemma 5.3 and Corollary 5.4 (lucky filter dynamics)",
    names=(CLAIM, CLAIM_COROLLARY),
    statement=(
        "On Eq. 14: o1.w_i^(t) >= t eta1/9, o_j.w_i^(t) <= r (j != 1), p_i^(t)(x+) = o1; mirror."
    ),
    location="Section 5, Lemma 5.3 and Corollary 5.4; proofs in Appendix C",
    assumptions=ASSUMPTIONS,
    checkers=(check_recorder, check_setting, check_setting_corollary, check_both),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    controls=(
        Control('every positive bound twice as tight: o_j.w_i^(t) <= r/2 (j != 1)',
                tightened(2),
                why='the off-pattern responses reach close to r at initialisation'),
        Control('every positive bound twice as tight: o_j.w_i^(t) <= r/2 (j != 2)',
                tightened(2),
                claim='Corollary 5.4',
                why='the off-pattern responses reach close to r at initialisation'),
    ),
)
