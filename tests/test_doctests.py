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


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    return [t for t in tests if t.examples]


MODULES = [name for name in _module_names() if _examples(name)]


def test_doctests__some_modules_have_examples():
    assert {"verify.model.network", "verify.rng", "verify.model.setting",
            "verify.model.lucky"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests__examples_run(name):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in _examples(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
