"""The statistical levels, and the family-wise false-alarm budget of a ``ci`` run, computed from
the declared levels, not restated.

A correct implementation fails a ``ci`` run of the statistical tests with probability at most the
sum, over every statistical decision the run makes, of that decision's level (Bonferroni: valid
under any dependence). An assertion that a test *rejects* is made only where its miss probability
is computed to be at most ``MISS``, so each decision costs at most ``max(level, MISS)``.

The count is made here, from the code: every call of a decision (an exact test of
:mod:`verify.evidence.stats`, or a checker that makes some) in the statistical test modules, in
the test functions and the helpers they call, times the examples the ``ci`` profile runs
(``@given``) or the parameters (``parametrize``), times the length of any loop around it. Each
checker's decisions per call (and their levels) are measured by running it once on constant
counts. A decision in a loop that cannot be counted fails this test: extend :func:`_multiplicity`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import settings

from verify.claims import event_14, lemma_5_2, theorem_5_1
from verify.claims.lemma_5_2 import monte_carlo, per_filter
from verify.claims.section_7 import verdicts as section_7_verdicts
from verify.evidence import stats

BUDGET = 1e-6  # docs/how-to/develop-and-test.md: a correct implementation fails a ci run below this
STATISTICAL_MODULES = (
    "properties.test_lemma_5_2",
    "properties.test_event_14",
    "tests.test_lemma_5_2_kernels",
)
DECISIONS = ("binomial_test", "two_sided_binomial_test", "binomial_law_test")
CHECKERS = ("check_lemma_5_2", "check_lucky_probability", "check_event_14")


def test_levels__are_pinned():
    assert lemma_5_2.ALPHA == 1e-9
    assert event_14.ALPHA == 1e-9
    assert section_7_verdicts.ALPHA == 0.05
    assert importlib.import_module("properties.test_lemma_5_2").MISS == 1e-9
    assert settings.get_profile("ci").max_examples == 25
    assert settings.get_profile("thorough").max_examples == 400
    for fn in (lemma_5_2.check_lemma_5_2, lemma_5_2.check_lucky_probability,
               event_14.check_event_14):
        assert inspect.signature(fn).parameters["alpha"].default == 1e-9
    # the default trials fix the tests' power (details["power..."] of their evidence)
    assert inspect.signature(event_14.check_event_14).parameters["trials"].default == 20_000
    assert inspect.signature(lemma_5_2.check_lemma_5_2).parameters["trials"].default == 2000
    assert inspect.signature(theorem_5_1.check_rate).parameters["alpha"].default == 1e-3
    assert theorem_5_1.DELTA == 0.05


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the level of every decision of :mod:`verify.evidence.stats` from now on."""
    levels: list[float] = []
    for name in DECISIONS:
        real = getattr(stats, name)

        def wrapped(*args: Any, _real: Callable[..., Any] = real, **kw: Any) -> Any:
            levels.append(float(kw["alpha"] if "alpha" in kw else args[3]))
            return _real(*args, **kw)

        for module in (stats, monte_carlo, per_filter, event_14):
            if getattr(module, name, None) is real:
                monkeypatch.setattr(module, name, wrapped)
    return levels


