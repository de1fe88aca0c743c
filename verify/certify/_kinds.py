"""The registry of certificate kinds: for each, its own restatement of the certified statement
as code (independent of the checkers).

A kind is one function registered with :func:`register`: from the certificate's validated
``inputs`` (and, for a kind that carries one, its ``witness``) it returns the certificate
recomputed: claim, statement, bound, enclosures and verdict. :func:`verify.certify.check` then
requires the file to equal that recomputation field by field, so every field is recomputed and
compared, and any field the recomputation lacks is refused as unknown. ``register`` also
declares the integer inputs with their least values and caps (the largest inputs re-checked:
larger ones are refused at once, ``too large to re-check: k = 10^12 > 10^9``), and how a
certificate backs a report row (:func:`row_problem`).

Adding a kind::

    @register("my_kind", inputs={"d": 3}, caps={"d": 100}, row_keys=("d",))
    def _my_kind(inputs, cert):
        return my_kind_certificate(inputs["d"])      # the builder: same output, same fields

and a line in docs/how-to/certificates.md's table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from verify.certify import (
    _algebra,
    _chernoff,
    _footnote_5,
    _kkt,
    _per_filter,
    _probability,
    _steps,
)
from verify.certify import _theorem_4_2 as _t42
from verify.certify._common import FORMAT, rational
from verify.certify._strict import Malformed, NotTheStatement, TooLarge

__all__ = ["KINDS", "Kind", "caps_text", "register", "row_problem", "too_large"]


@dataclass(frozen=True)
class Kind:
    """One registered kind: its integer inputs (``name -> least value``), their caps, the
    inputs a report row must share (``row_keys``) and the recomputation ``build``."""

    name: str
    build: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]
    inputs: dict[str, int] = field(default_factory=dict)
    caps: dict[str, int] = field(default_factory=dict)
    row_keys: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {}


def register(name: str, *, inputs: dict[str, int] | None = None,
             caps: dict[str, int] | None = None, row_keys: tuple[str, ...] = ()
             ) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Register ``build(inputs, cert) -> recomputed certificate`` as the kind ``name``. With
    ``inputs`` given, the certificate's inputs must be exactly these integers (each at least its
    value) and at most ``caps``; without, ``build`` validates them itself (raising
    :class:`Malformed`/ValueError or :class:`TooLarge`)."""
    def deco(build: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        KINDS[name] = Kind(name, build, dict(inputs or {}), dict(caps or {}), row_keys)
        return build
    return deco


def power_text(n: int) -> str:
    """``n`` as the refusal line writes it: ``10^12``, ``4*10^6``, or the digits."""
    if n >= 10**4:
        e = len(str(n)) - 1
        lead, rest = divmod(n, 10**e)
        if rest == 0:
            return f"10^{e}" if lead == 1 else f"{lead}*10^{e}"
    return str(n)


def too_large(name: str, value: int, cap: int) -> None:
    """Raise :class:`TooLarge` when ``value > cap`` (``name = value > cap``)."""
    if value > cap:
        raise TooLarge(f"{name} = {power_text(value)} > {power_text(cap)}")


def integer_inputs(kind: Kind, inputs: dict[str, Any]) -> dict[str, int]:
    """``inputs`` checked against ``kind.inputs`` (exact keys, integers, least values) and
    ``kind.caps``."""
    for key in inputs:
        if key not in kind.inputs:
            raise Malformed(f"unknown input {key!r} (inputs of {kind.name}: "
                            f"{', '.join(kind.inputs)})")
    for key, low in kind.inputs.items():
        if key not in inputs:
            raise Malformed(f"missing input {key!r}")
        value = inputs[key]
        if type(value) is not int:
            raise Malformed(f"input {key!r} must be an integer, got {value!r:.40}")
        if value < low:
            raise Malformed(f"input {key!r} must be >= {low}, got {value}")
    for key, cap in kind.caps.items():
        too_large(key, inputs[key], cap)
    return dict(inputs)


def caps_text() -> dict[str, str]:
    """Each kind's caps as text (for the documentation and ``--help``)."""
    return {k.name: ", ".join(f"{n} <= {power_text(c)}" for n, c in k.caps.items())
            for k in KINDS.values()}


def _l_at_most_d(inputs: dict[str, int]) -> None:
    if inputs["l"] > inputs["d"]:
        raise Malformed(f"input 'l' must be <= d = {inputs['d']}, got {inputs['l']}")


# ----------------------------------------------------------------------------- the kinds

SMALLEST_K_WORK = 10**6
"""Cap of ``(horizon^2 - k*^2) / (2d)``, a bound of the smallest ``k``'s number of ball
operations (one sum of Eq. 7 per ``k``, each at most ``k/d`` terms and about ``sqrt(k)`` in
practice; the thorough profile's ``d = 19`` needs at most about 563,000)."""


@register("lemma_5_2_failure_probability", inputs={"d": 3, "l": 3, "k": 1},
          caps={"d": 1000, "k": 10**9}, row_keys=("d", "l", "k"))
def _lemma_5_2(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    """Eq. 7's failure probability (:func:`verify.certify._arith.eq7_failure_ball`, about
    ``sqrt(k)`` ball operations): at the caps ``d = 1000, k = 10^9``, about 2 s."""
    _l_at_most_d(inputs)
    return _probability.lemma_5_2_failure_probability(inputs["d"], inputs["l"], inputs["k"])


@register("event_14_probability", inputs={"m": 1}, caps={"m": 10**4}, row_keys=("m",))
def _event_14(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    return _probability.event_14_probability(inputs["m"])


@register("smallest_k", inputs={"d": 3, "l": 3, "k_star": 1, "horizon": 1},
          caps={"d": 1000, "horizon": 6000}, row_keys=("d", "l"))
def _smallest_k(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    _l_at_most_d(inputs)
    if inputs["horizon"] < inputs["k_star"]:
        raise Malformed(f"input 'horizon' must be >= k_star = {inputs['k_star']}")
    too_large("(horizon^2 - k_star^2) / (2d)",
              (inputs["horizon"] ** 2 - inputs["k_star"] ** 2) // (2 * inputs["d"]),
              SMALLEST_K_WORK)
    return _probability.smallest_k(inputs["d"], inputs["l"], inputs["k_star"],
                                   inputs["horizon"])


@register("lemma_5_2_chernoff_tail", inputs={"d": 3, "l": 3, "k": 1},
          caps={"d": 10**4, "k": 10**12}, row_keys=("d", "l", "k"))
def _chernoff_tail(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    _l_at_most_d(inputs)
    return _chernoff.lemma_5_2_chernoff_tail(inputs["d"], inputs["l"], inputs["k"])


@register("lemma_5_2_per_filter", inputs={"d": 3, "l": 3},
          caps={"d": 10**4, "l": _per_filter.MAX_L}, row_keys=("d", "l"))
def _per_filter_kind(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    _l_at_most_d(inputs)
    return _per_filter.lemma_5_2_per_filter(inputs["d"], inputs["l"])


def _witness(cert: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    wit = cert.get("witness")
    if not isinstance(wit, dict):
        raise Malformed("field 'witness' must be an object")
    _exact_keys(wit, keys, "field", "witness.")
    return wit


def _rationals(name: str, values: Any, cap: int) -> list[str]:
    if not isinstance(values, list):
        raise Malformed(f"field {name!r} must be an array of rationals")
    too_large(f"len({name})", len(values), cap)
    for v in values:
        rational(name, v)
    return values


def _rows(name: str, rows: Any, cap: int, width: int) -> list[list[str]]:
    if not isinstance(rows, list):
        raise Malformed(f"field {name!r} must be an array of arrays")
    too_large(f"len({name})", len(rows), cap)
    return [_rationals(name, r, width) for r in rows]


def _ints(name: str, values: Any, cap: int) -> list[int]:
    if not isinstance(values, list) or any(type(v) is not int for v in values):
        raise Malformed(f"field {name!r} must be an array of integers")
    too_large(f"len({name})", len(values), cap)
    return values


@register("proposition_6_1_kkt", inputs={"n": 1, "l": 3, "d": 3},
          caps={"n": 64, "l": 10**4, "d": 10**4}, row_keys=("n", "l", "d"))
def _kkt_kind(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    n, l, d = inputs["n"], inputs["l"], inputs["d"]
    if d < l:
        raise Malformed(f"input 'd' must be >= l = {l}, got {d}")
    too_large("|supp D| = 2n(l-2)^(n-1)", 2 * n * (l - 2) ** (n - 1), _kkt.SUPPORT_LIMIT)
    wit = _witness(cert, ("w", "multiplier"))
    w = _rationals("witness.w", wit["w"], n * d)
    return _kkt.proposition_6_1_kkt(n, l, d, w, rational("witness.multiplier",
                                                         wit["multiplier"]))


def _exact_keys(mapping: dict[str, Any], keys: tuple[str, ...], what: str = "input",
                prefix: str = "") -> None:
    """``mapping`` has exactly ``keys``: the first unknown key, then the first missing one, is
    refused as ``unknown <what> '<prefix><key>'`` (``missing ...``)."""
    for key in mapping:
        if key not in keys:
            raise Malformed(f"unknown {what} {prefix + key!r}")
    for key in keys:
        if key not in mapping:
            raise Malformed(f"missing {what} {prefix + key!r}")


def _int(name: str, value: Any, low: int, cap: int) -> int:
    if type(value) is not int:
        raise Malformed(f"input {name!r} must be an integer, got {value!r:.40}")
    if value < low:
        raise Malformed(f"input {name!r} must be >= {low}, got {value}")
    too_large(name, value, cap)
    return value


@register("theorem_4_2_shattering", row_keys=("n", "d", "l"))
def _shattering(inputs: dict[str, Any], cert: dict[str, Any]) -> dict[str, Any]:
    _exact_keys(inputs, ("n", "d", "l", "patterns", "points"))
    n, d = _int("n", inputs["n"], 2, 16), _int("d", inputs["d"], 3, 64)
    l = _int("l", inputs["l"], 3, d)
    patterns = _rows("inputs.patterns", inputs["patterns"], l, d)
    points = inputs["points"]
    if not isinstance(points, list):
        raise Malformed("field 'inputs.points' must be an array of arrays")
    too_large("|points|", len(points), _t42.SHATTER_LIMIT)
    points = [_ints("inputs.points", x, n) for x in points]
    wit = _witness(cert, ("directions", "channel_direction", "a", "coefficients"))
    chan = _ints("witness.channel_direction", wit["channel_direction"], 64)
    if any(not 0 <= c < len(wit["directions"]) for c in chan):
        raise Malformed("witness.channel_direction: an index outside the directions")
    return _t42.theorem_4_2_shattering(
        n, d, l, patterns, points, _rows("witness.directions", wit["directions"], 64, d),
        chan, _rationals("witness.a", wit["a"], 64),
        _rows("witness.coefficients", wit["coefficients"], 2**_t42.SHATTER_LIMIT, 64))


@register("theorem_4_2_vc_dimension", inputs={"n": 1, "l": 3, "d": 3},
          caps={"n": 64, "l": 10**4, "d": 2000}, row_keys=("n", "l", "d"))
def _vc(inputs: dict[str, int], cert: dict[str, Any]) -> dict[str, Any]:
    n, l, d = inputs["n"], inputs["l"], inputs["d"]
    if d < l:
        raise Malformed(f"input 'd' must be >= l = {l}, got {d}")
    too_large("|X| = 2n(l-2)^(n-1)", 2 * n * (l - 2) ** (n - 1), _t42.SUPPORT_LIMIT)
    return _t42.theorem_4_2_vc_dimension(n, l, d)


FOOTNOTE_5_CAPS = {"len(d_values)": 12, "d": 40, "len(ks)": 16, "k per d": 2000,
                   "sum of k": 10**6}
"""Footnote 5's caps. ``k <= 2000 d`` keeps ``P(Eq. 7 fails) >= e^{-160}`` or so (the rate is
about ``0.077 k / d``), which the ball decides at a few hundred bits; the thorough grid's largest
``k / d`` is about 1730, its sum of ``k`` 778,294."""


@register("footnote_5_rate", row_keys=("d_values",))
def _footnote(inputs: dict[str, Any], cert: dict[str, Any]) -> dict[str, Any]:
    for key in inputs:
        if key not in ("d_values", "ks", "tolerance", "l"):
            raise Malformed(f"unknown input {key!r}")
    if inputs.get("l") != "d":
        raise Malformed("input 'l' must be \"d\" (footnote 5 is at l = d)")
    ds = _ints("inputs.d_values", inputs.get("d_values"), FOOTNOTE_5_CAPS["len(d_values)"])
    for d in ds:
        too_large("d", d, FOOTNOTE_5_CAPS["d"])
    ks = inputs.get("ks")
    if not isinstance(ks, dict):
        raise Malformed("field 'inputs.ks' must be an object")
    total = 0
    for d in ds:
        v = _ints("inputs.ks", ks.get(str(d)), FOOTNOTE_5_CAPS["len(ks)"])
        for k in v:
            too_large(f"k (d = {d})", k, FOOTNOTE_5_CAPS["k per d"] * d)
        total += sum(v)
    too_large("sum of k", total, FOOTNOTE_5_CAPS["sum of k"])
    return _footnote_5.footnote_5_rate(ds, ks, rational("inputs.tolerance",
                                                        inputs.get("tolerance")))


ALGEBRA_ID = "[A-Za-z0-9._-]{1,40}"


@register("algebra_step")
def _algebra_kind(inputs: dict[str, Any], cert: dict[str, Any]) -> dict[str, Any]:
    import re

    for key in inputs:
        if key not in ("variables", "assumptions", "goal", "integers"):
            raise Malformed(f"unknown input {key!r}")
    variables = inputs.get("variables")
    if not isinstance(variables, list) or not all(
            isinstance(v, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,40}", v)
            for v in variables) or len(set(variables)) != len(variables):
        raise Malformed("input 'variables' must be an array of distinct names")
    too_large("variables", len(variables), _algebra.CAPS["variables"])
    assumptions = inputs.get("assumptions")
    if not isinstance(assumptions, list):
        raise Malformed("input 'assumptions' must be an array of [lhs, relation, rhs]")
    too_large("assumptions", len(assumptions), _algebra.CAPS["assumptions"])
    for rel in [*assumptions, inputs.get("goal")]:
        if not (isinstance(rel, list) and len(rel) == 3 and all(isinstance(t, str) for t in rel)
                and rel[1] in _algebra.RELATIONS):
            raise Malformed(f"{str(rel)[:60]} is not [lhs, relation, rhs] with a relation of "
                            f"{_algebra.RELATIONS}")
        _algebra.measure(rel[0])
        _algebra.measure(rel[2])
    goal = inputs["goal"]
    if _algebra.trivial(goal):
        raise Malformed("trivially true: the two sides of the goal are the same expression")
    integers = inputs.get("integers", [])
    if "integers" in inputs and (not isinstance(integers, list) or not integers
                                 or any(v not in variables for v in integers)):
        raise Malformed("input 'integers' must be a non-empty array of declared variables")
    step_id = cert.get("id")
    if not isinstance(step_id, str) or not re.fullmatch(ALGEBRA_ID, step_id):
        raise Malformed(f"field 'id' must match {ALGEBRA_ID}")
    if not isinstance(cert.get("inequality"), str):
        raise Malformed("field 'inequality' must be text")
    point = cert.get("witness")
    if cert.get("verdict") == "fails":
        if not isinstance(point, dict) or set(point) != set(variables):
            raise Malformed("a 'fails' verdict needs a witness with a value for each variable")
        values = {v: rational(f"witness.{v}", point[v]) for v in variables}
        if any(values[v].denominator != 1 for v in integers):
            raise Malformed(f"witness {point} is not an integer in {integers}")
    why = _steps.mismatch(step_id, cert["inequality"], inputs)
    if why:
        raise NotTheStatement(why)
    out = {"format": FORMAT, "kind": "algebra_step", "id": step_id,
           "claim": f"proof algebra {step_id}", "inequality": cert["inequality"],
           "inputs": inputs}
    if cert.get("verdict") == "fails":
        holds = all(_algebra.evaluate(a, point) for a in assumptions)
        refuted = holds and not _algebra.evaluate(goal, point)
        return {**out, "verdict": "fails" if refuted else "undecided", "witness": point,
                **({} if refuted else {"problems": ["the witness does not refute the goal "
                                                    "under the assumptions"]})}
    status, _, engine = _algebra.decide(variables, assumptions, goal, integers, isolated=True)
    verdict = {"proved": "holds"}.get(status, "undecided")
    return {**out, "verdict": verdict, **({} if verdict == "holds" else {
        "problems": [f"{engine} does not prove the goal ({status})"]})}


def row_problem(cert: dict[str, Any], row: dict[str, Any]) -> str:
    """Empty when ``cert`` backs the report ``row`` (``{"params", "verdict"}`` of an evidence
    row, plus ``"observed"`` for the smallest ``k``; ``{"id", "statement", "status"}`` of a
    proof-algebra row; ``{"verdict"}`` of an erratum); else what differs."""
    kind = KINDS[cert["kind"]]
    if cert["kind"] == "algebra_step":
        want = {"proved": "holds", "false": "fails"}.get(row.get("status"), row.get("verdict"))
        if "id" in row and (cert["id"], cert["inequality"]) != (row["id"], row["statement"]):
            return (f"the certificate is step {cert['id']} ({cert['inequality'][:40]}...), the "
                    f"row is step {row['id']}")
        return "" if cert["verdict"] == want else (
            f"the certificate's verdict {cert['verdict']!r} is not the row's {want!r}")
    params = row.get("params")
    if params is not None:
        for key in kind.row_keys:
            if cert["inputs"].get(key) != params.get(key):
                return (f"the certificate's {key} = {cert['inputs'].get(key)!r} is not the "
                        f"row's {params.get(key)!r}")
    if cert["kind"] == "smallest_k" and "observed" in row:
        if cert["inputs"]["k_star"] != row["observed"]:
            return (f"the certificate's k* = {cert['inputs']['k_star']} is not the row's "
                    f"{row['observed']!r}")
        return "" if row.get("verdict") in ("holds", "fails") else (
            f"the row's verdict {row.get('verdict')!r} is not one a certificate decides")
    if cert["verdict"] != row.get("verdict"):
        return f"the certificate's verdict {cert['verdict']!r} is not the row's " \
               f"{row.get('verdict')!r}"
    return ""
