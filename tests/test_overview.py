"""A large map's overview: its skeleton, each cut-off branch folded into a count (issue 17)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from argmap.analysis.graph import build_graph
from argmap.model import NodeKind
from argmap.model.load import load_map
from argmap.model.validate import validate_map
from argmap.render.dot import to_dot
from argmap.render.overview import MOST_SHOWN, OVERVIEW_ABOVE, overview

from .conftest import REPO, SEED_MAP

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate_map


def test_a_map_that_fits_gets_no_overview() -> None:
    argument_map = load_map(SEED_MAP, SEED_MAP.stem)
    validate_map(argument_map)
    assert overview(build_graph(argument_map)) is None


def test_a_large_map_shows_its_skeleton_and_counts_what_is_folded(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(generate_map(OVERVIEW_ABOVE * 2, 2.0, 7).to_toml(), encoding="utf-8")
    argument_map = load_map(path, "big")
    validate_map(argument_map)
    graph = build_graph(argument_map)
    shown = overview(graph)
    assert shown is not None
    assert graph.map.thesis in shown.nodes and 1 < len(shown.nodes) <= MOST_SHOWN + 1
    assert all(n.kind is not NodeKind.PREMISE for n in shown.nodes.values())
    counts = [
        int(m.group(1))
        for n in shown.nodes.values()
        if (m := re.search(r"\[\+(\d+) statements? below\]$", n.text))
    ]
    assert counts and sum(counts) <= len(graph.nodes) - len(shown.nodes)  # each folded once
    assert shown.nodes[graph.map.thesis].text.endswith(" statements below]")
    # the relations among the shown statements only, and a drawable graph
    assert all(r.conclusion in shown.nodes for r in shown.map.reasons)
    assert to_dot(shown, "big.html").startswith("digraph")
