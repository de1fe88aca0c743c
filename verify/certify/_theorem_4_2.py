"""Theorem 4.2's certificates for :mod:`verify.certify`, checked in exact rationals.

Written from the paper, not from the checkers. The support ``X`` of D (Section 3): ``n``
positions, ``l`` orthonormal patterns ``o_1..o_l`` in ``R^d`` (0-based indices here), ``o_1`` or
``o_2`` at exactly one position and spurious ``o_3..o_l`` elsewhere. ``N_CNN`` (Eq. 1):
``N(x) = sum_c a_c max_j sigma(w_c . x[j])``, ``sigma`` the ReLU.

- :func:`check_shattering`: a set of points of ``X`` and, for each of its ``2^|B|`` labellings,
  a network in rationals (filter ``c`` is ``coefficient_c * direction_c``); ``N`` is evaluated
  exactly and its sign must be the label on every point.
- :func:`pattern_sets`: the pattern sets ``P(x) = {x[1], ..., x[n]}`` over ``X``, by enumerating
  ``X`` (at most :data:`SUPPORT_LIMIT` points). Eq. 1 takes the max over positions, so
  ``N(x) = sum_c a_c max_{p in P(x)} sigma(w_c . o_p)`` depends on ``x`` only through ``P(x)``:
  two points with one pattern set get one label under every network, so
  ``VCdim(H_CNN(X)) <= |{P(x)}|``. This reduction is the one-line argument of the
  certificate; the program decides the finite count.
- :func:`inclusion_lower_bound`: one point per pattern set and filters ``w_0 = sum_p o_p``,
  ``w_U = sum_{p not in U} o_p`` (standard patterns); ``1 - z_U(x_P) = [P subset of U]`` is
  evaluated by Eq. 1 and must be unitriangular, so every labelling is a combination
  ``sum_U c_U [P subset of U] = N`` of the features: the points are shattered.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

from verify.certify._common import FORMAT
from verify.certify._common import pos_int as _pos_int

__all__ = [
    "LOWER_BOUND_LIMIT",
    "SHATTER_LIMIT",
    "SUPPORT_LIMIT",
    "check_shattering",
    "inclusion_lower_bound",
    "ncnn",
    "orthonormal",
    "pattern_sets",
    "point_in_support",
    "sorted_sets",
    "theorem_4_2_shattering",
    "theorem_4_2_vc_dimension",
]

SUPPORT_LIMIT = 300_000
"""Largest support enumerated for the upper bound."""
SHATTER_LIMIT = 8
"""Largest shattered set whose ``2^|B|`` networks a certificate lists."""
LOWER_BOUND_LIMIT = 400
"""Largest number of pattern sets whose inclusion matrix a certificate checks."""


def _rationals(rows: Any, name: str) -> list[list[Fraction]]:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ValueError(f"{name} must be a list of lists of rationals")
    return [[Fraction(str(v)) for v in r] for r in rows]


def _dot(u: list[Fraction], v: list[Fraction]) -> Fraction:
    return sum((a * b for a, b in zip(u, v, strict=True)), Fraction(0))


def orthonormal(patterns: list[list[Fraction]]) -> bool:
    """``O O^T = I`` exactly."""
    return all(_dot(p, q) == (1 if i == j else 0)
               for i, p in enumerate(patterns) for j, q in enumerate(patterns) if j >= i)


def point_in_support(x: list[int], l: int) -> bool:
    """``x`` (pattern indices from 0) has ``o_1`` or ``o_2`` at exactly one position and spurious
    patterns ``o_3..o_l`` elsewhere."""
    return (sum(p in (0, 1) for p in x) == 1
            and all(isinstance(p, int) and 0 <= p < l for p in x))


def ncnn(filters: list[list[Fraction]], a: list[Fraction], patterns: list[list[Fraction]],
         x: list[int]) -> Fraction:
    """Eq. 1 exactly: ``sum_c a_c max_j max(0, w_c . o_{x[j]})``."""
    total = Fraction(0)
    for w, ac in zip(filters, a, strict=True):
        total += ac * max(Fraction(0), *(_dot(w, patterns[p]) for p in x))
    return total


def check_shattering(inp: dict[str, Any], wit: dict[str, Any]) -> tuple[list[str], Fraction]:
    """Problems (empty: the points are shattered and the bound ``2^(d/2-1)`` reached) and the
    smallest ``y_I N(x_I)`` over all labellings and points.

    ``inp``: ``n``, ``d``, ``l``, ``patterns`` (``l x d`` rationals), ``points`` (pattern
    indices). ``wit``: ``directions`` (vectors in ``R^d``), ``channel_direction`` (one index per
    channel), ``a`` (the second layer) and ``coefficients`` (``2^|B|`` rows, one per labelling
    ``b``: point ``i`` is labelled ``+1`` iff bit ``i`` of ``b`` is set), so that filter ``c`` of
    network ``b`` is ``coefficients[b][c] * directions[channel_direction[c]]``."""
    n, d, l = int(inp["n"]), int(inp["d"]), int(inp["l"])
    O = _rationals(inp["patterns"], "patterns")
    points = inp["points"]
    problems: list[str] = []
    if len(O) != l or any(len(p) != d for p in O):
        problems.append(f"patterns must be {l} x {d}")
        return problems, Fraction(0)
    if not orthonormal(O):
        problems.append("the patterns are not exactly orthonormal")
    if any(not isinstance(x, list) or len(x) != n or not point_in_support(x, l) for x in points):
        problems.append("a point is not in the support of D")
        return problems, Fraction(0)
    if len({tuple(x) for x in points}) != len(points):
        problems.append("the points are not distinct")
    B = len(points)
    if B > SHATTER_LIMIT:
        raise ValueError(f"points: at most {SHATTER_LIMIT} points, got {B}")
    if 2 ** (d - 2) > B * B:  # |B| >= 2^(d/2-1), exactly for any d
        problems.append(f"|B| = {B} < 2^(d/2-1) at d = {d}")
    dirs = _rationals(wit["directions"], "directions")
    chan = [int(c) for c in wit["channel_direction"]]
    a = [Fraction(str(v)) for v in wit["a"]]
    coefs = _rationals(wit["coefficients"], "coefficients")
    if len(coefs) != 2**B or any(len(r) != len(chan) for r in coefs) or len(a) != len(chan):
        problems.append(f"need one network of {len(chan)} channels per labelling (2^{B})")
        return problems, Fraction(0)
    # w_c . o_p = coefficient * (direction . o_p): one table of dot products
    table = [[_dot(v, p) for p in O] for v in dirs]
    # max_j sigma(cf t_j) = sigma(cf max_j t_j) for cf >= 0 and sigma(cf min_j t_j) for cf < 0
    # (t -> cf t is monotone): the extremes over each point's positions, once
    hi = [[max(t[p] for p in x) for x in points] for t in table]
    lo = [[min(t[p] for p in x) for x in points] for t in table]
    margin: Fraction | None = None
    for b, row in enumerate(coefs):
        for i in range(B):
            out = sum((ac * max(Fraction(0), cf * (hi[c][i] if cf >= 0 else lo[c][i]))
                       for ac, cf, c in zip(a, row, chan, strict=True)), Fraction(0))
            m = out if (b >> i) & 1 else -out
            margin = m if margin is None or m < margin else margin
    if margin is None or margin <= 0:
        problems.append(f"some labelling is not realised (min y N(x) = {margin})")
    return problems, margin if margin is not None else Fraction(0)


def pattern_sets(n: int, l: int) -> set[frozenset[int]]:
    """``{P(x) : x in X}`` by enumerating the support (``2n(l-2)^(n-1)`` points)."""
    size = 2 * n * (l - 2) ** (n - 1)
    if size > SUPPORT_LIMIT:
        raise ValueError(f"n, l: the support has {size} points, more than {SUPPORT_LIMIT}")
    out: set[frozenset[int]] = set()
    for disc in (0, 1):
        for pos in range(n):  # the position of o_disc: the set does not depend on it
            for spur in itertools.product(range(2, l), repeat=n - 1):
                x = [*spur[:pos], disc, *spur[pos:]]
                out.add(frozenset(x))
    return out


def inclusion_lower_bound(sets: list[list[int]], n: int, l: int) -> list[str]:
    """Problems (empty: the representatives of ``sets`` are shattered by ``H_CNN``). Each set
    ``P`` gets the point ``(p_1, ..., p_s, p_s, ..., p_s)`` of ``X``; standard patterns in
    ``R^l``; filters ``w_0`` and ``w_U``; features by Eq. 1 (:func:`ncnn` with one channel)."""
    if len(sets) > LOWER_BOUND_LIMIT:
        raise ValueError(f"sets: at most {LOWER_BOUND_LIMIT}, got {len(sets)}")
    problems: list[str] = []
    pts = []
    for P in sets:
        if not P or len(P) > n:
            problems.append(f"set {P} has no point with {n} positions")
            return problems
        x = sorted(P) + [max(P)] * (n - len(P))
        if not point_in_support(x, l):
            problems.append(f"set {P} is not a pattern set of the support")
            return problems
        pts.append(x)
    if len({frozenset(P) for P in sets}) != len(sets):
        problems.append("the sets are not distinct")
    eye = [[Fraction(int(i == j)) for j in range(l)] for i in range(l)]
    w0 = [Fraction(1)] * l
    if any(ncnn([w0], [Fraction(1)], eye, x) != 1 for x in pts):
        problems.append("z_0 is not 1 on every point")
    for col, U in enumerate(sets):
        wU = [Fraction(int(p not in U)) for p in range(l)]
        dots = [_dot(wU, o) for o in eye]  # w_U . o_p; Eq. 1: z = max_j max(0, w_U . x[j])
        # integral dots as Python ints (exact, and far faster to compare than Fractions)
        fast = [int(v) if v.denominator == 1 else v for v in dots]
        for row, x in enumerate(pts):
            incl = 1 - max(0, *(fast[p] for p in x))
            want = (0, 1) if row < col else (0,)
            if (row == col and incl != 1) or (row != col and incl not in want):
                problems.append(f"the inclusion matrix is not unitriangular at ({row}, {col})")
                return problems
    return problems


def sorted_sets(sets: set[frozenset[int]]) -> list[list[int]]:
    """The sets ordered by size, then lexicographically (the order that makes the inclusion
    matrix of :func:`inclusion_lower_bound` upper unitriangular)."""
    return [sorted(P) for P in sorted(sets, key=lambda P: (len(P), sorted(P)))]


# ----------------------------------------------------------------------------- certificates


def theorem_4_2_shattering(n: int, d: int, l: int, patterns: list[list[Any]],
                           points: list[list[int]], directions: list[list[Any]],
                           channel_direction: list[int], a: list[Any],
                           coefficients: list[list[Any]]) -> dict[str, Any]:
    """The certificate that ``points`` (of the support of D with these ``patterns``) are
    shattered by ``H_CNN`` (Theorem 4.2, Eq. 1): for labelling ``b`` (point ``i`` labelled
    ``+1`` iff bit ``i`` of ``b`` is set) the network with second layer ``a`` and filters
    ``coefficients[b][c] * directions[channel_direction[c]]``, all rationals; verdict ``holds``
    when every sign is right, the points are distinct points of the support, the patterns are
    exactly orthonormal and ``|points| >= 2^(d/2-1)``."""
    n = _pos_int("n", n, 2)
    d = _pos_int("d", d, 3)
    l = _pos_int("l", l, 3)
    inp = {"n": n, "d": d, "l": l, "patterns": [[str(Fraction(str(v))) for v in r]
                                                 for r in patterns],
           "points": [[int(p) for p in x] for x in points]}
    wit = {"directions": [[str(Fraction(str(v))) for v in r] for r in directions],
           "channel_direction": [int(c) for c in channel_direction],
           "a": [str(Fraction(str(v))) for v in a],
           "coefficients": [[str(Fraction(str(v))) for v in r] for r in coefficients]}
    problems, margin = check_shattering(inp, wit)
    return {"format": FORMAT, "kind": "theorem_4_2_shattering", "claim": "Theorem 4.2",
            "inequality": "VCdim(H_CNN(X)) >= 2^(d/2-1): the points, in X, are shattered (for "
            "each labelling b, y_i N_CNN(x_i) > 0 with N_CNN(x) = sum_c a_c max_j "
            "max(0, w_c . x[j]), Eq. 1, in rationals)", "inputs": inp, "witness": wit,
            "enclosure": {"min_margin": str(margin)},
            "verdict": "undecided" if problems else "holds",
            **({"problems": problems} if problems else {})}


def _vc_parts(n: int, l: int, d: int, sets: list[list[int]] | None
              ) -> tuple[list[str], int | None, int]:
    """Problems, the number of pattern sets (None when the support is too large to enumerate)
    and the number of sets certified shattered."""
    problems: list[str] = []
    size = 2 * n * (l - 2) ** (n - 1)
    m = len(pattern_sets(n, l)) if size <= SUPPORT_LIMIT else None
    c = 0
    if sets:
        problems = inclusion_lower_bound(sets, n, l)
        c = 0 if problems else len(sets)
    return problems, m, c


def _vc_verdict(m: int | None, c: int, d: int) -> str:
    # VCdim >= 2^(d/2-1) iff VCdim^2 >= 2^(d-2): exact for any d
    if m is not None and m * m < 2 ** (d - 2):
        return "fails"
    if c * c >= 2 ** (d - 2):
        return "holds"
    return "undecided"


def theorem_4_2_vc_dimension(n: int, l: int, d: int, *, lower_bound: bool = True
                             ) -> dict[str, Any]:
    """The certificate of ``VCdim(H_CNN(X))`` against ``2^(d/2-1)`` (Theorem 4.2) for ``n``
    positions and ``l`` patterns: the number ``m`` of pattern sets over the enumerated support
    (an upper bound: Eq. 1's max over positions sees only the set of patterns) and, when
    ``lower_bound`` and ``m <= LOWER_BOUND_LIMIT``, every pattern set as a witness shattered by
    the inclusion filters (a lower bound). Verdict ``fails`` when ``m < 2^(d/2-1)``, ``holds``
    when the certified lower bound reaches it, else ``undecided``."""
    n = _pos_int("n", n, 1)
    l = _pos_int("l", l, 3)
    d = _pos_int("d", d, l)
    size = 2 * n * (l - 2) ** (n - 1)
    sets = None
    if size <= SUPPORT_LIMIT:
        found = pattern_sets(n, l)
        if lower_bound and len(found) <= LOWER_BOUND_LIMIT:
            sets = sorted_sets(found)
    problems, m, c = _vc_parts(n, l, d, sets)
    verdict = "undecided" if problems else _vc_verdict(m, c, d)
    return {"format": FORMAT, "kind": "theorem_4_2_vc_dimension", "claim": "Theorem 4.2",
            "inequality": "VCdim(H_CNN(X)) >= 2^(d/2-1). Upper bound: N_CNN(x) = sum_c a_c "
            "max_{p in P(x)} sigma(w_c . o_p) depends on x only through its pattern set P(x) "
            "(Eq. 1), so VCdim <= m = #{P(x) : x in X} (counted by enumerating X). Lower bound: "
            "the listed pattern sets, one point each, are shattered (standard patterns; any "
            "orthonormal patterns by rotating the filters): the inclusion matrix [P subset of U] "
            "= 1 - z_U(x_P), z_U by Eq. 1 with w_U = sum_{p not in U} o_p, is unitriangular",
            "inputs": {"n": n, "l": l, "d": d},
            "witness": {"sets": sets or []},
            "enclosure": {"pattern_sets": m, "certified_shattered": c,
                          "vc_dimension": m if m is not None and c == m else None,
                          "bound_squared": 2 ** (d - 2)},
            "verdict": verdict, **({"problems": problems} if problems else {})}
