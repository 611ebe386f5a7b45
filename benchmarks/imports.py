"""`argmap import` of a large AIF file: a seeded generator and a timer.

    .venv/bin/python benchmarks/imports.py [--nodes 30000] [--runs 3] [--cprofile FILE]
        [--repo CHECKOUT] [--against CHECKOUT ...] [--disable AM404]

writes ``benchmarks/.work/inputs/aif-NODES.json`` (git-ignored; the same bytes on every
run) and times ``python -m argmap import`` of it as a fresh process, as a user runs it.
The file is an AIFdb nodeset as AIFdb and OVA give it, without argmap's ``"argmap"``
object (:func:`generate_aif`): integer ids, one RA node per reason (a scheme name on
some), one CA node per attack or undercut, and for every I-node an L-node and a
YA-node (the dialogue an analysis of a debate holds, which the import drops and
counts); texts are made from ``generate.py``'s phrases. ``--cprofile FILE``
runs the import once in this process under cProfile and writes the profile there;
``--repo`` times another checkout of argmap instead of this one, ``--against`` one more
in the same run (for example main, side by side).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)

SEED = 15
MAX_TEXT = 200  # AM407's default limit
_SCHEMES = ("Argument From Expert Opinion", "Argument From Consequences", "Default Inference")


class _Texts:
    """Statement texts from ``generate.py``'s phrases, five phrases each (its maps use
    four, too few for 30,000 texts): no two texts of one form share four of their five
    phrases, so none is a near duplicate of another (AM404)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.keys: set[tuple[object, ...]] = set()

    def _unique(self, form: str, lists: tuple[list[str], ...], pattern: str) -> str:
        r = self.rng
        for _ in range(10_000):
            slots = tuple(r.choice(words) for words in lists)
            numbers = {"n": r.randrange(12, 4000), "y": r.randrange(1995, 2025)}
            text = pattern.format(*slots).format(p=r.randrange(3, 60), **numbers)
            keys = [(form, i, slots[:i] + slots[i + 1 :]) for i in range(len(slots))]
            if len(text) > MAX_TEXT or any(key in self.keys for key in keys):
                continue
            self.keys.update(keys)
            return text[:1].upper() + text[1:]
        raise RuntimeError(f"ran out of {form} texts")

    def claim(self) -> str:
        lists = (generate.ACTORS, generate.POLICIES, generate.PLACES, generate.EFFECTS)
        return self._unique(
            "claim", (*lists, generate.EFFECTS), "{0} should {1} {2}: it {3} and {4}."
        )

    def premise(self) -> str:
        lists = (generate.EVIDENCE, generate.FINDINGS, generate.ACTORS, generate.POLICIES)
        return self._unique(
            "premise", (*lists, generate.PLACES), "{0} {1} where {2} chose to {3} {4}."
        )

    def rebuttal(self, reply: bool) -> str:
        heads = generate.REPLIES if reply else generate.OBJECTIONS
        lists = (heads, generate.ACTORS, generate.FINDINGS, generate.PLACES, generate.POLICIES)
        return self._unique(
            "reply" if reply else "objection",
            lists,
            "{0}: {1} reported {2} {3} after they chose to {4}.",
        )


@dataclass
class _Aif:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def node(self, text: str, kind: str) -> int:
        number = len(self.nodes) + 1
        stamp = f"2016-03-14 10:{number // 60 % 60:02d}:{number % 60:02d}"
        self.nodes.append({"nodeID": number, "text": text, "type": kind, "timestamp": stamp})
        return number

    def edge(self, source: int, target: int) -> None:
        self.edges.append({"edgeID": len(self.edges) + 1, "fromID": source, "toID": target})

    def statement(self, text: str) -> int:
        """An I-node with the dialogue it came from: a locution and its assertion."""
        i_node = self.node(text, "I")
        locution = self.node(f"Speaker {i_node % 7}: {text}", "L")
        assertion = self.node("Asserting", "YA")
        self.edge(locution, assertion)
        self.edge(assertion, i_node)
        return i_node

    def relation(self, sources: list[int], kind: str, text: str, target: int) -> int:
        s_node = self.node(text, kind)
        for source in sources:
            self.edge(source, s_node)
        self.edge(s_node, target)
        return s_node


