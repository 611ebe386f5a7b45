"""Stage 3: the validated map as a directed graph with lookups in both directions.

The diagram and the pages both ask "what supports X?", "what does X attack?" and "where
does X sit in the argument?"; this module answers once, so they cannot disagree. It
also numbers the nodes (C1, P1, R1, ...) in reading order, from the thesis down.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from argmap._pickling import by_constructor
from argmap.model import ArgumentMap, Attack, AttackKind, Node, NodeKind, Reason
from argmap.model.mapformat import KINDS

_PREFIX = {kind: spec.prefix for kind, spec in KINDS.items()}


class Role(enum.StrEnum):
    """How an outline entry relates to its parent."""

    ROOT = "root"
    SUPPORTS = "supports"
    LINKED = "linked reason"
    ATTACKS = "attacks"
    UNDERCUTS = "undercuts"


@by_constructor
@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One entry of the argument's outline: a node, or a linked reason grouping premises.

    The outline is a flat tuple in reading order, not nested tuples: a map may be
    thousands of statements deep, and nested data would need recursion to build, number,
    pickle (between build processes) and render. An item's children are the items after
    it, one level deeper, up to the end of its ``size``.
    """

    role: Role
    node: str | None
    reason: Reason | None
    depth: int  # 0 for a root, 1 for its children, ...
    size: int = 1  # items in its subtree, itself included: outline[i : i + size]
    repeated: bool = False  # the node was already expanded higher up


@dataclass(frozen=True, slots=True)
class OutlineRow:
    """An outline item with the markers a flat rendering of the tree needs."""

    item: OutlineItem
    opens: bool  # its children follow: the list of them opens after it
    closes: int  # how many enclosing lists end after it (after its own entry ends)


@dataclass(frozen=True)
class ArgumentGraph:
    map: ArgumentMap
    nodes: dict[str, Node]
    numbers: dict[str, str]  # node id -> "C1", "P3", ...
    reasons_for: dict[str, tuple[Reason, ...]]  # conclusion id -> reasons supporting it
    reasons_from: dict[str, tuple[Reason, ...]]  # premise id -> reasons it takes part in
    attacks_on: dict[str, tuple[Attack, ...]]  # node or reason id -> attacks against it
    attacks_by: dict[str, tuple[Attack, ...]]  # rebuttal id -> its attacks
    reasons_by_id: dict[str, Reason]
    outline: tuple[OutlineItem, ...]

    @property
    def thesis(self) -> Node:
        return self.nodes[self.map.thesis]

    def ordered_nodes(self) -> list[Node]:
        """Nodes in reading order: depth first from the thesis, as they are numbered."""
        return [self.nodes[node_id] for node_id in self.numbers]

    def counts(self) -> dict[NodeKind, int]:
        counts = dict.fromkeys(NodeKind, 0)
        for node in self.nodes.values():
            counts[node.kind] += 1
        return counts

    def relation_count(self) -> int:
        return sum(len(r.premises) for r in self.map.reasons) + len(self.map.attacks)


def build_graph(argument_map: ArgumentMap) -> ArgumentGraph:
    """Index a map that :func:`argmap.model.validate.validate_map` has accepted."""
    indexes = _Indexes(argument_map)
    outline = _Outliner(argument_map, indexes.reasons_for, indexes.attacks_on).run()
    return indexes.graph(
        argument_map,
        {node.id: node for node in argument_map.nodes},
        _number(outline, argument_map),
        outline,
    )


def subgraph(graph: ArgumentGraph, nodes: Mapping[str, Node]) -> ArgumentGraph:
    """The part of ``graph`` made of ``nodes`` (by id, in the order to draw them; a
    caller may have changed their texts) and the relations among them, for a drawing of
    that part alone (a handout's part, a page's overview).

    Numbers and the outline stay the whole map's, so a box keeps its number; the
    indexes are the part's own, so nothing in the part points at a statement outside it.
    """
    kept = frozenset(nodes)
    reasons = tuple(
        r for r in graph.map.reasons if r.conclusion in kept and all(p in kept for p in r.premises)
    )
    reason_ids = {r.id for r in reasons if r.id is not None}
    attacks = tuple(
        a
        for a in graph.map.attacks
        if a.source in kept
        and (a.target in reason_ids if a.kind is AttackKind.UNDERCUT else a.target in kept)
    )
    part = replace(
        graph.map,
        nodes=tuple(nodes[n.id] for n in graph.map.nodes if n.id in kept),
        reasons=reasons,
        attacks=attacks,
    )
    numbers = {k: v for k, v in graph.numbers.items() if k in kept}
    return _Indexes(part).graph(part, dict(nodes), numbers, graph.outline)


