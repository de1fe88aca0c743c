"""The paper's setting (Section 3 and Theorem 5.1) as one validated value.

A :class:`Setting` holds every number that a run of LW_CNN (Algorithm 1) depends on. The paper's
assumptions are not enforced here: they are named predicates in :mod:`verify.model.assumptions`, so
that a checker can say exactly which assumption holds or fails for a setting.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from verify._validate import check_int, check_positive_float, check_seed

__all__ = ["Setting", "largest_allowed_steps", "minimal_setting"]


@dataclass(frozen=True)
class Setting:
    """Parameters of the distribution D, the network N_CNN and LW_CNN.

    Parameters
    ----------
    d
        Dimension of each pattern and filter (Section 3).
    l
        Number of orthonormal patterns, ``3 <= l <= d``; ``o_1`` positive, ``o_2`` negative,
        the rest spurious.
    n
        Number of patterns (positions) in each input ``x``.
    k
        Number of channels (filters) of N_CNN, Eq. 1.
    m
        Training-set size; ``S_1`` holds the first ``ceil(m/2)`` samples.
    eta1, eta2
        Step sizes of the first and second layer in Algorithm 1.
    r
        Radius of the sphere the filters are initialised on (Section 5).
    T1, T2
        Numbers of gradient steps on ``W`` and on ``a`` (Algorithm 1).
    seed
        Root seed; every random draw derives from it through :mod:`verify.rng`.
    """

    d: int
    l: int
    n: int
    k: int
    m: int
    eta1: float
    eta2: float
    r: float
    T1: int
    T2: int
    seed: int = 0

    def __post_init__(self) -> None:
        d = check_int("d", self.d, low=3)
        l = check_int("l", self.l, low=3)
        if l > d:
            raise ValueError(f"l must be <= d (orthonormal patterns in R^d), got l={l} > d={d}")
        values = {
            "d": d,
            "l": l,
            "n": check_int("n", self.n, low=1),
            "k": check_int("k", self.k, low=1),
            "m": check_int("m", self.m, low=2),
            "eta1": check_positive_float("eta1", self.eta1),
            "eta2": check_positive_float("eta2", self.eta2),
            "r": check_positive_float("r", self.r),
            "T1": check_int("T1", self.T1, low=0),
            "T2": check_int("T2", self.T2, low=0),
            "seed": check_seed("seed", self.seed),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def m1(self) -> int:
        """``|S_1| = ceil(m/2)`` (Section 3)."""
        return math.ceil(self.m / 2)

    @property
    def m2(self) -> int:
        """``|S_2| = m - ceil(m/2)``."""
        return self.m - self.m1

    def replace(self, **changes: object) -> Setting:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def largest_allowed_steps(d: int, k: int, T1: int) -> tuple[float, float]:
    """The largest ``eta1`` and ``r`` that Theorem 5.1 allows: ``eta1 = 1/(4k(T1+1))``,
    ``r = eta1/200``.

    ``d`` is validated (``d >= 3``) though the two values do not depend on it, so that the call
    reads as "for this setting".

    Examples
    --------
    >>> largest_allowed_steps(3, 217, 1)
    (0.000576036866359447, 2.880184331797235e-06)
    """
    check_int("d", d, low=3)
    k = check_int("k", k, low=1)
    T1 = check_int("T1", T1, low=0)
    eta1 = 1.0 / (4.0 * k * (T1 + 1))
    return eta1, eta1 / 200.0


def minimal_setting(d: int, l: int, k: int, *, n: int = 1, m: int = 2, seed: int = 0) -> Setting:
    """The setting ``(d, l, n, k, m)`` with every other field at its smallest valid value and
    the largest steps Theorem 5.1 allows at ``T1 = 1`` (``eta2 = 1``, ``T2 = 0``): for claims
    that depend on a few fields only (Lemma 5.2 on ``d, l, k``; Eq. 14 on ``m``; Theorem 4.2 on
    ``d, l, n``), so that their named assumptions can be evaluated on a full setting.

    Examples
    --------
    >>> s = minimal_setting(3, 3, 217)
    >>> (s.T1, s.eta1 == largest_allowed_steps(3, 217, 1)[0], s.r == s.eta1 / 200)
    (1, True, True)
    """
    eta1, r = largest_allowed_steps(d, k, 1)
    return Setting(d=d, l=l, n=n, k=k, m=m, eta1=eta1, eta2=1.0, r=r, T1=1, T2=0, seed=seed)
