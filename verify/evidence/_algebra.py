"""Small exact provers, built on SymPy, used by :mod:`verify.claims.proof_algebra`.

Each prover returns an :class:`Outcome` whose ``status`` is ``"proved"`` (with the certificate in
``method``), ``"false"`` (with an exact counterexample in ``detail``) or ``"not reducible"`` (the
certificate failed and no counterexample was found; ``detail`` says where it stopped). Nothing
here uses floating point to decide a status: counterexamples are evaluated in exact rational
arithmetic, and the only comparisons of transcendental constants (``e``, ``log 2``) go through
SymPy's relational evaluation, which refines precision until the sign is certain.

The certificates:

- :func:`nonneg`: after substituting the assumptions as slack variables (e.g. ``r <= eta1``
  becomes ``eta1 = r + s`` with ``s >= 0``), ``expr = P / Q`` with ``P`` and ``Q`` polynomials with
  non-negative coefficients in non-negative variables (a positivity certificate).
- :func:`nonneg_from`: a one-variable rational function on ``[lower, oo)``: the same certificate
  after the shift ``x = lower + s``, else the real roots of the numerator (SymPy's exact
  ``real_roots``) and the sign between them, checked at exact points.
- :func:`exp2_nonneg`: ``A(d) 2^d + B(d) >= 0`` for integers ``d >= d0`` (``A``, ``B``
  polynomials): directly when ``A, B >= 0``, else by induction (base case exact; the step is the
  polynomial inequality ``2 R(d) - R(d+1) >= 0`` for ``R = -B/A``).
- :func:`identity`: ``simplify(lhs - rhs) == 0``.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from verify._validate import check_int

__all__ = [
    "FALSE",
    "NOT_REDUCIBLE",
    "PROVED",
    "STATUSES",
    "Outcome",
    "constant_sign",
    "exp2_bound",
    "exp2_form",
    "exp2_nonneg",
    "identity",
    "nonneg",
    "nonneg_factored",
    "nonneg_from",
]

PROVED = "proved"
FALSE = "false"
NOT_REDUCIBLE = "not reducible"
STATUSES = (PROVED, FALSE, NOT_REDUCIBLE)

# Points tried, in this order, when a certificate fails and a counterexample is sought.
_GRID_NONNEG = (0, 1, 2, 3, Fraction(1, 2), 5, 10, Fraction(1, 10), 100)
_GRID_POSITIVE = (1, 2, 3, Fraction(1, 2), 5, 10, Fraction(1, 10), 100)
_MAX_POINTS = 20_000


@dataclass(frozen=True)
class Outcome:
    """What a prover established: ``status`` in :data:`STATUSES`, how, and why."""

    status: str
    method: str
    detail: str = ""
    problem: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The reduced problem the prover decided, for a second engine
    (:mod:`verify.evidence.second_prover`): ``{"type": "sign", "expr", "positive",
    "nonnegative", "lower", "strict", "relaxed", "integers"}``, ``{"type": "identity", "lhs",
    "rhs"}``, ``{"type": "constant", "expr", "strict"}``, or an exact matrix computation
    (``{"type": "eq5_matrices", "sizes"}``, ``{"type": "eq5_shattering", "ns"}``); ``relaxed``
    when integers (or ``2^d``) were replaced by reals in their range (a proof transfers, a real
    counterexample does not); ``integers`` the variables that range over the integers; a
    ``2^d`` sign condition also carries ``induction`` = ``{"d", "d0", "X", "A", "B", "Q"}``
    (``(A X + B) / Q`` with ``X = 2^d`` and ``Q > 0``)."""

    @property
    def proved(self) -> bool:
        return self.status == PROVED


def _records(make: Callable[..., dict[str, Any]]) -> Callable[[Callable[..., Outcome]],
                                                              Callable[..., Outcome]]:
    """Attach ``make(*args, **kwargs)`` as the outcome's ``problem`` (``None`` if it raises)."""
    def wrap(prover: Callable[..., Outcome]) -> Callable[..., Outcome]:
        @functools.wraps(prover)
        def run(*args: Any, **kwargs: Any) -> Outcome:
            out = prover(*args, **kwargs)
            if out.problem is not None:
                return out
            try:
                problem = make(*args, **kwargs)
            except (TypeError, ValueError, sp.SympifyError, sp.PolynomialError):
                problem = None
            return dataclasses.replace(out, problem=problem)
        return run
    return wrap


