"""Lemma 5.2's per-filter probability (Appendix B): :func:`check_lucky_probability` against the
exact ``P(i in W_0+)``, :func:`check_lucky_probability_exact` (the formula against the exact
``q_l``, in rationals) and :func:`proof_inequalities`, the inequalities the proof chains."""

from __future__ import annotations

from fractions import Fraction

from verify._validate import check_int, check_probability, check_seed
from verify.claims._statistical_rows import equality_decision
from verify.claims.lemma_5_2.exact import lucky_probability, paper_lucky_probability
from verify.claims.lemma_5_2.monte_carlo import _sample
from verify.claims.lemma_5_2.statement import ALPHA, CLAIM_PROBABILITY, Sampler, _dlk, _reproduce
from verify.evidence import Evidence, Strength, Verdict
from verify.evidence.stats import two_sided_binomial_test, two_sided_rejection_probability


def check_lucky_probability(
    d: int,
    l: int,
    k: int,
    *,
    trials: int = 500,
    seed: int = 0,
    alpha: float = ALPHA,
    formula: str = "paper",
    path: str = "fast",
    sampler: Sampler | None = None,
    workers: int | None = None,
) -> Evidence:
    """Check the per-filter probability of the proof of Lemma 5.2 by pooling counts.

    Over ``trials`` initialisations of ``k`` filters, the totals of ``W_0+ ∩ A+`` and of
    ``W_0- ∩ A-`` are each ``Bin(trials k, q)``; each gets the exact two-sided test of
    ``q = target`` at level ``alpha / 2`` (so the checker's false-alarm rate is at most
    ``alpha``). ``formula="paper"``: target ``(1 - 2^{-d+1}) / (2(d-1))`` (Appendix B);
    ``formula="l"``: target ``(1 - 2^{-(l-1)}) / (2(l-1))``. ``details`` has both formulas' tests
    and the power of the paper-formula test against the ``l``-formula value (and vice versa).

    The row is statistical: its slack is minus the size of the effect, ``-|pooled rate
    - target|`` (an equality has no room to spare, so the worst row is the largest gap: the 2x
    gap at ``d = 6, l = 3``, 0.187 against 0.097, reads -0.09), the signed effect ``pooled rate -
    target`` and its interval are ``details["effect"]`` and ``["effect_interval"]``, the smaller
    p-value is
    ``details["p_value"]``, and ``details["decision"]`` is *refuted* when a test rejects, else
    *undecided* (an equality is not demonstrated by sampling), with the power against the other
    formula (:func:`verify.claims._statistical_rows.equality_decision`).
    """
    d, l, k = _dlk(d, l, k)
    trials = check_int("trials", trials, low=1)
    seed = check_seed("seed", seed)
    alpha = check_probability("alpha", alpha)
    if formula not in ("paper", "l"):
        raise ValueError(f"formula must be 'paper' or 'l', got {formula!r}")
    plus, minus = _sample(d, l, k, trials, seed, path, sampler, workers)
    N = trials * k
    sp, sm = int(plus.sum()), int(minus.sum())
    targets = {"paper": paper_lucky_probability(d), "l": lucky_probability(l)}
    other = "l" if formula == "paper" else "paper"
    tests = {
        name: [two_sided_binomial_test(s, N, q, alpha / 2) for s in (sp, sm)]
        for name, q in targets.items()
    }
    mine = tests[formula]
    rejected = any(t.rejected for t in mine)
    p_min = min(t.p_value for t in mine)
    target = targets[formula]
    observed = (sp + sm) / (2 * N)
    if formula == "paper":
        statement = ("P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-d+1}) / (2(d-1)) "
                     "(proof of Lemma 5.2, Appendix B)")
    else:
        statement = ("P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-(l-1)}) / (2(l-1)) "
                     "(corrected: |O minus {o_2}| = l - 1)")
    reason = ""
    if rejected:
        reason = (
            f"pooled rates {sp / N:.5g} (W_0+ ∩ A+) and {sm / N:.5g} (W_0- ∩ A-) over {N} "
            f"filters differ significantly from {target:.5g} (p = {p_min:.3g} < {alpha / 2:g})"
        )
        if formula == "paper" and l < d:
            reason += f"; the argmax runs over l - 1 = {l - 1} patterns, not d - 1 = {d - 1}"
    power = two_sided_rejection_probability(N, target, alpha / 2, targets[other])
    decision = {**equality_decision(
        sp + sm, 2 * N, target, rejected=rejected, p_value=p_min, alpha=alpha, power=power,
        alternative=f"the per-filter probability is the {other} formula's {targets[other]:.5g} "
                    f"(each of the two counts tested at alpha/2)"),
        "unit": "filter draws"}  # the trials are filters, not seeds (the Summary says so)
    return Evidence(
        claim=CLAIM_PROBABILITY,
        statement=statement,
        verdict=Verdict.FAILS if rejected else Verdict.HOLDS,
        observed=observed,
        bound=target,
        slack=-abs(observed - target),
        slack_kind="effect",
        tolerance=0.0,
        params={"d": d, "l": l, "k": k, "trials": trials, "seed": seed, "alpha": alpha,
                "formula": formula, "path": path},
        assumptions={"l=d": l == d},
        reason=reason,
        details={
            "decision": decision,
            "p_value": p_min,
            "effect": observed - target,
            "effect_interval": decision["effect_interval"],
            "filters": N,
            "lucky_plus": sp,
            "lucky_minus": sm,
            "targets": targets,
            "tests": {name: [t.as_dict() for t in ts] for name, ts in tests.items()},
            f"power_against_{other}_formula": power,
            "path": path if sampler is None else "custom sampler",
        },
        reproduce=_reproduce(
            "check_lucky_probability",
            f"{d}, {l}, {k}, trials={trials}, seed={seed}, alpha={alpha!r}, "
            f'formula="{formula}", path="{path}"',
        ),
        holds_under="l = d" if rejected and formula == "paper" and l < d else "",
        strength=Strength.STATISTICAL,
    )


