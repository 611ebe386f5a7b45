"""argmap import: AIF (AIFdb and OVA3/xAIF), Argdown and argmap's JSON; round trips
TOML -> JSON/AIF/xAIF/Argdown -> TOML; the real AIF corpus where it is present."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from argmap.analysis.graph import build_graph
from argmap.build.pipeline import check
from argmap.cli import app
from argmap.config import Config
from argmap.interop import ImportFailedError, export, import_map
from argmap.interop.aif import to_aif
from argmap.interop.document import Document, data_only, to_document
from argmap.interop.draft import slugify
from argmap.model.fmt import format_text
from argmap.model.load import ID_PATTERN, load_map
from argmap.model.mapformat import NODE_TABLES, key_order
from argmap.model.validate import validate_map
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
    expected = document_of(path)
    text_file = expected.get("source", {}).get("text_file", "")
    if text_file.startswith("../"):  # leaves the map's folder: dropped, with a warning
        del expected["source"]["text_file"]
        assert any(
            line.startswith("warning: dropped the setting source.text_file")
            for line in result.report
        )
    assert document_of_text(result.text) == expected
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


def two_statement_aif(conclusion: str, premise: str) -> str:
    nodes = [
        {"nodeID": "1", "text": conclusion, "type": "I"},
        {"nodeID": "2", "text": premise, "type": "I"},
        {"nodeID": "3", "text": "RA", "type": "RA"},
    ]
    edges = [{"fromID": "2", "toID": "3"}, {"fromID": "3", "toID": "1"}]
    return json.dumps({"nodes": nodes, "edges": edges})


@pytest.mark.parametrize("newline", ["\r\n", "\r\n\r\n", "\n\r", "\r"])
def test_texts_with_carriage_returns_come_back_exactly(newline: str, tmp_path: Path) -> None:
    conclusion = f"The village{newline}needs a library."
    premise = f"Children have{newline}nowhere to read."
    result = import_map(Path("windows.json"), text=two_statement_aif(conclusion, premise))
    texts = {n["text"] for n in document_of_text(result.text)["nodes"]}
    assert texts == {conclusion, premise}
    passes_check(result.text, tmp_path)


def deep_chain_aif(depth: int) -> str:
    """A support chain ``depth`` statements deep: 1 <- 2 <- 3 ... (each RA between)."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for i in range(depth):
        nodes.append({"nodeID": f"i{i}", "text": f"Step {i} of the chain holds.", "type": "I"})
        if i:
            nodes.append({"nodeID": f"ra{i}", "text": "RA", "type": "RA"})
            edges += [
                {"fromID": f"i{i}", "toID": f"ra{i}"},
                {"fromID": f"ra{i}", "toID": f"i{i - 1}"},
            ]
    return json.dumps({"nodes": nodes, "edges": edges})


def test_a_support_chain_thousands_deep_imports_without_recursion() -> None:
    text = deep_chain_aif(5000)
    result = import_map(Path("chain.json"), text=text)
    data = tomllib.loads(result.text)  # not build_graph: this tests the import alone
    assert len(data["claim"]) + len(data["premise"]) == 5000
    assert data["map"]["thesis"] == "step-0-chain-holds"
    # Written in reading order: the thesis, then each premise below the one before.
    assert result.text.index("Step 4998 ") < result.text.index("Step 4999 ")


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


# --------------------------------------------------------------------------- settings


def aif_with_settings(source: dict[str, Any], lint: dict[str, Any] | None = None) -> str:
    extras: dict[str, Any] = {"source": source}
    if lint is not None:
        extras["lint"] = lint
    return json.dumps(
        {
            "nodes": [
                {"nodeID": "1", "text": "The village needs a library.", "type": "I"},
                {"nodeID": "2", "text": "Children have nowhere to read.", "type": "I"},
                {"nodeID": "3", "text": "RA", "type": "RA"},
            ],
            "edges": [{"fromID": "2", "toID": "3"}, {"fromID": "3", "toID": "1"}],
            "argmap": extras,
        }
    )


