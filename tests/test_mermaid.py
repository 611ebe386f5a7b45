"""The Mermaid export: the chart's shape, labels no text can break out of, and what
Mermaid itself draws from it in Chromium (the seed map and every hostile payload)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import check
from argmap.config import Config
from argmap.interop import EXPORT_FORMATS, export
from argmap.interop.formats import export_formats
from argmap.interop.mermaid import label
from argmap.markdown import to_plain
from argmap.model import AttackKind

from .conftest import FIXTURES, MERMAID_JS, SEED_MAP
from .test_hostile import PAYLOADS, hostile_map

# Every line the export may write; a line a text could shape would not match.
_LABEL = r'"(?:[\w .,:;!?\'()/-]|#[0-9]+;)*"'
_LINES = [
    re.compile(r"flowchart BT"),
    re.compile(r"    accTitle: [\w .,:;!?'()-]*"),
    re.compile(
        rf"    n[0-9]+(?:\({_LABEL}\)|\[{_LABEL}\]|\{{\{{{_LABEL}\}}\}})"
        r":::(?:claim|premise|rebuttal|thesis)"
    ),
    re.compile(rf"    j[0-9]+\(\({_LABEL}\)\):::junction"),
    re.compile(r"    [nj][0-9]+ (?:-->|---|--x|-\.-x) [nj][0-9]+"),
    re.compile(r"    classDef (?:claim|premise|rebuttal|thesis|junction) [a-z:#0-9A-F,-]+"),
]


def _graph(path: Path) -> ArgumentGraph:
    (graph,) = check([path], Config()).graphs
    return graph


def _unlabel(text: str) -> str:
    assert text.startswith('"') and text.endswith('"')
    return re.sub(r"#([0-9]+);", lambda found: chr(int(found[1])), text[1:-1])


def test_mermaid_is_a_registered_export_format() -> None:
    assert "mermaid" in EXPORT_FORMATS
    entry = export_formats()["mermaid"]
    assert (entry.suffix, entry.binary) == (".mmd", False)


@pytest.mark.parametrize(
    "path", [SEED_MAP, *sorted((FIXTURES / "valid").glob("*.toml"))], ids=lambda p: p.stem
)
def test_every_statement_and_relation_is_drawn(path: Path) -> None:
    graph = _graph(path)
    chart = str(export(graph, "mermaid"))
    lines = chart.splitlines()
    for line in lines:
        assert any(pattern.fullmatch(line) for pattern in _LINES), line
    nodes = [line for line in lines if re.match(r"    n[0-9]+[\[({]", line)]
    assert len(nodes) == len(graph.nodes)
    for line, (node_id, number) in zip(nodes, graph.numbers.items(), strict=True):
        shown = _unlabel(re.search(_LABEL, line)[0])  # type: ignore[index]
        assert shown == f"{number}: {to_plain(graph.nodes[node_id].text)}"
    undercut = {a.target for a in graph.map.attacks if a.kind is AttackKind.UNDERCUT}
    joined = [r for r in graph.map.reasons if r.id is not None and (r.linked or r.id in undercut)]
    direct = [r for r in graph.map.reasons if r not in joined]
    count = {edge: sum(f" {edge} " in line for line in lines) for edge in ("-->", "---")}
    assert count["-->"] == sum(len(r.premises) for r in direct) + len(joined)
    assert count["---"] == sum(len(r.premises) for r in joined)
    assert sum(line.startswith("    j") and "((" in line for line in lines) == len(joined)
    assert sum(" --x " in line or " -.-x " in line for line in lines) == len(graph.map.attacks)


@given(st.text())
def test_a_label_is_quoted_plain_characters_and_decodes_to_the_text(text: str) -> None:
    quoted = label(text)
    assert re.fullmatch(_LABEL, quoted)
    assert _unlabel(quoted) == text


def test_no_label_holds_a_word_mermaid_reads_as_a_style_statement() -> None:
    # Mermaid drops the last ";" of a line with "style ... : ... # ... ;" before parsing.
    for text in ("<style>a:b</style>", "classDef x fill:#f00;", "STYLE: #1;"):
        quoted = label(text)
        assert not re.search("style|classdef", quoted, re.IGNORECASE), quoted
        assert _unlabel(quoted) == text


@pytest.fixture(scope="module")
def hostile_charts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("mermaid")
    charts = {}
    for payload in PAYLOADS:
        path = folder / f"{payload.name}.toml"
        path.write_text(hostile_map(payload.text), encoding="utf-8")
        charts[payload.name] = str(export(_graph(path), "mermaid"))
    return charts


def test_no_payload_shapes_a_line_of_the_chart(hostile_charts: dict[str, str]) -> None:
    for name, chart in hostile_charts.items():
        for line in chart.splitlines():
            assert any(pattern.fullmatch(line) for pattern in _LINES), (name, line)


_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{script}"></script></head><body><div id="out"></div><script>
window.__alerts = [];
window.alert = (message) => window.__alerts.push(String(message));
mermaid.initialize({{startOnLoad: false, securityLevel: "{level}"}});
</script></body></html>"""

_RENDER = """async (source) => {
  try {
    const drawn = await mermaid.render("chart", source);
    document.getElementById("out").innerHTML = drawn.svg;
    return {ok: true, text: document.getElementById("out").textContent};
  } catch (error) {
    return {ok: false, text: String(error)};
  }
}"""


@pytest.mark.needs_browser
@pytest.mark.needs_mermaid
@pytest.mark.parametrize("level", ["strict", "loose"])
def test_mermaid_draws_every_chart_with_the_texts_as_written(
    hostile_charts: dict[str, str], tmp_path: Path, level: str, chromium: Any
) -> None:
    """Mermaid 11 in Chromium, as GitHub runs it ("strict") and as a wiki may ("loose",
    HTML labels on): every chart parses, shows each statement's words, and nothing of a
    payload runs (no alert, no flag set, no element a payload could add)."""
    assert MERMAID_JS is not None
    page_file = tmp_path / "page.html"
    page_file.write_text(_PAGE.format(script=MERMAID_JS.as_uri(), level=level), encoding="utf-8")
    seed = str(export(_graph(SEED_MAP), "mermaid"))
    failures = []
    page = chromium.new_page()
    try:
        for name, chart in [("seed", seed), *hostile_charts.items()]:
            page.goto(page_file.as_uri())
            drawn = page.evaluate(_RENDER, chart)
            if not drawn["ok"]:
                failures.append(f"{name}: {drawn['text'][:200]}")
                continue
            words = " ".join(drawn["text"].split())
            for line in chart.splitlines():
                found = re.search(_LABEL, line)
                if found and line.startswith("    n"):
                    expected = " ".join(_unlabel(found[0]).split())
                    if expected not in words:
                        failures.append(f"{name}: {expected[:80]!r} not shown")
                        break
            ran = page.evaluate(
                "() => [window.__alerts.length, typeof window.__pwned,"
                " document.querySelectorAll('#out script, #out iframe, #out img,"
                " #out object, #out embed').length]"
            )
            if ran != [0, "undefined", 0]:
                failures.append(f"{name}: something ran or was added: {ran}")
    finally:
        page.close()
    assert failures == [], "\n".join(failures[:20])


def test_the_seed_chart_in_markdown_is_a_fenced_block_github_draws() -> None:
    """What the docs tell users to paste: the chart inside ```mermaid ... ```; the chart
    has no line of three backticks that would end the block early."""
    chart = str(export(_graph(SEED_MAP), "mermaid"))
    assert "```" not in chart
    assert html.escape(chart, quote=False).count("&lt;") == 0
