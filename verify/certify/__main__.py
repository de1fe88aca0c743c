"""``python -m verify.certify check PATH...``: re-verify certificate files (:mod:`verify.certify`).

One line per file, ``PATH: verified: ...`` or ``PATH: NOT VERIFIED: ...``. Exit statuses: the
project's table (:data:`verify._cli.EXIT_STATUSES`): 0 when every file verifies, 1 when one does
not, 2 on a usage error (no path, a path that is not a readable file, a file that is not a JSON
object), reported before any checking, 3 if the checker itself fails, 130 on Ctrl-C. Imports only
:mod:`verify._cli` besides the certificate checker (no numerical library).
"""

from __future__ import annotations

import json
from pathlib import Path

from verify._cli import CLAIM_FAILS, HOLDS, Parser, UsageError, run_main
from verify.certify import check

PROG = "verify.certify"


def _parser() -> Parser:
    p = Parser(name=PROG, prog="python -m verify.certify",
               description="Re-verify certificate files (REPORT_files/certificates/*.json) "
               "without the checkers: exact rationals, python-flint's arb balls and Z3.")
    p.add_argument("command", choices=("check",), help="check: verify each file")
    p.add_argument("paths", nargs="+", metavar="PATH", help="certificate files (JSON)")
    return p


def _run(argv: list[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error, already printed (2)
        return int(exc.code or 0)
    docs = []
    for name in args.paths:
        path = Path(name)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {name!r}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise UsageError(f"{name!r} is not JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise UsageError(f"{name!r} is not a JSON object")
        docs.append((name, doc))
    status = HOLDS
    for name, doc in docs:
        res = check(doc)
        print(f"{name}: {'verified' if res.ok else 'NOT VERIFIED'}: {res.message}", flush=True)
        status = status if res.ok else CLAIM_FAILS
    return status


def main(argv: list[str] | None = None) -> int:
    """``python -m verify.certify``: see ``--help``; returns the exit status."""
    return run_main(PROG, lambda: _run(argv))


if __name__ == "__main__":
    raise SystemExit(main())
