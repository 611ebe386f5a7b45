"""DOT golden files: each ``fixtures/golden/NAME.toml`` must give exactly ``NAME.dot``.

Set ``ARGMAP_UPDATE_FIXTURES=1`` to rewrite the golden files after an intended change,
then read the diff before committing it.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from argmap.analysis.evaluate import Label, evaluate
from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.model import Attack, AttackKind, Node, NodeKind, Reason
from argmap.model.load import load_map
from argmap.model.validate import validate_map
from argmap.render.dot import (
    BOUNDED_LAYOUT_ABOVE,
    BOUNDED_ORDERING_ABOVE,
    LABELLED_ATTACKS_UP_TO,
    MAX_SECTION_LINES,
    MIN_WRAP_WIDTH,
    READABLE_WIDTH_PT,
    WRAP_WIDTH,
    node_label,
    node_tooltips,
    rank_count,
    section_label,
    to_dot,
    wrap_width,
    wrap_words,
)
from argmap.render.layout import render_svg
from argmap.render.svg import SVG_NS, finish_svg

from .conftest import FIXTURES, SEED_MAP

GOLDEN = sorted((FIXTURES / "golden").glob("*.toml"))


def graph_of(path: Path) -> ArgumentGraph:
    argument_map = load_map(path, path.stem)
    validate_map(argument_map)
    return build_graph(argument_map)


@pytest.mark.parametrize("evaluated", [False, True], ids=["plain", "evaluated"])
@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_dot_matches_golden_file(path: Path, evaluated: bool) -> None:
    """``NAME.dot`` is the plain diagram, ``NAME.evaluated.dot`` the evaluated one."""
    graph = graph_of(path)
    dot = to_dot(graph, f"{path.stem}.html", evaluate(graph) if evaluated else None)
    expected = path.with_suffix(".evaluated.dot" if evaluated else ".dot")
    if os.environ.get("ARGMAP_UPDATE_FIXTURES"):
        expected.write_text(dot, encoding="utf-8")
    assert dot == expected.read_text(encoding="utf-8")


def node_lines(dot: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r"^\t([CPR]\d+) \[.*$", dot, re.MULTILINE)}


ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')


def attributes(line: str) -> dict[str, str]:
    """The attributes a DOT statement states, values unquoted."""
    found = ATTRIBUTE.findall(line[line.index("[") :])
    return {key: value.removeprefix('"').removesuffix('"') for key, value in found}


def effective(dot: str, line: str) -> dict[str, str]:
    """A node's or edge's attributes: the graph's defaults, and what its line states."""
    kind = "edge" if " -> " in line else "node"
    defaults = next(s for s in dot.splitlines() if s.startswith(f"\t{kind} ["))
    return attributes(defaults) | attributes(line)


def test_the_evaluated_diagram_shows_each_label_by_badge_and_line_style() -> None:
    graph = graph_of(FIXTURES / "golden" / "statuses.toml")
    evaluation = evaluate(graph)
    lines = node_lines(to_dot(graph, "x.html", evaluation))
    plain = node_lines(to_dot(graph, "x.html"))
    labels = {graph.numbers[n]: label for n, label in evaluation.labels.items()}
    assert set(labels.values()) == {Label.IN, Label.OUT, Label.UNDEC}
    dot, plain_dot = to_dot(graph, "x.html", evaluation), to_dot(graph, "x.html")
    for number, label in labels.items():
        line = lines[number]
        badge = {Label.IN: "✓ IN", Label.OUT: "✗ OUT", Label.UNDEC: "? UNDEC"}[label]
        assert re.search(rf"label=\"{number} · [A-Z]+ · {re.escape(badge)}\\n", line), line
        shown = effective(dot, line)
        style = shown["style"]
        if label is Label.IN:
            assert "dashed" not in style and "dotted" not in style
        elif label is Label.OUT:
            assert style.endswith(",dashed") and shown["fillcolor"] == "#E6E6E6"
        else:
            assert style.endswith(",dotted")
        assert "IN" not in plain[number].split("\\n")[0]  # the plain map has no badges
        # "\N" is the node's name: Graphviz writes ids "_svg_e_C1" and "_svg_C1"
        assert (
            shown["id"] == "_svg_e_\\N" and effective(plain_dot, plain[number])["id"] == "_svg_\\N"
        )


