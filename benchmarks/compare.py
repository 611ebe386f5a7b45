"""Two or more versions of argmap, side by side: `argmap build` of the seed map, the
generated 500-node map and the 200-map site, alternating, in one run.

    .venv/bin/python benchmarks/compare.py main=REV [after=REV ...] [--rounds 5]
                                           [--workloads seed,gen-500,site]

Each ``LABEL=REV`` is a git revision of this repository (or ``LABEL=DIR``, a
checkout); its ``argmap/`` and ``templates/`` are extracted outside the repository (so
that ``python -m argmap`` cannot import the checkout instead) and byte-compiled. Every
round runs every version once per workload, in an order that rotates each round, after
one untimed warm-up round; every build writes a new output folder (so a cold build
cache too). Reported per workload and version: the median wall time, CPU time (user +
system of argmap and the ``dot`` processes it waited for) and peak RSS (the largest
single process), and each version's ratio to the first, as the median of the ratios of
single rounds with their range. Commands run through benchmarks/run.py's spawner (a
fresh process with nothing imported: see its ``_SPAWNER``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)
from run import Spawner  # noqa: E402  (benchmarks/run.py)

WORKLOADS = ("seed", "gen-500", "site")


def _extract(label: str, spec: str, root: Path) -> Path:
    """The folder holding version ``spec``'s ``argmap`` package (byte-compiled) and its
    templates."""
    target = root / label
    target.mkdir(parents=True)
    if Path(spec).is_dir():
        for part in ("argmap", "templates"):
            shutil.copytree(Path(spec) / part, target / part)
    else:
        command = ["git", "-C", str(REPO), "archive", spec, "argmap", "templates"]
        archive = subprocess.run(command, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "argmap")], check=True)
    return target


def _inputs(root: Path) -> dict[str, Path]:
    """The maps of each workload, in ``root``."""
    (root / "arguments").mkdir(parents=True)
    for seed_map in sorted((REPO / "arguments").glob("*.toml")):
        shutil.copy(seed_map, root / "arguments" / seed_map.name)
    nodes, density, seed = generate.SIZES["gen-500"]
    (root / "gen-500.toml").write_text(
        generate.generate_map(nodes, density, seed).to_toml(), encoding="utf-8"
    )
    site = root / "site"
    site.mkdir()
    for i in range(generate.SITE_MAPS):
        made = generate.generate_map(
            generate.SITE_NODES, generate.SITE_DENSITY, generate.SITE_SEED + i, f"Site map {i:03d}"
        )
        (site / f"map-{i:03d}.toml").write_text(made.to_toml(), encoding="utf-8")
    return {"seed": root / "arguments", "gen-500": root / "gen-500.toml", "site": site}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("versions", nargs="+", help="LABEL=REV or LABEL=DIR; the first is A")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    options = parser.parse_args()
    workloads = options.workloads.split(",")
    work = Path(tempfile.mkdtemp(prefix="argmap-compare-"))
    try:
        versions = dict(spec.split("=", 1) for spec in options.versions)
        code = {label: _extract(label, spec, work / "code") for label, spec in versions.items()}
        inputs = _inputs(work / "maps")
        spawner = Spawner()
        samples: dict[tuple[str, str], list[dict[str, Any]]] = {}
        labels = list(code)
        for round_ in range(options.rounds + 1):  # round 0: warm-up, not counted
            for workload in workloads:
                shift = round_ % len(labels)
                for label in labels[shift:] + labels[:shift]:
                    out = work / "maps" / f"out-{label}"
                    command = [
                        "env",
                        f"PYTHONPATH={code[label]}",
                        sys.executable,
                        "-m",
                        "argmap",
                        "build",
                        str(inputs[workload]),
                        "--out",
                        str(out),
                    ]
                    result = spawner.run(command, 3600, work / "log", cwd=work / "maps")
                    if result["code"] != 0:
                        log = (work / "log").read_text(encoding="utf-8", errors="replace")
                        raise SystemExit(f"{label} {workload}: exit {result['code']}\n{log}")
                    if round_:
                        samples.setdefault((workload, label), []).append(result)
                    shutil.rmtree(out)
                    shutil.rmtree(out.parent / f".{out.name}.cache", ignore_errors=True)
        _report(samples, workloads, labels, versions, options.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(
    samples: dict[tuple[str, str], list[dict[str, Any]]],
    workloads: list[str],
    labels: list[str],
    versions: dict[str, str],
    rounds: int,
) -> None:
    print(f"argmap build, {rounds} rounds alternating; versions: {versions}")
    print("| workload | version | wall s | CPU s | peak RSS MB | wall / A | CPU / A |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- |")
    for workload in workloads:
        base = samples[(workload, labels[0])]
        for label in labels:
            runs = samples[(workload, label)]
            cells = [
                f"{statistics.median(r['wall'] for r in runs):.3f}",
                f"{statistics.median(r['cpu'] for r in runs):.3f}",
                f"{statistics.median(r['rss_kb'] for r in runs) / 1024:.1f}",
            ]
            for measure in ("wall", "cpu"):
                ratios = [r[measure] / b[measure] for r, b in zip(runs, base, strict=True)]
                cells.append(
                    f"{statistics.median(ratios):.3f} ({min(ratios):.2f}-{max(ratios):.2f})"
                )
            print(f"| {workload} | {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
