"""Verdicts on the qualitative claims of Section 7, with a statistical test across repeats.

The unit of replication is the *repeat* (new patterns, training pool and test set); within a
repeat all models see the same data, so each comparison is paired. With ``R`` repeats (5 in the
paper) we use the **exact one-sided paired permutation (sign-flip) test** of the differences
``D_r = error_baseline - error_ConvPool``: under ``H0`` (the two models are exchangeable within
a repeat) the ``2^R`` sign patterns of ``D`` are equally likely; the p-value is the fraction of
them whose sum is at least the observed ``sum_r D_r``. It assumes nothing about the law of the
errors, but its smallest possible p-value is ``2^-R`` (1/32 with 5 repeats): it can establish
``baseline worse`` at level 0.05 only when ConvPool wins in every repeat, and it says nothing
about effect sizes (those are in the tables). With fewer repeats than :func:`min_repeats`
(``2^-R > alpha``) no outcome can reach the level: the verdict is then ``NOT_TESTED`` ("not
tested (too few repeats for alpha)"), never ``FAILS``. A zero difference (a tie) counts against the
claim. The one-sided paired t-test p-value is reported beside it for reference only (it
assumes normal differences, which 5 repeats cannot check).

Each p-value row is statistical: ``details["decision"]`` says demonstrated, refuted
(the reverse test rejects) or undecided, with the level and the power against a stated
alternative (:mod:`verify.claims.section_7.power`).

A claim over several training sizes (and baselines) is an intersection: it is tested with the
**intersection-union test**, whose p-value is the largest per-size p-value (level ``alpha``
without any multiplicity correction, Berger 1982). Sizes where every model of the comparison
has zero test error in every repeat cannot separate the models: they are listed as *saturated*
and not tested.

Claims (one :class:`~verify.evidence.Evidence` per claim and figure, claim name ``Section 7``):

- :func:`check_outperforms` (Fig. 3a, 3b): ConvPool's test error is below the MLP's and the
  SVM's at every training size beyond the smallest.
- :func:`check_training_error` (Fig. 3a, 3b captions; the SVM's half of Fig. 3b is in
  :mod:`verify.claims.section_7.svm_training`): zero training error for every model on
  Fig. 3a; for ConvPool and the MLP on Fig. 3b, where the SVM's is non-zero in some cases.
- :func:`check_growth_with_n` (Fig. 4): ConvPool's test error grows less with ``n`` than the
  baselines': the per-repeat least-squares slope of test error against ``log2 n`` is smaller.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats as _st

from verify._validate import check_array, check_probability
from verify.claims.section_7.power import permutation_decision
from verify.evidence import Evidence, Strength, Verdict, verdict_from_slack

__all__ = [
    "ALPHA",
    "CLAIM",
    "check_growth_with_n",
    "check_outperforms",
    "check_training_error",
    "error_plot",
    "min_repeats",
    "paired_permutation_pvalue",
    "paired_t_pvalue",
    "summary_table",
]

CLAIM = "Section 7"
ALPHA = 0.05
BASELINES = ("MLP", "SVM")
_REQUIRED = ("repeat", "n", "m", "model", "test_error", "train_error")


def paired_permutation_pvalue(diff: object) -> float:
    """Exact one-sided p-value of ``H0: the differences are symmetric about 0`` against
    ``they tend to be positive``: the fraction of the ``2^R`` sign flips ``s`` with
    ``sum_r s_r |D_r| >= sum_r D_r`` (with a relative tolerance of 1e-12 for ties).

    Examples
    --------
    >>> paired_permutation_pvalue([0.3, 0.2, 0.4, 0.1, 0.25])  # every repeat positive: 2^-5
    0.03125
    >>> paired_permutation_pvalue([0.3, 0.2, 0.4, 0.1, 0.0])  # a tie doubles it
    0.0625
    """
    D = check_array("diff", diff, ndim=1, dtype=float)
    if not 1 <= D.size <= 20:
        raise ValueError(f"diff must hold between 1 and 20 differences, got {D.size}")
    observed = math.fsum(D)
    mag = np.abs(D)
    tol = 1e-12 * max(1.0, math.fsum(mag))
    hits = 0
    for signs in itertools.product((1.0, -1.0), repeat=D.size):
        if math.fsum(s * v for s, v in zip(signs, mag, strict=True)) >= observed - tol:
            hits += 1
    return hits / 2**D.size


def paired_t_pvalue(diff: object) -> float:
    """One-sided paired t-test p-value of ``H0: mean difference <= 0`` (``R - 1`` degrees of
    freedom). Equal differences: 0 if positive, else 1.

    Examples
    --------
    >>> round(paired_t_pvalue([0.3, 0.2, 0.4, 0.1, 0.25]), 4)
    0.0037
    """
    D = check_array("diff", diff, ndim=1, dtype=float)
    if D.size < 2:
        raise ValueError(f"diff must hold at least 2 differences, got {D.size}")
    mean = float(np.mean(D))
    sd = float(np.std(D, ddof=1))
    if sd <= 1e-15 * max(1.0, abs(mean)):
        return 0.0 if mean > 0 else 1.0
    t = mean / (sd / math.sqrt(D.size))
    return float(_st.t.sf(t, D.size - 1))


def _check_records(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    rows = list(records)
    if not rows:
        raise ValueError("records must hold at least one row")
    for i, r in enumerate(rows):
        if not isinstance(r, Mapping):
            raise ValueError(f"records[{i}] must be a mapping, got {type(r).__name__}")
        missing = [key for key in _REQUIRED if key not in r]
        if missing:
            raise ValueError(f"records[{i}] lacks the keys {missing}")
    return rows


def _check_x_key(x_key: str) -> str:
    if x_key not in ("m", "n"):
        raise ValueError(f"x_key must be 'm' or 'n', got {x_key!r}")
    return x_key


def _errors(rows: Sequence[Mapping[str, Any]], x_key: str, key: str = "test_error"
            ) -> dict[tuple[str, int], dict[int, float]]:
    """``{(model, x): {repeat: value}}``; a duplicate ``(model, x, repeat)`` raises."""
    out: dict[tuple[str, int], dict[int, float]] = {}
    for r in rows:
        cell = out.setdefault((str(r["model"]), int(r[x_key])), {})
        rep = int(r["repeat"])
        if rep in cell:
            raise ValueError(f"records: two rows for model {r['model']}, {x_key} = {r[x_key]}, "
                             f"repeat {rep}")
        cell[rep] = float(r[key])
    return out


def mean_interval(diff: object, confidence: float = 0.95) -> list[float]:
    """Two-sided Student-t interval for the mean of paired differences (``R - 1`` degrees of
    freedom); equal differences give a point.

    Examples
    --------
    >>> [round(x, 4) for x in mean_interval([0.3, 0.2, 0.4, 0.1, 0.25])]
    [0.1112, 0.3888]
    """
    D = check_array("diff", diff, ndim=1, dtype=float)
    if D.size < 2:
        raise ValueError(f"diff must hold at least 2 differences, got {D.size}")
    mean, sd = float(np.mean(D)), float(np.std(D, ddof=1))
    half = float(_st.t.ppf(0.5 + confidence / 2, D.size - 1)) * sd / math.sqrt(D.size)
    return [mean - half, mean + half]


def _interval(D: np.ndarray) -> list[float]:
    return mean_interval(D) if D.size > 1 else [float(np.mean(D))] * 2


def _effect(details: dict[str, Any], tests: list[dict[str, Any]], key: str) -> None:
    """The row's effect (:func:`verify.evidence.calculus.row_slack`): the comparison closest
    to failing, its mean paired difference (baseline - ConvPool: positive where the claim
    holds) and its 95% t interval."""
    worst = min(tests, key=lambda t: t[key])
    details["effect"] = worst[key]
    details["effect_interval"] = worst["difference_ci95"]
    details["effect_is"] = (f"{key.replace('_', ' ')} (baseline - ConvPool) of the closest "
                            f"comparison: {worst['baseline']}"
                            + (f" at m={worst['m']}" if "m" in worst else ""))


def _paired(cells: dict[tuple[str, int], dict[int, float]], a: str, b: str, x: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Errors of models ``a`` and ``b`` at ``x`` over the repeats both have, in repeat order."""
    ca, cb = cells.get((a, x), {}), cells.get((b, x), {})
    reps = sorted(set(ca) & set(cb))
    if len(reps) < 2:
        raise ValueError(f"records: models {a} and {b} share fewer than 2 repeats at x = {x}")
    return np.array([ca[r] for r in reps]), np.array([cb[r] for r in reps])


