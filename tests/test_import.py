"""argmap import: AIF (AIFdb and OVA3/xAIF), Argdown and argmap's JSON; round trips
TOML -> JSON/AIF/xAIF/Argdown -> TOML; the real AIF corpus where it is present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import argmap._cli_interop  # noqa: F401  (registers export and import on the app)
from argmap.cli import app
from argmap.config import Config
from argmap.fmt import format_text
from argmap.graph import build_graph
from argmap.interop import ImportFailedError, export, import_map
from argmap.interop.aif import to_aif
from argmap.interop.document import Document, data_only, to_document
from argmap.interop.draft import slugify
from argmap.load import ID_PATTERN, load_map
from argmap.pipeline import check
from argmap.validate import validate_map
from tests.conftest import FIXTURES, REPO, SEED_MAP

INTEROP = FIXTURES / "interop"
CORPUS = REPO.parent / "shared" / "corpora" / "aif"
MAPS = [
    *sorted((FIXTURES / "valid").glob("*.toml")),
    *sorted((FIXTURES / "golden").glob("*.toml")),
    SEED_MAP,
]


def document_of(path: Path) -> Document:
    result = check([path], Config())
    assert result.graphs, result.diagnostics
    return data_only(to_document(result.graphs[0], evaluation=False))


def document_of_text(text: str) -> Document:
    argument_map = load_map(Path("imported.toml"), "imported", text)
    validate_map(argument_map)
    return data_only(to_document(build_graph(argument_map), evaluation=False))


def passes_check(text: str, folder: Path, name: str = "imported") -> list[str]:
    """Write the map and run `argmap check` on it; return the warnings' codes."""
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    result = check([path], Config())
    assert not result.errors, [d.headline() for d in result.errors]
    assert format_text(text) == text  # already in `argmap fmt`'s layout
    return [d.code for d in result.warnings]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [
        ("json", ".json"),
        ("aif", ".json"),
        ("xaif", ".json"),
        ("argdown", ".argdown"),
    ],
)
def test_round_trip_gives_the_same_map(path: Path, fmt: str, suffix: str, tmp_path: Path) -> None:
    graph = check([path], Config()).graphs[0]
    exported = export(graph, fmt)
    assert isinstance(exported, str)
    result = import_map(Path(f"exported{suffix}"), text=exported)
    assert document_of_text(result.text) == document_of(path)
    passes_check(result.text, tmp_path)


def _structure(document: Document) -> tuple[Any, ...]:
    """The argument without ids or kinds: who supports and attacks what, by text."""
    text = {n["id"]: n["text"] for n in document["nodes"]}
    reason_of = {r["id"]: r for r in document["reasons"] if r["id"]}

    def reason_key(reason: dict[str, Any]) -> tuple[Any, ...]:
        return (tuple(sorted(text[p] for p in reason["premises"])), text[reason["conclusion"]])

    reasons = sorted(reason_key(r) for r in document["reasons"])
    attacks = sorted(
        (
            text[a["source"]],
            reason_key(reason_of[a["target"]]) if a["kind"] == "undercuts" else text[a["target"]],
            a["kind"],
        )
        for a in document["attacks"]
    )
    return tuple(sorted(text.values())), tuple(map(str, reasons)), tuple(map(str, attacks))


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_plain_aif_without_argmap_extras_keeps_the_structure(path: Path, tmp_path: Path) -> None:
    original = document_of(path)
    if len({n["text"] for n in original["nodes"]}) < len(original["nodes"]):
        pytest.skip("two statements share a text; the structure is compared by text")
    aif = to_aif(to_document(check([path], Config()).graphs[0], evaluation=False))
    del aif["argmap"]
    result = import_map(Path("plain.json"), text=json.dumps(aif))
    back = document_of_text(result.text)
    assert _structure(back) == _structure(original)
    passes_check(result.text, tmp_path)


# --------------------------------------------------------------------------- AIF


def test_aifdb_form_with_integer_ids_schemes_nulls_and_unmappable_nodes(tmp_path: Path) -> None:
    result = import_map(INTEROP / "nodeset-mixed.json")
    assert result.input_format == "aif"
    document = document_of_text(result.text)
    kinds = {n["text"]: n["kind"] for n in document["nodes"]}
    thesis = next(n for n in document["nodes"] if n["id"] == document["map"]["thesis"])
    assert thesis["text"] == "The town should build a cycle lane on the high street."
    assert kinds["Shops lose trade when parking goes."] == "rebuttal"
    assert kinds["Cycle lanes make cycling safer."] == "premise"
    linked = [r for r in document["reasons"] if len(r["premises"]) == 2]
    assert linked[0]["note"] == "AIF scheme: Argument From Consequences"
    undercuts = [a for a in document["attacks"] if a["kind"] == "undercuts"]
    assert [a["target"] for a in undercuts] == [linked[0]["id"]]
    report = "\n".join(result.report)
    assert "dropped 1 MA node(s)" in report
    assert "dropped 1 dialogue node(s) (L)" in report
    assert "CA node 17" in report  # an attack on an attack cannot be mapped
    assert "both supports and attacks" in report
    passes_check(result.text, tmp_path)


