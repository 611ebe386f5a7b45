"""Maps of many statements keep their behaviour where argmap's own time was made linear
(issue 15, item 5; the timings are in benchmarks/scale.py, never asserted here)."""

from __future__ import annotations

from pathlib import Path

from argmap.analysis.graph import Role, build_graph
from argmap.model.load import load_map


def test_a_map_of_thousands_of_separate_parts_is_outlined_root_by_root(
    tmp_path: Path,
) -> None:
    """Parts the thesis does not reach become further roots: first nodes that point at
    nothing, then the rest (here two rebuttals attacking each other), in file order.
    Whether a node points somewhere was a scan of every reason and attack per node."""
    lines = ["[map]", 'title = "Parts"', 'thesis = "t"', "[claim.t]", 'text = "Thesis."']
    for i in range(3000):
        lines += [f"[claim.c{i}]", f'text = "Claim {i}."']
        lines += [f"[premise.p{i}]", f'text = "Premise {i}."', f'supports = "c{i}"']
    lines += ["[rebuttal.r1]", 'text = "One."', 'attacks = "r2"']
    lines += ["[rebuttal.r2]", 'text = "Two."', 'attacks = "r1"']
    path = tmp_path / "parts.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    graph = build_graph(load_map(path, "parts"))
    outline = graph.outline
    roots = [index for index, item in enumerate(outline) if item.depth == 0]
    assert [(outline[i].role, outline[i].node) for i in roots] == [
        (Role.ROOT, n) for n in ["t", *(f"c{i}" for i in range(3000)), "r1"]
    ]

    def children(index: int) -> list[tuple[Role, str | None]]:
        below = outline[index + 1 : index + outline[index].size]
        return [(c.role, c.node) for c in below if c.depth == outline[index].depth + 1]

    assert children(roots[1]) == [(Role.SUPPORTS, "p0")]
    assert children(roots[-1]) == [(Role.ATTACKS, "r2")]
