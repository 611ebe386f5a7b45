"""The one place where a command's failure becomes a message and an exit code.

Commands raise; :func:`exit_code` prints what went wrong (the file, the line, what to
do) and gives the documented exit code (docs/cli.md): 1 the input cannot be used, 2 the
command line asks for something argmap will not do, 3 the machine stopped the command,
130 Ctrl-C. An exception it does not know is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import typer

from argmap.cli.printing import report
from argmap.diagnostics import (
    Diagnostic,
    ExitCode,
    SetupError,
    environment_error,
    is_environment_error,
)

if TYPE_CHECKING:
    from argmap.report import OutputFormat

INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class CommandLineError(Exception):
    """The command line asks for something that cannot be done (exit 2): ``--help``
    shows what it can ask."""


class RefusedError(Exception):
    """argmap will not do what was asked (a link, a folder it must not replace): exit 2,
    with a message that says what to do instead."""


class InputFailedError(Exception):
    """The input cannot be used (exit 1): its problems, then ``errors`` (``error: ...``),
    ``hint`` and ``after``. With none of them the command has said why already."""

    def __init__(
        self,
        after: str = "",
        *,
        diagnostics: Sequence[Diagnostic] = (),
        output_format: OutputFormat | None = None,
        errors: Sequence[str] = (),
        hint: str = "",
    ) -> None:
        super().__init__(after)
        self.after = after
        self.diagnostics = list(diagnostics)
        self.output_format = output_format
        self.errors = list(errors)
        self.hint = hint


class InterruptError(Exception):
    """Ctrl-C, with what the command left as it was (exit 130)."""


def cannot(error: OSError, verb: str = "write") -> SetupError:
    """A file ``init``, ``new`` or ``fmt`` cannot read or write (exit 3)."""
    where = f" {error.filename}" if error.filename else ""
    return SetupError(
        f"cannot {verb}{where}: {error.strerror or error}",
        "check that the folder exists and that you may write to it",
    )


def _usage(message: str, about_the_command_line: bool) -> int:
    typer.secho(f"usage error: {message}", fg="red", err=True)
    if about_the_command_line:
        typer.echo("Try 'argmap --help'.", err=True)
    return ExitCode.USAGE_ERROR


def _environment(error: SetupError) -> int:
    typer.secho(f"error: {error.message}", fg="red", bold=True, err=True)
    if error.hint:
        typer.echo(f"  hint: {error.hint}", err=True)
    return ExitCode.ENVIRONMENT_ERROR


def _input(failure: InputFailedError) -> int:
    if failure.diagnostics:
        report(failure.diagnostics, failure.output_format)
    for error in failure.errors:
        typer.secho(f"error: {error}", fg="red", bold=True, err=True)
    if failure.hint:
        typer.echo(f"  hint: {failure.hint}", err=True)
    if failure.after:
        typer.echo(failure.after, err=True)
    return ExitCode.INPUT_ERROR


def _interrupted(error: BaseException) -> int:
    typer.echo(str(error) or "interrupted", err=True)
    return INTERRUPTED


def _machine(error: OSError) -> int | None:
    """An OSError no command expected: exit 3 when the machine caused it (a full disk)."""
    if isinstance(error, SetupError):
        return _environment(error)
    if is_environment_error(error):
        return _environment(environment_error(error, "cannot go on"))
    return None


# argmap's own errors that mean exit 2 (all ValueErrors), by module and class name:
# imported only when a command has failed, so that start-up loads none of these
# modules. Refusals come first (OutsideProjectError is a kind of UsageError).
_REFUSALS = (
    ("argmap.output", "OutputFolderRefusedError"),
    ("argmap.output", "LinkedTargetError"),
    ("argmap.build.pipeline", "OutsideProjectError"),
    ("argmap.scaffold", "LinkOutOfProjectError"),
)
_USAGE = (
    ("argmap.build.pipeline", "UsageError"),
    ("argmap.scaffold", "ScaffoldError"),
    ("argmap.teach.handout", "HandoutError"),
    ("argmap.build.fragment", "FragmentError"),
)


def error_classes(names: Sequence[tuple[str, str]]) -> tuple[type[BaseException], ...]:
    """The classes named, imported now."""
    found = []
    for module, name in names:
        kind = getattr(importlib.import_module(module), name)
        assert isinstance(kind, type) and issubclass(kind, BaseException), (module, name)
        found.append(kind)
    return tuple(found)


def _argmap_error(error: ValueError) -> int | None:
    if isinstance(error, error_classes(_REFUSALS)):
        return _usage(str(error), about_the_command_line=False)
    if isinstance(error, error_classes(_USAGE)):
        return _usage(str(error), about_the_command_line=True)
    return None


# In order: the first class an exception is an instance of picks its handler.
_HANDLERS: tuple[tuple[type[BaseException], Callable[[Any], int | None]], ...] = (
    (CommandLineError, lambda error: _usage(str(error), about_the_command_line=True)),
    (RefusedError, lambda error: _usage(str(error), about_the_command_line=False)),
    (InputFailedError, _input),
    (InterruptError, _interrupted),
    (KeyboardInterrupt, _interrupted),
    (OSError, _machine),
    (ValueError, _argmap_error),
)


def exit_code(error: BaseException) -> int | None:
    """Print what went wrong and return the exit code; None for an exception that is not
    a failure of the input, the command line or the machine (a bug: re-raise it)."""
    for kind, handle in _HANDLERS:
        if isinstance(error, kind):
            return handle(error)
    return None
