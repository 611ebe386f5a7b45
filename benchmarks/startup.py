"""Start-up of the ``argmap`` command: ``argmap --help`` and ``argmap check arguments/``.

    .venv/bin/python benchmarks/startup.py [--runs 20] [--against OTHER_CHECKOUT ...]

Runs ``python -m argmap ARGS`` as a fresh process from the repository's top folder (so
``check`` reads its ``arguments/``), with ``PYTHONPATH`` set to each checkout in turn,
alternating checkouts run by run so that a busy machine weighs on all of them alike.
It prints the CPU time (user + system of the child) per command and checkout: median
and lowest of ``--runs``. Wall time on a shared machine measures the neighbours.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMANDS = {"--help": ["--help"], "check arguments/": ["check", "arguments"]}


def cpu_seconds(checkout: Path, args: list[str]) -> float:
    """The CPU time of one ``python -m argmap ARGS`` run with ``checkout``'s code."""
    env = os.environ | {"PYTHONPATH": str(checkout)}
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "argmap", *args],  # -P: PYTHONPATH, not the cwd
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{checkout}: argmap {' '.join(args)} exited {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--against", type=Path, action="append", default=[])
    options = parser.parse_args()
    checkouts = [REPO, *(path.resolve() for path in options.against)]
    times: dict[tuple[str, Path], list[float]] = {}
    for _ in range(options.runs):
        for name, args in COMMANDS.items():
            for checkout in checkouts:
                times.setdefault((name, checkout), []).append(cpu_seconds(checkout, args))
    print(f"CPU s (user + system), {options.runs} runs each, alternating")
    print(f"{'command':<18} {'checkout':<40} {'median':>7} {'lowest':>7}")
    for (name, checkout), found in times.items():
        median, lowest = statistics.median(found), min(found)
        print(f"{name:<18} {checkout!s:<40} {median:7.3f} {lowest:7.3f}")


if __name__ == "__main__":
    main()
