"""Minimum-norm linear separators, solved as quadratic programmes with Clarabel.

- :func:`min_norm_separator`: the hard-margin separator ``argmin ||v||^2`` subject to
  ``y_s (v . z_s + b) >= 1`` for every sample (``b = 0`` when ``bias=False``). It is ``a_hat``
  of Appendix E (Eq. 25, no bias), ``w_hat`` of Proposition 6.1 (no bias) and the hard-margin
  SVM of Section 7 (with a bias).
- :func:`soft_margin_separator`: ``argmin ||v||^2 / 2 + C sum_s xi_s`` subject to
  ``y_s (v . z_s + b) >= 1 - xi_s``, ``xi >= 0`` (the SVM when the data are not separable).

Each is solved in whichever form is smaller: the primal (``dim`` unknowns, one constraint per
sample) when there are more samples than features, else the dual (one multiplier per sample,
on the Gram matrix ``Z Z^T``). Both return the primal weights and the dual multipliers, and the
KKT residual that certifies them, so a caller can state how far from optimal the answer can be.
"""

from __future__ import annotations

from dataclasses import dataclass

import clarabel
import numpy as np
from scipy import sparse

from verify._validate import check_array, check_labels, check_positive_float

__all__ = ["Separator", "min_norm_separator", "soft_margin_separator"]

_TOL = 1e-10  # Clarabel's gap and feasibility tolerances (its defaults are 1e-8)


@dataclass(frozen=True)
class Separator:
    """A linear separator ``x -> v . x + b`` and its optimality certificate.

    ``status`` is ``"optimal"``, ``"infeasible"`` (no separator with margin 1 exists: the
    samples are not linearly separable) or Clarabel's own status in words when it stopped short.
    ``multipliers`` are the dual variables ``lambda_s >= 0`` (``v = sum_s lambda_s y_s z_s``);
    ``kkt_residual`` is the largest violation of the KKT conditions (stationarity, primal
    feasibility, complementary slackness and, for the hard margin, the duality gap), measured in
    the problem rescaled to ``max |Z| = 1``.
    """

    v: np.ndarray
    b: float
    status: str
    norm_sq: float
    multipliers: np.ndarray
    kkt_residual: float
    min_margin: float

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def _settings() -> clarabel.DefaultSettings:
    s = clarabel.DefaultSettings()
    s.verbose = False
    s.tol_gap_abs = s.tol_gap_rel = s.tol_feas = _TOL
    s.max_threads = 1  # the result must not depend on the machine's thread count
    return s


def _status(sol: clarabel.DefaultSolution, infeasible: tuple[str, ...]) -> str:
    name = str(sol.status).rsplit(".", 1)[-1]
    if name == "Solved":
        return "optimal"
    if name in infeasible:
        return "infeasible"
    return name


