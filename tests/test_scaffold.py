"""`argmap init` and `argmap new`: what they write, and what they refuse to overwrite."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap import scaffold
from argmap.cli import app
from argmap.diagnostics import ExitCode
from argmap.model import AttackKind, NodeKind
from argmap.model.fmt import format_text
from argmap.output import RenderCache

runner = CliRunner()

FILES = [
    "arguments/example.toml",
    "argmap.toml",
    ".argmap/schema.json",
    ".taplo.toml",
    ".gitignore",
    ".github/workflows/argmap.yml",
]


@pytest.fixture
def schema_text() -> str:
    schema = pytest.importorskip(
        "argmap.model.schema", reason="argmap.model.schema is not there yet"
    )
    text: str = schema.schema_text()
    return text


@pytest.fixture
def project(tmp_path: Path, schema_text: str) -> Path:
    root = tmp_path / "project"
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == ExitCode.OK, result.output
    return root


def check(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check", *args])
    return result.exit_code, result.output


# -- init ----------------------------------------------------------------------------


def test_init_writes_the_project_and_lists_every_file(tmp_path: Path, schema_text: str) -> None:
    root = tmp_path / "new-project"
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == ExitCode.OK, result.output
    for name in FILES:
        assert (root / name).is_file(), name
        assert f"wrote {root / name}" in result.stdout
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == sorted(
        FILES
    )
    assert (root / ".argmap/schema.json").read_text(encoding="utf-8") == schema_text


def test_the_new_project_passes_check_strict_and_fmt_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = check(project, "--strict", monkeypatch=monkeypatch)
    assert code == ExitCode.OK, output
    fmt = runner.invoke(app, ["fmt", "--check"])
    assert fmt.exit_code == ExitCode.OK, fmt.output


def test_the_example_map_shows_every_construct_and_comments(project: Path) -> None:
    from argmap.model.load import load_map

    path = project / "arguments" / "example.toml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "#:schema ../.argmap/schema.json"
    assert (path.parent / "../.argmap/schema.json").resolve() == (
        project / ".argmap/schema.json"
    ).resolve()
    argument_map = load_map(path, "example")
    kinds = {node.kind for node in argument_map.nodes}
    assert kinds == {NodeKind.CLAIM, NodeKind.PREMISE, NodeKind.REBUTTAL}
    assert any(reason.linked for reason in argument_map.reasons), "a linked reason"
    assert {attack.kind for attack in argument_map.attacks} == set(AttackKind), (
        "a rebuttal and an undercut"
    )
    assert sum(line.startswith("#") for line in text.splitlines()) >= 10, "it explains itself"
    assert format_text(text) == text


def test_argmap_toml_is_valid_and_so_is_every_setting_it_shows(project: Path) -> None:
    from argmap.config import Config, load_config

    config, problems = load_config(project)
    assert not problems
    assert replace(config.lint, position=None) == Config().lint, "all commented out: defaults"
    # Uncomment every commented setting (and [lint.severity]): still a valid file.
    text = (project / "argmap.toml").read_text(encoding="utf-8")
    settings = re.sub(r"^# (\[lint\.\w+\]|[a-z_-]+ = .*)$", r"\1", text, flags=re.MULTILINE)
    assert settings.count("\n[") > text.count("\n[")
    (project / "argmap.toml").write_text(settings, encoding="utf-8")
    config, problems = load_config(project)
    assert not problems, [d.headline() for d in problems]
    assert config.lint.disable and config.lint.max_text_length and config.lint.severity


def test_taplo_config_points_every_map_at_the_schema(project: Path) -> None:
    taplo = tomllib.loads((project / ".taplo.toml").read_text(encoding="utf-8"))
    (rule,) = taplo["rule"]
    assert rule["include"] == ["arguments/**/*.toml"]
    assert (project / rule["schema"]["path"]).resolve() == (
        project / ".argmap/schema.json"
    ).resolve()
    assert "include" not in taplo, "a top-level include would hide the other TOML files"


def test_gitignore_and_workflow(project: Path) -> None:
    ignored = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "build/" in ignored and ".venv/" in ignored
    cache = RenderCache(project / "build", "").folder  # where argmap.output puts it
    assert f"{cache.name}/" in ignored
    workflow = (project / ".github/workflows/argmap.yml").read_text(encoding="utf-8")
    assert workflow == scaffold.GITHUB_WORKFLOW


@pytest.mark.needs_dot
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_after_a_build_git_sees_only_the_files_init_wrote(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site, the diagram cache and the lock file beside the site are all ignored."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=project, capture_output=True, text=True, check=True
        )
        return done.stdout

    git("init", "--quiet")
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["build"])
    assert result.exit_code == ExitCode.OK, result.output
    beside = {p.name for p in project.iterdir()}
    assert {"build", ".build.cache", ".build.lock"} <= beside, beside
    untracked = git("status", "--porcelain", "--untracked-files=all").splitlines()
    assert sorted(line.removeprefix("?? ") for line in untracked) == sorted(FILES)


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_ci_installs_argmap_from_its_repository_not_from_pypi(ci: str) -> None:
    """argmap is not on PyPI: `pip install argmap` would install nothing, or someone
    else's package of that name."""
    text = scaffold.GITHUB_WORKFLOW if ci == "github" else scaffold.GITLAB_CI
    commands = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    installs = [line for line in commands if "pip install" in line]
    assert installs and all(line.endswith('pip install "$ARGMAP"') for line in installs)
    assert f"ARGMAP: {scaffold.ARGMAP_PLACEHOLDER}" in text
    assert scaffold.ARGMAP_PLACEHOLDER.startswith("git+")
    comments = " ".join(line.strip(" #") for line in text.splitlines() if "#" in line)
    assert "not on PyPI" in comments and "tag or commit" in comments


