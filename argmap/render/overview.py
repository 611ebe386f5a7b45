"""The overview of a large map: its top levels, each cut-off branch folded into a count.

A diagram of thousands of statements, fitted whole into a window, is a grey line: its
shape cannot be seen. A map of more than :data:`OVERVIEW_ABOVE` statements therefore
gets a second, small drawing above its diagram: its skeleton, the claims and rebuttals
nearest the thesis (up to :data:`MOST_SHOWN`, the largest branches first), each box
whose reasons or objections are left out saying how many statements are folded below it.
The page's script takes the full diagram to a box chosen in the overview. It is a
different graph, not a copy of the diagram: a few dozen boxes.
"""

from __future__ import annotations

from dataclasses import replace

from argmap.analysis.graph import ArgumentGraph, subgraph
from argmap.markdown import to_plain
from argmap.model import NodeKind

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
    shown = _skeleton(graph)
    if len(shown) == 1:
        return None  # the thesis and its premises: the diagram itself is that simple
    # each statement left out is folded into the nearest shown statement above it
    folded: dict[str, int] = {}
    path: list[int] = []
    for index, item in enumerate(outline):
        del path[item.depth :]
        path.append(index)
        if item.node is None or item.node in shown or item.repeated:
            continue
        above = next((outline[i].node for i in reversed(path) if outline[i].node in shown), None)
        if above is not None:
            folded[above] = folded.get(above, 0) + 1
    nodes = {
        node_id: replace(node, text=_text(node.text, folded.get(node_id, 0)))
        for node_id, node in graph.nodes.items()
        if node_id in shown
    }
    return subgraph(graph, nodes)


def _text(text: str, folded: int) -> str:
    """A box's text in the overview: its start (the full text is a click away) and what
    it folds."""
    plain = to_plain(text)
    if len(plain) > TEXT_UP_TO:
        plain = plain[: plain.rfind(" ", 0, TEXT_UP_TO) + 1 or TEXT_UP_TO].rstrip() + " …"
    return f"{plain} [{_folded(folded)}]" if folded else plain


def _folded(count: int) -> str:
    return f"+{count} statement{'s' if count != 1 else ''} below"


def _skeleton(graph: ArgumentGraph) -> set[str]:
    """The claims and rebuttals nearest the thesis, level by level and, within a level,
    the largest branches first, up to :data:`MOST_SHOWN`; each under one already shown
    (premises, the leaves, are what the counts fold)."""
    thesis = graph.map.thesis
    outline = graph.outline
    candidates: list[tuple[int, int, int, str, str | None]] = []
    path: list[int] = []  # the indexes of the items above the current one
    for index, item in enumerate(outline):
        del path[item.depth :]
        above = next((outline[i].node for i in reversed(path) if outline[i].node), None)
        path.append(index)
        if item.node is None or item.repeated or item.node == thesis:
            continue
        if graph.nodes[item.node].kind is NodeKind.PREMISE:
            continue
        candidates.append((item.depth, -item.size, index, item.node, above))
    shown = {thesis}
    for _, _, _, node, above in sorted(candidates):
        if len(shown) >= MOST_SHOWN:
            break
        if above is None or above in shown:
            shown.add(node)
    return shown