def test_the_evaluated_diagram_keeps_generated_names_and_escaping() -> None:
    graph = graph_of(FIXTURES / "golden" / "hostile-labels.toml")
    plain = to_dot(graph, "x.html")
    evaluated = to_dot(graph, "x.html", evaluate(graph))
    assert set(node_lines(evaluated)) == set(node_lines(plain)) == {"C1", "P1", "P2"}
    assert "backslash \\\\" in evaluated and '\\"]; pwn' in evaluated
    assert "\\\\N \\\\G \\\\l" in evaluated


def test_evaluated_tooltips_add_the_explanation() -> None:
    graph = graph_of(FIXTURES / "golden" / "statuses.toml")
    evaluation = evaluate(graph)
    tooltips = node_tooltips(graph, evaluation)
    assert set(tooltips) == {f"_svg_e_{n}" for n in graph.numbers.values()}
    assert tooltips["_svg_e_P3"] == (
        "P3 (premise): A premise the author rejects. Supports C1. [OUT: rejected by the author]"
    )
    assert set(node_tooltips(graph)) == {f"_svg_{n}" for n in graph.numbers.values()}


@pytest.mark.parametrize("path", [*GOLDEN, SEED_MAP], ids=lambda p: p.stem)
def test_the_junctions_defaults_come_after_every_statement(path: Path) -> None:
    """A default applies to the nodes stated after it: no statement may follow the
    junctions' (and every junction must)."""
    lines = to_dot(graph_of(path), "x.html").splitlines()
    defaults = [n for n, line in enumerate(lines) if line.startswith("\tnode [")]
    statements = [n for n, line in enumerate(lines) if re.match(r"\t[CPR]\d+ \[", line)]
    junctions = [n for n, line in enumerate(lines) if re.match(r"\tJ\d+ \[", line)]
    if junctions:
        first, junction_defaults = defaults
        assert first < min(statements) and max(statements) < junction_defaults < min(junctions)
    else:
        assert len(defaults) == 1


def test_node_names_are_generated_never_user_ids() -> None:
    dot = to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x.html")
    names = set(re.findall(r"^\t(\w+) \[", dot, re.MULTILINE)) - {"graph", "node", "edge"}
    assert names == {"C1", "C2", "P1", "P2", "P3", "R1", "R2", "R3", "J1", "J2"}
    assert "\tthesis [" not in dot


def test_labels_escape_backslashes_and_quotes() -> None:
    dot = to_dot(graph_of(FIXTURES / "golden" / "hostile-labels.toml"), "x.html")
    assert "backslash \\\\" in dot  # the user's backslash is doubled
    assert '\\"]; pwn' in dot  # the user's quote is escaped inside the string
    assert "\\\\N \\\\G \\\\l" in dot


def test_thesis_is_prominent_and_kinds_differ_by_shape_not_only_colour() -> None:
    dot = to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x.html")
    thesis = next(line for line in dot.splitlines() if line.startswith("\tC1 ["))
    assert "peripheries=2" in thesis
    assert "THESIS" in thesis
    rebuttal = next(line for line in dot.splitlines() if line.startswith("\tR1 ["))
    assert "diagonals" in rebuttal


def edge_lines(dot: str) -> list[str]:
    return [line for line in dot.splitlines() if " -> " in line]


def test_relations_differ_by_line_style_and_arrowhead_not_only_colour() -> None:
    dot = to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x.html")
    edges = [effective(dot, e) for e in edge_lines(dot)]
    into_conclusions = [e for e in edges if e["arrowhead"] != "none"]
    kinds = {
        relation: {
            f"{e['style']} {e['arrowhead']}"
            for e in into_conclusions
            if re.search(rf"\b{relation}\b", e["tooltip"])
        }
        for relation in ("support", "attacks", "undercuts")
    }
    assert kinds == {
        "support": {"solid normal"},
        "attacks": {"dashed tee"},
        "undercuts": {"dotted tee"},
    }


def test_only_attacks_and_undercuts_carry_text_placed_after_layout() -> None:
    """A ``label`` on an edge costs Graphviz a rank of its own; ``xlabel`` does not."""
    dot = to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x.html")
    edges = edge_lines(dot)
    assert not [e for e in edges if re.search(r"[ \[]label=", e)]
    texts = Counter(m.group(1) for e in edges if (m := re.search(r'xlabel=" (\w+) "', e)))
    assert texts == {"attacks": 2, "undercuts": 1}