def _sign_problem(expr: sp.Expr, *, positive: Iterable[sp.Symbol] = (),
                  nonnegative: Iterable[sp.Symbol] = (),
                  subs: Mapping[sp.Symbol, sp.Expr] | None = None, strict: bool = False,
                  **_: Any) -> dict[str, Any]:
    e = sp.sympify(expr).subs(list(dict(subs or {}).items()))
    return {"type": "sign", "expr": e, "positive": list(positive),
            "nonnegative": list(nonnegative), "lower": {}, "strict": strict, "relaxed": False}


def _from_problem(expr: sp.Expr, var: sp.Symbol, lower: int | Fraction, *, strict: bool = False,
                  integer: bool = True) -> dict[str, Any]:
    return {"type": "sign", "expr": sp.sympify(expr), "positive": [], "nonnegative": [],
            "lower": {var: sp.Rational(Fraction(lower).numerator, Fraction(lower).denominator)},
            "strict": strict, "relaxed": integer, "integers": [var] if integer else []}


def _fraction(c: sp.Expr) -> Fraction | None:
    c = sp.nsimplify(c) if not c.is_Rational else c
    if c.is_Rational:
        return Fraction(int(c.p), int(c.q))
    return None


def _show(values: Mapping[sp.Symbol, Fraction]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items())


def _poly_value(poly: sp.Poly, point: Sequence[Fraction]) -> Fraction | sp.Expr:
    """Exact value of ``poly`` at ``point`` (Fractions when its coefficients are rational)."""
    total: Fraction | sp.Expr = Fraction(0)
    for monom, coeff in poly.terms():
        c = _fraction(coeff)
        term: Fraction | sp.Expr = c if c is not None else coeff
        for v, e in zip(point, monom, strict=True):
            term = term * v**e
        total = total + term
    return total


def _sign(x: Fraction | sp.Expr) -> int:
    if isinstance(x, Fraction):
        return (x > 0) - (x < 0)
    x = sp.nsimplify(x)
    if x.is_positive:
        return 1
    if x.is_negative:
        return -1
    if x.is_zero:
        return 0
    raise ValueError(f"cannot decide the sign of {x}")


def _nonneg_coeffs(poly: sp.Poly) -> tuple[bool, str]:
    for monom, coeff in poly.terms():
        if not coeff.is_nonnegative:
            term = sp.Mul(*[g**e for g, e in zip(poly.gens, monom, strict=True)])
            return False, f"coefficient {coeff} of {term}"
    return True, ""


def _has_positive_term(poly: sp.Poly, positive: set[sp.Symbol]) -> bool:
    """Some monomial with a positive coefficient uses only strictly positive variables, so a
    polynomial with non-negative coefficients is > 0 wherever those variables are > 0."""
    for monom, coeff in poly.terms():
        used = {g for g, e in zip(poly.gens, monom, strict=True) if e}
        if coeff.is_positive and used <= positive:
            return True
    return False


def _as_polys(expr: sp.Expr, gens: Sequence[sp.Symbol]) -> tuple[sp.Poly, sp.Poly] | None:
    num, den = sp.fraction(sp.together(sp.expand(expr)))
    num, den = sp.expand(num), sp.expand(den)
    try:
        if gens:
            return sp.Poly(num, *gens), sp.Poly(den, *gens)
        return sp.Poly(num, sp.Dummy()), sp.Poly(den, sp.Dummy())
    except sp.PolynomialError:
        return None


