"""``argmap check``, ``argmap build`` and ``argmap serve``: the commands that check a
project's maps and write (or serve) its site."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap._gc import collector_paused
from argmap.cli.common import PathsArgument
from argmap.cli.failures import CommandLineError, InputFailedError, InterruptError, RefusedError
from argmap.cli.printing import as_text, report, report_quotes, say
from argmap.diagnostics import (
    Diagnostic,
    InputError,
    SetupError,
    Severity,
    environment_error,
    is_environment_error,
)
from argmap.report import OutputFormat

if TYPE_CHECKING:
    from argmap.build.pipeline import ProgressCallback

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


@collector_paused()
def check(
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.TEXT,
    strict: StrictOption = False,
) -> None:
    """Validate maps and report every problem; writes nothing."""
    # The collector stays paused until the result is freed (see argmap._gc).
    from argmap.build.pipeline import check as run_check

    result = run_check(paths or [Path("arguments")])
    report(result.diagnostics, output_format)
    report_quotes(result, output_format)
    if _fails(result.diagnostics, strict):
        raise InputFailedError()
    say(f"ok: {len(result.graphs)} map(s) checked, no errors", output_format)


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
    handout_keys: Annotated[
        Path | None,
        typer.Option(
            "--handout-keys",
            metavar="DIR",
            help="Also write the answer key of each of those handouts into DIR "
            "(SLUG-a4-blanks-key.html ...), a folder outside the output folder: the site "
            "is public, keys are not. Implies --handouts.",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.TEXT,
    strict: StrictOption = False,
) -> None:
    """Check maps, then write the HTML site and SVG diagrams to the output folder."""
    from argmap.build.pipeline import build as run_build

    out, templates = site_paths(out, templates)
    if templates is not None and not templates.is_dir():
        raise CommandLineError(f"the templates folder {templates} does not exist")
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
                handout_keys=handout_keys,
            )
    except InputError as error:
        after = f"build failed; {out}/ was left as it was"
        raise InputFailedError(
            after, diagnostics=error.diagnostics, output_format=output_format
        ) from None
    except KeyboardInterrupt:
        raise InterruptError(f"interrupted; {out}/ was left as it was") from None
    except OSError as error:  # a worker's write (a full disk): SiteWriter's own are SetupErrors
        if isinstance(error, SetupError) or not is_environment_error(error):
            raise
        after = f"; {out}/ was left as it was"
        raise environment_error(error, f"cannot write the site to {out}", after) from None
    report(result.diagnostics, output_format)
    report_quotes(result, output_format)
    elapsed = time.perf_counter() - started
    say(f"built {len(result.graphs)} map(s) into {out}/ in {elapsed:.2f} s", output_format)
    if handout_keys is not None:
        say(f"wrote the maps' answer keys into {handout_keys}/", output_format)


def _fails(diagnostics: Sequence[Diagnostic], strict: bool) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diagnostics)


def site_paths(out: Path | None, templates: Path | None) -> tuple[Path, Path | None]:
    """The output and templates folders: the command line, else argmap.toml's [site],
    else ``build/`` and ``./templates`` when it exists. argmap.toml's problems are
    reported by the build itself."""
    from argmap.config import load_config

    site = load_config(Path())[0].site
    if out is None and site.out is not None and _leaves_the_project(site.out):
        # argmap.toml comes with the project (a pull request can change it): a folder
        # that a build replaces, outside the project, is named on the command line only.
        raise RefusedError(
            f"argmap.toml's [site] out = {str(site.out)!r} is outside the project folder; "
            "name an output folder outside the project with --out on the command line"
        )
    out = out or site.out or Path("build")
    if templates is None:
        templates = site.templates
    if templates is None and Path("templates").is_dir():
        templates = Path("templates")
    return out, templates


def _leaves_the_project(path: Path) -> bool:
    """Whether ``path`` (relative to the current folder) is absolute or climbs out of it."""
    return path.is_absolute() or Path(os.path.normpath(path)).parts[:1] == ("..",)


@contextlib.contextmanager
def progress_printer() -> Iterator[ProgressCallback]:
    """A progress bar on a terminal; plain lines (``[3/50] name``) on stderr otherwise."""
    if not sys.stderr.isatty():

        def line(done: int, total: int, name: str, cached: bool) -> None:
            typer.echo(f"[{done}/{total}] {name}{' (cached)' if cached else ''}", err=True)

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("drawing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, name: str, cached: bool) -> None:
            bar.update(task, completed=done, total=total, description=name)

        yield update


def serve(
    paths: PathsArgument = None,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")
    ] = 8000,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Output folder. Default: as for build.", show_default=False
        ),
    ] = None,
    templates: Annotated[
        Path | None, typer.Option(help="Templates folder. Default: as for build.")
    ] = None,
    interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between checks for changed files.")
    ] = 0.5,
) -> None:
    """Build, serve the site on 127.0.0.1, rebuild on every change and reload the page."""
    from argmap.build.pipeline import UsageError, build
    from argmap.config import CONFIG_FILE
    from argmap.output import OutputFolderRefusedError
    from argmap.serve import LiveState, Watcher, make_server

    inputs = paths or [Path("arguments")]
    out, templates = site_paths(out, templates)
    state = LiveState()

    def rebuild(first: bool = False) -> None:
        started = time.perf_counter()
        try:
            result = build(inputs, out, templates)
        except InputError as error:
            report(error.diagnostics)
            state.failed(_as_text(error))
            typer.secho(f"build failed; still serving the last good build of {out}/", err=True)
            return
        except OSError as error:  # SetupError, or a worker's write stopped by the machine
            if not isinstance(error, SetupError):
                if not is_environment_error(error):
                    raise
                error = environment_error(error, f"cannot write the site to {out}")
            state.failed(f"{error.message}\n{error.hint or ''}")
            typer.secho(f"error: {error.message}", fg="red", err=True)
            return
        except (UsageError, OutputFolderRefusedError) as error:
            if first and isinstance(error, OutputFolderRefusedError):
                raise  # never serve a folder argmap must not write (a link, another's)
            state.failed(str(error))
            typer.secho(f"error: {error}", fg="red", err=True)
            return
        if result.diagnostics:
            report(result.diagnostics)
        state.succeeded()
        elapsed = time.perf_counter() - started
        typer.echo(f"built {len(result.graphs)} map(s) into {out}/ in {elapsed:.2f} s")

    def watched() -> list[Path]:
        found = [*inputs, Path(CONFIG_FILE)]
        return found + ([templates] if templates is not None else [])

    try:
        rebuild(first=True)
        server = make_server(out.resolve(), state, port)
    except OSError as error:
        if isinstance(error, SetupError):
            raise
        raise CommandLineError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}"
        ) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    typer.echo(f"serving {out}/ at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    watcher = Watcher(watched, rebuild)
    watcher.start()
    try:
        while True:
            time.sleep(interval)
            watcher.poll()
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        server.shutdown()
        server.server_close()


def _as_text(error: InputError) -> str:
    sources: dict[Path, str | None] = {}
    return "\n".join(as_text(diagnostic, sources) for diagnostic in error.diagnostics)
