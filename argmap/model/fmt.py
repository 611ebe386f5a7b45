"""``argmap fmt``: rewrite a map file in one canonical layout, keeping every comment.

The canonical layout (documented in docs/ci.md, "Formatting maps"):

- ``[map]``, ``[source]`` and ``[lint]`` first, then the node and reason tables in the
  author's order, across kinds: authors group nodes by topic under a comment (thesis
  first, a reason next to what it supports), and sorting or grouping by kind would
  scatter an argument;
- every node written as its own ``[kind.ID]`` table (dotted keys and inline tables at
  the node level become tables), keys in a fixed order (:data:`KEY_ORDER`: for nodes
  ``text``, ``quote``, ``paragraph``, ``premises``, ``supports``, ``attacks``,
  ``undercuts``, ``tags``, ``note``; for ``[map]`` the two required keys ``title`` and
  ``thesis`` first, as in docs/format.md's table; keys argmap does not know come last,
  in the author's order);
- one blank line between tables, none inside a table, bare keys, no indentation,
  ``key = value`` with one space around ``=``, and a final newline;
- single-quoted strings become double-quoted when that needs no escape; every other
  value is kept exactly as written (a one-element id list stays a list: changing it to a
  string would change the data, and the author may be about to add a second id).
  One-line arrays without comments get ``["a", "b"]`` spacing.

Comments stay attached to what they describe: a comment above a key moves with the key,
a comment on the line of a key or header stays on that line, comment lines above a table
header (up to the blank line that separates them from the previous table) move with the
table, and comment lines directly under a table's last key with a blank line after them
stay at the end of that table. The comment block at the top of the file (up to its first
blank line, which includes a ``#:schema`` directive) stays at the top.

The result is checked before it is returned: parsed with :mod:`tomllib` it must give
exactly the same data as the input, and it must hold the same comments. A file that
cannot be formatted safely raises :class:`FormatError` and is never written.

The document is parsed with ``tomlkit``, which keeps comments and the original text of
every value; the layout itself is assembled here, since the order and grouping above are
argmap's, not TOML's.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import (
    AoT,
    Array,
    Comment,
    InlineTable,
    Item,
    SingleKey,
    String,
    Table,
    Whitespace,
)

from argmap.model.mapformat import NODE_TABLES, key_order

NODE_KINDS = NODE_TABLES
# Node tables keep the author's order across kinds: authors group them by topic.
TABLE_ORDER = ("map", "source", "lint")
# The canonical key order of each table, from the definition of the format; [expect]
# keeps the author's order.
KEY_ORDER: dict[str, tuple[str, ...]] = {
    name: key_order(name) for name in (*TABLE_ORDER, *NODE_KINDS)
}
_BOM = "\ufeff"

Path_ = tuple[str, ...]


class FormatError(ValueError):
    """The file cannot be formatted safely; it is left as it is."""


@dataclass(frozen=True, slots=True)
class FormatResult:
    path: Path
    original: bytes
    formatted: bytes

    @property
    def changed(self) -> bool:
        return self.original != self.formatted


def format_file(path: Path) -> FormatResult:
    """Read and format one map file (nothing is written; see :func:`write_result`)."""
    original = path.read_bytes()
    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError(f"the file is not valid UTF-8 (byte {error.start})") from None
    bom = text.startswith(_BOM)
    formatted = format_text(text.removeprefix(_BOM))
    return FormatResult(path, original, ((_BOM if bom else "") + formatted).encode("utf-8"))


def write_result(result: FormatResult) -> None:
    """Replace the file with its formatted text in one step (a temporary file, renamed;
    :func:`argmap.output.replace_file`, which refuses a symbolic link: a map that is a
    link may point anywhere, and argmap never writes through one)."""
    from argmap.output import replace_file

    replace_file(result.path, result.formatted)


def format_text(text: str) -> str:
    """The canonical form of a map's TOML text (without a byte-order mark).

    Line endings follow the file: CRLF when its first line ends in CRLF, else LF.
    """
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    source = text.replace("\r\n", "\n")
    try:
        document = tomlkit.parse(source)
    except TOMLKitError as error:
        raise FormatError(f"not valid TOML: {error}") from None
    layout = _Layout()
    layout.walk(document, (), ())
    result = layout.render()
    _verify(source, result)
    return result.replace("\n", newline)


def comments(text: str) -> list[str]:
    """Every comment in a TOML text, in order, without trailing white space.

    A small lexer: it skips the four kinds of string, so a ``#`` inside a string is not
    taken for a comment. Used to check that formatting keeps every comment.
    """
    found: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            end = n if end == -1 else end
            found.append(text[i:end].rstrip())
            i = end
        elif text.startswith('"""', i):
            i = _skip_multiline(text, i + 3, '"', escapes=True)
        elif text.startswith("'''", i):
            i = _skip_multiline(text, i + 3, "'", escapes=False)
        elif char in "\"'":
            i += 1
            while i < n and text[i] not in (char, "\n"):
                i += 2 if char == '"' and text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return found


