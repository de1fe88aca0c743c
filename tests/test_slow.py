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
