"""Section 5's regimes in the paper's terms, shared by the sweeps of its claims (Lemma 5.3,
Corollary 5.4, Lemma 5.5, Lemmas C.1 and C.2, Appendix E, Theorem 5.1).

A regime is ``{d, l, n, k, m, T1, eta1}`` with ``eta1`` the *fraction* of its largest allowed
value ``1/(4k(T1+1))`` (1, 1/2 or 1/10), ``r`` the largest allowed ``eta1/200`` and
``eta2 = 0.9 . 8k`` (:func:`verify.claims.section_5.theorem_setting`); the task's seed is the
setting's seed. The grids:

- ``quick``: ``d`` in {3, 4, 5, 6}, ``k = 8d^3 + 1``, ``l`` in {3, d/2, d}, ``T1`` in {1, 10},
  ``m = 60``;
- ``standard``: ``d`` in {3, 4, 5, 6, 8, 10}, ``T1`` in {1, 10, 100}, ``eta1`` at 1, 1/2, 1/10
  of its largest value, ``m`` in {60, 200};
- ``thorough``: the paper's sizes, ``d`` in {3, 4, 5, 6, 8, 10, 12, 16, 20} (``k`` up to
  64,001), ``k`` also ``2 . 8d^3 + 1``, ``m`` in {60, 200, 1000}, ``n`` in {3, 5}.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

from verify.claims.section_5 import theorem_setting
from verify.evidence import Evidence
from verify.evidence.sweep_spec import Grid, SweepSpec, eta1_fractions, k_values, l_values
from verify.model.setting import Setting

__all__ = ["GRIDS", "NOTE", "PAPER_D", "grids", "probability_eq_14", "regimes", "setting",
           "sweep_spec"]

PAPER_D = (3, 4, 5, 6, 8, 10, 12, 16, 20)


def regimes(
    ds: tuple[int, ...],
    T1s: tuple[int, ...],
    ms: tuple[int, ...],
    *,
    fractions: tuple[float, ...] = (1.0,),
    factors: tuple[int, ...] = (1,),
    ns: tuple[int, ...] = (3,),
    T2: int | None = None,
) -> tuple[dict[str, Any], ...]:
    """Every ``(d, l, n, k, m, T1, eta1)`` of the axes (``l`` in :func:`l_values`, ``k`` in
    :func:`k_values`), plus ``T2`` when given."""
    out = []
    for d in ds:
        for l in l_values(d):
            for k in k_values(d, factors):
                for n in ns:
                    for m in ms:
                        for T1 in T1s:
                            for f in fractions:
                                r: dict[str, Any] = {"d": d, "l": l, "n": n, "k": k, "m": m,
                                                     "T1": T1, "eta1": f}
                                if T2 is not None:
                                    r["T2"] = T2
                                out.append(r)
    return tuple(out)


def grids(*, seeds: tuple[int, int, int] = (2, 2, 5), T2: int | None = None,
          thorough_ns: tuple[int, ...] = (3, 5)) -> dict[str, Grid]:
    """The three grids of Section 5 (module docstring) with ``seeds`` per regime (``n`` in
    ``thorough_ns`` in the thorough grid)."""
    return {
        "quick": Grid(regimes((3, 4, 5, 6), (1, 10), (60,), T2=T2), seeds[0]),
        "standard": Grid(regimes((3, 4, 5, 6, 8, 10), (1, 10, 100), (60, 200),
                                 fractions=eta1_fractions(), T2=T2), seeds[1]),
        "thorough": Grid(regimes(PAPER_D, (1, 10, 100), (60, 200, 1000),
                                 fractions=eta1_fractions(), factors=(1, 2), ns=thorough_ns,
                                 T2=T2),
                         seeds[2]),
    }


GRIDS = grids()


def setting(params: dict[str, Any], seed: int) -> Setting:
    """The setting of a regime at ``seed`` (``T2`` from the regime, default 0)."""
    return theorem_setting(params["d"], params["l"], params["n"], params["k"], params["m"],
                           params["T1"], seed, eta1_factor=float(params["eta1"]),
                           T2=int(params.get("T2", 0)))


NOTE = "Section 5's regimes (verify.claims.section_5_grids)"


def _evaluate(check_setting: Callable[[Setting], Evidence], params: dict[str, Any],
              seed: int) -> Evidence:
    return check_setting(setting(params, seed))


def sweep_spec(claim: str, check_setting: Callable[[Setting], Evidence],
               grids: Mapping[str, Grid] = GRIDS, *, batch: int = 8, note: str = NOTE,
               event: Callable[[Evidence], bool] | None = None,
               probability: Callable[[dict[str, Any]], float] | None = None) -> SweepSpec:
    """The sweep declaration of a Section 5 claim whose checker takes a :class:`Setting`: one
    task is ``check_setting(setting(params, seed))`` on ``grids`` (default :data:`GRIDS`);
    ``event`` and ``probability`` as in :class:`SweepSpec`. The spec's ``module`` is
    ``check_setting``'s, where a worker looks the claim up."""
    return SweepSpec(claim, grids, functools.partial(_evaluate, check_setting), event=event,
                     probability=probability, batch=batch, note=note,
                     module=check_setting.__module__)


def probability_eq_14(params: dict[str, Any]) -> float:
    """``1 - 4e^{-m/36}``: the stated probability of Eq. 14's event."""
    return 1.0 - 4.0 * math.exp(-params["m"] / 36.0)
