"""Theorem 4.2 (Section 4): ``VCdim(H_CNN(X)) >= 2^(d/2 - 1)`` when ``d = 2n``, ``n >= 2``.

The proof shatters a set ``B`` of ``N = 2^(n-1)`` points of the support ``X`` of D. Rows of every
array below are indexed by ``I in {0,1}^(n-1)`` read as a binary number with ``I[1]`` the most
significant bit, so the complement ``I^c`` of row ``r`` is row ``N - 1 - r``:

- :func:`shattered_set`: ``x_I[j] = o_{2j+1}`` if ``I[j] = 1`` else ``o_{2j+2}`` (``j < n``) and
  ``x_I[n] = o_1`` or ``o_2``, in pattern-index form (0-based: ``o_i`` is index ``i - 1``);
- :func:`solve_alpha`: the solution of Eq. 5, ``sum_{I' != I} alpha_{I'} = y_{I^c}``, in closed
  form ``alpha = (J/(N-1) - I) y^c`` (the matrix of Eq. 5 is ``J - I``; Sherman-Morrison);
- :func:`filters`: ``w^(I) = max(alpha_I, 0) s_I``, ``u^(I) = max(-alpha_I, 0) s_I`` with
  ``s_I = sum_{j<n} x_I[j]``; ``a = (1, ..., 1, -1, ..., -1)`` (:func:`second_layer`);
- :func:`outputs`: ``N(x_I)`` for many labellings at once, through the library's forward pass
  (:func:`verify.model.network.features` on all the labellings' filters stacked).

Checkers: :func:`check_shattering` (floating point, every labelling or drawn ones, standard or
Haar patterns), :func:`check_exact` (SymPy rationals, standard or exactly orthonormal rational
patterns), :func:`check_system_inverse` (``J - I`` invertible for symbolic ``N``) and
:func:`check_vc_dimension`, which settles the claim for every ``l``: ``N_CNN(x)`` depends on
``x`` only through its set of patterns, and every labelling of distinct sets is realised, so
``VCdim(H_CNN(X))`` is the number of pattern sets (:func:`pattern_set_count`), below
``2^(d/2-1)`` exactly when ``l <= d/2``. The proof uses ``l = d`` (``o_3..o_{2n}``), which
Section 3 does not grant: the theorem as stated is false for small ``l`` (see :func:`errata`).
"""

from __future__ import annotations

from verify._validate import check_seed
from verify.claims.section_5 import PROFILES
from verify.claims.theorem_4_2.certificates import certify_shattering_row, certify_vc_row
from verify.claims.theorem_4_2.exact import cayley_patterns, check_exact, check_system_inverse
from verify.claims.theorem_4_2.shattering import (
    all_labellings,
    check_shattering,
    filters,
    in_support,
    outputs,
    second_layer,
    shattered_set,
    solve_alpha,
    system_matrix,
)
from verify.claims.theorem_4_2.statement import ASSUMPTIONS, CLAIM, MAX_EXHAUSTIVE_N, STATEMENT, TOL
from verify.claims.theorem_4_2.sweep import SWEEP
from verify.claims.theorem_4_2.vc_dimension import (
    MAX_CERTIFIED,
    check_vc_dimension,
    pattern_set_count,
    pattern_set_representatives,
)
from verify.evidence import Erratum, Evidence
from verify.evidence.certified import available, proved_note
from verify.evidence.claim import ClaimDeclaration
from verify.evidence.controls import Control, tightened
from verify.model.setting import Setting

__all__ = [
    "ASSUMPTIONS",
    "CLAIM",
    "DECLARATION",
    "MAX_CERTIFIED",
    "MAX_EXHAUSTIVE_N",
    "STATEMENT",
    "TOL",
    "all_labellings",
    "cayley_patterns",
    "check_exact",
    "check_setting",
    "check_shattering",
    "check_system_inverse",
    "check_vc_dimension",
    "errata",
    "filters",
    "in_support",
    "outputs",
    "pattern_set_count",
    "pattern_set_representatives",
    "report_checks",
    "second_layer",
    "shattered_set",
    "solve_alpha",
    "system_matrix",
]

