"""A build's output depends on its input only: not on the other maps built with it, the
order they are drawn in, or the number of jobs (issue 15, item 2).

Graphviz 2.43 kept running from map to map ordered the frames of a map's sections by
where their names happened to lie in its memory, so the SVGs of maps with sections
depended on the maps drawn before them (see ``argmap.render.layout._has_subgraph``).
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SECTIONS = ("Economy", "Security", "History", "Law and order", "Culture")
WORDS = "councils schools rents buses clinics parks wages taxes courts farms ports bridges"
WORDS += " markets tenants doctors nurses"


def _text(rng: random.Random, kind: str, n: int) -> str:
    words = " ".join(rng.choice(WORDS.split()) for _ in range(rng.randint(6, 14)))
    return f"{kind} {n}: {words}."


def map_with_sections(seed: int) -> str:
    """A map whose claims, their premises and some rebuttals lie in 3 to 5 sections."""
    rng = random.Random(seed)
    lines = ["[map]", f'title = "Map {seed}"', 'thesis = "c1"', "", "[claim.c1]"]
    lines += [f'text = "{_text(rng, "Thesis", seed)}"', ""]
    sections = rng.sample(SECTIONS, rng.randint(3, 5))
    premise = rebuttal = 0
    for n in range(2, 2 + rng.randint(4, 7)):
        section = rng.choice(sections)
        lines += [f"[claim.c{n}]", f'text = "{_text(rng, "Claim", n)}"', 'supports = "c1"']
        lines += [f'section = "{section}"', ""]
        for _ in range(rng.randint(1, 3)):
            premise += 1
            lines += [f"[premise.p{premise}]", f'text = "{_text(rng, "Premise", premise)}"']
            lines += [f'supports = "c{n}"', f'section = "{section}"', ""]
        if rng.random() < 0.5:
            rebuttal += 1
            lines += [f"[rebuttal.r{rebuttal}]", f'text = "{_text(rng, "Rebuttal", rebuttal)}"']
            lines += [f'attacks = "c{n}"', f'section = "{rng.choice(sections)}"', ""]
    return "\n".join(lines)


def build(folders: list[Path], out: Path, jobs: int) -> dict[str, str]:
    """``argmap build`` as a user runs it (a fresh cache beside ``out``); every output
    file's SHA-256 by its path."""
    env = os.environ | {"PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "argmap", "build", *map(str, folders), "-o", str(out)]
    completed = subprocess.run(
        [*command, "--jobs", str(jobs)],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.mark.needs_dot
def test_maps_with_sections_give_the_same_files_in_any_order_and_with_any_jobs(
    tmp_path: Path,
) -> None:
    # Two folders: `argmap build a b` draws a's maps first, `argmap build b a` b's; the
    # pages are the same (a map's name is its path within its folder).
    folders = [tmp_path / "a", tmp_path / "b"]
    for n in range(10):
        folder = folders[n % 2]
        folder.mkdir(exist_ok=True)
        (folder / f"map-{n:02d}.toml").write_text(map_with_sections(n), encoding="utf-8")
    builds = {
        ("a b", 1): build(folders, tmp_path / "ab-1", 1),
        ("b a", 1): build(folders[::-1], tmp_path / "ba-1", 1),
        ("a b", 2): build(folders, tmp_path / "ab-2", 2),
        ("b a", 2): build(folders[::-1], tmp_path / "ba-2", 2),
    }
    first = builds[("a b", 1)]
    assert sum(name.endswith(".svg") for name in first) == 20  # every map, both diagrams
    for how, files in builds.items():
        assert files.keys() == first.keys(), how
        differ = sorted(name for name in files if files[name] != first[name])
        assert not differ, f"{how}: {differ}"
