"""Lemma 5.2 at ``k >= d^3`` for ``d`` beyond the exact scan: a union of one-sided Chernoff
bounds with the exact Kullback-Leibler divergence, in ball arithmetic.

At ``l = d`` each count ``X = |W_0+ ∩ A+|`` (and ``|W_0- ∩ A-|``) is ``Bin(k, q_d)``
(:func:`~verify.claims.lemma_5_2.exact.lucky_probability`). Eq. 7 fails when one of the two
counts is below ``k/(4d)`` or above ``k/d``. For ``a < q``, ``P(X <= a k) <= e^{-k KL(a || q)}``,
and for ``b > q``, ``P(X >= b k) <= e^{-k KL(b || q)}`` (Chernoff), with
``KL(a || q) = a ln(a/q) + (1 - a) ln((1 - a)/(1 - q))``. A union over the four tails gives

    P(Eq. 7 fails at k) <= C(k) = 2 e^{-k KL(1/(4d) || q_d)} + 2 e^{-k KL(1/d || q_d)}.

Both divergences are positive (``1/(4d) < q_d < 1/d``), so ``C`` decreases in ``k``:
``C(d^3) <= 4e^{-d}`` shows Eq. 7 with probability ``>= 1 - 4e^{-d}`` at every ``k >= d^3``
(Section 5's sketch). :func:`chernoff_tail_ball` encloses ``C(k)``, the divergences and
``4e^{-d}`` in python-flint's ``arb`` (every rounding inside the radius), and
:func:`check_chernoff_tail` decides ``C(d^3) <= 4e^{-d}`` only when the enclosures exclude
the other side. Without python-flint the same sums are taken in float64 and the row says so.
The report attaches the certificate ``lemma_5_2_chernoff_tail`` (:mod:`verify.certify`), which
re-derives the enclosures from ``(d, l, k)`` alone: those rows are ``proved``.

At ``k = d^3`` the ratio ``C(d^3) / 4e^{-d}`` is 0.858 at ``d = 8``, 0.0729 at ``d = 11``,
0.0020 at ``d = 14`` and 2.3e-7 at ``d = 19``; it exceeds 1 for ``d <= 7``, where only the exact
scan (:mod:`verify.claims.lemma_5_2.smallest_k`) decides.
"""

from __future__ import annotations

import math
from typing import Any

from verify._validate import check_int
from verify.claims.lemma_5_2.exact import claimed_failure_rate, lucky_probability
from verify.claims.lemma_5_2.smallest_k import CLAIM_SMALLEST_K, STATEMENT_SMALLEST_K
from verify.evidence import Evidence, Strength, Verdict

__all__ = [
    "CHERNOFF_DS",
    "PART",
    "check_chernoff_tail",
    "chernoff_tail",
    "chernoff_tail_ball",
    "kl_divergence",
]

CHERNOFF_DS = tuple(range(11, 20))
"""The ``d`` the report closes with the Chernoff/KL tail: above the quick scan (``d <= 10``),
below the symbolic Bernstein argument (``d >= 20``,
:func:`~verify.claims.lemma_5_2.smallest_k.large_d_certificate`)."""

PART = "P(Eq. 7 fails) <= 4e^{-d} at every k >= d^3"
"""The part of the statement these rows test (``details["part"]``)."""

BITS = 128
"""Working precision of the ball arithmetic, in bits (doubled up to 1024 when undecided)."""


def kl_divergence(a: float, q: float) -> float:
    """``KL(a || q) = a ln(a/q) + (1 - a) ln((1 - a)/(1 - q))`` between Bernoulli(``a``) and
    Bernoulli(``q``), ``0 < a, q < 1``, in float64.

    Examples
    --------
    >>> kl_divergence(0.25, 0.25)
    0.0
    >>> round(kl_divergence(0.1, 0.2), 6)
    0.03669
    """
    for name, v in (("a", a), ("q", q)):
        if not isinstance(v, (int, float)) or not 0 < v < 1:
            raise ValueError(f"{name} must be a number in (0, 1), got {v!r}")
    return a * math.log(a / q) + (1 - a) * math.log1p((q - a) / (1 - q))


def _fractions(d: int, l: int) -> tuple[float, float, float]:
    q = lucky_probability(l)
    lo, hi = 1.0 / (4 * d), 1.0 / d
    if not lo < q < hi:
        raise ValueError(f"l: q_l = {q:.4g} is not strictly between 1/(4d) and 1/d at d = {d}, "
                         f"l = {l}: Eq. 7 fails for every large k")
    return lo, hi, q


def chernoff_tail(d: int, l: int, k: int) -> float:
    """``2 e^{-k KL(1/(4d) || q_l)} + 2 e^{-k KL(1/d || q_l)}`` in float64: an upper bound on
    ``P(Eq. 7 fails)`` at ``(d, l, k)`` (Lemma 5.2), decreasing in ``k``."""
    d = check_int("d", d, low=3)
    l = check_int("l", l, low=3, high=d)
    k = check_int("k", k, low=1)
    lo, hi, q = _fractions(d, l)
    return 2 * math.exp(-k * kl_divergence(lo, q)) + 2 * math.exp(-k * kl_divergence(hi, q))


