"""The claims' sweep declarations: each claim's ``DECLARATION.sweeps`` (its ``SWEEP``, declared
in the claim's own module or package)."""

from __future__ import annotations

import importlib
import re

from verify.claims import declarations
from verify.evidence.sweep_spec import SweepSpec

__all__ = ["find", "module_specs", "specs"]

def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+(?:\.[a-z0-9]+)*", name.lower()))


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
    ``eq-14-exact`` for ``"Eq. 14 (exact)"``: case and punctuation between words are ignored).

    Raises ``ValueError`` naming the known claims if there is none."""
    table = specs() if table is None else table
    by_slug = {_slug(c): s for c, s in table.items()}
    spec = by_slug.get(_slug(name))
    if spec is None:
        raise ValueError(f"unknown claim {name!r}; known: " + ", ".join(table))
    return spec
