"""The examples in the docstrings of every module of :mod:`verify` run and print what they say.

Modules are discovered, so a new module's examples are run without listing it here; a module
without examples gets no test (``test_doctests__some_modules_have_examples`` keeps the discovery
honest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import verify

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _module_names() -> list[str]:
    names = ["verify"]
    for info in pkgutil.walk_packages(verify.__path__, "verify."):
        if info.name.rsplit(".", 1)[-1] != "__main__":  # running those starts a CLI
            names.append(info.name)
    return sorted(names)


OPTIONAL = {"flint": "certify", "z3": "certify", "matplotlib": "plot", "sklearn": "digits",
            "sphinx": "docs", "myst_parser": "docs"}
"""The top-level modules of the optional extras, and the extra that installs each."""


def _missing_extra(name: str) -> str | None:
    """The extra that module ``name`` needs and that is not installed (else ``None``)."""
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top in OPTIONAL:
            return f"needs the {OPTIONAL[top]} extra ({top} is not installed)"
        raise
    return None


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    return [t for t in tests if t.examples]


def _params() -> list:
    out = []
    for name in _module_names():
        reason = _missing_extra(name)
        if reason is not None:
            out.append(pytest.param(name, marks=pytest.mark.skip(reason=f"{name}: {reason}")))
        elif _examples(name):
            out.append(name)
    return out


PARAMS = _params()
MODULES = [p if isinstance(p, str) else p.values[0] for p in PARAMS]


def test_doctests__some_modules_have_examples():
    assert {"verify.model.network", "verify.rng", "verify.model.setting",
            "verify.model.lucky"} <= set(MODULES)


@pytest.mark.parametrize("name", PARAMS)
def test_doctests__examples_run(name):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in _examples(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