def test_every_setting_carried_from_aif_is_reported_and_an_absolute_text_file_dropped(
    tmp_path: Path,
) -> None:
    text = aif_with_settings(
        {"title": "Parish newsletter", "text_file": "/proc/self/environ"},
        {"disable": ["thesis-undefended", "AM404"], "max_text_length": 300},
    )
    result = import_map(Path("smuggle.json"), text=text, folder=tmp_path)
    assert "text_file" not in result.text
    assert "/proc/self/environ" in "\n".join(result.report)
    assert [line for line in result.report if "setting source.text_file" in line] == [
        'warning: dropped the setting source.text_file = "/proc/self/environ": it is an '
        "absolute path; `argmap check` would read that file: add it to [source] yourself "
        "if you trust it"
    ]
    carried = [line for line in result.report if line.startswith("carried from the input")]
    assert carried == [
        'carried from the input: source.title = "Parish newsletter"',
        'carried from the input: lint.disable = ["thesis-undefended", "AM404"]',
        "carried from the input: lint.max_text_length = 300",
    ]
    assert 'disable = ["thesis-undefended", "AM404"]' in result.text
    passes_check(result.text, tmp_path)


@pytest.mark.parametrize(
    "text_file",
    [
        "../secrets.txt",
        "sources/../../secrets.txt",
        "..",
        "/etc/passwd",
        "C:\\Users\\me\\secrets.txt",
        "\\\\server\\share\\secrets.txt",
        "sources\\..\\..\\secrets.txt",
        "",
        "a\0b",
    ],
)
def test_a_text_file_outside_the_maps_folder_is_dropped(text_file: str, tmp_path: Path) -> None:
    result = import_map(Path("s.json"), text=aif_with_settings({"text_file": text_file}))
    assert "text_file" not in result.text
    assert "[source]" not in result.text
    assert any(
        line.startswith("warning: dropped the setting source.text_file") for line in result.report
    )
    passes_check(result.text, tmp_path)


@pytest.mark.parametrize("text_file", ["sources/article.txt", "article.txt", "./a/../b.txt"])
def test_a_text_file_inside_the_maps_folder_is_kept_and_reported(
    text_file: str, tmp_path: Path
) -> None:
    result = import_map(
        Path("s.json"), text=aif_with_settings({"text_file": text_file}), folder=tmp_path
    )
    assert f"text_file = {json.dumps(text_file)}" in result.text
    assert f"carried from the input: source.text_file = {json.dumps(text_file)}" in result.report


def test_a_text_file_that_leaves_the_folder_through_a_symlink_is_dropped(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "project" / "arguments"
    folder.mkdir(parents=True)
    (folder / "sources").symlink_to(outside, target_is_directory=True)
    text = aif_with_settings({"text_file": "sources/article.txt"})
    result = import_map(Path("s.json"), text=text, folder=folder)
    assert "text_file" not in result.text
    assert any("through a symbolic link" in line for line in result.report)
    # A link inside the folder is fine.
    (folder / "texts").mkdir()
    (folder / "inside").symlink_to(folder / "texts", target_is_directory=True)
    text = aif_with_settings({"text_file": "inside/article.txt"})
    assert (
        'text_file = "inside/article.txt"'
        in import_map(Path("s.json"), text=text, folder=folder).text
    )


def test_argdown_front_matter_settings_are_reported_and_an_outside_text_file_dropped() -> None:
    text = (
        "===\n"
        "title: Library\n"
        'argmap: {source: {text_file: "../../home/me/.ssh/id_rsa", url: "https://example.org/a"}, '
        'lint: {disable: ["AM405"]}, expect: {semantics: "grounded", in: ["lib"]}}\n'
        "===\n\n"
        "[lib]: The village needs a library.\n"
        "  + [kids]: Children have nowhere to read.\n"
    )
    result = import_map(Path("front.argdown"), text=text)
    assert "text_file" not in result.text
    assert any("source.text_file" in line and "leads out" in line for line in result.report)
    assert 'carried from the input: source.url = "https://example.org/a"' in result.report
    assert 'carried from the input: lint.disable = ["AM405"]' in result.report
    assert 'carried from the input: expect.semantics = "grounded"' in result.report
    assert 'carried from the input: expect.in = ["lib"]' in result.report


def test_argmap_json_settings_are_reported_and_an_outside_text_file_dropped() -> None:
    graph = check([FIXTURES / "valid" / "quotes-checked.toml"], Config()).graphs[0]
    data = json.loads(str(export(graph, "json")))
    data["source"]["text_file"] = "/dev/zero"
    result = import_map(Path("m.json"), text=json.dumps(data))
    assert "text_file" not in result.text
    assert 'warning: dropped the setting source.text_file = "/dev/zero"' in "\n".join(result.report)


def test_cli_import_judges_the_text_file_against_the_output_folder(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(aif_with_settings({"text_file": "up/article.txt"}), encoding="utf-8")
    folder = tmp_path / "arguments"
    folder.mkdir()
    (folder / "up").symlink_to(tmp_path, target_is_directory=True)
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(folder / "m.toml")])
    assert result.exit_code == 0, result.output
    assert "text_file" not in (folder / "m.toml").read_text(encoding="utf-8")
    assert "through a symbolic link" in result.stderr


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("depth", [33, 1000, 200_000])
def test_json_nested_deeper_than_the_limit_fails_with_where(depth: int) -> None:
    text = '{"nodes": [], "edges": [],\n "x": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(ImportFailedError, match=r"^deep\.json, line 2, column 38: .*32 levels"):
        import_map(Path("deep.json"), text=text)


