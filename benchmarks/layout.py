"""The diagram's direction and wrapping against a 1280-pixel window.

    .venv/bin/python benchmarks/layout.py [--generated 20 40 60 100]

Lays out (Graphviz) the seed map, every valid and golden fixture map and generated maps
(``generate.py``'s shapes, 1.3 relations a statement, seeded) bottom to top (``BT``)
and right to left (``RL``, the thesis on the left) at several wrapping widths, and the
layout argmap chooses (``RL``, the width from ``argmap.render.dot.wrap_width``). For each
it prints the drawing's size in points and what a reader of a 1280-px window sees when
it is fitted to the 1,200 px the page leaves it: the box text's size in CSS px (12 or
more is the aim) and the height in px at that size (the page scrolls down).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from argmap.analysis.graph import ArgumentGraph, build_graph  # noqa: E402
from argmap.model.load import load_map  # noqa: E402
from argmap.model.validate import validate_map  # noqa: E402
from argmap.render import dot  # noqa: E402
from argmap.render.layout import render_svg  # noqa: E402
from benchmarks.generate import generate_map  # noqa: E402

WINDOW_PX = 1200  # what a 1280-px window leaves the diagram
TEXT_PX = 11 * 4 / 3  # the boxes' 11-pt text at 100%
WRAPS = (16, 20, 24, 32)


def graph_of(path: Path) -> ArgumentGraph:
    argument_map = load_map(path, path.stem)
    validate_map(argument_map)
    return build_graph(argument_map)


def maps(generated: list[int], folder: Path) -> list[tuple[str, ArgumentGraph]]:
    paths = sorted((REPO / "arguments").glob("*.toml"))
    paths += sorted((REPO / "tests" / "fixtures" / "valid").glob("*.toml"))
    paths += sorted((REPO / "tests" / "fixtures" / "golden").glob("*.toml"))
    found = [(path.stem, graph_of(path)) for path in paths]
    for size in generated:
        path = folder / f"gen-{size}.toml"
        path.write_text(generate_map(size, 1.3, size).to_toml(), encoding="utf-8")
        found.append((path.stem, graph_of(path)))
    return found


def size(graph: ArgumentGraph, rankdir: str | None, wrap: int | None) -> tuple[float, float]:
    """The drawing's width and height in points, laid out as asked (None: as argmap does)."""
    chosen = dot.wrap_width
    if wrap is not None:
        dot.wrap_width = lambda _graph: wrap  # type: ignore[assignment]
        dot._wrapped.cache_clear()
    try:
        source = dot.to_dot(graph, "x.html")
    finally:
        dot.wrap_width = chosen  # type: ignore[assignment]
        dot._wrapped.cache_clear()
    if rankdir is not None:
        source = re.sub(r"rankdir=\w+", f"rankdir={rankdir}", source)
    svg = render_svg(source)
    match = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg)
    assert match is not None
    return float(match.group(1)), float(match.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, nargs="*", default=[20, 40, 60, 100])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        found = maps(options.generated, Path(folder))
        print(f"fitted to {WINDOW_PX} px: box text in CSS px; height in px at that size")
        print(
            f"{'map':<24} {'n':>4} {'layout':<12} {'w pt':>6} {'h pt':>6} {'text':>5} {'height':>7}"
        )
        for name, graph in found:
            layouts = [(f"BT {w}", "BT", w) for w in WRAPS] + [(f"RL {w}", "RL", w) for w in WRAPS]
            layouts.append((f"argmap {dot.wrap_width(graph)}", None, None))
            for label, rankdir, wrap in layouts:
                width, height = size(graph, rankdir, wrap)
                scale = min(1.0, WINDOW_PX / (width * 4 / 3))
                print(
                    f"{name[:24]:<24} {len(graph.nodes):4} {label:<12} {width:6.0f} {height:6.0f}"
                    f" {TEXT_PX * scale:5.1f} {height * 4 / 3 * scale:7.0f}"
                )


if __name__ == "__main__":
    main()
