"""One checked step of the paper's proofs (:class:`AlgebraCheck`), as
:mod:`verify.claims.proof_algebra` computes it, and the erratum kinds a false step stands for."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from verify.evidence._algebra import Outcome

__all__ = ["ERRATUM_KINDS", "AlgebraCheck"]

ERRATUM_KINDS = ("typo", "false-step", "false-claim", "missing-assumption", "loose")


@dataclass(frozen=True)
class AlgebraCheck:
    """One checked step: where it is, what it says, and the prover's :class:`Outcome`.

    ``kind`` is the erratum kind the step stands for when its status is ``false`` (a false step
    of a proof, a statement missing an assumption, a typo).
    """

    id: str
    location: str
    statement: str
    outcome: Outcome
    note: str = ""
    kind: str = "false-step"
    second: dict[str, str] | None = field(default=None, compare=False)
    """The second engine's verdict (:func:`verify.evidence.second_prover.second_opinion`)."""

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def method(self) -> str:
        return self.outcome.method

    @property
    def detail(self) -> str:
        return self.outcome.detail

    def as_dict(self) -> dict[str, Any]:
        """The check as plain data; ``second_prover`` is a copy (the report replaces its
        certificate by a file link, which must not reach the cached checks)."""
        second = copy.deepcopy(self.second) if self.second else None
        return {"id": self.id, "location": self.location, "statement": self.statement,
                "status": self.status, "method": self.method, "detail": self.detail,
                "note": self.note, **({"second_prover": second} if second else {})}
