"""Property tests of the loader and the checker (issue 4): any map, however broken,
either checks cleanly or fails with diagnostics; ``argmap.pipeline.check`` never
raises. Documents are built from the format's own keys with random values, and from
random bytes. Bounded so that CI runs them in seconds (``ARGMAP_FUZZ_EXAMPLES`` raises
the count for a longer local run).
"""

from __future__ import annotations

import difflib
import os
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.config import Config
from argmap.diagnostics import Diagnostic
from argmap.lint import NEAR_DUPLICATE_RATIO, _bigram_mask
from argmap.pipeline import check

from ._fixtures import KNOWN_KEYS

EXAMPLES = int(os.environ.get("ARGMAP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

IDS = st.sampled_from(["a", "b", "c", "A", "x-1", "r_2", "bad id", "", "../x", "c" * 70])
TEXT = st.text(max_size=40) | st.sampled_from(["", " ", "*x*", "[l](javascript:x)", "\\N"])
SCALAR = (
    TEXT
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.times()
)
VALUE = st.recursive(
    SCALAR | IDS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(IDS, inner, max_size=3),
    max_leaves=8,
)
KNOWN = KNOWN_KEYS
KEY = st.sampled_from(sorted({k for keys in KNOWN.values() for k in keys})) | st.text(max_size=8)


def toml_key(key: str) -> str:
    if key and all(c in string.ascii_letters + string.digits + "-_" for c in key):
        return key
    return toml_value(key)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        escaped = "".join(
            c
            if c not in '"\\' and 0x20 <= ord(c) != 0x7F
            else f"\\u{ord(c):04X}"
            if ord(c) <= 0xFFFF
            else f"\\U{ord(c):08X}"
            for c in value
        )
        return f'"{escaped}"'
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else ("inf" if value > 0 else "-inf")
            if abs(value) == float("inf")
            else repr(value)
        )
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A TOML document shaped like a map: known tables and keys, random values."""
    parts = []
    for table in draw(st.lists(st.sampled_from(sorted(KNOWN)), max_size=8, unique=True)):
        keys = st.sampled_from(KNOWN[table]) | KEY
        if table in ("claim", "premise", "rebuttal", "reason"):
            for node_id in draw(st.lists(IDS, max_size=3, unique=True)):
                parts.append(f"[{table}.{toml_key(node_id)}]")
                for key in draw(st.lists(keys, max_size=5, unique=True)):
                    parts.append(f"{toml_key(key)} = {toml_value(draw(VALUE))}")
        else:
            parts.append(f"[{table}]")
            for key in draw(st.lists(keys, max_size=5, unique=True)):
                parts.append(f"{toml_key(key)} = {toml_value(draw(VALUE))}")
    return "\n".join(parts) + "\n"


def assert_checks(path: Path) -> None:
    result = check([path], Config())  # must not raise
    for diagnostic in result.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.position.line >= 1 and diagnostic.position.column >= 1
        assert diagnostic.message and diagnostic.code.startswith("AM")
    if result.errors:
        assert not result.graphs


@FUZZ
@given(text=documents())
def test_any_map_shaped_document_checks_or_fails_with_diagnostics(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    assert_checks(path)


@FUZZ
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_check_or_fail_with_diagnostics(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(data)
    assert_checks(path)


@FUZZ
@given(
    base=st.text(alphabet="abcde fgh", min_size=0, max_size=60),
    edits=st.lists(st.tuples(st.integers(0, 60), st.sampled_from("abxyz ")), max_size=6),
)
def test_the_bigram_filter_of_am404_never_hides_a_near_duplicate(
    base: str, edits: list[tuple[int, str]]
) -> None:
    other = base
    for where, char in edits:
        other = other[:where] + char + other[where + 1 :]
    ratio = difflib.SequenceMatcher(None, base, other, autojunk=False).ratio()
    if ratio >= NEAR_DUPLICATE_RATIO:
        differing = (_bigram_mask(base) ^ _bigram_mask(other)).bit_count()
        assert 10 * differing <= 3 * (len(base) + len(other))
