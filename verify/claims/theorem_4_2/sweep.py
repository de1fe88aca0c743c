"""Sweep declaration of Theorem 4.2 (its DECLARATION.sweeps): the exact VC
dimension of ``H_CNN(X)`` (:func:`verify.claims.theorem_4_2.check_vc_dimension`) against
``2^(d/2-1)``, ``d = 2n``, over ``n = 2..8`` and every ``3 <= l <= d``. The seed only draws the
labellings realised and the random networks shown constant on each pattern set."""

from __future__ import annotations

from typing import Any

from verify.claims.theorem_4_2.statement import CLAIM
from verify.claims.theorem_4_2.vc_dimension import check_vc_dimension
from verify.evidence import Evidence
from verify.evidence.sweep_spec import Grid, SweepSpec

__all__ = ["SWEEP"]


def _sweep(params: dict[str, Any], seed: int) -> Evidence:
    n = int(params["n"])
    return check_vc_dimension(n, int(params["l"]), d=2 * n, seed=seed)


def _grid(n_max: int) -> tuple[dict[str, int], ...]:
    return tuple({"n": n, "d": 2 * n, "l": l} for n in range(2, n_max + 1)
                 for l in range(3, 2 * n + 1))


SWEEP = SweepSpec(
    CLAIM,
    {"quick": Grid(_grid(5), 1), "standard": Grid(_grid(7), 1), "thorough": Grid(_grid(8), 3)},
    _sweep, batch=1, note="exact VC dimension, d = 2n, every 3 <= l <= d",
)
