from __future__ import annotations

import xml.etree.ElementTree as ET

from argmap.svg import SVG_NS, XLINK_NS, finish_svg

GRAPHVIZ_LIKE = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="62pt" height="44pt" viewBox="0.00 0.00 62.00 44.00"
 xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">
<g id="graph0" class="graph">
<title>argmap</title>
<g id="_svg_C1" class="node">
<title>C1</title>
<g id="a__svg_C1"><a xlink:href="m.html#c1" xlink:title="C1">
<text>C1 · THESIS</text>
</a></g>
</g>
<g id="edge1" class="edge">
<title>P1&#45;&gt;C1</title>
<g id="a_edge1"><a xlink:title="P1 supports C1"><path d="M0,0"/></a></g>
</g>
</g>
</svg>
"""


def finished() -> ET.Element:
    svg = finish_svg(
        GRAPHVIZ_LIKE,
        title="Argument map: <T>",
        description="A map.",
        tooltips={"_svg_C1": "C1 (claim): a \\N b"},
    )
    assert not svg.startswith("<?xml"), "inline SVG carries no prolog"
    return ET.fromstring(svg)


def test_title_and_description_come_first_and_label_the_svg() -> None:
    root = finished()
    title, desc = list(root)[:2]
    assert title.tag == f"{{{SVG_NS}}}title" and title.text == "Argument map: <T>"
    assert desc.tag == f"{{{SVG_NS}}}desc" and desc.text == "A map."
    assert root.get("aria-labelledby") == "_svg_title _svg_desc"


def test_nodes_and_edges_get_spoken_titles() -> None:
    root = finished()
    groups = {g.get("id"): g for g in root.iter(f"{{{SVG_NS}}}g")}
    node_title = groups["_svg_C1"].find(f"{{{SVG_NS}}}title")
    assert node_title is not None and node_title.text == "C1 (claim): a \\N b"
    link = groups["_svg_C1"].find(f".//{{{SVG_NS}}}a")
    assert link is not None and link.get(f"{{{XLINK_NS}}}title") == "C1 (claim): a \\N b"
    edge_title = groups["_svg_edge1"].find(f"{{{SVG_NS}}}title")
    assert edge_title is not None and edge_title.text == "P1 supports C1"


def test_every_id_gets_a_prefix_map_ids_cannot_have() -> None:
    ids = [e.get("id") for e in finished().iter() if e.get("id")]
    assert ids and all(str(i).startswith("_svg_") for i in ids)
    assert "_svg_graph0" in ids and "_svg_edge1" in ids


CLUSTER = f"""<svg width="62pt" height="44pt" viewBox="0.00 0.00 62.00 44.00"
 xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">
<g id="graph0" class="graph">
<title>argmap</title>
<g id="S1" class="cluster"><title>cluster_1</title><path d="M0,0"/><text>Economy</text></g>
<g id="S2" class="cluster"><title>cluster_2</title><path d="M0,0"/><text>Health</text></g>
</g>
</svg>
"""


def test_section_frames_are_titled_by_their_name_never_the_cluster_name() -> None:
    svg = finish_svg(
        CLUSTER, title="t", description="d", tooltips={"_svg_S1": "Section: Economy, in full"}
    )
    titles = {
        g.get("id"): g.findtext(f"{{{SVG_NS}}}title")
        for g in ET.fromstring(svg).iter(f"{{{SVG_NS}}}g")
        if g.get("class") == "cluster"
    }
    # from the tooltips when given (the page), else from the label as drawn (handouts)
    assert titles == {"_svg_S1": "Section: Economy, in full", "_svg_S2": "Section: Health"}
