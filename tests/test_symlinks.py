"""No symbolic link in a project makes a build delete, replace or write a file outside
the folders argmap made itself (docs/security.md, "Symlinks in a project").

A stranger's pull request can commit links; CI then runs ``argmap build`` on it. Each
test puts a link where the build keeps something (the cache, the lock, the output
folder, the folders on its way, entries inside them) and checks that the files the
link points to are exactly as they were, and that the build either refuses with exit
code 2 naming the link, or does not follow it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.diagnostics import ExitCode
from argmap.output import OutputFolderRefusedError, RenderCache, SiteWriter

from .conftest import FIXTURES

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of three maps (the current folder) and a victim folder beside it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "cites", root / "arguments")
    (root / "argmap.toml").write_text('[site]\ntitle = "Maps"\n', encoding="utf-8")
    (root / "README.md").write_text("mine\n", encoding="utf-8")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "notes.txt").write_text("precious\n", encoding="utf-8")
    (victim / "report.md").write_text("also precious\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: a file's bytes, a link's target, a folder's mark."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"-> {path.readlink()}"
        elif path.is_dir():
            found[name] = "dir"
        else:
            found[name] = path.read_bytes()
    return found


def build(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", "--jobs", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("target", ["../victim", "."])
def test_a_linked_cache_is_refused_and_nothing_behind_it_is_touched(
    project: Path, target: str
) -> None:
    """``ln -s ../victim .build.cache`` (or a committed ``ln -s . .build.cache``): the
    cache's pruning deleted every regular file of the folder the link points to."""
    (project / ".build.cache").symlink_to(target)
    before = snapshot(project.parent)
    code, output = build()
    assert code == ExitCode.USAGE_ERROR, output
    assert ".build.cache is a symbolic link" in output
    assert "remove the link" in output
    assert snapshot(project.parent) == before


@pytest.mark.needs_dot
def test_a_cache_linked_after_a_build_is_refused(project: Path) -> None:
    assert build()[0] == ExitCode.OK
    shutil.rmtree(project / ".build.cache")
    (project / ".build.cache").symlink_to("../victim")
    before = snapshot(project.parent / "victim")
    assert build()[0] == ExitCode.USAGE_ERROR
    assert snapshot(project.parent / "victim") == before


def test_the_cache_never_prunes_or_writes_through_a_link(project: Path) -> None:
    """The cache on its own, as a worker process uses it: a linked folder is no cache."""
    victim = project.parent / "victim"
    before = snapshot(victim)
    (project / ".build.cache").symlink_to("../victim")
    cache = RenderCache(project / "build", "salt")
    cache.put(cache.key("source", "svg"), b"<svg/>")
    assert cache.get(cache.key("other", "svg")) is None
    cache.prune()
    assert snapshot(victim) == before


def test_the_cache_prunes_only_its_own_regular_files(project: Path) -> None:
    cache = RenderCache(project / "build", "salt")
    kept = cache.key("kept", "svg")
    cache.put(kept, b"<svg/>")
    cache.put(cache.key("old", "svg"), b"<svg/>")
    folder = cache.folder
    (folder / "notes.txt").write_text("not argmap's\n", encoding="utf-8")
    entry_like = cache.key("linked", "svg")
    (folder / entry_like).symlink_to(project.parent / "victim" / "notes.txt")
    before = snapshot(project.parent / "victim")
    fresh = RenderCache(project / "build", "salt")
    assert fresh.get(kept) == b"<svg/>"
    fresh.prune()
    assert sorted(p.name for p in folder.iterdir()) == sorted([kept, entry_like, "notes.txt"])
    assert snapshot(project.parent / "victim") == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_or_device_in_place_of_a_cache_entry_is_a_miss(project: Path) -> None:
    """Reading the build's state through ``/dev/zero`` ran out of memory; a FIFO hung."""
    cache = RenderCache(project / "build", "salt")
    cache.folder.mkdir()
    os.mkfifo(cache.folder / "output-state.json")
    key = cache.key("zero", "svg")
    (cache.folder / key).symlink_to("/dev/zero")
    found: list[object] = []

    def read() -> None:
        found.append(cache.get(key))
        found.append(output_state(cache))
        with cache.opened(key) as entry:
            found.append(entry)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "reading the cache hung on a FIFO"
    assert found == [None, None, None]


def output_state(cache: RenderCache) -> object:
    from argmap.output.folder import read_state

    return read_state(cache.state)


