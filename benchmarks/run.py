"""argmap against Argdown and Graphviz's own floor, side by side, in one invocation.

    .venv/bin/python benchmarks/run.py [--runs 7] [--profile] [--cprofile] [--quality]
                                       [--variants] [--groups startup,seed,...]

Inputs: the seed map and the seeded maps of benchmarks/generate.py (30, 500 and 5,000
nodes; a site of 200 maps of 30 nodes), written to benchmarks/.work/inputs/. For each
map the harness also writes argmap's own DOT (plain and evaluated diagram) and the
map's Argdown (argmap's Argdown export) to benchmarks/.work/prepared/. Argdown's CLI is
installed with npm into benchmarks/.tools/ when missing (or given with --argdown).

Every command runs in a fresh process, started by a small helper process (see
``_SPAWNER``: Linux keeps a process's peak RSS across exec, so children of this harness
would inherit its size). Within a group (one map) the commands alternate (A, B, C,
then B, C, A, ...), so a change in the machine's load hits all of them alike; each
group starts with one untimed warm-up round (not the 5,000-node map). For every
command: median, minimum and maximum wall time, the median CPU time (user + system of
the process and the children it waited for: less sensitive to other load than wall
time) and the peak RSS (``ru_maxrss`` from ``os.wait4``: the largest single process
among the command and its children, e.g. Python or ``dot``). Ratios are medians over
medians, with the range of the per-round ratios (A and B of one round ran next to
each other) beside them.

``--profile`` times argmap's own work per stage in-process, by wrapping the pipeline's
stage functions (argmap's code is not changed; Graphviz's output is served from
benchmarks/.work/layout-cache/, filled by the floor runs); ``--cprofile`` adds the
functions that take most time; ``--quality`` measures the diagrams of the 500- and
5,000-node maps (size and font size at 100% zoom, aspect ratio, edge crossings) and
takes screenshots; ``--variants`` runs raw ``dot`` on the 500-node map with other
Graphviz settings. Results go to benchmarks/.work/results/ (``last.md``, ``last.json``,
diagrams, screenshots, cProfile files). No target here is a test: the figures are
recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import importlib
import inspect
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

WORK = HERE / ".work"
INPUTS = WORK / "inputs"
PREPARED = WORK / "prepared"
RESULTS = WORK / "results"
TOOLS = HERE / ".tools"  # npm installs @argdown/cli here (git-ignored)
ARGDOWN_VERSION = "1.7.5"
SEED = REPO / "arguments" / "russia-resets.toml"
ARGMAP = [sys.executable, "-m", "argmap"]
SCREENSHOT = REPO.parent / "shared" / "tools" / "screenshot"
MAPS = ("seed", "gen-30", "gen-500", "gen-5000")
LARGE = "gen-5000"


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kb: int


@dataclass
class Case:
    key: str
    label: str
    commands: Callable[[Path], list[list[str]]]  # run in sequence; given a fresh folder
    # run first, in the same folder, and not measured (a cold build before a rebuild)
    setup: Callable[[Path], list[list[str]]] | None = None
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None
    last_folder: Path | None = None

    def median(self, what: str = "wall") -> float | None:
        if not self.samples:
            return None
        return float(statistics.median(float(getattr(s, what)) for s in self.samples))

    def peak_mb(self) -> float | None:
        return max(s.rss_kb for s in self.samples) / 1024 if self.samples else None


# Linux keeps a process's peak RSS across exec: a child forked from this harness (which
# has argmap imported) would report at least the harness's own peak. So every command
# is started by a small helper process with nothing imported, whose children start
# from its few megabytes; "RSS floor" in the header is what it reports for `true`.
_SPAWNER = r"""
import json, os, signal, sys, time
child = 0
def stop(signum, _frame):  # the harness is stopped: stop the command too
    if child:
        try:
            os.killpg(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os._exit(128 + signum)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGHUP, stop)
for line in sys.stdin:
    job = json.loads(line)
    log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null = os.open(os.devnull, os.O_RDWR)
    started = time.perf_counter()
    pid = child = os.fork()
    if pid == 0:
        try:
            os.setsid()
            os.chdir(job["cwd"])
            os.dup2(null, 0); os.dup2(null, 1); os.dup2(log, 2)
            os.execvp(job["command"][0], job["command"])
        finally:
            os._exit(127)
    os.close(log); os.close(null)
    def kill(*_):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, job["timeout"])
    _, status, usage = os.wait4(pid, 0)
    child = 0
    signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = time.perf_counter() - started
    print(json.dumps({"wall": elapsed, "cpu": usage.ru_utime + usage.ru_stime,
                      "rss_kb": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status),
                      "timed_out": elapsed >= job["timeout"]}), flush=True)
