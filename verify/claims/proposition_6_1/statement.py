"""Proposition 6.1's and Section 6's statements and the tolerances their checkers share."""

from __future__ import annotations

CLAIM = "Proposition 6.1"
STATEMENT = "The min-norm w in R^{nd} with y w.x >= 1 on supp D (Eq. 9) has ||w_hat||^2 >= n"
SECTION_CLAIM = "Section 6"
SECTION_STATEMENT = "w = n copies of o_1 - o_2 separates D with margin 1: y w.x >= 1 on supp D"
SUPPORT_LIMIT = 200_000
TOL_QP = 1e-8  # the QP's optimum and margins, relative (Clarabel solves to 1e-10)
TOL_FLOAT = 1e-9  # the closed-form certificate evaluated in floating point (Haar patterns)
TOL_MARGIN = 1e-12  # Section 6's margins in floating point (n dot products of unit vectors)
_PATTERNS = ("standard", "haar")
