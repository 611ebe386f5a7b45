"""The diagram as an export: its DOT source, or drawn by Graphviz as SVG, PNG or PDF."""

from __future__ import annotations

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.formats import ExportFormat


def dot_source(graph: ArgumentGraph) -> str:
    """The diagram's DOT source, its links pointing at the map's page."""
    from argmap.render.dot import to_dot

    return to_dot(graph, f"{graph.map.slug.rsplit('/', 1)[-1] or 'map'}.html")


def render(dot: str, fmt: str, *, timeout: float | None = None) -> bytes:
    """The diagram in ``fmt`` (svg, png, pdf, or dot with layout) from Graphviz."""
    from argmap.render import layout

    if timeout is None:
        return layout.render(dot, fmt)
    return layout.render(dot, fmt, timeout=timeout)


def _svg(graph: ArgumentGraph, timeout: float | None) -> str:
    return render(dot_source(graph), "svg", timeout=timeout).decode("utf-8")


def _png(graph: ArgumentGraph, timeout: float | None) -> bytes:
    return render(dot_source(graph), "png", timeout=timeout)


def _pdf(graph: ArgumentGraph, timeout: float | None) -> bytes:
    return render(dot_source(graph), "pdf", timeout=timeout)


EXPORTS = (
    ExportFormat("dot", ".dot", "the diagram's DOT source", lambda g, _: dot_source(g), rank=20),
    ExportFormat("svg", ".svg", "the diagram, drawn by Graphviz", _svg, rank=21),
    ExportFormat("png", ".png", "the diagram as a picture", _png, binary=True, rank=22),
    ExportFormat("pdf", ".pdf", "the diagram as a PDF page", _pdf, binary=True, rank=23),
)
