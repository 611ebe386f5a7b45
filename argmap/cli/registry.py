"""The table of argmap's commands: name, the module and function that run it, and the
line ``argmap --help`` shows.

As pip's command registry does, a command's module is imported only when that command
runs (typer turns every signature into options when it loads it), and ``argmap
--help`` lists the commands from this table alone. A test checks each summary against
its command's docstring.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer
import typer.main

if TYPE_CHECKING:
    from typer import _click


@dataclass(frozen=True, slots=True)
class Command:
    module: str
    function: str
    summary: str  # the first paragraph of the function's docstring


_BUILD = "argmap.cli.build"
_INTEROP = "argmap.cli.interop"
_PROJECT = "argmap.cli.project"

# In the order `argmap --help` lists them.
COMMANDS: dict[str, Command] = {
    "check": Command(_BUILD, "check", "Validate maps and report every problem; writes nothing."),
    "build": Command(
        _BUILD,
        "build",
        "Check maps, then write the HTML site and SVG diagrams to the output folder.",
    ),
    "evaluate": Command(
        "argmap.cli.evaluate",
        "evaluate",
        "Label every statement IN, OUT or UNDEC, with a one-line reason (docs/evaluation.md).",
    ),
    "handout": Command(
        "argmap.cli.handout",
        "handout",
        "Write a print-ready worksheet: diagram, standard form, questions (docs/handouts.md).",
    ),
    "export": Command(
        _INTEROP,
        "export",
        "Export a map to another format: argmap's JSON, the diagram, GraphML, AIF, Argdown, ...",
    ),
    "import": Command(
        _INTEROP,
        "import_",
        "Make a map file from AIF, Argdown or argmap JSON; report what could not be kept.",
    ),
    "render": Command(
        _INTEROP,
        "render",
        "Render one map as an HTML fragment to include from a static-site generator.",
    ),
    "init": Command(
        _PROJECT,
        "init",
        "Start a project: an example map, argmap.toml, editor schema, .gitignore, CI workflow.",
    ),
    "new": Command(
        _PROJECT, "new", "Add a map: arguments/NAME.toml with a title, a thesis and TODO comments."
    ),
    "fmt": Command(
        _PROJECT,
        "fmt",
        "Rewrite maps in the canonical order and layout, keeping every comment.",
    ),
    "schema": Command(
        "argmap.cli.schema",
        "schema",
        "Print the JSON Schema of map files, for editors and CI validators.",
    ),
    "serve": Command(
        _BUILD,
        "serve",
        "Build, serve the site on 127.0.0.1, rebuild on every change and reload the page.",
    ),
}


def load(name: str) -> _click.Command:
    """The command ``name``, its module imported now."""
    entry = COMMANDS[name]
    function = getattr(importlib.import_module(entry.module), entry.function)
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    one.command(name)(function)
    return typer.main.get_command(one)


class LazyCommands(Mapping[str, "_click.Command"]):
    """The commands of the ``argmap`` group, each loaded the first time it is looked up."""

    def __init__(self) -> None:
        self._loaded: dict[str, _click.Command] = {}

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self._loaded:
            self._loaded[name] = load(name)  # KeyError for an unknown name, as a dict
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)
