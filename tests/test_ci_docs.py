"""docs/ci.md stays true: the documented workflows are the ones `argmap init` writes, and
the argmap commands in them (and in the pre-commit hooks) pass on a fresh project.

The commands are read from the `run:` steps of the GitHub workflow and the `script:`
lines of the GitLab job. The argmap ones run, as ``python -m argmap`` with this
interpreter, in a project made by ``argmap init``; the others (installing Graphviz and
argmap) are skipped, and the list of skipped commands is pinned below so that a new
command in a workflow has to be sorted into one kind or the other here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from argmap import scaffold
from argmap.model.fmt import format_text

from .conftest import REPO

CI_DOC = REPO / "docs" / "ci.md"
HOOKS = REPO / ".pre-commit-hooks.yaml"
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
TOML_BLOCK = re.compile(r"```toml\n(.*?)```", re.DOTALL)

SKIPPED = {
    # GitHub Actions (run: steps)
    "sudo apt-get update && sudo apt-get install --yes graphviz",
    'python -m pip install "$ARGMAP"',
    # GitLab CI (before_script:)
    "apt-get update && apt-get install --yes --no-install-recommends graphviz git",
}


def yaml_blocks() -> list[str]:
    return YAML_BLOCK.findall(CI_DOC.read_text(encoding="utf-8"))


def run_commands(workflow: str) -> list[str]:
    """The shell commands of a workflow's ``run:`` steps (one line or a ``|`` block)."""
    commands = []
    lines = workflow.splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"^(\s*)(?:- )?run: (.*)$", line)
        if not match:
            continue
        value = match.group(2).strip()
        if value not in ("|", ">"):
            commands.append(value)
            continue
        indent = len(match.group(1))
        for body in lines[number + 1 :]:
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            if body.strip():
                commands.append(body.strip())
    return commands


def script_commands(job: str, key: str = "script") -> list[str]:
    """The items of a GitLab job's ``script:`` (or ``before_script:``) list."""
    commands = []
    inside = None
    for line in job.splitlines():
        match = re.match(rf"^(\s*){key}:\s*$", line)
        if match:
            inside = len(match.group(1))
            continue
        if inside is None:
            continue
        item = re.match(r"^(\s*)- (.*)$", line)
        if item and len(item.group(1)) > inside:
            commands.append(item.group(2).strip())
        elif line.strip():
            inside = None
    return commands


def github_workflow() -> str:
    (workflow,) = [block for block in yaml_blocks() if "runs-on:" in block]
    return workflow


def gitlab_job() -> str:
    (job,) = [block for block in yaml_blocks() if "script:" in block]
    return job


def documented_commands() -> list[str]:
    return [
        *run_commands(github_workflow()),
        *script_commands(gitlab_job(), "before_script"),
        *script_commands(gitlab_job()),
    ]


def argmap_commands() -> list[str]:
    return [command for command in documented_commands() if command.startswith("argmap ")]


# -- the documents are the templates ---------------------------------------------------


def test_the_documented_github_workflow_is_the_one_init_writes() -> None:
    assert github_workflow() == scaffold.GITHUB_WORKFLOW


def test_the_documented_gitlab_job_is_the_template() -> None:
    assert gitlab_job() == scaffold.GITLAB_CI


def test_the_documented_taplo_rule_is_the_one_init_writes() -> None:
    blocks = TOML_BLOCK.findall(CI_DOC.read_text(encoding="utf-8"))
    rule = next(block for block in blocks if "[[rule]]" in block)
    assert rule.replace("  ", "") in scaffold.TAPLO_TEXT.replace("  ", "")


def test_the_fmt_example_is_what_fmt_gives() -> None:
    text = CI_DOC.read_text(encoding="utf-8")
    section = text[text.index("So a map written in another order") :]
    before, after = TOML_BLOCK.findall(section)[:2]
    assert format_text(before) == after
    assert format_text(after) == after


def test_the_parser_finds_the_commands() -> None:
    assert argmap_commands() == [
        "argmap check --format github --strict",
        "argmap build",
        "argmap check --strict",
        "argmap build",
    ]


