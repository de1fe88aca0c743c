"""Sphinx extension of the ``verify`` documentation site: the parts of the reference that are
generated, so that they cannot drift from the code.

- :func:`public_modules` lists every public module of the package from the source tree (a
  module or package whose dotted path has no part starting with ``_``), without importing it;
  at ``builder-inited`` the extension writes one API page per module into ``docs/api/``
  (``automodule`` with its members) and ``docs/api/index.rst``, their table of contents. A
  module added to ``verify/`` gets its page at the next build, with no edit here.
- :func:`commands` lists every command (``python -m <name>``): each package with a
  ``__main__.py`` and each public module that runs under ``if __name__ == "__main__":``. The
  ``verify-cli`` directive renders, for each, what ``python -m <name> --help`` prints (run in a
  subprocess at build time, 100 columns wide): the command-line reference is the parsers' own
  text. A command whose ``--help`` exits non-zero fails the build.
- A value that autodoc prints for a module constant (``:value:``) is cut to :data:`MAX_VALUE`
  characters: some constants are whole grids or declarations whose ``repr``
  runs to megabytes, which would make both the build and the page unusable.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "verify"
API_DIR = ROOT / "docs" / "api"
HELP_COLUMNS = "100"
MAX_VALUE = 200

#: The groups of the API index, by the module's first part under ``verify`` (in this order);
#: a module of any other part goes to "Other modules".
GROUPS = (
    ("model", "The model"),
    ("evidence", "Evidence, statistics and declarations"),
    ("claims", "The claims"),
    ("fuzzing", "Fuzzing the assumptions"),
    ("sweep", "Sweeps"),
    ("report", "The report"),
    ("certify", "Certificates"),
)


def _dotted(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _is_public(path: Path) -> bool:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return not any(p.startswith("_") for p in parts)


def public_modules(package: Path = PACKAGE) -> list[str]:
    """Every public module under ``package`` (dotted names, sorted, the package itself first):
    each ``.py`` file and package whose path below ``package`` has no part starting with
    ``_`` (``__init__.py`` stands for its package; ``__main__.py`` is never a module page)."""
    found = {_dotted(p) for p in package.rglob("*.py")
             if p.name != "__main__.py" and _is_public(p)
             and (p.name == "__init__.py" or (p.parent / "__init__.py").is_file())}
    return sorted(found, key=lambda m: (m.count(".") > 0, m))


def commands(package: Path = PACKAGE) -> list[str]:
    """Every command of the package, as ``python -m <name>`` takes it, sorted: each package
    with a ``__main__.py``, and each public module that runs under ``__name__ == "__main__"``."""
    found = {_dotted(p.parent / "__init__.py") for p in package.rglob("__main__.py")
             if _is_public(p.parent / "__init__.py")}
    for p in package.rglob("*.py"):
        if p.name in ("__init__.py", "__main__.py") or not _is_public(p):
            continue
        if 'if __name__ == "__main__":' in p.read_text(encoding="utf-8"):
            found.add(_dotted(p))
    return sorted(found)


def help_text(command: str) -> str:
    """What ``python -m <command> --help`` prints (``COLUMNS=100``), run from the repository
    root with this tree's ``verify`` first on the path; raises RuntimeError if it exits
    non-zero."""
    env = {**os.environ, "COLUMNS": HELP_COLUMNS,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", command, "--help"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"python -m {command} --help exited {proc.returncode}:\n"
                           f"{proc.stdout}{proc.stderr}")
    return proc.stdout.rstrip() + "\n"


def _is_data(obj: object) -> bool:
    return not (isinstance(obj, type) or inspect.ismodule(obj) or callable(obj))


def _page(module: str) -> str:
    """The page of one module: ``automodule`` with its members, then ``autodata`` for each
    constant of its ``__all__``. (autodoc documents a constant among a module's members only
    when it has a docstring, since it cannot tell a constant defined there from one imported;
    named in ``__all__``, each is the module's own, so each gets its entry.) A name of
    ``__all__`` that is also a submodule (a function ``f`` re-exported from its module
    ``f.py``) is left to that submodule's page, where it is defined: both would otherwise
    claim the same dotted name."""
    title = f"``{module}``"
    mod = importlib.import_module(module)
    names = list(getattr(mod, "__all__", ()))
    subs = {info.name for info in pkgutil.iter_modules(getattr(mod, "__path__", []))}
    clashes = [n for n in names if n in subs]
    data = [n for n in names if n not in subs and _is_data(getattr(mod, n, None))]
    lines = [title, "=" * len(title), "", f".. automodule:: {module}", "   :members:"]
    if clashes or data:
        lines.append(f"   :exclude-members: {', '.join(clashes + data)}")
    lines.append("")
    for n in data:
        lines += [f".. autodata:: {module}.{n}", ""]
    for n in clashes:
        lines += [f"``{n}`` is documented on its own module's page, :mod:`{module}.{n}`.", ""]
    return "\n".join(lines)


def _index(modules: list[str]) -> str:
    lines = ["API reference", "=============", "",
             "One page per public module of ``verify``, generated from the docstrings "
             "(numpy-style sections): the reference is read from the code and cannot drift "
             "from it. The public names of each module are those of its ``__all__``.", ""]
    groups: dict[str, list[str]] = {key: [] for key, _ in GROUPS}
    top: list[str] = []
    other: list[str] = []
    for m in modules:
        parts = m.split(".")
        if len(parts) <= 2 and not (len(parts) == 2 and parts[1] in groups):
            top.append(m)
        elif parts[1] in groups:
            groups[parts[1]].append(m)
        else:
            other.append(m)
    sections = [("The package and its foundations", top),
                *((title, groups[key]) for key, title in GROUPS), ("Other modules", other)]
    for title, mods in sections:
        if not mods:
            continue
        lines += [title, "-" * len(title), "", ".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   {m}" for m in mods]
        lines.append("")
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless it holds it already (so Sphinx rebuilds nothing)."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_api_pages(api_dir: Path = API_DIR, package: Path = PACKAGE) -> list[str]:
    """Write one page per public module and the index into ``api_dir``; remove the pages of
    modules that no longer exist. Returns the modules."""
    api_dir.mkdir(parents=True, exist_ok=True)
    modules = public_modules(package)
    for m in modules:
        _write(api_dir / f"{m}.rst", _page(m))
    _write(api_dir / "index.rst", _index(modules))
    keep = {f"{m}.rst" for m in modules} | {"index.rst"}
    for f in api_dir.glob("*.rst"):
        if f.name not in keep:
            f.unlink()
    return modules


class CommandLineReference(SphinxDirective):
    """``verify-cli``: one section per command (or only the commands named as arguments), each
    the literal text of its ``--help``."""

    optional_arguments = 50

    def run(self) -> list[nodes.Node]:
        names = list(self.arguments) or commands()
        out: list[nodes.Node] = []
        for name in names:
            text = help_text(name)
            section = nodes.section(ids=[nodes.make_id(f"cli-{name}")])
            section += nodes.title(text=f"python -m {name}")
            block = nodes.literal_block(text, text)
            block["language"] = "text"
            section += block
            out.append(section)
        return out


class _ShortValues:
    """Sphinx's ``sphinx.util.inspect`` module, as autodoc's loader sees it, whose
    ``object_description`` cuts its text to :data:`MAX_VALUE` characters, saying how long it
    was."""

    def __init__(self, module: object) -> None:
        self._module = module

    def __getattr__(self, name: str) -> object:
        return getattr(self._module, name)

    def object_description(self, obj: object, *args, **kwargs) -> str:
        text = self._module.object_description(obj, *args, **kwargs)
        if len(text) <= MAX_VALUE:
            return text
        return f"{text[:MAX_VALUE]} ... ({len(text)} characters; see the source)"


class _Field:
    """A class's annotated field that has no class attribute (a dataclass field without a
    default), named as its entry is: ``<class's module>.<class's qualname>.<field>``."""

    def __init__(self, cls: type, name: str) -> None:
        self.__module__ = cls.__module__
        self.__qualname__ = f"{cls.__qualname__}.{name}"


def _field(cls: type, name: str) -> _Field:
    """``cls``'s field ``name`` (from the annotations of it or a base); AttributeError if none."""
    if any(name in getattr(k, "__annotations__", {}) for k in cls.__mro__):
        return _Field(cls, name)
    raise AttributeError(name)


