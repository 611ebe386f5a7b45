from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from argmap.analysis.evaluate import evaluate
from argmap.render.dot import id_prefix, node_tooltips, to_dot
from argmap.render.layout import render_svgs
from argmap.render.svg import SVG_NS, XLINK_NS, _finish_with_tree, _Streamer, finish_svg

from .conftest import SEED_MAP
from .test_dot import GOLDEN, graph_of

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
    # said once: by the box's link; its group's title is only the tooltip
    assert link is not None and link.get("aria-label") == "C1 (claim): a \\N b"
    assert link.get(f"{{{XLINK_NS}}}title") is None and groups["_svg_C1"].get("role") == "none"
    edge_title = groups["_svg_edge1"].find(f"{{{SVG_NS}}}title")
    assert edge_title is not None and edge_title.text == "P1 supports C1"
    assert groups["_svg_edge1"].get("aria-hidden") == "true"  # the boxes say it


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


# -- finish_svg writes as it reads: the same bytes as the ElementTree way --------------

EDGE_CASES = {
    "graphviz-like": GRAPHVIZ_LIKE,
    "clusters": CLUSTER,
    "empty root": f'<svg xmlns="{SVG_NS}"/>',
    "text only": f'<svg xmlns="{SVG_NS}">a &amp; b &#45; c</svg>',
    "no links": f'<svg xmlns="{SVG_NS}"><g><title>x</title>\n<g id="n" class="node">'
    "<title>t</title><text>a</text></g></g></svg>",
    "graph without text": f'<svg xmlns="{SVG_NS}"><g id="graph0"><title>x</title></g></svg>',
    "two titles": f'<svg xmlns="{SVG_NS}"><g><title>x</title>t<title>y</title></g>'
    "<g><title>z</title></g></svg>",
    "crlf, tab, quotes": GRAPHVIZ_LIKE.replace("\n", "\r\n")
    .replace('class="node"', 'class="node" data-x="a\tb&#10;c&#13;d\r\ne"')
    .replace("C1 · THESIS", "&quot;'&#39;&apos;&gt;&lt;&amp;&#x41;\U0001f600"),
    "empty titles and labels": f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"><g>'
    '<g class="edge" id="e"><title></title><a xlink:title="sp"/></g>'
    '<g class="edge" id="e2"><title/><a/></g><g class="cluster"><title>c</title>'
    "<text>A<tspan>B</tspan>C</text><text/><text>D</text></g></g></svg>",
    "no namespace": '<svg><g><title>x</title><g class="node" id="n"><title>q</title></g></g></svg>',
    "comments, instructions": f'<?xml version="1.0"?><!-- c --><svg xmlns="{SVG_NS}">'
    "<!--x-->a<!--y-->b<?pi x?><g/></svg><!-- after -->",
    # shapes Graphviz does not write: left to the tree
    "other namespace": f'<svg xmlns="{SVG_NS}" xmlns:f="urn:f"><f:x f:y="1"/></svg>',
    "frame in a frame": f'<svg xmlns="{SVG_NS}"><g><g class="cluster"><g class="node">'
    "<title>n</title></g></g></g></svg>",
    "markup in a title": f'<svg xmlns="{SVG_NS}"><g><g class="node" id="n"><title>a<b/>c</title>'
    "</g></g></svg>",
}


@pytest.mark.parametrize("svg", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_finish_svg_gives_what_the_tree_gives(svg: str) -> None:
    arguments: dict[str, Any] = {
        "title": 'T <&> "q"',
        "description": "",
        "tooltips": {"_svg_C1": 'tip "<&>"\n', "_svg_n": "", "_svg_e2": "T"},
        "id_prefix": "_svg_",
    }
    assert finish_svg(svg, **arguments) == _finish_with_tree(svg, **arguments)


@pytest.mark.parametrize(
    "svg",
    [
        '<?xml version="1.0" standalone="no"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
        f' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="{SVG_NS}">&nbsp;</svg>',
        f'<svg xmlns="{SVG_NS}"><g></svg>',
    ],
    ids=["undefined entity", "malformed"],
)
def test_svg_elementtree_refuses_is_still_refused(svg: str) -> None:
    with pytest.raises(ET.ParseError):
        finish_svg(svg, title="t", description="d", tooltips={})


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", [*GOLDEN, SEED_MAP], ids=lambda p: p.stem)
def test_finished_diagrams_of_real_maps_are_the_trees_byte_for_byte(path: Path) -> None:
    graph = graph_of(path)
    evaluation = evaluate(graph)
    sources = [to_dot(graph, "x.html", shown) for shown in (None, evaluation)]
    for shown, svg in zip((None, evaluation), render_svgs(sources), strict=True):
        arguments: dict[str, Any] = {
            "title": f"Argument map: {graph.map.title}",
            "description": "d",
            "tooltips": node_tooltips(graph, shown),
            "id_prefix": id_prefix(shown),
        }
        streamed = _Streamer(**arguments).run(svg)  # not left to the tree
        assert streamed == _finish_with_tree(svg, **arguments)
