"""Shared test helpers. Tests that run Graphviz are marked ``needs_dot``, tests that
drive Chromium ``needs_browser``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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


REQUIREMENTS = {
    "needs_dot": (lambda: shutil.which("dot") is not None, "apt-get install graphviz"),
    "needs_browser": (_has_browser, "apt-get install chromium; pip install playwright"),
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
