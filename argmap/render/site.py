"""Stage 5: the HTML site, rendered in memory from templates.

Pages are rendered with Jinja (autoescape on). The only HTML marked safe here is what
:mod:`argmap.markdown` rendered from Markdown, the SVG that Graphviz drew from escaped
labels, and the what-if data, JSON with every ``<``, ``>`` and ``&`` escaped
(:func:`script_json`). Every link is relative, so the site works from ``file://``,
from a subfolder of a web server, and offline.

Each map page shows the grounded evaluation of the map (whatever its ``[expect]``
semantics): "What stands", a badge and an explanation on every statement, the diagram
with the evaluation as a layer of it (:mod:`argmap.render.layers`), and the what-if
panel, whose script (``_static/whatif.js``) redoes the grounded labelling in the
browser from the data in ``<script id="_whatif">``.
"""

from __future__ import annotations

import json
import posixpath
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from posixpath import relpath

import jinja2
from markupsafe import Markup

from argmap import __version__
from argmap._pickling import by_constructor
from argmap.analysis import _explain as plain
from argmap.analysis.evaluate import Evaluation, Label, browser_model
from argmap.analysis.graph import ArgumentGraph, OutlineItem, outline_rows
from argmap.diagnostics import Diagnostic, InputError, Position
from argmap.markdown import to_html, to_inline_html
from argmap.model import AttackKind, Citation, NodeKind, Reason
from argmap.model.mapformat import KINDS
from argmap.model.validate import CitableMap
from argmap.render._site_config import SiteSettings
from argmap.render.dot import BADGES
from argmap.render.layers import without_badges
from argmap.render.site_index import (
    SEARCH_INDEX,
    TagIndex,
    page_path,
    search_entry,
    search_script,
    sitemap,
    tag_keys,
    to_plain,
)

KIND_NAMES = {kind: spec.label for kind, spec in KINDS.items()}


def default_templates_dir() -> Path:
    """The templates shipped in the wheel, or the repository's when run from a checkout."""
    packaged = Path(__file__).parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent.parent / "templates"


@by_constructor
@dataclass(frozen=True, slots=True)
class RenderedMap:
    """A map with its finished diagrams and its evaluation, ready for the page templates."""

    graph: ArgumentGraph
    svg: str  # the page's accessible SVG element, no XML prolog, its evaluation a layer
    evaluated_svg: str  # the evaluated diagram, for its SVG file only
    evaluation: Evaluation  # grounded
    png: bytes | None = None  # the diagram as PNG, for og:image (only with base_url)
    handouts: tuple[tuple[str, str, bytes], ...] = ()  # (label, path in the site, HTML)
    cache_keys: tuple[str, ...] = ()  # the render cache's entries the diagrams came from
    overview_svg: str = ""  # a large map's top levels (argmap.render.overview), or none


@dataclass(frozen=True, slots=True)
class Verdict:
    """A statement's label as the page shows it: a badge and the one-line reason."""

    label: str  # "IN", "OUT" or "UNDEC"
    badge: str  # "✓ IN", "✗ OUT", "? UNDEC"
    why: str  # the explanation without its leading "IN: "


@dataclass(frozen=True, slots=True)
class NodeRef:
    id: str
    number: str
    kind: str
    text: str  # plain text, for link titles


@dataclass(frozen=True, slots=True)
class ReasonView:
    """One reason for a node: its premises, and whether they only work together."""

    premises: tuple[NodeRef, ...]
    conclusion: NodeRef
    linked: bool
    undercut_by: tuple[NodeRef, ...]
    note: Markup | None


@dataclass(frozen=True, slots=True)
class NodeView:
    ref: NodeRef
    is_thesis: bool
    text: Markup
    quote: str | None
    paragraph: int | None
    note: Markup | None
    tags: tuple[str, ...]
    supports: tuple[ReasonView, ...]  # reasons this node takes part in
    supported_by: tuple[ReasonView, ...]
    attacks: tuple[NodeRef, ...]
    undercuts: tuple[ReasonView, ...]
    attacked_by: tuple[NodeRef, ...]
    verdict: Verdict
    given: bool  # no reasons: taken as given, so the what-if panel can reject it
    status: str  # the author's status: accepted, questioned or rejected
    cites: tuple[CitedRef, ...] = ()  # nodes of other maps this node cites
    section: str | None = None  # the frame it is drawn in (`section`)


