"""The pipeline, end to end: find map files, load, validate, graph, draw, publish.

``check`` runs the stages that read input; ``build`` also draws every diagram and
writes the site. Both collect the problems of every map before giving up, so one run
reports everything that needs fixing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, InputError, Position, Severity
from argmap.evaluate import verdict_problems
from argmap.graph import ArgumentGraph, build_graph
from argmap.lint import lint_map, settings_for
from argmap.load import load_map_partially
from argmap.model import NodeKind
from argmap.quotes import QuoteReport, check_quotes
from argmap.validate import find_problems

_SLUG_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Device names Windows reserves in every folder, whatever the extension: a page called
# con.html or a folder aux/ cannot be written or opened there.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
)


@dataclass(frozen=True, slots=True)
class MapFile:
    path: Path
    slug: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    graphs: tuple[ArgumentGraph, ...]
    quote_reports: tuple[tuple[Path, QuoteReport], ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)


class UsageError(ValueError):
    """The command line names something that cannot be used (exit code 2)."""


def find_map_files(paths: list[Path]) -> list[MapFile]:
    """Map files under the given folders (recursively) or the given files, in stable order."""
    found: list[MapFile] = []
    for given in paths:
        if given.is_dir():
            for path in sorted(given.rglob("*.toml")):
                hidden = any(part.startswith(".") for part in path.relative_to(given).parts)
                if hidden or not path.is_file():
                    continue
                slug = path.relative_to(given).with_suffix("").as_posix()
                found.append(MapFile(path, slug))
        elif given.is_file():
            found.append(MapFile(given, given.stem))
        else:
            raise UsageError(f"{given} does not exist")
    return found


def check(paths: list[Path], config: Config | None = None) -> CheckResult:
    """Load, validate and lint every map; nothing is written.

    Without ``config``, ``argmap.toml`` is read from the current folder and its problems
    come first in the result. Lint rules run on every map that loads and validates
    without errors; rules switched off (in argmap.toml or the map's own [lint]) report
    nothing, and the quote check obeys the same settings. Warnings do not stop a map's
    graph from being built.
    """
    diagnostics: list[Diagnostic] = []
    if config is None:
        config, config_problems = load_config(Path())
        diagnostics += config_problems
    files = find_map_files(paths)
    if not files:
        shown = ", ".join(str(p) for p in paths)
        diagnostics.append(
            Diagnostic(
                paths[0] if paths else Path(),
                Position(1, 1),
                "AM004",
                f"no map files (*.toml) found in {shown}",
                "put maps in arguments/ or name the files to use; see docs/format.md",
            )
        )
    graphs: list[ArgumentGraph] = []
    reports: list[tuple[Path, QuoteReport]] = []
    slugs: dict[str, Path] = {}
    for map_file in files:
        problems = _slug_problems(map_file, slugs)
        graph: ArgumentGraph | None = None
        argument_map, load_problems = load_map_partially(map_file.path, map_file.slug)
        problems += load_problems
        if argument_map is not None:
            validation_problems = find_problems(argument_map)
            problems += validation_problems
            well_formed = not any(
                p.severity is Severity.ERROR for p in (*load_problems, *validation_problems)
            )
            rules = settings_for(config.lint, argument_map.lint)
            report = check_quotes(argument_map)
            report = replace(report, diagnostics=tuple(rules.apply(report.diagnostics)))
            reports.append((map_file.path, report))
            problems += report.diagnostics
            if well_formed:
                graph = build_graph(argument_map)
                problems += lint_map(argument_map, rules)
                problems += rules.apply(verdict_problems(graph))
        problems.sort(key=lambda d: (d.position.line, d.position.column))
        diagnostics.extend(problems)
        if graph is not None and not any(p.severity is Severity.ERROR for p in problems):
            graphs.append(graph)
    return CheckResult(tuple(graphs), tuple(reports), tuple(diagnostics))


def _slug_problems(map_file: MapFile, seen: dict[str, Path]) -> list[Diagnostic]:
    problems = []
    if not all(_SLUG_PART.fullmatch(part) for part in map_file.slug.split("/")):
        problems.append(
            Diagnostic(
                map_file.path,
                Position(1, 1),
                "AM005",
                f"the file name {map_file.slug!r} cannot be used for a page",
                "name map files and folders with letters, digits, '-' and '_' "
                "(the name becomes the page's address)",
            )
        )
    reserved = [p for p in map_file.slug.split("/") if p.lower() in _WINDOWS_RESERVED]
    if reserved:
        problems.append(
            Diagnostic(
                map_file.path,
                Position(1, 1),
                "AM005",
                f"the name {reserved[0]!r} cannot be used for a page: Windows reserves it "
                "for a device",
                "rename the file or folder (CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 "
                "cannot be file names on Windows, whatever the extension)",
            )
        )
    if map_file.slug.lower() == "index":
        problems.append(
            Diagnostic(
                map_file.path,
                Position(1, 1),
                "AM006",
                "the page name 'index' is reserved for the list of all maps",
                "index.html is the list of all maps; rename the file, e.g. to overview.toml",
            )
        )
    key = map_file.slug.lower()  # case-insensitive file systems would merge these
    if key in seen:
        problems.append(
            Diagnostic(
                map_file.path,
                Position(1, 1),
                "AM006",
                f"another map has the same page name {map_file.slug!r}: {seen[key]}",
                "rename one of the two files",
            )
        )
    seen[key] = map_file.path
    return problems


def build(
    paths: list[Path],
    out_dir: Path,
    templates: Path | None = None,
    *,
    timeout: float | None = None,
    strict: bool = False,
    config: Config | None = None,
) -> CheckResult:
    """Check, then draw and write the whole site; raise InputError before writing anything.

    With ``strict``, warnings stop the build too.
    """
    # Imported here: `argmap check` and `--help` need none of the rendering machinery.
    from argmap.dot import id_prefix, node_tooltips, to_dot
    from argmap.evaluate import evaluate
    from argmap.layout import DEFAULT_TIMEOUT, render_svg
    from argmap.output import check_output_folder, write_site
    from argmap.site import RenderedMap, page_path, render_site
    from argmap.svg import finish_svg

    result = check(paths, config)
    if result.errors or (strict and result.diagnostics):
        raise InputError(list(result.diagnostics))
    check_output_folder(out_dir, paths)
    rendered = []
    for graph in result.graphs:
        # The page always shows grounded semantics, whatever the map's [expect] says.
        evaluation = evaluate(graph)
        href = Path(page_path(graph.map.slug)).name
        svgs = []
        for shown in (None, evaluation):
            svg = render_svg(
                to_dot(graph, href, shown),
                name=str(graph.map.path),
                timeout=timeout or DEFAULT_TIMEOUT,
            )
            title, description = "Argument map", describe(graph)
            if shown is not None:
                title = "Evaluated argument map"
                description += (
                    " Each statement is marked as standing (IN), falling (OUT, dashed border"
                    " and grey) or undecided (UNDEC, dotted border) under grounded semantics."
                )
            svgs.append(
                finish_svg(
                    svg,
                    title=f"{title}: {graph.map.title}",
                    description=description,
                    tooltips=node_tooltips(graph, shown),
                    id_prefix=id_prefix(shown),
                )
            )
        rendered.append(RenderedMap(graph, svgs[0], svgs[1], evaluation))
    write_site(render_site(rendered, templates), out_dir)
    return result


def describe(graph: ArgumentGraph) -> str:
    """A one-paragraph description of the diagram, for screen readers."""
    from argmap.markdown import to_plain

    counts = graph.counts()
    return (
        f"Diagram with {counts[NodeKind.CLAIM]} claims, {counts[NodeKind.PREMISE]} premises "
        f"and {counts[NodeKind.REBUTTAL]} rebuttals. Main thesis "
        f"{graph.numbers[graph.map.thesis]}: {to_plain(graph.thesis.text)} "
        "The outline on the page gives the same argument as text."
    )
