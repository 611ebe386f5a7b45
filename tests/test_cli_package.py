"""The shape of argmap.cli: commands loaded only when they run, one place that maps
exceptions to exit codes, no import cycle, and the message of each kind of failure."""

from __future__ import annotations

import ast
import errno
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.build import pipeline
from argmap.cli import app, main
from argmap.cli.registry import COMMANDS, load
from argmap.diagnostics import ExitCode

from .conftest import SEED_MAP

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent
CLI = REPO / "argmap" / "cli"
COMMAND_MODULES = sorted({entry.module for entry in COMMANDS.values()})
TRY_HELP = "Try 'argmap --help'."

PROBE = """
import sys
from argmap.cli import main
sys.argv = ["argmap", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("loaded:", ",".join(sorted(m for m in {modules!r} if m in sys.modules)))
"""


def loaded_after(*args: str) -> list[str]:
    """The command modules a fresh ``argmap ARGS`` imported."""
    probe = PROBE.format(modules=COMMAND_MODULES)
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
    )
    return [name for name in result.stdout.rpartition("loaded:")[2].strip().split(",") if name]


def test_help_lists_every_command_and_imports_none() -> None:
    assert loaded_after("--help") == []
    shown = runner.invoke(app, ["--help"]).stdout
    for name in COMMANDS:
        assert f"\n  {name} " in shown


@pytest.mark.parametrize("name", ["check", "evaluate", "schema"])
def test_a_command_imports_its_own_module_only(name: str) -> None:
    assert loaded_after(name, "--help") == [COMMANDS[name].module]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_registry_summary_is_the_commands_docstring(name: str) -> None:
    """--help lists the table's summaries: they must not drift from the commands."""
    assert load(name).get_short_help_str(10_000) == COMMANDS[name].summary


def test_the_console_script_and_python_m_run_main() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert scripts == {"argmap": "argmap.cli:main"}
    result = subprocess.run(
        [sys.executable, "-m", "argmap", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("argmap ")


def _cli_imports(path: Path) -> set[str]:
    """The argmap.cli modules ``path`` imports, wherever in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("argmap.cli."):
            found.add(node.module or "")
    return found


def test_the_cli_modules_import_no_cycle_and_no_command_module_is_imported() -> None:
    graph = {f"argmap.cli.{p.stem}": _cli_imports(p) for p in CLI.glob("*.py")}
    graph.pop("argmap.cli.__init__")
    for module, imports in graph.items():
        assert not imports & set(COMMAND_MODULES), module  # only the registry loads them

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            step == goal or (step not in seen and reaches(step, goal, seen | {step}))
            for step in graph.get(start, set())
        )

    assert [module for module in graph if reaches(module, module, set())] == []


def test_commands_raise_and_exit_codes_are_chosen_in_one_place() -> None:
    """Only argmap.cli.root and argmap.cli.failures end a command with an exit code."""
    for path in CLI.glob("*.py"):
        if path.stem in {"root", "failures"}:
            continue
        text = path.read_text("utf-8")
        assert "typer.Exit" not in text and "ExitCode" not in text, path.name


def test_a_refusal_says_what_to_do_instead_of_pointing_at_help(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "elsewhere")
    result = runner.invoke(app, ["build", str(SEED_MAP), "-o", str(link)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "remove the link" in result.stderr
    assert TRY_HELP not in result.stderr

    target = tmp_path / "target.json"
    target.write_text("{}")
    (tmp_path / "schema.json").symlink_to(target)
    result = runner.invoke(app, ["schema", "-o", str(tmp_path / "schema.json")])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "remove the link, or name the file it points to" in result.stderr
    assert TRY_HELP not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["check", "no-such-folder"], ["evaluate", str(SEED_MAP), "--semantics", "x"]],
)
def test_an_error_about_the_command_line_points_at_help(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr.startswith("usage error: ")
    assert result.stderr.endswith(TRY_HELP + "\n")


def test_ctrl_c_in_any_command_is_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(paths: list[Path]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "check", interrupted)
    result = runner.invoke(app, ["check", str(SEED_MAP)])
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(paths: list[Path]) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, "check", buggy)
    result = runner.invoke(app, ["check", str(SEED_MAP)])
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


def test_main_ends_a_machine_error_with_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(paths: list[Path]) -> None:
        raise OSError(errno.EROFS, "Read-only file system", "x")

    monkeypatch.setattr(pipeline, "check", full)
    monkeypatch.setattr(sys, "argv", ["argmap", "check", str(SEED_MAP)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == ExitCode.ENVIRONMENT_ERROR
    assert capsys.readouterr().err == (
        "error: cannot go on (x): Read-only file system\n"
        "  hint: the file system is read-only: write somewhere else\n"
    )