def test_argmap_json_nested_too_deep_fails_clearly() -> None:
    text = '{"format": "argmap", "nodes": [{"tags": ' + "[" * 50_000 + "]" * 50_000 + "}]}"
    with pytest.raises(ImportFailedError, match="nested more than 32 levels"):
        import_map(Path("m.json"), text=text)


def test_brackets_inside_strings_are_not_nesting(tmp_path: Path) -> None:
    conclusion = "The village needs a library " + '[{\\"' * 40 + "."
    result = import_map(Path("s.json"), text=two_statement_aif(conclusion, "Children read."))
    assert conclusion in {n["text"] for n in document_of_text(result.text)["nodes"]}


def test_cli_import_of_deep_json_is_exit_1_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert "deep.json, line 1, column 33" in result.stderr
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, RecursionError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"nodes": [{"nodeID": ' + "1" * 5000 + '}], "edges": []}', "cannot be read as JSON"),
        (two_statement_aif("A lone \ud800 half.", "Children read."), r"\\ud800, half of"),
    ],
)
def test_json_that_python_reads_oddly_fails_clearly(text: str, message: str) -> None:
    with pytest.raises(ImportFailedError, match=message):
        import_map(Path("odd.json"), text=text)


@pytest.mark.parametrize(
    ("extras", "message"),
    [
        ({"nodes": {"1": {"id": ["x"], "kind": 3}}}, None),
        ({"map": {"tags": "x"}}, "`map.tags = 'x'` cannot be written"),
        ({"lint": {"disable": {"AM404": True}}}, None),
    ],
)
def test_argmap_extras_of_the_wrong_type_never_crash(
    extras: dict[str, Any], message: str | None
) -> None:
    data = json.loads(two_statement_aif("The village needs a library.", "Children read."))
    data["argmap"] = extras
    try:
        import_map(Path("typed.json"), text=json.dumps(data))
    except ImportFailedError as error:
        assert message is None or message in str(error)
    else:
        assert message is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "needs a `map` object"),
        ({"map": 5, "nodes": 5}, "needs a `map` object"),
        ({"map": {"title": "x", "thesis": "a"}, "nodes": [5]}, "must be a list of objects"),
        ({"reasons": [{"premises": 5, "conclusion": "a"}]}, "is incomplete"),
        ({"attacks": [{"source": "a"}]}, "is incomplete"),
        ({"attacks": [{"source": "zz", "target": "a", "kind": "attacks"}]}, "does a reason"),
        ({"nodes": [{"id": "a"}]}, "cannot write the map"),
    ],
)
def test_argmap_json_of_the_wrong_shape_fails_clearly(data: dict[str, Any], message: str) -> None:
    document: dict[str, Any] = {
        "format": "argmap",
        "map": {"title": "Library", "thesis": "a"},
        "nodes": [{"id": "a", "kind": "claim", "text": "The village needs a library."}],
    }
    document.update(data)
    if not data:
        del document["map"]
    with pytest.raises(ImportFailedError, match=message):
        import_map(Path("shape.json"), text=json.dumps(document))


