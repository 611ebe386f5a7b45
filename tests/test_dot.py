"""DOT golden files: each ``fixtures/golden/NAME.toml`` must give exactly ``NAME.dot``.

Set ``ARGMAP_UPDATE_FIXTURES=1`` to rewrite the golden files after an intended change,
then read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from argmap.dot import node_label, node_tooltips, to_dot
from argmap.evaluate import Label, evaluate
from argmap.graph import ArgumentGraph, build_graph
from argmap.load import load_map
from argmap.validate import validate_map

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


def test_the_evaluated_diagram_shows_each_label_by_badge_and_line_style() -> None:
    graph = graph_of(FIXTURES / "golden" / "statuses.toml")
    evaluation = evaluate(graph)
    lines = node_lines(to_dot(graph, "x.html", evaluation))
    plain = node_lines(to_dot(graph, "x.html"))
    labels = {graph.numbers[n]: label for n, label in evaluation.labels.items()}
    assert set(labels.values()) == {Label.IN, Label.OUT, Label.UNDEC}
    for number, label in labels.items():
        line = lines[number]
        badge = {Label.IN: "✓ IN", Label.OUT: "✗ OUT", Label.UNDEC: "? UNDEC"}[label]
        assert re.search(rf"label=\"{number} · [A-Z]+ · {re.escape(badge)}\\n", line), line
        style = re.search(r' style="?([a-z,]+)', line).group(1)  # type: ignore[union-attr]
        if label is Label.IN:
            assert "dashed" not in style and "dotted" not in style
        elif label is Label.OUT:
            assert style.endswith(",dashed") and 'fillcolor="#E6E6E6"' in line
        else:
            assert style.endswith(",dotted")
        assert "IN" not in plain[number].split("\\n")[0]  # the plain map has no badges
        assert f" id=_svg_e_{number} " in line and f" id=_svg_{number} " in plain[number]


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
        "P3 (premise): A premise the author rejects. [OUT: rejected by the author]"
    )
    assert set(node_tooltips(graph)) == {f"_svg_{n}" for n in graph.numbers.values()}


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
    into_conclusions = [e for e in edge_lines(dot) if "arrowhead=none" not in e]
    kinds = {
        relation: {
            re.search(r"style=(\w+)", e).group(1)  # type: ignore[union-attr]
            + " "
            + re.search(r"arrowhead=(\w+)", e).group(1)  # type: ignore[union-attr]
            for e in into_conclusions
            if re.search(rf'tooltip="[^"]*\b{relation}\b', e)
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


@pytest.mark.needs_dot
@pytest.mark.parametrize("path", [*GOLDEN, SEED_MAP], ids=lambda p: p.stem)
def test_graphviz_accepts_the_dot_and_keeps_every_node(path: Path) -> None:
    graph = graph_of(path)
    dot = to_dot(graph, "x.html")
    result = subprocess.run(
        ["dot", "-Tcanon"], input=dot.encode(), capture_output=True, check=True
    ).stdout.decode()
    nodes = set(re.findall(r"^\t([CPRJ]\d+)\s+\[", result, re.MULTILINE))
    assert {n for n in nodes if n[0] in "CPR"} == set(graph.numbers.values())
    assert "pwn" not in nodes
