"""The tie rule for "where": which position a report names as attaining a worst value.

Values that agree up to floating-point rounding (filters of the same norm at initialisation,
support points all at margin exactly 1) differ in their last bits from one BLAS or SIMD path
to another, so ``np.argmax`` would name a different position on another machine. The rule:
the *first* position whose value is within ``tol`` (absolute) or ``rtol`` (relative to the
extreme) of the extreme is the one named. The extreme value itself is unchanged.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["RTOL", "first_extreme"]

RTOL = 1e-9
"""Relative width of a tie: far above rounding (about 1e-16), far below any printed digit."""


def first_extreme(values: object, kind: Literal["max", "min"], tol: float = 0.0,
                  rtol: float = RTOL) -> int:
    """The first flat index of ``values`` within ``max(tol, rtol |extreme|)`` of its largest
    (``kind="max"``) or smallest (``"min"``) value; NaN values are never chosen unless all are.

    Examples
    --------
    >>> first_extreme([1.0, 3.0, 3.0 + 4e-16, 2.0], "max")
    1
    >>> first_extreme([0.5, 1e-16, 4e-16], "max", tol=1e-12)
    0
    """
    if kind not in ("max", "min"):
        raise ValueError(f"kind must be 'max' or 'min', got {kind!r}")
    if tol < 0 or rtol < 0:
        raise ValueError(f"tol and rtol must be >= 0, got tol={tol}, rtol={rtol}")
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0:
        raise ValueError("values must not be empty")
    ok = ~np.isnan(v)
    if not ok.any():
        return 0
    best = float(v[ok].max() if kind == "max" else v[ok].min())
    if not np.isfinite(best):
        return int(np.argmax(v == best))
    width = max(tol, rtol * abs(best))
    near = ok & ((v >= best - width) if kind == "max" else (v <= best + width))
    return int(np.argmax(near))
