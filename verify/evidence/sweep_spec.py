"""How a claim declares its sweep: named grids of regimes (in the paper's terms), a number of
seeds per regime, and the function that evaluates one regime at one seed through the claim's
own checker.

Each claim module ends with a block ``SWEEP = SweepSpec(...)`` (or a tuple of them, one per
claim the module checks). The engine (:mod:`verify.sweep.engine`) turns a grid into tasks, one
per (claim, regime, seed); it never re-implements a claim.

A *probabilistic* claim ("with probability at least p, the event E holds") also declares
``event`` (did E occur in this evidence?) and ``probability`` (the stated lower bound ``p`` for a
regime); the sweep then reports the observed rate of E over the seeds of each regime
(:mod:`verify.sweep.rates`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verify.evidence import Evidence, Verdict

__all__ = [
    "GRID_NAMES",
    "Grid",
    "SweepSpec",
    "canonical",
    "eta1_fractions",
    "k_values",
    "l_values",
    "parts_hold",
]

GRID_NAMES = ("quick", "standard", "thorough")
"""``quick``: about a minute on 2 cores; ``standard``: under 20 minutes on 2 cores with 2
workers; ``thorough``: meant for a cluster."""

Params = dict[str, Any]


def canonical(params: Mapping[str, Any]) -> str:
    """The canonical JSON text of a regime (sorted keys, no spaces): what its task key and its
    seed are derived from. Values must be ints, floats, strings or booleans."""
    if not isinstance(params, Mapping):
        raise ValueError(f"params must be a mapping, got {type(params).__name__}")
    for name, value in params.items():
        if not isinstance(name, str):
            raise ValueError(f"params: keys must be strings, got {name!r}")
        if not isinstance(value, (bool, int, float, str)):
            raise ValueError(f"params: {name} must be an int, float, str or bool, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"params: {name} must be finite, got {value!r}")
    return json.dumps(dict(params), sort_keys=True, separators=(",", ":"))


def digest(text: str) -> str:
    """SHA-256 of ``text`` in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Grid:
    """Regimes (parameter dicts) and the default number of seeds per regime."""

    regimes: tuple[Params, ...]
    seeds: int = 1

    def __post_init__(self) -> None:
        regs = tuple(dict(r) for r in self.regimes)
        texts = [canonical(r) for r in regs]
        if len(set(texts)) != len(texts):
            raise ValueError("regimes: a grid must not list the same regime twice")
        if isinstance(self.seeds, bool) or not isinstance(self.seeds, int) or self.seeds < 1:
            raise ValueError(f"seeds must be a positive integer, got {self.seeds!r}")
        object.__setattr__(self, "regimes", regs)


@dataclass(frozen=True)
class SweepSpec:
    """A claim's sweep declaration.

    Attributes
    ----------
    claim
        The paper's name of the claim (``"Lemma 5.2"``); also its name on the command line
        (case and the spaces/hyphens between words do not matter).
    grids
        ``{"quick": Grid, "standard": Grid, "thorough": Grid}``.
    evaluate
        ``(params, seed) -> Evidence``: one regime at one seed, through the claim's checker.
    event, probability
        For a probabilistic claim: whether the claimed event occurred in an evidence, and the
        stated lower bound on its probability in a regime (may be <= 0: vacuous).
    batch
        Tasks per unit of work sent to a worker: tiny tasks are batched so that scheduling
        costs (about a millisecond per batch) stay small next to the work; a batch should still
        take under a second or so, so that the load stays balanced and Ctrl-C is prompt.
    note
        What the grids cover, in words.
    """

    claim: str
    grids: Mapping[str, Grid]
    evaluate: Callable[[Params, int], Evidence]
    event: Callable[[Evidence], bool] | None = None
    probability: Callable[[Params], float] | None = None
    batch: int = 1
    note: str = ""
    module: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.claim:
            raise ValueError("claim must be a non-empty string")
        missing = [g for g in GRID_NAMES if g not in self.grids]
        if missing:
            raise ValueError(f"grids: {self.claim} lacks the grids {missing}")
        if (self.event is None) != (self.probability is None):
            raise ValueError("event and probability must be given together")
        if isinstance(self.batch, bool) or not isinstance(self.batch, int) or self.batch < 1:
            raise ValueError(f"batch must be a positive integer, got {self.batch!r}")
        if not self.module:
            object.__setattr__(self, "module", getattr(self.evaluate, "__module__", ""))

    @property
    def probabilistic(self) -> bool:
        return self.event is not None


def l_values(d: int) -> tuple[int, ...]:
    """``l`` in ``{3, about d/2, d}`` (Section 3 allows ``3 <= l <= d``)."""
    return tuple(sorted({3, max(3, round(d / 2)), d}))


def k_values(d: int, factors: Iterable[int] = (1,)) -> tuple[int, ...]:
    """``k = f 8d^3 + 1`` for each ``f``: from just above ``8d^3`` (Theorem 5.1) upward."""
    return tuple(f * 8 * d**3 + 1 for f in factors)


def eta1_fractions(full: bool = True) -> tuple[float, ...]:
    """``eta1`` at 1, 1/2 and 1/10 of its largest allowed value ``1/(4k(T1+1))``."""
    return (1.0, 0.5, 0.1) if full else (1.0,)


def parts_hold(ev: Evidence) -> bool:
    """Whether every part of a combined evidence holds (``details["parts"]``, evaluated even
    when a conditioning event failed), else whether the evidence holds."""
    parts = ev.details.get("parts") if isinstance(ev.details, dict) else None
    if not parts:
        return ev.holds
    ok = (Verdict.HOLDS.value, Verdict.BOUNDARY.value)
    return all(p.get("verdict") in ok for p in parts.values())


def product(**axes: Sequence[Any]) -> tuple[Params, ...]:
    """Every combination of the given axes, as regimes."""
    out: list[Params] = [{}]
    for name, values in axes.items():
        out = [{**r, name: v} for r in out for v in values]
    return tuple(out)