def with_rebuttals(graph: ArgumentGraph, count: int) -> ArgumentGraph:
    """The graph with ``count`` more rebuttals, each attacking the thesis."""
    thesis, position = graph.map.thesis, graph.map.position
    nodes = tuple(
        Node(f"objection-{n}", NodeKind.REBUTTAL, f"Objection {n}.", position) for n in range(count)
    )
    attacks = tuple(Attack(n.id, thesis, AttackKind.REBUT, position) for n in nodes)
    bigger = replace(
        graph.map, nodes=(*graph.map.nodes, *nodes), attacks=(*graph.map.attacks, *attacks)
    )
    validate_map(bigger)
    return build_graph(bigger)


def test_a_map_of_very_many_attacks_draws_them_without_the_word() -> None:
    """Graphviz places xlabels in time that grows with the square of their number (a
    chain of 10,000 attacks did not lay out in two minutes): beyond the limit, the
    attacks are told apart by line and arrowhead, and their tooltips name them."""
    graph = graph_of(FIXTURES / "golden" / "all-relations.toml")  # 2 attacks, 1 undercut
    at_limit = with_rebuttals(graph, LABELLED_ATTACKS_UP_TO - len(graph.map.attacks))
    edges = edge_lines(to_dot(at_limit, "x.html"))
    assert sum("xlabel=" in e for e in edges) == LABELLED_ATTACKS_UP_TO
    beyond = with_rebuttals(graph, LABELLED_ATTACKS_UP_TO + 1 - len(graph.map.attacks))
    for evaluation in (None, evaluate(beyond)):
        edges = edge_lines(to_dot(beyond, "x.html", evaluation))
        assert not [e for e in edges if "xlabel=" in e]
        attacks = [e for e in edges if "style=dashed" in e and "arrowhead=tee" in e]
        assert len(attacks) == LABELLED_ATTACKS_UP_TO  # one of the attacks is the undercut
        assert all(re.search(r'tooltip="\w+ attacks \w+"', e) for e in attacks)


def test_every_edge_names_its_relation_in_words() -> None:
    dot = to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x.html")
    tooltips = [re.search(r'tooltip="([^"]*)"', e) for e in edge_lines(dot)]
    assert all(tooltips)
    assert {t.group(1) for t in tooltips if t} >= {
        "C2 supports C1",
        "P2 is part of the linked reason: P2 + P3 together support C1",
        "R1 attacks P1",
        "R3 undercuts the reason: P1 supports C1",
    }


def test_linked_premises_meet_at_one_junction() -> None:
    dot = to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x.html")
    assert re.search(r"^\tJ\d+ \[.*label=and", dot, re.MULTILINE)
    into_junction = re.findall(r"^\t(P\d+) -> (J\d+)", dot, re.MULTILINE)
    premises_per_junction = Counter(junction for _, junction in into_junction)
    assert sorted(premises_per_junction.values()) == [1, 2]  # one single, one linked reason


def test_node_label_wraps_long_text() -> None:
    graph = graph_of(SEED_MAP)
    for node in graph.nodes.values():
        lines = node_label(graph.numbers[node.id], node, node.id == graph.map.thesis)
        assert all(len(line) <= 40 for line in lines[1:]), lines


@pytest.mark.parametrize("width", [1, 5, 32])
def test_wrap_words_is_textwrap(width: int) -> None:
    """The quick wrap gives textwrap's lines: words apart by single spaces (its own way),
    and anything else (other spaces, long words, empty text), which it leaves to textwrap."""
    rng = random.Random(width)
    words = ["a", "of", "word", "x" * (width - 1), "y" * width, "z" * (width + 1), "é✓", "-"]
    odd = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", ""]
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        assert wrap_words(text, width) == textwrap.wrap(text, width, break_on_hyphens=False)
        text = "".join(rng.choice(words + odd) for _ in range(rng.randint(0, 12)))
        assert wrap_words(text, width) == textwrap.wrap(text, width, break_on_hyphens=False)


XLINK = "{http://www.w3.org/1999/xlink}"


