"""The page's one diagram, with the evaluation as a layer of it.

A map page shows its diagram once: as written, or evaluated (each statement's label
in its heading and its border style). Both are the same drawing, the plain diagram, to
which :func:`with_badges` adds each statement's label as a class of its element
(``am-in``, ``am-out``, ``am-undec``) and splits its heading, "P3 · PREMISE", into the
kind and the badge that stands in for it, "P3 · ✗ OUT", as two ``tspan`` elements. The
page's style sheet shows one or the other, and draws OUT and UNDEC borders dashed and
dotted, when the reader switches views. A badge is at most two characters longer than
the kind word it stands in for, which the box's margins hold.

The page's drawing is also made smaller (:func:`page_drawing`): the font and colour
that nearly every text shares are stated once, on the drawing's group, and inherited;
a 300-statement diagram loses about a quarter of its bytes. :func:`without_badges`
gives back the plain drawing, for the SVG file of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from argmap.analysis.evaluate import Label
from argmap.render.dot import BADGES

# A statement's element in the finished SVG (ids prefixed by argmap.render.svg), and
# the first text in it: the heading, "NUMBER · KIND".
_NODE = re.compile(r'<g id="_svg_([^"]+)" class="node(?=")')
_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
_LAYER = re.compile(r'<tspan class="am-kind">([^<]*)</tspan><tspan class="am-badge">[^<]*</tspan>')
_LABEL_CLASS = re.compile(r'(<g id="_svg_[^"]+" class="node) am-(?:in|out|undec)(?=")')


# What Graphviz writes on every text of a box (argmap.render.dot's node defaults).
_SHARED = (
    ' text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="11.00"'
    ' fill="#1a1a1a"'
)
_SHARED_PARTS = tuple(f" {part}" for part in _SHARED.split())
_TEXT_TAG = re.compile(r"<text [^>]*>")
# Graphviz's coordinates have two decimals (in points); one is a 20th of a pixel at
# 100%, and saves about a tenth of a large diagram's bytes.
_SHAPE = re.compile(r' (d|points)="([^"]*)"')
_DECIMALS = re.compile(r"(\.\d)\d+")
_ONE_DECIMAL = r"\1"
# An arrow's or a junction's shapes in a link without a target, made by Graphviz for
# its tooltip: the group's <title> (argmap.render.svg made it the same text) says it,
# and a link without a target is neither focusable nor followed. Linked ones are kept.
# The id Graphviz gives the group around a link: nothing refers to it.
_LINK_GROUP_ID = re.compile(r'<g id="_svg_a_[^"]*">')
_UNLINKED = re.compile(
    r'<g id="_svg_a_[^"]*"><a xlink:title="[^"]*">\n((?:(?!</a>).)*)</a>\n</g>\n', re.S
)
_GRAPH = re.compile(r'<g id="_svg_graph0" class="graph"')


def page_drawing(svg: str, labels: Mapping[str, Label]) -> str:
    """The drawing as the page inlines it: :func:`with_badges`, the attributes shared
    by the texts stated once, on the drawing's group (SVG inherits them), the shapes'
    coordinates to one decimal, no link wrapped around what links nowhere, and no id
    on the groups around links."""
    unwrapped = _UNLINKED.sub(r"\1", compact_shapes(compact_texts(with_badges(svg, labels))))
    return _LINK_GROUP_ID.sub("<g>", unwrapped)


def compact_shapes(svg: str) -> str:
    """Paths' and polygons' coordinates to one decimal (cut, not rounded)."""

    def shorter(shape: re.Match[str]) -> str:
        return f' {shape.group(1)}="{_DECIMALS.sub(_ONE_DECIMAL, shape.group(2))}"'

    return _SHAPE.sub(shorter, svg)


def compact_texts(svg: str) -> str:
    """Each text's font and fill left out where they are the boxes' own, and stated on
    the drawing's group instead; a drawing without that group is left as it is."""
    graph = _GRAPH.search(svg)
    if graph is None:
        return svg

    def shorter(tag: re.Match[str]) -> str:
        text = tag.group(0)
        for part in _SHARED_PARTS:
            text = text.replace(part, "", 1)
        return text

    head = svg[: graph.end()] + _SHARED
    return head + _TEXT_TAG.sub(shorter, svg[graph.end() :])


def label_class(label: Label) -> str:
    """The class that marks a statement's label in the page's diagram."""
    return f"am-{label.value.lower()}"


def with_badges(svg: str, labels: Mapping[str, Label]) -> str:
    """The page's drawing: each statement (``labels``: its label by its number) marked
    with its label's class, its heading split into its kind and its badge."""
    out: list[str] = []
    done = 0
    for node in _NODE.finditer(svg):
        number = node.group(1)
        label = labels.get(number)
        text = _TEXT.search(svg, node.end()) if label is not None else None
        if label is None or text is None:
            continue
        lead = f"{number} · "
        heading = text.group(1)
        if not heading.startswith(lead):
            continue
        out.append(svg[done : node.end()])
        out.append(f" {label_class(label)}")
        out.append(svg[node.end() : text.start(1)])
        out.append(
            f'{lead}<tspan class="am-kind">{heading[len(lead) :]}</tspan>'
            f'<tspan class="am-badge">{BADGES[label]}</tspan>'
        )
        done = text.end(1)
    out.append(svg[done:])
    return "".join(out)


def without_badges(svg: str) -> str:
    """The drawing as written, for the SVG file of its own: kinds, no badges, no label
    classes."""
    return _LABEL_CLASS.sub(r"\1", _LAYER.sub(r"\1", svg))
