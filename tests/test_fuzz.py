"""Property tests of the loader and the checker (issue 4): any map, however broken,
either checks cleanly or fails with diagnostics; ``argmap.build.pipeline.check`` never
raises. Documents are built from the format's own keys with random values, and from
random bytes; and maps of extreme shapes, deep and wide (issue 15), go through every
stage but Graphviz. Bounded so that CI runs them in seconds (``ARGMAP_FUZZ_EXAMPLES``
and ``ARGMAP_FUZZ_SHAPES`` raise the counts for a longer local run).
"""

from __future__ import annotations

import difflib
import os
import pickle
import re
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.analysis.evaluate import evaluate
from argmap.analysis.graph import outline_rows
from argmap.analysis.lint import NEAR_DUPLICATE_RATIO, _bigram_mask
from argmap.build.pipeline import check
from argmap.config import Config
from argmap.diagnostics import Diagnostic
from argmap.interop import EXPORT_FORMATS, export
from argmap.model.fmt import format_text
from argmap.teach.standard_form import standard_form

from ._deep_maps import SHAPES, SMALLEST, deep_map
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


# -- deep and wide shapes (issue 15) ---------------------------------------------------
# Chains, cycles and stars, alone or hung under one thesis, some of them deeper than
# Python's recursion limit (1,000): any code that recurses on the depth of a map fails
# here. Few examples, as each is a map of up to a few thousand statements.

SHAPE_EXAMPLES = int(os.environ.get("ARGMAP_FUZZ_SHAPES", "6"))
SHAPES_FUZZ = settings(
    max_examples=SHAPE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SIZE = st.integers(SMALLEST, 40) | st.integers(1_050, 1_400)
SEGMENTS = st.lists(st.tuples(st.sampled_from(sorted(SHAPES)), SIZE), min_size=1, max_size=2)


def composed(segments: list[tuple[str, int]]) -> str:
    """One map of the segments: the first one's thesis is the map's, and every other
    segment's top claim supports it. Ids and texts get the segment's number."""
    tables = []
    for k, (shape, count) in enumerate(segments):
        text = deep_map(shape, count)
        text = re.sub(r'"s(\d+)"', rf'"g{k}s\1"', text)
        text = re.sub(r"\.s(\d+)\]", rf".g{k}s\1]", text)
        text = re.sub(r'^text = "(.*)\."$', rf'text = "\1, part {k}."', text, flags=re.M)
        body = text.split("\n\n", 1)[1]  # without its [map] table
        if k:
            body = body.replace(f"[claim.g{k}s0]\n", f'[claim.g{k}s0]\nsupports = "g0s0"\n', 1)
        tables.append(body)
    header = '[map]\ntitle = "Shapes"\nthesis = "g0s0"\n\n[lint]\ndisable = ["AM404"]\n'
    return "\n".join([header, *tables])


@SHAPES_FUZZ
@given(segments=SEGMENTS)
def test_deep_and_wide_shapes_check_evaluate_outline_and_export(
    segments: list[tuple[str, int]], tmp_path: Path
) -> None:
    path = tmp_path / "m.toml"
    text = composed(segments)
    path.write_text(text, encoding="utf-8")
    result = check([path], Config())
    assert not result.errors, result.errors[:3]
    (graph,) = result.graphs
    outline = graph.outline
    expanded = [item.node for item in outline if item.node is not None and not item.repeated]
    assert sorted(expanded) == sorted(graph.nodes)  # each statement expanded once
    assert sorted(graph.numbers) == sorted(graph.nodes)
    assert sum(item.size for item in outline if item.depth == 0) == len(outline)
    for index, item in enumerate(outline):  # depths and sizes describe one tree:
        child, end = index + 1, index + item.size  # its children tile its subtree
        while child < end:
            assert outline[child].depth == item.depth + 1
            child += outline[child].size
        assert child == end
    rows = outline_rows(outline)
    assert sum(row.opens for row in rows) == sum(row.closes for row in rows)
    assert pickle.loads(pickle.dumps(graph)) == graph
    assert set(evaluate(graph).labels) >= set(graph.nodes)
    standard_form(graph)
    for fmt in EXPORT_FORMATS:
        if fmt not in ("svg", "png", "pdf"):  # Graphviz: see tests/test_deep.py
            assert export(graph, fmt)
    assert format_text(text)
