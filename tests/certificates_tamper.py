"""Shared by the certificate tests: a certificate with one value changed, a small report whose
certificates are the quick report's own (the same checkers, the same parameters), written by
:func:`verify.report.certificates.write_certificates` with its index, and a text stream that
records its writes and flushes."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class FlushRecorder(io.StringIO):
    """A text stream whose ``events`` list each ``"write"`` and ``"flush"`` in order: a line
    printed with ``flush=True`` is ``["write", "write", "flush"]`` (text, newline, flush)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def write(self, s: str) -> int:
        self.events.append("write")
        return super().write(s)

    def flush(self) -> None:
        self.events.append("flush")


def tampered(cert: dict[str, Any], path: Sequence[Any], new: Any) -> dict[str, Any]:
    """A deep copy of ``cert`` with the value at ``path`` (keys and indices) set to ``new``."""
    out = copy.deepcopy(cert)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return out


def quick_rows() -> list[dict[str, Any]]:
    """Evidence rows of the quick report (seed 0) that carry certificates, one per kind, as
    the report's document holds them."""
    from verify.claims.event_14 import check_event_14_exact
    from verify.claims.footnote_5 import check_footnote_5
    from verify.claims.lemma_5_2 import check_lemma_5_2_exact, shown_range
    from verify.claims.lemma_5_2.per_filter import check_lucky_probability_exact
    from verify.claims.lemma_5_2.smallest_k import check_smallest_k
    from verify.claims.theorem_4_2.certificates import certify_shattering_row, certify_vc_row
    from verify.claims.theorem_4_2.exact import check_exact
    from verify.claims.theorem_4_2.vc_dimension import check_vc_dimension
    from verify.evidence.certified import (
        certify_event_14,
        certify_footnote_5,
        certify_lemma_5_2,
        certify_per_filter,
        certify_smallest_k,
    )

    rows = [certify_lemma_5_2(check_lemma_5_2_exact(5, 3, 1000)),
            certify_lemma_5_2(check_lemma_5_2_exact(3, 3, 216)),
            certify_event_14(check_event_14_exact(50)),
            certify_smallest_k(check_smallest_k(3, shown=shown_range(10))),
            certify_per_filter(check_lucky_probability_exact(6, 3)),
            certify_vc_row(check_vc_dimension(3, 3)),
            certify_shattering_row(check_exact(2)),
            certify_footnote_5(check_footnote_5((3, 4, 6, 10), points=6))]
    return [json.loads(json.dumps(r.as_dict(), default=str)) for r in rows]


def kkt_row() -> dict[str, Any]:
    """Proposition 6.1's row at ``n = 2, l = 3`` (the report's grid), certified."""
    from verify.claims.proposition_6_1 import check_proposition, closed_form
    from verify.evidence.certified import certify_kkt

    cf = closed_form(2, 3, 4)
    ev = certify_kkt(check_proposition(2, 3, d=4), cf.w, cf.multipliers[0])
    return json.loads(json.dumps(ev.as_dict(), default=str))


STEPS = ("B.1", "B.4", "B.9", "C.1", "E.6", "S.2", "T.1")
"""The proof-algebra rows of :func:`quick_report`: identities in the paper's form, true and
false sign conditions, and the steps the errata cite."""


def quick_report(directory: Path) -> Path:
    """A report document of :func:`quick_rows`, Proposition 6.1's row, the proof-algebra rows
    :data:`STEPS` and the errata that rest on them, with its certificates written under
    ``directory/R_files``; returns the index ``R_files/certificates.json``."""
    from verify.claims.errata import text_errata
    from verify.claims.proof_algebra import algebra_checks
    from verify.evidence.certified import proved_failure_note
    from verify.report.certificates import INDEX, write_certificates

    errata = [e.as_dict() for e in text_errata() if e.evidence.startswith("[proved]")
              and any(f"algebra_step-{i}.json" in e.evidence for i in STEPS)]
    errata.append({"claim": "Lemma 5.2", "evidence": proved_failure_note(5, 3, 1000) + "..."})
    doc = {"sections": [{"title": "Quick", "evidence": [*quick_rows(), kkt_row()]}],
           "algebra": [c.as_dict() for c in algebra_checks() if c.id in STEPS],
           "errata": errata}
    write_certificates(doc, directory / "R_files", "R_files")
    return directory / "R_files" / INDEX
