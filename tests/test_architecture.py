"""The shape of the package: no import cycle, and each layer imports only those below.

model (the map as data) < analysis (graph, evaluation, lint) < render (diagram, pages)
< teach and interop < build (running the stages) < cli. Modules at the top of the
package (diagnostics, codes, markdown, config, ...) and the ``output`` package (the
writing of files) are shared by all layers; ``output`` imports none of them, and is
imported as a whole (``from argmap.output import ...``). Imports inside functions count
too: they are how a command avoids loading what it does not use, not a way around the
layers. And files are written in one place (docs/architecture.md, "Four rules").
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


# Where a file may be written, beside argmap.output: new files of `argmap init` and
# `argmap new`, and the temporary files Graphviz reads and writes.
OTHER_WRITERS = {"argmap.scaffold", "argmap.render.layout"}
# Calls that write, copy or delete a file or make a temporary one.
_WRITING_CALLS = {"write_bytes", "write_text", "copyfile", "copy2", "copytree", "rmtree"}
_WRITING_CALLS |= {"move", "mkstemp", "mkdtemp", "symlink_to", "hardlink_to", "touch"}


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


def test_writing_files_is_below_every_layer() -> None:
    imports = _imports()
    writing = [m for m in imports if m == "argmap.output" or m.startswith("argmap.output.")]
    assert writing
    assert {(m, t) for m in writing for t in imports[m] if _layer(t) is not None} == set()


def test_the_output_package_is_imported_as_a_whole() -> None:
    inside = {m for m in _modules() if m.startswith("argmap.output.")}
    outside = {
        (module, target)
        for module, targets in _imports().items()
        if not module.startswith("argmap.output")
        for target in targets & inside
    }
    assert outside == set()


def _writes(call: ast.Call) -> bool:
    """Whether ``call`` writes a file: by the name it calls, or an open's mode
    (``open(path, mode)``, ``os.fdopen(fd, mode)``, ``Path.open(mode)``; ``os.open``
    writes through ``os.fdopen``)."""
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if name in _WRITING_CALLS:
        return True
    on_path = isinstance(function, ast.Attribute) and getattr(function.value, "id", "") != "os"
    if name == "fdopen" or (name == "open" and not isinstance(function, ast.Attribute)):
        positional = call.args[1:2]
    elif name == "open" and on_path:
        positional = call.args[:1]
    else:
        return False
    modes = [*positional, *(k.value for k in call.keywords if k.arg == "mode")]
    return any(
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and bool(set(mode.value) & set("wax+"))
        for mode in modes
    )


def test_files_are_written_only_by_the_output_package_and_the_named_few() -> None:
    writers = {
        name
        for name, path in _modules().items()
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(call, ast.Call) and _writes(call)
    }
    output = {"argmap.output.files", "argmap.output.folder", "argmap.output.store"}
    assert output | OTHER_WRITERS <= writers  # the check sees the writes there are
    assert writers - output - OTHER_WRITERS == set()
