"""The map this repository publishes: complete, well-formed, and faithful to its source.

The source article is someone else's text and is not in the repository; the quote check
reads it from ../shared/sources/ and is skipped, saying so, where that folder is absent.
"""

from __future__ import annotations

import pytest

from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.analysis.quotes import check_quotes, split_paragraphs
from argmap.model import AttackKind, NodeKind
from argmap.model.load import load_map
from argmap.model.validate import validate_map

from .conftest import SEED_MAP, SHARED_SOURCES

ARTICLE = SHARED_SOURCES / "why-russia-resets-fail.txt"


@pytest.fixture(scope="module")
def graph() -> ArgumentGraph:
    argument_map = load_map(SEED_MAP, "russia-resets")
    validate_map(argument_map)
    return build_graph(argument_map)


def test_size_and_kinds(graph: ArgumentGraph) -> None:
    counts = graph.counts()
    assert 25 <= len(graph.nodes) <= 45
    assert all(counts[kind] > 0 for kind in NodeKind)


def test_has_linked_premises_rebutted_rebuttal_and_undercut(graph: ArgumentGraph) -> None:
    assert any(reason.linked for reason in graph.map.reasons)
    rebuttals = {n for n, node in graph.nodes.items() if node.kind is NodeKind.REBUTTAL}
    assert any(a.target in rebuttals for a in graph.map.attacks), "a rebuttal is rebutted"
    assert any(a.kind is AttackKind.UNDERCUT for a in graph.map.attacks)


def test_reasoning_is_a_chain_not_one_flat_level(graph: ArgumentGraph) -> None:
    def depth(node_id: str) -> int:
        below = [p for r in graph.reasons_for.get(node_id, ()) for p in r.premises]
        return 1 + max((depth(p) for p in below), default=0)

    assert depth(graph.map.thesis) >= 3


def test_every_node_is_connected(graph: ArgumentGraph) -> None:
    touched = {a.source for a in graph.map.attacks} | {a.target for a in graph.map.attacks}
    for reason in graph.map.reasons:
        touched |= {*reason.premises, reason.conclusion}
    assert set(graph.nodes) <= touched


def test_source_metadata_invents_nothing(graph: ArgumentGraph) -> None:
    source = graph.map.source
    assert source.publisher == "European Council on Foreign Relations"
    # The article's text names no author, date or address, so the map must not either.
    assert source.author is None and source.date is None and source.url is None


def test_quotes_are_short(graph: ArgumentGraph) -> None:
    quotes = [node.quote.text for node in graph.nodes.values() if node.quote]
    assert len(quotes) >= 10
    assert all(len(quote.split()) <= 45 for quote in quotes)


@pytest.mark.skipif(
    not ARTICLE.is_file(), reason=f"source text not found at {ARTICLE}; quotes not checked"
)
def test_every_quote_is_verbatim_in_its_paragraph(graph: ArgumentGraph) -> None:
    report = check_quotes(graph.map)
    assert report.found, f"the map's source.text_file should point at {ARTICLE}"
    assert report.source_file is not None and report.source_file.resolve() == ARTICLE.resolve()
    assert report.checked == sum(1 for n in graph.nodes.values() if n.quote)
    assert report.diagnostics == ()
    print(f"checked {report.checked} quotes against {ARTICLE}")


@pytest.mark.skipif(not ARTICLE.is_file(), reason=f"source text not found at {ARTICLE}")
def test_the_map_does_not_republish_the_article(graph: ArgumentGraph) -> None:
    article_words = sum(len(p.split()) for p in split_paragraphs(ARTICLE.read_text("utf-8")))
    quoted_words = sum(len(n.quote.text.split()) for n in graph.nodes.values() if n.quote)
    assert quoted_words < 0.5 * article_words
