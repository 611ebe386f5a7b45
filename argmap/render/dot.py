"""Stage 4a: the argument graph as Graphviz DOT source (a pure function, no subprocess).

All Graphviz escaping happens in :func:`_escape` and nowhere else. DOT node names are
generated ("C1", "P3", "J2"); user ids and texts only ever reach DOT as escaped,
quoted attribute values, and no attribute comes from the map file. Styles are fixed
here so that support, attack and undercut differ in line style and arrowhead, not only
in colour (greyscale-safe; colours from the Okabe-Ito palette). Support, by far the
most common relation, carries no text on the diagram (the page's legend explains the
solid arrow); attacks and undercuts carry theirs as an ``xlabel``, which Graphviz places
after the layout. (A ``label`` on an edge gives it a node of its own in an extra rank,
which made the layout of a 500-statement map about four times slower; and placing
xlabels grows with the square of their number, so a map of more than
:data:`LABELLED_ATTACKS_UP_TO` attacks draws them without the word.) Every edge has a
tooltip, its spoken title in the finished SVG, naming the relation in words.

Every map is drawn from right to left, the thesis on the left and its reasons to the
right of it: a tree grows much faster in breadth than in depth, and drawn this way its
breadth runs down the page, which scrolls, while its depth runs across the page, which
does not. The boxes' wrapping width is chosen per map from that depth
(:func:`wrap_width`), so that a map of a few levels, such as the seed map, fits a
1280-pixel window with its box text at 12 CSS pixels or more (figures in
benchmarks/README.md). Beyond :data:`BOUNDED_LAYOUT_ABOVE` statements
Graphviz's x-positioning is bounded (``nslimit``), beyond :data:`BOUNDED_ORDERING_ABOVE`
its crossing reduction too (``mclimit``): both cut the time of the largest maps.

Given an evaluation, :func:`to_dot` draws the *evaluated* diagram: each statement's
heading line carries its label as a badge ("✓ IN", "✗ OUT", "? UNDEC"), an OUT
statement gets a dashed border and a grey fill, an UNDEC one a dotted border. Its
element ids carry a prefix of their own, so both diagrams can sit in one page.
"""

from __future__ import annotations

import functools
import textwrap

import graphviz

from argmap.analysis._explain import relations_spoken, with_sentences
from argmap.analysis.evaluate import Evaluation, Label
from argmap.analysis.graph import ArgumentGraph
from argmap.markdown import to_plain
from argmap.model import AttackKind, Node, NodeKind, Reason
from argmap.model.mapformat import KINDS, KindStyle

WRAP_WIDTH = 32  # characters per line in a diagram box, at most (see wrap_width)
MIN_WRAP_WIDTH = 14  # and at least: narrower, a box is a column of single words
MAX_LABEL_LINES = 12  # a box stays a box; Graphviz 2.43 crashes on megabyte labels
FONT = "Helvetica,Arial,sans-serif"

# Okabe & Ito (2008) colours: distinguishable with every common colour-vision deficiency.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
INK = "#1A1A1A"
# Vermillion darkened for words: 5.9:1 on white, where VERMILLION's 3.9:1 is too faint
# for text (WCAG 2.2 AA asks 4.5:1); lines keep the brighter colour.
VERMILLION_TEXT = "#A84300"

# Keyed by each node kind's style (argmap.model.mapformat.KINDS, where it is defined).
_NODE_STYLE: dict[KindStyle, dict[str, str]] = {
    spec.style: {"style": spec.style.dot, "fillcolor": spec.style.fill, "color": spec.style.line}
    for spec in KINDS.values()
}
# A section: a frame around its statements, its name at the top left.
_SECTION_STYLE = {
    "style": "rounded",
    "color": "#8C8C8C",
    "penwidth": "1.2",
    "fontcolor": INK,
    "fontsize": "12",
    "labeljust": "l",
    "margin": "12",
}
SECTION_WRAP_WIDTH = 40
MAX_SECTION_LINES = 2
_THESIS_STYLE = {"fillcolor": "#B9D6EE", "penwidth": "2.5", "peripheries": "2", "fontsize": "13"}
_KIND_LABEL = {kind: spec.label for kind, spec in KINDS.items()}

