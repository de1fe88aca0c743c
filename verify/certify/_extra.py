"""The ``certify`` extra (python-flint, z3-solver), checked before anything of
:mod:`verify.certify` loads: ``python -m verify.certify`` without it prints one line and exits
with status 2; ``import verify.certify`` raises an ImportError naming the extra
(:func:`verify._cli.require_extra`)."""

from __future__ import annotations

from verify._cli import require_extra

__all__: list[str] = []

require_extra("verify.certify", "certify", ("flint", "z3"))
