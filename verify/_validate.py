"""Argument validation shared by every public function: bad input raises ``ValueError`` naming
the parameter and the constraint it breaks."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

__all__ = [
    "check_array",
    "check_int",
    "check_labels",
    "check_positive_float",
    "check_probability",
    "check_rows",
    "check_seed",
]


def check_int(name: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[low, high]``, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if low is not None and v < low:
        raise ValueError(f"{name} must be >= {low}, got {v}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be <= {high}, got {v}")
    return v


def check_size(name: str, value: object, *, low: int, high: int, why: str = "") -> int:
    """:func:`check_int` for a size that can be too large to compute with (an array that would
    not fit, a float that would overflow): above ``high`` the error names the argument and the
    limit, ``"k = 1180591620717411303424 is too large (at most 10000000: why)"``."""
    v = check_int(name, value, low=low)
    if v > high:
        raise ValueError(f"{name} = {v} is too large (at most {high}{': ' + why if why else ''})")
    return v


def check_positive_float(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a finite ``float`` that is > 0 (or >= 0), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v}")
    if v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {v}")
    return v


def check_probability(name: str, value: object, *, open_interval: bool = True) -> float:
    """Return ``value`` as a float in (0, 1) (or [0, 1]), else raise."""
    v = check_positive_float(name, value, allow_zero=not open_interval)
    if v > 1 or (open_interval and v >= 1):
        raise ValueError(f"{name} must be in {'(0, 1)' if open_interval else '[0, 1]'}, got {v}")
    return v


def check_seed(name: str, value: object) -> int:
    """A seed is a non-negative integer (it feeds ``numpy.random.SeedSequence``)."""
    return check_int(name, value, low=0)


def check_array(
    name: str, value: object, *, ndim: int, dtype: type | None = None, finite: bool = True
) -> np.ndarray:
    """Return ``value`` as a C-contiguous array with ``ndim`` dimensions and, if given, ``dtype``.

    Real arrays are converted to float64; integer arrays to int64. Non-finite reals raise.
    """
    arr = np.asarray(value)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {arr.shape}")
    if dtype is float:
        if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
            raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
        arr = np.ascontiguousarray(arr, dtype=np.float64)
        if finite and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must hold only finite values")
    elif dtype is int:
        if not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}")
        arr = np.ascontiguousarray(arr, dtype=np.int64)
    return arr


def check_labels(name: str, value: object, m: int) -> np.ndarray:
    """Labels are a length-``m`` vector of +1 and -1, returned as float64."""
    y = np.asarray(value)
    if y.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), got {y.shape}")
    if not np.all((y == 1) | (y == -1)):
        raise ValueError(f"{name} must contain only +1 and -1")
    return np.ascontiguousarray(y, dtype=np.float64)


def check_rows(name: str, value: object, *, params: tuple[str, ...],
               fields: tuple[str, ...]) -> list:
    """Sweep-store rows (``verify.sweep.store``) as a non-empty list of mappings, each with a
    ``params`` mapping holding ``params`` and numeric ``fields``, else raise."""
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{name} must be a non-empty list of sweep rows, got {value!r:.80}")
    for row in value:
        if not isinstance(row, Mapping) or not isinstance(row.get("params"), Mapping):
            raise ValueError(f"{name}: each row must be a mapping with a params mapping, got "
                             f"{row!r:.80}")
        missing = [k for k in params if k not in row["params"]]
        if missing:
            raise ValueError(f"{name}: a row's params lack {', '.join(missing)}")
        for f in fields:
            v = row.get(f)
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise ValueError(f"{name}: a row's {f} must be a number, got {v!r}")
    return list(value)
