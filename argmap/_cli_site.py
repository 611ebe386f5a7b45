"""The site commands' helpers for the CLI: paths from ``[site]``, progress, ``serve``."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from argmap.cli import PathsArgument, _report, app
from argmap.diagnostics import (
    InputError,
    SetupError,
    environment_error,
    is_environment_error,
    render_text,
)

if TYPE_CHECKING:  # the pipeline is imported by the commands, not by --version/--help
    from argmap.pipeline import ProgressCallback


def site_paths(out: Path | None, templates: Path | None) -> tuple[Path, Path | None]:
    """The output and templates folders: the command line, else argmap.toml's [site],
    else ``build/`` and ``./templates`` when it exists. argmap.toml's problems are
    reported by the build itself."""
    from argmap.cli import _usage_error
    from argmap.config import load_config

    site = load_config(Path())[0].site
    if out is None and site.out is not None and _leaves_the_project(site.out):
        # argmap.toml comes with the project (a pull request can change it): a folder
        # that a build replaces, outside the project, is named on the command line only.
        _usage_error(
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


@app.command()
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
    from argmap.cli import _fail_environment, _usage_error
    from argmap.config import CONFIG_FILE
    from argmap.output import OutputFolderRefusedError
    from argmap.pipeline import UsageError, build
    from argmap.serve import LiveState, Watcher, make_server

    inputs = paths or [Path("arguments")]
    out, templates = site_paths(out, templates)
    state = LiveState()

    def rebuild(first: bool = False) -> None:
        started = time.perf_counter()
        try:
            result = build(inputs, out, templates)
        except InputError as error:
            _report(error.diagnostics)
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
            _report(list(result.diagnostics))
        state.succeeded()
        elapsed = time.perf_counter() - started
        typer.echo(f"built {len(result.graphs)} map(s) into {out}/ in {elapsed:.2f} s")

    def watched() -> list[Path]:
        found = [*inputs, Path(CONFIG_FILE)]
        return found + ([templates] if templates is not None else [])

    try:
        rebuild(first=True)
        server = make_server(out.resolve(), state, port)
    except (UsageError, OutputFolderRefusedError) as error:
        _usage_error(str(error))
    except SetupError as error:
        _fail_environment(error)
    except OSError as error:
        _usage_error(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}")
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
    blocks = []
    sources: dict[Path, str | None] = {}
    for diagnostic in error.diagnostics:
        if diagnostic.path not in sources:
            try:
                sources[diagnostic.path] = diagnostic.path.read_text("utf-8-sig", errors="replace")
            except OSError:
                sources[diagnostic.path] = None
        blocks.append(render_text(diagnostic, sources[diagnostic.path]))
    return "\n".join(blocks)
