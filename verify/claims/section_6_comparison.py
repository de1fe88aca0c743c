"""Section 6's comparison of sample complexities, step by step, beside Theorem 5.1's ``O(d)``.

Section 6 says: the bound of Brutzkus et al. (2018) for FC networks, and the margin bound of the
hard-margin linear SVM, is ``O(||w*||^2 R^2)`` for any margin-1 separator ``w*``, with
``R = max_x ||x||``; here ``R^2 = n`` (``n`` patterns of norm 1); the best such bound takes the
min-norm ``w_hat`` (Proposition 6.1), so it is ``O(n^2)``; for ``n = Theta(d^r)``, ``r >= 1``,
it is ``O(d^{2r})``, against Theorem 5.1's ``O(d)`` for the CNN.

- :func:`check_linear_complexity` (numerically, on the enumerated support): ``R^2 = n`` and
  ``||w_hat||^2 R^2 = 2n^2`` (the QP's ``w_hat`` and the exact certificate of Proposition 6.1:
  ``||w_hat||^2 = 2n``, so the best bound is ``2n^2``, twice what the text's ``n`` gives).
- :func:`check_cnn_complexity` (numerically, per regime): the CNN's quantity
  ``||a_hat||^2 max_x ||z(x)||^2`` over the whole support, against the proof's ``51200 d``
  (check E.7) and beside ``2n^2``.
- :func:`check_asymptotics` (SymPy): with ``n = c d^r``, ``2n^2 / d^{2r} -> 2c^2`` (so
  ``Theta(d^{2r})``), ``2n^2 / (51200 d) -> oo`` for every ``r >= 1``; and, with the constants,
  the smallest ``d`` from which ``2n^2 > 51200 d``: ``d > 25600 / c^2`` at ``r = 1``,
  ``d^3 > 25600 / c^2`` at ``r = 2``. The gap is asymptotic: the CNN's constant is large.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy as sp

from verify._validate import check_int, check_seed
from verify.claims.proposition_6_1 import closed_form, flat_support
from verify.claims.second_layer import min_norm_separator_homogeneous, support_points
from verify.claims.section_5 import regimes, reproduce_snippet, run_lw_cnn
from verify.evidence import Evidence, Verdict
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model.assumptions import THEOREM_5_1, evaluate
from verify.model.patterns import haar_patterns, standard_patterns
from verify.model.separators import min_norm_separator
from verify.model.setting import Setting
from verify.rng import generator

__all__ = ["CLAIM", "DECLARATION", "check_asymptotics", "check_cnn_complexity",
           "check_linear_complexity"]

CLAIM = "Section 6 (comparison)"
STATEMENT = ("FC/SVM bound O(||w*||^2 R^2) with R^2 = n, best 2n^2 = O(d^{2r}) for n = "
             "Theta(d^r), against the CNN's O(d) (Theorem 5.1)")
TOL = 1e-6


def check_linear_complexity(n: int, l: int, *, patterns: str = "standard", seed: int = 0
                            ) -> Evidence:
    """``R^2 = max ||x||^2 = n`` on the support of D and ``||w_hat||^2 R^2 = 2n^2``, with
    ``w_hat`` from the QP (Clarabel) and from Proposition 6.1's exact certificate. ``observed``
    is the QP's ``||w_hat||^2 R^2``, ``bound`` ``2n^2``; HOLDS when they agree to relative
    :data:`TOL` and ``R^2 = n`` to rounding."""
    n = check_int("n", n, low=1, high=6)
    l = check_int("l", l, low=3, high=6)
    seed = check_seed("seed", seed)
    if patterns == "standard":
        O = standard_patterns(l, l)
    elif patterns == "haar":
        O = haar_patterns(l + 1, l, generator(seed, "patterns", "section-6-comparison"))
    else:
        raise ValueError(f"patterns must be 'standard' or 'haar', got {patterns!r}")
    X, y = flat_support(n, l, O)
    R2 = float(np.max(np.sum(X * X, axis=1)))
    sep = min_norm_separator(X, y, bias=False)
    w2 = float(sep.v @ sep.v)
    exact = int(closed_form(n, l).optimum)
    observed = w2 * R2
    bound = 2.0 * n * n
    err = max(abs(observed - bound) / bound, abs(R2 - n) / n)
    verdict = Verdict.HOLDS if err <= TOL and sep.status == "optimal" else Verdict.FAILS
    return Evidence(
        CLAIM, STATEMENT, verdict, observed, bound, TOL - err, "difference", TOL,
        {"n": n, "l": l, "patterns": patterns, "seed": seed}, {},
        "" if verdict is Verdict.HOLDS else f"relative error {err:.3g} (status {sep.status})",
        {"R^2": R2, "||w_hat||^2 (QP)": w2, "||w_hat||^2 (exact)": exact,
         "text_lower_bound_n^2": n * n, "best_bound_2n^2": 2 * n * n,
         "kkt_residual": sep.kkt_residual, "support_points": int(y.size)},
        f"python -c 'from verify.claims.section_6_comparison import check_linear_complexity; "
        f"print(check_linear_complexity({n}, {l}, patterns=\"{patterns}\", seed={seed})"
        ".summary())'",
    )


def check_cnn_complexity(setting: Setting) -> Evidence:
    """The CNN's ``||a_hat||^2 max ||z(x)||^2`` (``a_hat`` the min-norm margin-1 separator of the
    ``z(x)`` on the whole support of D) against Theorem 5.1's ``51200 d`` (check E.7), beside
    the linear bound ``2n^2``; slack ``51200 d / observed`` (ratio)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    run = run_lw_cnn(setting, second=False)
    idx, y, how = support_points(setting)
    Z = run.features(idx)
    sep = min_norm_separator_homogeneous(Z, y)
    observed = float(sep.v @ sep.v) * float(np.max(np.sum(Z * Z, axis=1)))
    bound = 51200.0 * setting.d
    events = run.events_reason()
    ok = sep.status == "optimal" and observed <= bound
    verdict = Verdict.HOLDS if ok else (Verdict.NOT_APPLICABLE if events else Verdict.FAILS)
    return Evidence(
        CLAIM, STATEMENT, verdict, observed, bound, bound / observed if observed else math.inf,
        "ratio", 0.0, setting.as_dict(), evaluate(setting, THEOREM_5_1),
        "" if ok else (events or f"status {sep.status}, ||a_hat||^2 max||z||^2 = {observed:.4g}"),
        {"points": how, "linear_2n^2": 2 * setting.n**2, "cnn/d": observed / setting.d,
         "cnn_vs_linear": observed / (2 * setting.n**2)},
        reproduce_snippet("section_6_comparison", "check_cnn_complexity", setting),
    )


