"""What every certificate kind of :mod:`verify.certify` shares: the format tag, the result of a
check, and the validation of integer inputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FORMAT", "Result", "pos_int"]

FORMAT = "verify-certificate/1"


@dataclass(frozen=True)
class Result:
    """Outcome of :func:`check`: ``ok`` when the certificate proves its verdict; ``message``
    says what was proved or why not."""

    ok: bool
    message: str



def pos_int(name: str, value: Any, low: int) -> int:
    """``value`` when it is an integer ``>= low`` (not a bool); else ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return value
