"""First-order predictions of where each step of Section 5 survives coherence ``mu`` and noise
``sigma`` (derived in ``docs/explanation/beyond-the-model.md``; every formula here cites its
step there). Each returns, for a setting, the predicted boundary ``sigma*(mu)``: the largest noise
under which the step is predicted to survive at coherence ``mu`` (``0`` where it is predicted to
fail at every ``sigma > 0``, ``inf`` where it is predicted to survive every ``sigma``), and the
coherence ``mu*`` beyond which it is predicted to fail without noise (``1`` where it survives
every ``mu < 1``).

The constants: at ``t = 0`` the filters have norm ``r`` and ``N ~ 0``, so ``-l'(y N) = 1/2``;
the smaller class of ``S_1`` holds a fraction ``p = 1/2 - 1/sqrt(2 pi m_1)`` (its typical value:
``E|B/m_1 - 1/2|`` for ``B ~ Bin(m_1, 1/2)``), and the lucky filters of its sign see it;
``e_n = E max`` of ``n`` independent standard normals; ``L ~ k / (2 (l - 1))`` lucky filters of
each sign.
"""

from __future__ import annotations

import math

import numpy as np

from verify.model.setting import Setting

__all__ = [
    "GROWTH_PER_STEP",
    "alignment_mu_star",
    "expected_max_normal",
    "gap_density",
    "lucky_count",
    "max_input_norm",
    "minority_fraction",
    "off_pattern_mu_star",
    "predicted_boundary",
    "sigma_star_at",
]

GROWTH_PER_STEP = 1.0 / 9.0
"""Lemma 5.3, item 1: ``o_1 . w_i^(t) >= t eta1 / 9``, a growth of ``eta1/9`` per step."""

_X = np.linspace(-10.0, 10.0, 20001)
_PHI = np.exp(-_X**2 / 2) / math.sqrt(2 * math.pi)
_CDF = 0.5 * (1.0 + np.vectorize(math.erf)(_X / math.sqrt(2)))


def expected_max_normal(n: int) -> float:
    """``e_n = E max(Z_1..Z_n)`` for iid standard normals (``e_1 = 0``, ``e_4 ~ 1.029``)."""
    return float(np.trapezoid(_X * n * _PHI * _CDF ** (n - 1), _X))


def gap_density(q: int) -> float:
    """Density at 0 of the gap between the largest and second largest of ``q >= 2`` iid
    standard normals: ``q (q - 1) int phi^2 Phi^(q-2)``."""
    return float(q * (q - 1) * np.trapezoid(_PHI**2 * _CDF ** (q - 2), _X))


def minority_fraction(m1: int) -> float:
    """``p = 1/2 - 1/sqrt(2 pi m1)``: the typical fraction of ``S_1`` in its smaller class."""
    return 0.5 - 1.0 / math.sqrt(2.0 * math.pi * m1)


def alignment_mu_star(m1: int) -> float:
    """Alignment's growth at ``t = 1`` is ``(p - (1 - p)(mu + e_n sigma)) / 2`` per ``eta1``
    (the lucky filters of the smaller class, every other sample active): at least ``1/9`` while
    ``mu + e_n sigma <= (p - 2/9) / (1 - p)``; with ``p = 1/2`` this is ``5/9``."""
    p = minority_fraction(m1)
    return (p - 2.0 * GROWTH_PER_STEP) / (1.0 - p)


