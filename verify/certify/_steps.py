"""The paper's proof-algebra steps as :mod:`verify.certify` states them, keyed by id.

``paper_steps.json`` (beside this module) holds, for every step of the proofs that the report
certifies (Appendices B to E, Section 5's sketch, Eq. 5 of Theorem 4.2, and Lemma 5.2 at
``d >= 20`` by Bernstein's inequality), its statement and its inputs (variables, assumptions,
goal, and the variables that are integers) in :mod:`verify.certify._algebra`'s grammar. A
certificate of kind ``algebra_step`` whose id is one of these must carry exactly that statement
and those inputs (:func:`mismatch`): a true step saved under the id of a false one is refused
on its own, without the report. Any other id is a step of the user's own, named by a hash of
its statement and inputs (:func:`own_id`), so that neither can change without the id.

The table is this package's own restatement, independent of the checkers; a test checks that
the proof algebra (:mod:`verify.claims.proof_algebra`) certifies exactly these steps.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from importlib import resources
from typing import Any

__all__ = ["OWN_ID", "STEPS_FORMAT", "mismatch", "own_id", "paper_steps"]

STEPS_FORMAT = "verify-paper-steps/1"
OWN_ID = re.compile(r"h[0-9a-f]{12}")
"""The form of a step of the user's own: ``h`` and 12 hex digits of :func:`own_id`."""


@functools.cache
def _load() -> dict[str, dict[str, Any]]:
    doc = json.loads(resources.files("verify.certify").joinpath("paper_steps.json")
                     .read_text(encoding="utf-8"))
    if doc.get("format") != STEPS_FORMAT:
        raise RuntimeError(f"paper_steps.json: format {doc.get('format')!r}, expected "
                           f"{STEPS_FORMAT!r}")
    return doc["steps"]


def paper_steps() -> dict[str, dict[str, Any]]:
    """``{id: {"inequality": statement, "inputs": {...}}}`` for every paper step (a copy)."""
    return json.loads(json.dumps(_load()))


def own_id(name: str, inputs: dict[str, Any]) -> str:
    """The id of a step of the user's own: ``h`` and the first 12 hex digits of the SHA-256 of
    its statement ``name`` and its ``inputs`` (canonical JSON)."""
    text = json.dumps({"inequality": name, "inputs": inputs}, sort_keys=True)
    return "h" + hashlib.sha256(text.encode()).hexdigest()[:12]


def mismatch(step_id: str, name: str, inputs: dict[str, Any]) -> str:
    """Empty when ``(name, inputs)`` is the step ``step_id``: the paper's step of that id
    exactly, or, for an id of the form :data:`OWN_ID`, the step whose hash it is. Else why
    not, in one line."""
    steps = _load()
    if step_id in steps:
        want = steps[step_id]
        if name != want["inequality"]:
            return (f"step {step_id} of the paper states {want['inequality'][:60]!r}, this file "
                    f"{name[:60]!r}")
        for key in sorted(set(want["inputs"]) | set(inputs)):
            got, exp = inputs.get(key), want["inputs"].get(key)
            if got != exp:
                return (f"step {step_id} of the paper has inputs.{key} = {json.dumps(exp)[:80]}, "
                        f"this file {json.dumps(got)[:80]}")
        return ""
    if OWN_ID.fullmatch(step_id):
        want_id = own_id(name, inputs)
        return "" if step_id == want_id else (
            f"id {step_id} is not the hash of this step's statement and inputs ({want_id})")
    return (f"id {step_id!r} is neither a step of the paper ({len(steps)} steps: "
            f"{', '.join(list(steps)[:4])}, ...) nor the hash of a step of one's own (h and 12 "
            f"hex digits)")
