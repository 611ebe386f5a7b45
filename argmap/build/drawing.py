"""One map's diagrams for its page: DOT, Graphviz, finished SVG (and a PNG for og:image),
each level taken from the build cache when it holds it.

Two levels of cache: a map's finished diagrams under its model (an unchanged map costs
no DOT, no Graphviz and no SVG work), and Graphviz's output under the DOT sources (a
change that does not touch the diagrams costs no layout). Graphviz lays the diagrams out
while the caller works out the rest of the page: :func:`start_drawing` starts it,
:meth:`Drawing.finish` waits for it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from argmap.analysis.graph import ArgumentGraph
from argmap.build.cache import BuildCache, StoredDrawing
from argmap.model import LintSettings, NodeKind
from argmap.render.dot import id_prefix, node_tooltips, to_dot
from argmap.render.layers import page_drawing
from argmap.render.overview import OVERVIEW_PREFIX, overview
from argmap.render.layout import render, start_svgs
from argmap.render.site import RenderedMap
from argmap.render.site_index import page_path
from argmap.render.svg import finish_svg

if TYPE_CHECKING:
    from argmap.analysis.evaluate import Evaluation
    from argmap.render.layout import DotRunner, PendingSvgs

_EVALUATED = (
    " Each statement is marked as standing (IN); defeated, left without support or"
    " rejected (OUT, dashed border and grey); or undecided (UNDEC, dotted border),"
    " under grounded semantics."
)


def start_drawing(
    graph: ArgumentGraph,
    evaluation: Evaluation,
    cache: BuildCache | None,
    timeout: float,
    runner: DotRunner | None,
    *,
    with_png: bool,
) -> Drawing:
    """Start drawing the map's plain and evaluated diagram (and a PNG when asked)."""
    drawing = Drawing(graph, evaluation, cache, timeout, runner, with_png=with_png)
    if drawing.stored is None:
        drawing.start()
    return drawing


