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
import time
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
    return _Run(dot_source, output_format, timeout, name).output()


class _Run:
    """One ``dot`` process, started at once; :meth:`output` waits for what it wrote.

    Its input and output are temporary files, not pipes, so the caller can go on with
    other work while Graphviz lays out (a full pipe would stall it). Its messages come
    through a pipe, read by :meth:`output`, which so learns at once that ``dot`` has
    finished (``Popen.wait`` with a time limit polls, adding up to 50 ms per run).
    """

    def __init__(self, dot_source: str, output_format: str, timeout: float, name: str) -> None:
        if output_format not in FORMATS:
            raise ValueError(f"unknown Graphviz output format {output_format!r}")
        self.timeout, self.name = timeout, name
        self.deadline = time.monotonic() + timeout
        self.folder = tempfile.TemporaryDirectory(prefix="argmap-dot-")
        folder = Path(self.folder.name)
        (folder / "in").write_bytes(dot_source.encode("utf-8"))
        try:
            with (folder / "in").open("rb") as source, (folder / "out").open("wb") as out:
                self.process = subprocess.Popen(
                    [find_dot(), f"-T{output_format}"],
                    stdin=source,
                    stdout=out,
                    stderr=subprocess.PIPE,
                )
        except OSError as error:
            self.folder.cleanup()
            raise GraphvizNotFoundError(
                f"could not run Graphviz `dot`: {error}", INSTALL_HINT
            ) from None
        except BaseException:
            self.folder.cleanup()
            raise

    def output(self) -> bytes:
        """What ``dot`` wrote, once it has finished; an error if it failed or ran late."""
        try:
            try:
                _, messages = self.process.communicate(
                    timeout=max(0.0, self.deadline - time.monotonic())
                )
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise GraphvizError(
                    f"Graphviz took longer than {self.timeout:g} s to lay out {self.name}",
                    "split the map into smaller maps, or allow more time with --timeout SECONDS",
                ) from None
            if self.process.returncode != 0:
                stderr = messages.decode("utf-8", "replace").strip()
                raise _failure(self.process.returncode, stderr, self.name)
            data = (Path(self.folder.name) / "out").read_bytes()
        finally:
            self.stop()
        if not data:
            raise GraphvizError(
                f"Graphviz produced no output for {self.name}",
                "check that `dot -Tsvg` works on this machine (a broken Graphviz install?)",
            )
        return data

    def stop(self) -> None:
        """End the process if it still runs, and remove its files."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.folder.cleanup()


def _failure(returncode: int, stderr: str, name: str) -> GraphvizError:
    if returncode < 0:
        # Killed by a signal (a crash, or the kernel's out-of-memory killer): in
        # practice a diagram too large for Graphviz, such as a statement of a megabyte.
        return GraphvizError(
            f"Graphviz crashed (signal {-returncode}) on {name}: {stderr[:500] or 'no message'}",
            "the diagram is probably too large for Graphviz: shorten the longest "
            "statements (AM407 lists those over the limit) or split the map into smaller "
            "maps; if the map is small, please report it",
        )
    return GraphvizError(
        f"Graphviz failed on {name} (exit {returncode}): {stderr[:500]}",
        "this is a bug in argmap or a broken Graphviz install; please report it with the map",
    )


def render_svg(dot_source: str, *, timeout: float = DEFAULT_TIMEOUT, name: str = "map") -> str:
    """Lay out DOT source as SVG text."""
    return _one_svg(render(dot_source, "svg", timeout=timeout, name=name), name)


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
    return start_svgs(dot_sources, timeout=timeout, name=name, at_once=at_once).result()


def start_svgs(
    dot_sources: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    name: str = "map",
    at_once: bool = False,
) -> PendingSvgs:
    """:func:`render_svgs`, started: Graphviz works while the caller goes on, and
    :meth:`PendingSvgs.result` gives the SVG texts (or raises what render_svgs raises)."""
    runs: list[_Run] = []
    try:
        if at_once and len(dot_sources) > 1:
            runs = [_Run(source, "svg", timeout, name) for source in dot_sources]
        elif dot_sources:
            runs = [_Run("\n".join(dot_sources), "svg", timeout, name)]
    except BaseException:
        for run in runs:
            run.stop()
        raise
    return PendingSvgs(runs, len(dot_sources), name)


class PendingSvgs:
    """The diagrams :func:`start_svgs` asked Graphviz for."""

    def __init__(self, runs: list[_Run], count: int, name: str) -> None:
        self._runs, self._count, self._name = runs, count, name

    def result(self) -> list[str]:
        """The SVG texts, one per source, once Graphviz has finished."""
        try:
            outputs = [run.output() for run in self._runs]
        finally:
            self.cancel()
        if len(outputs) == self._count:  # one process per graph
            return [_one_svg(output, self._name) for output in outputs]
        return _split_svgs(outputs[0], self._count, self._name) if outputs else []

    def cancel(self) -> None:
        """Stop Graphviz (when the caller gives up on the diagrams)."""
        for run in self._runs:
            run.stop()


def _one_svg(output: bytes, name: str) -> str:
    svg = output.decode("utf-8", "replace")
    if "<svg" not in svg:
        raise GraphvizError(
            f"Graphviz produced no SVG for {name}",
            "check that `dot -Tsvg` works on this machine (a broken Graphviz install?)",
        )
    return svg


def _split_svgs(output: bytes, count: int, name: str) -> list[str]:
    """The documents of a run of several graphs, each as a run of its own gives it."""
    # Split before decoding: one text of both documents would be a copy of the largest
    # size (a map's SVGs are megabytes at 500 statements).
    documents = [doc.decode("utf-8", "replace") for doc in _SVG_START.split(output) if doc]
    del output
    if len(documents) != count or not all("<svg" in doc for doc in documents):
        raise GraphvizError(
            f"Graphviz produced {len(documents)} SVG documents for the {count} diagrams of {name}",
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
