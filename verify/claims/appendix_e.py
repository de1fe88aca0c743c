"""Appendix E (Theorem 5.1, part 3): the second layer.

With ``z(x)_i = max_j relu(w_i^(T1) . x[j])`` (the pooled features, via
:func:`verify.model.network.pattern_features`), Appendix E claims, on the events of Eq. 14 and
Lemma 5.2 (Eq. 7):

1. ``v*`` (``80d/(k eta1 T1)`` on ``W_0+ ∩ A+``, ``-80d/(k eta1 T1)`` on ``W_0- ∩ A-``, 0
   elsewhere) separates ``D_z`` with margin 1: ``y z(x) . v* > 1`` on the whole support of D;
2. ``||v*||^2 <= 2 80^2 d / (k eta1^2 T1^2)`` (uses Lemma 5.2's upper bound ``k/d``);
3. ``||z(x)||^2 <= 4 k eta1^2 T1^2`` (Lemma 5.5);
4. ``sigma_max(Z)^2 <= ||Z||_F^2 <= 4 m2 k eta1^2 T1^2 <= m2/(4k)``, hence
   ``eta2 < 8k <= 2 m2 / sigma_max(Z)^2``: Soudry et al.'s step-size condition with ``beta = 1``
   (the logistic loss is in fact ``1/4``-smooth, so ``eta2 < 8 m2 / sigma_max(Z)^2`` suffices:
   the paper's condition is valid but 4 times tighter than needed);
5. gradient descent on ``a`` (:func:`verify.model.lw_cnn.second_layer`) drives ``L_2`` to 0 and
   ``a(t)/||a(t)||`` to ``a_hat/||a_hat||``, the min-norm margin-1 separator of the ``z(x)`` in
   ``S_2`` (Eq. 25).

What is checked, and how (:func:`check_run`):

- (1) exactly over the enumerated support of D (:func:`verify.model.distribution.enumerate_support`)
  when it has at most :data:`~verify.claims.second_layer.SUPPORT_LIMIT` points, else over fresh
  draws; (3) by the exact maximum over the enumerated support and, always, by
  ``sum_i max_p relu(P[i, p])^2`` over the patterns that can appear, an upper bound of
  ``||z(x)||^2`` on the whole support;
- (5) by :func:`descend`: ``L_2`` non-increasing at every step, and below the standard bound for
  gradient descent on a convex ``beta``-smooth function with ``eta2 <= 1/beta`` (here
  ``beta = sigma_max(Z)^2/(4 m2)``): for every ``u``, ``L_2(a(t)) <= L_2(u) + ||a(0) - u||^2 /
  (2 eta2 t)``, taken at ``u = s a_hat`` minimised over a grid of ``s``. That bound is not the
  paper's; it makes "``L_2 -> 0``" checkable at finite ``t``. The first ``t`` with ``L_2 <=``
  ``tol``, a power-law fit of ``L_2`` against ``t`` and the cosine between ``a(t)`` and
  ``a_hat`` at checkpoints are reported (Soudry's directional convergence is logarithmic, so the
  cosine is reported, not required to reach 1).

Conditioning: a part whose event fails (Eq. 14 or Lemma 5.2 for (1); Lemma 5.2's upper bound for
(2)) is marked not applicable, evaluated anyway, and named in ``reason``; the other parts do not
depend on those events. Slacks: (1) in units of 1, the norm bounds relative to the bound, the
descent parts relative to ``L_2(0)``. Tolerance ``1e-12`` in those units (rounding only).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verify._validate import (
    check_int,
    check_positive_float,
    check_seed,
)
from verify.claims import section_5_grids as section5
from verify.claims.appendix_e_chain import margin_chain
from verify.claims.lemma_5_5 import appearing_patterns
from verify.claims.second_layer import (
    DEFAULT_LOSS_TOL,
    descend,
    min_norm_separator_homogeneous,
    support_points,
    v_star,
)
from verify.claims.section_5 import (
    Part,
    Run,
    combine,
    regimes,
    reproduce_snippet,
    run_lw_cnn,
    theorem_setting,
)
from verify.claims.theorem_5_1 import check_run as check_theorem
from verify.evidence import Erratum, Evidence
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model.assumptions import THEOREM_5_1, evaluate
from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "DECLARATION",
    "check_run",
    "check_setting",
    "errata",
    "report_checks",
]

CLAIM = "Appendix E"
STATEMENT = (
    "On Eq. 14 and Lemma 5.2: v* separates D_z with margin 1; ||v*||^2 <= 2 80^2 d/(k eta1^2 "
    "T1^2); ||z||^2 <= 4k eta1^2 T1^2; sigma_max(Z)^2 <= ||Z||_F^2 <= m2/(4k), so eta2 < 8k <= "
    "2 m2/sigma_max(Z)^2; GD on a: L2 -> 0, a(t)/||a(t)|| -> a_hat/||a_hat||"
)
ASSUMPTIONS = THEOREM_5_1
TOL = 1e-12


# ----------------------------------------------------------------------------- the checker


def _rel(bound: float) -> float:
    return bound if math.isfinite(bound) and bound > 0 else 1.0


def check_run(
    run: Run,
    *,
    T2: int,
    tol: float = DEFAULT_LOSS_TOL,
    fresh: int = 2000,
    reproduce: str = "",
    params: dict[str, Any] | None = None,
) -> Evidence:
    """Evidence for Appendix E on one run of LW_CNN's first layer (``run``), with ``T2`` steps of
    gradient descent on the second layer from ``run.a0`` (``run.second`` is not used).

    The verdict is NOT_APPLICABLE when Eq. 14 or Lemma 5.2's event fails (every part is still
    evaluated and listed in ``reason``), else the worst verdict of the parts; see the module
    docstring.
    """
    if not isinstance(run, Run):
        raise ValueError(f"run must be a Run, got {type(run).__name__}")
    T2 = check_int("T2", T2, low=0)
    tol = check_positive_float("tol", tol)
    s = run.setting
    d, k, eta1, T1, m2 = s.d, s.k, s.eta1, s.T1, s.m2
    P = run.first.P
    n_plus, n_minus = run.lucky_counts
    details: dict[str, Any] = {
        "lucky_counts": {"plus": n_plus, "minus": n_minus, "k/(4d)": k / (4 * d), "k/d": k / d},
        "lemma_5_2_event": run.lucky_event, "event_14": run.balanced,
    }
    parts: list[Part] = []
    idx_s, y_s, how = support_points(s, fresh=fresh)
    Zs = run.features(idx_s)
    details["points"] = {"over": how, "count": len(y_s)}
    v = None
    if T1 >= 1:
        v = v_star(run.lucky_plus, run.lucky_minus, d=d, eta1=eta1, T1=T1)
        margins = y_s * (Zs @ v)
        i = int(np.argmin(margins))
        parts.append(Part(
            "y z(x).v* > 1 on supp D", float(margins[i]), 1.0, False, 1.0, "1", TOL,
            where={"point": idx_s[i].tolist(), "y": float(y_s[i])},
            extra={"over": how, "margin_positive_min": float(margins[y_s > 0].min()),
                   "margin_negative_min": float(margins[y_s < 0].min())}))
        vn = float(v @ v)
        vb = 2 * 80**2 * d / (k * eta1**2 * T1**2)
        parts.append(Part("||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)", vn, vb, True, _rel(vb),
                          "relative", TOL))
    zb = 4 * k * eta1**2 * T1**2
    zsq = np.einsum("sk,sk->s", Zs, Zs)
    cols = appearing_patterns(s.n, s.l)
    sup_bound = float(np.sum(np.max(np.maximum(P[:, cols], 0.0), axis=1) ** 2))
    z_obs = float(zsq.max()) if how == "support" else sup_bound
    parts.append(Part("||z(x)||^2 <= 4k eta1^2 T1^2", z_obs, zb, True, _rel(zb), "relative", TOL,
                      extra={"max_over_points": float(zsq.max()), "over": how,
                             "upper_bound_on_support": sup_bound}))
    Z2 = run.features(run.idx2)
    sig2 = float(np.linalg.norm(Z2, 2) ** 2)
    fro2 = float(np.sum(Z2 * Z2))
    chain = 4 * m2 * k * eta1**2 * T1**2
    soudry = 2 * m2 / sig2 if sig2 > 0 else math.inf
    parts += [
        Part("sigma_max(Z)^2 <= ||Z||_F^2", sig2, fro2, True, _rel(fro2), "relative", TOL),
        Part("||Z||_F^2 <= 4 m2 k eta1^2 T1^2", fro2, chain, True, _rel(chain), "relative", TOL),
        Part("4 m2 k eta1^2 T1^2 <= m2/(4k)", chain, m2 / (4 * k), True, m2 / (4 * k),
             "relative", TOL),
        Part("8k <= 2 m2/sigma_max(Z)^2", 8.0 * k, soudry, True, _rel(soudry), "relative", TOL),
        Part("eta2 < 2 m2/sigma_max(Z)^2 (Soudry, beta = 1)", s.eta2, soudry, True,
             _rel(soudry), "relative", TOL,
             extra={"limit_with_beta_1/4": 4 * soudry, "8k": 8.0 * k}),
    ]
    details["soudry"] = {"sigma_max_sq": sig2, "frobenius_sq": fro2,
                         "limit_beta_1": soudry, "limit_beta_1/4": 4 * soudry,
                         "limit_beta_1/4_over_8k": 4 * soudry / (8 * k)}
    # (5) gradient descent on the second layer
    sep = min_norm_separator_homogeneous(Z2, run.y2)
    separable = sep.status == "optimal"
    a_hat = sep.v if separable else None
    desc = descend(Z2, run.y2, run.a0, eta2=s.eta2, T2=T2, tol=tol, a_hat=a_hat)
    L0 = float(desc.losses[0])
    details["descent"] = desc.as_dict()
    details["a_hat"] = {"status": sep.status, "norm_sq": float(sep.norm_sq),
                        "min_margin": float(np.min(run.y2 * (Z2 @ sep.v))) if separable
                        else None, "kkt_residual": float(sep.kkt_residual)}
    parts.append(Part("L_2(a(t+1)) <= L_2(a(t)) at every step", desc.max_increase, 0.0, True,
                      L0, "L_2(0)", TOL, where={"T2": T2}))
    if separable and T2 >= 1:
        inv_beta = 4 * m2 / sig2 if sig2 > 0 else math.inf
        gap = desc.losses - desc.bound
        gap[desc.checkpoints == 0] = -math.inf
        j = int(np.argmax(gap))
        parts.append(Part(
            "L_2(a(t)) <= min_s L_2(s a_hat) + ||a0 - s a_hat||^2/(2 eta2 t) (convex GD)",
            float(desc.losses[j]), float(desc.bound[j]), True, L0, "L_2(0)", TOL,
            where={"t": int(desc.checkpoints[j])}, applicable=s.eta2 <= inv_beta,
            reason="needs eta2 <= 1/beta = 4 m2/sigma_max(Z)^2",
            extra={"note": "standard bound for GD on a convex beta-smooth loss, not the paper's"}))
        if v is not None:
            vn = float(v @ v)
            v_separates = bool(np.min(run.y2 * (Z2 @ v)) >= 1.0)
            parts.append(Part("||a_hat||^2 <= ||v*||^2", float(sep.norm_sq), vn, True, vn,
                              "relative", 1e-6, applicable=v_separates,
                              reason="needs v* to separate S_2 with margin 1",
                              extra={"note": "tolerance 1e-6: the solver's accuracy"}))
    details["separable_S2"] = separable
    return combine(CLAIM, STATEMENT, parts, params=params or s.as_dict(),
                   assumptions=evaluate(s, ASSUMPTIONS), reproduce=reproduce,
                   not_applicable=run.events_reason(), details=details)


def check_setting(
    setting: Setting,
    *,
    T2: int | None = None,
    tol: float = DEFAULT_LOSS_TOL,
    patterns: str = "haar",
) -> Evidence:
    """Run LW_CNN's first layer for ``setting`` and check Appendix E with ``T2`` steps on the
    second layer (default ``setting.T2``)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    T2 = setting.T2 if T2 is None else check_int("T2", T2, low=0)
    run = run_lw_cnn(setting, second=False, patterns=patterns)
    return check_run(
        run, T2=T2, tol=tol,
        params={**setting.as_dict(), "T2_run": T2, "loss_tol": tol, "patterns": patterns},
        reproduce=reproduce_snippet("appendix_e", "check_setting", setting, T2=T2, tol=tol,
                                    patterns=patterns),
    )


