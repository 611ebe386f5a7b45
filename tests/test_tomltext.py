"""argmap.model.tomltext: the fast parse gives tomllib's data, and tomllib's verdict on errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from argmap.model.tomltext import fast_loads, parse_toml

from .conftest import FIXTURES, SEED_MAP


def _texts() -> list[tuple[Path, str]]:
    """Every fixture map and the seed map as text (the one that is not UTF-8 is refused
    before parsing, so it has no place here)."""
    found = []
    for path in sorted([*FIXTURES.rglob("*.toml"), SEED_MAP]):
        try:
            found.append((path, path.read_bytes().decode("utf-8-sig")))
        except UnicodeDecodeError:
            continue
    return found


def _tomllib(text: str) -> object:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


@pytest.mark.parametrize(("path", "text"), _texts(), ids=lambda p: getattr(p, "name", ""))
def test_fast_parse_agrees_with_tomllib_on_every_fixture(path: Path, text: str) -> None:
    expected = _tomllib(text)
    if expected is None:  # tomllib refuses it: so must the fast parser (or it decides nothing)
        assert fast_loads(text) is None
    else:
        assert fast_loads(text) == expected


TYPES = """\
a = 1979-05-27T07:32:00+02:00
b = 1979-05-27T07:32:00Z
c = 1979-05-27
d = 07:32:00
f = -0.0
g = 0x1F
h = 1e3
i = "\\u00e9\\U0001F600 \\" \\\\"
j = [1, "a", [2], { x = 1 }]
k = { x.y = 1 }
l = '''
raw \\ text'''
m = \"\"\"
one \\
  line\"\"\"
n = 99999999999999999999
[[t]]
y = 1
[[t]]
y = 2
"""


def test_every_toml_type_reads_alike() -> None:
    assert fast_loads(TYPES) == tomllib.loads(TYPES)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1\na = 2\n",
        "[a]\nb = 1\n[a]\n",
        'a = "x\\q"\n',
        "s = 'a\x07'\n",
        'k = "a\rb"\n',
        'a = "open\n',
        "a = [" * 100_000,
        "[map\n",
    ],
)
def test_a_text_tomllib_refuses_is_refused_with_its_words(text: str) -> None:
    data, problem = parse_toml(Path("m.toml"), text)
    assert data is None
    assert problem is not None and problem.code == "AM003"
    assert problem.message.startswith("TOML syntax error")


def test_a_valid_text_the_fast_parser_refuses_is_still_read() -> None:
    # rtoml stops at about 80 levels of nesting; tomllib reads deeper (valid TOML).
    text = "a = " + "[" * 120 + "]" * 120 + "\n"
    assert fast_loads(text) is None
    data, problem = parse_toml(Path("m.toml"), text)
    assert problem is None
    assert data == tomllib.loads(text)


def test_line_breaks_in_multi_line_strings_read_as_tomllib_reads_them() -> None:
    text = "a = '''\r\none\r\ntwo'''\r\nb = \"\"\"x\r\ny \\\r\n  z\"\"\"\r\n"
    assert fast_loads(text) == tomllib.loads(text) == {"a": "one\ntwo", "b": "x\ny z"}


def test_a_lone_surrogate_goes_to_tomllib() -> None:
    """rtoml cannot encode it (an import writes what JSON held); tomllib reads it."""
    assert fast_loads('t = "a\ud800"\n') is None
