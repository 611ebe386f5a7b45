"""argmap's own time on one map of 500 to 100,000 statements: load, check, evaluate.

    .venv/bin/python benchmarks/scale.py [--nodes 500,2000,5000,20000,50000,100000]
        [--runs 3] [--collector] [--shapes] [--am404] [--cprofile N]

Writes seeded maps to benchmarks/.work/inputs/scale-N.toml (git-ignored; the same bytes
for the same N) and measures CPU time in-process (user + system: the development
machine is shared, and wall time there measures the neighbours), per size, median of
``--runs``:

- ``tomllib``: the parse alone, for comparison (argmap's load includes it);
- ``check``: ``pipeline.check_map``, what ``argmap check`` does for one map, with the
  time of each stage (load: read, parse, positions, conversion; validate; quotes;
  graph; lint; expect);
- ``evaluate``: ``evaluate.evaluate(graph)`` under grounded semantics, end to end
  (translation, labelling, every explanation), from a built graph;
- ``argmap check`` of the largest map as a command (a fresh process, its CPU time).

It fits log t against log n over the sizes and prints the exponent (1 is linear).
``--collector`` times check + evaluate of the largest map with argmap's pauses of the
garbage collector (argmap/_gc.py) and without them, alternating. ``--shapes`` checks
and evaluates a support tree, chains of 100 attacks and attack cycles of 2 to 60 (each
of the largest size), and a 10,000-deep support chain, attack chain and attack cycle.
``--am404`` times AM404's near-duplicate search on 3,000 five-word texts, on numbered
short texts ("Step N."), on look-alikes ("item 0000000", "item number 0000000" and
"item number 0000000 of the list" onwards) and on the texts of the scale maps up to
5,000, with the candidates it looked at and the texts it compared with difflib.

The maps are shaped like benchmarks/generate.py's (a thesis, a breadth-first tree of
claims with two or three reasons each, 30% of them linked ``[reason.ID]``s, premises as
leaves, 15% rebuttals attacking statements or undercutting linked reasons, replies to
a third of them, every objection to the thesis answered) but with texts that scale: 8
to 24 words drawn from a 30,000-word vocabulary with Zipf frequencies (as word
frequencies in prose are), so that a 100,000-statement map has no two texts alike.
generate.py's phrase texts run out of variety above about 20,000 statements.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import functools
import itertools
import json
import math
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
INPUTS = HERE / ".work" / "inputs"
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "el", "or", "is"]
_FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "not",
]


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    """Pronounceable made-up words, function words first (the most frequent)."""
    words = list(_FUNCTION_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class _Texts:
    """Sentences of 8 to 24 Zipf-distributed words (cumulative weights, bisect)."""

    def __init__(self, rng: random.Random, vocabulary: int = 30_000) -> None:
        self.rng = rng
        self.words = _vocabulary(vocabulary, rng)
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(vocabulary)))

    def __call__(self) -> str:
        total = self.cumulative[-1]
        count = self.rng.randint(8, 24)
        words = [
            self.words[bisect.bisect_left(self.cumulative, self.rng.random() * total)]
            for _ in range(count)
        ]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def scale_map(nodes: int, seed: int = 15) -> str:
    """A map of exactly ``nodes`` statements as TOML text (about 1.2 relations each)."""
    rng = random.Random(seed)
    text = _Texts(rng)
    statements_end = nodes - nodes * 15 // 100  # then 15% rebuttals
    tree = statements_end - nodes // 10  # then premises for the claims left without
    kinds: dict[str, str] = {}
    body: dict[str, list[str]] = {}
    reasons: list[tuple[str, list[str], str]] = []
    counters = {"claim": 0, "premise": 0, "rebuttal": 0}

    def new(kind: str) -> str:
        counters[kind] += 1
        node_id = f"{kind[0]}{counters[kind]}"
        kinds[node_id] = kind
        body[node_id] = [f"text = {json.dumps(text())}"]
        return node_id

    thesis = new("claim")
    queue = [thesis]
    head = 0
    while len(kinds) < tree:
        conclusion = queue[head]
        head += 1
        for _ in range(rng.choice((2, 3))):
            if len(kinds) >= tree:
                break
            if rng.random() < 0.3:  # a linked reason of two or three premises
                members = []
                for _ in range(rng.choice((2, 3))):
                    member = new("claim" if rng.random() < 0.3 else "premise")
                    if kinds[member] == "claim":
                        queue.append(member)
                    members.append(member)
                reasons.append((f"why{len(reasons) + 1}", members, conclusion))
            else:
                dying = len(queue) - head < 10  # the tree must not die out
                member = new("claim" if dying or rng.random() < 0.45 else "premise")
                if kinds[member] == "claim":
                    queue.append(member)
                body[member].append(f"supports = {json.dumps(conclusion)}")
    for claim in queue[head:]:  # claims the tree ran out before: each gets a premise
        if len(kinds) >= statements_end:
            break
        member = new("premise")
        body[member].append(f"supports = {json.dumps(claim)}")
    statements = list(kinds)
    while len(kinds) < nodes:
        objection = new("rebuttal")
        if reasons and rng.random() < 0.2:
            body[objection].append(f"undercuts = {json.dumps(rng.choice(reasons)[0])}")
            continue
        target = thesis if rng.random() < 0.02 else rng.choice(statements)
        body[objection].append(f"attacks = {json.dumps(target)}")
        if (target == thesis or rng.random() < 0.35) and len(kinds) < nodes:
            reply = new("rebuttal")
            body[reply].append(f"attacks = {json.dumps(objection)}")
    out = ["[map]", 'title = "Scale benchmark"', f"thesis = {json.dumps(thesis)}", ""]
    for node_id, kind in kinds.items():
        out += [f"[{kind}.{node_id}]", *body[node_id], ""]
    for reason_id, members, conclusion in reasons:
        out += [
            f"[reason.{reason_id}]",
            f"premises = {json.dumps(members)}",
            f"supports = {json.dumps(conclusion)}",
            "",
        ]
    return "\n".join(out)


def write_input(nodes: int) -> Path:
    path = INPUTS / f"scale-{nodes}.toml"
    text = scale_map(nodes)
    if not path.exists() or path.read_text("utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return path


# -- timing -------------------------------------------------------------------------


def _median_time(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return statistics.median(times), result


class _StageTimer:
    """Wraps the pipeline's stage functions (argmap's code is not changed) to time them."""

    STAGES = (
        ("argmap.build.check", "load_map_partially", "load"),
        ("argmap.build.check", "find_problems", "validate"),
        ("argmap.build.check", "check_quotes", "quotes"),
        ("argmap.build.check", "build_graph", "graph"),
        ("argmap.build.check", "lint_map", "lint"),
        ("argmap.build.check", "verdict_problems", "expect"),
    )

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def __enter__(self) -> _StageTimer:
        import importlib

        self.saved = []
        for module_name, name, stage in self.STAGES:
            module = importlib.import_module(module_name)
            original = getattr(module, name)
            self.saved.append((module, name, original))
            setattr(module, name, self._wrap(stage, original))
        return self

    def _wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.times[stage] = self.times.get(stage, 0.0) + time.process_time() - start

        return timed

    def __exit__(self, *_: object) -> None:
        for module, name, original in self.saved:
            setattr(module, name, original)


def measure(path: Path, runs: int) -> dict[str, float]:
    import tomllib

    from argmap.analysis.evaluate import evaluate
    from argmap.build.pipeline import MapFile, check_map
    from argmap.config import Config
    from argmap.diagnostics import Severity

    text = path.read_text("utf-8")
    row: dict[str, float] = {}
    row["tomllib"], _ = _median_time(lambda: tomllib.loads(text), runs)
    map_file = MapFile(path, path.stem)
    stage_rows: list[dict[str, float]] = []
    checks = []
    for _ in range(runs):
        with _StageTimer() as timer:
            start = time.process_time()
            checks.append(check_map(map_file, Config()))
            timer.times["check"] = time.process_time() - start
        stage_rows.append(timer.times)
    for stage in stage_rows[0]:
        row[stage] = statistics.median(r[stage] for r in stage_rows)
    check = checks[-1]
    problems = [p for p in check.problems if p.severity is Severity.ERROR]
    row["warnings"] = len(check.problems) - len(problems)
    if problems or check.graph is None:
        raise SystemExit(f"{path}: the benchmark map has errors: {problems[:3]}")
    graph = check.graph
    row["evaluate"], evaluation = _median_time(lambda: evaluate(graph), runs)
    row["nodes"] = len(graph.nodes)
    row["relations"] = graph.relation_count()
    row["undec"] = sum(label.value == "UNDEC" for label in evaluation.labels.values())
    return row


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_check(path: Path, runs: int) -> float:
    """CPU time (user + system) of ``argmap check`` as a fresh process."""
    times = []
    for _ in range(runs):
        start = _children_cpu()
        subprocess.run(
            [sys.executable, "-m", "argmap", "check", str(path)],
            check=False,
            capture_output=True,
            cwd=tempfile.gettempdir(),  # not the checkout: python -m argmap imports it
        )
        times.append(_children_cpu() - start)
    return statistics.median(times)


def exponent(sizes: Sequence[float], times: Sequence[float]) -> float:
    """The slope of log t against log n (least squares)."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


