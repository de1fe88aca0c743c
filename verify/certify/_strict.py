"""Strict reading of a certificate file for :mod:`verify.certify`: bounded size, bounded nesting,
no duplicate keys, no ``NaN``/``Infinity``, integers of bounded length, and a shape that must be
the recomputed certificate's (:func:`shape_problem`).

Every refusal raises :class:`Malformed` (or :class:`TooLarge`) with the one-line reason; nothing
here evaluates the certificate's content.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_INT_DIGITS", "Malformed", "NotTheStatement",
           "TooLarge", "loads", "read", "shape_problem"]

MAX_FILE_BYTES = 4_000_000
"""Largest certificate file read (the largest the thorough report writes is about 50 kB)."""
MAX_DEPTH = 16
"""Deepest nesting of JSON arrays and objects (a certificate uses at most 5)."""
MAX_INT_DIGITS = 40
"""Longest JSON integer (the certificates' integers are counts and sizes)."""


class Malformed(ValueError):
    """The file is not a well-formed certificate; the message is the reason."""


class TooLarge(ValueError):
    """The certificate is well formed but beyond what :func:`verify.certify.check` re-checks
    within its bound; the message names the input and the cap (``k = 10^12 > 10^7``)."""


class NotTheStatement(ValueError):
    """The certificate is well formed but does not state what its label names (an algebra
    step whose id is a step of the paper with another statement or other inputs); the message
    says what differs."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise Malformed(f"duplicate key {key!r}")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise Malformed(f"{name} is not a number a certificate may hold")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise Malformed(f"an integer of {len(text.lstrip('-'))} digits (at most "
                        f"{MAX_INT_DIGITS})")
    return int(text)


def _depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` outside strings (a linear scan, before parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def loads(text: str) -> dict[str, Any]:
    """``text`` parsed strictly as a JSON object; :class:`Malformed` with the reason if not."""
    if len(text) > MAX_FILE_BYTES:
        raise Malformed(f"{len(text)} characters, more than {MAX_FILE_BYTES}")
    if _depth(text) > MAX_DEPTH:
        raise Malformed(f"nested more than {MAX_DEPTH} levels deep")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_constant,
                         parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise Malformed(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise Malformed(f"not a JSON object but a {type(doc).__name__}")
    return doc


def read(path: Path) -> dict[str, Any]:
    """The file at ``path`` read (at most :data:`MAX_FILE_BYTES` + 1 bytes) and parsed by
    :func:`loads`. ``OSError`` propagates (the caller reports an unreadable path)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise Malformed(f"larger than {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Malformed(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    return loads(text)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", int: "an integer",
            float: "a number", bool: "a boolean", type(None): "null"}.get(type(value),
                                                                          type(value).__name__)


def shape_problem(got: Any, want: Any, where: str = "") -> str:
    """Empty when ``got`` has the shape of ``want`` (the same keys in every object, the same
    JSON types, arrays of one length); else the first difference as ``malformed`` reasons read
    (``unknown field 'x'``, ``missing field 'enclosure.bits'``, ``field 'enclosure' must be an
    object, got a string``)."""
    name = where or "the certificate"
    if type(got) is not type(want) and not (want is None or got is None):
        return f"field {name!r} must be {_type_name(want)}, got {_type_name(got)}"
    if isinstance(want, dict):
        for key in got:
            if key not in want:
                return f"unknown field {(where + '.' if where else '') + key!r}"
        for key in want:
            if key not in got:
                return f"missing field {(where + '.' if where else '') + key!r}"
        for key in want:
            why = shape_problem(got[key], want[key], f"{where}.{key}" if where else key)
            if why:
                return why
    elif isinstance(want, list):
        if len(got) != len(want):
            return f"field {name!r} has {len(got)} entries, recomputed {len(want)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            why = shape_problem(g, w, f"{name}[{i}]")
            if why:
                return why
    return ""
