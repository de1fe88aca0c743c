"""One run of LW_CNN (Algorithm 1) for a :class:`~verify.model.setting.Setting`, and the small
pieces every deterministic checker of Section 5 shares.

:func:`run_lw_cnn` draws everything from named streams of the setting's seed
(:func:`verify.rng.generator`): the patterns from ``"patterns"`` (Haar, or the standard basis),
``(W^(0), a^(0))`` from ``"init"``, the training set ``S`` from ``"train"``; fresh points of D
come from ``"fresh", *keys`` (:func:`fresh_samples`). It attaches the caller's recorders to the
first layer and returns a :class:`Run` record: the draws, ``W^(T1)`` in pattern coordinates, the
lucky filters (Eq. 6), the event of Eq. 14 and the event of Lemma 5.2 (Eq. 7).

The checker helpers:

- :class:`StepWorst` keeps, for one quantity, its worst value at each step ``t`` and which
  filter (or sample) attains it, so a recorder's memory is ``O(T1)``, not ``O(T1 k)``;
- :class:`Part` is one inequality of a claim with its slack in stated units, and
  :func:`combine` turns a claim's parts into one :class:`~verify.evidence.Evidence`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from verify._validate import check_int
from verify.evidence import Evidence, Verdict, verdict_from_slack
from verify.evidence.reproduce import python_command
from verify.evidence.ties import first_extreme
from verify.model import network
from verify.model.assumptions import is_stated
from verify.model.distribution import balanced_event, sample
from verify.model.initialisation import initialise
from verify.model.lucky import lucky_filters
from verify.model.lw_cnn import (
    FirstLayerResult,
    FirstLayerState,
    Recorder,
    SecondLayerResult,
    first_layer,
    second_layer,
)
from verify.model.patterns import haar_patterns, standard_patterns
from verify.model.setting import Setting
from verify.rng import generator

__all__ = [
    "PROFILES",
    "Part",
    "Run",
    "StateLog",
    "StepWorst",
    "combine",
    "fresh_samples",
    "lemma_5_2_event",
    "regimes",
    "reproduce_snippet",
    "run_lw_cnn",
    "setting_code",
    "theorem_setting",
]

PatternKind = Literal["haar", "standard"]


# ----------------------------------------------------------------------------- the run record


def lemma_5_2_event(d: int, k: int, n_plus: int, n_minus: int) -> dict[str, bool]:
    """Eq. 7 for given counts, in exact integer arithmetic: ``{"lower": k/(4d) <= both,
    "upper": both <= k/d, "both": ...}``.

    Appendix E uses the lower bound for the margin of ``v*`` and the upper bound for
    ``||v*||^2`` (and, weakly, for the margin), so the two halves are reported apart.

    Examples
    --------
    >>> lemma_5_2_event(3, 217, 35, 45)
    {'lower': True, 'upper': True, 'both': True}
    """
    d = check_int("d", d, low=3)
    k = check_int("k", k, low=1)
    n_plus = check_int("n_plus", n_plus, low=0, high=k)
    n_minus = check_int("n_minus", n_minus, low=0, high=k)
    lower = 4 * d * n_plus >= k and 4 * d * n_minus >= k
    upper = d * n_plus <= k and d * n_minus <= k
    return {"lower": lower, "upper": upper, "both": lower and upper}


@dataclass(frozen=True)
class Run:
    """Everything one run of LW_CNN drew and produced.

    ``first.P`` is ``W^(T1) O^T``; ``P0`` is ``W^(0) O^T``; ``lucky_plus``/``lucky_minus`` are
    the masks of ``W_0+ ∩ A+`` and ``W_0- ∩ A-``. ``second`` is ``None`` when the second layer was
    not run.
    """

    setting: Setting
    patterns: np.ndarray
    W0: np.ndarray
    a0: np.ndarray
    idx: np.ndarray
    y: np.ndarray
    P0: np.ndarray
    first: FirstLayerResult
    second: SecondLayerResult | None
    lucky_plus: np.ndarray
    lucky_minus: np.ndarray

    @property
    def m1(self) -> int:
        return self.setting.m1

    @property
    def idx1(self) -> np.ndarray:
        return self.idx[: self.m1]

    @property
    def y1(self) -> np.ndarray:
        return self.y[: self.m1]

    @property
    def idx2(self) -> np.ndarray:
        return self.idx[self.m1 :]

    @property
    def y2(self) -> np.ndarray:
        return self.y[self.m1 :]

    @property
    def balanced(self) -> bool:
        """The event of Eq. 14 on ``S_1``."""
        return balanced_event(self.y1)

    @property
    def lucky_counts(self) -> tuple[int, int]:
        return int(self.lucky_plus.sum()), int(self.lucky_minus.sum())

    @property
    def lucky_event(self) -> dict[str, bool]:
        """Lemma 5.2's event (Eq. 7) for this initialisation; see :func:`lemma_5_2_event`."""
        s = self.setting
        return lemma_5_2_event(s.d, s.k, *self.lucky_counts)

    def events_reason(self) -> str:
        """Which of the events Appendix E and Theorem 5.1 condition on fail for this run, in
        words (Eq. 14 on ``S_1``; Lemma 5.2's Eq. 7 at initialisation); ``""`` if none."""
        s = self.setting
        bad = []
        if not self.balanced:
            n_pos = int((self.y1 > 0).sum())
            bad.append(f"Eq. 14 fails (|S1+| = {n_pos}, |S1-| = {s.m1 - n_pos}, m1/3 = "
                       f"{s.m1 / 3:.4g})")
        if not self.lucky_event["both"]:
            n_plus, n_minus = self.lucky_counts
            bad.append(f"Lemma 5.2's event fails (|W0+ ∩ A+| = {n_plus}, |W0- ∩ A-| = "
                       f"{n_minus}; k/(4d) = {s.k / (4 * s.d):.4g}, k/d = {s.k / s.d:.4g})")
        return "; ".join(bad)

    def features(self, idx: object) -> np.ndarray:
        """``z(x)`` (Appendix E) of the points ``idx``, from ``W^(T1)``: ``m x k``."""
        return network.pattern_features(self.first.P, idx)[0]


