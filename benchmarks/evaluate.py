"""Time grounded labelling of a large random argumentation framework, or evaluation
of whole maps end to end against another checkout.

    .venv/bin/python benchmarks/evaluate.py [--arguments 100000] [--attacks 300000]
                                            [--seed 6] [--runs 5]
    .venv/bin/python benchmarks/evaluate.py --maps 500,2000,5000,20000,50000,100000
                                            [--before DIR] [--runs 5] [--semantics S]

``--maps``: ``evaluate.evaluate(graph)`` end to end (translation, labelling, every
explanation) on benchmarks/scale.py's maps of those sizes, CPU time (user + system),
median of ``--runs``. Each graph is built once (checked with this checkout) and
pickled; a fresh process per checkout and size loads it and times the evaluation,
``--before DIR`` (say a worktree of main) and this checkout alternating, so both see
the same machine. It prints both columns, their ratio, the exponent of each (log t
against log n, 1 is linear) and whether both gave the same labels and explanations.

Builds a seeded random framework (attacks drawn uniformly, self-attacks allowed,
repeats dropped; with ``--acyclic`` every attack goes from a lower to a higher argument
number, so grounded decides every argument and follows every attack) and reports, over
``--runs`` runs, the median and minimum time of indexing it (``_af.framework``) and of
the grounded labelling on the indexed framework (``_af.grounded``), plus how many
arguments ended IN, OUT and UNDEC. The target is a grounded labelling in under a
second for 100,000 arguments and 300,000 attacks.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from argmap.analysis import _af

HERE = Path(__file__).resolve().parent
PICKLES = HERE / ".work" / "graphs"
_CHILD = """
import hashlib, pickle, sys, time
from argmap.analysis.evaluate import evaluate
graph = pickle.loads(open(sys.argv[1], "rb").read())
times = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    result = evaluate(graph, sys.argv[3])
    times.append(time.process_time() - start)
    del result  # freed outside the timed part, as the old result would be
result = evaluate(graph, sys.argv[3])
digest = hashlib.sha256(repr([(k, v.value, result.explanations[k])
                              for k, v in result.labels.items()]).encode()).hexdigest()
print(" ".join(map(str, times)), digest)
"""


def random_framework(
    arguments: int, attacks: int, seed: int, acyclic: bool = False
) -> tuple[list[str], list[tuple[str, str]]]:
    """Argument names and attack pairs, the same for the same seed."""
    rng = random.Random(seed)
    names = [f"a{i}" for i in range(arguments)]
    pairs: list[tuple[str, str]] = []
    while len(pairs) < attacks:
        a, b = rng.randrange(arguments), rng.randrange(arguments)
        if acyclic:
            if a == b:
                continue
            a, b = min(a, b), max(a, b)
        pairs.append((names[a], names[b]))
    return names, pairs


def _graph_pickle(nodes: int) -> Path:
    """The checked graph of scale.py's map of ``nodes`` statements, pickled once."""
    sys.path.insert(0, str(HERE))
    import scale

    from argmap.build.pipeline import MapFile, check_map
    from argmap.config import Config

    path = scale.write_input(nodes)
    target = PICKLES / f"scale-{nodes}.pickle"
    if target.exists() and target.stat().st_mtime > path.stat().st_mtime:
        return target
    check = check_map(MapFile(path, path.stem), Config())
    if check.graph is None:
        raise SystemExit(f"{path}: the map has errors")
    PICKLES.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pickle.dumps(check.graph, protocol=pickle.HIGHEST_PROTOCOL))
    return target


def _timed(code: Path, graph: Path, runs: int, semantics: str) -> tuple[float, str]:
    """Median CPU seconds of evaluate with the argmap of ``code``, and a digest of its
    result."""
    environment = {**os.environ, "PYTHONPATH": str(code)}
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, str(graph), str(runs), semantics],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        cwd=code,
    ).stdout.split()
    return statistics.median(map(float, output[:-1])), output[-1]


def _exponent(sizes: list[int], times: list[float]) -> float:
    sys.path.insert(0, str(HERE))
    import scale

    return scale.exponent(sizes, times)


def compare_maps(sizes: list[int], before: Path | None, runs: int, semantics: str) -> None:
    here = HERE.parent
    codes = {"before": before, "after": here} if before else {"after": here}
    rows: dict[int, dict[str, tuple[float, str]]] = {}
    for n in sizes:
        graph = _graph_pickle(n)
        rows[n] = {}
        for _ in range(2):  # alternate, twice: before, after, before, after
            for name, code in codes.items():
                seconds, digest = _timed(code, graph, runs, semantics)
                old = rows[n].get(name)
                rows[n][name] = (seconds if old is None else min(old[0], seconds), digest)
    print(
        f"evaluate ({semantics}), CPU s, median of {runs} runs, better of 2 alternating "
        f"processes; {time.strftime('%Y-%m-%d %H:%M')}"
    )
    print("| statements | " + " | ".join(codes) + (" | ratio | same result |" if before else " |"))
    print("| ---: " * (len(codes) + 1 + (2 if before else 0)) + "|")
    for n, row in rows.items():
        cells = [f"{row[name][0]:.3f}" for name in codes]
        if before:
            same = "yes" if row["before"][1] == row["after"][1] else "NO"
            cells += [f"{row['before'][0] / row['after'][0]:.2f}", same]
        print(f"| {n:,} | " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        for name in codes:
            fitted = _exponent(sizes, [rows[n][name][0] for n in sizes])
            print(f"exponent of {name}: {fitted:.2f} (log t against log n)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", help="sizes of scale.py maps to evaluate end to end")
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--semantics", default="grounded")
    parser.add_argument("--arguments", type=int, default=100_000)
    parser.add_argument("--attacks", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--acyclic", action="store_true")
    options = parser.parse_args()
    if options.maps:
        sizes = [int(n) for n in options.maps.split(",")]
        compare_maps(sizes, options.before, options.runs, options.semantics)
        return
    names, pairs = random_framework(
        options.arguments, options.attacks, options.seed, options.acyclic
    )
    index_times, grounded_times = [], []
    labels: dict[str, _af.Label] = {}
    for _ in range(options.runs):
        start = time.perf_counter()
        af = _af.framework(names, pairs)
        middle = time.perf_counter()
        labels = _af.grounded(af)
        end = time.perf_counter()
        index_times.append(middle - start)
        grounded_times.append(end - middle)
    counts = Counter(labels.values())
    print(
        f"{options.arguments} arguments, {len(af.attacks)} distinct attacks, seed {options.seed}: "
        f"IN {counts[_af.Label.IN]}, OUT {counts[_af.Label.OUT]}, UNDEC {counts[_af.Label.UNDEC]}"
    )
    for what, times in (("index (framework)", index_times), ("grounded labelling", grounded_times)):
        print(
            f"{what:20} median {statistics.median(times):.3f} s, min {min(times):.3f} s "
            f"({options.runs} runs)"
        )


if __name__ == "__main__":
    main()
