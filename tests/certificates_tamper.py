"""Shared by the certificate tests: a certificate with one value changed (issue 22's tamper
tests: one digit of an input, one bound, one witness)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any


def tampered(cert: dict[str, Any], path: Sequence[Any], new: Any) -> dict[str, Any]:
    """A deep copy of ``cert`` with the value at ``path`` (keys and indices) set to ``new``."""
    out = copy.deepcopy(cert)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return out
