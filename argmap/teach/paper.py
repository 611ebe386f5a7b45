"""Laying a handout's diagram out on paper: paper sizes, the boxes' printed text, and the
diagram split into parts that each print legibly.

A handout's boxes are narrower than the map page's and cut long texts, and its text
prints at one size of 8 pt or more. A diagram too large for the page is split into parts
along the outline (each part repeats the statement it hangs from), drawn bottom-up or
sideways, whichever prints larger; parts share pages where they fit. Only a single
statement's reasons that cannot be split further are printed smaller, and a note says
so (:attr:`argmap.teach.handout.Handout.notes`). What the sheet holds around the diagram
is :mod:`argmap.teach.handout`.

Graphviz is run through a callable (``draw``: DOT source -> SVG text), so the planning
is testable without it; :func:`default_draw` uses :func:`argmap.render.layout.render_svg`.
"""

from __future__ import annotations

import enum
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from markupsafe import Markup

from argmap.analysis.graph import ArgumentGraph, OutlineItem, subgraph
from argmap.markdown import to_plain
from argmap.render.dot import WRAP_WIDTH, to_dot, wrap_words
from argmap.render.svg import SVG_NS, XLINK_NS, finish_svg
from argmap.teach.standard_form import KIND_NAMES

if TYPE_CHECKING:
    from argmap.render.layout import DotRunner

MM = 72 / 25.4  # points per millimetre
MARGIN_MM = 14.0
# (width, height) in points, portrait
PAPER_SIZES = {"a4": (210 * MM, 297 * MM), "letter": (612.0, 792.0)}
PAPER_CSS = {"a4": "A4", "letter": "letter"}
NODE_FONT_PT = 11.0  # the statement text in a diagram box (argmap.render.dot's fontsize)
MIN_FONT_PT = 8.0  # below this a printed diagram is hard to read
MAX_FONT_PT = 8.5  # printed no larger: more of the map fits on a page
HEADING_RESERVE_PT = 40.0  # room above a diagram part on its page: its caption
DIAGRAM_HEADING_PT = 48 * MM  # the diagram's heading, legend and note on a page of its own
# Room the sheet's header (title, source, name line, task, legend) takes above the first
# part, on page 1: the first part is planned to fit beside it, not to push it off alone.
FIRST_PAGE_RESERVE_PT = 95 * MM
BOX_WRAP = 16  # characters per line in a handout's box: narrower than the map page's
BOX_LINES = 4  # at most this many lines of text; a longer text is cut and points on
# Boxes side by side closer than on the map page (argmap.render.dot's 0.3 and 0.45 inches):
# more of them fit the width of a sheet at a readable size.
PRINT_SPACING = 'graph [nodesep="0.12" ranksep="0.2"]'
# Graphviz never draws a statement's box smaller than its default node size, 0.75 by 0.5
# inches, and never lets two boxes overlap: this bounds how many can print legibly.
_SMALLEST_BOX_PT2 = 54.0 * 36.0

# A word of its own line in a blank box (textwrap puts it alone on a line of at most 32
# characters): replaced in the DOT source by an empty line and a writing line.
_MARKER = "argmapblankline0000000000000000"
_BANK_MARKER = "argmapbankline00000000000000000"
# After a blank box's last writing line: an empty line, which keeps the writing line off
# the box's bottom edge and out of a rebuttal's cut corners.
_END_MARKER = "argmapblankend00000000000000000"
# A box's lines are wrapped here at BOX_WRAP, their words joined by no-break spaces so that
# argmap.render.dot's wrapping keeps each line whole; where it would join two short lines
# this word of 32 characters, a line of its own, is put between them and then removed.
_LINE_MARKER = "argmaplinebreak00000000000000000"
_NBSP = "\u00a0"
_WRITING_LINE = "_" * BOX_WRAP
_BANK_LINE = "_" * 12
CUT_POINTER = "(in full below)"

