"""`argmap fmt`: the canonical layout, and what formatting must never do (change the
data, lose a comment, give a different result when run again)."""

from __future__ import annotations

import stat
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.diagnostics import ExitCode
from argmap.model.fmt import FormatError, comments, format_file, format_text

from .conftest import FIXTURES, REPO

runner = CliRunner()
FMT = FIXTURES / "fmt"
CASES = sorted(path.name.removesuffix(".in.toml") for path in FMT.glob("*.in.toml"))
MAPS = [
    *sorted((FIXTURES / "valid").glob("*.toml")),
    *sorted((FIXTURES / "golden").glob("*.toml")),
    *sorted((REPO / "arguments").rglob("*.toml")),
    *sorted(FMT.glob("*.toml")),
]


def data(text: str) -> dict[str, object]:
    return tomllib.loads(text)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


# -- the layout, case by case (tests/fixtures/fmt/NAME.in.toml -> NAME.out.toml) ----------


def test_there_are_cases() -> None:
    assert {"order", "comments", "strings", "tables"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_case(name: str) -> None:
    given = (FMT / f"{name}.in.toml").read_text(encoding="utf-8")
    expected = (FMT / f"{name}.out.toml").read_text(encoding="utf-8")
    assert format_text(given) == expected
    assert format_text(expected) == expected, "the expected output is itself formatted"


@pytest.mark.parametrize("name", CASES)
def test_cases_are_valid_maps(name: str) -> None:
    """The cases are maps argmap accepts, so they show what fmt meets in practice."""
    from argmap.build.pipeline import check

    for suffix in (".in.toml", ".out.toml"):
        result = check([FMT / f"{name}{suffix}"])
        errors = [d.headline() for d in result.errors if d.code != "AM005"]  # "x.in" name
        assert not errors, errors


# -- what must hold for every map ------------------------------------------------------


@pytest.mark.parametrize("path", MAPS, ids=lambda p: str(p.relative_to(REPO)))
def test_formatting_keeps_the_data_and_every_comment_and_is_idempotent(path: Path) -> None:
    before = path.read_bytes().decode("utf-8-sig")
    result = format_file(path)
    after = result.formatted.decode("utf-8-sig")
    assert data(after) == data(before)
    assert Counter(comments(after)) == Counter(comments(before))
    assert format_text(after) == after, "formatting twice gives the same as once"
    assert after.endswith("\n") and not after.endswith("\n\n")
    assert "\n\n\n" not in after.replace("\r\n", "\n"), "at most one blank line in a row"


def test_the_byte_order_mark_and_crlf_line_endings_are_kept() -> None:
    bom = format_file(FIXTURES / "valid" / "bom.toml").formatted
    assert bom.startswith("\ufeff".encode())
    crlf = format_file(FIXTURES / "valid" / "crlf-line-endings.toml").formatted
    assert crlf.count(b"\r\n") == crlf.count(b"\n")
    assert format_text('[map]\r\ntitle = "t"\r\n\r\n\r\nthesis = "c"\r\n') == (
        '[map]\r\ntitle = "t"\r\nthesis = "c"\r\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '[map]\n  title = "t"\n\n\n  thesis = "c"\n[claim.c]\n\ttext = "x"',
            '[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "x"\n',
            id="tables-separated-by-one-blank-line-keys-not-indented",
        ),
        pytest.param(
            '[premise.p]\ntext = "x"\nsupports = ["c"]\n',
            None,
            id="a-one-element-list-stays-a-list",
        ),
        pytest.param(
            '[map]\ntags = [\n    "a",\n    "b",\n]\n', None, id="multi-line-arrays-kept-as-written"
        ),
        pytest.param(
            '[map]\ntitle = "t"\n\n[source]\n# url = "https://..."\n\n[claim.c]\ntext = "x"\n',
            None,
            id="comments-under-a-table-without-keys-stay-with-it",
        ),
        pytest.param(
            '[claim.c]\nzeta = 1\nnote = "n"\nalpha = 2\ntext = "x"\n',
            '[claim.c]\ntext = "x"\nnote = "n"\nzeta = 1\nalpha = 2\n',
            id="unknown-keys-come-last-in-the-authors-order",
        ),
        pytest.param("# just a comment\n\n\n", "# just a comment\n", id="a-file-of-comments-only"),
    ],
)
def test_layout_rules(text: str, expected: str | None) -> None:
    """What fmt makes of a small text (None: it is kept as written)."""
    assert format_text(text) == (text if expected is None else expected)