def _skip_multiline(text: str, i: int, quote: str, *, escapes: bool) -> int:
    n = len(text)
    while i < n:
        if escapes and text[i] == "\\":
            i += 2
        elif text.startswith(quote * 3, i):
            i += 3
            extra = 0
            while i < n and text[i] == quote and extra < 2:  # """a"""" ends in a quote
                i += 1
                extra += 1
            return i
        else:
            i += 1
    return n


def _verify(before: str, after: str) -> None:
    try:
        same_data = tomllib.loads(before) == tomllib.loads(after)
    except tomllib.TOMLDecodeError as error:
        raise FormatError(f"formatting would give invalid TOML ({error}); please report") from None
    if not same_data:
        raise FormatError("formatting would change the data; please report this as a bug")
    if Counter(comments(before)) != Counter(comments(after)):
        raise FormatError("formatting would lose a comment; please report this as a bug")


# -- layout ---------------------------------------------------------------------------


@dataclass
class _Entry:
    key: Path_  # below its table
    value: str
    comment: str  # "" or the white space and comment after the value
    leading: list[str]  # comment lines above it
    order: int


@dataclass
class _Table:
    path: Path_
    order: int
    header_comment: str = ""
    leading: list[str] = field(default_factory=list)  # comment lines, "" for a blank line
    entries: list[_Entry] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)


@dataclass
class _Layout:
    tables: dict[Path_, _Table] = field(default_factory=dict)
    current: _Table | None = None
    pending: list[str] = field(default_factory=list)
    preamble: list[str] | None = None
    preamble_blank: bool = False
    empty_containers: set[Path_] = field(default_factory=set)  # tables with no keys
    counter: int = 0

    # -- reading ------------------------------------------------------------------

    def walk(self, container: Container, path: Path_, header: Path_) -> None:
        for key, item in container.body:
            if key is None:
                self._trivia(item)
                continue
            here = (*path, key.key)
            if isinstance(item, AoT):
                raise FormatError(f"arrays of tables ([[{'.'.join(here)}]]) are not used in maps")
            if isinstance(item, Table):
                explicit = not item.is_super_table() and not key.is_dotted()
                if explicit:
                    self._header(here, _comment_of(item))
                self.empty_containers.add(here)
                self.walk(item.value, here, here if explicit else header)
            elif isinstance(item, InlineTable) and len(here) <= _table_depth(here):
                self._header(here, _comment_of(item), inline=True)
                self.empty_containers.add(here)
                self.walk(item.value, here, here)
                self._extra_blank_lines(item)
            else:
                self._entry(here, header, item)

    def _trivia(self, item: Item) -> None:
        if isinstance(item, Whitespace):
            self.pending.extend([""] * item.s.count("\n"))
        elif isinstance(item, Comment):
            self.pending.append(item.trivia.comment.rstrip())
            self._extra_blank_lines(item)
        else:  # pragma: no cover - tomlkit puts only white space and comments here
            raise FormatError(f"unexpected {type(item).__name__} in the document")

    def _extra_blank_lines(self, item: Item) -> None:
        self.pending.extend([""] * max(item.trivia.trail.count("\n") - 1, 0))

    def _header(self, path: Path_, comment: str, *, inline: bool = False) -> None:
        if path[0] in NODE_KINDS and len(path) == 1:
            # [claim] above [claim.ID] tables: written only when nothing is below it
            # (see _finish); its comment goes with what follows.
            if comment:
                self.pending.append(comment.strip())
            return
        table = self._enter(_container_table(path))
        if len(path) > len(table.path) or (inline and table.header_comment):
            if comment:  # a header below a node's table: keep the comment above the keys
                self.pending.append(comment.strip())
        elif comment:
            if table.header_comment:
                self.pending.append(table.header_comment.strip())
            table.header_comment = comment

    def _entry(self, path: Path_, header: Path_, item: Item) -> None:
        table = self._enter(_key_table(path, header))
        for container in (path[:n] for n in range(1, len(path))):
            self.empty_containers.discard(container)
        self.counter += 1
        table.entries.append(
            _Entry(
                path[len(table.path) :],
                _value(item),
                _comment_of(item),
                [line for line in self.pending if line],
                self.counter,
            )
        )
        self.pending = []
        self._extra_blank_lines(item)

    def _enter(self, path: Path_) -> _Table:
        if self.current is not None and self.current.path == path:
            return self.current
        lines, self.pending = self.pending, []
        if self.preamble is None:  # the first table: the top comment block stays on top
            while lines and not lines[0]:
                lines.pop(0)
            if "" in lines:
                cut = lines.index("")
                self.preamble, self.preamble_blank, lines = lines[:cut], True, lines[cut + 1 :]
            else:
                self.preamble, lines = lines, []
        elif self.current is not None:
            lines = self._trailing(self.current, lines)
        table = self.tables.get(path)
        if table is None:
            self.counter += 1
            table = self.tables[path] = _Table(path, self.counter, leading=lines)
        else:  # back in a table seen before: the comments go with its next key
            self.pending = [line for line in lines if line]
        self.current = table
        return table

    @staticmethod
    def _trailing(table: _Table, lines: list[str]) -> list[str]:
        """Give ``table`` the comment lines that end it; return the rest.

        Those are the lines right under its last key (or its header, when it has no
        key) that a blank line separates from what follows. A comment block touching
        both the last key and the next header is read as the next table's.
        """
        if not lines or not lines[0]:
            return lines
        if "" in lines:
            cut = lines.index("")
        elif not table.entries:
            cut = len(lines)
        else:
            return lines
        table.trailing.extend(lines[:cut])
        return lines[cut + 1 :]

    # -- writing ------------------------------------------------------------------

    def render(self) -> str:
        self._finish()
        blocks = []
        ordered = sorted(self.tables.values(), key=_table_rank)
        if ordered and ordered[0].order != min(table.order for table in ordered):
            self.preamble_blank = True  # the table it stood on has moved away
        for table in ordered:
            lines = _normalise_block(table.leading)
            if table.path:
                lines.append(f"[{_dotted(table.path)}]{table.header_comment}")
            order = KEY_ORDER.get(table.path[0], ()) if table.path else ()
            for entry in sorted(table.entries, key=lambda e: (_key_rank(e.key[0], order), e.order)):
                lines.extend(entry.leading)
                lines.append(f"{_dotted(entry.key)} = {entry.value}{entry.comment}")
            lines.extend(table.trailing)
            if lines:
                blocks.append("\n".join(lines) + "\n")
        text = "\n".join(blocks)
        if self.preamble:
            text = "\n".join(self.preamble) + "\n" + ("\n" if self.preamble_blank else "") + text
        epilogue = _normalise_block(self.pending)
        if epilogue:
            text += "\n" + "\n".join(line for line in epilogue) + "\n"
        return text

    def _finish(self) -> None:
        lines, self.pending = self.pending, []
        if self.preamble is None:  # no table and no key at all: only comments
            self.preamble = [line for line in lines if line]
            return
        if self.current is not None and lines and lines[0]:
            cut = lines.index("") if "" in lines else len(lines)
            self.current.trailing.extend(lines[:cut])
            lines = lines[cut:]
        self.pending = lines  # the comments at the end of the file
        empty = self.empty_containers
        innermost = {c for c in empty if not any(o[: len(c)] == c and o != c for o in empty)}
        for container in sorted(innermost):  # empty tables keep existing
            table_path = _container_table(container)
            if len(container) == len(table_path):
                if not any(other[: len(container)] == container for other in self.tables):
                    self.counter += 1
                    self.tables[container] = _Table(container, self.counter)
                continue
            table = self.tables[table_path]  # entered by the header of `container`
            rest = container[len(table_path) :]
            if not any(entry.key[: len(rest)] == rest for entry in table.entries):
                self.counter += 1
                table.entries.append(_Entry(rest, "{}", "", [], self.counter))


