"""``tests/slow.py``: which tests the fast subset (``pytest -m "not slow"``) leaves out."""

from __future__ import annotations

from tests.slow import SLOW, is_slow


def test_is_slow__exact_parametrised_and_prefix_entries():
    listed = ("t.py::a", "t.py::b[x-1]", "t.py::c[check_fails-VIOLATED")
    assert is_slow("t.py::a", listed)
    assert is_slow("t.py::a[3]", listed)
    assert not is_slow("t.py::ab", listed)
    assert is_slow("t.py::b[x-1]", listed)
    assert not is_slow("t.py::b[x-2]", listed)
    assert is_slow("t.py::c[check_fails-VIOLATED inside]", listed)
    assert not is_slow("t.py::c[check_holds]", listed)


def test_slow__entries_name_test_files_that_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing = sorted({e.split("::")[0] for e in SLOW if not (root / e.split("::")[0]).is_file()})
    assert not missing, f"tests/slow.py lists files that do not exist: {missing}"


def test_slow__entries_name_test_functions_that_exist():
    """A renamed or deleted test would silently lose its mark (and the fast subset would slow
    down): every entry's function (or Class::method) must be defined in its file."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    defined: dict[str, set[str]] = {}
    for entry in SLOW:
        path, _, name = entry.partition("::")
        if path not in defined:
            tree = ast.parse((root / path).read_text(encoding="utf-8"))
            names = {n.name for n in tree.body
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            names |= {f"{c.name}::{f.name}" for c in tree.body if isinstance(c, ast.ClassDef)
                      for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
            defined[path] = names
        assert name.split("[")[0] in defined[path], f"tests/slow.py: {entry} is not defined"
