"""Loading a map file into the model: what the valid fixtures turn into."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.diagnostics import InputError, Position
from argmap.model import ArgumentMap, AttackKind, NodeKind
from argmap.model.load import load_map

from .conftest import FIXTURES

VALID = FIXTURES / "valid"


def load(name: str) -> ArgumentMap:
    return load_map(VALID / f"{name}.toml", name)


def reasons(argument_map: ArgumentMap) -> list[tuple[str | None, tuple[str, ...], str, bool]]:
    return [(r.id, r.premises, r.conclusion, r.linked) for r in argument_map.reasons]


def attacks(argument_map: ArgumentMap) -> list[tuple[str, AttackKind, str]]:
    return [(a.source, a.kind, a.target) for a in argument_map.attacks]


def test_map_table_and_nodes() -> None:
    argument_map = load("linked-reasons")
    assert argument_map.slug == "linked-reasons"
    assert argument_map.title == "Keep the night buses"
    assert argument_map.summary == "Why the council should not cut the night bus service."
    assert argument_map.tags == ("transport", "council")
    assert argument_map.language == "en-GB"
    assert argument_map.thesis == "keep-night-buses"
    assert argument_map.position == Position(2, 1)
    assert [(n.id, n.kind) for n in argument_map.nodes] == [
        ("keep-night-buses", NodeKind.CLAIM),
        ("riders-depend-on-it", NodeKind.CLAIM),
        ("riders", NodeKind.PREMISE),
        ("no-other-way", NodeKind.PREMISE),
        ("savings-small", NodeKind.PREMISE),
    ]
    thesis = argument_map.node("keep-night-buses")
    assert thesis.tags == ("thesis",)  # a single string is a list of one
    assert thesis.position == Position(9, 1)


def test_linked_and_independent_reasons() -> None:
    argument_map = load("linked-reasons")
    assert reasons(argument_map) == [
        (None, ("riders-depend-on-it",), "keep-night-buses", False),
        (None, ("savings-small",), "keep-night-buses", False),
        ("no-alternative", ("riders", "no-other-way"), "riders-depend-on-it", True),
    ]
    linked = argument_map.reasons[-1]
    assert linked.position == Position(24, 1)
    assert linked.note == "Linked: many riders matter only because they have no other way home."
    # An independent reason points at the id in its node's `supports`.
    assert argument_map.reasons[0].position == Position(16, 12)


def test_single_premise_reason_undercut_and_rebuttal_of_a_rebuttal() -> None:
    argument_map = load("undercut-and-rebuttals")
    assert reasons(argument_map) == [("safety", ("safe-ride",), "keep-night-buses", False)]
    assert attacks(argument_map) == [
        ("taxis", AttackKind.UNDERCUT, "safety"),
        ("half-empty", AttackKind.REBUT, "keep-night-buses"),
        ("still-needed", AttackKind.REBUT, "half-empty"),
        ("taxis-cost", AttackKind.REBUT, "taxis"),
    ]
    assert [a.position for a in argument_map.attacks] == [
        Position(18, 13),
        Position(22, 11),
        Position(26, 11),
        Position(30, 12),
    ]


def test_inline_tables_dotted_keys_and_lists_of_ids() -> None:
    argument_map = load("lists-and-inline-tables")
    assert [n.id for n in argument_map.nodes] == [
        "keep-night-buses",
        "keep-late-shops",
        "riders",
        "savings-small",
        "half-empty",
    ]
    assert argument_map.node("savings-small").tags == ("money", "budget")
    assert reasons(argument_map) == [
        (None, ("riders",), "keep-night-buses", False),
        (None, ("riders",), "keep-late-shops", False),
        (None, ("savings-small",), "keep-night-buses", False),
    ]
    assert attacks(argument_map)[1] == ("half-empty", AttackKind.REBUT, "riders")
    assert argument_map.reasons[1].position == Position(15, 109)
    assert argument_map.attacks[1].position == Position(19, 89)


def test_strings_escapes_and_multi_line_values() -> None:
    argument_map = load("strings-and-comments")
    assert argument_map.title == 'Keep the night buses: a "literal" title'
    assert argument_map.summary is not None
    assert "\n" not in argument_map.summary  # line ends escaped with a backslash
    thesis = argument_map.node("keep-night-buses")
    assert thesis.text == 'The council should keep the "night bus" service.'
    assert thesis.note is not None and "C:\\docs\\buses.pdf" in thesis.note
    assert argument_map.node("savings-small").text == 'The savings are "small".'


def test_quotes_and_source() -> None:
    argument_map = load("quotes-checked")
    source = argument_map.source
    assert source.date == "2024-03-01"  # a bare TOML date
    assert source.url == "https://example.org/night-buses"
    assert source.text_file == "../sources/short-article.txt"
    assert source.position == Position(6, 1)
    quotes = {n.id: n.quote for n in argument_map.nodes if n.quote is not None}
    assert {node_id: (q.position, q.paragraph) for node_id, q in quotes.items()} == {
        "keep-night-buses": (Position(16, 9), 6),
        "shift-workers": (Position(21, 9), 3),
        "savings-small": (Position(29, 9), None),
    }
    assert quotes["shift-workers"].text == (
        "Most of them are shift workers – nurses, cleaners and bakers – who have no other way home."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-03-01T10:30:00Z", "2024-03-01T10:30:00+00:00"),
        ("2024-03-01 10:30:00", "2024-03-01T10:30:00"),
        ('"March 2024"', "March 2024"),
    ],
)
def test_source_date_may_be_a_toml_date_or_text(tmp_path: Path, value: str, expected: str) -> None:
    text = (VALID / "minimal.toml").read_text(encoding="utf-8") + f"\n[source]\ndate = {value}\n"
    assert load_map(tmp_path / "m.toml", "m", text).source.date == expected


def test_only_the_source_date_may_be_a_toml_date(tmp_path: Path) -> None:
    text = (VALID / "minimal.toml").read_text(encoding="utf-8")
    text += "\n[source]\ntitle = 2024-03-01\n"
    with pytest.raises(InputError) as caught:
        load_map(tmp_path / "m.toml", "m", text)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message == "`source.title` must be a string, not a date"
    assert diagnostic.position == Position(10, 9)


def test_load_map_raises_with_every_shape_problem() -> None:
    with pytest.raises(InputError) as caught:
        load_map(FIXTURES / "invalid" / "several-problems.toml", "several-problems")
    # Only the loader's problems: the unknown id and the attack on a reason are validation's.
    assert sorted(d.position.line for d in caught.value.diagnostics) == [8, 12, 15]


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_map(tmp_path / "missing.toml", "missing")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message.startswith("cannot read the file: ")
    assert diagnostic.position == Position(1, 1)


def test_a_section_is_free_text_and_white_space_around_it_does_not_count() -> None:
    argument_map = load_map(FIXTURES / "golden" / "sections.toml", "sections")
    sections = {node.id: node.section for node in argument_map.nodes}
    assert sections == {
        "thesis": None,
        "cheaper": "Economy",
        "quote": "Economy",  # written "Economy "
        "traffic": 'Health "and" safety \\N \\\\ ]; pwn',
        "noise": 'Health "and" safety \\N \\\\ ]; pwn',
        "overrun": "Economy",
        "unsectioned": None,
    }


def test_a_misspelt_status_is_answered_with_the_word_to_write() -> None:
    text = '[map]\ntitle = "t"\nthesis = "a"\n\n[claim.a]\ntext = "x"\nstatus = "acepted"\n'
    with pytest.raises(InputError) as caught:
        load_map(Path("m.toml"), "m", text)
    (problem,) = caught.value.diagnostics
    assert problem.hint == "did you mean 'accepted'?"