def off_pattern_mu_star(s: Setting) -> float:
    """Lemma 5.3, item 2 (``o_j . w_i^(t) <= r``, ``j != 1``) with coherence: ``mu* =
    2 r / (eta1 (1 - p))``, with ``1 - p`` the typical fraction of ``S_1`` in its larger class
    (:func:`minority_fraction`).

    The proof of Lemma C.3 (Claim 2) gets ``o_j . w_i^(T+1) <= o_j . w_i^(T)`` (Eq. 23) from
    ``p_T^(i)(x+) . o_j = 0`` (Eq. 21) and the other class's term being ``<= 0`` (Eq. 22). With
    coherence Eq. 21 reads ``o_1 . o_j = mu``, so the own class pushes every rival up by
    ``mu eta1 |S_1+| |l'| / m1 = mu eta1 (1 - p) / 2`` per step (``-l' = 1/2`` at ``N ~ 0``).
    The worst lucky filter has a rival just below 0 and is active on no sample of the other
    class (Eq. 22's term is 0): that rival rises by the full push, and once above 0 the other
    class's samples holding ``o_j`` select it and pull it back down. Its largest value is about
    one push, ``mu eta1 (1 - p) / 2``, and item 2 fails once that exceeds ``r``. In Theorem
    5.1's corner (``r = eta1/200``) this is ``1 / (100 (1 - p))``, about 0.0175 at ``m1 = 30``,
    for every ``d``."""
    return 2.0 * s.r / (s.eta1 * (1.0 - minority_fraction(s.m1)))


def lucky_count(s: Setting) -> float:
    """``L ~ k / (2 (l - 1))``: half the filters have ``a_i = +1``, and ``o_1`` is the largest
    of ``l - 1`` projections (``o_2`` left out) for ``1/(l - 1)`` of them (Eq. 6)."""
    return s.k / (2.0 * (s.l - 1))


def max_input_norm(s: Setting, sigma: float, positions: int) -> float:
    """``X = max ||x[j]|| <= 1 + sigma (sqrt(d) + sqrt(2 ln M))`` over ``M`` noisy positions
    (Gaussian concentration of ``||xi||`` and the union bound)."""
    return 1.0 + sigma * (math.sqrt(s.d) + math.sqrt(2.0 * math.log(max(positions, 2))))


def _noise_for_norm(s: Setting, x_sq: float, positions: int) -> float:
    """The ``sigma`` at which :func:`max_input_norm` reaches ``sqrt(x_sq)``."""
    if x_sq <= 1.0:
        return 0.0
    return (math.sqrt(x_sq) - 1.0) / (math.sqrt(s.d) + math.sqrt(2.0 * math.log(max(positions,
                                                                                   2))))


def _t0_gap(s: Setting) -> float:
    """The smallest relative gap ``(o_own . w_i - max_rival o_j . w_i) / r`` among ``L`` lucky
    filters at ``t = 0``: about ``1 / (sqrt(d) L rho)`` with ``rho`` = :func:`gap_density`."""
    return 1.0 / (math.sqrt(s.d) * lucky_count(s) * gap_density(s.l - 1))


def _flips_per_sigma(s: Setting) -> float:
    """The expected number of flipped (lucky filter, sample of its class, rival) triples at
    ``t = 0`` per unit of ``sigma``: ``(m1/2)(n-1) L rho sqrt(d) / sqrt(pi)``."""
    return ((s.m1 / 2) * (s.n - 1) * lucky_count(s) * gap_density(s.l - 1) * math.sqrt(s.d)
            / math.sqrt(math.pi))


def _inverse_cdf(p: float) -> float:
    return float(np.interp(p, _CDF, _X))