def check_setting(setting: Setting) -> Evidence:
    """:func:`check_vc_dimension` for a setting's ``(n, l, d)`` (for the fuzzing: outside
    ``d = 2n`` the bound ``2^(d/2-1)`` grows with ``d`` while the VC dimension does not)."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    return check_vc_dimension(setting.n, setting.l, d=setting.d, seed=setting.seed)


def _refuted(n_max: int = 8) -> list[tuple[int, int, int]]:
    """``(n, l, VCdim)`` with ``d = 2n``, ``n <= n_max``, where the theorem fails."""
    return [(n, l, pattern_set_count(n, l)) for n in range(2, n_max + 1)
            for l in range(3, 2 * n + 1) if pattern_set_count(n, l) < 2 ** (n - 1)]
def errata() -> list[Erratum]:
    """What Theorem 4.2's text gets wrong (evidence computed now, exactly)."""
    refuted = _refuted()
    first = min(refuted, key=lambda r: (2 * r[0], r[1]))
    table = ", ".join(f"(n={n}, l={l}): {c} < {2 ** (n - 1)}" for n, l, c in refuted)
    exact = ", ".join(f"d={2 * n}: {pattern_set_count(n, 2 * n)}" for n in range(2, 9))
    proved_first = proved_at_l_d = ""
    if available():
        from verify import certify

        proved_first = proved_note(certify.theorem_4_2_vc_dimension(first[0], first[1],
                                                                    2 * first[0]), "fails")
        # d = 10 is a report row in every profile (its certificate file is written)
        proved_at_l_d = proved_note(certify.theorem_4_2_vc_dimension(5, 10, 10), "holds")
        proved_at_l_d = proved_at_l_d and proved_at_l_d.replace(
            "[proved] ", "[proved] at d = 10 (the other values computed) ", 1)
    return [
        Erratum(
            location="Theorem 4.2 (Section 4) and Section 3 (3 <= l <= d)",
            kind="missing-assumption",
            text_says="Assume that d = 2n and n >= 2, then VCdim(H_CNN(X)) >= 2^(d/2-1), X the "
            "support of D (Section 3 allows any 3 <= l <= d patterns)",
            what_is_true="N_CNN(x) depends on x only through its set of patterns P(x), and H_CNN "
            "(any number of channels) realises every labelling of distinct pattern sets, so "
            "VCdim(H_CNN(X)) = 2 sum_{s=1}^{min(n-1,l-2)} C(l-2,s) exactly; this is >= "
            "2^(d/2-1) iff l >= d/2 + 1. The theorem is false for 3 <= l <= d/2 (n >= 3); "
            f"smallest counterexample d = {2 * first[0]}, l = {first[1]}: X has 2 pattern sets "
            "({o1,o3}, {o2,o3}), VCdim = 2 < 4. A missing assumption: the theorem holds exactly "
            "when l >= d/2 + 1, which the proof's l = d implies",
            evidence=f"{proved_first}VCdim below 2^(d/2-1) for n <= 8: {table}; "
            "check_vc_dimension(3, 3) "
            "FAILS and check_vc_dimension(3, 4) HOLDS (VCdim 6): upper bound by enumerating the "
            "support with N shown constant on each pattern set, lower bound by an exact "
            "unitriangular certificate and realised labellings",
            found_by="verify.claims.theorem_4_2",
        ),
        Erratum(
            location="Theorem 4.2 (Section 4)",
            kind="loose",
            text_says="VCdim(H_CNN(X)) >= 2^(d/2-1) (the proof shatters 2^(n-1) points)",
            what_is_true="for l = d, VCdim(H_CNN(X)) = 2 sum_{s=1}^{n-1} C(d-2,s) = "
            "2^(d-2) + C(d-2, d/2-1) - 2, between 2^(d-2) and 2^(d-1): exponential in d with "
            "exponent about d, not d/2 (the paper's conclusion holds, more strongly)",
            evidence=f"{proved_at_l_d}exact VCdim at l = d: {exact} (vs 2^(d/2-1) = 2, 4, ..., "
            "128); "
            "check_vc_dimension(5, 10) certifies 324 shattered points at d = 10",
            found_by="verify.claims.theorem_4_2",
        ),
        Erratum(
            location="Proof of Theorem 4.2 (Section 4), first paragraph",
            kind="missing-assumption",
            text_says="We note that the inclusion B ⊆ X will hold for any eps_i > 0, 1 <= i <= d; "
            "x_I[j] = I[j] o_{2j+1} + (1 - I[j]) o_{2j+2} for 1 <= j <= n-1",
            what_is_true="no eps_i appear in this version's D (a leftover of a variant where "
            "every o_i, i <= d, has probability eps_i > 0). B uses o_3, ..., o_{2n} = o_d as "
            "spurious patterns, so B ⊆ X needs l = d, which Section 3 does not grant",
            evidence="shattered_set(n) uses pattern indices up to d - 1; in_support(B, l) is "
            "False for l < d",
            found_by="verify.claims.theorem_4_2",
        ),
        Erratum(
            location="Proof of Theorem 4.2, the display after Eq. 5, first line",
            kind="typo",
            text_says="N_CNN[theta](x_I) = sum_{I'} [max_j sigma(w^(I') . x[j]) - max_j "
            "sigma(u^(I') . x[j])]",
            what_is_true="x_I[j] for x[j]; with it every step holds as written, including "
            "the index I^c in Eq. 5 (sum_{I' != I^c} alpha_I' = y_I is Eq. 5 at I^c)",
            evidence="check_shattering: N(x_I) = y_I for every labelling, n = 2..5, and "
            "exactly (SymPy) for n <= 4",
            found_by="verify.claims.theorem_4_2",
        ),
    ]


