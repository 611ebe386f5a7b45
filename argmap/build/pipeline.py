"""The pipeline, end to end: find map files, load, validate, graph, draw, publish.

``check`` runs the stages that read input; ``build`` also draws every diagram and
writes the site. Both collect the problems of every map before giving up, so one run
reports everything that needs fixing. This module composes the stages; the build cache
(:mod:`argmap.build.cache`), the worker processes (:mod:`argmap.build.workers`) and a map's
page job (:mod:`argmap.build.pagejobs`, :mod:`argmap.build.drawing`) are modules of their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from argmap._gc import collector_paused
from argmap.build._page_names import page_name_problems
from argmap._pickling import by_constructor
from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, InputError, Position, Severity
from argmap.analysis.evaluate import verdict_problems
from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.analysis.lint import lint_map, settings_for
from argmap.model.load import load_map_partially
from argmap.build.mapfiles import (
    DEFAULT_MAPS,
    MapFile,
    OutsideProjectError,
    UsageError,
    find_map_files,
    inside_project,
    maps_folder,
)
from argmap.model import ArgumentMap
from argmap.analysis.quotes import QuoteReport, check_quotes
from argmap.model.validate import CitableMap, citation_problems, find_problems

if TYPE_CHECKING:
    from concurrent.futures import Future

    from argmap.render._site_config import SiteSettings
    from argmap.build.cache import BuildCache
    from argmap.render.layout import DotRunner
    from argmap.output import SiteWriter
    from argmap.build.pagejobs import PageDone
    from argmap.render.site import MapPage
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
        diagnostics.append(_no_maps(paths))
    checks = [check_map(map_file, config) for map_file in files]
    result, _ = combine(checks)
    return replace(result, diagnostics=(*diagnostics, *result.diagnostics))


def _no_maps(paths: list[Path]) -> Diagnostic:
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


ProgressCallback = Callable[[int, int, str, bool], None]


def build(
    paths: list[Path],
    out_dir: Path,
    templates: Path | None = None,
    *,
    timeout: float | None = None,
    strict: bool = False,
    config: Config | None = None,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    cache: bool = True,
    handouts: bool = False,
) -> CheckResult:
    """Check, then draw and write the whole site; raise InputError before writing anything.

    With ``strict``, warnings stop the build too. Without ``config``, ``argmap.toml`` is
    read from the current folder; its ``[site]`` table gives the site's title, language,
    ``base_url`` and the templates folder when ``templates`` is None. With ``jobs`` of 2
    or more (default: the number of cores) maps are checked, then drawn and rendered, in
    that many worker processes (processes, not threads: half of the work is Python);
    with 1 everything runs in turn in this process.
    ``progress(done, total, page name, from_cache)`` is called as each map's page is done.
    With ``handouts``, each map also gets classroom handouts
    (:data:`argmap.build._site_handouts.SITE_HANDOUTS`) under ``handouts/``, linked from its page.

    With ``cache``, a build keeps in ``.OUT.cache/`` beside the output folder
    (:class:`argmap.build.cache.BuildCache`), by content hash: Graphviz's output, each
    map's check (keyed by its file, its source text, the lint settings and argmap's
    code), each map's finished files (keyed by its check, the templates, ``[site]``, the
    names of its tags' pages and the titles and texts it cites) and what was last
    written to the output folder. A build in which nothing changed renders and writes
    nothing.
    """
    # Imported here: `argmap check` and `--help` need none of the rendering machinery.
    from argmap.build.cache import BuildCache, build_salt
    from argmap.output import refuse_linked_paths
    from argmap.build.workers import Workers

    config_problems: list[Diagnostic] = []
    if config is None:
        config, config_problems = load_config(Path())
    render_cache = BuildCache(out_dir, build_salt()) if cache else None
    files = find_map_files(paths)
    refuse_linked_paths(out_dir)  # before the cache is written (docs/security.md)
    # Started when there is work for them: not for a no-op build. (On an error or
    # Ctrl-C, the jobs not started are dropped and the running ones end.)
    with Workers(max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))) as workers:
        checks, check_keys = _check_all(files, config, render_cache, workers)
        result, citable = combine(checks, building=True)
        problems = list(config_problems) + ([] if files else [_no_maps(paths)])
        result = replace(result, diagnostics=(*problems, *result.diagnostics))
        if result.errors or (strict and result.diagnostics):
            raise InputError(list(result.diagnostics))
        site = _Site.of(result.graphs, config, templates, handouts, timeout)
        _publish(site, paths, out_dir, citable, check_keys, render_cache, workers, progress)
    return result


# -- 1. checking every map, or taking its check from the cache ------------------------------


def _check_all(
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


# -- 2. what each page depends on ---------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """The maps to publish and the settings every page depends on."""

    graphs: tuple[ArgumentGraph, ...]
    settings: SiteSettings
    templates: Path | None
    tag_lists: tuple[tuple[str, ...], ...]
    handouts: bool
    timeout: float

    @classmethod
    def of(
        cls,
        graphs: tuple[ArgumentGraph, ...],
        config: Config,
        templates: Path | None,
        handouts: bool,
        timeout: float | None,
    ) -> _Site:
        from argmap.render.layout import DEFAULT_TIMEOUT

        tag_lists = tuple(graph.map.tags for graph in graphs)
        templates = templates or config.site.templates
        return cls(graphs, config.site, templates, tag_lists, handouts, timeout or DEFAULT_TIMEOUT)

    def setting(self) -> str:
        """What every page depends on: the templates, ``[site]`` and the handouts."""
        from argmap.build.cache import folder_digest
        from argmap.render.site import default_templates_dir

        digest = folder_digest([self.templates, default_templates_dir()])
        return "|".join((digest, repr(self.settings), f"handouts={self.handouts}"))


def _page_keys(
    site: _Site,
    citable: dict[str, CitableMap],
    check_keys: dict[str, str],
    cache: BuildCache | None,
) -> tuple[dict[str, str], dict[str, dict[str, CitableMap]], str]:
    """Each page's cache key and the maps it cites, by page name; and the key of the
    whole site (every page's key, the date), "" without a cache."""
    from argmap.render.site import TagIndex

    tags = TagIndex(list(site.tag_lists))
    setting = site.setting() if cache is not None else ""
    keys: dict[str, str] = {}
    cited_by: dict[str, dict[str, CitableMap]] = {}
    for graph in site.graphs:
        argument_map = graph.map
        cites = [c for node in argument_map.nodes for c in node.cites]
        cited_by[argument_map.slug] = {c.map: citable[c.map] for c in cites}
        if cache is None:
            keys[argument_map.slug] = ""
            continue
        cited = sorted(
            (c.target, citable[c.map].title, *citable[c.map].nodes[c.node]) for c in cites
        )
        hrefs = [tags.href(tag) for tag in argument_map.tags]
        keys[argument_map.slug] = cache.page_key(
            check_keys[argument_map.slug], setting, hrefs, cited
        )
    site_key = cache.site_key(setting, source_date(), keys) if cache is not None else ""
    return keys, cited_by, site_key


# -- 3. each map's files, then the site-wide pages --------------------------------------


def _publish(
    site: _Site,
    paths: list[Path],
    out_dir: Path,
    citable: dict[str, CitableMap],
    check_keys: dict[str, str],
    cache: BuildCache | None,
    workers: Workers,
    progress: ProgressCallback | None,
) -> None:
    """Write each map's files (from the cache, or drawn and rendered) into the new
    output folder as they come, then the site-wide pages, then swap it in (not when
    nothing in the folder changes). A build whose every input is what the last build
    of this folder had writes nothing at all."""
    from argmap.render.layout import DotRunner, find_dot
    from argmap.output import SiteWriter, check_output_folder, output_unchanged

    check_output_folder(out_dir, paths)
    find_dot()  # a missing Graphviz is reported before anything is drawn
    page_keys, cited_by, site_key = _page_keys(site, citable, check_keys, cache)
    if cache is not None and output_unchanged(out_dir, cache.state, site_key):
        # Every file is what this build would write: nothing to render or write, and
        # the cache holds exactly what the last build used (nothing to prune).
        for done, graph in enumerate(site.graphs, 1):
            if progress:
                progress(done, len(site.graphs), graph.map.slug, True)
        return
    state = cache.state if cache is not None else None
    # Maps drawn in this process share one running dot (each worker has its own). On
    # an error the workers end (closing) before their new output folder is removed.
    with (
        SiteWriter(out_dir, state=state, site_key=site_key) as writer,
        contextlib.closing(workers),
        DotRunner() as runner,
    ):
        pages = _map_pages(site, writer, cited_by, page_keys, cache, workers, runner, progress)
        _site_pages(site, pages, writer, cache)
        writer.finish()
    if cache is not None:
        cache.prune()


def _map_pages(
    site: _Site,
    writer: SiteWriter,
    cited_by: dict[str, dict[str, CitableMap]],
    page_keys: dict[str, str],
    cache: BuildCache | None,
    workers: Workers,
    runner: DotRunner,
    progress: ProgressCallback | None,
) -> dict[str, MapPage]:
    """Every map's page, its files written; from the cache or by a page job."""
    from argmap.build.pagejobs import PageJob, page_job, page_jobs

    pages: dict[str, MapPage] = {}
    missing: list[PageJob] = []
    total = len(site.graphs)
    for graph in site.graphs:
        slug = graph.map.slug
        stored = cache.page(page_keys[slug], writer.folder) if cache is not None else None
        if stored is not None:
            pages[slug] = stored.page
            writer.record(stored.digests)
            if progress:
                progress(len(pages), total, slug, True)
            continue
        missing.append(
            PageJob(
                graph,
                cache,
                site.timeout,
                site.handouts,
                site.templates,
                site.settings,
                site.tag_lists,
                cited_by[slug],
                page_keys[slug],
                writer.folder,
            )
        )
    made: Iterable[PageDone]
    if missing and workers.get() is not None:
        made = workers.in_chunks(page_jobs, missing)
    else:
        made = (page_job(job, runner) for job in missing)
    for done in made:
        pages[done.page.slug] = done.page
        writer.record(done.digests)
        if cache is not None:
            cache.used.update(done.used)
        if progress:
            progress(len(pages), total, done.page.slug, done.cached)
    return pages


def _site_pages(
    site: _Site, pages: dict[str, MapPage], writer: SiteWriter, cache: BuildCache | None
) -> None:
    """The index, the tag pages and the other site-wide files."""
    from argmap.build.pagejobs import renderers_used, site_renderer

    renderer = site_renderer(site.templates, site.settings, site.tag_lists, cache)
    for name, content in renderer.site_files(pages.values(), source_date()).items():
        writer.write(name, (content,))
    if cache is not None:
        cache.used.update(renderers_used(cache))


def source_date() -> str | None:
    """``SOURCE_DATE_EPOCH`` as a W3C date (``2024-05-01``), or None when unset or invalid.

    The only date argmap itself shows is the ``lastmod`` of ``sitemap.xml``; without
    ``SOURCE_DATE_EPOCH`` there is none, so two builds are byte-identical.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    try:
        moment = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.date().isoformat()


# The public API (the CLI, the Sphinx extension and tests use these), with the map files'
# names from argmap.build.mapfiles.
__all__ = [
    "DEFAULT_MAPS",
    "CheckResult",
    "MapCheck",
    "MapFile",
    "OutsideProjectError",
    "ProgressCallback",
    "UsageError",
    "build",
    "check",
    "check_map",
    "combine",
    "find_map_files",
    "maps_folder",
    "source_date",
]
