"""Certificates that anyone can re-check without the checkers (issue 22).

A certificate is a small JSON object (format :data:`FORMAT`)::

    {"format": "verify-certificate/1", "kind": "lemma_5_2_failure_probability",
     "claim": "Lemma 5.2", "inequality": "P(Eq. 7 fails) <= 4e^{-d} ...",
     "inputs": {"d": 5, "l": 3, "k": 1000},
     "bound": [["4", "-5"]],                      # sum of c * e^t, rationals as text
     "enclosure": {"quantity": "[0.28200298284253151 +/- 7.4e-20]",
                   "bound": "[0.026951787996341868 +/- 5.5e-21]", "bits": 64},
     "verdict": "fails"}

:func:`check` recomputes everything from ``inputs`` (exact integers and rationals, or, for Eq. 7's
failure probability, python-flint's ``arb`` ball arithmetic, whose radius bounds every rounding;
``arb`` for ``e^t``, from 64 bits doubling up to 4096; Z3 for ``algebra_step``)
and accepts the certificate only when the recomputation proves the recorded verdict, the bound is
the claim's bound at those inputs, and the recorded enclosures contain the recomputed values.
This package imports only the standard library, python-flint and z3: none of :mod:`verify`'s
checkers (a test runs it in a subprocess and inspects ``sys.modules``).

Kinds (:data:`KINDS`): ``lemma_5_2_failure_probability`` (Lemma 5.2, Eq. 7 at ``(d, l, k)``
against ``4e^{-d}``), ``event_14_probability`` (Eq. 14 at ``m`` against ``4e^{-m/36}``),
``smallest_k`` (Lemma 5.2's smallest ``k*``: fails at ``k* - 1``, holds at every ``k`` in
``[k*, K)`` exactly and, by Bernstein's inequality with exact exponents, at every ``k >= K``),
``algebra_step`` (a polynomial identity or sign condition from the proof algebra, by Z3),
``proposition_6_1_kkt`` (Proposition 6.1's KKT conditions in rationals),
``theorem_4_2_shattering`` (Theorem 4.2: every labelling of a set of ``2^(d/2-1)`` points of the
support realised by a network in rationals, Eq. 1 evaluated exactly) and
``theorem_4_2_vc_dimension`` (``VCdim(H_CNN(X))`` against ``2^(d/2-1)``: at most the number of
pattern sets, counted by enumerating the support; at least the number of pattern sets whose
inclusion matrix, evaluated by Eq. 1, is unitriangular) and ``footnote_5_rate`` (footnote 5:
the KL values and Chernoff rate ``I(d)``, and the fitted rate of Lemma 5.2's exact failure
probability within a tolerance of ``I(d)``, in ``arb``), ``lemma_5_2_per_filter`` (Appendix B's
per-filter probability against the exact ``q_l``, a sum over sign vectors).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from flint import arb, ctx, fmpq

from verify.certify import _algebra, _arith, _kkt, _per_filter
from verify.certify import _footnote_5 as _f5
from verify.certify import _theorem_4_2 as _t42
from verify.certify._common import FORMAT, Result
from verify.certify._common import pos_int as _pos_int
from verify.certify._footnote_5 import footnote_5_rate
from verify.certify._per_filter import lemma_5_2_per_filter
from verify.certify._theorem_4_2 import theorem_4_2_shattering, theorem_4_2_vc_dimension

__all__ = [
    "FORMAT",
    "KINDS",
    "Result",
    "algebra_step",
    "check",
    "dumps",
    "event_14_probability",
    "file_name",
    "footnote_5_rate",
    "lemma_5_2_failure_probability",
    "lemma_5_2_per_filter",
    "proposition_6_1_kkt",
    "smallest_k",
    "theorem_4_2_shattering",
    "theorem_4_2_vc_dimension",
]

KINDS = ("lemma_5_2_failure_probability", "event_14_probability", "smallest_k", "algebra_step",
         "proposition_6_1_kkt", "theorem_4_2_shattering", "theorem_4_2_vc_dimension",
         "footnote_5_rate", "lemma_5_2_per_filter")
VERDICTS = ("holds", "fails", "undecided")


def _terms(pairs: list[tuple[Fraction, Fraction]]) -> list[list[str]]:
    return [[str(c), str(t)] for c, t in pairs]


def _eq7_failure(d: int, l: int, k: int) -> Callable[[], arb]:
    """``P(Eq. 7 fails)`` at ``(d, l, k)`` as a ball at the current precision (rigorous, linear
    in ``k``: :func:`verify.certify._arith.eq7_failure_ball`)."""
    return lambda: _arith.eq7_failure_ball(d, l, k)


def _probability_certificate(kind: str, claim: str, inequality: str, inputs: dict[str, Any],
                             value: Fraction | Callable[[], arb],
                             bound: list[tuple[Fraction, Fraction]],
                             max_bits: int) -> dict[str, Any]:
    cmp = _arith.compare_exp(value, bound, max_bits)
    verdict = {1: "fails", -1: "holds", 0: "undecided"}[cmp.sign]
    return {"format": FORMAT, "kind": kind, "claim": claim, "inequality": inequality,
            "inputs": inputs, "bound": _terms(bound),
            "enclosure": {"quantity": cmp.lhs, "bound": cmp.rhs, "bits": cmp.bits},
            "verdict": verdict}


def _lemma_inputs(d: Any, l: Any, k: Any) -> tuple[int, int, int]:
    d = _pos_int("d", d, 3)
    l = _pos_int("l", l, 3)
    if l > d:
        raise ValueError(f"l must be <= d = {d}, got {l}")
    return d, l, _pos_int("k", k, 1)


def lemma_5_2_failure_probability(d: int, l: int, k: int,
                                  max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate of Lemma 5.2 at ``(d, l, k)``: the exact failure probability of Eq. 7
    (Section 5, Appendix B) against ``4e^{-d}``."""
    d, l, k = _lemma_inputs(d, l, k)
    return _probability_certificate(
        "lemma_5_2_failure_probability", "Lemma 5.2",
        "P(not k/(4d) <= X+, X- <= k/d) <= 4e^{-d}, (X+, X-, rest) ~ Multinomial(k; q_l, q_l, "
        "1 - 2q_l), q_l = (1 - 2^{-(l-1)})/(2(l-1))", {"d": d, "l": l, "k": k},
        _eq7_failure(d, l, k),
        [(Fraction(4), Fraction(-d))], max_bits)


