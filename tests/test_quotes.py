from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.analysis import quotes
from argmap.analysis.quotes import (
    SOURCE_TEXT_LIMIT,
    NotASourceTextError,
    check_quotes,
    read_source_text,
    split_paragraphs,
)
from argmap.diagnostics import Severity
from argmap.model.load import load_map

from .conftest import FIXTURES

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


# -- only a regular file, of bounded size, is read (issue 15) -----------------------------

LIMIT = 30.0  # seconds: a bound on a hang, not a timing assertion
MAP = (
    '[map]\ntitle = "t"\nthesis = "c"\n\n[source]\ntext_file = "src.txt"\n\n[claim.c]\ntext = "c"\n'
)


def _limit_memory() -> None:  # pragma: no cover (runs in the child)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # /dev/zero: fail, not swap


def run_check(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """``argmap check`` (or another command) in a child process with bounded time and
    memory, so that a hang or a read without end fails the test instead of the machine."""
    return subprocess.run(
        [sys.executable, "-m", "argmap", *(command or ("check", "m.toml"))],
        cwd=folder,
        env=dict(os.environ, NO_COLOR="1"),
        capture_output=True,
        text=True,
        timeout=LIMIT,
        preexec_fn=_limit_memory,
        check=False,
    )


def refused(tmp_path: Path, make_source: Callable[[Path], object], why: str) -> None:
    (tmp_path / "m.toml").write_text(MAP, encoding="utf-8")
    make_source(tmp_path / "src.txt")
    result = run_check(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "m.toml:6:13: error[AM303]: the source text 'src.txt' was not read: " in result.stderr
    assert why in result.stderr, result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    refused(tmp_path, os.mkfifo, "it is a named pipe, not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_directly_or_through_a_symbolic_link(tmp_path: Path) -> None:
    refused(tmp_path, lambda path: path.symlink_to("/dev/zero"), "it is a device")
    (tmp_path / "m.toml").write_text(MAP.replace("src.txt", "/dev/zero"), encoding="utf-8")
    result = run_check(tmp_path)
    assert result.returncode == 1 and "error[AM303]" in result.stderr, result.stderr


def test_a_folder_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, Path.mkdir, "it is a folder, not a regular file")


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    def sparse(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(SOURCE_TEXT_LIMIT + 1)

    refused(tmp_path, sparse, "it is larger than 16 MiB")


def test_a_file_at_the_limit_and_a_link_to_a_file_are_read(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_bytes(b"Title line\n\n" + b"x" * (SOURCE_TEXT_LIMIT - 12))
    assert len(read_source_text(tmp_path / "real.txt")) == SOURCE_TEXT_LIMIT
    (tmp_path / "src.txt").symlink_to("real.txt")
    path = write_map(tmp_path, "Title line", 1, "link.txt")
    (tmp_path / "link.txt").symlink_to("src.txt")  # write_map rewrote src.txt: a short file
    assert messages(path) == []


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is counted while reading too: files in /proc say they hold nothing."""
    (tmp_path / "src.txt").write_bytes(b"x" * 100)
    monkeypatch.setattr(quotes, "SOURCE_TEXT_LIMIT", 99)
    with pytest.raises(NotASourceTextError, match="larger than"):
        read_source_text(tmp_path / "src.txt")
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: _with_size(real_fstat(fd), 0))
    with pytest.raises(NotASourceTextError, match="larger than"):
        read_source_text(tmp_path / "src.txt")


def _with_size(status: os.stat_result, size: int) -> os.stat_result:
    values = list(status)
    values[stat.ST_SIZE] = size
    return os.stat_result(values)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_swapped_in_after_the_look_is_refused_on_the_open_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path is looked at before it is opened; if a FIFO takes its place in between,
    the open does not wait for a writer and the descriptor's own status refuses it."""
    (tmp_path / "regular.txt").write_text("text", encoding="utf-8")
    looks_regular = (tmp_path / "regular.txt").stat()
    os.mkfifo(tmp_path / "src.txt")
    monkeypatch.setattr(Path, "stat", lambda self, **_: looks_regular)
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(read_source_text(tmp_path / "src.txt"))
        except OSError as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(LIMIT)
    if reader.is_alive():  # release the blocked reader before failing
        with (tmp_path / "src.txt").open("wb"):
            pass
        reader.join(LIMIT)
        pytest.fail("the open waited for a writer")
    (error,) = outcome
    assert isinstance(error, NotASourceTextError) and "named pipe" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_stops_neither_the_handout_nor_the_build_cache(tmp_path: Path) -> None:
    from argmap.build.cache import source_text_digest
    from argmap.build.pipeline import check
    from argmap.config import Config
    from argmap.teach.handout import HandoutError, source_paragraphs

    (tmp_path / "src.txt").write_text("Title line\n", encoding="utf-8")
    path = write_map(tmp_path, "Title line", 1)
    (graph,) = check([path], Config()).graphs
    (tmp_path / "src.txt").unlink()
    os.mkfifo(tmp_path / "src.txt")
    with pytest.raises(HandoutError, match="named pipe"):
        source_paragraphs(graph)
    assert source_text_digest(graph.map).startswith("unreadable:NotASourceTextError")


@pytest.mark.needs_dot
def test_a_source_text_changed_while_it_is_checked_is_not_cached_as_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build cache keeps the digest of the bytes the quotes were checked against,
    not of a second read: a source text edited in between is checked again next time."""
    from argmap.build.pipeline import build
    from argmap.config import Config
    from argmap.diagnostics import InputError

    (tmp_path / "arguments").mkdir()
    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    shutil.copy(FIXTURES / "valid" / "quotes-checked.toml", tmp_path / "arguments" / "q.toml")
    source = tmp_path / "sources" / "short-article.txt"
    real_read = quotes.read_source_text

    def read_then_edit(path: Path) -> bytes:
        data = real_read(path)
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("rounding error", "rounding mistake"), encoding="utf-8")
        return data

    def codes(out: str) -> list[str]:
        try:
            result = build([tmp_path / "arguments"], tmp_path / out, config=Config(), jobs=1)
        except InputError as error:  # AM301 is an error: nothing is built
            return [d.code for d in error.diagnostics]
        return [d.code for d in result.diagnostics]

    with monkeypatch.context() as patched:
        patched.setattr(quotes, "read_source_text", read_then_edit)
        assert "AM301" not in codes("site")  # checked before the edit
    assert "AM301" in codes("cold")  # the edited text lacks the quote
    assert "AM301" in codes("site")  # with the cache: the same
