"""Stage 5: the HTML site, rendered in memory from templates.

Pages are rendered with Jinja (autoescape on). The only HTML marked safe here is what
:mod:`argmap.markdown` rendered from Markdown, the SVG that Graphviz drew from escaped
labels, and the what-if data, JSON with every ``<``, ``>`` and ``&`` escaped
(:func:`script_json`). Every link is relative, so the site works from ``file://``,
from a subfolder of a web server, and offline.

Each map page shows the grounded evaluation of the map (whatever its ``[expect]``
semantics): "What stands", a badge and an explanation on every statement, a plain and an
evaluated diagram, and the what-if panel, whose script (``_static/whatif.js``) redoes
the grounded labelling in the browser from the data in ``<script id="_whatif">``.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from posixpath import relpath

import jinja2
from markupsafe import Markup

from argmap import __version__
from argmap.diagnostics import Diagnostic, InputError, Position
from argmap.dot import BADGES
from argmap.evaluate import Evaluation, Label, browser_model
from argmap.graph import ArgumentGraph, OutlineItem
from argmap.markdown import to_html, to_inline_html, to_plain
from argmap.model import AttackKind, NodeKind, Reason

KIND_NAMES = {NodeKind.CLAIM: "claim", NodeKind.PREMISE: "premise", NodeKind.REBUTTAL: "rebuttal"}


def default_templates_dir() -> Path:
    """The templates shipped in the wheel, or the repository's when run from a checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class RenderedMap:
    """A map with its finished diagrams and its evaluation, ready for the page templates."""

    graph: ArgumentGraph
    svg: str  # the accessible SVG element, without XML prolog
    evaluated_svg: str  # the same with a badge and a line style per label
    evaluation: Evaluation  # grounded


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


LABEL_ORDER = (Label.IN, Label.OUT, Label.UNDEC)
GROUP_TITLES = {
    Label.IN: "Claims and rebuttals that stand",
    Label.OUT: "Claims and rebuttals that fall",
    Label.UNDEC: "Claims and rebuttals the map leaves undecided",
}


def page_path(slug: str) -> str:
    return f"{slug}.html"


def render_site(maps: Iterable[RenderedMap], templates: Path | None = None) -> dict[str, bytes]:
    """All files of the site, keyed by relative POSIX path."""
    env = _environment(templates)
    maps = sorted(maps, key=lambda m: m.graph.map.slug)
    files: dict[str, bytes] = {}
    for rendered in maps:
        slug = rendered.graph.map.slug
        files[f"{slug}.svg"] = _standalone_svg(rendered.svg)
        files[f"{slug}.evaluated.svg"] = _standalone_svg(rendered.evaluated_svg)
        files[page_path(slug)] = _render(env, "map.html", page_path(slug), _map_context(rendered))
    files["index.html"] = _render(
        env, "index.html", "index.html", {"maps": [_summary(m.graph) for m in maps]}
    )
    for name, path in _static_files(templates).items():
        files[f"_static/{name}"] = path.read_bytes()
    return files


def _standalone_svg(svg: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + svg + "\n").encode()


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


def verdict(evaluation: Evaluation, node_id: str) -> Verdict:
    label = evaluation.labels[node_id]
    why = evaluation.explanations[node_id].removeprefix(f"{label.value}: ")
    return Verdict(label.value, BADGES[label], why)


def _environment(templates: Path | None) -> jinja2.Environment:
    search = [str(templates)] if templates is not None else []
    search.append(str(default_templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["argmap_version"] = __version__
    return env


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


def _render(env: jinja2.Environment, template: str, path: str, context: dict[str, object]) -> bytes:
    here = str(Path(path).parent).replace("\\", "/")
    root = relpath(".", here) + "/" if here not in ("", ".") else ""
    try:
        page = env.get_template(template).render(
            root=root, static=f"{root}_static/", index=f"{root}index.html", **context
        )
    except jinja2.TemplateError as error:
        raise InputError([_template_diagnostic(error, template)]) from None
    return page.encode("utf-8")


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


def _summary(graph: ArgumentGraph) -> dict[str, object]:
    counts = graph.counts()
    argument_map = graph.map
    return {
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


def _map_context(rendered: RenderedMap) -> dict[str, object]:
    graph = rendered.graph
    argument_map = graph.map
    refs = {
        node.id: NodeRef(
            node.id, graph.numbers[node.id], KIND_NAMES[node.kind], to_plain(node.text)
        )
        for node in graph.nodes.values()
    }

    def reason_view(reason: Reason) -> ReasonView:
        undercutters = graph.attacks_on.get(reason.id, ()) if reason.id else ()
        return ReasonView(
            premises=tuple(refs[p] for p in reason.premises),
            conclusion=refs[reason.conclusion],
            linked=reason.linked,
            undercut_by=tuple(refs[a.source] for a in undercutters),
            note=Markup(to_html(reason.note)) if reason.note else None,
        )

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
                verdict=verdict(evaluation, node.id),
                given=not graph.reasons_for.get(node.id),
                status=node.status.value,
            )
        )
    counts = graph.counts()
    # What stands: the thesis first, then the other claims and rebuttals by label.
    shown = [n for n in nodes if not n.is_thesis and n.ref.kind != "premise"]
    groups = [
        {
            "label": label.value,
            "title": GROUP_TITLES[label],
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
        "evaluated_svg": Markup(rendered.evaluated_svg),
        "svg_href": f"{Path(argument_map.slug).name}.svg",
        "evaluated_svg_href": f"{Path(argument_map.slug).name}.evaluated.svg",
        "thesis_node": next(n for n in nodes if n.is_thesis),
        "groups": groups,
        "label_counts": label_counts,
        "given": [n for n in nodes if n.given],
        "whatif_json": script_json(model),
        "badges": {label.value: BADGES[label] for label in LABEL_ORDER},
        "outline": graph.outline,
        "refs_by_id": refs,
        "nodes": nodes,
        "thesis": refs[argument_map.thesis],
        "counts": {KIND_NAMES[k]: v for k, v in counts.items()},
        "relations": graph.relation_count(),
        "inline": to_inline_html,
        "OutlineItem": OutlineItem,
    }
