"""Data-driven fixtures: a map ``NAME.toml`` and beside it ``NAME.expected``, exactly what
:func:`argmap.pipeline.check` reports for it.

``NAME.expected`` holds one headline per diagnostic, in order,
``NAME.toml:LINE:COL: error[CODE]: MESSAGE`` (``warning[CODE]`` for a warning; the path
relative to the fixture folder), each followed by ``  hint: HINT``. Used by
tests/test_validate.py (``fixtures/invalid``) and tests/test_lint.py (``fixtures/lint``).

After a deliberate change to messages or positions, rewrite the expected files with::

    ARGMAP_UPDATE_FIXTURES=1 .venv/bin/pytest tests/test_validate.py tests/test_lint.py

then read the diff like any code change: each line and column must still point at the
key or value that causes the problem.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable
from pathlib import Path

from argmap.build.pipeline import CheckResult, check
from argmap.config import Config
from argmap.diagnostics import Diagnostic
from argmap.model.mapformat import TABLES

UPDATE = os.environ.get("ARGMAP_UPDATE_FIXTURES") == "1"
# Fixtures are checked with the default settings, whatever argmap.toml the tests run beside.
DEFAULTS = Config()
HEADLINE = re.compile(r"^(\S+?):(\d+):(\d+): (error|warning)\[(AM\d{3})\]: ", re.MULTILINE)

# Every key each table of a map file takes, from the definition of the format: the fuzz
# and the wrong-type tests try each one (and argmap.toml's `severity` in [lint]).
KNOWN_KEYS: dict[str, tuple[str, ...]] = {name: table.names for name, table in TABLES.items()}
KNOWN_KEYS["lint"] = (*KNOWN_KEYS["lint"], "severity")


def fixtures(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def check_fixture(fixture: Path) -> CheckResult:
    return check([fixture], DEFAULTS)


def render(diagnostics: Iterable[Diagnostic], folder: Path) -> str:
    """Headlines and hints as in ``NAME.expected``, with paths relative to ``folder``."""
    lines: list[str] = []
    for diagnostic in diagnostics:
        relative = diagnostic.path.relative_to(folder)
        lines.append(dataclasses.replace(diagnostic, path=relative).headline())
        if diagnostic.hint:
            lines.append(f"  hint: {diagnostic.hint}")
    return "".join(f"{line}\n" for line in lines)


def assert_matches_expected(fixture: Path, actual: str) -> None:
    """``actual`` is what ``NAME.expected`` says (rewritten first with ARGMAP_UPDATE_FIXTURES=1)."""
    expected_file = fixture.with_suffix(".expected")
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8", newline="\n")
    assert expected_file.exists(), f"run with ARGMAP_UPDATE_FIXTURES=1 to write {expected_file}"
    assert actual == expected_file.read_text(encoding="utf-8")


def expected_codes(expected_file: Path) -> set[str]:
    return {match[4] for match in HEADLINE.findall(expected_file.read_text(encoding="utf-8"))}


def source_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8-sig", errors="replace").split("\n")


def assert_positions_in_the_file_in_order(fixture: Path, diagnostics: Iterable[Diagnostic]) -> None:
    """Every position is a real line and column of the fixture, in line order."""
    lines = source_lines(fixture) or [""]  # an empty file still has a line 1
    positions = [d.position for d in diagnostics if d.path == fixture]
    for position in positions:
        assert 1 <= position.line <= len(lines), position
        assert 1 <= position.column <= len(lines[position.line - 1]) + 1, position
    ordered = [(p.line, p.column) for p in positions]
    assert ordered == sorted(ordered)
