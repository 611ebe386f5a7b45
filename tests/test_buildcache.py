"""The build cache's typed reads (argmap/build/cache.py): what they take for a miss, and
what they must not."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import BinaryIO

import pytest

from argmap.build import cache as buildcache
from argmap.build.cache import BuildCache, CheckRecord, StoredDrawing, StoredPage
from argmap.build.pipeline import MapFile, check_map
from argmap.config import Config
from tests.conftest import SEED_MAP


@pytest.fixture
def cache(tmp_path: Path) -> BuildCache:
    return BuildCache(tmp_path / "build", "salt")


def a_check() -> CheckRecord:
    checked = check_map(MapFile(SEED_MAP, SEED_MAP.stem, SEED_MAP.parent), Config())
    return CheckRecord(checked.argument_map, checked.report, checked.problems, True, "none")


def sealed(cache: BuildCache, key: str, data: bytes) -> None:
    """An entry this user's argmap sealed, holding ``data`` (as a damaged one would)."""
    cache.store.put(key, data)


def test_each_kind_of_entry_comes_back_as_written(cache: BuildCache, tmp_path: Path) -> None:
    record = a_check()
    cache.put_check("k.check", record)
    assert cache.check("k.check") == record
    cache.put_layouts("k.svgs", ["<svg>a</svg>", "<svg>é</svg>"])
    assert cache.layouts("k.svgs", 2) == ["<svg>a</svg>", "<svg>é</svg>"]
    drawing = StoredDrawing("<svg>1</svg>", "<svg>2</svg>", None, ("k.svgs",))
    cache.put_drawing("k.map", drawing)
    assert cache.drawing("k.map") == drawing
    cache.put_graphviz("k.png", b"\x89PNG")
    assert cache.graphviz("k.png") == b"\x89PNG"


def test_a_missing_entry_is_a_miss(cache: BuildCache) -> None:
    assert cache.check("none.check") is None
    assert cache.layouts("none.svgs", 2) is None
    assert cache.drawing("none.map") is None
    assert cache.page("none.page", cache.out_dir) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",  # empty
        b"garbage, not a pickle",
        pickle.dumps((1, "check"))[:-3],  # truncated
        pickle.dumps((1, "check")),  # the header, then nothing
        pickle.dumps((1, "map")) + pickle.dumps("x"),  # another kind of entry
        pickle.dumps((0, "check")) + pickle.dumps("x"),  # another layout of the records
        pickle.dumps((1, "check")) + pickle.dumps(("a", "tuple", "of", "old")),
        pickle.dumps((1, "check")) + b"\x80\x05cno_such_module\nRecord\n.",  # a class gone
    ],
    ids=["empty", "garbage", "truncated", "header-only", "kind", "layout", "shape", "class"],
)
def test_a_corrupt_entry_is_a_miss(cache: BuildCache, data: bytes) -> None:
    sealed(cache, "bad.check", data)
    assert cache.store.get("bad.check") == data  # sealed: only its content is wrong
    assert cache.check("bad.check") is None


def test_a_corrupt_drawing_or_layouts_entry_is_a_miss(cache: BuildCache) -> None:
    sealed(cache, "bad.map", pickle.dumps((1, "map")) + pickle.dumps(None))
    assert cache.drawing("bad.map") is None
    sealed(cache, "bad.svgs", pickle.dumps((1, "svgs")) + pickle.dumps(b"<svg/>"))
    assert cache.layouts("bad.svgs", 2) is None  # one SVG of two


def test_a_page_entry_that_ends_early_is_a_miss(cache: BuildCache, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "in").mkdir(parents=True)
    (folder / "in" / "m.html").write_bytes(b"<html>page</html>")
    page = StoredPage(None, {"m.html": "0" * 64}, {"m.html": 17}, ())  # type: ignore[arg-type]
    cache.put_page("p.page", page, {"m.html": folder / "in" / "m.html"})
    out = tmp_path / "out"
    assert cache.page("p.page", out) == page
    assert (out / "m.html").read_bytes() == b"<html>page</html>"

    def short(file: BinaryIO) -> None:
        pickle.dump((1, "page"), file)
        pickle.dump(page, file)
        file.write(b"<html>pa")  # 8 of its 17 bytes

    cache.store.write("short.page", short)
    assert cache.page("short.page", tmp_path / "out2") is None


def test_a_bug_while_reading_is_not_taken_for_a_miss(
    cache: BuildCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.put_check("k.check", a_check())

    def broken(file: BinaryIO) -> object:
        raise TypeError("a bug in argmap")

    monkeypatch.setattr(pickle, "load", broken)
    with pytest.raises(TypeError, match="a bug in argmap"):
        cache.check("k.check")


def test_a_bug_in_the_build_after_a_read_is_not_taken_for_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Taking a check from the cache, the build compares the source text's digest: a bug
    # there used to be swallowed with the read (contextlib.suppress(Exception)), and the
    # map silently checked again.
    from argmap.build import pipeline

    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "m.toml").write_bytes(SEED_MAP.read_bytes())
    pipeline.build([maps], tmp_path / "build", config=Config(), jobs=1)

    def broken(argument_map: object) -> str:
        raise TypeError("a bug in argmap")

    monkeypatch.setattr(buildcache, "source_text_digest", broken)
    with pytest.raises(TypeError, match="a bug in argmap"):
        pipeline.build([maps], tmp_path / "build", config=Config(), jobs=1)


def test_one_key_function_for_every_kind(cache: BuildCache) -> None:
    key = cache.key("page", "a", ["b", 1], None)
    assert key.endswith(".page") and len(key) == 64 + len(".page")
    assert key == cache.key("page", "a", ["b", 1], None)
    assert key != cache.key("page", "a", ["b", 2], None)
    assert key != cache.key("site", "a", ["b", 1], None)
    assert key != BuildCache(cache.out_dir, "other salt").key("page", "a", ["b", 1], None)


def test_a_cache_sent_to_a_worker_arrives_with_nothing_used(cache: BuildCache) -> None:
    cache.check("some.check")
    assert cache.used == {"some.check"}
    again = pickle.loads(pickle.dumps(cache))
    assert (again.out_dir, again.salt, again.used) == (cache.out_dir, cache.salt, set())