_REPORT = {
    # (n, patterns, last, labellings): exhaustive for n <= 5, drawn for n >= 6
    "quick": {
        "float": [(n, p, la, None) for n in (2, 3, 4) for p in ("standard", "haar")
                  for la in ("o1", "o2")] + [(5, "standard", "o1", None), (5, "haar", "o2", None)],
        "exact": [(2, "standard", "o1", None), (2, "standard", "o2", None),
                  (3, "standard", "o1", None), (3, "cayley", "o2", None)],
    },
    "standard": {
        "float": [(n, p, la, None) for n in (2, 3, 4, 5) for p in ("standard", "haar")
                  for la in ("o1", "o2")]
        + [(6, "haar", "o1", 2000), (6, "standard", "o2", 2000), (7, "haar", "o2", 1000),
           (7, "standard", "o1", 1000), (8, "haar", "o1", 500), (8, "standard", "o2", 500)],
        "exact": [(2, "standard", "o1", None), (2, "standard", "o2", None),
                  (3, "standard", "o1", None), (3, "cayley", "o2", None),
                  (4, "standard", "o1", None), (4, "cayley", "o2", 32)],
    },
}
_REPORT["thorough"] = {
    "float": _REPORT["standard"]["float"]
    + [(6, "haar", "o2", 20000), (7, "haar", "o1", 10000), (8, "haar", "o2", 5000)],
    "exact": [*_REPORT["standard"]["exact"], (4, "cayley", "o1", None),
              (5, "standard", "o1", 64)],
}


# (n, l): the smallest failures (l = n) beside the smallest l where it holds (l = n + 1), l = d
_VC_REGIMES = {
    "quick": [(3, 3), (3, 4), (4, 4), (4, 5), (5, 5), (5, 6), (5, 10)],
    "standard": [(3, 3), (3, 4), (4, 4), (4, 5), (5, 5), (5, 6), (5, 10), (6, 6), (6, 7),
                 (6, 12)],
}
_VC_REGIMES["thorough"] = [*_VC_REGIMES["standard"], (7, 7), (7, 8), (8, 8), (8, 9)]


def report_checks(profile: str, seed: int) -> list[Evidence]:
    """Eq. 5's matrix invertible (symbolic); the shattering of ``B`` in floating point
    (exhaustive for ``n <= 5``, drawn labellings for ``n = 6..8`` in ``standard``), both last
    positions, standard and Haar patterns, one mixed choice of ``x_I[n]``; exactly (SymPy) for
    ``n <= 3`` (``n = 4`` in ``standard``); and the exact VC dimension for ``l = n`` (where
    the theorem fails: ``d = 6, l = 3`` is the smallest case), ``l = n + 1`` and ``l = d``.
    Rows on rational patterns with every labelling (``n <= 4``) and the VC-dimension rows whose
    support can be enumerated are certified (:mod:`verify.claims.theorem_4_2.certificates`)."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    seed = check_seed("seed", seed)
    cfg = _REPORT[profile]
    out = [check_system_inverse()]
    out += [certify_shattering_row(check_shattering(n, patterns=p, last=la, labellings=lab,
                                                    seed=seed))
            for n, p, la, lab in cfg["float"]]
    out.append(check_shattering(4, patterns="haar", last=[1, 2] * 4, seed=seed))
    out += [certify_shattering_row(check_exact(n, patterns=p, last=la, labellings=lab, seed=seed))
            for n, p, la, lab in cfg["exact"]]
    out += [certify_vc_row(check_vc_dimension(n, l, seed=seed)) for n, l in _VC_REGIMES[profile]]
    return out


DECLARATION = ClaimDeclaration(
    key="theorem-4.2",
    title="Theorem 4.2 (VC dimension)",
    names=(CLAIM,),
    statement="If d = 2n, n >= 2, then VCdim(H_CNN(X)) >= 2^(d/2 - 1): the set B is shattered.",
    location="Section 4, Theorem 4.2 and its proof (Eq. 5)",
    assumptions=ASSUMPTIONS,
    checkers=(check_shattering, check_exact, check_system_inverse, check_vc_dimension,
              check_setting),
    report_checks=report_checks,
    errata=errata,
    sweeps=SWEEP,
    controls=(
        Control('VCdim >= 2^(d/2) (the bound doubled)',
                tightened(2),
                why='false where the VC dimension is below 2^(d/2) (l < d/2 + 1): the rows at l '
                    '= d/2 must refute it'),
    ),
)
