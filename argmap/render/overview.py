"""The overview of a large map: its top levels, each cut-off branch folded into a count.

A diagram of thousands of statements, fitted whole into a window, is a grey line: its
shape cannot be seen. A map of more than :data:`OVERVIEW_ABOVE` statements therefore
gets a second, small drawing above its diagram: its skeleton, the claims and rebuttals
of the outline's top levels (as many levels as keep it to :data:`MOST_SHOWN`
statements), each box whose reasons or objections are left out saying how many
statements are folded below it.
The page's script takes the full diagram to a box chosen in the overview. It is a
different graph, not a copy of the diagram: a few dozen boxes.
"""

from __future__ import annotations

from dataclasses import replace

from argmap.analysis.graph import ArgumentGraph
from argmap.markdown import to_plain
from argmap.model import AttackKind, Node, NodeKind

OVERVIEW_ABOVE = 150  # statements; smaller maps fit readably, or nearly, on their own
MOST_SHOWN = 40  # statements in the overview, at most (the thesis always)
TEXT_UP_TO = 60  # characters of each text shown there
OVERVIEW_PREFIX = "_svg_o_"  # its element ids (argmap.render.svg), apart from the diagram's


def overview(graph: ArgumentGraph) -> ArgumentGraph | None:
    """The overview's graph, its texts ending with what each box folds; None for a map
    small enough to need none."""
    if len(graph.nodes) <= OVERVIEW_ABOVE:
        return None
    outline = graph.outline
    deepest = 0
    for depth in range(1, max((item.depth for item in outline), default=0) + 1):
        if len(_shown(graph, depth)) > MOST_SHOWN:
            break
        deepest = depth
    shown = _shown(graph, deepest)
    folded: dict[str, set[str]] = {}
    for index, item in enumerate(outline):
        if item.node is None or item.node not in shown or item.repeated:
            continue
        below = outline[index + 1 : index + item.size]
        hidden = {x.node for x in below if x.node is not None and x.node not in shown}
        if hidden:
            folded[item.node] = hidden
    nodes = {
        node_id: replace(node, text=_text(node.text, len(folded.get(node_id, ()))))
        for node_id, node in graph.nodes.items()
        if node_id in shown
    }
    return _subgraph(graph, nodes)


def _text(text: str, folded: int) -> str:
    """A box's text in the overview: its start (the full text is a click away) and what
    it folds."""
    plain = to_plain(text)
    if len(plain) > TEXT_UP_TO:
        plain = plain[: plain.rfind(" ", 0, TEXT_UP_TO) + 1 or TEXT_UP_TO].rstrip() + " …"
    return f"{plain} [{_folded(folded)}]" if folded else plain


def _folded(count: int) -> str:
    return f"+{count} statement{'s' if count != 1 else ''} below"


def _shown(graph: ArgumentGraph, depth: int) -> set[str]:
    """The claims and rebuttals of the outline down to ``depth``: the map's skeleton;
    premises, its leaves, are what the counts fold."""
    return {
        item.node
        for item in graph.outline
        if item.node is not None
        and item.depth <= depth
        and graph.nodes[item.node].kind is not NodeKind.PREMISE
    } | {graph.map.thesis}


def _subgraph(graph: ArgumentGraph, nodes: dict[str, Node]) -> ArgumentGraph:
    """The graph of the given statements and the relations among them."""
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
    sub_map = replace(
        graph.map,
        nodes=tuple(nodes[n.id] for n in graph.map.nodes if n.id in kept),
        reasons=reasons,
        attacks=attacks,
    )
    return replace(
        graph,
        map=sub_map,
        nodes=dict(nodes),
        numbers={k: v for k, v in graph.numbers.items() if k in kept},
    )