def event_14_probability(m: int, max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate of Eq. 14 (proof of Lemma C.3) at ``m``: ``P(3X < m_1 or 3X > 2m_1)``,
    ``X ~ Bin(ceil(m/2), 1/2)``, against ``4e^{-m/36}``."""
    m = _pos_int("m", m, 1)
    return _probability_certificate(
        "event_14_probability", "Eq. 14",
        "P(|S_1+| < m_1/3 or |S_1-| < m_1/3) <= 4e^{-m/36}, |S_1+| ~ Bin(m_1, 1/2), "
        "m_1 = ceil(m/2)", {"m": m}, _arith.eq14_failure_probability(m),
        [(Fraction(4), Fraction(-m, 36))], max_bits)


def _smallest_k_parts(d: int, l: int, k_star: int, horizon: int,
                      max_bits: int) -> tuple[list[str], dict[str, Any]]:
    """Problems found (empty: proved) and the enclosures at ``k* - 1`` and ``k*``."""
    problems: list[str] = []
    bound = [(Fraction(4), Fraction(-d))]
    encl: dict[str, Any] = {}
    if k_star > 1:
        c = _arith.compare_exp(_eq7_failure(d, l, k_star - 1), bound, max_bits)
        encl["below"] = {"k": k_star - 1, "quantity": c.lhs, "bound": c.rhs, "bits": c.bits}
        if c.sign != 1:
            problems.append(f"Eq. 7 does not provably fail at k = {k_star - 1}")
    for k in range(k_star, horizon):
        c = _arith.compare_exp(_eq7_failure(d, l, k), bound, max_bits)
        if k == k_star:
            encl["at"] = {"k": k, "quantity": c.lhs, "bound": c.rhs, "bits": c.bits}
        if c.sign != -1:
            problems.append(f"Eq. 7 does not provably hold at k = {k}")
            break
    c_lo, c_hi = _arith.bernstein_rates(d, l)
    tail = [(Fraction(2), -horizon * c_lo), (Fraction(2), -horizon * c_hi),
            (Fraction(-4), Fraction(-d))]
    c = _arith.compare_exp(Fraction(0), tail, max_bits)
    encl["bernstein_minus_bound_at_horizon"] = {"value": c.rhs, "bits": c.bits}
    if c.sign != 1:
        problems.append(f"Bernstein's bound at K = {horizon} is not provably <= 4e^-d")
    return problems, encl


def smallest_k(d: int, l: int, k_star: int, horizon: int,
               max_bits: int = _arith.MAX_BITS) -> dict[str, Any]:
    """The certificate that ``k*`` is Lemma 5.2's smallest ``k`` from which Eq. 7 holds w.p.
    ``>= 1 - 4e^{-d}`` for every larger ``k`` (Section 5's ``k >= d^3``): fails at ``k* - 1``,
    holds at each ``k`` in ``[k*, horizon)`` (rigorous balls), Bernstein's bound at ``horizon``
    (and so beyond: it decreases in ``k``) below ``4e^{-d}``. Cost: one ball sum per ``k``,
    linear in ``k``."""
    d, l, k_star = _lemma_inputs(d, l, k_star)
    horizon = _pos_int("horizon", horizon, k_star)
    problems, encl = _smallest_k_parts(d, l, k_star, horizon, max_bits)
    return {"format": FORMAT, "kind": "smallest_k", "claim": "Lemma 5.2 (k >= d^3, Section 5's "
            "sketch)", "inequality": "P(Eq. 7 fails at k) > 4e^{-d} at k = k* - 1 and <= 4e^{-d} "
            "for every k >= k* (ball arithmetic for k < K, Bernstein 2e^{-k c_lo} + "
            "2e^{-k c_hi} for k >= K)",
            "inputs": {"d": d, "l": l, "k_star": k_star, "horizon": horizon},
            "bound": _terms([(Fraction(4), Fraction(-d))]), "enclosure": encl,
            "verdict": "undecided" if problems else "holds",
            **({"problems": problems} if problems else {})}


def algebra_step(name: str, variables: list[str], assumptions: list[list[str]],
                 goal: list[str], claim: str = "proof algebra",
                 timeout_ms: int = _algebra.Z3_TIMEOUT_MS,
                 integers: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The certificate of one proof-algebra step: ``assumptions => goal`` over the reals (the
    variables in ``integers`` over the integers), each a ``[lhs, relation, rhs]`` triple of
    polynomial (or rational) expressions in ``variables``; verdict ``holds`` (Z3: the negation
    is unsatisfiable), ``fails`` (with a rational witness, integer where it must be, checked
    exactly) or ``undecided``."""
    status, witness = _algebra.z3_decide(variables, assumptions, goal, timeout_ms, integers)
    verdict = {"proved": "holds", "false": "fails"}.get(status, "undecided")
    if verdict == "fails" and witness is None:
        verdict = "undecided"
    cert = {"format": FORMAT, "kind": "algebra_step", "claim": claim, "inequality": name,
            "inputs": {"variables": list(variables), "assumptions": [list(a) for a in assumptions],
                       "goal": list(goal)}, "verdict": verdict}
    if integers:
        cert["inputs"]["integers"] = list(integers)
    if witness is not None and verdict == "fails":
        cert["witness"] = witness
    return cert


def proposition_6_1_kkt(n: int, l: int, d: int, w: list[Any], multiplier: Any
                        ) -> dict[str, Any]:
    """The certificate of Proposition 6.1 at ``(n, l, d)`` (standard basis): ``w`` (``n d``
    rationals) and one KKT multiplier for every point of supp D; verdict ``holds`` when the KKT
    conditions hold exactly and the optimum ``||w||^2`` is ``>= n``."""
    n = _pos_int("n", n, 1)
    l = _pos_int("l", l, 3)
    d = _pos_int("d", d, l)
    wf = [Fraction(str(v)) for v in w]
    lam = Fraction(str(multiplier))
    res = _kkt.check_kkt(n, l, d, wf, lam)
    ok = _kkt_ok(res, n)
    return {"format": FORMAT, "kind": "proposition_6_1_kkt", "claim": "Proposition 6.1",
            "inequality": "the min-norm w in R^{nd} with y w.x >= 1 on supp D (Eq. 9, standard "
            "basis) has ||w||^2 >= n: w and the multipliers satisfy the KKT conditions exactly, "
            "so ||w||^2 is the optimum", "inputs": {"n": n, "l": l, "d": d},
            "witness": {"w": [str(v) for v in wf], "multiplier": str(lam)},
            "enclosure": {"optimum": str(res["value"]), "min_margin": str(res["min_margin"])},
            "verdict": "holds" if ok else "undecided"}


def _kkt_ok(res: dict[str, Any], n: int) -> bool:
    return bool(res["min_margin"] is not None and res["min_margin"] >= 1 and res["stationary"]
                and res["dual_feasible"] and res["value"] == res["sum_multipliers"]
                and res["value"] >= n)


def _check_kkt(cert: dict[str, Any]) -> Result:
    inp, wit = cert["inputs"], cert.get("witness") or {}
    n = _pos_int("n", inp.get("n"), 1)
    l = _pos_int("l", inp.get("l"), 3)
    d = _pos_int("d", inp.get("d"), l)
    res = _kkt.check_kkt(n, l, d, [Fraction(str(v)) for v in wit["w"]],
                         Fraction(str(wit["multiplier"])))
    if not _kkt_ok(res, n):
        shown = {k: str(v) for k, v in res.items()}
        return Result(False, f"the KKT conditions or ||w||^2 >= n fail: {shown}")
    if str(res["value"]) != str((cert.get("enclosure") or {}).get("optimum")):
        return Result(False, f"recorded optimum differs from ||w||^2 = {res['value']}")
    if cert.get("verdict") != "holds":
        return Result(False, f"recomputed verdict 'holds', certificate says "
                             f"{cert.get('verdict')!r}")
    return Result(True, f"holds: ||w||^2 = {res['value']} >= n = {n} is the exact optimum "
                        f"(KKT on {res['support_size']} support points)")


# ----------------------------------------------------------------------------- checking


def _contains(text: str, value: Fraction | Callable[[], arb]) -> bool:
    """Whether the recorded enclosure ``text`` contains the exact rational ``value``, or (a
    ball function) overlaps its ball at 512 bits: both balls contain the true value, so
    disjoint balls mean a wrong record."""
    old = ctx.prec
    try:
        ctx.prec = 512
        if isinstance(value, Fraction):
            return bool(arb(text).contains(arb(fmpq(value.numerator, value.denominator))))
        return bool(arb(text).overlaps(value()))
    except (ValueError, TypeError):
        return False
    finally:
        ctx.prec = old


def _check_probability(cert: dict[str, Any], value: Fraction | Callable[[], arb],
                       bound: list[tuple[Fraction, Fraction]]) -> Result:
    recorded = cert.get("bound")
    if recorded != _terms(bound):
        return Result(False, f"bound {recorded} is not the claim's {_terms(bound)} at these inputs")
    cmp = _arith.compare_exp(value, bound)
    verdict = {1: "fails", -1: "holds", 0: "undecided"}[cmp.sign]
    if cmp.sign == 0:
        return Result(False, f"too close to decide at {cmp.bits} bits")
    if verdict != cert.get("verdict"):
        return Result(False, f"recomputed verdict {verdict!r} (quantity {cmp.lhs} vs bound "
                             f"{cmp.rhs}), certificate says {cert.get('verdict')!r}")
    encl = cert.get("enclosure") or {}
    if not _contains(str(encl.get("quantity")), value):
        return Result(False, f"recorded enclosure {encl.get('quantity')} does not contain the "
                             f"recomputed value {cmp.lhs}")
    rel = "<=" if verdict == "holds" else ">"
    return Result(True, f"{verdict}: {cmp.lhs} {rel} {cmp.rhs}, proved at {cmp.bits} bits")


def _check_algebra(cert: dict[str, Any]) -> Result:
    inp = cert["inputs"]
    variables, assumptions, goal = inp["variables"], inp["assumptions"], inp["goal"]
    integers = inp.get("integers", [])
    verdict = cert.get("verdict")
    if verdict == "fails":
        point = cert.get("witness")
        if not isinstance(point, dict):
            return Result(False, "a 'fails' verdict needs a rational witness")
        if any(Fraction(str(point.get(v, "1/2"))).denominator != 1 for v in integers):
            return Result(False, f"witness {point} is not an integer in {integers}")
        if not all(_algebra.evaluate(a, point) for a in assumptions):
            return Result(False, f"witness {point} violates an assumption")
        if _algebra.evaluate(goal, point):
            return Result(False, f"the goal holds at the witness {point}")
        return Result(True, f"fails: exact counterexample {point}")
    status, _ = _algebra.z3_decide(variables, assumptions, goal, integers=integers)
    if status == "proved" and verdict == "holds":
        return Result(True, "holds: Z3 proves the negation unsatisfiable (nonlinear reals)")
    if status == "unknown":
        return Result(False, "Z3 could not decide")
    return Result(False, f"Z3 says {status!r}, certificate says {verdict!r}")


def check(cert: Any) -> Result:
    """Re-verify one certificate (a parsed JSON object) from its inputs alone."""
    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        return Result(False, f"not a {FORMAT} certificate")
    kind = cert.get("kind")
    inp = cert.get("inputs")
    if not isinstance(inp, dict):
        return Result(False, "inputs missing")
    if cert.get("verdict") not in VERDICTS:
        return Result(False, f"verdict must be one of {VERDICTS}")
    if cert.get("verdict") == "undecided":
        return Result(False, "the certificate decides nothing (verdict 'undecided')")
    try:
        if kind == "lemma_5_2_failure_probability":
            d, l, k = _lemma_inputs(inp.get("d"), inp.get("l"), inp.get("k"))
            return _check_probability(cert, _eq7_failure(d, l, k),
                                      [(Fraction(4), Fraction(-d))])
        if kind == "event_14_probability":
            m = _pos_int("m", inp.get("m"), 1)
            return _check_probability(cert, _arith.eq14_failure_probability(m),
                                      [(Fraction(4), Fraction(-m, 36))])
        if kind == "smallest_k":
            d, l, k_star = _lemma_inputs(inp.get("d"), inp.get("l"), inp.get("k_star"))
            horizon = _pos_int("horizon", inp.get("horizon"), k_star)
            if cert.get("bound") != _terms([(Fraction(4), Fraction(-d))]):
                return Result(False, f"bound {cert.get('bound')} is not the claim's 4e^-d")
            problems, encl = _smallest_k_parts(d, l, k_star, horizon, _arith.MAX_BITS)
            if problems:
                return Result(False, "; ".join(problems))
            rec = cert.get("enclosure") or {}
            for key in ("below", "at"):
                if key in encl and rec.get(key, {}).get("quantity") != encl[key]["quantity"]:
                    return Result(False, f"recorded enclosure at k = {encl[key]['k']} differs "
                                         f"from the recomputed {encl[key]['quantity']}")
            return Result(True, f"holds: k* = {k_star} at d = {d}, l = {l} (fails at "
                                f"{k_star - 1}, holds on [{k_star}, {horizon}) in ball "
                                "arithmetic and beyond by Bernstein)")
        if kind == "algebra_step":
            return _check_algebra(cert)
        if kind == "proposition_6_1_kkt":
            return _check_kkt(cert)
        if kind == "theorem_4_2_shattering":
            return _t42.check_shattering_certificate(cert)
        if kind == "theorem_4_2_vc_dimension":
            return _t42.check_vc_certificate(cert)
        if kind == "footnote_5_rate":
            return _f5.check_footnote_5_certificate(cert)
        if kind == "lemma_5_2_per_filter":
            return _per_filter.check_per_filter_certificate(cert)
    except (ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        return Result(False, f"malformed {kind}: {exc}")
    return Result(False, f"unknown kind {kind!r}; known: {', '.join(KINDS)}")


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
