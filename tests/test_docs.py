"""The documentation stays true to the code: every complete example map in README.md and
docs/*.md (a ```toml block with a [map] table) passes `argmap check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from argmap.build.pipeline import check

from .conftest import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"```toml\n(.*?)```", re.DOTALL)


def example_maps() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        for number, block in enumerate(BLOCK.findall(document.read_text(encoding="utf-8"))):
            if re.search(r"^\[map\]", block, re.MULTILINE) and "thesis" in block:
                found.append((f"{document.name}-{number}", block))
    return found


def test_the_readme_has_an_example_map() -> None:
    assert any(name.startswith("README.md") for name, _ in example_maps())


@pytest.mark.parametrize(
    ("name", "block"), example_maps(), ids=lambda v: v if "\n" not in v else ""
)
def test_example_maps_in_the_docs_are_valid(name: str, block: str, tmp_path: Path) -> None:
    path = tmp_path / "example.toml"
    path.write_text(block, encoding="utf-8")
    result = check([path])
    assert not result.errors, [d.headline() for d in result.errors]