COMMIT = "0123456789abcdef0123456789abcdef01234567"


class _Installed:
    """A stand-in for argmap's installed distribution, with a given direct_url.json."""

    def __init__(self, record: str | None) -> None:
        self.record = record

    def read_text(self, name: str) -> str | None:
        return self.record if name == "direct_url.json" else None


def _installed_as(monkeypatch: pytest.MonkeyPatch, record: str | None) -> None:
    from importlib import metadata

    monkeypatch.setattr(metadata, "distribution", lambda name: _Installed(record))


def test_init_fills_in_the_git_repository_argmap_was_installed_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = (
        '{"url": "https://example.org/tools/argmap.git",'
        f' "vcs_info": {{"vcs": "git", "commit_id": "{COMMIT}", "requested_revision": "v0.1"}}}}'
    )
    _installed_as(monkeypatch, record)
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == ExitCode.OK, result.output
    workflow = (tmp_path / ".github/workflows/argmap.yml").read_text(encoding="utf-8")
    spec = f"git+https://example.org/tools/argmap.git@{COMMIT}"
    assert f"ARGMAP: {spec}\n" in workflow and scaffold.ARGMAP_PLACEHOLDER not in workflow
    assert f"installs {spec} (the argmap running now)" in result.stdout


def _git(url: str, commit: str = COMMIT, vcs: str = "git") -> str:
    return json.dumps({"url": url, "vcs_info": {"vcs": vcs, "commit_id": commit}})


@pytest.mark.parametrize(
    "record",
    [
        None,  # not installed by pip from a URL
        "{not json",
        "[]",
        '{"url": "file:///home/me/argmap", "dir_info": {"editable": true}}',  # a checkout
        _git("file:///home/me/argmap"),  # a local repository: not there in CI
        _git("https://example.org/a", vcs="hg"),
        _git("https://example.org/a", commit="main"),  # a branch moves
        # text that would change the YAML it is written into
        _git("https://example.org/a\n  evil: 1"),
        _git("https://example.org/a #x"),
        _git('https://example.org/a"'),
    ],
)
def test_init_keeps_the_placeholders_unless_the_record_is_plain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: str | None
) -> None:
    _installed_as(monkeypatch, record)
    assert scaffold.installed_from_git() is None
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == ExitCode.OK, result.output
    workflow = (tmp_path / ".github/workflows/argmap.yml").read_text(encoding="utf-8")
    assert workflow == scaffold.GITHUB_WORKFLOW
    assert "put argmap's repository and a tag or commit in ARGMAP" in result.stdout