def test_every_command_that_is_not_run_is_listed_as_skipped() -> None:
    skipped = [command for command in documented_commands() if not command.startswith("argmap ")]
    print("skipped (they install tools):", *skipped, sep="\n  ")
    assert set(skipped) == SKIPPED


# -- the commands pass on a new project ----------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    pytest.importorskip("argmap.model.schema", reason="argmap.model.schema is not there yet")
    root = tmp_path / "project"
    done = argmap(["init", str(root)], tmp_path)
    assert done.returncode == 0, done.stderr
    return root


def argmap(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "argmap", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.needs_dot
@pytest.mark.parametrize("command", sorted(set(argmap_commands())))
def test_documented_command_passes_on_a_new_project(command: str, project: Path) -> None:
    done = argmap(shlex.split(command)[1:], project)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    if command.startswith("argmap build"):
        assert (project / "build" / "example.html").is_file()
    if "--format github" in command:
        assert "::error" not in done.stdout and "::warning" not in done.stdout


def test_github_format_annotates_a_broken_map(project: Path) -> None:
    """The workflow's check step fails, with annotations, when a map is wrong."""
    (project / "arguments" / "broken.toml").write_text(
        '[map]\ntitle = "t"\nthesis = "nope"\n', encoding="utf-8"
    )
    command = next(c for c in argmap_commands() if "--format github" in c)
    done = argmap(shlex.split(command)[1:], project)
    assert done.returncode == 1
    assert "::error file=arguments/broken.toml,line=3" in done.stdout


# -- pre-commit -------------------------------------------------------------------------


def hooks() -> list[dict[str, str]]:
    """The hooks of .pre-commit-hooks.yaml: a list of flat mappings of scalars."""
    found: list[dict[str, str]] = []
    for line in HOOKS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^(- |  )(\w+): (.*)$", line)
        assert match, f"unexpected line in {HOOKS.name}: {line!r}"
        if match.group(1) == "- ":
            found.append({})
        found[-1][match.group(2)] = match.group(3)
    return found


def test_the_hooks() -> None:
    by_id = {hook["id"]: hook for hook in hooks()}
    assert set(by_id) == {"argmap-check", "argmap-fmt"}
    for hook in by_id.values():
        assert hook["language"] == "python"
        assert hook["entry"].startswith("argmap ")
        files = re.compile(hook["files"])
        assert files.search("arguments/example.toml")
        assert files.search("arguments/school/uniforms.toml")
        assert not files.search("argmap.toml")
        assert not files.search("pyproject.toml")
        assert not files.search("arguments/notes.txt")
    assert by_id["argmap-check"]["pass_filenames"] == "false"
    assert by_id["argmap-fmt"]["pass_filenames"] == "true"


def test_the_local_hooks_in_the_docs_match_the_hooks() -> None:
    (local,) = [block for block in yaml_blocks() if "repo: local" in block]
    for hook in hooks():
        assert f"id: {hook['id']}" in local
        assert f"entry: {hook['entry']}" in local
    assert local.count(r"files: ^arguments/.*\.toml$") == 2


def test_the_hooks_pass_on_a_new_project_and_fmt_fixes_a_map(project: Path) -> None:
    maps = sorted(p.relative_to(project).as_posix() for p in project.rglob("*.toml"))
    for hook in hooks():
        files = [m for m in maps if re.search(hook["files"], m)]
        arguments = shlex.split(hook["entry"])[1:]
        if hook["pass_filenames"] == "true":
            arguments += files
        done = argmap(arguments, project)
        assert done.returncode == 0, f"{hook['id']}\n{done.stdout}\n{done.stderr}"
    messy = project / "arguments" / "messy.toml"
    messy.write_text("[claim.c]\ntext = 'x'\n\n[map]\ntitle = 't'\nthesis = 'c'\n", "utf-8")
    fmt = next(hook for hook in hooks() if hook["id"] == "argmap-fmt")
    done = argmap([*shlex.split(fmt["entry"])[1:], "arguments/messy.toml"], project)
    assert done.returncode == 0, done.stderr
    assert messy.read_text(encoding="utf-8").startswith('[map]\ntitle = "t"')
