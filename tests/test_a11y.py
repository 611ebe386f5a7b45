"""Accessibility of the built pages, checked in headless Chromium (issue 17, items 5 and 7).

axe-core (npm, installed into .venv by scripts/test) checks the index, a map page, a tag
page, a handout and a 300-statement map page against WCAG 2.2 A and AA, in the light and
the dark colour scheme, with the what-if panel open and the evaluated diagram shown so
that what is hidden at first is checked too. axe does not look inside SVG text, so the
contrast of every text of the diagrams against the box or frame it is drawn on is
measured here; so are the focus ring of every box, what each box says to a screen reader
and the titles that would make one hear a text twice.

Each page is opened from file:// under its own Content-Security-Policy; axe's script is
evaluated through the DevTools protocol, which that policy does not govern.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.build.pipeline import build
from argmap.cli import app
from argmap.config import Config

from .conftest import AXE_JS, FIXTURES, REPO, SEED_MAP

pytestmark = [pytest.mark.needs_dot, pytest.mark.needs_browser, pytest.mark.needs_axe]

SCHEMES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TEXT_CONTRAST = 4.5  # WCAG 1.4.3 (AA), for text of any size: the diagram's is small
FOCUS_CONTRAST = 3.0  # WCAG 1.4.11: a focus indicator against what surrounds it


def generated_map(nodes: int) -> str:
    """benchmarks/generate.py's map of ``nodes`` statements, as TOML."""
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return str(module.generate_map(nodes, 2.0, 1).to_toml())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed map, a tagged map in a folder, a 300-statement map, and a handout."""
    root = tmp_path_factory.mktemp("a11y")
    arguments = root / "arguments"
    (arguments / "unit1").mkdir(parents=True)
    shutil.copy(SEED_MAP, arguments / SEED_MAP.name)
    lesson = (FIXTURES / "golden" / "all-relations.toml").read_text(encoding="utf-8")
    (arguments / "unit1" / "lesson.toml").write_text(
        lesson.replace('title = "All relations"', 'title = "A lesson"\ntags = ["Russia"]'),
        encoding="utf-8",
    )
    (arguments / "gen-300.toml").write_text(generated_map(300), encoding="utf-8")
    out = root / "site"
    build([arguments], out, config=Config())
    handout = out / "handout.html"
    result = CliRunner().invoke(
        app, ["handout", str(SEED_MAP), "--out", str(handout), "--answer-key"]
    )
    assert result.exit_code == 0, result.output
    return out


PAGES = {
    "index": "index.html",
    "map": "russia-resets.html",
    "tag": "tags/russia.html",
    "handout": "handout.html",
    "map-300": "gen-300.html",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE_JS is not None
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Any]:
    """``open_page(url, scheme)``: a page in a context of its own, 1280 x 900, with the
    colour scheme the reader's system asks for."""
    contexts: list[Any] = []

    def opener(url: str, scheme: str = "light", width: int = 1280) -> Any:
        context = chromium.new_context(
            color_scheme=scheme, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_load_state("load")
        page.errors = errors
        return page

    yield opener
    for context in contexts:
        context.close()


def axe_violations(page: Any, axe_source: str) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return result.violations.map(v => v.id + ' (' + v.nodes.length + '): ' +
            v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +
              n.any.concat(n.all).map(c => c.message).join('; ')).join(' | '));
        }""",
        WCAG_TAGS,
    )
    return list(found)


def show_everything(page: Any) -> None:
    """Open what a map page hides at first: the what-if panel (with a statement
    rejected, so that changed badges show) and the evaluated diagram."""
    if page.locator("#_what-if").count():
        page.locator("#_what-if summary").click()
        page.locator("[data-whatif-panel]:not([hidden])").wait_for()
        page.locator("[data-whatif]").first.check()
    if page.locator("#_view-evaluated").count():
        page.locator("#_view-evaluated").check()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_wcag_violation(
    name: str, scheme: str, site: Path, open_page: Any, axe_source: str
) -> None:
    page = open_page((site / PAGES[name]).as_uri(), scheme)
    show_everything(page)
    assert page.errors == []  # (axe's own reading of the stylesheets the policy refuses)
    assert axe_violations(page, axe_source) == []
    if name == "map":  # and the plain diagram, before the switch
        page.locator("#_view-plain").check()
        assert axe_violations(page, axe_source) == []


# --------------------------------------------------------------------------- the diagram

# Each text of a diagram, with its colour and the colour of what it is drawn on: the
# filled shape before it in its node or section frame, else the diagram's background.
SVG_TEXT_COLOURS = """(root) => {
  const solid = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour && colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const page = solid(root.closest('.diagram-scroll, .diagram, figure, body'));
  const pairs = [];
  for (const text of root.querySelectorAll('text')) {
    if (!text.textContent.trim()) continue;
    let ground = page;
    const group = text.closest('g.node, g.cluster');
    if (group) {
      for (const shape of group.querySelectorAll('path, polygon, ellipse, rect')) {
        if (shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_PRECEDING) break;
        const fill = getComputedStyle(shape).fill;
        if (fill && fill !== 'none' && !fill.startsWith('url')) ground = fill;
      }
    }
    pairs.push([text.textContent, getComputedStyle(text).fill, ground]);
  }
  return pairs;
}"""


def rgb(colour: str) -> tuple[float, float, float]:
    """A computed CSS colour ("rgb(1, 2, 3)") as 0..1 components."""
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", colour)
    assert match, colour
    red, green, blue = (int(part) / 255 for part in match.groups())
    return red, green, blue


def luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two computed colours."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_says() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(0, 114, 178)", "rgb(220, 235, 247)") == pytest.approx(4.26, abs=0.01)
    assert contrast("rgb(213, 94, 0)", "rgb(252, 252, 252)") == pytest.approx(3.77, abs=0.01)


def low_contrast_texts(page: Any) -> list[str]:
    found = []
    for svg in page.locator(".diagram-scroll svg, svg.argmap-diagram").all():
        if not svg.is_visible():
            continue
        for text, colour, ground in svg.evaluate(SVG_TEXT_COLOURS):
            ratio = contrast(colour, ground)
            if ratio < TEXT_CONTRAST:
                found.append(f"{text!r}: {colour} on {ground}, {ratio:.2f}:1")
    return found


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["map", "map-300", "handout"])
def test_every_text_in_the_diagram_has_contrast(
    name: str, scheme: str, site: Path, open_page: Any
) -> None:
    page = open_page((site / PAGES[name]).as_uri(), scheme)
    assert page.locator("svg text").count() > 20
    assert low_contrast_texts(page) == []
    if page.locator("#_view-evaluated").count():
        page.locator("#_view-evaluated").check()
        assert low_contrast_texts(page) == []


# The first shape of a box (what its focus ring is drawn on), its stroke and width.
SHAPE_STROKE = """(link) => {
  const shape = link.querySelector('path, polygon, ellipse');
  const style = getComputedStyle(shape);
  return [shape.tagName, style.stroke, parseFloat(style.strokeWidth)];
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_box_shows_where_the_focus_is(scheme: str, site: Path, open_page: Any) -> None:
    page = open_page((site / PAGES["map"]).as_uri(), scheme)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.diagram-scroll')).backgroundColor"
    )
    links = page.locator(".diagram-scroll svg a[*|href]")
    assert links.count() == 39  # every statement of the seed map
    shapes = set()
    for k in range(links.count()):
        link = links.nth(k)
        tag, _, width = link.evaluate(SHAPE_STROKE)
        link.focus()
        assert page.evaluate("document.activeElement.matches('svg a')")
        focused_tag, stroke, focused_width = link.evaluate(SHAPE_STROKE)
        shapes.add(focused_tag)
        assert focused_width >= max(3.0, width + 1.5), (k, tag, width, focused_width)
        assert contrast(stroke, background) >= FOCUS_CONTRAST, (k, stroke, background)
    assert shapes == {"path", "polygon"}  # claims are paths, premises and rebuttals polygons


