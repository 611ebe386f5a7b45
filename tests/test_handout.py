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
from argmap.render.dot import WRAP_WIDTH, wrap_words
from argmap.teach.exercises import EXERCISES
from argmap.teach.handout import (
    Handout,
    HandoutError,
    HandoutOptions,
    Level,
    answered,
    blanked,
    borrowed_distractors,
    claim_bank,
    interchangeable,
    make_handout,
    select_blanks,
)
from argmap.teach.paper import (
    BOX_LINES,
    BOX_WRAP,
    CUT_POINTER,
    MAX_FONT_PT,
    MIN_FONT_PT,
    Paper,
    box_text,
    default_draw,
    fit,
    printable_area,
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


def student_part(made: Handout) -> str:
    assert 'class="sheet answer-key"' not in made.html
    return made.html


def answer_key(made: Handout) -> str:
    assert made.key_html is not None
    return made.key_html


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
    # numbered as a textbook does: premises (1) to (4), the conclusion (5), and each
    # reason its own inference
    assert [(line.step, line.statement.id) for line in argument.lines] == [
        (1, "cost"),
        (2, "focus"),
        (3, "pressure"),
        (4, "same-clothes"),
    ]
    assert argument.step == 5
    assert [r.steps for r in argument.reasons] == [(1,), (2,), (3, 4)]


def test_sub_arguments_come_first_and_their_conclusions_are_not_repeated() -> None:
    graph = graph_of(SEED_MAP)
    form = standard_form(graph)
    concluded: dict[str, int] = {}
    for argument in form.arguments:
        for line in argument.lines:
            if line.statement.id in concluded:  # the conclusion of an earlier argument
                assert line.again and line.step == concluded[line.statement.id]
            else:
                assert not line.again
        concluded[argument.conclusion.id] = argument.step
    assert any(a.conclusion.is_thesis for a in form.arguments)
    steps = [line.step for a in form.arguments for line in a.lines if not line.again]
    steps += [a.step for a in form.arguments]
    assert sorted(steps) == list(range(1, len(steps) + 1))  # each number once


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


def test_fit_is_portrait_and_at_most_the_largest_size() -> None:
    width, height = printable_area(Paper.A4)
    assert fit(300, 200, Paper.A4) == pytest.approx(MAX_FONT_PT / 11)
    assert fit(width * 2, 200, Paper.A4) == pytest.approx(0.5)
    assert fit(100, height * 3, Paper.A4, reserve=0) == pytest.approx(1 / 3)


def test_box_text_wraps_narrow_and_cuts_long_texts_with_a_pointer() -> None:
    short = box_text("A short premise.")
    assert short == "A\u00a0short\u00a0premise."
    long = box_text(" ".join(["word"] * 60))
    lines = [line for line in wrap_words(long, WRAP_WIDTH) if "argmap" not in line]
    assert len(lines) == BOX_LINES and lines[-1] == CUT_POINTER.replace(" ", "\u00a0")
    assert lines[-2].endswith("\u00a0…") and all(len(line) <= BOX_WRAP for line in lines)


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
        assert part.width_pt <= page_w + 0.5 and part.height_pt <= page_h
        shown.update(part.numbers)
    assert "C1" in made.parts[0].numbers
    assert shown == set(graph.numbers.values())
    assert "comes in" in made.html and "(see part 1)" in made.html


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
    assert part.title is None and part.font_pt >= MIN_FONT_PT


# -- the worksheet -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uniforms_blanks() -> tuple[ArgumentGraph, Handout]:
    graph = graph_of(UNIFORMS)
    options = HandoutOptions(blank="premises", answer_key=True, seed=3, source_text=True)
    return graph, make_handout(graph, options, default_draw(60))


@pytest.mark.needs_dot
def test_worksheet_has_header_name_line_diagram_form_and_questions(
    uniforms_blanks: tuple[ArgumentGraph, Handout],
) -> None:
    graph, made = uniforms_blanks
    student = student_part(made)
    assert "<h1>Should schools require uniforms?</h1>" in student
    assert "<cite>Uniforms and the school day</cite>, Example Weekly" in student
    assert 'class="name-date"' in student and ">Name <" in student and ">Date <" in student
    # One diagram, without links
    assert student.count("<svg") == 1 and "<a " not in student.split("<svg", 1)[1]
    assert "Questions for discussion" in student
    assert "About C1:</span> Would the author accept uniforms" in student
    assert "Which reason do you find strongest" in student
    assert "@page { size: A4; margin: 14mm;" in student
    # the name line and the page number on every page, but page 1 has its own name field
    assert '@top-right { content: "Name ____' in student
    assert '"page " counter(page) " of " counter(pages)' in student
    assert "@page :first { @top-right { content: none; } }" in student
    for node_number in graph.numbers.values():
        assert f'<span class="number">{node_number}</span>' in student
        assert f"{node_number} · " in student  # the same number in the diagram's box


@pytest.mark.needs_dot
def test_blanked_texts_are_only_in_the_bank_and_the_answer_key(
    uniforms_blanks: tuple[ArgumentGraph, Handout],
) -> None:
    graph, made = uniforms_blanks
    student, key = student_part(made), answer_key(made)
    bank = student.split('<section class="bank"', 1)[1].split("</section>", 1)[0]
    rest = student.replace(bank, "")
    for node in graph.nodes.values():
        text = to_plain(node.text)
        if node.kind.value == "premise":
            assert text in bank and text not in rest, node.id
        else:
            assert text in rest, node.id
        assert text in key, node.id
    assert "to be filled in" in student and "_" * BOX_WRAP in student  # lines in the boxes


@pytest.mark.needs_dot
def test_answer_key_maps_letters_to_numbers_and_answers_questions(
    uniforms_blanks: tuple[ArgumentGraph, Handout],
) -> None:
    graph, made = uniforms_blanks
    key = answer_key(made)
    assert "Answer key" in key and key.count("<svg") == made.html.count("<svg")
    assert "Answer key: not for the students" in key  # on every page
    bank = claim_bank(graph, select_blanks(graph, "premises"), 3)
    assert len(bank) == 4
    for entry in bank:
        assert f'{entry.number}</span> → <span class="letter">{entry.letter}</span>' in key
    boxes = re.findall(r'<span class="number">(\w+)</span> → <span class="letter">', key)
    assert boxes == sorted(boxes, key=list(graph.numbers.values()).index)  # box by box


@pytest.mark.needs_dot
def test_source_text_has_numbered_paragraphs(
    uniforms_blanks: tuple[ArgumentGraph, Handout],
) -> None:
    _, made = uniforms_blanks
    html = made.html
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
    assert "@page { size: letter; margin: 14mm;" in made.html


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
    key = tmp_path / "sheet-key.html"
    assert f"wrote {key} (the answer key)" in result.stdout
    assert "Answer key" not in out.read_text(encoding="utf-8").split("</style>")[1]
    assert "Answer key" in key.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--blank", "nonsense"],
        ["--level", "full", "--blank", "premises"],
        ["--paper", "a5"],
        ["--source-text"],
        ["--exercise", "essay"],
        ["--level", "recall"],
        ["--versions", "27"],
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


def test_interchangeable_boxes_are_siblings_without_reasons_or_objections() -> None:
    graph = graph_of(UNIFORMS)
    blanks = select_blanks(graph, "premises")
    groups = interchangeable(graph, blanks)
    cost, focus = number(graph, "cost"), number(graph, "focus")
    # cost and focus: independent reasons for C1, either may go in either box; the
    # linked pressure + same-clothes reason is undercut, so its boxes are told apart.
    assert groups == {cost: (cost, focus), focus: (cost, focus)}
    assert interchangeable(graph, {"cost"}) == {}


@pytest.mark.needs_dot
def test_the_key_marks_interchangeable_boxes(
    uniforms_blanks: tuple[ArgumentGraph, Handout],
) -> None:
    graph, made = uniforms_blanks
    focus = number(graph, "focus")
    assert f"(interchangeable with {focus}: accept their letters in any order)" in answer_key(made)


def test_site_handouts_carry_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import argmap.build._site_handouts as site

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g/></svg>'
    monkeypatch.setattr(site, "default_draw", lambda timeout, runner: lambda dot: svg)
    made = site.site_handouts(graph_of(UNIFORMS), 10, None)
    assert len(made) == 4
    for label, path, html in made:
        assert "key" not in label.lower() and "key" not in path
        assert b"Answer key" not in html and b"answer-key" not in html


@pytest.mark.needs_dot
def test_build_handout_keys_writes_the_handout_commands_keys_outside_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arguments" / "unit1").mkdir(parents=True)
    (tmp_path / "arguments" / "unit1" / "uniforms.toml").write_bytes(UNIFORMS.read_bytes())
    build = ["build", "arguments", "--out", "site", "--jobs", "1", "--handout-keys", "keys"]
    result = runner.invoke(app, build)
    assert result.exit_code == 0, result.output
    keys = tmp_path / "keys"
    names = sorted(p.relative_to(keys).as_posix() for p in keys.rglob("*") if p.is_file())
    assert names == [
        "unit1/uniforms-a4-blanks-key.html",
        "unit1/uniforms-a4-key.html",
        "unit1/uniforms-letter-blanks-key.html",
        "unit1/uniforms-letter-key.html",
    ]
    # --handout-keys implies --handouts; the public site holds no key.
    site = tmp_path / "site"
    assert (site / "handouts" / "unit1" / "uniforms-a4-blanks.html").is_file()
    for page in site.rglob("*.html"):
        assert "key" not in page.name and b"Answer key" not in page.read_bytes(), page
    # Each key is, byte for byte, the one `argmap handout --answer-key` writes.
    options = {
        "a4": [],
        "letter": ["--paper", "letter"],
        "a4-blanks": ["--blank", "premises"],
        "letter-blanks": ["--paper", "letter", "--blank", "premises"],
    }
    for suffix, extra in options.items():
        sheet = tmp_path / "own" / f"uniforms-{suffix}.html"
        command = ["handout", str(UNIFORMS), "-o", str(sheet), "--answer-key", *extra]
        assert runner.invoke(app, command).exit_code == 0
        key = sheet.with_name(f"uniforms-{suffix}-key.html").read_bytes()
        assert key == (keys / "unit1" / f"uniforms-{suffix}-key.html").read_bytes(), suffix
        assert sheet.read_bytes() == (site / "handouts" / "unit1" / sheet.name).read_bytes()


@pytest.mark.parametrize("keys", ["site", "site/keys", "site/./handouts/../keys"])
def test_build_refuses_handout_keys_in_the_site_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arguments").mkdir()
    (tmp_path / "arguments" / "uniforms.toml").write_bytes(UNIFORMS.read_bytes())
    result = runner.invoke(app, ["build", "arguments", "-o", "site", "--handout-keys", keys])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "--handout-keys" in result.output and "published" in result.output
    assert "give --handout-keys a folder outside it" in result.output
    assert not (tmp_path / "site").exists()  # refused before anything is written


def test_build_refuses_handout_keys_that_would_land_in_the_site_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site inside the keys folder, and a map in a folder of the site's name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arguments" / "site").mkdir(parents=True)
    (tmp_path / "arguments" / "site" / "lesson.toml").write_bytes(UNIFORMS.read_bytes())
    command = ["build", "arguments", "-o", "private/site", "--handout-keys", "private"]
    result = runner.invoke(app, command)
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "would put private/site/lesson-a4-key.html into the output folder" in result.output
    assert not (tmp_path / "private" / "site").exists()


def test_build_refuses_a_linked_handout_keys_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arguments").mkdir()
    (tmp_path / "arguments" / "uniforms.toml").write_bytes(UNIFORMS.read_bytes())
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "keys").symlink_to(tmp_path / "elsewhere")
    result = runner.invoke(app, ["build", "arguments", "-o", "site", "--handout-keys", "keys"])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "symbolic link" in result.output and "--handout-keys" in result.output
    assert not (tmp_path / "site").exists() and not any((tmp_path / "elsewhere").iterdir())


