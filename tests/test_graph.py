from __future__ import annotations

from pathlib import Path

from argmap.analysis._explain import relations_spoken
from argmap.analysis.graph import ArgumentGraph, OutlineItem, Role, build_graph, subgraph
from argmap.model import NodeKind
from argmap.model.load import load_map

from .conftest import FIXTURES

ALL = FIXTURES / "golden" / "all-relations.toml"


def graph() -> ArgumentGraph:
    return build_graph(load_map(ALL, "all"))


def flatten(items: tuple[OutlineItem, ...]) -> list[tuple[Role, str | None, bool]]:
    return [
        (item.role, item.node or (item.reason.id if item.reason else None), item.repeated)
        for item in items
    ]


def test_numbers_follow_reading_order_from_the_thesis() -> None:
    g = graph()
    assert g.numbers["thesis"] == "C1"
    assert next(iter(g.numbers.values())) == "C1"
    assert g.ordered_nodes()[0].id == "thesis"
    assert sorted(g.numbers.values()) == ["C1", "C2", "P1", "P2", "P3", "R1", "R2", "R3"]


def test_lookups_in_both_directions() -> None:
    g = graph()
    assert {r.conclusion for r in g.reasons_from["alone"]} == {"intermediate", "thesis"}
    assert [r.id for r in g.reasons_for["thesis"]] == [None, "together", "step"]
    assert [a.source for a in g.attacks_on["objection"]] == ["reply"]
    assert [a.target for a in g.attacks_by["undercutter"]] == ["step"]
    assert g.reasons_by_id["together"].linked and not g.reasons_by_id["step"].linked


def test_outline_is_a_tree_from_the_thesis_with_repeats_marked() -> None:
    outline = flatten(graph().outline)
    assert outline[0] == (Role.ROOT, "thesis", False)
    assert (Role.LINKED, "together", False) in outline
    assert (Role.UNDERCUTS, "undercutter", False) in outline
    assert (Role.ATTACKS, "reply", False) in outline
    # "alone" supports two claims: expanded once, shown again as a repeat
    alone = [entry for entry in outline if entry[1] == "alone"]
    assert [repeated for _, _, repeated in alone] == [False, True]


def test_nodes_the_thesis_does_not_reach_become_further_roots(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "a"\n[claim.a]\ntext = "a"\n[claim.b]\ntext = "b"\n'
        '[premise.p]\ntext = "p"\nsupports = "b"\n',
        encoding="utf-8",
    )
    g = build_graph(load_map(path, "m"))
    roots = [(item.role, item.node) for item in g.outline if item.depth == 0]
    assert roots == [(Role.ROOT, "a"), (Role.ROOT, "b")]
    assert g.counts()[NodeKind.CLAIM] == 2
    assert g.relation_count() == 1


def test_a_subgraph_indexes_only_its_own_relations() -> None:
    """A part drawn alone (a handout's part, a page's overview) must not point at a
    statement outside it: its spoken relations once looked such a premise up."""
    g = graph()
    kept = {node_id: g.nodes[node_id] for node_id in list(g.numbers)[:3]}
    part = subgraph(g, kept)
    assert set(part.nodes) == set(kept) == set(part.numbers)
    assert all(part.numbers[k] == g.numbers[k] for k in kept)
    ends = [r.conclusion for rs in part.reasons_for.values() for r in rs]
    ends += [p for rs in part.reasons_from.values() for r in rs for p in r.premises]
    ends += [a.source for attacks in part.attacks_on.values() for a in attacks]
    assert set(ends) <= set(kept)
    for node_id in kept:
        relations_spoken(part, node_id)  # every number it names is in the part
    assert subgraph(g, dict(g.nodes)).reasons_for == g.reasons_for