# --------------------------------------------------------------------------- what is spoken


def test_each_box_is_named_once_with_its_relations(site: Path, open_page: Any) -> None:
    page = open_page((site / PAGES["map"]).as_uri())
    groups = page.evaluate(
        """() => [...document.querySelectorAll(
            '.diagram-scroll svg g.node, .diagram-scroll svg g.edge')]
          .map(g => [
            g.getAttribute('class'), g.getAttribute('role'), g.getAttribute('aria-hidden'),
            [...g.querySelectorAll('a')].map(a => [
              a.hasAttribute('xlink:href'), a.getAttribute('aria-label') || '',
              a.hasAttribute('xlink:title')]),
          ])"""
    )
    names = []
    for kind, role, hidden, links in groups:
        if kind.split()[0] == "node" and links and links[0][0]:
            # A statement: its link names it, its group is silent.
            ((_, label, link_title),) = links
            assert (role, hidden, link_title) == ("none", None, False)
            names.append(label)
        else:  # an arrow or the "and" of linked premises: said by the boxes
            assert (role, hidden) == (None, "true")
            assert all(label == "" for _, label, _ in links)
    assert len(names) == 39
    assert any(n.startswith("C2 (claim): ") and "Supports C1." in n for n in names), names
    assert any(n.startswith("R1 (rebuttal): ") and " Attacks C" in n for n in names), names
    assert any("Attacked by R1" in n for n in names), names
    assert any("together with" in n for n in names), names