def _lookup(full: str, public: set[str]) -> tuple[str, object] | None:
    """The public module that holds the dotted name ``full`` and the object it names."""
    parts = full.split(".")
    for i in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:i])
        if module not in public:
            continue
        try:
            obj: object = importlib.import_module(module)
            names = parts[i:]
            for j, name in enumerate(names):
                if j == len(names) - 1 and isinstance(obj, type) and not hasattr(obj, name):
                    obj = _field(obj, name)  # a dataclass field without a default
                else:
                    obj = getattr(obj, name)
        except (ImportError, AttributeError):
            return None
        return module, obj
    return None


def _defines(module: str, name: str) -> bool:
    """Whether ``module``'s source assigns ``name`` at the top level."""
    path = PACKAGE.parent.joinpath(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return any(line.startswith((f"{name} =", f"{name}:", f"def {name}(", f"class {name}"))
               for line in text.splitlines())


def _find(target: str, context: str | None) -> tuple[str, object] | None:
    """The public module that holds ``target`` and the object it names, or None. ``target``
    is looked up as Python would from the module ``context`` and each package above it, then
    as an absolute name, then in the modules directly inside those packages (a name a
    package's docstring takes from one of its modules), when exactly one holds it."""
    public = set(public_modules())
    scopes = []
    while context:
        scopes.append(context)
        context = context.rpartition(".")[0]
    for full in [*(f"{s}.{target}" for s in scopes), target]:
        found = _lookup(full, public)
        if found is not None:
            return found
    for scope in scopes:
        inside = [m for m in public if m.rpartition(".")[0] == scope]
        hits = [f for f in (_lookup(f"{m}.{target}", public) for m in sorted(inside))
                if f is not None]
        objects = {id(obj) for _, obj in hits}
        if len(objects) == 1:  # one object (perhaps imported by several of the modules)
            name = target.rpartition(".")[2]
            defined = [h for h in hits if _defines(h[0], name)]
            return (defined or hits)[0]
    return None


def _on_missing_reference(app: Sphinx, env, node, contnode):
    """Resolve a Python cross-reference that names a real object with no entry of its own: a
    name the module imported (linked to the entry where it is defined, when there is one) or
    a constant kept out of ``__all__`` (linked to its module's page, where its source is).
    A name that names nothing stays unresolved, and nitpicky mode reports it."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    found = None
    if node.get("py:class") and node.get("py:module"):
        found = _find(f"{node['py:class']}.{target}", node.get("py:module"))
    found = found or _find(target, node.get("py:module"))
    if found is None:
        return None
    module, obj = found
    domain = env.get_domain("py")
    owner = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(owner, str) and isinstance(qualname, str):
        entry = domain.objects.get(f"{owner}.{qualname}")
        if entry is not None:
            return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id,
                                contnode, f"{owner}.{qualname}")
    entry = domain.modules.get(module)
    if entry is None:
        return None
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode,
                        module)


def _on_docstring(app: Sphinx, what: str, name: str, obj: object, options, lines) -> None:
    """Before napoleon reads a constant's docstring: drop one that is only its type's (autodoc
    gives a ``dict`` without a docstring of its own the docstring of ``dict``), and start the
    rest with an empty comment, so that napoleon does not take the text before the first colon
    of the first line for the constant's type (the type comes from the annotation)."""
    if what not in ("data", "attribute", "property") or not lines:
        return
    own = inspect.getdoc(type(obj)) or ""
    if "\n".join(lines).strip() == own.strip():
        lines[:] = []
    else:
        lines[0:0] = ["..", ""]  # an empty comment: napoleon reads it as the first line


def _on_builder_inited(app: Sphinx) -> None:
    write_api_pages()


def setup(app: Sphinx) -> dict[str, object]:
    try:  # the values autodoc prints for constants (not the defaults in signatures)
        from sphinx.ext.autodoc._dynamic import _loader
        from sphinx.util import inspect as sphinx_inspect

        if not isinstance(_loader.inspect, _ShortValues):
            _loader.inspect = _ShortValues(sphinx_inspect)
    except (ImportError, AttributeError):  # another Sphinx: values are printed whole
        pass
    app.connect("builder-inited", _on_builder_inited)
    app.add_directive("verify-cli", CommandLineReference)
    app.connect("missing-reference", _on_missing_reference)
    app.connect("autodoc-process-docstring", _on_docstring, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
