"""A Mermaid flowchart of the map, which GitHub, GitLab and many wikis draw from Markdown.

Paste the output into a fenced block marked ``mermaid``. The chart is drawn bottom to
top, like argmap's diagram: the thesis above, what supports it below. Statements are
boxes (claims rounded, rebuttals hexagons) labelled with their number and plain text;
a linked reason and an undercut reason get a small junction, as in the diagram.
Supports are arrows, attacks lines with a cross head, undercuts dotted lines with one.

Mermaid reads its own syntax inside labels (and, where a site enables it, Markdown and
HTML), so no map text reaches the chart as it is: node names are generated (``n1``,
``j1``), every label is quoted, and every character outside letters, digits, spaces
and plain punctuation is written as a Mermaid entity code (``#35;``), which Mermaid
shows as the character. The title appears only as the chart's accessible title,
reduced to words and plain punctuation.
"""

from __future__ import annotations

import re

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.formats import ExportFormat
from argmap.markdown import to_plain
from argmap.model import AttackKind
from argmap.model.mapformat import KINDS

# Kept as they are; anything else in a label becomes #<code point>;
_PLAIN_LABEL = re.compile(r"[^\w .,:;!?'()/-]|_", re.UNICODE)
_PLAIN_TITLE = re.compile(r"[^\w .,:;!?'()-]|_", re.UNICODE)
_NO_BREAK_SPACE = "\u00a0"
_CLASS_STYLE = {  # the colours of argmap's diagram: each kind's, the thesis's, a junction's
    **{
        kind.value: f"fill:{spec.style.fill},stroke:{spec.style.line},color:#000000"
        for kind, spec in KINDS.items()
    },
    "thesis": "fill:#B9D6EE,stroke:#0072B2,stroke-width:3px,color:#000000",
    "junction": "fill:#FFFFFF,stroke:#5C5C5C,color:#000000",
}


# Before parsing, Mermaid drops the last ";" of a line where "style" or "classDef" is
# followed by ":" and "#" (to read colours): in a label that breaks an entity code, so
# the first letter of those words is encoded too.
_STYLE_WORDS = re.compile(r"(s)(?=tyle)|(c)(?=lassdef)", re.IGNORECASE)


def label(text: str) -> str:
    """``text`` as a quoted Mermaid label: Mermaid, Markdown and HTML syntax encoded."""
    encoded = _PLAIN_LABEL.sub(lambda found: f"#{ord(found[0])};", text)
    return '"' + _STYLE_WORDS.sub(lambda found: f"#{ord(found[0])};", encoded) + '"'


def _title(text: str) -> str:
    return " ".join(_PLAIN_TITLE.sub(" ", text).split())


def to_mermaid(graph: ArgumentGraph) -> str:
    """The map of ``graph`` as a Mermaid flowchart (text, one statement per line)."""
    names = {node_id: f"n{index}" for index, node_id in enumerate(graph.numbers, 1)}
    lines = ["flowchart BT"]
    title = _title(graph.map.title)
    if title:
        lines.append(f"    accTitle: {title}")
    for node_id, number in graph.numbers.items():
        node = graph.nodes[node_id]
        opening, closing = KINDS[node.kind].style.mermaid
        text = label(f"{number}: {to_plain(node.text)}")
        kind = "thesis" if node_id == graph.map.thesis else node.kind.value
        lines.append(f"    {names[node_id]}{opening}{text}{closing}:::{kind}")
    undercut = {a.target for a in graph.map.attacks if a.kind is AttackKind.UNDERCUT}
    junctions: dict[str, str] = {}
    edges: list[str] = []
    for reason in graph.map.reasons:
        conclusion = names[reason.conclusion]
        if reason.id is None or (not reason.linked and reason.id not in undercut):
            edges.extend(f"    {names[p]} --> {conclusion}" for p in reason.premises)
            continue
        junction = junctions[reason.id] = f"j{len(junctions) + 1}"
        text = label("and" if reason.linked else _NO_BREAK_SPACE)  # Mermaid needs a label
        lines.append(f"    {junction}(({text})):::junction")
        edges.extend(f"    {names[p]} --- {junction}" for p in reason.premises)
        edges.append(f"    {junction} --> {conclusion}")
    for attack in graph.map.attacks:
        source = names[attack.source]
        if attack.kind is AttackKind.UNDERCUT:
            edges.append(f"    {source} -.-x {junctions[attack.target]}")
        else:
            edges.append(f"    {source} --x {names[attack.target]}")
    lines.extend(edges)
    lines.extend(f"    classDef {name} {style}" for name, style in _CLASS_STYLE.items())
    return "\n".join(lines) + "\n"


EXPORTS = (
    ExportFormat(
        "mermaid",
        ".mmd",
        "a Mermaid flowchart, which GitHub and GitLab draw in Markdown",
        lambda graph, timeout: to_mermaid(graph),
        rank=70,
    ),
)
