"""Which claims the report runs, in which order, under which heading: the claims' own
declarations (:func:`verify.claims.declarations`), never restated here.

Each section is one :class:`~verify.evidence.claim.ClaimDeclaration`: its ``report_checks(profile,
seed) -> list[Evidence]`` runs it (the report never re-implements a claim), ``names`` lists the
claim names it covers, as they appear in
:attr:`Evidence.claim <verify.evidence.Evidence.claim>` and in ``--only``.
"""

from __future__ import annotations

from verify._cli import loose_name, unknown_name
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

    Matching ignores case, spaces and punctuation (:func:`verify._cli.loose_name`, shared by
    every command): ``lemma5.2``, ``"Lemma 5.2"`` and ``lemma-5-2`` all name the Lemma 5.2
    section, ``lemmac2`` the Lemma C.2 one. An unknown name raises ValueError with the closest
    names and every accepted one (:func:`verify._cli.unknown_name`): the claims' names and
    ``also`` (the report's other parts: proof-algebra, errata, fuzzing)."""
    if not only:
        return SECTIONS
    chosen = []
    for name in only:
        key = loose_name(name)
        hits = [s for s in SECTIONS
                if key in {loose_name(s.key), *(loose_name(c) for c in s.names)}]
        if not hits:
            names = [c for s in SECTIONS for c in s.names]
            raise ValueError(f"--only: {unknown_name(name, [*names, *also])}")
        chosen.extend(h for h in hits if h not in chosen)
    return tuple(s for s in SECTIONS if s in chosen)
