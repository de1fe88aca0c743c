"""The ``proposition_6_1_kkt`` certificate: Proposition 6.1's min-norm separator of the support
of D (Eq. 9, standard basis of ``R^d``) and its KKT multipliers, checked in exact rationals.

The support of D is rebuilt here from its definition (Section 6): a label ``y = ±1``, the
position ``j+`` of the discriminative pattern (``o_1`` for ``y = +1``, ``o_2`` for ``y = -1``)
and a spurious pattern ``o_3..o_l`` at each other position; ``|supp D| = 2n(l-2)^{n-1}``.
With pattern ``i`` the unit vector ``e_i``, ``w . x = sum_j w[j d + i_j]``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from verify.certify._common import FORMAT
from verify.certify._common import pos_int as _pos_int

__all__ = ["SUPPORT_LIMIT", "check_kkt", "kkt_ok", "proposition_6_1_kkt", "support"]

SUPPORT_LIMIT = 200_000


def support(n: int, l: int) -> Iterator[tuple[int, tuple[int, ...]]]:
    """Every ``(y, (i_1, ..., i_n))`` of supp D (pattern indices from 0)."""
    for y, disc in ((1, 0), (-1, 1)):
        for jplus in range(n):
            for spur in itertools.product(range(2, l), repeat=n - 1):
                idx = list(spur)
                idx.insert(jplus, disc)
                yield y, tuple(idx)


def check_kkt(n: int, l: int, d: int, w: list[Fraction], lam: Fraction) -> dict[str, object]:
    """The KKT conditions of ``min ||w||^2/2 s.t. y w.x >= 1 on supp D`` for ``w`` and the
    multiplier ``lam`` on every support point: primal feasibility, ``lam >= 0``, stationarity
    ``w = sum_s lam y_s x_s``, zero gap ``||w||^2 = sum_s lam``. Returns the exact figures."""
    size = 2 * n * (l - 2) ** (n - 1)
    if size > SUPPORT_LIMIT:
        raise ValueError(f"n, l: the support has {size} points, more than {SUPPORT_LIMIT}")
    if len(w) != n * d:
        raise ValueError(f"w must have n d = {n * d} entries, got {len(w)}")
    grad = [Fraction(0)] * (n * d)
    min_margin: Fraction | None = None
    for y, idx in support(n, l):
        coords = [j * d + i for j, i in enumerate(idx)]
        margin = y * sum(w[c] for c in coords)
        min_margin = margin if min_margin is None or margin < min_margin else min_margin
        for c in coords:
            grad[c] += lam * y
    value = sum(v * v for v in w)
    return {"support_size": size, "min_margin": min_margin, "stationary": grad == list(w),
            "dual_feasible": lam >= 0, "value": value, "sum_multipliers": lam * size}


def proposition_6_1_kkt(n: int, l: int, d: int, w: list[Any], multiplier: Any
                        ) -> dict[str, Any]:
    """The certificate of Proposition 6.1 at ``(n, l, d)`` (standard basis): ``w`` (``n d``
    rationals) and one KKT multiplier for every point of supp D; verdict ``holds`` when the KKT
    conditions hold exactly and the optimum ``||w||^2`` is ``>= n``."""
    n = _pos_int("n", n, 1)
    l = _pos_int("l", l, 3)
    d = _pos_int("d", d, l)
    wf = [Fraction(str(v)) for v in w]
    lam = Fraction(str(multiplier))
    res = check_kkt(n, l, d, wf, lam)
    ok = kkt_ok(res, n)
    return {"format": FORMAT, "kind": "proposition_6_1_kkt", "claim": "Proposition 6.1",
            "inequality": "the min-norm w in R^{nd} with y w.x >= 1 on supp D (Eq. 9, standard "
            "basis) has ||w||^2 >= n: w and the multipliers satisfy the KKT conditions exactly, "
            "so ||w||^2 is the optimum", "inputs": {"n": n, "l": l, "d": d},
            "witness": {"w": [str(v) for v in wf], "multiplier": str(lam)},
            "enclosure": {"optimum": str(res["value"]), "min_margin": str(res["min_margin"])},
            "verdict": "holds" if ok else "undecided"}


def kkt_ok(res: dict[str, Any], n: int) -> bool:
    return bool(res["min_margin"] is not None and res["min_margin"] >= 1 and res["stationary"]
                and res["dual_feasible"] and res["value"] == res["sum_multipliers"]
                and res["value"] >= n)
