"""The page's one diagram, with the evaluation as a layer of it.

A map page shows its diagram once: as written, or evaluated (each statement's label
in its heading and its border style). Both are the same drawing, the plain diagram, to
which :func:`with_badges` adds each statement's label as a class of its element
(``am-in``, ``am-out``, ``am-undec``) and splits its heading, "P3 · PREMISE", into the
kind and the badge that stands in for it, "P3 · ✗ OUT", as two ``tspan`` elements. The
page's style sheet shows one or the other, and draws OUT and UNDEC borders dashed and
dotted, when the reader switches views. A badge is at most two characters longer than
the kind word it stands in for, which the box's margins hold.

:func:`without_badges` gives back the plain drawing, for the SVG file of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from argmap.analysis.evaluate import Label
from argmap.render.dot import BADGES

# A statement's element in the finished SVG (ids prefixed by argmap.render.svg), and
# the first text in it: the heading, "NUMBER · KIND".
_NODE = re.compile(r'<g id="_svg_([^"]+)" class="node">')
_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
_LAYER = re.compile(r'<tspan class="am-kind">([^<]*)</tspan><tspan class="am-badge">[^<]*</tspan>')
_LABEL_CLASS = re.compile(r'(<g id="_svg_[^"]+" class="node) am-(?:in|out|undec)">')


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
        out.append(svg[done : node.end() - 2])
        out.append(f' {label_class(label)}">')
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
    classes; what :func:`with_badges` was given, byte for byte."""
    return _LABEL_CLASS.sub(r'\1">', _LAYER.sub(r"\1", svg))
