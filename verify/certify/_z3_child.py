"""The child process in which :func:`verify.certify._algebra.z3_isolated` runs Z3:
``python -m verify.certify._z3_child`` reads one request (JSON on stdin: ``variables``,
``assumptions``, ``goal``, ``integers``, ``timeout_ms``, ``memory``), caps its own address space
at ``memory`` bytes before importing Z3, asks the kernel to kill it when its parent dies
(Linux), decides, and writes one JSON reply on stdout: ``["ok", [status, witness]]``,
``["not polynomial", why]``, ``["value", why]`` or ``["error", why]``.

A plain subprocess rather than :mod:`multiprocessing`: it needs no fork of a threaded parent
(a report's worker), and a daemonic process may start it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

__all__ = ["main"]

_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Ask the kernel for SIGKILL when the parent exits (Linux); exit at once if it already
    has."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's kill on timeout remains
        pass
    if os.getppid() != parent:
        os._exit(1)


def _decide(request: dict[str, Any]) -> list[Any]:
    import resource

    memory = int(request["memory"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from verify.certify._algebra import NotPolynomial, z3_decide

    try:
        status, witness = z3_decide(request["variables"], request["assumptions"],
                                    request["goal"], int(request["timeout_ms"]),
                                    request["integers"])
    except NotPolynomial as exc:
        return ["not polynomial", str(exc)]
    except ValueError as exc:
        return ["value", str(exc)]
    return ["ok", [status, witness]]


def main() -> None:
    """Read the request, decide, reply (see the module's docstring)."""
    try:
        request = json.loads(sys.stdin.read())
        _die_with(int(request["parent"]))
        reply = _decide(request)
    except BaseException as exc:  # any failure is the reply "error"
        reply = ["error", f"{type(exc).__name__}: {exc}"]
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