# What a blank box's text is replaced with (argmap.teach.handout.blanked): two writing
# lines, or at the bank level, where every box is blank, a short line for a letter.
BLANK_TEXT = " ".join([_MARKER, _MARKER, _END_MARKER])
BANK_BLANK_TEXT = _BANK_MARKER


class Paper(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True, slots=True)
class DiagramPart:
    svg: Markup
    width_pt: float  # printed size
    height_pt: float
    font_pt: float  # printed size of the statement text
    title: str | None  # "Part 2 of 4: C4 and its reasons"; None for a whole diagram
    numbers: tuple[str, ...]  # the statements shown


Draw = Callable[[str], str]


def default_draw(timeout: float, runner: DotRunner | None = None) -> Draw:
    from argmap.render.layout import render_svg

    def draw(dot_source: str) -> str:
        return render_svg(dot_source, timeout=timeout, name="the handout diagram", runner=runner)

    return draw


# -- the diagram in parts ------------------------------------------------------------------


def _svg_size(svg_text: str) -> tuple[float, float]:
    root = ET.fromstring(svg_text)
    return _points(root.get("width", "0")), _points(root.get("height", "0"))


def _points(value: str) -> float:
    match = re.fullmatch(r"\s*([\d.]+)\s*(pt|px)?\s*", value)
    if match is None:
        raise ValueError(f"unexpected SVG size {value!r}")
    number = float(match.group(1))
    return number if match.group(2) in (None, "pt") else number * 0.75


