"""The gates of the algebra steps (``verify.certify._algebra``) that decide without a solver:
parsing and measuring an expression against its caps (each at the cap and just above), exact
evaluation at a rational point, the relations, the conversion of each construct, the exact
identity of rational functions with ``exp``/``c**u`` atoms, and the test for a trivial goal."""

from __future__ import annotations

import ast
from fractions import Fraction

import pytest

pytest.importorskip("flint", reason="needs the certify extra (python-flint)")

from verify.certify import _algebra, _poly
from verify.certify._strict import TooLarge

F = Fraction


def _balanced(n: int, leaf: str = "x", op: str = "+") -> str:
    """A sum of ``n`` leaves as a balanced tree (depth about log2 n): ``3 n`` nodes with the
    module's ``Expression`` node, ``n - 1`` operations and their operator nodes."""
    if n == 1:
        return leaf
    return f"({_balanced(n // 2, leaf, op)}{op}{_balanced(n - n // 2, leaf, op)})"


def _value(text: str, **point) -> Fraction:
    values = {k: F(v) for k, v in point.items()}
    return _algebra._convert(text, lambda f: f, values.__getitem__)


# ----------------------------------------------------------------------------- _parse


def test_parse__text_within_the_length_cap():
    assert isinstance(_algebra._parse("x + 1"), ast.Expression)
    assert _algebra.measure("y" * 50_000) == {"nodes": 2, "degree": 1}
    with pytest.raises(ValueError) as info:
        _algebra._parse("y" * 50_001)
    assert str(info.value) == "expression of 50001 characters (at most 50000)"


@pytest.mark.parametrize(("bad", "why"), [
    (3, "expression must be text, got int"),
    (None, "expression must be text, got NoneType"),
    (["x"], "expression must be text, got list"),
    ("x +", "expression: cannot parse 'x +': invalid syntax"),
    ("(" * 300 + "x" + ")" * 300,
     f"expression: cannot parse {'(' * 60!r}: too many nested parentheses"),
    ("-" * 49_000 + "x", f"expression nested too deeply: {'-' * 60!r}"),
])
def test_parse__refusals(bad, why):
    with pytest.raises(ValueError) as info:
        _algebra._parse(bad)
    assert str(info.value) == why


def test_const_exponent__only_a_plain_integer_constant():
    def exponent(text):
        return _algebra._const_exponent(ast.parse(text, mode="eval").body)

    assert exponent("3") == 3
    assert exponent("0") == 0
    assert exponent("64") == 64
    for text in ("True", "2.0", "x", "-1", "'3'"):
        assert exponent(text) is None, text


# ----------------------------------------------------------------------------- measure


def test_measure__nodes_at_the_cap():
    assert _algebra.measure("x + y") == {"nodes": 5, "degree": 1}
    assert _algebra.measure("-x") == {"nodes": 4, "degree": 1}
    text = _balanced(6667)  # 3 * 6667 - 1 = 20000 nodes
    assert _algebra.measure(text) == {"nodes": 20_000, "degree": 1}
    with pytest.raises(ValueError) as info:
        _algebra.measure("-" + text)
    assert str(info.value) == "expression of more than 20000 nodes"


def test_measure__depth_at_the_cap():
    # 399 unary minus: the innermost operator node lies at depth 400
    assert _algebra.measure("-" * 399 + "x") == {"nodes": 800, "degree": 1}
    with pytest.raises(ValueError) as info:
        _algebra.measure("-" * 400 + "x")
    assert str(info.value) == "expression nested more than 400 levels"
    # the depth grows through both sides of a power, a constant's exponent included
    for base, deepest in (("2**x", 398), ("2**(-x)", 397), ("x**2", 398), ("(-x)**2", 397)):
        assert _algebra.measure("-" * deepest + base)["nodes"] > deepest, base
        with pytest.raises(ValueError, match=r"^expression nested more than 400 levels$"):
            _algebra.measure("-" * (deepest + 1) + base)


def test_measure__literal_digits_at_the_cap():
    assert _algebra.measure("1" * 60) == {"nodes": 2, "degree": 0}
    assert _algebra.measure("x * " + "1" * 60)["degree"] == 1
    with pytest.raises(ValueError) as info:
        _algebra.measure("1" * 61)
    assert str(info.value) == "a number of more than 60 digits"


@pytest.mark.parametrize(("text", "degree"), [
    ("3", 0), ("2 + 3", 0), ("2 * 3", 0), ("2 / 3", 0), ("-2", 0), ("x", 1), ("x * y", 2),
    ("x / y", 2), ("x + y * z", 2), ("x * y + z", 2), ("(x + y) * (x - y)", 2),
    ("x**0", 0), ("x**1", 1), ("x**64", 64), ("(x*y)**3", 6), ("2**x", 1), ("2**(x*y*z)", 1),
    ("2.5**x", 1), ("(x**16)**16", 256), ("If(x > 0, x*y, 1)", 2), ("exp(x*y)", 2),
])
def test_measure__degree(text, degree):
    assert _algebra.measure(text)["degree"] == degree


