"""Theorem 5.1 end to end: LW_CNN (Algorithm 1) optimises and generalises.

Under ``T1 > 0``, ``eta1 <= 1/(4k(T1+1))``, ``eta2 < 8k``, ``r <= eta1/200``, ``k > 8d^3``, with
probability at least ``(1 - delta)(1 - 4e^{-d} - 4e^{-m/36})``:

(1) ``lim_{T2 -> inf} L_2(W^(T1), a^(T2)) = 0``;
(2) ``lim_{T2 -> inf} P_D(sign N(x) != y) = O(sqrt(d/m))``.

The ``4e^{-d} + 4e^{-m/36}`` are the events of Lemma 5.2 and Eq. 14; on them the proof
(Appendix E) is deterministic except for the margin bound's ``delta``. So:

- **Part (1)** gets a verdict (:func:`check_run`): on the events, ``S_2`` must be separable by the
  features ``z`` (Eq. 25 feasible), ``L_2`` must not increase, and ``L_2(a(t))`` must stay below
  the standard convex-GD bound ``min_s L_2(s a_hat) + ||a0 - s a_hat||^2/(2 eta2 t)`` (valid
  for ``eta2 <= 4 m2/sigma_max(Z)^2``; it tends to 0, so it proves ``L_2 -> 0``). The proof's
  ``||a_hat||^2 max_x ||z(x)||^2 <= 2 80^2 d . 4 = 51200 d`` (its "``O(d)``") is a further part.
- **Part (2)** is evidence: the test error of ``sign(z . a(T2))`` and of the limit direction
  ``sign(z . a_hat)`` exactly over the enumerated support (its points are equally likely, so the
  exact error is the fraction misclassified), and on fresh draws with a Clopper-Pearson
  interval; the margin bound made explicit (Shalev-Shwartz & Ben-David, Theorem 15.4, with
  ``(rho/gamma)^2 = ||v*||^2 max_x ||z(x)||^2`` and the separator ``v*`` of Appendix E):
  ``err <= 2 sqrt(||v*||^2 rho^2 / m2) + sqrt(2 ln(2/delta) / m2)`` with probability ``1 -
  delta``; and (:func:`check_rate`) the test error against ``m``: a log-log fit, and an exact
  binomial test that the explicit bound fails in at most a ``delta`` fraction of runs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verify._validate import check_int, check_positive_float, check_probability, check_seed
from verify.claims import section_5_grids as section5
from verify.claims._parts import THEOREM_5_1_PARTS, errors_zero_from_some_m
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
    fresh_samples,
    regimes,
    reproduce_snippet,
    run_lw_cnn,
    theorem_setting,
)
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.evidence.stats import binomial_test, clopper_pearson
from verify.evidence.sweep_spec import Grid, SweepSpec, parts_hold
from verify.model.assumptions import THEOREM_5_1, evaluate
from verify.model.network import classify
from verify.model.setting import Setting
from verify.rng import seed_sequence

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "CLAIM_RATE",
    "DECLARATION",
    "DELTA",
    "PART_ERROR",
    "PART_L2",
    "PART_PROBABILITY",
    "PROOF_CONSTANT",
    "check_rate",
    "check_run",
    "check_setting",
    "margin_bound",
    "report_checks",
    "smallest_nonvacuous_m2",
]

CLAIM = "Theorem 5.1"
CLAIM_RATE = "Theorem 5.1 (test error vs m)"
STATEMENT = (
    "Under T1 > 0, eta1 <= 1/(4k(T1+1)), eta2 < 8k, r <= eta1/200, k > 8d^3, w.p. >= "
    "(1-delta)(1-4e^-d-4e^(-m/36)): (1) L2(W^(T1), a^(T2)) -> 0; (2) test error -> O(sqrt(d/m))"
)
STATEMENT_RATE = (
    "Test error of the limit classifier sign(z . a_hat) = O(sqrt(d/m)); explicit: <= "
    "2 sqrt(||v*||^2 max||z||^2 / m2) + sqrt(2 ln(2/delta)/m2) w.p. >= 1 - delta"
)
ASSUMPTIONS = THEOREM_5_1
PROOF_CONSTANT = 2 * 80**2 * 4
"""``||a_hat||^2 max_x ||z(x)||^2 <= ||v*||^2 4k eta1^2 T1^2 <= 2 80^2 d . 4 = 51200 d``."""
DELTA = 0.05
SOLVER_TOL = 1e-6
PART_L2 = "L2 -> 0"
PART_ERROR = "test error <= the explicit bound (w.p. >= 1 - delta)"
PART_PROBABILITY = "with probability >= (1 - delta)(1 - 4e^-d - 4e^(-m/36))"
"""The parts of Theorem 5.1's statement. A row that tests one part names it in
``details["part"]``: part (2) made explicit, vacuous where the bound is >= 1 (:func:`check_rate`,
:mod:`verify.claims.theorem_5_1_nonvacuous`). A run of :func:`check_run` tests part (1) and
carries part (2)'s explicit bound (``details["error_part"]``, ``details["part_2"]``), and a
confidence row (:mod:`verify.claims.theorem_5_1_confidence`) the probability of both
(``details["event_parts"]``): they name no single part, and the claim's declared parts
(:mod:`verify.claims._parts`) select them."""


def margin_bound(q: float, m2: int, delta: float = DELTA) -> float:
    """Shalev-Shwartz & Ben-David, Theorem 15.4: if ``D_z`` is separable with margin 1 by ``v``
    and ``||z|| <= rho`` on its support, Hard-SVM (here ``a_hat``) trained on ``m2`` points has
    0-1 error at most ``2 sqrt(q / m2) + sqrt(2 ln(2/delta) / m2)``, ``q = ||v||^2 rho^2``, with
    probability ``>= 1 - delta``."""
    q = check_positive_float("q", q, allow_zero=True)
    m2 = check_int("m2", m2, low=1)
    delta = check_probability("delta", delta)
    return 2 * math.sqrt(q / m2) + math.sqrt(2 * math.log(2 / delta) / m2)


def smallest_nonvacuous_m2(d: int, delta: float = DELTA) -> int:
    """The smallest ``m2`` at which Theorem 5.1's explicit part-(2) bound
    ``2 sqrt(51200 d / m2) + sqrt(2 ln(2/delta) / m2)`` (:func:`margin_bound` with the proof's
    ``q = 51200 d``, proof-algebra check E.7) drops below 1, so that it can fail: below it the
    bound exceeds every 0-1 error and the row is vacuous. The bound is
    ``c / sqrt(m2)`` with ``c = 2 sqrt(q) + sqrt(2 ln(2/delta))``, so the answer is the least
    integer above ``c^2``; it is confirmed against :func:`margin_bound` on both sides.

    >>> smallest_nonvacuous_m2(3)
    618666
    """
    d = check_int("d", d, low=1)
    delta = check_probability("delta", delta)
    q = PROOF_CONSTANT * d
    c = 2 * math.sqrt(q) + math.sqrt(2 * math.log(2 / delta))
    m2 = math.floor(c * c) + 1
    while margin_bound(q, m2, delta) >= 1:
        m2 += 1
    while m2 > 1 and margin_bound(q, m2 - 1, delta) < 1:
        m2 -= 1
    return m2


def _evaluate_limit(run: Run, fresh: int) -> dict[str, Any]:
    """Features, ``a_hat``, support errors and margin quantities for one run (no descent)."""
    s = run.setting
    Z2 = run.features(run.idx2)
    sep = min_norm_separator_homogeneous(Z2, run.y2)
    separable = sep.status == "optimal"
    idx_s, y_s, how = support_points(s, fresh=fresh)
    Zs = run.features(idx_s)
    rho2 = float(np.max(np.einsum("sk,sk->s", Zs, Zs)))
    out: dict[str, Any] = {"Z2": Z2, "sep": sep, "separable": separable, "Zs": Zs, "y_s": y_s,
                           "over": how, "rho_sq": rho2}
    out["error_limit"] = (float(np.mean(classify(Zs @ sep.v) != y_s)) if separable else None)
    q_v = None
    if s.T1 >= 1:
        v = v_star(run.lucky_plus, run.lucky_minus, d=s.d, eta1=s.eta1, T1=s.T1)
        if float(np.min(y_s * (Zs @ v))) > 1.0:
            q_v = float(v @ v) * rho2
    out["q_v_star"] = q_v
    out["q_a_hat"] = float(sep.norm_sq) * rho2 if separable else None
    out["margin_bound"] = margin_bound(q_v, s.m2) if q_v is not None else None
    return out


def check_run(
    run: Run,
    *,
    T2: int,
    tol: float = DEFAULT_LOSS_TOL,
    fresh: int = 2000,
    reproduce: str = "",
    params: dict[str, Any] | None = None,
) -> Evidence:
    """Evidence for Theorem 5.1 on one run of the first layer (``run``) with ``T2`` steps of
    gradient descent on the second layer. NOT_APPLICABLE (every part still evaluated and listed)
    when Eq. 14 or Lemma 5.2's event fails."""
    if not isinstance(run, Run):
        raise ValueError(f"run must be a Run, got {type(run).__name__}")
    T2 = check_int("T2", T2, low=0)
    tol = check_positive_float("tol", tol)
    fresh = check_int("fresh", fresh, low=1)
    s = run.setting
    lim = _evaluate_limit(run, fresh)
    Z2, sep, separable = lim["Z2"], lim["sep"], lim["separable"]
    desc = descend(Z2, run.y2, run.a0, eta2=s.eta2, T2=T2, tol=tol,
                   a_hat=sep.v if separable else None)
    Zs, y_s = lim["Zs"], lim["y_s"]
    err_final = float(np.mean(classify(Zs @ desc.a) != y_s))
    idx_f, y_f = fresh_samples(s, fresh, "theorem-5.1-test")
    Zf = run.features(idx_f)
    wrong_f = int(np.sum(classify(Zf @ desc.a) != y_f))
    L0 = float(desc.losses[0])
    sig2 = float(np.linalg.norm(Z2, 2) ** 2)
    norm_margin = math.nan
    if separable:
        rho_s2 = float(np.max(np.linalg.norm(Z2, axis=1)))
        norm_margin = float(np.min(run.y2 * (Z2 @ sep.v))) / (math.sqrt(sep.norm_sq) * rho_s2)
    parts = [
        Part("S_2 separable by z: min_i y_i z_i.a_hat / (||a_hat|| max_i ||z_i||) > 0",
             norm_margin, 0.0, False, 1.0, "1", SOLVER_TOL,
             verdict_override=None if separable else Verdict.FAILS,
             extra={"status": sep.status, "note": "tolerance 1e-6: the solver's accuracy"}),
        Part("L_2(a(t+1)) <= L_2(a(t)) at every step", desc.max_increase, 0.0, True, L0,
             "L_2(0)", 1e-12),
    ]
    if separable and T2 >= 1:
        gap = desc.losses - desc.bound
        gap[desc.checkpoints == 0] = -math.inf
        j = int(np.argmax(gap))
        parts.append(Part(
            "L_2(a(t)) <= min_s L_2(s a_hat) + ||a0 - s a_hat||^2/(2 eta2 t) -> 0 (convex GD)",
            float(desc.losses[j]), float(desc.bound[j]), True, L0, "L_2(0)", 1e-12,
            where={"t": int(desc.checkpoints[j])},
            applicable=sig2 == 0 or s.eta2 <= 4 * s.m2 / sig2,
            reason="needs eta2 <= 1/beta = 4 m2/sigma_max(Z)^2"))
    if lim["q_a_hat"] is not None:
        bound = PROOF_CONSTANT * s.d
        parts.append(Part("||a_hat||^2 max_x ||z(x)||^2 <= 51200 d (the proof's O(d))",
                          lim["q_a_hat"], bound, True, bound, "relative", SOLVER_TOL,
                          extra={"ratio_bound_over_observed": bound / lim["q_a_hat"]
                                 if lim["q_a_hat"] > 0 else None,
                                 "over_d": lim["q_a_hat"] / s.d}))
    lo, hi = clopper_pearson(wrong_f, fresh)
    mb = lim["margin_bound"]
    details = {
        "error_part": {"part": PART_ERROR, "explicit_bound": mb,
                       "decided": "no: part (2) is evidence here (details['part_2'])",
                       "vacuous": None if mb is None else mb >= 1},
        "events": {"event_14": run.balanced, "lemma_5_2": run.lucky_event},
        "descent": desc.as_dict(),
        "T2_needed_for_tol": desc.first_below,
        "part_2": {
            "support_error_final_a": err_final,
            "support_error_limit_a_hat": lim["error_limit"],
            "over": lim["over"],
            "fresh_error_final_a": wrong_f / fresh,
            "fresh_error_ci95": [lo, hi],
            "fresh_points": fresh,
            "q_v_star": lim["q_v_star"],
            "q_a_hat": lim["q_a_hat"],
            "q_a_hat_over_d": None if lim["q_a_hat"] is None else lim["q_a_hat"] / s.d,
            "proof_constant_51200d": PROOF_CONSTANT * s.d,
            "margin_bound_delta_0.05": lim["margin_bound"],
            "sqrt_d_over_m": math.sqrt(s.d / s.m),
        },
    }
    return combine(CLAIM, STATEMENT, parts, params=params or s.as_dict(),
                   assumptions=evaluate(s, ASSUMPTIONS), reproduce=reproduce,
                   not_applicable=run.events_reason(), details=details)


