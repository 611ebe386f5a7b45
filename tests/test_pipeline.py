"""The pipeline's own helpers (its builds are tested in test_pipeline_*.py and test_site*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import argmap
from argmap.build.cache import _code_stamp
from argmap.build.workers import MAX_CHUNK, chunk_size, chunks


def test_the_code_stamp_covers_every_module_of_the_package() -> None:
    # Part of every build-cache key: a change to any module, in a subpackage too
    # (argmap/interop), must start a new cache.
    package = Path(argmap.__file__).parent
    named = {entry.split(":")[0] for entry in _code_stamp().split(",")}
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")}
    assert "interop/__init__.py" in modules
    assert named == modules


@pytest.mark.parametrize(
    ("count", "workers"), [(0, 2), (1, 2), (7, 2), (200, 2), (1000, 4), (3, 8)]
)
def test_maps_go_to_the_workers_in_chunks_that_shrink_to_one(count: int, workers: int) -> None:
    items = list(range(count))
    made = chunks(items, workers)
    assert [item for chunk in made for item in chunk] == items  # each once, in order
    sizes = [len(chunk) for chunk in made]
    assert all(1 <= size <= MAX_CHUNK for size in sizes)
    assert sizes == sorted(sizes, reverse=True)
    if count:
        assert sizes[-1] == 1  # the last task is short: no worker waits long for the other
    if count >= 200:
        assert len(made) < count / 4  # few tasks cross between processes


def test_a_chunk_is_never_more_than_a_quarter_of_each_workers_share() -> None:
    assert chunk_size(200, 2) == MAX_CHUNK
    assert chunk_size(40, 2) == 5
    assert chunk_size(7, 2) == 1
