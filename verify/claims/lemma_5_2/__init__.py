"""Lemma 5.2 (Section 5, Part 1; proof in Appendix B): the number of "lucky" filters at
initialisation.

The claim (Eq. 7): with probability at least ``1 - 4e^{-d}``,
``k/(4d) <= |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d``.

The law of the counts, exactly
------------------------------
Filters ``(w_i, a_i)`` are iid. Whether filter ``i`` is in ``W_0+`` (Eq. 6) depends only on the
ordering and signs of its projections on ``o_1, o_3, ..., o_l``, which are a positive multiple of
iid ``N(0, 1)`` variables (see :mod:`verify.claims._kernels.lemma_5_2_numba`). ``W_0+`` takes the
argmax over ``O \\ {o_2}``, which has ``l - 1`` patterns, so

    q_l = P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-(l-1)}) / (2(l-1)).

The proof writes ``d - 1`` for ``l - 1`` (:func:`paper_lucky_probability`): right only when
``l = d``. ``A+`` and ``A-`` are disjoint, so each filter is in ``W_0+ ∩ A+`` with probability
``q_l``, in ``W_0- ∩ A-`` with probability ``q_l``, never in both: the two counts and the rest are
``Multinomial(k; q_l, q_l, 1 - 2 q_l)``. :func:`exact_failure_probability` sums that law, so the
lemma's failure probability is known exactly for every ``(d, l, k)``; the Monte Carlo
(:func:`lucky_counts`, :func:`check_lemma_5_2`) corroborates it through the library's own
initialisation.

Findings (see :func:`errata`): for ``l < d`` the expected count ``k q_l`` can exceed ``k/d`` and
the upper bound fails with high probability even for ``k >= 8d^3``; the statement omits the
``k >= 8d^3`` the proof uses; the proof's step ``q_d <= 1/d  =>  q_d + 1/(4d) <= 1/d`` does not
follow as written (it needs ``q_d <= 3/(4d)``, which is true for ``d >= 3``).

Statistics: every Monte Carlo decision is an exact binomial test at level ``alpha`` (default
:data:`ALPHA` = 1e-9; see :mod:`verify.evidence.stats`). ``n`` (the number of positions) plays no
role: the sets of Eq. 6 depend on ``W_0``, ``a_0`` and ``O`` only.
"""

from __future__ import annotations

from collections.abc import Iterable

from verify._validate import check_int, check_seed
from verify.claims.lemma_5_2.chernoff import CHERNOFF_DS, check_chernoff_tail, chernoff_tail
from verify.claims.lemma_5_2.exact import (
    certified_horizon,
    check_lemma_5_2_exact,
    claimed_failure_rate,
    count_bounds,
    exact_failure_probability,
    failing_ks,
    first_failing_k,
    lemma_failures,
    lucky_probability,
    paper_lucky_probability,
    smallest_counterexample,
)
from verify.claims.lemma_5_2.monte_carlo import check_lemma_5_2, lucky_counts
from verify.claims.lemma_5_2.per_filter import (
    check_lucky_probability,
    check_lucky_probability_exact,
    proof_inequalities,
)
from verify.claims.lemma_5_2.smallest_k import (
    CLAIM_SMALLEST_K,
    check_smallest_k,
    check_smallest_k_from_20,
    check_smallest_k_large_d,
    smallest_k,
)
from verify.claims.lemma_5_2.statement import (
    ALPHA,
    ASSUMPTION_NAMES,
    CHUNK_TRIALS,
    CLAIM,
    CLAIM_PROBABILITY,
    STATEMENT,
    Sampler,
)
from verify.claims.lemma_5_2.sweep import SWEEP
from verify.evidence import Erratum, Evidence, Verdict
from verify.evidence.certified import (
    available,
    certify_algebra_row,
    certify_chernoff_tail,
    certify_lemma_5_2,
    certify_per_filter,
    certify_smallest_k,
    proved_failure_note,
    proved_note,
)
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model.setting import Setting

__all__ = [
    "ALPHA",
    "ASSUMPTION_NAMES",
    "CHUNK_TRIALS",
    "CLAIM",
    "CLAIM_PROBABILITY",
    "DECLARATION",
    "STATEMENT",
    "Sampler",
    "certified_horizon",
    "check_chernoff_tail",
    "check_lemma_5_2",
    "check_lemma_5_2_exact",
    "check_lucky_probability",
    "check_lucky_probability_exact",
    "check_setting",
    "check_smallest_k",
    "check_smallest_k_from_20",
    "check_smallest_k_large_d",
    "chernoff_tail",
    "claimed_failure_rate",
    "count_bounds",
    "errata",
    "exact_failure_probability",
    "failing_ks",
    "first_failing_k",
    "lemma_5_2_grid",
    "lemma_failures",
    "lucky_counts",
    "lucky_probability",
    "paper_lucky_probability",
    "proof_inequalities",
    "report_checks",
    "shown_range",
    "smallest_counterexample",
    "smallest_k",
]

