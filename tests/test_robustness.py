"""Broken input and faults (issue 4): every broken file is a diagnostic with a file, a
line and a hint, and a documented exit code, never a traceback; a build that fails or
is interrupted leaves the previous site whole and the next build recovers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.build.pipeline import check
from argmap.cli import app
from argmap.config import Config, load_config
from argmap.diagnostics import Diagnostic, ExitCode, Severity

from ._fixtures import KNOWN_KEYS
from .conftest import FIXTURES, REPO

GOOD = FIXTURES / "golden" / "all-relations.toml"
runner = CliRunner()


def problems_of(path: Path) -> list[Diagnostic]:
    return list(check([path], Config()).diagnostics)


def assert_clear(diagnostics: list[Diagnostic], path: Path) -> None:
    """Each problem names the file, a real line and column, and says what to do."""
    assert diagnostics
    # Lines end at "\n" only, as in TOML (not at the other breaks str.splitlines knows).
    lines = path.read_bytes().decode("utf-8-sig", "replace").split("\n")
    for d in diagnostics:
        assert d.path == path
        assert 1 <= d.position.line <= len(lines), d
        assert 1 <= d.position.column <= len(lines[d.position.line - 1]) + 1, d
        assert d.hint, d


def cli_check(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["check", str(path)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


# -- encodings and broken files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-16", "not valid UTF-8 (byte 0xff)"),  # with a BOM
        ("utf-16-le", "not valid UTF-8"),
        ("utf-16-be", "not valid UTF-8"),
        ("utf-32", "not valid UTF-8"),
        ("latin-1", "not valid UTF-8 (byte 0xe9)"),
        ("cp1252", "not valid UTF-8 (byte 0xe9)"),
    ],
)
def test_a_file_in_another_encoding_is_refused_with_a_hint(
    encoding: str, message: str, tmp_path: Path
) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("[map]", "# café “quoted”\n[map]", 1)
    path = tmp_path / "m.toml"
    path.write_bytes(text.encode(encoding, errors="replace"))
    diagnostics = problems_of(path)
    if encoding.startswith("utf-16-") and not any(d.code == "AM002" for d in diagnostics):
        # ASCII in UTF-16 without a BOM is NUL bytes between characters: valid UTF-8,
        # but not TOML.
        assert [d.code for d in diagnostics] == ["AM003"]
    else:
        assert [d.code for d in diagnostics] == ["AM002"]
        assert message in diagnostics[0].message
        assert "save the file as UTF-8" in diagnostics[0].hint
    assert cli_check(path)[0] == ExitCode.INPUT_ERROR


def test_the_line_and_column_of_a_latin1_byte(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(b'[map]\ntitle = "na\xefve"\n')
    (d,) = problems_of(path)
    assert (d.code, d.position.line, d.position.column) == ("AM002", 2, 12)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    result = check([path], Config())
    assert result.graphs and not result.errors


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n\n   \n",
        b"\x00\x00\x00\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)),
        b"PK\x03\x04" + bytes(100),
        b"\xef\xbb\xbf",
        b'[map]\ntitle = "t\x00"\n',
        b"\x1b]0;pwned\x07[map]\n",
    ],
)
def test_empty_and_binary_files_are_diagnostics(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(content)
    diagnostics = problems_of(path)
    assert {d.code for d in diagnostics} <= {"AM002", "AM003", "AM103"}
    assert_clear(diagnostics, path)
    code, err = cli_check(path)
    assert code == ExitCode.INPUT_ERROR
    assert "\x1b]" not in err and "\x00" not in err


def test_a_file_truncated_anywhere_is_a_diagnostic_or_a_map(tmp_path: Path) -> None:
    data = GOOD.read_bytes() + "# é “x” 😀\n".encode()
    path = tmp_path / "m.toml"
    for end in range(0, len(data), 7):
        path.write_bytes(data[:end])
        result = check([path], Config())  # never raises
        if result.errors:
            assert_clear(list(result.errors), path)


def test_deep_nesting_is_a_diagnostic_not_a_recursion_error(tmp_path: Path) -> None:
    for opener, closer, inner in (("[", "]", ""), ("{a=", "}", "1")):
        path = tmp_path / "deep.toml"
        path.write_text(
            '[map]\ntitle = "t"\nthesis = "c"\n'
            f"tags = {opener * 5000}{inner}{closer * 5000}\n"
            '[claim.c]\ntext = "x"\n',
            encoding="utf-8",
        )
        (d,) = problems_of(path)
        assert d.code == "AM003" and "nested too deeply" in d.message
        assert d.position.line == 4
        assert cli_check(path)[0] == ExitCode.INPUT_ERROR
    (tmp_path / "argmap.toml").write_text(f"[lint]\nx = {'[' * 5000}{']' * 5000}\n")
    config, problems = load_config(tmp_path)
    assert [p.code for p in problems] == ["AM003"] and config.lint.disable == frozenset()


def ten_megabyte_map(path: Path) -> Path:
    """A good map padded with comments to just over 10 MB, the largest map file read."""
    filler = "# " + "x" * 98 + "\n"
    body = GOOD.read_text(encoding="utf-8")
    path.write_text(body + filler * (10 * 1024 * 1024 // len(filler)), encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    return path


def test_a_ten_megabyte_file_is_checked(tmp_path: Path) -> None:
    path = ten_megabyte_map(tmp_path / "big.toml")
    started = time.perf_counter()
    result = check([path], Config())
    print(f"10 MB file checked in {time.perf_counter() - started:.2f} s")
    assert result.graphs and not result.errors


def big_map(count: int) -> str:
    """A map of ``count`` statements in a tree, each text distinct, like a real one."""
    words = [
        "budget",
        "council",
        "school",
        "buses",
        "sleep",
        "teachers",
        "start",
        "money",
        "evidence",
        "town",
    ]
    lines = ['[map]\ntitle = "Big"\nthesis = "n0"\n\n[claim.n0]\ntext = "The thesis."\n']
    for n in range(1, count):
        kind = "rebuttal" if n % 7 == 0 else "claim" if n <= count // 9 + 1 else "premise"
        relation = "attacks" if kind == "rebuttal" else "supports"
        text = f"Statement {n}: the {words[n % 10]} of {words[(n * 7) % 10]} in year {1900 + n}."
        lines.append(f'[{kind}.n{n}]\ntext = "{text}"\n{relation} = "n{(n - 1) // 9}"\n')
    return "\n".join(lines)


def test_a_map_of_ten_thousand_statements_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(big_map(10_000), encoding="utf-8")
    started = time.perf_counter()
    result = check([path], Config())
    print(f"10,000 statements checked in {time.perf_counter() - started:.2f} s")
    assert not result.errors and result.graphs
    assert len(result.graphs[0].nodes) == 10_000


def varied_map(count: int, seed: int) -> str:
    """A map of ``count`` statements in a tree, with seeded random texts of 6 to 24 words
    from 3,000 made-up ones: no two alike, so nothing is reported."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvwyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(3000)]
    lines = ['[map]\ntitle = "Big"\nthesis = "n0"\n\n[claim.n0]\ntext = "The thesis."\n']
    for n in range(1, count):
        kind = "rebuttal" if n % 7 == 0 else "claim" if n <= count // 9 + 1 else "premise"
        relation = "attacks" if kind == "rebuttal" else "supports"
        text = " ".join(rng.choices(vocabulary, k=rng.randint(6, 24))).capitalize() + "."
        lines.append(f'[{kind}.n{n}]\ntext = "{text}"\n{relation} = "n{(n - 1) // 9}"\n')
    return "\n".join(lines)