def test_measure__degree_and_exponent_caps():
    with pytest.raises(ValueError) as info:
        _algebra.measure("(x**16)**16 * x")
    assert str(info.value) == "expression of degree more than 256"
    with pytest.raises(ValueError) as info:
        _algebra.measure("(x**16)**17")
    assert str(info.value) == "expression of degree more than 256"
    with pytest.raises(ValueError) as info:
        _algebra.measure("x**65")
    assert str(info.value) == "expression: only integer powers 0..64 allowed, got 65"
    for text in ("x**y", "x**2.0", "x**-1", "x**True"):
        with pytest.raises(ValueError) as info:
            _algebra.measure(text)
        assert str(info.value) == "expression: only integer powers 0..64 of a non-constant"
    with pytest.raises(ValueError, match="got 65"):
        _algebra.measure("2**65")


# ----------------------------------------------------------------------------- _relation


@pytest.mark.parametrize(("rel", "truth"), [
    ("==", (False, True, False)), (">=", (False, True, True)), (">", (False, False, True)),
    ("<=", (True, True, False)), ("<", (True, False, False)), ("!=", (True, False, True))])
def test_relation__each_at_below_equal_above(rel, truth):
    assert tuple(_algebra._relation(rel, F(a), F(1)) for a in (0, 1, 2)) == truth


def test_relation__unknown():
    for bad in ("=", "=>", "XX==XX", ""):
        with pytest.raises(ValueError) as info:
            _algebra._relation(bad, 1, 1)
        assert str(info.value) == \
            f"relation must be one of ('==', '>=', '>', '<=', '<', '!='), got {bad!r}"


# ----------------------------------------------------------------------------- _convert


@pytest.mark.parametrize(("text", "point", "value"), [
    ("0.1 + 0.2", {}, F(3, 10)),
    ("1/3 * 3", {}, F(1)),
    ("x - 2*y", {"x": 1, "y": 3}, F(-5)),
    ("x / y", {"x": 1, "y": 3}, F(1, 3)),
    ("-x", {"x": 2}, F(-2)),
    ("+x", {"x": 2}, F(2)),
    ("- -x", {"x": 2}, F(2)),
    ("x**0", {"x": 7}, F(1)),
    ("x**3", {"x": F(2, 3)}, F(8, 27)),
    ("(x + 1)**2 - x", {"x": 2}, F(7)),
    ("If(x >= 1, x*2, -x) + 0.5", {"x": 1}, F(5, 2)),
    ("If(x >= 1, x*2, -x) + 0.5", {"x": F(1, 2)}, F(0)),
    ("If(x < y, 1, 2)", {"x": 1, "y": 1}, F(2)),
    ("If(x != y, 1, 2)", {"x": 1, "y": 2}, F(1)),
])
def test_convert__each_construct_exactly(text, point, value):
    assert _value(text, **point) == value
    assert type(_value(text, **point)) is Fraction


@pytest.mark.parametrize(("text", "why"), [
    ("x % 2", "expression: unsupported syntax BinOp(left=Name(id='x', ctx=Load()), op=Mod()"),
    ("f(x)", "expression: unsupported syntax Call(func=Name(id='f', ctx=Load()), args=[Name"),
    ("exp(x, x)", "expression: unsupported syntax Call(func=Name(id='exp', ctx=Load()), args"),
    ("If(x > 0, 1)", "expression: unsupported syntax Call(func=Name(id='If', ctx=Load()), arg"),
    ("If(x > 0, 1, 2, k=1)", "expression: unsupported syntax Call(func=Name(id='If', ctx=Loa"),
    ("True", "expression: unsupported syntax Constant(value=True)"),
    ("'x'", "expression: unsupported syntax Constant(value='x')"),
    ("x.y", "expression: unsupported syntax Attribute(value=Name(id='x', ctx=Load()), attr="),
    ("not x", "expression: unsupported syntax UnaryOp(op=Not(), operand=Name(id='x', ctx=Lo"),
    ("If(x, 1, 2)", "expression: If needs one comparison as condition in 'If(x, 1, 2)'"),
    ("If(0 < x < 1, 1, 2)", "expression: If needs one comparison as condition in "
                            "'If(0 < x < 1, 1, 2)'"),
    ("If(x in y, 1, 2)", "expression: If needs one comparison as condition in "
                         "'If(x in y, 1, 2)'"),
    ("x**y", "expression: only integer powers 0..64 of a non-constant"),
])
def test_convert__refusals(text, why):
    with pytest.raises(ValueError) as info:
        _value(text, x=1, y=1)
    assert str(info.value).startswith(why), str(info.value)
    assert not isinstance(info.value, _algebra.NotPolynomial)


def test_convert__atoms_need_an_atom_builder():
    for text, why in (("exp(x)", "exp(u) is decided only in an exact identity"),
                      ("2**x", "c**u is decided only in an exact identity")):
        with pytest.raises(_algebra.NotPolynomial) as info:
            _value(text, x=1)
        assert str(info.value) == why
    seen = []

    def atom(kind, base, arg):
        seen.append((kind, base, arg))
        return F(100)

    assert _algebra._convert("exp(x + 1) + 2.5**(2*x)", lambda f: f, {"x": F(3)}.__getitem__,
                             atom=atom) == F(200)
    assert seen == [("exp", None, F(4)), ("pow", 2.5, F(6))]