def test_empty_tables_are_kept() -> None:
    text = '[reason]\n\n[map]\ntitle = "t"\n\n[source]\n'
    assert format_text(text) == '[map]\ntitle = "t"\n\n[source]\n\n[reason]\n'
    assert data(format_text(text)) == data(text)


@pytest.mark.parametrize(
    "text",
    [
        '[claim]  # a header comment\n[claim.c]\ntext = "w"\n[premise]\n',
        'claim = {}\nmap.title = "x"\n[source]\n',
        '[claim]\na.text = "x"\nb.text = "y"\na.note = "z"\n',
        '[claim.x.foo.bar]\n[map]\ntitle = "t"\n',
        '[lint.severity]\n[map]\ntitle = "t"\n',
        '[map]\ntitle = "t" # c\n[map.x]\ny = 1\n',
        'x = 1\n[map]\ntitle = "t"\n',
        "[map]\ntags = [ ]\nother = [1, 2 ,3]\nnested = [[\"a\", 'b'], []]\n",
        '[premise]\nr = { text = "x", supports = ["a", "b"] }  # c\nsmall = {}\n',
        "[map]\ntitle = '''x'''\nsummary = '''\nline \"\"\"'''\n",
    ],
)
def test_unusual_toml_keeps_its_data(text: str) -> None:
    """Shapes argmap refuses or rarely meets: fmt still never changes the data."""
    after = format_text(text)
    assert data(after) == data(text)
    assert Counter(comments(after)) == Counter(comments(text))
    assert format_text(after) == after


def test_arrays_of_tables_are_refused() -> None:
    with pytest.raises(FormatError, match="arrays of tables"):
        format_text('[[claim]]\ntext = "x"\n')


def test_invalid_toml_is_refused() -> None:
    with pytest.raises(FormatError, match="not valid TOML"):
        format_text("[map\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1  # one\n# two\n", ["# one", "# two"]),
        ('a = "# not a comment" # yes\n', ["# yes"]),
        ("a = '# no' # yes\n", ["# yes"]),
        ('a = """\n# no\n\\""" # no\n"""  # yes\n', ["# yes"]),
        ("a = '''\n# no ''' # yes\n", ["# yes"]),
        ('a = """x""""  # yes\n', ["# yes"]),
        ('"# key" = 1 # yes   \n', ["# yes"]),
        ('a = "\\"# no" # yes\n', ["# yes"]),
    ],
)
def test_the_comment_lexer(text: str, expected: list[str]) -> None:
    assert comments(text) == expected


# -- the command -----------------------------------------------------------------------


UNFORMATTED = '[claim.c]\ntext = \'x\'\n\n[map]\nthesis = "c"\ntitle = "t"\n'
FORMATTED = '[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "x"\n'


def test_fmt_rewrites_files_and_says_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    messy = write(tmp_path / "arguments" / "messy.toml", UNFORMATTED)
    tidy = write(tmp_path / "arguments" / "tidy.toml", FORMATTED)
    messy.chmod(0o640)
    result = runner.invoke(app, ["fmt"])
    assert result.exit_code == ExitCode.OK, result.output
    assert messy.read_text(encoding="utf-8") == FORMATTED
    assert tidy.read_text(encoding="utf-8") == FORMATTED
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert "reformatted arguments/messy.toml" in result.stdout
    assert "tidy.toml" not in result.stdout
    assert "1 file(s) reformatted, 1 unchanged" in result.stdout
    assert sorted(p.name for p in (tmp_path / "arguments").iterdir()) == [
        "messy.toml",
        "tidy.toml",
    ], "no temporary file is left behind"