def _check(Z: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    Z = check_array("Z", Z, ndim=2, dtype=float)
    if Z.shape[0] < 1 or Z.shape[1] < 1:
        raise ValueError(f"Z must hold at least one sample and one feature, got shape {Z.shape}")
    return Z, check_labels("y", y, Z.shape[0])


def _solve(P, q, A, b, cones) -> clarabel.DefaultSolution:
    P = sparse.triu(sparse.csc_matrix(P), format="csc")
    return clarabel.DefaultSolver(P, q, sparse.csc_matrix(A), b, cones, _settings()).solve()


def _dual(Z: np.ndarray, y: np.ndarray, bias: bool, C: float | None):
    """``min lambda^T Q lambda / 2 - 1^T lambda`` with ``Q = (y y^T) * (Z Z^T)``, ``lambda >= 0``
    (``<= C`` for the soft margin), ``y^T lambda = 0`` with a bias."""
    m = Z.shape[0]
    Q = (y[:, None] * y[None, :]) * (Z @ Z.T)
    rows, rhs, cones = [], [], []
    if bias:
        rows.append(y[None, :])
        rhs.append(np.zeros(1))
        cones.append(clarabel.ZeroConeT(1))
    rows.append(-np.eye(m))
    rhs.append(np.zeros(m))
    if C is not None:
        rows.append(np.eye(m))
        rhs.append(np.full(m, C))
    cones.append(clarabel.NonnegativeConeT(m if C is None else 2 * m))
    sol = _solve(Q, -np.ones(m), np.vstack(rows), np.concatenate(rhs), cones)
    # The dual is unbounded exactly when the samples cannot be separated with margin 1.
    status = _status(sol, ("DualInfeasible", "AlmostDualInfeasible"))
    lam = np.maximum(np.asarray(sol.x, dtype=np.float64), 0.0)
    v = Z.T @ (lam * y)
    b = 0.0
    if bias and status == "optimal":
        # Clarabel's stationarity P x + q + A^T z = 0 reads Q lambda - 1 + nu y - mu = 0, with
        # nu the equality's multiplier: y_s (v . z_s + nu) = 1 on every support vector, so b = nu.
        b = float(np.asarray(sol.z)[0])
    return v, b, lam, status


def _primal(Z: np.ndarray, y: np.ndarray, bias: bool, C: float | None):
    """Unknowns ``(v, b, xi)``: ``min ||v||^2 / 2 + C sum xi`` subject to
    ``-y_s (v . z_s + b) - xi_s <= -1`` and ``-xi <= 0``."""
    m, p = Z.shape
    nb = 1 if bias else 0
    nx = m if C is not None else 0
    P = sparse.block_diag([sparse.eye(p), sparse.csc_matrix((nb + nx, nb + nx))], format="csc")
    q = np.concatenate([np.zeros(p + nb), np.full(nx, C if C is not None else 0.0)])
    blocks = [-y[:, None] * Z]
    if bias:
        blocks.append(-y[:, None])
    if nx:
        blocks.append(-np.eye(m))
    A = [np.hstack(blocks)]
    rhs = [-np.ones(m)]
    if nx:
        A.append(np.hstack([np.zeros((m, p + nb)), -np.eye(m)]))
        rhs.append(np.zeros(m))
    sol = _solve(P, q, np.vstack(A), np.concatenate(rhs), [clarabel.NonnegativeConeT(m + nx)])
    status = _status(sol, ("PrimalInfeasible", "AlmostPrimalInfeasible"))
    x = np.asarray(sol.x, dtype=np.float64)
    lam = np.maximum(np.asarray(sol.z, dtype=np.float64)[:m], 0.0)
    return x[:p], (float(x[p]) if bias else 0.0), lam, status


def _certify(Zs, y, vs, b, lams, status, bias, Cs) -> float:
    """The largest violation of the KKT conditions of the *scaled* problem (``max |Z| = 1``, so
    every quantity is dimensionless): stationarity in ``v`` (relative to the larger of ``||v||``
    and the multipliers, so that ``v = 0`` is measured too) and in ``b``,
    complementary slackness, primal feasibility and, for the hard margin, the relative duality
    gap ``|sum lambda - ||v||^2| / ||v||^2`` (at the optimum ``||v||^2 = sum lambda``)."""
    if status != "optimal":
        return float("nan")
    slack = y * (Zs @ vs + b) - 1.0
    vnorm = float(np.linalg.norm(vs))
    lam_scale = max(1.0, float(np.max(lams, initial=0.0)))
    viol = [
        float(np.linalg.norm(vs - Zs.T @ (lams * y))) / max(vnorm, lam_scale),
        abs(float(lams @ y)) / lam_scale if bias else 0.0,
    ]
    if Cs is None:
        viol.append(float(np.max(lams * np.abs(slack), initial=0.0)) / lam_scale)
        viol.append(max(0.0, -float(np.min(slack))))
        viol.append(abs(float(np.sum(lams)) - vnorm**2) / vnorm**2)
    else:
        inside = np.minimum(lams, Cs - lams)
        viol.append(float(np.max(inside * np.abs(slack), initial=0.0)) / lam_scale)
    return float(max(viol))


def _separator(Z, y, bias, C) -> Separator:
    """Solve on ``Z / s`` with ``s = max |Z|`` (Clarabel's tolerances are absolute: unscaled
    features of size 1e-4, as in Appendix E, would be solved loosely or declared infeasible),
    then map back: ``v = v' / s``, ``lambda = lambda' / s^2``, ``C' = C s^2``, ``b`` unchanged."""
    scale = float(np.max(np.abs(Z)))
    if scale == 0.0:
        scale = 1.0
    Zs = Z / scale
    Cs = None if C is None else C * scale**2
    solve = _dual if Z.shape[0] <= Z.shape[1] else _primal
    vs, b, lams, status = solve(Zs, y, bias, Cs)
    kkt = _certify(Zs, y, vs, b, lams, status, bias, Cs)
    v = vs / scale
    margins = y * (Z @ v + b)
    return Separator(v=v, b=float(b), status=status, norm_sq=float(v @ v),
                     multipliers=lams / scale**2, kkt_residual=kkt,
                     min_margin=float(np.min(margins)))


def min_norm_separator(Z: object, y: object, *, bias: bool = False) -> Separator:
    """The minimum-norm margin-1 separator of the samples ``(Z, y)`` (hard margin).

    ``argmin_v ||v||^2`` subject to ``y_s (v . z_s + b) >= 1`` for every row ``z_s`` of ``Z``,
    with ``b = 0`` unless ``bias``. This is ``a_hat`` of Appendix E (Eq. 25) on the features
    ``z(x)`` of ``S_2``, and ``w_hat`` of Proposition 6.1 on the flattened support of D.

    Examples
    --------
    >>> import numpy as np
    >>> sep = min_norm_separator(np.array([[2.0, 0.0], [-1.0, 0.0]]), np.array([1.0, -1.0]))
    >>> sep.status, np.round(sep.v, 6).tolist()
    ('optimal', [1.0, 0.0])
    """
    Z, y = _check(Z, y)
    return _separator(Z, y, bias, None)


def soft_margin_separator(Z: object, y: object, *, C: float, bias: bool = True) -> Separator:
    """The soft-margin SVM: ``argmin ||v||^2 / 2 + C sum_s max(0, 1 - y_s (v . z_s + b))``.

    Always feasible; with ``C`` large it is the hard-margin separator wherever one exists."""
    Z, y = _check(Z, y)
    C = check_positive_float("C", C)
    return _separator(Z, y, bias, C)
