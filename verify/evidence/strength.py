"""How strongly one evidence row shows its verdict: :class:`~verify.evidence.Strength`.

A row may state its strength (``Evidence.strength``); otherwise it is inferred here, so that old
checkers and hand-made rows get one too. The rules, in order (:func:`strength_of`):

1. the row's own ``strength``, when set;
2. a verdict of ``not tested`` or ``not applicable``: ``not tested`` (nothing was decided);
3. a slack of kind ``"p-value"`` or ``"effect"``: ``statistical`` (a test at a level);
4. a bound that cannot fail at the sizes run (:func:`is_vacuous`): ``vacuous``;
5. otherwise ``computed`` (floating point with a stated tolerance; only a row that says so is
   ``proved``).

Rows are :class:`~verify.evidence.Evidence` objects or their
:meth:`~verify.evidence.Evidence.as_dict` form (what the report holds). Section 5 of the paper
states its probabilistic claims as "with probability at least p"; such a "holds" is *demonstrated*
only when the one-sided lower confidence bound on the success rate reaches p
(:mod:`verify.evidence.sequential`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from verify.evidence import Evidence, Strength

__all__ = ["ORDER", "decision_status", "is_vacuous", "strength_of", "strongest", "weakest"]

ORDER: tuple[Strength, ...] = (
    Strength.PROVED,
    Strength.COMPUTED,
    Strength.STATISTICAL,
    Strength.VACUOUS,
    Strength.NOT_TESTED,
)
"""Strongest first: proved > computed > statistical > vacuous > not tested."""

_STATISTICAL_KINDS = ("p-value", "effect")
_STATUSES = ("demonstrated", "refuted", "undecided", "vacuous")


def _field(ev: Evidence | dict[str, Any], name: str, default: Any = None) -> Any:
    if isinstance(ev, Evidence):
        return getattr(ev, name, default)
    if isinstance(ev, dict):
        return ev.get(name, default)
    raise ValueError(f"ev must be an Evidence or its dict, not {type(ev).__name__}")


def _value(x: Any) -> str:
    return x.value if hasattr(x, "value") else str(x)


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _decision(ev: Evidence | dict[str, Any]) -> dict[str, Any]:
    d = (_field(ev, "details") or {}).get("decision")
    return d if isinstance(d, dict) else {}


def is_vacuous(ev: Evidence | dict[str, Any]) -> bool:
    """Whether the row's bound cannot fail at the sizes run. Any one of:

    - ``details["decision"]["status"] == "vacuous"`` (a claimed probability <= 0);
    - ``details["decision"]["claimed_probability"] <= 0``: a lower bound on a probability
      that is <= 0;
    - ``details["bound_on"]`` is ``"probability"`` or ``"0-1 error"`` (a quantity in [0, 1]) and
      the bound is an upper one (``details["side"]``, default ``"upper"``) that is >= 1, or a
      lower one (``"lower"``) that is <= 0.
    """
    decision = _decision(ev)
    if decision.get("status") == "vacuous":
        return True
    if "claimed_probability" in decision and _num(decision["claimed_probability"]) <= 0:
        return True
    details = _field(ev, "details") or {}
    if details.get("bound_on") in ("probability", "0-1 error"):
        bound = _num(_field(ev, "bound"))
        side = details.get("side", "upper")
        if side == "upper":
            return bound >= 1
        if side == "lower":
            return bound <= 0
        raise ValueError(f"details['side'] must be 'upper' or 'lower', not {side!r}")
    return False


def strength_of(ev: Evidence | dict[str, Any]) -> Strength:
    """The row's :class:`~verify.evidence.Strength` (the module docstring's rules, in order)."""
    explicit = _field(ev, "strength")
    if explicit:
        try:
            return Strength(_value(explicit))
        except ValueError:
            raise ValueError(f"ev.strength is not a Strength: {explicit!r}") from None
    verdict = _value(_field(ev, "verdict", ""))
    if verdict in ("not tested", "not applicable"):
        return Strength.NOT_TESTED
    if _field(ev, "slack_kind", "") in _STATISTICAL_KINDS:
        return Strength.STATISTICAL
    if is_vacuous(ev):
        return Strength.VACUOUS
    return Strength.COMPUTED


def decision_status(ev: Evidence | dict[str, Any]) -> str | None:
    """For a statistical row: ``"demonstrated"``, ``"refuted"``, ``"undecided"`` or
    ``"vacuous"``; ``None`` for any other row.

    ``details["decision"]["status"]`` when present. A row without one (an old-style p-value
    test) is ``"refuted"`` if its verdict is ``fails`` and ``"undecided"`` otherwise: a test
    that did not reject has demonstrated nothing unless it says so.
    """
    if strength_of(ev) is not Strength.STATISTICAL:
        return None
    status = _decision(ev).get("status")
    if status is not None:
        if status not in _STATUSES:
            raise ValueError(f"details['decision']['status'] must be one of {_STATUSES}, "
                             f"not {status!r}")
        return str(status)
    return "refuted" if _value(_field(ev, "verdict", "")) == "fails" else "undecided"


def _nonempty(strengths: Iterable[Strength | str]) -> list[Strength]:
    items = [Strength(_value(s)) for s in strengths]
    if not items:
        raise ValueError("strengths must not be empty")
    return items


def weakest(strengths: Iterable[Strength | str]) -> Strength:
    """The weakest of ``strengths`` in :data:`ORDER`; a ``ValueError`` if there is none."""
    return max(_nonempty(strengths), key=ORDER.index)


def strongest(strengths: Iterable[Strength | str]) -> Strength:
    """The strongest of ``strengths`` in :data:`ORDER`; a ``ValueError`` if there is none.

    A failure is shown by any one failing row, so a claim that fails is as strongly refuted as
    its strongest failing row (a proved counterexample beside a Monte Carlo refutation: proved).
    """
    return min(_nonempty(strengths), key=ORDER.index)
