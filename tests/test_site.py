"""End to end: build the seed map and read the HTML and SVG as a browser would."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from argmap.diagnostics import InputError
from argmap.graph import ArgumentGraph
from argmap.pipeline import build, check
from argmap.site import default_templates_dir

from .conftest import FIXTURES, REPO, SEED_MAP

pytestmark = pytest.mark.needs_dot

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


class Page(HTMLParser):
    """The ids, links, tags and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.attrs_by_tag: dict[str, list[dict[str, str | None]]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        self.attrs_by_tag.setdefault(tag, []).append(found)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        for key in ("href", "xlink:href", "src"):
            if found.get(key):
                self.hrefs.append(str(found[key]))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ArgumentGraph]:
    out = tmp_path_factory.mktemp("site") / "build"
    result = build([SEED_MAP.parent], out)
    (graph,) = result.graphs
    return out, graph


def read(out: Path, name: str) -> str:
    return (out / name).read_text(encoding="utf-8")


def test_build_writes_index_page_svg_and_stylesheet(site: tuple[Path, ArgumentGraph]) -> None:
    out, _ = site
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [
        ".argmap-output",
        "_static/argmap.css",
        "index.html",
        "russia-resets.html",
        "russia-resets.svg",
    ]


def test_index_lists_the_map_with_counts(site: tuple[Path, ArgumentGraph]) -> None:
    out, graph = site
    index = read(out, "index.html")
    page = Page(index)
    assert "russia-resets.html" in page.hrefs
    assert graph.map.title in index
    claims = sum(1 for n in graph.nodes.values() if n.kind.value == "claim")
    assert f"{claims} claims" in index