@dataclass(frozen=True, slots=True)
class CitedRef:
    """A node of another map cited by a node (``cites``), as its card links to it."""

    href: str  # relative to the citing page: "../unit2/lesson.html#p3"
    target: str  # "unit2/lesson#p3", as the author wrote it
    map_title: str
    number: str  # "P3"
    text: str  # plain text


def cited_ref(citing_slug: str, citation: Citation, cited: Mapping[str, CitableMap]) -> CitedRef:
    """The link from ``citing_slug``'s page to a cited node (validation made sure it exists)."""
    target = cited[citation.map]
    number, text = target.nodes[citation.node]
    here = posixpath.dirname(page_path(citing_slug)) or "."
    href = f"{relpath(page_path(citation.map), here)}#{citation.node}"
    return CitedRef(href, citation.target, target.title, number, to_plain(text))


LABEL_ORDER = (Label.IN, Label.OUT, Label.UNDEC)


def render_site(
    maps: Iterable[RenderedMap],
    templates: Path | None = None,
    site: SiteSettings | None = None,
    *,
    date: str | None = None,
    cited: Mapping[str, CitableMap] | None = None,
) -> dict[str, bytes]:
    """All files of the site, keyed by relative POSIX path.

    ``site`` is argmap.toml's ``[site]``; with a ``base_url`` the pages get canonical
    links and Open Graph meta, and ``sitemap.xml`` is written (with ``date``, from
    ``SOURCE_DATE_EPOCH``, as every page's ``lastmod``). ``cited`` are the maps that
    ``cites`` may name, by page name (see :class:`SiteRenderer`).
    """
    maps = sorted(maps, key=lambda m: m.graph.map.slug)
    renderer = SiteRenderer(templates, site, [m.graph.map.tags for m in maps], cited)
    pages = [renderer.map_page(m) for m in maps]
    files = {name: b"".join(chunks) for page in pages for name, chunks in page.files.items()}
    return files | renderer.site_files(pages, date)


@by_constructor
@dataclass(frozen=True, slots=True)
class MapPage:
    """One map's part of the site: its own files, and what the site-wide pages need."""

    slug: str
    # The page, its SVGs, PNG and handouts, each as the chunks of its content: the page
    # is rendered as they are read (and written), so it is never whole in memory.
    files: Mapping[str, Iterable[bytes]]
    summary: Mapping[str, object]  # its card on the index and tag pages
    search: Mapping[str, object]  # its entry in the search index


