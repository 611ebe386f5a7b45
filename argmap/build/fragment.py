"""An HTML fragment of one map, to include in another site's page (``argmap render
--fragment``, and the Sphinx directive of :mod:`argmap.sphinx`).

The fragment is a ``<div class="argmap-fragment">`` with the plain diagram inline (SVG),
the outline as nested lists (the site's ``outline_row`` macro) and a ``<style>`` block
whose every selector starts with ``.argmap-fragment``: it is made from the site's own
``argmap.css`` (:func:`scoped_css`), so it styles the fragment and nothing else of the
host page, and needs no file besides the fragment. It has no script.

Every id in it starts with a prefix of its own (by default from the map's page name and
the sub-tree shown), so several fragments can share a page: the wrapper's id is the
prefix, the diagram's element ids are ``_svg_<prefix>_...``, and the outline's numbers
link to the boxes of the diagram. The diagram's boxes are not links (the map's own page
is not part of the host site); their titles still give the full text on hover and to
screen readers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import lru_cache

from markupsafe import Markup

from argmap.analysis.graph import ArgumentGraph, build_graph, outline_rows
from argmap.markdown import to_plain
from argmap.model import Attack, Reason
from argmap.render.layout import DEFAULT_TIMEOUT, render_svg
from argmap.render.site import KIND_NAMES, NodeRef, _environment, default_templates_dir
from argmap.render.svg import SVG_NS, XLINK_NS, finish_svg

WRAPPER_CLASS = "argmap-fragment"
# Rules of argmap.css the fragment uses: the outline and the diagram's scroll box.
_KEPT_SELECTORS = (".outline-tree", ".role", ".kind", ".again", ".ref", ".diagram-scroll")
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


class FragmentError(ValueError):
    """The fragment cannot be made as asked (for example, an unknown node id)."""


def default_id_prefix(slug: str, node: str | None = None) -> str:
    """``argmap-<page name>[-<node>]``: letters, digits, ``-`` and ``_`` only."""
    name = slug if node is None else f"{slug}-{node}"
    return "argmap-" + _UNSAFE_ID.sub("-", name).strip("-")


def subgraph(graph: ArgumentGraph, node_id: str) -> ArgumentGraph:
    """The part of the map under ``node_id``: what supports or attacks it, recursively.

    The node becomes the sub-map's thesis; every node keeps its number from the whole
    map (P3 is P3 in both), so readers can compare.
    """
    if node_id not in graph.nodes:
        known = ", ".join(sorted(graph.nodes))
        raise FragmentError(f"the map has no statement {node_id!r} (its ids: {known})")
    nodes = {node_id}
    reasons: list[Reason] = []
    attacks: list[Attack] = []
    pending = [node_id]
    while pending:
        target = pending.pop()
        found: list[str] = []
        for reason in graph.reasons_for.get(target, ()):
            reasons.append(reason)
            found += reason.premises
            if reason.id is not None:
                for attack in graph.attacks_on.get(reason.id, ()):
                    attacks.append(attack)
                    found.append(attack.source)
        for attack in graph.attacks_on.get(target, ()):
            attacks.append(attack)
            found.append(attack.source)
        for found_id in found:
            if found_id not in nodes:
                nodes.add(found_id)
                pending.append(found_id)
    argument_map = graph.map
    sub_map = replace(
        argument_map,
        thesis=node_id,
        nodes=tuple(n for n in argument_map.nodes if n.id in nodes),
        reasons=tuple(r for r in argument_map.reasons if r in reasons),
        attacks=tuple(a for a in argument_map.attacks if a in attacks),
    )
    sub = build_graph(sub_map)
    return replace(sub, numbers={k: graph.numbers[k] for k in sub.numbers})


@lru_cache(maxsize=1)
def scoped_css(wrapper: str = WRAPPER_CLASS) -> str:
    """The rules of argmap.css that the fragment uses, each under ``.<wrapper>``.

    The colours (``:root``'s custom properties) move onto the wrapper, so the host
    page's own ``:root``, body, headings and links are left alone.
    """
    text = (default_templates_dir() / "static" / "argmap.css").read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    scope = f".{wrapper}"
    rules: list[str] = []
    depth = 0
    start = 0
    selector = ""
    for index, char in enumerate(text):
        if char == "{":
            if depth == 0:
                selector = text[start:index].strip()
                start = index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                body = " ".join(text[start:index].split())
                start = index + 1
                if selector == ":root":
                    props = [d.strip() for d in body.split(";") if d.strip().startswith("--")]
                    rules.insert(0, f"{scope} {{ {'; '.join(props)}; }}")
                    continue
                parts = [s.strip() for s in selector.split(",")]
                if all(p.startswith(_KEPT_SELECTORS) for p in parts):
                    scoped = ", ".join(f"{scope} {p}" for p in parts)
                    rules.append(f"{scoped} {{ {body} }}")
    return "\n".join(rules)


def _unlink(svg: str) -> str:
    """The SVG without its ``<a>`` wrappers (their targets are pages of the argmap site)."""
    root = ET.fromstring(svg)
    anchor = f"{{{SVG_NS}}}a"
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag == anchor:
                parent.remove(child)
                for offset, grandchild in enumerate(child):
                    parent.insert(index + offset, grandchild)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def render_fragment(
    graph: ArgumentGraph,
    *,
    node: str | None = None,
    outline: bool = True,
    id_prefix: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """The fragment's HTML: the map (or the sub-tree under ``node``), drawn by Graphviz.

    Raises :class:`FragmentError` for an unknown ``node`` or an ``id_prefix`` that is not
    an id, :class:`argmap.diagnostics.SetupError` when Graphviz fails.
    """
    from argmap.build.drawing import describe
    from argmap.render.dot import node_tooltips, svg_id, to_dot

    prefix = id_prefix or default_id_prefix(graph.map.slug, node)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", prefix):
        raise FragmentError(
            f"the id prefix {prefix!r} must start with a letter and hold only letters, "
            "digits, '-' and '_'"
        )
    shown = subgraph(graph, node) if node is not None else graph
    svg_prefix = f"_svg_{prefix}_"
    drawn = render_svg(to_dot(shown, ""), timeout=timeout, name=str(graph.map.path))
    title = f"Argument map: {graph.map.title}"
    if node is not None:
        title += f", from {shown.numbers[node]}"
    svg = finish_svg(
        drawn,
        title=title,
        description=describe(shown).replace("on the page", "below the diagram"),
        tooltips={svg_prefix + k: v for k, v in node_tooltips(shown).items()},
        id_prefix=svg_prefix,
    )
    # The outline's numbers link to the boxes of the diagram.
    refs = {
        node.id: NodeRef(
            svg_prefix + svg_id(shown.numbers[node.id]),
            shown.numbers[node.id],
            KIND_NAMES[node.kind],
            to_plain(node.text),
        )
        for node in shown.nodes.values()
    }
    return (
        _environment(None)
        .get_template("fragment.html")
        .render(
            prefix=prefix,
            wrapper=WRAPPER_CLASS,
            css=Markup(scoped_css()),
            map=graph.map,
            title=title,
            svg=Markup(_unlink(svg)),
            outline=shown.outline if outline else (),
            outline_rows=outline_rows(shown.outline) if outline else [],
            refs_by_id=refs,
        )
    )