def run_lw_cnn(
    setting: Setting,
    *,
    recorders: Iterable[Recorder] = (),
    second: bool = True,
    record_every: int = 1,
    patterns: PatternKind = "haar",
) -> Run:
    """Run Algorithm 1 for ``setting`` (first layer in pattern coordinates, then ``setting.T2``
    steps on the second layer unless ``second=False``), calling each recorder at every
    ``t = 0..T1`` of the first layer.

    Examples
    --------
    >>> from verify.model.setting import Setting, largest_allowed_steps
    >>> eta1, r = largest_allowed_steps(3, 217, 2)
    >>> s = Setting(d=3, l=3, n=2, k=217, m=20, eta1=eta1, eta2=100.0, r=r, T1=2, T2=5)
    >>> run = run_lw_cnn(s)
    >>> run.first.P.shape, run.second.losses.shape
    ((217, 3), (6,))
    """
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    if patterns not in ("haar", "standard"):
        raise ValueError(f"patterns must be 'haar' or 'standard', got {patterns!r}")
    record_every = check_int("record_every", record_every, low=1)
    s = setting
    if patterns == "haar":
        O = haar_patterns(s.d, s.l, generator(s.seed, "patterns"))
    else:
        O = standard_patterns(s.d, s.l)
    W0, a0 = initialise(s.k, s.d, s.r, generator(s.seed, "init"))
    idx, y = sample(s.n, s.l, s.m, generator(s.seed, "train"))
    P0 = network.projections(W0, O)
    plus, minus = lucky_filters(P0, a0)
    m1 = s.m1
    first = first_layer(W0, a0, O, idx[:m1], y[:m1], eta1=s.eta1, T1=s.T1, recorders=recorders)
    sec = None
    if second:
        Z2 = network.pattern_features(first.P, idx[m1:])[0]
        sec = second_layer(Z2, y[m1:], a0, eta2=s.eta2, T2=s.T2, record_every=record_every)
    return Run(s, O, W0, a0, idx, y, P0, first, sec, plus, minus)