def test_argmap_json_without_a_language_imports(tmp_path: Path) -> None:
    document = {
        "format": "argmap",
        "map": {"title": "Library", "thesis": "a"},
        "nodes": [{"id": "a", "kind": "claim", "text": "The village needs a library."}],
    }
    passes_check(import_map(Path("m.json"), text=json.dumps(document)).text, tmp_path)


ARGDOWN_BODY = "\n[lib]: The village needs a library.\n  + [kids]: Children have nowhere to read.\n"


def test_argdown_front_matter_nested_too_deep_fails_with_its_line() -> None:
    text = "===\ntitle: Deep\nargmap: {lint: " + "[" * 100_000 + "]" * 100_000 + "}\n===\n"
    with pytest.raises(ImportFailedError, match=r"^deep\.argdown, line 3: .*32 levels deep"):
        import_map(Path("deep.argdown"), text=text + ARGDOWN_BODY)


def test_argdown_front_matter_aliases_are_refused() -> None:
    front = "===\ntitle: Bomb\nargmap:\n  lint:\n    a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):  # 9**12 items once the aliases are followed
        front += f"    a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
    with pytest.raises(ImportFailedError, match=r"line 6: .*aliases \(\*name\) are not supported"):
        import_map(Path("bomb.argdown"), text=front + "===\n" + ARGDOWN_BODY)


def test_argdown_metadata_nested_too_deep_is_reported_and_ignored(tmp_path: Path) -> None:
    deep = "{note: " + "[" * 100_000 + "]" * 100_000 + "}"
    text = f"[lib]: The village needs a library. {deep}\n  + [kids]: Children read.\n"
    result = import_map(Path("meta.argdown"), text=text)
    assert any("line 1: metadata" in line and "32 levels deep" in line for line in result.report)
    passes_check(result.text, tmp_path)


def test_argdown_metadata_over_many_lines_is_read(tmp_path: Path) -> None:
    block = "{\n" + "".join(f"  k{i}: {i},\n" for i in range(3000)) + '  note: "Seen."\n}\n'
    text = "[lib]: The village needs a library.\n  + [kids]: Children read.\n" + block
    result = import_map(Path("block.argdown"), text=text)
    assert 'note = "Seen."' in result.text
    passes_check(result.text, tmp_path)


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


def test_the_written_map_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's safety net parses the TOML it wrote, as a map file is read (rtoml);
    the check of the import reads that result instead of parsing the text again."""
    from argmap.interop import tomlwrite
    from argmap.model.tomltext import fast_loads as fast

    parsed: list[tuple[str, int]] = []
    loads = tomllib.loads

    def counted(text: str) -> dict[str, Any]:
        parsed.append(("tomllib", len(text)))
        return loads(text)

    def counted_fast(text: str) -> dict[str, Any] | None:
        parsed.append(("fast", len(text)))
        return fast(text)

    monkeypatch.setattr(tomllib, "loads", counted)
    monkeypatch.setattr(tomlwrite, "fast_loads", counted_fast)
    result = import_map(INTEROP / "nodeset-mixed.json")
    assert parsed == [("fast", len(result.text))]


# ------------------------------------------------------------- written in fmt's layout

IMPORT_FIXTURES = [
    INTEROP / "debate.argdown",
    INTEROP / "nodeset-mixed.json",
    INTEROP / "xaif-dialogue.json",
]


@pytest.mark.parametrize("path", IMPORT_FIXTURES, ids=lambda p: p.name)
def test_importer_output_is_left_as_it_is_by_fmt(path: Path) -> None:
    text = import_map(path).text
    assert format_text(text) == text


@pytest.mark.parametrize("path", [*IMPORT_FIXTURES, *MAPS], ids=lambda p: p.name)
def test_importer_output_writes_keys_in_the_definitions_order(path: Path) -> None:
    if path.suffix == ".toml":
        graph = check([path], Config()).graphs[0]
        exported = export(graph, "json")
        assert isinstance(exported, str)
        text = import_map(Path("exported.json"), text=exported).text
    else:
        text = import_map(path).text
    data = tomllib.loads(text)  # dicts keep the order of the keys in the file
    for name, table in data.items():
        order = key_order(name)
        bodies = table.values() if name in NODE_TABLES else [table]
        for body in bodies:
            assert list(body) == sorted(body, key=order.index), (name, list(body))
