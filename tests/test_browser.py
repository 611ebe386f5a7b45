"""The built site in a real browser (headless Chromium driven by Playwright).

Needs Debian's `chromium` (scripts/test installs it) and the `playwright` Python package;
no browser is downloaded. Marked `needs_browser`: skipped with a reason where Chromium is
missing, and an error in CI, where every test must run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.analysis.evaluate import Status, evaluate
from argmap.analysis.graph import build_graph
from argmap.build.pipeline import build
from argmap.config import Config
from argmap.model.load import load_map
from argmap.model.validate import validate_map

from .conftest import FIXTURES, SEED_MAP

pytestmark = [pytest.mark.needs_dot, pytest.mark.needs_browser]

SECOND_MAP = (FIXTURES / "golden" / "all-relations.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed map, and a second map in a folder with a tag of its own and one shared
    with the seed map (so there are tag pages, a folder and nested links)."""
    root = tmp_path_factory.mktemp("served")
    out = root / "some" / "prefix"
    out.parent.mkdir(parents=True)
    arguments = root / "arguments"
    (arguments / "unit1").mkdir(parents=True)
    shutil.copy(SEED_MAP, arguments / SEED_MAP.name)
    (arguments / "unit1" / "lesson.toml").write_text(
        SECOND_MAP.replace(
            'title = "All relations"', 'title = "A lesson"\ntags = ["Russia", "Övning"]'
        ),
        encoding="utf-8",
    )
    build([arguments], out, config=Config())
    assert (out / "unit1" / "lesson.html").is_file() and (out / "tags").is_dir()
    return out


@pytest.fixture(scope="module")
def server(site: Path, serve_folder: Callable[[Path], str]) -> str:
    """The folder above /some/prefix/ on 127.0.0.1, as a site in a subfolder."""
    return serve_folder(site.parent.parent) + "some/prefix/"


class Visit:
    """A page opened in a fresh tab, with everything that went wrong recorded."""

    def __init__(self, browser: object, url: str) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page()  # type: ignore[attr-defined]
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: self.errors.append(f"dialog: {dialog.message}"))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def _console(self, message: object) -> None:
        if message.type in ("error", "warning"):  # type: ignore[attr-defined]
            self.errors.append(message.text)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.page.close()


def page_urls(base: str, site: Path) -> list[str]:
    return [base + p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))]


@pytest.mark.parametrize("where", ["http", "file"])
def test_every_page_loads_cleanly_and_stays_on_the_site(
    where: str, site: Path, server: str, chromium: object
) -> None:
    base = server if where == "http" else site.as_uri() + "/"
    origin = server.split("/some/")[0] if where == "http" else "file://"
    for url in page_urls(base, site):
        visit = Visit(chromium, url)
        try:
            assert visit.errors == [], url
            assert visit.failed == [], url
            assert all(r.startswith(origin) for r in visit.requests), visit.requests
        finally:
            visit.close()


