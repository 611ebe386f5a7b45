"""Every input error ``argmap check`` reports, pinned by data-driven fixtures.

Each ``fixtures/invalid/NAME.toml`` is a small broken map, and ``NAME.expected`` beside
it holds exactly what :func:`argmap.build.pipeline.check` reports for it (the format, and how
to rewrite the files after a deliberate change, are in tests/_fixtures.py). Every
``fixtures/valid/*.toml`` map must pass with no diagnostics at all, lint advice included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.build.pipeline import check
from argmap.diagnostics import Position, Severity

from ._fixtures import (
    DEFAULTS,
    assert_matches_expected,
    assert_positions_in_the_file_in_order,
    check_fixture,
    fixtures,
    render,
)
from .conftest import FIXTURES

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"

# Fixtures whose problems are only warnings: the map still builds.
WARNING_ONLY = frozenset({"source-text-file-missing", "source-text-file-not-utf8"})


@pytest.mark.parametrize("fixture", fixtures(INVALID), ids=lambda p: p.stem)
def test_invalid_fixture_reports_exactly_the_expected_diagnostics(fixture: Path) -> None:
    assert_matches_expected(fixture, render(check_fixture(fixture).diagnostics, INVALID))


@pytest.mark.parametrize("fixture", fixtures(INVALID), ids=lambda p: p.stem)
def test_invalid_fixture_fails_the_check(fixture: Path) -> None:
    result = check_fixture(fixture)
    if fixture.stem in WARNING_ONLY:
        assert result.diagnostics
        assert all(d.severity is Severity.WARNING for d in result.diagnostics)
        assert result.graphs, "a warning alone must not stop the map from building"
    else:
        assert result.errors
        assert not result.graphs


@pytest.mark.parametrize("fixture", fixtures(INVALID), ids=lambda p: p.stem)
def test_diagnostics_point_into_the_file_in_line_order(fixture: Path) -> None:
    assert_positions_in_the_file_in_order(fixture, check_fixture(fixture).diagnostics)


@pytest.mark.parametrize("fixture", fixtures(VALID), ids=lambda p: p.stem)
def test_valid_fixture_passes_without_any_diagnostic(fixture: Path) -> None:
    result = check_fixture(fixture)
    assert render(result.diagnostics, VALID) == ""
    assert len(result.graphs) == 1


def test_every_invalid_fixture_has_its_expected_file_and_no_file_is_orphaned() -> None:
    maps = {p.stem for p in fixtures(INVALID)}
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
    result = check([tmp_path], DEFAULTS)
    assert render(result.diagnostics, tmp_path) == (
        "night-buses.toml:1:1: error[AM006]: another map has the same page name 'night-buses': "
        f"{tmp_path / 'Night-Buses.toml'}\n"
        "  hint: rename one of the two files\n"
    )


def test_a_folder_without_maps(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a map", encoding="utf-8")
    (diagnostic,) = check([tmp_path], DEFAULTS).diagnostics
    assert diagnostic.code == "AM004"
    assert (diagnostic.path, diagnostic.position) == (tmp_path, Position(1, 1))
    assert diagnostic.message == f"no map files (*.toml) found in {tmp_path}"
    assert diagnostic.hint.startswith("put maps in arguments/")


def test_an_unreadable_map_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.toml"
    path.write_bytes((VALID / "minimal.toml").read_bytes())
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert render(check([path], DEFAULTS).diagnostics, tmp_path) == (
        "locked.toml:1:1: error[AM001]: cannot read the file: Permission denied\n"
        "  hint: check that the file exists and is readable\n"
    )
