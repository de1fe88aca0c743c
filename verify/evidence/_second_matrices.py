"""Exact re-computation of Theorem 4.2's linear algebra (Eq. 5) in python-flint's rational
matrices (``fmpq_mat``): the second engine for the proof-algebra steps that SymPy decided by
exact matrix computation (T.3, T.5), written independently of
:mod:`verify.claims.proof_algebra`'s SymPy code.

- :func:`eq5_matrices`: ``(J - I)(J/(N-1) - I) = I`` and ``det(J - I) = (-1)^{N-1} (N-1)`` for
  each ``N`` (``J`` the ``N x N`` all-ones matrix).
- :func:`eq5_shattering`: the construction of Theorem 4.2's proof at ``n`` (patterns
  ``o_i = e_i`` in ``R^{2n}``, ``N = 2^{n-1}`` points ``x_I``), for *every* labelling at once:
  ``N(x_I)`` is linear in the labels ``y``, ``N(x) = P alpha`` with ``alpha = (J/(N-1) - I) R y``
  (``R`` pairs each ``I`` with its complement, ``P[I, I']`` the max-pooled ReLU of filter
  ``I'`` on ``x_I``: 1 if they share a pattern, else 0), so ``N(x_I) = y_I`` for all ``y`` iff
  ``P (J/(N-1) - I) R = I`` exactly.
"""

from __future__ import annotations

import itertools

__all__ = ["eq5_matrices", "eq5_shattering"]


def _ones_minus_identity(size: int, scale_num: int = 1, scale_den: int = 1) -> object:
    """``(scale) J - I`` as an ``fmpq_mat``."""
    from flint import fmpq, fmpq_mat

    c = fmpq(scale_num, scale_den)
    return fmpq_mat(size, size, [c - (1 if i == j else 0)
                                 for i in range(size) for j in range(size)])


def eq5_matrices(sizes: list[int]) -> tuple[bool, str]:
    """``(ok, detail)``: the inverse and determinant of ``J - I`` at each ``N`` in ``sizes``."""
    from flint import fmpq_mat

    for size in sizes:
        if size < 2:
            raise ValueError(f"sizes: N must be >= 2, got {size}")
        m = _ones_minus_identity(size)
        inv = _ones_minus_identity(size, 1, size - 1)
        eye = fmpq_mat(size, size, [int(i == j) for i in range(size) for j in range(size)])
        if m * inv != eye:
            return False, f"(J - I)(J/(N-1) - I) != I at N = {size}"
        if m.det() != (-1) ** (size - 1) * (size - 1):
            return False, f"det(J - I) = {m.det()} != (-1)^(N-1)(N-1) at N = {size}"
    return True, f"fmpq_mat: inverse and determinant exact at N = {', '.join(map(str, sizes))}"


def _point(code: tuple[int, ...]) -> list[int]:
    """The pattern indices of ``x_I``: ``o_{2j+1}`` if ``I[j] = 1`` else ``o_{2j+2}``
    (``j = 1..n-1``; 0-based ``2j``, ``2j+1``), then ``o_1`` or ``o_2`` by the parity of ``I``."""
    return [2 * j if b else 2 * j + 1 for j, b in enumerate(code, 1)] + [sum(code) % 2]


def eq5_shattering(ns: list[int]) -> tuple[bool, str]:
    """``(ok, detail)``: ``P (J/(N-1) - I) R = I`` (every labelling realised) at each ``n``."""
    from flint import fmpq_mat

    for n in ns:
        if n < 2:
            raise ValueError(f"ns: n must be >= 2, got {n}")
        size = 2 ** (n - 1)
        codes = list(itertools.product((0, 1), repeat=n - 1))
        index = {c: i for i, c in enumerate(codes)}
        pooled = fmpq_mat(size, size, [
            int(bool(set(_point(c)) & set(_point(c2)[: n - 1]))) for c in codes for c2 in codes])
        pair = fmpq_mat(size, size, [int(index[tuple(1 - b for b in c)] == j)
                                     for c in codes for j in range(size)])
        eye = fmpq_mat(size, size, [int(i == j) for i in range(size) for j in range(size)])
        if pooled * _ones_minus_identity(size, 1, size - 1) * pair != eye:
            return False, f"N(x_I) != y_I for some labelling at n = {n}"
    return True, ("fmpq_mat: P (J/(N-1) - I) R = I, so N(x_I) = y_I for every labelling, at "
                  f"n = {', '.join(map(str, ns))}")