def test_every_internal_link_and_permalink_resolves(
    site: Path, server: str, chromium: object
) -> None:
    links: set[str] = set()
    ids: dict[str, set[str]] = {}  # the ids of each document opened, by its address

    def open_document(url: str) -> object:
        visit = Visit(chromium, url)
        try:
            assert visit.errors == [] and visit.failed == [], url
            ids[url] = set(visit.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
            return visit.page.eval_on_selector_all(
                "a[href], svg a", "els => els.map(e => e.href.baseVal ?? e.href)"
            )
        finally:
            visit.close()

    for url in page_urls(server, site):
        links |= set(open_document(url))  # type: ignore[call-overload]
    internal = {link for link in links if link.startswith(server)}
    assert internal
    documents = {link.partition("#")[0] for link in internal}
    for document in sorted(documents - set(ids)):  # each linked document opened once
        open_document(document)
    for link in sorted(internal):
        document, _, fragment = link.partition("#")
        assert not fragment or fragment in ids[document], link


def test_clicking_a_diagram_node_brings_its_section_into_view(
    server: str, chromium: object
) -> None:
    visit = Visit(chromium, server + "russia-resets.html")
    try:
        page = visit.page
        page.set_viewport_size({"width": 1280, "height": 800})
        section = page.locator("[id='no-reciprocity']")
        assert not section.is_visible() or section.bounding_box()["y"] > 800
        page.locator("svg a[*|href$='#no-reciprocity']").first.click()
        page.wait_for_function("location.hash === '#no-reciprocity'")
        box = section.bounding_box()
        assert box is not None and 0 <= box["y"] < 800
    finally:
        visit.close()


def test_a_screenshot_of_the_seed_map_is_not_blank(
    server: str, chromium: object, tmp_path: Path
) -> None:
    shots = {}
    for name, url in (("blank", "about:blank"), ("seed", server + "russia-resets.html")):
        visit = Visit(chromium, url)
        try:
            visit.page.set_viewport_size({"width": 1280, "height": 1600})
            shots[name] = visit.page.screenshot(full_page=False)
        finally:
            visit.close()
    (tmp_path / "seed.png").write_bytes(shots["seed"])
    if os.environ.get("ARGMAP_KEEP_SCREENSHOTS"):
        shutil.copy(tmp_path / "seed.png", Path(os.environ["ARGMAP_KEEP_SCREENSHOTS"]))
    # A blank page of the same size compresses to a few kilobytes; text and a diagram
    # do not. The ratio is far above 10 on a real page.
    assert len(shots["seed"]) > 10 * len(shots["blank"]), (len(shots["seed"]), len(shots["blank"]))


# --------------------------------------------------------------------------- the evaluation


def visible_diagram(page: object) -> list[str]:
    """Which view of the page's one diagram can be seen: "plain" or "evaluated"."""
    assert page.locator(".argmap-diagram").count() == 1  # type: ignore[attr-defined]
    shown = page.evaluate(  # type: ignore[attr-defined]
        """() => ["am-kind", "am-badge"].map(c => getComputedStyle(
            document.querySelector(".argmap-diagram ." + c)).display !== "none")"""
    )
    return [view for view, seen in zip(("plain", "evaluated"), shown, strict=True) if seen]


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_what_if_script_runs_under_the_content_security_policy(
    where: str, site: Path, server: str, chromium: object
) -> None:
    base = server if where == "http" else site.as_uri() + "/"
    visit = Visit(chromium, base + "russia-resets.html")
    try:
        page = visit.page
        page.locator("#_what-if summary").click()
        page.wait_for_function("!document.querySelector('[data-whatif-panel]').hidden")
        assert not page.locator("[data-whatif-nojs]").is_visible()
        summary = page.locator("#_whatif-summary").inner_text()
        assert summary == "The map as written: the thesis C1 stands (IN)."
        assert visit.errors == [] and visit.failed == []
    finally:
        visit.close()


def test_the_toggle_shows_the_evaluated_diagram_by_mouse_and_keyboard(
    server: str, chromium: object
) -> None:
    visit = Visit(chromium, server + "russia-resets.html")
    try:
        page = visit.page
        assert visible_diagram(page) == ["plain"]  # the default view
        page.get_by_text("The evaluated map: what stands").click()
        assert visible_diagram(page) == ["evaluated"]
        badge = page.locator("[id='_svg_R1'] .am-badge")
        assert badge.is_visible() and badge.text_content() == "✗ OUT"
        assert not page.locator("[id='_svg_R1'] .am-kind").is_visible()
        dashed = "e => getComputedStyle(e.querySelector('polygon, path')).strokeDasharray"
        assert page.locator("[id='_svg_R1']").evaluate(dashed) not in ("", "none")
        page.get_by_label("The map as written").focus()
        assert page.evaluate("document.activeElement.id") == "_view-plain"
        assert visible_diagram(page) == ["evaluated"]
        page.keyboard.press("ArrowRight")  # arrows move within a radio group
        page.keyboard.press("ArrowLeft")
        assert page.get_by_label("The map as written").is_checked()
        assert visible_diagram(page) == ["plain"]
        page.keyboard.press("ArrowRight")
        assert visible_diagram(page) == ["evaluated"]
        assert visit.errors == []
    finally:
        visit.close()


def test_without_javascript_the_toggle_works_and_the_panel_says_it_needs_it(
    site: Path, chromium: object
) -> None:
    context = chromium.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(site.as_uri() + "/russia-resets.html")
        page.locator("#_what-if summary").click()
        assert page.locator("[data-whatif-nojs]").is_visible()
        assert "needs JavaScript" in page.locator("[data-whatif-nojs]").inner_text()
        assert not page.locator("[data-whatif-panel]").is_visible()
        page.get_by_label("The evaluated map: what stands").check()
        assert visible_diagram(page) == ["evaluated"]
    finally:
        context.close()


def badges(page: object) -> dict[str, str]:
    """The label on every statement's section, by node id: the formal label, in
    brackets after the plain words ("✗ defeated by R4 (OUT)")."""
    found = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#_statements [data-badge]", "els => els.map(e => [e.dataset.badge, e.textContent])"
    )
    return {node_id: text.rpartition("(")[2].rstrip(")") for node_id, text in found}


