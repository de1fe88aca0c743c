"""A second prover for the proof algebra: each step SymPy decided
(:mod:`verify.evidence._algebra`, :mod:`verify.claims.proof_algebra`) is re-decided by an
independent engine, from the reduced problem the prover recorded (``Outcome.problem``).

- A sign condition ``expr >= 0`` (``> 0``) over variables with ranges (after the proof's
  substitutions: ``X = e^z > 0``, ``eta1 = 200 r + s`` with ``s >= 0``, ``2^d = X >= 2^{d0}``, ...)
  is written ``P/Q`` and given to Z3's nonlinear real arithmetic as ``P Q >= 0`` (``> 0``) under
  ``Q != 0`` and the ranges (:func:`verify.certify.algebra_step`). An identity ``lhs = rhs``
  is ``P1 Q2 = P2 Q1`` with each side ``P/Q`` on its own (not SymPy's ``lhs - rhs``, which its
  automatic simplification may already have made 0). A counterexample Z3 returns is
  re-evaluated exactly in rationals. Powers ``2^{a d + b}`` become ``2^b X^a`` with
  ``X = 2^d > 0`` and each ``exp(...)`` a positive variable of its own: an identity in these
  variables is an identity; for a sign condition it is a relaxation.
- A closed-form constant (``e``, square roots) is enclosed in python-flint's ``arb`` balls
  (64 to 4096 bits).

Where a step's integers (``d``, ``k``) or ``2^d`` were relaxed to reals, a Z3 proof still
proves the step but a real counterexample does not refute it. Then the step is re-decided
exactly: over the integers (Z3's integer arithmetic) when its variables are integers, and by
induction when it is a sign condition on ``A(d) 2^d + B(d)`` (the base case in exact rationals;
the step ``P(d) >= 0 => P(d+1) >= 0`` and the sign of the denominator by Z3, with ``X = 2^d`` a
real). A ``max``/``Piecewise`` is given to Z3 as ``If``. Steps SymPy decided by exact matrix
computation (Theorem 4.2's Eq. 5) are recomputed in python-flint's rational matrices
(:mod:`verify.evidence._second_matrices`). The verdicts: ``"agree"`` (proved, or false, by
both), ``"undecided"`` (the second engine could not decide, or the problem has no polynomial
form), ``"disagree"``. No row is ever dropped.
"""

from __future__ import annotations

import ast
from typing import Any

import sympy as sp

from verify.evidence._algebra import FALSE, PROVED, Outcome

__all__ = ["AGREE", "DISAGREE", "UNDECIDED", "second_opinion", "step_certificate"]

AGREE, UNDECIDED, DISAGREE = "agree", "undecided", "disagree"
TIMEOUT_MS = 3000


def _names(syms: set[sp.Symbol]) -> dict[sp.Symbol, str]:
    """Distinct identifiers for the symbols (Dummies print like their twins)."""
    out: dict[sp.Symbol, str] = {}
    for i, s in enumerate(sorted(syms, key=sp.default_sort_key)):
        out[s] = f"v{i}_{''.join(ch for ch in s.name if ch.isalnum())}"
    return out


_IF = sp.Function("If")


def _piecewise_to_if(expr: sp.Expr) -> sp.Expr:
    """Each ``Piecewise((e1, c1), ..., (en, True))`` as ``If(c1, e1, If(c2, e2, ... en))`` (the
    grammar of :mod:`verify.certify._algebra`; one comparison per condition)."""
    def nest(*pieces: tuple[sp.Expr, sp.Basic]) -> sp.Expr:
        (e, c), rest = pieces[0], pieces[1:]
        if c is sp.true:
            return e
        if not isinstance(c, sp.core.relational.Relational) or not rest:
            raise ValueError(f"piecewise condition {c} is not one comparison")
        return _IF(c, e, nest(*rest))

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), lambda e: nest(*e.args))


