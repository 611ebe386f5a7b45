"""Citations of other maps (``cites``): where the cited maps are found, and what is
reported when they are not. The pages' links are tested in tests/test_site.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from argmap.build.pipeline import build, check, find_map_files
from argmap.config import Config
from argmap.diagnostics import InputError
from argmap.model.fmt import format_text
from argmap.model.load import load_map

from .conftest import FIXTURES

CITES = FIXTURES / "cites"


def codes(paths: list[Path]) -> list[str]:
    return [d.code for d in check(paths, Config()).diagnostics]


def test_citations_resolve_among_the_maps_of_a_folder() -> None:
    result = check([CITES], Config())
    assert not result.diagnostics
    assert len(result.graphs) == 3


def test_the_loader_keeps_each_citation_with_the_position_of_its_string() -> None:
    path = CITES / "unit1" / "late-buses.toml"
    node = load_map(path, "unit1/late-buses").node("riders")
    assert [c.target for c in node.cites] == ["night-buses#riders", "unit2/transport#shift-work"]
    assert [(c.position.line, c.position.column) for c in node.cites] == [(11, 10), (11, 32)]


def test_a_file_checked_alone_below_arguments_resolves_in_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CITES, tmp_path / "arguments")
    monkeypatch.chdir(tmp_path)
    # its page name there is unit1/late-buses; the maps it cites are read from arguments/
    assert codes([Path("arguments/unit1/late-buses.toml")]) == []
    assert codes([tmp_path / "arguments" / "unit1" / "late-buses.toml"]) == []
    (map_file,) = find_map_files([Path("arguments/unit1/late-buses.toml")])
    assert map_file.cite_slug == "unit1/late-buses"


def test_a_file_checked_alone_elsewhere_resolves_in_its_own_folder(tmp_path: Path) -> None:
    shutil.copytree(CITES, tmp_path / "maps")
    # night-buses.toml cites unit2/transport, found below its own folder
    assert codes([tmp_path / "maps" / "night-buses.toml"]) == []
    # from unit1/, night-buses and unit2/transport are not below the file's folder
    assert codes([tmp_path / "maps" / "unit1" / "late-buses.toml"]) == ["AM207", "AM207"]


def test_a_map_read_only_for_citations_is_not_checked(tmp_path: Path) -> None:
    shutil.copytree(CITES, tmp_path / "maps")
    transport = tmp_path / "maps" / "unit2" / "transport.toml"
    transport.write_text(
        transport.read_text(encoding="utf-8") + '\n[premise.orphan]\ntext = "x"\n',
        encoding="utf-8",
    )
    assert codes([tmp_path / "maps" / "night-buses.toml"]) == []  # no AM402 for it


def test_a_cited_node_that_is_removed_is_reported(tmp_path: Path) -> None:
    shutil.copytree(CITES, tmp_path / "maps")
    transport = tmp_path / "maps" / "unit2" / "transport.toml"
    text = transport.read_text(encoding="utf-8").replace("shift-work", "shifts")
    transport.write_text(text, encoding="utf-8")
    result = check([tmp_path / "maps"], Config())
    problems = [(d.path.name, d.code, d.hint) for d in result.errors]
    assert problems == [
        ("night-buses.toml", "AM208", "did you mean 'unit2/transport#shifts'?"),
        ("late-buses.toml", "AM208", "did you mean 'unit2/transport#shifts'?"),
    ]
    assert len(result.graphs) == 1  # only the cited map itself still builds


@pytest.mark.needs_dot
def test_building_one_file_that_cites_a_map_outside_the_build_fails(tmp_path: Path) -> None:
    shutil.copytree(CITES, tmp_path / "maps")
    with pytest.raises(InputError) as raised:
        build([tmp_path / "maps" / "night-buses.toml"], tmp_path / "out", config=Config())
    (problem,) = raised.value.diagnostics
    assert problem.code == "AM207"
    assert "is not part of this build" in problem.message
    assert not (tmp_path / "out").exists()


def test_fmt_keeps_cites_next_to_the_other_relations() -> None:
    head = '[map]\ntitle = "t"\nthesis = "c"\n\n'
    text = head + '[claim.c]\ncites = "a#b"\ntext = "x"\nsupports = "d"\n'
    formatted = format_text(text)
    assert 'cites = "a#b"' in formatted
    assert formatted.index("supports") < formatted.index("cites")