def check_setting(
    setting: Setting,
    *,
    T2: int | None = None,
    tol: float = DEFAULT_LOSS_TOL,
    fresh: int = 2000,
    patterns: str = "haar",
) -> Evidence:
    """Run LW_CNN for ``setting`` (``T2`` second-layer steps, default ``setting.T2``) and check
    Theorem 5.1 (see :func:`check_run`)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    T2 = setting.T2 if T2 is None else check_int("T2", T2, low=0)
    run = run_lw_cnn(setting, second=False, patterns=patterns)
    return check_run(
        run, T2=T2, tol=tol, fresh=fresh,
        params={**setting.as_dict(), "T2_run": T2, "loss_tol": tol, "fresh": fresh,
                "patterns": patterns},
        reproduce=reproduce_snippet("theorem_5_1", "check_setting", setting, T2=T2, tol=tol,
                                    fresh=fresh, patterns=patterns),
    )


def _replicate_seed(seed: int, m: int, rep: int) -> int:
    return int(seed_sequence(seed, "theorem-5.1-rate", m, rep).generate_state(1)[0])


def check_rate(
    *,
    d: int,
    l: int,
    n: int,
    k: int,
    T1: int,
    ms: tuple[int, ...],
    replicates: int,
    seed: int,
    delta: float = DELTA,
    alpha: float = 1e-3,
    fresh: int = 2000,
) -> Evidence:
    """Test error of the limit classifier ``sign(z . a_hat)`` against the training-set size
    ``m``, ``replicates`` independent runs per ``m`` (largest ``eta1``, ``r`` of the theorem).

    Verdict: the explicit margin bound (:func:`margin_bound`) may fail in at most a ``delta``
    fraction of the runs where the events hold; an exact one-sided binomial test at level
    ``alpha`` decides. The fit of ``log(mean error)`` against ``log m`` (over the ``m`` with a
    non-zero mean error) is evidence, with the ``-1/2`` of ``sqrt(d/m)`` for comparison.
    """
    d = check_int("d", d, low=3)
    k = check_int("k", k, low=1)
    T1 = check_int("T1", T1, low=1)
    replicates = check_int("replicates", replicates, low=1)
    seed = check_seed("seed", seed)
    if not ms or any(int(m) < 2 for m in ms):
        raise ValueError(f"ms must be a non-empty tuple of sizes >= 2, got {ms!r}")
    rows = []
    spread: tuple[list[float], list[float]] = ([], [])  # min and max error per m
    failures = trials = 0
    smallest_bound = math.inf  # over every run of every m whose bound was computed
    for m in ms:
        errs, errs_in, bounds = [], [], []
        for rep in range(replicates):
            s = theorem_setting(d, l, n, k, int(m), T1, _replicate_seed(seed, int(m), rep))
            run = run_lw_cnn(s, second=False)
            lim = _evaluate_limit(run, fresh)
            err = lim["error_limit"] if lim["error_limit"] is not None else 0.5
            errs.append(err)
            inside = run.balanced and run.lucky_event["both"]
            if inside:
                errs_in.append(err)
                if lim["margin_bound"] is not None:
                    trials += 1
                    bounds.append(lim["margin_bound"])
                    smallest_bound = min(smallest_bound, lim["margin_bound"])
                    failures += int(err > lim["margin_bound"])
        spread[0].append(float(np.min(errs)))
        spread[1].append(float(np.max(errs)))
        rows.append({"m": int(m), "mean_error": float(np.mean(errs)),
                     "max_error": float(np.max(errs)),
                     "runs_in_events": len(errs_in),
                     "mean_error_in_events": float(np.mean(errs_in)) if errs_in else None,
                     "mean_margin_bound": float(np.mean(bounds)) if bounds else None,
                     "sqrt_d_over_m": math.sqrt(d / m)})
    ms_arr = np.array([r["m"] for r in rows], dtype=float)
    mean = np.array([r["mean_error"] for r in rows])
    pos = mean > 0
    fit = None
    if pos.sum() >= 2:
        slope, icpt = np.polyfit(np.log(ms_arr[pos]), np.log(mean[pos]), 1)
        fit = {"slope": float(slope), "intercept": float(icpt), "over_m": ms_arr[pos].tolist(),
               "rate_sqrt_d_over_m_slope": -0.5}
    zero_from = next((int(ms_arr[i]) for i in range(len(ms_arr)) if not mean[i:].any()), None)
    params = {"d": d, "l": l, "n": n, "k": k, "T1": T1, "ms": list(ms),
              "replicates": replicates, "seed": seed, "delta": delta, "alpha": alpha}
    reproduce = ("from verify.claims.theorem_5_1 import check_rate; "
                 f"print(check_rate(d={d}, l={l}, "
                 f"n={n}, k={k}, T1={T1}, ms={tuple(ms)!r}, replicates={replicates}, "
                 f"seed={seed}).summary())")
    details = {"part": PART_ERROR, "per_m": rows, "loglog_fit": fit,
               "errors_exactly_zero_from_m": zero_from,
               "note": "part (2) is an upper bound: errors at or below it, even 0, agree with it"}
    bounded = [r for r in rows if r["mean_margin_bound"] is not None]
    details["plot"] = {
        "title": f"Theorem 5.1: test error of sign(z . a_hat), d={d}, l={l}, k={k}",
        "xlabel": "training size m (samples)",
        "ylabel": "test error P(sign N(x) != y) under D (probability)",
        "logx": True, "logy": False,
        "series": [
            {"label": f"mean error over {replicates} runs", "x": ms_arr.tolist(),
             "y": mean.tolist(), "style": "line", "lo": spread[0], "hi": spread[1],
             "spread": f"min-max over the {replicates} runs"},
            *([{"label": "stated bound: mean margin bound (delta = 0.05), capped at 1"
                + (" (vacuous: >= 1 at every m)" if all(r["mean_margin_bound"] >= 1
                                                       for r in bounded) else ""),
                "x": [r["m"] for r in bounded],
                "y": [min(1.0, r["mean_margin_bound"]) for r in bounded],
                "style": "bound"}] if bounded else []),
            {"label": "sqrt(d/m) (the stated rate, constant 1)", "x": ms_arr.tolist(),
             "y": [r["sqrt_d_over_m"] for r in rows], "style": "reference"},
        ],
        "ylim": [-0.03, 1.35], "legend": "upper right",
        "note": "each run: its own seed, training set and initialisation; a run whose "
                "features are not separable counts as error 0.5",
    }
    if trials == 0:
        return Evidence(CLAIM_RATE, STATEMENT_RATE, Verdict.NOT_APPLICABLE, math.nan, delta,
                        math.nan, "p-value", 0.0, params, {}, "no run inside the events",
                        details, reproduce)
    test = binomial_test(failures, trials, delta, alpha)
    details["bound_failures_test"] = test.as_dict()
    verdict = Verdict.FAILS if test.rejected else Verdict.HOLDS
    reason = (f"the margin bound fails in {failures}/{trials} runs: significantly more than "
              f"delta = {delta}" if test.rejected else "")
    s0 = theorem_setting(d, l, n, k, int(ms[0]), T1, seed)
    # a bound >= 1 on a 0-1 error cannot fail; if it is so in every run at every m, the row
    # shows nothing (vacuous), and says from which m2 the explicit bound would say something
    strength = Strength.STATISTICAL
    if smallest_bound >= 1:
        strength = Strength.VACUOUS
        details["nonvacuous_from"] = f"m2 >= {smallest_nonvacuous_m2(d, delta):,}"
    return Evidence(CLAIM_RATE, STATEMENT_RATE, verdict, test.rate, delta,
                    test.p_value - alpha, "p-value", 0.0, params,
                    evaluate(s0, ASSUMPTIONS), reason, details, reproduce, strength=strength)


RATE = {
    "quick": {"d": 4, "l": 4, "n": 4, "k": 513, "T1": 2, "ms": (4, 8, 16, 32, 64),
              "replicates": 20},
    "standard": {"d": 5, "l": 5, "n": 4, "k": 1001, "T1": 2,
                 "ms": (4, 8, 16, 32, 64, 128, 256), "replicates": 20},
    "thorough": {"d": 5, "l": 5, "n": 5, "k": 1001, "T1": 4,
                 "ms": (4, 8, 16, 32, 64, 128, 256, 512), "replicates": 50},
}
BUDGET = {"quick": 300_000, "standard": 2_000_000, "thorough": 10_000_000}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Theorem 5.1 on the shared Section 5 regimes (second-layer budget :data:`BUDGET`), and the
    test error against ``m`` (:data:`RATE`)."""
    seed = check_seed("seed", seed)
    if profile not in BUDGET:
        raise ValueError(f"profile must be one of {sorted(BUDGET)}, got {profile!r}")
    out = [check_setting(s, T2=BUDGET[profile]) for s in regimes(profile, seed)]
    out.append(check_rate(**RATE[profile], seed=seed))
    return out


