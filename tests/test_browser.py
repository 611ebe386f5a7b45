"""The built site in a real browser (headless Chromium driven by Playwright).

Needs Debian's `chromium` (scripts/test installs it) and the `playwright` Python package;
no browser is downloaded. Marked `needs_browser`: skipped with a reason where Chromium is
missing, and an error in CI, where every test must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.pipeline import build

from .conftest import SEED_MAP

pytestmark = [pytest.mark.needs_dot, pytest.mark.needs_browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    out = root / "some" / "prefix"
    out.parent.mkdir(parents=True)
    build([SEED_MAP.parent], out)
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Serve the folder above /some/prefix/ on 127.0.0.1, as a site in a subfolder."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(site.parent.parent)
    )
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/some/prefix/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


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
    where: str, site: Path, server: str, browser: object
) -> None:
    base = server if where == "http" else site.as_uri() + "/"
    origin = server.split("/some/")[0] if where == "http" else "file://"
    for url in page_urls(base, site):
        visit = Visit(browser, url)
        try:
            assert visit.errors == [], url
            assert visit.failed == [], url
            assert all(r.startswith(origin) for r in visit.requests), visit.requests
        finally:
            visit.close()


def test_every_internal_link_and_permalink_resolves(
    site: Path, server: str, browser: object
) -> None:
    links: set[str] = set()
    for url in page_urls(server, site):
        visit = Visit(browser, url)
        try:
            links |= set(
                visit.page.eval_on_selector_all(
                    "a[href], svg a", "els => els.map(e => e.href.baseVal ?? e.href)"
                )
            )
        finally:
            visit.close()
    internal = {link for link in links if link.startswith(server)}
    assert internal
    documents = {link.partition("#")[0] for link in internal}
    ids: dict[str, set[str]] = {}
    for document in sorted(documents):  # each linked page opened once
        visit = Visit(browser, document)
        try:
            assert visit.errors == [] and visit.failed == [], document
            ids[document] = set(
                visit.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
            )
        finally:
            visit.close()
    for link in sorted(internal):
        document, _, fragment = link.partition("#")
        assert not fragment or fragment in ids[document], link


def test_clicking_a_diagram_node_brings_its_section_into_view(server: str, browser: object) -> None:
    visit = Visit(browser, server + "russia-resets.html")
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
    server: str, browser: object, tmp_path: Path
) -> None:
    shots = {}
    for name, url in (("blank", "about:blank"), ("seed", server + "russia-resets.html")):
        visit = Visit(browser, url)
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