# -- shapes and AM404 -----------------------------------------------------------------


def shape_map(shape: str, nodes: int, seed: int = 16) -> str:
    """A map of one shape, ``nodes`` statements with distinct Zipf texts, as TOML.

    support-tree: three reasons under every claim, no attack; attack-chains: chains of
    100 rebuttals against the thesis; attack-cycles: cycles of 2 to 60 rebuttals, one
    member of each attacking the thesis; deep-support-chain, deep-attack-chain and
    deep-attack-cycle: one chain (or cycle) through every statement.
    """
    text = _Texts(random.Random(seed))
    out = ["[map]", f'title = "{shape}"', 'thesis = "c0"', "", "[claim.c0]"]
    out.append(f"text = {json.dumps(text())}")

    def node(kind: str, node_id: str, target: str) -> None:
        out.extend(["", f"[{kind}.{node_id}]", f"text = {json.dumps(text())}"])
        out.append(f"supports = {json.dumps(target)}")

    if shape == "support-tree":
        for i in range(1, nodes):
            leaf = i * 3 + 1 >= nodes  # no room below it for reasons of its own
            node("premise" if leaf else "claim", f"c{i}", f"c{(i - 1) // 3}")
        return "\n".join(out) + "\n"
    if shape == "deep-support-chain":
        for i in range(1, nodes):
            kind = "claim" if i < nodes - 1 else "premise"
            node(kind, f"c{i}", f"c{i - 1}")
        return "\n".join(out) + "\n"
    node("premise", "p0", "c0")
    lengths = {"attack-chains": 100, "deep-attack-chain": nodes, "deep-attack-cycle": nodes}
    rng = random.Random(seed)
    made, group = 2, 0
    while made < nodes:
        group += 1
        length = min(lengths.get(shape) or rng.randint(2, 60), nodes - made)
        names = [f"r{group}x{i}" for i in range(length)]
        cycle = "cycle" in shape
        for i, name in enumerate(names):
            target: str | list[str] = "c0" if i == 0 else names[i - 1]
            if i == 0 and cycle and length > 1:  # closes the cycle
                target = ["c0", names[-1]]
            out.extend(["", f"[rebuttal.{name}]", f"text = {json.dumps(text())}"])
            out.append(f"attacks = {json.dumps(target)}")
        made += length
    return "\n".join(out) + "\n"