def summary_table(records: Iterable[Mapping[str, Any]], x_key: str) -> list[dict[str, Any]]:
    """One row per ``(x, model)``: mean and sample standard deviation (``ddof = 1``) of the test
    error over the repeats, mean and largest training error, and for the SVM in how many repeats
    the training set was not linearly separable.

    Examples
    --------
    >>> rows = [{"repeat": r, "n": 10, "m": 20, "model": "SVM", "test_error": e,
    ...          "train_error": 0.0, "separable": True} for r, e in enumerate([0.1, 0.3])]
    >>> summary_table(rows, "m")[0]["test_error_mean"]
    0.2
    """
    x_key = _check_x_key(x_key)
    rows = _check_records(records)
    test, train = _errors(rows, x_key), _errors(rows, x_key, "train_error")
    order = {name: i for i, name in enumerate(("ConvPool", *BASELINES))}
    out = []
    for model, x in sorted(test, key=lambda c: (c[1], order.get(c[0], 99), c[0])):
        te = np.array(list(test[(model, x)].values()))
        tr = np.array(list(train[(model, x)].values()))
        nonsep = None
        if model == "SVM":
            nonsep = sum(1 for r in rows if r["model"] == "SVM" and int(r[x_key]) == x
                         and r.get("separable") is False)
        out.append({x_key: x, "model": model, "repeats": int(te.size),
                    "test_error_mean": float(np.mean(te)),
                    "test_error_std": float(np.std(te, ddof=1)) if te.size > 1 else 0.0,
                    "train_error_mean": float(np.mean(tr)), "train_error_max": float(np.max(tr)),
                    "nonseparable_repeats": nonsep})
    return out