@pytest.mark.parametrize("name", ["index", "map", "tag", "map-300"])
def test_no_title_repeats_text_that_is_read_anyway(name: str, site: Path, open_page: Any) -> None:
    """A title that says what the element or the text next to it says is heard twice."""
    page = open_page((site / PAGES[name]).as_uri())
    repeated = page.evaluate(
        """() => [...document.querySelectorAll('body [title]')].filter(e => {
          const title = e.getAttribute('title').trim();
          const around = (e.parentElement || e).textContent;
          return title && around.includes(title);
        }).map(e => e.outerHTML.slice(0, 120))"""
    )
    assert repeated == []


# --------------------------------------------------------------------------- what if


def test_the_what_if_summary_speaks_once_the_reader_pauses(site: Path, open_page: Any) -> None:
    page = open_page((site / PAGES["map"]).as_uri())
    page.locator("#_what-if summary").click()
    summary = page.locator("#_whatif-summary")
    assert summary.inner_text().startswith("The map as written")
    page.evaluate(
        """() => {
          window.writes = 0;
          new MutationObserver(() => { window.writes += 1; }).observe(
            document.getElementById('_whatif-summary'), {childList: true, subtree: true});
        }"""
    )
    for box in page.locator("[data-whatif]").all()[:3]:  # three ticks in a row
        box.check()
    assert summary.get_attribute("aria-busy") == "true"
    page.locator("#_whatif-summary:not([aria-busy])").wait_for()
    assert summary.inner_text().startswith("You reject P1, P2 and P3.")
    assert page.evaluate("window.writes") == 1  # one new text: spoken once


def test_the_what_if_list_shows_every_text_in_full(site: Path, open_page: Any) -> None:
    page = open_page((site / PAGES["map"]).as_uri(), width=390)
    page.locator("#_what-if summary").click()
    texts = page.locator(".whatif-text")
    assert texts.count() == 24
    for k in range(texts.count()):
        cut = texts.nth(k).evaluate(
            """(e) => { const label = e.closest('label');
                 return label.scrollWidth > label.clientWidth + 1 ||
                   getComputedStyle(label).textOverflow === 'ellipsis'; }"""
        )
        assert not cut, k
    assert page.locator("[data-whatif] + label").first.get_attribute("title") is None