def check_setting(setting: Setting) -> Evidence:
    """:func:`check_lemma_5_2_exact` at ``(setting.d, setting.l, setting.k)``: the setting-level
    form the fuzzing (:mod:`verify.fuzzing`) calls. The counts depend on ``d``, ``l`` and ``k``
    alone (not on ``n``, ``m``, the step sizes or ``r > 0``)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    return check_lemma_5_2_exact(setting.d, setting.l, setting.k)


def lemma_5_2_grid(
    d_values: Iterable[int] = range(3, 11), *, k_factors: tuple[int, ...] = (1,)
) -> list[Evidence]:
    """Exact evidence (:func:`check_lemma_5_2_exact`) over the whole setting: every
    ``3 <= l <= d`` for ``d`` in ``d_values`` and ``k = 8 d^3 f`` for ``f`` in ``k_factors``
    (``f = 1``: the smallest ``k`` the proof allows)."""
    ds = [check_int("d_values", d, low=3) for d in d_values]
    fs = [check_int("k_factors", f, low=1) for f in k_factors]
    return [
        check_lemma_5_2_exact(d, l, 8 * d**3 * f) for d in ds for l in range(3, d + 1) for f in fs
    ]


# ----------------------------------------------------------------------------- report


def errata() -> list[Erratum]:
    """The errata of Lemma 5.2 and its proof, each with evidence computed now."""
    found_by = "verify.claims.lemma_5_2"
    ce = smallest_counterexample(8)
    assert ce is not None
    d, l, k = int(ce["d"]), int(ce["l"]), int(ce["k"])
    mc = check_lemma_5_2(d, l, k, trials=2000, seed=0)
    big = check_lemma_5_2_exact(6, 3, 8 * 6**3 + 1)
    paper = check_lucky_probability(6, 3, 1729, trials=200, seed=0, formula="paper")
    corrected = check_lucky_probability(6, 3, 1729, trials=200, seed=0, formula="l")
    sketch = check_lemma_5_2_exact(3, 3, 27)
    exact_q = check_lucky_probability_exact(6, 3)  # a report row: its certificate is written
    per_filter_note = ""
    if available():
        from verify import certify

        per_filter_note = proved_note(certify.lemma_5_2_per_filter(6, 3), "fails")
    inside = lemma_5_2_grid(range(3, 11))
    worst_inside = max((e for e in inside if e.params["l"] == e.params["d"]),
                       key=lambda e: e.observed / e.bound)
    ineq = [proof_inequalities(dd) for dd in range(3, 201)]
    tight = min(ineq, key=lambda r: r["margin_needed"] * r["d"])
    largest = {dd: failing_ks(dd, dd)["intervals"][-1][1] for dd in range(3, 7)}
    return [
        Erratum(
            location="Lemma 5.2 (Eq. 7), upper bound, for l < d",
            kind="missing-assumption",
            text_says="With probability >= 1 - 4e^{-d}: |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d (setting: "
            "3 <= l <= d)",
            what_is_true="E|W_0+ ∩ A+| = k (1 - 2^{-(l-1)})/(2(l-1)), which exceeds k/d when "
            "d > 2(l-1)/(1 - 2^{-(l-1)}) (l = 3: d >= 6); the lemma holds for l = d and "
            "k >= 8d^3, and in general with k/d replaced by (q_l + 1/(4d)) k <= 3k/(4(l-1)). "
            "A missing assumption: the proof takes l = d; its Hoeffding step goes through "
            "whenever q_l <= 3/(4d) (proof_condition), so with k >= 8d^3 the lemma holds under "
            "l = d and, more generally, under q_l <= 3/(4d)",
            evidence=(
                f"{proved_failure_note(d, l, k)}"
                f"smallest counterexample with k >= 8d^3 (exact): d={d}, l={l}, k={k}: failure "
                f"probability {ce['exact_failure_probability']:.4g} vs 4e^-d = "
                f"{ce['claimed_failure_rate']:.4g}. Monte Carlo: {mc.summary()}. "
                f"At d=6, l=3, k=1729: {big.summary()}"
            ),
            found_by=found_by,
        ),
        Erratum(
            location="Appendix B (proof of Lemma 5.2), P(i in W_0+)",
            kind="false-step",
            text_says="P(i in W_0+) = (1 - 2^{-d+1})/(d-1): the argmax over O minus {o_2} is taken "
            "as over d - 1 patterns",
            what_is_true="O minus {o_2} has l - 1 patterns: P(i in W_0+ ∩ A+) = "
            "(1 - 2^{-(l-1)})/(2(l-1)); the text is right only when l = d",
            evidence=f"{per_filter_note}exact: {exact_q.summary()} || paper's formula: "
            f"{paper.summary()} || l-formula: {corrected.summary()}",
            found_by=found_by,
        ),
        Erratum(
            location="Section 5, proof sketch after Lemma 5.2",
            kind="missing-assumption",
            text_says="Lemma 5.2 states no condition on k; the sketch says 'for k >= d^3'; the "
            "proof (Eq. 13) uses k >= 8d^3 (and l = d)",
            what_is_true="the lemma needs a lower bound on k: with k = d^3 it fails at d = 3; "
            "with k >= 8d^3 and l = d it holds for every d",
            evidence=(
                f"{proved_failure_note(3, 3, 27)}k = d^3: {sketch.summary()}. With l = d, "
                f"the largest failing k (exact, "
                f"complete up to the Hoeffding horizon) is {largest}; 8d^3 = "
                f"{ {dd: 8 * dd**3 for dd in largest} }. Worst l = d case over d = 3..10 at "
                f"k = 8d^3: {worst_inside.summary()}"
            ),
            found_by=found_by,
        ),
        Erratum(
            location="Appendix B, last paragraph (upper bound)",
            kind="false-step",
            text_says="since (1-2^{-d+1})/(2(d-1)) <= 1/d, |W_0+ ∩ A+| <= (1-2^{-d+1})k/(2(d-1)) + "
            "k/(4d) <= k/d",
            what_is_true="p <= 1/d only gives p + 1/(4d) <= 5/(4d); the step needs p <= 3/(4d), "
            "which holds for every d >= 3",
            evidence=(
                f"p <= 3/(4d) for d = 3..200: {all(r['p<=3/(4d) (needed)'] for r in ineq)}; "
                f"smallest relative margin d (3/(4d) - p) = "
                f"{tight['margin_needed'] * tight['d']:.4g} at d = {tight['d']}; at d = 3: "
                f"p = {ineq[0]['p']:.4g}, 3/(4d) = {3 / 12:.4g}, 1/d = {1 / 3:.4g}"
            ),
            found_by=found_by,
        ),
    ]


_PROFILES = {
    "quick": {"d_max": 10, "factors": (1,), "trials": 5000, "pooled": 500, "dense": 0,
              "scans": (), "smallest_k_d_max": 10},
    "standard": {"d_max": 12, "factors": (1, 10), "trials": 20_000, "pooled": 2000,
                 "dense": 1000, "scans": ((6, 4), (5, 3)), "smallest_k_d_max": 14},
    "thorough": {"d_max": 16, "factors": (1, 10, 100), "trials": 100_000, "pooled": 10_000,
                 "dense": 5000, "scans": ((6, 4), (5, 3), (8, 5)), "smallest_k_d_max": 19},
}


def shown_range(d_max: int, closed: Iterable[int] = ()) -> str:
    """The range of ``d`` on which a report shows Section 5's ``k >= d^3``: the exact scan covers
    ``d = 5..d_max`` (``d = 3, 4`` fail), ``closed`` lists further ``d`` closed otherwise (the
    Chernoff/KL tail, :func:`~verify.claims.lemma_5_2.chernoff.check_chernoff_tail`), and
    ``d >= 15`` is covered by the Chernoff rows up to 19 and :func:`check_smallest_k_from_20`
    (or :func:`check_smallest_k_large_d`). ``d >= 5`` when nothing in ``5..14``
    is missing, else the covered runs, e.g. ``5 <= d <= 10 and d >= 15``."""
    d_max = check_int("d_max", d_max, low=5)
    covered = set(range(5, d_max + 1)) | {check_int("closed", d, low=3) for d in closed}
    runs: list[list[int]] = []
    for d in range(5, 15):
        if d in covered:
            if runs and runs[-1][1] == d - 1:
                runs[-1][1] = d
            else:
                runs.append([d, d])
    if runs and runs[-1][1] == 14:
        start = runs.pop()[0]
        tail = f"d >= {start}"
    else:
        tail = "d >= 15"
    return " and ".join([f"{a} <= d <= {b}" if a < b else f"d = {a}" for a, b in runs] + [tail])


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Evidence for the report: the exact grid over ``3 <= l <= d``, Monte Carlo checks at the
    proof's corner (``l = d``, ``k = 8d^3``), at the smallest counterexample and at ``d = 10,
    k = 8001``, and the per-filter probability (paper's and corrected formula)."""
    if profile not in _PROFILES:
        raise ValueError(f"profile must be one of {sorted(_PROFILES)}, got {profile!r}")
    seed = check_seed("seed", seed)
    cfg = _PROFILES[profile]
    scans = set(cfg["scans"])
    out = [
        certify_lemma_5_2(check_lemma_5_2_exact(d, l, 8 * d**3 * f,
                                                scan=(f == 1 and (d, l) in scans)))
        for d in range(3, cfg["d_max"] + 1)
        for l in range(3, d + 1)
        for f in cfg["factors"]
    ]
    out.append(certify_lemma_5_2(check_lemma_5_2_exact(3, 3, 27)))  # the sketch's k = d^3
    T = cfg["trials"]
    for d, l, k in ((3, 3, 216), (5, 3, 1000), (6, 3, 1729), (6, 4, 1729), (10, 10, 8001)):
        out.append(check_lemma_5_2(d, l, k, trials=T, seed=seed))
    for d, l, k in ((6, 3, 1729), (10, 10, 8001), (10, 9, 8001)):
        out.append(certify_per_filter(check_lucky_probability_exact(d, l)))
        for formula in ("paper", "l"):
            out.append(check_lucky_probability(d, l, k, trials=cfg["pooled"], seed=seed,
                                               formula=formula))
    if cfg["dense"]:
        for d, l, k in ((5, 3, 1000), (5, 5, 1000)):
            out.append(check_lemma_5_2(d, l, k, trials=cfg["dense"], seed=seed, path="dense"))
    # d = 11..19, between the quick scan and the symbolic argument: the Chernoff/KL tail in
    # ball arithmetic (milliseconds), at every profile
    chernoff = [certify_chernoff_tail(check_chernoff_tail(d)) for d in CHERNOFF_DS]
    shown = shown_range(cfg["smallest_k_d_max"],
                        [int(e.params["d"]) for e in chernoff if e.verdict is Verdict.HOLDS])
    # the certificate re-checks every k in [k*, horizon) in ball arithmetic (one sum of about
    # sqrt(k) ball operations per k), so every row of the scan is certified at every profile
    out.extend(certify_smallest_k(check_smallest_k(d, shown=shown))
               for d in range(3, cfg["smallest_k_d_max"] + 1))
    out.extend(chernoff)
    # d >= 20: Bernstein's exponent, a proof-algebra step (Z3); d = 15..19 are the Chernoff rows
    out.append(certify_algebra_row(check_smallest_k_from_20()))
    return out