def asymptotics() -> dict[str, str]:
    """The SymPy side (see the module docstring)."""
    d, c = sp.symbols("d c", positive=True)
    out: dict[str, str] = {}
    for r in (1, 2, 3):
        n = c * d**r
        out[f"r={r}: lim 2n^2/d^(2r)"] = str(sp.limit(2 * n**2 / d ** (2 * r), d, sp.oo))
        out[f"r={r}: lim 2n^2/(51200 d)"] = str(sp.limit(2 * n**2 / (51200 * d), d, sp.oo))
        roots = sp.solve(sp.Eq(2 * n**2, 51200 * d), d)
        out[f"r={r}: 2n^2 = 51200 d at d"] = str(roots)
    return out


def check_asymptotics() -> Evidence:
    """``2n^2 = Theta(d^{2r})`` and ``2n^2 / (51200 d) -> oo`` for ``n = c d^r``, ``r = 1, 2,
    3`` (SymPy limits); ``observed`` 1 when every limit is as the text says."""
    a = asymptotics()
    ok = all(a[f"r={r}: lim 2n^2/d^(2r)"] == "2*c**2" and a[f"r={r}: lim 2n^2/(51200 d)"] == "oo"
             for r in (1, 2, 3))
    return Evidence(
        CLAIM, STATEMENT, Verdict.HOLDS if ok else Verdict.FAILS, float(ok), 1.0,
        float(ok) - 1.0, "difference", 0.0,
        {"method": "SymPy limits", "n_exponent (n = c d^r)": [1, 2, 3]}, {},
        "" if ok else "a limit differs from the text's claim", a,
        "python -c 'from verify.claims.section_6_comparison import check_asymptotics; "
        "print(check_asymptotics().summary())'",
    )


_PROFILES: dict[str, Sequence[tuple[int, int]]] = {
    "quick": ((1, 3), (2, 3), (3, 4), (4, 3)),
    "standard": ((1, 3), (2, 3), (3, 4), (4, 3), (4, 5), (5, 4)),
    "thorough": ((1, 3), (2, 3), (3, 4), (4, 3), (4, 5), (5, 4), (6, 4)),
}


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """The linear bound at small ``(n, l)``, the CNN's on the Section 5 regimes, and the
    asymptotics."""
    if profile not in _PROFILES:
        raise ValueError(f"profile must be one of {sorted(_PROFILES)}, got {profile!r}")
    seed = check_seed("seed", seed)
    out = [check_linear_complexity(n, l, seed=seed) for n, l in _PROFILES[profile]]
    out.append(check_linear_complexity(2, 3, patterns="haar", seed=seed))
    out += [check_cnn_complexity(s) for s in regimes(profile, seed)]
    out.append(check_asymptotics())
    return out


DECLARATION = ClaimDeclaration(
    key="section-6-comparison",
    title="Section 6 (sample complexity: FC network and SVM against the CNN)",
    names=(CLAIM,),
    statement=STATEMENT,
    location="Section 6, after Proposition 6.1",
    assumptions=(),
    checkers=(check_linear_complexity, check_cnn_complexity, check_asymptotics),
    report_checks=report_checks,
    errata=None,
    controls=(
        Control('every bound twice as tight',
                tightened(2),
                why="the FC bound's 2n^2 is attained by ||w_hat||^2 R^2"),
    ),
)
