"""The package layout holds its design: data flows one way, and no module imports in a circle.

Imports are read from the source (module level and inside functions alike); those under
`if TYPE_CHECKING:` are for type hints only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("parsers", "pipeline", "warehouse")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.AST) -> set[str]:
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _graph() -> dict[str, set[str]]:
    files = {p: _module(p) for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    modules = set(files.values())
    graph: dict[str, set[str]] = {}
    for path, name in files.items():
        found = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


GRAPH = _graph()


def _reaches(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in GRAPH.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_module_imports_itself_in_a_circle() -> None:
    # A package's __init__ importing its own submodules is not a cycle of design.
    circles = sorted(
        m for m in GRAPH if any(m in GRAPH[d] for d in _reaches(m) if not m.startswith(d + "."))
    )
    assert circles == []


@pytest.mark.parametrize(
    ("layer", "must_not_reach"),
    [
        ("parsers.readers", "parsers.reading"),
        ("parsers.reading", "parsers.readers"),
        ("parsers", "pipeline"),
        ("parsers", "warehouse"),
        ("warehouse", "pipeline"),
    ],
)
def test_layers_import_one_way(layer: str, must_not_reach: str) -> None:
    inside = [m for m in GRAPH if m == layer or m.startswith(layer + ".")]
    if layer == "parsers":  # the package front door and its settings gather every layer
        inside = [m for m in inside if m not in ("parsers", "parsers.settings")]
    bad = {
        m: sorted(
            x for x in _reaches(m) if x == must_not_reach or x.startswith(must_not_reach + ".")
        )
        for m in inside
    }
    assert {m: v for m, v in bad.items() if v} == {}


def test_the_warehouse_knows_no_document_format() -> None:
    reached = {x for m in GRAPH if m.startswith("warehouse") for x in _reaches(m)}
    assert not {x for x in reached if x.startswith(("parsers.readers", "parsers.reading"))}
