"""Words a lay reader reads right (issue 17, item 4): argmap.analysis._explain's plain
headlines tell "defeated by R1" apart from "left without support" and "undecided", and
say what was evaluated on which assumptions; pages and `argmap evaluate` use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.analysis import _explain as plain
from argmap.analysis.evaluate import Label, evaluate
from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.build.pipeline import build
from argmap.model.load import load_map
from argmap.model.validate import validate_map

from .conftest import SEED_MAP


def graph_of(tmp_path: Path, body: str) -> ArgumentGraph:
    path = tmp_path / "m.toml"
    path.write_text('[map]\ntitle = "t"\nthesis = "c"\n' + body, encoding="utf-8")
    argument_map = load_map(path, "m")
    validate_map(argument_map)
    return build_graph(argument_map)


def headlines(graph: ArgumentGraph) -> dict[str, str]:
    labels = evaluate(graph).labels
    return {graph.numbers[n]: plain.headline(graph, labels, n) for n in graph.numbers}


def test_the_three_ways_to_be_out_are_told_apart(tmp_path: Path) -> None:
    graph = graph_of(
        tmp_path,
        """
[claim.c]
text = "The thesis."
[claim.d]
text = "A claim whose only reason is undercut."
supports = "c"
[premise.p]
text = "A premise."
[reason.step]
premises = ["p"]
supports = "d"
[rebuttal.u]
text = "The step does not hold."
undercuts = "step"
[premise.gone]
text = "A premise the author rejects."
status = "rejected"
supports = "c"
[rebuttal.r]
text = "An objection that stands."
attacks = "c"
[rebuttal.s]
text = "Another objection that stands."
attacks = "c"
[rebuttal.x]
text = "One of a pair that attack each other."
attacks = "y"
[rebuttal.y]
text = "The other of the pair."
attacks = ["x", "c"]
""",
    )
    words = headlines(graph)
    assert words["C1"] == "defeated by R2 and R3"  # attacked by statements that stand
    assert words["C2"] == "left without support"  # its only reason is undercut
    assert words["P2"] == "rejected by the author"
    assert words["R1"] == words["P1"] == "stands"
    assert words["R4"] == words["R5"] == "undecided"
    labels = evaluate(graph).labels
    assert plain.badge(graph, labels, "d") == "✗ left without support (OUT)"
    assert plain.badge(graph, labels, "x") == "? undecided (UNDEC)"
    assert {plain.outcome(graph, labels, n) for n in graph.numbers} == set(plain.Outcome)


def test_a_long_list_of_defeaters_names_the_first_few(tmp_path: Path) -> None:
    rebuttals = "".join(
        f'[rebuttal.r{k}]\ntext = "Objection number {k}."\nattacks = "c"\n' for k in range(12)
    )
    graph = graph_of(tmp_path, '[claim.c]\ntext = "The thesis."\n' + rebuttals)
    assert headlines(graph)["C1"] == "defeated by R1, R2, R3, R4 and 8 others"


@pytest.mark.parametrize("semantics", ["grounded", "preferred", "stable"])
def test_the_assumptions_name_the_semantics_and_what_out_means(semantics: str) -> None:
    words = plain.assumptions(semantics)
    assert "if every statement without reasons is accepted as stated" in words
    assert f"by {semantics} semantics" in words
    assert "does not mean false" in words


def test_the_seed_page_speaks_plainly_and_keeps_the_formal_labels(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build([SEED_MAP], out)
    page = (out / "russia-resets.html").read_text(encoding="utf-8")
    assert "that fall" not in page and "falls" not in page
    evaluated = (out / "russia-resets.evaluated.svg").read_text(encoding="utf-8")
    assert "fall" not in page + evaluated  # the drawings' spoken descriptions too
    assert "defeated, left without support or rejected (OUT" in evaluated
    assert "✗ left without support (OUT)" in page  # R1: its reason undercut
    assert "✗ defeated by R4 (OUT)" in page  # R3
    assert "✓ stands (IN)" in page
    assert plain.assumptions("grounded") in page
    stands, _, rest = page.partition('<details class="stands-all">')
    assert rest and "Claims and rebuttals that are defeated" not in stands  # folded


def test_the_seed_map_labels_match_the_page_words() -> None:
    argument_map = load_map(SEED_MAP, SEED_MAP.stem)
    validate_map(argument_map)
    graph = build_graph(argument_map)
    labels = evaluate(graph).labels
    for node_id in graph.numbers:
        outcome = plain.outcome(graph, labels, node_id)
        assert (labels[node_id] is Label.IN) == (outcome is plain.Outcome.STANDS)
        assert (labels[node_id] is Label.UNDEC) == (outcome is plain.Outcome.UNDECIDED)
