"""Stage 4c: make Graphviz's SVG accessible and safe to inline in a page.

Graphviz titles each node with its DOT name ("C1") and gives elements ids such as
"node1" that could clash with node anchors in the page. Here the SVG gets a real title
and description for screen readers, every node and edge a spoken title (its tooltip),
every section's frame (a Graphviz cluster) one naming the section, and every id a
prefix that map ids cannot have. A page holds two diagrams (plain and evaluated), so
each gets its own prefix; both start with "_svg_".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

_ID_PREFIX = "_svg_"  # map ids start with a letter or digit, so they never collide


def _tag(name: str) -> str:
    return f"{{{SVG_NS}}}{name}"


def finish_svg(
    svg_text: str,
    *,
    title: str,
    description: str,
    tooltips: Mapping[str, str],
    id_prefix: str = _ID_PREFIX,
) -> str:
    """Return the SVG element (no XML prolog) with titles, description and safe ids.

    ``tooltips`` maps node element ids to the text shown on hover and read aloud.
    ``id_prefix`` starts every element id; it must start with "_svg_", and differ
    between the diagrams of one page.
    """
    if not id_prefix.startswith(_ID_PREFIX):
        raise ValueError(f"an SVG id prefix must start with {_ID_PREFIX!r}, not {id_prefix!r}")
    root = ET.fromstring(svg_text)
    root.set("role", "group")
    root.set("aria-labelledby", f"{id_prefix}title {id_prefix}desc")
    root.set("class", "argmap-diagram")

    for element in root.iter():
        element_id = element.get("id")
        if element_id is not None and not element_id.startswith(id_prefix):
            element.set("id", id_prefix + element_id)

    graph = root.find(_tag("g"))
    if graph is not None:
        old_title = graph.find(_tag("title"))
        if old_title is not None:
            graph.remove(old_title)
    title_element = ET.Element(_tag("title"), {"id": f"{id_prefix}title"})
    title_element.text = title
    desc_element = ET.Element(_tag("desc"), {"id": f"{id_prefix}desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)

    for group in root.iter(_tag("g")):
        kind = group.get("class")
        if kind not in ("node", "edge", "cluster"):
            continue
        links = list(group.iter(_tag("a")))
        spoken = tooltips.get(group.get("id", ""))
        if spoken is not None:
            for link in links:
                link.set(f"{{{XLINK_NS}}}title", spoken)
        elif links:
            spoken = links[0].get(f"{{{XLINK_NS}}}title")
        elif kind == "cluster":  # a section's frame: never its generated name
            label = " ".join(t.text or "" for t in group.iter(_tag("text")))
            spoken = f"Section: {label}"
        element_title = group.find(_tag("title"))
        if element_title is not None and spoken:
            element_title.text = spoken
    # Registered here, not once on import: ElementTree's prefix registry is global, and
    # other writers (the GraphML export) register a default namespace of their own.
    # (tostring's default_namespace= would reject the SVG's unqualified attributes.)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")
