"""Sweep declaration of Theorem 4.2 (to be folded into the Theorem 4.2 module): the exact VC
dimension of ``H_CNN(X)`` (:func:`verify.theorem_4_2.check_vc_dimension`) against
``2^(d/2-1)``, ``d = 2n``, over ``n = 2..8`` and every ``3 <= l <= d``. The seed only draws the
labellings realised and the random networks shown constant on each pattern set."""

from __future__ import annotations

from typing import Any

from verify.evidence import Evidence
from verify.sweep.spec import Grid, SweepSpec
from verify.theorem_4_2 import CLAIM, check_vc_dimension

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
