"""End to end: build the seed map and read the HTML and SVG as a browser would."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from argmap.analysis import _explain as plain
from argmap.analysis.evaluate import Label, browser_model, evaluate
from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import build, check
from argmap.diagnostics import InputError
from argmap.markdown import to_plain
from argmap.model import NodeKind
from argmap.render.site import default_templates_dir, script_json

from .conftest import FIXTURES, REPO, SEED_MAP

pytestmark = pytest.mark.needs_dot

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


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
    out, graph = site
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    shipped = default_templates_dir() / "static"
    static = sorted(f"_static/{p.relative_to(shipped).as_posix()}" for p in shipped.rglob("*"))
    assert {"_static/argmap.css", "_static/search.js", "_static/whatif.js"} <= set(static)
    assert "_static/zoom.js" in static
    assert names == [
        ".argmap-output",
        ".nojekyll",
        *static,
        "index.html",
        "russia-resets.evaluated.svg",
        "russia-resets.html",
        "russia-resets.svg",
        "search-index.js",
        *sorted(f"tags/{tag}.html" for tag in graph.map.tags),
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
            if href.startswith("#") or href == "data:,":  # (data:, is the empty favicon)
                continue
            assert not re.match(r"[a-z]+:|/", href), f"{name}: {href} is not relative"
            target = (out / name).parent / href.split("#")[0]
            assert target.is_file(), f"{name}: {href} is broken"


def test_page_loads_only_its_own_script_under_a_strict_content_security_policy(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, _ = site
    html = read(out, "russia-resets.html")
    page = Page(html)
    policies = [
        str(a.get("content"))
        for a in page.attrs_by_tag["meta"]
        if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(policies) == 1
    directives = dict(d.strip().partition(" ")[::2] for d in policies[0].split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # external files only: no inline script
    assert "unsafe-inline" not in policies[0] and "unsafe-eval" not in policies[0]
    scripts = page.attrs_by_tag["script"]
    assert [s.get("src") for s in scripts if s.get("src")] == [
        "_static/whatif.js",
        "_static/zoom.js",
        "_static/print.js",
    ]
    data_blocks = [s for s in scripts if not s.get("src")]
    assert [(s.get("type"), s.get("id")) for s in data_blocks] == [("application/json", "_whatif")]
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "no inline event handlers"
    index = Page(read(out, "index.html"))
    index_scripts = index.attrs_by_tag["script"]
    assert [s.get("src") for s in index_scripts] == ["search-index.js", "_static/search.js"]


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
    leftovers = sorted(p.name for p in tmp_path.glob(".build.*"))
    assert leftovers == [".build.cache", ".build.lock"], "no temp folders"


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
    tooltips = [str(a.get("aria-label")) for a in root.iter(f"{SVG}a") if a.get("aria-label")]
    wanted = "P2 (premise): Graphviz escapes \\N \\G \\l \\E \\T \\H and <b>html</b>"
    assert any(t.startswith(wanted) for t in titles)
    assert any(t.startswith(wanted) for t in tooltips)
    assert any(t.startswith("C1 (claim): Ends with a backslash \\. ") for t in titles)


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


# --------------------------------------------------------------------------- the evaluation


def section(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def svg_elements(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)]


def node_texts(root: ET.Element) -> dict[str, str]:
    """The visible text of each diagram node, by the number it starts with."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            texts = [str(t.text) for t in group.iter(f"{SVG}text")]
            if texts and texts[0][0] in "CPR":
                found[texts[0].split(" ")[0]] = " ".join(texts)
    return found


def layer_texts(root: ET.Element, view: str) -> dict[str, str]:
    """The visible text of each node of the page's one diagram in a view ("kind" for
    the map as written, "badge" for the evaluated map): the other layer's tspans left out."""
    hidden = "am-badge" if view == "kind" else "am-kind"
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class", "").split()[:1] == ["node"]:
            texts = []
            for text in group.iter(f"{SVG}text"):
                parts = [text.text or ""]
                for span in text:
                    if span.get("class") != hidden:
                        parts.append(span.text or "")
                texts.append("".join(parts))
            if texts and texts[0][0] in "CPR":
                found[texts[0].split(" ")[0]] = " ".join(texts)
    return found