def test_convert__the_choice_receives_the_condition():
    got = []

    def choose(cond, a, b):
        got.append((cond, a, b))
        return a

    assert _algebra._convert("If(x <= 2, x, 3)", lambda f: f, {"x": F(5)}.__getitem__,
                             choose=choose) == F(5)
    assert got == [(False, F(5), F(3))]


def test_convert__measures_first():
    with pytest.raises(ValueError, match=r"only integer powers 0\.\.64 allowed, got 65"):
        _value("x**65", x=1)


# ----------------------------------------------------------------------------- evaluate


def test_evaluate__exact_truth_at_a_rational_point():
    assert _algebra.evaluate(["x/3 + y", "==", "1"], {"x": "3/2", "y": "1/2"}) is True
    assert _algebra.evaluate(["x/3 + y", "==", "1"], {"x": "3/2", "y": "0.5000001"}) is False
    assert _algebra.evaluate(["x", ">", "0"], {"x": "-1/1000000000000"}) is False
    assert _algebra.evaluate(["x", "<=", "0"], {"x": "0"}) is True
    assert _algebra.evaluate(["If(x > 0, 1, 0)", "==", "0"], {"x": "0"}) is True


def test_evaluate__refusals():
    with pytest.raises(ValueError) as info:
        _algebra.evaluate(["y", ">", "0"], {"x": "0"})
    assert str(info.value) == "witness: no value for variable 'y'"
    with pytest.raises(ValueError) as info:
        _algebra.evaluate(["1", ">", "1/x"], {"x": "0"})
    assert str(info.value) == "witness: a denominator vanishes at the witness"
    with pytest.raises(ValueError) as info:
        _algebra.evaluate(["1", "=>", "x"], {"x": "0"})
    assert str(info.value).startswith("relation must be one of")


# ----------------------------------------------------------------------------- trivial


@pytest.mark.parametrize(("goal", "expected"), [
    (["x + 1", "==", "x+1"], True), (["x", ">=", "(x)"], True), (["x", "<=", "x"], True),
    (["x", ">", "x"], False), (["x", "<", "x"], False), (["x", "!=", "x"], False),
    (["x + 1", "==", "1 + x"], False), (["x", ">=", "y"], False), (["x", "<=", "y"], False),
])
def test_trivial__identical_sides_of_a_reflexive_relation(goal, expected):
    assert _algebra.trivial(goal) is expected


# ----------------------------------------------------------------------------- exact_identity


@pytest.mark.parametrize(("goal", "expected"), [
    (["(x + 1)**2", "==", "x**2 + 2*x + 1"], True),
    (["(x**2 - 1) / (x - 1)", "==", "x + 1"], True),
    (["x / y + 1", "==", "(x + y) / y"], True),
    (["0.5 * x", "==", "x / 2"], True),
    (["x", "==", "x + 1/1000000"], False),
    (["x * y", "==", "y * x * 1"], True),
    (["exp(x + 1)", "==", "exp(1 + x)"], True),
    (["exp(x) * exp(x)", "==", "exp(x)**2"], True),
    (["exp(x) + exp(y)", "==", "exp(y) + exp(x)"], True),
    (["exp(x)", "==", "exp(y)"], False),
    (["exp(2*x) / 2", "==", "exp(x + x) * 0.5"], True),
    (["2**x", "==", "2**(2*x/2)"], True),
    (["2**x", "==", "3**x"], False),
    (["2**x", "==", "exp(x)"], False),
    (["exp(x)", "==", "2**x"], False),
    (["exp(x) * 2**y", "==", "2**y * exp(x)"], True),
])
def test_exact_identity(goal, expected):
    assert _algebra.exact_identity(["x", "y"], goal) is expected


def test_exact_identity__refusals():
    with pytest.raises(ValueError) as info:
        _algebra.exact_identity(["x"], ["x", "==", "z"])
    assert str(info.value) == "expression: unknown variable 'z'; declared: ['x']"
    with pytest.raises(ValueError, match="unknown variable 'z'"):
        _algebra.exact_identity(["x"], ["z", "==", "x"])
    with pytest.raises(_algebra.NotPolynomial) as info:
        _algebra.exact_identity(["x"], ["If(x > 0, x, 0)", "==", "x"])
    assert str(info.value) == "If is decided by Z3"
    with pytest.raises(_algebra.NotPolynomial, match="If is decided by Z3"):
        _algebra.exact_identity(["x"], ["x", "==", "If(x > 0, x, 0)"])


def test_exact_identity__each_decision_counts_its_own_work(monkeypatch):
    monkeypatch.setattr(_poly, "MAX_WORK", 200)
    _poly._work[0] = 200  # a previous decision's products do not count
    assert _algebra.exact_identity(["x"], ["(x + 1)**2", "==", "x**2 + 2*x + 1"])
    with pytest.raises(TooLarge, match="term products"):
        _algebra.exact_identity(["x"], ["(x + 1)**12", "==", "(x + 1)**12 + 0"])
    _poly.reset_work()