# The evaluated diagram: a badge in the heading line and a line style per label, so
# the status reads without colour too.
BADGES = {Label.IN: "✓ IN", Label.OUT: "✗ OUT", Label.UNDEC: "? UNDEC"}
_LINE_STYLE = {Label.IN: "", Label.OUT: "dashed", Label.UNDEC: "dotted"}
_OUT_STYLE = {"fillcolor": "#E6E6E6", "fontcolor": "#4D4D4D"}

PLAIN_PREFIX = "_svg_"  # element ids of the plain diagram
EVALUATED_PREFIX = "_svg_e_"  # of the evaluated one (both start with "_svg_")

# The width a diagram may take and stay readable without scrolling sideways: a 1280-px
# window leaves about 1,200 px for it, and at the scale where 11-pt box text is 12 px
# (0.82) that is 1,470 px of drawing, 1,100 pt; less a margin for what the estimate
# below misses (ranks of other branches that are wider than the deepest path's).
READABLE_WIDTH_PT = 1040.0
_CHAR_PT = 5.6  # the average width of a character of 11-pt Helvetica or Arial
_BOX_MARGIN_PT = 2 * 7.2 + 2.4  # a box's margins (0.1 in each side) and border
_JUNCTION_PT = 7.0  # a junction's dot
RANKSEP = 0.3  # inches between the columns of boxes
# Maps of more statements than this get a bounded network simplex (``nslimit``): faster
# on large maps, slightly tighter packing, so small maps keep Graphviz's unbounded (best)
# positioning (figures in benchmarks/README.md).
BOUNDED_LAYOUT_ABOVE = 200
# And of more than this, fewer rounds of crossing reduction (``mclimit``): about a third
# less time on very large maps for a few percent more edge crossings; on smaller maps it
# gains nothing, so they keep the default (figures in benchmarks/README.md).
BOUNDED_ORDERING_ABOVE = 2000
# Graphviz places xlabels in time and memory that grow with the square of their number:
# a map with more attacks and undercuts than this draws them without the word, told
# apart by line style and arrowhead alone (the legend and each edge's tooltip name them).
LABELLED_ATTACKS_UP_TO = 1000

