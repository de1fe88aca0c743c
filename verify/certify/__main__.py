"""``python -m verify.certify check PATH...``: re-verify certificate files (:mod:`verify.certify`).

One line per file, ``PATH: verified: ...`` or ``PATH: NOT VERIFIED: ...``. Exit status 0 when
every file verifies, 1 when one does not, 2 on a usage error (no path, a path that is not a
readable file, a file that is not a JSON object), reported before any checking.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verify.certify import check

USAGE = "usage: python -m verify.certify check PATH..."


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["-h"], ["--help"]):
        print(USAGE + "\nexit status: 0 all verify, 1 one does not verify, 2 usage error")
        return 0
    if not args or args[0] != "check" or len(args) < 2:
        print(f"{USAGE}\nverify.certify: error: give the command 'check' and at least one path",
              file=sys.stderr)
        return 2
    docs = []
    for name in args[1:]:
        path = Path(name)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"verify.certify: error: cannot read {name!r}: {exc}", file=sys.stderr)
            return 2
        except json.JSONDecodeError as exc:
            print(f"verify.certify: error: {name!r} is not JSON: {exc}", file=sys.stderr)
            return 2
        if not isinstance(doc, dict):
            print(f"verify.certify: error: {name!r} is not a JSON object", file=sys.stderr)
            return 2
        docs.append((name, doc))
    status = 0
    for name, doc in docs:
        res = check(doc)
        print(f"{name}: {'verified' if res.ok else 'NOT VERIFIED'}: {res.message}", flush=True)
        status = status if res.ok else 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
