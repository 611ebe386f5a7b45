"""Running Graphviz: the errors a user can meet, with fake `dot` programs where needed."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from argmap.analysis.evaluate import evaluate
from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import MapFile, check_map
from argmap.config import Config
from argmap.diagnostics import SetupError
from argmap.render import layout
from argmap.render.dot import to_dot
from argmap.render.layout import (
    DotRunner,
    GraphvizError,
    GraphvizNotFoundError,
    render,
    render_svg,
    render_svgs,
    start_svgs,
)
from tests.conftest import FIXTURES, SEED_MAP
from tests.test_reproducible import map_with_sections

MAPS = [SEED_MAP, *sorted((FIXTURES / "valid").glob("*.toml"))]


def graph_of(path: Path) -> ArgumentGraph:
    graph = check_map(MapFile(path, path.stem, path.parent), Config()).graph
    assert graph is not None
    return graph


def fake_dot(folder: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    program = folder / "dot"
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))


def counting_real_dot(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """The real `dot` behind a fake that logs each run; returns how many runs so far."""
    real = shutil.which("dot")
    log = folder / "runs"
    fake_dot(folder, f'echo run >> "{log}"\nexec "{real}" "$@"', monkeypatch)
    return lambda: len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def test_missing_graphviz_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFoundError) as caught:
        render_svg("digraph { a }")
    assert "apt-get install graphviz" in caught.value.hint
    assert isinstance(caught.value, SetupError) and isinstance(caught.value, OSError)


def test_a_crashing_graphviz_is_reported_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, 'echo "Error: out of memory" >&2; exit 2', monkeypatch)
    with pytest.raises(GraphvizError, match=r"failed on my map \(exit 2\): Error: out of memory"):
        render_svg("digraph { a }", name="my map")


def test_a_slow_graphviz_times_out_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, f"exec {shutil.which('sleep')} 10", monkeypatch)
    with pytest.raises(GraphvizError, match=r"longer than 0\.2 s") as caught:
        render_svg("digraph { a }", timeout=0.2)
    assert "--timeout" in caught.value.hint


@pytest.mark.needs_dot
def test_real_graphviz_returns_svg() -> None:
    assert os.environ.get("PATH")
    svg = render_svg('digraph { a [label="é"] }')
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "é" in svg


def test_a_graphviz_that_prints_nothing_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, "exit 0", monkeypatch)
    with pytest.raises(GraphvizError, match="produced no output"):
        render_svg("digraph { a }")


@pytest.mark.needs_dot
@pytest.mark.parametrize(("output_format", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_render_gives_binary_formats(output_format: str, magic: bytes) -> None:
    assert render("digraph { a -> b }", output_format).startswith(magic)


def test_render_refuses_formats_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="unknown Graphviz output format"):
        render("digraph { a }", "ps:cairo")


# -- several graphs in one run (a map's plain and evaluated diagram) ------------------------

TWO = ['digraph argmap { a [label="first"] }', 'digraph argmap { b [label="second é"] }']


@pytest.mark.needs_dot
def test_one_run_gives_each_graph_exactly_what_a_run_of_its_own_gives() -> None:
    assert render_svgs(TWO) == [render_svg(TWO[0]), render_svg(TWO[1])]
    assert render_svgs(TWO[:1]) == [render_svg(TWO[0])]
    assert render_svgs([]) == []


@pytest.mark.needs_dot
def test_both_diagrams_take_one_graphviz_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = counting_real_dot(tmp_path, monkeypatch)
    svgs = render_svgs(TWO, name="my map")
    assert [("first" in svg, "second é" in svg) for svg in svgs] == [(True, False), (False, True)]
    assert runs() == 1


def test_a_graphviz_that_draws_too_few_graphs_is_an_error_naming_the_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, "cat >/dev/null; echo '<?xml version=\"1.0\"?><svg></svg>'", monkeypatch)
    with pytest.raises(GraphvizError, match=r"1 SVG documents for the 2 diagrams of my map"):
        render_svgs(TWO, name="my map")


def test_a_slow_run_of_several_graphs_times_out_naming_the_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, f"exec {shutil.which('sleep')} 10", monkeypatch)
    with pytest.raises(GraphvizError, match=r"longer than 0\.2 s to lay out my map"):
        render_svgs(TWO, timeout=0.2, name="my map")


def test_a_failing_run_of_several_graphs_names_the_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dot(tmp_path, 'echo "Error: syntax error in line 2" >&2; exit 1', monkeypatch)
    with pytest.raises(GraphvizError, match=r"failed on my map \(exit 1\): Error: syntax"):
        render_svgs(TWO, name="my map")


# -- started layouts: Graphviz works while the caller goes on -------------------------------


@pytest.mark.needs_dot
def test_a_started_layout_lets_the_caller_work_until_it_asks_for_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This dot waits for a file that only the caller writes, after start_svgs returned:
    # had start_svgs waited for dot, dot would give up and the layout fail.
    real, go, sleep = shutil.which("dot"), tmp_path / "go", shutil.which("sleep")
    script = (
        f'i=0; while [ $i -lt 100 ]; do [ -e "{go}" ] && exec "{real}" "$@"; '
        f"{sleep} 0.05; i=$((i+1)); done; exit 1"
    )
    fake_dot(tmp_path, script, monkeypatch)
    pending = start_svgs(TWO, name="my map")
    go.write_text("", encoding="utf-8")  # the caller's own work
    assert pending.result() == [render_svg(TWO[0]), render_svg(TWO[1])]


def test_a_cancelled_layout_stops_graphviz_and_leaves_no_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pid"
    fake_dot(tmp_path, f'echo $$ > "{pid_file}"; exec {shutil.which("sleep")} 30', monkeypatch)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    pending = start_svgs(TWO)
    folders = set(temporary.glob("argmap-dot-*"))
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text(encoding="utf-8").strip():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pid = int(pid_file.read_text(encoding="utf-8"))
    assert len(folders) == 1 and all(folder.is_dir() for folder in folders)
    pending.cancel()
    with pytest.raises(ProcessLookupError):  # killed and waited for
        os.kill(pid, 0)
    assert not any(folder.exists() for folder in folders)


def test_a_failed_layout_leaves_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path, 'echo "Error: syntax" >&2; exit 1', monkeypatch)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    pending = start_svgs(TWO)
    assert len(list(temporary.glob("argmap-dot-*"))) == 1
    with pytest.raises(GraphvizError, match="Error: syntax"):
        pending.result()
    assert list(temporary.iterdir()) == []


# -- one running dot for a whole build (DotRunner) -----------------------------------------


@pytest.fixture
def runner() -> Iterator[DotRunner]:
    """One running dot for the test."""
    with DotRunner() as running:
        yield running


def the_running_dot(runner: DotRunner) -> subprocess.Popen[bytes]:
    process = runner.process
    assert process is not None
    return process


@pytest.mark.needs_dot
def test_the_running_dot_gives_each_graph_what_a_run_of_its_own_gives(runner: DotRunner) -> None:
    graphs = [graph_of(path) for path in MAPS]
    sources = [to_dot(graph, "m.html") for graph in graphs]
    sources += [to_dot(graph, "m.html", evaluate(graph)) for graph in graphs]
    alone = [render_svg(source) for source in sources]
    pairs = [sources[i : i + 2] for i in range(0, len(sources), 2)]
    served = [render_svgs(pair, runner=runner) for pair in pairs]
    assert [svg for pair in served for svg in pair] == alone
    assert render_svgs(TWO, runner=runner) == [render_svg(TWO[0]), render_svg(TWO[1])]


def maps_with_sections(folder: Path, count: int) -> list[str]:
    """Both diagrams' DOT of ``count`` generated maps whose statements lie in sections."""
    sources = []
    for seed in range(count):
        path = folder / f"sections-{seed}.toml"
        path.write_text(map_with_sections(seed), encoding="utf-8")
        graph = graph_of(path)
        sources += [to_dot(graph, "m.html"), to_dot(graph, "m.html", evaluate(graph))]
    assert all("subgraph cluster_2" in source for source in sources)
    return sources