def test_a_blank_box_ends_with_an_empty_line_below_its_writing_lines() -> None:
    """The last writing line stays off the bottom edge and a rebuttal's cut corners."""
    graph = graph_of(UNIFORMS)
    sources: list[str] = []

    def draw(dot_source: str) -> str:
        sources.append(dot_source)
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g/></svg>'

    make_handout(graph, HandoutOptions(blank="rebuttals"), draw)
    line = "_" * BOX_WRAP
    assert sources and f'{line}\\n \\n{line}\\n "' in sources[0]
    assert "argmap" not in sources[0].replace("argmap {", "").replace("digraph argmap", "")


# -- class sets: --versions ----------------------------------------------------------------


def test_versions_differ_in_blanks_and_bank_order_and_repeat_with_the_seed() -> None:
    graph = graph_of(SEED_MAP)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g/></svg>'

    def made(version: int, seed: int = 4) -> Handout:
        options = HandoutOptions(blank="premises", blank_count=6, version=version, seed=seed)
        return make_handout(graph, options, lambda dot: svg)

    first, second = made(1), made(2)
    assert len(first.blanks) == len(second.blanks) == 6
    assert first.blanks != second.blanks
    assert first.blanks <= select_blanks(graph, "premises")
    assert [e.text for e in first.bank] != [e.text for e in second.bank]
    assert made(2).html == second.html  # the same seed and version, the same sheet
    assert made(2, seed=5).blanks != second.blanks
    assert '@top-left { content: "Version B"; font-weight: bold; }' in second.html
    assert '<strong class="version">Version B</strong>' in second.html