def _text(expr: sp.Expr, names: dict[sp.Symbol, sp.Symbol]) -> str:
    return str(sp.expand(expr.xreplace(names)))


def _atoms_to_variables(problem: dict[str, Any]) -> dict[str, Any]:
    """``problem`` with ``2^{a d + b}`` written ``2^b X_d^a`` and each ``exp(u)`` a fresh
    positive variable (``relaxed`` set if anything was replaced in a sign condition)."""
    keys = [k for k in ("expr", "lhs", "rhs") if k in problem]
    exprs = {k: sp.sympify(problem[k]) for k in keys}
    new_pos: list[sp.Symbol] = []
    twos: dict[sp.Symbol, sp.Symbol] = {}

    def two(e: sp.Expr) -> sp.Expr:
        syms = sorted(e.exp.free_symbols, key=sp.default_sort_key)
        if len(syms) != 1:
            raise ValueError(f"power {e} is not 2^(a d + b)")
        (v,) = syms
        poly = sp.Poly(e.exp, v)
        if poly.degree() != 1:
            raise ValueError(f"power {e} is not 2^(a d + b)")
        a, b = poly.all_coeffs()
        if not a.is_integer:
            raise ValueError(f"power {e} is not 2^(a d + b), a integer")
        if v not in twos:
            twos[v] = sp.Symbol(f"two_pow_{v.name}", positive=True)
            new_pos.append(twos[v])
        return sp.Integer(2) ** b * twos[v] ** a

    changed = False
    exps: dict[sp.Expr, sp.Symbol] = {}
    for k, e in exprs.items():
        pows = [p for p in e.atoms(sp.Pow) if p.base == 2 and p.exp.free_symbols]
        if pows:
            e = e.xreplace({p: two(p) for p in pows})
            changed = True
        for x in sorted(e.atoms(sp.exp), key=sp.default_sort_key):
            if x not in exps:
                exps[x] = sp.Symbol(f"exp_{len(exps)}", positive=True)
                new_pos.append(exps[x])
        if exps:
            e = e.xreplace(exps)
            changed = True
        exprs[k] = e
    if not changed:
        return problem
    out = {**problem, **exprs, "positive": [*problem.get("positive", []), *new_pos]}
    if problem["type"] != "identity":
        out["relaxed"] = out["relaxed_atoms"] = True
    return out