def fresh_samples(setting: Setting, count: int, *keys: str | int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` fresh points of D (independent of the run's ``S``), from the stream
    ``generator(setting.seed, "fresh", *keys)``."""
    if not isinstance(setting, Setting):
        raise ValueError(f"setting must be a Setting, got {type(setting).__name__}")
    count = check_int("count", count, low=1)
    return sample(setting.n, setting.l, count, generator(setting.seed, "fresh", *keys))


def reproduce_snippet(module: str, function: str, setting: Setting, **kwargs: Any) -> str:
    """The shell command that reruns ``module.function(setting, **kwargs)`` and prints its
    summary (:func:`verify.evidence.reproduce.python_command`; the setting's fields as keyword
    arguments, floats as their shortest exact ``repr``)."""
    extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    return python_command(
        f"from verify.claims.{module} import {function}; from verify.model.setting import Setting; "
        f"print({function}({setting_code(setting)}{extra}).summary())"
    )


def setting_code(setting: Setting) -> str:
    """``Setting(d=3, l=3, ...)``: the Python that rebuilds ``setting`` exactly (floats as their
    shortest exact ``repr``), for reproduce lines."""
    return "Setting(" + ", ".join(f"{k}={v!r}" for k, v in setting.as_dict().items()) + ")"


# ----------------------------------------------------------------------------- recorder helpers


class StateLog:
    """A recorder that keeps every :class:`~verify.model.lw_cnn.FirstLayerState` it sees (memory
    ``O(T1 k l + T1 m1 k)``: for small runs, tests and debugging). :meth:`replay` feeds the
    states (possibly edited, e.g. with :func:`dataclasses.replace`) to other recorders."""

    def __init__(self) -> None:
        self.states: list[FirstLayerState] = []

    def on_step(self, state: FirstLayerState) -> None:
        self.states.append(state)

    @staticmethod
    def replay(states: Iterable[FirstLayerState], recorders: Iterable[Recorder]) -> None:
        recorders = list(recorders)
        for state in states:
            for rec in recorders:
                rec.on_step(state)


class StepWorst:
    """The worst value of one per-filter (or per-sample) quantity at each step, and where.

    ``kind="max"`` keeps the largest value (for upper bounds), ``"min"`` the smallest. ``add(t,
    values, where=None)`` takes the values at step ``t`` (any shape; an empty array records
    NaN, i.e. nothing to check) and optionally the labels of their positions (default: the flat
    index). Memory is ``O(number of steps)``.
    """

    def __init__(self, kind: Literal["max", "min"]) -> None:
        if kind not in ("max", "min"):
            raise ValueError(f"kind must be 'max' or 'min', got {kind!r}")
        self.kind = kind
        self.t: list[int] = []
        self.value: list[float] = []
        self.where: list[Any] = []

    def add(self, t: int, values: np.ndarray, where: Sequence[Any] | np.ndarray | None = None):
        values = np.asarray(values, dtype=np.float64).ravel()
        self.t.append(int(t))
        if values.size == 0:
            self.value.append(math.nan)
            self.where.append(None)
            return
        # the value is the extreme; the position named is the first that ties with it
        # (verify.evidence.ties), so that rounding does not pick another filter elsewhere
        nan = np.isnan(values)
        if nan.any():  # a failed computation: the first NaN is named, and recorded
            j = int(np.argmax(nan))
            self.value.append(math.nan)
        else:
            j = first_extreme(values, self.kind)
            self.value.append(float(values.max() if self.kind == "max" else values.min()))
        if where is None:
            self.where.append(j)
        else:
            w = where[j]
            self.where.append(w.tolist() if isinstance(w, (np.ndarray, np.generic)) else w)

    def worst(self) -> tuple[float, int | None, Any]:
        """``(value, t, where)`` of the worst step (NaN, None, None if nothing was recorded)."""
        vals = np.array(self.value, dtype=np.float64)
        ok = ~np.isnan(vals)
        if not ok.any():
            return math.nan, None, None
        i = first_extreme(vals, self.kind)
        best = float(np.nanmax(vals) if self.kind == "max" else np.nanmin(vals))
        return best, self.t[i], self.where[i]

    def as_dict(self) -> dict[str, Any]:
        return {"t": list(self.t), "worst": list(self.value), "where": list(self.where)}


@dataclass(frozen=True)
class Part:
    """One inequality of a claim: ``observed <= bound`` (``upper``) or ``observed >= bound``.

    ``scale`` is the unit the slack is measured in (``slack = (bound - observed) / scale`` for an
    upper bound, ``(observed - bound) / scale`` for a lower one) and ``tolerance`` the
    floating-point tolerance, in the same unit. ``applicable=False`` (with ``reason``) marks a part
    whose conditioning event failed: it is reported but does not enter the claim's verdict.
    ``verdict_override`` forces a verdict (e.g. an exact count that must be 0).
    """

    name: str
    observed: float
    bound: float
    upper: bool
    scale: float = 1.0
    scale_name: str = "1"
    tolerance: float = 1e-12
    where: Any = None
    applicable: bool = True
    reason: str = ""
    verdict_override: Verdict | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def slack(self) -> float:
        diff = self.bound - self.observed if self.upper else self.observed - self.bound
        return diff / self.scale

    @property
    def verdict(self) -> Verdict:
        if self.verdict_override is not None:
            return self.verdict_override
        return verdict_from_slack(self.slack, self.tolerance)

    def as_dict(self) -> dict[str, Any]:
        return {
            "observed": self.observed,
            "bound": self.bound,
            "relation": "<=" if self.upper else ">=",
            "slack": self.slack,
            "slack_unit": self.scale_name,
            "tolerance": self.tolerance,
            "verdict": self.verdict.value,
            "applicable": self.applicable,
            "where": self.where,
            "reason": self.reason,
            **self.extra,
        }


_ORDER = {Verdict.FAILS: 0, Verdict.BOUNDARY: 1, Verdict.HOLDS: 2, Verdict.NOT_APPLICABLE: 3}


def combine(
    claim: str,
    statement: str,
    parts: Sequence[Part],
    *,
    params: dict[str, Any],
    assumptions: dict[str, bool],
    reproduce: str,
    not_applicable: str = "",
    details: dict[str, Any] | None = None,
) -> Evidence:
    """One :class:`Evidence` from a claim's parts.

    The verdict is the worst verdict of the applicable parts (FAILS < BOUNDARY < HOLDS).
    ``observed``, ``bound``, ``slack`` and ``tolerance`` are those of the first applicable part
    (the claim's headline inequality) when it has that verdict, else of the part with that
    verdict and the smallest slack (slacks are in each part's stated unit;
    ``details["parts"]`` has them all). If
    ``not_applicable`` is non-empty (a conditioning event failed) the verdict is NOT_APPLICABLE
    with that reason, and the parts are still reported. A failed named assumption does not
    change the verdict (the fuzzing asks whether the conclusion survives it); it is listed in
    ``assumptions`` and named in ``reason``.
    """
    details = dict(details or {})
    details["parts"] = {p.name: p.as_dict() for p in parts}
    live = [p for p in parts if p.applicable]
    failed = sorted(a for a, ok in assumptions.items() if not ok and is_stated(a))
    proof_only = sorted(a for a, ok in assumptions.items() if not ok and not is_stated(a))
    reasons = []
    if failed:
        reasons.append("outside the claim's assumptions (fails: " + ", ".join(failed) + ")")
    if proof_only:
        reasons.append("inside the claim as stated; a condition only its proof uses fails ("
                       + ", ".join(proof_only) + ")")
    skipped = [p for p in parts if not p.applicable]
    for p in skipped:
        reasons.append(
            f"part {p.name!r} not applicable ({p.reason}); evaluated anyway: {p.verdict.value}"
            f" (observed {p.observed:.6g} vs bound {p.bound:.6g}, slack {p.slack:.3g} "
            f"{p.scale_name})"
        )
    if not_applicable or not live:
        reason = not_applicable or "no part of the claim is applicable"
        if parts and not_applicable:
            reason += "; evaluated anyway: " + ", ".join(
                f"{p.name}: {p.verdict.value} (slack {p.slack:.3g} {p.scale_name})"
                for p in parts
            )
        worst = min(parts, key=lambda p: p.slack if not math.isnan(p.slack) else math.inf,
                    default=None)
        return Evidence(
            claim=claim, statement=statement, verdict=Verdict.NOT_APPLICABLE,
            observed=worst.observed if worst else math.nan,
            bound=worst.bound if worst else math.nan,
            slack=worst.slack if worst else math.nan, slack_kind="difference",
            tolerance=worst.tolerance if worst else 0.0, params=params,
            assumptions=assumptions, reason="; ".join([reason, *reasons]), details=details,
            reproduce=reproduce,
        )
    verdict = min((p.verdict for p in live), key=_ORDER.__getitem__)
    bad = [p for p in live if p.verdict == verdict]
    worst = live[0] if live[0].verdict == verdict else min(bad, key=lambda p: p.slack)
    if verdict == Verdict.FAILS:
        reasons.insert(0, "fails: " + ", ".join(
            f"{p.name} (observed {p.observed:.6g} vs bound {p.bound:.6g}"
            f"{'' if p.where is None else f', at {p.where}'})"
            for p in bad))
    details["worst_part"] = worst.name
    return Evidence(
        claim=claim, statement=statement, verdict=verdict, observed=worst.observed,
        bound=worst.bound, slack=worst.slack, slack_kind="difference",
        tolerance=worst.tolerance, params=params, assumptions=assumptions,
        reason="; ".join(reasons), details=details, reproduce=reproduce,
    )



# ----------------------------------------------------------------------------- shared regimes

PROFILES = ("quick", "standard", "thorough")


def theorem_setting(d: int, l: int, n: int, k: int, m: int, T1: int, seed: int, *,
                    eta1_factor: float = 1.0, r_factor: float = 1.0, eta2_factor: float = 0.9,
                    T2: int = 0) -> Setting:
    """A setting inside Theorem 5.1's step-size assumptions: ``eta1 = eta1_factor / (4k(T1+1))``,
    ``r = r_factor eta1/200``, ``eta2 = eta2_factor 8k`` (factors <= 1, < 1 for ``eta2``)."""
    eta1 = eta1_factor / (4.0 * k * (T1 + 1))
    return Setting(d=d, l=l, n=n, k=k, m=m, eta1=eta1, eta2=eta2_factor * 8.0 * k,
                   r=r_factor * eta1 / 200.0, T1=T1, T2=T2, seed=seed)


def regimes(profile: str, seed: int) -> list[Setting]:
    """The settings inside Theorem 5.1's assumptions that the Section 5 checkers report on.

    ``quick``: the corner ``d = 3, k = 217 = 8d^3 + 1, T1 = 1`` with the largest ``eta1`` and
    ``r``; ``d = 4, l = 4`` with ``T1 = 10``; ``d = 5, l = 3`` (where Lemma 5.2's upper bound is
    at risk). ``standard`` adds longer first layers, a smaller ``eta1``, ``d = 6, l = 3`` (where
    Lemma 5.2's upper bound fails with high probability) and larger ``m``. ``thorough`` adds
    ``T1 = 200`` and more seeds.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    seed = check_int("seed", seed, low=0)
    out = [
        theorem_setting(3, 3, 3, 217, 40, 1, seed),
        theorem_setting(4, 4, 5, 513, 60, 10, seed),
        theorem_setting(5, 3, 4, 1001, 60, 4, seed),
    ]
    if profile in ("standard", "thorough"):
        out += [
            theorem_setting(3, 3, 6, 300, 200, 50, seed + 1, eta1_factor=0.5, r_factor=0.5),
            theorem_setting(5, 5, 4, 1001, 120, 20, seed + 2),
            theorem_setting(6, 3, 3, 1729, 80, 5, seed + 3),
            theorem_setting(4, 3, 8, 600, 100, 30, seed + 4, eta1_factor=0.1, r_factor=0.01),
        ]
    if profile == "thorough":
        out += [
            theorem_setting(3, 3, 4, 217, 100, 200, seed + 5),
            theorem_setting(6, 6, 3, 1729, 200, 10, seed + 6),
        ]
        out += [theorem_setting(4, 4, 4, 513, 80, 8, seed + 10 + i) for i in range(5)]
    return out
