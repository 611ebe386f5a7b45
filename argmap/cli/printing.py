"""What every command prints the same way: the problems found in maps, and progress lines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from argmap.diagnostics import Diagnostic, Severity, render_text

if TYPE_CHECKING:
    from argmap.build.pipeline import CheckResult
    from argmap.report import OutputFormat


def say(message: str, output_format: OutputFormat | None = None) -> None:
    """Progress for people: stdout in text format, stderr when stdout carries a report."""
    typer.echo(message, err=output_format is not None and output_format != "text")


def report(diagnostics: Sequence[Diagnostic], output_format: OutputFormat | None = None) -> None:
    """Problems as ``argmap check`` shows them: text on stderr, or a format for tools on
    stdout."""
    if output_format is not None and output_format != "text":
        from argmap.report import MACHINE_FORMATTERS

        typer.echo(MACHINE_FORMATTERS[output_format](list(diagnostics)), nl=False)
        return
    sources: dict[Path, str | None] = {}
    for diagnostic in diagnostics:
        color = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        head, _, rest = as_text(diagnostic, sources).partition("\n")
        typer.secho(head, fg=color, bold=True, err=True)
        if rest:
            typer.echo(rest, err=True)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    if diagnostics:
        typer.echo(f"{errors} error(s), {len(diagnostics) - errors} warning(s)", err=True)


def as_text(diagnostic: Diagnostic, sources: dict[Path, str | None]) -> str:
    """One problem in the text format, with its line of the file (read once into
    ``sources``; a file that cannot be read shows none)."""
    if diagnostic.path not in sources:
        try:
            sources[diagnostic.path] = diagnostic.path.read_text("utf-8-sig", errors="replace")
        except OSError:
            sources[diagnostic.path] = None
    return render_text(diagnostic, sources[diagnostic.path])


def report_quotes(result: CheckResult, output_format: OutputFormat | None) -> None:
    """The quote-check line of every map whose source text was read."""
    for path, quotes in result.quote_reports:
        if quotes.found:
            say(
                f"{path}: {quotes.checked} quote(s) checked against {quotes.source_file}",
                output_format,
            )
