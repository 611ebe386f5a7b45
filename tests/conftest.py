"""Shared test helpers. Tests that run Graphviz are marked ``needs_dot``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_MAP = REPO / "arguments" / "russia-resets.toml"
SHARED_SOURCES = REPO.parent / "shared" / "sources"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which("dot") is not None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run every test: install Graphviz (`dot`) first")
    skip = pytest.mark.skip(reason="Graphviz `dot` is not installed (apt-get install graphviz)")
    for item in items:
        if "needs_dot" in item.keywords:
            item.add_marker(skip)