def predicted_boundary(conclusion: str, s: Setting, *, fresh: int = 50) -> dict[str, float]:
    """``{"mu_star": ..., "sigma_star": ..., "sigma_slope": ...}`` for one conclusion: the
    predicted boundary is ``sigma*(mu) = min(sigma_star, (mu_star - mu) * sigma_slope)`` for
    ``mu < mu_star`` and none beyond (``sigma_slope = inf``: the noise boundary does not depend
    on ``mu``).

    - ``alignment``: growth at ``t = 1`` (:func:`alignment_mu_star`: ``mu*``, slope
      ``1/e_n``), and at ``t = 0`` the worst lucky filter's own pattern must still win on a
      fraction ``q >= (2/9)/p`` of its class: ``Phi(gap / (sigma sqrt 2))^(n-1) >= q``.
    - ``off_pattern`` (item 2): :func:`off_pattern_mu_star` (``mu*``); with noise, one flipped
      argmax on a sample of the filter's own class pushes the rival it lands on by
      ``eta1 |l'| / m1 = eta1 / (2 m1)``, so ``q = floor(2 m1 r / eta1) + 1`` flips break it
      (``q = 1`` when ``eta1/(2 m1) > r``, as in Theorem 5.1's corner): the expected number of
      flips (as for ``argmax``) reaches ``q``. Pessimistic: a rival that the other class
      selects is pulled back in the same step.
    - ``argmax``: every lucky filter on every positive at ``t = 0``; the expected number of
      flipped (filter, sample, rival) triples, ``(m1/2)(n-1) L rho sqrt(d) sigma / sqrt(pi)``,
      reaches 1. Coherence does not move it (``mu* = 1``).
    - ``response``: the proof's chain ``x[j] . w_i^(t) <= X (r + t eta1 X) <= 2 eta1 t`` at
      ``t = 1`` needs ``X^2 <= 2 - X r/eta1``; unit patterns keep ``X = 1`` at every ``mu``.
    - ``output``: ``|N| <= k eta1 (T1+1) X^2 <= 1/2`` needs ``X^2 <= 1/(2 k eta1 (T1+1))``.
    - ``separable``: the proof's ``v*`` separates while ``|L+| A > |L-| mu A`` (``mu < 1``);
      with noise, ``k >= m2`` features in general position are separable (Cover): none.
    - ``cnn_beats_svm``: no first-order prediction (``nan``).
    """
    n, m1 = s.n, s.m1
    inf = math.inf
    if conclusion == "alignment":
        e_n = expected_max_normal(n)
        q = min(1.0, 2.0 * GROWTH_PER_STEP / minority_fraction(m1))
        z_q = _inverse_cdf(q ** (1.0 / max(n - 1, 1)))
        t0 = _t0_gap(s) / (math.sqrt(2.0) * max(z_q, 1e-9))
        return {"mu_star": alignment_mu_star(m1), "sigma_star": t0, "sigma_slope": 1.0 / e_n}
    if conclusion == "off_pattern":
        q = math.floor(2.0 * m1 * s.r / s.eta1) + 1
        return {"mu_star": off_pattern_mu_star(s), "sigma_star": q / _flips_per_sigma(s),
                "sigma_slope": inf}
    if conclusion == "argmax":
        return {"mu_star": 1.0, "sigma_star": 1.0 / _flips_per_sigma(s), "sigma_slope": inf}
    if conclusion == "response":
        positions = (m1 + fresh) * n
        x_sq = 2.0 - s.r / s.eta1
        return {"mu_star": 1.0, "sigma_star": _noise_for_norm(s, x_sq, positions),
                "sigma_slope": inf}
    if conclusion == "output":
        x_sq = 1.0 / (2.0 * s.k * s.eta1 * (s.T1 + 1))
        return {"mu_star": 1.0, "sigma_star": _noise_for_norm(s, x_sq, m1 * n),
                "sigma_slope": inf}
    if conclusion == "separable":
        return {"mu_star": 1.0, "sigma_star": inf, "sigma_slope": inf}
    if conclusion == "cnn_beats_svm":
        return {"mu_star": math.nan, "sigma_star": math.nan, "sigma_slope": math.nan}
    raise ValueError(f"conclusion: unknown {conclusion!r}")


def sigma_star_at(prediction: dict[str, float], mu: float) -> float:
    """The predicted boundary ``sigma*(mu)`` (see :func:`predicted_boundary`)."""
    mu_star, s_star, slope = (prediction[k] for k in ("mu_star", "sigma_star", "sigma_slope"))
    if math.isnan(mu_star):
        return math.nan
    if mu >= mu_star:
        return 0.0
    return min(s_star, (mu_star - mu) * slope)
