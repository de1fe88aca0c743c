"""Beyond the model: where the conclusions of Section 5 and the end-to-end result survive when
the patterns are only nearly orthogonal (coherence ``mu``) and the inputs are noisy (``sigma``).

This is a map outside the paper's assumptions, not a check of the paper: every row names the two
relaxed assumptions (:data:`~verify.claims.beyond_the_model.rows.OUTSIDE`) as failing, so no row
counts as a failure of the paper or changes the report's exit status. For each regime (a setting
inside Theorem 5.1's step-size assumptions, ``k = 8d^3 + 1``) and each cell ``(mu, sigma)`` of a
grid, LW_CNN is run for several seeds
(:func:`~verify.claims.beyond_the_model.run.evaluate_point`); each conclusion of
:data:`~verify.claims.beyond_the_model.run.CONCLUSIONS` is read off the Section 5 checkers' own
evidence, and its success rate (with a Clopper-Pearson interval), its measured boundary and its
first-order predicted boundary (:mod:`~verify.claims.beyond_the_model.predictions`) make one row
with a phase diagram (:mod:`~verify.claims.beyond_the_model.rows`). A last row puts LW_CNN's test
error beside the SVM's of Section 7 at the same ``m``.

At ``mu = sigma = 0`` the run takes the pattern fast path and its evidence is the Section 5
checkers' evidence for the same setting, bit for bit; the dense path at ``mu = sigma = 0`` agrees
with it to rounding (both are tested).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from verify._validate import check_seed
from verify.claims._parts import every_cell
from verify.claims.beyond_the_model.predictions import predicted_boundary
from verify.claims.beyond_the_model.rows import (
    NAMES,
    OUTSIDE,
    conclusion_row,
    errors_row,
    outside_assumptions,
)
from verify.claims.beyond_the_model.run import CONCLUSIONS, Outcome, evaluate_point
from verify.claims.section_5 import PROFILES, theorem_setting
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control
from verify.evidence.sweep_spec import Grid, SweepSpec, product
from verify.model.relaxed import RelaxedModel
from verify.model.setting import Setting

__all__ = [
    "CONCLUSIONS",
    "DECLARATION",
    "GRIDS",
    "NAMES",
    "SWEEP",
    "TWINS",
    "check_grid",
    "evaluate_point",
    "predicted_boundary",
    "regime",
    "report_checks",
    "sweep_evidence",
]

FRESH = 50
"""Fresh noisy draws that join ``S_1`` in Lemma 5.5's maximum."""

_STEP = tuple(round(0.05 * i, 2) for i in range(11))
_FINE = (0.0, 0.005, 0.01, 0.02, 0.03, 0.04, *_STEP[1:])
GRIDS: dict[str, dict[str, Any]] = {
    "quick": {"mu": (0.0, 0.25, 0.5), "sigma": (0.0, 0.25, 0.5), "d": (3,), "seeds": 3,
              "mlp": False},
    "standard": {"mu": _STEP, "sigma": _FINE, "d": (3, 4), "seeds": 10,
                 "mlp": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)},
    "thorough": {"mu": _STEP, "sigma": _FINE, "d": (3, 4, 5), "seeds": 30, "mlp": True},
}
"""The report's grids per profile: ``mu`` and ``sigma`` values, dimensions ``d``, seeds per
cell and where Section 7's MLP is trained beside the SVM (``True``: every cell; a tuple: the cells
whose ``mu`` and ``sigma`` are both in it; about 0.1 s a run, 6 times a run without it).
``standard`` covers [0, 0.5]^2 in steps of 0.05 (each boundary to half a step, 0.025) at two
``d``, with finer ``sigma`` below 0.05, where noise breaks Lemma 5.3 (there to 0.005)."""


