"""The paper's claims, one module (or package) per claim, named after it.

Each claim module declares itself once (``DECLARATION``, a
:class:`~verify.evidence.claim.ClaimDeclaration`): its names, statement, where it is in the paper,
its named assumptions, its checkers and ``report_checks(profile, seed)``, the regimes it is
reported on. :mod:`verify.claims.section_5` holds the run of LW_CNN and the helpers that the
Section 5 checkers share; :mod:`verify.claims.second_layer` the second layer's pieces that
Appendix E and Theorem 5.1 share; :mod:`verify.claims.section_7` the experiments.
"""

from __future__ import annotations

import importlib

from verify.evidence.claim import ClaimDeclaration

__all__ = ["CLAIM_MODULES", "declarations"]

CLAIM_MODULES: tuple[str, ...] = (
    "verify.claims.theorem_4_2",
    "verify.claims.lemma_5_2",
    "verify.claims.footnote_5",
    "verify.claims.event_14",
    "verify.claims.lemma_c1",
    "verify.claims.lemma_c2",
    "verify.claims.first_layer_drift",
    "verify.claims.lemma_5_3",
    "verify.claims.lemma_5_5",
    "verify.claims.appendix_e",
    "verify.claims.appendix_e_last_step",
    "verify.claims.theorem_5_1",
    "verify.claims.theorem_5_1_confidence",
    "verify.claims.theorem_5_1_nonvacuous",
    "verify.claims.appendix_a",
    "verify.claims.proposition_6_1",
    "verify.claims.section_6_comparison",
    "verify.claims.sample_complexity",
    "verify.claims.section_7",
    "verify.claims.figure_3c",
    "verify.claims.beyond_the_model",
)
"""The modules that declare a claim, in the paper's order (the report's order)."""


def declarations() -> tuple[ClaimDeclaration, ...]:
    """Every claim's :class:`~verify.evidence.claim.ClaimDeclaration`, in :data:`CLAIM_MODULES`'
    order (imports the claim modules)."""
    return tuple(importlib.import_module(m).DECLARATION for m in CLAIM_MODULES)