class SiteRenderer:
    """Renders a site's pages. The map pages depend on the whole site only through the
    tag pages' names (:class:`TagIndex`, from ``tag_lists``: the tags of every map) and
    the cited maps' titles and texts, so each can be rendered, and cached, on its own
    (:meth:`map_page`); :meth:`site_files` adds the index, tag pages, search index,
    sitemap and static files from the pages' summaries.
    """

    def __init__(
        self,
        templates: Path | None,
        site: SiteSettings | None,
        tag_lists: list[tuple[str, ...]],
        cited: Mapping[str, CitableMap] | None = None,
        *,
        bytecode_cache: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.templates = templates
        self.site = site or SiteSettings()
        self.env = _environment(templates, bytecode_cache)
        if templates is not None:  # argmap's own templates fit together
            _check_blocks(self.env)
        self.env.globals["site"] = self.site
        self.tags = TagIndex(tag_lists)
        self.env.globals["tag_href"] = self.tags.href
        self.cited: Mapping[str, CitableMap] = cited or {}

    def _page(self, template: str, path: str, context: dict[str, object]) -> Iterable[bytes]:
        meta = _social(self.site, path, context.pop("_og", {}))  # type: ignore[arg-type]
        context.setdefault("lang", self.site.language)
        return _render(self.env, template, path, context | meta)

    def page_context(
        self,
        graph: ArgumentGraph,
        evaluation: Evaluation,
        cited: Mapping[str, CitableMap] | None = None,
    ) -> dict[str, object]:
        """Everything a map page shows but its diagrams: it can be worked out while
        Graphviz draws them (give it to :meth:`map_page`)."""
        without = RenderedMap(graph, Markup(), Markup(), evaluation)
        return _map_context(without, self.cited if cited is None else cited)

    def map_page(
        self,
        rendered: RenderedMap,
        cited: Mapping[str, CitableMap] | None = None,
        *,
        context: dict[str, object] | None = None,
    ) -> MapPage:
        """The map's own files; ``cited`` (default: the renderer's) are the maps it cites,
        ``context`` what :meth:`page_context` gave for this map, if it was asked."""
        site = self.site
        slug = rendered.graph.map.slug
        files: dict[str, Iterable[bytes]] = {}
        files[f"{slug}.svg"] = _standalone_svg(without_badges(rendered.svg))
        files[f"{slug}.evaluated.svg"] = _standalone_svg(rendered.evaluated_svg)
        for _, handout_path, html in rendered.handouts:
            files[handout_path] = (html,)
        if site.base_url and rendered.png is not None:
            files[f"{slug}.png"] = (rendered.png,)
        # The diagrams go into the page as they are: _map_context's Markup() of each
        # would be a copy (4 MB at 500 statements) beside the map's own.
        svg, evaluated_svg = _markup(rendered.svg), _markup(rendered.evaluated_svg)
        if context is None:
            context = self.page_context(rendered.graph, rendered.evaluation, cited)
        context["svg"], context["evaluated_svg"] = svg, evaluated_svg
        context["overview"] = _markup(rendered.overview_svg) if rendered.overview_svg else None
        context["handouts"] = [
            (label, relpath(handout_path, str(Path(f"{slug}.html").parent)))
            for label, handout_path, _ in rendered.handouts
        ]
        argument_map = rendered.graph.map
        context["_og"] = {
            "type": "article",
            "title": argument_map.title,
            "description": to_plain(argument_map.summary or rendered.graph.thesis.text),
            "image": f"{slug}.png" if rendered.png is not None else None,
        }
        files[page_path(slug)] = self._page("map.html", page_path(slug), context)
        return MapPage(slug, files, _summary(rendered), search_entry(rendered.graph))

    def site_files(self, pages: Iterable[MapPage], date: str | None = None) -> dict[str, bytes]:
        """The site-wide files (the pages' own files are in :attr:`MapPage.files`)."""
        site, tags = self.site, self.tags
        pages = sorted(pages, key=lambda p: p.slug)
        files: dict[str, bytes] = {}
        paths = [page_path(map_page.slug) for map_page in pages]
        summaries = [dict(p.summary) for p in pages]
        folders: dict[str, list[dict[str, object]]] = {}
        for summary in summaries:
            folders.setdefault(str(summary["folder"]), []).append(summary)
        index_context: dict[str, object] = {
            "maps": summaries,
            "folders": [{"path": path, "maps": folders[path]} for path in sorted(folders)],
            "tags": tags.listing(summaries),
            "search_href": SEARCH_INDEX,
            "_og": {"type": "website", "title": site.title, "description": site.description},
        }
        files["index.html"] = b"".join(self._page("index.html", "index.html", index_context))
        paths.append("index.html")
        for tag in tags.listing(summaries):
            key = tags.key(str(tag["name"]))
            tagged = [m for m in summaries if key in tag_keys(m)]
            href = str(tag["href"])
            tag_context: dict[str, object] = {
                "tag": tag,
                "maps": tagged,
                "_og": {"type": "website", "title": f"{tag['name']} · {site.title}"},
            }
            files[href] = b"".join(self._page("tag.html", href, tag_context))
            paths.append(href)
        files[SEARCH_INDEX] = search_script([p.search for p in pages])
        files[".nojekyll"] = b""
        if site.base_url:
            files["sitemap.xml"] = sitemap(site.base_url, paths, date)
        for name, path in _static_files(self.templates).items():
            files[f"_static/{name}"] = path.read_bytes()
        return files


def _social(site: SiteSettings, path: str, og: dict[str, str | None]) -> dict[str, object]:
    """``canonical``, ``og`` and ``twitter`` for a page: empty without ``base_url``."""
    description = og.get("description") or site.description
    if not site.base_url:
        return {"canonical": None, "og": [], "twitter": [], "description": description}
    url = site.base_url + ("" if path == "index.html" else path)
    image = og.get("image")
    pairs = [
        ("og:type", og.get("type") or "website"),
        ("og:site_name", site.title),
        ("og:title", og.get("title") or site.title),
        ("og:url", url),
        ("og:description", description),
        ("og:locale", site.language.replace("-", "_")),
    ]
    twitter = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", og.get("title") or site.title),
        ("twitter:description", description),
    ]
    if image:
        pairs.append(("og:image", site.base_url + image))
        twitter.append(("twitter:image", site.base_url + image))
    return {
        "canonical": url,
        "og": [(k, v) for k, v in pairs if v],
        "twitter": [(k, v) for k, v in twitter if v],
        "description": description,
    }


