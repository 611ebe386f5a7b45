"""What reproducible builds cost: cold site builds of two (or more) versions of argmap,
side by side, in one invocation (issue 15, item 2).

    .venv/bin/python benchmarks/reproducibility.py [--rounds 7] [--maps 60] [REV ...]

Each REV (default: ``main HEAD``) is exported with ``git archive`` into a scratch folder
outside the repository and run from there (``python -m argmap`` started inside the
repository would import the checkout). Two sites: maps with sections (the maps of
tests/test_reproducible.py: 3 to 5 sections each, so each diagram gets a ``dot`` of its
own) and maps without (the benchmark site's maps of 30 nodes, drawn by the running
``dot``). Every build is cold: a fresh output folder, cache and user cache folder. The
versions alternate within a round, the order rotating every round, after one untimed
warm-up round; wall time and CPU time (user + system of the build and the processes it
waited for, from ``os.wait4``). Ratios are medians over medians against the first REV,
with the range of the per-round ratios beside them. The report also counts the distinct
outputs (every file's bytes) each version gave for each site over all its builds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

from tests.test_reproducible import map_with_sections  # noqa: E402


def export(rev: str, into: Path) -> Path:
    """The argmap package and templates of ``rev``, in a folder of their own."""
    folder = into / rev.replace("/", "_").replace("~", "-").replace("^", "-")
    folder.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "argmap", "templates"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "argmap")], check=True)
    return folder


def write_sites(into: Path, maps: int) -> dict[str, Path]:
    sections, plain = into / "sections", into / "plain"
    sections.mkdir()
    plain.mkdir()
    for n in range(maps):
        (sections / f"map-{n:03d}.toml").write_text(map_with_sections(n), "utf-8")
        generated = generate.generate_map(
            generate.SITE_NODES, generate.SITE_DENSITY, generate.SITE_SEED + n, f"Map {n:03d}"
        )
        (plain / f"map-{n:03d}.toml").write_text(generated.to_toml(), "utf-8")
    return {"sections": sections, "plain": plain}


def build(code: Path, site: Path, jobs: int, scratch: Path) -> tuple[float, float, str]:
    """One cold ``argmap build``: wall s, CPU s, and a digest of every output file."""
    run = Path(tempfile.mkdtemp(dir=scratch))
    env = os.environ | {"PYTHONPATH": str(code), "XDG_CACHE_HOME": str(run / "cache")}
    command = [sys.executable, "-m", "argmap", "build", str(site), "-o", str(run / "out")]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--jobs", str(jobs)],
        cwd=run,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} --jobs {jobs} failed (exit {process.returncode})")
    digest = hashlib.sha256()
    for path in sorted((run / "out").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(run).as_posix().encode() + b"\0" + path.read_bytes())
    shutil.rmtree(run)
    return wall, usage.ru_utime + usage.ru_stime, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("revs", nargs="*", default=["main", "HEAD"])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--maps", type=int, default=60, help="maps per site")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="argmap-reproducibility-"))
    try:
        codes = {rev: export(rev, scratch) for rev in options.revs}
        sites = write_sites(scratch, options.maps)
        cases = [(site, jobs) for site in sites for jobs in (1, 2)]
        walls: dict[tuple[str, int, str], list[float]] = {}
        cpus: dict[tuple[str, int, str], list[float]] = {}
        outputs: dict[tuple[str, str], set[str]] = {}
        revs = list(codes)
        load = os.getloadavg()[0]
        for round_ in range(options.rounds + 1):  # round 0: warm-up, not counted
            for site, jobs in cases:
                for rev in revs[round_ % len(revs) :] + revs[: round_ % len(revs)]:
                    wall, cpu, digest = build(codes[rev], sites[site], jobs, scratch)
                    outputs.setdefault((rev, site), set()).add(digest)
                    if round_:
                        walls.setdefault((site, jobs, rev), []).append(wall)
                        cpus.setdefault((site, jobs, rev), []).append(cpu)
            print(f"round {round_} done", file=sys.stderr, flush=True)
        report(options, revs, cases, walls, cpus, outputs, load)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(
    options: argparse.Namespace,
    revs: list[str],
    cases: list[tuple[str, int]],
    walls: dict[tuple[str, int, str], list[float]],
    cpus: dict[tuple[str, int, str], list[float]],
    outputs: dict[tuple[str, str], set[str]],
    load: float,
) -> None:
    median = statistics.median
    print(f"{options.maps} maps per site, {options.rounds} rounds; load average {load:.2f}")
    print(f"at the start, {os.getloadavg()[0]:.2f} at the end\n")
    print("| site | jobs | version | median s | min s | max s | CPU s | wall / 1st | CPU / 1st |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for site, jobs in cases:
        base = walls[(site, jobs, revs[0])]
        for rev in revs:
            wall, cpu = walls[(site, jobs, rev)], cpus[(site, jobs, rev)]
            ratios = [w / b for w, b in zip(wall, base, strict=True)]
            ratio = median(wall) / median(base)
            cpu_ratio = median(cpu) / median(cpus[(site, jobs, revs[0])])
            print(
                f"| {site} | {jobs} | `{rev}` | {median(wall):.3f} | {min(wall):.3f} "
                f"| {max(wall):.3f} | {median(cpu):.3f} | {ratio:.2f}x "
                f"(rounds {min(ratios):.2f}-{max(ratios):.2f}) | {cpu_ratio:.2f}x |"
            )
    print()
    for (rev, site), digests in outputs.items():
        print(f"- `{rev}`, {site}: {len(digests)} distinct output(s) over all its builds")


if __name__ == "__main__":
    main()
