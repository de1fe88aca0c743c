"""The package's layout: the direction of use between its folders, no circle of imports, modules
of a readable size, and every claim declared once (``verify/claims/__init__.py``).

The layers, bottom to top: the foundation (``verify.rng``, ``verify.accelerate``,
``verify._validate``, ``verify._cli``, ``verify._files``, ``verify._dask``, ``verify._plot``),
``verify.evidence`` (what checkers return), ``verify.model`` (the paper's model),
``verify.claims`` (one module per claim), and the machinery that runs and renders claims
(``verify.report``, ``verify.fuzzing``, ``verify.experiments``, and whatever else sits at the
top). A module may import from its own layer and the layers below it.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import verify
from verify.claims import CLAIM_MODULES, declarations
from verify.evidence.claim import ClaimDeclaration

ROOT = Path(verify.__file__).parent
MAX_LINES = 550  # "about 500"
FOUNDATION = {"rng", "accelerate", "_validate", "_cli", "_files", "_dask", "_plot", "certify"}

LAYERS = {
    "foundation": 0,
    "evidence": 1,
    "model": 2,
    "claims": 3,
    "machinery": 4,
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in FOUNDATION:
        return LAYERS["foundation"]
    return LAYERS.get(parts[1], LAYERS["machinery"])


def _imports(module: str) -> set[str]:
    """The modules of :mod:`verify` that ``module`` imports, anywhere in its body."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("verify"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            if not base.startswith("verify"):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.add(sub if sub in MODULES else base)
    return {m for m in out if m in MODULES and m != module}


GRAPH = {m: _imports(m) for m in MODULES}


def test_layout__the_folders_say_what_they_hold():
    for folder in ("model", "claims", "evidence", "report", "fuzzing"):
        assert (ROOT / folder / "__init__.py").is_file(), folder
    assert (ROOT / "model" / "network.py").is_file()
    assert (ROOT / "claims" / "lemma_5_3.py").is_file()
    assert (ROOT / "report" / "__main__.py").is_file()


def _upward(module: str) -> list[str]:
    return sorted(m for m in GRAPH[module] if _layer(m) > _layer(module))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layout__imports_go_down_the_layers(module):
    up = _upward(module)
    assert not up, f"{module} (layer {_layer(module)}) imports from a layer above it: {up}"


def test_layout__an_upward_import_is_found(monkeypatch):
    monkeypatch.setitem(GRAPH, "verify.model.network", {"verify.claims.lemma_5_3"})
    assert _upward("verify.model.network") == ["verify.claims.lemma_5_3"]
    assert _layer("verify.report.runner") > _layer("verify.claims.lemma_5_3") > _layer(
        "verify.model.network") > _layer("verify.evidence.stats") > _layer("verify.rng")


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(GRAPH[m]):
            if state.get(n) == 1:
                return [*stack[stack.index(n):], n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_layout__no_circle_of_imports():
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_layout__the_cycle_finder_finds_a_planted_circle(monkeypatch):
    monkeypatch.setitem(GRAPH, "verify.model.setting", {*GRAPH["verify.model.setting"],
                                                        "verify.model.network"})
    monkeypatch.setitem(GRAPH, "verify.model.network", {*GRAPH["verify.model.network"],
                                                        "verify.model.setting"})
    assert _cycle() is not None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layout__modules_are_about_500_lines_at_most(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (> {MAX_LINES})"


def test_declarations__one_per_claim_module_with_unique_keys_and_names():
    decls = declarations()
    assert len(decls) == len(CLAIM_MODULES)
    assert all(isinstance(d, ClaimDeclaration) for d in decls)
    assert [d.module for d in decls] == list(CLAIM_MODULES)
    keys = [d.key for d in decls]
    names = [n for d in decls for n in d.names]
    assert len(set(keys)) == len(keys)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("module", CLAIM_MODULES)
def test_declarations__checkers_live_in_the_claims_package(module):
    decl = importlib.import_module(module).DECLARATION
    assert decl.checkers
    for fn in (*decl.checkers, decl.report_checks):
        assert fn.__module__ == module or fn.__module__.startswith(module + "."), fn
    assert decl.statement
    assert decl.location


def test_declarations__reject_an_empty_statement():
    decl = declarations()[0]
    with pytest.raises(ValueError, match="statement"):
        ClaimDeclaration(key=decl.key, title=decl.title, names=decl.names, statement="",
                         location=decl.location, assumptions=(), checkers=(),
                         report_checks=decl.report_checks)


# --- comments and docs describe the code as it is: no tracker numbers (GUIDE.md, STYLE.md) ----

REPO = ROOT.parent
# the word for a tracker entry, singular or plural, any case, then spaces, "#" or "-" and a
# number (the examples are in test_tracker_numbers__found_where_cited); built from pieces so
# that this file does not match its own pattern
TRACKER_NUMBER = re.compile(r"\b" + "is" + r"sues?[\s#-]*\d", re.IGNORECASE)
GENERATED = {"_build", "api", "__pycache__"}  # docs/_build, docs/api: built, git-ignored


def _tracker_numbers(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TRACKER_NUMBER.search(line)]


def _documented_files() -> list[Path]:
    """The code and docs a reader of the repository sees: .py and .md files under verify/,
    tests/, properties/, docs/ and benchmarks/, README.md and pyproject.toml. MUTATION.md is
    a dated log of mutation runs (a history document) and may name the work it records."""
    files = [REPO / "README.md", REPO / "pyproject.toml"]
    for folder in ("verify", "tests", "properties", "docs", "benchmarks"):
        for path in sorted((REPO / folder).rglob("*")):
            parts = set(path.relative_to(REPO).parts)
            if (path.suffix in {".py", ".md"} and path.is_file() and not parts & GENERATED
                    and not any(p.startswith(".") for p in parts)):
                files.append(path)
    return files


def test_docs__no_tracker_numbers_in_code_or_docs():
    files = _documented_files()
    folders = {p.relative_to(REPO).parts[0] for p in files}
    assert folders >= {"README.md", "verify", "tests", "properties", "docs", "benchmarks"}
    found = {str(p.relative_to(REPO)): hits for p in files
             if (hits := _tracker_numbers(p.read_text(encoding="utf-8")))}
    assert not found, f"comments and docs cite tracker numbers (say what the code does): {found}"


@pytest.mark.parametrize(("text", "hits"), [
    ("x = 1  # " + "iss" + "ue 21: the Summary reads", 1),
    ('"""Tests (' + "iss" + 'ues 16, 21): the rows."""', 1),
    ("## " + "Iss" + "ue-24 and #5", 1),
    ("see " + "iss" + "ue #5", 1),
    ("the tissue 2 and the issued 3 are not tracker numbers; an issue with d = 3 neither", 0),
])
def test_tracker_numbers__found_where_cited(text, hits):
    assert len(_tracker_numbers(text)) == hits