def test_fmt_check_lists_what_would_change_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    messy = write(tmp_path / "messy.toml", UNFORMATTED)
    tidy = write(tmp_path / "tidy.toml", FORMATTED)
    result = runner.invoke(app, ["fmt", "--check", str(messy), str(tidy)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert f"would reformat {messy}" in result.stdout
    assert str(tidy) not in result.stdout
    assert messy.read_text(encoding="utf-8") == UNFORMATTED
    ok = runner.invoke(app, ["fmt", "--check", str(tidy)])
    assert ok.exit_code == ExitCode.OK
    assert "already formatted" in ok.stdout


def test_fmt_refuses_maps_with_errors_and_reports_them_like_check(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.toml", '[claim.c]\ntxet = "x"\n\n[map]\ntitle = "t"\nthesis = "c"\n'
    )
    good = write(tmp_path / "good.toml", UNFORMATTED)
    result = runner.invoke(app, ["fmt", str(bad), str(good)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    checked = runner.invoke(app, ["check", str(bad)])
    headline = f"{bad}:2:1: error[AM101]: unknown key `txet`"
    assert headline in result.stderr and headline in checked.stderr
    assert ' 2 | txet = "x"' in result.stderr
    assert "nothing was written" in result.stderr
    assert good.read_text(encoding="utf-8") == UNFORMATTED, "nothing at all is written"


def test_fmt_refuses_a_file_that_is_not_toml(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", '[map]\ntitle = "unclosed\n')
    result = runner.invoke(app, ["fmt", str(bad)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "TOML syntax error" in result.stderr
    assert bad.read_text(encoding="utf-8") == '[map]\ntitle = "unclosed\n'


def test_fmt_ignores_problems_with_file_names(tmp_path: Path) -> None:
    """pre-commit names files one by one: school/index.toml is then judged as 'index'."""
    index = write(tmp_path / "arguments" / "school" / "index.toml", UNFORMATTED)
    result = runner.invoke(app, ["fmt", str(index)])
    assert result.exit_code == ExitCode.OK, result.output
    assert index.read_text(encoding="utf-8") == FORMATTED


def test_fmt_usage_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fmt", str(tmp_path / "missing")])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "does not exist" in result.stderr
    empty = runner.invoke(app, ["fmt", str(tmp_path)])
    assert empty.exit_code == ExitCode.INPUT_ERROR
    assert "no map files" in empty.stderr


def test_fmt_formats_a_file_named_twice_once(tmp_path: Path) -> None:
    real = write(tmp_path / "m.toml", UNFORMATTED)
    result = runner.invoke(app, ["fmt", str(real), str(real)])
    assert result.exit_code == ExitCode.OK, result.output
    assert real.read_text(encoding="utf-8") == FORMATTED
    assert result.stdout.count("reformatted") == 2  # one file line, one count line


def test_fmt_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    """A map that is a link may point anywhere (a stranger's pull request can commit
    one): fmt refuses it, before writing any file, and the target is untouched."""
    real = write(tmp_path / "arguments" / "real" / "m.toml", UNFORMATTED)
    other = write(tmp_path / "arguments" / "a.toml", UNFORMATTED)
    link = tmp_path / "arguments" / "b.toml"
    link.symlink_to(real)
    result = runner.invoke(app, ["fmt", str(tmp_path / "arguments")])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert "b.toml is a symbolic link" in result.stderr
    assert "nothing was written" in result.stderr
    assert real.read_text(encoding="utf-8") == UNFORMATTED
    assert other.read_text(encoding="utf-8") == UNFORMATTED
    assert link.is_symlink()
    check = runner.invoke(app, ["fmt", "--check", str(link)])  # reading is fine
    assert check.exit_code == ExitCode.INPUT_ERROR
    assert "would reformat" in check.stdout


def test_fmt_writes_nothing_when_a_file_cannot_be_formatted_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argmap.model.fmt

    first = write(tmp_path / "a.toml", UNFORMATTED)
    second = write(tmp_path / "b.toml", UNFORMATTED)
    real_format = argmap.model.fmt.format_text
    seen: list[str] = []

    def refuse_the_second(text: str) -> str:
        seen.append(text)
        if len(seen) == 2:
            raise FormatError("formatting would lose a comment; please report this as a bug")
        return real_format(text)

    monkeypatch.setattr(argmap.model.fmt, "format_text", refuse_the_second)
    result = runner.invoke(app, ["fmt", str(first), str(second)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert f"cannot format {second}: formatting would lose a comment" in result.stderr
    assert first.read_text(encoding="utf-8") == UNFORMATTED
    assert second.read_text(encoding="utf-8") == UNFORMATTED


def test_the_published_maps_are_in_canonical_form() -> None:
    """`argmap fmt --check arguments/` passes: the repository follows its own style."""
    for path in sorted((REPO / "arguments").rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, f"run `argmap fmt {path.relative_to(REPO)}`"
