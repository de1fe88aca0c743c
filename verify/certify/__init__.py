"""Certificates that anyone can re-check without the checkers.

A certificate is a small JSON object (format :data:`FORMAT`)::

    {"format": "verify-certificate/1", "kind": "lemma_5_2_failure_probability",
     "claim": "Lemma 5.2", "inequality": "P(not k/(4d) <= X+, X- <= k/d) <= 4e^{-d} ...",
     "inputs": {"d": 5, "l": 3, "k": 1000},
     "bound": [["4", "-5"]],                      # sum of c * e^t, rationals as text
     "enclosure": {"quantity": "[0.28200298284253151 +/- 7.4e-20]",
                   "bound": "[0.026951787996341868 +/- 5.5e-21]", "bits": 64},
     "verdict": "fails"}

:func:`check` reads only the kind and the inputs (and, where the kind carries one, the
witness), and recomputes from them, by this package's own restatement of each statement
(:mod:`verify.certify._kinds`), the whole certificate: claim, statement, bound, enclosures,
verdict. The file must equal the recomputation field by field (and, when its name is given, be
named :func:`file_name`): an unknown field, a changed digit, a flipped verdict or a relabelled
claim is refused. Probabilities are exact integers and rationals or python-flint's ``arb`` ball
arithmetic, whose radius bounds every rounding (64 bits doubling up to 4096); algebra steps are
decided from the sides as the proof writes them, by exact rational-function arithmetic or Z3
under a resource limit, and a step of the paper must be this package's own statement of it
(:func:`paper_steps`, ``paper_steps.json``; :func:`paper_step` builds one). Every kind caps
its inputs (:data:`CAPS`): larger ones are refused at once, so one check stays within about
10 s. This package imports only the standard library,
python-flint and z3: none of :mod:`verify`'s checkers (a test runs it in a subprocess and
inspects ``sys.modules``).

Kinds (:data:`KINDS`): ``lemma_5_2_failure_probability`` (Lemma 5.2, Eq. 7 at ``(d, l, k)``
against ``4e^{-d}``), ``event_14_probability`` (Eq. 14 at ``m`` against ``4e^{-m/36}``),
``smallest_k`` (Lemma 5.2's smallest ``k*``: fails at ``k* - 1``, holds at every ``k`` in
``[k*, K)`` exactly and, by Bernstein's inequality with exact exponents, at every ``k >= K``),
``algebra_step`` (a proof-algebra step), ``proposition_6_1_kkt`` (Proposition 6.1's KKT
conditions in rationals), ``theorem_4_2_shattering`` and ``theorem_4_2_vc_dimension``
(Theorem 4.2), ``footnote_5_rate`` (footnote 5's rate ``I(d)`` and the fitted rate),
``lemma_5_2_per_filter`` (Appendix B's per-filter probability against the exact ``q_l``) and
``lemma_5_2_chernoff_tail`` (Lemma 5.2 at every ``k' >= k`` by the Chernoff/KL union tail at
``k``, decreasing in ``k'``, against ``4e^{-d}``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from verify.certify import _extra, _kinds, _strict  # noqa: F401 - _extra first: checks the extra
from verify.certify._algebra import algebra_step, paper_step
from verify.certify._chernoff import lemma_5_2_chernoff_tail
from verify.certify._common import FORMAT, Result
from verify.certify._footnote_5 import footnote_5_rate
from verify.certify._kkt import proposition_6_1_kkt
from verify.certify._per_filter import lemma_5_2_per_filter
from verify.certify._probability import (
    event_14_probability,
    lemma_5_2_failure_probability,
    smallest_k,
)
from verify.certify._steps import paper_steps
from verify.certify._strict import Malformed, NotTheStatement, TooLarge
from verify.certify._theorem_4_2 import theorem_4_2_shattering, theorem_4_2_vc_dimension

__all__ = [
    "CAPS",
    "FORMAT",
    "KINDS",
    "Malformed",
    "Result",
    "TooLarge",
    "algebra_step",
    "check",
    "check_text",
    "dumps",
    "event_14_probability",
    "file_name",
    "footnote_5_rate",
    "lemma_5_2_chernoff_tail",
    "lemma_5_2_failure_probability",
    "lemma_5_2_per_filter",
    "paper_step",
    "paper_steps",
    "proposition_6_1_kkt",
    "smallest_k",
    "theorem_4_2_shattering",
    "theorem_4_2_vc_dimension",
]

KINDS = tuple(_kinds.KINDS)
CAPS = _kinds.caps_text()
"""Each kind's caps on its integer inputs (the kinds with structured inputs also cap their
lengths and sizes: see :mod:`verify.certify._kinds`)."""
VERDICTS = ("holds", "fails", "undecided")


def _first_difference(got: Any, want: Any, where: str = "") -> str:
    """The first path where ``got`` and ``want`` (of one shape) differ, with both values."""
    if isinstance(want, dict):
        for key in want:
            why = _first_difference(got[key], want[key], f"{where}.{key}" if where else key)
            if why:
                return why
        return ""
    if isinstance(want, list):
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            why = _first_difference(g, w, f"{where}[{i}]")
            if why:
                return why
        return ""
    if got != want or type(got) is not type(want):
        return f"{where} is {json.dumps(got)[:80]}, recomputed {json.dumps(want)[:80]}"
    return ""


def _summary(cert: dict[str, Any]) -> str:
    """What a verified certificate proves, in one line."""
    verdict, kind, inp = cert["verdict"], cert["kind"], cert["inputs"]
    encl = cert.get("enclosure") or {}
    if "quantity" in encl:
        rel = "<=" if verdict == "holds" else ">"
        return (f"{verdict}: {encl['quantity']} {rel} {encl['bound']}, proved at "
                f"{encl['bits']} bits ({cert['claim']} at {_inputs_text(inp)})")
    if kind == "algebra_step":
        how = (f"exact counterexample {cert['witness']}" if verdict == "fails"
               else "the goal follows from the assumptions")
        return f"{verdict}: step {cert['id']}, {how}"
    return f"{verdict}: {cert['claim']} at {_inputs_text(inp)}, every field recomputed"


def _inputs_text(inputs: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in inputs.items() if isinstance(v, int))


def _check(cert: Any, name: str | None) -> Result:
    if not isinstance(cert, dict):
        raise Malformed(f"not a JSON object but {type(cert).__name__}")
    if cert.get("format") != FORMAT:
        raise Malformed(f"field 'format' must be {FORMAT!r}, got {cert.get('format')!r:.40}")
    kind_name = cert.get("kind")
    if not isinstance(kind_name, str) or kind_name not in _kinds.KINDS:
        raise Malformed(f"unknown kind {kind_name!r:.40}; known: {', '.join(KINDS)}")
    kind = _kinds.KINDS[kind_name]
    inputs = cert.get("inputs")
    if not isinstance(inputs, dict):
        raise Malformed("field 'inputs' must be an object")
    if cert.get("verdict") not in VERDICTS:
        raise Malformed(f"field 'verdict' must be one of {VERDICTS}, got "
                        f"{cert.get('verdict')!r:.40}")
    if kind.inputs:
        inputs = _kinds.integer_inputs(kind, inputs)
    want = kind.build(inputs, cert)
    if cert["verdict"] == "undecided":
        return Result(False, "the certificate decides nothing (verdict 'undecided')")
    if want["verdict"] == "undecided":
        why = "; ".join(want.get("problems", [])) or "too close to decide at the largest precision"
        return Result(False, f"recomputed verdict 'undecided': {why}")
    if cert["verdict"] != want["verdict"]:
        return Result(False, f"recomputed verdict {want['verdict']!r}, certificate says "
                             f"{cert['verdict']!r}")
    shape = _strict.shape_problem(cert, want)
    if shape:
        raise Malformed(shape)
    diff = _first_difference(cert, want)
    if diff:
        return Result(False, diff)
    if name is not None and name != file_name(want):
        return Result(False, f"file name {name!r} is not the recomputed {file_name(want)!r}")
    return Result(True, _summary(want))


def check(cert: Any, *, name: str | None = None) -> Result:
    """Re-verify one certificate (a parsed JSON object) from its kind and inputs alone: the
    recomputed certificate must equal it field by field, and, when ``name`` (the file's base
    name) is given, :func:`file_name` must be ``name``. A certificate that is not one of its
    kind gives status ``malformed``; inputs beyond the kind's caps, ``too large to re-check``
    (refused before any work)."""
    try:
        return _check(cert, name)
    except TooLarge as exc:
        return Result(False, f"too large to re-check: {exc}", "too large to re-check")
    except NotTheStatement as exc:
        return Result(False, str(exc))
    except (ValueError, ZeroDivisionError) as exc:
        return Result(False, f"malformed: {exc}", "malformed")


def check_text(text: str, *, name: str | None = None) -> Result:
    """:func:`check` of ``text`` parsed strictly (:func:`verify.certify._strict.loads`:
    duplicate keys, NaN, deep nesting and huge numbers are ``malformed``)."""
    try:
        cert = _strict.loads(text)
    except Malformed as exc:
        return Result(False, f"malformed: {exc}", "malformed")
    return check(cert, name=name)


def file_name(cert: dict[str, Any]) -> str:
    """A file name for ``cert`` from its kind and inputs, e.g.
    ``lemma_5_2_failure_probability-d5-k1000-l3.json`` (inputs sorted; an algebra step: its
    ``id``, else a hash of its inputs; a shattering: ``d``, ``l``, ``n`` and a hash of its
    patterns and points)."""
    inputs = cert.get("inputs", {})
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:12]
    if cert.get("kind") == "algebra_step":
        tag = str(cert.get("id", "")) or digest
    elif cert.get("kind") == "theorem_4_2_shattering":  # the patterns and points: a hash
        tag = "-".join(f"{k}{inputs.get(k)}" for k in ("d", "l", "n")) + f"-{digest}"
    elif cert.get("kind") == "footnote_5_rate":  # the grid of k: a hash
        tag = "d" + "_".join(str(d) for d in inputs.get("d_values", [])) + f"-{digest}"
    else:
        tag = "-".join(f"{k}{v}" for k, v in sorted(inputs.items()))
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in tag)
    return f"{cert.get('kind')}-{safe}.json"


def dumps(cert: dict[str, Any]) -> str:
    """The certificate as the text written to disk (sorted keys, indented, newline-terminated)."""
    return json.dumps(cert, indent=1, sort_keys=True) + "\n"