"""


class Spawner:
    """Runs commands in fresh processes and reports wall time, CPU time and peak RSS."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _SPAWNER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self, command: list[str], timeout: float, log: Path, cwd: Path = REPO
    ) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        job = {"command": command, "cwd": str(cwd), "log": str(log), "timeout": timeout}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()

    def stop(self) -> None:
        """Stop the helper and the command it runs (it kills that on SIGTERM)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


SPAWNER: Spawner | None = None


def run_commands(commands: list[list[str]], timeout: float, log: Path) -> Sample | str:
    """Run the commands one after the other; a Sample, or why it failed."""
    assert SPAWNER is not None
    wall = cpu = 0.0
    rss = 0
    for command in commands:
        done = SPAWNER.run(command, timeout, log)
        if done["timed_out"]:
            return f"timed out after {timeout:g} s"
        if done["code"] != 0:
            tail = log.read_text("utf-8", "replace").strip().splitlines()[-3:]
            return f"exit {done['code']}: {' | '.join(tail)[:300]}"
        wall += done["wall"]
        cpu += done["cpu"]
        rss = max(rss, done["rss_kb"])
    return Sample(wall, cpu, rss)


def run_group(
    name: str, cases: list[Case], runs: int, warmup: bool, timeout: float, scratch: Path
) -> None:
    """Alternate the cases for ``runs`` rounds (after an optional warm-up round)."""
    rounds = ([-1] if warmup else []) + list(range(runs))
    for round_no in rounds:
        shift = max(round_no, 0) % len(cases)
        for case in cases[shift:] + cases[:shift]:
            if case.failure:
                continue
            folder = scratch / name / case.key / f"run{round_no + 1}"
            folder.mkdir(parents=True, exist_ok=True)
            result: Sample | str | None = None
            if case.setup is not None:
                prepared = run_commands(case.setup(folder), timeout, folder / "setup.log")
                if isinstance(prepared, str):
                    result = f"setup: {prepared}"
            if result is None:
                result = run_commands(case.commands(folder), timeout, folder / "stderr.log")
            if isinstance(result, str):
                case.failure = result
                print(f"  {case.label}: {result}", flush=True)
            elif round_no >= 0:
                case.samples.append(result)
                case.last_folder = folder
        if round_no >= 0:
            done = ", ".join(
                f"{c.key} {c.samples[-1].wall:.2f}s" for c in cases if c.samples and not c.failure
            )
            print(f"  [{name} round {round_no + 1}/{runs}] {done}", flush=True)


# --------------------------------------------------------------------------- inputs


def file_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def argmap_source_hash() -> str:
    return file_hash(*sorted((REPO / "argmap").rglob("*.py")))


@dataclass
class Prepared:
    name: str
    toml: Path
    dot: Path  # the plain diagram
    evaluated_dot: Path
    argdown: Path
    nodes: int
    relations: int


def prepare(name: str, toml: Path) -> Prepared:
    """argmap's DOT (both diagrams) and Argdown export of a map, cached by content."""
    key = f"{name}-{file_hash(toml)}-{argmap_source_hash()}"
    folder = PREPARED / key
    meta = folder / "meta.json"
    if not meta.is_file():
        from argmap.analysis.evaluate import evaluate
        from argmap.build.pipeline import check
        from argmap.interop import export
        from argmap.render.dot import to_dot

        started = time.perf_counter()
        result = check([toml])
        if result.errors or len(result.graphs) != 1:
            raise SystemExit(f"{toml} does not pass argmap check")
        (graph,) = result.graphs
        folder.mkdir(parents=True, exist_ok=True)
        page = f"{graph.map.slug}.html"
        (folder / "plain.dot").write_text(to_dot(graph, page), "utf-8")
        (folder / "evaluated.dot").write_text(to_dot(graph, page, evaluate(graph)), "utf-8")
        argdown = export(graph, "argdown")
        assert isinstance(argdown, str)
        (folder / f"{name}.argdown").write_text(argdown, "utf-8")
        nodes = len(graph.nodes)
        relations = sum(len(r.premises) for r in graph.map.reasons) + len(graph.map.attacks)
        meta.write_text(json.dumps({"nodes": nodes, "relations": relations}), "utf-8")
        print(f"  prepared {name} in {time.perf_counter() - started:.1f} s", flush=True)
    data = json.loads(meta.read_text("utf-8"))
    return Prepared(
        name,
        toml,
        folder / "plain.dot",
        folder / "evaluated.dot",
        folder / f"{name}.argdown",
        data["nodes"],
        data["relations"],
    )


def find_argdown(given: str | None, install: bool) -> tuple[list[str] | None, str]:
    """The Argdown CLI to run, installing it into benchmarks/.tools/ when missing."""
    if given:
        return [given], f"{given} (given)"
    local = TOOLS / "node_modules" / ".bin" / "argdown"
    if not local.exists() and install:
        npm = shutil.which("npm")
        if npm is None:
            return None, "skipped: npm is not on PATH (install Node 20 with npm, or --argdown PATH)"
        print(f"  installing @argdown/cli {ARGDOWN_VERSION} into {TOOLS} with npm ...", flush=True)
        TOOLS.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(TOOLS),
                "--no-audit",
                "--no-fund",
                f"@argdown/cli@{ARGDOWN_VERSION}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return None, f"skipped: npm install failed: {done.stderr.strip()[-300:]}"
    if not local.exists():
        return None, "skipped: @argdown/cli is not installed (run without --no-install)"
    return [str(local)], str(local.relative_to(REPO))


# --------------------------------------------------------------------------- profile

# Stage -> the functions whose time counts for it (module, attribute). Time is counted
# exclusively: a wrapped function called inside another counts for its own stage only.
# The pipeline imports the rendering functions inside build(), so they are wrapped on
# their modules; the checking functions are wrapped where argmap.build.check looks them up.
STAGES: dict[str, list[tuple[str, str]]] = {
    "load": [
        ("argmap.build.check", "load_map_partially"),
        ("argmap.build.pipeline", "load_config"),
    ],
    "validate": [
        ("argmap.build.check", "find_problems"),
        ("argmap.build.check", "check_quotes"),
    ],
    "lint": [("argmap.build.check", "lint_map")],
    "graph": [("argmap.build.check", "build_graph")],
    "evaluate": [
        ("argmap.build.check", "verdict_problems"),
        ("argmap.analysis.evaluate", "evaluate"),
    ],
    "dot": [("argmap.render.dot", "to_dot"), ("argmap.render.dot", "node_tooltips")],
    "layout": [
        ("argmap.render.layout", "render"),
        ("argmap.render.layout", "render_svg"),
        ("argmap.render.layout", "render_svgs"),
        ("argmap.render.layout", "start_svgs"),
        ("argmap.render.layout", "PendingSvgs.result"),
    ],
    "svg": [("argmap.render.svg", "finish_svg")],
    # A page is rendered as its file is written (Jinja's chunks go straight to the
    # file), so rendering and writing are one stage.
    "page+write": [
        ("argmap.render.site", "render_site"),
        ("argmap.render.site", "SiteRenderer.map_page"),
        ("argmap.render.site", "SiteRenderer.site_files"),
        ("argmap.output", "write_file"),
        ("argmap.output", "SiteWriter.write"),
        ("argmap.output", "SiteWriter.finish"),
        ("argmap.output", "check_output_folder"),
    ],
}


