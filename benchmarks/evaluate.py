"""Time grounded labelling of a large random argumentation framework.

    .venv/bin/python benchmarks/evaluate.py [--arguments 100000] [--attacks 300000]
                                            [--seed 6] [--runs 5]

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
import random
import statistics
import time
from collections import Counter

from argmap import _af


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arguments", type=int, default=100_000)
    parser.add_argument("--attacks", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--acyclic", action="store_true")
    options = parser.parse_args()
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