@_records(_sign_problem)
def nonneg(
    expr: sp.Expr,
    *,
    positive: Iterable[sp.Symbol] = (),
    nonnegative: Iterable[sp.Symbol] = (),
    subs: Mapping[sp.Symbol, sp.Expr] | None = None,
    strict: bool = False,
) -> Outcome:
    """Decide ``expr >= 0`` (``> 0`` if ``strict``) for all values of the variables.

    ``subs`` encodes the assumptions: each original symbol is replaced (in the given order) by an
    expression in the new variables, which range over ``positive`` (``> 0``) and
    ``nonnegative`` (``>= 0``).
    Proved by a positivity certificate; false with an exact counterexample (given in the new
    variables and in the substituted symbols); otherwise not reducible.
    """
    subs = dict(subs or {})
    pos = list(positive)
    nn = list(nonnegative)
    gens = pos + nn
    e = sp.sympify(expr).subs(list(subs.items()))  # in the given order
    free = e.free_symbols - set(gens)
    if free:
        return Outcome(NOT_REDUCIBLE, "positivity certificate",
                       f"variables without a declared range: {sorted(map(str, free))}")
    polys = _as_polys(e, gens)
    if polys is None:
        return Outcome(NOT_REDUCIBLE, "positivity certificate", f"not a rational function: {e}")
    num, den = polys
    den_ok, _ = _nonneg_coeffs(den)
    if not den_ok:
        num, den = -num, -den
        den_ok, _ = _nonneg_coeffs(den)
    den_positive = den_ok and _has_positive_term(den, set(pos))
    num_ok, why = _nonneg_coeffs(num)
    if num_ok and strict and not _has_positive_term(num, set(pos)):
        num_ok, why = False, "no strictly positive term"
    assumed = "; ".join(f"{k} = {v}" for k, v in subs.items())
    if num_ok and den_positive:
        how = f"with {assumed}: " if assumed else ""
        return Outcome(
            PROVED,
            "positivity certificate",
            f"{how}expression = P/Q, P = {num.as_expr()}, Q = {den.as_expr()}: non-negative "
            f"coefficients in {', '.join(map(str, pos))}{' > 0' if pos else ''}"
            f"{'; ' if pos and nn else ''}{', '.join(map(str, nn))}{' >= 0' if nn else ''}",
        )
    # Search for an exact counterexample.
    grids = [_GRID_POSITIVE] * len(pos) + [_GRID_NONNEG] * len(nn)
    for count, point in enumerate(itertools.product(*grids)):
        if count >= _MAX_POINTS:
            break
        pt = [Fraction(v) for v in point]
        dv = _poly_value(den, pt)
        if _sign(dv) == 0:
            continue
        value = _poly_value(num, pt) / dv
        if _sign(value) < 0 or (strict and _sign(value) == 0):
            values = dict(zip(gens, pt, strict=True))
            at = {g: sp.Rational(x.numerator, x.denominator) for g, x in values.items()}
            orig = {k: sp.sympify(k).subs(list(subs.items())).subs(at) for k in subs}
            shown = f"{_show(values)}" + (
                f" (so {', '.join(f'{k} = {v}' for k, v in orig.items())})" if orig else ""
            )
            return Outcome(FALSE, "exact counterexample",
                           f"at {shown} the expression equals {value}")
    return Outcome(
        NOT_REDUCIBLE,
        "positivity certificate",
        f"certificate failed ({why or 'denominator sign'}) and no counterexample on the grid",
    )


@_records(lambda lhs, rhs, paper=None, **_: {"type": "identity", "lhs": sp.sympify(lhs),
                                              "rhs": sp.sympify(rhs),
                                              **({"paper": paper} if paper else {})})
def identity(lhs: sp.Expr, rhs: sp.Expr, *, at: Mapping[sp.Symbol, sp.Expr] | None = None,
             paper: Mapping[str, Any] | None = None) -> Outcome:
    """Decide ``lhs == rhs`` as an identity: ``simplify(lhs - rhs) == 0``; if not, a point
    where the two differ (``at``, or every free symbol set to 2) is the counterexample.
    ``paper`` (``{"lhs", "rhs"}`` text, optional ``"assumptions"``) is the step as the paper
    writes it, before SymPy's automatic simplification: what the second prover's certificate
    carries (:mod:`verify.evidence.second_prover`)."""
    diff = sp.simplify(sp.sympify(lhs) - sp.sympify(rhs))
    if diff == 0:
        return Outcome(PROVED, "identity", f"simplify(({lhs}) - ({rhs})) = 0")
    point = dict(at) if at else {s: sp.Integer(2) for s in diff.free_symbols}
    value = sp.simplify(diff.subs(point))
    if value.is_zero is False:
        return Outcome(FALSE, "exact counterexample",
                       f"lhs - rhs = {diff}; at {point} it equals {value}")
    return Outcome(NOT_REDUCIBLE, "identity", f"lhs - rhs simplifies to {diff}, not to 0")


