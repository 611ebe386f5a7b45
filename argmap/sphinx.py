"""A Sphinx extension: the ``argmap`` directive shows a map inline, with its diagram and
outline (the fragment of :mod:`argmap.build.fragment`).

In ``conf.py``: ``extensions = ["argmap.sphinx"]``. Then, in reStructuredText::

    .. argmap:: maps/uniforms.toml
       :node: keep
       :no-outline:

and in MyST Markdown (with ``myst_parser``)::

    ```{argmap} maps/uniforms.toml
    :node: keep
    ```

The path is relative to the document (or, starting with ``/``, to the source folder);
the page is rebuilt when the map changes. ``:node: ID`` shows only the part of the map
under that statement; ``:outline:`` (the default) and ``:no-outline:`` show or leave out
the outline. A map with errors, an unknown node or a failing Graphviz gives a Sphinx
warning at the map's ``file:line`` (or at the directive), not a traceback, and nothing
is shown; ``sphinx-build -W`` makes these errors. The map's lint warnings are left to
``argmap check``. The fragment is raw HTML: builders other than HTML leave it out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import ExtensionMetadata

from argmap import __version__
from argmap.build.fragment import FragmentError, default_id_prefix, render_fragment
from argmap.config import Config
from argmap.diagnostics import SetupError, Severity, printable

logger = logging.getLogger(__name__)


class ArgmapDirective(SphinxDirective):
    """``.. argmap:: PATH`` with the options ``:node: ID``, ``:outline:``, ``:no-outline:``."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "node": directives.unchanged_required,
        "outline": directives.flag,
        "no-outline": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        from argmap.build.pipeline import check

        relative, absolute = self.env.relfn2path(self.arguments[0], self.env.docname)
        path = Path(absolute)
        if not path.is_file():
            return self._warn(f"argmap: no map file {self.arguments[0]!r} ({path})")
        self.env.note_dependency(relative)
        if "outline" in self.options and "no-outline" in self.options:
            return self._warn("argmap: give :outline: or :no-outline:, not both")
        result = check([path], Config())
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if errors or not result.graphs:
            for problem in errors:
                logger.warning(
                    "argmap: %s: error[%s]: %s (the map of the argmap directive at %s)",
                    path.name,
                    problem.code,
                    printable(problem.message),
                    self.get_location(),
                    location=f"{problem.path}:{problem.position.line}",
                )
            return self._warn(f"argmap: {self.arguments[0]} has errors; nothing is shown")
        node = self.options.get("node")
        graph = result.graphs[0]
        prefix = default_id_prefix(graph.map.slug, node)
        serial = self.env.new_serialno(f"argmap:{prefix}")  # counted per document
        if serial:
            prefix += f"-{serial + 1}"
        try:
            html = render_fragment(
                graph, node=node, outline="no-outline" not in self.options, id_prefix=prefix
            )
        except FragmentError as error:
            return self._warn(f"argmap: {error}")
        except SetupError as error:
            hint = f" ({error.hint})" if error.hint else ""
            return self._warn(f"argmap: {error.message}{hint}")
        return [nodes.raw("", html, format="html")]

    def _warn(self, message: str) -> list[nodes.Node]:
        logger.warning(message, location=self.get_location())
        return []


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``argmap`` directive."""
    app.add_directive("argmap", ArgmapDirective)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