@pytest.mark.needs_dot
@pytest.mark.parametrize("evaluated", [False, True], ids=["plain", "evaluated"])
def test_graphviz_gives_each_box_its_id_and_only_statements_a_link(evaluated: bool) -> None:
    """Ids and link targets come from the graph's node defaults ("\\N" is the node's
    name); a junction states that it has no target, so its tooltip is not a link."""
    graph = graph_of(FIXTURES / "golden" / "all-relations.toml")
    prefix = "_svg_e_" if evaluated else "_svg_"
    svg = ET.fromstring(render_svg(to_dot(graph, "x.html", evaluate(graph) if evaluated else None)))
    nodes = {
        str(g.findtext(f"{{{SVG_NS}}}title")): g
        for g in svg.iter(f"{{{SVG_NS}}}g")
        if g.get("class") == "node"
    }
    assert set(nodes) == {*graph.numbers.values(), "J1", "J2"}
    for name, group in nodes.items():
        assert group.get("id") == prefix + name
        (link,) = group.iter(f"{{{SVG_NS}}}a")
        if name.startswith("J"):
            assert link.get("target") is None and link.get(f"{XLINK}href") is None
            assert "reason" in str(link.get(f"{XLINK}title"))
        else:
            assert link.get("target") == "_top" and link.get(f"{XLINK}title") == name
            assert str(link.get(f"{XLINK}href")).startswith("x.html#")


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", [*GOLDEN, SEED_MAP], ids=lambda p: p.stem)
def test_graphviz_accepts_the_dot_and_keeps_every_node(path: Path) -> None:
    graph = graph_of(path)
    dot = to_dot(graph, "x.html")
    result = subprocess.run(
        ["dot", "-Tcanon"], input=dot.encode(), capture_output=True, check=True
    ).stdout.decode()
    nodes = set(re.findall(r"^\t+([CPRJ]\d+)\s+\[", result, re.MULTILINE))
    assert {n for n in nodes if n[0] in "CPR"} == set(graph.numbers.values())
    assert "pwn" not in nodes


# -- size: large maps are drawn left to right -----------------------------------------------


def with_premises(graph: ArgumentGraph, count: int) -> ArgumentGraph:
    """The graph with ``count`` more premises, each supporting the thesis."""
    thesis = graph.map.thesis
    nodes = tuple(
        Node(f"extra-{n}", NodeKind.PREMISE, f"Extra premise {n}.", graph.map.position)
        for n in range(count)
    )
    reasons = tuple(Reason((n.id,), thesis, graph.map.position) for n in nodes)
    bigger = replace(
        graph.map, nodes=(*graph.map.nodes, *nodes), reasons=(*graph.map.reasons, *reasons)
    )
    validate_map(bigger)
    return build_graph(bigger)


def graph_attributes(dot: str) -> str:
    return next(line for line in dot.splitlines() if line.startswith("\tgraph ["))


def test_every_map_reads_from_the_thesis_on_the_left() -> None:
    """Breadth runs down the page (which scrolls), depth across it (which does not)."""
    graph = graph_of(FIXTURES / "golden" / "all-relations.toml")  # 8 statements
    for size in (0, 60):
        bigger = with_premises(graph, size)
        for evaluation in (None, evaluate(bigger)):
            assert "rankdir=RL" in graph_attributes(to_dot(bigger, "x.html", evaluation))


def chain(length: int) -> ArgumentGraph:
    """A thesis at the end of a chain of ``length`` claims, each the reason for the next."""
    position = graph_of(FIXTURES / "golden" / "all-relations.toml").map.position
    text = "A statement long enough to need wrapping in every box of the diagram here."
    nodes = [Node("c0", NodeKind.CLAIM, text, position)]
    nodes += [Node(f"c{n}", NodeKind.CLAIM, text, position) for n in range(1, length)]
    nodes[-1] = replace(nodes[-1], kind=NodeKind.PREMISE)
    reasons = tuple(Reason((f"c{n + 1}",), f"c{n}", position) for n in range(length - 1))
    base = graph_of(FIXTURES / "golden" / "all-relations.toml").map
    chained = replace(base, nodes=tuple(nodes), reasons=reasons, attacks=(), thesis="c0")
    return build_graph(chained)


def test_the_wrapping_narrows_as_a_map_gets_deeper() -> None:
    """Shallow maps keep the widest boxes; deeper ones narrower boxes, down to a floor,
    so the columns of a map a few levels deep fit the readable width."""
    widths = [wrap_width(chain(length)) for length in range(1, 16)]
    assert [rank_count(chain(length)) for length in (1, 5, 9)] == [1, 5, 9]
    assert widths[0] == WRAP_WIDTH and widths[-1] == MIN_WRAP_WIDTH
    assert widths == sorted(widths, reverse=True)
    assert wrap_width(chain(8)) > MIN_WRAP_WIDTH  # the seed map's depth still fits


