"""A map file's text and its TOML data, with every failure a located diagnostic.

Parsing is the largest single cost of checking a large map, so the text is parsed by
rtoml (a Rust TOML parser) when it is installed; whenever rtoml refuses a text, or is
missing, :mod:`tomllib` reads it, so that every syntax error is worded and located as
tomllib reports it, and a text only rtoml refused is still read.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

from argmap.diagnostics import Diagnostic, InputError, Position
from argmap.model._toml_positions import find_unclosed_string

_rtoml: ModuleType | None
try:
    import rtoml as _rtoml
except ImportError:  # pragma: no cover - rtoml is a dependency; a platform without its wheel
    _rtoml = None


def read_text(path: Path) -> str:
    """Read a map file as UTF-8 (a BOM is allowed); raise InputError if it is not text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            [
                Diagnostic(
                    path,
                    Position(1, 1),
                    "AM001",
                    f"cannot read the file: {error.strerror or error}",
                    "check that the file exists and is readable",
                )
            ]
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        # Count characters, not bytes: everything before the bad byte is valid UTF-8.
        column = len(data[line_start : error.start].decode("utf-8-sig")) + 1
        raise InputError(
            [
                Diagnostic(
                    path,
                    Position(line, column),
                    "AM002",
                    f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x})",
                    "save the file as UTF-8 in your editor (UTF-16 and Latin-1 are not supported)",
                )
            ]
        ) from None


def parse_toml(path: Path, text: str) -> tuple[dict[str, Any] | None, Diagnostic | None]:
    """The TOML data of ``text``, with every failure a diagnostic (AM003), not an exception.

    rtoml reads the text when it can; anything it refuses goes to ``tomllib``, whose
    verdict stands and whose messages the diagnostics are written from. ``tomllib``
    recurses once per level of nested arrays and inline tables, so a file nested a
    thousand levels deep raises RecursionError: that is reported too.
    """
    data = fast_loads(text)
    if data is not None:
        return data, None
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        return None, syntax_diagnostic(path, error, text)
    except RecursionError:
        return None, Diagnostic(
            path,
            _deepest(text),
            "AM003",
            "TOML syntax error: arrays or inline tables are nested too deeply to read",
            "a map needs at most two levels of [ ] or { }: write lists of strings, "
            'such as tags = ["first", "second"]',
        )


def fast_loads(text: str) -> dict[str, Any] | None:
    """rtoml's reading of ``text``, or None when rtoml is missing or refuses it."""
    if _rtoml is None:  # pragma: no cover - see the import
        return None
    if "\r" in text:  # tomllib turns a CRLF in a multi-line string into LF; rtoml keeps it
        text = text.replace("\r\n", "\n")
    try:
        data = _rtoml.loads(text)
    except (_rtoml.TomlParsingError, UnicodeEncodeError):  # a lone surrogate: not UTF-8
        return None
    return data if isinstance(data, dict) else None


def _deepest(text: str, limit: int = 50) -> Position:
    """Where brackets first open ``limit`` levels deep (strings are not told apart)."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth >= limit:
                line = text.count("\n", 0, index) + 1
                return Position(line, index - (text.rfind("\n", 0, index) + 1) + 1)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return Position(1, 1)


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")


_UNCLOSED_ON_LINE = (
    "Illegal character '\\n'",
    "Illegal character '\\r'",
    "Found invalid character '\\n'",
)
_UNCLOSED_HINT = (
    'close the string with the quote that opens it: "..." on one line, """...""" over several'
)


def syntax_diagnostic(path: Path, error: tomllib.TOMLDecodeError, text: str) -> Diagnostic:
    message = str(error)
    match = _TOML_POSITION.search(message)
    if match:
        position = Position(int(match.group(1)), int(match.group(2)))
        message = message[: match.start()]
    else:
        message = _TOML_END.sub("", message)
        position = _end_position(text)
    lines = text.splitlines()
    line = lines[position.line - 1] if position.line <= len(lines) else ""
    hint = "fix the TOML syntax here; see docs/format.md for the shape of a map"
    if message.startswith(("Cannot overwrite a value", "Cannot declare")):
        message = "this key or table is defined twice"
        hint = "every key and every node id may appear only once in a map; rename or merge one"
        # tomllib points after the value or header; show the start of the line instead.
        position = Position(position.line, len(line) - len(line.lstrip()) + 1)
    elif message.startswith("Unescaped '\\'"):
        message = "invalid escape sequence: a backslash must start an escape such as \\n"
        hint = "write \\\\ for a backslash, or use a 'literal string' where \\ has no meaning"
        backslash = line.rfind("\\", 0, position.column - 1)  # tomllib points past it
        if backslash != -1:
            position = Position(position.line, backslash + 1)
    elif message.startswith(_UNCLOSED_ON_LINE):
        message = "the string is not closed on this line"
        hint = _UNCLOSED_HINT
    elif message.startswith(("Unterminated string", "Expected \"'")):
        message = "this string is never closed"
        hint = _UNCLOSED_HINT
        position = find_unclosed_string(text) or position
    elif message.startswith("Invalid value"):
        hint = 'text values need quotes: text = "..." (use """...""" for several lines)'
    elif message.startswith("Expected '=' after a key"):
        hint = "write each entry as key = value"
    elif message.startswith(("Unclosed", "Expected ']")):
        hint = "an array, inline table or table header is not closed"
    return Diagnostic(
        path, position, "AM003", f"TOML syntax error: {message[:1].lower()}{message[1:]}", hint
    )


def _end_position(text: str) -> Position:
    """Just after the last character that is not white space (where tomllib gave up)."""
    stripped = text.rstrip()
    line = stripped.count("\n") + 1
    return Position(line, len(stripped) - (stripped.rfind("\n") + 1) + 1)


# What a TOML value is called in a message ("must be a string, not a list").
_TYPE_NAMES: dict[type, str] = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a table",
    dt.date: "a date",
    dt.datetime: "a date-time",
    dt.time: "a time",
}


def type_name(value: object) -> str:
    """The kind of a TOML value, in the words of a problem report."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)