def generate_aif(statements: int, seed: int = SEED) -> dict[str, Any]:
    """An AIFdb nodeset of ``statements`` I-nodes shaped like an analysis: a thesis, a
    tree of claims with two to four reasons each (a third linked, of two or three
    premises), premises as leaves, rebuttals (16%) that attack statements or undercut
    linked reasons, and replies to a third of them."""
    r = random.Random(seed)
    texts = _Texts(r)
    aif = _Aif()
    rebuttals = max(2, statements * 16 // 100)
    budget = statements - rebuttals - 1
    thesis = aif.statement(texts.claim())
    tree, claims = [thesis], [thesis]
    linked: list[int] = []
    queue, head = [thesis], 0
    while budget > 0:
        if head == len(queue):  # the tree is full: more reasons for its claims
            queue.append(r.choice(claims))
        conclusion = queue[head]
        head += 1
        for _ in range(r.choice((2, 3, 3, 4))):
            premises = []
            for _ in range(r.choice((2, 2, 3)) if r.random() < 0.35 else 1):
                if budget <= 0:
                    break
                budget -= 1
                if r.random() < 0.35:
                    premises.append(aif.statement(texts.claim()))
                    queue.append(premises[-1])
                    claims.append(premises[-1])
                else:
                    premises.append(aif.statement(texts.premise()))
                tree.append(premises[-1])
            if premises:
                ra = aif.relation(premises, "RA", r.choice(_SCHEMES), conclusion)
                if len(premises) > 1:
                    linked.append(ra)
    while rebuttals > 0:
        objection = aif.statement(texts.rebuttal(reply=False))
        rebuttals -= 1
        target = r.choice(linked) if linked and r.random() < 0.25 else r.choice(tree)
        aif.relation([objection], "CA", "Default Conflict", target)
        if rebuttals > 0 and r.random() < 0.35:
            reply = aif.statement(texts.rebuttal(reply=True))
            rebuttals -= 1
            aif.relation([reply], "CA", "Default Conflict", objection)
    return {"nodes": aif.nodes, "edges": aif.edges, "locutions": []}


def write_input(nodes: int, out: Path, disable: list[str]) -> Path:
    data = generate_aif(nodes)
    if disable:  # carried into the map: `argmap import` lints without these rules
        data["argmap"] = {"lint": {"disable": disable}}
    path = out / f"aif-{nodes}{''.join(f'-no-{code}' for code in disable)}.json"
    text = json.dumps(data, indent=1) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def time_import(path: Path, runs: int, repo: Path = REPO) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run; CPU (user + system of the child) is what a busy
    machine does not inflate."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "argmap", "import", str(path)],
            cwd=path.parent,  # not the repository folder, so PYTHONPATH decides the copy
            env=env,
            capture_output=True,
            check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        times.append((wall, cpu))
        if done.returncode != 0:
            sys.exit(f"argmap import failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / ".work" / "inputs")
    parser.add_argument("--cprofile", type=Path, default=None)
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="the checkout of argmap to time (default: this one)"
    )
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        help="another checkout to time in the same run, after this one (repeatable)",
    )
    parser.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="CODE",
        help="a lint rule the file's argmap object switches off (AM404: time the rest)",
    )
    options = parser.parse_args()
    path = write_input(options.nodes, options.out, options.disable)
    size = path.stat().st_size
    print(f"{path}: {options.nodes} statements, {size / 1e6:.1f} MB")
    if options.cprofile is not None:
        import cProfile

        from argmap.interop import import_map

        cProfile.runctx(
            "import_map(path)",
            globals(),
            {"import_map": import_map, "path": path},
            str(options.cprofile),
        )
        print(f"profile written to {options.cprofile}")
        return
    repos = [options.repo, *options.against]
    for repo in repos:
        times = time_import(path, options.runs, repo)
        walls, cpus = [t[0] for t in times], [t[1] for t in times]
        print(
            f"{repo}: argmap import: median {statistics.median(walls):.2f} s wall, "
            f"{statistics.median(cpus):.2f} s CPU, of {len(times)} "
            f"({', '.join(f'{w:.2f}/{c:.2f}' for w, c in times)})"
        )


if __name__ == "__main__":
    main()
