"""Publishing a site of many maps: argmap.toml's [site], the index, tag pages, social
meta and sitemap with base_url, kept files, reproducibility, the render cache and
parallel drawing, progress lines."""

from __future__ import annotations

import os
import re
import stat
import sys
import threading
from collections import Counter
from multiprocessing import get_all_start_methods
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.build.pipeline import build
from argmap.build.workers import start_method
from argmap.cli import app
from argmap.config import Config, load_config
from argmap.diagnostics import ExitCode, InputError
from argmap.render._site_config import SiteSettings
from argmap.render.site_index import TagIndex, tag_slug

from ._fixtures import render
from .conftest import FIXTURES, SEED_MAP

ALL_RELATIONS = (FIXTURES / "golden" / "all-relations.toml").read_text(encoding="utf-8")
runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tagged(title: str, tags: list[str]) -> str:
    """The all-relations fixture with another title and these tags."""
    listed = ", ".join(f'"{t}"' for t in tags)
    return ALL_RELATIONS.replace('title = "All relations"', f'title = "{title}"\ntags = [{listed}]')


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Three maps, one in a folder, with tags that differ in case and share a slug."""
    write(tmp_path / "arguments" / "alpha.toml", tagged("Alpha map", ["Energy", "C++"]))
    write(tmp_path / "arguments" / "beta.toml", tagged("Beta map", ["energy", "C#"]))
    write(tmp_path / "arguments" / "unit1" / "gamma.toml", tagged("Gamma map", ["Straße"]))
    return tmp_path


# -- [site] in argmap.toml -------------------------------------------------------------


def test_every_site_setting_is_read(tmp_path: Path) -> None:
    write(
        tmp_path / "argmap.toml",
        "[site]\n"
        'title = "Civics maps"\n'
        'description = "Arguments from the course."\n'
        'base_url = "https://example.org/maps"\n'
        'out = "public"\n'
        'templates = "theme"\n'
        'language = "de"\n',
    )
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config.site == SiteSettings(
        title="Civics maps",
        description="Arguments from the course.",
        base_url="https://example.org/maps/",  # a trailing slash is added
        out=tmp_path / "public",
        templates=tmp_path / "theme",
        language="de",
    )
    assert load_config(tmp_path / "nowhere")[0].site == SiteSettings()


def test_problems_in_the_site_table_have_line_column_and_hint(tmp_path: Path) -> None:
    write(
        tmp_path / "argmap.toml",
        "[site]\n"
        'titel = "x"\n'
        "language = 5\n"
        'base_url = "example.org"\n'
        'output = "public"\n'
        'colour = "red"\n',
    )
    _, problems = load_config(tmp_path)
    assert render(problems, tmp_path) == (
        "argmap.toml:2:1: error[AM101]: unknown key `titel` in [site]\n"
        "  hint: did you mean `title`?\n"
        "argmap.toml:3:12: error[AM102]: `site.language` must be a string, not int\n"
        '  hint: write language = "..."\n'
        "argmap.toml:4:12: error[AM106]: 'example.org' is not an absolute http(s) address\n"
        '  hint: write the address the site is published at, e.g. base_url = "https://example.org/maps/"\n'
        "argmap.toml:5:1: error[AM101]: unknown key `output` in [site]\n"
        "  hint: did you mean `out`?\n"
        "argmap.toml:6:1: error[AM101]: unknown key `colour` in [site]\n"
        "  hint: known keys: title, description, base_url, out, templates, language\n"
    )


def test_a_bad_site_table_fails_the_build_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "arguments" / "m.toml", ALL_RELATIONS)
    write(tmp_path / "argmap.toml", '[site]\nbaseurl = "https://example.org/"\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "argmap.toml:2:1: error[AM101]: unknown key `baseurl` in [site]" in result.stderr
    assert "did you mean `base_url`?" in result.stderr
    assert not (tmp_path / "build").exists()


@pytest.mark.needs_dot
def test_the_cli_takes_out_templates_and_title_from_argmap_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "arguments" / "m.toml", ALL_RELATIONS)
    write(tmp_path / "theme" / "static" / "extra.css", "p {}\n")
    write(
        tmp_path / "argmap.toml",
        '[site]\ntitle = "Civics maps"\nout = "public"\ntemplates = "theme"\nlanguage = "de"\n',
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build"])
    assert result.exit_code == ExitCode.OK, result.output
    index = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "<title>Civics maps</title>" in index and '<html lang="de">' in index
    assert (tmp_path / "public" / "_static" / "extra.css").is_file()
    assert not (tmp_path / "build").exists()
    # the command line wins over argmap.toml
    assert runner.invoke(app, ["build", "-o", "elsewhere"]).exit_code == ExitCode.OK
    assert (tmp_path / "elsewhere" / "index.html").is_file()


# -- base_url: canonical links, Open Graph, sitemap ------------------------------------


@pytest.mark.needs_dot
def test_without_base_url_no_absolute_link_sitemap_or_social_meta(project: Path) -> None:
    out = project / "build"
    build([project / "arguments"], out, config=Config())
    files = files_of(out)
    assert ".nojekyll" in files and files[".nojekyll"] == b""
    assert "sitemap.xml" not in files and not any(n.endswith(".png") for n in files)
    for name, content in files.items():
        if name.endswith(".html"):
            html = content.decode()
            assert 'rel="canonical"' not in html and "og:" not in html, name
            hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
            absolute = [h for h in hrefs if re.match(r"[a-z]+:|/", h) and h != "data:,"]
            assert absolute == [], (name, absolute)


@pytest.mark.needs_dot
def test_with_base_url_sitemap_canonical_links_and_open_graph(project: Path) -> None:
    out = project / "build"
    site = SiteSettings(title="Maps", description="About.", base_url="https://ex.org/m/")
    build([project / "arguments"], out, config=Config(site=site))
    files = files_of(out)
    assert files["alpha.png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert files["unit1/gamma.png"].startswith(b"\x89PNG")
    sitemap = files["sitemap.xml"].decode()
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    pages = sorted(n for n in files if n.endswith(".html"))
    assert locs == [f"https://ex.org/m/{p}" for p in pages]
    assert "<lastmod>" not in sitemap  # no SOURCE_DATE_EPOCH, no date
    gamma = files["unit1/gamma.html"].decode()
    assert '<link rel="canonical" href="https://ex.org/m/unit1/gamma.html">' in gamma
    assert '<meta property="og:image" content="https://ex.org/m/unit1/gamma.png">' in gamma
    assert '<meta property="og:title" content="Gamma map">' in gamma
    assert '<meta name="twitter:card" content="summary_large_image">' in gamma
    index = files["index.html"].decode()
    assert '<link rel="canonical" href="https://ex.org/m/">' in index
    assert '<meta name="description" content="About.">' in index
    # everything else stays relative
    assert '<link rel="stylesheet" href="../_static/argmap.css">' in gamma


@pytest.mark.needs_dot
def test_source_date_epoch_dates_the_sitemap_and_two_builds_are_identical(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = SiteSettings(base_url="https://ex.org/")
    first, second = project / "one", project / "two"
    build([project / "arguments"], first, config=Config(site=site), cache=False)
    build([project / "arguments"], second, config=Config(site=site), cache=False)
    assert files_of(first) == files_of(second)
    assert "<lastmod>2023-11-14</lastmod>" in files_of(first)["sitemap.xml"].decode()


# -- the index and the tag pages --------------------------------------------------------


@pytest.mark.needs_dot
def test_index_has_verdicts_tags_and_folders(project: Path) -> None:
    out = project / "build"
    build([project / "arguments"], out, config=Config())
    index = (out / "index.html").read_text(encoding="utf-8")
    # no thumbnail (a diagram shrunk to a card is blank): the verdict in words instead
    assert "<img" not in index
    assert index.count("✓ stands (IN)</span>") == 3  # the thesis's label on every card
    assert index.count('<span class="why">') == 3
    assert "3 claims" not in index and "2 claims" in index
    assert '<h2 class="folder" id="_folder-unit1">unit1/</h2>' in index
    assert '<p class="path"><span class="visually-hidden">Folder: </span>unit1/</p>' in index
    assert '<a href="tags/energy.html">Energy</a> <span class="tag-count">(2)</span>' in index


@pytest.mark.needs_dot
def test_one_page_per_tag_case_insensitive_with_safe_unique_names(project: Path) -> None:
    out = project / "build"
    build([project / "arguments"], out, config=Config())
    pages = sorted(p.name for p in (out / "tags").iterdir())
    assert pages == sorted(["energy.html", "c.html", f"c-{pages_hash('c++')}.html", "strasse.html"])
    energy = (out / "tags" / "energy.html").read_text(encoding="utf-8")
    assert "Alpha map" in energy and "Beta map" in energy and "Gamma map" not in energy
    assert 'href="../alpha.html"' in energy and 'src="../unit1/gamma.svg"' not in energy
    gamma = (out / "unit1" / "gamma.html").read_text(encoding="utf-8")
    assert '<a href="../tags/strasse.html">Straße</a>' in gamma


def pages_hash(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()[:8]


def test_tag_slugs_are_safe() -> None:
    assert tag_slug("Foreign policy") == "foreign-policy"
    assert tag_slug("Straße") == "strasse"
    assert tag_slug("Café Crème") == "cafe-creme"
    assert tag_slug("../../etc") == "etc"
    assert tag_slug("CON") == "con-tag"
    assert re.fullmatch(r"tag-[0-9a-f]{8}", tag_slug("Россия"))
    tags = TagIndex([("Energy", "C++"), ("energy", "C#", "Россия", "Украина")])
    hrefs = {tags.href(t) for t in ("Energy", "energy", "C++", "C#", "Россия", "Украина")}
    assert len(hrefs) == 5  # Energy and energy are one tag; all others get their own page
    assert tags.href("ENERGY") == "tags/energy.html"
    assert all(re.fullmatch(r"tags/[a-z0-9-]+\.html", h) for h in hrefs)


@pytest.mark.needs_dot
def test_the_search_index_holds_every_statement(project: Path) -> None:
    import json

    out = project / "build"
    build([project / "arguments"], out, config=Config())
    script = (out / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.argmapSearchIndex = "
    assert script.startswith(prefix) and script.endswith(";\n")
    data = json.loads(script[len(prefix) : -2])
    gamma = next(m for m in data["maps"] if m["href"] == "unit1/gamma.html")
    assert gamma["title"] == "Gamma map" and gamma["tags"] == ["Straße"]
    assert ["thesis", "C1", "The thesis of the map."] in gamma["nodes"]


# -- the output folder: kept files --------------------------------------------------------


@pytest.mark.needs_dot
def test_cname_and_git_in_the_output_folder_survive_a_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write(out / "CNAME", "maps.example.org\n")
    write(out / ".git" / "HEAD", "ref: refs/heads/gh-pages\n")
    write(out / ".git" / "objects" / "ab" / "cdef", "x")
    map_file = write(tmp_path / "m.toml", ALL_RELATIONS)
    build([map_file], out, config=Config())  # a folder holding only these is accepted
    build([map_file], out, config=Config())
    assert (out / "CNAME").read_text(encoding="utf-8") == "maps.example.org\n"
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/gh-pages\n"
    assert (out / ".git" / "objects" / "ab" / "cdef").is_file()
    assert (out / "index.html").is_file() and (out / ".argmap-output").is_file()
    # a failed build leaves them too
    broken = write(tmp_path / "broken.toml", '[map]\ntitle = "x"\nthesis = "missing"\n')
    with pytest.raises(InputError):
        build([broken], out, config=Config())
    assert (out / "CNAME").is_file() and (out / ".git" / "HEAD").is_file()


# -- the render cache, parallel drawing and progress ------------------------------------------


@pytest.fixture
def counting_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `dot` on PATH that records each run (its process id) in a log and the graphs
    it is given in ``graphs.PID.log`` beside it (one file per run: runs at the same
    time would mix their lines in one), then runs the real Graphviz."""
    import shutil

    real = shutil.which("dot")
    assert real is not None
    folder = tmp_path / "fakebin"
    folder.mkdir()
    log = tmp_path / "dot-calls.log"
    fake = folder / "dot"
    fake.write_text(
        f'#!/bin/sh\necho "$$ $@" >> "{log}"\ntee "{tmp_path}/graphs.$$.log" | "{real}" "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def calls(log: Path) -> int:
    """How many times `dot` was started."""
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def graphs(log: Path) -> int:
    """How many graphs `dot` was given to lay out."""
    lines = [
        line
        for given in log.parent.glob("graphs.*.log")
        for line in given.read_text(encoding="utf-8").splitlines()
    ]
    return sum(line.startswith("digraph ") for line in lines)


def still_running(log: Path) -> list[str]:
    """The `dot` runs whose process has not ended and been waited for."""
    pids = [line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()]
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


@pytest.mark.needs_dot
def test_a_second_build_of_unchanged_maps_runs_no_graphviz(
    project: Path, counting_dot: Path
) -> None:
    out = project / "build"
    arguments = project / "arguments"
    build([arguments], out, config=Config(), jobs=2)
    first = graphs(counting_dot)
    assert first == 6  # three maps, two diagrams each
    before = files_of(out)
    build([arguments], out, config=Config(), jobs=2)
    assert graphs(counting_dot) == first, "nothing re-rendered"
    assert files_of(out) == before
    assert sorted(p.name for p in project.glob(".build.*")) == [".build.cache", ".build.lock"]
    # a new title is not in the diagram: nothing is drawn again, the page changes
    beta = arguments / "beta.toml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Beta map", "Beta 2"), "utf-8")
    build([arguments], out, config=Config(), jobs=1)
    assert graphs(counting_dot) == first
    assert "Beta 2" in (out / "beta.html").read_text(encoding="utf-8")
    # a statement changed: only that map's two diagrams are drawn again
    text = beta.read_text(encoding="utf-8").replace("An independent premise.", "Changed.")
    beta.write_text(text, encoding="utf-8")
    build([arguments], out, config=Config(), jobs=2)
    assert graphs(counting_dot) == first + 2
    # the cache holds only what the last build used
    names = [p.name for p in (project / ".build.cache").iterdir()]
    suffixes = Counter(name.rsplit(".", 1)[-1] for name in names)
    # per map: Graphviz's two SVGs, the finished diagrams, its check, and its page's
    # record with its files (page, 2 SVG); and what was written to the output folder.
    # The compiled templates are in the user's cache.
    assert suffixes == {"svgs": 3, "map": 3, "check": 3, "page": 3, "json": 1}
    assert "output-state.json" in names
    templates = Path(os.environ["XDG_CACHE_HOME"]) / "argmap" / "templates"
    assert len(list(templates.glob("*.jinja"))) >= 4