def test_declared_reasons_and_attacks_count_as_columns() -> None:
    graph = graph_of(FIXTURES / "golden" / "all-relations.toml")
    # thesis <- junction <- premise, and a rebuttal of it, and an undercutter of a step
    assert rank_count(graph) >= 3


@pytest.mark.needs_dot
def test_the_seed_map_fits_the_readable_width() -> None:
    """Drawn, the seed map is no wider than the readable width allows (with its margin)."""
    graph = graph_of(SEED_MAP)
    svg = render_svg(to_dot(graph, "x.html"))
    match = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg)
    assert match is not None
    width = float(match.group(1))
    assert width <= READABLE_WIDTH_PT * 1.06  # 1,100 pt: 12-px text at 1,200 px


def test_only_large_maps_get_a_bounded_layout() -> None:
    graph = graph_of(FIXTURES / "golden" / "all-relations.toml")
    at_limit = with_premises(graph, BOUNDED_LAYOUT_ABOVE - len(graph.nodes))
    assert "nslimit" not in graph_attributes(to_dot(at_limit, "x.html"))
    beyond = with_premises(graph, BOUNDED_LAYOUT_ABOVE + 1 - len(graph.nodes))
    assert "nslimit=1" in graph_attributes(to_dot(beyond, "x.html"))
    assert "mclimit" not in graph_attributes(to_dot(beyond, "x.html"))
    at_limit = with_premises(graph, BOUNDED_ORDERING_ABOVE - len(graph.nodes))
    assert "mclimit" not in graph_attributes(to_dot(at_limit, "x.html"))
    beyond = with_premises(graph, BOUNDED_ORDERING_ABOVE + 1 - len(graph.nodes))
    assert "mclimit=0.3 " in graph_attributes(to_dot(beyond, "x.html"))


# -- sections ---------------------------------------------------------------------------------

SECTIONS = FIXTURES / "golden" / "sections.toml"
HOSTILE_SECTION = 'Health "and" safety \\N \\\\ ]; pwn'


def clusters(dot: str) -> dict[str, list[str]]:
    """Each cluster's name, with its attribute line and member names."""
    found = {}
    for match in re.finditer(r"^\tsubgraph (\w+) \{\n(.*?)^\t\}", dot, re.MULTILINE | re.DOTALL):
        found[match.group(1)] = [line.strip() for line in match.group(2).splitlines()]
    return found


def test_each_section_is_one_cluster_with_a_generated_name() -> None:
    graph = graph_of(SECTIONS)
    found = clusters(to_dot(graph, "x.html"))
    assert list(found) == ["cluster_1", "cluster_2"]  # never the user's text
    assert "label=Economy" in found["cluster_1"][0]  # "Economy " is the same section
    assert found["cluster_1"][1:] == ["C2", "P1", "R1"]
    # the junction of a linked reason joins the frame its premises share
    assert found["cluster_2"][1:] == ["P3", "P4", "J1"]
    assert not any(name in m for m in found.values() for name in ("C1", "P2"))


def test_section_names_are_escaped_like_every_label() -> None:
    graph = graph_of(SECTIONS)
    assert graph.nodes["traffic"].section == HOSTILE_SECTION
    attributes = clusters(to_dot(graph, "x.html"))["cluster_2"][0]
    assert 'label="Health \\"and\\" safety \\\\N \\\\\\\\ ]; pwn"' in attributes


def test_a_long_section_name_is_cut_short_in_the_frame() -> None:
    lines = section_label("A section name that goes on " * 20)
    assert len(lines) == MAX_SECTION_LINES and lines[-1].endswith(" …")


def test_the_evaluated_diagram_has_the_same_frames_with_its_own_ids() -> None:
    graph = graph_of(SECTIONS)
    plain = clusters(to_dot(graph, "x.html"))
    evaluated = clusters(to_dot(graph, "x.html", evaluate(graph)))
    assert {k: v[1:] for k, v in plain.items()} == {k: v[1:] for k, v in evaluated.items()}
    assert "id=_svg_S1 " in plain["cluster_1"][0]
    assert "id=_svg_e_S1 " in evaluated["cluster_1"][0]
    assert node_tooltips(graph)["_svg_S2"] == f"Section: {HOSTILE_SECTION}"
    assert node_tooltips(graph, evaluate(graph))["_svg_e_S1"] == "Section: Economy"


