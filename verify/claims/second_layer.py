"""The second layer's pieces that Appendix E and Theorem 5.1 share.

- :func:`v_star`: Appendix E's separator of ``D_z`` (``+-80d/(k eta1 T1)`` on the lucky filters);
- :func:`support_points`: the whole support of D when it is small, else fresh draws;
- :func:`min_norm_separator_homogeneous`: ``a_hat`` of Eq. 25, the min-norm margin-1 separator of
  the ``z(x)`` in ``S_2``;
- :func:`descend` and :class:`Descent`: gradient descent on ``a`` (the second layer of
  Algorithm 1) seen at log-spaced checkpoints, with the convex-GD bound of Appendix E's check.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from verify._validate import check_array, check_int, check_labels, check_positive_float
from verify.claims.section_5 import fresh_samples
from verify.model import network
from verify.model.distribution import enumerate_support, support_size
from verify.model.lw_cnn import second_layer
from verify.model.setting import Setting

__all__ = [
    "DEFAULT_LOSS_TOL",
    "SUPPORT_LIMIT",
    "Descent",
    "descend",
    "min_norm_separator_homogeneous",
    "support_points",
    "v_star",
]

SUPPORT_LIMIT = 200_000
DEFAULT_LOSS_TOL = 1e-2


def v_star(plus: object, minus: object, *, d: int, eta1: float, T1: int) -> np.ndarray:
    """The separator of Appendix E: ``80d/(k eta1 T1)`` on ``plus`` (the mask of ``W_0+ ∩ A+``),
    ``-80d/(k eta1 T1)`` on ``minus``, 0 elsewhere (``k = len(plus)``)."""
    plus = check_array("plus", plus, ndim=1).astype(bool)
    minus = check_array("minus", minus, ndim=1).astype(bool)
    if plus.shape != minus.shape:
        raise ValueError("plus and minus must have the same length k")
    if np.any(plus & minus):
        raise ValueError("plus and minus must be disjoint")
    d = check_int("d", d, low=1)
    eta1 = check_positive_float("eta1", eta1)
    T1 = check_int("T1", T1, low=1)
    c = 80.0 * d / (plus.size * eta1 * T1)
    v = np.zeros(plus.size)
    v[plus] = c
    v[minus] = -c
    return v


def support_points(setting: Setting, *, fresh: int = 2000) -> tuple[np.ndarray, np.ndarray, str]:
    """``(idx, y, how)``: the whole support of D when it has at most :data:`SUPPORT_LIMIT`
    points (``how = "support"``), else ``fresh`` draws (``how = "fresh"``)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    fresh = check_int("fresh", fresh, low=1)
    if support_size(setting.n, setting.l) <= SUPPORT_LIMIT:
        idx, y = enumerate_support(setting.n, setting.l, max_size=SUPPORT_LIMIT)
        return idx, y, "support"
    idx, y = fresh_samples(setting, fresh, "appendix-e")
    return idx, y, "fresh"


def min_norm_separator_homogeneous(Z: np.ndarray, y: np.ndarray):
    """``a_hat`` of Eq. 25 (no bias), via :func:`verify.model.separators.min_norm_separator`."""
    from verify.model.separators import min_norm_separator

    return min_norm_separator(Z, y, bias=False)


# ----------------------------------------------------------------------------- gradient descent


@dataclass(frozen=True)
class Descent:
    """Gradient descent on the second layer, seen at checkpoints.

    ``checkpoints`` and ``losses`` (``L_2(a(t))`` there); ``a`` the final ``a(T2)``;
    ``max_increase`` the largest ``L_2(a(t+1)) - L_2(a(t))`` over every step; ``first_below``
    the first ``t`` with ``L_2 <= tol`` (``None`` if never); ``cosines`` ``cos(a(t), a_hat)``
    and ``bound`` the convex-GD bound at the checkpoints (``None`` without ``a_hat``); ``fit``
    the least-squares fit ``log L_2 = slope log t + intercept`` over the last two decades.
    """

    checkpoints: np.ndarray
    losses: np.ndarray
    a: np.ndarray
    max_increase: float
    first_below: int | None
    tol: float
    cosines: np.ndarray | None
    bound: np.ndarray | None
    fit: dict[str, float] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "checkpoints": self.checkpoints.tolist(),
            "losses": self.losses.tolist(),
            "max_increase": self.max_increase,
            "first_below_tol": self.first_below,
            "tol": self.tol,
            "cosines": None if self.cosines is None else self.cosines.tolist(),
            "convex_gd_bound": None if self.bound is None else self.bound.tolist(),
            "fit": self.fit,
        }


