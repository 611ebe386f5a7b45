"""Classroom handouts: a print-ready worksheet (HTML, optionally PDF) from one map, and
its answer key as a document of its own.

A handout has a header (title, source, lines for the student's name and the date), the
diagram scaled to the printable width, the argument in standard form
(:mod:`argmap.teach.standard_form`), discussion questions the sheet does not answer, and
optionally the source text with numbered paragraphs. Every page repeats the name line,
"page 2 of 4" and, in a class set, "Version B" (CSS margin boxes). Exercise levels leave
chosen boxes empty (``blanks``, ``recall``) or every box (``bank``): empty boxes get
writing lines in the diagram and in the standard form, and a statement bank lists the
missing texts and the map's distractors in a seeded order. Exercises whose answers are
not on the sheet are :mod:`argmap.teach.exercises`.

The diagram's boxes are narrower than the map page's and cut long texts, and its text
prints at one size of 8 pt or more. A diagram too large for the page is split into parts
along the outline (each part repeats the statement it hangs from), drawn bottom-up or
sideways, whichever prints larger; parts share pages where they fit. Only a single
statement's reasons that cannot be split further are printed smaller, and
:attr:`Handout.notes` says so.

Graphviz is run through a callable (``draw``: DOT source -> SVG text), so the planning
is testable without it; :func:`default_draw` uses :func:`argmap.render.layout.render_svg`.
"""

from __future__ import annotations

import enum
import itertools
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from argmap import __version__
from argmap.analysis.graph import ArgumentGraph, OutlineItem, subgraph
from argmap.analysis.quotes import decode_source_text, read_source_text, split_paragraphs
from argmap.markdown import to_inline_html, to_plain
from argmap.model import NodeKind
from argmap.render.dot import WRAP_WIDTH, to_dot, wrap_words
from argmap.render.site import _environment as site_environment
from argmap.render.site import default_templates_dir
from argmap.render.svg import SVG_NS, XLINK_NS, finish_svg
from argmap.teach.exercises import DIAGRAM, FORM, QUESTIONS, ExerciseError, chosen
from argmap.teach.standard_form import (
    KIND_NAMES,
    Question,
    author_questions,
    generated_questions,
    standard_form,
)

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


class Level(enum.StrEnum):
    FULL = "full"  # every text shown
    BLANKS = "blanks"  # chosen boxes empty, their texts in the bank
    BANK = "bank"  # every box empty: students place the statements
    RECALL = "recall"  # chosen boxes empty and no bank: students write the statements