@pytest.mark.needs_dot
def test_parallel_and_serial_builds_write_the_same_files(project: Path) -> None:
    one, four = project / "one", project / "four"
    build([project / "arguments"], one, config=Config(), jobs=1, cache=False)
    build([project / "arguments"], four, config=Config(), jobs=4, cache=False)
    assert files_of(one) == files_of(four)


@pytest.mark.needs_dot
def test_progress_is_plain_lines_without_a_terminal(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["build", "--jobs", "2"])
    assert result.exit_code == ExitCode.OK, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == ["[1/3", "[2/3", "[3/3"]
    assert {line.split("] ")[1] for line in lines} == {"alpha", "beta", "unit1/gamma"}
    again = runner.invoke(app, ["build", "-j", "1"])
    assert "[1/3] alpha (cached)" in again.stderr
    assert runner.invoke(app, ["build", "--jobs", "0"]).exit_code == ExitCode.USAGE_ERROR


def test_seed_map_exists() -> None:
    assert SEED_MAP.is_file() and sys.version_info >= (3, 11)


@pytest.mark.needs_dot
def test_a_build_beside_another_thread_spawns_its_workers(project: Path) -> None:
    """`argmap serve` builds while its web server runs in a thread: a forked worker could
    inherit a lock that thread holds, so workers are then started afresh (spawn)."""
    if threading.active_count() == 1:  # other tests' servers and browser may still run
        assert start_method() == ("fork" if "fork" in get_all_start_methods() else "spawn")
    stop = threading.Event()
    server = threading.Thread(target=stop.wait, daemon=True)
    server.start()
    try:
        assert start_method() == "spawn"
        build([project / "arguments"], project / "threaded", config=Config(), jobs=2, cache=False)
    finally:
        stop.set()
        server.join()
    build([project / "arguments"], project / "serial", config=Config(), jobs=1, cache=False)
    assert files_of(project / "threaded") == files_of(project / "serial")


