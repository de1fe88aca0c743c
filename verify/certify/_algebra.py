"""The ``algebra_step`` certificate: ``assumptions => goal`` for polynomial or rational
expressions, decided here from the sides as the proof writes them.

Expressions are text in a small grammar (integers and decimals, variable names, ``+ - * / **``
with integer exponents 0..64, parentheses, ``If(a REL b, x, y)`` for a case split such as
``max(a, 0)``, and, in identities, ``exp(u)`` and ``c**u`` for a non-constant ``u``), parsed with
:mod:`ast` and never evaluated by Python's ``eval``. Variables are real, or integer when listed
in ``integers``. Every expression is measured before use (:func:`measure`: length, nodes,
depth, degree; :data:`CAPS`).

The decision (:func:`decide`): an identity ``lhs == rhs`` without ``If`` is first decided exactly,
each side written ``P/Q`` over :class:`fractions.Fraction` (:mod:`verify.certify._poly`;
``exp(u)`` and ``c**u`` are atoms, one per argument up to identity of rational functions): equal
rational functions are equal wherever both sides are defined. Anything else goes to Z3's
nonlinear arithmetic, bounded by a resource limit (:data:`Z3_RLIMIT`, deterministic) as well as a
time limit: ``holds`` when the negation is unsatisfiable, ``fails`` with a rational witness that
is re-evaluated exactly. A goal whose two sides are the same expression is refused: it proves
nothing (:func:`trivial`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from verify.certify import _poly, _steps
from verify.certify._common import FORMAT

__all__ = ["CAPS", "RELATIONS", "Z3_RLIMIT", "Z3_SECONDS", "NotPolynomial", "algebra_step",
           "decide", "evaluate", "measure", "paper_step", "trivial", "z3_decide",
           "z3_isolated"]

RELATIONS = ("==", ">=", ">", "<=", "<", "!=")
Z3_TIMEOUT_MS = 10_000
Z3_RLIMIT = 5_000_000
"""Z3's resource limit per decision (a count of its steps; each step of the proof algebra takes
under 10,000). It does not bound every part of Z3's nonlinear arithmetic in time, so a check
runs Z3 in a child process killed after :data:`Z3_SECONDS` (:func:`z3_isolated`)."""
Z3_SECONDS = 10.0
"""Wall-clock limit of one Z3 decision when a certificate is checked."""
Z3_MEMORY = 4 * 2**30
"""Address-space limit (bytes) of the child process that runs Z3 for a check
(:mod:`verify.certify._z3_child`)."""
CAPS = {"length": 50_000, "nodes": 20_000, "depth": 400, "degree": 256, "exponent": 64,
        "variables": 40, "assumptions": 60, "literal digits": 60}
"""The largest expression an algebra step may hold (each side and each assumption)."""


class NotPolynomial(ValueError):
    """An expression with ``exp(u)`` or ``c**u`` where only polynomial arithmetic is possible
    (Z3, exact evaluation): such a step is decided only as an exact identity."""


_COMPARE = {ast.GtE: ">=", ast.Gt: ">", ast.LtE: "<=", ast.Lt: "<", ast.Eq: "==",
            ast.NotEq: "!="}


def _parse(text: Any) -> ast.Expression:
    if not isinstance(text, str):
        raise ValueError(f"expression must be text, got {type(text).__name__}")
    if len(text) > CAPS["length"]:
        raise ValueError(f"expression of {len(text)} characters (at most {CAPS['length']})")
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"expression: cannot parse {text[:60]!r}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ValueError(f"expression nested too deeply: {text[:60]!r}") from None


def _const_exponent(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def measure(text: Any) -> dict[str, int]:
    """Nodes, depth and degree (an upper bound of the total degree, counting ``/`` as ``*``)
    of ``text``; ValueError when any exceeds :data:`CAPS`, or when a constant exponent is not
    in ``0..64``."""
    tree = _parse(text)
    nodes = 0

    def go(node: ast.AST, depth: int) -> int:
        nonlocal nodes
        nodes += 1
        if nodes > CAPS["nodes"]:
            raise ValueError(f"expression of more than {CAPS['nodes']} nodes")
        if depth > CAPS["depth"]:
            raise ValueError(f"expression nested more than {CAPS['depth']} levels")
        if isinstance(node, ast.Constant):
            if len(repr(node.value)) > CAPS["literal digits"]:
                raise ValueError(f"a number of more than {CAPS['literal digits']} digits")
            return 0
        if isinstance(node, ast.Name):
            return 1
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            e = _const_exponent(node.right)
            base = go(node.left, depth + 1)
            if e is None:
                if not isinstance(node.left, ast.Constant):
                    raise ValueError("expression: only integer powers 0..64 of a non-constant")
                go(node.right, depth + 1)
                return 1
            if not 0 <= e <= CAPS["exponent"]:
                raise ValueError(f"expression: only integer powers 0..{CAPS['exponent']} "
                                 f"allowed, got {e}")
            return base * e
        parts = [go(c, depth + 1) for c in ast.iter_child_nodes(node)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            out = sum(parts)
        else:
            out = max(parts, default=0)
        if out > CAPS["degree"]:
            raise ValueError(f"expression of degree more than {CAPS['degree']}")
        return out

    degree = go(tree, 0)
    return {"nodes": nodes, "degree": degree}


def _convert(text: str, num: Callable[[Fraction], Any], var: Callable[[str], Any],
             choose: Callable[[Any, Any, Any], Any] = lambda c, a, b: a if c else b,
             atom: Callable[[str, Any, Any], Any] | None = None) -> Any:
    """``text`` built with ``num`` (constants), ``var`` (names), ``choose(cond, a, b)`` (``If``)
    and ``atom(kind, base, argument)`` (``exp(u)``, ``c**u``: refused without it)."""
    measure(text)

    def go(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return go(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return num(Fraction(str(node.value)))
        if isinstance(node, ast.Name):
            return var(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and not node.keywords:
            if node.func.id == "If" and len(node.args) == 3:
                cond = node.args[0]
                if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1
                        and type(cond.ops[0]) in _COMPARE):
                    raise ValueError(f"expression: If needs one comparison as condition in "
                                     f"{text[:60]!r}")
                c = _relation(_COMPARE[type(cond.ops[0])], go(cond.left),
                              go(cond.comparators[0]))
                return choose(c, go(node.args[1]), go(node.args[2]))
            if node.func.id == "exp" and len(node.args) == 1:
                if atom is None:
                    raise NotPolynomial("exp(u) is decided only in an exact identity")
                return atom("exp", None, go(node.args[0]))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = go(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            left = go(node.left)
            if isinstance(node.op, ast.Pow):
                e = _const_exponent(node.right)
                if e is None:
                    if not isinstance(node.left, ast.Constant):
                        raise ValueError(f"expression: only integer powers 0..64 allowed in "
                                         f"{text[:60]!r}")
                    if atom is None:
                        raise NotPolynomial("c**u is decided only in an exact identity")
                    return atom("pow", node.left.value, go(node.right))
                out = num(Fraction(1))
                for _ in range(e):
                    out = out * left
                return out
            right = go(node.right)
            ops = {ast.Add: lambda: left + right, ast.Sub: lambda: left - right,
                   ast.Mult: lambda: left * right, ast.Div: lambda: left / right}
            for op, f in ops.items():
                if isinstance(node.op, op):
                    return f()
        raise ValueError(f"expression: unsupported syntax {ast.dump(node)[:60]} in "
                         f"{text[:60]!r}")

    return go(_parse(text))


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
    try:
        return bool(_relation(rel, _convert(lhs, lambda f: f, var),
                              _convert(rhs, lambda f: f, var)))
    except ZeroDivisionError:
        raise ValueError("witness: a denominator vanishes at the witness") from None


def trivial(goal: list[str]) -> bool:
    """Whether ``goal``'s two sides are the same expression (it then proves nothing)."""
    lhs, rel, rhs = goal
    return rel in ("==", ">=", "<=") and ast.dump(_parse(lhs)) == ast.dump(_parse(rhs))


