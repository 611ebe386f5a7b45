"""Stage 4b: run Graphviz (and, for ``argmap handout --pdf``, headless Chromium's
print-to-PDF). The only module that starts a subprocess.

Errors subclass :class:`~argmap.diagnostics.SetupError` (an ``OSError``): a
missing or failing ``dot`` is a problem of the machine, not of the map (exit code 3).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from argmap.diagnostics import SetupError

DEFAULT_TIMEOUT = 120.0  # seconds for one run of `dot` (one map: both its diagrams)

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
        if completed.returncode < 0:
            # Killed by a signal (a crash, or the kernel's out-of-memory killer): in
            # practice a diagram too large for Graphviz, such as a statement of a megabyte.
            raise GraphvizError(
                f"Graphviz crashed (signal {-completed.returncode}) on {name}: "
                f"{stderr[:500] or 'no message'}",
                "the diagram is probably too large for Graphviz: shorten the longest "
                "statements (AM407 lists those over the limit) or split the map into smaller "
                "maps; if the map is small, please report it",
            )
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


# Where each SVG document of a multi-graph run starts: Graphviz writes every graph as a
# whole document, prolog first. (`<` in any text is written as `&lt;`, so this cannot
# occur inside a document.)
_SVG_START = re.compile(rb"(?=<\?xml )")
# Graphviz numbers the graphs of one run as pages and gives every graph after the first
# the id "page0,N_graph0" (2.43) instead of "graph0": undone, so that each document is
# exactly what a run of its own gives.
_PAGE_ID = re.compile(r'(<g id=")page\d+,\d+_')


def render_svgs(
    dot_sources: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    name: str = "map",
    at_once: bool = False,
) -> list[str]:
    """Lay out several graphs in one ``dot -Tsvg`` process: one SVG text per source.

    A map's two diagrams (plain and evaluated) are drawn this way, saving a Graphviz
    start-up (about 15 ms) per map. ``timeout`` is for the whole run, that is for the
    map (``argmap build --timeout``: "how long Graphviz may take to lay out one map");
    errors name ``name`` as :func:`render`'s do.

    With ``at_once``, each graph gets a ``dot`` process of its own and they run at the
    same time, with the same time limit: for a large map, whose layouts take longer than
    a start-up, on a machine with cores to spare. The output is the same.
    """
    if not dot_sources:
        return []
    if at_once and len(dot_sources) > 1:
        from concurrent.futures import ThreadPoolExecutor

        def one(source: str) -> str:
            return render_svg(source, timeout=timeout, name=name)

        with ThreadPoolExecutor(max_workers=len(dot_sources)) as pool:
            return list(pool.map(one, dot_sources))
    output = render("\n".join(dot_sources), "svg", timeout=timeout, name=name)
    # Split before decoding: one text of both documents would be a copy of the largest
    # size (a map's SVGs are megabytes at 500 statements).
    documents = [doc.decode("utf-8", "replace") for doc in _SVG_START.split(output) if doc]
    del output
    if len(documents) != len(dot_sources) or not all("<svg" in doc for doc in documents):
        raise GraphvizError(
            f"Graphviz produced {len(documents)} SVG documents for the "
            f"{len(dot_sources)} diagrams of {name}",
            "check that `dot -Tsvg` works on this machine (a broken Graphviz install?)",
        )
    return [documents[0], *(_PAGE_ID.sub(r"\1", doc, count=1) for doc in documents[1:])]


# -- print to PDF (argmap handout --pdf) -----------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_INSTALL_HINT = (
    "install Chromium: `sudo apt-get install chromium` (Debian; on Ubuntu the package is a "
    "snap, which may not run headless in a container), `brew install --cask chromium` "
    "(macOS); or print the HTML handout to PDF from any browser"
)


class BrowserNotFoundError(SetupError):
    """No Chromium (or Chrome) on PATH to print a PDF with."""


class PrintError(SetupError):
    """Chromium ran but produced no PDF, or took too long."""


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path is not None:
            return path
    raise BrowserNotFoundError(
        "printing a PDF needs Chromium, and none was found on PATH "
        f"(looked for {', '.join(BROWSERS)})",
        BROWSER_INSTALL_HINT,
    )


def print_pdf(html_path: Path, pdf_path: Path, *, timeout: float = 120.0) -> None:
    """Print a local HTML file to PDF with headless Chromium (paper size from CSS @page)."""
    browser = find_browser()
    html_path, pdf_path = html_path.resolve(), pdf_path.resolve()
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="argmap-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.as_uri(),
        ]
        try:
            completed = subprocess.run(
                command, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise PrintError(
                f"Chromium took longer than {timeout:g} s to print {html_path.name}",
                "try again, or print the HTML handout to PDF from a browser",
            ) from None
        except OSError as error:
            raise BrowserNotFoundError(
                f"could not run Chromium: {error}", BROWSER_INSTALL_HINT
            ) from None
    if not pdf_path.is_file() or not pdf_path.read_bytes().startswith(b"%PDF"):
        stderr = completed.stderr.decode("utf-8", "replace").strip()
        raise PrintError(
            f"Chromium printed no PDF (exit {completed.returncode}): {stderr[-500:]}",
            "check that `chromium --headless --print-to-pdf=out.pdf about:blank` works here",
        )