@pytest.mark.needs_dot
def test_maps_with_sections_give_what_a_run_of_their_own_gives_whatever_came_before(
    tmp_path: Path, runner: DotRunner
) -> None:
    # Graphviz 2.43 orders a graph's frames by where their names lie in its memory: a
    # dot that had drawn other graphs before gave other SVGs (issue 15).
    sources = maps_with_sections(tmp_path, 6)
    alone = [render_svg(source) for source in sources]
    for _ in range(2):  # the second time, after every one of them
        pairs = [sources[i : i + 2] for i in range(0, len(sources), 2)]
        served = [render_svgs(pair, runner=runner) for pair in pairs]
        assert [svg for pair in served for svg in pair] == alone
    # Without a runner too: the evaluated diagram is not drawn after the plain one.
    assert render_svgs(sources[:2]) == alone[:2]


@pytest.mark.needs_dot
def test_a_graph_with_a_subgraph_gets_a_dot_of_its_own_the_others_share_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: DotRunner
) -> None:
    sections = maps_with_sections(tmp_path, 1)
    runs = counting_real_dot(tmp_path, monkeypatch)
    render_svgs(TWO, runner=runner)
    render_svgs(sections, runner=runner)
    render_svgs(TWO, runner=runner)
    render_svg("digraph { a -> { b c } }", runner=runner)  # an unnamed subgraph counts too
    assert runs() == 1 + 2 + 1
    assert not layout._has_subgraph('digraph argmap { a [label="}"] }')
    assert layout._has_subgraph("digraph argmap { subgraph cluster_1 { a } }")
    assert layout._has_subgraph('digraph { a [label="{"] }')  # only a start-up more


