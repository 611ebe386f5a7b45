"""The TOML position scanner: exact lines and columns of keys and values."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.diagnostics import Position
from argmap.model._toml_positions import KeyPath, _Scanner, find_unclosed_string, scan_positions

from .conftest import FIXTURES, SEED_MAP

# (name, TOML text, [(key path, (key line, key column), (value line, value column))])
Case = tuple[str, str, list[tuple[KeyPath, tuple[int, int], tuple[int, int]]]]

CASES: list[Case] = [
    (
        "tables",
        '[map]\ntitle = "T"\n\n[claim.x]\ntext = "X"\n',
        [
            (("map",), (1, 1), (1, 1)),
            (("map", "title"), (2, 1), (2, 9)),
            (("claim",), (4, 1), (4, 1)),
            (("claim", "x"), (4, 1), (4, 1)),
            (("claim", "x", "text"), (5, 1), (5, 8)),
        ],
    ),
    (
        "table header with spaces and a comment",
        '[ claim . x ]  # [not.this]\n  text = "X"\n',
        [
            (("claim", "x"), (1, 1), (1, 1)),
            (("claim", "x", "text"), (2, 3), (2, 10)),
        ],
    ),
    (
        "dotted keys",
        'claim.x.text = "X"\nclaim . y . text = "Y"\n',
        [
            (("claim",), (1, 1), (1, 1)),
            (("claim", "x"), (1, 1), (1, 1)),
            (("claim", "x", "text"), (1, 1), (1, 16)),
            (("claim", "y", "text"), (2, 1), (2, 20)),
        ],
    ),
    (
        "array of strings across lines",
        'tags = [\n  "a",  # a comment, with [brackets]\n  "b", "c",\n]\nnext = 1\n',
        [
            (("tags",), (1, 1), (1, 8)),
            (("tags", 0), (2, 3), (2, 3)),
            (("tags", 1), (3, 3), (3, 3)),
            (("tags", 2), (3, 8), (3, 8)),
            (("next",), (5, 1), (5, 8)),
        ],
    ),
    (
        "nested arrays and a table in an array",
        'a = [[1, 2], {b = "c"}, "d"]\n',
        [
            (("a", 0), (1, 6), (1, 6)),
            (("a", 0, 1), (1, 10), (1, 10)),
            (("a", 1), (1, 14), (1, 14)),
            (("a", 1, "b"), (1, 15), (1, 19)),
            (("a", 2), (1, 25), (1, 25)),
        ],
    ),
    (
        "inline tables",
        '[premise]\nr = { text = "R", supports = ["a", "b"], q = { n = 1 } }\n',
        [
            (("premise", "r"), (2, 1), (2, 5)),
            (("premise", "r", "text"), (2, 7), (2, 14)),
            (("premise", "r", "supports"), (2, 19), (2, 30)),
            (("premise", "r", "supports", 1), (2, 36), (2, 36)),
            (("premise", "r", "q"), (2, 42), (2, 46)),
            (("premise", "r", "q", "n"), (2, 48), (2, 52)),
        ],
    ),
    (
        "multi-line basic string with = and [",
        '[map]\nsummary = """\nkey = "value"\n[claim.fake]\nend \\"""\n"""\ntitle = "T"\n',
        [
            (("map", "summary"), (2, 1), (2, 11)),
            (("map", "title"), (7, 1), (7, 9)),
        ],
    ),
    (
        "multi-line basic string ending in quotes",
        'a = """say "hi\\"""""\nb = 2\n',
        [(("b",), (2, 1), (2, 5))],
    ),
    (
        "multi-line literal string with = and [",
        "[map]\nnote = '''\nC:\\docs\\ = [x]\n\"\"\" [claim.fake] '''\ntitle = 'T'\n",
        [
            (("map", "note"), (2, 1), (2, 8)),
            (("map", "title"), (5, 1), (5, 9)),
        ],
    ),
    (
        "comments with brackets",
        '# [claim.fake]\n[map] # [claim.fake]\ntitle = "T" # = [x]\n# x = 1\nthesis = "t"\n',
        [
            (("map",), (2, 1), (2, 1)),
            (("map", "title"), (3, 1), (3, 9)),
            (("map", "thesis"), (5, 1), (5, 10)),
        ],
    ),
    (
        "quoted keys",
        '[premise."four hundred"]\n"quoted key" = 1\n\'lit.eral\' = 2\n"caf\\u00e9" = 3\n',
        [
            (("premise", "four hundred"), (1, 1), (1, 1)),
            (("premise", "four hundred", "quoted key"), (2, 1), (2, 16)),
            (("premise", "four hundred", "lit.eral"), (3, 1), (3, 14)),
            (("premise", "four hundred", "café"), (4, 1), (4, 15)),
        ],
    ),
    (
        "escaped quotes and backslashes",
        'a = "say \\"hi\\" [x] = y"\nb = "ends in a backslash \\\\"\nc = \'\\\'\nd = 4\n',
        [
            (("b",), (2, 1), (2, 5)),
            (("c",), (3, 1), (3, 5)),
            (("d",), (4, 1), (4, 5)),
        ],
    ),
    (
        "CRLF line endings",
        '[map]\ntitle = "T"\ntags = [\n  "a",\n]\n\n[claim.x]\ntext = """\nX\n"""\n'.replace(
            "\n", "\r\n"
        ),
        [
            (("map", "title"), (2, 1), (2, 9)),
            (("map", "tags", 0), (4, 3), (4, 3)),
            (("claim", "x"), (7, 1), (7, 1)),
            (("claim", "x", "text"), (8, 1), (8, 8)),
        ],
    ),
    (
        "array of tables",
        '[[source]]\ntitle = "A"\n\n[[source]]\ntitle = "B"\n',
        [
            (("source",), (1, 1), (1, 1)),
            (("source", 0), (1, 1), (1, 1)),
            (("source", 0, "title"), (2, 1), (2, 9)),
            (("source", 1), (4, 1), (4, 1)),
            (("source", 1, "title"), (5, 1), (5, 9)),
        ],
    ),
    (
        "tabs and characters outside ASCII count as one column",
        '\ttitle\t=\t"é"\n"é" = "ü"\n',
        [
            (("title",), (1, 2), (1, 10)),
            (("é",), (2, 1), (2, 7)),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_scan_positions(
    text: str, expected: list[tuple[KeyPath, tuple[int, int], tuple[int, int]]]
) -> None:
    tomllib.loads(text)  # every case is valid TOML, as the scanner assumes
    index = scan_positions(text)
    for path, key, value in expected:
        assert (index.key(path), index.value(path)) == (Position(*key), Position(*value)), path


def test_lookup_falls_back_to_the_closest_recorded_parent() -> None:
    index = scan_positions('[map]\ntitle = "T"\n\n[claim.x]\ntext = "X"\n')
    assert index.key(("claim", "x", "quote")) == Position(4, 1)
    assert index.value(("map", "title", 3)) == Position(2, 9)
    assert index.key(("claim", "fake")) == Position(4, 1)
    assert index.key(("nothing", "here")) == Position(1, 1)


def test_text_inside_strings_and_comments_records_nothing() -> None:
    index = scan_positions('# [claim.a]\nnote = """\n[claim.b]\nc = 1\n"""\n')
    for path in (("claim",), ("claim", "a"), ("claim", "b"), ("c",)):
        assert index.key(path) == Position(1, 1), path


def _values(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every value that is not a table, with its key path (list items included)."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        here = (*path, key)
        if isinstance(value, dict | list):
            yield from _values(value, here)
        if not isinstance(value, dict):
            yield here, value


def _first_characters(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return ('"', "'")
    if isinstance(value, list):
        return ("[",)
    if isinstance(value, bool):
        return ("true",) if value else ("false",)
    return tuple("+-0123456789")  # numbers, dates and times


MAPS = [SEED_MAP, *sorted((FIXTURES / "valid").glob("*.toml"))]


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_every_value_of_a_real_map_is_found_at_its_first_character(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    index = scan_positions(text)
    for key_path, value in _values(tomllib.loads(text)):
        position = index.value(key_path)
        found = lines[position.line - 1][position.column - 1 :]
        assert found.startswith(_first_characters(value)), (key_path, position, found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a = "closed"\nnote = """\nnever closed\n', (2, 8)),
        ("a = 1\nb = 'runs past the line end\nc = 2\n", (2, 5)),
        ('a = "one"\nb = "at the end of the file', (2, 5)),
        ("[map]\nnote = '''\nnever closed\n", (2, 8)),
    ],
)
def test_find_unclosed_string(text: str, expected: tuple[int, int]) -> None:
    assert find_unclosed_string(text) == Position(*expected)


def test_find_unclosed_string_when_all_are_closed() -> None:
    assert find_unclosed_string('a = """x"""\nb = \'y\'\nc = "z \\" "\n') is None


# -- the one-match fast path records what the long way records ----------------------------

_LINES = [
    "[map]",
    "[claim.a-1]",
    "[ claim . spaced ]",
    '[claim."quoted"]',
    "[[items]]",
    "[premise.p_2]  # a comment [not.this]",
    'text = "plain"',
    'text = "with \\"escapes\\" and \\\\ # not a comment"',
    "text = 'literal \\ here'",
    'text = "trailing"   # comment',
    'note = """',
    "spanning [claim.fake]",
    'lines = 1 """',
    "quote = '''",
    "raw 'text'''",
    'tags = ["a", "b"]',
    'tags = [ "a" , "b", ]',
    "tags = []",
    'tags = ["x\\"y", "z"]',
    "tags = ['literal', \"basic\"]",
    'tags = [\n  "a",  # one\n  "b",\n]',
    "nested = [[1, 2], [3]]",
    'table = { x = 1, y = "two" }',
    "paragraph = 12",
    "weight = 0.5",
    "date = 1979-05-27",
    "when = 1979-05-27 07:32:00",
    "flag = true",
    "a.b = 1",
    '"quoted key" = "v"',
    "k = 'x'  ",
    "# a comment line",
    "",
]


def _both(text: str) -> tuple[dict[KeyPath, tuple[int, int]], dict[KeyPath, tuple[int, int]]]:
    return _Scanner(text).run(), _Scanner(text, fast=False).run()


@pytest.mark.parametrize("path", [*MAPS, *sorted(FIXTURES.rglob("*.toml"))], ids=str)
def test_fast_lines_record_what_the_long_way_records_in_every_fixture(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    fast, slow = _both(text)
    assert fast == slow


@settings(max_examples=400, deadline=None)
@given(
    lines=st.lists(st.sampled_from(_LINES), max_size=30),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_fast_lines_record_what_the_long_way_records_in_any_mix(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines) + newline
    fast, slow = _both(text)
    assert fast == slow