def _markup(svg: str) -> Markup:
    """The diagram as Markup: itself when it is one (as the pipeline's are), not a copy."""
    return svg if isinstance(svg, Markup) else Markup(svg)


def _standalone_svg(svg: str) -> Iterable[bytes]:
    """The diagram as a file of its own, encoded a slice at a time as it is written."""
    yield _XML_DECLARATION
    for start in range(0, len(svg), _BATCH):
        yield svg[start : start + _BATCH].encode("utf-8")
    yield b"\n"


_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'


def script_json(data: object) -> Markup:
    """JSON for a ``<script type="application/json">`` block that text cannot leave.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026``: outside strings
    JSON has none of them, and inside strings JSON.parse reads the escapes back, so
    neither ``</script>`` nor ``<!--`` can appear in the block, whatever a map says.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def verdict(graph: ArgumentGraph, evaluation: Evaluation, node_id: str) -> Verdict:
    """The words argmap.analysis._explain gives a lay reader, and the formal label."""
    label = evaluation.labels[node_id]
    why = evaluation.explanations[node_id].removeprefix(f"{label.value}: ")
    return Verdict(label.value, plain.badge(graph, evaluation.labels, node_id), why)


def _environment(
    templates: Path | None, bytecode_cache: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """Jinja for argmap's templates: autoescape on, undefined names are errors, and a
    project's own templates folder searched before argmap's. With ``bytecode_cache``
    (the build's cache folder), templates are compiled once, not on every build."""
    search = [str(templates)] if templates is not None else []
    search.append(str(default_templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
    )
    env.globals["argmap_version"] = __version__
    return env


# The pages argmap renders; each fills blocks of the template it extends.
_PAGE_TEMPLATES = ("map.html", "index.html", "tag.html")


def _check_blocks(env: jinja2.Environment) -> None:
    """Refuse a project's template that drops a block a page fills: Jinja would leave
    the block's content out without a word (a ``base.html`` without ``{% block head %}``
    loses the scripts of the what-if panel and the zoom)."""
    for page in _PAGE_TEMPLATES:
        filled, parent = _blocks(env, page)
        while parent is not None and filled:
            offered, grandparent = _blocks(env, parent)
            missing = sorted(filled - offered)
            if missing and grandparent is None:
                assert env.loader is not None
                _, filename, _ = env.loader.get_source(env, parent)
                names = ", ".join(f"{{% block {name} %}}" for name in missing)
                raise InputError(
                    [
                        Diagnostic(
                            Path(filename or parent),
                            Position(1),
                            "AM007",
                            f"template error: {parent} has no {names}, which {page} fills:"
                            " its content would be left out of every such page",
                            f"add {names}{{% endblock %}} where argmap's own {parent} has it,"
                            " or delete the template to use argmap's default",
                        )
                    ]
                )
            filled -= offered
            parent = grandparent


def _blocks(env: jinja2.Environment, name: str) -> tuple[set[str], str | None]:
    """The blocks a template defines, and the template it extends (a constant name)."""
    from jinja2 import nodes

    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, name)
        tree = env.parse(source, name)
    except jinja2.TemplateError as error:
        raise InputError([_template_diagnostic(error, name)]) from None
    extends = tree.find(nodes.Extends)
    parent = None
    if extends is not None and isinstance(extends.template, nodes.Const):
        parent = extends.template.value
    return {block.name for block in tree.find_all(nodes.Block)}, (
        parent if isinstance(parent, str) else None
    )


def _static_files(templates: Path | None) -> dict[str, Path]:
    """The default static files, replaced or added to by a project's ``static/`` folder."""
    folders = [default_templates_dir() / "static"]
    if templates is not None:
        folders.append(templates / "static")
    files: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                hidden = any(part.startswith(".") for part in relative.parts)
                if path.is_file() and not hidden:
                    files[path.relative_to(folder).as_posix()] = path
    return files


def _render(
    env: jinja2.Environment, template: str, path: str, context: dict[str, object]
) -> Iterable[bytes]:
    """The page in UTF-8, rendered as it is read (template errors are raised then)."""
    here = str(Path(path).parent).replace("\\", "/")
    root = relpath(".", here) + "/" if here not in ("", ".") else ""
    try:
        chunks = env.get_template(template).generate(
            root=root, static=f"{root}_static/", index=f"{root}index.html", **context
        )
        yield from _encoded(chunks)
    except jinja2.TemplateError as error:
        raise InputError([_template_diagnostic(error, template)]) from None


_BATCH = 1 << 16  # characters


def _encoded(chunks: Iterable[str]) -> Iterable[bytes]:
    """The chunks as UTF-8, a batch at a time: a large page is never one ``str`` (which
    takes 2 bytes a character as soon as one is above U+00FF, such as a badge's ✓)."""
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        if len(chunk) >= _BATCH:  # a diagram: encoded a slice at a time, not copied
            yield "".join(batch).encode("utf-8")
            for start in range(0, len(chunk), _BATCH):
                yield chunk[start : start + _BATCH].encode("utf-8")
            batch.clear()
            size = 0
            continue
        batch.append(chunk)
        size += len(chunk)
        if size >= _BATCH:
            yield "".join(batch).encode("utf-8")
            batch.clear()
            size = 0
    yield "".join(batch).encode("utf-8")


def _template_diagnostic(error: jinja2.TemplateError, template: str) -> Diagnostic:
    """Point at the template line that failed (templates can be the user's own)."""
    hint = "fix the template, or delete it to use argmap's default"
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = Path(error.filename or error.name or template)
        return Diagnostic(
            where, Position(error.lineno), "AM007", f"template error: {error.message}", hint
        )
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith((".html", ".jinja", ".j2"))
    ]
    if frames:
        where, line = Path(frames[-1].filename), frames[-1].lineno or 1
    else:
        where, line = Path(template), 1
    return Diagnostic(
        where, Position(line), "AM007", f"template error: {error.message or error}", hint
    )


