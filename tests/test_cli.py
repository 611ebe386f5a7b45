"""The command line: exit codes, messages, and what is (not) written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap import __version__
from argmap.cli import app, main
from argmap.diagnostics import ExitCode

from .conftest import FIXTURES, SEED_MAP

runner = CliRunner()
GOOD = FIXTURES / "golden" / "all-relations.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == ExitCode.OK
    assert result.stdout.strip() == f"argmap {__version__}"


# What only the commands need: `argmap --version` and `--help` must not pay for it.
HEAVY_MODULES = (
    "argmap.build.pipeline",
    "argmap.analysis.lint",
    "argmap.markdown",
    "argmap.config",
    "argmap.analysis.graph",
    "argmap.render.site",
    "jinja2",
    "markdown_it",
    "graphviz",
    "rich",
    "tomlkit",
)
PROBE = """
import sys
from argmap.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print("loaded:", ",".join(name for name in {heavy!r} if name in sys.modules))
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_load_no_command_code(args: list[str]) -> None:
    """A fresh interpreter: what the test run has imported does not count."""
    probe = PROBE.format(heavy=HEAVY_MODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
    )
    shown, _, loaded = result.stdout.rpartition("loaded:")
    assert "argmap" in shown
    assert loaded.strip() == ""


def test_help_everywhere() -> None:
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
        assert "Usage" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["build", "--help"], ["check", "--help"], ["build", "--frobnicate"], ["check", "-f", "x"]],
)
def test_main_runs_build_and_check_as_app_does(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`main` (the console script) gives the same help, errors and exit codes as `app`."""
    monkeypatch.setattr(sys, "argv", ["argmap", *args])
    outcomes = []
    for run in (app, main):
        with pytest.raises(SystemExit) as exit_info:
            run()
        captured = capsys.readouterr()
        outcomes.append((exit_info.value.code, captured.out, captured.err))
    assert outcomes[0] == outcomes[1]
    assert "argmap " + args[0] in outcomes[0][1] + outcomes[0][2]


def test_help_documents_exit_codes() -> None:
    text = " ".join(runner.invoke(app, ["--help"]).stdout.split())
    assert "0 ok, 1 the input has errors, 2 usage error, 3 environment problem" in text


def test_check_ok_reports_the_quote_check(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SEED_MAP)])
    assert result.exit_code == ExitCode.OK, result.output
    if (SEED_MAP.parent / "../../shared/sources/why-russia-resets-fail.txt").exists():
        assert "quote(s) checked against" in result.stdout
    assert "no errors" in result.stdout


def test_check_reports_every_error_with_location_source_line_caret_and_hint(
    tmp_path: Path,
) -> None:
    bad = write(
        tmp_path / "bad.toml",
        '[map]\ntitle = "t"\nthesis = "c1"\n[claim.c1]\ntxet = "typo"\n'
        '[premise.p1]\ntext = "p"\nsupports = "c2"\n',
    )
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    err = result.stderr
    assert f"{bad}:5:1: error[AM101]: unknown key `txet`" in err
    assert "did you mean `text`?" in err
    assert ' 5 | txet = "typo"' in err and "   | ^" in err
    assert f"{bad}:8:12: error[AM202]: unknown id 'c2'" in err
    assert "did you mean 'c1'?" in err
    assert "error(s)" in err
    assert "Traceback" not in result.output


def test_toml_syntax_error_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path / "syntax.toml", '[map]\ntitle = "unclosed\nthesis = "x"\n')
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert f"{bad}:2:" in result.stderr and "TOML syntax error" in result.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    for command in ("check", "build"):
        result = runner.invoke(app, [command, str(tmp_path / "nope")])
        assert result.exit_code == ExitCode.USAGE_ERROR
        assert "does not exist" in result.stderr


def test_unknown_option_is_a_usage_error() -> None:
    assert runner.invoke(app, ["build", "--frobnicate"]).exit_code == ExitCode.USAGE_ERROR


def test_folder_without_maps_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "no map files" in result.stderr


@pytest.mark.needs_dot
def test_build_writes_site_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = runner.invoke(app, ["build", str(GOOD), "--out", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    assert (out / "index.html").is_file() and (out / "all-relations.svg").is_file()
    assert f"built 1 map(s) into {out}/" in result.stdout


@pytest.mark.needs_dot
def test_build_with_errors_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", '[map]\ntitle = "t"\nthesis = "none"\n')
    out = tmp_path / "site"
    result = runner.invoke(app, ["build", str(bad), "--out", str(out)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "left as it was" in result.stderr
    assert not out.exists()


def test_build_without_graphviz_exits_3_with_install_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(tmp_path)  # no `dot` here
    out = tmp_path / "site"
    completed = subprocess.run(
        [sys.executable, "-m", "argmap", "build", str(GOOD), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == ExitCode.ENVIRONMENT_ERROR, completed.stderr
    assert "apt-get install graphviz" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not out.exists()


def test_default_paths_are_arguments_and_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "arguments" / "m.toml", GOOD.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["check"]).exit_code == ExitCode.OK


@pytest.mark.needs_dot
def test_build_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["build", str(GOOD), "--out", str(out)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "not written by argmap" in result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_output_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.write_text("a file", encoding="utf-8")
    result = runner.invoke(app, ["build", str(GOOD), "--out", str(out)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "is not a folder" in result.stderr


def test_index_toml_at_the_top_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "arguments" / "index.toml", GOOD.read_text(encoding="utf-8"))
    result = runner.invoke(app, ["check", str(tmp_path / "arguments")])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert "the page name 'index' is reserved" in result.stderr