# ----------------------------------------------------------------------------- sweep (verify.sweep)

SWEEP_T2 = 1000
SWEEP_FRESH = 500


def _sweep(params: dict[str, Any], seed: int) -> Evidence:
    return check_setting(section5.setting(params, seed), T2=int(params["T2"]),
                         fresh=int(params["fresh"]))


def sweep_event(ev: Evidence) -> bool:
    """The event Theorem 5.1 claims, made explicit: part (1) (every part of :func:`check_run`
    holds, evaluated even where the events of Lemma 5.2 and Eq. 14 fail) and part (2) (the
    limit classifier's test error is at most the explicit margin bound, :func:`margin_bound` at
    ``delta = DELTA``; false when ``v*`` does not separate with margin 1)."""
    p2 = ev.details.get("part_2", {})
    err, bound = p2.get("support_error_limit_a_hat"), p2.get("margin_bound_delta_0.05")
    return parts_hold(ev) and err is not None and bound is not None and err <= bound


def sweep_probability(params: dict[str, Any]) -> float:
    """``(1 - delta)(1 - 4e^{-d} - 4e^{-m/36})``, ``delta = DELTA``."""
    return (1 - DELTA) * (1 - 4 * math.exp(-params["d"]) - 4 * math.exp(-params["m"] / 36))