def test_this_checkout_is_not_a_remote_git_install() -> None:
    # The test suite runs from an editable install of a checkout: nothing to fill in.
    assert scaffold.installed_from_git() is None


def test_init_never_overwrites(tmp_path: Path, schema_text: str) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    (root / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == ExitCode.OK, result.output
    assert (root / ".gitignore").read_text(encoding="utf-8") == "node_modules/\n"
    assert f"kept {root / '.gitignore'}: it already exists" in result.stdout
    assert f"wrote {root / 'argmap.toml'}" in result.stdout

    (root / "argmap.toml").write_text("# mine\n", encoding="utf-8")
    again = runner.invoke(app, ["init", str(root)])
    assert again.exit_code == ExitCode.OK
    assert "wrote" not in again.stdout
    assert "nothing written" in again.stdout
    assert (root / "argmap.toml").read_text(encoding="utf-8") == "# mine\n"


def test_init_leaves_the_example_out_when_there_are_maps(tmp_path: Path, schema_text: str) -> None:
    mine = tmp_path / "arguments" / "mine.toml"
    mine.parent.mkdir()
    mine.write_text('[map]\ntitle = "t"\nthesis = "c"\n\n[claim.c]\ntext = "x"\n', "utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == ExitCode.OK
    assert not (tmp_path / "arguments" / "example.toml").exists()
    assert "already holds maps" in result.stdout


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "is not a folder" in result.stderr


def test_init_in_the_current_folder(
    tmp_path: Path, schema_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == ExitCode.OK
    assert "wrote arguments/example.toml" in result.stdout
    assert "next: argmap check" in result.stdout


# -- new -----------------------------------------------------------------------------


def test_new_writes_a_map_that_passes_check(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["new", "school-uniforms"])
    assert result.exit_code == ExitCode.OK, result.output
    path = Path("arguments/school-uniforms.toml")
    assert result.stdout.strip() == f"wrote {path}"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#:schema ../.argmap/schema.json\n")
    assert tomllib.loads(text)["map"]["title"] == "School uniforms"
    assert "TODO" in text
    assert format_text(text) == text
    code, output = check(project, "--strict", str(path), monkeypatch=monkeypatch)
    assert code == ExitCode.OK, output


def test_new_in_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = runner.invoke(app, ["new", "school/dress_code.toml"])
    assert result.exit_code == ExitCode.OK, result.output
    path = project / "arguments" / "school" / "dress_code.toml"
    text = path.read_text(encoding="utf-8")
    directive = text.splitlines()[0].removeprefix("#:schema ")
    assert (path.parent / directive).resolve() == (project / ".argmap/schema.json").resolve()
    assert tomllib.loads(text)["map"]["title"] == "Dress code"
    code, output = check(project, "--strict", monkeypatch=monkeypatch)
    assert code == ExitCode.OK, output


def test_new_without_a_schema_writes_no_directive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["new", "plain"]).exit_code == ExitCode.OK
    assert not Path("arguments/plain.toml").read_text(encoding="utf-8").startswith("#:schema")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad name", "cannot be a map's name"),
        ("_under", "cannot be a map's name"),
        ("a.b", "cannot be a map's name"),
        ("../escape", "cannot be a map's name"),
        ("a//b", "cannot be a map's name"),
        ("", "cannot be a map's name"),
        ("index", "cannot be called 'index'"),
        ("Index.toml", "cannot be called 'index'"),
        ("taken", "already exists"),
        ("TAKEN", "same page name except for upper and lower case"),
    ],
)
def test_new_refuses(
    name: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    taken = tmp_path / "arguments" / "taken.toml"
    taken.parent.mkdir()
    taken.write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["new", name])
    assert result.exit_code == ExitCode.USAGE_ERROR, result.output
    assert message in result.stderr
    assert taken.read_text(encoding="utf-8") == "# mine\n"
    assert [p.name for p in (tmp_path / "arguments").iterdir()] == ["taken.toml"]


def test_names_follow_the_page_name_rule() -> None:
    from argmap.build._page_names import PAGE_NAME_PART

    assert scaffold._NAME_PART.pattern == PAGE_NAME_PART.pattern
