"""The decision and the power of Section 7's paired permutation tests.

Section 7's comparisons (Figs. 3a, 3b, 3c, 4) are exact one-sided paired sign-flip tests over
``R`` repeats, combined by the intersection-union test (:mod:`verify.claims.section_7.verdicts`).
Each row states its decision in ``details["decision"]`` (the contract all statistical rows share):

- ``"demonstrated"``: the intersection-union p-value is below ``alpha`` (every comparison);
- ``"refuted"``: for some comparison the *reverse* one-sided test (the baseline better than
  ConvPool) rejects at ``alpha``;
- ``"undecided"``: neither.

**Power.** A sign-flip test over ``R`` repeats with ``c`` repeats against the claim has p-value
at least ``2^c / 2^R`` (flipping any subset of those ``c`` signs only raises the sum), so it can
reject only if ``c <= c_max``, the largest ``c`` with ``2^(c - R) < alpha``; with no repeat
against the claim the p-value is exactly ``2^-R``. Against the alternative "ConvPool wins each
repeat independently with probability ``w``" one comparison therefore rejects with probability
between ``w^R`` (when ``2^-R < alpha``) and ``P(Bin(R, 1 - w) <= c_max)``; the two are equal when
``c_max = 0`` (5 repeats at ``alpha = 0.05``: exactly ``w^5``). The intersection-union test
rejects only if every comparison does, so its power is at most that. :func:`sign_flip_power`
returns the upper end, so the stated power is never flattering.
"""

from __future__ import annotations

import math

from scipy import stats as _st

from verify._validate import check_int, check_probability

__all__ = ["ALTERNATIVE_WIN_PROBABILITY", "max_losses", "permutation_decision", "sign_flip_power"]

ALTERNATIVE_WIN_PROBABILITY = 0.9
"""The stated alternative: ConvPool wins each repeat independently with probability 0.9."""


def max_losses(repeats: int, alpha: float) -> int:
    """``c_max``: the most repeats against the claim with which a sign-flip test over
    ``repeats`` repeats can still reject at ``alpha`` (``-1``: it never can).

    Examples
    --------
    >>> max_losses(5, 0.05), max_losses(10, 0.05), max_losses(4, 0.05)
    (0, 5, -1)
    """
    repeats = check_int("repeats", repeats, low=1)
    alpha = check_probability("alpha", alpha)
    c = -1
    while c + 1 <= repeats and 2.0 ** (c + 1 - repeats) < alpha:
        c += 1
    return c


def sign_flip_power(repeats: int, alpha: float, win_probability: float) -> float:
    """An upper bound on the power of one sign-flip comparison (and so of the intersection-union
    test) when ConvPool wins each repeat independently with probability ``win_probability``:
    ``P(Bin(R, 1 - w) <= c_max)`` (exact when ``c_max = 0``: ``w^R``).

    Examples
    --------
    >>> round(sign_flip_power(5, 0.05, 0.9), 4)  # 0.9 ** 5
    0.5905
    >>> sign_flip_power(4, 0.05, 0.9)
    0.0
    """
    repeats = check_int("repeats", repeats, low=1)
    alpha = check_probability("alpha", alpha)
    w = check_probability("win_probability", win_probability, open_interval=False)
    c = max_losses(repeats, alpha)
    if c < 0:
        return 0.0
    if c == 0:
        return float(w**repeats)
    return float(_st.binom.cdf(c, repeats, 1.0 - w))


def permutation_decision(p_value: float, reverse_p_values: list[float], repeats: int,
                         alpha: float, *, what: str = "wins") -> dict[str, object]:
    """``details["decision"]`` of a Section 7 row: the module docstring's status from the
    intersection-union ``p_value`` and the reverse tests' p-values, the level, the power
    (:func:`sign_flip_power` at :data:`ALTERNATIVE_WIN_PROBABILITY`) and the alternative in
    words.

    Examples
    --------
    >>> permutation_decision(1 / 32, [1.0, 1.0], 5, 0.05)["status"]
    'demonstrated'
    >>> permutation_decision(0.5, [1 / 32, 1.0], 5, 0.05)["status"]
    'refuted'
    >>> permutation_decision(0.5, [0.5, 1.0], 5, 0.05)["status"]
    'undecided'
    """
    alpha = check_probability("alpha", alpha)
    repeats = check_int("repeats", repeats, low=1)
    if not 0 <= p_value <= 1 or math.isnan(p_value):
        raise ValueError(f"p_value must be in [0, 1], got {p_value!r}")
    if p_value < alpha:
        status = "demonstrated"
    elif any(q < alpha for q in reverse_p_values):
        status = "refuted"
    else:
        status = "undecided"
    w = ALTERNATIVE_WIN_PROBABILITY
    return {
        "status": status, "level": alpha, "power": sign_flip_power(repeats, alpha, w),
        "repeats": repeats,  # what the decision counts (the Summary's Seeds column)
        "alternative": (f"ConvPool {what} each of the {repeats} repeats independently with "
                        f"probability {w} in every comparison (power is an upper bound: exact "
                        f"for one comparison when it needs all {repeats} repeats)"),
        "p_value": float(p_value), "reverse_p_value_min": min(reverse_p_values, default=1.0),
        "max_repeats_against_to_reject": max_losses(repeats, alpha),
        "test": "exact one-sided paired sign-flip test, intersection-union over comparisons; "
                "refuted when the reverse one-sided test rejects for some comparison",
    }
