from __future__ import annotations

from pathlib import Path

import pytest

from argmap.diagnostics import SetupError
from argmap.output import (
    OutputFolderRefusedError,
    check_output_folder,
    safe_relative_path,
    write_site,
)


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
    assert [p.name for p in tmp_path.iterdir()] == ["build"], "no temporary folders remain"


def test_a_write_failure_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site({"index.html": b"one"}, out)
    # A file and a folder of the same name cannot both be written.
    with pytest.raises(SetupError, match="cannot write the site"):
        write_site({"a": b"file", "a/b.html": b"inside"}, out)
    assert (out / "index.html").read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


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
