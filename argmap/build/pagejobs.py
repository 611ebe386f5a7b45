"""One map's page, drawn, rendered and written into the new output folder: the unit of
work of a build's page phase, in a worker process or in the build's own.

A page job carries everything it needs (:class:`PageJob`), so that it can be pickled
to a worker; it returns the page record, its files' SHA-256 and the cache entries it
used (:class:`PageDone`), so that the build process can write the site-wide pages and
keep those entries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from argmap._pickling import by_constructor
from argmap.analysis.graph import ArgumentGraph
from argmap.build.cache import BuildCache, StoredPage
from argmap.build.drawing import start_drawing

if TYPE_CHECKING:
    from argmap.model.validate import CitableMap
    from argmap.output import RenderCache
    from argmap.render._site_config import SiteSettings
    from argmap.render.layout import DotRunner
    from argmap.render.site import MapPage, SiteRenderer


@by_constructor
@dataclass(frozen=True, slots=True)
class PageJob:
    """Everything needed to draw and render one map's files, in a worker process."""

    graph: ArgumentGraph
    cache: BuildCache | None
    timeout: float
    handouts: bool
    templates: Path | None
    site: SiteSettings
    tag_lists: tuple[tuple[str, ...], ...]  # of every map: the tag pages' names
    cited: dict[str, CitableMap]  # the maps this one cites
    page_key: str
    folder: Path  # the new output folder, where the map's files are written


@by_constructor
@dataclass(frozen=True, slots=True)
class PageDone:
    """A map's page (without files), its files' SHA-256 by name, whether no diagram was
    drawn, and the cache entries used (so that the build keeps them)."""

    page: MapPage
    digests: dict[str, str]
    cached: bool
    used: tuple[str, ...]


def page_jobs(jobs: list[PageJob]) -> list[PageDone]:
    """:func:`page_job` for a chunk of maps (in a worker process, with its running dot)."""
    from argmap.build.workers import worker_dot

    return [page_job(job, worker_dot()) for job in jobs]


def page_job(job: PageJob, runner: DotRunner | None) -> PageDone:
    """Draw and render one map, and write its files into ``job.folder``; ``runner``:
    this process's running dot."""
    from argmap.analysis.evaluate import evaluate
    from argmap.output import write_file

    cache = job.cache.fresh() if job.cache is not None else None
    # The page always shows grounded semantics, whatever the map's [expect] says.
    evaluation = evaluate(job.graph)
    # Graphviz lays the diagrams out while the rest of the page is worked out.
    with_png = bool(job.site.base_url)
    drawing = start_drawing(job.graph, evaluation, cache, job.timeout, runner, with_png=with_png)
    try:
        renderer = site_renderer(job.templates, job.site, job.tag_lists, cache)
        context = renderer.page_context(job.graph, evaluation, job.cited)
    except BaseException:
        drawing.cancel()
        raise
    rendered, cached = drawing.finish()
    if job.handouts:
        from argmap.build._site_handouts import site_handouts

        rendered = replace(rendered, handouts=site_handouts(job.graph, job.timeout, runner))
    page = renderer.map_page(rendered, job.cited, context=context)
    # Each file is rendered as it is written: the page is never whole in memory.
    digests = {name: write_file(job.folder, name, chunks) for name, chunks in page.files.items()}
    page = replace(page, files={})
    if cache is None:
        return PageDone(page, digests, cached, ())
    _keep(cache, job, StoredPage(page, digests, {}, rendered.cache_keys))
    return PageDone(page, digests, cached, tuple(cache.used | renderers_used(cache)))


def _keep(cache: BuildCache, job: PageJob, stored: StoredPage) -> None:
    """Keep the page record and its files as written in the cache."""
    from argmap.output import site_path

    paths = {name: site_path(job.folder, name) for name in stored.digests}
    sizes = {name: path.stat().st_size for name, path in paths.items()}
    cache.put_page(job.page_key, replace(stored, sizes=sizes), paths)


# One renderer per site settings in each process: Jinja loads (and compiles, or reads
# from the cache) each template once per process, not once per page.
_RENDERERS: dict[tuple[object, ...], tuple[SiteRenderer, RenderCache | None]] = {}


def site_renderer(
    templates: Path | None,
    site: SiteSettings,
    tag_lists: tuple[tuple[str, ...], ...],
    cache: BuildCache | None,
) -> SiteRenderer:
    """This process's renderer of the site (its compiled templates in the user's cache
    when the build has a cache)."""
    from argmap.output import template_bytecode_cache
    from argmap.render.site import SiteRenderer

    where = (cache.out_dir, cache.salt) if cache is not None else None
    key = (templates, site, tag_lists, where, os.getpid())
    if key not in _RENDERERS:
        _RENDERERS.clear()  # another build: the previous one's renderer is not needed
        store = BuildCache(*where).store if where is not None else None
        bytecode = template_bytecode_cache(store) if store is not None else None
        _RENDERERS[key] = (
            SiteRenderer(templates, site, list(tag_lists), bytecode_cache=bytecode),
            store,
        )
    return _RENDERERS[key][0]


def renderers_used(cache: BuildCache | None) -> set[str]:
    """The compiled templates this process's renderers used for the build of ``cache``
    (to keep them in the cache)."""
    used: set[str] = set()
    if cache is None:
        return used
    for key, (_, store) in _RENDERERS.items():
        if store is not None and key[3] == (cache.out_dir, cache.salt):
            used |= store.used
    return used
