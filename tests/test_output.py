from __future__ import annotations

import errno
import io
import os
import pickle
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pytest
from typer.testing import CliRunner, Result

from argmap import output
from argmap.build import pipeline
from argmap.cli import app
from argmap.diagnostics import ExitCode, SetupError
from argmap.output import (
    OutputFolderRefusedError,
    SiteWriter,
    check_output_folder,
    output_unchanged,
    safe_relative_path,
)
from tests.conftest import FIXTURES

runner = CliRunner()


def write_site(
    files: dict[str, bytes], out_dir: Path, *, state: Path | None = None, site_key: str = ""
) -> bool:
    """Replace ``out_dir`` with exactly ``files``, as a build does (through SiteWriter)."""
    with SiteWriter(out_dir, state=state, site_key=site_key) as site:
        for name in sorted(files):
            site.write(name, (files[name],))
        return site.finish()


def sealed_whole(folder: Path, name: str, data: bytes) -> bytes:
    """The entry ``name`` as the cache stores ``data`` given whole (RenderCache.put)."""
    cache = output.RenderCache(folder / "build", "salt")
    cache.put(name, data)
    return (folder / ".build.cache" / name).read_bytes()


@pytest.mark.parametrize(
    "name", ["../x.html", "/etc/passwd", "a/../../x", "", ".", "a\\b.html", "C:x.html"]
)
def test_unsafe_output_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="unsafe output path"):
        safe_relative_path(name)


def test_write_replaces_the_folder_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site({"index.html": b"one", "old.html": b"old"}, out)
    write_site({"index.html": b"two", "sub/page.html": b"p"}, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".argmap-output",
        "index.html",
        "sub/page.html",
    ]
    assert (out / "index.html").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build"], "no temp folders"


def test_a_write_failure_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site({"index.html": b"one"}, out)
    # A file and a folder of the same name cannot both be written.
    with pytest.raises(SetupError, match="cannot write the site"):
        write_site({"a": b"file", "a/b.html": b"inside"}, out)
    assert (out / "index.html").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build"]


def test_output_that_is_a_file_is_an_environment_problem(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.write_text("not a folder", encoding="utf-8")
    with pytest.raises(SetupError):
        write_site({"index.html": b"x"}, out)
    assert out.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("where", [".", "..", "arguments", "arguments/.."])
def test_output_folder_must_not_contain_the_inputs_or_the_current_folder(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "project" / "arguments").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "project")
    with pytest.raises(OutputFolderRefusedError, match="contains"):
        check_output_folder(Path(where), [Path("arguments")])


def test_a_foreign_non_empty_folder_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(OutputFolderRefusedError, match="not written by argmap"):
        check_output_folder(out, [])
    write_site({"index.html": b"x"}, tmp_path / "site")
    check_output_folder(tmp_path / "site", [])  # argmap's own output may be replaced
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty", [])


def test_leftovers_of_a_killed_build_are_cleaned_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site({"index.html": b"one"}, out)
    for leftover in (".build.tmp-dead", ".build.old-dead"):
        (tmp_path / leftover / "sub").mkdir(parents=True)
    write_site({"index.html": b"two"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build"]


def test_two_builds_at_once_each_leave_a_whole_site(tmp_path: Path) -> None:
    out = tmp_path / "build"
    sites = [
        {f"page{n}.html": bytes([n]) * 1000 for n in range(200)} | {"id": bytes([k])}
        for k in (1, 2)
    ]
    errors: list[BaseException] = []

    def run(files: dict[str, bytes]) -> None:
        try:
            for _ in range(5):
                write_site(files, out)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(files,)) for files in sites]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    written = {p.name for p in out.iterdir()}
    assert written == set(sites[0]) | {".argmap-output"}
    assert (out / "id").read_bytes() in (b"\x01", b"\x02")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build"]


def test_a_full_disk_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    write_site({"index.html": b"one", "a.html": b"a"}, out)
    from argmap.output import folder

    real_write = output.write_file
    written: list[str] = []

    def fill_up(folder: Path, name: str, chunks: Iterable[bytes]) -> str:
        if written:  # the disk fills after the first file
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(name)
        return real_write(folder, name, chunks)

    monkeypatch.setattr(folder, "write_file", fill_up)
    with pytest.raises(SetupError, match="No space left on device"):
        write_site({"index.html": b"two", "a.html": b"b", "c.html": b"c"}, out)
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"one" and (out / "a.html").read_bytes() == b"a"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build"]


