"""Every node kind is drawn in its own style in every format that draws: argmap's
diagram (DOT), GraphML and Mermaid all read it from the one table of node kinds
(argmap.model.mapformat.KINDS), so adding a kind there styles it everywhere; the
pages' legend, written in the templates, is checked against it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import astuple

import pytest

from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import MapFile, check_map
from argmap.config import Config
from argmap.interop.graphml import GRAPHML, YWORKS, to_graphml
from argmap.interop.mermaid import to_mermaid
from argmap.model import NodeKind
from argmap.model.mapformat import KINDS
from argmap.render.dot import to_dot

from .conftest import REPO

# One statement of each kind besides the thesis (a claim): a new kind needs one here.
EVERY_KIND = """\
[map]
title = "Every kind"
thesis = "thesis"

[claim.thesis]
text = "The thesis."

[claim.claim]
text = "A claim."

[premise.premise]
text = "A premise."

[rebuttal.rebuttal]
text = "A rebuttal."
attacks = "claim"

[reason.for-thesis]
premises = ["claim"]
supports = "thesis"

[reason.for-claim]
premises = ["premise"]
supports = "claim"
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> ArgumentGraph:
    path = tmp_path_factory.mktemp("kinds") / "every-kind.toml"
    path.write_text(EVERY_KIND, encoding="utf-8")
    checked = check_map(MapFile(path, path.stem), Config())
    assert checked.graph is not None, checked.problems
    return checked.graph


def _drawn(graph: ArgumentGraph) -> dict[NodeKind, str]:
    """The id of one statement of each kind, not the thesis."""
    found = {node.kind: node.id for node in graph.map.nodes if node.id != graph.map.thesis}
    assert set(found) == set(KINDS), "give EVERY_KIND a statement of each kind"
    return found


def _attributes(text: str) -> dict[str, str]:
    pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)', text)
    return {name: value.strip('"') for name, value in pairs}


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_diagram_draws_each_kind_in_its_style(graph: ArgumentGraph, kind: NodeKind) -> None:
    number = graph.numbers[_drawn(graph)[kind]]
    source = to_dot(graph, "map.html")
    defaults = _attributes(re.search(r"\n\tnode \[(.*)\]\n", source)[1])  # type: ignore[index]
    own = _attributes(re.search(rf"\n\t{number} \[(.*)\]\n", source)[1])  # type: ignore[index]
    drawn = defaults | own
    style = KINDS[kind].style
    assert (drawn["style"], drawn["fillcolor"], drawn["color"]) == (
        style.dot,
        style.fill,
        style.line,
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_graphml_draws_each_kind_in_its_style(graph: ArgumentGraph, kind: NodeKind) -> None:
    node_id = _drawn(graph)[kind]
    root = ET.fromstring(to_graphml(graph))
    node = root.find(f".//{{{GRAPHML}}}node[@id='{node_id}']")
    assert node is not None
    shape = node.find(f".//{{{YWORKS}}}ShapeNode")
    assert shape is not None
    fill, drawn = shape.find(f"{{{YWORKS}}}Fill"), shape.find(f"{{{YWORKS}}}Shape")
    assert fill is not None and drawn is not None
    style = KINDS[kind].style
    assert (drawn.get("type"), fill.get("color")) == (style.graphml, style.fill)


@pytest.mark.parametrize("kind", list(KINDS))
def test_mermaid_draws_each_kind_in_its_style(graph: ArgumentGraph, kind: NodeKind) -> None:
    number = graph.numbers[_drawn(graph)[kind]]
    chart = to_mermaid(graph)
    style = KINDS[kind].style
    opening, closing = (re.escape(bracket) for bracket in style.mermaid)
    assert re.search(rf'\n    n\d+{opening}"{number}: [^"]*"{closing}:::{kind.value}\n', chart)
    assert f"\n    classDef {kind.value} fill:{style.fill},stroke:{style.line}," in chart


def test_each_kind_looks_different() -> None:
    styles = [spec.style for spec in KINDS.values()]
    for part in ("fill", "dot", "graphml", "mermaid"):
        assert len({getattr(style, part) for style in styles}) == len(styles), part


def test_the_table_holds_the_styles_the_formats_had() -> None:
    """The colours and shapes of argmap's diagram and exports, as they were before the
    table held them (a change here changes every drawing)."""
    assert {kind.value: astuple(spec.style) for kind, spec in KINDS.items()} == {
        "claim": ("#DCEBF7", "#0072B2", "rounded,filled", "roundrectangle", ("(", ")")),
        "premise": ("#FFF7DC", "#5C5C5C", "filled", "rectangle", ("[", "]")),
        "rebuttal": ("#FBE3D6", "#D55E00", "filled,diagonals", "octagon", ("{{", "}}")),
    }


def test_the_site_legend_shows_each_kind_in_its_colours() -> None:
    """The pages' legend (templates/static/argmap.css) draws a swatch of each kind: its
    fill is the diagram's, so the legend matches what it explains."""
    css = (REPO / "templates" / "static" / "argmap.css").read_text(encoding="utf-8")
    fills: dict[str, str] = {}
    for name, value in re.findall(r"--([a-z]+): (#[0-9a-fA-F]{6});", css):
        fills.setdefault(name, value)  # the light theme's, first; the dark one repaints
    assert {kind.value: fills.get(kind.value, "").upper() for kind in KINDS} == {
        kind.value: spec.style.fill for kind, spec in KINDS.items()
    }