class _Indexes:
    """A map's relations indexed by the statements at either end."""

    def __init__(self, argument_map: ArgumentMap) -> None:
        reasons_for: defaultdict[str, list[Reason]] = defaultdict(list)
        reasons_from: defaultdict[str, list[Reason]] = defaultdict(list)
        for reason in argument_map.reasons:
            reasons_for[reason.conclusion].append(reason)
            for premise in reason.premises:
                reasons_from[premise].append(reason)
        attacks_on: defaultdict[str, list[Attack]] = defaultdict(list)
        attacks_by: defaultdict[str, list[Attack]] = defaultdict(list)
        for attack in argument_map.attacks:
            attacks_on[attack.target].append(attack)
            attacks_by[attack.source].append(attack)
        self.reasons_for = {k: tuple(v) for k, v in reasons_for.items()}
        self.reasons_from = {k: tuple(v) for k, v in reasons_from.items()}
        self.attacks_on = {k: tuple(v) for k, v in attacks_on.items()}
        self.attacks_by = {k: tuple(v) for k, v in attacks_by.items()}
        self.reasons_by_id = {r.id: r for r in argument_map.reasons if r.id is not None}

    def graph(
        self,
        argument_map: ArgumentMap,
        nodes: dict[str, Node],
        numbers: dict[str, str],
        outline: tuple[OutlineItem, ...],
    ) -> ArgumentGraph:
        return ArgumentGraph(
            map=argument_map,
            nodes=nodes,
            numbers=numbers,
            reasons_for=self.reasons_for,
            reasons_from=self.reasons_from,
            attacks_on=self.attacks_on,
            attacks_by=self.attacks_by,
            reasons_by_id=self.reasons_by_id,
            outline=outline,
        )


# An entry of the outline walk: (role, node id or None, reason or None, depth, repeated).
_Entry = tuple[Role, str | None, Reason | None, int, bool]


class _Outliner:
    """Walks from the thesis down through supports and attacks, each node expanded once.

    Depth first with a stack of its own, not by recursion: a chain of reasons or of
    rebuttals answering rebuttals can be as deep as the map is large.
    """

    def __init__(
        self,
        argument_map: ArgumentMap,
        reasons_for: dict[str, tuple[Reason, ...]],
        attacks_on: dict[str, tuple[Attack, ...]],
    ) -> None:
        self.map = argument_map
        self.reasons_for = reasons_for
        self.attacks_on = attacks_on
        self.expanded: set[str] = set()
        self.entries: list[_Entry] = []  # in reading order

    def run(self) -> tuple[OutlineItem, ...]:
        self._walk(self.map.thesis)
        # Whatever the thesis does not reach is still shown, as further roots: first
        # nodes that point at nothing, then any leftovers, in file order.
        pointing = {p for r in self.map.reasons for p in r.premises}
        pointing.update(a.source for a in self.map.attacks)
        for node in self.map.nodes:
            if node.id not in self.expanded and node.id not in pointing:
                self._walk(node.id)
        for node in self.map.nodes:
            if node.id not in self.expanded:
                self._walk(node.id)
        entries = self.entries
        sizes = _subtree_sizes([entry[3] for entry in entries])
        return tuple(
            OutlineItem(role, node, reason, depth, size, repeated)
            for (role, node, reason, depth, repeated), size in zip(entries, sizes, strict=True)
        )

    def _walk(self, root: str) -> None:
        entries, expanded = self.entries, self.expanded
        reasons_for, attacks_on = self.reasons_for, self.attacks_on
        pending: list[_Entry] = [(Role.ROOT, root, None, 0, False)]
        while pending:
            role, node_id, reason, depth, _ = entry = pending.pop()
            below = depth + 1
            if node_id is None:  # a reason with an id: its premises, then its undercutters
                assert reason is not None and reason.id is not None
                entries.append(entry)
                linked: list[_Entry] = [
                    (Role.SUPPORTS, p, None, below, False) for p in reason.premises
                ]
                linked += [
                    (Role.UNDERCUTS, a.source, None, below, False)
                    for a in attacks_on.get(reason.id, ())
                ]
                pending += reversed(linked)
                continue
            if node_id in expanded:
                entries.append((role, node_id, None, depth, True))
                continue
            expanded.add(node_id)
            entries.append(entry)
            children: list[_Entry] = [
                (Role.SUPPORTS, r.premises[0], None, below, False)
                if r.id is None
                else (Role.LINKED if r.linked else Role.SUPPORTS, None, r, below, False)
                for r in reasons_for.get(node_id, ())
            ]
            children += [
                (Role.ATTACKS, a.source, None, below, False) for a in attacks_on.get(node_id, ())
            ]
            pending += reversed(children)


def _subtree_sizes(depths: list[int]) -> list[int]:
    """Each item's subtree size: its subtree ends where an item not deeper begins."""
    sizes = [1] * len(depths)
    open_items: list[int] = []  # indexes of the items whose subtree is still going on
    for index, depth in enumerate(depths):
        while open_items and depths[open_items[-1]] >= depth:
            start = open_items.pop()
            sizes[start] = index - start
        open_items.append(index)
    for start in open_items:
        sizes[start] = len(depths) - start
    return sizes


def outline_rows(outline: tuple[OutlineItem, ...]) -> list[OutlineRow]:
    """The outline with where each nested list opens and closes, for the templates.

    A template renders the tree from this flat list in one loop: a recursive macro
    would fail on a deep map (Jinja recursion is Python recursion).
    """
    rows = []
    for index, item in enumerate(outline):
        following = outline[index + 1].depth if index + 1 < len(outline) else 0
        rows.append(OutlineRow(item, following > item.depth, max(item.depth - following, 0)))
    return rows


def _number(outline: tuple[OutlineItem, ...], argument_map: ArgumentMap) -> dict[str, str]:
    numbers: dict[str, str] = {}
    counters = dict.fromkeys(NodeKind, 0)
    kinds = {node.id: node.kind for node in argument_map.nodes}
    for item in outline:
        if item.node is not None and item.node not in numbers:
            kind = kinds[item.node]
            counters[kind] += 1
            numbers[item.node] = f"{_PREFIX[kind]}{counters[kind]}"
    return numbers