def test_a_linked_lock_file_is_refused(project: Path) -> None:
    """Opening the lock through a link created (or could append to) the link's target."""
    (project / ".build.lock").symlink_to("../victim/lock")
    before = snapshot(project.parent)
    code, output = build()
    assert code == ExitCode.USAGE_ERROR, output
    assert ".build.lock is a symbolic link" in output
    assert snapshot(project.parent) == before
    with (
        pytest.raises(OutputFolderRefusedError, match="not a regular file"),
        SiteWriter(project / "build"),
    ):
        pass  # the lock taken straight, as a build's writer takes it
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("target", ["../victim", "/", "..", "arguments"])
def test_a_linked_output_folder_is_refused(project: Path, target: str) -> None:
    (project / "build").symlink_to(target)
    before = snapshot(project.parent / "victim")
    code, output = build()
    assert code == ExitCode.USAGE_ERROR, output
    assert "build is a symbolic link" in output
    assert snapshot(project.parent / "victim") == before
    assert (project / "build").is_symlink()


@pytest.mark.parametrize("link", ["build", ".build.cache"])
def test_serve_refuses_a_linked_output_folder_or_cache_and_serves_nothing(
    project: Path, link: str
) -> None:
    """serve printed the refusal of its first build, then served the folder the link
    pointed to (``build -> ../victim``: the victim folder's listing) until stopped."""
    (project / link).symlink_to("../victim")
    before = snapshot(project.parent)
    completed = subprocess.run(
        [sys.executable, "-m", "argmap", "serve", "--port", "0", "--interval", "0.2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == ExitCode.USAGE_ERROR, completed.stderr
    assert f"{link} is a symbolic link to ../victim" in completed.stderr
    assert "serving" not in completed.stdout
    assert snapshot(project.parent) == before


def test_a_link_on_the_way_to_the_output_folder_is_refused(project: Path) -> None:
    """``--out site/build`` with ``site -> ../victim``: the staging folder, the new output
    folder, the cache and the lock all went into the victim folder."""
    (project / "site").symlink_to("../victim")
    before = snapshot(project.parent / "victim")
    code, output = build("--out", "site/build")
    assert code == ExitCode.USAGE_ERROR, output
    assert "site is a symbolic link to ../victim (on the way to site/build)" in output
    assert snapshot(project.parent / "victim") == before


def test_a_linked_leftover_staging_folder_is_not_followed(project: Path) -> None:
    (project / ".build.tmp-left").symlink_to("../victim")
    (project / ".build.old-left").symlink_to("../victim")
    before = snapshot(project.parent / "victim")
    with SiteWriter(project / "build") as writer:
        writer.write("index.html", (b"<p>",))
        writer.finish()
    assert snapshot(project.parent / "victim") == before


@pytest.mark.needs_dot
def test_links_inside_the_output_folder_are_neither_followed_nor_published(
    project: Path,
) -> None:
    """A link in the output folder (``.well-known`` is carried over into every build)
    was copied into the new site, where publishing it (``tar --dereference``) would
    publish what it points to."""
    assert build()[0] == ExitCode.OK
    out = project / "build"
    (out / ".well-known").symlink_to("../../victim")
    (out / "CNAME").symlink_to("../../victim/notes.txt")
    (out / "index.html").unlink()
    (out / "index.html").symlink_to("../../victim/report.md")
    (out / "maps").symlink_to("../../victim")
    before = snapshot(project.parent / "victim")
    code, output = build()
    assert code == ExitCode.OK, output
    assert snapshot(project.parent / "victim") == before
    assert not any(p.is_symlink() for p in [out, *out.rglob("*")])
    assert b"<html" in (out / "index.html").read_bytes()


@pytest.mark.needs_dot
def test_a_well_known_folder_is_carried_over_without_its_links(project: Path) -> None:
    assert build()[0] == ExitCode.OK
    known = project / "build" / ".well-known"
    known.mkdir()
    (known / "security.txt").write_text("Contact: mailto:me@example.org\n", encoding="utf-8")
    (known / "keys").symlink_to("../../../victim")
    assert build()[0] == ExitCode.OK
    assert snapshot(known) == {"security.txt": b"Contact: mailto:me@example.org\n"}


@pytest.mark.parametrize("out", ["../victim-site", "/tmp/argmap-victim-site", "a/../../x"])
def test_site_out_in_argmap_toml_must_stay_in_the_project(project: Path, out: str) -> None:
    """argmap.toml comes with the project: ``out = "../x"`` made a build create a
    folder, a cache and a lock outside it (and replace an empty folder there)."""
    (project / "argmap.toml").write_text(f'[site]\nout = "{out}"\n', encoding="utf-8")
    before = snapshot(project.parent)
    code, output = build()
    assert code == ExitCode.USAGE_ERROR, output
    assert "is outside the project folder" in output
    assert "--out" in output
    assert snapshot(project.parent) == before
    assert not Path("/tmp/argmap-victim-site").exists()


@pytest.mark.needs_dot
def test_site_out_inside_the_project_and_out_outside_it_on_the_command_line(
    project: Path,
) -> None:
    (project / "argmap.toml").write_text('[site]\nout = "site/public"\n', encoding="utf-8")
    assert build()[0] == ExitCode.OK
    assert (project / "site" / "public" / "index.html").is_file()
    assert build("--out", "../elsewhere")[0] == ExitCode.OK
    assert (project.parent / "elsewhere" / "index.html").is_file()


SECRET = "token = 'ghp_secret123'\nsecond line\n"


@pytest.mark.parametrize("command", ["check", "build", "fmt"])
@pytest.mark.parametrize("where", ["map", "folder", "named"])
def test_a_map_linked_to_a_file_outside_the_project_is_not_read(
    project: Path, command: str, where: str
) -> None:
    """``arguments/x.toml -> ~/.cargo/credentials.toml``: its lines were quoted in the
    problems (AM003, AM101), which CI logs publish."""
    secret = project.parent / "victim" / "credentials.toml"
    secret.write_text(SECRET, encoding="utf-8")
    args = [command]
    if where == "map":
        (project / "arguments" / "leak.toml").symlink_to(secret)
    elif where == "folder":
        shutil.rmtree(project / "arguments")
        (project / "arguments").symlink_to(secret.parent)
    else:
        (project / "leak.toml").symlink_to(secret)
        args.append("leak.toml")
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "is a symbolic link to" in result.output
    assert "ghp_secret123" not in result.output


def test_a_map_linked_inside_the_project_and_a_folder_named_outside_it_are_read(
    project: Path,
) -> None:
    shared = project / "shared"
    shared.mkdir()
    (project / "arguments" / "night-buses.toml").rename(shared / "buses.toml")
    (project / "arguments" / "night-buses.toml").symlink_to(shared / "buses.toml")
    assert runner.invoke(app, ["check"]).exit_code == ExitCode.OK
    outside = project.parent / "outside"
    shutil.copytree(FIXTURES / "cites", outside)
    assert runner.invoke(app, ["check", str(outside)]).exit_code == ExitCode.OK


@pytest.mark.parametrize(
    ("command", "link"), [(["new", "unit3/fresh"], "arguments"), (["init"], ".github")]
)
def test_new_and_init_write_no_file_through_a_link_out_of_the_project(
    project: Path, command: list[str], link: str
) -> None:
    """``arguments -> ../victim`` (or ``.github``): ``new`` and ``init`` created their
    files in the folder the link pointed to, outside the project."""
    if link == "arguments":
        shutil.rmtree(project / "arguments")
    (project / link).symlink_to("../victim")
    before = snapshot(project.parent)
    result = runner.invoke(app, command)
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert f"{link} is a symbolic link to ../victim" in result.output
    assert "Try 'argmap --help'" not in result.output  # a refusal, not a usage mistake
    assert snapshot(project.parent) == before  # init wrote none of its files either


def test_new_and_init_write_through_a_link_inside_the_project(project: Path) -> None:
    (project / "maps").mkdir()
    (project / "arguments" / "unit3").symlink_to("../maps")
    assert runner.invoke(app, ["new", "unit3/fresh"]).exit_code == ExitCode.OK
    assert (project / "maps" / "fresh.toml").is_file()
    (project / "ci").mkdir()
    (project / ".github").symlink_to("ci")
    assert runner.invoke(app, ["init"]).exit_code == ExitCode.OK
    assert (project / "ci" / "workflows" / "argmap.yml").is_file()


def test_a_link_to_a_folder_below_the_maps_folder_is_not_searched(project: Path) -> None:
    """As docs/security.md says (pathlib's rglob does not enter linked folders): a
    link ``arguments/loop -> .`` neither loops nor doubles the maps."""
    (project / "arguments" / "loop").symlink_to(".")
    (project / "arguments" / "out").symlink_to(project.parent / "victim")
    (project.parent / "victim" / "m.toml").write_text('[map]\ntitle = "x"\n', "utf-8")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "ok: 3 map(s) checked" in result.output


def test_a_cited_map_linked_out_of_the_project_is_not_read(project: Path) -> None:
    """``check arguments/night-buses.toml`` read the map it cites, not being checked,
    for its title and texts, through ``unit2/transport.toml -> ../victim/...``."""
    cited = project / "arguments" / "unit2" / "transport.toml"
    outside = project.parent / "victim" / "transport.toml"
    cited.rename(outside)
    cited.symlink_to(outside)
    result = runner.invoke(app, ["check", "arguments/night-buses.toml"])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "transport.toml is a symbolic link to" in result.output
