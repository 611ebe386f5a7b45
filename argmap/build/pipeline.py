"""The pipeline, end to end: find map files, check them, draw, publish.

``check`` runs the stages that read input (:mod:`argmap.build.check`); ``build`` also
draws every diagram and writes the site. Both collect the problems of every map before
giving up, so one run reports everything that needs fixing. This module composes the
stages, in the order ``build`` runs them; the build cache (:mod:`argmap.build.cache`),
the worker processes (:mod:`argmap.build.workers`) and a map's page job
(:mod:`argmap.build.pagejobs`, :mod:`argmap.build.drawing`) are modules of their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from argmap.analysis.graph import ArgumentGraph
from argmap.build.check import (
    CheckResult,
    MapCheck,
    check,
    check_all,
    check_map,
    combine,
    no_maps,
)
from argmap.build.mapfiles import (
    DEFAULT_MAPS,
    MapFile,
    OutsideProjectError,
    UsageError,
    find_map_files,
    maps_folder,
)
from argmap.config import Config, load_config
from argmap.diagnostics import (
    Diagnostic,
    InputError,
    SetupError,
    environment_error,
    is_environment_error,
)
from argmap.model.validate import CitableMap

if TYPE_CHECKING:
    from argmap.build.cache import BuildCache
    from argmap.build.pagejobs import PageDone
    from argmap.build.workers import Workers
    from argmap.output import SiteWriter
    from argmap.render._site_config import SiteSettings
    from argmap.render.layout import DotRunner
    from argmap.render.site import MapPage


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
    handout_keys: Path | None = None,
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
    ``handout_keys`` (implies ``handouts``) is a folder outside the output folder that
    gets each of those handouts' answer keys once the site is written: a site is public,
    a key is not.

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
    from argmap.build.workers import Workers
    from argmap.output import check_private_folder, refuse_linked_paths

    config_problems: list[Diagnostic] = []
    if config is None:
        config, config_problems = load_config(Path())
    render_cache = BuildCache(out_dir, build_salt()) if cache else None
    files = find_map_files(paths)
    refuse_linked_paths(out_dir)  # before the cache is written (docs/security.md)
    if handout_keys is not None:
        check_private_folder(handout_keys, out_dir, "--handout-keys")
        handouts = True
    # Started when there is work for them: not for a no-op build. (On an error or
    # Ctrl-C, the jobs not started are dropped and the running ones end.)
    with Workers(max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))) as workers:
        checks, check_keys = check_all(files, config, render_cache, workers)
        result, citable = combine(checks, building=True)
        problems = list(config_problems) + ([] if files else [no_maps(paths)])
        result = replace(result, diagnostics=(*problems, *result.diagnostics))
        if result.errors or (strict and result.diagnostics):
            raise InputError(list(result.diagnostics))
        site = _Site.of(result.graphs, config, templates, handouts, timeout)
        if handout_keys is not None:
            from argmap.build._site_handouts import site_key_names

            slugs = (graph.map.slug for graph in site.graphs)
            check_private_folder(handout_keys, out_dir, "--handout-keys", site_key_names(slugs))
        _publish(site, paths, out_dir, citable, check_keys, render_cache, workers, progress)
    if handout_keys is not None:
        _write_handout_keys(site, handout_keys)
    return result


def _write_handout_keys(site: _Site, folder: Path) -> None:
    """Each site handout's answer key into ``folder`` (never the site: it is public),
    in map order; the same bytes as ``argmap handout --answer-key`` writes."""
    from argmap.build._site_handouts import site_handout_keys
    from argmap.output import write_private_files
    from argmap.render.layout import DotRunner

    try:
        with DotRunner() as runner:
            for graph in site.graphs:
                write_private_files(folder, site_handout_keys(graph, site.timeout, runner))
    except OSError as error:
        if isinstance(error, SetupError) or not is_environment_error(error):
            raise
        raise environment_error(error, f"cannot write the answer keys to {folder}") from None


# -- what each page depends on ---------------------------------------------------------


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
    from argmap.render.site_index import TagIndex

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


# -- each map's files, then the site-wide pages --------------------------------------


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
    from argmap.output import SiteWriter, check_output_folder, output_unchanged
    from argmap.render.layout import DotRunner, find_dot

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
