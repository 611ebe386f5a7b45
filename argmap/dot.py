"""Stage 4a: the argument graph as Graphviz DOT source (a pure function, no subprocess).

All Graphviz escaping happens in :func:`_escape` and nowhere else. DOT node names are
generated ("C1", "P3", "J2"); user ids and texts only ever reach DOT as escaped,
quoted attribute values, and no attribute comes from the map file. Styles are fixed
here so that support, attack and undercut differ in line style, arrowhead and label,
not only in colour (greyscale-safe; colours from the Okabe-Ito palette).
"""

from __future__ import annotations

import textwrap

import graphviz

from argmap.graph import ArgumentGraph
from argmap.markdown import to_plain
from argmap.model import AttackKind, Node, NodeKind, Reason

WRAP_WIDTH = 32  # characters per line in a diagram box
FONT = "Helvetica,Arial,sans-serif"

# Okabe & Ito (2008) colours: distinguishable with every common colour-vision deficiency.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#1A1A1A"

_NODE_STYLE: dict[NodeKind, dict[str, str]] = {
    NodeKind.CLAIM: {"style": "rounded,filled", "fillcolor": "#DCEBF7", "color": BLUE},
    NodeKind.PREMISE: {"style": "filled", "fillcolor": "#FFF7DC", "color": "#5C5C5C"},
    NodeKind.REBUTTAL: {
        "style": "filled,diagonals",
        "fillcolor": "#FBE3D6",
        "color": VERMILLION,
    },
}
_THESIS_STYLE = {"fillcolor": "#B9D6EE", "penwidth": "2.5", "peripheries": "2", "fontsize": "13"}
_KIND_LABEL = {NodeKind.CLAIM: "claim", NodeKind.PREMISE: "premise", NodeKind.REBUTTAL: "rebuttal"}

_SUPPORT_EDGE = {"color": BLUE, "fontcolor": BLUE, "style": "solid", "arrowhead": "normal"}
_ATTACK_EDGE = {
    "color": VERMILLION,
    "fontcolor": VERMILLION,
    "style": "dashed",
    "arrowhead": "tee",
    "penwidth": "1.4",
}
_UNDERCUT_EDGE = {
    "color": PURPLE,
    "fontcolor": "#8E3F6E",
    "style": "dotted",
    "arrowhead": "tee",
    "penwidth": "1.8",
}


def _escape(text: str) -> str:
    """The one place where text becomes a Graphviz string (backslashes neutralised)."""
    return str(graphviz.escape(text))


def _multiline(lines: list[str]) -> str:
    """Escape each line, then join with DOT's centred line break (never an HTML label)."""
    return str(graphviz.nohtml("\\n".join(_escape(line) for line in lines)))


def svg_id(number: str) -> str:
    """The SVG element id of a diagram node: a prefix that map ids cannot have."""
    return f"_svg_{number}"


def node_tooltips(graph: ArgumentGraph) -> dict[str, str]:
    """Tooltip and spoken title of each node, by SVG element id.

    They are set on the finished SVG (see :mod:`argmap.svg`) rather than passed through
    Graphviz, whose older versions expand ``\\N``-style escapes in tooltips even when
    the backslash is escaped: the reader must see exactly what the author wrote.
    """
    return {
        svg_id(graph.numbers[node.id]): (
            f"{graph.numbers[node.id]} ({_KIND_LABEL[node.kind]}): {to_plain(node.text)}"
        )
        for node in graph.nodes.values()
    }


def node_label(number: str, node: Node, is_thesis: bool) -> list[str]:
    heading = f"{number} · {'THESIS' if is_thesis else _KIND_LABEL[node.kind].upper()}"
    return [heading, *textwrap.wrap(to_plain(node.text), WRAP_WIDTH, break_on_hyphens=False)]


def to_dot(graph: ArgumentGraph, page_href: str) -> str:
    """DOT source for the map's diagram; nodes link to ``page_href#<node id>``."""
    dot = graphviz.Digraph(
        "argmap",
        graph_attr={
            "rankdir": "BT",
            "newrank": "true",
            "nodesep": "0.3",
            "ranksep": "0.45",
            "fontname": FONT,
            "bgcolor": "transparent",
            "pad": "0.1",
        },
        node_attr={
            "shape": "box",
            "fontname": FONT,
            "fontsize": "11",
            "fontcolor": INK,
            "margin": "0.14,0.07",
            "penwidth": "1.2",
        },
        edge_attr={"fontname": FONT, "fontsize": "9", "arrowsize": "0.8"},
    )
    names = graph.numbers  # generated DOT node names, never user ids
    for node in graph.ordered_nodes():
        is_thesis = node.id == graph.map.thesis
        number = names[node.id]
        label = node_label(number, node, is_thesis)
        dot.node(
            number,
            label=_multiline(label),
            tooltip=number,  # replaced by node_tooltips() in the finished SVG
            URL=_escape(f"{page_href}#{node.id}"),
            target="_top",
            id=svg_id(number),
            **(_NODE_STYLE[node.kind] | (_THESIS_STYLE if is_thesis else {})),
        )

    junctions: dict[str, str] = {}
    for reason in graph.map.reasons:
        if reason.id is None:
            premise = names[reason.premises[0]]
            conclusion = names[reason.conclusion]
            dot.edge(
                premise,
                conclusion,
                label=" supports ",
                tooltip=_escape(f"{premise} supports {conclusion}"),
                **_SUPPORT_EDGE,
            )
        else:
            junctions[reason.id] = _reason_junction(dot, graph, reason, len(junctions) + 1)

    for attack in graph.map.attacks:
        source = names[attack.source]
        if attack.kind is AttackKind.UNDERCUT:
            target = junctions[attack.target]
            dot.edge(
                source,
                target,
                label=" undercuts ",
                tooltip=_escape(f"{source} undercuts the inference {target}"),
                **_UNDERCUT_EDGE,
            )
        else:
            target = names[attack.target]
            dot.edge(
                source,
                target,
                label=" attacks ",
                tooltip=_escape(f"{source} attacks {target}"),
                **_ATTACK_EDGE,
            )
    return str(dot.source)


def _reason_junction(dot: graphviz.Digraph, graph: ArgumentGraph, reason: Reason, n: int) -> str:
    """Draw a declared reason as a junction: premises join there, one arrow leaves it."""
    name = f"J{n}"
    names = graph.numbers
    premises = [names[p] for p in reason.premises]
    conclusion = names[reason.conclusion]
    joined = " + ".join(premises)
    description = (
        f"linked reason: {joined} together support {conclusion}"
        if reason.linked
        else f"reason: {joined} supports {conclusion}"
    )
    dot.node(
        name,
        label="and" if reason.linked else "",
        shape="box" if reason.linked else "point",
        style="rounded,filled",
        fillcolor="white",
        color=BLUE,
        fontcolor=BLUE,
        fontsize="9",
        width="0.1" if reason.linked else "0.09",
        height="0.1" if reason.linked else "0.09",
        margin="0.05,0.02",
        tooltip=_escape(description),
        id=svg_id(name),
    )
    for premise in premises:
        dot.edge(premise, name, arrowhead="none", color=BLUE, penwidth="1.2")
    dot.edge(
        name,
        conclusion,
        label=" supports (linked) " if reason.linked else " supports ",
        tooltip=_escape(description),
        **_SUPPORT_EDGE,
    )
    return name