def test_the_page_has_one_diagram_with_the_evaluation_as_a_layer(
    site: tuple[Path, ArgumentGraph],
) -> None:
    """Issue 17: one SVG per page; the evaluated view is a layer of the same drawing."""
    out, graph = site
    html = read(out, "russia-resets.html")
    (diagram,) = svg_elements(html)
    assert diagram.get("aria-labelledby") == "_svg_title _svg_desc"
    plain_text, evaluated_text = layer_texts(diagram, "kind"), layer_texts(diagram, "badge")
    assert set(plain_text) == set(evaluated_text) == set(graph.numbers.values())
    assert plain_text["C1"].startswith("C1 · THESIS ")
    assert evaluated_text["C1"].startswith("C1 · ✓ IN ")
    assert evaluated_text["R1"].startswith("R1 · ✗ OUT ")
    assert evaluated_text["R3"].startswith("R3 · ✗ OUT ")
    classes = {g.get("id"): g.get("class") for g in diagram.iter(f"{SVG}g")}
    assert classes["_svg_R1"] == "node am-out" and classes["_svg_C1"] == "node am-in"
    # the standalone files: the plain diagram, clean, and the evaluated one beside it
    standalone = ET.fromstring(read(out, "russia-resets.svg"))
    assert node_texts(standalone) == plain_text
    assert "am-" not in read(out, "russia-resets.svg")
    evaluated_file = node_texts(ET.fromstring(read(out, "russia-resets.evaluated.svg")))
    assert evaluated_file["C1"].startswith("C1 · THESIS · ✓ IN ")
    assert evaluated_file["R1"].startswith("R1 · REBUTTAL · ✗ OUT ")


