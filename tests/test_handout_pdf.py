"""`argmap handout --pdf`: the PDF that headless Chromium prints.

Checked from the PDF itself: the page count, the paper size of every page (the MediaBox
bytes), that the diagram's words lie inside the page box, and, with poppler's
`pdftotext` (skipped without it), that every statement's number and text are there, and
that blanked texts are only in the bank on the student pages but in full in the key.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import check
from argmap.cli import app
from argmap.markdown import to_plain

from .conftest import FIXTURES, SEED_MAP

pytestmark = [pytest.mark.needs_browser, pytest.mark.needs_dot, pytest.mark.needs_pdftotext]

UNIFORMS = FIXTURES / "handout" / "uniforms.toml"
LESSON = FIXTURES / "handout" / "lesson.toml"  # 12 statements
SIZES = {"a4": (595.0, 841.9), "letter": (612.0, 792.0)}  # points, to 0.1
runner = CliRunner()


def make_pdf(tmp_path: Path, *arguments: str, path: Path = UNIFORMS) -> Path:
    out = tmp_path / "sheet.html"
    result = runner.invoke(app, ["handout", str(path), "-o", str(out), "--pdf", *arguments])
    assert result.exit_code == 0, result.output
    pdf = out.with_suffix(".pdf")
    assert f"wrote {pdf}" in result.stdout
    return pdf


def media_boxes(pdf: Path) -> list[tuple[float, float]]:
    found = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    return [(round(float(w), 1), round(float(h), 1)) for w, h in found]


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def graph() -> ArgumentGraph:
    (found,) = check([UNIFORMS]).graphs
    return found


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_pages_have_the_paper_size(tmp_path: Path, paper: str) -> None:
    pdf = make_pdf(tmp_path, "--paper", paper, "--answer-key")
    key = pdf.with_name("sheet-key.pdf")
    for printed in (pdf, key):
        boxes = media_boxes(printed)
        assert boxes and set(boxes) == {SIZES[paper]}  # every page portrait


def test_pdf_text_has_every_number_and_the_blanks_only_in_bank_and_key(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path, "--blank", "premises", "--answer-key")
    pages = pages_text(pdf)
    assert len(pages) - (pages[-1] == "") == len(media_boxes(pdf))
    student, key = " ".join(pages), " ".join(pages_text(pdf.with_name("sheet-key.pdf")))
    assert "ANSWER KEY" not in student.upper() and "ANSWER KEY" in key.upper()
    assert "Name" in student and "Date" in student
    the_graph = graph()
    for node_id, number in the_graph.numbers.items():
        node = the_graph.nodes[node_id]
        text = " ".join(to_plain(node.text).split())
        assert number in student and number in key
        assert text in key, node_id
        if node.kind.value == "premise":
            assert student.count(text) == 1, node_id  # in the statement bank only
        else:
            assert text in student, node_id


def test_pdf_words_lie_inside_the_page(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path, "--level", "bank")
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    assert pages
    for width, height, words in pages:
        for x_min, y_min, x_max, y_max in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', words
        ):
            assert float(x_min) >= 0 and float(x_max) <= float(width)
            assert float(y_min) >= 0 and float(y_max) <= float(height)
    assert any("C1" in words for _, _, words in pages)


def page_count(pdf: Path) -> int:
    return len(media_boxes(pdf))


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_lesson_map_prints_on_two_pages_with_its_diagram_in_one_part(
    tmp_path: Path, paper: str
) -> None:
    pdf = make_pdf(tmp_path, "--paper", paper, path=LESSON)
    assert page_count(pdf) <= 2
    assert "Part 1 of" not in " ".join(pages_text(pdf))


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_has_its_number_and_the_name_line(tmp_path: Path, paper: str) -> None:
    pdf = make_pdf(tmp_path, "--paper", paper, "--blank", "premises", path=SEED_MAP)
    pages = [page for page in pages_text(pdf) if page]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
        assert "Name" in page


# The seed map's handouts before this budget (A4): 13 pages full, 29 with premises blank
# and the key (16 of them for the students). The issue asks for at most 5.
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("kind", ["full", "blanks"])
def test_the_seed_maps_handouts_keep_to_five_pages(tmp_path: Path, paper: str, kind: str) -> None:
    arguments = ["--blank", "premises", "--answer-key"] if kind == "blanks" else []
    pdf = make_pdf(tmp_path, "--paper", paper, *arguments, path=SEED_MAP)
    assert page_count(pdf) <= 5


def test_each_version_is_named_on_every_page(tmp_path: Path) -> None:
    out = tmp_path / "quiz.html"
    arguments = ["--blank", "premises", "--versions", "2", "--answer-key", "--pdf"]
    result = runner.invoke(app, ["handout", str(SEED_MAP), "-o", str(out), *arguments])
    assert result.exit_code == 0, result.output
    for name in ("quiz-A", "quiz-A-key", "quiz-B", "quiz-B-key"):
        pages = [page for page in pages_text(tmp_path / f"{name}.pdf") if page]
        assert len(pages) > 1
        assert all(f"Version {name[5]}" in page for page in pages), name


def test_diagram_parts_share_pages_and_are_titled_in_plain_words(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path, "--blank", "premises", path=SEED_MAP)
    pages = pages_text(pdf)
    titles = [re.findall(r"Part \d+ of \d+: [^.]*?(?:below (?:it|them))", page) for page in pages]
    parts = sum(len(found) for found in titles)
    assert parts > 2
    assert sum(1 for found in titles if found) < parts  # some page holds two parts
    assert all("bears on" not in page for page in pages)
