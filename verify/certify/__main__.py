"""``python -m verify.certify check PATH...`` and ``python -m verify.certify check --report
INDEX``: re-verify certificate files (:mod:`verify.certify`).

One line per file, ``PATH: verified: ...``, ``PATH: NOT VERIFIED: ...``, ``PATH: malformed:
...`` or ``PATH: too large to re-check: ...``. Files are read (at most
:data:`verify.certify._strict.MAX_FILE_BYTES` bytes each) and checked one at a time, each on its
own: one bad file never stops the others. With ``--report`` the files are those the report's
certificate index (``<stem>_files/certificates.json``, or the ``report.json`` of ``--json``)
binds to its proved rows: each must be present with its SHA-256, back its row (kind,
parameters, verdict), and no other certificate may lie in the folder
(:mod:`verify.certify._binding`).

Exit status: 0 every file verifies, 1 one does not, 2 usage error (one line, before any
checking), 3 a crash (one line naming the file), 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path

from verify._cli import FAILURE, INTERRUPTED, USAGE, Parser, UsageError, run_main

NAME = "verify.certify"


def _parser() -> Parser:
    p = Parser(prog="python -m verify.certify", name=NAME,
               description="Re-verify certificates from their inputs alone, without the "
                           "checkers.",
               epilog="status lines: verified, NOT VERIFIED, malformed, too large to re-check")
    p.add_argument("command", choices=["check"], help="re-verify certificate files")
    p.add_argument("paths", nargs="*", metavar="PATH", help="certificate files")
    p.add_argument("--report", metavar="INDEX",
                   help="the report's certificate index (<stem>_files/certificates.json or "
                        "report.json): check every certificate it binds to a proved row")
    return p


def check_file(path: Path) -> tuple[bool, str]:
    """``(ok, line)`` for the certificate file at ``path``; a crash inside the check is
    re-raised with the file named."""
    from verify.certify import _strict, check

    try:
        cert = _strict.read(path)
    except _strict.Malformed as exc:
        return False, f"{path}: malformed: {exc}"
    except OSError as exc:
        return False, f"{path}: NOT VERIFIED: cannot read: {exc.strerror or exc}"
    try:
        res = check(cert, name=path.name)
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:
        raise RuntimeError(f"{path}: {type(exc).__name__}: {exc}") from exc
    word = {"verified": "verified", "not verified": "NOT VERIFIED"}.get(res.status, "")
    return res.ok, f"{path}: {res.message}" if not word else f"{path}: {word}: {res.message}"


def _main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    paths = [Path(p) for p in args.paths]
    if not paths and args.report is None:
        raise UsageError("give at least one PATH, or --report INDEX")
    if paths and args.report is not None:
        raise UsageError("give PATHs or --report INDEX, not both")
    if args.report is not None:
        from verify.certify import _binding

        report = Path(args.report)
        if not report.is_file():
            raise UsageError(f"--report: {args.report!r} is not a readable file")
        return _binding.check_report(report, check_file)
    for p in paths:
        if not p.is_file():
            raise UsageError(f"{str(p)!r} is not a readable file")
    return check_files(paths)


def check_files(paths: list[Path]) -> int:
    """Each file checked in turn, one line each: 0 all verify, 1 one does not, 3 one crashed
    (its line on stderr names it; the files after it are still checked)."""
    status = 0
    for p in paths:
        try:
            ok, line = check_file(p)
        except RuntimeError as exc:
            print(f"{NAME}: failed: {exc}", file=sys.stderr, flush=True)
            status = FAILURE
            continue
        print(line, flush=True)
        status = status if ok or status == FAILURE else 1
    return status


def main(argv: list[str] | None = None) -> int:
    """The command; returns the exit status (0, 1, 2, 3 or 130)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return run_main(NAME, lambda: _main(args))
    except SystemExit as exc:  # argparse's --help (0) and usage errors (2)
        return int(exc.code or 0)


__all__ = ["FAILURE", "INTERRUPTED", "USAGE", "check_file", "check_files", "main"]

if __name__ == "__main__":
    raise SystemExit(main())
