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
    assert lines[1].startswith("Worked out from this map alone, if every statement")
    assert "  C1 IN    THESIS  keep" in lines
    assert "       stands. IN: supported by P1 (IN), no standing attacker (R1 is OUT)" in lines
    assert "       OUT: rejected by the author" in lines  # the words say it all: once
    assert "       defeated by R2. OUT: rebutted by R2, which stands" in lines


def test_text_tells_defeated_apart_from_left_without_support() -> None:
    """The seed map's R1 loses its only reason to an undercut: it is not refuted."""
    lines = runner.invoke(app, ["evaluate", str(SEED_MAP)]).stdout.splitlines()
    r1 = lines.index("  R1 OUT    pragmatism-heals")
    assert lines[r1 + 1].startswith("       left without support. OUT: no reason holds")
    r3 = lines.index("  R3 OUT    engagement-not-failing")
    assert lines[r3 + 1] == "       defeated by R4. OUT: rebutted by R4, which stands"


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
