"""GraphML for yEd and Gephi: statements and linked-reason junctions as nodes with data.

Every node carries ``kind``, ``number`` (C1, P2, ...), ``text`` and ``label`` (number
and plain text) as GraphML data; every edge its ``relation`` (supports, attacks,
undercuts). The ``<key>`` declarations are the ones yEd writes, including the
``nodegraphics``/``edgegraphics`` keys with a ``y:ShapeNode`` per node, so yEd shows each
box with its label, shape and colour, and Gephi reads the data keys as columns.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.formats import ExportFormat
from argmap.markdown import to_plain
from argmap.model import AttackKind
from argmap.model.mapformat import KINDS

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YWORKS = "http://www.yworks.com/xml/graphml"
_EDGE = {  # relation -> (line type, colour)
    "supports": ("line", "#0072B2"),
    "attacks": ("dashed", "#D55E00"),
    "undercuts": ("dotted", "#CC79A7"),
}
_KEYS = (  # id, for, name, type
    ("d0", "node", "kind", "string"),
    ("d1", "node", "number", "string"),
    ("d2", "node", "text", "string"),
    ("d3", "node", "label", "string"),
    ("d5", "edge", "relation", "string"),
    ("d6", "edge", "reason", "string"),
)


def to_graphml(graph: ArgumentGraph) -> str:
    ET.register_namespace("", GRAPHML)
    ET.register_namespace("y", YWORKS)
    root = ET.Element(f"{{{GRAPHML}}}graphml")
    for key_id, domain, name, kind in _KEYS:
        ET.SubElement(
            root,
            f"{{{GRAPHML}}}key",
            {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind},
        )
    ET.SubElement(
        root, f"{{{GRAPHML}}}key", {"id": "d4", "for": "node", "yfiles.type": "nodegraphics"}
    )
    ET.SubElement(
        root, f"{{{GRAPHML}}}key", {"id": "d7", "for": "edge", "yfiles.type": "edgegraphics"}
    )
    body = ET.SubElement(
        root, f"{{{GRAPHML}}}graph", {"id": graph.map.slug or "map", "edgedefault": "directed"}
    )

    def data(parent: ET.Element, key: str, value: str) -> None:
        ET.SubElement(parent, f"{{{GRAPHML}}}data", {"key": key}).text = value

    def node(node_id: str, kind: str, number: str, text: str, shape: str, fill: str) -> None:
        element = ET.SubElement(body, f"{{{GRAPHML}}}node", {"id": node_id})
        label = f"{number}: {text}" if number else text
        data(element, "d0", kind)
        data(element, "d1", number)
        data(element, "d2", text)
        data(element, "d3", label)
        graphics = ET.SubElement(element, f"{{{GRAPHML}}}data", {"key": "d4"})
        shape_node = ET.SubElement(graphics, f"{{{YWORKS}}}ShapeNode")
        width = "40" if not number else "220"
        height = "24" if not number else str(30 + 14 * (len(label) // 34))
        ET.SubElement(shape_node, f"{{{YWORKS}}}Geometry", {"width": width, "height": height})
        ET.SubElement(shape_node, f"{{{YWORKS}}}Fill", {"color": fill, "transparent": "false"})
        ET.SubElement(shape_node, f"{{{YWORKS}}}NodeLabel").text = label
        ET.SubElement(shape_node, f"{{{YWORKS}}}Shape", {"type": shape})

    count = [0]

    def edge(source: str, target: str, relation: str, reason: str = "") -> None:
        count[0] += 1
        element = ET.SubElement(
            body, f"{{{GRAPHML}}}edge", {"id": f"e{count[0]}", "source": source, "target": target}
        )
        data(element, "d5", relation)
        if reason:
            data(element, "d6", reason)
        line, colour = _EDGE[relation]
        graphics = ET.SubElement(element, f"{{{GRAPHML}}}data", {"key": "d7"})
        poly = ET.SubElement(graphics, f"{{{YWORKS}}}PolyLineEdge")
        ET.SubElement(
            poly, f"{{{YWORKS}}}LineStyle", {"color": colour, "type": line, "width": "1.0"}
        )
        arrow = "standard" if relation == "supports" else "t_shape"
        ET.SubElement(poly, f"{{{YWORKS}}}Arrows", {"source": "none", "target": arrow})
        ET.SubElement(poly, f"{{{YWORKS}}}EdgeLabel").text = relation

    for item in graph.ordered_nodes():
        node(
            item.id,
            item.kind.value,
            graph.numbers[item.id],
            to_plain(item.text),
            KINDS[item.kind].style.graphml,
            KINDS[item.kind].style.fill,
        )
    for reason in graph.map.reasons:
        if reason.id is None:
            edge(reason.premises[0], reason.conclusion, "supports")
            continue
        junction = f"reason:{reason.id}"
        node(junction, "reason", "", "and" if reason.linked else "", "ellipse", "#FFFFFF")
        for premise in reason.premises:
            edge(premise, junction, "supports", reason.id)
        edge(junction, reason.conclusion, "supports", reason.id)
    for attack in graph.map.attacks:
        if attack.kind is AttackKind.UNDERCUT:
            edge(attack.source, f"reason:{attack.target}", "undercuts", attack.target)
        else:
            edge(attack.source, attack.target, "attacks")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


EXPORTS = (
    ExportFormat(
        "graphml", ".graphml", "GraphML for yEd and Gephi", lambda g, _: to_graphml(g), rank=30
    ),
)