def test_an_unchanged_site_is_not_written_again_unless_the_record_is_damaged(
    tmp_path: Path,
) -> None:
    out, state = tmp_path / "build", tmp_path / ".build.cache" / "output-state.json"
    files = {"index.html": b"one", "a/b.html": b"b"}
    assert write_site(files, out, state=state, site_key="k")
    assert not write_site(files, out, state=state, site_key="k")  # left alone
    assert output_unchanged(out, state, "k") and not output_unchanged(out, state, "other")
    state.write_text('{"site_key": "k", "files": {"index.html": 3}}', encoding="utf-8")
    assert not output_unchanged(out, state, "k")
    assert write_site(files, out, state=state, site_key="k")  # written again, recorded anew
    assert output_unchanged(out, state, "k")
    (out / "a" / "b.html").write_bytes(b"changed by hand")
    assert not output_unchanged(out, state, "k")
    assert write_site(files, out, state=state, site_key="k")
    assert (out / "a" / "b.html").read_bytes() == b"b"


class _Planted:
    """A pickle that, when loaded, leaves a file behind: what a planted entry could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.needs_dot
def test_cache_entries_planted_in_the_project_are_never_used(tmp_path: Path) -> None:
    # The cache sits beside the output, inside a project a stranger's pull request can
    # change; entries without this user's seal must be ignored, never unpickled.
    from argmap.build.pipeline import build

    project = tmp_path / "project"
    (project / "arguments").mkdir(parents=True)
    (project / "arguments" / "m.toml").write_bytes(
        (FIXTURES / "valid" / "minimal.toml").read_bytes()
    )
    out = project / "build"
    build([project / "arguments"], out)
    cold = _tree(out)
    entries = [path for path in (project / ".build.cache").iterdir() if path.is_file()]
    assert entries
    marker = tmp_path / "planted-code-ran"
    for entry in entries:
        entry.write_bytes(pickle.dumps(_Planted(marker)))
    (out / "index.html").write_bytes(b"<script>planted</script>")
    build([project / "arguments"], out)
    assert not marker.exists()
    assert _tree(out) == cold


def test_a_sealed_entry_opens_only_under_its_own_name_and_unchanged(tmp_path: Path) -> None:
    cache = output.RenderCache(tmp_path / "build", "salt")
    cache.put("entry", b"data")
    assert cache.get("entry") == b"data"
    entry = tmp_path / ".build.cache" / "entry"
    sealed = entry.read_bytes()
    for name, planted in [
        ("other", sealed),  # another entry's seal
        ("entry", sealed[:-1] + b"x"),  # changed data
        ("entry", b"data"),  # no seal
        ("entry", b""),
    ]:
        (tmp_path / ".build.cache" / name).write_bytes(planted)
        assert cache.get(name) is None, (name, planted)


@pytest.mark.needs_dot
def test_without_a_key_the_cache_is_off_and_the_build_still_works(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    assert output.read_cache_secret(blocker / "argmap") is None
    # The key is read once per process: a process of its own, with a home that has none.
    (tmp_path / "arguments").mkdir()
    (tmp_path / "arguments" / "m.toml").write_bytes(
        (FIXTURES / "valid" / "minimal.toml").read_bytes()
    )
    argv = [sys.executable, "-m", "argmap", "build", "arguments", "-o", "build"]
    environment = dict(os.environ, XDG_CACHE_HOME=str(blocker))
    for _ in range(2):  # the second build finds no entry to use either
        done = subprocess.run(argv, cwd=tmp_path, env=environment, capture_output=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "build" / "m.html").is_file()
        cache = tmp_path / ".build.cache"
        assert not cache.exists() or not any(cache.iterdir())


def test_the_key_is_made_once_private_and_shared_by_later_processes(tmp_path: Path) -> None:
    folder = tmp_path / "argmap"
    first = output.read_cache_secret(folder)  # made
    assert first is not None and output.read_cache_secret(folder) == first  # read back
    key_file = folder / "cache-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key_file.write_bytes(b"short")  # damaged: replaced by a new key
    second = output.read_cache_secret(folder)
    assert second is not None and second != first and len(second) == 32


@pytest.mark.needs_dot
def test_compiled_templates_are_shared_by_every_output_folder_and_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap.build.pipeline import build

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "m.toml").write_bytes((FIXTURES / "valid" / "minimal.toml").read_bytes())
    build([maps], tmp_path / "one")
    compiled = sorted((tmp_path / "home-cache" / "argmap" / "templates").glob("*.jinja"))
    assert compiled
    before = {path: path.stat().st_mtime_ns for path in compiled}
    build([maps], tmp_path / "two")  # a cold build elsewhere: nothing compiled again
    assert {path: path.stat().st_mtime_ns for path in compiled} == before
    for path in compiled:  # planted: not this user's seal, so compiled afresh
        path.write_bytes(b"\0" * 32 + b"planted bytecode")
    build([maps], tmp_path / "three")
    assert all(b"planted" not in path.read_bytes() for path in compiled)
    assert _tree(tmp_path / "three") == _tree(tmp_path / "one")


def test_an_entry_written_as_a_stream_is_sealed_and_refused_once_changed(
    tmp_path: Path,
) -> None:
    cache = output.RenderCache(tmp_path / "build", "salt")
    record = {"page": b"x" * 300_000, "keys": ["a", "b"]}
    cache.write("k.page", lambda file: pickle.dump(record, file, pickle.HIGHEST_PROTOCOL))
    entry = tmp_path / ".build.cache" / "k.page"
    data = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
    whole = sealed_whole(tmp_path / "whole", "k.page", data)
    assert entry.read_bytes() == whole  # as if sealed whole
    stored = cache.get("k.page")
    assert stored is not None and pickle.loads(stored) == record
    sealed = entry.read_bytes()
    for changed in (
        sealed[:-1] + bytes([sealed[-1] ^ 1]),  # the data
        bytes([sealed[0] ^ 1]) + sealed[1:],  # the seal
        sealed[:100_000],  # cut short
    ):
        entry.write_bytes(changed)
        assert cache.get("k.page") is None
    (tmp_path / ".build.cache" / "other.page").write_bytes(sealed)
    assert cache.get("other.page") is None  # sealed under another name


def test_an_entry_opened_as_a_file_is_checked_whole_before_any_of_it_is_read(
    tmp_path: Path,
) -> None:
    # A page's entry is its record, then its files: read as a file, a chunk at a time,
    # and only once the seal of all of it has been checked (a pickle runs code).
    from argmap import output

    cache = output.RenderCache(tmp_path / "build", "salt")
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>" * 700_000)  # more than one chunk

    def write(file: BinaryIO) -> None:
        pickle.dump({"size": page.stat().st_size}, file, pickle.HIGHEST_PROTOCOL)
        output.copy_in(page, file)

    cache.write("k.page", write)
    with cache.opened("k.page") as entry:
        assert entry is not None
        record = pickle.load(entry)
        output.copy_out(entry, tmp_path / "out" / "page.html", record["size"])
        assert entry.read() == b""
    assert (tmp_path / "out" / "page.html").read_bytes() == page.read_bytes()
    stored = tmp_path / ".build.cache" / "k.page"
    sealed = stored.read_bytes()
    for changed in (sealed[:-1] + bytes([sealed[-1] ^ 1]), sealed[: len(sealed) // 2]):
        stored.write_bytes(changed)
        with cache.opened("k.page") as entry:
            assert entry is None
    stored.unlink()
    with cache.opened("k.page") as entry:
        assert entry is None
    assert "k.page" in cache.used


def test_copying_out_more_than_an_entry_holds_is_an_error(tmp_path: Path) -> None:
    from argmap import output

    with pytest.raises(OSError, match="ended 5 bytes early"):
        output.copy_out(io.BytesIO(b"12345"), tmp_path / "a.svg", 10)


def test_an_entry_whose_writing_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    from argmap import output

    cache = output.RenderCache(tmp_path / "build", "salt")

    def fail(file: BinaryIO) -> None:
        file.write(b"half")
        raise ValueError("cannot pickle this")

    with pytest.raises(ValueError, match="cannot pickle"):
        cache.write("k.page", fail)
    assert list((tmp_path / ".build.cache").iterdir()) == []
    assert cache.get("k.page") is None


# A full disk (or a quota, a read-only file system, no permission) in every command that
# writes: exit code 3 with the system's words and a hint, no traceback, and the previous
# output left whole. The disk is made to fill at argmap's one write call, output.files._write.

BUSES = FIXTURES / "cites" / "night-buses.toml"


def full_disk(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
    def fail(file: BinaryIO, data: bytes) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.files, "_write", fail)


def assert_environment_error(result: Result, words: str) -> None:
    assert result.exit_code == ExitCode.ENVIRONMENT_ERROR, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert words in result.stderr
    assert "hint:" in result.stderr


@pytest.mark.needs_dot
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_on_a_full_disk_exits_3_and_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """It was a traceback with exit code 1 (a page file's write, outside SiteWriter)."""
    shutil.copytree(FIXTURES / "cites", tmp_path / "arguments")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["build", "-j", jobs]).exit_code == ExitCode.OK
    before = {p: p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    changed = tmp_path / "arguments" / "night-buses.toml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("bus", "tram"), "utf-8")
    full_disk(monkeypatch)
    result = runner.invoke(app, ["build", "-j", jobs])
    assert_environment_error(result, "No space left on device")
    assert "build/ was left as it was" in result.stderr
    after = {p: p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".build.t")) == []


