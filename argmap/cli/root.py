"""The ``argmap`` command: its options (``--version``, ``--help``), the group that loads
each command from :mod:`argmap.cli.registry` when it runs, and :func:`main`.

Exit codes (docs/cli.md): 0 ok, 1 the input has errors (or warnings with --strict),
2 usage error, 3 environment problem, 130 Ctrl-C; :mod:`argmap.cli.failures` maps a
command's exceptions to them.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from argmap import __version__
from argmap.cli.failures import exit_code
from argmap.cli.registry import COMMANDS, LazyCommands
from argmap.diagnostics import ExitCode

if TYPE_CHECKING:
    from typer import _click


class ArgmapGroup(TyperGroup):
    """typer's group with the commands of the registry, and one ``except`` for all."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()  # type: ignore[assignment]  # a read-only mapping

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The list of ``argmap --help``, from the summaries: no command is loaded."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name=name, help=entry.summary).get_short_help_str(limit))
            for name, entry in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt) as error:
            code = exit_code(error)
            if code is None:
                raise
            raise typer.Exit(code) from None


app = typer.Typer(
    name="argmap",
    cls=ArgmapGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"argmap {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Turn argument maps written in TOML into HTML pages with SVG diagrams.

    Exit codes: 0 ok, 1 the input has errors, 2 usage error, 3 environment problem.
    """


def main() -> None:
    """The console script ``argmap`` and ``python -m argmap``."""
    try:
        app()
    except (Exception, KeyboardInterrupt) as error:  # outside a command (while parsing)
        code = exit_code(error)
        if code is None:
            raise
        raise SystemExit(code) from None
    finally:
        # The process ends now: its last garbage collections need not walk every object
        # the command made. Modules are still torn down and exit handlers run.
        gc.freeze()
