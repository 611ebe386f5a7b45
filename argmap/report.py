"""Diagnostics for machines: JSON, GitHub Actions workflow commands, SARIF 2.1.0.

Each formatter is a pure function from diagnostics to a string, so every format shows
the same problems. The text format for people is :func:`argmap.diagnostics.render_text`;
the CLI decides where each goes (text to stderr, the machine formats to stdout).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from argmap import __version__
from argmap.codes import BY_CODE, RULES
from argmap.diagnostics import Diagnostic, Severity, printable


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


def display_path(path: Path) -> str:
    """The path relative to the current folder when it is inside it, with ``/``."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def counts(diagnostics: Sequence[Diagnostic]) -> tuple[int, int]:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    return errors, len(diagnostics) - errors


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    errors, warnings = counts(diagnostics)
    document = {
        "tool": "argmap",
        "version": __version__,
        "summary": {"errors": errors, "warnings": warnings},
        "diagnostics": [
            {
                "code": d.code,
                "rule": BY_CODE[d.code].name,
                "severity": d.severity.value,
                "file": display_path(d.path),
                "line": d.position.line,
                "column": d.position.column,
                "message": d.message,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _github_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)  # no terminal escapes reach the CI log


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, shown inline on the pull request's diff."""
    lines = []
    for d in diagnostics:
        command = "error" if d.severity is Severity.ERROR else "warning"
        properties = ",".join(
            [
                f"file={_github_property(display_path(d.path))}",
                f"line={d.position.line}",
                f"col={d.position.column}",
                f"title={_github_property(f'{d.code} {BY_CODE[d.code].name}')}",
            ]
        )
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{command} {properties}::{_github_data(message)}")
    return "".join(f"{line}\n" for line in lines)


def format_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    """A SARIF 2.1.0 log for code-scanning dashboards (one run, every rule described)."""
    index = {rule.code: n for n, rule in enumerate(RULES)}
    results = []
    for d in diagnostics:
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": "error" if d.severity is Severity.ERROR else "warning",
                "message": {"text": d.message + (f" Hint: {d.hint}" if d.hint else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": display_path(d.path)},
                            "region": {
                                "startLine": d.position.line,
                                "startColumn": d.position.column,
                            },
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "argmap",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "defaultConfiguration": {
                                    "level": "error"
                                    if rule.severity is Severity.ERROR
                                    else "warning"
                                },
                                "properties": {"switchable": rule.switchable},
                            }
                            for rule in RULES
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


MACHINE_FORMATTERS: dict[OutputFormat, Callable[[Sequence[Diagnostic]], str]] = {
    OutputFormat.JSON: format_json,
    OutputFormat.GITHUB: format_github,
    OutputFormat.SARIF: format_sarif,
}
