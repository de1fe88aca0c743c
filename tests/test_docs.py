"""The documentation site (``docs/``): it builds with warnings as errors, its internal links
resolve, and every ``python`` code block of the tutorial runs.

The site is built once per session (about 10 seconds) into a temporary directory with the
build command of ``docs/conf.py``: ``python -m sphinx -W --keep-going -b html docs <out>``.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial.md"
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(text: str) -> list[str]:
    """The bodies of the ```` ```python ```` fenced blocks of a Markdown text, in order."""
    return FENCE.findall(text)


class _Links(HTMLParser):
    """Collects the ``id``s of a page and the targets of its ``href``s."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag in ("a", "link") and a.get("href"):
            self.hrefs.append(a["href"])


def broken_links(html_dir: Path) -> list[str]:
    """Every internal link of the site at ``html_dir`` whose page or anchor does not exist, as
    ``"page -> href"``. External links (with a scheme) are not followed."""
    pages: dict[Path, _Links] = {}
    for f in html_dir.rglob("*.html"):
        p = _Links()
        p.feed(f.read_text(encoding="utf-8"))
        pages[f.resolve()] = p
    bad = []
    for f, p in pages.items():
        for href in p.hrefs:
            u = urlsplit(href)
            if u.scheme or u.netloc:
                continue
            target = (f.parent / unquote(u.path)).resolve() if u.path else f
            if not target.exists():
                bad.append(f"{f.relative_to(html_dir.resolve())} -> {href}")
                continue
            if u.fragment and target.suffix == ".html" and u.fragment not in pages[target].ids:
                bad.append(f"{f.relative_to(html_dir.resolve())} -> {href}")
    return sorted(bad)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sphinx", reason="needs the docs extra (sphinx)")
    pytest.importorskip("myst_parser", reason="needs the docs extra (myst-parser)")
    out = tmp_path_factory.mktemp("site")
    html = out / "html"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(out / "doctrees"), str(DOCS), str(html)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
    return html


@pytest.mark.slow
def test_site__builds_with_warnings_as_errors_and_has_every_page(site):
    for page in ["index", "tutorial", "reference", "api/index", "cli", "report",
                 "explanation/verdicts", "explanation/statistics", "explanation/layers",
                 "how-to/sweep-on-a-cluster", "how-to/reproduce-a-finding",
                 "how-to/read-the-results"]:
        assert (site / f"{page}.html").is_file(), page


@pytest.mark.slow
def test_site__reference_documents_the_public_names(site):
    for name in ["verify.evidence.Evidence", "verify.evidence.claim.ClaimDeclaration",
                 "verify.evidence.sweep_spec.SweepSpec", "verify.model.setting.Setting",
                 "verify.claims.declarations", "verify.sweep.engine.run_sweep",
                 "verify.report.atlas.AtlasSpec", "verify.report.atlas.ATLAS",
                 "verify.model.assumptions.ASSUMPTIONS", "verify.claims.CLAIM_MODULES",
                 "verify.fuzzing.FuzzTarget", "verify.fuzzing.FuzzTarget.depends_on",
                 "verify.claims.section_5.combine"]:
        module = name.rsplit(".", 2 if name.endswith("depends_on") else 1)[0]
        text = (site / "api" / f"{module}.html").read_text(encoding="utf-8")
        assert f'id="{name}"' in text, name


def public_modules_on_disk(package: Path = ROOT / "verify") -> list[str]:
    """Every public module of the package, listed from the files (independently of the docs'
    extension): a ``.py`` file or package whose path has no part starting with ``_``."""
    found = set()
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(p.startswith("_") for p in parts[1:]):
            found.add(".".join(parts))
    return sorted(found)


@pytest.mark.slow
def test_site__every_public_module_has_an_api_page(site):
    """A public module with no API page: the docs' extension (docs/_ext/verify_docs.py) writes
    one per module at each build, so a miss means it skipped the module or its page failed."""
    missing = [m for m in public_modules_on_disk()
               if f'id="module-{m}"' not in _read(site / "api" / f"{m}.html")]
    assert not missing, ("public modules of verify/ without an API page in the built site "
                         f"(site/api/<module>.html with id module-<module>): {missing}")
    index = _read(site / "api" / "index.html")
    assert all(f"{m}.html" in index for m in public_modules_on_disk())


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def test_public_modules_on_disk__lists_packages_and_modules_not_private_ones():
    mods = public_modules_on_disk()
    assert {"verify", "verify.fuzzing", "verify.report.atlas", "verify.claims.lemma_5_2"} <= set(
        mods)
    assert not [m for m in mods if "._" in m or m.endswith("__main__")]


@pytest.mark.slow
def test_site__command_line_reference_is_each_commands_help(site):
    """docs/cli.md renders every command's --help at build time: the page holds each
    command's usage line and the exit-status table every command prints."""
    from verify._cli import EXIT_STATUSES

    text = _read(site / "cli.html")
    for command in ["verify.report", "verify.sweep", "verify.experiments", "verify.fuzzing",
                    "verify.certify"]:
        assert f"python -m {command}" in text, command
        assert f'id="cli-{command.replace(".", "-")}"' in text, command
    assert text.count("usage:") >= 5
    heading = html.escape(EXIT_STATUSES.splitlines()[0], quote=False)
    assert text.count(heading) >= 5, heading


@pytest.mark.slow
def test_site__has_no_broken_internal_link(site):
    assert broken_links(site) == []


def test_broken_links__finds_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<p id="x"></p><a href="a.html#x">ok</a>'
                                     '<a href="https://example.org/none">external</a>'
                                     '<a href="b.html">missing page</a>'
                                     '<a href="a.html#y">missing anchor</a>')
    assert broken_links(tmp_path) == ["a.html -> a.html#y", "a.html -> b.html"]


def test_python_blocks__extracts_only_python_fences():
    text = "x\n```python\na = 1\n```\n```bash\nls\n```\n```python\nb = 2\n```\n"
    assert python_blocks(text) == ["a = 1\n", "b = 2\n"]


def test_tutorial__every_python_block_runs_in_order():
    blocks = python_blocks(TUTORIAL.read_text(encoding="utf-8"))
    assert blocks, "the tutorial has no python block"
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"{TUTORIAL.name} block {i + 1}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message names the block
            raise AssertionError(f"tutorial block {i + 1} failed:\n{block}") from exc
