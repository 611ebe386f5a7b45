"""The page's one diagram: the evaluation as a layer of the plain drawing (issue 17)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from argmap.analysis.evaluate import Label
from argmap.render.layers import (
    compact_shapes,
    compact_texts,
    page_drawing,
    with_badges,
    without_badges,
)
from argmap.render.svg import SVG_NS

TEXT = (
    '<text text-anchor="middle" x="1" y="2" font-family="Helvetica,Arial,sans-serif"'
    ' font-size="11.00" fill="#1a1a1a">'
)
SVG = (
    f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<g id="_svg_graph0" class="graph">\n'
    '<g id="_svg_P1" class="node">\n<title>P1 (premise): P1 · PREMISE is my text</title>\n'
    '<g id="_svg_a__svg_P1"><a xlink:href="m.html#p" xlink:title="t">\n'
    '<polygon fill="#fff7dc" stroke="#5c5c5c" points="1.234,2.345 3.456,4.567" />\n'
    f"{TEXT}P1 · PREMISE</text>\n{TEXT}P1 · PREMISE</text>\n</a>\n</g>\n</g>\n"
    '<g id="_svg_edge1" class="edge">\n<title>P1 supports C1</title>\n'
    '<g id="_svg_a_edge1"><a xlink:title="P1 supports C1">\n'
    '<path fill="none" stroke="#0072b2" d="M1.25,2.75C3,4" />\n</a>\n</g>\n</g>\n'
    '<g id="_svg_C1" class="node">\n<title>C1 (claim): x</title>\n'
    '<g id="_svg_a__svg_C1"><a xlink:href="m.html#c" xlink:title="t">\n'
    f'<text text-anchor="middle" x="1" y="2" font-size="13.00" fill="#1a1a1a">C1 · THESIS</text>\n'
    "</a>\n</g>\n</g>\n</g></svg>"
)
LABELS = {"P1": Label.OUT, "C1": Label.UNDEC}


def test_each_heading_gets_its_kind_and_badge_and_the_node_its_label() -> None:
    layered = with_badges(SVG, LABELS)
    assert '<g id="_svg_P1" class="node am-out">' in layered
    assert '<g id="_svg_C1" class="node am-undec">' in layered
    heading = 'P1 · <tspan class="am-kind">PREMISE</tspan><tspan class="am-badge">✗ OUT</tspan>'
    assert layered.count(heading) == 1  # the heading only: a text line like it is text
    assert ">P1 · PREMISE</text>" in layered
    assert 'C1 · <tspan class="am-kind">THESIS</tspan><tspan class="am-badge">? UNDEC' in layered
    ET.fromstring(layered)  # still well-formed


def test_the_file_of_its_own_is_the_plain_drawing_again() -> None:
    assert without_badges(with_badges(SVG, LABELS)) == SVG
    assert with_badges(SVG, {}) == SVG  # a statement without a label keeps its heading


def test_shared_text_attributes_are_stated_once_and_inherited() -> None:
    compact = compact_texts(SVG)
    root = ET.fromstring(compact)
    graph = root.find(f"{{{SVG_NS}}}g")
    assert graph is not None and graph.get("font-size") == "11.00"
    assert graph.get("text-anchor") == "middle" and graph.get("fill") == "#1a1a1a"
    texts = list(root.iter(f"{{{SVG_NS}}}text"))
    assert all(t.get("font-family") is None and t.get("fill") is None for t in texts)
    assert texts[-1].get("font-size") == "13.00"  # the thesis keeps its own size
    assert compact_texts("<svg><text fill='x'/></svg>") == "<svg><text fill='x'/></svg>"


def test_coordinates_keep_one_decimal_and_text_is_untouched() -> None:
    shorter = compact_shapes(SVG.replace("is my text", "costs 1.2345"))
    assert 'points="1.2,2.3 3.4,4.5"' in shorter and 'd="M1.2,2.7C3,4"' in shorter
    assert "costs 1.2345" in shorter


def test_links_to_nowhere_are_unwrapped_and_links_kept() -> None:
    page = page_drawing(SVG, LABELS)
    root = ET.fromstring(page)
    links = list(root.iter(f"{{{SVG_NS}}}a"))
    assert len(links) == 2  # the statements' links; the arrow's tooltip link is gone
    edge = next(g for g in root.iter(f"{{{SVG_NS}}}g") if g.get("id") == "_svg_edge1")
    assert [c.tag.split("}")[1] for c in edge] == ["title", "path"]
    assert "_svg_a_" not in page  # the link groups' ids, which nothing refers to