def test_without_versions_no_version_is_named() -> None:
    graph = graph_of(UNIFORMS)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g/></svg>'
    html = make_handout(graph, HandoutOptions(blank="premises"), lambda dot: svg).html
    assert "Version" not in html and "@top-left" not in html


@pytest.mark.needs_dot
def test_cli_writes_a_class_set(tmp_path: Path) -> None:
    out = tmp_path / "quiz.html"
    arguments = ["--blank", "premises", "--versions", "2", "--answer-key", "--seed", "3"]
    result = runner.invoke(app, ["handout", str(UNIFORMS), "-o", str(out), *arguments])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["quiz-A-key.html", "quiz-A.html", "quiz-B-key.html", "quiz-B.html"]
    for letter in "AB":
        for name in (f"quiz-{letter}.html", f"quiz-{letter}-key.html"):
            assert f'content: "Version {letter}"' in (tmp_path / name).read_text("utf-8")
    again = tmp_path / "again"
    again.mkdir()
    result = runner.invoke(app, ["handout", str(UNIFORMS), "-o", str(again / out.name), *arguments])
    assert result.exit_code == 0, result.output
    for name in names:
        assert (again / name).read_bytes() == (tmp_path / name).read_bytes()


# -- levels: recall, distractors, giveaways ------------------------------------------------