def test_the_site_writer_on_a_full_disk_says_what_the_build_command_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk met by the build's writer (index.html, or a page when the pool is not
    used) said "the previous output was left as it was" and named the resolved folder;
    met in a worker, "build/ was left as it was": one message, whichever process
    writes first (the test above failed now and then with --jobs 2)."""
    monkeypatch.chdir(tmp_path)
    full_disk(monkeypatch)
    with pytest.raises(SetupError) as raised, SiteWriter(Path("build")) as writer:
        writer.write("index.html", (b"<p>",))
    assert raised.value.message == "cannot write the site to build: No space left on device"
    assert raised.value.hint is not None
    assert raised.value.hint.endswith("; build/ was left as it was")


def command_lines(tmp_path: Path) -> dict[str, list[str]]:
    target = str(tmp_path / "out")
    interop = FIXTURES / "interop"
    return {
        "export": ["export", str(BUSES), "--to", "json", "-o", target],
        "import": ["import", str(interop / "xaif-dialogue.json"), "-o", target, "--force"],
        "schema": ["schema", "-o", target],
        "render": ["render", str(BUSES), "--fragment", "-o", target],
        "handout": ["handout", str(BUSES), "-o", target],
    }


@pytest.mark.needs_dot
@pytest.mark.parametrize("command", ["export", "import", "schema", "render", "handout"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES])
def test_a_command_writing_a_file_on_a_full_disk_exits_3_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, code: int
) -> None:
    (tmp_path / "out").write_bytes(b"the previous file")
    full_disk(monkeypatch, code)
    result = runner.invoke(app, command_lines(tmp_path)[command])
    assert_environment_error(result, os.strerror(code))
    assert (tmp_path / "out").read_bytes() == b"the previous file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temporary file left"


def test_fmt_on_a_full_disk_exits_3_and_keeps_the_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FIXTURES / "valid" / "minimal.toml").read_text(encoding="utf-8")
    messy = tmp_path / "m.toml"
    messy.write_text(text.replace(" = ", "   =   "), encoding="utf-8")
    before = messy.read_bytes()
    full_disk(monkeypatch)
    result = runner.invoke(app, ["fmt", str(messy)])
    assert_environment_error(result, f"cannot write {messy}: No space left on device")
    assert f"free some disk space and run the command again; {messy} was left" in result.stderr
    assert messy.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.toml"]


@pytest.mark.parametrize(
    "command",
    [
        "export",
        "schema",
        "render",
        "import",
        pytest.param("handout", marks=pytest.mark.needs_dot),
    ],
)
def test_a_command_never_writes_through_a_link_to_a_file(tmp_path: Path, command: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    (tmp_path / "out").symlink_to(victim)
    result = runner.invoke(app, command_lines(tmp_path)[command])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "out is a symbolic link" in result.stderr
    assert victim.read_bytes() == b"precious"


@pytest.mark.needs_dot
def test_handout_never_writes_its_default_file_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o, handout writes NAME-handout.html into the current folder, which a
    project (and a stranger's pull request) can fill with links."""
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"{BUSES.stem}-handout.html").symlink_to(victim)
    result = runner.invoke(app, ["handout", str(BUSES)])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "is a symbolic link" in result.stderr
    assert victim.read_bytes() == b"precious"


def test_a_command_writes_into_a_device_named_by_a_link(tmp_path: Path) -> None:
    """``-o /dev/stdout`` (itself a link) still works: a device is not a file replaced."""
    (tmp_path / "out").symlink_to(os.devnull)
    result = runner.invoke(app, command_lines(tmp_path)["schema"])
    assert result.exit_code == ExitCode.OK, result.output
    assert (tmp_path / "out").is_symlink()


def test_a_machine_error_no_command_expected_is_exit_3_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def check_that_fails(paths: list[Path]) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "somewhere")

    monkeypatch.setattr(pipeline, "check", check_that_fails)
    result = runner.invoke(app, ["check", "arguments"])
    assert result.exit_code == ExitCode.ENVIRONMENT_ERROR
    assert "No space left on device" in result.output
    assert "free some disk space" in result.output
    assert "Traceback" not in result.output
