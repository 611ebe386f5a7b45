"""The argument map as data: immutable, independent of TOML and of any diagram.

The loader builds these from a file; validation, the graph, the diagram and the site
only read them. Relations refer to nodes by id; :mod:`argmap.model.validate` guarantees the
ids resolve before anything downstream uses them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from argmap._pickling import by_constructor
from argmap._records import quick_init
from argmap.diagnostics import Position, Severity

START = Position(1, 1)


class NodeKind(enum.StrEnum):
    CLAIM = "claim"
    PREMISE = "premise"
    REBUTTAL = "rebuttal"


class AttackKind(enum.StrEnum):
    REBUT = "attacks"  # against a statement (claim, premise or rebuttal)
    UNDERCUT = "undercuts"  # against an inference (a reason), not a statement


class Status(enum.StrEnum):
    """The author's stance on a statement taken as given (one without reasons)."""

    ACCEPTED = "accepted"
    QUESTIONED = "questioned"
    REJECTED = "rejected"


@by_constructor
@dataclass(frozen=True, slots=True)
class Expectation:
    """The verdict the author expects for one statement (``[expect]``): a CI test."""

    node: str
    label: str  # "in", "out" or "undec"
    position: Position


@quick_init
@by_constructor
@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    position: Position
    paragraph: int | None = None


@by_constructor
@dataclass(frozen=True, slots=True)
class Source:
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    text_file: str | None = None  # a local copy used to check quotes; never published
    position: Position = START  # of the [source] table
    text_file_position: Position = START

    def is_empty(self) -> bool:
        return not any((self.title, self.publisher, self.author, self.date, self.url))


@quick_init
@by_constructor
@dataclass(frozen=True, slots=True)
class Citation:
    """A node of another map that a node cites (``cites = ["other-map#node-id"]``)."""

    map: str  # the cited map's slug: its path below the maps folder without .toml
    node: str  # the cited node's id in that map
    position: Position  # of the string in `cites`

    @property
    def target(self) -> str:
        return f"{self.map}#{self.node}"


@quick_init
@by_constructor
@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: NodeKind
    text: str
    position: Position
    quote: Quote | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    text_position: Position | None = None  # of the `text` value
    status: Status = Status.ACCEPTED
    status_position: Position | None = None
    base_score: float | None = None  # DF-QuAD starting strength, 0..1
    weight: float | None = None  # how much this node's own supports/attacks count, 0..1
    questions: tuple[str, ...] = ()  # discussion questions for handouts
    section: str | None = None  # drawn in one frame with the other nodes of this section
    cites: tuple[Citation, ...] = ()  # nodes of other maps this node cites

    @property
    def text_at(self) -> Position:
        return self.text_position or self.position


@quick_init
@by_constructor
@dataclass(frozen=True, slots=True)
class Reason:
    """An inference from one or more premises to a conclusion.

    A ``[reason.ID]`` table declares a reason with an id (so it can be undercut); with two
    or more premises it is *linked*: the premises support the conclusion only together.
    A node's own ``supports`` key gives an independent reason with no id.
    """

    premises: tuple[str, ...]
    conclusion: str
    position: Position  # the [reason.ID] header, or the id in a node's `supports`
    id: str | None = None
    note: str | None = None
    premise_positions: tuple[Position, ...] = ()  # of each id in `premises`
    weight: float | None = None  # DF-QuAD: how much this reason counts, 0..1
    conclusion_position: Position | None = None  # of the id in `supports`

    def premise_position(self, index: int) -> Position:
        if index < len(self.premise_positions):
            return self.premise_positions[index]
        return self.position

    @property
    def target_position(self) -> Position:
        return self.conclusion_position or self.position

    @property
    def linked(self) -> bool:
        return len(self.premises) > 1


@quick_init
@by_constructor
@dataclass(frozen=True, slots=True)
class Attack:
    source: str  # a rebuttal id
    target: str  # a node id (REBUT) or a reason id (UNDERCUT)
    kind: AttackKind
    position: Position


@by_constructor
@dataclass(frozen=True, slots=True)
class LintSettings:
    """A ``[lint]`` table: in ``argmap.toml`` for the project, or in one map for that map.

    ``None`` means "not set here": a map's own setting wins over the project's, and the
    project's over the default (see :mod:`argmap.analysis.lint`).
    """

    disable: frozenset[str] = frozenset()  # codes of the rules switched off
    require_quotes: frozenset[NodeKind] | None = None
    max_text_length: int | None = None
    severity: Mapping[str, Severity] = field(default_factory=dict)  # code -> severity
    position: Position | None = None  # of the [lint] table; None when there is none


@by_constructor
@dataclass(frozen=True, slots=True)
class ArgumentMap:
    slug: str  # path below the arguments folder without ".toml", "/"-separated
    path: Path
    title: str
    thesis: str
    position: Position  # of the [map] table
    summary: str | None = None
    tags: tuple[str, ...] = ()
    language: str = "en"
    source: Source = field(default_factory=Source)
    nodes: tuple[Node, ...] = ()
    reasons: tuple[Reason, ...] = ()
    attacks: tuple[Attack, ...] = ()
    thesis_position: Position = START
    lint: LintSettings = field(default_factory=LintSettings)  # the map's own [lint] table
    expectations: tuple[Expectation, ...] = ()  # [expect]
    expect_semantics: str = "grounded"
    questions: tuple[str, ...] = ()  # discussion questions for handouts
    distractors: tuple[str, ...] = ()  # [handout] distractors: wrong answers for the bank

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)