def test_xaif_form_drops_dialogue_with_a_count(tmp_path: Path) -> None:
    result = import_map(INTEROP / "xaif-dialogue.json")
    assert result.input_format == "xaif"
    assert "dropped 2 dialogue node(s) (YA)" in result.report
    assert "dropped 1 dialogue node(s) (TA)" in result.report
    document = document_of_text(result.text)
    assert document["map"]["thesis"] == "village-needs-library"
    assert len(document["nodes"]) == 3
    passes_check(result.text, tmp_path)


def test_a_file_that_is_not_aif_fails_with_a_clear_message() -> None:
    with pytest.raises(ImportFailedError, match="not AIF JSON"):
        import_map(INTEROP / "not-a-map.json")


def test_aif_where_every_statement_attacks_fails_clearly() -> None:
    data = {
        "nodes": [
            {"nodeID": "1", "text": "A", "type": "I"},
            {"nodeID": "2", "text": "B", "type": "I"},
            {"nodeID": "3", "text": "CA", "type": "CA"},
            {"nodeID": "4", "text": "CA", "type": "CA"},
        ],
        "edges": [
            {"fromID": "1", "toID": "3"},
            {"fromID": "3", "toID": "2"},
            {"fromID": "2", "toID": "4"},
            {"fromID": "4", "toID": "1"},
        ],
    }
    with pytest.raises(ImportFailedError, match="no statement can be the thesis"):
        import_map(Path("cycle.json"), text=json.dumps(data))


def test_ids_from_texts_are_valid_short_and_unique() -> None:
    assert slugify("The town should build a cycle lane on the high street.") == (
        "town-should-build-cycle-lane-high"
    )
    assert slugify("Ärger über Öl") == "arger-uber-ol"
    assert slugify("!!!") == "statement"
    for text in ("x" * 200, "9 lives", "—"):
        assert ID_PATTERN.fullmatch(slugify(text))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the AIF corpus is not here: {CORPUS}")
def test_every_file_of_the_aif_corpus_imports_or_fails_clearly(tmp_path: Path) -> None:
    imported, failed = [], []
    for path in sorted(CORPUS.glob("*.json")):
        try:
            result = import_map(path)
        except ImportFailedError as error:
            assert path.name in str(error) or "statement" in str(error)
            failed.append(path.name)
            continue
        passes_check(result.text, tmp_path, path.stem.replace(".", "-"))
        imported.append(path.name)
    print(f"AIF corpus: {len(imported)} imported, {len(failed)} failed clearly: {failed}")
    assert imported


# --------------------------------------------------------------------------- Argdown


def test_argdown_written_by_hand(tmp_path: Path) -> None:
    result = import_map(INTEROP / "debate.argdown")
    assert result.input_format == "argdown"
    text = result.text
    assert "# --- The case for Sunday opening" in text
    assert "# --- Objections" in text
    document = document_of_text(text)
    nodes = {n["id"]: n for n in document["nodes"]}
    assert document["map"]["title"] == "Should the library open on Sundays?"
    assert document["map"]["thesis"] == "Sunday"
    assert nodes["Sunday"]["tags"] == ["policy"]
    assert nodes["free-time"]["tags"] == ["time use"]
    assert nodes["Cost"]["kind"] == "rebuttal"
    assert nodes["Volunteers"]["kind"] == "rebuttal"  # an argument without premises
    demand = next(r for r in document["reasons"] if r["id"] == "Demand")
    assert demand == {
        "id": "Demand",
        "premises": ["Survey", "members-count"],
        "conclusion": "Sunday",
        "note": "Many readers ask for it.",
    }
    assert {"source": "survey-bias", "target": "Demand", "kind": "undercuts"} in (
        document["attacks"]
    )
    report = "\n".join(result.report)
    assert "contradiction between Quiet and Free time" in report
    assert "front matter `author` is not kept" in report
    assert "`colour` is not kept" in report
    assert "comment" not in text.lower().replace("# imported", "")
    passes_check(text, tmp_path)


# --------------------------------------------------------------------------- CLI


def test_cli_import_writes_the_file_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "arguments" / "library.toml"
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(INTEROP / "xaif-dialogue.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "dropped 2 dialogue node(s) (L)" in result.stderr
    assert check([out], Config()).graphs
    again = runner.invoke(app, ["import", str(INTEROP / "xaif-dialogue.json"), "-o", str(out)])
    assert again.exit_code == 2  # refuses to replace the file without --force


def test_cli_import_failure_is_exit_1() -> None:
    result = CliRunner().invoke(app, ["import", str(INTEROP / "not-a-map.json")])
    assert result.exit_code == 1
    assert "not AIF JSON" in result.stderr