def test_every_node_has_a_section_and_every_fragment_link_resolves(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, graph = site
    page = Page(read(out, "russia-resets.html"))
    assert len(page.ids) == len(set(page.ids)), "ids in the page must be unique"
    assert set(graph.nodes) <= set(page.ids)
    for href in page.hrefs:
        if href.startswith("#"):
            assert href[1:] in page.ids, href


def test_every_link_is_relative_and_points_at_a_file_that_exists(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, _ = site
    for name in ("index.html", "russia-resets.html"):
        for href in Page(read(out, name)).hrefs:
            if href.startswith("#"):
                continue
            assert not re.match(r"[a-z]+:|/", href), f"{name}: {href} is not relative"
            target = (out / name).parent / href.split("#")[0]
            assert target.is_file(), f"{name}: {href} is broken"


def test_page_has_no_script_and_a_strict_content_security_policy(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, _ = site
    html = read(out, "russia-resets.html")
    page = Page(html)
    assert "script" not in page.tags
    policies = [
        a.get("content")
        for a in page.attrs_by_tag["meta"]
        if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies and "default-src 'none'" in str(policies[0])
    assert "script-src" not in str(policies[0])  # default-src 'none' forbids all scripts


def test_page_shows_citation_outline_quotes_and_relations(site: tuple[Path, ArgumentGraph]) -> None:
    out, graph = site
    html = read(out, "russia-resets.html")
    assert "European Council on Foreign Relations" in html
    assert 'id="_outline"' in html and 'class="outline-tree"' in html
    quoted = [n for n in graph.nodes.values() if n.quote]
    assert quoted
    assert html.count("<blockquote>") == len(quoted)
    assert "Linked reason" in html and "Attacked by" in html and "Undercuts" in html


def test_outline_mentions_every_node(site: tuple[Path, ArgumentGraph]) -> None:
    out, graph = site
    html = read(out, "russia-resets.html")
    outline = html[html.index('id="_outline"') : html.index('id="_statements"')]
    for node_id, number in graph.numbers.items():
        assert f'href="#{node_id}"' in outline, number


def test_svg_has_one_linked_node_per_statement_and_one_edge_per_relation(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, graph = site
    root = ET.fromstring(read(out, "russia-resets.svg"))
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    links = {a.get(XLINK_HREF) for g in nodes for a in g.iter(f"{SVG}a") if a.get(XLINK_HREF)}
    assert links == {f"russia-resets.html#{node_id}" for node_id in graph.nodes}
    junctions = [r for r in graph.map.reasons if r.id is not None]
    assert len(nodes) == len(graph.nodes) + len(junctions)
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    independent = [r for r in graph.map.reasons if r.id is None]
    expected_edges = (
        len(independent) + sum(len(r.premises) + 1 for r in junctions) + len(graph.map.attacks)
    )
    assert len(edges) == expected_edges


def test_svg_is_accessible(site: tuple[Path, ArgumentGraph]) -> None:
    out, graph = site
    root = ET.fromstring(read(out, "russia-resets.svg"))
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and graph.map.title in str(title.text)
    assert desc is not None and "claims" in str(desc.text)
    assert root.get("aria-labelledby") == "_svg_title _svg_desc"
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            spoken = group.find(f"{SVG}title")
            assert spoken is not None and len(str(spoken.text)) > 10, "node titles are spoken text"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert all(str(i).startswith("_svg_") for i in ids)


def test_svg_is_not_shrunk_to_fit(site: tuple[Path, ArgumentGraph]) -> None:
    out, _ = site
    root = ET.fromstring(read(out, "russia-resets.svg"))
    width = float(str(root.get("width")).removesuffix("pt"))
    view_box_width = float(str(root.get("viewBox")).split()[2])
    assert width == pytest.approx(view_box_width, rel=0.01)  # drawn at 100%, never scaled


def test_building_twice_gives_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build([SEED_MAP.parent], first)
    build([SEED_MAP.parent], second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_maps_in_subfolders_get_relative_links_to_shared_files(tmp_path: Path) -> None:
    arguments = tmp_path / "arguments"
    (arguments / "unit1").mkdir(parents=True)
    source = (FIXTURES / "golden" / "all-relations.toml").read_text(encoding="utf-8")
    (arguments / "unit1" / "lesson.toml").write_text(source, encoding="utf-8")
    out = tmp_path / "build"
    build([arguments], out)
    page = Page(read(out, "unit1/lesson.html"))
    assert "../_static/argmap.css" in page.hrefs
    assert "../index.html" in page.hrefs
    assert 'href="unit1/lesson.html"' in read(out, "index.html")
    svg = read(out, "unit1/lesson.svg")
    assert 'xlink:href="lesson.html#thesis"' in svg


def test_project_templates_override_the_defaults(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    base = (default_templates_dir() / "base.html").read_text(encoding="utf-8")
    (templates / "base.html").write_text(base.replace("All argument maps", "Our course"), "utf-8")
    out = tmp_path / "build"
    build([FIXTURES / "golden" / "all-relations.toml"], out, templates)
    assert "Our course" in read(out, "all-relations.html")
    assert "Our course" in read(out, "index.html")


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([FIXTURES / "golden" / "all-relations.toml"], out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "broken.toml"
    broken.write_text('[map]\ntitle = "x"\nthesis = "missing"\n', encoding="utf-8")
    with pytest.raises(InputError):
        build([broken], out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.glob(".build.*")] == [".build.lock"], "no temp folders"


def test_check_reads_without_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = tmp_path / "arguments"
    arguments.mkdir()
    (arguments / "m.toml").write_bytes((FIXTURES / "golden" / "all-relations.toml").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = check([Path("arguments")])
    assert not result.errors and len(result.graphs) == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["arguments", "m.toml"]


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        (
            "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
            3,
            "template error",
        ),
        (
            "{% extends 'base.html' %}\n{% block main %}\n{{ no_such_variable }}\n{% endblock %}\n",
            3,
            "no_such_variable",
        ),
    ],
)
def test_a_broken_project_template_is_reported_with_file_and_line(
    template: str, line: int, message: str, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.html").write_text(template, encoding="utf-8")
    out = tmp_path / "build"
    with pytest.raises(InputError) as caught:
        build([FIXTURES / "golden" / "all-relations.toml"], out, templates)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path.name == "index.html"
    assert diagnostic.position.line == line
    assert diagnostic.code == "AM007"
    assert message in diagnostic.message
    assert not out.exists()


def test_tooltips_and_spoken_titles_keep_the_authors_backslashes(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([FIXTURES / "golden" / "hostile-labels.toml"], out)
    root = ET.fromstring(read(out, "hostile-labels.svg"))
    titles = [str(t.text) for t in root.iter(f"{SVG}title")]
    tooltips = [str(a.get(XLINK_TITLE)) for a in root.iter(f"{SVG}a") if a.get(XLINK_TITLE)]
    wanted = "P2 (premise): Graphviz escapes \\N \\G \\l \\E \\T \\H and <b>html</b>"
    assert any(t.startswith(wanted) for t in titles)
    assert any(t.startswith(wanted) for t in tooltips)
    assert any(t == "C1 (claim): Ends with a backslash \\" for t in titles)


def test_a_statement_cannot_add_headings_to_the_page(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "c"\n[claim.c]\ntext = """# Big\\n\\nSetext\\n==="""\n',
        encoding="utf-8",
    )
    out = tmp_path / "build"
    build([path], out)
    page = Page(read(out, "m.html"))
    assert "h1" in page.tags and page.tags.count("h1") == 1  # only the map's title


def test_the_readme_picture_shows_the_current_seed_map(site: tuple[Path, ArgumentGraph]) -> None:
    """docs/images/russia-resets.svg is a copy of build/russia-resets.svg; refresh it with
    `./scripts/build-site && cp build/russia-resets.svg docs/images/` after editing the map."""
    out, _ = site

    def spoken(svg: str) -> list[str]:
        root = ET.fromstring(svg)
        return sorted(
            str(g.find(f"{SVG}title").text)  # type: ignore[union-attr]
            for g in root.iter(f"{SVG}g")
            if g.get("class") in ("node", "edge")
        )

    picture = (REPO / "docs" / "images" / "russia-resets.svg").read_text(encoding="utf-8")
    assert spoken(picture) == spoken(read(out, "russia-resets.svg"))