def _z3_sign(problem: dict[str, Any], timeout_ms: int,
             keep: dict[str, Any] | None = None) -> tuple[str, str]:
    from verify import certify
    from verify.certify._algebra import evaluate

    if problem.get("paper"):
        return _paper_identity(problem, timeout_ms, keep)
    problem = _atoms_to_variables(problem)
    problem = {**problem, **{k: _piecewise_to_if(sp.sympify(problem[k]))
                             for k in ("expr", "lhs", "rhs") if k in problem}}
    if problem["type"] == "identity":
        # Each side on its own (SymPy's lhs - rhs may already be 0): n1 d2 = n2 d1, d1 d2 != 0.
        n1, d1 = sp.fraction(sp.together(problem["lhs"]))
        n2, d2 = sp.fraction(sp.together(problem["rhs"]))
        expr = problem["lhs"] + problem["rhs"]
        num, den = n1 * d2 - n2 * d1, d1 * d2
    else:
        expr = sp.sympify(problem["expr"])
        num, den = sp.fraction(sp.together(expr))
    syms = set(expr.free_symbols) | set(problem.get("positive", [])) \
        | set(problem.get("nonnegative", [])) | set(problem.get("lower", {}))
    names = _names(syms)
    ren = {s: sp.Symbol(n) for s, n in names.items()}
    assumptions = [[n, ">", "0"] for s, n in names.items()
                   if s in problem.get("positive", []) or s.is_positive]
    assumptions += [[n, ">=", "0"] for s, n in names.items()
                    if s in problem.get("nonnegative", []) or (s.is_nonnegative
                                                               and not s.is_positive)]
    assumptions += [[names[v], ">=", str(lo)] for v, lo in problem.get("lower", {}).items()]
    den_text = _text(den, ren)
    if den_text != "1":
        assumptions.append([den_text, "!=", "0"])
    if problem["type"] == "identity":
        goal = [str(sp.expand(n1.xreplace(ren) * d2.xreplace(ren))), "==",
                str(sp.expand(n2.xreplace(ren) * d1.xreplace(ren)))]
    else:
        goal = [_text(num * den, ren), ">" if problem.get("strict") else ">=", "0"]
    cert = certify.algebra_step("step", list(names.values()), assumptions, goal,
                                timeout_ms=timeout_ms)
    integers = [names[v] for v in problem.get("integers", []) if v in names]
    if cert["verdict"] == "fails" and integers and problem.get("relaxed") \
            and not problem.get("relaxed_atoms"):
        # a real counterexample of an integer step: re-decide over the integers
        cert = certify.algebra_step("step", list(names.values()), assumptions, goal,
                                    timeout_ms=timeout_ms, integers=integers)
        problem = {**problem, "relaxed": False}
        if cert["verdict"] == "holds":
            if keep is not None:
                keep["certificate"] = cert
            return "proved", "the negation has no integer solution (Z3, integer arithmetic)"
    if keep is not None:
        keep["certificate"] = cert
    if cert["verdict"] == "fails":
        point = cert["witness"]
        ok = all(evaluate(a, point) for a in assumptions) and not evaluate(goal, point)
        if not ok:
            return "unknown", "Z3's counterexample does not re-evaluate exactly"
        if problem.get("relaxed"):
            return "unknown", ("Z3 finds a real counterexample, outside the integers (or 2^d) "
                               "of the step")
        shown = ", ".join(f"{s} = {point[n]}" for s, n in names.items())
        return "false", f"counterexample {shown} (re-evaluated exactly)"
    if cert["verdict"] == "holds":
        return "proved", "the negation is unsatisfiable (nonlinear real arithmetic)"
    return "unknown", f"Z3 timed out or returned unknown ({timeout_ms} ms)"


def _paper_identity(problem: dict[str, Any], timeout_ms: int,
                    keep: dict[str, Any] | None) -> tuple[str, str]:
    """An identity given in the paper's own form (``problem["paper"]``: ``lhs``, ``rhs`` and
    ``assumptions`` as text in :mod:`verify.certify._algebra`'s grammar, before any
    simplification): the certificate carries those sides, and :mod:`verify.certify` performs
    the reduction and the decision (exact rational functions, or Z3 under the assumptions)."""
    from verify import certify

    paper = problem["paper"]
    texts = [paper["lhs"], paper["rhs"], *(t for a in paper.get("assumptions", [])
                                           for t in (a[0], a[2]))]
    known = {s.name: s for k in ("lhs", "rhs") for s in sp.sympify(problem[k]).free_symbols}
    names = sorted({n.id for t in texts for n in ast.walk(ast.parse(t, mode="eval"))
                    if isinstance(n, ast.Name) and n.id != "exp"})
    assumptions = [[n, ">", "0"] for n in names if n in known and known[n].is_positive]
    assumptions += [list(a) for a in paper.get("assumptions", [])]
    cert = certify.algebra_step("step", names, assumptions, [paper["lhs"], "==", paper["rhs"]],
                                timeout_ms=timeout_ms)
    if keep is not None:
        keep["certificate"] = cert
    if cert["verdict"] == "holds":
        return "proved", "the paper's two sides are equal (exact rational functions, or Z3 " \
                         "under the stated assumptions)"
    return "unknown", "the paper's two sides are not proved equal"