def test_out_is_dashed_and_grey_in_the_evaluated_diagram(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, _ = site
    root = ET.fromstring(read(out, "russia-resets.evaluated.svg"))
    shapes = {}
    for group in root.iter(f"{SVG}g"):
        outline = [e for e in group.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon")]
        if group.get("class") == "node" and outline:  # (an independent reason is a dot)
            shapes[group.get("id", "").removeprefix("_svg_e_")] = outline[0]
    assert shapes["R1"].get("stroke-dasharray") and shapes["R3"].get("stroke-dasharray")
    assert shapes["R1"].get("fill", "").lower() == "#e6e6e6"
    assert not shapes["C1"].get("stroke-dasharray") and not shapes["R2"].get("stroke-dasharray")
    spoken = {
        g.get("id"): str(g.find(f"{SVG}title").text)  # type: ignore[union-attr]
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node" and g.find(f"{SVG}title") is not None
    }
    assert spoken["_svg_e_R3"].endswith("[OUT: rebutted by R4, which stands]")


def test_the_view_switch_is_two_labelled_radio_buttons_before_the_views(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, _ = site
    html = read(out, "russia-resets.html")
    page = Page(html)
    radios = [a for a in page.attrs_by_tag["input"] if a.get("type") == "radio"]
    assert [(r.get("id"), r.get("name"), "checked" in r) for r in radios] == [
        ("_view-plain", "_view", True),  # the plain map is the default
        ("_view-evaluated", "_view", False),
    ]
    labels = {a.get("for") for a in page.attrs_by_tag["label"]}
    assert {"_view-plain", "_view-evaluated"} <= labels
    diagram = section(html, 'id="_diagram"', 'id="_outline"')
    # CSS switches with the sibling combinator: the radios come first, then the view
    assert diagram.index('id="_view-evaluated"') < diagram.index('class="view"')
    assert diagram.count("<svg") == 1
    css = read(out, "_static/argmap.css")
    assert ".argmap-diagram .am-badge, .legend-status { display: none; }" in css
    assert "#_view-evaluated:checked ~ .view .am-kind { display: none; }" in css
    assert "#_view-evaluated:checked ~ .view .am-badge { display: inline; }" in css
    assert "#_view-evaluated:checked ~ .view .am-out :is(polygon, path) {" in css


def test_what_stands_follows_the_diagram_with_the_thesis_then_claims_and_rebuttals_by_label(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, graph = site
    html = read(out, "russia-resets.html")
    order = [html.index(f'id="{x}"') for x in ("_diagram", "_stands", "_outline", "_statements")]
    assert order == sorted(order)  # issue 17: the diagram first
    assert html.index("</header>") < order[0]
    stands = section(html, 'id="_stands"', 'id="_outline"')
    evaluation = evaluate(graph)
    thesis = graph.map.thesis
    listed = re.findall(r'data-badge="([^"]+)"', section(stands, "", 'id="_what-if"'))
    assert listed[0] == thesis
    expected = [
        node_id
        for label in (Label.IN, Label.OUT, Label.UNDEC)
        for node_id in graph.numbers
        if node_id != thesis
        and graph.nodes[node_id].kind is not NodeKind.PREMISE
        and evaluation.labels[node_id] is label
    ]
    assert listed[1:] == expected
    groups = re.findall(r'data-group="(\w+)"( hidden)?', stands)
    assert groups == [("IN", ""), ("OUT", ""), ("UNDEC", " hidden")]  # nothing is undecided
    falls = section(stands, 'data-group="OUT"', 'data-group="UNDEC"')
    assert 'href="#pragmatism-heals"' in falls and 'href="#engagement-not-failing"' in falls
    assert "no reason holds (the step from C8 is undercut by R2, which stands)" in falls
    assert re.search(r'data-count="IN">37<', stands) and re.search(r'data-count="OUT">2<', stands)


def test_every_statement_shows_its_badge_and_explanation(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, graph = site
    html = read(out, "russia-resets.html")
    statements = section(html, 'id="_statements"', "</article>")
    evaluation = evaluate(graph)
    for node_id, label in evaluation.labels.items():
        start = statements.index(f'<section id="{node_id}"')
        node = statements[start : statements.index("</section>", start)]
        badge = plain.badge(graph, evaluation.labels, node_id)
        why = evaluation.explanations[node_id].removeprefix(f"{label.value}: ")
        assert f'data-badge="{node_id}">{badge}</span>' in node
        assert f'data-why="{node_id}">{escape(why, quote=False)}</span>' in node


def test_the_what_if_panel_lists_the_statements_taken_as_given(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, graph = site
    html = read(out, "russia-resets.html")
    panel = section(html, 'id="_what-if"', "</details>")
    given = [n for n in graph.numbers if not graph.reasons_for.get(n)]
    assert re.findall(r'data-whatif="([^"]+)"', panel) == given
    assert panel.count('type="checkbox"') == len(given)
    for node_id in given:
        assert f'<label for="_wi_{node_id}"' in panel
    assert "<button" in panel and "data-whatif-reset" in panel
    assert 'aria-live="polite"' in panel
    assert "needs JavaScript" in panel  # shown until the script takes over
    assert re.search(r"<div[^>]*data-whatif-panel[^>]*hidden", panel)
    assert "diagram does not change" in panel


def test_the_what_if_data_is_the_browser_model_of_the_map(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, graph = site
    html = read(out, "russia-resets.html")
    data = re.search(r'<script type="application/json" id="_whatif">(.*?)</script>', html, re.S)
    assert data is not None
    model = json.loads(data.group(1))
    assert model == browser_model(graph) | {
        "thesis": graph.map.thesis,
        "texts": [to_plain(graph.nodes[n].text) for n in graph.numbers],
    }


HOSTILE = """\
[map]
title = "Hostile </script><script>alert(1)</script>"
thesis = "c"

[claim.c]
text = "Ends the block </script><script>alert(1)</script> and <!-- opens a comment <script>"
supports = "c"
"""


def test_map_text_cannot_break_out_of_the_what_if_data(tmp_path: Path) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(
        HOSTILE.replace('supports = "c"\n', "")
        + '[premise.p]\ntext = "A & B > C </SCRIPT ><!-- x"\nsupports = "c"\n',
        encoding="utf-8",
    )
    out = tmp_path / "build"
    build([path], out)
    html = read(out, "hostile.html")
    page = Page(html)
    assert len(page.attrs_by_tag["script"]) == 4  # the three script files and the data
    assert "<script>alert" not in html.lower().replace(" ", "")
    blocks = re.findall(r'<script type="application/json" id="_whatif">(.*?)</', html, re.S)
    assert len(blocks) == 1
    assert not re.search(r"[<>&]", blocks[0])
    model = json.loads(blocks[0])
    assert model["texts"] == [
        "Ends the block </script><script>alert(1)</script> and <!-- opens a comment <script>",
        "A & B > C </SCRIPT ><!-- x",
    ]


def test_script_json_escapes_what_could_end_or_comment_the_block() -> None:
    text = str(script_json({"a": "</script><!--<script>&x", "b": [1, "ü"]}))
    assert text == (
        '{"a":"\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u0026x","b":[1,"ü"]}'
    )
    assert json.loads(text) == {"a": "</script><!--<script>&x", "b": [1, "ü"]}


def test_the_page_shows_grounded_whatever_the_expected_semantics(tmp_path: Path) -> None:
    """Floating acceptance: preferred accepts C1, grounded leaves it undecided."""
    path = tmp_path / "floating.toml"
    path.write_text(
        """\
[map]
title = "Floating"
thesis = "c1"

[claim.c1]
text = "The claim."

[rebuttal.r1]
text = "One."
attacks = ["r2", "r3"]

[rebuttal.r2]
text = "Two."
attacks = ["r1", "r3"]

[rebuttal.r3]
text = "Three."
attacks = "c1"

[expect]
semantics = "preferred"
in = ["c1"]
out = ["r3"]
""",
        encoding="utf-8",
    )
    out = tmp_path / "build"
    build([path], out)
    html = read(out, "floating.html")
    stands = section(html, 'id="_stands"', 'id="_what-if"')
    assert 'data-badge="c1">? undecided (UNDEC)</span>' in stands
    assert "preferred" not in html
    assert "contested" not in html
    evaluated = layer_texts(svg_elements(html)[0], "badge")
    assert evaluated["C1"].startswith("C1 · ? UNDEC")


def test_the_svg_keeps_its_default_namespace_when_another_writer_registered_one() -> None:
    """ElementTree's prefix registry is global: the GraphML export registers its own
    default namespace, which must not turn the page's <svg> into <ns0:svg>."""
    from argmap.render.svg import finish_svg

    ET.register_namespace("", "http://graphml.graphdrawing.org/xmlns")
    svg = finish_svg(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<g id="graph0" class="graph"><a xlink:href="m.html#c"/></g></svg>',
        title="t",
        description="d",
        tooltips={},
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'xlink:href="m.html#c"' in svg and "ns0" not in svg


@pytest.mark.needs_dot
def test_build_with_handouts_links_them_from_the_map_page(tmp_path: Path) -> None:
    arguments = tmp_path / "arguments" / "unit1"
    arguments.mkdir(parents=True)
    (arguments / "lesson.toml").write_bytes(
        (FIXTURES / "golden" / "all-relations.toml").read_bytes()
    )
    out = tmp_path / "build"
    build([tmp_path / "arguments"], out, handouts=True)
    names = sorted(p.name for p in (out / "handouts" / "unit1").iterdir())
    assert names == [
        "lesson-a4-blanks.html",
        "lesson-a4.html",
        "lesson-letter-blanks.html",
        "lesson-letter.html",
    ]
    page = Page(read(out, "unit1/lesson.html"))
    assert "../handouts/unit1/lesson-letter-blanks.html" in page.hrefs
    blanks = read(out, "handouts/unit1/lesson-a4-blanks.html")
    assert "size: A4" in blanks or "size: 210mm 297mm" in blanks
    assert "An independent premise." in blanks  # in the claim bank and the answer key


def test_cited_nodes_are_relative_links_that_resolve_from_every_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "build"
    build([FIXTURES / "cites"], out)
    seen = 0
    for page_file in sorted(out.rglob("*.html")):
        html = page_file.read_text(encoding="utf-8")
        for href in re.findall(r'<a class="cite" href="([^"]+)"', html):
            seen += 1
            assert not href.startswith(("/", "http")), href
            target, _, anchor = href.partition("#")
            resolved = (page_file.parent / target).resolve()
            assert resolved.is_file() and out.resolve() in resolved.parents, href
            assert anchor in Page(resolved.read_text(encoding="utf-8")).ids, href
    assert seen == 3
    late = (out / "unit1" / "late-buses.html").read_text(encoding="utf-8")
    assert '<a class="cite" href="../night-buses.html#riders"' in late
    assert '<a class="cite" href="../unit2/transport.html#shift-work"' in late
    # the cited map's title (escaped), the cited node's number and its plain text
    assert "Transport for &lt;shift&gt; workers, P1</a>" in late
    assert "</a> Many hospital and warehouse shifts end after midnight.<" in late
    top = (out / "night-buses.html").read_text(encoding="utf-8")
    assert '<a class="cite" href="unit2/transport.html#shift-work"' in top


def test_a_statements_section_is_on_its_card_and_in_the_legend(tmp_path: Path) -> None:
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "sections.toml").write_bytes((FIXTURES / "golden" / "sections.toml").read_bytes())
    build([maps], tmp_path / "build")
    html = read(tmp_path / "build", "sections.html")

    def card(node_id: str) -> str:
        start = html.index(f'<section id="{node_id}"')
        return html[start : html.index("</section>", start)]

    assert '<dd class="section-name">Health &#34;and&#34; safety \\N \\\\ ]; pwn</dd>' in card(
        "traffic"
    )
    assert "Section</dt>" not in card("thesis")
    legend = html[html.index('<div class="legend" aria-label="Legend">') :]
    assert "swatch-section" in legend[: legend.index("</ul>")]


def test_a_map_without_sections_has_no_section_in_its_legend(
    site: tuple[Path, ArgumentGraph],
) -> None:
    out, _ = site
    assert "swatch-section" not in read(out, "russia-resets.html")


def test_the_counts_under_the_title_are_singular_for_one(tmp_path: Path) -> None:
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "one.toml").write_text(
        '[map]\ntitle = "One"\nthesis = "c"\n\n[claim.c]\ntext = "Run late buses."\n\n'
        '[premise.p]\ntext = "People ride them."\nsupports = "c"\n',
        encoding="utf-8",
    )
    build([maps], tmp_path / "build")
    html = read(tmp_path / "build", "one.html")
    assert "1 claim · 1 premise · 0 rebuttals · 1 relation</p>" in html


def test_a_project_base_template_without_a_block_the_pages_fill_is_refused(
    tmp_path: Path,
) -> None:
    # Without {% block head %} Jinja would drop the map page's scripts (what-if, zoom).
    templates = tmp_path / "templates"
    templates.mkdir()
    own = (default_templates_dir() / "base.html").read_text(encoding="utf-8")
    assert "{% block head %}{% endblock %}" in own
    (templates / "base.html").write_text(
        own.replace("{% block head %}{% endblock %}", ""), encoding="utf-8"
    )
    out = tmp_path / "build"
    with pytest.raises(InputError) as caught:
        build([FIXTURES / "golden" / "all-relations.toml"], out, templates)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "AM007"
    assert diagnostic.path == templates / "base.html"
    assert "base.html has no {% block head %}, which map.html fills" in diagnostic.message
    assert "{% block head %}{% endblock %}" in diagnostic.hint
    assert not out.exists()


def test_a_project_base_template_with_every_block_and_more_is_fine(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    own = (default_templates_dir() / "base.html").read_text(encoding="utf-8")
    (templates / "base.html").write_text(
        own.replace("{% block main %}", "{% block banner %}{% endblock %}{% block main %}"),
        encoding="utf-8",
    )
    build([FIXTURES / "golden" / "all-relations.toml"], tmp_path / "build", templates)
    assert (tmp_path / "build" / "all-relations.html").is_file()


def test_each_outline_entry_with_children_folds_and_counts_them(
    site: tuple[Path, ArgumentGraph],
) -> None:
    """Issue 17: sub-trees fold (no script needed) and say how much they hold."""
    out, graph = site
    outline = section(read(out, "russia-resets.html"), 'id="_outline"', 'id="_statements"')
    counts = [int(n) for n in re.findall(r'class="outline-fold" open><summary>(\d+) entr', outline)]
    parents = [item for item in graph.outline if item.size > 1]
    assert counts == [item.size - 1 for item in parents]
    assert counts[0] == graph.outline[0].size - 1  # the thesis holds all of its tree
    assert outline.count("<details") == outline.count("</details>")
