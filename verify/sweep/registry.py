"""Where the claims' sweep declarations live: the modules that end with ``SWEEP = ...``.

(The lead folds ``lemma_5_2_sweep`` and ``theorem_4_2_sweep`` into their claim modules.)
"""

from __future__ import annotations

import importlib
import re

from verify.sweep.spec import SweepSpec

__all__ = ["MODULES", "find", "specs"]

MODULES = (
    "verify.lemma_5_2_sweep",
    "verify.event_14",
    "verify.lemma_5_3",
    "verify.lemma_5_5",
    "verify.lemma_c1",
    "verify.lemma_c2",
    "verify.appendix_e",
    "verify.theorem_5_1",
    "verify.theorem_4_2_sweep",
)


def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+(?:\.[a-z0-9]+)*", name.lower()))


def module_specs(module: str) -> tuple[SweepSpec, ...]:
    """The sweep declarations of one module."""
    sweep = importlib.import_module(module).SWEEP
    out = sweep if isinstance(sweep, tuple) else (sweep,)
    return tuple(out)


def specs() -> dict[str, SweepSpec]:
    """Every declared sweep, by claim name, in the order of :data:`MODULES`."""
    return {s.claim: s for mod in MODULES for s in module_specs(mod)}


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
