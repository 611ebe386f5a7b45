"""The check stage: load, validate, quote-check, graph and lint each map, then the
problems that depend on the other maps (page names, citations).

``argmap check`` is :func:`check`; a build checks its maps with :func:`check_all`,
which takes each map's check from the build cache when its inputs are unchanged and
checks the others in the worker processes, a chunk of maps at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from argmap._gc import collector_paused
from argmap._pickling import by_constructor
from argmap.analysis.evaluate import verdict_problems
from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.analysis.lint import lint_map, settings_for
from argmap.analysis.quotes import QuoteReport, check_quotes
from argmap.build._page_names import page_name_problems
from argmap.build.mapfiles import MapFile, UsageError, find_map_files, inside_project
from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, Position, Severity
from argmap.model import ArgumentMap
from argmap.model.load import load_map_partially
from argmap.model.validate import CitableMap, citation_problems, find_problems

if TYPE_CHECKING:
    from concurrent.futures import Future

    from argmap.build.cache import BuildCache
    from argmap.build.workers import Workers


@by_constructor
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


@by_constructor
@dataclass(frozen=True, slots=True)
class MapCheck:
    """What checking one map on its own found (without its file name's and its citations'
    problems, which depend on the other maps)."""

    map_file: MapFile
    argument_map: ArgumentMap | None
    graph: ArgumentGraph | None  # when the map is well-formed
    report: QuoteReport | None
    problems: tuple[Diagnostic, ...]

    def citable(self) -> CitableMap | None:
        if self.argument_map is None:
            return None
        numbers = self.graph.numbers if self.graph is not None else {}
        return CitableMap(
            self.map_file.cite_slug,
            self.argument_map.title,
            self.map_file.path,
            {n.id: (numbers.get(n.id, ""), n.text) for n in self.argument_map.nodes},
        )


@collector_paused()
def check_map(map_file: MapFile, config: Config, text: str | None = None) -> MapCheck:
    """Load, validate, quote-check, graph and lint one map (``text``: its decoded file)."""
    problems: list[Diagnostic] = []
    graph: ArgumentGraph | None = None
    report = None
    argument_map, load_problems = load_map_partially(map_file.path, map_file.slug, text)
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
        problems += report.diagnostics
        if well_formed:
            graph = build_graph(argument_map)
            problems += lint_map(argument_map, rules)
            problems += rules.apply(verdict_problems(graph))
    return MapCheck(map_file, argument_map, graph, report, tuple(problems))


def check(paths: list[Path], config: Config | None = None) -> CheckResult:
    """Load, validate and lint every map; nothing is written.

    Without ``config``, ``argmap.toml`` is read from the current folder and its problems
    come first in the result. Lint rules run on every map that loads and validates
    without errors; rules switched off (in argmap.toml or the map's own [lint]) report
    nothing, and the quote check obeys the same settings. Warnings do not stop a map's
    graph from being built. Citations of maps that are not among ``paths`` are resolved
    by reading those maps from the citing map's maps folder (:func:`maps_folder`).
    """
    diagnostics: list[Diagnostic] = []
    if config is None:
        config, config_problems = load_config(Path())
        diagnostics += config_problems
    files = find_map_files(paths)
    if not files:
        diagnostics.append(no_maps(paths))
    checks = [check_map(map_file, config) for map_file in files]
    result, _ = combine(checks)
    return replace(result, diagnostics=(*diagnostics, *result.diagnostics))


def no_maps(paths: list[Path]) -> Diagnostic:
    shown = ", ".join(str(p) for p in paths)
    return Diagnostic(
        paths[0] if paths else Path(),
        Position(1, 1),
        "AM004",
        f"no map files (*.toml) found in {shown}",
        "put maps in arguments/ or name the files to use; see docs/format.md",
    )


def combine(
    checks: list[MapCheck], *, building: bool = False
) -> tuple[CheckResult, dict[str, CitableMap]]:
    """The result of checking every map: each map's own problems, its file name's, and
    its citations' (resolved among these maps, then in the citing map's maps folder).

    Also returns the maps that can be cited, by page name.
    """
    citable: dict[str, CitableMap] = {}
    for one in checks:
        entry = one.citable()
        if entry is not None:
            citable.setdefault(entry.slug, entry)
    for one in checks:  # cited maps that are not being checked: read their ids
        if one.argument_map is None or one.map_file.root is None:
            continue
        for node in one.argument_map.nodes:
            for citation in node.cites:
                if citation.map not in citable:
                    found = _read_citable(one.map_file.root, citation.map)
                    if found is not None:
                        citable[citation.map] = found
    graphs: list[ArgumentGraph] = []
    reports: list[tuple[Path, QuoteReport]] = []
    diagnostics: list[Diagnostic] = []
    slugs: dict[str, Path] = {}
    folders: dict[Path, list[str]] = {}  # maps folder -> its maps, to suggest for a typo
    for one in checks:
        problems = page_name_problems(one.map_file.path, one.map_file.slug, slugs)
        problems += one.problems
        if one.argument_map is not None:
            unknown = any(
                c.map not in citable for node in one.argument_map.nodes for c in node.cites
            )
            root = one.map_file.root
            if unknown and root is not None and root not in folders:
                folders[root] = _map_names(root)
            problems += citation_problems(
                one.argument_map,
                one.map_file.cite_slug,
                citable,
                building=building,
                other_maps=folders.get(root, []) if root is not None else [],
            )
        if one.report is not None:
            reports.append((one.map_file.path, one.report))
        problems.sort(key=lambda d: (d.position.line, d.position.column))
        diagnostics.extend(problems)
        if one.graph is not None and not any(p.severity is Severity.ERROR for p in problems):
            graphs.append(one.graph)
    return CheckResult(tuple(graphs), tuple(reports), tuple(diagnostics)), citable


def _map_names(root: Path) -> list[str]:
    return [map_file.slug for map_file in find_map_files([root])] if root.is_dir() else []


def _read_citable(root: Path, slug: str) -> CitableMap | None:
    """A map outside the checked set, read only for its title and ids (None if missing)."""
    path = root.joinpath(*slug.split("/")).with_suffix(".toml")
    if not path.is_file():
        return None
    try:
        inside_project(root)(path)  # a link out of the project is not read (as in find_map_files)
    except UsageError:
        return None
    argument_map, _ = load_map_partially(path, slug)
    if argument_map is None:
        return None
    nodes = {n.id: ("", n.text) for n in argument_map.nodes}
    return CitableMap(slug, argument_map.title, path, nodes, built=False)


# -- in a build: every map checked, or its check taken from the cache -----------------------


def check_all(
    files: list[MapFile], config: Config, cache: BuildCache | None, workers: Workers
) -> tuple[list[MapCheck], dict[str, str]]:
    """Every map's check, in order, with its cache key by page name. A map not in the
    cache is checked in the workers, a chunk of maps at a time (see
    :func:`argmap.build.workers.chunk_size`), sent as soon as the chunk is full."""
    from argmap.build.workers import chunk_size

    checks: list[MapCheck | None] = [None] * len(files)
    keys: dict[str, str] = {}
    sent: list[tuple[list[int], Future[list[MapCheck]]]] = []
    chunk: list[tuple[int, MapFile, str | None, str]] = []
    for index, map_file in enumerate(files):
        found, text, key = _cached_check(map_file, config, cache)
        keys[map_file.slug] = key
        if found is not None:
            checks[index] = found
        elif workers.get() is None:
            checks[index] = _check_job(map_file, config, text, cache, key)
        else:
            chunk.append((index, map_file, text, key))
        left = len(files) - index
        if chunk and (len(chunk) >= chunk_size(left, workers.count) or left == 1):
            jobs = [(one[1], one[2], one[3]) for one in chunk]
            sent.append(
                ([one[0] for one in chunk], workers.submit(_check_jobs, jobs, config, cache))
            )
            chunk = []
    for indices, future in sent:
        for index, one in zip(indices, future.result(), strict=True):
            checks[index] = one
    return [one for one in checks if one is not None], keys


def _cached_check(
    map_file: MapFile, config: Config, cache: BuildCache | None
) -> tuple[MapCheck | None, str | None, str]:
    """One map's check from the cache, else None; with the map's text and its key.

    The entry records the source text file's content, compared on every use, since the
    map names the file (see :meth:`argmap.build.cache.BuildCache.check_key`).
    """
    from argmap.build.cache import source_text_digest

    try:
        data = map_file.path.read_bytes()
    except OSError:
        return None, None, ""  # AM001, reported by the check; never cached
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None  # the loader reports where (AM002)
    if cache is None:
        return None, text, ""
    identity = [str(map_file.path), map_file.slug, str(map_file.root), map_file.cite_slug]
    key = cache.check_key(identity, config, data)
    stored = cache.check(key)
    if stored is None or stored.source_text != source_text_digest(stored.argument_map):
        return None, text, key
    argument_map = stored.argument_map
    graph = build_graph(argument_map) if stored.well_formed and argument_map else None
    return MapCheck(map_file, argument_map, graph, stored.report, stored.problems), text, key


def _check_job(
    map_file: MapFile, config: Config, text: str | None, cache: BuildCache | None, key: str
) -> MapCheck:
    """Check one map (in a worker process or not) and keep the result in the cache."""
    from argmap.build.cache import CheckRecord, source_text_digest

    one = check_map(map_file, config, text)
    if cache is not None and key:
        # what the quotes were checked against, not a second read that may differ
        source = one.report.digest if one.report else source_text_digest(one.argument_map)
        well_formed = one.graph is not None
        cache.put_check(
            key, CheckRecord(one.argument_map, one.report, one.problems, well_formed, source)
        )
    return one


def _check_jobs(
    maps: list[tuple[MapFile, str | None, str]], config: Config, cache: BuildCache | None
) -> list[MapCheck]:
    """:func:`_check_job` for a chunk of maps (in a worker process)."""
    return [_check_job(map_file, config, text, cache, key) for map_file, text, key in maps]
