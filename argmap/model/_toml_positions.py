"""Where each key and value of a TOML document sits in the text.

``tomllib`` gives values without positions, but every diagnostic must name a line and
column. This scanner walks text that ``tomllib`` has already accepted and records, for
each key path, the position of the key and of its value (array elements get their index
as the last path part). It is tolerant: anything it does not understand is skipped, and
callers fall back to the nearest recorded parent.
"""

from __future__ import annotations

import bisect
import re
import tomllib

from argmap.diagnostics import Position

KeyPath = tuple[str | int, ...]

# The body of a one-line string up to its closing quote (or the end of the line): a
# backslash in a basic string takes the next character with it. Regexes, not a loop of
# Python steps, so that a megabyte string is scanned in milliseconds.
_BASIC_BODY = re.compile(r'(?:[^"\\\n]+|\\[\s\S])*')
_LITERAL_BODY = re.compile(r"[^'\n]*")
_NEWLINE = re.compile("\n")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_INLINE_SPACE = re.compile(r"[ \t]*")
_SPACE_AND_NEWLINES = re.compile(r"[ \t\r\n]*")


class PositionIndex:
    """Positions by key path, with lookup that falls back to the closest parent.

    The scanner records offsets into the text; only the positions asked for are
    turned into lines and columns (most recorded keys are never asked about).
    """

    def __init__(self, entries: dict[KeyPath, tuple[int, int]], line_starts: list[int]) -> None:
        self._entries = entries
        self._line_starts = line_starts

    def key(self, path: KeyPath) -> Position:
        found = self._entries.get(path) or self._find(path)
        return self._position(found[0])

    def value(self, path: KeyPath) -> Position:
        found = self._entries.get(path) or self._find(path)
        return self._position(found[1])

    def _find(self, path: KeyPath) -> tuple[int, int]:
        for end in range(len(path) - 1, 0, -1):
            found = self._entries.get(path[:end])
            if found is not None:
                return found
        return (0, 0)

    def _position(self, index: int) -> Position:
        line = bisect.bisect_right(self._line_starts, index)
        return Position(line, index - self._line_starts[line - 1] + 1)


def scan_positions(text: str) -> PositionIndex:
    scanner = _Scanner(text)
    return PositionIndex(scanner.run(), scanner.line_starts)


def find_unclosed_string(text: str) -> Position | None:
    """Where the first string that is never closed opens, or None.

    For text that ``tomllib`` rejected because a string runs to the end of the document:
    everything before that string parsed, so the scanner meets the same opening quote.
    """
    scanner = _Scanner(text)
    scanner.run()
    return None if scanner.unclosed is None else scanner.position(scanner.unclosed)


# The lines almost every map is made of, one match each: a header of bare keys, or
# `key = value` with a one-line string, a list of one-line strings without escapes or a
# bare word (number, date, true/false) as its value. Anything else (quoted or dotted
# keys, multi-line strings, nested lists, inline tables) goes the long way, so
# the pattern need only be right where it matches: there it records what the long way
# records (tests/test_toml_positions.py compares the two).
_FAST_LINE = re.compile(
    r"[ \t\r\n]*(?:"  # blank lines and the indent before it
    r"\[(?P<header>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\]"
    r"|(?P<key>[A-Za-z0-9_-]+)[ \t]*=[ \t]*(?P<value>"
    r'"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"'  # "one-line basic string", escapes and all
    r"|'[^'\n]*'"  # 'one-line literal string'
    r'|(?P<list>\[[ \t]*(?:"[^"\\\n]*"[ \t]*,[ \t]*)*(?:"[^"\\\n]*"[ \t]*)?\])'  # ["a", "b"]
    r"|[A-Za-z0-9_:.+-]+"  # a bare value
    r")"
    r"|#[^\n]*"  # a comment line
    r")[ \t]*(?:#[^\n]*)?(?=\r?\n|\Z)"
)
_FAST_ELEMENT = re.compile(r'"[^"\n]*"')