class StageTimer:
    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.local = threading.local()

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not threading.main_thread():
                # argmap's own threads (two `dot` runs at once) work inside a stage
                # timed on the main thread: counting them too would count it twice.
                return function(*args, **kwargs)
            stack: list[float] = self.local.__dict__.setdefault("stack", [])
            stack.append(0.0)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = stack.pop()
                self.totals[stage] += elapsed - inner
                if stack:
                    stack[-1] += elapsed

        return timed

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        saved: list[tuple[Any, str, Any]] = []
        for stage, places in STAGES.items():
            for module_name, attribute in places:
                owner: Any = importlib.import_module(module_name)
                *path, name = attribute.split(".")  # "Class.method" wraps on the class
                for part in path:
                    owner = getattr(owner, part, None)
                original = getattr(owner, name, None)
                if original is None:  # the pipeline changed: the stage is shown as 0
                    continue
                saved.append((owner, name, original))
                setattr(owner, name, self.wrap(stage, original))
        try:
            yield
        finally:
            for module, attribute, original in saved:
                setattr(module, attribute, original)


LAYOUT_CACHE = WORK / "layout-cache"


def layout_key(source: str, output_format: str) -> Path:
    digest = hashlib.sha256(f"{output_format}\0{source}".encode("utf-8", "surrogatepass"))
    return LAYOUT_CACHE / f"{digest.hexdigest()}.{output_format}"


def remember_layouts(prepared: Prepared, case: Case | None) -> None:
    """File the floor's SVGs under their DOT source, for --profile to reuse."""
    if case is None or case.last_folder is None:
        return
    sources, outputs = [], []
    for dot_file, svg in ((prepared.dot, "plain.svg"), (prepared.evaluated_dot, "evaluated.svg")):
        made = case.last_folder / svg
        if made.is_file():
            sources.append(dot_file.read_text("utf-8"))
            outputs.append(made.read_bytes())
            target = layout_key(sources[-1], "svg")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(made, target)
    if len(sources) == 2:
        # A build lays out both diagrams in one dot run (layout.render_svgs): its input
        # is the two sources joined, its output the two documents one after the other.
        layout_key("\n".join(sources), "svg").write_bytes(b"".join(outputs))


@contextlib.contextmanager
def cached_layouts() -> Iterator[None]:
    """Serve Graphviz's output from benchmarks/.work/layout-cache/ (filled on a miss).

    The profile is about argmap's own work; Graphviz's time is what the groups measure.
    Without this, every profiled build of the 5,000-node map would wait minutes for dot.
    """
    from argmap.render import layout

    original, original_start = layout.render, layout.start_svgs

    def render(dot_source: str, output_format: str, **options: Any) -> bytes:
        path = layout_key(dot_source, output_format)
        if path.is_file():
            return path.read_bytes()
        data: bytes = original(dot_source, output_format, **options)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    class Stored:
        """A started layout whose output was on file already."""

        def __init__(self, sources: list[str], name: str) -> None:
            self.sources, self.name = sources, name

        def result(self) -> list[str]:
            data = render("\n".join(self.sources), "svg")
            svgs: list[str] = layout._split_svgs(data, len(self.sources), self.name)
            return svgs

        def cancel(self) -> None:
            pass

    def start_svgs(dot_sources: list[str], **options: Any) -> Any:
        if layout_key("\n".join(dot_sources), "svg").is_file():
            return Stored(list(dot_sources), options.get("name", "map"))
        pending = original_start(dot_sources, **options)
        finish = pending.result

        def result() -> list[str]:
            svgs: list[str] = finish()
            path = layout_key("\n".join(dot_sources), "svg")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"".join(svg.encode("utf-8") for svg in svgs))
            return svgs

        pending.result = result
        return pending

    layout.render, layout.start_svgs = render, start_svgs
    try:
        yield
    finally:
        layout.render, layout.start_svgs = original, original_start


def profiled_build(paths: list[Path], scratch: Path, cprofile: Path | None) -> dict[str, float]:
    """One in-process ``pipeline.build`` (one job, no render cache): seconds per stage."""
    from argmap.build import pipeline

    accepted = inspect.signature(pipeline.build).parameters
    options: dict[str, Any] = {}
    if "jobs" in accepted:
        options["jobs"] = 1
    if "cache" in accepted:
        options["cache"] = False
    if "timeout" in accepted:
        options["timeout"] = 7200.0  # on a cache miss, the 5,000-node map takes minutes
    out = Path(tempfile.mkdtemp(dir=scratch)) / "build"
    timer = StageTimer()
    profiler = None
    if cprofile is not None:
        import cProfile

        profiler = cProfile.Profile()
    with cached_layouts(), timer.installed():
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        pipeline.build(paths, out, REPO / "templates", **options)
        if profiler is not None:
            profiler.disable()
        total = time.perf_counter() - started
    if profiler is not None and cprofile is not None:
        profiler.dump_stats(cprofile)
    shutil.rmtree(out.parent, ignore_errors=True)
    stages = {stage: timer.totals.get(stage, 0.0) for stage in STAGES}
    stages["other"] = total - sum(stages.values())
    stages["total"] = total
    stages["python"] = total - stages["layout"]
    return stages


def run_profile(
    inputs: dict[str, list[Path]], runs: int, large_runs: int, scratch: Path, cprofile: bool
) -> dict[str, dict[str, list[float]]]:
    os.chdir(REPO)  # as the CLI runs: argmap.toml and templates/ of the repository
    results: dict[str, dict[str, list[float]]] = {}
    profiled_build([SEED], scratch, None)  # warm-up: imports and file cache
    for name, paths in inputs.items():
        count = large_runs if name == LARGE else runs
        per_stage: dict[str, list[float]] = defaultdict(list)
        for _ in range(count):
            for stage, seconds in profiled_build(paths, scratch, None).items():
                per_stage[stage].append(seconds)
        results[name] = dict(per_stage)
        total = statistics.median(per_stage["total"])
        python = statistics.median(per_stage["python"])
        print(f"  profile {name}: total {total:.2f} s, Python side {python:.2f} s", flush=True)
        if cprofile:
            RESULTS.mkdir(parents=True, exist_ok=True)
            target = RESULTS / f"{name}.prof"
            profiled_build(paths, scratch, target)
            print_top_functions(name, target)
    return results