def _checkpoints(T2: int, per_decade: int) -> np.ndarray:
    if T2 == 0:
        return np.array([0])
    grid = np.unique(np.round(np.logspace(0, math.log10(T2), 1 + per_decade *
                                          max(1, math.ceil(math.log10(T2 + 1))))).astype(int))
    return np.unique(np.concatenate([[0], grid[grid <= T2], [T2]]))


def _convex_bound(Z, y, a0, a_hat, eta2, ts):
    """``min_s [L_2(s a_hat) + ||a0 - s a_hat||^2 / (2 eta2 t)]`` over a grid of ``s``."""
    s = np.concatenate([[0.0], np.geomspace(1e-3, 1e4, 800)])
    margins = y * (Z @ a_hat)
    L = np.array([network.logistic_loss(si * margins).mean() for si in s])
    dist2 = a0 @ a0 - 2 * s * (a0 @ a_hat) + s**2 * (a_hat @ a_hat)
    ts = np.asarray(ts, dtype=np.float64)
    out = np.full(ts.shape, np.nan)
    pos = ts > 0
    out[pos] = np.min(L[None, :] + dist2[None, :] / (2 * eta2 * ts[pos, None]), axis=1)
    return out


def descend(
    Z: object,
    y: object,
    a0: object,
    *,
    eta2: float,
    T2: int,
    tol: float = DEFAULT_LOSS_TOL,
    a_hat: object | None = None,
    per_decade: int = 4,
) -> Descent:
    """Run :func:`verify.model.lw_cnn.second_layer` for ``T2`` steps in chunks between log-spaced
    checkpoints, checking ``L_2`` at every step for increases (``O(chunk)`` memory)."""
    Z = check_array("Z", Z, ndim=2, dtype=float)
    y = check_labels("y", y, Z.shape[0])
    a = check_array("a0", a0, ndim=1, dtype=float)
    eta2 = check_positive_float("eta2", eta2)
    T2 = check_int("T2", T2, low=0)
    tol = check_positive_float("tol", tol)
    per_decade = check_int("per_decade", per_decade, low=1)
    a_start = a.copy()
    if a_hat is not None:
        a_hat = check_array("a_hat", a_hat, ndim=1, dtype=float)
        if a_hat.shape != a.shape:
            raise ValueError(f"a_hat must have length k = {a.shape[0]}")
        a_hat_norm = float(np.linalg.norm(a_hat))
    cosines = []

    def cosine(v: np.ndarray) -> float:
        den = float(np.linalg.norm(v)) * a_hat_norm
        return float(v @ a_hat) / den if den > 0 else math.nan

    if a_hat is not None:
        cosines.append(cosine(a))
    cps = _checkpoints(T2, per_decade)
    losses = [float(network.logistic_loss(y * (Z @ a)).mean())]
    max_inc = -math.inf
    first_below = 0 if losses[0] <= tol else None
    prev = losses[0]
    for t0, t1 in itertools.pairwise(cps):
        res = second_layer(Z, y, a, eta2=eta2, T2=int(t1 - t0), record_every=1)
        chunk = res.losses
        steps = np.concatenate([[prev], chunk[1:]])
        if steps.size > 1:
            max_inc = max(max_inc, float(np.max(np.diff(steps))))
        if first_below is None:
            hit = np.flatnonzero(chunk <= tol)
            if hit.size:
                first_below = int(t0 + hit[0])
        a = res.a
        prev = float(chunk[-1])
        losses.append(prev)
        if a_hat is not None:
            cosines.append(cosine(a))
    losses_arr = np.array(losses)
    cos = bound = None
    if a_hat is not None:
        cos = np.array(cosines)
        bound = _convex_bound(Z, y, a_start, a_hat, eta2, cps)
    fit = None
    sel = (cps >= max(10, T2 / 100)) & (losses_arr > 0)
    if sel.sum() >= 3:
        slope, icpt = np.polyfit(np.log(cps[sel]), np.log(losses_arr[sel]), 1)
        pred = slope * np.log(cps[sel]) + icpt
        resid = np.log(losses_arr[sel]) - pred
        ss = np.sum((np.log(losses_arr[sel]) - np.log(losses_arr[sel]).mean()) ** 2)
        fit = {"slope": float(slope), "intercept": float(icpt),
               "r2": float(1 - np.sum(resid**2) / ss) if ss > 0 else 1.0,
               "from_t": int(cps[sel][0]), "to_t": int(cps[sel][-1])}
    return Descent(cps, losses_arr, a, max_inc if math.isfinite(max_inc) else 0.0, first_below,
                   tol, cos, bound, fit)
