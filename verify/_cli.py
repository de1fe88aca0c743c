"""What the project's command-line programs share: usage errors are one clear line on stderr,
``<program>: error: <message>``, and exit status 2."""

from __future__ import annotations

import argparse
import sys

__all__ = ["Parser"]


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose usage errors print one line (named after
    ``name``, e.g. ``verify.report``) instead of the usage block, and exit 2."""

    def __init__(self, *args, name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.name}: error: {message}", file=sys.stderr)
        raise SystemExit(2)
