"""A build with the cache writes exactly what a build without it writes.

A first build fills ``.OUT.cache/``; then one input changes and the site is built again
into the same folder, with the cache. Every byte of every file (and the problems
reported) must be what a cold build of the changed project, without any cache, gives.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.build.pipeline import CheckResult, build
from argmap.config import Config
from argmap.diagnostics import InputError
from argmap.render._site_config import SiteSettings
from argmap.render.site import default_templates_dir

from .conftest import FIXTURES

pytestmark = pytest.mark.needs_dot

BASE_URL = SiteSettings(base_url="https://example.org/maps/")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Three maps that cite each other, one that quotes a source text, custom templates."""
    shutil.copytree(FIXTURES / "cites", tmp_path / "arguments")
    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    quotes = (FIXTURES / "valid" / "quotes-checked.toml").read_text(encoding="utf-8")
    (tmp_path / "arguments" / "quotes.toml").write_text(quotes, encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("map.html", "index.html"):
        shutil.copy(default_templates_dir() / name, templates / name)
    return tmp_path


def files_of(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def run(project: Path, out: Path, config: Config, *, cache: bool, jobs: int) -> object:
    """The build's result, or the problems that stopped it."""
    try:
        result: CheckResult = build(
            [project / "arguments"],
            out,
            project / "templates",
            config=config,
            cache=cache,
            jobs=jobs,
        )
    except InputError as error:
        return ("failed", error.diagnostics)
    return ("built", result.diagnostics, len(result.graphs), result.quote_reports)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


Change = Callable[[Path], Config | None]


def change_a_statement(project: Path) -> None:
    edit(project / "arguments" / "night-buses.toml", "About four hundred", "About 400")


def change_a_cited_statement(project: Path) -> None:
    edit(project / "arguments" / "unit2" / "transport.toml", "*hospital*", "**care home**")


def change_a_cited_title(project: Path) -> None:
    edit(project / "arguments" / "unit2" / "transport.toml", "Transport for", "Buses for")


def change_a_template(project: Path) -> None:
    edit(project / "templates" / "map.html", "<h1>", '<h1 class="changed">')


def add_a_static_file(project: Path) -> None:
    (project / "templates" / "static").mkdir()
    (project / "templates" / "static" / "extra.css").write_text("p{}", encoding="utf-8")


def remove_the_source_text(project: Path) -> None:
    (project / "sources" / "short-article.txt").unlink()  # AM302: a warning, still built


def break_a_quote(project: Path) -> None:
    edit(project / "sources" / "short-article.txt", "rounding error", "rounding mistake")


def add_a_clashing_tag(project: Path) -> None:
    # "C++" and "C#" share the page name c: the one sorted first keeps it
    edit(project / "arguments" / "night-buses.toml", "[map]\n", '[map]\ntags = ["C#"]\n')
    edit(project / "arguments" / "unit2" / "transport.toml", "[map]\n", '[map]\ntags = ["C++"]\n')


def add_a_map(project: Path) -> None:
    shutil.copy(FIXTURES / "valid" / "minimal.toml", project / "arguments" / "unit1" / "new.toml")


def remove_a_map(project: Path) -> None:
    (project / "arguments" / "quotes.toml").unlink()


def break_a_citation(project: Path) -> None:
    edit(project / "arguments" / "unit2" / "transport.toml", "shift-work", "shifts")


CHANGES: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        change_a_statement,
        change_a_cited_statement,
        change_a_cited_title,
        change_a_template,
        add_a_static_file,
        remove_the_source_text,
        break_a_quote,
        add_a_clashing_tag,
        add_a_map,
        remove_a_map,
        break_a_citation,
    )
}
CONFIGS = {
    "site-title": Config(site=SiteSettings(title="Other maps")),
    "base-url": Config(site=BASE_URL),
    "lint-off": Config(lint=Config().lint.__class__(disable=frozenset({"AM302"}))),
}


def assert_same_as_cold(project: Path, out: Path, config: Config, outcome: object) -> None:
    cold = project / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    assert run(project, cold, config, cache=False, jobs=1) == outcome
    if outcome[0] == "built":  # type: ignore[index]
        assert files_of(out) == files_of(cold)


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_changed_input_gives_what_a_cold_build_gives(project: Path, name: str) -> None:
    out = project / "build"
    run(project, out, Config(), cache=True, jobs=2)
    CHANGES[name](project)
    outcome = run(project, out, Config(), cache=True, jobs=2)
    assert_same_as_cold(project, out, Config(), outcome)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_changed_config_gives_what_a_cold_build_gives(project: Path, name: str) -> None:
    out = project / "build"
    remove_the_source_text(project)
    run(project, out, Config(), cache=True, jobs=1)
    outcome = run(project, out, CONFIGS[name], cache=True, jobs=1)
    assert_same_as_cold(project, out, CONFIGS[name], outcome)
    # and back again
    outcome = run(project, out, Config(), cache=True, jobs=2)
    assert_same_as_cold(project, out, Config(), outcome)


def test_an_unchanged_build_leaves_the_output_folder_alone(project: Path) -> None:
    out = project / "build"
    first = run(project, out, Config(), cache=True, jobs=2)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    inode = out.stat().st_ino
    assert run(project, out, Config(), cache=True, jobs=2) == first
    assert out.stat().st_ino == inode, "the folder was not swapped"
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert_same_as_cold(project, out, Config(), first)


@pytest.mark.parametrize("damage", ["remove", "edit", "add"])
def test_an_output_folder_changed_by_hand_is_written_again(project: Path, damage: str) -> None:
    out = project / "build"
    first = run(project, out, Config(), cache=True, jobs=2)
    page = out / "unit1" / "late-buses.html"
    if damage == "remove":
        page.unlink()
    elif damage == "edit":
        page.write_bytes(page.read_bytes().replace(b"Late", b"Lame"))
    else:
        (out / "unit1" / "stray.html").write_text("stray", encoding="utf-8")
    assert run(project, out, Config(), cache=True, jobs=1) == first
    assert_same_as_cold(project, out, Config(), first)


def test_a_damaged_cache_entry_is_a_miss(project: Path) -> None:
    out = project / "build"
    first = run(project, out, Config(), cache=True, jobs=2)
    for entry in (project / ".build.cache").iterdir():
        if entry.suffix in (".check", ".page"):
            entry.write_bytes(b"not a pickle")
    change_a_template(project)
    outcome = run(project, out, Config(), cache=True, jobs=2)
    assert outcome[0] == first[0] == "built"  # type: ignore[index]
    assert_same_as_cold(project, out, Config(), outcome)


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "remove"])
def test_a_changed_cached_file_is_never_copied_into_the_output(project: Path, damage: str) -> None:
    # A map's files are kept in the cache in its page's sealed entry (`*.page`, after the
    # page record) and copied, a chunk at a time, into the new output folder; an entry
    # that is not as argmap wrote it makes the map a miss, drawn and rendered again, so
    # the output is what a cold build gives. (The byte flipped is in the last file.)
    out = project / "build"
    first = run(project, out, Config(), cache=True, jobs=2)
    entries = sorted((project / ".build.cache").glob("*.page"))
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        if damage == "flip a byte":
            entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
        elif damage == "cut short":
            entry.write_bytes(data[: len(data) // 2])
        else:
            entry.unlink()
    shutil.rmtree(out)  # nothing to compare with: every page comes from the cache
    assert run(project, out, Config(), cache=True, jobs=1) == first
    assert_same_as_cold(project, out, Config(), first)
    assert sorted((project / ".build.cache").glob("*.page")) == entries  # written anew
