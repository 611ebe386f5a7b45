from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from argmap.diagnostics import Diagnostic, Position, Severity, render_text


def test_render_shows_the_line_a_caret_under_the_column_and_the_hint() -> None:
    diagnostic = Diagnostic(
        Path("m.toml"), Position(2, 8), "AM102", "bad value", "write it differently"
    )
    text = render_text(diagnostic, "first\ntitle = 42\n")
    assert text.splitlines() == [
        "m.toml:2:8: error[AM102]: bad value",
        " 2 | title = 42",
        "   |        ^",
        "  hint: write it differently",
    ]


def test_render_without_source_or_past_the_end() -> None:
    diagnostic = Diagnostic(
        Path("m.toml"), Position(9, 1), "AM302", "gone", severity=Severity.WARNING
    )
    assert render_text(diagnostic, "one line") == "m.toml:9:1: warning[AM302]: gone"
    assert render_text(diagnostic, None) == "m.toml:9:1: warning[AM302]: gone"


def test_caret_lines_up_after_tabs() -> None:
    diagnostic = Diagnostic(Path("m.toml"), Position(1, 3), "AM101", "here")
    lines = render_text(diagnostic, "\t\tx = 1").splitlines()
    assert lines[1] == " 1 |         x = 1"
    assert lines[2] == "   |         ^"


def test_control_characters_from_a_map_cannot_drive_the_terminal() -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J"
    diagnostic = Diagnostic(Path("m.toml"), Position(1, 1), "AM101", f"unknown key `{hostile}`")
    text = render_text(diagnostic, f"{hostile} = 1\n")
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;owned\\x07" in text


def test_the_lines_of_a_file_are_split_once_for_all_its_diagnostics() -> None:
    # A big map can have thousands of warnings; splitting the file again for each one
    # made printing them quadratic in the size of the file.
    class Counted(str):
        """A file's text that counts how often it is split."""

        splits = 0

        def split(self, *args: Any, **kwargs: Any) -> list[str]:
            Counted.splits += 1
            return super().split(*args, **kwargs)

    # Text no other test prints (a text printed before would be split already).
    source = Counted(f"# {uuid.uuid4()}\n" + "".join(f"key{n} = {n}\n" for n in range(2, 102)))
    for line in range(2, 102):
        diagnostic = Diagnostic(Path("m.toml"), Position(line, 1), "AM404", "same")
        assert f" {line} | key{line} = {line}" in render_text(diagnostic, source)
    assert Counted.splits == 1