def error_plot(title: str, table: Sequence[Mapping[str, Any]], x_key: str) -> dict[str, Any]:
    """The plot specification (:mod:`verify._plot`) of a figure's test error against
    ``x_key``: per model (ConvPool and both baselines) the mean over the repeats with bars of
    ±1 sample standard deviation, chance level (0.5) for reference, a log x axis.

    Examples
    --------
    >>> t = [{"m": 10, "model": "SVM", "repeats": 5, "test_error_mean": 0.2,
    ...       "test_error_std": 0.1}]
    >>> s = error_plot("fig", t, "m")["series"][0]
    >>> s["label"], s["yerr"], s["spread"]
    ('SVM', [0.1], '±1 std over 5 repeats')
    """
    series = []
    for model in ("ConvPool", *BASELINES):
        rows = sorted((r for r in table if r["model"] == model), key=lambda r: r[x_key])
        if not rows:
            continue
        reps = sorted({int(r.get("repeats", 0)) for r in rows})
        over = (f"{reps[0]}" if len(reps) == 1 else f"{reps[0]}-{reps[-1]}") + " repeats"
        series.append({"label": model, "x": [r[x_key] for r in rows],
                       "y": [r["test_error_mean"] for r in rows], "style": "line",
                       "yerr": [r["test_error_std"] for r in rows],
                       "spread": f"±1 std over {over}" if reps[0] else "±1 std"})
    for s in series[1:]:  # one legend entry for the bars
        s["spread"] = ""
    return {"title": title,
            "xlabel": "training size m (samples)" if x_key == "m"
            else "n (positions per input x)",
            "ylabel": "test error (fraction misclassified)",
            "logx": True, "logy": False, "series": series, "dodge": 0.01,
            "hlines": [{"y": 0.5, "label": "chance level (0.5)"}],
            "note": "points: mean over the repeats; bars: ±1 sample std (ddof = 1), shifted "
                    "apart; the verdicts: exact paired permutation tests"}


def _pvalue_verdict(p: float, alpha: float) -> Verdict:
    return verdict_from_slack(alpha - p, 0.0)