BUDGET = {"quick": 300_000, "standard": 2_000_000, "thorough": 10_000_000}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Appendix E on the shared Section 5 regimes with a second-layer budget of
    :data:`BUDGET` steps."""
    seed = check_seed("seed", seed)
    if profile not in BUDGET:
        raise ValueError(f"profile must be one of {sorted(BUDGET)}, got {profile!r}")
    return [check_setting(s, T2=BUDGET[profile]) for s in regimes(profile, seed)]


def errata(seed: int = 0) -> list[Erratum]:
    """Appendix E's errata, each shown by running :func:`check_setting`:

    - ``||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)`` rests on Lemma 5.2's ``|W_0± ∩ A±| <= k/d``,
      which fails for ``l`` well below ``d`` (the per-filter probability is ``q_l``, not
      ``q_d``); there the bound fails while the margin of ``v*`` and the conclusions survive;
    - Soudry et al.'s condition is applied with ``beta = 1``; the logistic loss is
      ``1/4``-smooth, so the admissible ``eta2`` is 4 times larger (and ``8k`` is far below it).
    """
    seed = check_seed("seed", seed)
    base = theorem_setting(6, 3, 3, 1729, 80, 5, seed)
    for offset in range(20):
        s = base.replace(seed=seed + offset)
        run = run_lw_cnn(s, second=False)
        if not run.lucky_event["upper"] and run.balanced:
            break
    ev = check_run(run, T2=2000, reproduce=reproduce_snippet(
        "appendix_e", "check_setting", s, T2=2000))
    th = check_theorem(run, T2=2000)
    p2 = th.details["part_2"]
    parts = ev.details["parts"]
    vpart = parts["||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)"]
    mpart = parts["y z(x).v* > 1 on supp D"]
    quick = check_setting(regimes("quick", seed)[0], T2=1000)
    chain = margin_chain()
    q_l = (1 - 2.0 ** (1 - s.l)) / (2 * (s.l - 1))
    sd = quick.details["soudry"]
    return [
        Erratum(
            location="Appendix E, ||a_hat||^2 <= ||v*||^2 <= 2 80^2 d/(k eta1^2 T1^2)",
            kind="false-step",
            text_says="by Lemma 5.2, |W0+ ∩ A+| + |W0- ∩ A-| <= 2k/d, so ||v*||^2 <= "
                      "2 80^2 d/(k eta1^2 T1^2)",
            what_is_true=(
                "for l < d the lucky counts concentrate at k (1 - 2^-(l-1))/(2(l-1)), above "
                "k/d when l is small (e.g. l = 3, d = 6), and the bound on ||v*||^2 fails; "
                "the margin y z(x).v* > 1 and Theorem 5.1's conclusions still hold in the runs "
                "checked. The margin's chain (check E.4) needs both bounds: the lower bound "
                "k/(4d) on the count of its own sign and an upper bound on the opposite count "
                f"(the subtracted term c |W0-∩A-| r): with r = eta1/200, T1 = 1 it exceeds 1 iff "
                f"|W0-∩A-| < {chain['threshold']} k/d; with Lemma 5.2's k/d its worst value is "
                f"{chain['worst_with_upper']}, with only the trivial |W0-∩A-| <= k it falls to "
                f"20/9 - 2d/5 < 1 for d >= {chain['smallest_d_below_1']}. At l = {s.l}, "
                f"d = {s.d} the opposite count is about q_l k = {q_l:.4g} k < "
                f"{float(chain['threshold']) / s.d:.4g} k, which is why the margin survives there"
            ),
            evidence=(
                f"d = {s.d}, l = {s.l}, k = {s.k}, seed = {s.seed}: lucky counts "
                f"{ev.details['lucky_counts']}; ||v*||^2 = {vpart['observed']:.6g} > bound "
                f"{vpart['bound']:.6g} (slack {vpart['slack']:.3g}, relative); margin of v* "
                f"on the support = {mpart['observed']:.6g} > 1 ({mpart['verdict']}); "
                f"Theorem 5.1 there: parts {[p['verdict'] for p in th.details['parts'].values()]}"
                f", exact test error of a_hat = {p2['support_error_limit_a_hat']}; "
                f"reproduce: {ev.reproduce} || margin chain at P = k/(4d), r = eta1/200, "
                f"T1 = 1 (exact): Q = k/d gives {chain['worst_with_upper']}; Q = k gives "
                + ", ".join(f"d={dd}: {v}" for dd, v in chain["worst_without_upper"].items())
                + "; reproduce: from verify.claims.appendix_e_chain import margin_chain; "
                "print(margin_chain())"
            ),
            found_by="verify.claims.appendix_e.check_run",
        ),
        Erratum(
            location="Appendix E, Soudry et al.'s step-size condition",
            kind="loose",
            text_says="beta = 1 (smoothness of the logistic loss), so eta2 < 2 m2/sigma_max(Z)^2",
            what_is_true=(
                "l''(z) = e^z/(1+e^z)^2 <= 1/4, so beta = 1/4 and eta2 < 8 m2/sigma_max(Z)^2 "
                "suffices; with Lemma 5.5 the chain still gives eta2 < 8k, far inside either"
            ),
            evidence=(
                f"d = {quick.params['d']}, k = {quick.params['k']}: 2 m2/sigma_max(Z)^2 = "
                f"{sd['limit_beta_1']:.6g}, 8 m2/sigma_max(Z)^2 = {sd['limit_beta_1/4']:.6g} "
                f"= {sd['limit_beta_1/4_over_8k']:.4g} x 8k"
            ),
            found_by="verify.claims.appendix_e.check_setting",
        ),
    ]


# ----------------------------------------------------------------------------- sweep (verify.sweep)


SWEEP = section5.sweep_spec(
    CLAIM, check_setting, section5.grids(T2=1000, thorough_ns=(3,)), batch=4,
    note="Section 5's regimes (verify.claims.section_5_grids), T2 = 1000 "
                  "second-layer "
                  "steps; n = 3 only (the support's features take |supp D| k floats: at n = 5, "
                  "l = 10, k = 8,001 that is 2.6 GB)")


DECLARATION = ClaimDeclaration(
    key="appendix-e",
    title="Appendix E (the second layer)",
    names=(CLAIM,),
    statement="v* separates D_z with margin 1; norm bounds; Soudry's step size; GD on a converges.",
    location="Appendix E (Theorem 5.1, part 3)",
    assumptions=ASSUMPTIONS,
    checkers=(check_run, check_setting),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    controls=(
        Control('every bound of the chain twice as tight',
                tightened(2),
                why='the step-size and descent bounds are within a factor 2 of their values'),
    ),
)