def regime(d: int, seed: int) -> Setting:
    """The regime of one ``d``: ``l = d``, ``n = 4``, ``k = 8d^3 + 1``, ``m = 60``, ``T1 = 10``
    with the largest ``eta1`` and ``r`` Theorem 5.1 allows, ``eta2 = 0.9 (8k)``, ``T2 = 200``."""
    return theorem_setting(d, d, 4, 8 * d**3 + 1, 60, 10, seed, T2=200)


def check_grid(d: int, mus: Sequence[float], sigmas: Sequence[float], seeds: int,
               seed: int = 0, *, mlp: bool | Sequence[float] = False) -> list[Evidence]:
    """The section's rows for one ``d``: one per conclusion of Section 5, then LW_CNN against
    the SVM (:func:`~verify.claims.beyond_the_model.rows.errors_row`). Seed ``i``
    of each cell is ``seed + i`` (the same draws in every cell: only ``mu``, ``sigma`` move)."""
    seed = check_seed("seed", seed)
    outs: dict[tuple[float, float], list[Outcome]] = {}
    for mu in mus:
        for sigma in sigmas:
            model = RelaxedModel(mu, sigma)
            outs[(float(mu), float(sigma))] = [
                evaluate_point(regime(d, seed + i), model, fresh=FRESH,
                               mlp=_mlp_at(mlp, mu, sigma))
                for i in range(seeds)]
    setting = regime(d, seed)
    call = (f"from verify.claims.beyond_the_model import check_grid; "
            f"[print(e.summary()) for e in check_grid({d}, {list(mus)!r}, {list(sigmas)!r}, "
            f"{seeds}, {seed}, mlp={mlp})]")
    rows = [conclusion_row(c, setting, mus, sigmas,
                           {k: [o.holds[c] for o in v] for k, v in outs.items()},
                           reproduce=call, fresh=FRESH) for c in CONCLUSIONS
            if c != "cnn_beats_svm"]
    rows.append(errors_row(setting, mus, sigmas,
                           {k: [(o.cnn_error, o.svm_error, o.mlp_error) for o in v]
                            for k, v in outs.items()},
                           reproduce=call))
    return rows


def _mlp_at(mlp: bool | Sequence[float], mu: float, sigma: float) -> bool:
    """Whether the MLP is trained at ``(mu, sigma)``: everywhere (``True``), nowhere
    (``False``) or where both are among the given values."""
    if isinstance(mlp, bool):
        return mlp
    return mu in mlp and sigma in mlp


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """The section at ``profile`` (:data:`GRIDS`): the rows of :func:`check_grid` for each
    ``d``."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    g = GRIDS[profile]
    out: list[Evidence] = []
    for d in g["d"]:
        out.extend(check_grid(d, g["mu"], g["sigma"], g["seeds"], seed, mlp=g["mlp"]))
    return out


# ----------------------------------------------------------------------------- sweep (verify.sweep)


@functools.lru_cache(maxsize=8)
def _outcome(d: int, mu: float, sigma: float, seed: int) -> Outcome:
    """One run, cached: the sweep's conclusions of one regime and seed share it."""
    return evaluate_point(regime(d, seed), RelaxedModel(mu, sigma), fresh=FRESH)


def sweep_evidence(conclusion: str, params: dict[str, Any], seed: int) -> Evidence:
    """One sweep task: ``conclusion`` at ``params = {"mu", "sigma", "d"}`` and ``seed``, as
    evidence that holds or fails (not applicable where Eq. 14 fails or no lucky filter exists),
    outside the paper's assumptions unless ``mu = sigma = 0``."""
    if conclusion not in CONCLUSIONS:
        raise ValueError(f"conclusion must be one of {sorted(CONCLUSIONS)}, got {conclusion!r}")
    o = _outcome(int(params["d"]), float(params["mu"]), float(params["sigma"]), seed)
    ok = o.holds[conclusion]
    verdict = (Verdict.NOT_APPLICABLE if ok is None else Verdict.HOLDS if ok else Verdict.FAILS)
    exact = params["mu"] == 0 and params["sigma"] == 0
    assumptions = dict(zip(OUTSIDE, (params["mu"] == 0, params["sigma"] == 0), strict=True))
    if exact:  # the anchor: D itself; a map row all the same, never a failure of the paper
        assumptions = outside_assumptions()
    return Evidence(
        claim=NAMES[conclusion], statement=CONCLUSIONS[conclusion], verdict=verdict,
        observed=float(bool(ok)), bound=1.0, slack=0.0 if ok else -1.0,
        params={**params, "seed": seed}, assumptions=assumptions,
        reason="" if ok else "outside the paper's model: the conclusion does not survive",
        details=o.as_dict(),
        reproduce=(f"from verify.claims.beyond_the_model import sweep_evidence; print("
                   f"sweep_evidence({conclusion!r}, {params!r}, {seed}).summary())"),
        strength=Strength.STATISTICAL)


