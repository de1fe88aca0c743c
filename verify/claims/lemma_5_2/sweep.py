"""Sweep declarations of Lemma 5.2 (its DECLARATION.sweeps).

- ``"Lemma 5.2"``: the claimed event (Eq. 7, ``k/(4d) <= |W_0+ ∩ A+|, |W_0- ∩ A-| <= k/d``) at one
  initialisation per seed (:func:`verify.claims.lemma_5_2.check_lemma_5_2` with one trial), so that
  its success rate over the seeds of a regime is compared with the stated ``1 - 4e^{-d}``
  (:mod:`verify.sweep.rates`). ``d`` runs over the paper's sizes and up to 30, ``l`` over
  ``{3, about d/2, d}``, ``k`` from just above ``8d^3`` (and 10 times that where a trial is
  cheap: one trial costs about ``k`` operations, 0.2 s at ``k = 2,160,001``).
- ``"Lemma 5.2 (exact)"``: the exact failure probability (the multinomial law, cheap at every
  size here) against ``4e^{-d}`` over ``d = 3..30``, every ``3 <= l <= d``, ``k = f 8d^3 + 1``;
  each cell certified by an arb enclosure (strength ``proved``) when ``certify`` is installed.
"""

from __future__ import annotations

import math
from typing import Any

from verify.claims.lemma_5_2.exact import check_lemma_5_2_exact
from verify.claims.lemma_5_2.monte_carlo import check_lemma_5_2
from verify.claims.lemma_5_2.statement import CLAIM
from verify.evidence import Evidence
from verify.evidence.certified import certify_lemma_5_2
from verify.evidence.sweep_spec import Grid, SweepSpec, k_values, l_values

__all__ = ["SWEEP"]


def _monte_carlo(params: dict[str, Any], seed: int) -> Evidence:
    return check_lemma_5_2(int(params["d"]), int(params["l"]), int(params["k"]), trials=1,
                           seed=seed)


def _exact(params: dict[str, Any], seed: int) -> Evidence:
    """The exact row, certified (:func:`verify.evidence.certified.certify_lemma_5_2`: an arb
    enclosure decides it, strength ``proved``) when the ``certify`` extra is installed."""
    return certify_lemma_5_2(check_lemma_5_2_exact(int(params["d"]), int(params["l"]),
                                                   int(params["k"])))


def _event(ev: Evidence) -> bool:
    """Eq. 7 held at the seed's initialisation."""
    return ev.details["claim_test"]["failures"] == 0


def _probability(params: dict[str, Any]) -> float:
    return 1.0 - 4.0 * math.exp(-params["d"])


def _dlk(ds: range | tuple[int, ...], factors: tuple[int, ...], every_l: bool
         ) -> tuple[dict[str, int], ...]:
    return tuple({"d": d, "l": l, "k": k} for d in ds
                 for l in (range(3, d + 1) if every_l else l_values(d))
                 for k in k_values(d, factors))


PAPER_D = (3, 4, 5, 6, 8, 10, 12, 16, 20)
SWEEP = (
    SweepSpec(
        CLAIM,
        {"quick": Grid(_dlk(PAPER_D, (1,), False), 100),
         "standard": Grid(_dlk(PAPER_D[:7], (1, 10), False)
                          + _dlk((*PAPER_D[7:], 25, 30), (1,), False), 1000),
         "thorough": Grid(_dlk(range(3, 13), (1, 10, 100), False)
                          + _dlk(range(13, 31), (1, 10), False), 2000)},
        _monte_carlo, event=_event, probability=_probability, batch=50,
        note="one initialisation per seed; success rate of Eq. 7 against 1 - 4e^-d",
    ),
    SweepSpec(
        CLAIM + " (exact)",
        {"quick": Grid(_dlk(range(3, 13), (1,), True), 1),
         "standard": Grid(_dlk(range(3, 31), (1, 10), True), 1),
         "thorough": Grid(_dlk(range(3, 31), (1, 2, 10, 100), True), 1)},
        _exact, batch=100, note="exact failure probability, every 3 <= l <= d",
    ),
)