_SUPPORT_EDGE = {"color": BLUE, "style": "solid", "arrowhead": "normal"}
_ATTACK_EDGE = {
    "color": VERMILLION,
    "fontcolor": VERMILLION_TEXT,
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

# What most nodes and edges share is stated once, in the graph's defaults; each node and
# edge states only where it differs: a premise (the most common kind) no style at all, a
# support edge (the most common relation) only its tooltip. Graphviz draws the same
# diagram either way, and to_dot has far fewer values to quote. A node's element id is
# "\N" (Graphviz's escape for the node's name) after the diagram's prefix: the
# generated name, never user text.
_NODE_DEFAULTS = {
    "shape": "box",
    "fontname": FONT,
    "fontsize": "11",
    "fontcolor": INK,
    "margin": "0.1,0.06",
    "penwidth": "1.2",
    "target": "_top",
    **_NODE_STYLE[KINDS[NodeKind.PREMISE].style],
}
# A reason's junction: a small dot, or a box reading "and" where premises are linked.
_JUNCTION = {
    "target": "",  # no link: the statements' default
    "shape": "point",
    "style": "rounded,filled",
    "fillcolor": "white",
    "color": BLUE,
    "fontcolor": BLUE,
    "fontsize": "9",
    "width": "0.09",
    "height": "0.09",
    "margin": "0.05,0.02",
}
_JUNCTION_LINKED = _JUNCTION | {"shape": "box", "width": "0.1", "height": "0.1"}
_EDGE_DEFAULTS = {"fontname": FONT, "fontsize": "9", "arrowsize": "0.8", **_SUPPORT_EDGE}


def _escape(text: str) -> str:
    """The one place where text becomes a Graphviz string (backslashes neutralised)."""
    escaped: str = graphviz.escape(text)  # a nohtml string: keep it one (see _multiline)
    return escaped


def _multiline(lines: list[str]) -> str:
    """Escape each line, then join with DOT's centred line break (never an HTML label).

    The result must stay a ``graphviz.nohtml`` string (``str()`` would turn it back into
    a plain one): a label like ``<b>x</b>`` is otherwise written unquoted, as an
    HTML-like label, which can even read image files from the disk.
    """
    label: str = graphviz.nohtml("\\n".join(_escape(line) for line in lines))
    return label


def svg_id(number: str, prefix: str = PLAIN_PREFIX) -> str:
    """The SVG element id of a diagram node: a prefix that map ids cannot have."""
    return f"{prefix}{number}"


def id_prefix(evaluation: Evaluation | None) -> str:
    """The prefix of every element id in the plain or the evaluated diagram."""
    return PLAIN_PREFIX if evaluation is None else EVALUATED_PREFIX


def node_tooltips(graph: ArgumentGraph, evaluation: Evaluation | None = None) -> dict[str, str]:
    """Tooltip and spoken title of each node, by SVG element id.

    They are set on the finished SVG (see :mod:`argmap.render.svg`) rather than passed through
    Graphviz, whose older versions expand ``\\N``-style escapes in tooltips even when
    the backslash is escaped: the reader must see exactly what the author wrote. In the
    evaluated diagram the label and its explanation follow the text. A section's frame
    is titled "Section: NAME".
    """
    tooltips = {}
    for node in graph.nodes.values():
        number = graph.numbers[node.id]
        tooltip = f"{number} ({_KIND_LABEL[node.kind]}): {to_plain(node.text)}"
        tooltip = with_sentences(tooltip, relations_spoken(graph, node.id))
        if evaluation is not None:
            tooltip += f" [{evaluation.explanations[node.id]}]"
        tooltips[svg_id(number, id_prefix(evaluation))] = tooltip
    for section, name in section_names(graph).items():
        tooltips[svg_id(name, id_prefix(evaluation))] = f"Section: {section}"
    return tooltips


def node_label(
    number: str,
    node: Node,
    is_thesis: bool,
    label: Label | None = None,
    width: int = WRAP_WIDTH,
) -> list[str]:
    heading = f"{number} · {'THESIS' if is_thesis else _KIND_LABEL[node.kind].upper()}"
    if label is not None:
        heading += f" · {BADGES[label]}"
    text = node.text
    lines = _wrapped(text, width) if len(text) <= _WRAP_CACHE_LENGTH else _wrap(text, width)
    return [heading, *lines]


# A build draws each text twice (the plain and the evaluated diagram): remember the lines
# of short texts. Bounded like the plain texts in argmap.markdown; room for every text of
# a large map, since a least-recently-used cache smaller than the map never hits.
_WRAP_CACHE_ENTRIES = 16_384
_WRAP_CACHE_LENGTH = 500


def _wrap(text: str, width: int = WRAP_WIDTH) -> tuple[str, ...]:
    """A statement's text as the lines of its box."""
    lines = wrap_words(to_plain(text), width)
    if len(lines) > MAX_LABEL_LINES:  # the full text is in the tooltip and on the page
        lines = [*lines[: MAX_LABEL_LINES - 1], lines[MAX_LABEL_LINES - 1] + " …"]
    return tuple(lines)


_wrapped = functools.lru_cache(maxsize=_WRAP_CACHE_ENTRIES)(_wrap)


def wrap_words(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width, break_on_hyphens=False)``, about five times faster
    for the usual text: words apart by single spaces (as ``to_plain`` gives them), none
    longer than a line. Anything else is left to textwrap."""
    words = text.split(" ")
    if words != text.split() or max(map(len, words)) > width:
        return textwrap.wrap(text, width, break_on_hyphens=False)
    lines = []
    line = words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def wrap_width(graph: ArgumentGraph) -> int:
    """The widest wrapping (in characters, even, :data:`MIN_WRAP_WIDTH` to
    :data:`WRAP_WIDTH`) at which the map's columns of boxes fit :data:`READABLE_WIDTH_PT`
    side by side; the narrowest when none does.

    The columns are Graphviz's ranks: the longest path of relations, each declared
    reason's junction a column of its own (:func:`rank_count`). No Graphviz run is
    needed to choose.
    """
    ranks = rank_count(graph)
    gaps = (ranks - 1) * RANKSEP * 72
    for width in range(WRAP_WIDTH, MIN_WRAP_WIDTH - 1, -2):
        if ranks * (width * _CHAR_PT + _BOX_MARGIN_PT) + gaps <= READABLE_WIDTH_PT:
            return width
    return MIN_WRAP_WIDTH


def rank_count(graph: ArgumentGraph) -> int:
    """The number of columns the diagram has: its longest path of edges, plus one.

    Edges run from reasons to what they support or attack (through a declared reason's
    junction); relations in a cycle, which Graphviz reverses, are left out. Kahn's
    topological order, so a chain as long as the map needs no recursion.
    """
    edges: dict[str, list[str]] = {}
    for reason in graph.map.reasons:
        if reason.id is None:
            edges.setdefault(reason.premises[0], []).append(reason.conclusion)
            continue
        for premise in reason.premises:
            edges.setdefault(premise, []).append(reason.id)
        edges.setdefault(reason.id, []).append(reason.conclusion)
    for attack in graph.map.attacks:
        edges.setdefault(attack.source, []).append(attack.target)
    incoming: dict[str, int] = {}
    for targets in edges.values():
        for target in targets:
            incoming[target] = incoming.get(target, 0) + 1
    depth = dict.fromkeys(edges, 0) | dict.fromkeys(incoming, 0)
    ready = [name for name in depth if not incoming.get(name)]
    while ready:
        name = ready.pop()
        for target in edges.get(name, ()):
            depth[target] = max(depth[target], depth[name] + 1)
            incoming[target] -= 1
            if not incoming[target]:
                ready.append(target)
    return 1 + max(depth.values(), default=0)


def section_name(n: int) -> str:
    """The generated name of the ``n``-th section (in the order of the outline)."""
    return f"S{n}"


def section_names(graph: ArgumentGraph) -> dict[str, str]:
    """Each section of the map by its generated name ("S1"), in the order of the outline."""
    found: dict[str, str] = {}
    for node in graph.ordered_nodes():
        if node.section is not None and node.section not in found:
            found[node.section] = section_name(len(found) + 1)
    return found


def section_label(section: str) -> list[str]:
    """A section's frame label: wrapped, and cut short like a box (the full name is in
    its spoken title)."""
    lines = textwrap.wrap(section, SECTION_WRAP_WIDTH, break_on_hyphens=False) or [section]
    if len(lines) > MAX_SECTION_LINES:
        lines = [*lines[: MAX_SECTION_LINES - 1], lines[MAX_SECTION_LINES - 1] + " …"]
    return lines


def _status_style(kind_style: dict[str, str], label: Label) -> dict[str, str]:
    """The line style (and for OUT the grey fill) that shows a statement's label."""
    line = _LINE_STYLE[label]
    if not line:
        return {}
    width = kind_style.get("penwidth", "1.6")  # the thesis keeps its heavier border
    style = {"style": f"{kind_style['style']},{line}", "penwidth": width}
    return style | (_OUT_STYLE if label is Label.OUT else {})


