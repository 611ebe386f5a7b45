"""A build killed with ``kill -9`` leaves no process behind (issue 15, item 10): its
worker processes and every ``dot`` they or the build started end with it.

``kill -9`` gives the build no chance to end them, so the kernel does it
(``PR_SET_PDEATHSIG``, :func:`argmap.render.layout.end_with`): Linux only, as is reading the
process tree from ``/proc`` here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_reproducible import map_with_sections

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/self/stat").exists(),
    reason="the kernel ends a dead build's processes on Linux only (PR_SET_PDEATHSIG)",
)

Process = tuple[int, str]  # pid, start time (a pid can be reused)


def _stat(pid: int) -> tuple[int, str, str] | None:
    """A process's parent, state and start time; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name, in (), may hold anything
    return int(fields[1]), fields[0], fields[19]


def descendants(root: int) -> dict[Process, str]:
    """Every process below ``root``, with its name."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[0], []).append(int(entry.name))
    found: dict[Process, str] = {}
    below = list(children.get(root, []))
    while below:
        pid = below.pop()
        stat = _stat(pid)
        if stat is not None:
            name = Path(f"/proc/{pid}/comm").read_text().strip() if stat[1] != "Z" else "?"
            found[(pid, stat[2])] = name
        below += children.get(pid, [])
    return found


def alive(process: Process) -> bool:
    """Running (a zombie has ended: it only waits for init to collect it)."""
    stat = _stat(process[0])
    return stat is not None and stat[2] == process[1] and stat[1] not in "ZX"


# `argmap build` with a thread running beside it, as in `argmap serve`: the workers are
# started with "spawn" instead of "fork" (argmap.build.pipeline._start_method).
BESIDE_A_THREAD = (
    "import sys, threading, time; "
    "threading.Thread(target=time.sleep, args=(3600,), daemon=True).start(); "
    "from argmap.cli import main; sys.argv[0] = 'argmap'; main()"
)


def build_then_kill(
    site: Path, jobs: int, path: str, ready: int, *, thread: bool = False
) -> dict[Process, str]:
    """Start ``argmap build`` of ``site``; once ``ready`` of its descendants are
    ``dot`` (or what stands for it), kill it with SIGKILL; what ran below it then."""
    env = os.environ | {"PYTHONPATH": str(REPO), "PATH": path}
    argmap = ["-c", BESIDE_A_THREAD] if thread else ["-m", "argmap"]
    command = [sys.executable, *argmap, "build", str(site), "-o", str(site.parent / "out")]
    build = subprocess.Popen(
        [*command, "--jobs", str(jobs), "--timeout", "600"],
        cwd=site.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        below: dict[Process, str] = {}
        while sum(name in ("dot", "sleep") for name in below.values()) < ready:
            if build.poll() is not None:
                stderr = build.stderr.read().decode() if build.stderr else ""
                pytest.fail(f"the build ended before it could be killed: {stderr[-2000:]}")
            time.sleep(0.02)
            below = descendants(build.pid)
        below = descendants(build.pid)
        os.kill(build.pid, signal.SIGKILL)
    finally:
        if build.poll() is None:
            build.kill()
        build.wait()
        if build.stderr is not None:
            build.stderr.close()
    return below


def survivors(processes: dict[Process, str], seconds: float = 5.0) -> dict[Process, str]:
    """The processes still running after ``seconds`` (killed, so as not to outlive the
    test)."""
    deadline = time.monotonic() + seconds
    left = processes
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = {process: name for process, name in left.items() if alive(process)}
    for pid, _ in left:
        os.kill(pid, signal.SIGKILL)
    return left


def write_site(folder: Path, count: int) -> Path:
    """Maps with sections (a `dot` per diagram) and without (the running `dot`)."""
    site = folder / "site"
    site.mkdir()
    for n in range(count):
        text = map_with_sections(n)
        if n % 2:
            text = "\n".join(line for line in text.splitlines() if "section" not in line)
        (site / f"map-{n:02d}.toml").write_text(text, encoding="utf-8")
    return site


@linux_only
@pytest.mark.parametrize(("jobs", "thread"), [(1, False), (2, False), (2, True)])
def test_a_killed_build_leaves_no_layout_running(tmp_path: Path, jobs: int, thread: bool) -> None:
    # A `dot` that would lay out for ever (a stand-in: `sleep`, which ignores its input as
    # a long layout does), so the build is certainly mid-layout in every process when it
    # is killed. Before: the workers and the `dot` processes ran on.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text("#!/bin/sh\nexec sleep 3600\n", encoding="utf-8")
    (fake / "dot").chmod(0o755)
    site = write_site(tmp_path, 4)
    path = f"{fake}{os.pathsep}{os.environ['PATH']}"
    below = build_then_kill(site, jobs, path, ready=jobs, thread=thread)
    # the stand-in `dot` (a shell script) may not have become `sleep` yet
    assert sum(name in ("sleep", "dot") for name in below.values()) >= jobs, below
    if jobs > 1:
        assert len(below) > jobs, below  # the workers too
    assert survivors(below) == {}


@linux_only
@pytest.mark.needs_dot
def test_a_build_killed_while_graphviz_works_leaves_nothing_running(tmp_path: Path) -> None:
    # The real thing: workers with their running `dot` and the `dot` of each diagram of a
    # map with sections, killed as soon as a `dot` runs below a worker.
    site = write_site(tmp_path, 60)
    below = build_then_kill(site, 2, os.environ["PATH"], ready=1)
    assert "dot" in below.values(), below
    assert survivors(below) == {}


# In a process of its own: argmap.render.layout looks for prctl once per process.
ELSEWHERE = """
import os, sys
sys.platform = "darwin"
from argmap.render import layout
assert layout._ending_with_us() == {}
layout.end_with(os.getppid() + 1)  # nothing happens, not even the end
print("still here")
"""


def test_elsewhere_than_linux_processes_start_as_before() -> None:
    done = subprocess.run(
        [sys.executable, "-c", ELSEWHERE], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "still here\n"), done.stderr
