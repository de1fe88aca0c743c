"""Lemma 5.2's statement, named assumptions, default test level, and the validation its checkers
share."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from verify._validate import check_int, check_size
from verify.model.assumptions import evaluate
from verify.model.setting import minimal_setting

ALPHA = 1e-9
"""Default level of every exact test here (false-alarm probability per decision)."""

CHUNK_TRIALS = 100
"""Trials per random stream in the fast path; the chunking is fixed, so results do not depend on
the number of worker threads."""

CLAIM = "Lemma 5.2"
CLAIM_PROBABILITY = "Lemma 5.2 (per-filter probability)"
STATEMENT = "With probability >= 1 - 4e^{-d}: k/(4d) <= |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d (Eq. 7)"
ASSUMPTION_NAMES = ("l=d", "k>=8d^3")
HOLDS_UNDER = ("l = d (more generally q_l = (1 - 2^{1-l})/(2(l-1)) <= 3/(4d), where the proof's "
               "Hoeffding step goes through)")
"""The missing assumption of Lemma 5.2 (:attr:`verify.evidence.Evidence.holds_under`)."""


def proof_condition(d: int, l: int) -> bool:
    """Whether Appendix B's proof goes through at ``(d, l)`` with ``q_l`` for ``q_d``:
    ``q_l <= 3/(4d)`` (so ``q_l + 1/(4d) <= k/d``; ``q_l >= q_d >= 1/(2d)`` always holds for
    ``l <= d``), decided in integers: ``4d (2^(l-1) - 1) <= 3 (l-1) 2^l``. With ``k >= 8d^3``
    Hoeffding then bounds each of the four tails by ``e^{-d}``. True at ``l = d`` for every
    ``d >= 3``.

    Examples
    --------
    >>> proof_condition(5, 5), proof_condition(4, 3), proof_condition(5, 3)
    (True, True, False)
    """
    d = check_int("d", d, low=3)
    l = check_int("l", l, low=3, high=d)
    return 4 * d * (2 ** (l - 1) - 1) <= 3 * (l - 1) * 2**l

Sampler = Callable[[int, int, int, int, int], tuple[np.ndarray, np.ndarray]]
"""``sampler(d, l, k, trials, seed) -> (plus, minus)``: per-trial counts of ``W_0+ ∩ A+`` and
``W_0- ∩ A-`` (int64, length ``trials``). Checkers accept one so that tests can feed them broken
counts and see them fail."""


# ----------------------------------------------------------------------------- validation


def _dlk(d: object, l: object, k: object) -> tuple[int, int, int]:
    d = check_size("d", d, low=3, high=2**62, why="sizes are held in int64")
    l = check_int("l", l, low=3, high=d)
    k = check_size("k", k, low=1, high=2**62, why="sizes are held in int64")
    return d, l, k


def _assumptions(d: int, l: int, k: int) -> dict[str, bool]:
    return evaluate(minimal_setting(d, l, k), ASSUMPTION_NAMES)


def _reproduce(fn: str, args: str) -> str:
    return f"python -c 'from verify.claims.lemma_5_2 import {fn}; print({fn}({args}).summary())'"