def to_dot(
    graph: ArgumentGraph,
    page_href: str,
    evaluation: Evaluation | None = None,
    *,
    paper: bool = False,
) -> str:
    """DOT source for the map's diagram; nodes link to ``page_href#<node id>``.

    With ``evaluation``, the evaluated diagram: a badge and a line style per label.
    With ``paper``, the layout of a printed page (the handouts'), which is not read in
    a window: bottom to top, at the widest wrapping; the handout splits it as it needs.
    """
    statements = len(graph.nodes)
    rankdir = "BT" if paper else "RL"
    width = WRAP_WIDTH if paper else wrap_width(graph)
    graph_attr = {
        "rankdir": rankdir,
        "newrank": "true",
        "nodesep": "0.3",
        "ranksep": "0.45" if paper else str(RANKSEP),
        "fontname": FONT,
        "bgcolor": "transparent",
        "pad": "0.1",
    }
    if statements > BOUNDED_LAYOUT_ABOVE:
        graph_attr["nslimit"] = "1"
    if statements > BOUNDED_ORDERING_ABOVE:
        graph_attr["mclimit"] = "0.3"
    node_attr = _NODE_DEFAULTS | {"id": svg_id("\\N", id_prefix(evaluation))}
    if paper:
        node_attr["margin"] = "0.14,0.07"  # roomier boxes: paper is not scrolled
    dot = graphviz.Digraph(
        "argmap", graph_attr=graph_attr, node_attr=node_attr, edge_attr=_EDGE_DEFAULTS
    )
    names = graph.numbers  # generated DOT node names, never user ids
    members: dict[str, list[str]] = {}  # section -> DOT names, in order of appearance
    for node in graph.ordered_nodes():
        if node.section is not None:
            members.setdefault(node.section, []).append(names[node.id])
        is_thesis = node.id == graph.map.thesis
        number = names[node.id]
        status = evaluation.labels[node.id] if evaluation is not None else None
        style = _NODE_STYLE[KINDS[node.kind].style] | (_THESIS_STYLE if is_thesis else {})
        if status is not None:
            style |= _status_style(style, status)
        dot.node(
            number,
            label=_multiline(node_label(number, node, is_thesis, status, width)),
            tooltip=number,  # replaced by node_tooltips() in the finished SVG
            URL=_escape(f"{page_href}#{node.id}"),
            **_differences(style, node_attr),
        )

    if any(reason.id is not None for reason in graph.map.reasons):
        # Every junction comes after every statement: from here on, the junctions' style
        # is the nodes' default (Graphviz applies a default to the nodes stated after it).
        dot.attr("node", **_differences(_JUNCTION, node_attr))
    junctions: dict[str, str] = {}  # reason id -> junction name
    descriptions: dict[str, str] = {}  # junction name -> the reason in words
    for reason in graph.map.reasons:
        if reason.id is None:
            premise = names[reason.premises[0]]
            conclusion = names[reason.conclusion]
            dot.edge(premise, conclusion, tooltip=_escape(f"{premise} supports {conclusion}"))
        else:
            name, description = _reason_junction(dot, graph, reason, len(junctions) + 1)
            junctions[reason.id] = name
            descriptions[name] = description
            sections = {graph.nodes[p].section for p in reason.premises}
            if len(sections) == 1:  # in the frame of its premises' section, if any
                (section,) = sections
                if section is not None:
                    members[section].append(name)

    labelled = len(graph.map.attacks) <= LABELLED_ATTACKS_UP_TO
    for attack in graph.map.attacks:
        source = names[attack.source]
        if attack.kind is AttackKind.UNDERCUT:
            target = junctions[attack.target]
            dot.edge(
                source,
                target,
                tooltip=_escape(f"{source} undercuts the {descriptions[target]}"),
                **_UNDERCUT_EDGE,
                **({"xlabel": " undercuts "} if labelled else {}),
            )
        else:
            target = names[attack.target]
            dot.edge(
                source,
                target,
                tooltip=_escape(f"{source} attacks {target}"),
                **_ATTACK_EDGE,
                **({"xlabel": " attacks "} if labelled else {}),
            )

    # Sections last: a cluster that names nodes already drawn makes them its members.
    for n, (section, inside) in enumerate(members.items(), start=1):
        with dot.subgraph(name=f"cluster_{n}") as cluster:  # a generated name
            cluster.attr(
                label=_multiline(section_label(section)),
                id=svg_id(section_name(n), id_prefix(evaluation)),
                # the name at the top: Graphviz turns "t" upside down with the ranks
                labelloc="b" if rankdir == "BT" else "t",
                **_SECTION_STYLE,
            )
            for name in inside:
                cluster.node(name)
    return str(dot.source)


def _differences(attributes: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
    """The attributes whose values are not the defaults."""
    return {key: value for key, value in attributes.items() if defaults.get(key) != value}


def _reason_junction(
    dot: graphviz.Digraph, graph: ArgumentGraph, reason: Reason, n: int
) -> tuple[str, str]:
    """Draw a declared reason as a junction: premises join there, one arrow leaves it.

    Returns the junction's name and the reason in words.
    """
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
        tooltip=_escape(description),
        **(_differences(_JUNCTION_LINKED, _JUNCTION) if reason.linked else {}),
    )
    for premise in premises:
        dot.edge(
            premise,
            name,
            arrowhead="none",
            penwidth="1.2",
            tooltip=_escape(f"{premise} is part of the {description}"),
        )
    dot.edge(name, conclusion, tooltip=_escape(description))
    return name, description
