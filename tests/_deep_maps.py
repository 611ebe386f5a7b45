"""Maps of one extreme shape, as deep or as wide as asked: for the tests of deep maps
(issue 15) and ``benchmarks/deep.py``.

    python -m tests._deep_maps SHAPE N [RULE...] > map.toml

(``RULE``: lint rules to switch off in the map, such as AM404.)

Shapes (:data:`SHAPES`), each of ``N`` statements:

- ``support``: a chain of claims, each supporting the one above, a premise at the bottom;
- ``attack``: the thesis, its premise, and rebuttals each attacking the one above;
- ``cycle``: the thesis, its premise, and rebuttals attacking each other in one cycle,
  whose first member also attacks the thesis;
- ``star``: the thesis with every other statement a premise supporting it directly.

The same shape and size give the same bytes, laid out as ``argmap fmt`` would. Every
map passes ``argmap check`` with no error and no warning: in particular its texts are
never near duplicates (AM404), which a chain of texts differing by a number or one
random word would be.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

# 31 words (a prime number of them), no two alike in their letters.
_WORDS = [
    *("amber", "basalt", "cedar", "dune", "ember", "fjord", "garnet", "heath", "inlet"),
    *("jasper", "kelp", "lagoon", "marsh", "nectar", "onyx", "prairie", "quartz", "reef"),
    *("sable", "tundra", "umber", "vale", "willow", "xenon", "yarrow", "zephyr", "bramble"),
    *("cobalt", "drizzle", "falcon", "glacier"),
]
_P = len(_WORDS)


def text(index: int, count: int) -> str:
    """The text of statement ``index`` of ``count``: a distinct phrase of words.

    A number below ``31 ** k`` that is the index's alone (shuffled, so that neighbours
    look unlike) gives, as its digits in base 31, the coefficients of a polynomial of
    degree below ``k`` over the integers mod 31; the words are its values at ``k + 4``
    points. Two polynomials that differ agree at fewer than ``k`` points, so two texts
    differ in at least five of their words: never near duplicates.
    """
    k = 1
    while _P**k < count:
        k += 1
    code = (index * 7919 + 4093) % _P**k  # one to one: 7919 is prime to 31
    digits = [(code // _P**j) % _P for j in range(k)]
    words = [_WORDS[sum(d * x**j for j, d in enumerate(digits)) % _P] for x in range(k + 4)]
    return " ".join(words).capitalize() + "."


def _table(kind: str, node_id: str, index: int, count: int, **links: str | list[str]) -> str:
    lines = [f"[{kind}.{node_id}]", f"text = {json.dumps(text(index, count))}"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in links.items()]
    return "\n".join(lines) + "\n"


def _header(title: str) -> str:
    return f'[map]\ntitle = {json.dumps(title)}\nthesis = "s0"\n'


def support_chain(count: int) -> str:
    tables = [_table("claim", "s0", 0, count)]
    tables += [
        _table("claim", f"s{i}", i, count, supports=f"s{i - 1}") for i in range(1, count - 1)
    ]
    tables.append(_table("premise", f"s{count - 1}", count - 1, count, supports=f"s{count - 2}"))
    return "\n".join([_header(f"A support chain of {count}"), *tables])


def attack_chain(count: int) -> str:
    tables = [_table("claim", "s0", 0, count), _table("premise", "s1", 1, count, supports="s0")]
    tables += [_table("rebuttal", f"s{i}", i, count, attacks=f"s{i - 1}") for i in range(2, count)]
    return "\n".join([_header(f"An attack chain of {count}"), *tables])


def attack_cycle(count: int) -> str:
    tables = [_table("claim", "s0", 0, count), _table("premise", "s1", 1, count, supports="s0")]
    tables.append(_table("rebuttal", "s2", 2, count, attacks=["s0", f"s{count - 1}"]))
    tables += [_table("rebuttal", f"s{i}", i, count, attacks=f"s{i - 1}") for i in range(3, count)]
    return "\n".join([_header(f"An attack cycle of {count - 2}"), *tables])


def star(count: int) -> str:
    tables = [_table("claim", "s0", 0, count)]
    tables += [_table("premise", f"s{i}", i, count, supports="s0") for i in range(1, count)]
    return "\n".join([_header(f"A star of {count - 1} reasons"), *tables])


SHAPES: dict[str, Callable[[int], str]] = {
    "support": support_chain,
    "attack": attack_chain,
    "cycle": attack_cycle,
    "star": star,
}
SMALLEST = 4  # statements: below this a cycle has no room


def deep_map(shape: str, count: int, *, disable: tuple[str, ...] = ()) -> str:
    """A map of ``count`` statements of ``shape`` (one of :data:`SHAPES`).

    ``disable`` lists lint rules to switch off in the map (``[lint] disable``): AM404
    compares every text with every other, a cost of the texts, not of the shape.
    """
    if count < SMALLEST:
        raise ValueError(f"a generated map has at least {SMALLEST} statements")
    written = SHAPES[shape](count)
    if disable:  # after [map], where fmt puts it
        lint = f"\n[lint]\ndisable = {json.dumps(list(disable))}\n"
        written = written.replace('thesis = "s0"\n', 'thesis = "s0"\n' + lint, 1)
    return written


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in SHAPES or not sys.argv[2].isdigit():
        sys.exit(f"usage: python -m tests._deep_maps {{{','.join(SHAPES)}}} N [RULE...]")
    sys.stdout.write(deep_map(sys.argv[1], int(sys.argv[2]), disable=tuple(sys.argv[3:])))