SHAPES = (
    "support-tree",
    "attack-chains",
    "attack-cycles",
    "deep-support-chain",
    "deep-attack-chain",
    "deep-attack-cycle",
)


def shapes(nodes: int, deep: int) -> None:
    from argmap.analysis.evaluate import evaluate
    from argmap.build.pipeline import MapFile, check_map
    from argmap.config import Config
    from argmap.diagnostics import Severity

    print("\nShapes: check and evaluate (grounded), CPU seconds, one run each")
    print("| shape | statements | check | evaluate | longest explanation |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for shape in SHAPES:
        size = deep if shape.startswith("deep") else nodes
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{shape}.toml"
            path.write_text(shape_map(shape, size), "utf-8")
            try:
                seconds, check = _median_time(
                    functools.partial(check_map, MapFile(path, path.stem), Config()), 1
                )
            except RecursionError:
                print(f"| {shape} | {size:,} | RecursionError | | |")
                continue
        errors = [p for p in check.problems if p.severity is Severity.ERROR]
        if errors or check.graph is None:
            print(f"| {shape} | {size:,} | errors: {errors[:2]} | | |")
            continue
        graph = check.graph
        try:
            evaluated, evaluation = _median_time(functools.partial(evaluate, graph), 1)
        except RecursionError:
            print(f"| {shape} | {size:,} | {seconds:.2f} | RecursionError | |")
            continue
        longest = max(len(e) for e in evaluation.explanations.values())
        print(f"| {shape} | {size:,} | {seconds:.2f} | {evaluated:.2f} | {longest} characters |")


def am404(paths: list[Path]) -> None:
    import tomllib

    from argmap.analysis.lint import first_duplicates, normalise_text

    print("\nAM404 (first_duplicates), CPU seconds, best of 3")
    rng = random.Random(404)
    cases: dict[str, list[str]] = {}
    for vocabulary in (20, 100, 1000):
        words = [f"w{i}" for i in range(vocabulary)]
        cases[f"3,000 five-word texts, {vocabulary} words"] = [
            " ".join(rng.choices(words, k=5)) for _ in range(3000)
        ]
    for count in (2_500, 10_000):  # short texts sharing a word (README)
        cases[f"{count:,} texts 'Step N.'"] = [normalise_text(f"Step {i}.") for i in range(count)]
    for count in (10_000, 50_000):  # look-alikes: each a character or two from thousands
        cases[f"{count:,} texts 'item 0000000' on"] = [f"item {i:07d}" for i in range(count)]
    for count in (10_000, 50_000):  # longer look-alikes: the characters' index by its keys
        cases[f"{count:,} texts 'item number 0000000' on"] = [
            f"item number {i:07d}" for i in range(count)
        ]
    for count in (4_000, 16_000):  # longer still: words' candidates merged in order
        cases[f"{count:,} texts 'item number 0000000 of the list' on"] = [
            f"item number {i:07d} of the list" for i in range(count)
        ]
    for path in paths:
        data = tomllib.loads(path.read_text("utf-8"))
        cases[path.name] = [
            normalise_text(table["text"])
            for kind in ("claim", "premise", "rebuttal")
            for table in data.get(kind, {}).values()
        ]
    for name, texts in cases.items():
        best = min(_median_time(functools.partial(first_duplicates, texts), 1)[0] for _ in range(3))
        work: Counter[str] = Counter()
        first_duplicates(texts, work=work)
        looked, compared = work["candidates"], work["compared"]
        print(f"  {name}: {best:.3f} s, {looked:,} candidates, {compared:,} compared")


def collector(path: Path, runs: int) -> None:
    """check + evaluate with argmap's pauses of the garbage collector, and with them
    made no-ops (argmap._gc sees a collector already off and leaves it on), alternating."""
    import types

    import argmap._gc
    from argmap.analysis.evaluate import evaluate
    from argmap.build.pipeline import MapFile, check_map
    from argmap.config import Config

    namespace = vars(argmap._gc)  # its module globals: the `gc` that collector_paused reads
    real = namespace["gc"]
    times: dict[str, list[float]] = {"paused": [], "not paused": []}
    for _ in range(runs):
        for mode in times:
            if mode == "not paused":
                namespace["gc"] = types.SimpleNamespace(isenabled=lambda: False)
            start = time.process_time()
            check = check_map(MapFile(path, path.stem), Config())
            assert check.graph is not None
            evaluate(check.graph)
            times[mode].append(time.process_time() - start)
            namespace["gc"] = real
            del check
            real.collect()
    medians = {mode: statistics.median(values) for mode, values in times.items()}
    print(f"\ncheck + evaluate of {path.name}, CPU, median of {runs} alternating:")
    print(", ".join(f"{mode} {seconds:.2f} s" for mode, seconds in medians.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", default="500,2000,5000,20000,50000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", action="store_true")
    parser.add_argument("--am404", action="store_true")
    parser.add_argument("--collector", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, help="profile check of N nodes")
    options = parser.parse_args()
    sizes = [int(n) for n in options.nodes.split(",")]
    paths = {n: write_input(n) for n in sizes}
    if options.cprofile:
        from argmap.build.pipeline import MapFile, check_map
        from argmap.config import Config

        path = write_input(options.cprofile)
        profile = cProfile.Profile()
        profile.runcall(check_map, MapFile(path, path.stem), Config())
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    rows = {n: measure(paths[n], options.runs) for n in sizes}
    stages = ["tomllib", "load", "validate", "quotes", "graph", "lint", "expect", "check"]
    print(f"median of {options.runs} runs, seconds; {time.strftime('%Y-%m-%d %H:%M')}")
    print("| nodes | relations | " + " | ".join(stages) + " | evaluate |")
    print("| ---: " * (len(stages) + 3) + "|")
    for n, row in rows.items():
        cells = [f"{row.get(stage, 0.0):.3f}" for stage in stages]
        print(
            f"| {n:,} | {row['relations']:,} | " + " | ".join(cells) + f" | {row['evaluate']:.3f} |"
        )
    if len(sizes) > 1:
        for what in ("load", "lint", "check", "evaluate"):
            fitted = exponent(sizes, [rows[n][what] for n in sizes])
            print(f"exponent of {what}: {fitted:.2f} (log t against log n)")
    largest = max(sizes)
    print(
        f"`argmap check` of {largest:,} nodes (command): {command_check(paths[largest], 1):.2f} s"
    )
    if options.collector:
        collector(paths[largest], options.runs)
    if options.shapes:
        shapes(max(sizes), 10_000)
    if options.am404:
        am404([paths[n] for n in sizes if n <= 5000])


if __name__ == "__main__":
    main()