@_records(_from_problem)
def nonneg_from(expr: sp.Expr, var: sp.Symbol, lower: int | Fraction, *, strict: bool = False,
                integer: bool = True) -> Outcome:
    """Decide ``expr(var) >= 0`` (``> 0``) for all ``var >= lower`` (integers if ``integer``).

    ``expr`` must be a rational function of ``var`` alone. First the shift certificate
    (``var = lower + s``); else the real roots of numerator and denominator split
    ``[lower, oo)`` into intervals of constant sign, each checked at an exact point (for integer
    ``var``, every integer up to the largest root is checked).
    """
    lo = sp.Rational(Fraction(lower).numerator, Fraction(lower).denominator)
    s = sp.Dummy("s", nonnegative=True)
    shifted = nonneg(sp.sympify(expr).subs(var, lo + s), nonnegative=[s], strict=strict)
    if shifted.status == PROVED:
        return Outcome(PROVED, "positivity certificate",
                       f"shift {var} = {lo} + s, s >= 0: {shifted.detail}")
    num, den = (sp.Poly(p, var) for p in sp.fraction(sp.together(sp.sympify(expr))))
    roots = sorted({r for p in (num, den) for r in sp.real_roots(p) if r >= lo}, key=float)
    candidates: list[sp.Expr] = [lo]
    if integer:
        top = int(sp.ceiling(roots[-1])) + 1 if roots else int(lo)
        candidates = [sp.Integer(i) for i in range(int(sp.ceiling(lo)), top + 1)]
    else:
        edges = [lo, *roots]
        candidates = [*edges, *[(a + b) / 2 for a, b in itertools.pairwise(edges)],
                      (roots[-1] + 1) if roots else lo + 1]
    for x in candidates:
        if den.eval(x) == 0:
            continue
        value = sp.nsimplify(num.eval(x) / den.eval(x))
        if value.is_negative or (strict and value.is_zero):
            return Outcome(FALSE, "exact counterexample", f"at {var} = {x}: value {value}")
    beyond = roots[-1] if roots else lo
    return Outcome(
        PROVED,
        "real roots and exact sign checks",
        f"real roots of numerator/denominator in [{lo}, oo): {roots or 'none'}; the sign is "
        f"constant between them and was checked at {len(candidates)} exact points up to "
        f"{candidates[-1]} (beyond {beyond})",
    )


def exp2_form(expr: sp.Expr, d: sp.Symbol) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Symbol]:
    """Write ``expr`` (built from ``d`` and powers ``2^(a d + b)``) as ``(A X + B) / Q`` with
    ``X = 2^d``; return ``(A, B, Q, X)`` (``Q`` a polynomial in ``d`` and ``X``).

    Raises ``ValueError`` if the numerator is not linear in ``X``.
    """
    X = sp.Symbol("X", positive=True)

    def is_pow2(e: sp.Expr) -> bool:
        return bool(e.is_Pow and e.base == 2 and e.exp.has(d))

    def rewrite(e: sp.Expr) -> sp.Expr:
        a, b = sp.Poly(e.exp, d).all_coeffs() if sp.Poly(e.exp, d).degree() == 1 else (0, 0)
        if a == 0 or not a.is_integer:
            raise ValueError(f"expr has a power of 2 that is not 2^(a d + b): {e}")
        return sp.Integer(2) ** b * X**a

    e = sp.sympify(expr).replace(is_pow2, rewrite)
    num, den = sp.fraction(sp.together(e))
    pnum = sp.Poly(sp.expand(num), X)
    if pnum.degree() > 1:
        raise ValueError(f"the numerator is not linear in 2^d: {num}")
    coeffs = pnum.all_coeffs()
    A, B = (coeffs if len(coeffs) == 2 else [sp.Integer(0), coeffs[0]])
    return sp.expand(A), sp.expand(B), sp.expand(den), X