def proof_inequalities(d: int) -> dict[str, object]:
    """The numbers behind Appendix B's last step for ``l = d``, with ``p = q_d``: the proof
    writes ``p >= 1/(2d)`` and ``p <= 1/d`` and concludes ``p - 1/(4d) >= 1/(4d)`` and
    ``p + 1/(4d) <= 1/d``. The first conclusion follows; the second needs ``p <= 3/(4d)``,
    which ``p <= 1/d`` does not give (``p = 1/d`` would give ``5/(4d)``)."""
    d = check_int("d", d, low=3)
    p = paper_lucky_probability(d)
    return {
        "d": d,
        "p": p,
        "p>=1/(2d)": p >= 1 / (2 * d),
        "p<=1/d (written)": p <= 1 / d,
        "p<=3/(4d) (needed)": p <= 3 / (4 * d),
        "p+1/(4d)<=1/d": p + 1 / (4 * d) <= 1 / d,
        "margin_needed": 3 / (4 * d) - p,
        "written_premise_allows_upto": 5 / (4 * d),
        "hoeffding_exponent_k=8d^3": 2 * 8 * d**3 * (1 / (4 * d)) ** 2,
    }


def check_lucky_probability_exact(d: int, l: int) -> Evidence:
    """Appendix B's per-filter probability ``P(i in W_0+ ∩ A+) = (1 - 2^{-d+1}) / (2(d-1))``
    against the exact ``q_l = (1 - 2^{-(l-1)}) / (2(l-1))`` (the argmax of Eq. 6 runs over the
    ``l - 1`` patterns of ``O minus {o_2}``), in rationals: HOLDS iff they are equal (``l = d``;
    ``q_l`` falls strictly in ``l``). A finite computation: the projections are i.i.d. symmetric,
    so ``q_l`` is a sum over sign vectors (:mod:`verify.certify` re-derives it that way and
    makes the row proved, :func:`verify.evidence.certified.certify_per_filter`)."""
    d, l, _ = _dlk(d, l, 1)
    q = (1 - Fraction(1, 2 ** (l - 1))) / (2 * (l - 1))
    paper = (1 - Fraction(1, 2 ** (d - 1))) / (2 * (d - 1))
    equal = q == paper
    return Evidence(
        claim=CLAIM_PROBABILITY,
        statement="P(i in W_0+ ∩ A+) = P(i in W_0- ∩ A-) = (1 - 2^{-d+1}) / (2(d-1)) (proof of "
                  "Lemma 5.2, Appendix B), exactly",
        verdict=Verdict.HOLDS if equal else Verdict.FAILS,
        observed=float(q), bound=float(paper), slack=-abs(float(q - paper)),
        slack_kind="difference", tolerance=0.0,
        params={"d": d, "l": l, "formula": "paper", "method": "exact"},
        assumptions={"l=d": l == d},
        reason="" if equal else (f"q_{l} = {q} (l - 1 = {l - 1} patterns in the argmax) differs "
                                 f"from the paper's {paper} (d - 1 = {d - 1})"),
        details={"q_l": str(q), "paper": str(paper), "ratio": str(q / paper)},
        reproduce=_reproduce("check_lucky_probability_exact", f"{d}, {l}"),
        holds_under="" if equal else "l = d",
        strength=Strength.COMPUTED,
    )
