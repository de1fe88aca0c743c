"""Exact checks, with SymPy, of the algebra in Theorem 4.2's proof (Section 4, Eq. 5): the
ids ``T.*`` of :func:`verify.claims.proof_algebra.algebra_checks`."""

from __future__ import annotations

import dataclasses
import itertools

import sympy as sp

from verify.claims.proof_algebra_forms import PAPER
from verify.claims.proof_algebra_step import AlgebraCheck
from verify.evidence._algebra import FALSE, PROVED, Outcome, identity, nonneg

__all__ = ["theorem_4_2_checks"]

s = sp.Symbol("s", nonnegative=True)


def theorem_4_2_checks() -> list[AlgebraCheck]:
    """The linear system of Theorem 4.2's proof (Eq. 5, ids ``T.*``): ``(J - I)`` is invertible
    with inverse ``J/(N-1) - I`` (an identity modulo ``J^2 = N J``, and exactly for ``n = 2..5``),
    ``N - 1 > 0`` needs ``n >= 2``, ``max(a, 0) - max(-a, 0) = a``, and the construction
    shatters its points (:func:`_shattering`, symbolic labels)."""
    J, N = sp.symbols("J N")
    product = sp.expand((J - 1) * (J / (N - 1) - 1))
    quotient, reduced = sp.div(product, J**2 - N * J, J)
    sym = identity(reduced, 1)
    # for a second engine: product - 1 = quotient (J^2 - N J), an identity in J and N
    sym = Outcome(sym.status, "identity in the algebra J^2 = N J",
                  f"(J - I)(J/(N-1) - I) = {product} = {sp.simplify(reduced)} modulo J^2 = N J; "
                  f"{sym.detail}",
                  problem={"type": "identity", "lhs": product - 1,
                           "rhs": quotient * (J**2 - N * J), "paper": PAPER["T.1"]})
    concrete = []
    for n in range(2, 6):
        size = 2 ** (n - 1)
        M = sp.ones(size, size) - sp.eye(size)
        inv = sp.ones(size, size) / (size - 1) - sp.eye(size)
        ok = M * inv == sp.eye(size) and M.det() == (-1) ** (size - 1) * (size - 1)
        concrete.append((n, size, ok))
    bad = [c for c in concrete if not c[2]]
    a = sp.Symbol("alpha", real=True)
    failing = [n for n in range(2, 5) if not _shattering(n)]
    shatter = (Outcome(PROVED, "exact evaluation of the construction",
                       "patterns o_i = e_i in R^(2n), labels symbolic, alpha = (J/(N-1) - I) "
                       "y^c, each channel pair contributing alpha_I' max_j relu(w.x_I[j]) (T.4 "
                       "and positive homogeneity of relu); N(x_I) - y_I simplifies to 0 for "
                       "every I, n = 2, 3, 4")
               if not failing else
               Outcome(FALSE, "exact counterexample", f"N(x_I) != y_I at n = {failing[0]}"))
    conc = (Outcome(PROVED, "exact matrices",
                    f"(J - I)(J/(N-1) - I) = I and det(J - I) = (-1)^(N-1) (N-1) for N = "
                    f"{', '.join(str(c[1]) for c in concrete)}")
            if not bad else
            Outcome(FALSE, "exact counterexample", f"fails at n = {bad[0][0]}, N = {bad[0][1]}"))
    conc = dataclasses.replace(conc, problem={"type": "eq5_matrices",
                                              "sizes": [c[1] for c in concrete]})
    shatter = dataclasses.replace(shatter, problem={"type": "eq5_shattering",
                                                    "ns": list(range(2, 5))})
    return [
        AlgebraCheck(
            "T.1", "Theorem 4.2 (proof), Eq. 5",
            "the matrix of Eq. 5 is J - I (N = 2^{n-1}); its inverse is J/(N-1) - I, symbolic in N",
            sym,
            note="J is the N x N all-ones matrix, J^2 = N J; needs N != 1, i.e. n >= 2",
        ),
        AlgebraCheck(
            "T.2", "Theorem 4.2 (proof), Sherman-Morrison",
            "1 + 1^T (-I)^{-1} 1 = 1 - N != 0, i.e. N - 1 > 0 for N = 2^{n-1} >= 2 (n >= 2)",
            nonneg(N - 1, nonnegative=[s], subs={N: 2 + s}, strict=True),
            note="for n = 1 (N = 1) the matrix J - I is 0: the theorem's n >= 2 is needed",
        ),
        AlgebraCheck(
            "T.3", "Theorem 4.2 (proof), Eq. 5",
            "(J - I)(J/(N-1) - I) = I and det(J - I) = (-1)^{N-1}(N-1), exactly, for n = 2..5",
            conc,
        ),
        AlgebraCheck(
            "T.4", "Theorem 4.2 (proof), value of N(x_I)",
            "max(alpha, 0) - max(-alpha, 0) = alpha for real alpha (the w and u channels)",
            identity((sp.Max(a, 0) - sp.Max(-a, 0)).rewrite(sp.Piecewise), a),
            note="so each pair of channels contributes alpha_I' max_j relu(sum_i x_I'[i].x_I[j])",
        ),
        AlgebraCheck(
            "T.5", "Theorem 4.2 (proof), N(x_I) = y_I",
            "with alpha solving Eq. 5 for symbolic labels y_I, N(x_I) = sum_{I' != I^c} "
            "alpha_I' = y_I for every I, exactly, for n = 2..4",
            shatter,
        ),
    ]


def _shattering(n: int) -> bool:
    """Theorem 4.2's construction for ``n`` with symbolic labels: solve Eq. 5 with the inverse
    of T.1, evaluate ``N(x_I)`` from the patterns (``o_i = e_i`` in ``R^(2n)``), and test
    ``N(x_I) = y_I`` for every ``I``, exactly."""
    size, dim = 2 ** (n - 1), 2 * n
    basis = sp.eye(dim)
    codes = list(itertools.product((0, 1), repeat=n - 1))
    index = {c: i for i, c in enumerate(codes)}
    y = sp.symbols(f"y0:{size}")

    def point(code: tuple[int, ...]) -> list[sp.Matrix]:
        # x_I[j] = o_{2j+1} if I[j] = 1 else o_{2j+2} (j = 1..n-1), x_I[n] = o_1 or o_2.
        cols = [basis[:, 2 * j if b else 2 * j + 1] for j, b in enumerate(code, 1)]
        return [*cols, basis[:, sum(code) % 2]]

    rhs = sp.Matrix([y[index[tuple(1 - b for b in c)]] for c in codes])
    alpha = (sp.ones(size, size) / (size - 1) - sp.eye(size)) * rhs
    if sp.simplify((sp.ones(size, size) - sp.eye(size)) * alpha - rhs) != sp.zeros(size, 1):
        return False
    for c in codes:
        xi = point(c)
        value = 0
        for c2 in codes:
            filt = sum(point(c2)[: n - 1], sp.zeros(dim, 1))
            pooled = max(max((filt.T * v)[0, 0], 0) for v in xi)
            value += alpha[index[c2]] * pooled
        if sp.simplify(value - y[index[c]]) != 0:
            return False
    return True
