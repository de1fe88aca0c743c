"""What every certificate kind of :mod:`verify.certify` shares: the format tag, the result of a
check, and the validation of integer inputs."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["FORMAT", "MAX_RATIONAL_DIGITS", "STATUSES", "Result", "pos_int", "rational"]

FORMAT = "verify-certificate/1"


MAX_RATIONAL_DIGITS = 200
"""Longest numerator or denominator of a rational a certificate holds as text."""
_RATIONAL = re.compile(r"-?([0-9]+)(?:/([0-9]+))?")

STATUSES = ("verified", "not verified", "malformed", "too large to re-check")


@dataclass(frozen=True)
class Result:
    """Outcome of :func:`check`: ``ok`` when the certificate proves its verdict; ``message``
    says what was proved or why not; ``status`` is one of
    :data:`~verify.certify._common.STATUSES` (``malformed``: the file is not a certificate of its
    kind; ``too large to re-check``: beyond the kind's caps)."""

    ok: bool
    message: str
    status: str = ""

    def __post_init__(self) -> None:
        if not self.status:
            object.__setattr__(self, "status", "verified" if self.ok else "not verified")


def pos_int(name: str, value: Any, low: int) -> int:
    """``value`` as an ``int`` when it is an integer ``>= low`` (a Python or NumPy integer, not
    a bool); else ValueError naming it."""
    if type(value).__name__ in ("bool", "bool_") or not hasattr(type(value), "__index__"):
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    value = operator.index(value)
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return value


def rational(name: str, value: Any) -> Fraction:
    """``value``, the text of a rational as :class:`fractions.Fraction` prints it (``-3/4``,
    ``2``), with at most :data:`MAX_RATIONAL_DIGITS` digits on each side; else ValueError naming
    it (no exponents: ``"1e999999"`` would take unbounded time)."""
    match = _RATIONAL.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{name} must be a rational as text (e.g. '-3/4'), got {value!r:.60}")
    if max(len(match.group(1)), len(match.group(2) or "")) > MAX_RATIONAL_DIGITS:
        raise ValueError(f"{name}: a rational of more than {MAX_RATIONAL_DIGITS} digits")
    if match.group(2) is not None and int(match.group(2)) == 0:
        raise ValueError(f"{name}: zero denominator in {value!r}")
    return Fraction(value)