def _blank_svg(dot: str) -> str:
    return '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt"><g/></svg>'


def test_recall_leaves_boxes_empty_without_a_bank_and_the_key_has_their_texts() -> None:
    graph = graph_of(UNIFORMS)
    options = HandoutOptions(level=Level.RECALL, blank="premises", answer_key=True)
    made = make_handout(graph, options, _blank_svg)
    assert made.bank == () and 'class="bank"' not in made.html
    assert made.key_html is not None
    for node_id in made.blanks:
        text = to_plain(graph.nodes[node_id].text)
        assert text not in made.html and text in made.key_html
    assert "What goes in each empty box" in made.key_html
    with pytest.raises(HandoutError, match="recall needs --blank"):
        make_handout(graph, HandoutOptions(level=Level.RECALL), _blank_svg)


def test_distractors_join_the_bank_and_the_key_names_them(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        UNIFORMS.read_text(encoding="utf-8").replace(
            "[source]",
            '[handout]\ndistractors = ["Uniforms are blue.", "Shoes are cheap."]\n\n[source]',
        ),
        encoding="utf-8",
    )
    (tmp_path / "uniforms-source.txt").write_bytes((HANDOUT / "uniforms-source.txt").read_bytes())
    graph = graph_of(path)
    assert graph.map.distractors == ("Uniforms are blue.", "Shoes are cheap.")
    options = HandoutOptions(blank="premises", answer_key=True)
    made = make_handout(graph, options, _blank_svg)
    texts = {e.text: e.number for e in made.bank}
    assert texts["Uniforms are blue."] == "" and texts["Shoes are cheap."] == ""
    assert len(made.bank) == 6
    assert made.key_html is not None and "Distractors, which belong in no box" in made.key_html
    full = make_handout(graph, HandoutOptions(), _blank_svg)
    assert full.bank == () and "Uniforms are blue." not in full.html


def test_a_bank_text_that_names_its_kind_and_a_bank_of_one_are_warned_about() -> None:
    graph = graph_of(SEED_MAP)
    notes = make_handout(graph, HandoutOptions(blank="rebuttals"), _blank_svg).notes
    giveaways = [note for note in notes if "gives its kind away" in note]
    assert len(giveaways) == 4
    assert any("begins 'Implicit objection'" in note for note in giveaways)
    notes = make_handout(graph, HandoutOptions(blank="thesis"), _blank_svg).notes
    assert any("one statement, which answers itself" in note for note in notes)
    assert (
        make_handout(graph_of(UNIFORMS), HandoutOptions(blank="premises"), _blank_svg).notes == []
    )


@pytest.mark.parametrize(
    ("table", "code"), [("[handout]\ndistractors = 1\n", "AM102"), ("[handout]\nx = 1\n", "AM101")]
)
def test_the_handout_table_is_checked(tmp_path: Path, table: str, code: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        f'[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "c"\n\n{table}', encoding="utf-8"
    )
    _, problems = load_map_partially(path, "m")
    assert [p.code for p in problems] == [code]


