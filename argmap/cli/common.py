"""What several commands share: the PATHS argument, one checked map, writing ``-o FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli.failures import CommandLineError, InputFailedError
from argmap.diagnostics import environment_error

if TYPE_CHECKING:
    from argmap.analysis.graph import ArgumentGraph

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Map files, or folders searched for *.toml files. Default: arguments/",
        show_default=False,
    ),
]


def checked_map(path: Path, failure: str = "") -> ArgumentGraph:
    """The graph of one map file for commands that work on a single map.

    A folder or a missing file is a usage error; a map with errors is reported like
    ``argmap check`` does (then ``failure``, if given): exit 1.
    """
    from argmap.build.pipeline import check

    if path.is_dir():
        raise CommandLineError(f"{path} is a folder; name one map file")
    result = check([path])
    if result.errors or not result.graphs:
        raise InputFailedError(failure, diagnostics=result.diagnostics)
    (graph,) = result.graphs
    return graph


def write_output(path: Path, data: bytes) -> None:
    """Write a command's file (``-o FILE``) in one step (:func:`argmap.output.replace_file`):
    a link there is refused; a write the machine stops (a full disk, no permission) is an
    environment problem, and the previous file is then left whole."""
    from argmap.output import replace_file

    try:
        replace_file(path, data)
    except OSError as error:
        raise environment_error(
            error, f"cannot write {path}", f"; {path} was left as it was"
        ) from None