def exact_identity(variables: list[str], goal: list[str]) -> bool:
    """Whether ``goal = [lhs, "==", rhs]`` is an identity of rational functions (atoms
    ``exp(u)``, ``c**u`` identified when their arguments are identical)."""
    atoms: list[tuple[str, Any, _poly.Rational, _poly.Rational]] = []

    def var(name: str) -> _poly.Rational:
        if name not in variables:
            raise ValueError(f"expression: unknown variable {name!r}; declared: {variables}")
        return _poly.Rational.variable(name)

    def atom(kind: str, base: Any, arg: _poly.Rational) -> _poly.Rational:
        for k, b, a, value in atoms:
            if k == kind and b == base and _poly.identical(a, arg):
                return value
        value = _poly.Rational.variable(f"#{len(atoms)}")
        atoms.append((kind, base, arg, value))
        return value

    if "If" in goal[0] + goal[2]:
        raise NotPolynomial("If is decided by Z3")
    _poly.reset_work()
    sides = [_convert(t, _poly.Rational.constant, var, atom=atom) for t in (goal[0], goal[2])]
    return _poly.identical(*sides)


def z3_decide(variables: list[str], assumptions: list[list[str]], goal: list[str],
              timeout_ms: int = Z3_TIMEOUT_MS, integers: tuple[str, ...] | list[str] = (),
              rlimit: int = Z3_RLIMIT) -> tuple[str, dict[str, str] | None]:
    """``("proved", None)`` if Z3 shows ``assumptions => goal`` over the reals (the variables in
    ``integers`` over the integers; the negation is unsatisfiable), ``("false", witness)`` if it
    finds a point (rational, else ``None``) where the assumptions hold and the goal fails,
    ``("unknown", None)`` otherwise (including when ``rlimit`` or ``timeout_ms`` ran out)."""
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
    solver.set("rlimit", rlimit)
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