class Paper(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


class HandoutError(ValueError):
    """The handout options cannot be used with this map (a usage error, exit code 2)."""


@dataclass(frozen=True, slots=True)
class HandoutOptions:
    paper: Paper = Paper.A4
    level: Level | None = None  # None: blanks when `blank` is given, else full
    blank: str | None = None  # comma-separated kinds, numbers, ids or tags
    seed: int = 1
    answer_key: bool = False
    source_text: bool = False
    version: int = 0  # 1, 2 ... for "Version A", "Version B" of a class set; 0: no versions
    blank_count: int | None = None  # blank only this many of the boxes `blank` names
    exercise: str | None = None  # comma-separated names of argmap.teach.exercises
    # Statements of other maps (kind, plain text) to draw BORROWED_DISTRACTORS from
    borrowed: tuple[tuple[NodeKind, str], ...] = ()

    @property
    def version_name(self) -> str | None:
        return f"Version {_letter(self.version - 1)}" if self.version else None

    def version_seed(self, purpose: str) -> random.Random:
        """The random choices of this version: the same seed and version, the same sheet."""
        if not self.version:
            return random.Random(self.seed)
        return random.Random(f"{self.seed}:{self.version}:{purpose}")


@dataclass(frozen=True, slots=True)
class DiagramPart:
    svg: Markup
    width_pt: float  # printed size
    height_pt: float
    font_pt: float  # printed size of the statement text
    title: str | None  # "Part 2 of 4: C4 and its reasons"; None for a whole diagram
    numbers: tuple[str, ...]  # the statements shown


@dataclass(frozen=True, slots=True)
class BankEntry:
    letter: str
    number: str  # where it belongs, for the answer key
    text: str


@dataclass
class Handout:
    html: str
    level: Level
    blanks: frozenset[str]  # node ids left empty on the student pages
    bank: tuple[BankEntry, ...]
    parts: tuple[DiagramPart, ...]  # the student diagram
    notes: list[str] = field(default_factory=list)  # for the person running the command
    key_html: str | None = None  # the answer key, a document of its own


Draw = Callable[[str], str]


def default_draw(timeout: float, runner: DotRunner | None = None) -> Draw:
    from argmap.render.layout import render_svg

    def draw(dot_source: str) -> str:
        return render_svg(dot_source, timeout=timeout, name="the handout diagram", runner=runner)

    return draw


# -- which boxes are blank -----------------------------------------------------------------

_KIND_WORDS = {
    **{kind.value: kind for kind in NodeKind},
    **{f"{kind.value}s": kind for kind in NodeKind},
}


def select_blanks(graph: ArgumentGraph, spec: str) -> frozenset[str]:
    """Node ids named by ``spec``: kinds (premise, premises), numbers (P3), ids or tags.

    The items are separated by commas. ``thesis`` names the main claim. An item that names
    nothing is an error, with a suggestion.
    """
    chosen: set[str] = set()
    by_number = {number.lower(): node_id for node_id, number in graph.numbers.items()}
    tags = {tag for node in graph.nodes.values() for tag in node.tags}
    items = [item.strip() for item in spec.split(",") if item.strip()]
    if not items:
        raise HandoutError("--blank names nothing: give kinds, numbers, ids or tags")
    for item in items:
        lowered = item.lower()
        if lowered in _KIND_WORDS:
            kind = _KIND_WORDS[lowered]
            chosen.update(n.id for n in graph.nodes.values() if n.kind is kind)
        elif lowered == "thesis":
            chosen.add(graph.map.thesis)
        elif lowered in by_number:
            chosen.add(by_number[lowered])
        elif item in graph.nodes:
            chosen.add(item)
        elif item in tags:
            chosen.update(n.id for n in graph.nodes.values() if item in n.tags)
        else:
            raise HandoutError(
                f"--blank: {item!r} is not a kind, a statement number, an id or a tag of "
                f"this map (kinds: claims, premises, rebuttals, thesis; numbers such as "
                f"{next(iter(graph.numbers.values()))})"
            )
    return frozenset(chosen)


def blanked(graph: ArgumentGraph, blanks: Collection[str]) -> ArgumentGraph:
    """The same graph with the texts of ``blanks`` replaced by placeholders."""
    if not blanks:
        return graph
    # At the bank level a short line for a letter, else two writing lines.
    every = len(blanks) == len(graph.nodes)
    placeholder = _BANK_MARKER if every else " ".join([_MARKER, _MARKER, _END_MARKER])
    nodes = {
        node_id: replace(node, text=placeholder, quote=None, note=None, questions=())
        if node_id in blanks
        else node
        for node_id, node in graph.nodes.items()
    }
    new_map = replace(graph.map, nodes=tuple(nodes[n.id] for n in graph.map.nodes))
    return replace(graph, map=new_map, nodes=nodes)


def answered(graph: ArgumentGraph, bank: Collection[BankEntry]) -> ArgumentGraph:
    """The graph as the key's diagram shows it: a box filled from the bank holds the
    letter of its statement ("= D"); the other boxes their texts."""
    letters = {entry.number: entry.letter for entry in bank if entry.number}
    if not letters:
        return graph
    nodes = {
        node_id: replace(node, text=f"= {letters[graph.numbers[node_id]]}")
        if graph.numbers[node_id] in letters
        else node
        for node_id, node in graph.nodes.items()
    }
    new_map = replace(graph.map, nodes=tuple(nodes[n.id] for n in graph.map.nodes))
    return replace(graph, map=new_map, nodes=nodes)


def claim_bank(
    graph: ArgumentGraph,
    blanks: Collection[str],
    seed: int | random.Random,
    distractors: Collection[str] = (),
) -> tuple[BankEntry, ...]:
    """The texts of the blank boxes and the ``distractors`` (which belong in no box: their
    number is empty), shuffled by ``seed``, lettered A, B, C ..."""
    entries = [
        (number, to_plain(graph.nodes[node_id].text))
        for node_id, number in graph.numbers.items()
        if node_id in blanks
    ]
    if blanks:
        entries += [("", to_plain(text)) for text in distractors]
    shuffler = seed if isinstance(seed, random.Random) else random.Random(seed)
    shuffler.shuffle(entries)
    return tuple(
        BankEntry(_letter(index), number, text) for index, (number, text) in enumerate(entries)
    )


def interchangeable(graph: ArgumentGraph, blanks: Collection[str]) -> dict[str, tuple[str, ...]]:
    """For each blank box whose text may as well go in another blank box, the numbers of
    all the boxes of its group (itself included): the premises of one linked reason, or
    the single premises of independent reasons for one conclusion, where none has reasons
    or objections of its own. A key must accept their letters in any order."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for reason in graph.map.reasons:
        undercut = reason.id is not None and bool(graph.attacks_on.get(reason.id))
        if undercut or (not reason.linked and len(reason.premises) > 1):
            continue
        where = (reason.conclusion, reason.id if reason.linked else None)
        for premise in reason.premises:
            free = not graph.reasons_for.get(premise) and not graph.attacks_on.get(premise)
            if premise in blanks and free:
                groups.setdefault(where, []).append(premise)
    found: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        if len(members) > 1:
            numbers = tuple(sorted((graph.numbers[m] for m in members), key=_number_key(graph)))
            found.update((graph.numbers[m], numbers) for m in members)
    return found


def _number_key(graph: ArgumentGraph) -> Callable[[str], int]:
    order = {number: index for index, number in enumerate(graph.numbers.values())}
    return order.__getitem__


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- the diagram ---------------------------------------------------------------------------


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


class _Planner:
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
    planner = _Planner(graph, paper, draw, first_reserve)
    return _parts(planner, planner.plan(), prefix, notes)


def _parts(
    planner: _Planner, planned: Plan, prefix: str, notes: list[str]
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


# -- the source text -----------------------------------------------------------------------


def source_paragraphs(graph: ArgumentGraph) -> list[str]:
    """The paragraphs of the map's ``source.text_file``, as the quote check counts them."""
    text_file = graph.map.source.text_file
    if text_file is None:
        raise HandoutError(
            "--source-text: the map names no source text (add text_file to [source])"
        )
    path = graph.map.path.parent / text_file
    try:
        return split_paragraphs(decode_source_text(read_source_text(path)))
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise HandoutError(f"--source-text: cannot read {path} ({reason})") from None


# -- the whole handout ---------------------------------------------------------------------

_TASKS = {
    Level.FULL: "Study the argument map and its standard form, then answer the questions.",
    Level.BLANKS: (
        "Some boxes are empty. Find the missing statements in the statement bank and write "
        "each one's letter (or the statement in your own words) in its box and in the "
        "standard form. Then answer the questions."
    ),
    Level.BANK: (
        "The boxes show only how the statements are connected. Place each statement of the "
        "bank: write its letter in the right box and in the standard form. Then answer "
        "the questions."
    ),
    Level.RECALL: (
        "Some boxes are empty. Write the missing statement in each, in your own words, and "
        "its number in the standard form. Then answer the questions."
    ),
}

# A bank text that begins with one of these (perhaps after a word or two: "Implicit
# objection:") names its kind, and so its place.
_GIVEAWAYS = re.compile(
    r"\W*((?:\w+\s+){0,2}?"
    r"(?:reply|objection|rebuttal|counter-?argument|premise|claim|reason|conclusion|thesis))"
    r"\s*[:\-\u2013\u2014]",  # a colon, a hyphen, an en or an em dash
    re.IGNORECASE,
)


BORROWED_DISTRACTORS = 3  # drawn from other maps (--distractors-from) for one bank


def borrowed_distractors(
    graph: ArgumentGraph,
    blanks: Collection[str],
    borrowed: Collection[tuple[NodeKind, str]],
    rng: random.Random,
) -> tuple[str, ...]:
    """A few statements of other maps, of the kinds left blank here and not in this map,
    chosen by ``rng``: distractors that read like the real ones."""
    kinds = {graph.nodes[n].kind for n in blanks}
    own = {to_plain(node.text) for node in graph.nodes.values()}
    candidates = sorted({text for kind, text in borrowed if kind in kinds and text not in own})
    return tuple(rng.sample(candidates, min(BORROWED_DISTRACTORS, len(candidates))))


def bank_warnings(bank: tuple[BankEntry, ...]) -> list[str]:
    """What makes a statement bank easier than it looks: a text that names its kind
    ("Objection: ..."), or a bank of one statement, which answers itself."""
    warnings = [
        f"the bank text for {e.number} begins {match.group(1)!r} and gives its kind away: "
        "reword it in the map, or leave it out of --blank"
        for e in bank
        if e.number and (match := _GIVEAWAYS.match(e.text)) is not None
    ]
    if sum(1 for e in bank if e.number) == 1 and len(bank) == 1:
        warnings.append(
            "the bank holds one statement, which answers itself: blank more boxes, add "
            "[handout] distractors to the map, or use --level recall"
        )
    return warnings


def resolve_blanks(graph: ArgumentGraph, options: HandoutOptions) -> tuple[Level, frozenset[str]]:
    level = options.level or (Level.BLANKS if options.blank else Level.FULL)
    if level is Level.FULL:
        if options.blank:
            raise HandoutError("--level full shows every text: drop --blank or use --level blanks")
        return level, frozenset()
    if level is Level.BANK:
        if options.blank:
            raise HandoutError("--level bank leaves every box empty: drop --blank")
        return level, frozenset(graph.nodes)
    if level is Level.RECALL and not options.blank:
        raise HandoutError("--level recall needs --blank: which boxes are to be recalled")
    named = select_blanks(graph, options.blank or "premises")
    count = options.blank_count
    if count is None or count >= len(named):
        return level, named
    if count < 1:
        raise HandoutError("--blank-count must be 1 or more")
    # A seeded choice, different in each version of a class set.
    ordered = [node_id for node_id in graph.numbers if node_id in named]
    return level, frozenset(options.version_seed("blanks").sample(ordered, count))


def _page_css(paper: Paper, key: bool, version: str | None = None) -> str:
    """The @page rules: paper size, margins, and what every page repeats in its margin
    (the name line on the worksheet, "page 2 of 4" on both, the version of a class set)."""
    size = PAPER_CSS[paper.value]
    top = '"Answer key: not for the students"' if key else '"Name ________________________"'
    # The version's name is argmap's own text ("Version B"): no CSS to escape.
    left = f'  @top-left {{ content: "{version}"; font-weight: bold; }}\n' if version else ""
    return (
        f"@page {{ size: {size}; margin: {MARGIN_MM:g}mm;\n"
        f"  @top-right {{ content: {top}; }}\n{left}"
        '  @bottom-right { content: "page " counter(page) " of " counter(pages); }\n'
        "}\n" + ("" if key else "@page :first { @top-right { content: none; } }\n")
    )


def first_page_reserve(graph: ArgumentGraph, bank: tuple[BankEntry, ...], paper: Paper) -> float:
    """How much of page 1 the header and the statement bank take above the diagram,
    in points: a generous estimate from the length of their texts."""
    page_w, _ = printable_area(paper)
    chars_per_line = page_w / 5.0  # 10 pt text, about 5 pt a character
    title_lines = 1 + len(graph.map.title) // 60
    reserve = FIRST_PAGE_RESERVE_PT + (title_lines - 1) * 22
    if bank:
        reserve += 30 + sum(14.0 * (1 + len(e.text) // chars_per_line) + 4 for e in bank)
    return reserve


def make_handout(
    graph: ArgumentGraph,
    options: HandoutOptions,
    draw: Draw,
    templates: Path | None = None,
) -> Handout:
    """Render the worksheet's HTML, and the key's with ``answer_key``; raises
    :class:`HandoutError` for unusable options."""
    level, blanks = resolve_blanks(graph, options)
    try:
        exercises = chosen(options.exercise) if options.exercise else ()
    except ExerciseError as error:
        raise HandoutError(str(error)) from None
    hidden = frozenset().union(*(e.hides for e in exercises))
    exercise_data = [(e, e.data(graph)) for e in exercises]
    paragraphs = source_paragraphs(graph) if options.source_text else None
    notes: list[str] = []
    if level is Level.BLANKS and not options.blank:
        notes.append("no --blank given: every premise is left empty")
    bank: tuple[BankEntry, ...] = ()
    if level is not Level.RECALL:
        distractors = graph.map.distractors + borrowed_distractors(
            graph, blanks, options.borrowed, options.version_seed("distractors")
        )
        bank = claim_bank(graph, blanks, options.version_seed("bank"), distractors)
        notes += bank_warnings(bank)
    reserve = first_page_reserve(graph, bank, options.paper)
    _, page_h = printable_area(options.paper)
    # Less than a third of page 1 left below the bank: the diagram starts on page 2.
    new_page = reserve > page_h * 2 / 3
    first = DIAGRAM_HEADING_PT if new_page else reserve
    planner = _Planner(blanked(graph, blanks), options.paper, draw, first)
    plan = planner.plan()
    student_parts = _parts(planner, plan, "_svg_s", notes)
    # A generated question with an answer asks for a relation the sheet shows (the
    # diagram's arrows and "and" junctions, the standard form's "attacks C1" and
    # "together"): only the open ones are asked.
    open_questions = [q for q in generated_questions(graph) if q.answer is None]
    questions = author_questions(graph) + open_questions
    env = _environment(templates)
    css = (default_templates_dir() / "static" / "handout.css").read_text(encoding="utf-8")
    common = {
        "map": graph.map,
        "source": graph.map.source,
        "level": level.value,
        "bank": bank,
        "version": options.version_name,
        "paper": options.paper.value,
        "argmap_version": __version__,
    }
    html = env.get_template("handout.html").render(
        **common,
        key=False,
        task=_TASKS[level] if not exercises else "Do the exercises below.",
        seed=options.seed,
        show_diagram=DIAGRAM not in hidden,
        show_form=FORM not in hidden,
        exercises=exercise_data,
        parts=student_parts,
        diagram_on_new_page=new_page,
        form=standard_form(graph, blanks),
        questions=questions if QUESTIONS not in hidden else [],
        paragraphs=paragraphs,
        css=Markup(_page_css(options.paper, False, options.version_name) + css),
    )
    key_html = None
    if options.answer_key:
        key_notes: list[str] = []
        # The key's parts hold the statements of the worksheet's, numbered alike, and
        # its boxes are as small: a box filled from the bank shows its letter.
        key_planner = _Planner(answered(graph, bank), options.paper, draw, FIRST_PAGE_RESERVE_PT)
        key_parts = _parts(key_planner, plan, "_svg_k", key_notes)
        notes += [f"answer key: {note}" for note in key_notes]
        key_html = env.get_template("handout.html").render(
            **common,
            key=True,
            bank_by_box=sorted(
                (e for e in bank if e.number), key=lambda e: _number_key(graph)(e.number)
            ),
            distractors=[e for e in bank if not e.number],
            recalled=[
                (graph.numbers[n], to_plain(graph.nodes[n].text))
                for n in graph.numbers
                if n in blanks and level is Level.RECALL
            ],
            swaps=interchangeable(graph, blanks),
            parts=key_parts,
            form=standard_form(graph),
            exercises=exercise_data,
            answered=[(n, q) for n, q in enumerate(questions, start=1) if q.answer is not None],
            css=Markup(_page_css(options.paper, True, options.version_name) + css),
        )
    return Handout(html, level, blanks, bank, student_parts, notes, key_html)


def _environment(templates: Path | None) -> jinja2.Environment:
    env = site_environment(templates)
    env.filters["md"] = lambda text: Markup(to_inline_html(text))
    return env


__all__ = [
    "BankEntry",
    "DiagramPart",
    "Handout",
    "HandoutError",
    "HandoutOptions",
    "Level",
    "Paper",
    "Question",
    "borrowed_distractors",
    "claim_bank",
    "interchangeable",
    "make_handout",
    "select_blanks",
    "standard_form",
]