DECLARATION = ClaimDeclaration(
    key="lemma-5.2",
    title="Lemma 5.2 (lucky filters at initialisation)",
    names=(CLAIM, CLAIM_PROBABILITY, CLAIM_SMALLEST_K),
    statement="With probability >= 1 - 4e^{-d}: k/(4d) <= |W0+ ∩ A+|, |W0- ∩ A-| <= k/d.",
    location="Section 5, Lemma 5.2 (Eq. 7); proof in Appendix B",
    assumptions=ASSUMPTION_NAMES,
    checkers=(check_lemma_5_2, check_lemma_5_2_exact, check_lucky_probability, check_setting,
              check_smallest_k, check_smallest_k_large_d, check_chernoff_tail,
              check_smallest_k_from_20),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    controls=(
        Control('failure probability <= 0.4 e^{-d} (the bound divided by 10)',
                tightened(10),
                why='the exact failure probability at l < d exceeds it'),
        Control('q_l <= 0.99 (1 - 2^{-d+1}) / (2(d-1)) (the formula 1% lower)',
                tightened(1.01),
                claim='Lemma 5.2 (per-filter probability)',
                why='false wherever q_l equals the formula (l = d): the exact rows must refute it'),
        Control('Eq. 7 holds w.p. >= 1 - 4e^{-d} for every k >= d^3/2 (the threshold halved)',
                tightened(2),
                claim="Lemma 5.2 (k >= d^3, Section 5's sketch)",
                why='the exact smallest k exceeds d^3/2 at every d run'),
    ),
)
