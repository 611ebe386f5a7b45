"""`argmap evaluate`: labels, explanations, semantics, scores and JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from argmap.cli import app
from argmap.diagnostics import ExitCode

from .conftest import FIXTURES, SEED_MAP

runner = CliRunner()
VERDICT = FIXTURES / "valid" / "expected-verdict.toml"


def test_text_lists_every_statement_with_its_label_and_reason() -> None:
    result = runner.invoke(app, ["evaluate", str(VERDICT)])
    assert result.exit_code == ExitCode.OK, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Night buses: grounded semantics"
    assert "  C1 IN    THESIS  keep" in lines
    assert "       OUT: rejected by the author" in lines
    assert "       OUT: rebutted by R2, which stands" in lines


def test_json_has_labels_explanations_and_scores() -> None:
    result = runner.invoke(app, ["evaluate", "--json", "--scores", str(VERDICT)])
    document = json.loads(result.stdout)
    assert document["semantics"] == "grounded"
    assert document["nodes"]["keep"]["label"] == "IN"
    assert document["nodes"]["empty"]["label"] == "OUT"
    assert document["nodes"]["cheap"]["score"] == 0.0  # rejected: starts from nothing
    assert 0.5 < document["nodes"]["keep"]["score"] <= 1.0


def test_the_seed_map_thesis_stands() -> None:
    result = runner.invoke(app, ["evaluate", "--json", str(SEED_MAP)])
    nodes = json.loads(result.stdout)["nodes"]
    assert nodes["resets-fail"]["label"] == "IN"
    assert nodes["muscular-approach"]["label"] == "IN"


def test_bad_semantics_and_folders_are_usage_errors() -> None:
    assert runner.invoke(app, ["evaluate", "--semantics", "x", str(VERDICT)]).exit_code == 2
    assert runner.invoke(app, ["evaluate", str(FIXTURES)]).exit_code == 2


def test_a_map_with_errors_is_reported_not_evaluated() -> None:
    broken = FIXTURES / "invalid" / "several-problems.toml"
    result = runner.invoke(app, ["evaluate", str(broken)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "error[AM202]" in result.stderr
