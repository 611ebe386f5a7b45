"""Stage 4b: run Graphviz (and, for ``argmap handout --pdf``, headless Chromium's
print-to-PDF). The only module that starts a subprocess.

Errors subclass :class:`~argmap.diagnostics.SetupError` (an ``OSError``): a
missing or failing ``dot`` is a problem of the machine, not of the map (exit code 3).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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


def end_with(parent: int) -> None:
    """Let the kernel kill this process when ``parent`` (the process that started it)
    ends, even by ``kill -9``, which leaves it no chance to end its children itself;
    Linux only (elsewhere nothing happens). If ``parent`` has ended already, end now.

    Strictly, the kernel acts when the *thread* that started this process ends: argmap
    starts its processes from the thread that waits for them."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # it ended before the request was made
            os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, on Linux; loaded when first needed (importing ctypes
    adds to every command's start-up)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, *[ctypes.c_ulong] * 4]
    function.restype = ctypes.c_int
    prctl: Callable[..., int] = function
    return prctl


def _ending_with_us() -> dict[str, Any]:
    """Options for ``subprocess``: the program (``dot``, Chromium) ends when this process
    does, however it ends: a build killed with ``kill -9`` must not leave Graphviz
    running. (``preexec_fn`` makes Python fork instead of vfork: measured in
    benchmarks/README.md, "Reproducibility cost".)"""
    if _prctl() is None:
        return {}
    parent = os.getpid()
    return {"preexec_fn": lambda: end_with(parent)}


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

    def __init__(
        self, dot_source: str | bytes, output_format: str, timeout: float, name: str
    ) -> None:
        if output_format not in FORMATS:
            raise ValueError(f"unknown Graphviz output format {output_format!r}")
        self.timeout, self.name = timeout, name
        self.deadline = time.monotonic() + timeout
        self.folder = tempfile.TemporaryDirectory(prefix="argmap-dot-")
        folder = Path(self.folder.name)
        data = dot_source.encode("utf-8") if isinstance(dot_source, str) else dot_source
        (folder / "in").write_bytes(data)
        try:
            with (folder / "in").open("rb") as source, (folder / "out").open("wb") as out:
                self.process = subprocess.Popen(
                    [find_dot(), f"-T{output_format}"],
                    **_ending_with_us(),
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


def render_svg(
    dot_source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    name: str = "map",
    runner: DotRunner | None = None,
) -> str:
    """Lay out DOT source as SVG text (by ``runner``'s running ``dot`` when given)."""
    return start_svgs([dot_source], timeout=timeout, name=name, runner=runner).result()[0]


# Where each SVG document of a multi-graph run starts: Graphviz writes every graph as a
# whole document, prolog first. (`<` in any text is written as `&lt;`, so this cannot
# occur inside a document.)
_SVG_START = re.compile(rb"(?=<\?xml )")
# Graphviz numbers the graphs of one run as pages and gives every graph after the first
# the id "page0,N_graph0" (2.43) instead of "graph0": undone, so that each document is
# exactly what a run of its own gives (the first has "graph0" already).
_PAGE_ID = re.compile(r'(<g id=")page\d+,\d+_')


def render_svgs(
    dot_sources: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    name: str = "map",
    runner: DotRunner | None = None,
) -> list[str]:
    """Lay out several graphs in one ``dot -Tsvg`` process: one SVG text per source.

    A map's two diagrams (plain and evaluated) are drawn this way, saving a Graphviz
    start-up per map. ``timeout`` is for the whole run, that is for the map
    (``argmap build --timeout``: "how long Graphviz may take to lay out one map");
    errors name ``name`` as :func:`render`'s do.
    """
    return start_svgs(dot_sources, timeout=timeout, name=name, runner=runner).result()


def start_svgs(
    dot_sources: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    name: str = "map",
    runner: DotRunner | None = None,
) -> PendingSvgs:
    """:func:`render_svgs`, started: Graphviz works while the caller goes on, and
    :meth:`PendingSvgs.result` gives the SVG texts (or raises what render_svgs raises).

    With a ``runner``, the graphs go to its running ``dot``, except a graph with a
    subgraph (a map with sections): that one, as each graph of its run, gets a ``dot``
    of its own (see :func:`_has_subgraph`), so its SVG is always what ``dot -Tsvg``
    gives for it alone, whatever was drawn before. Without one, the graphs get a new
    ``dot``."""
    if not dot_sources:
        return PendingSvgs([], 0, name)
    # A graph with a subgraph gets a dot of its own, which has drawn nothing before it.
    each_alone = any(map(_has_subgraph, dot_sources))
    data = b"" if each_alone else "\n".join(dot_sources).encode("utf-8")
    server = runner.server() if runner is not None and not each_alone else None
    if server is not None and server.send(data, timeout):
        return PendingSvgs([], len(dot_sources), name, served=(server, data, timeout))
    runs: list[_Run] = []
    try:
        if each_alone:
            runs = [_Run(source, "svg", timeout, name) for source in dot_sources]
        else:
            runs = [_Run(data, "svg", timeout, name)]
    except BaseException:
        for run in runs:
            run.stop()
        raise
    return PendingSvgs(runs, len(dot_sources), name)


def _has_subgraph(dot_source: str) -> bool:
    """Whether a graph may have a subgraph (a section's frame is one), and so must be laid
    out by a ``dot`` that has laid out nothing before: Graphviz 2.43 keeps a graph's
    subgraphs in the order of the memory addresses of their names (cgraph's default ID
    discipline makes a name's interned string its ID) and numbers unnamed ones from a
    counter that lives as long as the process. In a ``dot`` that has drawn other graphs,
    freed memory is reused in another order, so the frames, and with them the crossing
    reduction, come out in an order that depends on the graphs drawn before.

    Every subgraph opens with ``{`` in DOT; a ``{`` in a label only costs a start-up."""
    return dot_source.find("{", dot_source.find("{") + 1) >= 0


class PendingSvgs:
    """The diagrams :func:`start_svgs` asked Graphviz for."""

    def __init__(
        self,
        runs: list[_Run],
        count: int,
        name: str,
        served: tuple[_Server, bytes, float] | None = None,
    ) -> None:
        self._runs, self._count, self._name, self._served = runs, count, name, served

    def result(self) -> list[str]:
        """The SVG texts, one per source, once Graphviz has finished."""
        if self._served is not None:
            server, data, timeout = self._served
            self._served = None
            try:
                output = server.receive(self._count, self._name)
            except _ServerLostError:
                # The running dot ended: this map's graphs get a dot of their own,
                # which says what went wrong, if anything does.
                output = _Run(data, "svg", timeout, self._name).output()
            return _split_svgs(output, self._count, self._name)
        try:
            outputs = [run.output() for run in self._runs]
        finally:
            self.cancel()
        if len(outputs) == self._count:  # one process per graph
            return [_one_svg(output, self._name) for output in outputs]
        return _split_svgs(outputs[0], self._count, self._name) if outputs else []

    def cancel(self) -> None:
        """Stop Graphviz (when the caller gives up on the diagrams)."""
        if self._served is not None:
            self._served[0].close(kill=True)  # it would still write this map's SVGs
            self._served = None
        for run in self._runs:
            run.stop()


# -- one dot for a whole build ---------------------------------------------------------------

# Starting `dot` costs more than laying out a small map (loading its libraries, fonts
# and plugins), and `dot` lays out graph after graph from one input, writing each as
# soon as it is done. So a build keeps one `dot -Tsvg` running per process
# (:class:`DotRunner`), and sends it each map's graphs.
_PIPE_SIZE = 1 << 20  # bytes, each way: a map's DOT is written whole without waiting


class DotRunner:
    """One ``dot -Tsvg`` kept running for the layouts it is given (:func:`start_svgs`,
    :func:`render_svg` with ``runner=``): started on first use, started again when it
    has ended or failed, ended by :meth:`close` (or on leaving a ``with`` block).

    Where a pipe's size cannot be known (not Linux), every layout gets a ``dot`` of its
    own, as without a runner.
    """

    def __init__(self) -> None:
        self._server: _Server | None = None

    def __enter__(self) -> DotRunner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The running ``dot``, if one runs (for tests and diagnostics)."""
        server = self._server
        return server.process if server is not None and not server.gone else None

    def server(self) -> _Server | None:
        """The running ``dot``, started if needed; None where it is not possible."""
        if not _Server.possible():
            return None
        server = self._server
        if server is not None and (server.pid != os.getpid() or server.gone):
            server.close(kill=server.pid == os.getpid())  # a forked copy: the parent's dot
            server = None
        if server is None:
            server = self._server = _Server()
        return server

    def close(self) -> None:
        """Let the running ``dot`` end (in a forked copy: only close its pipes)."""
        server, self._server = self._server, None
        if server is not None:
            server.close()


class _ServerLostError(Exception):
    """The running ``dot`` ended or could not take a map's graphs."""


class _Server:
    """One ``dot -Tsvg`` that lays out one map's graphs after another.

    A map's DOT is written whole into its input pipe, which is made large enough (else
    :meth:`send` declines and the map gets a run of its own), so the caller goes on while
    ``dot`` works; :meth:`receive` then reads until each graph's ``</svg>`` (``<`` in any
    text is written ``&lt;``, so it cannot occur inside a document).
    """

    def __init__(self) -> None:
        try:
            self.process = subprocess.Popen(
                [find_dot(), "-Tsvg"],
                **_ending_with_us(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a map it fails on is run again on its own
                bufsize=0,
            )
        except OSError as error:
            raise GraphvizNotFoundError(
                f"could not run Graphviz `dot`: {error}", INSTALL_HINT
            ) from None
        self.pid = os.getpid()
        self.gone = False
        self.deadline = 0.0
        self.timeout = 0.0
        assert self.process.stdin is not None and self.process.stdout is not None
        self.input, self.output = self.process.stdin.fileno(), self.process.stdout.fileno()
        self.capacity = min(_pipe_size(self.input), _pipe_size(self.output))
        self.readable = select.poll()  # not select.select: no limit on descriptor numbers
        self.readable.register(self.output, select.POLLIN)

    @staticmethod
    def possible() -> bool:
        try:
            import fcntl
        except ImportError:  # Windows
            return False
        return hasattr(fcntl, "F_GETPIPE_SZ")  # Linux

    def send(self, data: bytes, timeout: float) -> bool:
        """Give ``dot`` one map's graphs; False (nothing sent) if they do not fit, or if
        ``dot`` has ended or written what no map asked for (then it is ended)."""
        if len(data) + 1 > self.capacity or self.gone:
            return False
        if self.readable.poll(0):  # output, or its end, before any map asked
            self.close(kill=True)
            return False
        self.deadline, self.timeout = time.monotonic() + timeout, timeout
        try:
            view = memoryview(data + b"\n")
            while view:
                view = view[os.write(self.input, view) :]
        except OSError:
            self.close(kill=True)
            return False
        return True

    def receive(self, count: int, name: str) -> bytes:
        """The ``count`` SVG documents ``dot`` writes for what :meth:`send` gave it."""
        output = bytearray()
        found = 0
        while found < count or not output.endswith(b"</svg>\n"):
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.close(kill=True)
                raise GraphvizError(
                    f"Graphviz took longer than {self.timeout:g} s to lay out {name}",
                    "split the map into smaller maps, or allow more time with --timeout SECONDS",
                )
            if not self.readable.poll(left * 1000):
                continue
            chunk = os.read(self.output, _PIPE_SIZE)
            if not chunk:
                self.close(kill=True)
                raise _ServerLostError
            before = len(output)
            output += chunk
            found += output.count(b"</svg>", max(0, before - 5))
        return bytes(output)

    def close(self, *, kill: bool = False) -> None:
        """Let ``dot`` end (its input closed), or kill it; in a forked copy of this
        object only close the pipes, which belong to the parent's ``dot``."""
        self.gone = True
        own = self.pid == os.getpid()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        if not own:
            return
        if kill and self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _pipe_size(descriptor: int) -> int:
    """Make a pipe :data:`_PIPE_SIZE` bytes large if the system lets us; its size."""
    import fcntl

    with contextlib.suppress(OSError):  # over /proc/sys/fs/pipe-max-size: as large as it is
        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    return fcntl.fcntl(descriptor, fcntl.F_GETPIPE_SZ)


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
    return [_PAGE_ID.sub(r"\1", doc, count=1) for doc in documents]


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
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
                **_ending_with_us(),
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