def summary_after_pause(page: object) -> str:
    """The what-if summary, once written: it waits for the reader to pause (aria-busy)."""
    # a locator waits without evaluating a string, which the page's policy forbids
    page.locator("#_whatif-summary:not([aria-busy])").wait_for()  # type: ignore[attr-defined]
    return str(page.locator("#_whatif-summary").inner_text())  # type: ignore[attr-defined]


def test_rejecting_a_statement_changes_the_labels_as_python_says(
    server: str, chromium: object
) -> None:
    argument_map = load_map(SEED_MAP, SEED_MAP.stem)
    validate_map(argument_map)
    graph = build_graph(argument_map)

    def expected(rejected: str | None) -> dict[str, str]:
        statuses = {rejected: Status.REJECTED} if rejected else {}
        return {n: label.value for n, label in evaluate(graph, statuses=statuses).labels.items()}

    visit = Visit(chromium, server + "russia-resets.html")
    try:
        page = visit.page
        stands = page.locator("#_stands .stands-thesis [data-badge]")
        assert badges(page) == expected(None)
        assert stands.inner_text() == "✓ stands (IN)"
        page.locator("#_what-if summary").click()
        # R2, the author's reply, undercuts R1's reason: without it R1 stands and the
        # thesis falls.
        page.get_by_label("R2 Reply: the current outreach").check()
        assert badges(page) == expected("not-a-reset")
        assert stands.inner_text() == "✗ defeated by R1 (OUT)"
        summary = summary_after_pause(page)
        assert summary.startswith("You reject R2. The thesis C1 is now defeated by R1 (OUT).")
        assert "R1 from ✗ left without support (OUT) to ✓ stands (IN)" in summary
        assert "R2 from ✓ stands (IN) to ✗ rejected by you (OUT)" in summary
        thesis_link = page.locator("#_whatif-summary a[href='#resets-fail']")
        assert thesis_link.inner_text() == "C1"
        assert str(thesis_link.get_attribute("title")).startswith("Offering 'resets' to Russia")
        assert page.locator("#_whatif-summary").get_attribute("aria-live") == "polite"
        stood = page.locator("[data-group='IN'] li[data-node='pragmatism-heals']")
        assert stood.count() == 1, "R1 moved to the statements that stand"
        why = page.locator("#resets-fail [data-why]").inner_text()
        assert why.startswith("as written: IN, supported by C2 (IN)")
        page.get_by_role("button", name="Reset to the map as written").click()
        assert badges(page) == expected(None)
        assert page.locator("[data-group='OUT'] li[data-node='pragmatism-heals']").count() == 1
        # a premise: P1 takes C2 down with it
        page.get_by_label("P1 Western reset offers").check()
        assert badges(page) == expected("western-terms")
        assert page.locator("#western-terms [data-badge]").inner_text() == (
            "✗ rejected by you (OUT)"
        )
        assert page.locator("#mismatch [data-badge]").inner_text() == (
            "✗ left without support (OUT)"
        )
        assert page.locator("[data-group='OUT'] li[data-node='mismatch']").count() == 1  # C2
        assert visit.errors == [] and visit.failed == []
        assert all(r.startswith(server.split("/some/")[0]) for r in visit.requests)
    finally:
        visit.close()


