"""The import graph of `portal/`, built from the code: one-way layers, no cycles.

core imports no feature; each feature imports core and the features listed before
it; the panel sits on top; only the composition root (`portal/__init__.py`) names
everything. Imports inside functions and under TYPE_CHECKING count too: a cycle
hidden in a function is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"

# Bottom to top. A package may import itself and the packages before it, never after.
LAYERS = ("core", "pages", "uploads", "notifications", "audit", "auth", "referrals", "panel")
NOT_CODE = {"migrations", "templates", "__pycache__"}


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "portal":
        return None
    return parts[1] if len(parts) > 1 else "portal"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "portal":
                found.update(f"portal.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def package_graph(root: Path = PORTAL) -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the files that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if NOT_CODE & set(rel.parts):
            continue
        source = rel.parts[0] if len(rel.parts) > 1 else "portal"
        for module in _imports(path):
            target = _package_of(module)
            if target and target != source:
                graph[source][target].add(str(rel))
    return graph


def _cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, {})):
            if nxt == path[0]:
                cycles.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return cycles


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in PORTAL.iterdir() if p.is_dir() and p.name not in NOT_CODE}
    assert packages == set(LAYERS), "place a new package in LAYERS (and the README's map)"


def test_only_the_factory_lives_at_the_top_of_portal() -> None:
    loose = sorted(p.name for p in PORTAL.glob("*.py") if p.name != "__init__.py")
    assert loose == [], "modules belong to a layer's package, not beside the factory"


def test_no_cycle_between_packages() -> None:
    assert _cycles(package_graph()) == []


@pytest.mark.parametrize("package", LAYERS)
def test_imports_go_downwards_only(package: str) -> None:
    allowed = set(LAYERS[: LAYERS.index(package)])
    upward = {
        target: sorted(files)
        for target, files in package_graph().get(package, {}).items()
        if target not in allowed
    }
    assert upward == {}, f"{package} imports packages above it"


def test_the_checker_sees_a_cycle(tmp_path: Path) -> None:
    # The graph is built from the code, so a planted upward import must show.
    for name, body in {
        "core": "from portal.panel import x\n",
        "panel": "from portal.core import y\n",
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
        (tmp_path / name / "m.py").write_text(f"def f():\n    {body}")
    graph = package_graph(tmp_path)
    assert graph["core"]["panel"] == {"core/m.py"}
    assert _cycles(graph) == [["core", "panel", "core"]]
