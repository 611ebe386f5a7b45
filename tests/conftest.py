"""Shared test helpers. Tests that run Graphviz are marked ``needs_dot``, tests that
drive Chromium ``needs_browser``.

The browser tests share two fixtures: ``chromium``, one headless Debian Chromium driven
by Playwright for the whole run (each test opens its own pages or context and closes
them), and ``serve_folder``, which serves a folder over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The build cache's key (argmap.output.read_cache_secret) lives in the user's cache folder:
# the tests, and the argmap processes they start, use a folder of their own.
_CACHE_HOME = tempfile.mkdtemp(prefix="argmap-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_MAP = REPO / "arguments" / "russia-resets.toml"
SHARED_SOURCES = REPO.parent / "shared" / "sources"


def _has_browser() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return bool(shutil.which("chromium") or shutil.which("chromium-browser"))


def _argdown_cli() -> str | None:
    """Argdown's CLI: $ARGDOWN_CLI, `argdown` on PATH, or where scripts/test installs it."""
    candidates = [
        os.environ.get("ARGDOWN_CLI"),
        shutil.which("argdown"),
        str(Path(__file__).parent.parent / ".venv/argdown-cli/node_modules/.bin/argdown"),
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


ARGDOWN = _argdown_cli()


def _mermaid_js() -> Path | None:
    """Mermaid's browser bundle: $MERMAID_JS, or where scripts/test installs it."""
    candidates = [
        os.environ.get("MERMAID_JS"),
        str(REPO / ".venv/mermaid/node_modules/mermaid/dist/mermaid.min.js"),
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


MERMAID_JS = _mermaid_js()


def _axe_js() -> Path | None:
    """axe-core's browser script: $AXE_JS, or where scripts/test installs it."""
    candidates = [
        os.environ.get("AXE_JS"),
        str(REPO / ".venv/axe-core/node_modules/axe-core/axe.min.js"),
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


AXE_JS = _axe_js()

REQUIREMENTS: dict[str, tuple[Callable[[], bool], str]] = {
    "needs_dot": (lambda: shutil.which("dot") is not None, "apt-get install graphviz"),
    "needs_browser": (_has_browser, "apt-get install chromium; pip install playwright"),
    "needs_argdown": (
        lambda: ARGDOWN is not None,
        "npm install --prefix .venv/argdown-cli @argdown/cli, or set ARGDOWN_CLI",
    ),
    "needs_mermaid": (
        lambda: MERMAID_JS is not None,
        "npm install --prefix .venv/mermaid mermaid@11, or set MERMAID_JS",
    ),
    "needs_axe": (
        lambda: AXE_JS is not None,
        "npm install --prefix .venv/axe-core axe-core@4.14.1, or set AXE_JS",
    ),
    "needs_pdftotext": (
        lambda: shutil.which("pdftotext") is not None,
        "apt-get install poppler-utils",
    ),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests whose tools are missing, saying how to get them; in CI, fail instead."""
    for marker, (available, install) in REQUIREMENTS.items():
        if available() or not any(marker in item.keywords for item in items):
            continue
        if os.environ.get("CI"):
            raise pytest.UsageError(f"CI must run every test: {install} first ({marker})")
        skip = pytest.mark.skip(reason=f"{marker}: not installed ({install})")
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


# --------------------------------------------------------------------------- the browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Headless Chromium (Debian's, no browser download), launched once for the run.

    Tests open pages with ``new_page()`` or ``new_context()`` and close them: every page
    of its own context, so no cookie, storage or cache is shared between tests.
    """
    playwright = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="session")
def serve_folder() -> Iterator[Callable[[Path], str]]:
    """``serve_folder(folder)`` serves ``folder`` on 127.0.0.1 (a free port) until the end
    of the run and returns its address, ending in ``/``."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield serve
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
