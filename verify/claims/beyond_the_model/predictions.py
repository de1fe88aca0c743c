"""First-order predictions of where each step of Section 5 survives coherence ``mu`` and noise
``sigma`` (derived in ``docs/explanation/beyond-the-model.md``; every formula here cites its
step there). Each returns, for a setting, the predicted boundary ``sigma*(mu)``: the largest noise
under which the step is predicted to survive at coherence ``mu`` (``0`` where it is predicted to
fail at every ``sigma > 0``, ``inf`` where it is predicted to survive every ``sigma``), and the
coherence ``mu*`` beyond which it is predicted to fail without noise (``1`` where it survives
every ``mu < 1``).

The constants: at ``t = 0`` the filters have norm ``r`` and ``N ~ 0``, so ``-l'(y N) = 1/2``;
the classes are balanced (``|S_1+| ~ |S_1-| ~ m_1/2``); ``e_n = E max`` of ``n`` independent
standard normals; ``L ~ k / (2 (l - 1))`` lucky filters of each sign.
"""

from __future__ import annotations

import math

import numpy as np

from verify.model.setting import Setting

__all__ = [
    "GROWTH_SLACK_MU",
    "expected_max_normal",
    "gap_density",
    "lucky_count",
    "max_input_norm",
    "predicted_boundary",
]

GROWTH_SLACK_MU = 5.0 / 9.0
"""Step 1 at ``t = 1``: ``(1 - mu - e_n sigma) / 4 >= 1/9`` (alignment's growth condition)."""

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


def _inverse_cdf(p: float) -> float:
    return float(np.interp(p, _CDF, _X))


def predicted_boundary(conclusion: str, s: Setting, *, fresh: int = 50) -> dict[str, float]:
    """``{"mu_star": ..., "sigma_star": ..., "sigma_slope": ...}`` for one conclusion: the
    predicted boundary is ``sigma*(mu) = min(sigma_star, (mu_star - mu) * sigma_slope)`` for
    ``mu < mu_star`` and none beyond (``sigma_slope = inf``: the noise boundary does not depend
    on ``mu``).

    - ``alignment``: growth at ``t = 1``, ``(1 - mu - e_n sigma)/4 >= 1/9`` (``mu* = 5/9``,
      slope ``1/e_n``), and at ``t = 0`` the worst lucky filter's own pattern must still win on
      at least ``4/9`` of the positives: ``Phi(gap / (sigma sqrt 2))^(n-1) >= 4/9``.
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
        z_q = _inverse_cdf((4.0 / 9.0) ** (1.0 / max(n - 1, 1)))
        t0 = _t0_gap(s) / (math.sqrt(2.0) * max(z_q, 1e-9))
        return {"mu_star": GROWTH_SLACK_MU, "sigma_star": t0, "sigma_slope": 1.0 / e_n}
    if conclusion == "argmax":
        flips_per_sigma = ((m1 / 2) * (n - 1) * lucky_count(s) * gap_density(s.l - 1)
                           * math.sqrt(s.d) / math.sqrt(math.pi))
        return {"mu_star": 1.0, "sigma_star": 1.0 / flips_per_sigma, "sigma_slope": inf}
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