# -- exercises -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_each_exercise_leaves_out_what_answers_it(name: str) -> None:
    graph = graph_of(UNIFORMS)
    options = HandoutOptions(exercise=name, answer_key=True)
    made = make_handout(graph, options, _blank_svg)
    exercise = EXERCISES[name]
    assert f'class="exercise exercise-{name}"' in made.html
    assert made.key_html is not None and f"exercise-{name}" in made.key_html
    assert ("<svg" in made.html) is ("diagram" not in exercise.hides)
    assert ('class="standard-form"' in made.html) is ("form" not in exercise.hides)
    assert "Questions for discussion" not in made.html  # the questions would answer it


def test_label_asks_each_relation_and_the_key_answers_it() -> None:
    graph = graph_of(UNIFORMS)
    made = make_handout(graph, HandoutOptions(exercise="label", answer_key=True), _blank_svg)
    assert "supports, linked" not in made.html and "attacks</td>" not in made.html
    assert made.key_html is not None
    assert "supports, linked" in made.key_html and "supports, independent" in made.key_html
    assert "undercuts</td>" in made.key_html and "attacks</td>" in made.key_html


def test_evaluate_key_says_what_falls_by_the_evaluation_engine() -> None:
    graph = graph_of(HANDOUT / "lesson.toml")
    data = EXERCISES["evaluate"].data(graph)
    # R1 (screens) undercuts the linked step from P1 + P2 to C2, C2's only reason: if
    # R1 stands, C2 falls; the thesis keeps its other reasons.
    assert data["rebuttal"] == number(graph, "screens")
    assert data["falls"] == [number(graph, "sleep")]
    # In the uniforms map R1 (an undercut) defeats nothing the thesis needs: the next
    # objection is asked about, R3, whose standing makes R2 fall.
    uniforms = graph_of(UNIFORMS)
    data = EXERCISES["evaluate"].data(uniforms)
    assert data["rebuttal"] == number(uniforms, "other-ways")
    assert data["falls"] == [number(uniforms, "expression")]


def test_exercises_that_clash_or_do_not_exist_are_refused() -> None:
    graph = graph_of(UNIFORMS)
    with pytest.raises(HandoutError, match="reconstruct works from the diagram"):
        make_handout(graph, HandoutOptions(exercise="label,reconstruct"), _blank_svg)
    with pytest.raises(HandoutError, match="'essay' is not an exercise"):
        make_handout(graph, HandoutOptions(exercise="essay"), _blank_svg)


def test_distractors_drawn_from_other_maps_are_of_the_blank_kinds() -> None:
    import random

    lesson, uniforms = graph_of(HANDOUT / "lesson.toml"), graph_of(UNIFORMS)
    borrowed = [(node.kind, to_plain(node.text)) for node in uniforms.ordered_nodes()]
    blanks = select_blanks(lesson, "premises")
    chosen = borrowed_distractors(lesson, blanks, borrowed, random.Random(1))
    premises = {text for kind, text in borrowed if kind.value == "premise"}
    assert len(chosen) == 3 and set(chosen) <= premises
    assert chosen == borrowed_distractors(lesson, blanks, borrowed, random.Random(1))
    # nothing the map itself says, and nothing of another kind
    assert (
        borrowed_distractors(
            lesson, blanks, [(k, t) for k, t in borrowed if t not in premises], random.Random(1)
        )
        == ()
    )


@pytest.mark.needs_dot
def test_cli_draws_distractors_from_other_maps(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    arguments = ["--blank", "premises", "--answer-key", "--distractors-from", str(UNIFORMS)]
    lesson = HANDOUT / "lesson.toml"
    result = runner.invoke(app, ["handout", str(lesson), "-o", str(out), *arguments])
    assert result.exit_code == 0, result.output
    key = (tmp_path / "sheet-key.html").read_text(encoding="utf-8")
    assert "Distractors, which belong in no box" in key
    broken = tmp_path / "broken.toml"
    broken.write_text('[map]\ntitle = "t"\nthesis = "nowhere"\n', encoding="utf-8")
    arguments[-1] = str(broken)
    result = runner.invoke(app, ["handout", str(lesson), "-o", str(out), *arguments])
    assert result.exit_code == ExitCode.INPUT_ERROR


def test_the_keys_diagram_shows_each_filled_box_by_its_letter() -> None:
    graph = graph_of(UNIFORMS)
    bank = claim_bank(graph, select_blanks(graph, "premises"), 3)
    shown = answered(graph, bank)
    for entry in bank:
        node_id = next(n for n, number in graph.numbers.items() if number == entry.number)
        assert shown.nodes[node_id].text == f"= {entry.letter}"
    assert shown.nodes["uniforms"] == graph.nodes["uniforms"]
    assert answered(graph, ()) is graph