def _sweep_grids() -> dict[str, Grid]:
    return {
        "quick": Grid(product(mu=(0.0, 0.5), sigma=(0.0, 0.5), d=(3,)), 1),
        "standard": Grid(product(mu=_STEP, sigma=_FINE, d=(3, 4)), 10),
        "thorough": Grid(product(mu=_STEP, sigma=_FINE, d=(3, 4, 5)), 30),
    }


def _evaluators() -> dict[str, Any]:
    """One module-level function per conclusion (a worker finds each by its module)."""
    def make(c: str):
        def evaluate(params: dict[str, Any], seed: int) -> Evidence:
            return sweep_evidence(c, params, seed)
        evaluate.__name__ = evaluate.__qualname__ = f"evaluate_{c}"
        return evaluate
    return {c: make(c) for c in CONCLUSIONS}


_EVALUATE = _evaluators()
SWEEP: tuple[SweepSpec, ...] = tuple(
    SweepSpec(NAMES[c], _sweep_grids(), _EVALUATE[c], batch=4,
              note=f"{CONCLUSIONS[c]}; over (mu, sigma, d, seed), outside the paper's model")
    for c in CONCLUSIONS)

TWINS: dict[str, str] = {
    "alignment": "Lemma 5.3's alignment (o_own.w_i^(t) >= t eta1/9) survives in every cell of "
                 "the grid",
    "off_pattern": "Lemma 5.3's item 2 (o_j.w_i^(t) <= r for every j != own) survives in every "
                   "cell of the grid",
    "argmax": "Lemma 5.3's argmax (p_i^(t)(x) = o_own on S1) survives in every cell of the grid",
    "response": "Lemma 5.5's bound (x[j].w_i^(t) <= 2 eta1 t) survives in every cell of the grid",
    "output": "Lemma C.2's bound (outputs at most 1/2 on S1) survives in every cell of the grid",
    "separable": "S2's features z(x) stay linearly separable in every cell of the grid",
    "cnn_beats_svm": "LW_CNN stays ahead of the SVM in every cell of the grid",
}
"""Each conclusion's false twin, by key (:data:`CONCLUSIONS`): the conclusion survives in every
cell of the (mu, sigma) grid (:func:`verify.claims._parts.every_cell` re-judges that
conclusion's own rows)."""


DECLARATION = ClaimDeclaration(
    key="beyond-the-model",
    title="Beyond the model: nearly orthogonal patterns and noisy inputs",
    names=tuple(NAMES.values()),
    statement=("Outside the paper's assumptions: where Section 5's steps and LW_CNN's advantage "
               "over the SVM survive coherence mu and noise sigma."),
    location="Section 3 (the model D it relaxes), Section 5, Appendices C-E, Section 7",
    assumptions=OUTSIDE,
    checkers=(check_grid, sweep_evidence),
    report_checks=report_checks,
    sweeps=SWEEP,
    controls=tuple(
        Control(TWINS[c], every_cell, claim=NAMES[c],
                why="the grid reaches coherence and noise where the Section 5 steps break")
        for c in CONCLUSIONS),
)