def min_repeats(alpha: float) -> int:
    """The fewest repeats ``R`` with which the exact permutation test can reach level
    ``alpha``: its smallest attainable p-value is ``2^-R`` (5 for ``alpha = 0.05``).

    Examples
    --------
    >>> min_repeats(0.05), min_repeats(0.03125)
    (5, 5)
    """
    alpha = check_probability("alpha", alpha)
    return max(1, math.ceil(-math.log2(alpha) - 1e-12))


def _too_few_repeats(reps: int, alpha: float) -> str:
    """Why a permutation test over ``reps`` repeats cannot reach ``alpha`` ('' if it can)."""
    if reps >= min_repeats(alpha):
        return ""
    return (f"not tested (too few repeats for alpha): with {reps} repeats the smallest "
            f"attainable p-value is 2^-{reps} = {2.0**-reps:.4g} > alpha = {alpha:g}; "
            f"at least {min_repeats(alpha)} repeats are needed")


def check_outperforms(
    records: Iterable[Mapping[str, Any]],
    *,
    figure: str,
    alpha: float = ALPHA,
    params: Mapping[str, Any] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Fig. 3a/3b: ConvPool's test error is below each baseline's (MLP, SVM) at every training
    size beyond the smallest.

    Per baseline and size, the exact paired permutation test of ``D_r = baseline - ConvPool``
    (:func:`paired_permutation_pvalue`); the claim's p-value is the largest of them
    (intersection-union test). ``observed`` is that p-value, ``bound`` is ``alpha``, ``slack =
    alpha - p`` (positive: the claim is established at level ``alpha``). Saturated sizes (every
    error 0) are not tested; if all are, the verdict is NOT_APPLICABLE."""
    alpha = check_probability("alpha", alpha)
    rows = _check_records(records)
    cells = _errors(rows, "m")
    sizes = sorted({x for _, x in cells})
    if len(sizes) < 2:
        raise ValueError(f"records must cover at least 2 training sizes, got {sizes}")
    tests, saturated = [], []
    for base in BASELINES:
        for m in sizes[1:]:
            cp, bl = _paired(cells, "ConvPool", base, m)
            if not cp.any() and not bl.any():
                saturated.append({"baseline": base, "m": m})
                continue
            D = bl - cp
            tests.append({"baseline": base, "m": m, "repeats": int(D.size),
                          "mean_difference": float(np.mean(D)),
                          "difference_ci95": _interval(D),
                          "convpool_wins": int(np.sum(D > 0)), "ties": int(np.sum(D == 0)),
                          "p_permutation": paired_permutation_pvalue(D),
                          "p_reverse": paired_permutation_pvalue(-D),
                          "p_t_test": paired_t_pvalue(D)})
    table = summary_table(rows, "m")
    reps = min(t["repeats"] for t in tests) if tests else 0
    details: dict[str, Any] = {
        "table": table, "tests": tests, "saturated": saturated,
        "test": "exact one-sided paired permutation (sign-flip) test per baseline and size; "
                "intersection-union over them (p = largest)",
        "smallest_attainable_p": 2.0**-reps if reps else None,
        "plot": error_plot(f"Section 7, {figure}: test error vs m", table, "m"),
    }
    statement = (f"{figure}: ConvPool's test error is below the MLP's and the SVM's at every "
                 "training size beyond the smallest")
    all_params = {**(params or {}), "alpha": alpha}
    if not tests:
        return Evidence(CLAIM, statement, Verdict.NOT_APPLICABLE, math.nan, alpha, math.nan,
                        "p-value", 0.0, all_params, {}, "not applicable: every size beyond the "
                        "smallest is saturated (all test errors 0): the models cannot be told "
                        "apart", details, reproduce, strength=Strength.NOT_TESTED)
    worst = max(tests, key=lambda t: (t["p_permutation"], -t["mean_difference"]))
    p = worst["p_permutation"]
    details["decision"] = permutation_decision(p, [t["p_reverse"] for t in tests], reps, alpha)
    _effect(details, tests, "mean_difference")
    if underpowered := _too_few_repeats(reps, alpha):
        return Evidence(CLAIM, statement, Verdict.NOT_TESTED, p, alpha, alpha - p, "p-value",
                        0.0, all_params, {}, underpowered, details, reproduce,
                        strength=Strength.NOT_TESTED)
    verdict = _pvalue_verdict(p, alpha)
    reason = ""
    if verdict is not Verdict.HOLDS:
        against = [t for t in tests if t["mean_difference"] <= 0]
        weak = [t for t in tests if t["p_permutation"] >= alpha and t["mean_difference"] > 0]
        parts = []
        if against:
            parts.append("ConvPool's mean error is not below the baseline's at " + ", ".join(
                f"{t['baseline']} m={t['m']} ({t['mean_difference']:+.4g})" for t in against))
        if weak:
            parts.append("lower on average but not significant at " + ", ".join(
                f"{t['baseline']} m={t['m']} (p={t['p_permutation']:.4g}, wins "
                f"{t['convpool_wins']}/{t['repeats']})" for t in weak))
        reason = "; ".join(parts) + (f" (the smallest attainable p with {reps} repeats is "
                                     f"{2.0**-reps:.4g})")
    return Evidence(CLAIM, statement, verdict, p, alpha, alpha - p, "p-value", 0.0, all_params,
                    {}, reason, details, reproduce, strength=Strength.STATISTICAL)


def check_training_error(
    records: Iterable[Mapping[str, Any]],
    *,
    figure: str,
    svm_separable: bool,
    dim: int,
    x_key: str = "m",
    params: Mapping[str, Any] | None = None,
    reproduce: str = "",
) -> Evidence:
    """The captions of Fig. 3: every model reaches zero training error on the separable data
    (``svm_separable=True``, Fig. 3a); on the noisy data (Fig. 3b) ConvPool and the MLP do.

    ``observed`` is the largest training error of the models that must reach zero, ``bound``
    0, ``slack = -observed`` (the per-size training errors are in the table of
    :func:`summary_table`). Fig. 3b's other half, that the SVM's training error is non-zero in
    some cases, is :func:`verify.claims.section_7.svm_training.check_svm_training_error`: only
    training sets of more than ``dim + 1`` points can test it (``details`` counts them here)."""
    x_key = _check_x_key(x_key)
    rows = _check_records(records)
    must = ("ConvPool", "MLP", "SVM") if svm_separable else ("ConvPool", "MLP")
    worst = max((float(r["train_error"]) for r in rows if r["model"] in must), default=math.nan)
    svm = [r for r in rows if r["model"] == "SVM"]
    nonzero = [{"model": r["model"], x_key: int(r[x_key]), "repeat": int(r["repeat"]),
                "train_error": float(r["train_error"])}
               for r in rows if r["model"] in must and float(r["train_error"]) > 0]
    details = {"nonzero_cases": nonzero,
               "svm_nonzero_train_error_cases": sum(1 for r in svm
                                                    if float(r["train_error"]) > 0),
               "svm_cases": len(svm),
               "svm_cases_above_dim+1": sum(1 for r in svm if int(r["m"]) > dim + 1)}
    verdict = Verdict.FAILS if math.isnan(worst) or worst > 0 else Verdict.HOLDS
    reason = ""
    if verdict is Verdict.FAILS:
        reason = "non-zero training error: " + ", ".join(
            f"{c['model']} {x_key}={c[x_key]} repeat {c['repeat']} ({c['train_error']:.4g})"
            for c in nonzero[:6])
    statement = (f"{figure}: every model reaches zero training error" if svm_separable else
                 f"{figure}: ConvPool and the MLP reach zero training error")
    return Evidence(CLAIM, statement, verdict, worst, 0.0, 0.0 - worst, "difference", 0.0,
                    dict(params or {}), {}, reason, details, reproduce)


def _slopes(cells: dict[tuple[str, int], dict[int, float]], model: str, ns: list[int]
            ) -> dict[int, float]:
    reps = set.intersection(*(set(cells.get((model, n), {})) for n in ns))
    t = np.log2(np.array(ns, dtype=float))
    return {r: float(np.polyfit(t, [cells[(model, n)][r] for n in ns], 1)[0])
            for r in sorted(reps)}


def check_growth_with_n(
    records: Iterable[Mapping[str, Any]],
    *,
    figure: str = "fig4",
    alpha: float = ALPHA,
    params: Mapping[str, Any] | None = None,
    reproduce: str = "",
) -> Evidence:
    """Fig. 4: ConvPool's test error grows less with ``n`` than the MLP's and the SVM's.

    In each repeat, the least-squares slope of test error against ``log2 n`` (error gained per
    doubling of ``n``) of every model; per baseline, the exact paired permutation test of
    ``slope_baseline - slope_ConvPool``; the claim's p-value is the larger of the two
    (intersection-union). ``details`` also tests whether each baseline's error grows at all
    (its slopes against 0) and gives ConvPool's mean error at the smallest and largest ``n``."""
    alpha = check_probability("alpha", alpha)
    rows = _check_records(records)
    cells = _errors(rows, "n")
    ns = sorted({x for _, x in cells})
    if len(ns) < 2:
        raise ValueError(f"records must cover at least 2 values of n, got {ns}")
    slopes = {model: _slopes(cells, model, ns) for model in ("ConvPool", *BASELINES)}
    tests = []
    for base in BASELINES:
        reps = sorted(set(slopes["ConvPool"]) & set(slopes[base]))
        if len(reps) < 2:
            raise ValueError(f"records: ConvPool and {base} share fewer than 2 complete repeats")
        D = np.array([slopes[base][r] - slopes["ConvPool"][r] for r in reps])
        own = np.array([slopes[base][r] for r in reps])
        tests.append({"baseline": base, "repeats": int(D.size),
                      "mean_slope_difference": float(np.mean(D)),
                      "difference_ci95": _interval(D),
                      "convpool_flatter": int(np.sum(D > 0)),
                      "p_permutation": paired_permutation_pvalue(D),
                      "p_reverse": paired_permutation_pvalue(-D),
                      "p_t_test": paired_t_pvalue(D),
                      "baseline_grows_p_permutation": paired_permutation_pvalue(own)})
    table = summary_table(rows, "n")
    cp_mean = {r["n"]: r["test_error_mean"] for r in table if r["model"] == "ConvPool"}
    details: dict[str, Any] = {
        "table": table, "tests": tests,
        "slope_per_doubling_of_n": {
            model: {"mean": float(np.mean(list(s.values()))),
                    "std": float(np.std(list(s.values()), ddof=1)) if len(s) > 1 else 0.0}
            for model, s in slopes.items() if s},
        "convpool_error_at_smallest_and_largest_n": [cp_mean.get(ns[0]), cp_mean.get(ns[-1])],
        "test": "per repeat, least-squares slope of test error vs log2 n; exact one-sided "
                "paired permutation test of baseline slope - ConvPool slope; "
                "intersection-union over the baselines (p = largest)",
        "smallest_attainable_p": 2.0 ** -min(t["repeats"] for t in tests),
        "plot": error_plot(f"Section 7, {figure}: test error vs n", table, "n"),
    }
    p = max(t["p_permutation"] for t in tests)
    statement = (f"{figure}: ConvPool's test error grows less with n than the MLP's and the "
                 "SVM's (slope per doubling of n)")
    all_params = {**(params or {}), "alpha": alpha}
    reps = min(t["repeats"] for t in tests)
    details["decision"] = permutation_decision(p, [t["p_reverse"] for t in tests], reps, alpha,
                                               what="has the flatter slope in")
    _effect(details, tests, "mean_slope_difference")
    if underpowered := _too_few_repeats(reps, alpha):
        return Evidence(CLAIM, statement, Verdict.NOT_TESTED, p, alpha, alpha - p, "p-value",
                        0.0, all_params, {}, underpowered, details, reproduce,
                        strength=Strength.NOT_TESTED)
    verdict = _pvalue_verdict(p, alpha)
    reason = ""
    if verdict is not Verdict.HOLDS:
        reason = "; ".join(
            f"{t['baseline']}: mean slope difference {t['mean_slope_difference']:+.4g}, ConvPool "
            f"flatter in {t['convpool_flatter']}/{t['repeats']} repeats, p = "
            f"{t['p_permutation']:.4g}" for t in tests if t["p_permutation"] >= alpha)
    return Evidence(CLAIM, statement, verdict, p, alpha, alpha - p, "p-value", 0.0,
                    all_params, {}, reason, details, reproduce, strength=Strength.STATISTICAL)
