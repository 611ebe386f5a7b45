"""argmap render --fragment: an HTML fragment to include in another site's page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.analysis.graph import ArgumentGraph
from argmap.build.fragment import (
    FragmentError,
    default_id_prefix,
    render_fragment,
    scoped_css,
    subgraph,
)
from argmap.build.pipeline import check
from argmap.cli import app
from argmap.config import Config
from tests.conftest import FIXTURES, SEED_MAP

BUSES = FIXTURES / "valid" / "undercut-and-rebuttals.toml"
_VOID = {"br", "hr", "img", "input", "link", "meta", "wbr", "source", "col", "area"}


def graph_of(path: Path) -> ArgumentGraph:
    result = check([path], Config())
    assert not result.errors
    return result.graphs[0]


class Collector(HTMLParser):
    """Tags, ids and local link targets of a fragment; fails on unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.targets: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name in ("href", "xlink:href") and value and value.startswith("#"):
                self.targets.append(value[1:])


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    assert collector.stack == [], f"unclosed: {collector.stack}"
    return collector


def test_scoped_css_styles_only_the_fragment() -> None:
    css = scoped_css()
    assert ".outline-tree" in css and ".diagram-scroll" in css and "--blue" in css
    for rule in css.splitlines():
        selectors = rule.split("{", 1)[0]
        for selector in selectors.split(","):
            assert selector.strip().startswith(".argmap-fragment"), rule
    assert "body" not in css and ":root" not in css


def test_subgraph_keeps_what_is_under_the_node_and_the_numbers() -> None:
    graph = graph_of(BUSES)
    sub = subgraph(graph, "taxis")
    assert set(sub.nodes) == {"taxis", "taxis-cost"}
    assert sub.map.thesis == "taxis"
    assert sub.numbers == {k: graph.numbers[k] for k in ("taxis", "taxis-cost")}
    whole = subgraph(graph, "keep-night-buses")
    assert set(whole.nodes) == set(graph.nodes)
    with pytest.raises(FragmentError, match="no statement 'nope'"):
        subgraph(graph, "nope")


def test_default_id_prefix_is_an_id() -> None:
    assert default_id_prefix("folder/my map") == "argmap-folder-my-map"
    assert default_id_prefix("buses", "taxis") == "argmap-buses-taxis"


@pytest.mark.needs_dot
def test_fragment_has_every_node_no_script_and_prefixed_ids() -> None:
    graph = graph_of(SEED_MAP)
    html = render_fragment(graph)
    page = parse(html)
    for tag in ("html", "head", "body", "script", "link"):
        assert tag not in page.tags
    assert page.tags[:2] == ["div", "style"]
    assert "svg" in page.tags
    prefix = "argmap-russia-resets"
    assert page.ids[0] == prefix
    assert len(page.ids) == len(set(page.ids))
    assert all(i.startswith(f"_svg_{prefix}_") for i in page.ids[1:])
    # Every statement is in the outline (a link to its box) and in the diagram.
    numbers = set(graph.numbers.values())
    linked = set(re.findall(r'class="ref ref-\w+" href="#[^"]+"[^>]*>(\w+)<', html))
    assert linked == numbers
    for number in numbers:
        assert f'id="_svg_{prefix}__svg_{number}"' in html
    assert set(page.targets) <= set(page.ids)
    assert "<a " not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # boxes are not links


@pytest.mark.needs_dot
def test_two_fragments_on_one_page_do_not_clash() -> None:
    buses = graph_of(BUSES)
    page = parse(
        render_fragment(graph_of(SEED_MAP))
        + render_fragment(buses)
        + render_fragment(buses, node="taxis", outline=False)
    )
    assert len(page.ids) == len(set(page.ids))
    assert set(page.targets) <= set(page.ids)


@pytest.mark.needs_dot
def test_sub_tree_and_no_outline() -> None:
    html = render_fragment(graph_of(BUSES), node="taxis", outline=False)
    assert 'id="argmap-undercut-and-rebuttals-taxis"' in html
    assert "outline-tree" not in html.split("</style>", 1)[1]
    assert "Night workers could take taxis" in html
    assert "half empty" not in html
    with pytest.raises(FragmentError, match="id prefix"):
        render_fragment(graph_of(BUSES), id_prefix="1 bad")


@pytest.mark.needs_dot
def test_cli_render_fragment(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "map.html"
    result = runner.invoke(
        app, ["render", str(BUSES), "--fragment", "-o", str(out), "--id-prefix", "buses"]
    )
    assert result.exit_code == 0, result.output
    page = parse(out.read_text(encoding="utf-8"))
    assert page.ids[0] == "buses"
    result = runner.invoke(app, ["render", str(BUSES), "--fragment", "--node", "taxis"])
    assert result.exit_code == 0
    assert result.stdout.startswith('<div class="argmap-fragment"')


def test_cli_render_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["render", str(BUSES)]).exit_code == 2
    assert runner.invoke(app, ["render", str(tmp_path / "x.toml"), "--fragment"]).exit_code == 2
    broken = tmp_path / "broken.toml"
    broken.write_text('[map]\ntitle = "x"\nthesis = "missing"\n', encoding="utf-8")
    assert runner.invoke(app, ["render", str(broken), "--fragment"]).exit_code == 1


@pytest.mark.needs_dot
def test_cli_render_unknown_node_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["render", str(BUSES), "--fragment", "--node", "nope"])
    assert result.exit_code == 2
    assert "no statement 'nope'" in result.output
