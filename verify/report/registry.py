"""Which claims the report runs, in which order, under which heading: the claims' own
declarations (:func:`verify.claims.declarations`), never restated here.

Each section is one :class:`~verify.evidence.claim.ClaimDeclaration`: its ``report_checks(profile,
seed) -> list[Evidence]`` runs it (the report never re-implements a claim), ``names`` lists the
claim names it covers, as they appear in :attr:`Evidence.claim` and in ``--only``.
"""

from __future__ import annotations

from verify._cli import loose_name
from verify.claims import declarations
from verify.evidence.claim import ClaimDeclaration

__all__ = ["SECTIONS", "Section", "claim_names", "select"]


Section = ClaimDeclaration
"""A section of the report is one claim's declaration."""

SECTIONS: tuple[Section, ...] = declarations()


def claim_names() -> list[str]:
    """Every claim name ``--only`` accepts, plus each section key."""
    names: list[str] = []
    for s in SECTIONS:
        names.append(s.key)
        names.extend(s.names)
    return names


def select(only: list[str] | None, *, also: tuple[str, ...] = ()) -> tuple[Section, ...]:
    """The sections that ``--only`` names (all of them when ``only`` is empty).

    Matching ignores case, spaces and punctuation other than dots: ``lemma5.2``,
    ``"Lemma 5.2"`` and ``lemma-5.2`` all name the Lemma 5.2 section. An unknown name raises
    ValueError listing every accepted key: the sections' and ``also`` (the report's other
    parts: proof-algebra, errata, fuzzing)."""
    if not only:
        return SECTIONS
    chosen = []
    for name in only:
        key = loose_name(name)
        hits = [s for s in SECTIONS
                if key in {loose_name(s.key), *(loose_name(c) for c in s.names)}]
        if not hits:
            raise ValueError(
                f"--only: unknown claim {name!r}; choose from: "
                + ", ".join([*(s.key for s in SECTIONS), *also])
                + " (or a claim name, e.g. 'Lemma 5.2'; case, spaces and punctuation ignored)"
            )
        chosen.extend(h for h in hits if h not in chosen)
    return tuple(s for s in SECTIONS if s in chosen)