def test_a_map_without_sections_has_no_clusters() -> None:
    assert "subgraph" not in to_dot(graph_of(FIXTURES / "golden" / "all-relations.toml"), "x")


def box(element: ET.Element) -> tuple[float, float, float, float]:
    """The bounding box of an SVG group's shapes (polygons and paths), in SVG units."""
    numbers = []
    for shape in element:
        if shape.tag in (f"{{{SVG_NS}}}polygon", f"{{{SVG_NS}}}path"):
            points = shape.get("points") or shape.get("d") or ""
            numbers += [tuple(map(float, p)) for p in re.findall(r"(-?[\d.]+),(-?[\d.]+)", points)]
        else:
            numbers += [box(shape)[:2], box(shape)[2:]] if len(shape) else []
    xs, ys = [x for x, _ in numbers], [y for _, y in numbers]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.needs_dot
@pytest.mark.parametrize("evaluated", [False, True], ids=["plain", "evaluated"])
def test_graphviz_draws_each_sections_statements_inside_its_titled_frame(evaluated: bool) -> None:
    graph = graph_of(SECTIONS)
    evaluation = evaluate(graph) if evaluated else None
    prefix = "_svg_e_" if evaluated else "_svg_"
    svg = finish_svg(
        render_svg(to_dot(graph, "x.html", evaluation)),
        title="t",
        description="d",
        tooltips=node_tooltips(graph, evaluation),
        id_prefix=prefix,
    )
    groups = {g.get("id"): g for g in ET.fromstring(svg).iter(f"{{{SVG_NS}}}g")}
    for name, section, members in (
        ("S1", "Economy", ["C2", "P1", "R1"]),
        ("S2", HOSTILE_SECTION, ["P3", "P4", "J1"]),
    ):
        frame = groups[prefix + name]
        assert frame.get("class") == "cluster"
        assert frame.findtext(f"{{{SVG_NS}}}title") == f"Section: {section}"
        assert frame.findtext(f"{{{SVG_NS}}}text") == section  # drawn as written
        left, top, right, bottom = box(frame)
        for member in members:
            x0, y0, x1, y1 = box(groups[prefix + member])
            assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, member
    for outside in ("C1", "P2"):  # no section: clear of both frames
        x0, y0, x1, y1 = box(groups[prefix + outside])
        for f in (box(groups[prefix + n]) for n in ("S1", "S2")):
            assert x1 < f[0] or x0 > f[2] or y1 < f[1] or y0 > f[3], outside


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", [*GOLDEN, SEED_MAP], ids=lambda p: p.stem)
def test_every_edge_of_the_finished_svg_is_titled_in_words(path: Path) -> None:
    graph = graph_of(path)
    svg = finish_svg(
        render_svg(to_dot(graph, "x.html")),
        title="t",
        description="d",
        tooltips=node_tooltips(graph),
    )
    edges = [g for g in ET.fromstring(svg).iter(f"{{{SVG_NS}}}g") if g.get("class") == "edge"]
    titles = [str(edge.findtext(f"{{{SVG_NS}}}title")) for edge in edges]
    assert len(titles) == len(graph.map.attacks) + sum(
        1 if r.id is None else len(r.premises) + 1 for r in graph.map.reasons
    )
    for title in titles:  # never Graphviz's "P1->C1"
        assert "->" not in title and re.search(r"\b(supports?|attacks|undercuts|part of)\b", title)


@pytest.mark.parametrize(
    "section", ["<b>bold</b>", '<IMG SRC="/etc/passwd"/>', "<script>alert(1)</script>"]
)
def test_a_section_that_looks_like_markup_is_never_an_html_label(
    section: str, tmp_path: Path
) -> None:
    # graphviz writes a value between < and > unquoted, as an HTML-like label, unless it
    # is marked nohtml; a plain str() of the marked string lost the mark.
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "x"\n\n'
        f'[premise.p]\ntext = "y"\nsupports = "c"\nsection = {section!r}\n',
        encoding="utf-8",
    )
    source = to_dot(graph_of(path), "m.html")
    assert not re.search(r"label=<", source)
    assert re.search(r'label="' + re.escape(section.replace('"', '\\"')) + '"', source)