def _z3_induction(ind: dict[str, Any], strict: bool, timeout_ms: int,
                  before: str) -> tuple[str, str]:
    """Decide ``(A X + B) / Q >= 0`` (``> 0``) with ``X = 2^d`` for every integer ``d >= d0`` by
    induction on ``P(d) = A(d) 2^d + B(d)``: ``P(d0)`` in exact rationals; ``Q > 0`` and
    ``P(d) >= 0 => P(d+1) >= 0`` (``2^{d+1} = 2X``) for real ``d >= d0`` and ``X > 0`` by Z3.
    A failure of the base case, or of ``P`` at an integer ``d`` up to ``d0 + 64``, is an exact
    counterexample."""
    from verify import certify

    d, d0, X = ind["d"], int(ind["d0"]), ind["X"]
    A, B, Q = (sp.sympify(ind[k]) for k in ("A", "B", "Q"))
    for n in range(d0, d0 + 65):
        value = sp.nsimplify((A * 2**n + B).subs(d, n))
        if value < 0 or (strict and value == 0):
            return "false", f"exact counterexample: A(d) 2^d + B(d) = {value} at d = {n}"
    dv, xv = sp.Symbol("d"), sp.Symbol("X")
    ren = {d: dv, X: xv}

    def text(e: sp.Expr) -> str:
        return str(sp.expand(sp.sympify(e).xreplace(ren)))

    rel = ">" if strict else ">="
    p_now = A * X + B
    p_next = A.subs(d, d + 1) * 2 * X + B.subs(d, d + 1)
    range_ = [["d", ">=", str(d0)], ["X", ">", "0"]]
    goals = {"Q > 0": (range_, [text(Q), ">", "0"]),
             "P(d) => P(d+1)": ([*range_, [text(p_now), rel, "0"]], [text(p_next), rel, "0"])}
    for label, (assume, goal) in goals.items():
        cert = certify.algebra_step(label, ["d", "X"], assume, goal, timeout_ms=timeout_ms)
        if cert["verdict"] != "holds":
            return "unknown", f"{before}; induction: Z3 could not prove {label}"
    return "proved", (f"induction on d >= {d0} with X = 2^d: base exact, Q > 0 and "
                      "P(d) => P(d+1) by Z3")