class Drawing:
    """A map's diagrams being drawn: :meth:`finish` waits for Graphviz and finishes them;
    :meth:`cancel` stops Graphviz when the caller gives up on the page."""

    def __init__(
        self,
        graph: ArgumentGraph,
        evaluation: Evaluation,
        cache: BuildCache | None,
        timeout: float,
        runner: DotRunner | None,
        *,
        with_png: bool,
    ) -> None:
        self.graph, self.evaluation, self.cache = graph, evaluation, cache
        self.timeout, self.runner, self.with_png = timeout, runner, with_png
        self.href = Path(page_path(graph.map.slug)).name
        self.keys: list[str] = []  # the cache entries the diagrams come from
        self.all_cached = True
        self.layouts: list[str] | None = None  # Graphviz's SVGs, once there
        self.pending: PendingSvgs | None = None
        self.map_key = ""
        self.stored: StoredDrawing | None = None
        self.shown = overview(graph)  # a large map's overview graph, or None
        self.overview_source = to_dot(self.shown, self.href) if self.shown is not None else ""
        if cache is not None:
            # The map's model without its lint settings, whose sets have no stable order.
            model = replace(graph.map, lint=LintSettings())
            self.map_key = cache.key("map", repr(model), with_png)
            self.stored = cache.drawing(self.map_key)

    def start(self) -> None:
        """Both diagrams' layouts from the cache (one entry, under their DOT sources),
        or from Graphviz, started now."""
        # The plain diagram, the page's one (with the evaluation as a layer), and the
        # evaluated one, which is only the SVG file of its own.
        sources = [to_dot(self.graph, self.href, shown) for shown in (None, self.evaluation)]
        if self.overview_source:  # a large map's overview: the same dot run
            sources.append(self.overview_source)
        key = self.cache.key("svgs", *sources) if self.cache is not None else ""
        self.keys.append(key)
        if self.cache is not None:
            self.layouts = self.cache.layouts(key, len(sources))
        if self.layouts is None:
            self.all_cached = False
            name = str(self.graph.map.path)
            self.pending = start_svgs(sources, timeout=self.timeout, name=name, runner=self.runner)

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()

    def finish(self) -> tuple[RenderedMap, bool]:
        """The map with its finished diagrams, and whether they all came from the cache."""
        if self.stored is not None:
            stored = self.stored
            svgs = (Markup(stored.svg), Markup(stored.evaluated_svg))
            keys = (self.map_key, *stored.keys)
            return self._rendered(svgs, stored.png, keys, None), True
        layouts = self._layouts()
        # Markup now, so that the page takes the diagram as it is (see map_page)
        labels = {
            self.graph.numbers[node_id]: label
            for node_id, label in self.evaluation.labels.items()
            if node_id in self.graph.numbers
        }
        plain = Markup(page_drawing(self._finished(layouts.pop(0), None), labels))
        evaluated = Markup(self._finished(layouts.pop(0), self.evaluation))
        over = layouts.pop(0) if layouts else None  # a large map's overview
        if over is not None and self.cache is not None:  # kept for warm builds
            key = self.cache.key("overview", self.overview_source)
            self.cache.put_graphviz(key, over.encode("utf-8"))
        png = self._png() if self.with_png else None
        if self.cache is not None:
            stored = StoredDrawing(plain, evaluated, png, tuple(self.keys))
            self.cache.put_drawing(self.map_key, stored)
        keys = (self.map_key, *self.keys) if self.cache is not None else ()
        return self._rendered((plain, evaluated), png, keys, over), self.all_cached

    def _rendered(
        self,
        svgs: tuple[Markup, Markup],
        png: bytes | None,
        keys: tuple[str, ...],
        layout: str | None,
    ) -> RenderedMap:
        rendered = RenderedMap(self.graph, svgs[0], svgs[1], self.evaluation, png)
        return replace(rendered, cache_keys=keys, overview_svg=self._overview(layout))

    def _overview(self, layout: str | None) -> Markup:
        """A large map's overview (argmap.render.overview): its layout from this run of
        Graphviz, else from the cache, else drawn now; empty for a map that needs none."""
        shown = self.shown
        if shown is None:
            return Markup("")
        source = self.overview_source
        data = layout.encode("utf-8") if layout is not None else None
        key = self.cache.key("overview", source) if self.cache is not None else ""
        if data is None and self.cache is not None:
            data = self.cache.graphviz(key)
        if data is None:
            data = render(source, "svg", timeout=self.timeout, name=str(self.graph.map.path))
            if self.cache is not None:
                self.cache.put_graphviz(key, data)
        return Markup(
            finish_svg(
                data.decode("utf-8"),
                title=f"Overview: the top of the map {self.graph.map.title}",
                description=(
                    f"The {len(shown.nodes)} statements nearest the main thesis; each box"
                    " whose reasons are left out says how many statements are folded below it."
                ),
                tooltips={OVERVIEW_PREFIX + k: v for k, v in node_tooltips(shown).items()},
                id_prefix=OVERVIEW_PREFIX,
            )
        )

    def _layouts(self) -> list[str]:
        """Graphviz's SVGs of both diagrams, waited for (and kept) if drawn now."""
        if self.pending is not None:
            self.layouts = self.pending.result()
            if self.cache is not None:
                self.cache.put_layouts(self.keys[0], self.layouts)
        assert self.layouts is not None
        layouts, self.layouts = self.layouts, None
        return layouts

    def _finished(self, layout: str, shown: Evaluation | None) -> str:
        """Graphviz's SVG of one diagram as the page shows it: titled, described, with
        tooltips, its element ids prefixed (both diagrams sit in one page)."""
        title, description = "Argument map", describe(self.graph)
        if shown is not None:
            title, description = "Evaluated argument map", description + _EVALUATED
        return finish_svg(
            layout,
            title=f"{title}: {self.graph.map.title}",
            description=description,
            tooltips=node_tooltips(self.graph, shown),
            id_prefix=id_prefix(shown),
        )

    def _png(self) -> bytes:
        """The plain diagram as PNG, from the cache or from Graphviz."""
        source = to_dot(self.graph, self.href)
        key = self.cache.key("png", source) if self.cache is not None else ""
        self.keys.append(key)
        data = self.cache.graphviz(key) if self.cache is not None else None
        if data is None:
            self.all_cached = False
            data = render(source, "png", timeout=self.timeout, name=str(self.graph.map.path))
            if self.cache is not None:
                self.cache.put_graphviz(key, data)
        return data


def describe(graph: ArgumentGraph) -> str:
    """A one-paragraph description of the diagram, for screen readers."""
    from argmap.markdown import to_plain

    counts = graph.counts()
    return (
        f"Diagram with {counts[NodeKind.CLAIM]} claims, {counts[NodeKind.PREMISE]} premises "
        f"and {counts[NodeKind.REBUTTAL]} rebuttals. Main thesis "
        f"{graph.numbers[graph.map.thesis]}: {to_plain(graph.thesis.text)} "
        "The outline on the page gives the same argument as text."
    )
