"""The ``argmap`` command line: ``check``, ``build`` and ``--version`` here; ``evaluate``,
``init``, ``new``, ``fmt`` and ``schema`` in the ``_cli_*`` modules.

Exit codes (docs/cli.md): 0 ok, 1 the input has errors (or warnings with --strict),
2 usage error, 3 environment problem (for example Graphviz missing). In the default text
format problems go to stderr, one block per problem, in the ``file:line:col:
error[CODE]: message`` form that editors and CI logs understand; ``--format
json|github|sarif`` writes them to stdout for tools instead.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from argmap import __version__
from argmap.diagnostics import (
    Diagnostic,
    ExitCode,
    InputError,
    SetupError,
    Severity,
    environment_error,
    is_environment_error,
    render_text,
)
from argmap.report import OutputFormat

if TYPE_CHECKING:  # the pipeline is imported by the commands, not by --version/--help
    from argmap.graph import ArgumentGraph
    from argmap.pipeline import CheckResult


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="argmap",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


app = _new_app()

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="text for people (stderr); json, github (workflow commands) or sarif for tools "
        "(stdout).",
        case_sensitive=False,
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Fail (exit 1) on warnings as well as errors.")
]

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Map files, or folders searched for *.toml files. Default: arguments/",
        show_default=False,
    ),
]


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


@app.command()
def check(
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.TEXT,
    strict: StrictOption = False,
) -> None:
    """Validate maps and report every problem; writes nothing."""
    from argmap.pipeline import UsageError
    from argmap.pipeline import check as run_check

    try:
        result = run_check(paths or [Path("arguments")])
    except UsageError as error:
        _usage_error(str(error))
    _report(list(result.diagnostics), output_format)
    _report_quotes(result, output_format)
    if _fails(result.diagnostics, strict):
        raise typer.Exit(ExitCode.INPUT_ERROR)
    _say(f"ok: {len(result.graphs)} map(s) checked, no errors", output_format)


@app.command()
def build(
    paths: PathsArgument = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output folder, replaced as a whole. Default: [site] out in argmap.toml, "
            "else build/",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            help="Folder of templates overriding the defaults. Default: [site] templates in "
            "argmap.toml, else ./templates if present."
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(min=1, help="Seconds Graphviz may take to lay out one map."),
    ] = 120.0,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Maps drawn at once (Graphviz processes). Default: the number of cores.",
            show_default=False,
        ),
    ] = None,
    handouts: Annotated[
        bool,
        typer.Option(
            "--handouts",
            help="Also write classroom handouts of every map (A4 and Letter, full and with "
            "premises blank) under handouts/, linked from its page.",
        ),
    ] = False,
    output_format: FormatOption = OutputFormat.TEXT,
    strict: StrictOption = False,
) -> None:
    """Check maps, then write the HTML site and SVG diagrams to the output folder."""
    from argmap._cli_site import progress_printer, site_paths
    from argmap.output import OutputFolderRefusedError
    from argmap.pipeline import UsageError
    from argmap.pipeline import build as run_build

    out, templates = site_paths(out, templates)
    if templates is not None and not templates.is_dir():
        _usage_error(f"the templates folder {templates} does not exist")
    started = time.perf_counter()
    try:
        with progress_printer() as progress:
            result = run_build(
                paths or [Path("arguments")],
                out,
                templates,
                timeout=timeout,
                strict=strict,
                jobs=jobs,
                progress=progress,
                handouts=handouts,
            )
    except (UsageError, OutputFolderRefusedError) as error:
        _usage_error(str(error))
    except InputError as error:
        _report(error.diagnostics, output_format)
        typer.echo(f"build failed; {out}/ was left as it was", err=True)
        raise typer.Exit(ExitCode.INPUT_ERROR) from None
    except KeyboardInterrupt:
        typer.echo(f"interrupted; {out}/ was left as it was", err=True)
        raise typer.Exit(130) from None
    except SetupError as error:
        _fail_environment(error)
    except OSError as error:  # a worker's write (a full disk): SiteWriter's own are SetupErrors
        if not is_environment_error(error):
            raise
        after = f"; {out}/ was left as it was"
        _fail_environment(environment_error(error, f"cannot write the site to {out}", after))
    _report(list(result.diagnostics), output_format)
    _report_quotes(result, output_format)
    elapsed = time.perf_counter() - started
    _say(f"built {len(result.graphs)} map(s) into {out}/ in {elapsed:.2f} s", output_format)


def _fails(diagnostics: Sequence[Diagnostic], strict: bool) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diagnostics)


def _say(message: str, output_format: OutputFormat) -> None:
    """Progress for people: stdout in text format, stderr when stdout carries a report."""
    typer.echo(message, err=output_format is not OutputFormat.TEXT)


def _report_quotes(result: CheckResult, output_format: OutputFormat) -> None:
    for path, report in result.quote_reports:
        if report.found:
            _say(
                f"{path}: {report.checked} quote(s) checked against {report.source_file}",
                output_format,
            )


def _report(diagnostics: list[Diagnostic], output_format: OutputFormat = OutputFormat.TEXT) -> None:
    if output_format is not OutputFormat.TEXT:
        from argmap.report import MACHINE_FORMATTERS

        typer.echo(MACHINE_FORMATTERS[output_format](diagnostics), nl=False)
        return
    sources: dict[Path, str | None] = {}
    for diagnostic in diagnostics:
        if diagnostic.path not in sources:
            try:
                sources[diagnostic.path] = diagnostic.path.read_text("utf-8-sig", errors="replace")
            except OSError:
                sources[diagnostic.path] = None
        color = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        text = render_text(diagnostic, sources[diagnostic.path])
        head, _, rest = text.partition("\n")
        typer.secho(head, fg=color, bold=True, err=True)
        if rest:
            typer.echo(rest, err=True)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


def checked_map(path: Path, failure: str = "") -> ArgumentGraph:
    """The graph of one map file for commands that work on a single map.

    A folder or a missing file is a usage error; a map with errors is reported like
    ``argmap check`` does (then ``failure``, if given) and ends the command with exit 1.
    """
    from argmap.pipeline import UsageError, check

    if path.is_dir():
        _usage_error(f"{path} is a folder; name one map file")
    try:
        result = check([path])
    except UsageError as error:
        _usage_error(str(error))
    if result.errors or not result.graphs:
        _report(list(result.diagnostics))
        if failure:
            typer.echo(failure, err=True)
        raise typer.Exit(ExitCode.INPUT_ERROR)
    (graph,) = result.graphs
    return graph


def write_output(path: Path, data: bytes) -> None:
    """Write a command's file (``-o FILE``) in one step (:func:`argmap.output.replace_file`):
    a link to a file there is a usage error; a write the machine stops (a full disk, no
    permission) an environment problem, and the previous file is then left whole."""
    from argmap.output import LinkedTargetError, replace_file

    try:
        replace_file(path, data)
    except LinkedTargetError as error:
        _usage_error(str(error))
    except OSError as error:
        _fail_environment(
            environment_error(error, f"cannot write {path}", f"; {path} was left as it was")
        )


def _usage_error(message: str) -> NoReturn:
    typer.secho(f"usage error: {message}", fg="red", err=True)
    typer.echo("Try 'argmap --help'.", err=True)
    raise typer.Exit(ExitCode.USAGE_ERROR)


def _fail_environment(error: SetupError) -> NoReturn:
    typer.secho(f"error: {error.message}", fg="red", bold=True, err=True)
    if error.hint:
        typer.echo(f"  hint: {error.hint}", err=True)
    raise typer.Exit(ExitCode.ENVIRONMENT_ERROR)


def main() -> None:
    try:
        _app_for(sys.argv[1:])()
    except OSError as error:  # the machine stopped a write no command expected: no traceback
        if not is_environment_error(error):
            raise
        try:
            _fail_environment(environment_error(error, "cannot go on"))
        except typer.Exit as done:
            raise SystemExit(done.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
    finally:
        # The process ends now: its last garbage collections need not walk every object
        # the command made (about 20 ms of the 250 of a small map's build). Modules are
        # still torn down and exit handlers run, as usual.
        gc.freeze()


def _app_for(args: Sequence[str]) -> typer.Typer:
    """``app``, or for ``argmap check|build ...`` one with that command alone: typer turns
    every command's signature into options before it runs one (start-up)."""
    command = {"check": check, "build": build}.get(args[0]) if args else None
    if command is None:
        return app
    own = _new_app()
    own.registered_callback = app.registered_callback
    own.registered_commands = [c for c in app.registered_commands if c.callback is command]
    return own


# Commands kept in their own modules register themselves on `app` when imported.
from argmap import (  # noqa: E402, F401
    _cli_evaluate,
    _cli_handout,
    _cli_interop,
    _cli_project,
    _cli_schema,
    _cli_site,
)
