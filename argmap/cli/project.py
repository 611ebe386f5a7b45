"""``argmap init``, ``argmap new`` and ``argmap fmt``.

``init`` and ``new`` write the files of a project and of a map (:mod:`argmap.scaffold`);
``fmt`` puts maps into their canonical layout (:mod:`argmap.model.fmt`). Exit codes as for
every command: 0 ok, 1 the input has errors (or ``fmt --check`` would change a file),
2 usage error, 3 environment problem (a file cannot be written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argmap.cli.common import PathsArgument
from argmap.cli.failures import InputFailedError, RefusedError, cannot
from argmap.diagnostics import Severity, environment_error

# Problems with a map's file name, not its content: fmt changes no names, so they do
# not stop it (and a file named on the command line, as pre-commit does, is judged by
# its own name: arguments/school/index.toml would otherwise count as a top-level index).
_NAME_CODES = frozenset({"AM005", "AM006"})


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="The project folder; created if missing. Default: the current folder.",
            show_default=False,
        ),
    ] = Path(),
) -> None:
    """Start a project: an example map, argmap.toml, editor schema, .gitignore, CI workflow.

    Files that exist are never overwritten: they are kept and listed.
    """
    from argmap.scaffold import WORKFLOW_FILE, init_project

    try:
        report = init_project(directory)
    except OSError as error:
        raise cannot(error) from None
    for path in report.written:
        typer.echo(f"wrote {path}")
    for path, why in report.kept:
        typer.echo(f"kept {path}: {why}")
    workflow = directory / WORKFLOW_FILE
    if workflow in report.written:
        if report.argmap_spec:
            typer.echo(f"{workflow} installs {report.argmap_spec} (the argmap running now)")
        else:
            typer.echo(f"{workflow}: put argmap's repository and a tag or commit in ARGMAP")
    if report.written:
        where = "" if directory == Path() else f"cd {directory}, then "
        typer.echo(f"next: {where}argmap check, argmap build (needs Graphviz)")
    else:
        typer.echo("nothing written: every file is there already")


def new(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="The map's name: letters, digits, '-' and '_' (and '/' for a subfolder). "
            "Written to arguments/NAME.toml.",
            show_default=False,
        ),
    ],
) -> None:
    """Add a map: arguments/NAME.toml with a title, a thesis and TODO comments."""
    from argmap.scaffold import new_map

    try:
        path = new_map(name)
    except OSError as error:
        raise cannot(error) from None
    typer.echo(f"wrote {path}")


def fmt(
    paths: PathsArgument = None,
    check_only: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; list the files fmt would change and exit 1 if there are any.",
        ),
    ] = False,
) -> None:
    """Rewrite maps in the canonical order and layout, keeping every comment.

    Maps with errors are reported, as by `argmap check`, and nothing is written.
    """
    from argmap.build.pipeline import check as run_check
    from argmap.build.pipeline import find_map_files
    from argmap.model.fmt import FormatError, format_file, write_result
    from argmap.output import LinkedTargetError, target_mode

    paths = paths or [Path("arguments")]
    files = list(dict.fromkeys(map_file.path for map_file in find_map_files(paths)))
    result = run_check(paths)
    targets = set(files)
    blocking = [
        d
        for d in result.diagnostics
        if d.severity is Severity.ERROR
        and d.code not in _NAME_CODES
        and (d.path in targets or not files)
    ]
    if blocking:
        raise InputFailedError(
            "fmt: nothing was written; fix the errors first", diagnostics=blocking
        )

    results = []
    failed = []
    for path in files:
        try:
            results.append(format_file(path))
        except FormatError as error:
            failed.append(f"cannot format {path}: {error}")
        except OSError as error:
            raise cannot(error, "read") from None
    if failed:
        raise InputFailedError("fmt: nothing was written", errors=failed)

    changed = [r for r in results if r.changed]
    if check_only:
        for r in changed:
            typer.echo(f"would reformat {r.path}")
        if changed:
            typer.echo(
                f"{len(changed)} file(s) would be reformatted, "
                f"{len(results) - len(changed)} already formatted; run `argmap fmt`"
            )
            raise InputFailedError()
        typer.echo(f"ok: {len(results)} file(s) already formatted")
        return
    for r in changed:  # a link is refused before any file is written (write_result)
        try:
            target_mode(r.path)
        except LinkedTargetError as error:
            raise RefusedError(f"{error}; fmt: nothing was written") from None
    for r in changed:
        try:
            write_result(r)
        except OSError as error:  # a full disk: this file is kept whole (a rename)
            after = f"; {r.path} was left as it was"
            raise environment_error(error, f"cannot write {r.path}", after) from None
        typer.echo(f"reformatted {r.path}")
    typer.echo(f"{len(changed)} file(s) reformatted, {len(results) - len(changed)} unchanged")
