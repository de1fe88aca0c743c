"""Sphinx configuration of the ``verify`` documentation site.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.

- ``sphinx.ext.autodoc`` reads the API reference from the code, so it cannot drift from it;
- ``sphinx.ext.napoleon`` renders the numpy-style sections (``Parameters``, ``Attributes``, ...)
  the docstrings use;
- ``myst_parser`` keeps the pages in Markdown, like the README;
- the theme is ``alabaster``, which ships with Sphinx (no further dependency).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

project = "verify"
author = "the verify authors"
copyright = "the verify authors"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "myst_parser"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = []

napoleon_numpy_docstring = True
napoleon_google_docstring = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}

myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]
