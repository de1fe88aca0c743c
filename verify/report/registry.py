"""Which checker modules the report runs, in which order, under which heading.

Each entry names a module of :mod:`verify` that exposes ``report_checks(profile, seed) ->
list[Evidence]``; the report never re-implements a claim. ``claims`` lists the claim names the
section covers, as they appear in :attr:`Evidence.claim` and in ``--only``.
"""

from __future__ import annotations

from dataclasses import dataclass

from verify._cli import loose_name

__all__ = ["SECTIONS", "Section", "claim_names", "select"]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    module: str
    claims: tuple[str, ...]
    statement: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "theorem-4.2",
        "Theorem 4.2 (VC dimension)",
        "verify.theorem_4_2",
        ("Theorem 4.2",),
        "If d = 2n, n >= 2, then VCdim(H_CNN(X)) >= 2^(d/2 - 1): the set B is shattered.",
    ),
    Section(
        "lemma-5.2",
        "Lemma 5.2 (lucky filters at initialisation)",
        "verify.lemma_5_2",
        ("Lemma 5.2", "Lemma 5.2 (per-filter probability)"),
        "With probability >= 1 - 4e^{-d}: k/(4d) <= |W0+ ∩ A+|, |W0- ∩ A-| <= k/d.",
    ),
    Section(
        "event-14",
        "Event of Eq. 14 (balanced S_1)",
        "verify.event_14",
        ("Eq. 14",),
        "|S1+|, |S1-| >= m1/3 with probability >= 1 - 4e^{-m/36}.",
    ),
    Section(
        "lemma-c.1",
        "Lemma C.1 (gradient and filter norms)",
        "verify.lemma_c1",
        ("Lemma C.1",),
        "||dL1/dw_i|| <= 1 and ||w_i^(t)|| <= r + eta1 t <= eta1 (t+1) for 0 <= t <= T1.",
    ),
    Section(
        "lemma-c.2",
        "Lemma C.2 (small outputs on S_1)",
        "verify.lemma_c2",
        ("Lemma C.2",),
        "|N[(W^(t), a^(0))](x)| <= 1/2 for x in S1, 0 <= t <= T1.",
    ),
    Section(
        "lemma-5.3",
        "Lemma 5.3 and Corollary 5.4 (lucky filter dynamics)",
        "verify.lemma_5_3",
        ("Lemma 5.3", "Corollary 5.4"),
        "On Eq. 14: o1.w_i^(t) >= t eta1/9, o_j.w_i^(t) <= r (j != 1), p_i^(t)(x+) = o1; mirror.",
    ),
    Section(
        "lemma-5.5",
        "Lemma 5.5 (all filters stay small)",
        "verify.lemma_5_5",
        ("Lemma 5.5",),
        "x[j].w_i^(t) <= 2 eta1 t for 1 <= t <= T1, all i, j and x drawn from D.",
    ),
    Section(
        "appendix-e",
        "Appendix E (the second layer)",
        "verify.appendix_e",
        ("Appendix E",),
        "v* separates D_z with margin 1; norm bounds; Soudry's step size; GD on a converges.",
    ),
    Section(
        "theorem-5.1",
        "Theorem 5.1 (LW_CNN end to end)",
        "verify.theorem_5_1",
        ("Theorem 5.1",),
        "Under its assumptions: L2 -> 0 and test error O(sqrt(d/m)).",
    ),
    Section(
        "proposition-6.1",
        "Section 6 and Proposition 6.1 (linear separators)",
        "verify.proposition_6_1",
        ("Proposition 6.1", "Section 6"),
        "The min-norm margin-1 linear separator of D has ||w_hat||^2 >= n.",
    ),
    Section(
        "section-7",
        "Section 7 (experiments)",
        "verify.experiments",
        ("Section 7",),
        "ConvPool has lower test error than MLP and SVM, and degrades less as n grows.",
    ),
)


def claim_names() -> list[str]:
    """Every claim name ``--only`` accepts, plus each section key."""
    names: list[str] = []
    for s in SECTIONS:
        names.append(s.key)
        names.extend(s.claims)
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
                if key in {loose_name(s.key), *(loose_name(c) for c in s.claims)}]
        if not hits:
            raise ValueError(
                f"--only: unknown claim {name!r}; choose from: "
                + ", ".join([*(s.key for s in SECTIONS), *also])
                + " (or a claim name, e.g. 'Lemma 5.2'; case, spaces and punctuation ignored)"
            )
        chosen.extend(h for h in hits if h not in chosen)
    return tuple(s for s in SECTIONS if s in chosen)
