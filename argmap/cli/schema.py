"""``argmap schema``: the JSON Schema of map files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import write_output


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the schema to this file instead of printing it.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of map files, for editors and CI validators.

    Point a TOML editor at it (Even Better TOML/Taplo, Tombi) to get completion, key
    descriptions and shape errors while writing a map. It checks the shape of a file;
    `argmap check` also checks ids and quotes.
    """
    from argmap.model.schema import schema_bytes

    data = schema_bytes()
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_output(output, data)
