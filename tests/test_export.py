"""argmap export: argmap's JSON (against its schema), the diagram, GraphML, AIF, Argdown,
Markdown; Argdown's own CLI parses the Argdown export where it is installed."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import check
from argmap.cli import app
from argmap.config import Config
from argmap.interop import EXPORT_FORMATS, export
from argmap.interop.aif import to_aif
from argmap.interop.document import to_document
from tests.conftest import ARGDOWN, FIXTURES, SEED_MAP

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "argmap" / "interop" / "export.schema.json").read_text()
)
MAPS = [
    *sorted((FIXTURES / "valid").glob("*.toml")),
    *sorted((FIXTURES / "golden").glob("*.toml")),
    SEED_MAP,
]
ALL_RELATIONS = FIXTURES / "golden" / "all-relations.toml"
TEXT_FORMATS = ("json", "dot", "graphml", "aif", "xaif", "argdown", "markdown")


def graph_of(path: Path) -> ArgumentGraph:
    result = check([path], Config())
    assert result.graphs, result.diagnostics
    return result.graphs[0]


def test_the_schema_is_a_valid_draft_07_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_json_export_matches_its_schema(path: Path) -> None:
    text = export(graph_of(path), "json")
    assert isinstance(text, str)
    document = json.loads(text)
    jsonschema.validate(document, SCHEMA)
    graph = graph_of(path)
    assert [n["id"] for n in document["nodes"]] == list(graph.numbers)
    assert set(document["evaluation"]["nodes"]) == set(graph.nodes)


def test_json_export_holds_every_field() -> None:
    document = to_document(graph_of(FIXTURES / "valid" / "expected-verdict.toml"))
    cheap = next(n for n in document["nodes"] if n["id"] == "cheap")
    assert cheap == {
        "id": "cheap",
        "kind": "premise",
        "number": cheap["number"],
        "text": "The night buses cost almost nothing to run.",
        "status": "rejected",
    }
    assert document["expect"] == {"in": ["keep", "riders", "counted"], "out": ["empty", "cheap"]}
    assert document["evaluation"]["nodes"]["cheap"]["label"] == "OUT"


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_every_text_format_exports_every_map(path: Path, fmt: str) -> None:
    text = export(graph_of(path), fmt)
    assert isinstance(text, str)
    assert text.endswith("\n") or fmt == "dot"


def test_graphml_has_yed_keys_and_data_for_kind_and_text() -> None:
    text = export(graph_of(ALL_RELATIONS), "graphml")
    assert isinstance(text, str)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    root = ET.fromstring(text)
    keys = {
        k.get("attr.name") or k.get("yfiles.type"): k.get("id") for k in root.findall("g:key", ns)
    }
    assert {"kind", "text", "label", "nodegraphics", "edgegraphics", "relation"} <= set(keys)
    nodes = root.findall("g:graph/g:node", ns)
    kinds = {
        n.get("id"): n.find(f"g:data[@key='{keys['kind']}']", ns).text  # type: ignore[union-attr]
        for n in nodes
    }
    assert kinds["thesis"] == "claim"
    assert kinds["objection"] == "rebuttal"
    assert kinds["reason:together"] == "reason"
    assert all(n.find("g:data/y:ShapeNode/y:NodeLabel", ns) is not None for n in nodes)
    relations = [
        e.find(f"g:data[@key='{keys['relation']}']", ns).text  # type: ignore[union-attr]
        for e in root.findall("g:graph/g:edge", ns)
    ]
    assert sorted({str(r) for r in relations}) == ["attacks", "supports", "undercuts"]


def test_aif_export_has_i_ra_and_ca_nodes() -> None:
    document = to_document(graph_of(ALL_RELATIONS), evaluation=False)
    aif = to_aif(document)
    types = [n["type"] for n in aif["nodes"]]
    assert types.count("I") == len(document["nodes"])
    assert types.count("RA") == len(document["reasons"])
    assert types.count("CA") == len(document["attacks"])
    by_id = {n["nodeID"]: n for n in aif["nodes"]}
    undercut_ca = [e["toID"] for e in aif["edges"] if by_id[e["fromID"]]["type"] == "CA"]
    assert any(by_id[t]["type"] == "RA" for t in undercut_ca)  # the undercut hits the RA
    assert all(e["formEdgeID"] is None for e in aif["edges"])
    xaif = to_aif(document, xaif=True)
    assert xaif["AIF"]["nodes"][0]["type"] == "I"
    assert {"nodes", "edges", "locutions", "participants"} <= set(xaif["AIF"])


ATTACK_CYCLE = FIXTURES / "interop" / "attack-cycle.toml"


@pytest.mark.parametrize("path", [ALL_RELATIONS, SEED_MAP, ATTACK_CYCLE], ids=lambda p: p.stem)
def test_xaif_places_every_node_and_edge_for_ova(path: Path) -> None:
    """OVA reads node positions from the "OVA" part: one for every AIF node, each edge
    drawn, no two nodes in one place, what a node argues for above it, and on top what
    argues for nothing (the thesis, or a conclusion drawn from it as in the seed map)."""
    xaif = to_aif(to_document(graph_of(path), evaluation=False), xaif=True)
    graph, ova = xaif["AIF"], xaif["OVA"]
    assert [n["nodeID"] for n in ova["nodes"]] == [n["nodeID"] for n in graph["nodes"]]
    for node in ova["nodes"]:
        assert set(node) == {"nodeID", "visible", "x", "y", "timestamp"}
        assert node["visible"] is True and isinstance(node["x"], int) and node["x"] > 0
    assert len({(n["x"], n["y"]) for n in ova["nodes"]}) == len(ova["nodes"])
    assert ova["edges"] == [
        {"fromID": e["fromID"], "toID": e["toID"], "visible": True} for e in graph["edges"]
    ]
    y = {n["nodeID"]: n["y"] for n in ova["nodes"]}
    upward = [e for e in graph["edges"] if y[e["toID"]] < y[e["fromID"]]]
    cycles = 1 if path == ATTACK_CYCLE else 0  # one edge of a cycle must point down
    assert len(upward) == len(graph["edges"]) - cycles
    tops = {n["nodeID"] for n in graph["nodes"]} - {e["fromID"] for e in graph["edges"]}
    assert tops and {y[node_id] for node_id in tops} == {min(y.values())}
    assert "OVA" not in to_aif(to_document(graph_of(path), evaluation=False))


def test_markdown_outline_starts_with_the_thesis() -> None:
    text = export(graph_of(ALL_RELATIONS), "markdown")
    assert isinstance(text, str)
    assert text.startswith("# All relations\n")
    assert "- *thesis:* **C1** The *thesis* of the map." in text
    assert "*undercuts:* **R" in text


def test_argdown_escapes_what_argdown_would_read_as_syntax() -> None:
    text = export(graph_of(FIXTURES / "golden" / "hostile-labels.toml"), "argdown")
    assert isinstance(text, str)
    assert "\\<b\\>html\\<\\/b\\>" in text
    assert "\\{record|fields\\}" in text


@pytest.mark.needs_dot
@pytest.mark.parametrize(
    ("fmt", "magic"), [("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF")]
)
def test_the_diagram_in_every_graphviz_format(tmp_path: Path, fmt: str, magic: bytes) -> None:
    out = tmp_path / f"map.{fmt}"
    result = CliRunner().invoke(app, ["export", str(ALL_RELATIONS), "--to", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert magic in out.read_bytes()[:400]


def test_cli_writes_text_formats_to_stdout() -> None:
    result = CliRunner().invoke(app, ["export", str(ALL_RELATIONS), "--to", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["map"]["title"] == "All relations"


def test_cli_refuses_binary_formats_on_stdout_and_unknown_formats() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["export", str(ALL_RELATIONS), "--to", "png"]).exit_code == 2
    assert runner.invoke(app, ["export", str(ALL_RELATIONS), "--to", "docx"]).exit_code == 2


def test_cli_does_not_export_a_map_with_errors() -> None:
    broken = next((FIXTURES / "invalid").glob("*.toml"))
    result = CliRunner().invoke(app, ["export", str(broken), "--to", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""


def test_every_format_is_documented() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "interop.md").read_text(encoding="utf-8")
    for fmt in EXPORT_FORMATS:
        assert f"`{fmt}`" in docs


# --------------------------------------------------------------------------- Argdown CLI


@pytest.mark.needs_argdown
@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_argdown_cli_parses_the_export_into_the_same_nodes_and_relations(
    tmp_path: Path, path: Path
) -> None:
    assert ARGDOWN is not None
    graph = graph_of(path)
    text = export(graph, "argdown")
    assert isinstance(text, str)
    source = tmp_path / "map.argdown"
    source.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [ARGDOWN, "json", str(source), str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "error" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    parsed = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    statements = parsed["statements"]
    assert set(statements) == set(graph.nodes)
    for node_id, node in graph.nodes.items():
        member = next(m for m in statements[node_id]["members"] if m.get("data"))
        assert member["data"]["kind"] == node.kind.value
        exact = member["data"].get("text") or member["text"]
        if "text" not in member["data"]:
            exact = exact.strip()
            for tag in node.tags:
                exact = exact.replace(f"#({tag})", "").strip()
            # Argdown drops emphasis markers from the text it reports; compare the words.
            assert exact.replace("*", "").replace("_", "") == (
                node.text.replace("*", "").replace("_", "")
            )
        assert member.get("tags", []) == list(node.tags) or "tags" in member["data"]
    named = {r.id for r in graph.map.reasons if r.id is not None}
    assert set(parsed["arguments"]) == named
    relations = {(r["from"], r["relationType"], r["to"]) for r in parsed["relations"]}
    expected = {
        (r.premises[0], "support", r.conclusion) for r in graph.map.reasons if r.id is None
    } | {
        (a.source, "attack" if a.kind.value == "attacks" else "undercut", a.target)
        for a in graph.map.attacks
    }
    assert relations == expected
    for reason in graph.map.reasons:
        if reason.id is None:
            continue
        pcs = parsed["arguments"][reason.id]["pcs"]
        assert [s["title"] for s in pcs] == [*reason.premises, reason.conclusion]
