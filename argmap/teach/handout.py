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

The diagram on the page (paper sizes, the boxes' text, the parts it is split into) is
:mod:`argmap.teach.paper`; Graphviz is run through its ``draw`` callable.
"""

from __future__ import annotations

import enum
import random
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
from markupsafe import Markup

from argmap import __version__
from argmap.analysis.graph import ArgumentGraph
from argmap.analysis.quotes import decode_source_text, read_source_text, split_paragraphs
from argmap.markdown import to_inline_html, to_plain
from argmap.model import NodeKind
from argmap.render.site import _environment as site_environment
from argmap.render.site import default_templates_dir
from argmap.teach.exercises import DIAGRAM, FORM, QUESTIONS, ExerciseError, chosen
from argmap.teach.paper import (
    BANK_BLANK_TEXT,
    BLANK_TEXT,
    DIAGRAM_HEADING_PT,
    FIRST_PAGE_RESERVE_PT,
    MARGIN_MM,
    PAPER_CSS,
    DiagramPart,
    Draw,
    Paper,
    Planner,
    planned_parts,
    printable_area,
)
from argmap.teach.standard_form import (
    Question,
    author_questions,
    generated_questions,
    standard_form,
)


class Level(enum.StrEnum):
    FULL = "full"  # every text shown
    BLANKS = "blanks"  # chosen boxes empty, their texts in the bank
    BANK = "bank"  # every box empty: students place the statements
    RECALL = "recall"  # chosen boxes empty and no bank: students write the statements


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
    placeholder = BANK_BLANK_TEXT if every else BLANK_TEXT
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
    planner = Planner(blanked(graph, blanks), options.paper, draw, first)
    plan = planner.plan()
    student_parts = planned_parts(planner, plan, "_svg_s", notes)
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
        key_planner = Planner(answered(graph, bank), options.paper, draw, FIRST_PAGE_RESERVE_PT)
        key_parts = planned_parts(key_planner, plan, "_svg_k", key_notes)
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
    "Handout",
    "HandoutError",
    "HandoutOptions",
    "Level",
    "Question",
    "borrowed_distractors",
    "claim_bank",
    "interchangeable",
    "make_handout",
    "select_blanks",
    "standard_form",
]
