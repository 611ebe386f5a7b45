"""``argmap export``, ``argmap import`` and ``argmap render --fragment``.

They leave the work to :mod:`argmap.interop` and :mod:`argmap.build.fragment`, imported inside
the commands so that ``argmap --help`` does not load them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from argmap._gc import collector_paused
from argmap.cli.common import checked_map, write_output
from argmap.cli.failures import CommandLineError, InputFailedError
from argmap.diagnostics import environment_error


def _formats() -> str:
    from argmap.interop.formats import export_formats

    return ", ".join(export_formats())


_FORMATS = _formats()  # this module is loaded only when one of its commands runs


def export(
    map_file: Annotated[
        Path, typer.Argument(metavar="MAP", help="The map file to export.", show_default=False)
    ],
    to: Annotated[str, typer.Option("--to", "-t", help=f"The format: {_FORMATS}.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default: standard output; png and pdf need a file).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds Graphviz may take (svg, png, pdf).")
    ] = 120.0,
) -> None:
    """Export a map to another format: argmap's JSON, the diagram, GraphML, AIF, Argdown, ...

    The map is checked first; a map with errors is not exported (exit 1).
    """
    from argmap.interop import BINARY_FORMATS, EXPORT_FORMATS
    from argmap.interop import export as run_export

    fmt = to.lower()
    if fmt not in EXPORT_FORMATS:
        raise CommandLineError(f"unknown format {to!r}: use one of {_FORMATS}")
    if fmt in BINARY_FORMATS and output is None:
        raise CommandLineError(f"{fmt} is a binary format: name the file to write with -o FILE")
    if not map_file.is_file():
        raise CommandLineError(f"{map_file} is not a map file")
    graph = checked_map(map_file, f"{map_file} has errors; nothing was exported")
    data = run_export(graph, fmt, timeout=timeout)
    if output is None:
        assert isinstance(data, str)
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    write_output(output, data if isinstance(data, bytes) else data.encode("utf-8"))
    typer.echo(f"wrote {output} ({fmt})", err=True)


@collector_paused()
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="AIF JSON (AIFdb or OVA3/xAIF), Argdown, or argmap's JSON.", show_default=False
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the map to this file, e.g. arguments/NAME.toml (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
) -> None:
    """Make a map file from AIF, Argdown or argmap JSON; report what could not be kept.

    The map written passes `argmap check`; anything of the input that argmap cannot hold
    is listed on standard error. Exit 1 when the input cannot be made into a map.
    """
    from argmap.interop import ImportFailedError, import_map

    if not file.is_file():
        raise CommandLineError(f"{file} does not exist or is not a file")
    if output is not None and output.exists() and not force:
        raise CommandLineError(f"{output} exists; choose another name or add --force")
    try:
        result = import_map(file, folder=None if output is None else output.parent)
    except ImportFailedError as error:
        raise InputFailedError(errors=[str(error)]) from None
    for line in result.report:
        typer.echo(f"  {line}", err=True)
    if output is None:
        sys.stdout.write(result.text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise environment_error(error, f"cannot write {output}") from None
    write_output(output, result.text.encode("utf-8"))
    typer.echo(f"wrote {output}; check it with `argmap check {output}`", err=True)


def render(
    map_file: Annotated[
        Path, typer.Argument(metavar="MAP", help="The map file to render.", show_default=False)
    ],
    fragment: Annotated[
        bool,
        typer.Option(
            "--fragment",
            help="An HTML fragment (diagram, outline, scoped CSS) to include in another page.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    node: Annotated[
        str | None,
        typer.Option(
            "--node",
            metavar="ID",
            help="Only the sub-tree under this statement.",
            show_default=False,
        ),
    ] = None,
    outline: Annotated[
        bool, typer.Option("--outline/--no-outline", help="Include the outline.")
    ] = True,
    id_prefix: Annotated[
        str | None,
        typer.Option(
            "--id-prefix",
            help="Start every id with this (default: argmap-PAGE[-NODE]); give each copy of "
            "a map on one page its own.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds Graphviz may take.")] = 120.0,
) -> None:
    """Render one map as an HTML fragment to include from a static-site generator.

    The map is checked first; a map with errors is not rendered (exit 1).
    """
    from argmap.build.fragment import render_fragment

    if not fragment:
        raise CommandLineError("say what to render: --fragment (the only form so far)")
    if not map_file.is_file():
        raise CommandLineError(f"{map_file} is not a map file")
    graph = checked_map(map_file, f"{map_file} has errors; nothing was rendered")
    html = render_fragment(graph, node=node, outline=outline, id_prefix=id_prefix, timeout=timeout)
    if output is None:
        sys.stdout.write(html)
        sys.stdout.flush()
        return
    write_output(output, html.encode("utf-8"))
    typer.echo(f"wrote {output} (HTML fragment)", err=True)