def print_top_functions(name: str, path: Path, count: int = 10) -> None:
    """The functions with most time of their own, and argmap's with most time in all."""
    import pstats

    stats = pstats.Stats(str(path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]

    def where(filename: str, line: int, function: str) -> str:
        short = filename.replace(str(REPO) + "/", "").replace(sys.prefix + "/", "")
        return f"{short}:{line} {function}"

    print(f"  cProfile {name} ({path.relative_to(REPO)}): own time")
    for (filename, line, function), (_, calls, own, cumulative, _) in sorted(
        raw.items(), key=lambda item: item[1][2], reverse=True
    )[:count]:
        print(
            f"    {own:7.3f} s own {cumulative:7.3f} s in all {calls:9d}x "
            f"{where(filename, line, function)}"
        )
    print(f"  cProfile {name}: argmap's functions by time in all")
    ours = [item for item in raw.items() if "/argmap/" in item[0][0]]
    for (filename, line, function), (_, calls, own, cumulative, _) in sorted(
        ours, key=lambda item: item[1][3], reverse=True
    )[:count]:
        print(
            f"    {cumulative:7.3f} s in all {own:7.3f} s own {calls:9d}x "
            f"{where(filename, line, function)}"
        )


# --------------------------------------------------------------------------- quality

SVG_NS = "{http://www.w3.org/2000/svg}"
PX_PER_PT = 96 / 72


def svg_metrics(path: Path) -> dict[str, Any]:
    """Size, aspect ratio and the font sizes as shown at 100% zoom (CSS px)."""
    root = ET.parse(path).getroot()
    width, height = (_points(root.get(k, "0")) for k in ("width", "height"))
    box = [float(v) for v in (root.get("viewBox") or f"0 0 {width} {height}").split()]
    user_to_pt = width / box[2] if box[2] else 1.0
    graph = root.find(f"{SVG_NS}g")
    scale = 1.0
    if graph is not None:
        match = re.search(r"scale\(([\d.]+)", graph.get("transform", ""))
        scale = float(match.group(1)) if match else 1.0
    declared = [float(t.get("font-size", "0")) for t in root.iter(f"{SVG_NS}text")]
    shown = sorted(size * scale * user_to_pt * PX_PER_PT for size in declared if size)
    return {
        "width_px": round(width * PX_PER_PT),
        "height_px": round(height * PX_PER_PT),
        "aspect": round(width / height, 2) if height else None,
        "scale": round(scale * user_to_pt, 3),  # 1.0: drawn at the size the DOT asks for
        "declared_pt": sorted(set(declared)),
        "font_px_min": round(shown[0], 1) if shown else None,
        "font_px_median": round(statistics.median(shown), 1) if shown else None,
    }


def _points(value: str) -> float:
    number = re.match(r"[\d.]+", value)
    factor = {"px": 0.75, "in": 72.0, "cm": 72 / 2.54}.get(value.lstrip("0123456789.") or "pt", 1)
    return float(number.group(0)) * factor if number else 0.0


def crossings(dot_file: Path, timeout: float, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Edge crossings as Graphviz's mincross reports them (``dot -v``), and its phases."""
    try:
        done = subprocess.run(
            ["dot", "-v", *extra, "-Tsvg", str(dot_file), "-o", os.devnull],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"crossings": None, "note": f"dot -v timed out after {timeout:g} s"}
    return parse_verbose(done.stderr)


def parse_verbose(log: str) -> dict[str, Any]:
    """What ``dot -v`` says about the last layout in ``log``: crossings, ranks, phases."""
    log = log.rsplit("Using layout: dot:dot_layout", 1)[-1]
    found = re.findall(r"^mincross \S+: (\d+) crossings, ([\d.]+) secs", log, re.M)
    simplex = re.findall(
        r"^network simplex: +(\d+) nodes (\d+) edges \d+ iter ([\d.]+) sec", log, re.M
    )
    splines = re.findall(r"^routesplines: .*? ([\d.]+) sec", log, re.M)
    ranks = re.findall(r"^Maxrank = (\d+)", log, re.M)
    return {
        "crossings": int(found[-1][0]) if found else None,
        "ranks": int(ranks[-1]) + 1 if ranks else None,
        "phases_s": {
            "rank": float(simplex[0][2]) if simplex else None,
            "mincross": sum(float(t) for _, t in found),
            "position": sum(float(t) for _, _, t in simplex[1:]),
            "position graph": f"{simplex[-1][0]} nodes, {simplex[-1][1]} edges" if simplex else "",
            "splines": sum(float(t) for t in splines),
        },
    }


def screenshot(page: Path, png: Path) -> str:
    """A 1600 x 1200 screenshot in headless Chromium (../shared/tools/screenshot)."""
    if not SCREENSHOT.exists():
        return "no screenshot tool"
    done = subprocess.run(
        [str(SCREENSHOT), str(page), str(png), "1600x1200"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return str(png.resolve().relative_to(REPO)) if done.returncode == 0 else done.stderr.strip()


def screenshots(svg: Path) -> dict[str, str]:
    """The SVG opened at 100% (its top left corner, what a reader sees first), the
    thesis and its surroundings at 100%, and the whole diagram shrunk to 1600 px wide."""
    shots = {"100%": screenshot(svg, svg.with_suffix(".png"))}
    text = svg.read_text("utf-8")
    thesis = re.search(r'<text [^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*>C1 · THESIS', text)
    move = re.search(r'class="graph" transform="[^"]*translate\(([-\d.]+) ([-\d.]+)\)', text)
    metrics = svg_metrics(svg)
    pages = {"overview": f'<img src="{svg.name}" style="width:1600px;height:auto">'}
    box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', text)
    if thesis and move and box:
        to_px = metrics["width_px"] / float(box.group(1))
        x = (float(thesis.group(1)) + float(move.group(1))) * to_px
        y = (float(thesis.group(2)) + float(move.group(2))) * to_px
        pages["thesis"] = (
            f'<img src="{svg.name}" style="position:absolute;'
            f'left:{800 - x:.0f}px;top:{min(0.0, 200 - y):.0f}px">'
        )
    for name, body in pages.items():
        html = svg.with_name(f"{svg.stem}-{name}.html")
        html.write_text(f'<!doctype html><body style="margin:0">{body}</body>', "utf-8")
        shots[name] = screenshot(html, html.with_suffix(".png"))
    return shots


# --------------------------------------------------------------------------- the suite


def fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def paired_ratios(a: Case, b: Case) -> list[float]:
    return [x.wall / y.wall for x, y in zip(a.samples, b.samples, strict=False) if y.wall]


def ratio(a: Case, b: Case, what: str = "wall") -> float | None:
    x, y = a.median(what), b.median(what)
    return x / y if x is not None and y else None


def group_table(title: str, cases: list[Case], pairs: list[tuple[str, str]]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| command | runs | median s | min s | max s | CPU s | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        if case.failure and not case.samples:
            lines.append(f"| {case.label} | 0 | {case.failure} | | | | |")
            continue
        walls = [s.wall for s in case.samples]
        lines.append(
            f"| {case.label} | {len(walls)} | {fmt(case.median())} | {fmt(min(walls))} | "
            f"{fmt(max(walls))} | {fmt(case.median('cpu'))} | {fmt(case.peak_mb(), 1)} |"
        )
    by_key = {c.key: c for c in cases}
    for a_key, b_key in pairs:
        a, b = by_key.get(a_key), by_key.get(b_key)
        if a is None or b is None or not a.samples or not b.samples:
            continue
        rounds = paired_ratios(a, b)
        rss = (a.peak_mb() or 0) / (b.peak_mb() or 1)
        lines.append(
            f"\n{a.key} / {b.key}: wall {fmt(ratio(a, b), 2)}x "
            f"(rounds {min(rounds):.2f}-{max(rounds):.2f}), CPU {fmt(ratio(a, b, 'cpu'), 2)}x, "
            f"peak RSS {rss:.2f}x"
        )
    return [*lines, ""]


@dataclass
class Target:
    name: str
    figure: str
    met: bool | None  # None: not measured (pending)


def build_cases(
    prepared: Prepared, argdown: list[str] | None
) -> tuple[list[Case], list[tuple[str, str]]]:
    """The commands of one map's group, and the pairs whose ratios are shown.

    For the 5,000-node map (minutes per layout) only the build, Argdown and the floor of
    the build (both diagrams) run.
    """
    name, toml, slug = prepared.name, str(prepared.toml), prepared.toml.stem
    large = name == LARGE
    # A generous --timeout: argmap's default of 120 s per diagram is too short at 5,000.
    cases = [
        Case(
            "build",
            f"`argmap build` ({name})",
            lambda f: [[*ARGMAP, "build", toml, "-o", str(f / "build"), "--timeout", "7200"]],
        )
    ]
    if not large:
        cases.append(
            Case(
                "export-svg",
                f"`argmap export --to svg` ({name})",
                lambda f: [[*ARGMAP, "export", toml, "--to", "svg", "-o", str(f / f"{slug}.svg")]],
            )
        )
    if argdown is not None:
        cases.append(
            Case(
                "argdown",
                f"`argdown map -f svg` ({name})",
                lambda f: [[*argdown, "map", str(prepared.argdown), str(f), "-f", "svg"]],
            )
        )
    if not large:
        cases.append(
            Case(
                "dot",
                f"`dot -Tsvg` on argmap's DOT ({name}, floor)",
                lambda f: [["dot", "-Tsvg", str(prepared.dot), "-o", str(f / "plain.svg")]],
            )
        )
    # At 5,000 nodes the floor runs `dot -v` (its report, with the crossings, costs
    # nothing next to minutes of layout), the plain diagram last so --quality finds it.
    verbose = ["-v"] if large else []
    diagrams = [(prepared.dot, "plain.svg"), (prepared.evaluated_dot, "evaluated.svg")]
    cases.append(
        Case(
            "dot-both",
            f"`dot -Tsvg` on both diagrams' DOT ({name}, floor of a build)",
            lambda f: [
                ["dot", *verbose, "-Tsvg", str(source), "-o", str(f / svg)]
                for source, svg in (diagrams[::-1] if large else diagrams)
            ],
        )
    )
    pairs = [
        ("build", "argdown"),
        ("export-svg", "argdown"),
        ("build", "dot-both"),
        ("export-svg", "dot"),
    ]
    return cases, pairs


def variant_cases(prepared: Prepared) -> list[Case]:
    """Raw ``dot`` on the 500-node map with other Graphviz settings: what layout could cost.

    argmap's DOT for a map of this size runs right to left with ``nslimit=1`` (see
    ``argmap/render/dot.py``); the variants undo one choice each, from the command line.
    """
    plain = prepared.dot
    variants = {
        "as-is": ("argmap's DOT as it is", [], plain),
        "bottom-up": ("-Grankdir=BT (the small maps' direction)", ["-Grankdir=BT"], plain),
        "nslimit-off": ("-Gnslimit=1000 (x-positioning unbounded)", ["-Gnslimit=1000"], plain),
        "mclimit": ("-Gmclimit=0.3 (fewer crossing-reduction rounds)", ["-Gmclimit=0.3"], plain),
        "concentrate": (
            "-Gconcentrate=true (parallel edges merged)",
            ["-Gconcentrate=true"],
            plain,
        ),
    }

    def command(extra: list[str], source: Path) -> Callable[[Path], list[list[str]]]:
        return lambda f: [["dot", *extra, "-Tsvg", str(source), "-o", str(f / "out.svg")]]

    return [
        Case(key, f"`dot -Tsvg` {label} ({prepared.name})", command(extra, source))
        for key, (label, extra, source) in variants.items()
    ]


def has_jobs_option() -> bool:
    done = subprocess.run(
        [*ARGMAP, "build", "--help"], capture_output=True, text=True, cwd=REPO, check=False
    )
    return "--jobs" in done.stdout


def _byte_compile() -> str:
    """Byte-compile argmap's modules, as ``pip install`` does.

    An editable install run with ``PYTHONDONTWRITEBYTECODE`` set (as on the development
    machine) never writes ``.pyc`` files, so every run would compile argmap's modules
    again (about 50 ms of a small map's build) -- a cost no installed argmap has.
    """
    import compileall

    import argmap

    package = Path(argmap.__file__).parent
    ok = compileall.compile_dir(str(package), quiet=1)
    return "byte-compiled first, as pip install does" if ok else "byte-compiling FAILED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="timed rounds per group")
    parser.add_argument("--large-runs", type=int, default=1, help="rounds for 5,000 nodes")
    parser.add_argument("--site-runs", type=int, default=5, help="rounds for the 200-map site")
    parser.add_argument(
        "--groups",
        default="startup,seed,gen-30,gen-500,gen-5000,site",
        help="comma-separated: startup, seed, gen-30, gen-500, gen-5000, site, variants",
    )
    parser.add_argument("--profile", action="store_true", help="time argmap's stages in-process")
    parser.add_argument("--cprofile", action="store_true", help="with --profile: top functions")
    parser.add_argument("--quality", action="store_true", help="diagram size, fonts, crossings")
    parser.add_argument(
        "--variants", action="store_true", help="raw dot on the 500-node map with other settings"
    )
    parser.add_argument("--argdown", help="the argdown program to use (default: install locally)")
    parser.add_argument("--no-argdown", action="store_true", help="leave Argdown out")
    parser.add_argument("--no-install", action="store_true", help="never run npm install")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per command")
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="do not byte-compile argmap first (time the compiling of its modules too)",
    )
    options = parser.parse_args()
    groups = [g.strip() for g in options.groups.split(",") if g.strip()]

    RESULTS.mkdir(parents=True, exist_ok=True)
    global SPAWNER
    SPAWNER = Spawner()
    floor = SPAWNER.run(["true"], 10, Path(os.devnull))
    compiled = "not byte-compiled (--no-compile)" if options.no_compile else _byte_compile()
    load_before = os.getloadavg()
    header = [
        f"argmap benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, {_graphviz_version()}",
        f"load average at start {load_before[0]:.2f} (1 min) {load_before[1]:.2f} (5 min)"
        + (
            "  -- the machine is busy: wall times are noisy, prefer the CPU column"
            if load_before[0] > 0.5 * (os.cpu_count() or 1)
            else ""
        ),
        f"rounds: {options.runs} (5,000 nodes: {options.large_runs}, site: {options.site_runs}); "
        f"RSS floor of the measurement {floor['rss_kb'] / 1024:.1f} MB",
        f"argmap's modules: {compiled}",
    ]
    print("\n".join(header), flush=True)

    print("inputs ...", flush=True)
    generate.write_inputs(INPUTS)
    tomls = {"seed": SEED, **{n: INPUTS / f"{n}.toml" for n in generate.SIZES}}
    argdown: list[str] | None = None
    argdown_note = "left out (--no-argdown)"
    if not options.no_argdown and any(g in MAPS for g in groups):
        argdown, argdown_note = find_argdown(options.argdown, not options.no_install)
    header.append(f"Argdown: {argdown_note}")
    print(f"Argdown: {argdown_note}", flush=True)

    report: list[str] = ["```text", *header, "```", ""]
    data: dict[str, Any] = {"header": header, "groups": {}}
    all_cases: dict[str, dict[str, Case]] = {}
    prepared_maps: dict[str, Prepared] = {}

    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if "startup" in groups:
            cases = [
                Case(
                    "python",
                    "`python -c pass` (interpreter alone)",
                    lambda f: [[sys.executable, "-c", "pass"]],
                ),
                Case("version", "`argmap --version`", lambda f: [[*ARGMAP, "--version"]]),
                Case("help", "`argmap --help`", lambda f: [[*ARGMAP, "--help"]]),
                Case(
                    "check", "`argmap check` (seed map)", lambda f: [[*ARGMAP, "check", str(SEED)]]
                ),
            ]
            print("group startup ...", flush=True)
            run_group("startup", cases, options.runs, True, options.timeout, scratch)
            all_cases["startup"] = {c.key: c for c in cases}
            report += group_table("Start-up", cases, [])

        for name in MAPS:
            if name not in groups:
                continue
            prepared = prepared_maps[name] = prepare(name, tomls[name])
            cases, pairs = build_cases(prepared, argdown)
            runs = options.large_runs if name == LARGE else options.runs
            print(
                f"group {name} ({prepared.nodes} nodes, {prepared.relations} relations) ...",
                flush=True,
            )
            run_group(name, cases, runs, name != LARGE, options.timeout, scratch)
            all_cases[name] = {c.key: c for c in cases}
            _keep_outputs(name, cases)
            by_key = all_cases[name]
            remember_layouts(prepared, by_key.get("dot-both"))
            report += group_table(
                f"{name}: {prepared.nodes} nodes, {prepared.relations} relations", cases, pairs
            )

        if options.variants or "variants" in groups:
            prepared = prepared_maps.get("gen-500") or prepare("gen-500", tomls["gen-500"])
            cases = variant_cases(prepared)
            print("group dot variants (gen-500) ...", flush=True)
            run_group("variants", cases, options.runs, True, options.timeout, scratch)
            all_cases["variants"] = {c.key: c for c in cases}
            report += group_table(
                "Graphviz settings on the 500-node map (raw dot)",
                cases,
                [(c.key, "as-is") for c in cases[1:]],
            )
            report += variant_quality(cases, options.timeout)

        if "site" in groups:
            site = INPUTS / "site"
            jobs = has_jobs_option()

            def site_build(extra: list[str]) -> Callable[[Path], list[list[str]]]:
                return lambda f: [[*ARGMAP, "build", str(site), "-o", str(f / "b"), *extra]]

            if jobs:
                cases = [
                    Case(
                        "jobs1",
                        "`argmap build --jobs 1` (200 maps, cold)",
                        site_build(["--jobs", "1"]),
                    ),
                    Case(
                        "jobs2",
                        "`argmap build --jobs 2` (200 maps, cold)",
                        site_build(["--jobs", "2"]),
                    ),
                    Case(
                        "rebuild",
                        "`argmap build --jobs 2` again, nothing changed (200 maps)",
                        site_build(["--jobs", "2"]),
                        setup=site_build(["--jobs", "2"]),
                    ),
                ]
            else:
                cases = [Case("jobs1", "`argmap build` (200 maps, cold)", site_build([]))]
            print(
                f"group site (--jobs {'exists' if jobs else 'does not exist yet'}) ...", flush=True
            )
            run_group("site", cases, options.site_runs, True, options.timeout, scratch)
            all_cases["site"] = {c.key: c for c in cases}
            report += group_table(
                "Site: 200 maps of 30 nodes",
                cases,
                [("jobs1", "jobs2"), ("rebuild", "jobs2"), ("rebuild", "jobs1")],
            )

        profile: dict[str, dict[str, list[float]]] = {}
        if options.profile:
            print("profile (in-process, one job, no render cache) ...", flush=True)
            # Every input, whatever --groups says: the targets compare sizes.
            inputs = {n: [tomls[n]] for n in MAPS}
            inputs["site"] = [INPUTS / "site"]
            profile = run_profile(
                inputs, options.runs, options.large_runs, scratch, options.cprofile
            )
            report += profile_table(profile)
            data["profile"] = profile

        quality: dict[str, Any] = {}
        if options.quality:
            print("quality ...", flush=True)
            quality = run_quality(tomls, options.timeout)
            report += quality_table(quality)
            data["quality"] = quality

    targets = check_targets(all_cases, profile)
    report += ["### Targets", "", "| target | figure | |", "| --- | --- | --- |"]
    for target in targets:
        verdict = {True: "met", False: "MISSED", None: "pending"}[target.met]
        report.append(f"| {target.name} | {target.figure} | {verdict} |")
    load_after = os.getloadavg()
    report.append(f"\nload average at the end {load_after[0]:.2f} (1 min)")

    for group, cases_by_key in all_cases.items():
        data["groups"][group] = {
            key: {
                "label": c.label,
                "failure": c.failure,
                "samples": [vars(s) for s in c.samples],
            }
            for key, c in cases_by_key.items()
        }
    data["targets"] = [vars(t) for t in targets]
    (RESULTS / "last.json").write_text(json.dumps(data, indent=1), "utf-8")
    (RESULTS / "last.md").write_text("\n".join(report) + "\n", "utf-8")
    print()
    print("\n".join(report))
    print(f"\n(written to {(RESULTS / 'last.md').relative_to(REPO)} and last.json)")
    SPAWNER.close()


def _graphviz_version() -> str:
    done = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    return done.stderr.strip().replace("dot - graphviz version", "Graphviz")


def _keep_outputs(name: str, cases: list[Case]) -> None:
    """Keep the last round's diagrams (argmap's and Argdown's) for --quality."""
    target = RESULTS / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for case in cases:
        if case.last_folder is None or case.key not in ("build", "argdown"):
            continue
        made = case.last_folder / "build" if case.key == "build" else case.last_folder
        for svg in made.glob("*.svg"):  # not the render cache's files beside the site
            shutil.copy2(svg, target / f"{case.key}-{svg.name}")
    floor = next((c for c in cases if c.key == "dot-both" and c.last_folder), None)
    if name == LARGE and floor is not None and floor.last_folder is not None:
        # This floor ran `dot -v` (the plain diagram last): its report has the crossings.
        shutil.copy2(floor.last_folder / "stderr.log", target / "dot-v.log")


def profile_table(profile: dict[str, dict[str, list[float]]]) -> list[str]:
    stages = [*STAGES, "other"]
    lines = [
        "### argmap's own time by stage (in-process `pipeline.build`, median s)",
        "",
        "| input | " + " | ".join(stages) + " | total | Python side |",
        "| --- |" + " ---: |" * (len(stages) + 2),
    ]
    for name, per_stage in profile.items():
        cells = [fmt(statistics.median(per_stage[s])) for s in [*stages, "total", "python"]]
        lines.append(f"| {name} ({len(per_stage['total'])} runs) | " + " | ".join(cells) + " |")
    return [*lines, "", "Python side = total - layout (the `dot` subprocesses).", ""]


def run_quality(tomls: dict[str, Path], timeout: float) -> dict[str, Any]:
    """Measure the diagrams kept from the last round of the 500- and 5,000-node groups
    (of this run, or of an earlier one when the group did not run this time)."""
    found: dict[str, Any] = {}
    for name in ("gen-500", LARGE):
        folder = RESULTS / name
        if not folder.is_dir():
            print(f"  {name}: no diagrams kept yet: run its group first", flush=True)
            continue
        entry: dict[str, Any] = {}
        for svg in sorted(folder.glob("*.svg")):
            metrics = svg_metrics(svg)
            if not svg.name.endswith(".evaluated.svg"):
                metrics["screenshots"] = screenshots(svg)
            entry[svg.name] = metrics
        log = folder / "dot-v.log"
        if log.is_file():
            entry["dot -v"] = parse_verbose(log.read_text("utf-8", "replace"))
        else:
            entry["dot -v"] = crossings(prepare(name, tomls[name]).dot, timeout)
        found[name] = entry
        print(f"  {name}: {json.dumps(entry)[:300]}", flush=True)
    return found


def quality_table(quality: dict[str, Any]) -> list[str]:
    lines = [
        "### Layout quality",
        "",
        "| diagram | size px (100%) | aspect w/h | scale | font px min / median | crossings |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, entry in quality.items():
        crossing = entry.get("dot -v", {}).get("crossings")
        for svg, m in entry.items():
            if svg == "dot -v":
                continue
            lines.append(
                f"| {name}: {svg} | {m['width_px']} x {m['height_px']} | {m['aspect']} | "
                f"{m['scale']} | {m['font_px_min']} / {m['font_px_median']} | "
                f"{crossing if svg.startswith('build-') else '-'} |"
            )
    return [*lines, ""]


def variant_quality(cases: list[Case], timeout: float) -> list[str]:
    lines = [
        "| variant | size px (100%) | aspect w/h | ranks | crossings | dot phases s |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for case in cases:
        if case.last_folder is None:
            continue
        (command,) = case.commands(case.last_folder)  # dot [options] -Tsvg SOURCE -o OUT
        metrics = svg_metrics(case.last_folder / "out.svg")
        crossing = crossings(Path(command[-3]), timeout, tuple(command[1:-4]))
        phases = ", ".join(
            f"{k} {v:.2f}" for k, v in crossing["phases_s"].items() if isinstance(v, float)
        )
        lines.append(
            f"| {case.key} | {metrics['width_px']} x {metrics['height_px']} | "
            f"{metrics['aspect']} | {crossing['ranks']} | {crossing['crossings']} | {phases} |"
        )
    return [*lines, ""]


def check_targets(
    cases: dict[str, dict[str, Case]], profile: dict[str, dict[str, list[float]]]
) -> list[Target]:
    targets: list[Target] = []

    def get(group: str, key: str) -> Case | None:
        case = cases.get(group, {}).get(key)
        return case if case is not None and case.samples else None

    def versus(a: Case | None, b: Case | None, limit: float, name: str) -> None:
        if a is None or b is None:
            targets.append(Target(name, "not measured", None))
            return
        value = ratio(a, b)
        cpu = ratio(a, b, "cpu")
        assert value is not None
        targets.append(Target(name, f"{value:.2f}x (CPU {fmt(cpu, 2)}x)", value <= limit))

    versus(
        get("seed", "build"),
        get("seed", "argdown"),
        0.3,
        "seed map: `argmap build` <= 0.3x Argdown",
    )
    for key, what in (("export-svg", "`argmap export --to svg`"), ("build", "`argmap build`")):
        versus(
            get("gen-500", key),
            get("gen-500", "argdown"),
            0.5,
            f"500 nodes: {what} <= 0.5x Argdown",
        )
    for key, floor in (("export-svg", "dot"), ("build", "dot-both")):
        a, b = get("gen-500", key), get("gen-500", floor)
        name = f"500 nodes: {'`argmap export --to svg`' if key != 'build' else '`argmap build`'}"
        name += f" <= {'raw dot' if floor == 'dot' else 'raw dot (both diagrams)'} + 0.3 s"
        if a is None or b is None:
            targets.append(Target(name, "not measured", None))
        else:
            extra = (a.median() or 0) - (b.median() or 0)
            targets.append(Target(name, f"+{extra:.2f} s over the floor", extra <= 0.3))
    for group in ("seed", "gen-500"):
        a, b = get(group, "build"), get(group, "argdown")
        name = f"{group}: peak RSS of `argmap build` <= 1/3 of Argdown's"
        if a is None or b is None:
            targets.append(Target(name, "not measured", None))
        else:
            share = (a.peak_mb() or 0) / (b.peak_mb() or 1)
            targets.append(
                Target(
                    name, f"{a.peak_mb():.1f} / {b.peak_mb():.1f} MB = {share:.2f}", share <= 1 / 3
                )
            )
    for key, what, limit in (
        ("version", "`argmap --version`", 0.15),
        ("help", "`argmap --help`", 0.15),
        ("check", "`argmap check` of the seed map", 0.3),
    ):
        case = get("startup", key)
        value = case.median() if case else None
        targets.append(
            Target(
                f"{what} < {limit} s",
                f"{fmt(value)} s (CPU {fmt(case.median('cpu') if case else None)} s)",
                None if value is None else value < limit,
            )
        )
    if "gen-500" in profile and LARGE in profile:
        small = statistics.median(profile["gen-500"]["python"])
        large = statistics.median(profile[LARGE]["python"])
        targets.append(
            Target(
                "Python side, 5,000 nodes <= 12x 500 nodes",
                f"{large:.2f} s / {small:.2f} s = {large / small:.1f}x",
                large / small <= 12,
            )
        )
    else:
        targets.append(
            Target("Python side, 5,000 nodes <= 12x 500 nodes", "run with --profile", None)
        )
    one, two = get("site", "jobs1"), get("site", "jobs2")
    if one is not None and two is not None:
        speedup = (one.median() or 0) / (two.median() or 1)
        targets.append(
            Target(
                "200-map site: --jobs 2 >= 1.7x faster than --jobs 1",
                f"{speedup:.2f}x",
                speedup >= 1.7,
            )
        )
    else:
        targets.append(
            Target(
                "200-map site: --jobs 2 >= 1.7x faster than --jobs 1",
                "pending: `argmap build` has no --jobs" if one else "not measured",
                None,
            )
        )
    again = get("site", "rebuild")
    name = "200-map site: a build with nothing changed < 5% of the cold build (CPU, --jobs 2)"
    if again is not None and two is not None:
        share = (again.median("cpu") or 0) / (two.median("cpu") or 1)
        wall = (again.median() or 0) / (two.median() or 1)
        figure = f"CPU {share:.1%} (wall {wall:.1%})"
        targets.append(Target(name, figure, share < 0.05))
    else:
        targets.append(Target(name, "not measured", None))
    return targets


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    try:
        main()
    finally:
        if SPAWNER is not None:
            SPAWNER.stop()
