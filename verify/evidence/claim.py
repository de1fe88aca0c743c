"""How a claim declares itself, once, in its own module.

Each claim module of :mod:`verify.claims` ends with ``DECLARATION = ClaimDeclaration(...)``: the
names its evidence carries, a one-line statement, where it is in the paper, its named
assumptions (see :mod:`verify.model.assumptions`), its checkers, ``report_checks(profile,
seed)``, the regimes it is reported on, and its sweeps, the grids it is swept over. The report (and
anything else that runs claims) collects these declarations through
:func:`verify.claims.declarations`; nothing restates them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from verify.evidence.calculus import Part
from verify.evidence.controls import Control
from verify.evidence.sweep_spec import SweepSpec

__all__ = ["ClaimDeclaration"]


@dataclass(frozen=True)
class ClaimDeclaration:
    """One claim (or a small family of claims checked together) of the paper.

    ``key`` names it on the command line (``--only lemma-5.2``) and in the report; ``title`` is
    its heading; ``names`` are the values of :attr:`~verify.evidence.Evidence.claim` its checkers
    produce, the first being the claim itself; ``statement`` is the one line the Summary shows;
    ``location`` says where the paper states and proves it; ``assumptions`` names the
    assumptions it states; ``checkers`` are its public checker functions; ``report_checks`` runs
    it on its report regimes; ``errata`` (if any) returns what it found wrong in the text;
    ``sweeps`` are its grids of regimes and seeds for ``python -m verify.sweep``
    (:class:`~verify.evidence.sweep_spec.SweepSpec`); ``parts`` name the parts of the statement
    of each claim name and which rows test them (:class:`~verify.evidence.calculus.Part`; a name
    without parts has one, "the statement", tested by all its rows); ``controls`` are the false
    twins (:class:`~verify.evidence.controls.Control`), at least one per claim name, that the
    report re-judges on the same rows.
    """

    key: str
    title: str
    names: tuple[str, ...]
    statement: str
    location: str
    assumptions: tuple[str, ...]
    checkers: tuple[Callable[..., Any], ...]
    report_checks: Callable[[str, int], Sequence[Any]]
    errata: Callable[[], Sequence[Any]] | None = None
    sweeps: SweepSpec | tuple[SweepSpec, ...] = ()
    parts: tuple[Part, ...] = ()
    controls: tuple[Control, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.sweeps, SweepSpec):
            object.__setattr__(self, "sweeps", (self.sweeps,))
        if not all(isinstance(s, SweepSpec) for s in self.sweeps):
            raise ValueError("sweeps must be SweepSpec declarations")
        for field in ("key", "title", "statement", "location"):
            if not isinstance(getattr(self, field), str) or not getattr(self, field):
                raise ValueError(f"{field} must be a non-empty string")
        if not self.names or not all(isinstance(n, str) and n for n in self.names):
            raise ValueError("names must be a non-empty tuple of non-empty strings")
        if not all(callable(c) for c in self.checkers):
            raise ValueError("checkers must be callables")
        if not callable(self.report_checks):
            raise ValueError("report_checks must be callable")
        if not all(isinstance(p, Part) for p in self.parts):
            raise ValueError("parts must be Part declarations")
        if not all(isinstance(c, Control) for c in self.controls):
            raise ValueError("controls must be Control declarations")
        for item in (*self.parts, *self.controls):
            if item.claim and item.claim not in self.names:
                raise ValueError(f"{type(item).__name__} names claim {item.claim!r}, which is "
                                 f"not one of names {self.names}")

    def parts_of(self, name: str) -> tuple[Part, ...]:
        """The parts of claim ``name``'s statement declared here (a part naming no claim belongs
        to the first name); empty when none is declared: the rows then name their parts
        (:func:`verify.evidence.calculus.parts_named`)."""
        return tuple(p for p in self.parts if (p.claim or self.names[0]) == name)

    def control_of(self, name: str) -> Control | None:
        """The false twin of claim ``name`` (a control naming no claim twins the first name)."""
        return next((c for c in self.controls if (c.claim or self.names[0]) == name), None)

    @property
    def module(self) -> str:
        """The module that declares the claim (where ``report_checks`` lives)."""
        return self.report_checks.__module__
