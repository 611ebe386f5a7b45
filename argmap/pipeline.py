"""The pipeline, end to end: find map files, load, validate, graph, draw, publish.

``check`` runs the stages that read input; ``build`` also draws every diagram and
writes the site. Both collect the problems of every map before giving up, so one run
reports everything that needs fixing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar, cast

from argmap import __version__
from argmap._gc import collector_paused
from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, InputError, Position, Severity
from argmap.evaluate import verdict_problems
from argmap.graph import ArgumentGraph, build_graph
from argmap.lint import lint_map, settings_for
from argmap.load import load_map_partially
from argmap.model import ArgumentMap, LintSettings, NodeKind
from argmap.quotes import QuoteReport, check_quotes, read_source_text, source_digest
from argmap.validate import CitableMap, citation_problems, find_problems

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from argmap._site_config import SiteSettings
    from argmap.evaluate import Evaluation
    from argmap.layout import DotRunner
    from argmap.output import RenderCache
    from argmap.site import MapPage, RenderedMap, SiteRenderer

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
    root: Path | None = None  # the maps folder in which its citations are resolved
    root_slug: str | None = None  # its path below root, when known

    @property
    def cite_slug(self) -> str:
        """The map's page name as other maps cite it: its path below its maps folder."""
        if self.root_slug is not None:
            return self.root_slug
        if self.root is None:
            return self.slug
        try:
            return self.path.resolve().relative_to(self.root.resolve()).with_suffix("").as_posix()
        except ValueError:
            return self.slug


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


class OutsideProjectError(UsageError):
    """A map file or folder linked out of the project: refused, the message says what
    to do (exit code 2)."""


# The folder `argmap check` and `argmap build` read when no path is given.
DEFAULT_MAPS = Path("arguments")


def maps_folder(map_file: Path) -> Path:
    """The maps folder of a map named on its own: where its citations are resolved.

    ``./arguments`` (the default folder of check and build) when the file lies below it,
    else the file's own folder.
    """
    default = DEFAULT_MAPS.resolve()
    if default in map_file.resolve().parents:
        return DEFAULT_MAPS
    return map_file.parent


def find_map_files(paths: list[Path]) -> list[MapFile]:
    """Map files under the given folders (recursively) or the given files, in stable order."""
    found: list[MapFile] = []
    for given in paths:
        inside = _project_of(given)
        if given.is_dir():
            inside(given)
            for path in sorted(given.rglob("*.toml")):
                hidden = any(part.startswith(".") for part in path.relative_to(given).parts)
                if hidden or not path.is_file():
                    continue
                inside(path)
                slug = path.relative_to(given).with_suffix("").as_posix()
                found.append(MapFile(path, slug, given, slug))
        elif given.is_file():
            inside(given)
            found.append(MapFile(given, given.stem, maps_folder(given)))
        else:
            raise UsageError(f"{given} does not exist")
    return found


def _project_of(given: Path) -> Callable[[Path], None]:
    """A check that a map file (or folder) found from ``given`` is really inside the
    project: a committed link ``arguments/x.toml -> ~/.cargo/credentials.toml`` (or
    ``arguments -> /home``) would have its lines quoted in the problems, which CI logs
    publish. Inside the current folder, links must stay in it; a path named outside it
    is the user's own choice and must not be left through a link either."""
    cwd = Path.cwd().resolve()
    named = Path(os.path.normpath(Path.cwd() / given))
    root = cwd if named == cwd or cwd in named.parents else given.resolve()

    def inside(path: Path) -> None:
        real = path.resolve()
        if real != root and root not in real.parents:
            raise OutsideProjectError(
                f"{path} is a symbolic link to {real}, outside {root}: argmap reads maps "
                "only inside the project (a link could put another file's lines into its "
                "messages); copy the map in, or name its own folder on the command line"
            )

    return inside


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
        problems = _slug_problems(one.map_file, slugs)
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
        _project_of(root)(path)  # a link out of the project is not read (as in find_map_files)
    except UsageError:
        return None
    argument_map, _ = load_map_partially(path, slug)
    if argument_map is None:
        return None
    nodes = {n.id: ("", n.text) for n in argument_map.nodes}
    return CitableMap(slug, argument_map.title, path, nodes, built=False)