@pytest.mark.needs_dot
@pytest.mark.parametrize("jobs", [1, 2])
def test_one_running_dot_draws_every_map_of_a_process_and_ends_with_the_build(
    project: Path, counting_dot: Path, jobs: int
) -> None:
    # Starting dot costs more than laying out a small map: one per process (the build's
    # own with --jobs 1, each worker's with more), not one per map.
    build([project / "arguments"], project / "build", config=Config(), jobs=jobs, cache=False)
    assert graphs(counting_dot) == 6  # three maps, two diagrams each
    assert 1 <= calls(counting_dot) <= jobs
    assert still_running(counting_dot) == []  # ended, and waited for, before build returns


@pytest.mark.needs_dot
def test_a_large_map_alone_has_its_two_diagrams_laid_out_by_one_dot(
    tmp_path: Path, counting_dot: Path
) -> None:
    # (A large map once had a dot per diagram when a core was free: a third way of
    # running Graphviz that did not pay for itself, issue 16.)
    maps = tmp_path / "arguments"
    maps.mkdir()
    premises = "".join(
        f'[premise.p{n}]\ntext = "Reason number {n} for it."\nsupports = "c"\n\n'
        for n in range(1, 300)
    )
    (maps / "big.toml").write_text(
        f'[map]\ntitle = "Big"\nthesis = "c"\n\n[claim.c]\ntext = "Do it."\n\n{premises}',
        encoding="utf-8",
    )
    build([maps / "big.toml"], tmp_path / "big", config=Config(), jobs=1)
    assert calls(counting_dot) == 1
    assert graphs(counting_dot) == 2