# Runs a command and prints its exit code and peak RSS (KB, Linux). A small process of
# its own: Linux carries the peak RSS of the process that execs into the new program,
# so spawning from the test run would count the test run's memory too.
PEAK_RSS = """
import os, sys
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print("peak:", os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def peak_rss_of_check(path: Path) -> tuple[int, int]:
    """The exit code and the peak resident memory in MB of `argmap check path`."""
    command = [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "argmap", "check", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    code, kilobytes = result.stdout.rpartition("peak:")[2].split()
    return int(code), int(kilobytes) // 1024


# Peak RSS measured on the development machine (Python 3.11, 2026-11-25): 61 MB for
# the 10,000 statements, 43 MB for the 10 MB file (9 MB for `true`). The bounds are
# about three times that: a leak or a copy per statement would cross them.
BIG_MAP_PEAK_MB = 180
TEN_MEGABYTES_PEAK_MB = 128


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KB only on Linux")
def test_memory_stays_bounded_for_a_large_map_and_the_largest_file(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text(varied_map(10_000, seed=4), encoding="utf-8")
    code, peak = peak_rss_of_check(big)
    print(f"10,000 statements: peak RSS {peak} MB")
    assert code == ExitCode.OK
    assert peak < BIG_MAP_PEAK_MB
    code, peak = peak_rss_of_check(ten_megabyte_map(tmp_path / "ten.toml"))
    print(f"10 MB file: peak RSS {peak} MB")
    assert code == ExitCode.OK
    assert peak < TEN_MEGABYTES_PEAK_MB


# -- every wrong type for every key ------------------------------------------------------

WRONG_VALUES = {
    "a string": '"x"',
    "a number": "3",
    "a float": "0.5e400",
    "nan": "nan",
    "true/false": "true",
    "a date": "2024-01-01",
    "a date-time": "2024-01-01T10:00:00Z",
    "a time": "10:00:00",
    "a list": "[1, 2]",
    "a list of lists": "[[]]",
    "an empty list": "[]",
    "a table": "{ a = 1 }",
}

BASE = {
    "map": 'title = "t"\nthesis = "c"',
    "source": 'title = "s"',
    "claim.c": 'text = "c"',
    "premise.p": 'text = "p"',
    "rebuttal.r": 'text = "r"\nattacks = "c"',
    "reason.rs": 'premises = ["p"]\nsupports = "c"',
    "lint": "",
    "expect": "",
    "handout": "",
}
# The wrong-type cases leave out `lint.severity`, a table of codes tested on its own.
KEYS = {
    header: tuple(key for key in KNOWN_KEYS[header.partition(".")[0]] if key != "severity")
    for header in BASE
}


def wrong_type_cases() -> list[tuple[str, str, str]]:
    return [
        (table, key, value)
        for table, keys in KEYS.items()
        for key in keys
        for value in WRONG_VALUES
    ]


def test_every_wrong_type_for_every_key_is_a_clear_error_or_accepted(tmp_path: Path) -> None:
    """Generated from the loader's own key tables: each key gets every kind of TOML value.
    A value of the right type may be accepted; anything else is an error at that key."""
    accepted = []
    for n, (table, key, kind) in enumerate(wrong_type_cases()):
        body = {**BASE}
        lines = [line for line in body[table].splitlines() if not line.startswith(f"{key} =")]
        body[table] = "\n".join([*lines, f"{key} = {WRONG_VALUES[kind]}"])
        text = "".join(f"[{name}]\n{content}\n\n" for name, content in body.items())
        path = tmp_path / f"case{n}.toml"
        path.write_text(text, encoding="utf-8")
        errors = [d for d in problems_of(path) if d.severity is Severity.ERROR]
        if not errors:
            accepted.append(f"{table}.{key} = {kind}")
            continue
        assert_clear(errors, path)
        line = text.splitlines().index(f"{key} = {WRONG_VALUES[kind]}") + 1
        assert any(d.position.line == line for d in errors), (table, key, kind, errors)
    # Only values of the right type: text, lists (empty ones too), a TOML date for the
    # source's date (a date-time is a date too), and the settings' own types.
    right = ("= a string", "= an empty list", "source.date = a date", "a date-time")
    settings = ("lint.require_quotes = true/false", "lint.max_text_length = a number")
    assert all(case.endswith(right) or case in settings for case in accepted), accepted


def test_a_wrong_type_via_the_cli_exits_1_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[map]\ntitle = 3\nthesis = ["c"]\n[claim]\nc = 1\n', encoding="utf-8")
    code, err = cli_check(path)
    assert code == ExitCode.INPUT_ERROR
    assert f"{path}:2:9: error[AM102]" in err and "hint:" in err
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert {d["code"] for d in json.loads(result.stdout)["diagnostics"]} == {"AM102"}


def test_keys_of_the_schema_are_the_loaders(tmp_path: Path) -> None:
    """The wrong-type cases above cover every key the schema documents."""
    schema = json.loads((REPO / "argmap" / "model" / "schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) <= {t.split(".")[0] for t in KEYS}


# -- faults --------------------------------------------------------------------------------


def fake_dot(folder: Path, script: str) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    program = folder / "dot"
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def run_build(out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "argmap", "build", str(GOOD), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def assert_no_leftovers(folder: Path) -> None:
    """No staging or retired folder of a build is left beside the output folder."""
    names = [p.name for p in folder.iterdir()]
    assert not [n for n in names if ".tmp-" in n or ".old-" in n], names
    assert "build" in names


def site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.needs_dot
def test_a_crashing_graphviz_exits_3_and_keeps_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert run_build(out).returncode == 0
    before = site_files(out)
    for script in ("kill -SEGV $$", 'echo "Error: syntax" >&2; exit 1', "exit 0"):
        completed = run_build(out, fake_dot(tmp_path / "bin", script))
        assert completed.returncode == ExitCode.ENVIRONMENT_ERROR, completed.stderr
        assert "Traceback" not in completed.stderr and "hint:" in completed.stderr
        assert site_files(out) == before
    assert_no_leftovers(tmp_path)


@pytest.mark.needs_dot
def test_an_output_folder_that_cannot_be_written_exits_3(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way", encoding="utf-8")
    completed = run_build(blocker / "build")
    assert completed.returncode == ExitCode.ENVIRONMENT_ERROR, completed.stderr
    assert "cannot write the site" in completed.stderr and "Traceback" not in completed.stderr
    if os.geteuid() != 0:  # root ignores permissions
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            completed = run_build(folder / "build")
            assert completed.returncode == ExitCode.ENVIRONMENT_ERROR, completed.stderr
        finally:
            folder.chmod(0o700)


@pytest.mark.needs_dot
def test_ctrl_c_mid_build_exits_130_and_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert run_build(out).returncode == 0
    before = site_files(out)
    started = tmp_path / "dot-started"
    env = fake_dot(tmp_path / "bin", f'touch "{started}"\nexec sleep 30')
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "build", str(GOOD), "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Interrupt once the build waits for the slow `dot`, however loaded the machine is.
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the build never ran dot"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert site_files(out) == before
    assert_no_leftovers(tmp_path)
    assert run_build(out).returncode == 0  # the next build just works


@pytest.mark.needs_dot
def test_two_builds_at_once_each_leave_a_whole_site(tmp_path: Path) -> None:
    out = tmp_path / "build"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "argmap", "build", str(GOOD), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    files = site_files(out)
    assert {"index.html", "all-relations.html", "all-relations.svg", ".argmap-output"} <= set(files)
    assert_no_leftovers(tmp_path)


def test_dates_and_times_are_not_mistaken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        GOOD.read_text(encoding="utf-8").replace("[map]", "[source]\ndate = 2024-03-01\n\n[map]"),
        encoding="utf-8",
    )
    result = check([path], Config())
    assert not result.errors
    assert result.graphs[0].map.source.date == dt.date(2024, 3, 1).isoformat()
