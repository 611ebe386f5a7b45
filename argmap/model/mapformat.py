"""The map format, defined once: its tables, their keys and the kinds of node.

Each table lists its keys in definition order with the value type, whether the key is
required, and the one-line description ``argmap schema`` shows. What the rest of argmap
knows about the format is read from here: the loader's key lists and unknown-key checks
(:mod:`argmap.model.load`), the canonical key order of ``argmap fmt`` (:mod:`argmap.model.fmt`), the
optional keys of the export document and the key order of the importers' TOML writer
(:mod:`argmap.interop`). tests/test_schema.py checks the shipped ``schema.json`` against
this definition (key sets, required keys, descriptions and value types).

A node kind is one :class:`KindSpec` in :data:`KINDS`, its drawing style included:
adding a kind means an entry here and a member of :class:`~argmap.model.NodeKind`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from argmap.model import NodeKind, Status


class ValueType(enum.StrEnum):
    """What a key's value may be (how the loader reads it, and what the schema says)."""

    TEXT = "text"  # a non-empty string
    ID = "id"  # one node or reason id
    IDS = "id-or-ids"  # an id or a list of ids
    STRINGS = "strings"  # a string or a list of strings
    FRACTION = "fraction"  # a number from 0 to 1
    WHOLE = "whole"  # a whole number of 1 or more
    CHOICE = "choice"  # one of the key's ``choices``
    LANGUAGE = "language"  # a BCP 47 language tag
    URL = "url"  # an http(s) address
    DATE = "date"  # a string, or a TOML date or date-time
    CITATIONS = "citations"  # one or more "MAP#ID"
    RULES = "rules"  # lint rule codes or names
    KINDS = "kinds"  # true, false, or a list of node kinds


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: ValueType
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    """A table of a map file; ``per_id`` for ``[name.ID]`` tables (nodes and reasons)."""

    name: str
    keys: tuple[Key, ...]
    per_id: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The key names in definition order (the order the loader lists them in)."""
        return tuple(key.name for key in self.keys)

    @property
    def canonical(self) -> tuple[str, ...]:
        """The order ``argmap fmt`` and the importers write: required keys first."""
        return tuple(k.name for k in self.keys if k.required) + tuple(
            k.name for k in self.keys if not k.required
        )

    def key(self, name: str) -> Key:
        return next(key for key in self.keys if key.name == name)


_QUESTIONS = (
    "Discussion questions for handouts (`argmap handout`), printed with the generated ones. "
    "A single string counts as a list of one; empty strings are dropped."
)
_IDS_ONCE = "an id or a list of ids, each named once"

MAP = Table(
    "map",
    (
        Key(
            "title",
            ValueType.TEXT,
            "The map's title: the page title and heading, the link in the list of maps, and "
            "the diagram's title for screen readers. Plain text. Required.",
            required=True,
        ),
        Key(
            "summary",
            ValueType.TEXT,
            "A paragraph or two about the map, shown under the title and in the list of "
            "maps. Markdown.",
        ),
        Key(
            "tags",
            ValueType.STRINGS,
            "Keywords shown on the page and in the list of maps. A single string counts as "
            "a list of one; empty strings are dropped.",
        ),
        Key(
            "language",
            ValueType.LANGUAGE,
            "The language of the map's text, for the page's lang attribute: a tag such as "
            "en, de or pt-BR (2 to 8 letters, then optional '-' parts of 1 to 8 letters or "
            "digits). Default en; an empty value means the default.",
        ),
        Key(
            "thesis",
            ValueType.ID,
            "The id of the main claim. It must name a [claim.ID] of this map. Required.",
            required=True,
        ),
        Key("questions", ValueType.STRINGS, _QUESTIONS),
    ),
)

SOURCE = Table(
    "source",
    (
        Key("title", ValueType.TEXT, "The title of the source. Plain text."),
        Key("publisher", ValueType.TEXT, "Who published the source. Plain text."),
        Key("author", ValueType.TEXT, "Who wrote the source. Plain text."),
        Key(
            "date",
            ValueType.DATE,
            "When the source was published: a string, shown as written, or a TOML date "
            "(2021-02-05, no quotes) or date-time, shown in ISO form. A time of day alone is "
            "refused.",
        ),
        Key(
            "url",
            ValueType.URL,
            "Where the source is published. Must start with http:// or https://.",
        ),
        Key(
            "text_file",
            ValueType.TEXT,
            "A path to a plain-text (UTF-8) copy of the source, relative to the folder of "
            "the map file. Only used to check quotes; never published or shown.",
        ),
    ),
)

# A map's own [lint] table; argmap.toml's takes `severity` as well (argmap.config).
LINT = Table(
    "lint",
    (
        Key(
            "disable",
            ValueType.RULES,
            "Rules to switch off for this map: a list of rule codes (AM401) or names "
            "(orphan-node), each rule named once. They add to the rules argmap.toml "
            "switches off.",
        ),
        Key(
            "require_quotes",
            ValueType.KINDS,
            "Require a quote: true for every claim, premise and rebuttal, false for none, "
            "or a list of the kinds that need one, each named once. Replaces the setting of "
            "argmap.toml for this map.",
        ),
        Key(
            "max_text_length",
            ValueType.WHOLE,
            "The longest node text, in characters, before argmap warns that it is too long "
            "for a diagram box (default 200). Replaces the setting of argmap.toml.",
        ),
    ),
)

# [handout]: settings of the classroom handouts (argmap handout).
HANDOUT = Table(
    "handout",
    (
        Key(
            "distractors",
            ValueType.STRINGS,
            "Statements that belong nowhere in the map, added to a handout's statement bank "
            "so that the last box is not filled by elimination. A single string counts as a "
            "list of one; empty strings are dropped.",
        ),
    ),
)

STATUSES = tuple(status.value for status in Status)  # plain words, for messages
SEMANTICS = ("grounded", "preferred", "stable")
EXPECT_LABELS = ("in", "out", "undec")
EXPECT = Table(
    "expect",
    (
        Key(
            "semantics",
            ValueType.CHOICE,
            "The semantics to evaluate under: grounded (the default), preferred or stable.",
            choices=SEMANTICS,
        ),
        Key("in", ValueType.IDS, "Statements expected to stand (IN)."),
        Key("out", ValueType.IDS, "Statements expected to fall (OUT)."),
        Key("undec", ValueType.IDS, "Statements expected to stay undecided (UNDEC)."),
    ),
)

# The keys every statement (claim, premise, rebuttal) takes; its relation keys follow.
STATEMENT_KEYS = (
    Key(
        "text",
        ValueType.TEXT,
        "The statement, in your own words. Markdown. Required, and must not be empty.",
        required=True,
    ),
    Key(
        "quote",
        ValueType.TEXT,
        "The source's exact words for this statement, shown as a quotation under the text. "
        "Plain text. When [source] has a text_file, argmap checks that the quote occurs in "
        "it.",
    ),
    Key(
        "paragraph",
        ValueType.WHOLE,
        "The paragraph of the source the quote is in, counted from 1 (blocks separated by "
        "blank lines; a title line is paragraph 1). Only together with quote.",
    ),
    Key(
        "cites",
        ValueType.CITATIONS,
        'Nodes of other maps this node cites, each as "MAP#ID": the other map\'s page '
        "name (its path below the maps folder without .toml, '/'-separated) and a node id "
        "in it. Each becomes a link on the node's card. A single string counts as a list "
        "of one.",
    ),
    Key(
        "section",
        ValueType.TEXT,
        'The part of the map this statement belongs to (free text, such as "Economy"). '
        "Statements with the same section are drawn inside one frame labelled with its "
        "name.",
    ),
    Key(
        "tags",
        ValueType.STRINGS,
        "Keywords shown with the statement. A single string counts as a list of one; empty "
        "strings are dropped.",
    ),
    Key(
        "note",
        ValueType.TEXT,
        "A remark by the analyst, shown after the statement's relations. Markdown.",
    ),
    Key(
        "status",
        ValueType.CHOICE,
        "How the evaluation treats this statement when nothing supports it: accepted (the "
        "default: it stands unless attacked), questioned (undecided unless supported), "
        "rejected (it does not stand). A statement with reasons stands or falls by its "
        "reasons.",
        choices=STATUSES,
    ),
    Key(
        "base_score",
        ValueType.FRACTION,
        "The statement's starting strength for the gradual (DF-QuAD) score, from 0 to 1 "
        "(default 0.5). A rejected statement starts from 0.",
    ),
    Key(
        "weight",
        ValueType.FRACTION,
        "How much this node's own supports, attacks and undercuts count in the gradual "
        "(DF-QuAD) score, from 0 to 1 (default 1).",
    ),
    Key("questions", ValueType.STRINGS, _QUESTIONS),
)

SUPPORTS = Key(
    "supports",
    ValueType.IDS,
    "What this statement is a reason for: the id of a claim or a rebuttal, or a list of "
    "ids. Each id is one independent reason and may appear only once.",
)
ATTACKS = Key(
    "attacks",
    ValueType.IDS,
    "The statements (claims, premises or rebuttals) this objection says are false: "
    f"{_IDS_ONCE}. Not a reason: use undercuts for that.",
)
UNDERCUTS = Key(
    "undercuts",
    ValueType.IDS,
    "The [reason.ID]s whose step from premises to conclusion this objection denies: "
    f"{_IDS_ONCE}. Not a statement: use attacks for that.",
)


@dataclass(frozen=True, slots=True)
class KindStyle:
    """How a kind of node is drawn, in argmap's diagram (:mod:`argmap.render.dot`) and in
    the exports that draw it (GraphML for yEd, Mermaid), so they look alike."""

    fill: str  # background colour
    line: str  # border colour
    dot: str  # Graphviz's node style (every node is a box: rounded, or with cut corners)
    graphml: str  # yEd's shape (the type of a y:ShapeNode)
    mermaid: tuple[str, str]  # the opening and closing brackets of a Mermaid node's shape


@dataclass(frozen=True, slots=True)
class KindSpec:
    """One kind of node: its table, its number prefix, its label and what it may do."""

    kind: NodeKind
    prefix: str  # of its numbers (C1, P1, R1)
    label: str  # as shown in diagrams, handouts and messages
    relations: tuple[Key, ...]  # the keys naming the nodes or reasons it relates to
    supportable: bool  # whether a reason may conclude it
    style: KindStyle

    @property
    def table(self) -> Table:
        return Table(self.kind.value, (*STATEMENT_KEYS, *self.relations), per_id=True)

    @property
    def supports(self) -> bool:
        return any(key.name == "supports" for key in self.relations)


# Colours: Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
KINDS: dict[NodeKind, KindSpec] = {
    NodeKind.CLAIM: KindSpec(
        NodeKind.CLAIM,
        "C",
        "claim",
        (SUPPORTS,),
        True,
        KindStyle("#DCEBF7", "#0072B2", "rounded,filled", "roundrectangle", ("(", ")")),
    ),
    NodeKind.PREMISE: KindSpec(
        NodeKind.PREMISE,
        "P",
        "premise",
        (SUPPORTS,),
        False,
        KindStyle("#FFF7DC", "#5C5C5C", "filled", "rectangle", ("[", "]")),
    ),
    NodeKind.REBUTTAL: KindSpec(
        NodeKind.REBUTTAL,
        "R",
        "rebuttal",
        (ATTACKS, UNDERCUTS),
        True,
        KindStyle("#FBE3D6", "#D55E00", "filled,diagonals", "octagon", ("{{", "}}")),
    ),
}

REASON = Table(
    "reason",
    (
        Key(
            "premises",
            ValueType.IDS,
            "The claims or premises that form the reason: an id or a non-empty list of ids, "
            "each named once. Required.",
            required=True,
        ),
        Key(
            "supports",
            ValueType.ID,
            "The conclusion: the id of one claim or rebuttal. Required. A list is refused: "
            "write one reason for each conclusion.",
            required=True,
        ),
        Key(
            "note",
            ValueType.TEXT,
            "Why these premises belong together, or anything else about the step. Shown "
            "with the reason on the conclusion's entry. Markdown.",
        ),
        Key(
            "weight",
            ValueType.FRACTION,
            "How much this reason counts in the gradual (DF-QuAD) score, from 0 to 1 (default 1).",
        ),
    ),
    per_id=True,
)

# Every table of a map file, in the order the loader lists them.
TABLES: dict[str, Table] = {
    "map": MAP,
    "source": SOURCE,
    **{kind.value: spec.table for kind, spec in KINDS.items()},
    "reason": REASON,
    "lint": LINT,
    "expect": EXPECT,
    "handout": HANDOUT,
}
TOP_LEVEL = tuple(TABLES)
NODE_TABLES = (*(kind.value for kind in KINDS), "reason")

# The one key order of node and reason tables (`argmap fmt` and the importers write it):
# the text and its quote, then the relations, then the rest. It holds every key of every
# node table (tests/test_schema.py checks), so fmt orders a key misplaced in a kind alike.
NODE_KEY_ORDER = (
    "text",
    "quote",
    "paragraph",
    "premises",
    "supports",
    "attacks",
    "undercuts",
    "cites",
    "section",
    "tags",
    "note",
    "status",
    "base_score",
    "weight",
    "questions",
)


def key_order(table: str) -> tuple[str, ...]:
    """The canonical order of a table's keys (``()`` for a table argmap does not know)."""
    if table in NODE_TABLES:
        return NODE_KEY_ORDER
    known = TABLES.get(table)
    return known.canonical if known is not None else ()
