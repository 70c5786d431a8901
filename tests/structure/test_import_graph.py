"""The package's import graph (README "Layout"): layers import downwards only, and no module imports itself
back through others. Every import counts, also the ones inside functions (a lazy import is still an arrow);
only imports under ``if TYPE_CHECKING:`` (never run) do not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pipelines"

# Lowest first. A module may import its own layer or any lower one, never a higher one.
LAYERS = (
    ("pipelines.settings", "pipelines.progress", "pipelines.indonesian"),
    ("pipelines.warehouse", "pipelines.dbt_project", "pipelines.ingest", "pipelines.sample"),
    ("pipelines.summary",),
    ("pipelines.operations",),
    ("pipelines.quality", "pipelines.reports", "pipelines.docs"),
    ("pipelines.resources",),
    ("pipelines.assets",),
    ("pipelines.definitions",),
    ("pipelines.cli",),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _import_nodes(tree: ast.AST):
    """Every import statement, except those under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking_only(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _import_nodes(node)


def imports_of(name: str) -> set[str]:
    """The package's modules ``name`` imports (``from pipelines.x import y`` is x.y when y is a module)."""
    found: set[str] = set()
    for node in _import_nodes(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif node.module and node.level == 0:
            targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for target in targets:
            if target in MODULES and target != name:
                found.add(target)
    # `from pipelines.quality import docs_process` names both the package and the module: keep the module.
    return {t for t in found if not any(o.startswith(t + ".") for o in found)}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer_of(name: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{name} belongs to no layer: add it to LAYERS (and to the README's layout)")


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        if name != "pipelines":
            layer_of(name)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "pipelines"))
def test_imports_point_downwards(name: str) -> None:
    upward = sorted(t for t in GRAPH[name] if layer_of(t) > layer_of(name))
    assert not upward, f"{name} imports a higher layer: {upward}"


def test_quality_never_imports_the_asset_layer() -> None:
    arrows = [(a, b) for a, targets in GRAPH.items() for b in targets]
    assert not [
        (a, b) for a, b in arrows if a.startswith("pipelines.quality") and b.startswith("pipelines.assets")
    ]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle({n: {t for t in ts if not n.startswith(t + ".")} for n, ts in GRAPH.items()})
    assert cycle is None, " -> ".join(cycle or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
