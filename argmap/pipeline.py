"""The pipeline, end to end: find map files, load, validate, graph, draw, publish.

``check`` runs the stages that read input; ``build`` also draws every diagram and
writes the site. Both collect the problems of every map before giving up, so one run
reports everything that needs fixing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from argmap import __version__
from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, InputError, Position, Severity
from argmap.evaluate import verdict_problems
from argmap.graph import ArgumentGraph, build_graph
from argmap.lint import lint_map, settings_for
from argmap.load import load_map_partially
from argmap.model import LintSettings, NodeKind
from argmap.quotes import QuoteReport, check_quotes
from argmap.validate import find_problems

if TYPE_CHECKING:
    from argmap.output import RenderCache
    from argmap.site import RenderedMap

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
    ``base_url`` and the templates folder when ``templates`` is None. Maps are drawn on
    ``jobs`` Graphviz processes at once (default: the number of cores); with ``cache``,
    Graphviz's output is kept by content hash beside the output folder
    (:class:`argmap.output.RenderCache`), so an unchanged map is not laid out again.
    ``progress(done, total, page name, from_cache)`` is called as each map is drawn.
    With ``handouts``, each map also gets classroom handouts (:data:`SITE_HANDOUTS`) under
    ``handouts/``, linked from its page.
    """
    # Imported here: `argmap check` and `--help` need none of the rendering machinery.
    from argmap.layout import DEFAULT_TIMEOUT, find_dot
    from argmap.output import RenderCache, check_output_folder, write_site
    from argmap.site import render_site

    config_problems: list[Diagnostic] = []
    if config is None:
        config, config_problems = load_config(Path())
    result = check(paths, config)
    if config_problems:
        result = replace(result, diagnostics=(*config_problems, *result.diagnostics))
    if result.errors or (strict and result.diagnostics):
        raise InputError(list(result.diagnostics))
    check_output_folder(out_dir, paths)
    site = config.site
    dot = Path(find_dot())  # a missing Graphviz is reported before anything else
    stat = dot.stat()
    render_cache = (
        RenderCache(
            out_dir, f"{__version__}|{_code_stamp()}|{dot}|{stat.st_size}|{stat.st_mtime_ns}"
        )
        if cache
        else None
    )
    graphs = result.graphs
    workers = max(1, min(jobs or os.cpu_count() or 1, len(graphs) or 1))

    def draw(graph: ArgumentGraph) -> tuple[RenderedMap, bool]:
        return _render_map(
            graph, render_cache, timeout or DEFAULT_TIMEOUT, with_png=bool(site.base_url)
        )

    rendered: list[RenderedMap] = []
    if workers == 1:
        for done, graph in enumerate(graphs, 1):
            one, cached = draw(graph)
            rendered.append(one)
            if progress:
                progress(done, len(graphs), graph.map.slug, cached)
    else:
        # Threads are enough: the work is Graphviz, a process of its own per diagram.
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argmap-dot")
        try:
            futures = {executor.submit(draw, graph): graph for graph in graphs}
            for done, future in enumerate(as_completed(futures), 1):
                _, cached = future.result()
                if progress:
                    progress(done, len(graphs), futures[future].map.slug, cached)
            rendered = [future.result()[0] for future in futures]
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        executor.shutdown()
    if handouts:
        rendered = [
            replace(one, handouts=_handouts(one.graph, timeout or DEFAULT_TIMEOUT))
            for one in rendered
        ]
    write_site(
        render_site(rendered, templates or site.templates, site, date=source_date()), out_dir
    )
    if render_cache is not None:
        render_cache.prune()
    return result


def _code_stamp() -> str:
    """Size and modification time of argmap's own modules: a changed argmap (even
    without a new version number, as in a checkout) starts with an empty cache."""
    package = Path(__file__).parent
    stamps = []
    for module in sorted(package.glob("*.py")):
        info = module.stat()
        stamps.append(f"{module.name}:{info.st_size}:{info.st_mtime_ns}")
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


def _handouts(graph: ArgumentGraph, timeout: float) -> tuple[tuple[str, str, bytes], ...]:
    from argmap.handout import HandoutOptions, Paper, default_draw, make_handout

    draw = default_draw(timeout)
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
    graph: ArgumentGraph, cache: RenderCache | None, timeout: float, *, with_png: bool
) -> tuple[RenderedMap, bool]:
    """Draw one map's diagrams (plain, evaluated, and a PNG for og:image when asked).

    Returns the map and whether every diagram came from the cache.
    """
    from argmap.dot import id_prefix, node_tooltips, to_dot
    from argmap.evaluate import evaluate
    from argmap.layout import render, render_svgs
    from argmap.site import RenderedMap, page_path
    from argmap.svg import finish_svg

    # The page always shows grounded semantics, whatever the map's [expect] says.
    evaluation = evaluate(graph)
    # First level: the finished diagrams of this very map (its model, without the lint
    # settings, whose sets have no stable order), so an unchanged map costs no DOT, no
    # Graphviz and no SVG work. Second level, below: Graphviz's output by DOT source.
    map_key = ""
    if cache is not None:
        model = replace(graph.map, lint=LintSettings())
        map_key = cache.key(f"{model!r}|png={with_png}", "map.json")
        stored = cache.get(map_key)
        if stored is not None:
            data = json.loads(stored)
            cache.used.update(data["keys"])  # kept for the day this map changes
            png = base64.b64decode(data["png"]) if data["png"] is not None else None
            return RenderedMap(graph, data["svg"], data["evaluated"], evaluation, png), True

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

    def graphviz_svgs(sources: list[str]) -> list[str]:
        """The diagrams from the cache, or all of them from one run of `dot`."""
        nonlocal all_cached
        here = [cache.key(source, "svg") if cache else "" for source in sources]
        keys.extend(here)
        stored = [cache.get(key) if cache else None for key in here]
        if None in stored:
            all_cached = False
            svgs = render_svgs(sources, timeout=timeout, name=str(graph.map.path))
            stored = [svg.encode("utf-8") for svg in svgs]
            for key, data in zip(here, stored, strict=True):
                if cache and data is not None:
                    cache.put(key, data)
        return [(data or b"").decode("utf-8", "replace") for data in stored]

    href = Path(page_path(graph.map.slug)).name
    shown_in = (None, evaluation)
    svgs = []
    for shown, svg in zip(
        shown_in, graphviz_svgs([to_dot(graph, href, s) for s in shown_in]), strict=True
    ):
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
    png = graphviz(to_dot(graph, href), "png") if with_png else None
    if cache is not None:
        encoded = base64.b64encode(png).decode() if png is not None else None
        record = {"svg": svgs[0], "evaluated": svgs[1], "png": encoded, "keys": keys}
        cache.put(map_key, json.dumps(record, ensure_ascii=False).encode())
    return RenderedMap(graph, svgs[0], svgs[1], evaluation, png), all_cached


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