class _Scanner:
    def __init__(self, text: str, *, fast: bool = True) -> None:
        self.text = text
        self.i = 0
        self.entries: dict[KeyPath, tuple[int, int]] = {}  # offsets of key and value
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self._array_tables: dict[KeyPath, int] = {}
        self.unclosed: int | None = None  # where the first string without an end opens
        self._fast = fast  # False: every line the long way (the tests compare the two)

    def position(self, index: int) -> Position:
        line = bisect.bisect_right(self.line_starts, index)
        return Position(line, index - self.line_starts[line - 1] + 1)

    def run(self) -> dict[KeyPath, tuple[int, int]]:
        table: KeyPath = ()
        while self.i < len(self.text):
            self._skip_space_and_newlines()
            if self.i >= len(self.text):
                break
            if self._fast:
                table = self._fast_lines(table)
                self._skip_space_and_newlines()
                if self.i >= len(self.text):
                    break
            ch = self.text[self.i]
            if ch == "#":
                self._skip_comment()
            elif ch == "[":
                table = self._table_header()
            else:
                self._key_value(table)
        return self.entries

    def _fast_lines(self, table: KeyPath) -> KeyPath:
        """Record common lines, one match each, from ``self.i``; the table left open."""
        text, entries, record = self.text, self.entries, self._record
        table_known = table in entries
        match = _FAST_LINE.match
        found = match(text, self.i)
        while found is not None:
            key = found.group("key")
            if key is not None:
                path = (*table, key)
                value_start = found.start("value")
                if table_known:  # its parents are there too
                    entries.setdefault(path, (found.start("key"), value_start))
                else:
                    record(path, found.start("key"), value_start)
                    table_known = table in entries
                if found.group("list") is not None:
                    for index, item in enumerate(
                        _FAST_ELEMENT.finditer(text, value_start, found.end("list"))
                    ):
                        record((*path, index), item.start(), item.start())
            elif (header := found.group("header")) is not None:
                table = tuple(header.split("."))
                bracket = found.start("header") - 1
                record(table, bracket, bracket)
                table_known = True
            self.i = found.end()
            found = match(text, self.i)
        return table

    # -- structure ---------------------------------------------------------------

    def _table_header(self) -> KeyPath:
        start = self.i
        is_array = self.text.startswith("[[", self.i)
        self.i += 2 if is_array else 1
        path: KeyPath = self._dotted_key()
        self._skip_inline_space()
        self.i += 2 if is_array else 1
        if is_array:
            count = self._array_tables.get(path, 0)
            self._array_tables[path] = count + 1
            self._record(path, start, start)
            path = (*path, count)
        self._record(path, start, start)
        return path

    def _key_value(self, table: KeyPath) -> None:
        key_start = self.i
        path = (*table, *self._dotted_key())
        self._skip_inline_space()
        if self.i < len(self.text) and self.text[self.i] == "=":
            self.i += 1
        self._skip_inline_space()
        self._record(path, key_start, self.i)
        self._value(path)

    def _record(self, path: KeyPath, key_index: int, value_index: int) -> None:
        entries = self.entries
        if len(path) > 1 and path[:-1] not in entries:  # else its parents are there too
            for end in range(1, len(path)):
                entries.setdefault(path[:end], (key_index, key_index))
        entries.setdefault(path, (key_index, value_index))

    def _dotted_key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while self.i < len(self.text):
            self._skip_inline_space()
            parts.append(self._simple_key())
            self._skip_inline_space()
            if self.i < len(self.text) and self.text[self.i] == ".":
                self.i += 1
                continue
            break
        return tuple(parts)

    def _simple_key(self) -> str:
        if self.i >= len(self.text):
            return ""
        ch = self.text[self.i]
        if ch in "\"'":
            raw = self._string()
            return _unescape(raw) if ch == '"' and "\\" in raw else raw
        start = self.i
        match = _BARE_KEY.match(self.text, start)
        # not a key at all: step over it rather than loop forever
        self.i = match.end() if match else start + 1
        return self.text[start : self.i]

    def _value(self, path: KeyPath) -> None:
        if self.i >= len(self.text):
            return
        ch = self.text[self.i]
        if ch in "\"'":
            self._string()
        elif ch == "[":
            self._array(path)
        elif ch == "{":
            self._inline_table(path)
        else:
            while self.i < len(self.text) and self.text[self.i] not in ",]}\n#":
                self.i += 1

    def _array(self, path: KeyPath) -> None:
        self.i += 1
        index = 0
        while self.i < len(self.text):
            self._skip_space_newlines_comments()
            if self.i >= len(self.text) or self.text[self.i] == "]":
                self.i += 1
                return
            if self.text[self.i] == ",":
                self.i += 1
                continue
            element = (*path, index)
            self._record(element, self.i, self.i)
            self._value(element)
            index += 1

    def _inline_table(self, path: KeyPath) -> None:
        self.i += 1
        while self.i < len(self.text):
            self._skip_space_newlines_comments()
            if self.i >= len(self.text) or self.text[self.i] == "}":
                self.i += 1
                return
            if self.text[self.i] == ",":
                self.i += 1
                continue
            self._key_value(path)

    # -- lexical -------------------------------------------------------------------

    def _string(self) -> str:
        quote = self.text[self.i]
        if self.text.startswith(quote * 3, self.i):
            end = self.text.find(quote * 3, self.i + 3)
            if quote == '"':
                while end != -1 and _escaped(self.text, end):
                    end = self.text.find(quote * 3, end + 1)
            if end == -1:
                self._unclosed_at(self.i)
            end = len(self.text) if end == -1 else end + 3
            while end < len(self.text) and self.text[end] == quote:  # up to 2 quotes may close it
                end += 1
            raw = self.text[self.i + 3 : end - 3]
            self.i = end
            return raw
        body = _BASIC_BODY if quote == '"' else _LITERAL_BODY
        match = body.match(self.text, self.i + 1)
        j = match.end() if match else self.i + 1
        if j >= len(self.text) or self.text[j] != quote:
            self._unclosed_at(self.i)
        raw = self.text[self.i + 1 : j]
        self.i = j + 1
        return raw

    def _unclosed_at(self, index: int) -> None:
        if self.unclosed is None:
            self.unclosed = index

    def _skip_inline_space(self) -> None:
        match = _INLINE_SPACE.match(self.text, self.i)  # matches always, if only ""
        self.i = match.end() if match else self.i

    def _skip_space_and_newlines(self) -> None:
        match = _SPACE_AND_NEWLINES.match(self.text, self.i)
        self.i = match.end() if match else self.i

    def _skip_space_newlines_comments(self) -> None:
        while self.i < len(self.text):
            self._skip_space_and_newlines()
            if self.i < len(self.text) and self.text[self.i] == "#":
                self._skip_comment()
            else:
                return

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end == -1 else end


def _unescape(raw: str) -> str:
    """The value of a quoted key with escapes, as ``tomllib`` gives it in the data."""
    try:
        return str(tomllib.loads(f'k = "{raw}"')["k"])
    except tomllib.TOMLDecodeError:
        return raw


def _escaped(text: str, index: int) -> bool:
    """True when the character at ``index`` is preceded by an odd number of backslashes."""
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
