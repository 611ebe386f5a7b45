"""argmap.toml and a map's own [lint] table: what they accept, and every problem in them,
each with its exact line and column."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from argmap.build.pipeline import build, check
from argmap.config import Config, load_config
from argmap.diagnostics import InputError, Position, Severity
from argmap.model import LintSettings, NodeKind

from ._fixtures import DEFAULTS, render
from .conftest import FIXTURES

MINIMAL = FIXTURES / "valid" / "minimal.toml"
ALWAYS_ON = (
    "only these rules can be switched off or given another severity: AM301, AM302, AM401, "
    "AM402, AM403, AM404, AM405, AM406, AM407, AM408 (see docs/rules.md); fix the problem instead"
)
SWITCHABLE_NAMES = (
    "rules that can be switched off: quote-not-in-source, source-unreadable, "
    "unsupported-claim, orphan-node, rebuttal-without-target, duplicate-text, "
    "thesis-undefended, missing-quote, overlong-text, status-ignored"
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def config_problems(tmp_path: Path, text: str | bytes) -> str:
    write(tmp_path / "argmap.toml", text)
    _, problems = load_config(tmp_path)
    return render(problems, tmp_path)


# -- reading argmap.toml --------------------------------------------------------------


def test_without_argmap_toml_the_defaults_apply(tmp_path: Path) -> None:
    assert load_config(tmp_path) == (Config(), [])
    assert Config().lint == LintSettings()


def test_every_setting(tmp_path: Path) -> None:
    write(
        tmp_path / "argmap.toml",
        "# the project's settings\n"
        "[lint]\n"
        'disable = ["orphan-node", "AM404"]\n'
        'require_quotes = ["premise", "claim"]\n'
        "max_text_length = 120\n"
        "\n"
        "[lint.severity]\n"
        'overlong-text = "error"\n'
        "AM301 = 'warning'\n",
    )
    config, problems = load_config(tmp_path)
    assert problems == []
    assert config == Config(
        tmp_path / "argmap.toml",
        LintSettings(
            disable=frozenset({"AM402", "AM404"}),
            require_quotes=frozenset({NodeKind.PREMISE, NodeKind.CLAIM}),
            max_text_length=120,
            severity={"AM407": Severity.ERROR, "AM301": Severity.WARNING},
            position=Position(2, 1),
        ),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.lint = LintSettings()  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "kinds"),
    [
        ("true", set(NodeKind)),
        ("false", set()),
        ("[]", set()),
        ('["rebuttal"]', {NodeKind.REBUTTAL}),
    ],
)
def test_require_quotes(value: str, kinds: set[NodeKind], tmp_path: Path) -> None:
    write(tmp_path / "argmap.toml", f"[lint]\nrequire_quotes = {value}\n")
    config, problems = load_config(tmp_path)
    assert problems == [] and config.lint.require_quotes == frozenset(kinds)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '[lnit]\ndisable = ["AM402"]\n',
            "argmap.toml:1:1: error[AM101]: unknown key `lnit` at the top level of argmap.toml\n"
            "  hint: did you mean `lint`?\n",
            id="unknown-table-close-match",
        ),
        pytest.param(
            '# settings\n[theme]\ntitle = "x"\n',
            "argmap.toml:2:1: error[AM101]: unknown key `theme` at the top level of argmap.toml\n"
            "  hint: argmap.toml has these tables: [lint], [site]\n",
            id="unknown-table",
        ),
        pytest.param(
            '[lint]\ndisabel = ["AM402"]\n',
            "argmap.toml:2:1: error[AM101]: unknown key `disabel` in [lint]\n"
            "  hint: did you mean `disable`?\n",
            id="unknown-key",
        ),
        pytest.param(
            "[lint]\nwarnings_as_errors = true\n",
            "argmap.toml:2:1: error[AM101]: unknown key `warnings_as_errors` in [lint]\n"
            "  hint: to fail on warnings, run `argmap check --strict`: it is a command-line "
            "flag, not a setting\n",
            id="warnings-as-errors-is-a-flag",
        ),
        pytest.param(
            'lint = "strict"\n',
            "argmap.toml:1:8: error[AM102]: `lint` must be a table\n"
            "  hint: write [lint] on its own line, with its keys below it\n",
            id="lint-not-a-table",
        ),
        pytest.param(
            '[lint]\ndisable = "orphan-node"\n',
            "argmap.toml:2:11: error[AM102]: `lint.disable` must be a list of rule names or "
            "codes, not a string\n"
            '  hint: write disable = ["orphan-node", "AM404"]\n',
            id="disable-not-a-list",
        ),
        pytest.param(
            '[lint]\ndisable = ["orphan-node", 404]\n',
            "argmap.toml:2:27: error[AM102]: `lint.disable` must be a list of rule names or "
            "codes, not a number\n"
            '  hint: write disable = ["orphan-node", "AM404"]\n',
            id="disable-a-number",
        ),
        pytest.param(
            '[lint]\ndisable = ["orphan-nodes"]\n',
            "argmap.toml:2:12: error[AM106]: unknown rule 'orphan-nodes' in `lint.disable`\n"
            "  hint: did you mean `orphan-node`?\n",
            id="disable-unknown-rule-close-match",
        ),
        pytest.param(
            '[lint]\ndisable = ["am404"]\n',
            "argmap.toml:2:12: error[AM106]: unknown rule 'am404' in `lint.disable`\n"
            "  hint: did you mean `AM404`?\n",
            id="disable-code-in-lower-case",
        ),
        pytest.param(
            '[lint]\ndisable = ["everything"]\n',
            "argmap.toml:2:12: error[AM106]: unknown rule 'everything' in `lint.disable`\n"
            f"  hint: {SWITCHABLE_NAMES}\n",
            id="disable-unknown-rule",
        ),
        pytest.param(
            '[lint]\ndisable = [\n  "AM402",\n  "AM202",\n]\n',
            "argmap.toml:4:3: error[AM106]: AM202 (unknown-id) cannot be switched off\n"
            f"  hint: {ALWAYS_ON}\n",
            id="disable-not-switchable-code",
        ),
        pytest.param(
            '[lint]\ndisable = ["support-cycle"]\n',
            "argmap.toml:2:12: error[AM106]: AM205 (support-cycle) cannot be switched off\n"
            f"  hint: {ALWAYS_ON}\n",
            id="disable-not-switchable-name",
        ),
        pytest.param(
            '[lint]\ndisable = ["AM402", "orphan-node"]\n',
            "argmap.toml:2:21: error[AM106]: AM402 (orphan-node) is listed twice in "
            "`lint.disable`\n"
            "  hint: name each rule once, by its code or by its name\n",
            id="disable-twice",
        ),
        pytest.param(
            '[lint]\nrequire_quotes = "yes"\n',
            "argmap.toml:2:18: error[AM102]: `lint.require_quotes` must be true, false or a "
            "list of node kinds, not a string\n"
            '  hint: write require_quotes = true (every node), or a list: ["claim", "premise"]\n',
            id="require-quotes-wrong-type",
        ),
        pytest.param(
            '[lint]\nrequire_quotes = ["claims", "reason"]\n',
            "argmap.toml:2:19: error[AM106]: 'claims' is not a kind of node\n"
            '  hint: did you mean "claim"?\n'
            "argmap.toml:2:29: error[AM106]: 'reason' is not a kind of node\n"
            "  hint: the kinds are claim, premise and rebuttal\n",
            id="require-quotes-unknown-kinds",
        ),
        pytest.param(
            "[lint]\nrequire_quotes = [1]\n",
            "argmap.toml:2:19: error[AM102]: `lint.require_quotes` must list node kinds, "
            "not a number\n"
            '  hint: write require_quotes = true (every node), or a list: ["claim", "premise"]\n',
            id="require-quotes-a-number",
        ),
        pytest.param(
            '[lint]\nrequire_quotes = ["premise", "premise"]\n',
            "argmap.toml:2:30: error[AM106]: 'premise' is listed twice in "
            "`lint.require_quotes`\n"
            "  hint: name each kind once\n",
            id="require-quotes-twice",
        ),
        pytest.param(
            '[lint]\nmax_text_length = "200"\n',
            "argmap.toml:2:19: error[AM102]: `lint.max_text_length` must be a whole number, "
            "not a string\n"
            "  hint: write max_text_length = 200 (characters)\n",
            id="max-text-length-a-string",
        ),
        pytest.param(
            "[lint]\nmax_text_length = 2.5\n",
            "argmap.toml:2:19: error[AM102]: `lint.max_text_length` must be a whole number, "
            "not 2.5\n"
            "  hint: write max_text_length = 200 (characters)\n",
            id="max-text-length-a-fraction",
        ),
        pytest.param(
            "[lint]\nmax_text_length = 0\n",
            "argmap.toml:2:19: error[AM106]: `lint.max_text_length` must be 1 or more\n"
            "  hint: give the most characters a node text may have; to allow any length, "
            'switch the rule off: disable = ["overlong-text"]\n',
            id="max-text-length-zero",
        ),
        pytest.param(
            '[lint]\nseverity = "error"\n',
            "argmap.toml:2:12: error[AM102]: `lint.severity` must be a table, not a string\n"
            "  hint: write [lint.severity] on its own line, with lines such as "
            'overlong-text = "error"\n',
            id="severity-not-a-table",
        ),
        pytest.param(
            '[lint.severity]\noverlong-txt = "error"\n',
            "argmap.toml:2:1: error[AM101]: unknown rule `overlong-txt` in [lint.severity]\n"
            "  hint: did you mean `overlong-text`?\n",
            id="severity-of-an-unknown-rule",
        ),
        pytest.param(
            '[lint.severity]\nAM205 = "warning"\n',
            "argmap.toml:2:1: error[AM106]: AM205 (support-cycle) is always an error: its "
            "severity cannot be changed\n"
            f"  hint: {ALWAYS_ON}\n",
            id="severity-of-a-rule-that-cannot-change",
        ),
        pytest.param(
            '[lint.severity]\noverlong-text = "fatal"\n',
            "argmap.toml:2:17: error[AM106]: 'fatal' is not a severity\n"
            '  hint: write "error" or "warning"\n',
            id="severity-unknown",
        ),
        pytest.param(
            '[lint.severity]\noverlong-text = "Error"\n',
            "argmap.toml:2:17: error[AM106]: 'Error' is not a severity\n"
            '  hint: did you mean "error"?\n',
            id="severity-close-match",
        ),
        pytest.param(
            '[lint.severity]\norphan-node = "off"\n',
            "argmap.toml:2:15: error[AM106]: 'off' is not a severity\n"
            '  hint: to switch the rule off, add it to `disable`: disable = ["orphan-node"]\n',
            id="severity-off-means-disable",
        ),
        pytest.param(
            "[lint.severity]\norphan-node = 1\n",
            'argmap.toml:2:15: error[AM102]: `lint.severity.orphan-node` must be "error" or '
            '"warning", not a number\n'
            '  hint: write orphan-node = "error" or orphan-node = "warning"\n',
            id="severity-a-number",
        ),
        pytest.param(
            'lint = { disable = ["AM999"], severity = { AM407 = "fatal" } }\n',
            "argmap.toml:1:21: error[AM106]: unknown rule 'AM999' in `lint.disable`\n"
            f"  hint: {SWITCHABLE_NAMES}\n"
            "argmap.toml:1:52: error[AM106]: 'fatal' is not a severity\n"
            '  hint: write "error" or "warning"\n',
            id="inline-table",
        ),
        pytest.param(
            "[lint]\ndisable = [AM402]\n",
            "argmap.toml:2:12: error[AM003]: TOML syntax error: invalid value\n"
            '  hint: text values need quotes: text = "..." (use """...""" for several lines)\n',
            id="toml-syntax",
        ),
        pytest.param(
            "[lint]\n[lint]\n",
            "argmap.toml:2:1: error[AM003]: TOML syntax error: this key or table is defined "
            "twice\n"
            "  hint: every key and every node id may appear only once in a map; rename or "
            "merge one\n",
            id="toml-table-twice",
        ),
        pytest.param(
            "[lint\n",
            "argmap.toml:1:6: error[AM003]: TOML syntax error: expected ']' at the end of a "
            "table declaration\n"
            "  hint: an array, inline table or table header is not closed\n",
            id="toml-unclosed-header",
        ),
        pytest.param(
            b'[lint]\ndisable = ["caf\xe9"]\n',
            "argmap.toml:2:16: error[AM002]: the file is not valid UTF-8 (byte 0xe9)\n"
            "  hint: save the file as UTF-8 in your editor (UTF-16 and Latin-1 are not "
            "supported)\n",
            id="not-utf8",
        ),
    ],
)
def test_each_problem_in_argmap_toml(text: str | bytes, expected: str, tmp_path: Path) -> None:
    assert config_problems(tmp_path, text) == expected


def test_a_generic_syntax_error_points_at_the_rules_not_the_map_format(tmp_path: Path) -> None:
    actual = config_problems(tmp_path, "[lint]\nmax_text_length = 1 2\n")
    assert actual.startswith("argmap.toml:2:21: error[AM003]: TOML syntax error: ")
    assert actual.endswith(
        "  hint: fix the TOML syntax here; docs/rules.md describes argmap.toml\n"
    )


def test_argmap_toml_that_is_a_folder_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "argmap.toml").mkdir()
    config, problems = load_config(tmp_path)
    assert config == Config(tmp_path / "argmap.toml")
    assert [(d.code, d.position) for d in problems] == [("AM001", Position(1, 1))]
    assert problems[0].message.startswith("cannot read the file: ")


def test_what_can_be_read_is_used_despite_problems(tmp_path: Path) -> None:
    write(tmp_path / "argmap.toml", '[lint]\ndisable = ["orphan-node", "AM999"]\ncolour = 1\n')
    config, problems = load_config(tmp_path)
    assert [d.code for d in problems] == ["AM106", "AM101"]
    assert config.lint.disable == {"AM402"}


# -- argmap.toml in the pipeline ------------------------------------------------------


def test_check_reads_argmap_toml_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "arguments" / "m.toml", (FIXTURES / "lint" / "orphan-node.toml").read_text())
    monkeypatch.chdir(tmp_path)
    assert [d.code for d in check([Path("arguments")]).diagnostics] == ["AM402"] * 3
    write(tmp_path / "argmap.toml", '[lint]\ndisable = ["orphan-node"]\n')
    assert check([Path("arguments")]).diagnostics == ()


def test_problems_in_argmap_toml_come_first_and_fail_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "argmap.toml", '[lint]\ndisable = ["orphan-node"]\nmax_length = 80\n')
    write(
        tmp_path / "arguments" / "m.toml", (FIXTURES / "lint" / "duplicate-text.toml").read_text()
    )
    monkeypatch.chdir(tmp_path)
    result = check([Path("arguments")])
    assert [(str(d.path), d.code, d.severity) for d in result.diagnostics] == [
        ("argmap.toml", "AM101", Severity.ERROR),
        (str(Path("arguments/m.toml")), "AM404", Severity.WARNING),
        (str(Path("arguments/m.toml")), "AM404", Severity.WARNING),
    ]
    assert result.errors and len(result.graphs) == 1  # the map itself is fine
    with pytest.raises(InputError):
        build([Path("arguments")], tmp_path / "build")
    assert not (tmp_path / "build").exists()


def test_a_given_config_is_used_instead_of_argmap_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "argmap.toml", "[lint]\nunknown = 1\n")
    monkeypatch.chdir(tmp_path)
    assert check([MINIMAL], DEFAULTS).diagnostics == ()


# -- a map's own [lint] table ---------------------------------------------------------


def test_a_maps_lint_table_is_read_with_its_position(tmp_path: Path) -> None:
    from argmap.model.load import load_map

    path = write(
        tmp_path / "m.toml",
        MINIMAL.read_text(encoding="utf-8")
        + '\n[lint]\ndisable = ["AM402", "duplicate-text"]\nrequire_quotes = false\n'
        "max_text_length = 80\n",
    )
    assert load_map(path, "m").lint == LintSettings(
        disable=frozenset({"AM402", "AM404"}),
        require_quotes=frozenset(),
        max_text_length=80,
        position=Position(9, 1),
    )
    assert load_map(MINIMAL, "minimal").lint == LintSettings()


@pytest.mark.parametrize(
    ("lint", "expected"),
    [
        pytest.param(
            '[lint]\nseverity = { overlong-text = "error" }\n',
            "m.toml:10:1: error[AM101]: unknown key `severity` in [lint]\n"
            "  hint: severities are set for the whole project, in [lint.severity] of "
            "argmap.toml\n",
            id="severity-only-in-argmap-toml",
        ),
        pytest.param(
            '[lint]\ndisable = ["orphan"]\n',
            "m.toml:10:12: error[AM106]: unknown rule 'orphan' in `lint.disable`\n"
            "  hint: did you mean `orphan-node`?\n",
            id="unknown-rule",
        ),
        pytest.param(
            '[lint]\ndisable = ["duplicate-id"]\n',
            "m.toml:10:12: error[AM106]: AM201 (duplicate-id) cannot be switched off\n"
            f"  hint: {ALWAYS_ON}\n",
            id="not-switchable",
        ),
        pytest.param(
            "[lint]\nmax_text_length = -5\n",
            "m.toml:10:19: error[AM106]: `lint.max_text_length` must be 1 or more\n"
            "  hint: give the most characters a node text may have; to allow any length, "
            'switch the rule off: disable = ["overlong-text"]\n',
            id="max-text-length",
        ),
        pytest.param(
            '[lnit]\ndisable = ["orphan-node"]\n',
            "m.toml:9:1: error[AM101]: unknown key `lnit` at the top level\n"
            "  hint: did you mean `lint`?\n",
            id="misspelt-table",
        ),
    ],
)
def test_each_problem_in_a_maps_lint_table(lint: str, expected: str, tmp_path: Path) -> None:
    path = write(tmp_path / "m.toml", MINIMAL.read_text(encoding="utf-8") + "\n" + lint)
    result = check([path], DEFAULTS)
    assert render(result.diagnostics, tmp_path) == expected
    assert not result.graphs


def test_a_maps_lint_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "m.toml", 'lint = "off"\n' + MINIMAL.read_text(encoding="utf-8"))
    assert render(check([path], DEFAULTS).diagnostics, tmp_path) == (
        "m.toml:1:8: error[AM102]: `lint` must be a table\n"
        "  hint: write [lint] on its own line, with its keys below it\n"
    )


def test_lint_keys_below_map_belong_to_map(tmp_path: Path) -> None:
    path = write(
        tmp_path / "m.toml",
        MINIMAL.read_text(encoding="utf-8").replace(
            'thesis = "keep-night-buses"\n', 'thesis = "keep-night-buses"\nlint.disable = []\n'
        ),
    )
    assert render(check([path], DEFAULTS).diagnostics, tmp_path) == (
        "m.toml:5:1: error[AM101]: unknown key `lint` in [map]\n"
        "  hint: every key below [map] belongs to it, up to the next [table] header; put "
        "[lint] on its own line, with its keys below it\n"
    )
