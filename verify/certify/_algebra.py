"""The ``algebra_step`` certificate: a polynomial identity or sign condition, re-checked by Z3's
nonlinear real arithmetic (and, for a refutation, by exact rational evaluation of the witness).

Expressions are text in a small grammar (numbers, variable names, ``+ - * / **`` with integer
exponents, parentheses, and ``If(a REL b, x, y)`` for a case split such as ``max(a, 0)``),
parsed with :mod:`ast` and never evaluated by Python's ``eval``. Variables are real, or integer
when listed in ``integers``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from fractions import Fraction
from typing import Any

__all__ = ["RELATIONS", "evaluate", "z3_decide"]

RELATIONS = ("==", ">=", ">", "<=", "<", "!=")
Z3_TIMEOUT_MS = 10_000


def _convert(text: str, num: Callable[[Fraction], Any], var: Callable[[str], Any],
             choose: Callable[[Any, Any, Any], Any] = lambda c, a, b: a if c else b) -> Any:
    """``text`` built with ``num`` (constants), ``var`` (names) and ``choose(cond, a, b)``
    (``If``: ``z3.If``, or plain selection for exact evaluation)."""
    _compare = {ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Lt: "<", ast.Eq: "==",
                ast.NotEq: "!="}

    def go(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return go(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return num(Fraction(str(node.value)))
        if isinstance(node, ast.Name):
            return var(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "If" and len(node.args) == 3 and not node.keywords:
            cond = node.args[0]
            if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1
                    and type(cond.ops[0]) in _compare):
                raise ValueError(f"expression: If needs one comparison as condition in {text!r}")
            c = _relation(_compare[type(cond.ops[0])], go(cond.left), go(cond.comparators[0]))
            return choose(c, go(node.args[1]), go(node.args[2]))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = go(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            left = go(node.left)
            if isinstance(node.op, ast.Pow):
                if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, int)
                        and 0 <= node.right.value <= 64):
                    raise ValueError(f"expression: only integer powers 0..64 allowed in {text!r}")
                out = num(Fraction(1))
                for _ in range(node.right.value):
                    out = out * left
                return out
            right = go(node.right)
            ops = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right,
                   ast.Mult: lambda: left * right, ast.Div: lambda: left / right}
            for op, f in ops.items():
                if isinstance(node.op, op):
                    return f()
        raise ValueError(f"expression: unsupported syntax {ast.dump(node)[:60]} in {text!r}")

    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"expression: cannot parse {text!r}: {exc.msg}") from None
    return go(tree)


def _relation(rel: str, a: Any, b: Any) -> Any:
    if rel not in RELATIONS:
        raise ValueError(f"relation must be one of {RELATIONS}, got {rel!r}")
    return {"==": lambda: a == b, ">=": lambda: a >= b, ">": lambda: a > b,
            "<=": lambda: a <= b, "<": lambda: a < b, "!=": lambda: a != b}[rel]()


def evaluate(expr: list[str], point: dict[str, str]) -> bool:
    """Exact truth of ``[lhs, rel, rhs]`` at a rational ``point`` (``{name: "p/q"}``)."""
    values = {k: Fraction(v) for k, v in point.items()}

    def var(name: str) -> Fraction:
        if name not in values:
            raise ValueError(f"witness: no value for variable {name!r}")
        return values[name]

    lhs, rel, rhs = expr
    return bool(_relation(rel, _convert(lhs, lambda f: f, var), _convert(rhs, lambda f: f, var)))


def z3_decide(variables: list[str], assumptions: list[list[str]], goal: list[str],
              timeout_ms: int = Z3_TIMEOUT_MS, integers: tuple[str, ...] | list[str] = ()
              ) -> tuple[str, dict[str, str] | None]:
    """``("proved", None)`` if Z3 shows ``assumptions => goal`` over the reals (the variables in
    ``integers`` over the integers; the negation is unsatisfiable), ``("false", witness)`` if it
    finds a point (rational, else ``None``) where the assumptions hold and the goal fails,
    ``("unknown", None)`` otherwise."""
    import z3

    unknown = [v for v in integers if v not in variables]
    if unknown:
        raise ValueError(f"integers: {unknown} are not among the variables {variables}")
    syms = {v: z3.Int(v) if v in integers else z3.Real(v) for v in variables}

    def var(name: str) -> Any:
        if name not in syms:
            raise ValueError(f"expression: unknown variable {name!r}; declared: {variables}")
        return syms[name]

    def num(f: Fraction) -> Any:
        return z3.RealVal(f"{f.numerator}/{f.denominator}")

    def real(x: Any) -> Any:
        return z3.ToReal(x) if z3.is_int(x) else x

    def convert(text: str) -> Any:
        return real(_convert(text, num, lambda name: real(var(name)),
                             lambda c, a, b: z3.If(c, real(a), real(b))))

    def rel(e: list[str]) -> Any:
        lhs, r, rhs = e
        return _relation(r, convert(lhs), convert(rhs))

    solver = z3.SolverFor("QF_NRA") if variables and not integers else z3.Solver()
    solver.set("timeout", timeout_ms)
    for a in assumptions:
        solver.add(rel(a))
    solver.add(z3.Not(rel(goal)))
    res = solver.check()
    if res == z3.unsat:
        return "proved", None
    if res == z3.sat:
        model = solver.model()
        point: dict[str, str] = {}
        for v, s in syms.items():
            val = model.eval(s, model_completion=True)
            if z3.is_int_value(val):
                point[v] = str(val.as_long())
                continue
            if not z3.is_rational_value(val):
                return "false", None
            point[v] = str(Fraction(val.numerator_as_long(), val.denominator_as_long()))
        return "false", point
    return "unknown", None
