"""Time argmap's commands on the seed map and compare with Graphviz's own floor.

Run from the repository root:  .venv/bin/python benchmarks/run.py [--runs N]
Each command runs N times in a fresh process (after one warm-up); the script prints the
median and spread of wall time and the largest peak RSS. Speed targets live here, never
in the unit tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGMAP = [sys.executable, "-m", "argmap"]


def measure(command: list[str], runs: int, stdin: bytes | None = None) -> tuple[list[float], int]:
    """Wall times of ``runs`` runs (after one warm-up) and the largest peak RSS in KiB."""
    times: list[float] = []
    peak_kb = 0
    for run in range(runs + 1):
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
        )
        assert process.stdin is not None
        process.stdin.write(stdin or b"")
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed with exit {process.returncode}")
        if run:  # the first run only warms the file cache
            times.append(elapsed)
            peak_kb = max(peak_kb, usage.ru_maxrss)
    return times, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs

    from argmap.dot import to_dot
    from argmap.pipeline import check

    (graph,) = check([REPO / "arguments" / "russia-resets.toml"]).graphs
    dot_source = to_dot(graph, "russia-resets.html").encode()

    with tempfile.TemporaryDirectory() as scratch:
        out = str(Path(scratch) / "build")
        cases = {
            "argmap --version": ([*ARGMAP, "--version"], None),
            "argmap check arguments/": ([*ARGMAP, "check", "arguments"], None),
            "argmap build arguments/ (seed map)": (
                [*ARGMAP, "build", "arguments", "-o", out],
                None,
            ),
            "dot -Tsvg (seed map's DOT: the floor)": (["dot", "-Tsvg"], dot_source),
        }
        print(f"{runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"{'command':42} {'median s':>9} {'min s':>7} {'max s':>7} {'peak RSS MB':>12}")
        for name, (command, stdin) in cases.items():
            times, peak_kb = measure(command, runs, stdin)
            print(
                f"{name:42} {statistics.median(times):9.3f} {min(times):7.3f} "
                f"{max(times):7.3f} {peak_kb / 1024:12.1f}"
            )


if __name__ == "__main__":
    main()
