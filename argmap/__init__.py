"""argmap: argument maps written in TOML, published as HTML pages with SVG diagrams.

The pipeline reads in module names: load -> validate -> graph -> dot/layout/svg -> site
-> output; :mod:`argmap.build.pipeline` runs it. The public API is small on purpose.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