def _summary(rendered: RenderedMap) -> dict[str, object]:
    graph = rendered.graph
    counts = graph.counts()
    argument_map = graph.map
    folder, _, name = argument_map.slug.rpartition("/")
    return {
        "slug": argument_map.slug,
        "folder": folder,
        "name": name,
        "svg_href": f"{argument_map.slug}.svg",
        "verdict": verdict(graph, rendered.evaluation, argument_map.thesis),
        "tag_keys": {TagIndex.key(tag) for tag in argument_map.tags},
        "title": argument_map.title,
        "href": page_path(argument_map.slug),
        "summary": to_html(argument_map.summary) if argument_map.summary else None,
        "tags": argument_map.tags,
        "claims": counts[NodeKind.CLAIM],
        "premises": counts[NodeKind.PREMISE],
        "rebuttals": counts[NodeKind.REBUTTAL],
        "relations": graph.relation_count(),
        "thesis": to_plain(graph.thesis.text),
    }


def _map_context(
    rendered: RenderedMap, cited: Mapping[str, CitableMap] | None = None
) -> dict[str, object]:
    graph = rendered.graph
    argument_map = graph.map
    refs = {
        node.id: NodeRef(
            node.id, graph.numbers[node.id], KIND_NAMES[node.kind], to_plain(node.text)
        )
        for node in graph.nodes.values()
    }

    views: dict[int, ReasonView] = {}  # by id(): each reason shows on several cards

    def reason_view(reason: Reason) -> ReasonView:
        view = views.get(id(reason))
        if view is None:
            undercutters = graph.attacks_on.get(reason.id, ()) if reason.id else ()
            views[id(reason)] = view = ReasonView(
                premises=tuple(refs[p] for p in reason.premises),
                conclusion=refs[reason.conclusion],
                linked=reason.linked,
                undercut_by=tuple(refs[a.source] for a in undercutters),
                note=Markup(to_html(reason.note)) if reason.note else None,
            )
        return view

    evaluation = rendered.evaluation
    nodes = []
    for node in graph.ordered_nodes():
        own_attacks = graph.attacks_by.get(node.id, ())
        nodes.append(
            NodeView(
                ref=refs[node.id],
                is_thesis=node.id == argument_map.thesis,
                text=Markup(to_html(node.text)),
                quote=node.quote.text if node.quote else None,
                paragraph=node.quote.paragraph if node.quote else None,
                note=Markup(to_html(node.note)) if node.note else None,
                tags=node.tags,
                supports=tuple(reason_view(r) for r in graph.reasons_from.get(node.id, ())),
                supported_by=tuple(reason_view(r) for r in graph.reasons_for.get(node.id, ())),
                attacks=tuple(refs[a.target] for a in own_attacks if a.kind is AttackKind.REBUT),
                undercuts=tuple(
                    reason_view(graph.reasons_by_id[a.target])
                    for a in own_attacks
                    if a.kind is AttackKind.UNDERCUT
                ),
                attacked_by=tuple(refs[a.source] for a in graph.attacks_on.get(node.id, ())),
                verdict=verdict(graph, evaluation, node.id),
                given=not graph.reasons_for.get(node.id),
                status=node.status.value,
                cites=tuple(cited_ref(argument_map.slug, c, cited or {}) for c in node.cites),
                section=node.section,
            )
        )
    counts = graph.counts()
    # What stands: the thesis first, then the other claims and rebuttals by label.
    shown = [n for n in nodes if not n.is_thesis and n.ref.kind != "premise"]
    groups = [
        {
            "label": label.value,
            "title": plain.GROUP_TITLES[label],
            "badge": BADGES[label],
            "nodes": [n for n in shown if n.verdict.label == label.value],
        }
        for label in LABEL_ORDER
    ]
    label_counts = {
        label.value: sum(1 for x in evaluation.labels.values() if x == label)
        for label in LABEL_ORDER
    }
    model = browser_model(graph) | {
        "thesis": argument_map.thesis,
        "texts": [refs[node_id].text for node_id in graph.numbers],
    }
    return {
        "map": argument_map,
        "lang": argument_map.language,
        "summary": Markup(to_html(argument_map.summary)) if argument_map.summary else None,
        "source": argument_map.source,
        "svg": Markup(rendered.svg),
        "overview": None,
        "evaluated_svg": Markup(rendered.evaluated_svg),
        "svg_href": f"{Path(argument_map.slug).name}.svg",
        "evaluated_svg_href": f"{Path(argument_map.slug).name}.evaluated.svg",
        "thesis_node": next(n for n in nodes if n.is_thesis),
        "groups": groups,
        "label_counts": label_counts,
        "given": [n for n in nodes if n.given],
        "whatif_json": script_json(model),
        "badges": {label.value: plain.COUNT_WORDS[label] for label in LABEL_ORDER},
        "assumptions": plain.assumptions("grounded"),
        "meanings": plain.MEANINGS,
        "formal": plain.FORMAL,
        "outline": graph.outline,
        "outline_rows": outline_rows(graph.outline),
        "refs_by_id": refs,
        "nodes": nodes,
        "has_sections": any(n.section for n in nodes),
        "thesis": refs[argument_map.thesis],
        "counts": {KIND_NAMES[k]: v for k, v in counts.items()},
        "relations": graph.relation_count(),
        "inline": to_inline_html,
        "OutlineItem": OutlineItem,
    }
