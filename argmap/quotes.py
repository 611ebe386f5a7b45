"""Check that every quote occurs verbatim in a local copy of the source.

A map may name a plain-text copy of its source (``source.text_file``, relative to the
map file). That copy is only read here and is never published. Paragraphs are the
blocks of the file separated by blank lines, numbered from 1 at the top of the file.
Runs of whitespace are compared as one space; every other character must match.
"""

from __future__ import annotations

import os
import re
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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        warning = Diagnostic(
            argument_map.path,
            source.text_file_position,
            "AM302",
            f"quotes not checked: cannot read the source text {source.text_file!r} ({reason})",
            "the text file is optional; put a UTF-8 copy of the source there to check quotes",
            Severity.WARNING,
        )
        return QuoteReport(source_file, False, 0, (warning,))

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
    return QuoteReport(source_file, True, checked, tuple(problems))


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