HOSTILE = """\
[map]
title = "Hostile </script><script>alert(1)</script>"
thesis = "c"

[claim.c]
text = "Ends the block </script><script>alert(2)</script> and <!-- opens a comment"

[premise.p]
text = "<img src=x onerror=alert(3)> & </SCRIPT ><!-- x"
supports = "c"
"""


def test_hostile_map_text_stays_text_in_the_what_if_panel(tmp_path: Path, chromium: object) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "build"
    build([path], out)
    visit = Visit(chromium, (out / "hostile.html").as_uri())
    try:
        page = visit.page
        page.locator("#_what-if summary").click()
        page.locator("#_wi_p").check()
        link = page.locator("#_whatif-summary a[href='#p']")
        assert link.get_attribute("title") == "<img src=x onerror=alert(3)> & </SCRIPT ><!-- x"
        assert page.locator("#c [data-badge]").inner_text() == "✗ left without support (OUT)"
        assert page.locator("img").count() == 0
        assert visit.errors == [], "no dialog opened, no error"
    finally:
        visit.close()


# --------------------------------------------------------------------------- the site


def test_the_pages_include_tag_pages_and_a_map_in_a_folder(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert {"index.html", "russia-resets.html", "unit1/lesson.html", "tags/russia.html"} <= names
    assert "tags/ovning.html" in names


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_filter_finds_a_statement_by_a_word_of_its_text(
    where: str, site: Path, server: str, chromium: object
) -> None:
    base = server if where == "http" else site.as_uri() + "/"
    visit = Visit(chromium, base + "index.html")
    try:
        page = visit.page
        search = page.get_by_label("Filter maps and statements")
        assert search.is_visible()
        cards = page.locator("li.map-card")
        assert cards.count() == 2
        search.fill("navalny")  # lower case: the filter ignores case (and accents)
        hit = page.locator("a.search-hit")
        hit.first.wait_for()
        assert hit.count() == 1
        assert hit.first.get_attribute("href") == "russia-resets.html#outreach-progress"
        assert "Navalny's poisoning" in hit.first.inner_text()
        assert page.locator("li.map-card:visible").count() == 1
        assert page.locator("h2.folder").is_hidden()  # unit1/ has no match
        assert page.locator("#_search-status").inner_text() == "1 of 2 maps match; 1 statements"
        search.fill("ovning")  # a tag, without its accent
        assert page.locator("li.map-card:visible").count() == 1
        assert page.locator("li.map-card:visible h2").inner_text() == "A lesson"
        search.fill("no such words here")
        assert page.locator("[data-search-none]").is_visible()
        search.fill("navalny")
        hit.first.click()
        page.wait_for_url("**/russia-resets.html#outreach-progress")
        box = page.locator("[id='outreach-progress']").bounding_box()
        assert box is not None and 0 <= box["y"] < 800
        assert visit.errors == [] and visit.failed == []
    finally:
        visit.close()


def level_of(page: object) -> float:
    return float(page.locator("[data-zoom-level]").inner_text().rstrip("%"))  # type: ignore[attr-defined]


def test_the_diagram_zooms_and_pans_by_buttons_and_keys(server: str, chromium: object) -> None:
    visit = Visit(chromium, server + "russia-resets.html")
    try:
        page = visit.page
        page.set_viewport_size({"width": 1000, "height": 800})
        page.reload()
        scroller = page.locator(".diagram-scroll")
        svg = page.locator(".argmap-diagram")

        def width() -> float:
            return float(svg.evaluate("e => e.getBoundingClientRect().width"))

        page.get_by_role("button", name="Reading size").click()
        start = width()
        assert level_of(page) == 100
        page.get_by_role("button", name="Zoom in").click()
        assert width() == pytest.approx(start * 1.25, rel=0.02)
        assert level_of(page) == 125
        page.get_by_role("button", name="Zoom out").click()
        page.get_by_role("button", name="Zoom out").click()
        assert level_of(page) == 80
        page.get_by_role("button", name="Reading size").click()
        assert width() == pytest.approx(start, rel=0.02)
        # the keyboard, with the diagram focused
        scroller.focus()
        page.keyboard.press("+")
        page.keyboard.press("+")
        assert level_of(page) == 156
        left = scroller.evaluate("e => e.scrollLeft")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert scroller.evaluate("e => e.scrollLeft") > left
        top = scroller.evaluate("e => e.scrollTop")
        page.keyboard.press("ArrowDown")
        assert scroller.evaluate("e => e.scrollTop") > top
        page.keyboard.press("-")
        assert level_of(page) == 125
        page.keyboard.press("0")
        assert level_of(page) == 100 and width() == pytest.approx(start, rel=0.02)
        # the buttons are reached with Tab like any other
        page.get_by_role("button", name="Zoom in").focus()
        page.keyboard.press("Enter")
        assert level_of(page) == 125
        # a drag pans
        box = scroller.bounding_box()
        assert box is not None
        before = scroller.evaluate("e => [e.scrollLeft, e.scrollTop]")
        page.mouse.move(box["x"] + 400, box["y"] + 300)
        page.mouse.down()
        page.mouse.move(box["x"] + 300, box["y"] + 250, steps=5)
        page.mouse.up()
        after = scroller.evaluate("e => [e.scrollLeft, e.scrollTop]")
        assert after != before
        assert visit.errors == []
    finally:
        visit.close()


def fits_in_box(page: object) -> bool:
    """Whether the whole diagram lies inside the visible part of its box."""
    return bool(
        page.evaluate(  # type: ignore[attr-defined]
            """() => {
                const b = document.querySelector(".diagram-scroll").getBoundingClientRect();
                const s = document.querySelector(".argmap-diagram").getBoundingClientRect();
                return s.left >= b.left - 1 && s.right <= b.right + 1
                    && s.top >= b.top - 1 && s.bottom <= b.bottom + 1;
            }"""
        )
    )


def node_in_box(page: object, number: str) -> bool:
    return bool(
        page.evaluate(  # type: ignore[attr-defined]
            """n => {
                const b = document.querySelector(".diagram-scroll").getBoundingClientRect();
                const r = document.getElementById("_svg_" + n).getBoundingClientRect();
                return r.width > 0 && r.left >= b.left && r.right <= b.right
                    && r.top >= Math.max(b.top, 0) && r.bottom <= Math.min(b.bottom, innerHeight);
            }""",
            number,
        )
    )


def test_a_diagram_readable_at_the_pages_width_opens_so_and_scrolls_down(
    server: str, chromium: object
) -> None:
    """Issue 17, item 1: at 1280 px the seed map needs no sideways scrolling and its box
    text is at least 12 CSS px; the page, not the box, scrolls down."""
    visit = Visit(chromium, server + "russia-resets.html")
    try:
        page = visit.page
        page.set_viewport_size({"width": 1280, "height": 900})
        page.reload()
        scroller = page.locator(".diagram-scroll")
        assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert scroller.evaluate("e => e.scrollHeight <= e.clientHeight")
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll(".argmap-diagram g.node text")]
                .map(t => t.getBoundingClientRect().height).filter(h => h > 0))"""
        )
        assert smallest >= 12  # a text's box is about its font size
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert visit.errors == []
    finally:
        visit.close()


def test_a_large_diagram_opens_fitted_and_a_click_or_a_search_zooms_to_a_box(
    server: str, chromium: object
) -> None:
    """Issue 17, item 2: overview first, then detail; the finder takes the diagram to a
    statement by number or by words, and announces once typing pauses."""
    visit = Visit(chromium, server + "russia-resets.html")
    try:
        page = visit.page
        page.set_viewport_size({"width": 700, "height": 700})  # too narrow to read at width
        page.reload()
        assert fits_in_box(page)
        fitted = level_of(page)
        assert fitted < 60 and not page.locator(".minimap").is_visible()
        # a click on a box zooms to it at reading size instead of following the link
        page.locator("[id='_svg_P12'] a").click()
        assert level_of(page) == 100 and node_in_box(page, "P12")
        assert page.evaluate("location.hash") == ""
        assert page.locator(".minimap").is_visible()
        page.get_by_role("button", name="Fit").click()
        assert level_of(page) == fitted and fits_in_box(page)
        # the finder: a number
        finder = page.get_by_label("Find a statement")
        finder.fill("p5")
        page.wait_for_function(
            "() => document.querySelector('[data-find-status]').textContent !== ''"
        )
        assert page.locator("[data-find-status]").inner_text() == "1 statement found."
        finder.press("Enter")
        assert level_of(page) >= 100 and node_in_box(page, "P5")
        assert page.locator("[id='_svg_P5']").evaluate("e => e.classList.contains('am-hit')")
        # and words of a text; nothing is announced while typing goes on
        finder.fill("")
        page.keyboard.type("russia", delay=50)
        assert page.locator("[data-find-status]").inner_text() == ""
        page.wait_for_function(
            "() => document.querySelector('[data-find-status]').textContent.endsWith('found.')"
        )
        assert page.locator("[data-find-status]").inner_text().endswith("statements found.")
        page.locator("[data-find-hits] button").first.click()
        assert page.locator(".am-hit").count() == 1
        assert visit.errors == []
    finally:
        visit.close()


def test_without_javascript_the_zoom_and_filter_controls_stay_hidden(
    site: Path, chromium: object
) -> None:
    context = chromium.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(site.as_uri() + "/index.html")
        assert not page.locator("[data-search]").is_visible()
        assert page.locator("li.map-card").count() == 2
        page.goto(site.as_uri() + "/russia-resets.html")
        assert not page.locator("[data-zoom-controls]").first.is_visible()
        # the diagram is fitted to the page's width by CSS alone
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()


def test_printing_cuts_the_diagram_into_parts_with_no_text_under_8_pt_nor_controls(
    site: Path, chromium: object, tmp_path: Path
) -> None:
    """Issue 17, item 6: on paper the diagram comes in parts that fit a portrait page
    (A4 and Letter) with no text under 8 pt; the controls stay on screen."""
    visit = Visit(chromium, site.as_uri() + "/russia-resets.html")
    try:
        page = visit.page
        page.pdf(path=str(tmp_path / "page.pdf"), format="A4")  # fires beforeprint
        sizes = page.eval_on_selector_all(
            ".print-part svg",
            "tiles => tiles.map(t => [parseFloat(t.getAttribute('width')),"
            " parseFloat(t.getAttribute('height')), t.viewBox.baseVal.width])",
        )
        assert len(sizes) >= 2
        for width, height, box_width in sizes:
            assert width <= 180 * 72 / 25.4 + 0.5 and height <= 249.4 * 72 / 25.4
            assert width / box_width == pytest.approx(8 / 9, rel=0.01)  # 9-pt labels at 8 pt
        smallest = page.eval_on_selector_all(
            ".argmap-diagram text",
            "ts => Math.min(...ts.map(t => parseFloat(getComputedStyle(t).fontSize)))",
        )
        assert smallest * 8 / 9 >= 8 - 0.01  # drawing units are points, printed at 8/9
        numbers = page.eval_on_selector_all(
            ".print-part text", "ts => ts.map(t => t.textContent.split(' · ')[0])"
        )
        seen = {n for n in numbers if n[:1] in "CPR" and n[1:].isdigit()}
        assert len(seen) == 39  # every statement is on some part
        # the copies inherit the drawing's shared text style (argmap.render.layers)
        style = "t => [getComputedStyle(t).textAnchor, getComputedStyle(t).fontFamily]"
        anchor, font = page.eval_on_selector(".print-part g.node text", style)
        assert anchor == "middle" and "Helvetica" in font
        page.emulate_media(media="print")
        assert not page.locator(".diagram-tools").is_visible()
        assert not page.locator(".diagram-scroll").is_visible()
        assert page.locator(".print-part").first.is_visible()
        assert visit.errors == []
    finally:
        visit.close()
