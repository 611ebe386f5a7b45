"""Every input error ``argmap check`` reports, pinned by data-driven fixtures.

Each ``fixtures/invalid/NAME.toml`` is a small broken map. ``NAME.expected`` beside it
holds exactly what :func:`argmap.pipeline.check` reports for it, in order: one headline
per diagnostic, ``NAME.toml:LINE:COL: error[CODE]: MESSAGE`` (the path relative to the
fixture folder), each followed by ``  hint: HINT``. Every ``fixtures/valid/*.toml`` map
must pass with no diagnostics at all.

After a deliberate change to messages or positions, rewrite the expected files with::

    ARGMAP_UPDATE_FIXTURES=1 .venv/bin/pytest tests/test_validate.py

then read the diff like any code change: each line and column must still point at the
key or value that causes the problem.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from argmap.diagnostics import Diagnostic, Severity
from argmap.pipeline import check

from .conftest import FIXTURES

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
UPDATE = os.environ.get("ARGMAP_UPDATE_FIXTURES") == "1"

# Fixtures whose problems are only warnings: the map still builds.
WARNING_ONLY = frozenset({"source-text-file-missing", "source-text-file-not-utf8"})


def _fixtures(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def render(diagnostics: Iterable[Diagnostic], folder: Path) -> str:
    """Headlines and hints as in ``NAME.expected``, with paths relative to ``folder``."""
    lines: list[str] = []
    for diagnostic in diagnostics:
        relative = diagnostic.path.relative_to(folder)
        lines.append(dataclasses.replace(diagnostic, path=relative).headline())
        if diagnostic.hint:
            lines.append(f"  hint: {diagnostic.hint}")
    return "".join(f"{line}\n" for line in lines)


def source_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8-sig", errors="replace").splitlines()


@pytest.mark.parametrize("fixture", _fixtures(INVALID), ids=lambda p: p.stem)
def test_invalid_fixture_reports_exactly_the_expected_diagnostics(fixture: Path) -> None:
    actual = render(check([fixture]).diagnostics, INVALID)
    expected_file = fixture.with_suffix(".expected")
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8", newline="\n")
    assert expected_file.exists(), f"run with ARGMAP_UPDATE_FIXTURES=1 to write {expected_file}"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", _fixtures(INVALID), ids=lambda p: p.stem)
def test_invalid_fixture_fails_the_check(fixture: Path) -> None:
    result = check([fixture])
    if fixture.stem in WARNING_ONLY:
        assert result.diagnostics
        assert all(d.severity is Severity.WARNING for d in result.diagnostics)
        assert result.graphs, "a warning alone must not stop the map from building"
    else:
        assert result.errors
        assert not result.graphs


@pytest.mark.parametrize("fixture", _fixtures(INVALID), ids=lambda p: p.stem)
def test_diagnostics_point_into_the_file_in_line_order(fixture: Path) -> None:
    lines = source_lines(fixture) or [""]  # an empty file still has a line 1
    positions = [d.position for d in check([fixture]).diagnostics]
    for position in positions:
        assert 1 <= position.line <= len(lines), position
        assert 1 <= position.column <= len(lines[position.line - 1]) + 1, position
    ordered = [(p.line, p.column) for p in positions]
    assert ordered == sorted(ordered)


@pytest.mark.parametrize("fixture", _fixtures(VALID), ids=lambda p: p.stem)
def test_valid_fixture_passes_without_any_diagnostic(fixture: Path) -> None:
    result = check([fixture])
    assert render(result.diagnostics, VALID) == ""
    assert len(result.graphs) == 1


def test_every_invalid_fixture_has_its_expected_file_and_no_file_is_orphaned() -> None:
    maps = {p.stem for p in _fixtures(INVALID)}
    expected = {p.stem for p in INVALID.glob("*.expected")}
    assert maps == expected
    assert maps >= WARNING_ONLY


def test_byte_level_fixtures_were_not_normalised_by_an_editor() -> None:
    assert (VALID / "bom.toml").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (VALID / "crlf-line-endings.toml").read_bytes()
    for latin_1 in (INVALID / "not-utf8.toml", FIXTURES / "sources" / "latin-1.txt"):
        with pytest.raises(UnicodeDecodeError):
            latin_1.read_bytes().decode("utf-8")


def test_two_maps_whose_page_names_differ_only_in_case(tmp_path: Path) -> None:
    text = (VALID / "minimal.toml").read_text(encoding="utf-8")
    for name in ("Night-Buses.toml", "night-buses.toml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = check([tmp_path])
    assert render(result.diagnostics, tmp_path) == (
        "night-buses.toml:1:1: error[AM006]: another map has the same page name 'night-buses': "
        f"{tmp_path / 'Night-Buses.toml'}\n"
        "  hint: rename one of the two files\n"
    )


def test_a_folder_without_maps(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a map", encoding="utf-8")
    (diagnostic,) = check([tmp_path]).diagnostics
    assert diagnostic.message == f"no map files (*.toml) found in {tmp_path}"
    assert diagnostic.hint.startswith("put maps in arguments/")
