"""Check that every quote occurs verbatim in a local copy of the source.

A map may name a plain-text copy of its source (``source.text_file``, relative to the
map file). That copy is only read here and is never published. Paragraphs are the
blocks of the file separated by blank lines, numbered from 1 at the top of the file.
Runs of whitespace are compared as one space; every other character must match.

The copy is read by :func:`read_source_text` alone (the quote check, the build cache's
key and handouts all call it): only a regular file, of at most :data:`SOURCE_TEXT_LIMIT`
bytes. A map file comes from anyone who can open a pull request, and a FIFO there would
hang ``check`` and a device such as ``/dev/zero`` would fill the memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from argmap.diagnostics import Diagnostic, Severity
from argmap.model import ArgumentMap

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
# Characters people type instead of the typographic ones in published text.
_LOOKALIKES = str.maketrans(
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2013\u2014\u2010\u2011\u2032\u2033",
    "''''\"\"\"\"----'\"",
)


@dataclass(frozen=True, slots=True)
class QuoteReport:
    source_file: Path | None  # None when the map names no text file
    found: bool  # the text file exists and was read
    checked: int
    diagnostics: tuple[Diagnostic, ...]
    # What was checked against (:func:`source_digest`): the build cache keeps it with the
    # result, so a file changed while it was checked is never taken as the one checked.
    digest: str = "none"


def source_digest(data: bytes | OSError) -> str:
    """The source text's SHA-256, or what kept it from being read."""
    if isinstance(data, OSError):
        return f"unreadable:{type(data).__name__}:{data.errno}"
    return hashlib.sha256(data).hexdigest()


# Far above any article or book chapter a map quotes (a novel is about 1 MiB of text),
# far below what would strain a build machine's memory. Documented in docs/format.md.
SOURCE_TEXT_LIMIT = 16 * 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotASourceTextError(OSError):
    """The source text is not a regular file, or is larger than the limit: argmap does
    not read it (an ``OSError``, so that callers that only need to know the file could
    not be read treat it like a missing one)."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.strerror = self.reason = reason
        self.hint = hint


def _refuse_unless_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    raise NotASourceTextError(
        f"it is {kind}, not a regular file",
        "text_file must name a plain text file (a symbolic link to one is fine)",
    )


def _too_large() -> NotASourceTextError:
    return NotASourceTextError(
        f"it is larger than {SOURCE_TEXT_LIMIT // (1024 * 1024)} MiB",
        "keep only the part of the source the map quotes in the text file",
    )


def read_source_text(path: Path) -> bytes:
    """The bytes of a source text file, read through one descriptor.

    A symbolic link is followed (a shared copy of a source is a fair use of one), but
    what is opened must be a regular file: the path is looked at first so that a device
    is not even opened, then opened without blocking (a FIFO that appears in between
    opens at once instead of waiting for a writer) and checked again on the open
    descriptor, which is what is read. The size is checked there and again while
    reading, for files that grow or report no size (``/proc``). Raises
    :class:`NotASourceTextError` for anything else, ``OSError`` when it cannot be read.
    """
    _refuse_unless_regular(path.stat().st_mode)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        status = os.fstat(descriptor)
        _refuse_unless_regular(status.st_mode)
        if status.st_size > SOURCE_TEXT_LIMIT:
            raise _too_large()
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(descriptor, max(status.st_size + 1, 1 << 16)):
            chunks.append(chunk)
            size += len(chunk)
            if size > SOURCE_TEXT_LIMIT:
                raise _too_large()
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def decode_source_text(data: bytes) -> str:
    """The text of a source text file's bytes (UTF-8, with or without a BOM)."""
    return data.decode("utf-8-sig")


def split_paragraphs(text: str) -> list[str]:
    return [
        block.strip() for block in _BLANK_LINE.split(text.replace("\r\n", "\n")) if block.strip()
    ]


def _normal(text: str) -> str:
    return " ".join(text.split())


def check_quotes(argument_map: ArgumentMap) -> QuoteReport:
    source = argument_map.source
    if source.text_file is None:
        return QuoteReport(None, False, 0, ())
    path = argument_map.path.parent / source.text_file
    source_file = Path(os.path.normpath(path))  # for display; `path` is what is read
    data: bytes | OSError
    try:
        data = read_source_text(path)  # the only read: the digest is of these bytes
        text = decode_source_text(data)
    except NotASourceTextError as error:
        refused = Diagnostic(
            argument_map.path,
            source.text_file_position,
            "AM303",
            f"the source text {source.text_file!r} was not read: {error.reason}",
            error.hint,
        )
        return QuoteReport(source_file, False, 0, (refused,), source_digest(error))
    except (OSError, UnicodeDecodeError) as error:
        if isinstance(error, OSError):
            reason, data = error.strerror, error
        else:
            reason = "it is not UTF-8 text"
        warning = Diagnostic(
            argument_map.path,
            source.text_file_position,
            "AM302",
            f"quotes not checked: cannot read the source text {source.text_file!r} ({reason})",
            "the text file is optional; put a UTF-8 copy of the source there to check quotes",
            Severity.WARNING,
        )
        return QuoteReport(source_file, False, 0, (warning,), source_digest(data))

    paragraphs = [_normal(p) for p in split_paragraphs(text)]
    problems: list[Diagnostic] = []
    checked = 0
    for node in argument_map.nodes:
        quote = node.quote
        if quote is None:
            continue
        checked += 1
        wanted = _normal(quote.text)
        if quote.paragraph is not None:
            if quote.paragraph > len(paragraphs):
                problems.append(
                    Diagnostic(
                        argument_map.path,
                        quote.position,
                        "AM301",
                        f"the quote of {node.id!r} names paragraph {quote.paragraph}, but the "
                        f"source has {len(paragraphs)} paragraphs",
                        _where_else(wanted, paragraphs),
                    )
                )
            elif wanted not in paragraphs[quote.paragraph - 1]:
                problems.append(
                    Diagnostic(
                        argument_map.path,
                        quote.position,
                        "AM301",
                        f"the quote of {node.id!r} is not in paragraph {quote.paragraph} "
                        "of the source",
                        _where_else(wanted, paragraphs),
                    )
                )
        elif not any(wanted in paragraph for paragraph in paragraphs):
            problems.append(
                Diagnostic(
                    argument_map.path,
                    quote.position,
                    "AM301",
                    f"the quote of {node.id!r} does not occur in the source",
                    _where_else(wanted, paragraphs),
                )
            )
    return QuoteReport(source_file, True, checked, tuple(problems), source_digest(data))


def _where_else(wanted: str, paragraphs: list[str]) -> str:
    for number, paragraph in enumerate(paragraphs, start=1):
        if wanted in paragraph:
            return f"these words are in paragraph {number}: write paragraph = {number}"
    loose = wanted.translate(_LOOKALIKES)
    for number, paragraph in enumerate(paragraphs, start=1):
        if loose in paragraph.translate(_LOOKALIKES):
            return (
                f"paragraph {number} has these words with other quotation marks or dashes; "
                "copy the exact characters from the source"
            )
    return "copy the words exactly from the source (quotes must be verbatim)"