def exp2_nonneg(A: sp.Expr, B: sp.Expr, d: sp.Symbol, d0: int, *, strict: bool = False,
                search: int = 200) -> Outcome:
    """Decide ``A(d) 2^d + B(d) >= 0`` (``> 0``) for all integers ``d >= d0``.

    ``A`` and ``B`` are polynomials in ``d``. Proved directly if both are ``>= 0`` on
    ``[d0, oo)``, or by induction if ``A > 0`` there: with ``R = -B/A``, the base case
    ``2^d0 >= R(d0)`` is exact and the step ``2^d >= R(d) => 2^(d+1) >= 2 R(d) >= R(d+1)`` is the
    polynomial inequality ``A(d) B(d+1) - 2 B(d) A(d+1) >= 0``. Otherwise the smallest failing
    ``d`` in ``d0 .. d0 + search`` is the counterexample.
    """
    A, B = sp.expand(A), sp.expand(B)

    def g(x: int) -> sp.Expr:
        return A.subs(d, x) * sp.Integer(2) ** x + B.subs(d, x)

    a_pos = nonneg_from(A, d, d0, strict=True)
    a_nn = nonneg_from(A, d, d0)
    b_nn = nonneg_from(B, d, d0)
    b_pos = nonneg_from(B, d, d0, strict=True)
    if a_nn.proved and b_nn.proved and (not strict or a_pos.proved or b_pos.proved):
        return Outcome(
            PROVED,
            "polynomial parts",
            f"A(d) 2^d + B(d) with A = {A} >= 0 ({a_nn.detail}) and B = {B} >= 0 "
            f"({b_nn.detail}) on d >= {d0}" + (", one of them > 0" if strict else ""),
        )
    if a_pos.proved:
        base = g(d0)
        step_poly = sp.expand(A * B.subs(d, d + 1) - 2 * B * A.subs(d, d + 1))
        step = nonneg_from(step_poly, d, d0)
        base_ok = base > 0 if strict else base >= 0
        if base_ok and step.proved:
            return Outcome(
                PROVED,
                "induction on d",
                f"A(d) 2^d + B(d), A = {A} > 0 on d >= {d0} ({a_pos.detail}); with R = -B/A: "
                f"base d = {d0}: value {base}; step 2^d >= R(d) => 2^(d+1) >= 2R(d) >= R(d+1), "
                f"since A(d)A(d+1)(2R(d) - R(d+1)) = {step_poly} >= 0 ({step.detail})",
            )
    for x in range(d0, d0 + search + 1):
        v = g(x)
        if v < 0 or (strict and v == 0):
            return Outcome(FALSE, "exact counterexample",
                           f"smallest failing d >= {d0}: d = {x}, value {v}")
    return Outcome(NOT_REDUCIBLE, "induction on d",
                   f"no certificate (A > 0: {a_pos.status}); no counterexample for d <= "
                   f"{d0 + search}")


# ------------------------------------------------------------------ provers of the proofs' steps


def _check_expr(name: str, value: object) -> sp.Expr:
    try:
        expr = sp.sympify(value)
    except (sp.SympifyError, TypeError) as exc:
        raise ValueError(f"{name} must be a SymPy expression, got {value!r}") from exc
    if not isinstance(expr, sp.Expr):
        raise ValueError(f"{name} must be a SymPy expression, got {value!r}")
    return expr


