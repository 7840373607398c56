"""Imports go one way: core <- drafts <- review (and the other apps above drafts).

Read from the source with ``ast``, so an import added anywhere, at the top of a module or inside a
function, is checked: the engine never imports Django or the web apps, drafts never imports review
or any other app built on it, and no module imports itself back through a circle.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "licensebuilder"

# Each layer may import only the layers listed for it (and itself).
ALLOWED = {
    "core": {"core"},
    "drafts": {"core", "drafts"},
    "review": {"core", "drafts", "review"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The absolute names of everything ``path`` imports."""
    return _imports_of(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")


def _imports_of(source: str, name: str, is_package: bool = False) -> set[str]:
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in _import_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        else:
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)  # may name a submodule
    return found


def _import_nodes(node: ast.AST):
    """Every import statement, except those only type checkers run (``if TYPE_CHECKING:``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
            yield from (n for stmt in child.orelse for n in _import_nodes_of(stmt))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _import_nodes(child)


def _import_nodes_of(stmt: ast.stmt):
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        yield stmt
    yield from _import_nodes(stmt)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "licensebuilder" else None


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def test_no_layer_imports_a_layer_above_it():
    wrong = []
    for module, imports in _graph().items():
        allowed = ALLOWED.get(_layer(module) or "")
        if allowed is None:
            continue
        for name in imports:
            layer = _layer(name)
            if layer is not None and layer not in allowed:
                wrong.append(f"{module} imports {name}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_engine_never_imports_django():
    wrong = [
        f"{module} imports {name}"
        for module, imports in _graph().items()
        if _layer(module) == "core"
        for name in imports
        if name == "django" or name.startswith("django.")
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_module_imports_itself_through_a_circle():
    graph = _graph()
    modules = set(graph)
    edges = {m: {n for n in graph[m] if n in modules and n != m} for m in modules}
    state: dict[str, int] = {}
    circles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    assert not circles, "\n".join(circles)


def test_relative_and_late_imports_are_seen_and_type_checking_ones_are_not():
    source = (
        "from typing import TYPE_CHECKING\nfrom ..review import comments\n"
        "if TYPE_CHECKING:\n    from .wizard_views import step\n"
        "def f():\n    from licensebuilder.publish import cli\n"
    )
    found = _imports_of(source, "licensebuilder.drafts.views")
    assert {"licensebuilder.review.comments", "licensebuilder.publish.cli"} <= found
    assert "licensebuilder.drafts.wizard_views" not in found
    assert {_layer(n) for n in found} - ALLOWED["drafts"] - {None} == {"review", "publish"}
