"""Every command on maps far deeper than Python's recursion limit (issue 15).

    .venv/bin/python benchmarks/deep.py [--count 10000] [--shapes support,attack,cycle]
                                        [--out benchmarks/.work/deep]

Writes one map of ``--count`` statements per shape (``tests/_deep_maps.py``: a support
chain, an attack chain, an attack cycle; ``star`` is also known) and runs on each, as
a fresh process: ``check``, ``evaluate`` (grounded, and ``--scores``), ``fmt --check``,
``export --to`` every format, ``import`` of every exported format that has an importer
(argmap JSON, AIF, xAIF, Argdown) followed by ``check`` of the imported map,
``render --fragment``, ``handout`` and ``build --handouts``. For each: the exit code,
whether standard error holds a traceback, wall time and peak RSS. It exits 1 if a
command failed. The maps switch AM404 off (``--am404`` keeps it): it compares every
pair of texts, a cost measured with the scale benchmarks, not one of depth. No figure
here is a test: they are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests._deep_maps import SHAPES, deep_map  # noqa: E402

EXPORTS = ("json", "dot", "svg", "png", "pdf", "graphml", "aif", "xaif", "argdown", "markdown")
SUFFIX = {"json": "json", "aif": "json", "xaif": "json", "argdown": "argdown"}
IMPORTS = tuple(SUFFIX)  # the exported formats that `argmap import` reads back


def commands(map_path: Path, work: Path) -> list[tuple[str, list[str]]]:
    """What to run on one map, in order (later commands read what earlier ones wrote)."""
    found: list[tuple[str, list[str]]] = [
        ("check", ["check", str(map_path)]),
        ("evaluate", ["evaluate", str(map_path)]),
        ("evaluate --scores", ["evaluate", "--scores", str(map_path)]),
        ("fmt --check", ["fmt", "--check", str(map_path)]),
    ]
    for fmt in EXPORTS:
        out = work / f"export.{fmt}.{SUFFIX.get(fmt, fmt)}"
        found.append((f"export --to {fmt}", ["export", str(map_path), "--to", fmt, "-o", str(out)]))
    for fmt in IMPORTS:
        source = work / f"export.{fmt}.{SUFFIX[fmt]}"
        imported = work / f"imported-{fmt}.toml"
        found.append((f"import {fmt}", ["import", str(source), "-o", str(imported), "--force"]))
        found.append((f"check imported {fmt}", ["check", str(imported)]))
    found += [
        ("render --fragment", ["render", str(map_path), "--fragment", "-o", str(work / "f.html")]),
        ("handout", ["handout", str(map_path), "-o", str(work / "handout.html")]),
        ("build --handouts", ["build", str(map_path), "-o", str(work / "site"), "--handouts"]),
    ]
    return found


def run(args: list[str], cwd: Path) -> tuple[int, bool, float, float]:
    """Exit code, traceback or not, wall seconds and peak RSS (MB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    traceback = b"Traceback (most recent call last)" in stderr or b"RecursionError" in stderr
    return process.returncode, traceback, wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--shapes", default="support,attack,cycle")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / ".work" / "deep")
    parser.add_argument(
        "--am404",
        action="store_true",
        help="keep AM404 (near-duplicate texts) on: it compares every pair of texts",
    )
    options = parser.parse_args()
    shapes = options.shapes.split(",")
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {unknown[0]!r}: choose from {', '.join(SHAPES)}")
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    failed = 0
    print(f"| shape ({options.count:,}) | command | exit | traceback | wall (s) | peak RSS (MB) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for shape in shapes:
        work = options.out / f"{shape}-{options.count}"
        work.mkdir(parents=True, exist_ok=True)
        map_path = work / f"{shape}.toml"
        disable = () if options.am404 else ("AM404",)
        map_path.write_text(deep_map(shape, options.count, disable=disable), encoding="utf-8")
        for name, args in commands(map_path, work):
            code, traceback, wall, rss = run(args, work)
            failed += code != 0 or traceback
            print(
                f"| {shape} | `{name}` | {code} | {'yes' if traceback else 'no'} "
                f"| {wall:.1f} | {rss:.0f} |",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