def exp2_bound(expr: sp.Expr, d: sp.Symbol, d0: int, *, strict: bool = False) -> Outcome:
    """Decide ``expr(d) >= 0`` (``> 0`` if ``strict``) for every integer ``d >= d0``.

    ``expr`` is built from ``d`` and powers ``2^(a d + b)`` (the per-filter probability of
    Appendix B). It is written ``(A 2^d + B) / Q`` (:func:`~verify.evidence._algebra.exp2_form`);
    ``Q > 0`` on ``d >= d0`` is certified, then ``A 2^d + B >= 0`` by
    :func:`verify.evidence._algebra.exp2_nonneg`.

    Examples
    --------
    >>> d = sp.Symbol("d", positive=True)
    >>> exp2_bound(2**(d - 1) - d, d, 3).status
    'proved'
    """
    expr = _check_expr("expr", expr)
    if not isinstance(d, sp.Symbol):
        raise ValueError(f"d must be a SymPy Symbol, got {d!r}")
    d0 = check_int("d0", d0, low=1)
    A, B, Q, X = exp2_form(expr, d)
    u = sp.Dummy("u", nonnegative=True)
    sign = 1
    q_pos = nonneg(Q, positive=[X], nonnegative=[u], subs={d: d0 + u}, strict=True)
    if not q_pos.proved:
        q_pos = nonneg(-Q, positive=[X], nonnegative=[u], subs={d: d0 + u}, strict=True)
        sign = -1
    if not q_pos.proved:
        return Outcome(NOT_REDUCIBLE, "2^d form", f"the denominator {Q} (X = 2^d) has no "
                       f"certified sign on d >= {d0}")
    out = exp2_nonneg(sign * A, sign * B, d, d0, strict=strict)
    form = (f"expression = (({A}) 2^d + ({B})) / ({Q}) with X = 2^d; the denominator's sign "
            f"({sign:+d}) is certified on d >= {d0}")
    problem = {"type": "sign", "expr": (A * X + B) / Q, "positive": [X], "nonnegative": [],
               "lower": {d: sp.Integer(d0), X: sp.Integer(2) ** d0}, "strict": strict,
               "relaxed": True,
               "induction": {"d": d, "d0": d0, "X": X, "A": sign * A, "B": sign * B,
                             "Q": sign * Q}}
    return Outcome(out.status, f"2^d form, {out.method}", f"{form}; {out.detail}", problem)


@_records(lambda expr, *, strict=False: {"type": "constant", "expr": sp.sympify(expr),
                                         "strict": strict})
def constant_sign(expr: sp.Expr, *, strict: bool = False) -> Outcome:
    """Decide ``expr >= 0`` (``> 0``) for a closed-form real constant (``e``, square roots).

    SymPy's relational evaluation decides the sign, refining precision until it is certain;
    an undecided comparison is ``not reducible``.

    Examples
    --------
    >>> constant_sign(4 - sp.E).status
    'proved'
    """
    expr = _check_expr("expr", expr)
    if expr.free_symbols:
        names = sorted(map(str, expr.free_symbols))
        raise ValueError(f"expr must be a constant, got free symbols {names}")
    rel = sp.Gt(expr, 0) if strict else sp.Ge(expr, 0)
    value = sp.N(expr, 15)
    if rel is sp.true:
        return Outcome(PROVED, "SymPy relational evaluation (adaptive precision)",
                       f"{expr} = {value} {'>' if strict else '>='} 0")
    if rel is sp.false:
        return Outcome(FALSE, "exact counterexample", f"{expr} = {value}")
    return Outcome(NOT_REDUCIBLE, "SymPy relational evaluation", f"undecided: {rel}")


@_records(_sign_problem)
def nonneg_factored(expr: sp.Expr, *, positive: tuple[sp.Symbol, ...] = (),
                    nonnegative: tuple[sp.Symbol, ...] = (),
                    subs: dict[sp.Symbol, sp.Expr] | None = None,
                    strict: bool = False) -> Outcome:
    """:func:`nonneg`, and when its certificate fails without a counterexample,
    the factorisation of ``expr`` whose sign SymPy's assumptions decide (e.g. a square over a
    positive denominator).

    Examples
    --------
    >>> x = sp.Symbol("x", positive=True)
    >>> nonneg_factored(sp.Rational(1, 4) - x / (1 + x)**2, positive=(x,)).method
    'factorisation and SymPy assumptions'
    """
    expr = _check_expr("expr", expr)
    for name, group in (("positive", positive), ("nonnegative", nonnegative)):
        if not all(isinstance(v, sp.Symbol) for v in group):
            raise ValueError(f"{name} must hold SymPy Symbols, got {group!r}")
    out = nonneg(expr, positive=positive, nonnegative=nonnegative, subs=subs, strict=strict)
    if out.status != NOT_REDUCIBLE:
        return out
    reps = {v: sp.Symbol(v.name, positive=True) for v in positive}
    reps.update({v: sp.Symbol(v.name, nonnegative=True) for v in nonnegative})
    e = sp.sympify(expr).subs(list((subs or {}).items())).xreplace(reps)
    f = sp.factor(sp.together(e))
    decided = f.is_positive if strict else f.is_nonnegative
    if decided:
        return Outcome(PROVED, "factorisation and SymPy assumptions",
                       f"expression = {f}, {'> 0' if strict else '>= 0'} term by term")
    return out