def most_statements(paper: Paper) -> int:
    """More statements than this never print at :data:`MIN_FONT_PT` on one page.

    The planner answers "does not fit" for larger parts without asking Graphviz: on a
    large or deep map it would otherwise lay out thousands of diagrams of the whole map.
    """
    page_w, page_h = printable_area(paper)
    area = max(page_w * (page_h - HEADING_RESERVE_PT), page_h * (page_w - HEADING_RESERVE_PT))
    smallest = _SMALLEST_BOX_PT2 * (MIN_FONT_PT / NODE_FONT_PT) ** 2
    return int(area // smallest)


def printable_area(paper: Paper) -> tuple[float, float]:
    """Width and height of the printable area of a portrait page, in points."""
    width, height = PAPER_SIZES[paper.value]
    return width - 2 * MARGIN_MM * MM, height - 2 * MARGIN_MM * MM


def fit(width: float, height: float, paper: Paper, reserve: float = HEADING_RESERVE_PT) -> float:
    """The scale at which a diagram of this size fits a portrait page, ``reserve`` points
    of it taken, at most ``MAX_FONT_PT / NODE_FONT_PT``.

    Every page is portrait: a worksheet whose pages turn is hard to hand out and to
    write on, and diagram parts only share pages of one orientation.
    """
    page_w, page_h = printable_area(paper)
    return min(MAX_FONT_PT / NODE_FONT_PT, page_w / width, (page_h - reserve) / height)


@dataclass(frozen=True, slots=True)
class _Drawn:
    svg: str
    width: float
    height: float
    scale: float

    @property
    def font_pt(self) -> float:
        return NODE_FONT_PT * self.scale


# The statements of each diagram part, and the outline items it hangs from.
Plan = list[tuple[frozenset[str], list[OutlineItem]]]


class Planner:
    """Draws a graph, or parts of it, so that every part prints at 8 pt or more."""

    def __init__(
        self, graph: ArgumentGraph, paper: Paper, draw: Draw, first_reserve: float
    ) -> None:
        self.graph = graph
        self.paper = paper
        self.draw = draw
        self.first_reserve = first_reserve  # what page 1 holds above the first part
        self.cache: dict[frozenset[str], _Drawn] = {}
        self.most = most_statements(paper)

    def drawn(self, node_ids: frozenset[str]) -> _Drawn:
        if node_ids not in self.cache:
            self.cache[node_ids] = self.draw_part(node_ids, {})
        return self.cache[node_ids]

    def draw_part(self, node_ids: frozenset[str], shown: dict[str, int]) -> _Drawn:
        """Draw these statements; those ``shown`` in an earlier part (id -> part number)
        as a box pointing there, without their text again."""
        sub = self.subgraph(node_ids)
        if shown:
            nodes = {
                node_id: replace(node, text=f"(see part {shown[node_id]})")
                if node_id in shown
                else node
                for node_id, node in sub.nodes.items()
            }
            new_map = replace(sub.map, nodes=tuple(nodes[n.id] for n in sub.map.nodes))
            sub = replace(sub, map=new_map, nodes=nodes)
        dot_source = _for_print(to_dot(boxed(sub), "", paper=True))
        candidates = []
        # Bottom to top (the thesis at the top), or sideways (the thesis at the left)
        # where that prints larger: a statement with many reasons side by side.
        for source in (dot_source, dot_source.replace("rankdir=BT", "rankdir=RL", 1)):
            svg = self.draw(source)
            width, height = _svg_size(svg)
            candidates.append(_Drawn(svg, width, height, fit(width, height, self.paper)))
            if "rankdir=BT" not in dot_source:
                break  # a large map is drawn sideways already
        return max(candidates, key=lambda drawn: drawn.scale)

    def fits(self, node_ids: frozenset[str], reserve: float = HEADING_RESERVE_PT) -> bool:
        """Whether these statements print at MIN_FONT_PT or more, ``reserve`` points of
        the page taken."""
        if len(node_ids) > self.most:
            return False
        drawn = self.drawn(node_ids)
        return NODE_FONT_PT * fit(drawn.width, drawn.height, self.paper, reserve) >= MIN_FONT_PT

    def subgraph(self, node_ids: frozenset[str]) -> ArgumentGraph:
        graph = self.graph
        if node_ids == frozenset(graph.nodes):
            return graph
        return subgraph(graph, {k: v for k, v in graph.nodes.items() if k in node_ids})

    def plan(self) -> Plan:
        """The node sets to draw: the whole map if it fits, else parts along the outline."""
        everything = frozenset(self.graph.nodes)
        if self.fits(everything, self.first_reserve):
            return [(everything, [])]
        return self._pack()

    def _pack(self) -> list[tuple[frozenset[str], list[OutlineItem]]]:
        """Group sibling items into parts that fit; split an item that alone does not.

        The outline is walked with a stack of sibling lists, not by recursion: an item
        is split into its children, which may be split again, as deep as the map goes.
        """
        outline = self.graph.outline
        parts: list[tuple[frozenset[str], list[int]]] = []

        def nodes_of(anchors: frozenset[str], indexes: Iterable[int]) -> frozenset[str]:
            found = set(anchors)
            for index in indexes:
                for item in outline[index : index + outline[index].size]:
                    found |= _own_nodes(item)
            return frozenset(found)

        def fit(anchors: frozenset[str], indexes: Iterable[int]) -> bool:
            found = set(anchors)
            for index in indexes:
                for item in outline[index : index + outline[index].size]:
                    found |= _own_nodes(item)
                    if len(found) > self.most:
                        return False  # stop counting: the part is too large to draw
            # The first part shares page 1 with the header, the others have a page each
            # (or share one when they are small).
            reserve = HEADING_RESERVE_PT if parts else self.first_reserve
            return self.fits(frozenset(found), reserve)

        # Each frame: the anchors its parts repeat, its sibling items, the next one to
        # place, and the group being filled.
        stack: list[tuple[frozenset[str], list[int], list[int], list[int]]] = [
            (frozenset(), _children(outline, -1), [0], [])
        ]
        while stack:
            anchors, items, position, group = stack[-1]
            if position[0] == len(items):
                if group:
                    parts.append((nodes_of(anchors, group), group))
                stack.pop()
                continue
            index = items[position[0]]
            position[0] += 1
            if fit(anchors, [*group, index]):
                group.append(index)
                continue
            if group:
                parts.append((nodes_of(anchors, group), list(group)))
                group.clear()
            # The parts of an item's children repeat the item, which connects them to
            # the part above; not the whole path up to the thesis, which would make each
            # part of a deep map as wide (or tall) as the map is deep.
            own = _own_nodes(outline[index])
            # An item is split into its children unless it fits, has none, or its parts
            # could not fit anyway.
            if outline[index].size == 1 or len(own) > self.most or fit(anchors, [index]):
                group.append(index)
            else:
                stack.append((own, _children(outline, index), [0], []))
        return [(nodes, [outline[i] for i in group]) for nodes, group in parts]


def _children(outline: tuple[OutlineItem, ...], parent: int) -> list[int]:
    """The indexes of an outline item's children (of the roots, for ``parent`` -1)."""
    start, end = (0, len(outline)) if parent < 0 else (parent + 1, parent + outline[parent].size)
    children = []
    while start < end:
        children.append(start)
        start += outline[start].size
    return children


def _own_nodes(item: OutlineItem) -> frozenset[str]:
    """What a part repeats of an outline item it descends from: its node, or the premises
    of its linked reason (kept together)."""
    if item.node is not None:
        return frozenset({item.node})
    assert item.reason is not None
    return frozenset(item.reason.premises)


def _is_blank(text: str) -> bool:
    return _MARKER in text or _BANK_MARKER in text


def _for_print(dot_source: str) -> str:
    """The DOT source of a handout's diagram: the boxes' lines as :func:`box_text` wrapped
    them, writing lines in the blank boxes, boxes closer together."""
    dot_source = dot_source.replace(f"\\n{_LINE_MARKER}", "")
    end = dot_source.rindex("}")
    dot_source = f"{dot_source[:end]}\t{PRINT_SPACING}\n{dot_source[end:]}"
    dot_source = dot_source.replace(f"\\n{_END_MARKER}", "\\n ")
    dot_source = dot_source.replace(_BANK_MARKER, f" \\n{_BANK_LINE}")
    return dot_source.replace(_MARKER, f" \\n{_WRITING_LINE}")


def _print_svg(drawn: _Drawn, graph: ArgumentGraph, prefix: str, title: str) -> Markup:
    """The SVG for print: no links, printed size set, accessible titles, unique ids."""
    root = ET.fromstring(drawn.svg)
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag == f"{{{SVG_NS}}}a":
                parent.remove(child)
                for offset, grandchild in enumerate(child):
                    parent.insert(index + offset, grandchild)
    root.set("width", f"{drawn.width * drawn.scale:.1f}pt")
    root.set("height", f"{drawn.height * drawn.scale:.1f}pt")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    text = ET.tostring(root, encoding="unicode")
    tooltips = {}
    for node_id, number in graph.numbers.items():
        node = graph.nodes[node_id]
        empty = _is_blank(node.text)
        shown = "to be filled in" if empty else to_plain(node.text)
        tooltips[f"{prefix}_svg_{number}"] = f"{number} ({KIND_NAMES[node.kind]}): {shown}"
    description = (
        f"Diagram of {len(graph.numbers)} statements: "
        + ", ".join(graph.numbers.values())
        + ". The standard form below gives the same argument as text."
    )
    return Markup(
        finish_svg(text, title=title, description=description, tooltips=tooltips, id_prefix=prefix)
    )


def diagram_parts(
    graph: ArgumentGraph,
    paper: Paper,
    draw: Draw,
    prefix: str,
    notes: list[str],
    first_reserve: float = FIRST_PAGE_RESERVE_PT,
) -> tuple[DiagramPart, ...]:
    """The diagram in as few parts as print at MIN_FONT_PT; the first is planned to fit
    on page 1 below ``first_reserve`` points of header."""
    planner = Planner(graph, paper, draw, first_reserve)
    return planned_parts(planner, planner.plan(), prefix, notes)


def planned_parts(
    planner: Planner, planned: Plan, prefix: str, notes: list[str]
) -> tuple[DiagramPart, ...]:
    """The parts ``planned``, drawn by ``planner`` (the key draws the worksheet's parts)."""
    graph, paper, first_reserve = planner.graph, planner.paper, planner.first_reserve
    scales = []
    for index, (node_ids, _) in enumerate(planned, start=1):
        drawn = planner.drawn(node_ids)
        reserve = first_reserve if index == 1 else HEADING_RESERVE_PT
        scales.append(fit(drawn.width, drawn.height, paper, reserve))
    # One size of text throughout, as small as the part that needs it most (not below
    # MIN_FONT_PT but where a part cannot be split further): smaller parts share pages.
    legible = [scale for scale in scales if NODE_FONT_PT * scale >= MIN_FONT_PT]
    common = min(legible, default=MAX_FONT_PT / NODE_FONT_PT)
    parts: list[DiagramPart] = []
    first_shown: dict[str, int] = {}
    for index, (node_ids, items) in enumerate(planned, start=1):
        shown = {n: first_shown[n] for n in node_ids if n in first_shown}
        drawn = planner.draw_part(node_ids, shown) if shown else planner.drawn(node_ids)
        drawn = replace(drawn, scale=min(common, scales[index - 1]))
        for node_id in node_ids:
            first_shown.setdefault(node_id, index)
        sub = planner.subgraph(node_ids)
        title = None
        if len(planned) > 1:
            heads = [graph.numbers[n] for item in items for n in sorted(_own_nodes(item))]
            title = f"Part {index} of {len(planned)}: {_around(heads)}"
        if drawn.font_pt < MIN_FONT_PT:
            where = title or "the diagram"
            notes.append(
                f"{where} prints at {drawn.font_pt:.1f} pt, below {MIN_FONT_PT:g} pt: one "
                "statement has more reasons and objections side by side than fit the page"
            )
        parts.append(
            DiagramPart(
                svg=_print_svg(drawn, sub, f"{prefix}{index}_", f"Argument map: {graph.map.title}"),
                width_pt=drawn.width * drawn.scale,
                height_pt=drawn.height * drawn.scale,
                font_pt=drawn.font_pt,
                title=title,
                numbers=tuple(sub.numbers.values()),
            )
        )
    return tuple(parts)


def _around(numbers: list[str]) -> str:
    """A part's caption in plain words: which statements it hangs from."""
    if len(numbers) == 1:
        return f"{numbers[0]} with the reasons and objections below it"
    return f"{_and(numbers)} with the reasons and objections below them"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def box_text(text: str) -> str:
    """A statement's text as a handout's box shows it: lines of at most BOX_WRAP
    characters; a text of more than BOX_LINES lines is cut with "…" and a line saying
    where it is in full."""
    lines = wrap_words(to_plain(text), BOX_WRAP)
    if len(lines) > BOX_LINES:
        lines = lines[: BOX_LINES - 1]
        words = lines[-1].split(" ")
        while len(words) > 1 and len(" ".join(words)) + 2 > BOX_WRAP:
            words.pop()
        lines[-1] = " ".join(words) + " …"
        lines.append(CUT_POINTER)
    joined = lines[0].replace(" ", _NBSP)
    for previous, line in itertools.pairwise(lines):
        # Lines that fit in one of argmap.render.dot's (WRAP_WIDTH) would be joined.
        apart = " " if len(previous) + 1 + len(line) > WRAP_WIDTH else f" {_LINE_MARKER} "
        joined += apart + line.replace(" ", _NBSP)
    return joined


def boxed(graph: ArgumentGraph) -> ArgumentGraph:
    """The graph with every shown text as :func:`box_text` gives it (blanks stay blank)."""
    nodes = {
        node_id: node if _is_blank(node.text) else replace(node, text=box_text(node.text))
        for node_id, node in graph.nodes.items()
    }
    new_map = replace(graph.map, nodes=tuple(nodes[n.id] for n in graph.map.nodes))
    return replace(graph, map=new_map, nodes=nodes)
