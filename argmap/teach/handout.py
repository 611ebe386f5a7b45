"""Classroom handouts: a print-ready worksheet (HTML, optionally PDF) from one map.

A handout has a header (title, source, lines for the student's name and the date), the
diagram scaled to the printable width, the argument in standard form
(:mod:`argmap.teach.standard_form`), discussion questions, and optionally the source text with
numbered paragraphs. Exercise variants leave chosen boxes empty (``blanks``) or every box
(``bank``): empty boxes get writing lines in the diagram and in the standard form, and a
statement bank lists the missing texts in a shuffled but seeded order. An answer key
adds the complete map on a page of its own.

The diagram keeps its text at 8 pt or more when printed. A diagram too large for the
page is put on a landscape page; if that is still too small, it is split into parts
along the outline (each part repeats the statements that connect it to the rest), every
part on a page of its own. Only a single statement's reasons that cannot be split
further are printed smaller, and :attr:`Handout.notes` says so.

Graphviz is run through a callable (``draw``: DOT source -> SVG text), so the planning
is testable without it; :func:`default_draw` uses :func:`argmap.render.layout.render_svg`.
"""

from __future__ import annotations

import enum
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
from argmap.analysis.graph import ArgumentGraph, OutlineItem
from argmap.analysis.quotes import decode_source_text, read_source_text, split_paragraphs
from argmap.markdown import to_inline_html, to_plain
from argmap.model import AttackKind, NodeKind
from argmap.render.dot import to_dot
from argmap.render.site import _environment as site_environment
from argmap.render.site import default_templates_dir
from argmap.render.svg import SVG_NS, XLINK_NS, finish_svg
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
MARGIN_MM = 15.0
# (width, height) in points, portrait
PAPER_SIZES = {"a4": (210 * MM, 297 * MM), "letter": (612.0, 792.0)}
PAPER_CSS = {"a4": "A4", "letter": "letter"}
NODE_FONT_PT = 11.0  # the statement text in a diagram box (argmap.render.dot's fontsize)
MIN_FONT_PT = 8.0  # below this a printed diagram is hard to read
MAX_FONT_PT = 9.5  # printed no larger: more of the map fits on a page
HEADING_RESERVE_PT = 100.0  # room above a diagram on its page: headings, key, caption
# Graphviz never draws a statement's box smaller than its default node size, 0.75 by 0.5
# inches, and never lets two boxes overlap: this bounds how many can print legibly.
_SMALLEST_BOX_PT2 = 54.0 * 36.0

# A word of its own line in a blank box (textwrap puts it alone on a line of at most 32
# characters): replaced in the DOT source by an empty line and a writing line.
_MARKER = "argmapblankline0000000000000000"
_BANK_MARKER = "argmapbankline00000000000000000"
_WRITING_LINE = "_" * 31
_BANK_LINE = "_" * 12


class Level(enum.StrEnum):
    FULL = "full"  # every text shown
    BLANKS = "blanks"  # chosen boxes empty, their texts in the bank
    BANK = "bank"  # every box empty: students place the statements


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


@dataclass(frozen=True, slots=True)
class DiagramPart:
    svg: Markup
    width_pt: float  # printed size
    height_pt: float
    landscape: bool
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
    # At the bank level a short line for a letter, else three writing lines.
    every = len(blanks) == len(graph.nodes)
    placeholder = _BANK_MARKER if every else " ".join([_MARKER] * 3)
    nodes = {
        node_id: replace(node, text=placeholder, quote=None, note=None, questions=())
        if node_id in blanks
        else node
        for node_id, node in graph.nodes.items()
    }
    new_map = replace(graph.map, nodes=tuple(nodes[n.id] for n in graph.map.nodes))
    return replace(graph, map=new_map, nodes=nodes)


def claim_bank(graph: ArgumentGraph, blanks: Collection[str], seed: int) -> tuple[BankEntry, ...]:
    """The texts of the blank boxes, shuffled by ``seed``, lettered A, B, C ..."""
    entries = [
        (number, to_plain(graph.nodes[node_id].text))
        for node_id, number in graph.numbers.items()
        if node_id in blanks
    ]
    random.Random(seed).shuffle(entries)
    return tuple(
        BankEntry(_letter(index), number, text) for index, (number, text) in enumerate(entries)
    )


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


def fit(
    width: float, height: float, paper: Paper, *, prefer_landscape: bool = False
) -> tuple[float, bool]:
    """The best scale for a diagram of this size and whether landscape gives it.

    The scale is at most ``MAX_FONT_PT / NODE_FONT_PT``; portrait wins a tie unless
    ``prefer_landscape`` (to stay on the page the previous part is on).
    """
    page_w, page_h = printable_area(paper)
    largest = MAX_FONT_PT / NODE_FONT_PT
    portrait = min(largest, page_w / width, (page_h - HEADING_RESERVE_PT) / height)
    landscape = min(largest, page_h / width, (page_w - HEADING_RESERVE_PT) / height)
    if landscape > portrait or (prefer_landscape and landscape == portrait):
        return landscape, True
    return portrait, False


@dataclass(frozen=True, slots=True)
class _Drawn:
    svg: str
    width: float
    height: float
    scale: float
    landscape: bool

    @property
    def font_pt(self) -> float:
        return NODE_FONT_PT * self.scale


