"""Stage 3: the validated map as a directed graph with lookups in both directions.

The diagram and the pages both ask "what supports X?", "what does X attack?" and "where
does X sit in the argument?"; this module answers once, so they cannot disagree. It
also numbers the nodes (C1, P1, R1, ...) in reading order, from the thesis down.
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from argmap.model import ArgumentMap, Attack, Node, NodeKind, Reason

_PREFIX = {NodeKind.CLAIM: "C", NodeKind.PREMISE: "P", NodeKind.REBUTTAL: "R"}


class Role(enum.StrEnum):
    """How an outline entry relates to its parent."""

    ROOT = "root"
    SUPPORTS = "supports"
    LINKED = "linked reason"
    ATTACKS = "attacks"
    UNDERCUTS = "undercuts"


class OutlineItem(NamedTuple):  # not a dataclass: ~0.5 ms less at import (start-up)
    """One entry of the argument's outline: a node, or a linked reason grouping premises."""

    role: Role
    node: str | None
    reason: Reason | None
    children: tuple[OutlineItem, ...]
    repeated: bool = False  # the node was already expanded higher up


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
    """Index a map that :func:`argmap.validate.validate_map` has accepted."""
    nodes = {node.id: node for node in argument_map.nodes}
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

    frozen_for = {k: tuple(v) for k, v in reasons_for.items()}
    frozen_on = {k: tuple(v) for k, v in attacks_on.items()}
    outline = _Outliner(argument_map, frozen_for, frozen_on).run()
    return ArgumentGraph(
        map=argument_map,
        nodes=nodes,
        numbers=_number(outline, argument_map),
        reasons_for=frozen_for,
        reasons_from={k: tuple(v) for k, v in reasons_from.items()},
        attacks_on=frozen_on,
        attacks_by={k: tuple(v) for k, v in attacks_by.items()},
        reasons_by_id={r.id: r for r in argument_map.reasons if r.id is not None},
        outline=outline,
    )


class _Outliner:
    """Walks from the thesis down through supports and attacks, each node expanded once."""

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

    def run(self) -> tuple[OutlineItem, ...]:
        roots = [self._node(self.map.thesis, Role.ROOT)]
        # Whatever the thesis does not reach is still shown, as further roots: first
        # nodes that point at nothing, then any leftovers, in file order.
        for node in self.map.nodes:
            if node.id not in self.expanded and not self._points_somewhere(node.id):
                roots.append(self._node(node.id, Role.ROOT))
        for node in self.map.nodes:
            if node.id not in self.expanded:
                roots.append(self._node(node.id, Role.ROOT))
        return tuple(roots)

    def _points_somewhere(self, node_id: str) -> bool:
        return node_id in self._pointing

    @functools.cached_property
    def _pointing(self) -> frozenset[str]:
        """The premises of every reason and the sources of every attack, gathered once:
        a scan of all of them per node the thesis does not reach made maps of many
        separate parts quadratic."""
        premises = (premise for reason in self.map.reasons for premise in reason.premises)
        return frozenset(premises).union(attack.source for attack in self.map.attacks)

    def _node(self, node_id: str, role: Role) -> OutlineItem:
        if node_id in self.expanded:
            return OutlineItem(role, node_id, None, (), repeated=True)
        self.expanded.add(node_id)
        children: list[OutlineItem] = []
        for reason in self.reasons_for.get(node_id, ()):
            if reason.id is None:
                children.append(self._node(reason.premises[0], Role.SUPPORTS))
            else:
                children.append(self._reason(reason))
        for attack in self.attacks_on.get(node_id, ()):
            children.append(self._node(attack.source, Role.ATTACKS))
        return OutlineItem(role, node_id, None, tuple(children))

    def _reason(self, reason: Reason) -> OutlineItem:
        assert reason.id is not None
        role = Role.LINKED if reason.linked else Role.SUPPORTS
        premises = [self._node(p, Role.SUPPORTS) for p in reason.premises]
        undercuts = [
            self._node(a.source, Role.UNDERCUTS) for a in self.attacks_on.get(reason.id, ())
        ]
        return OutlineItem(role, None, reason, (*premises, *undercuts))


def _number(outline: tuple[OutlineItem, ...], argument_map: ArgumentMap) -> dict[str, str]:
    numbers: dict[str, str] = {}
    counters = dict.fromkeys(NodeKind, 0)
    kinds = {node.id: node.kind for node in argument_map.nodes}

    def visit(item: OutlineItem) -> None:
        if item.node is not None and item.node not in numbers:
            kind = kinds[item.node]
            counters[kind] += 1
            numbers[item.node] = f"{_PREFIX[kind]}{counters[kind]}"
        for child in item.children:
            visit(child)

    for root in outline:
        visit(root)
    return numbers