def _table_depth(path: Path_) -> int:
    return 2 if path[0] in NODE_KINDS else 1


def _container_table(path: Path_) -> Path_:
    """The table that a table header (or an inline table) at ``path`` is written as."""
    return path[:2] if path[0] in NODE_KINDS else path


def _key_table(path: Path_, header: Path_) -> Path_:
    """The table a key at ``path`` is written under, given the header it stands below."""
    if path[0] in NODE_KINDS:
        return path[: min(2, len(path) - 1)]
    if header and path[: len(header)] == header:
        return header
    return path[: min(1, len(path) - 1)]


def _table_rank(table: _Table) -> tuple[int, int]:
    if not table.path:
        return (-1, table.order)
    top = table.path[0]
    rank = TABLE_ORDER.index(top) if top in TABLE_ORDER else len(TABLE_ORDER)
    return (rank, table.order)


def _key_rank(key: str, order: tuple[str, ...]) -> int:
    return order.index(key) if key in order else len(order)


def _normalise_block(lines: list[str]) -> list[str]:
    """Comment lines with single blank lines between groups, none at the start."""
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return result


def _dotted(path: Path_) -> str:
    return ".".join(SingleKey(part).as_string() for part in path)


def _comment_of(item: Item) -> str:
    comment = item.trivia.comment.rstrip()
    if not comment:
        return ""
    return (item.trivia.comment_ws or " ") + comment


def _value(item: Item) -> str:
    if isinstance(item, String):
        return _string(item)
    if isinstance(item, Array):
        written = item.as_string()
        if "\n" in written or comments(written):
            return written  # a laid-out or commented array is kept as written
        return "[" + ", ".join(_value(element) for element in item) + "]"
    return item.as_string().strip()


def _string(item: String) -> str:
    """Single quotes become double quotes where that needs no escape."""
    written = item.as_string()
    if written.startswith("'''"):
        raw = written[3:-3]
        if '"' not in raw and "\\" not in raw:
            return f'"{raw}"' if "\n" not in raw else f'"""{raw}"""'
    elif written.startswith("'"):
        raw = written[1:-1]
        if '"' not in raw and "\\" not in raw:
            return f'"{raw}"'
    return written


__all__ = [
    "FormatError",
    "FormatResult",
    "comments",
    "format_file",
    "format_text",
    "write_result",
]
