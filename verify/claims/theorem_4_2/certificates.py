"""Theorem 4.2's evidence made ``proved`` by certificates (:mod:`verify.certify`).

- :func:`certify_shattering_row`: a shattering row (:func:`check_shattering` or
  :func:`check_exact`) on rational patterns (standard or Cayley) with every labelling of ``B``,
  ``n <= 4``: the checker's own weights (the solution of Eq. 5 in floating point, made exact by
  ``Fraction.limit_denominator``: its denominators divide ``N - 1``) and filters
  ``w^(I) = max(alpha_I, 0) s_I``, ``u^(I) = max(-alpha_I, 0) s_I`` go into the certificate,
  which evaluates Eq. 1 in rationals on every labelling.
- :func:`certify_vc_row`: a :func:`check_vc_dimension` row, by the pattern-set count over the
  enumerated support (upper bound) and the inclusion filters (lower bound).

Haar patterns are irrational: those rows keep their computed strength.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from verify.claims.theorem_4_2.exact import _exact_patterns
from verify.claims.theorem_4_2.shattering import all_labellings, shattered_set, solve_alpha
from verify.evidence import Evidence
from verify.evidence.certified import certify_shattering, certify_vc_dimension

__all__ = ["CERTIFY_MAX_N", "certify_shattering_row", "certify_vc_row", "rational_patterns",
           "shattering_witness"]

CERTIFY_MAX_N = 4
"""Shattering rows are certified up to ``n = 4`` (``|B| = 8``, 256 networks)."""
_DENOMINATOR = 10**6


def rational_patterns(n: int, patterns: str, seed: int) -> list[list[Fraction]]:
    """The ``d x d`` patterns of a shattering row exactly: the identity (``"standard"``) or the
    Cayley transform of :func:`verify.claims.theorem_4_2.exact.cayley_patterns` (``"cayley"``)."""
    rows = _exact_patterns(n, patterns, seed).to_list()
    return [[Fraction(str(v)) for v in r] for r in rows]


def shattering_witness(n: int, last: Any, O: list[list[Fraction]]) -> dict[str, Any]:
    """The points of ``B`` and the proof's network for every labelling (order of
    :func:`all_labellings`), in rationals: ``directions`` ``s_I``, ``channel_direction``
    (channel ``I`` and ``N + I`` use ``s_I``), ``a`` and ``coefficients``
    ``(max(alpha_I, 0), ..., max(-alpha_I, 0), ...)``."""
    idx = shattered_set(n, last=last)
    N = idx.shape[0]
    alpha = solve_alpha(all_labellings(N))
    d = len(O[0])
    dirs = [[sum((O[p][c] for p in row[:-1]), Fraction(0)) for c in range(d)]
            for row in idx.tolist()]
    coefs = []
    for row in alpha.tolist():
        exact = [Fraction(v).limit_denominator(_DENOMINATOR) for v in row]
        coefs.append([max(v, Fraction(0)) for v in exact] + [max(-v, Fraction(0)) for v in exact])
    return {"points": idx.tolist(), "directions": dirs,
            "channel_direction": list(range(N)) * 2, "a": [1] * N + [-1] * N,
            "coefficients": coefs}


def certify_shattering_row(ev: Evidence) -> Evidence:
    """``ev`` made proved by its shattering certificate when its patterns are rational, every
    labelling was checked and ``n <= CERTIFY_MAX_N``; else ``ev`` unchanged."""
    p = ev.params
    if (p.get("patterns") not in ("standard", "cayley") or p.get("labellings") != "all"
            or int(p["n"]) > CERTIFY_MAX_N):
        return ev
    n = int(p["n"])
    O = rational_patterns(n, str(p["patterns"]), int(p.get("seed", 0)))
    wit = shattering_witness(n, p["last"], O)
    return certify_shattering(ev, patterns=O, **wit)


def certify_vc_row(ev: Evidence) -> Evidence:
    """``ev`` (a :func:`check_vc_dimension` row) made proved by its VC-dimension certificate
    when that decides its verdict; else ``ev`` with the reason in its details."""
    return certify_vc_dimension(ev)
