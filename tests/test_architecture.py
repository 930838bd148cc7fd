"""The house rules of the package, checked on the source (docs/architecture.md says why).

- no module under ``cc_analysis/`` is over 600 lines;
- the modules import each other without a cycle (imports inside functions count: a cycle
  dodged by a late import is still a cycle);
- no module, test, benchmark or notebook imports another module's private (``_name``) names or
  reaches into them as attributes;
- there is one ``Codebook`` class.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cc_analysis"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` in ``module`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(name: str, tree: ast.AST) -> list[tuple[str, str | None]]:
    """(module imported from, name imported or None) for every import in the file."""
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(name, node)
            out += [(source, a.name) for a in node.names]
    return out


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for name, path in MODULES.items():
        g.add_node(name)
        for source, imported in _imports(name, ast.parse(path.read_text(encoding="utf-8"))):
            target = f"{source}.{imported}" if f"{source}.{imported}" in MODULES else source
            if target in MODULES and target != name:
                g.add_edge(name, target)
    # a package's __init__ runs before any of its submodules: importing a submodule from
    # outside the package first imports the package itself
    for name in MODULES:
        parent = name.rsplit(".", 1)[0]
        if "." in name and parent in MODULES and parent != name:
            for src in list(g.predecessors(name)):
                if not src.startswith(parent + ".") and src != parent:
                    g.add_edge(src, parent)
    return g


def test_no_module_is_over_600_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these (each file owns one step): {long}"


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(_graph()))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + c[:1]) for c in cycles[:10])


def _private_uses(tree: ast.AST, name: str) -> list[str]:
    """Private names taken from cc_analysis modules: ``from cc_analysis.x import _y`` and
    ``module._y`` where ``module`` was imported from cc_analysis."""
    found = []
    aliases: set[str] = set()
    for source, imported in _imports(name, tree):
        if (source.startswith("cc_analysis") and source != name and imported
                and imported.startswith("_") and not imported.startswith("__")):
            found.append(f"from {source} import {imported}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _resolve(name, node).startswith("cc_analysis"):
            for a in node.names:
                if f"{_resolve(name, node)}.{a.name}" in MODULES:
                    aliases.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("cc_analysis"):
                    aliases.add(a.asname or a.name.split(".")[0])
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                found.append(ast.unparse(node))
    return found


def _sources() -> dict[str, tuple[str, str]]:
    """Every Python text of the project: (module name for relative imports, source)."""
    out = {str(p.relative_to(ROOT)): (name, p.read_text(encoding="utf-8"))
           for name, p in MODULES.items()}
    for folder in ("tests", "benchmarks"):
        for p in sorted((ROOT / folder).rglob("*.py")):
            out[str(p.relative_to(ROOT))] = (_module_name(p), p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(p.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        out[str(p.relative_to(ROOT))] = ("notebook", code)
    return out


@pytest.mark.parametrize("path", sorted(_sources()))
def test_no_private_names_cross_modules(path: str) -> None:
    name, source = _sources()[path]
    found = _private_uses(ast.parse(source), name)
    assert not found, f"{path} uses private names of other modules: {sorted(set(found))}"


def test_one_codebook_class() -> None:
    defined = [str(p.relative_to(ROOT)) for p in MODULES.values()
               for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(node, ast.ClassDef) and node.name == "Codebook"]
    assert defined == ["cc_analysis/codebook.py"], defined
