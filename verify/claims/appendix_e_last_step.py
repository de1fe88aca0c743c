"""Appendix E's last step: Soudry et al.'s Theorem 3, the limit classifier, and the margin bound.

The proof ends: by Soudry et al. (2018), Theorem 3, ``a(t)/||a(t)|| -> a_hat/||a_hat||``
(Eq. 24-25), so the limit test error equals that of ``a_hat/||a_hat||``, and "a standard margin
generalization bound (e.g. Theorem 26.13 in Shalev-Shwartz & Ben-David (2014) or Bartlett &
Mendelson (2002))" gives ``O(sqrt(d/m))``. Checked here, per regime (:func:`check_last_step`):

1. **Soudry et al.'s hypotheses**: the data ``S_2`` (features ``z``) are linearly separable
   (a homogeneous separator exists: the QP for ``a_hat`` is feasible, with its KKT residual);
   the loss is ``beta``-smooth and has a *tight exponential tail* (``-l'(u)`` between
   ``e^{-u}(1 - e^{-u})`` and ``e^{-u}(1 + e^{-u})`` for ``u > 0``: :func:`logistic_tail`,
   exact in SymPy); the step size ``eta2 < 2 m2 / (beta sigma_max(Z)^2)`` (``beta = 1`` as the
   paper takes it; the logistic loss is ``1/4``-smooth); the predictor is linear in ``a``
   without bias (structural).
2. **The limit classifier**: ``sign(z . a(t)) -> sign(z . a_hat)`` only where ``z . a_hat !=
   0``; at a tie the limit depends on the bounded residual of Soudry et al.'s expansion (and
   ``sign(0) = -1`` here). So the limit error equals that of ``a_hat/||a_hat||`` iff no point of
   the support has ``z . a_hat = 0``; checked exactly over the enumerated support (the smallest
   ``|z . a_hat| / (||z|| ||a_hat||)``, which must exceed the solver's tolerance), with the
   exact support error of ``a_hat``.
3. **The margin bound**: the code uses Shalev-Shwartz & Ben-David (2014), **Theorem 15.4**
   (Hard-SVM under ``(gamma, rho)``-separability with a homogeneous halfspace): error
   ``<= sqrt(4 (rho/gamma)^2 / m2) + sqrt(2 ln(2/delta) / m2)`` w.p. ``1 - delta``, with
   ``rho/gamma = ||v*|| max ||z||``; it is the Rademacher bound of Chapter 26 (the Theorem 26.12
   and 26.13 the paper cites) applied to the ramp loss (1-Lipschitz, bounded by 1) at
   ``||w|| <= B = ||v*||``, so the constants are 2 and ``sqrt(2 ln(2/delta))``. Its hypotheses
   are checked: ``S_2`` is independent of ``W^(T1)`` (structural: ``W^(T1)`` depends on ``S_1``
   only), ``||a_hat|| <= ||v*||`` (``a_hat`` is Hard-SVM on ``S_2``; ``v*`` separates all of
   ``D_z``), ``||z|| <= rho`` on the support. With the proof's ``||v*||^2 rho^2 <= 51200 d``
   the bound is below 1 only when ``m2 > 204800 d``: ``details`` reports the ``m2`` at which the
   measured and the proof's bounds stop being vacuous.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy as sp

from verify.claims.second_layer import min_norm_separator_homogeneous, support_points, v_star
from verify.claims.section_5 import Part, combine, regimes, reproduce_snippet, run_lw_cnn
from verify.evidence import Evidence, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model.assumptions import THEOREM_5_1, evaluate
from verify.model.network import classify
from verify.model.setting import Setting

__all__ = ["CLAIM", "DECLARATION", "TEXTBOOK", "check_last_step", "logistic_tail"]

CLAIM = "Appendix E (last step)"
STATEMENT = ("Soudry et al.'s Theorem 3 applies (S_2 separable, exponential-tail loss, step "
             "size); the limit error is that of a_hat/||a_hat|| (no support point with "
             "z.a_hat = 0); the margin bound's hypotheses hold")
TEXTBOOK = ("Shalev-Shwartz & Ben-David (2014), Theorem 15.4: Hard-SVM error <= "
            "sqrt(4 (rho/gamma)^2/m) + sqrt(2 ln(2/delta)/m) (from Theorems 26.12-26.13, "
            "ramp loss)")
TIE_TOL = 1e-7
"""Relative tolerance below which ``|z . a_hat|`` counts as a tie (above the QP's accuracy)."""
KKT_TOL = 1e-6


def logistic_tail() -> dict[str, str]:
    """The logistic loss has a tight exponential tail (Soudry et al., Definition 2) with
    ``mu_+ = mu_- = 1``, ``u_+ = u_- = 0``: with ``X = e^{-u}`` in ``(0, 1]`` (``u >= 0``),
    ``-l'(u) = X/(1+X)``; ``X/(1+X) - X(1 - X) = X^3/(1+X) >= 0`` and ``X(1 + X) - X/(1+X) =
    X^2 (2 + X)/(1+X) >= 0``, exactly (SymPy). Also ``l''(u) <= 1/4`` (``beta = 1/4``)."""
    X = sp.Symbol("X", positive=True)
    u = sp.Symbol("u", real=True)
    neg_deriv = sp.simplify(-sp.diff(sp.log(1 + sp.exp(-u)), u))
    as_x = sp.simplify(neg_deriv.subs(sp.exp(u), 1 / X).subs(sp.exp(-u), X))
    lower = sp.factor(sp.simplify(as_x - X * (1 - X)))
    upper = sp.factor(sp.simplify(X * (1 + X) - as_x))
    second = sp.factor(sp.simplify(sp.Rational(1, 4) - sp.diff(sp.log(1 + sp.exp(-u)), u, 2)))
    return {"-l'(u)": str(neg_deriv), "-l'(u) in X = e^-u": str(as_x),
            "-l' - X(1-X)": str(lower), "X(1+X) - (-l')": str(upper),
            "1/4 - l''(u)": str(second),
            "lower_nonneg": str(bool(lower == X**3 / (X + 1))),
            "upper_nonneg": str(bool(sp.simplify(upper - X**2 * (X + 2) / (X + 1)) == 0))}


def check_last_step(setting: Setting, *, delta: float = 0.05) -> Evidence:
    """The three checks of the module docstring on the run of ``setting`` (first layer only;
    the second layer's limit is ``a_hat``)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta!r}")
    s = setting
    run = run_lw_cnn(s, second=False)
    Z2, y2 = run.features(run.idx2), run.y2
    sep = min_norm_separator_homogeneous(Z2, y2)
    separable = sep.status == "optimal"
    idx, y, how = support_points(s)
    Z = run.features(idx)
    zn = np.linalg.norm(Z, axis=1)
    rho2 = float(np.max(zn**2))
    sig2 = float(np.linalg.norm(Z2, 2) ** 2) if Z2.size else 0.0
    soudry = 2 * s.m2 / sig2 if sig2 > 0 else math.inf
    tail = logistic_tail()
    tail_ok = tail["lower_nonneg"] == "True" and tail["upper_nonneg"] == "True"
    parts = [
        Part("S_2 linearly separable (Eq. 25 feasible, KKT residual)",
             float(sep.kkt_residual) if separable else math.inf, KKT_TOL, True, KKT_TOL,
             "KKT_TOL", 0.0),
        Part("eta2 < 2 m2/(beta sigma_max(Z)^2), beta = 1", s.eta2, soudry, True,
             max(soudry, 1.0), "relative", 1e-12, extra={"limit_beta_1/4": 4 * soudry}),
        Part("logistic loss: tight exponential tail (SymPy)", float(not tail_ok), 0.0, True,
             verdict_override=Verdict.HOLDS if tail_ok else Verdict.FAILS),
    ]
    details: dict[str, Any] = {"textbook": TEXTBOOK, "logistic_tail": tail, "points": how,
                               "rho_sq": rho2, "sigma_max_sq": sig2}
    if separable:
        a = sep.v
        ties = np.abs(Z @ a) / np.where(zn > 0, zn, 1.0) / float(np.linalg.norm(a))
        err = float(np.mean(classify(Z @ a) != y))
        parts.append(Part("no support point with z.a_hat = 0 (relative |z.a_hat|)",
                          float(ties.min()), TIE_TOL, False, TIE_TOL, "TIE_TOL", 0.0,
                          where=int(np.argmin(ties))))
        details["support_error_a_hat"] = err
        events = run.events_reason()
        v = v_star(run.lucky_plus, run.lucky_minus, d=s.d, eta1=s.eta1, T1=s.T1)
        v_sep = float(np.min(y * (Z @ v))) > 1.0
        q_v, q_proof = float(v @ v) * rho2, 51200.0 * s.d
        bound = 2 * math.sqrt(q_v / s.m2) + math.sqrt(2 * math.log(2 / delta) / s.m2)
        parts.append(Part("||a_hat|| <= ||v*|| (Hard-SVM vs v*)", float(np.linalg.norm(a)),
                          float(np.linalg.norm(v)), True, float(np.linalg.norm(v)), "relative",
                          1e-6, applicable=v_sep and not events,
                          reason=events or "v* does not separate D_z with margin 1"))
        details["margin_bound"] = {
            "q = ||v*||^2 rho^2": q_v, "proof_q = 51200 d": q_proof,
            "bound_at_m2 (delta)": bound, "support_error_a_hat": err,
            "m2_for_non_vacuous_measured_q": 4 * q_v, "m2_for_non_vacuous_proof_q": 4 * q_proof,
            "m2": s.m2, "delta": delta}
    return combine(CLAIM, STATEMENT, parts, params=s.as_dict(),
                   assumptions=evaluate(s, THEOREM_5_1),
                   reproduce=reproduce_snippet("appendix_e_last_step", "check_last_step", s),
                   details=details)


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Every Section 5 regime of ``profile``."""
    return [check_last_step(s) for s in regimes(profile, seed)]


DECLARATION = ClaimDeclaration(
    key="appendix-e-last-step",
    title="Appendix E, last step (Soudry et al., the limit classifier, the margin bound)",
    names=(CLAIM,),
    statement=STATEMENT,
    location="Appendix E, Eqs. 24-25 and the final display",
    assumptions=THEOREM_5_1,
    checkers=(check_last_step, logistic_tail),
    report_checks=report_checks,
    errata=None,
    controls=(
        Control("every hypothesis's bound 20 times tighter, ||a_hat|| <= ||v*||/20 among them",
                tightened(20),
                why="||a_hat|| (Hard-SVM) is within a factor 20 of the proof's ||v*|| at the "
                    "runs, so the twin must fail there"),
    ),
)