def z3_isolated(variables: list[str], assumptions: list[list[str]], goal: list[str],
                integers: list[str] | tuple[str, ...] = (), seconds: float = Z3_SECONDS,
                memory: int = Z3_MEMORY) -> tuple[str, dict[str, str] | None]:
    """:func:`z3_decide` in a child process (``python -m verify.certify._z3_child``) limited to
    ``memory`` bytes of address space and killed after ``seconds``: ``("unknown", None)`` when
    it runs out or fails, so a hostile goal costs at most ``seconds`` and ``memory``, whatever
    Z3 does. A plain subprocess, so that a daemonic process (a report's worker) may start it;
    it dies with its parent (Linux) and on Ctrl-C."""
    import json
    import os
    import subprocess
    import sys

    import verify

    request = json.dumps({"variables": list(variables), "assumptions": assumptions,
                          "goal": goal, "integers": list(integers),
                          "timeout_ms": int(seconds * 1000), "memory": int(memory),
                          "parent": os.getpid()})
    root = os.path.dirname(os.path.dirname(os.path.abspath(verify.__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    child = subprocess.Popen([sys.executable, "-m", "verify.certify._z3_child"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
    try:
        out, _ = child.communicate(request.encode(), timeout=seconds + 1)
        got = json.loads(out or b'["error", "no reply"]')
    except subprocess.TimeoutExpired:
        got = ["timeout", ""]
    except ValueError:
        got = ["error", "unreadable reply"]
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    if got[0] == "ok":
        status, witness = got[1]
        return status, witness
    if got[0] == "not polynomial":
        raise NotPolynomial(got[1])
    if got[0] == "value":
        raise ValueError(got[1])
    return "unknown", None


def decide(variables: list[str], assumptions: list[list[str]], goal: list[str],
           integers: list[str] | tuple[str, ...] = (), timeout_ms: int = Z3_TIMEOUT_MS,
           *, isolated: bool = False) -> tuple[str, dict[str, str] | None, str]:
    """``(status, witness, engine)``: the exact identity first (engine ``"exact"``) when
    ``goal`` is an identity without ``If``, else Z3 (``"Z3"``; in a killable child process
    when ``isolated``, as :func:`verify.certify.check` runs it)."""
    if goal[1] == "==":
        try:
            if exact_identity(list(variables), goal):
                return "proved", None, "exact"
        except NotPolynomial:
            pass
    try:
        if isolated:
            status, witness = z3_isolated(variables, assumptions, goal, integers)
        else:
            status, witness = z3_decide(variables, assumptions, goal, timeout_ms, integers)
    except NotPolynomial:
        return "unknown", None, "exact"
    return status, witness, "Z3"


def algebra_step(name: str, variables: list[str], assumptions: list[list[str]],
                 goal: list[str], *, step_id: str | None = None,
                 timeout_ms: int = Z3_TIMEOUT_MS,
                 integers: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The certificate of one proof-algebra step ``step_id`` (the statement ``name``):
    ``assumptions => goal`` over the reals (the variables in ``integers`` over the integers),
    each a ``[lhs, relation, rhs]`` triple; verdict ``holds`` (an exact identity, or Z3: the
    negation is unsatisfiable), ``fails`` (with a rational witness, integer where it must be,
    checked exactly) or ``undecided``. ``step_id`` is a step of the paper
    (:func:`verify.certify._steps.paper_steps`), whose statement and inputs these must be
    (ValueError otherwise); without it, the step is one of the user's own and its id is the
    hash of ``name`` and the inputs (:func:`verify.certify._steps.own_id`)."""
    inputs: dict[str, Any] = {"variables": list(variables),
                              "assumptions": [list(a) for a in assumptions], "goal": list(goal)}
    if integers:
        inputs["integers"] = list(integers)
    if step_id is None:
        step_id = _steps.own_id(name, inputs)
    else:
        why = _steps.mismatch(step_id, name, inputs)
        if why:
            raise ValueError(f"step_id: {why}")
    status, witness, _ = decide(inputs["variables"], inputs["assumptions"], inputs["goal"],
                                list(integers), timeout_ms)
    verdict = {"proved": "holds", "false": "fails"}.get(status, "undecided")
    if verdict == "fails" and witness is None:
        verdict = "undecided"
    cert = {"format": FORMAT, "kind": "algebra_step", "id": step_id,
            "claim": f"proof algebra {step_id}", "inequality": name, "inputs": inputs,
            "verdict": verdict}
    if witness is not None and verdict == "fails":
        cert["witness"] = witness
    return cert


def paper_step(step_id: str, timeout_ms: int = Z3_TIMEOUT_MS) -> dict[str, Any]:
    """The certificate of the paper's step ``step_id`` as :mod:`verify.certify` states it
    (:func:`verify.certify._steps.paper_steps`), decided here; ValueError for an unknown id."""
    steps = _steps.paper_steps()
    if step_id not in steps:
        raise ValueError(f"step_id must be one of the paper's steps ({', '.join(steps)}), got "
                         f"{step_id!r:.60}")
    step = steps[step_id]
    inp = step["inputs"]
    return algebra_step(step["inequality"], inp["variables"], inp["assumptions"], inp["goal"],
                        step_id=step_id, timeout_ms=timeout_ms,
                        integers=inp.get("integers", ()))
