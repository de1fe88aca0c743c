"""Theorem 4.2's statement, its named assumption and the tolerances its checkers share."""

from __future__ import annotations

CLAIM = "Theorem 4.2"
STATEMENT = ("If d = 2n and n >= 2 then VCdim(H_CNN(X)) >= 2^(d/2-1), X = supp D: the proof's set "
             "B is shattered")
ASSUMPTIONS = ("d=2n",)
TOL = 1e-12  # relative to the scale max ||alpha||_1 sqrt(n-1) of a network's output
MAX_EXHAUSTIVE_N = 16  # |B| = 2^(n-1) <= 16 (n <= 5): 65,536 labellings
_CHUNK_ELEMS = 1 << 21  # features per batch of labellings (16 MB)
