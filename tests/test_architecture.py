"""The shape of the package: no import cycle, and each layer imports only those below.

model (the map as data) < analysis (graph, evaluation, lint) < render (diagram, pages)
< teach and interop < build (running the stages) < cli. Modules at the top of the
package (diagnostics, codes, markdown, output, config, ...) are shared by all layers.
Imports inside functions count too: they are how a command avoids loading what it
does not use, not a way around the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import argmap

PACKAGE = Path(argmap.__file__).parent
LAYERS = ("model", "analysis", "render", "teach|interop", "build", "cli")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("argmap", *path.relative_to(PACKAGE).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 3 and module not in ("argmap.model", "argmap.interop", "argmap.cli"):
        return None  # a module at the top of the package
    for rank, names in enumerate(LAYERS):
        if parts[1] in names.split("|"):
            return rank
    return None


def test_no_module_imports_itself_through_others() -> None:
    graph = _imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, path)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_each_layer_imports_only_the_layers_below() -> None:
    backward = {
        (module, target)
        for module, targets in _imports().items()
        for target in targets
        if (low := _layer(module)) is not None
        and (high := _layer(target)) is not None
        and high > low
    }
    assert backward == set()


def test_the_checks_see_every_package() -> None:
    layered = {m.split(".")[1] for m in _modules() if _layer(m) is not None}
    assert layered == {"model", "analysis", "render", "teach", "interop", "build", "cli"}