def chernoff_tail_ball(d: int, l: int, k: int, bits: int = BITS) -> dict[str, Any]:
    """The enclosures (``arb`` balls, at ``bits`` bits) of ``KL(1/(4d) || q_l)``,
    ``KL(1/d || q_l)``, the tail ``C(k)``, ``4e^{-d}`` and ``C(k) - 4e^{-d}``, with ``q_l``
    exact (:func:`~verify.claims.lemma_5_2.exact.lucky_probability`'s formula in rationals).
    Needs python-flint."""
    from flint import arb, ctx, fmpq

    d = check_int("d", d, low=3)
    l = check_int("l", l, low=3, high=d)
    k = check_int("k", k, low=1)
    bits = check_int("bits", bits, low=16)
    _fractions(d, l)
    old = ctx.prec
    try:
        ctx.prec = bits
        q = (1 - arb(fmpq(1, 2 ** (l - 1)))) / (2 * (l - 1))
        kls = []
        for a in (arb(fmpq(1, 4 * d)), arb(fmpq(1, d))):
            kls.append(a * (a / q).log() + (1 - a) * ((1 - a) / (1 - q)).log())
        tail = 2 * (-k * kls[0]).exp() + 2 * (-k * kls[1]).exp()
        bound = 4 * arb(-d).exp()
        return {"kl_lower": kls[0], "kl_upper": kls[1], "tail": tail, "bound": bound,
                "difference": tail - bound, "ratio": tail / bound, "bits": bits}
    finally:
        ctx.prec = old


def _ball_text(x: Any) -> str:
    return x.str(12, radius=True)


def _decide_in_arb(d: int, k: int) -> dict[str, Any]:
    """Decide ``C(k) <= 4e^{-d}`` and ``KL > 0`` in balls, doubling the precision to 1024."""
    bits = BITS
    while True:
        b = chernoff_tail_ball(d, d, k, bits)
        positive = bool(b["kl_lower"] > 0 and b["kl_upper"] > 0)
        below, above = bool(b["difference"] < 0), bool(b["difference"] > 0)
        if (positive and (below or above)) or bits >= 1024:
            return {"arithmetic": f"arb ball arithmetic at {bits} bits",
                    "ratio_upper": float(b["ratio"].upper()),
                    "ratio_lower": float(b["ratio"].lower()),
                    "kl_positive": positive, "below": below and positive,
                    "enclosures": {key: _ball_text(b[key]) for key in
                                   ("kl_lower", "kl_upper", "tail", "bound", "ratio")}}
        bits *= 2


def _decide_in_floats(d: int, k: int) -> dict[str, Any]:
    q = lucky_probability(d)
    kl_lo, kl_hi = kl_divergence(1 / (4 * d), q), kl_divergence(1 / d, q)
    ratio = chernoff_tail(d, d, k) / claimed_failure_rate(d)
    # float64 relative error of these few operations is far below 1e-12; the margin says so
    return {"arithmetic": "float64 (python-flint not installed), relative tolerance 1e-12",
            "ratio_upper": ratio * (1 + 1e-12), "ratio_lower": ratio * (1 - 1e-12),
            "kl_positive": kl_lo > 1e-12 and kl_hi > 1e-12,
            "below": ratio * (1 + 1e-12) < 1 and kl_lo > 1e-12 and kl_hi > 1e-12,
            "enclosures": {"kl_lower": repr(kl_lo), "kl_upper": repr(kl_hi),
                           "ratio": repr(ratio)}}


def _flint() -> bool:
    try:
        import flint  # noqa: F401
    except ImportError:
        return False
    return True


def check_chernoff_tail(d: int) -> Evidence:
    """Section 5's ``k >= d^3`` at ``l = d`` for one ``d``, by the Chernoff/KL tail: ``observed``
    is the upper end of the enclosure of ``C(d^3) / 4e^{-d}``, ``bound`` 1, slack ``1 -
    observed``. ``holds`` (for every ``k >= d^3``, since ``C`` decreases in ``k``) when the
    enclosure lies below 1 and both divergences are enclosed above 0; otherwise ``not tested``
    (an upper bound above ``4e^{-d}`` decides nothing: the exact scan does). Strength
    ``computed``: interval arithmetic in ``arb`` (float64 without python-flint), stated in
    ``details["arithmetic"]``; the report makes it ``proved`` with the certificate
    ``lemma_5_2_chernoff_tail`` (:func:`verify.evidence.certified.certify_chernoff_tail`), which
    :mod:`verify.certify` recomputes independently."""
    d = check_int("d", d, low=3, high=200)
    k = d**3
    res = _decide_in_arb(d, k) if _flint() else _decide_in_floats(d, k)
    observed = res["ratio_upper"]
    if res["below"]:
        verdict, strength, reason = Verdict.HOLDS, Strength.COMPUTED, ""
    else:
        verdict, strength = Verdict.NOT_TESTED, Strength.NOT_TESTED
        reason = (f"the Chernoff/KL tail at k = d^3 = {k} is {observed:.4g} x 4e^-d, not below "
                  "4e^-d: an upper bound, it decides nothing here (the exact scan does)")
    return Evidence(
        claim=CLAIM_SMALLEST_K, statement=STATEMENT_SMALLEST_K, verdict=verdict,
        observed=observed, bound=1.0, slack=1.0 - observed, slack_kind="difference",
        tolerance=0.0,
        params={"d": d, "l": d, "k": k, "method": "Chernoff/KL union bound, decreasing in k"},
        assumptions={"l=d": True}, reason=reason,
        details={**res, "part": PART, "for_every_k_from": k if res["below"] else None,
                 "tail": "2 e^{-k KL(1/(4d)||q_d)} + 2 e^{-k KL(1/d||q_d)} >= P(Eq. 7 fails)",
                 "monotone": "both KL > 0, so the tail decreases in k: k = d^3 covers every "
                             "k >= d^3"},
        reproduce=("python -c 'from verify.claims.lemma_5_2.chernoff import "
                   f"check_chernoff_tail; print(check_chernoff_tail({d}).summary())'"),
        strength=strength,
    )
