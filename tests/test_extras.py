"""The suite runs with only ``pip install -e . pytest``: every test that needs an optional extra
skips, naming the extra, rather than failing or stopping the collection."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = {"flint": "certify", "z3": "certify", "matplotlib": "plot", "sklearn": "digits",
          "sphinx": "docs", "myst_parser": "docs"}
SKIP = re.compile(r'importorskip\(\s*"(\w+)"\s*(?:,\s*reason\s*=\s*"([^"]*)")?')


def test_importorskip__every_extra_module_is_skipped_with_its_extras_name():
    bad = []
    for path in sorted([*ROOT.glob("tests/*.py"), *ROOT.glob("properties/*.py")]):
        for module, reason in SKIP.findall(path.read_text(encoding="utf-8")):
            if module in EXTRAS and f"the {EXTRAS[module]} extra" not in (reason or ""):
                bad.append(f"{path.name}: {module}")
    assert bad == [], "give these a reason naming the extra: " + ", ".join(bad)


def test_pyproject__the_extras_named_by_the_tests_exist():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for extra in set(EXTRAS.values()):
        assert re.search(rf"^{extra} = \[", text, re.M), extra