@pytest.mark.needs_dot
def test_one_dot_serves_every_map_until_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = counting_real_dot(tmp_path, monkeypatch)
    with DotRunner() as runner:
        for _ in range(3):
            render_svgs(TWO, runner=runner)
        render_svg(TWO[0], runner=runner)  # a handout's diagram too
        process = the_running_dot(runner)
        assert process.poll() is None
    assert runs() == 1
    assert process.poll() == 0  # its input closed, it ended on its own, and was waited for
    assert runner.process is None
    render_svg(TWO[0])  # without the runner: a run of its own
    assert runs() == 2


def test_a_running_dot_that_is_slow_times_out_naming_the_map_and_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: DotRunner
) -> None:
    fake_dot(tmp_path, f"exec {shutil.which('sleep')} 30", monkeypatch)
    pending = start_svgs(TWO, timeout=0.2, name="my map", runner=runner)
    process = the_running_dot(runner)
    with pytest.raises(GraphvizError, match=r"longer than 0\.2 s to lay out my map"):
        pending.result()
    assert process.poll() is not None


def test_when_the_running_dot_fails_the_map_gets_a_run_of_its_own_that_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: DotRunner
) -> None:
    log = tmp_path / "runs"
    fake_dot(tmp_path, f'echo run >> "{log}"; echo "Error: syntax" >&2; exit 1', monkeypatch)
    with pytest.raises(GraphvizError, match=r"failed on my map \(exit 1\): Error: syntax"):
        render_svgs(TWO, name="my map", runner=runner)
    assert log.read_text(encoding="utf-8").splitlines() == ["run", "run"]


@pytest.mark.needs_dot
def test_a_map_after_a_failed_one_gets_a_new_running_dot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: DotRunner
) -> None:
    fake_dot(tmp_path, "exit 1", monkeypatch)
    with pytest.raises(GraphvizError):
        render_svgs(TWO, runner=runner)
    monkeypatch.setenv("PATH", str(Path(str(shutil.which("dot", path=os.defpath))).parent))
    assert render_svgs(TWO, runner=runner) == [render_svg(TWO[0]), render_svg(TWO[1])]


def test_what_a_running_dot_wrote_after_a_map_never_becomes_the_next_maps_diagram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: DotRunner
) -> None:
    svg = '<?xml version=\\"1.0\\"?><svg>{}</svg>'
    cat, sleep, head = shutil.which("cat"), shutil.which("sleep"), shutil.which("head")
    script = (  # after the map's first byte: a dot that wrote before it is not used
        f'{head} -c 1 >/dev/null; printf "{svg.format("first")}\\n"; {sleep} 0.2; '
        f'printf "{svg.format("stray")}\\n"; {cat} >/dev/null'
    )
    fake_dot(tmp_path, script, monkeypatch)
    # (Had both documents come in one read, this map would be the error, "2 SVG
    # documents for the 1 diagrams"; the pause makes the stray one come later.)
    assert "first" in render_svg(TWO[0], name="my map", runner=runner)
    process = the_running_dot(runner)
    assert process.stdout is not None
    readable = select.poll()
    readable.register(process.stdout.fileno(), select.POLLIN)
    deadline = time.monotonic() + 30
    while not readable.poll(50):  # until the stray one is there
        assert time.monotonic() < deadline
    again = render_svg(TWO[1], name="my map", runner=runner)  # a dot of its own, not the stray
    assert again.startswith('<?xml version="1.0"?><svg>first</svg>')
    assert process.poll() is not None


@pytest.mark.needs_dot
def test_a_cancelled_map_kills_the_running_dot_and_the_next_map_starts_another(
    runner: DotRunner,
) -> None:
    pending = start_svgs(TWO, runner=runner)
    process = the_running_dot(runner)
    pending.cancel()
    assert process.poll() is not None
    assert render_svgs(TWO, runner=runner) == [render_svg(TWO[0]), render_svg(TWO[1])]
    assert the_running_dot(runner) is not process


@pytest.mark.needs_dot
def test_a_map_too_large_for_the_pipe_gets_a_run_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "_PIPE_SIZE", 4096)  # the smallest pipe Linux makes
    runs = counting_real_dot(tmp_path, monkeypatch)
    with DotRunner() as runner:
        render_svg(TWO[0], runner=runner)
        process = the_running_dot(runner)
        large = TWO[0].replace("first", "first, and longer" * 300)
        assert render_svg(large, runner=runner).count("<svg") == 1
        assert runs() == 2 and process.poll() is None  # kept for the next map
        render_svg(TWO[0], runner=runner)
        assert runs() == 2 and the_running_dot(runner) is process


@pytest.mark.needs_dot
def test_a_forked_process_starts_its_own_dot_and_leaves_the_parents_alone(
    runner: DotRunner,
) -> None:
    render_svg(TWO[0], runner=runner)
    parents = the_running_dot(runner)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's exit code is the assertion
        try:
            ok = "first" in render_svg(TWO[0], runner=runner)
            ok = ok and the_running_dot(runner) is not parents
            runner.close()
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert parents.poll() is None  # the parent's dot was neither killed nor ended
    assert render_svg(TWO[0], runner=runner) and the_running_dot(runner) is parents
