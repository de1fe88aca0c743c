"""The claims' sweep declarations: each claim's ``DECLARATION.sweeps`` (its ``SWEEP``, declared
in the claim's own module or package)."""

from __future__ import annotations

import importlib

from verify._cli import match_name, unknown_name
from verify.claims import declarations
from verify.evidence.sweep_spec import SweepSpec

__all__ = ["find", "module_specs", "specs"]

def module_specs(module: str) -> tuple[SweepSpec, ...]:
    """The sweep declarations of one module."""
    sweep = importlib.import_module(module).SWEEP
    out = sweep if isinstance(sweep, tuple) else (sweep,)
    return tuple(out)


def specs() -> dict[str, SweepSpec]:
    """Every declared sweep, by claim name, in the claims' order
    (:func:`verify.claims.declarations`)."""
    return {s.claim: s for d in declarations() for s in d.sweeps}


def find(name: str, table: dict[str, SweepSpec] | None = None) -> SweepSpec:
    """The sweep of a claim named ``name`` (``"Lemma 5.2"``, ``lemma-5.2``, ``"lemma 5.2"``;
    ``eq-14-exact`` for ``"Eq. 14 (exact)"``): case, spaces and punctuation are ignored
    (:func:`verify._cli.loose_name`, shared by every command).

    Raises ``ValueError`` with the closest names and every known claim if there is none."""
    table = specs() if table is None else table
    hits = match_name(name, table)
    if not hits:
        raise ValueError(unknown_name(name, table))
    return table[hits[0]]
