"""Sphinx configuration of the ``verify`` documentation site.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.

- ``sphinx.ext.autodoc`` reads the API reference from the code, so it cannot drift from it;
- ``sphinx.ext.napoleon`` renders the numpy-style sections (``Parameters``, ``Attributes``, ...)
  the docstrings use;
- ``myst_parser`` keeps the pages in Markdown, like the README;
- the theme is ``alabaster``, which ships with Sphinx (no further dependency);
- ``docs/_ext/verify_docs.py`` generates the API reference (one page per public module, in
  ``docs/api/``, rewritten at each build) and the command-line reference (each command's
  ``--help``), so that neither can drift;
- ``nitpicky`` is on: with ``-W`` every cross-reference must resolve. Names of other packages
  (NumPy, pandas, Dask, ...) have no inventory to resolve against (the build is offline), so
  :data:`nitpick_ignore_regex` exempts those, and only those.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

project = "verify"
author = "the verify authors"
copyright = "the verify authors"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "myst_parser", "verify_docs"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]
html_theme = "alabaster"
html_static_path: list[str] = []

napoleon_numpy_docstring = True
napoleon_google_docstring = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True, "show-inheritance": False}

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

nitpicky = True
# Targets with no page to resolve to: the names of other packages and of the standard library
# (no inventory: the build is offline), and private names (a part starting with "_": they are
# not in the API reference, whose pages are the public modules).
_EXTERNAL = ("numpy", "np", "collections", "pathlib", "os", "enum", "fractions", "typing",
             "sympy", "sp", "hypothesis", "st", "pandas", "pd", "dask", "distributed", "scipy",
             "sklearn", "matplotlib", "flint", "z3", "numba", "argparse", "random", "datetime",
             "concurrent", "contextlib", "dataclasses", "types", "json", "io", "decimal",
             "re", "pyarrow", "pa", "pq", "tqdm", "clarabel", "torch", "mpmath")
nitpick_ignore_regex = [
    (r"py:.*", rf"({'|'.join(_EXTERNAL)})(\..*)?"),
    (r"py:.*", r"(.*\.)?_[A-Za-z0-9].*"),
]