def _checker_levels(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """The sum of the levels of the decisions one call of each checker makes, at its default
    level, measured on constant counts (a cheap run)."""
    levels = _counting(monkeypatch)
    out = {}

    def counts(d: int, l: int, k: int, trials: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        return np.full(trials, 20, dtype=np.int64), np.full(trials, 20, dtype=np.int64)

    def labels(n: int, l: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros((m, n), dtype=np.int64), np.where(np.arange(m) % 2 == 0, 1.0, -1.0)

    calls = {
        "check_lemma_5_2": lambda: lemma_5_2.check_lemma_5_2(3, 3, 216, trials=5, sampler=counts),
        "check_lucky_probability": lambda: lemma_5_2.check_lucky_probability(
            3, 3, 216, trials=5, sampler=counts),
        "check_event_14": lambda: event_14.check_event_14(60, trials=5, sampler=labels),
    }
    for name, call in calls.items():
        levels.clear()
        call()
        assert levels, name
        out[name] = sum(levels)
    return out


def _const(node: ast.expr, env: dict[str, Any]) -> Any:
    """The value of a constant expression (``ALPHA / 2``, ``range(3, 9)``'s bounds) in the
    test module's globals."""
    return eval(compile(ast.Expression(node), "<budget>", "eval"), env)


def _multiplicity(loop: ast.For | ast.comprehension, env: dict[str, Any]) -> int:
    """The number of iterations of a loop over a literal or a range of constants."""
    it = loop.iter
    if isinstance(it, (ast.Tuple, ast.List)):
        return len(it.elts)
    if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range":
        return len(range(*(_const(a, env) for a in it.args)))
    raise AssertionError(f"cannot count the iterations of the loop at line {loop.iter.lineno}")


def _decisions(fn: ast.FunctionDef, module: ModuleType, helpers: dict[str, ast.FunctionDef],
               per_call: dict[str, float], seen: frozenset[str] = frozenset()) -> float:
    """Sum of the levels of the decisions one call of ``fn`` makes (before ``max(., MISS)``)."""
    env = vars(module)
    total = 0.0

    def visit(node: ast.AST, mult: int) -> None:
        nonlocal total
        if isinstance(node, (ast.For, ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            loops = [node] if isinstance(node, ast.For) else node.generators
            inner = mult
            for loop in loops:
                # a loop with no decision inside is not counted (it need not be countable)
                if _has_decision(node, helpers, seen | {fn.name}):
                    inner *= _multiplicity(loop, env)
            for child in ast.iter_child_nodes(node):
                visit(child, inner)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            kw = {k.arg: k.value for k in node.keywords}
            if name in DECISIONS:
                alpha = kw["alpha"] if "alpha" in kw else node.args[3]
                total += mult * float(_const(alpha, env))
            elif name in CHECKERS:
                scale = float(_const(kw["alpha"], env)) / 1e-9 if "alpha" in kw else 1.0
                total += mult * per_call[name] * scale
            elif name in helpers and name not in seen:
                total += mult * _decisions(helpers[name], module, helpers, per_call,
                                           seen | {fn.name})
        for child in ast.iter_child_nodes(node):
            visit(child, mult)

    for stmt in fn.body:
        visit(stmt, 1)
    return total


def _has_decision(node: ast.AST, helpers: dict[str, ast.FunctionDef], seen: frozenset[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
            name = sub.func.id
            if name in DECISIONS or name in CHECKERS:
                return True
            if name in helpers and name not in seen and _has_decision(
                    helpers[name], helpers, seen | {name}):
                return True
    return False


def _runs(fn: Callable[..., Any], profile: str) -> int:
    """How many times a run calls the test: examples of ``@given`` x parameters."""
    n = settings.get_profile(profile).max_examples if hasattr(fn, "hypothesis") else 1
    for mark in getattr(fn, "pytestmark", []):
        if mark.name == "parametrize":
            n *= len(mark.args[1])
    return n


def _budget(monkeypatch: pytest.MonkeyPatch, profile: str) -> tuple[int, float, dict[str, float]]:
    per_call = _checker_levels(monkeypatch)
    miss = importlib.import_module("properties.test_lemma_5_2").MISS
    decisions, total, by_test = 0, 0.0, {}
    for name in STATISTICAL_MODULES:
        module = importlib.import_module(name)
        tree = ast.parse(inspect.getsource(module))
        helpers = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        for fname, f in helpers.items():
            if not fname.startswith("test_"):
                continue
            level = _decisions(f, module, helpers, per_call)
            if level:
                runs = _runs(getattr(module, fname), profile)
                count = round(level / 1e-9)  # decisions, in units of the default level
                decisions += runs * count
                total += runs * max(level, count * miss)
                by_test[f"{name}::{fname}"] = runs * level
    return decisions, total, by_test


def test_false_alarm_budget__ci_run_within_the_stated_budget(monkeypatch):
    decisions, total, by_test = _budget(monkeypatch, "ci")
    assert decisions > 300, by_test  # every statistical test module was counted
    assert total <= BUDGET, (decisions, total, by_test)


def test_false_alarm_budget__counts_a_decision_in_a_loop_and_per_example(monkeypatch):
    """The counting itself, on a planted module: 2 examples' worth of loops of decisions."""
    source = '''
ALPHA = 1e-9
def helper(x):
    return binomial_test(1, 2, 0.5, ALPHA / 2)
def test_a():
    for d in (3, 4, 5):
        binomial_test(1, 2, 0.5, ALPHA)
    [helper(i) for i in range(4)]
    check_event_14(50, alpha=ALPHA / 10)
'''
    module = ModuleType("planted")
    module.ALPHA = 1e-9
    tree = ast.parse(source)
    helpers = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    level = _decisions(helpers["test_a"], module, helpers, {"check_event_14": 2e-9})
    assert level == pytest.approx(3e-9 + 4 * 0.5e-9 + 0.2e-9)
    bad = ast.parse("def test_b(xs):\n    for x in xs:\n        binomial_test(1, 2, 0.5, 1e-9)\n")
    with pytest.raises(AssertionError, match="cannot count"):
        _decisions(bad.body[0], module, {}, {})
