"""Maps thousands of statements deep (issue 15): a chain of reasons, of rebuttals
answering rebuttals, or a cycle of rebuttals, as deep as the map is large. No code path
may recurse on the depth of a map; these maps are far deeper than Python's recursion
limit (1,000). The maps come from ``tests/_deep_maps.py``.

The 10,000-deep maps are checked once per module, with AM404 (near-duplicate texts)
switched off: it compares every pair of texts, a cost of the texts and not of the shape
(the generated texts are never near duplicates: see the last test). Every command,
Graphviz included, runs on 10,000 statements in ``benchmarks/deep.py``; here the
commands run on maps of 1,500, deeper than the recursion limit and quick to draw.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.analysis.evaluate import evaluate
from argmap.analysis.graph import ArgumentGraph, Role, outline_rows
from argmap.build.pipeline import check
from argmap.cli import app
from argmap.config import Config
from argmap.interop import EXPORT_FORMATS, export
from argmap.interop.outline import MAX_NESTING
from argmap.model.fmt import format_text
from argmap.render.site import NodeRef, _environment
from argmap.teach.standard_form import standard_form

from ._deep_maps import deep_map

DEEP = 10_000  # statements in each map checked in-process
BUILT = 1_500  # statements in the maps the commands take (Graphviz draws them)
runner = CliRunner()


def write_map(folder: Path, kind: str, count: int, *, disable: tuple[str, ...] = ()) -> Path:
    path = folder / f"{kind}-{count}.toml"
    path.write_text(deep_map(kind, count, disable=disable), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deep(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ArgumentGraph]:
    folder = tmp_path_factory.mktemp("deep")
    graphs = {}
    for kind in ("support", "attack", "cycle"):
        result = check([write_map(folder, kind, DEEP, disable=("AM404",))], Config())
        assert not result.errors, result.errors[:3]
        (graphs[kind],) = result.graphs
    return graphs


KINDS = pytest.mark.parametrize("kind", ["support", "attack", "cycle"])


def expected_outline(kind: str) -> list[tuple[str, int, bool]]:
    """(node, depth, repeated) of each outline item, from the thesis down."""
    if kind != "cycle":  # one statement below the other, each one level deeper
        return [(f"s{i}", i, False) for i in range(DEEP)]
    # The thesis, its premise, then the cycle from the rebuttal that attacks the thesis
    # round to it again, where it is not expanded twice.
    members = [(f"s{i}", i - 1, False) for i in range(2, DEEP)]
    return [("s0", 0, False), ("s1", 1, False), *members, ("s2", DEEP - 1, True)]


@KINDS
def test_a_deep_map_is_outlined_and_numbered(deep: dict[str, ArgumentGraph], kind: str) -> None:
    graph = deep[kind]
    outline = graph.outline
    assert [(i.node, i.depth, i.repeated) for i in outline] == expected_outline(kind)
    assert outline[0].size == len(outline)
    last_role = {"support": Role.SUPPORTS, "attack": Role.ATTACKS, "cycle": Role.ATTACKS}
    assert outline[-1].role is last_role[kind]
    assert sorted(graph.numbers) == sorted(f"s{i}" for i in range(DEEP))
    rows = outline_rows(outline)
    assert [row.opens for row in rows] == [i.size > 1 for i in outline]
    assert rows[-1].closes == outline[-1].depth


@KINDS
def test_the_graph_of_a_deep_map_crosses_processes(
    deep: dict[str, ArgumentGraph], kind: str
) -> None:
    # A build with --jobs sends graphs between processes: a nested outline could not
    # be pickled this deep.
    assert pickle.loads(pickle.dumps(deep[kind])) == deep[kind]


@KINDS
def test_a_deep_map_is_evaluated(deep: dict[str, ArgumentGraph], kind: str) -> None:
    labels = evaluate(deep[kind]).labels
    if kind == "support":
        assert set(labels.values()) == {"IN"}
    elif kind == "attack":  # the last rebuttal stands, the one it attacks falls, and so on
        assert {labels[f"s{i}"] for i in range(DEEP - 1, 0, -2)} == {"IN"}
        assert {labels[f"s{i}"] for i in range(DEEP - 2, 1, -2)} == {"OUT"}
    else:  # an even cycle: grounded semantics leaves it undecided
        assert {labels[f"s{i}"] for i in range(2, DEEP)} == {"UNDEC"}


@KINDS
def test_the_page_outline_of_a_deep_map_is_one_well_nested_list(
    deep: dict[str, ArgumentGraph], kind: str
) -> None:
    graph = deep[kind]
    refs = {
        node_id: NodeRef(node_id, number, "claim", node_id)
        for node_id, number in graph.numbers.items()
    }
    template = _environment(None).from_string(
        '{% from "_macros.html" import outline_row %}'
        "{% for row in rows %}{{ outline_row(row, refs_by_id) }}{% endfor %}"
    )
    html = template.render(rows=outline_rows(graph.outline), refs_by_id=refs)
    assert html.count("<li ") == len(graph.outline)
    open_tags: list[str] = []
    deepest = 0
    for tag in re.findall(r"</?(?:li|ul)\b", html):
        if tag.startswith("</"):
            assert open_tags.pop() == tag[2:], "a list item or list closed out of order"
        else:
            open_tags.append(tag[1:])
            deepest = max(deepest, open_tags.count("ul"))
    assert not open_tags
    assert deepest == graph.outline[-1].depth


@KINDS
def test_a_deep_map_is_exported_to_every_format_but_drawings(
    deep: dict[str, ArgumentGraph], kind: str
) -> None:
    graph = deep[kind]
    last = f"s{DEEP - 1}"
    for fmt in EXPORT_FORMATS:
        if fmt in ("svg", "png", "pdf"):
            continue  # Graphviz: drawn by the command test below, and benchmarks/deep.py
        written = export(graph, fmt)
        assert isinstance(written, str)
        assert last in written or graph.numbers[last] in written, fmt
        # Each format's size grows with the map, not with the square of its depth.
        assert len(written) < 2_000 * DEEP, (fmt, len(written))


@KINDS
def test_the_markdown_outline_of_a_deep_map_stops_nesting(
    deep: dict[str, ArgumentGraph], kind: str
) -> None:
    graph = deep[kind]
    written = export(graph, "markdown")
    assert isinstance(written, str)
    lines = written.splitlines()
    items = [line for line in lines if line.lstrip().startswith("- ")]
    assert len(items) == len(graph.outline)
    indents = {len(line) - len(line.lstrip()) for line in items}
    assert max(indents) == 2 * MAX_NESTING
    deepest = graph.outline[-1]
    assert items[-1].startswith(" " * 2 * MAX_NESTING + f"- *(level {deepest.depth})* ")
    assert not any("*(level" in line for line in items[: MAX_NESTING + 1])


@KINDS
def test_a_deep_map_has_a_standard_form_and_is_formatted(
    deep: dict[str, ArgumentGraph], kind: str
) -> None:
    assert standard_form(deep[kind]) is not None
    text = deep_map(kind, DEEP, disable=("AM404",))
    assert format_text(text) == text  # the generator writes fmt's layout


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@KINDS
def test_the_commands_take_a_map_deeper_than_the_recursion_limit(tmp_path: Path, kind: str) -> None:
    path = write_map(tmp_path, kind, BUILT, disable=("AM404",))
    assert invoke("check", str(path))[0] == 0
    assert invoke("evaluate", str(path))[0] == 0
    assert invoke("fmt", "--check", str(path))[0] == 0
    for fmt in ("json", "markdown", "svg"):
        code, output = invoke("export", str(path), "--to", fmt, "-o", str(tmp_path / fmt))
        assert code == 0, output
    out = tmp_path / "site"
    code, output = invoke("build", str(path), "-o", str(out))
    assert code == 0, output
    page = (out / f"{kind}-{BUILT}.html").read_text(encoding="utf-8")
    outline = page.split('<ul class="outline-tree">', 1)[1].split("</section>", 1)[0]
    items = BUILT + (kind == "cycle")  # the cycle's first rebuttal comes round again
    assert outline.count("<li ") == outline.count("</li>") == items
    if kind == "support":  # the handout splits the diagram along the outline
        handout = tmp_path / "handout.html"
        code, output = invoke("handout", str(path), "-o", str(handout))
        assert code == 0, output
        assert handout.read_text(encoding="utf-8").count("<svg") >= 1


def test_the_generated_maps_check_without_a_warning(tmp_path: Path) -> None:
    # Their texts differ in at least five words each: AM404 finds no near duplicate.
    paths = [write_map(tmp_path, kind, 300) for kind in ("support", "attack", "cycle", "star")]
    result = check(paths, Config())
    assert not result.diagnostics, result.diagnostics[:3]
