"""Problems found in the input, and how they are shown to people.

Every stage of the pipeline reports problems as :class:`Diagnostic` values instead of
raising at the first one, so a user sees all of them in a single run.
"""

from __future__ import annotations

import enum
import errno
import functools
from dataclasses import dataclass
from pathlib import Path

from argmap._pickling import by_constructor
from argmap._records import quick_init


class ExitCode(enum.IntEnum):
    """The documented exit codes of the ``argmap`` command (see docs/cli.md)."""

    OK = 0
    INPUT_ERROR = 1
    USAGE_ERROR = 2
    ENVIRONMENT_ERROR = 3


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@quick_init
@by_constructor
@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int = 1


@by_constructor
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, pointing at the exact place in the file that causes it."""

    path: Path
    position: Position
    code: str  # stable, see argmap/codes.py and docs/rules.md
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def location(self) -> str:
        return f"{self.path}:{self.position.line}:{self.position.column}"

    def headline(self) -> str:
        """``file:line:col: error[AM202]: message``, the form editors and CI logs link."""
        return f"{self.location()}: {self.severity.value}[{self.code}]: {self.message}"


class InputError(ValueError):
    """The input has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} problem(s) in the input")


class SetupError(OSError):
    """Something outside the input is wrong: a missing program, an unwritable folder."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)


# What the system says when the machine, not argmap or the input, stops a write.
_ENVIRONMENT_HINTS = {
    errno.ENOSPC: "free some disk space and run the command again",
    errno.EDQUOT: "free some space within your disk quota and run the command again",
    errno.EROFS: "the file system is read-only: write somewhere else",
    errno.EACCES: "check that the folder exists and that you may write to it",
    errno.EPERM: "check that the folder exists and that you may write to it",
    errno.EIO: "the disk reported an error: check it, then run the command again",
}


def is_environment_error(error: BaseException) -> bool:
    """An OSError that the machine caused (a full disk, a read-only file system, no
    permission): exit code 3 with a message, never a traceback."""
    return isinstance(error, OSError) and error.errno in _ENVIRONMENT_HINTS


def environment_error(error: OSError, doing: str, after: str = "") -> SetupError:
    """The SetupError (exit code 3) for ``error``, met while ``doing`` (``cannot write
    site/``): the system's words, and a hint that suits them, then ``after``."""
    hint = _ENVIRONMENT_HINTS.get(error.errno or 0, "check free disk space and permissions")
    where = f" ({error.filename})" if error.filename and str(error.filename) not in doing else ""
    return SetupError(f"{doing}{where}: {error.strerror or error}", f"{hint}{after}")


_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
_CONTROL = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *_BIDI)
    if c != 0x09
}


def printable(text: str) -> str:
    """Show control characters as ``\\x1b`` escapes: map text must not drive the terminal."""
    return text.translate(_CONTROL)


@functools.lru_cache(maxsize=4)
def _lines(source_text: str) -> tuple[str, ...]:
    """The lines of a file, split once for all of its diagnostics (a big map has thousands)."""
    return tuple(source_text.split("\n"))  # TOML lines end at \n only, not at U+2028


def render_text(diagnostic: Diagnostic, source_text: str | None) -> str:
    """Format a diagnostic like a compiler: headline, the offending line, a caret, a hint."""
    lines = [printable(diagnostic.headline())]
    if source_text is not None:
        source_lines = _lines(source_text)
        index = diagnostic.position.line - 1
        if 0 <= index < len(source_lines):
            raw = source_lines[index]
            column = min(max(diagnostic.position.column, 1), len(raw) + 1)
            # Tabs are shown as spaces, so the caret's offset is measured after expansion.
            offset = len(raw[: column - 1].expandtabs(4))
            number = str(diagnostic.position.line)
            gutter = " " * len(number)
            lines.append(f" {number} | {printable(raw.expandtabs(4))}")
            lines.append(f" {gutter} | {' ' * offset}^")
    if diagnostic.hint:
        lines.append(f"  hint: {printable(diagnostic.hint)}")
    return "\n".join(lines)
