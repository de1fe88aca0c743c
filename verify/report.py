"""``python -m verify.report``: run the claim checkers and write REPORT.md (work in progress)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print(
        "verify.report: the report generator is being built (issue 5); it will run every claim "
        "checker and write REPORT.md.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