def _arb_constant(problem: dict[str, Any]) -> tuple[str, str]:
    from flint import arb, ctx

    funcs = {"exp": lambda x: x.exp(), "sqrt": lambda x: x.sqrt(), "log": lambda x: x.log()}

    def go(node: ast.AST) -> arb:
        if isinstance(node, ast.Expression):
            return go(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return arb(node.value)
        if isinstance(node, ast.Name) and node.id == "E":
            return arb(1).exp()
        if isinstance(node, ast.Name) and node.id == "pi":
            return arb.pi()
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -go(node.operand)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in funcs and len(node.args) == 1:
            return funcs[node.func.id](go(node.args[0]))
        if isinstance(node, ast.BinOp):
            a, b = go(node.left), go(node.right)
            for op, f in ((ast.Add, a.__add__), (ast.Sub, a.__sub__), (ast.Mult, a.__mul__),
                          (ast.Div, a.__truediv__), (ast.Pow, a.__pow__)):
                if isinstance(node.op, op):
                    return f(b)
        raise ValueError(f"unsupported constant syntax: {ast.dump(node)[:60]}")

    tree = ast.parse(str(problem["expr"]), mode="eval")
    old, bits = ctx.prec, 64
    try:
        while bits <= 4096:
            ctx.prec = bits
            v = go(tree)
            if v > 0 or (v >= 0 and not problem.get("strict") and v.is_exact()):
                return "proved", f"arb encloses it in {v.str(10, radius=True)} ({bits} bits)"
            if v < 0 or (problem.get("strict") and v.is_exact() and v == 0):
                return "false", f"arb encloses it in {v.str(10, radius=True)} ({bits} bits)"
            bits *= 2
    finally:
        ctx.prec = old
    return "unknown", "too close to decide at 4096 bits"


def second_opinion(outcome: Outcome, *, timeout_ms: int = TIMEOUT_MS,
                   step: tuple[str, str] = ("", "")) -> dict[str, Any]:
    """The second engine's verdict on ``outcome``: ``{"engine", "status" (its own: "proved",
    "false", "unknown"), "agreement" (AGREE, UNDECIDED, DISAGREE), "text"}``; ``text`` reads
    e.g. "proved by SymPy and Z3". When Z3 agrees, ``"certificate"`` is its ``algebra_step``
    certificate (:mod:`verify.certify`), named after ``step = (id, statement)``."""
    if not isinstance(outcome, Outcome):
        raise ValueError(f"outcome must be an Outcome, got {type(outcome).__name__}")
    problem = outcome.problem
    if problem is None:
        return {"engine": "none", "status": "unknown", "agreement": UNDECIDED,
                "text": "no second engine: the step has no polynomial or constant form"}
    engine = {"constant": "arb", "eq5_matrices": "flint",
              "eq5_shattering": "flint"}.get(problem["type"], "Z3")
    keep: dict[str, Any] = {}
    try:
        if engine == "arb":
            status, why = _arb_constant(problem)
        elif engine == "flint":
            from verify.evidence import _second_matrices

            run = {"eq5_matrices": lambda: _second_matrices.eq5_matrices(problem["sizes"]),
                   "eq5_shattering": lambda: _second_matrices.eq5_shattering(problem["ns"])}
            ok, why = run[problem["type"]]()
            status = PROVED if ok else FALSE
        else:
            status, why = _z3_sign(problem, timeout_ms, keep)
            if status == "unknown" and "induction" in problem:
                # the relaxed attempt's certificate does not decide the step: none is kept
                keep.pop("certificate", None)
                status, why = _z3_induction(problem["induction"], bool(problem.get("strict")),
                                            timeout_ms, why)
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        status, why = "unknown", f"not reducible to {engine}'s input: {exc}"
    sympy_status = outcome.status
    if status == "unknown":
        agreement, text = UNDECIDED, f"{engine} could not decide ({why})"
    elif sympy_status in (PROVED, FALSE) and status == sympy_status:
        word = "proved" if status == PROVED else "false"
        agreement, text = AGREE, f"{word} by SymPy and {engine} ({why})"
    elif sympy_status in (PROVED, FALSE):
        agreement, text = DISAGREE, (f"DISAGREEMENT: SymPy says {sympy_status}, {engine} says "
                                     f"{status} ({why})")
    else:
        agreement, text = UNDECIDED, f"SymPy could not decide; {engine} says {status} ({why})"
    out: dict[str, Any] = {"engine": engine, "status": status, "agreement": agreement,
                           "text": text}
    cert = keep.get("certificate")
    if agreement == AGREE and cert is not None and cert.get("verdict") in ("holds", "fails"):
        named = step_certificate(cert, step)
        if named is not None:
            out["certificate"] = named
    return out


def step_certificate(cert: dict[str, Any], step: tuple[str, str]) -> dict[str, Any] | None:
    """``cert`` (the second engine's ``algebra_step`` certificate) as the certificate of
    ``step = (id, statement)``. A step of the paper (:func:`verify.certify.paper_steps`) gets
    :mod:`verify.certify`'s own statement of it: ``cert`` relabelled when its inputs are the
    table's, else the table's step decided by :func:`verify.certify.paper_step`, kept only when
    its verdict is ``cert``'s (``None`` otherwise). Any other step is named by the hash of its
    statement and inputs."""
    from verify import certify
    from verify.certify import _steps

    step_id, statement = step[0], step[1] or cert["inequality"]
    table = certify.paper_steps()
    if step_id in table:
        statement = table[step_id]["inequality"]
        if _steps.mismatch(step_id, statement, cert["inputs"]):
            paper = certify.paper_step(step_id)
            return paper if paper["verdict"] == cert["verdict"] else None
    else:
        step_id = _steps.own_id(statement, cert["inputs"])
    return {**cert, "id": step_id, "claim": f"proof algebra {step_id}", "inequality": statement}
