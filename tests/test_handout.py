"""Handouts (argmap handout): standard form, questions, blanks and bank, the diagram on
the page, the HTML worksheet and the command line. The PDF is in test_handout_pdf.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import check
from argmap.cli import app
from argmap.diagnostics import ExitCode
from argmap.markdown import to_plain
from argmap.model.load import load_map_partially
from argmap.teach.handout import (
    MIN_FONT_PT,
    HandoutError,
    HandoutOptions,
    Level,
    Paper,
    blanked,
    claim_bank,
    default_draw,
    fit,
    make_handout,
    printable_area,
    select_blanks,
)
from argmap.teach.standard_form import author_questions, generated_questions, standard_form

from .conftest import FIXTURES, SEED_MAP

HANDOUT = FIXTURES / "handout"
UNIFORMS = HANDOUT / "uniforms.toml"
WIDE = HANDOUT / "wide.toml"
runner = CliRunner()


def graph_of(path: Path) -> ArgumentGraph:
    result = check([path])
    assert not result.errors, result.errors
    (graph,) = result.graphs
    return graph


def number(graph: ArgumentGraph, node_id: str) -> str:
    return graph.numbers[node_id]


def student_part(html: str) -> str:
    return html.split('<section class="sheet answer-key"', 1)[0]


def answer_key(html: str) -> str:
    return html.split('<section class="sheet answer-key"', 1)[1]


# -- the `questions` key -------------------------------------------------------------------


def test_questions_are_read_from_the_map_and_from_nodes() -> None:
    argument_map, problems = load_map_partially(UNIFORMS, "uniforms")
    assert problems == [] and argument_map is not None
    assert argument_map.questions == ("Which reason do you find strongest, and why?",)
    assert argument_map.node("uniforms").questions == (
        "Would the author accept uniforms chosen by the students?",
    )
    assert argument_map.node("cost").questions == ()


def test_questions_must_be_strings(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "c"\nquestions = [1]\n\n[claim.c]\ntext = "c"\n',
        encoding="utf-8",
    )
    _, problems = load_map_partially(path, "m")
    assert [(p.code, p.position.line) for p in problems] == [("AM102", 4)]


# -- standard form -------------------------------------------------------------------------


def test_standard_form_keeps_linked_premises_together_and_lists_objections() -> None:
    graph = graph_of(UNIFORMS)
    form = standard_form(graph)
    (argument,) = form.arguments  # only the thesis has reasons
    assert argument.conclusion.is_thesis and argument.conclusion.number == "C1"
    shapes = [(r.linked, [p.id for p in r.premises]) for r in argument.reasons]
    assert shapes == [
        (False, ["cost"]),
        (False, ["focus"]),
        (True, ["pressure", "same-clothes"]),
    ]
    linked = argument.reasons[2]
    assert linked.undercut_by == (number(graph, "shoes"),)
    objections = [(o.rebuttal.id, o.kind, o.target) for o in form.objections]
    pressure, same = number(graph, "pressure"), number(graph, "same-clothes")
    assert objections == [  # in the order of their numbers
        ("shoes", "undercuts", f"the step from {pressure} + {same} to C1"),
        ("expression", "attacks", "C1"),
        ("other-ways", "replies to", number(graph, "expression")),
    ]
    assert argument.conclusion.attacked_by == (number(graph, "expression"),)


@pytest.mark.parametrize("path", [UNIFORMS, WIDE, SEED_MAP], ids=lambda p: p.stem)
def test_every_statement_is_in_the_standard_form(path: Path) -> None:
    graph = graph_of(path)
    assert standard_form(graph).numbers() == set(graph.numbers.values())


def test_an_unconnected_statement_is_listed_too(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "c"\n\n'
        '[premise.alone]\ntext = "on its own"\n',
        encoding="utf-8",
    )
    form = standard_form(graph_of(path))
    assert form.arguments == () and [s.number for s in form.unconnected] == ["C1", "P1"]


def test_generated_questions_come_with_answers_from_the_structure() -> None:
    graph = graph_of(UNIFORMS)
    expression, reply, shoes = (number(graph, n) for n in ("expression", "other-ways", "shoes"))
    pressure, same = number(graph, "pressure"), number(graph, "same-clothes")
    cost, focus = number(graph, "cost"), number(graph, "focus")
    questions = {q.text: q.answer for q in generated_questions(graph)}
    assert questions[f"Which claim does {expression} attack?"] == "C1"
    assert questions[f"{reply} is a reply. Which objection does {reply} answer?"] == expression
    assert questions[f"Are {pressure} and {same} a linked or an independent reason for C1?"] == (
        "linked: they support C1 only together"
    )
    assert questions[f"Are {cost} and {focus} a linked or an independent reason for C1?"] == (
        "independent: each supports C1 on its own"
    )
    undercut = f"{shoes} attacks neither a premise nor a conclusion. What does it attack?"
    assert questions[undercut] == f"the step from {pressure} + {same} to C1"


def test_undercut_questions_are_asked_where_there_is_none_yet() -> None:
    texts = [q.text for q in generated_questions(graph_of(SEED_MAP))]
    assert "What would undercut the step to C1?" in texts
    assert len(texts) <= 9


def test_author_questions_come_first_and_name_their_statement() -> None:
    questions = author_questions(graph_of(UNIFORMS))
    assert [(q.about, q.text) for q in questions] == [
        (None, "Which reason do you find strongest, and why?"),
        ("C1", "Would the author accept uniforms chosen by the students?"),
    ]


# -- blanks and the bank -------------------------------------------------------------------


def test_blank_selects_kinds_numbers_ids_tags_and_the_thesis() -> None:
    graph = graph_of(UNIFORMS)
    premises = {n for n, node in graph.nodes.items() if node.kind.value == "premise"}
    assert select_blanks(graph, "premises") == premises
    assert select_blanks(graph, "premise") == premises
    assert select_blanks(graph, "thesis") == {"uniforms"}
    assert select_blanks(graph, number(graph, "focus").lower()) == {"focus"}
    assert select_blanks(graph, "money, shoes") == {"cost", "shoes"}


def test_blank_refuses_what_names_nothing() -> None:
    graph = graph_of(UNIFORMS)
    with pytest.raises(HandoutError, match="'nonsense' is not a kind"):
        select_blanks(graph, "premises,nonsense")
    with pytest.raises(HandoutError, match="names nothing"):
        select_blanks(graph, " , ")


def test_the_bank_is_shuffled_reproducibly_by_the_seed() -> None:
    graph = graph_of(SEED_MAP)
    blanks = select_blanks(graph, "premises")
    first = claim_bank(graph, blanks, 7)
    assert first == claim_bank(graph, blanks, 7)
    assert [e.text for e in first] != [e.text for e in claim_bank(graph, blanks, 8)]
    assert [e.letter for e in first][:3] == ["A", "B", "C"]
    expected = {to_plain(graph.nodes[n].text) for n in blanks}
    assert {e.text for e in first} == expected
    order = [number(graph, n) for n in graph.numbers if n in blanks]
    assert [e.number for e in first] != order  # shuffled


def test_blanked_graph_keeps_numbers_and_hides_texts() -> None:
    graph = graph_of(UNIFORMS)
    hidden = blanked(graph, {"cost"})
    assert hidden.numbers == graph.numbers
    assert "cost families" not in hidden.nodes["cost"].text
    assert hidden.nodes["cost"].quote is None
    assert hidden.nodes["focus"] == graph.nodes["focus"]


def test_levels_and_blank_options_that_contradict_are_refused() -> None:
    graph = graph_of(UNIFORMS)
    for options in (
        HandoutOptions(level=Level.FULL, blank="premises"),
        HandoutOptions(level=Level.BANK, blank="premises"),
    ):
        with pytest.raises(HandoutError):
            make_handout(graph, options, lambda dot: "")


# -- the diagram on the page ---------------------------------------------------------------


def test_fit_prefers_portrait_and_turns_wide_diagrams_to_landscape() -> None:
    width, height = printable_area(Paper.A4)
    scale, landscape = fit(300, 200, Paper.A4)
    assert not landscape and scale == pytest.approx(9.5 / 11)
    scale, landscape = fit(width * 1.3, 200, Paper.A4)
    assert landscape and scale == pytest.approx(9.5 / 11)
    scale, landscape = fit(height * 3, 100, Paper.A4)
    assert landscape and scale == pytest.approx(1 / 3)
    assert fit(300, 200, Paper.A4, prefer_landscape=True)[1]  # a tie: stay landscape
    assert not fit(300, height, Paper.A4, prefer_landscape=True)[1]  # portrait is larger


@pytest.mark.needs_dot
@pytest.mark.parametrize("paper", list(Paper))
def test_a_wide_map_is_split_into_parts_that_stay_readable(paper: Paper) -> None:
    graph = graph_of(WIDE)
    made = make_handout(graph, HandoutOptions(paper=paper), default_draw(60))
    assert len(made.parts) > 1 and made.notes == []
    page_w, page_h = printable_area(paper)
    shown: set[str] = set()
    for part in made.parts:
        assert part.font_pt >= MIN_FONT_PT
        width, height = (page_h, page_w) if part.landscape else (page_w, page_h)
        assert part.width_pt <= width + 0.5 and part.height_pt <= height
        assert "C1" in part.numbers  # every part repeats the thesis it hangs from
        shown.update(part.numbers)
    assert shown == set(graph.numbers.values())
    assert "split into" in made.html


@pytest.mark.needs_dot
def test_a_small_map_is_one_diagram_at_readable_size(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "A claim."\n\n'
        '[premise.p]\ntext = "A premise."\nsupports = "c"\n',
        encoding="utf-8",
    )
    made = make_handout(graph_of(path), HandoutOptions(), default_draw(60))
    (part,) = made.parts
    assert part.title is None and not part.landscape and part.font_pt >= MIN_FONT_PT


# -- the worksheet -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uniforms_blanks() -> tuple[ArgumentGraph, str]:
    graph = graph_of(UNIFORMS)
    options = HandoutOptions(blank="premises", answer_key=True, seed=3, source_text=True)
    return graph, make_handout(graph, options, default_draw(60)).html


@pytest.mark.needs_dot
def test_worksheet_has_header_name_line_diagram_form_and_questions(
    uniforms_blanks: tuple[ArgumentGraph, str],
) -> None:
    graph, html = uniforms_blanks
    student = student_part(html)
    assert "<h1>Should schools require uniforms?</h1>" in student
    assert "<cite>Uniforms and the school day</cite>, Example Weekly" in student
    assert 'class="name-date"' in student and ">Name <" in student and ">Date <" in student
    # Too wide for 8 pt on one page: two parts, neither with links
    assert student.count("<svg") == 2 and "<a " not in student.split("<svg", 1)[1]
    assert "Questions for discussion" in student
    assert "About C1:</span> Would the author accept uniforms" in student
    assert "Which reason do you find strongest" in student
    assert "@page { size: A4; margin: 15mm; }" in html
    for node_number in graph.numbers.values():
        assert f'<span class="number">{node_number}</span>' in student
        assert f"{node_number} · " in student  # the same number in the diagram's box


@pytest.mark.needs_dot
def test_blanked_texts_are_only_in_the_bank_and_the_answer_key(
    uniforms_blanks: tuple[ArgumentGraph, str],
) -> None:
    graph, html = uniforms_blanks
    student, key = student_part(html), answer_key(html)
    bank = student.split('<section class="bank"', 1)[1].split("</section>", 1)[0]
    rest = student.replace(bank, "")
    for node in graph.nodes.values():
        text = to_plain(node.text)
        if node.kind.value == "premise":
            assert text in bank and text not in rest, node.id
        else:
            assert text in rest, node.id
        assert text in key, node.id
    assert "to be filled in" in student and "_" * 31 in student  # writing lines in the boxes


@pytest.mark.needs_dot
def test_answer_key_maps_letters_to_numbers_and_answers_questions(
    uniforms_blanks: tuple[ArgumentGraph, str],
) -> None:
    graph, html = uniforms_blanks
    key = answer_key(html)
    assert "Answer key" in key and key.count("<svg") == 2
    bank = claim_bank(graph, select_blanks(graph, "premises"), 3)
    for entry in bank:
        assert f'{entry.letter}</span> → <span class="number">{entry.number}</span>' in key
    assert "linked: they support C1 only together" in key


@pytest.mark.needs_dot
def test_source_text_has_numbered_paragraphs(uniforms_blanks: tuple[ArgumentGraph, str]) -> None:
    _, html = uniforms_blanks
    assert re.search(r"¶2</span> Supporters say uniforms cost families less", html)
    assert "¶3</span> Critics answer" in html


def test_source_text_needs_a_text_file() -> None:
    with pytest.raises(HandoutError, match="names no source text"):
        make_handout(graph_of(WIDE), HandoutOptions(source_text=True), lambda dot: "")


@pytest.mark.needs_dot
def test_bank_level_shows_no_statement_text_outside_the_bank() -> None:
    graph = graph_of(UNIFORMS)
    made = make_handout(
        graph, HandoutOptions(level=Level.BANK, paper=Paper.LETTER), default_draw(60)
    )
    assert made.blanks == set(graph.nodes) and len(made.bank) == len(graph.nodes)
    rest = made.html.split('<section class="bank"', 1)[0] + made.html.split("</ol>", 1)[1]
    for node in graph.nodes.values():
        assert to_plain(node.text) not in rest
    assert "@page { size: letter; margin: 15mm; }" in made.html


def test_map_text_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "<script>x</script>"\nthesis = "c"\nquestions = ["<b>q</b>"]\n\n'
        '[claim.c]\ntext = "c <img src=x>"\n',
        encoding="utf-8",
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g/></svg>'
    html = make_handout(graph_of(path), HandoutOptions(), lambda dot: svg).html
    assert "<script>" not in html and "<b>q</b>" not in html and "<img" not in html


# -- the command line ----------------------------------------------------------------------


@pytest.mark.needs_dot
def test_cli_writes_the_handout(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = runner.invoke(
        app, ["handout", str(UNIFORMS), "-o", str(out), "--blank", "premises", "--answer-key"]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (A4, level blanks, 4 empty box(es), bank seed 1" in result.stdout
    assert "Answer key" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--blank", "nonsense"],
        ["--level", "full", "--blank", "premises"],
        ["--paper", "a5"],
        ["--source-text"],
    ],
)
def test_cli_usage_errors(tmp_path: Path, arguments: list[str]) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "c"\n', "utf-8")
    result = runner.invoke(app, ["handout", str(path), "-o", str(tmp_path / "o.html"), *arguments])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output


def test_cli_reports_map_errors(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[map]\ntitle = "t"\nthesis = "nowhere"\n', "utf-8")
    result = runner.invoke(app, ["handout", str(path), "-o", str(tmp_path / "o.html")])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert not (tmp_path / "o.html").exists()


@pytest.mark.needs_dot
def test_cli_pdf_without_chromium_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    dot = shutil.which("dot")
    assert dot is not None
    (bin_dir / "dot").symlink_to(dot)
    monkeypatch.setenv("PATH", str(bin_dir))
    result = runner.invoke(app, ["handout", str(UNIFORMS), "-o", str(tmp_path / "o.html"), "--pdf"])
    assert result.exit_code == ExitCode.ENVIRONMENT_ERROR, result.output
    assert "apt-get install chromium" in result.stderr
    assert (tmp_path / "o.html").exists()
