"""The pipeline's own helpers (its builds are tested in test_pipeline_*.py and test_site*.py)."""

from __future__ import annotations

from pathlib import Path

import argmap
from argmap.pipeline import _code_stamp


def test_the_code_stamp_covers_every_module_of_the_package() -> None:
    # Part of every build-cache key: a change to any module, in a subpackage too
    # (argmap/interop), must start a new cache.
    package = Path(argmap.__file__).parent
    named = {entry.split(":")[0] for entry in _code_stamp().split(",")}
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")}
    assert "interop/__init__.py" in modules
    assert named == modules
