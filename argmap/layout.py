"""Stage 4b: run Graphviz. The only module that starts a subprocess.

Errors subclass :class:`~argmap.diagnostics.SetupError` (an ``OSError``): a
missing or failing ``dot`` is a problem of the machine, not of the map (exit code 3).
"""

from __future__ import annotations

import shutil
import subprocess

from argmap.diagnostics import SetupError

DEFAULT_TIMEOUT = 120.0  # seconds for one diagram

INSTALL_HINT = (
    "install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS), `winget install graphviz` (Windows); "
    "then check that `dot -V` works"
)


class GraphvizNotFoundError(SetupError):
    """The ``dot`` program is not on PATH."""


class GraphvizError(SetupError):
    """``dot`` ran but failed or took too long."""


def find_dot() -> str:
    path = shutil.which("dot")
    if path is None:
        raise GraphvizNotFoundError(
            "the Graphviz program `dot` was not found on PATH", INSTALL_HINT
        )
    return path


FORMATS = ("svg", "png", "pdf", "dot")  # what `dot -T` is asked for; "dot" adds layout


def render(
    dot_source: str, output_format: str, *, timeout: float = DEFAULT_TIMEOUT, name: str = "map"
) -> bytes:
    """Lay out DOT source with ``dot -T<output_format>`` and return the output bytes."""
    if output_format not in FORMATS:
        raise ValueError(f"unknown Graphviz output format {output_format!r}")
    command = [find_dot(), f"-T{output_format}"]
    try:
        completed = subprocess.run(
            command,
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(
            f"Graphviz took longer than {timeout:g} s to lay out {name}",
            "split the map into smaller maps, or allow more time with --timeout SECONDS",
        ) from None
    except OSError as error:
        raise GraphvizNotFoundError(
            f"could not run Graphviz `dot`: {error}", INSTALL_HINT
        ) from None
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", "replace").strip()
        raise GraphvizError(
            f"Graphviz failed on {name} (exit {completed.returncode}): {stderr[:500]}",
            "this is a bug in argmap or a broken Graphviz install; please report it with the map",
        )
    if not completed.stdout:
        raise GraphvizError(
            f"Graphviz produced no output for {name}",
            "check that `dot -Tsvg` works on this machine (a broken Graphviz install?)",
        )
    return completed.stdout


def render_svg(dot_source: str, *, timeout: float = DEFAULT_TIMEOUT, name: str = "map") -> str:
    """Lay out DOT source as SVG text."""
    svg = render(dot_source, "svg", timeout=timeout, name=name).decode("utf-8", "replace")
    if "<svg" not in svg:
        raise GraphvizError(
            f"Graphviz produced no SVG for {name}",
            "check that `dot -Tsvg` works on this machine (a broken Graphviz install?)",
        )
    return svg