def _slug_problems(map_file: MapFile, seen: dict[str, Path]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
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


ProgressCallback = Callable[[int, int, str, bool], None]
T = TypeVar("T")


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
    With ``handouts``, each map also gets classroom handouts (:data:`SITE_HANDOUTS`) under
    ``handouts/``, linked from its page.

    With ``cache``, a build keeps in ``.OUT.cache/`` beside the output folder
    (:class:`argmap.output.RenderCache`), by content hash: Graphviz's output, each map's
    check (keyed by its file, its source text, the lint settings and argmap's code), each
    map's finished files (keyed by its check, the templates, ``[site]``, the names of its
    tags' pages and the titles and texts it cites) and what was last written to the
    output folder. A build in which nothing changed renders and writes nothing.
    """
    # Imported here: `argmap check` and `--help` need none of the rendering machinery.
    from argmap.layout import DEFAULT_TIMEOUT, DotRunner, find_dot
    from argmap.output import (
        RenderCache,
        SiteWriter,
        check_output_folder,
        output_unchanged,
        refuse_linked_paths,
    )
    from argmap.site import TagIndex, default_templates_dir

    config_problems: list[Diagnostic] = []
    if config is None:
        config, config_problems = load_config(Path())
    site = config.site
    templates = templates or site.templates
    salt = f"{__version__}|{_code_stamp()}|{_dot_stamp()}" if cache else None
    render_cache = RenderCache(out_dir, salt) if salt is not None else None
    files = find_map_files(paths)
    refuse_linked_paths(out_dir)  # before the cache is written (docs/security.md)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    pool = _LazyPool(workers)  # started when there is work for it: not for a no-op build
    try:
        # 1. Check every map, or take its check from the cache; in the workers, a chunk
        # of maps at a time (see _chunk_size), sent as soon as it is full.
        checks: list[MapCheck | None] = [None] * len(files)
        check_keys: dict[str, str] = {}
        chunks: list[tuple[list[int], Future[list[MapCheck]]]] = []
        chunk: list[tuple[int, MapFile, str | None, str]] = []
        for index, map_file in enumerate(files):
            found, text, key = _cached_check(map_file, config, render_cache)
            check_keys[map_file.slug] = key
            if found is not None:
                checks[index] = found
            elif pool.get() is None:
                checks[index] = _check_job(map_file, config, text, out_dir, salt, key)
            else:
                chunk.append((index, map_file, text, key))
            if chunk and (
                len(chunk) >= _chunk_size(len(files) - index, workers) or index == len(files) - 1
            ):
                jobs_of = [(one[1], one[2], one[3]) for one in chunk]
                future = pool.submit(_check_jobs, jobs_of, config, out_dir, salt)
                chunks.append(([one[0] for one in chunk], future))
                chunk = []
        for indices, future in chunks:
            for index, one in zip(indices, future.result(), strict=True):
                checks[index] = one
        done_checks = [one for one in checks if one is not None]
        result, citable = combine(done_checks, building=True)
        problems = list(config_problems) + ([] if files else [_no_maps(paths)])
        result = replace(result, diagnostics=(*problems, *result.diagnostics))
        if result.errors or (strict and result.diagnostics):
            raise InputError(list(result.diagnostics))
        check_output_folder(out_dir, paths)
        find_dot()  # a missing Graphviz is reported before anything is drawn

        # 2. What each page depends on, and the whole site.
        graphs = result.graphs
        tag_lists = tuple(graph.map.tags for graph in graphs)
        tags = TagIndex(list(tag_lists))
        setting = "|".join(
            (
                _folder_digest([templates, default_templates_dir()]),
                repr(site),
                f"handouts={handouts}",
            )
        )
        page_keys: dict[str, str] = {}
        cited_by: dict[str, dict[str, CitableMap]] = {}
        for graph in graphs:
            argument_map = graph.map
            cited_by[argument_map.slug] = {
                c.map: citable[c.map] for node in argument_map.nodes for c in node.cites
            }
            cited = sorted(
                (c.target, citable[c.map].title, *citable[c.map].nodes[c.node])
                for node in argument_map.nodes
                for c in node.cites
            )
            source = json.dumps(
                [
                    check_keys[argument_map.slug],
                    setting,
                    [tags.href(tag) for tag in argument_map.tags],
                    cited,
                ],
                ensure_ascii=False,
            )
            page_keys[argument_map.slug] = (
                render_cache.key(source, "page") if render_cache is not None else ""
            )
        date = source_date()
        site_key = ""
        if render_cache is not None:
            site_key = render_cache.key(
                json.dumps([setting, date, sorted(page_keys.items())]), "site"
            )
            if output_unchanged(out_dir, render_cache.state, site_key):
                # Every file is what this build would write: nothing to render or write,
                # and the cache holds exactly what the last build used (nothing to prune).
                if progress:
                    for done, graph in enumerate(graphs, 1):
                        progress(done, len(graphs), graph.map.slug, True)
                return result

        # 3. Each map's files, from the cache or drawn and rendered, written as they come
        # into the new output folder; then the site-wide pages, and the swap (none when
        # nothing in the folder changes).
        state = render_cache.state if render_cache is not None else None
        # (On an error the workers end, closing(pool), before their folder is removed.)
        # Maps drawn in this process share one running dot (worker processes have their
        # own, see _start_worker).
        with (
            SiteWriter(out_dir, state=state, site_key=site_key) as writer,
            contextlib.closing(pool),
            DotRunner() as runner,
        ):
            pages: dict[str, MapPage] = {}
            missing: list[_PageJob] = []
            for graph in graphs:
                slug = graph.map.slug
                stored = _cached_page(render_cache, page_keys[slug], writer.folder)
                if stored is not None:
                    pages[slug] = stored[0]
                    writer.record(stored[1])
                    if progress:
                        progress(len(pages), len(graphs), slug, True)
                    continue
                missing.append(
                    _PageJob(
                        graph,
                        out_dir,
                        salt,
                        timeout or DEFAULT_TIMEOUT,
                        handouts,
                        templates,
                        site,
                        tag_lists,
                        cited_by[slug],
                        page_keys[slug],
                        writer.folder,
                    )
                )
            made: Iterable[tuple[MapPage, dict[str, str], bool, tuple[str, ...]]]
            if missing and pool.get() is not None:
                from concurrent.futures import as_completed  # not needed by one job (start-up)

                futures = [pool.submit(_page_jobs, part) for part in _chunks(missing, workers)]
                made = (one for future in as_completed(futures) for one in future.result())
            else:
                made = (_page_job(job, runner) for job in missing)
            for page, digests, cached, used in made:
                pages[page.slug] = page
                writer.record(digests)
                if render_cache is not None:
                    render_cache.used.update(used)
                if progress:
                    progress(len(pages), len(graphs), page.slug, cached)
            renderer = _renderer(templates, site, tag_lists, out_dir, salt)
            for name, content in renderer.site_files(pages.values(), date).items():
                writer.write(name, (content,))
            writer.finish()
        if render_cache is not None:
            render_cache.used.update(_worker_used(out_dir, salt))
            render_cache.prune()
        return result
    finally:
        # After an error or Ctrl-C the jobs not started are dropped; the running ones end.
        pool.shutdown()


def _start_method() -> str:
    """``fork`` (workers start at once, with argmap loaded) when this process runs no
    other thread; else ``spawn``: a forked child could inherit a lock that another
    thread holds (`argmap serve` builds while its web server runs in a thread)."""
    import multiprocessing
    import threading

    alone = threading.active_count() == 1
    return "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"


class _LazyPool:
    """Worker processes, started on first use; none for one job, or where this system
    cannot start them (then everything runs in this process)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.tried = workers < 2

    def get(self) -> ProcessPoolExecutor | None:
        if not self.tried:
            self.tried = True
            # Imported here: multiprocessing is not needed for one job or `argmap check`.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                context = multiprocessing.get_context(_start_method())
                self.pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=context,
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
            except (OSError, ImportError, NotImplementedError):  # no sem_open (sandboxes)
                self.pool = None
        return self.pool

    def submit(self, function: Callable[..., T], *args: object) -> Future[T]:
        pool = self.get()
        assert pool is not None
        return pool.submit(function, *args)

    def shutdown(self) -> None:
        """After an error or Ctrl-C the jobs not started are dropped; running ones end."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    close = shutdown  # for contextlib.closing


def _cached_check(
    map_file: MapFile, config: Config, cache: RenderCache | None
) -> tuple[MapCheck | None, str | None, str]:
    """One map's check from the cache, else None; with the map's text and its key.

    The key hashes the map file's bytes, its path and page names, the project's lint
    settings and, through the cache's salt, argmap's code; the
    entry records the source text file's content, compared on every use, since the map
    names the file. The key returned also covers that content.
    """
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
    lint = config.lint
    settings = [
        sorted(lint.disable),
        sorted(lint.require_quotes) if lint.require_quotes is not None else None,
        lint.max_text_length,
        sorted((code, str(severity)) for code, severity in lint.severity.items()),
        repr(lint.position),
        str(config.path),
    ]
    identity = [str(map_file.path), map_file.slug, str(map_file.root), map_file.cite_slug]
    digest = hashlib.sha256(data).hexdigest()
    key = cache.key(json.dumps([identity, settings, digest]), "check")
    stored = cache.get(key)
    if stored is not None:
        with contextlib.suppress(Exception):  # an unreadable entry is a miss
            argument_map, report, problems, well_formed, source_text = pickle.loads(stored)
            if source_text == _source_digest(argument_map):
                graph = build_graph(argument_map) if well_formed else None
                return MapCheck(map_file, argument_map, graph, report, problems), text, key
    return None, text, key


def _check_job(
    map_file: MapFile,
    config: Config,
    text: str | None,
    out_dir: Path,
    salt: str | None,
    key: str,
) -> MapCheck:
    """Check one map (in a worker process or not) and keep the result in the cache."""
    from argmap.output import RenderCache

    one = check_map(map_file, config, text)
    if salt is not None and key:
        # what the quotes were checked against, not a second read that may differ
        source_text = one.report.digest if one.report else _source_digest(one.argument_map)
        record = (one.argument_map, one.report, one.problems, one.graph is not None, source_text)
        RenderCache(out_dir, salt).write(
            key, lambda file: pickle.dump(record, file, pickle.HIGHEST_PROTOCOL)
        )
    return one


# At most this many maps per task sent to a worker process. Each task costs about a
# millisecond of pickling, waking and polling in this process's helper threads, and a
# small map takes 4 ms to check and 20 ms to draw: chunks of maps cut that cost, and
# chunks that shrink towards the end (guided scheduling) keep the workers' last tasks
# short, so that neither waits long for the other.
_MAX_CHUNK = 8


def _chunk_size(remaining: int, workers: int) -> int:
    """How many of the ``remaining`` maps go into the next task."""
    return max(1, min(_MAX_CHUNK, remaining // (workers * 4)))


def _chunks(items: list[T], workers: int) -> list[list[T]]:
    """``items`` in tasks of :func:`_chunk_size`, in order."""
    chunks, start = [], 0
    while start < len(items):
        size = _chunk_size(len(items) - start, workers)
        chunks.append(items[start : start + size])
        start += size
    return chunks


def _check_jobs(
    maps: list[tuple[MapFile, str | None, str]], config: Config, out_dir: Path, salt: str | None
) -> list[MapCheck]:
    """:func:`_check_job` for a chunk of maps (in a worker process)."""
    return [_check_job(map_file, config, text, out_dir, salt, key) for map_file, text, key in maps]


def _page_jobs(jobs: list[_PageJob]) -> list[tuple[MapPage, dict[str, str], bool, tuple[str, ...]]]:
    """:func:`_page_job` for a chunk of maps (in a worker process)."""
    return [_page_job(job, _WORKER_DOT) for job in jobs]


@dataclass(frozen=True, slots=True)
class _PageJob:
    """Everything needed to draw and render one map's files, in a worker process."""

    graph: ArgumentGraph
    out_dir: Path
    salt: str | None  # of the render cache; None without one
    timeout: float
    handouts: bool
    templates: Path | None
    site: SiteSettings
    tag_lists: tuple[tuple[str, ...], ...]  # of every map: the tag pages' names
    cited: dict[str, CitableMap]  # the maps this one cites
    page_key: str
    folder: Path  # the new output folder, where the map's files are written


def _page_job(
    job: _PageJob, runner: DotRunner | None
) -> tuple[MapPage, dict[str, str], bool, tuple[str, ...]]:
    """Draw and render one map, and write its files into ``job.folder``; returns its page
    (without files), their SHA-256 by name, whether no diagram was drawn, and the cache
    entries used (so that the build keeps them). ``runner``: the process's running dot."""
    from argmap.evaluate import evaluate
    from argmap.output import RenderCache, copy_in, site_path, write_file

    cache = RenderCache(job.out_dir, job.salt) if job.salt is not None else None
    with_png = bool(job.site.base_url)
    # The page always shows grounded semantics, whatever the map's [expect] says.
    evaluation = evaluate(job.graph)
    # Graphviz lays the diagrams out while the rest of the page is worked out.
    drawing = _render_map(job.graph, evaluation, cache, job.timeout, runner, with_png=with_png)
    try:
        renderer = _renderer(job.templates, job.site, job.tag_lists, job.out_dir, job.salt)
        context = renderer.page_context(job.graph, evaluation, job.cited)
    except BaseException:
        drawing.cancel()
        raise
    rendered, cached = drawing.finish()
    if job.handouts:
        rendered = replace(rendered, handouts=_handouts(job.graph, job.timeout, runner))
    page = renderer.map_page(rendered, job.cited, context=context)
    # Each file is rendered as it is written: the page is never whole in memory.
    digests = {name: write_file(job.folder, name, chunks) for name, chunks in page.files.items()}
    page = replace(page, files={})
    if cache is not None:
        # One entry: the page record, then the files as written (one file to create per
        # map, not one per file: creating files is most of what a cache costs).
        paths = {name: site_path(job.folder, name) for name in digests}
        sizes = {name: path.stat().st_size for name, path in paths.items()}
        record = (page, digests, sizes, rendered.cache_keys)

        def write(file: BinaryIO) -> None:
            pickle.dump(record, file, pickle.HIGHEST_PROTOCOL)
            for path in paths.values():
                copy_in(path, file)

        cache.write(job.page_key, write)
    used = cache.used if cache is not None else set()
    return page, digests, cached, tuple(used | _worker_used(job.out_dir, job.salt))


# The running dot of a worker process (:func:`_start_worker`), for every map it draws.
_WORKER_DOT: DotRunner | None = None


def _start_worker(parent: int) -> None:
    """Run in each worker process as it starts: the worker ends when the build process
    ``parent`` does, even by ``kill -9`` (:func:`argmap.layout.end_with`; its dot in
    turn ends with it); one dot draws every map the worker is given, and ends as the
    worker exits."""
    import multiprocessing.util

    from argmap.layout import DotRunner, end_with

    global _WORKER_DOT
    end_with(parent)
    _WORKER_DOT = DotRunner()
    multiprocessing.util.Finalize(None, _WORKER_DOT.close, exitpriority=10)


# One renderer per site settings in each process: Jinja loads (and compiles, or reads
# from the cache) each template once per process, not once per page.
_RENDERERS: dict[tuple[object, ...], tuple[SiteRenderer, RenderCache | None]] = {}


def _renderer(
    templates: Path | None,
    site: SiteSettings,
    tag_lists: tuple[tuple[str, ...], ...],
    out_dir: Path,
    salt: str | None,
) -> SiteRenderer:
    from argmap.output import RenderCache, template_bytecode_cache
    from argmap.site import SiteRenderer

    key = (templates, site, tag_lists, out_dir, salt, os.getpid())
    if key not in _RENDERERS:
        _RENDERERS.clear()  # another build: the previous one's renderer is not needed
        cache = RenderCache(out_dir, salt) if salt is not None else None
        bytecode = template_bytecode_cache(cache) if cache is not None else None
        _RENDERERS[key] = (
            SiteRenderer(templates, site, list(tag_lists), bytecode_cache=bytecode),
            cache,
        )
    return _RENDERERS[key][0]


def _worker_used(out_dir: Path, salt: str | None) -> set[str]:
    """The compiled templates this process's renderers used (to keep them in the cache)."""
    used: set[str] = set()
    for key, (_, cache) in _RENDERERS.items():
        if cache is not None and key[3] == out_dir and key[4] == salt:
            used |= cache.used
    return used


def _source_digest(argument_map: ArgumentMap | None) -> str:
    """The content of the source text file the map's quotes are checked against."""
    if argument_map is None or argument_map.source.text_file is None:
        return "none"
    try:
        return source_digest(
            read_source_text(argument_map.path.parent / argument_map.source.text_file)
        )
    except OSError as error:
        return source_digest(error)


def _cached_page(
    cache: RenderCache | None, key: str, folder: Path
) -> tuple[MapPage, dict[str, str]] | None:
    """A map's page from the cache, its files copied into ``folder``; with the files'
    SHA-256 by name. None (a miss) if the entry is missing, not sealed by this user, or
    unreadable: the map is then rendered again, its files written over any copied."""
    from argmap.output import copy_out, site_path

    if cache is None:
        return None
    with cache.opened(key) as entry, contextlib.suppress(Exception):
        if entry is None:
            return None
        page, digests, sizes, render_keys = pickle.load(entry)
        for name in digests:
            copy_out(entry, site_path(folder, name), sizes[name])
        cache.used.update(render_keys)  # the diagrams, kept for the day the page changes
        return cast("MapPage", page), cast("dict[str, str]", digests)
    return None


def _folder_digest(folders: list[Path | None]) -> str:
    """A hash of every file (name and content) in the folders: the templates."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"{folder}\0".encode())
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _dot_stamp() -> str:
    """The ``dot`` program (path, size, modification time), or "missing"."""
    from argmap.diagnostics import SetupError
    from argmap.layout import find_dot

    try:
        dot = Path(find_dot())
        stat = dot.stat()
    except (SetupError, OSError):
        return "missing"
    return f"{dot}|{stat.st_size}|{stat.st_mtime_ns}"


def _code_stamp() -> str:
    """Size and modification time of argmap's own modules: a changed argmap (even
    without a new version number, as in a checkout) starts with an empty cache."""
    package = Path(__file__).parent
    stamps = []
    for module in sorted(package.rglob("*.py")):  # subpackages (interop) too
        info = module.stat()
        name = module.relative_to(package).as_posix()
        stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamps)


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


# The handouts of the example build: A4 and US Letter, full and with premises blank.
SITE_HANDOUTS = (
    ("A4", "a4", None),
    ("Letter", "letter", None),
    ("A4, premises blank, with answer key", "a4-blanks", "premise"),
    ("Letter, premises blank, with answer key", "letter-blanks", "premise"),
)


def _handouts(
    graph: ArgumentGraph, timeout: float, runner: DotRunner | None
) -> tuple[tuple[str, str, bytes], ...]:
    from argmap.handout import HandoutOptions, Paper, default_draw, make_handout

    draw = default_draw(timeout, runner)
    made = []
    for label, suffix, blank in SITE_HANDOUTS:
        options = HandoutOptions(
            paper=Paper.LETTER if suffix.startswith("letter") else Paper.A4,
            blank=blank,
            answer_key=blank is not None,
        )
        html = make_handout(graph, options, draw).html
        made.append((label, f"handouts/{graph.map.slug}-{suffix}.html", html.encode("utf-8")))
    return tuple(made)


def _render_map(
    graph: ArgumentGraph,
    evaluation: Evaluation,
    cache: RenderCache | None,
    timeout: float,
    runner: DotRunner | None,
    *,
    with_png: bool,
) -> _Drawing:
    """Start drawing one map's diagrams (plain, evaluated, and a PNG for og:image when
    asked): Graphviz lays them out while the caller goes on with the page.

    ``finish()`` of the result gives the map and whether every diagram came from the
    cache; ``cancel()`` stops Graphviz when the caller gives up before.
    """
    import io

    from markupsafe import Markup

    from argmap.dot import id_prefix, node_tooltips, to_dot
    from argmap.layout import render, start_svgs
    from argmap.site import RenderedMap, page_path
    from argmap.svg import finish_svg

    # First level: the finished diagrams of this very map (its model, without the lint
    # settings, whose sets have no stable order), so an unchanged map costs no DOT, no
    # Graphviz and no SVG work. Second level, below: Graphviz's output by DOT source.
    map_key = ""
    if cache is not None:
        model = replace(graph.map, lint=LintSettings())
        map_key = cache.key(f"{model!r}|png={with_png}", "map")
        stored = cache.get(map_key)
        if stored is not None:
            with contextlib.suppress(Exception):  # an unreadable entry is a miss
                entry = io.BytesIO(stored)
                png, stored_keys = pickle.load(entry)
                svg, evaluated_svg = (Markup(pickle.load(entry).decode()) for _ in "ab")
                cache.used.update(stored_keys)  # kept for the day this map changes
                stored_map = RenderedMap(graph, svg, evaluated_svg, evaluation, png)
                done = replace(stored_map, cache_keys=(map_key, *stored_keys)), True
                return _Drawing(lambda: done)

    all_cached = True
    keys: list[str] = []

    def graphviz(source: str, output_format: str) -> bytes:
        nonlocal all_cached
        key = cache.key(source, output_format) if cache else ""
        keys.append(key)
        data = cache.get(key) if cache else None
        if data is None:
            all_cached = False
            data = render(source, output_format, timeout=timeout, name=str(graph.map.path))
            if output_format == "svg" and b"<svg" not in data:
                from argmap.layout import GraphvizError

                raise GraphvizError(
                    f"Graphviz produced no SVG for {graph.map.path}",
                    "check that `dot -Tsvg` works on this machine (a broken Graphviz install?)",
                )
            if cache:
                cache.put(key, data)
        return data

    href = Path(page_path(graph.map.slug)).name
    shown_in = (None, evaluation)
    sources = [to_dot(graph, href, s) for s in shown_in]
    # Both diagrams from the cache (one entry, under their DOT sources), or from
    # Graphviz, started now.
    layouts = cache.key("\0".join(sources), "svgs") if cache else ""
    keys.append(layouts)
    drawn: list[str] | None = None
    stored = cache.get(layouts) if cache else None
    if stored is not None:
        with contextlib.suppress(Exception):  # an unreadable entry is a miss
            entry = io.BytesIO(stored)
            drawn = [pickle.load(entry).decode() for _ in sources]
        del stored, entry
    pending = None
    if drawn is None:
        all_cached = False
        pending = start_svgs(sources, timeout=timeout, name=str(graph.map.path), runner=runner)
    del sources

    def finish() -> tuple[RenderedMap, bool]:
        nonlocal drawn
        if pending is not None:
            drawn = pending.result()
            if cache:
                laid_out = drawn

                def write_layouts(file: BinaryIO) -> None:
                    for svg in laid_out:  # one at a time: no copy of both
                        pickle.dump(svg.encode("utf-8"), file, pickle.HIGHEST_PROTOCOL)

                cache.write(layouts, write_layouts)
        assert drawn is not None
        svgs = []
        for shown in shown_in:
            title, description = "Argument map", describe(graph)
            if shown is not None:
                title = "Evaluated argument map"
                description += (
                    " Each statement is marked as standing (IN), falling (OUT, dashed border"
                    " and grey) or undecided (UNDEC, dotted border) under grounded semantics."
                )
            # Markup now, so that the page takes the diagram as it is (see map_page)
            finished = finish_svg(
                drawn.pop(0),  # Graphviz's SVG, let go once finished
                title=f"{title}: {graph.map.title}",
                description=description,
                tooltips=node_tooltips(graph, shown),
                id_prefix=id_prefix(shown),
            )
            svgs.append(Markup(finished))
            del finished
        png = graphviz(to_dot(graph, href), "png") if with_png else None
        if cache is not None:

            def write(file: BinaryIO) -> None:
                pickle.dump((png, keys), file, pickle.HIGHEST_PROTOCOL)
                for svg in svgs:  # one at a time: a Markup's own pickle is a str copy
                    pickle.dump(svg.encode("utf-8"), file, pickle.HIGHEST_PROTOCOL)

            cache.write(map_key, write)
        rendered = RenderedMap(graph, svgs[0], svgs[1], evaluation, png)
        return replace(rendered, cache_keys=(map_key, *keys) if cache else ()), all_cached

    return _Drawing(finish, pending.cancel if pending is not None else None)


class _Drawing:
    """A map's diagrams being drawn (:func:`_render_map`): :meth:`finish` waits for
    Graphviz and finishes them; :meth:`cancel` stops Graphviz when the page fails."""

    def __init__(
        self,
        finish: Callable[[], tuple[RenderedMap, bool]],
        cancel: Callable[[], None] | None = None,
    ) -> None:
        self.finish = finish
        self.cancel = cancel or (lambda: None)


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