class _Planner:
    """Draws a graph, or parts of it, so that every part prints at 8 pt or more."""

    def __init__(self, graph: ArgumentGraph, paper: Paper, draw: Draw) -> None:
        self.graph = graph
        self.paper = paper
        self.draw = draw
        self.cache: dict[frozenset[str], _Drawn] = {}
        self.most = most_statements(paper)

    def drawn(self, node_ids: frozenset[str]) -> _Drawn:
        if node_ids not in self.cache:
            svg = self.draw(_with_writing_lines(to_dot(self.subgraph(node_ids), "", paper=True)))
            width, height = _svg_size(svg)
            scale, landscape = fit(width, height, self.paper)
            self.cache[node_ids] = _Drawn(svg, width, height, scale, landscape)
        return self.cache[node_ids]

    def fits(self, node_ids: frozenset[str]) -> bool:
        return len(node_ids) <= self.most and self.drawn(node_ids).font_pt >= MIN_FONT_PT

    def subgraph(self, node_ids: frozenset[str]) -> ArgumentGraph:
        graph = self.graph
        if node_ids == frozenset(graph.nodes):
            return graph
        reasons = tuple(
            r
            for r in graph.map.reasons
            if r.conclusion in node_ids and all(p in node_ids for p in r.premises)
        )
        kept_reasons = {r.id for r in reasons if r.id is not None}
        attacks = tuple(
            a
            for a in graph.map.attacks
            if a.source in node_ids
            and (
                a.target in kept_reasons if a.kind is AttackKind.UNDERCUT else a.target in node_ids
            )
        )
        sub_map = replace(
            graph.map,
            nodes=tuple(n for n in graph.map.nodes if n.id in node_ids),
            reasons=reasons,
            attacks=attacks,
        )
        return replace(
            graph,
            map=sub_map,
            nodes={k: v for k, v in graph.nodes.items() if k in node_ids},
            numbers={k: v for k, v in graph.numbers.items() if k in node_ids},
        )

    def plan(self) -> list[tuple[frozenset[str], list[OutlineItem]]]:
        """The node sets to draw: the whole map if it fits, else parts along the outline."""
        everything = frozenset(self.graph.nodes)
        if self.fits(everything):
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
            return self.fits(frozenset(found))

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
            own = anchors | _own_nodes(outline[index])
            # An item is split into its children unless it fits, has none, or its parts
            # could not fit anyway: each repeats the statements above it, and a path of
            # more than fit on a page would make a part of every item further down.
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


def _with_writing_lines(dot_source: str) -> str:
    """Turn the placeholders of blank boxes into an empty line and a writing line."""
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
        empty = _MARKER in node.text or _BANK_MARKER in node.text
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
    graph: ArgumentGraph, paper: Paper, draw: Draw, prefix: str, notes: list[str]
) -> tuple[DiagramPart, ...]:
    planner = _Planner(graph, paper, draw)
    planned = planner.plan()
    parts: list[DiagramPart] = []
    for index, (node_ids, items) in enumerate(planned, start=1):
        drawn = planner.drawn(node_ids)
        if parts and parts[-1].landscape and not drawn.landscape:
            scale, landscape = fit(drawn.width, drawn.height, paper, prefer_landscape=True)
            drawn = replace(drawn, scale=scale, landscape=landscape)
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
                landscape=drawn.landscape,
                font_pt=drawn.font_pt,
                title=title,
                numbers=tuple(sub.numbers.values()),
            )
        )
    return tuple(parts)


def _around(numbers: list[str]) -> str:
    if len(numbers) == 1:
        return f"{numbers[0]} and what bears on it"
    return f"{', '.join(numbers[:-1])} and {numbers[-1]} and what bears on them"


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
}


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
    return level, select_blanks(graph, options.blank or "premises")


def make_handout(
    graph: ArgumentGraph,
    options: HandoutOptions,
    draw: Draw,
    templates: Path | None = None,
) -> Handout:
    """Render the handout's HTML; raises :class:`HandoutError` for unusable options."""
    level, blanks = resolve_blanks(graph, options)
    paragraphs = source_paragraphs(graph) if options.source_text else None
    notes: list[str] = []
    if level is Level.BLANKS and not options.blank:
        notes.append("no --blank given: every premise is left empty")
    bank = claim_bank(graph, blanks, options.seed)
    student_parts = diagram_parts(blanked(graph, blanks), options.paper, draw, "_svg_s", notes)
    key_parts: tuple[DiagramPart, ...] = ()
    if options.answer_key:
        key_notes: list[str] = []
        key_parts = diagram_parts(graph, options.paper, draw, "_svg_k", key_notes)
        notes += [f"answer key: {note}" for note in key_notes]
    questions = author_questions(graph) + generated_questions(graph)
    env = _environment(templates)
    css = (default_templates_dir() / "static" / "handout.css").read_text(encoding="utf-8")
    paper_css = PAPER_CSS[options.paper.value]
    page_css = (
        f"@page {{ size: {paper_css}; margin: {MARGIN_MM:g}mm; }}\n"
        f"@page landscape {{ size: {paper_css} landscape; margin: {MARGIN_MM:g}mm; }}\n"
    )
    html = env.get_template("handout.html").render(
        map=graph.map,
        source=graph.map.source,
        level=level.value,
        task=_TASKS[level],
        blank_count=len(blanks),
        bank=bank,
        seed=options.seed,
        parts=student_parts,
        split=len(student_parts) > 1,
        form=standard_form(graph, blanks),
        full_form=standard_form(graph),
        questions=questions,
        paragraphs=paragraphs,
        answer_key=options.answer_key,
        key_parts=key_parts,
        key_split=len(key_parts) > 1,
        answered=[(n, q) for n, q in enumerate(questions, start=1) if q.answer is not None],
        css=Markup(page_css + css),
        paper=options.paper.value,
        argmap_version=__version__,
    )
    return Handout(html, level, blanks, bank, student_parts, notes)


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
    "claim_bank",
    "make_handout",
    "select_blanks",
    "standard_form",
]