def _grid(ds: tuple[int, ...], T1s: tuple[int, ...], ms: tuple[int, ...], seeds: int,
          **kw: Any) -> Grid:
    regs = section5.regimes(ds, T1s, ms, **kw)
    return Grid(tuple({**r, "T2": SWEEP_T2, "fresh": SWEEP_FRESH} for r in regs), seeds)


SWEEP = SweepSpec(
    CLAIM,
    {"quick": _grid((3, 4, 5), (10,), (200,), 10),
     "standard": _grid((3, 4, 5, 6, 8, 10, 12, 16, 20), (10,), (200,), 20),
     "thorough": _grid(section5.PAPER_D, (1, 10, 100), (60, 200, 1000), 100,
                       fractions=(1.0, 0.5, 0.1))},
    _sweep, event=sweep_event, probability=sweep_probability, batch=1,
    note="Theorem 5.1 as a whole (sweep_event) against (1 - delta)(1 - 4e^-d - 4e^(-m/36)); "
    "T2 = 1000 second-layer steps, 500 fresh points where the support is not enumerated",
)


DECLARATION = ClaimDeclaration(
    key="theorem-5.1",
    title="Theorem 5.1 (LW_CNN end to end)",
    names=(CLAIM, CLAIM_RATE),
    statement="Under its assumptions: L2 -> 0 and test error O(sqrt(d/m)).",
    location="Section 5, Theorem 5.1; proof in Section 5 and Appendices B-E",
    assumptions=ASSUMPTIONS,
    checkers=(check_run, check_setting, check_rate),
    report_checks=report_checks,
    errata=None,
    sweeps=SWEEP,
    parts=(*THEOREM_5_1_PARTS,),
    controls=(
        Control('every bound of the L2 part twice as tight',
                tightened(2),
                why='the convex-GD bound on L2 is within 1% of the loss at the step it is '
                    'tightest'),
        Control("the test error is exactly 0 from some m on",
                errors_zero_from_some_m,
                claim='Theorem 5.1 (test error vs m)',
                why='a rate O(sqrt(d/m)) says nothing where the error is 0 by construction'),
    ),
)
