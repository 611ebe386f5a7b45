from __future__ import annotations

from pathlib import Path

from argmap.diagnostics import Severity
from argmap.load import load_map
from argmap.quotes import check_quotes, split_paragraphs

TEXT = "Title line\n\nFirst ‘paragraph’ – with a dash.\n  \nSecond\nparagraph   spans lines.\n"


def write_map(
    tmp_path: Path, quote: str, paragraph: int | None, text_file: str = "src.txt"
) -> Path:
    (tmp_path / "src.txt").write_text(TEXT, encoding="utf-8")
    para = f"paragraph = {paragraph}\n" if paragraph else ""
    path = tmp_path / "m.toml"
    path.write_text(
        f'[map]\ntitle = "t"\nthesis = "c"\n[source]\ntext_file = "{text_file}"\n'
        f'[claim.c]\ntext = "c"\nquote = "{quote}"\n{para}',
        encoding="utf-8",
    )
    return path


def messages(path: Path) -> list[str]:
    report = check_quotes(load_map(path, "m"))
    return [f"{d.message} | {d.hint}" for d in report.diagnostics]


def test_paragraphs_are_blank_line_separated_blocks() -> None:
    assert split_paragraphs(TEXT) == [
        "Title line",
        "First ‘paragraph’ – with a dash.",
        "Second\nparagraph   spans lines.",
    ]


def test_verbatim_quote_in_the_right_paragraph_passes(tmp_path: Path) -> None:
    assert messages(write_map(tmp_path, "paragraph spans lines.", 3)) == []
    assert messages(write_map(tmp_path, "Second paragraph spans", None)) == []


def test_wrong_paragraph_names_the_right_one(tmp_path: Path) -> None:
    (message,) = messages(write_map(tmp_path, "spans lines", 2))
    assert "not in paragraph 2" in message and "write paragraph = 3" in message


def test_straight_quotes_for_curly_ones_are_explained(tmp_path: Path) -> None:
    (message,) = messages(write_map(tmp_path, "First 'paragraph' - with", 2))
    assert "other quotation marks or dashes" in message


def test_words_not_in_the_source(tmp_path: Path) -> None:
    (message,) = messages(write_map(tmp_path, "never said", None))
    assert "does not occur in the source" in message


def test_paragraph_beyond_the_end(tmp_path: Path) -> None:
    (message,) = messages(write_map(tmp_path, "Title line", 9))
    assert "the source has 3 paragraphs" in message and "paragraph = 1" in message


def test_missing_text_file_is_a_warning_not_an_error(tmp_path: Path) -> None:
    report = check_quotes(load_map(write_map(tmp_path, "x", None, "absent.txt"), "m"))
    assert not report.found and report.checked == 0
    (warning,) = report.diagnostics
    assert warning.severity is Severity.WARNING and "quotes not checked" in warning.message
