"""``argmap serve``: the site on 127.0.0.1, rebuilt when a file changes, pages reloaded.

A preview for authors, not a production server. The HTTP server serves the output
folder as it is on disk (a build swaps the folder in whole, so a request sees the old
site or the new one). :class:`Watcher` polls the inputs' modification times and sizes;
on a change the site is built again. A failed build keeps the previous site and records
the error. Every HTML page is served with one extra script, ``/_argmap/live.js``, which
polls ``/_argmap/state.js`` (a script, so the pages' strict ``script-src 'self'``
policy stays as it is, no ``connect-src`` needed): a new version reloads the page, an
error is shown on top of it. The script tag carries the version of the build the page
was read from, so a page served just before a rebuild reloads even when its first poll
comes after that rebuild. A request that a page of another site makes (a script tag,
an image, a fetch: browsers say so in ``Sec-Fetch-Site``) is refused, so that no page
elsewhere can read the maps or the last error through a script tag; following a link
to the preview still works. A request must name the server's own address in its
``Host`` header (:func:`allowed_hosts`): a site whose name is made to resolve to
127.0.0.1 (DNS rebinding) is then one origin the pages' own requests come from, and
gets nothing. A path that no file of the site can have (:func:`path_problem`) is
refused before it reaches the file system. Nothing here prints; the CLI gets events
through callbacks.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

PREFIX = "/_argmap/"
LIVE_TAG = f'<script src="{PREFIX}live.js" data-version="{{version}}" defer></script>'
LIVE_SCRIPT = """\
/* argmap serve: reload the page when the site was rebuilt; show a failed build. */
(function () {
  "use strict";
  var me = document.currentScript;
  var given = me ? parseInt(me.getAttribute("data-version"), 10) : NaN;
  var seen = isNaN(given) ? null : given;  /* the build this page was read from */
  var banner = null;
  function show(error) {
    if (!error) {
      if (banner) { banner.remove(); banner = null; }
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "_argmap-serve-error";
      banner.setAttribute("role", "alert");
      var s = banner.style;
      /* sticky, first in the page: it stays in sight without covering the page's top */
      s.position = "sticky"; s.top = "0"; s.zIndex = "99";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.background = "#fff0f0";
      s.borderBottom = "3px solid #b00020"; s.padding = ".6rem 1rem"; s.color = "#1a1a1a";
      var head = document.createElement("strong");
      head.textContent = "The last edit broke the build; this is the last good build.";
      banner.appendChild(head);
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      pre.style.margin = ".4rem 0 0";
      banner.appendChild(pre);
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.querySelector("pre").textContent = error;
  }
  window.argmapServeState = function (state) {
    if (seen !== null && state.version !== seen) {
      window.location.reload();
      return;
    }
    seen = state.version;
    show(state.error);
  };
  var count = 0;
  function poll() {
    var script = document.createElement("script");
    count += 1;
    script.src = "/_argmap/state.js?" + count;
    script.onload = script.onerror = function () {
      script.remove();
      window.setTimeout(poll, 500);
    };
    document.head.appendChild(script);
  }
  poll();
})();
"""


@dataclass
class LiveState:
    """The version of the site (one more after each successful build) and the error."""

    version: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self) -> None:
        with self.lock:
            self.version += 1
            self.error = None

    def failed(self, error: str) -> None:
        with self.lock:
            self.error = error

    def current(self) -> tuple[int, str | None]:
        with self.lock:
            return self.version, self.error

    def script(self) -> bytes:
        with self.lock:
            state = {"version": self.version, "error": self.error}
        text = json.dumps(state, ensure_ascii=True).replace("<", "\\u003c")
        return f"window.argmapServeState && window.argmapServeState({text});\n".encode()


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` values that name a server bound to ``host``:``port`` (lower case).

    The bound address itself; for a loopback address also the loopback names a browser
    on the same machine may use. Without the port only when it is HTTP's default, 80,
    which browsers leave out.
    """
    names = {f"[{host}]" if ":" in host else host}
    if ipaddress.ip_address(host).is_loopback:
        names |= {"localhost", "127.0.0.1", "[::1]"}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(hosts)


# Far beyond any path of a site argmap writes (page names are short), within what every
# file system takes: a longer path or part names no file, and the file system would
# answer with an error of its own.
_MAX_PATH = 2048
_MAX_PART = 255
_SEPARATORS = frozenset("/\\")


def path_problem(target: str) -> tuple[int, str] | None:
    """Why a request's target can name no file of the site (status and message), or None.

    Browsers resolve ``.`` and ``..`` and never decode an escaped slash, so a request with
    either did not come from following a link; a NUL or another control character, or
    bytes that are not UTF-8, can be in no file name argmap writes. The standard handler
    would drop some of these silently, stumble on others (a NUL stops the file system
    calls with an exception).
    """
    path = target.partition("?")[0].partition("#")[0]
    if not path.startswith("/"):
        return 400, "the path must start with /"
    if len(path) > _MAX_PATH * 3:  # each character may be a %XX escape
        return 414, "the path is too long"
    if not path.isascii() or not path.isprintable() or " " in path:
        return 400, "the path holds characters that are not escaped"  # browsers escape them
    parts = path.split("/")
    decoded: list[str] = []
    for part in parts:
        try:
            word = urllib.parse.unquote(part, errors="strict")
        except UnicodeDecodeError:
            return 400, "the path is not UTF-8"
        if any(ch in _SEPARATORS for ch in word):
            return 400, "the path holds an escaped slash or a backslash"
        if word in (".", ".."):
            return 400, "the path holds . or .."
        if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in word):
            return 400, "the path holds a control character"
        if len(word.encode()) > _MAX_PART:
            return 414, "a part of the path is too long"
        decoded.append(word)
    if len("/".join(decoded).encode()) > _MAX_PATH:
        return 414, "the path is too long"
    return None


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: LiveState

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the terminal is for build results

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if self._refused():
            return
        path = self.path.partition("?")[0]
        if path == f"{PREFIX}live.js":
            self._send(LIVE_SCRIPT.encode(), "text/javascript; charset=utf-8")
            return
        if path == f"{PREFIX}state.js":
            self._send(self.state.script(), "text/javascript; charset=utf-8")
            return
        local = Path(self.translate_path(path))
        try:
            folder = local.is_dir() or (path.endswith("/") and not local.exists())
        except (OSError, ValueError):  # a name the file system cannot look up
            self.send_error(404, "File not found")
            return
        if folder:
            # (A folder that is not there yet, such as the site itself before its first
            # good build, gets the error page below, which reloads when that build comes.)
            local = local / "index.html"
            if not path.endswith("/"):
                super().do_GET()  # the redirect to the folder with a slash
                return
        if local.suffix == ".html":
            # The version first: the page on disk is then at least that build (a build
            # is swapped in before its version counts), at worst a newer one, which
            # costs one needless reload, never a missed one.
            version, error = self.state.current()
            try:
                page = local.read_bytes()
            except OSError:
                if error is None:
                    super().do_GET()
                    return
                page = _error_page(error)
            self._send(_inject(page, version), "text/html; charset=utf-8")
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if self._refused():
            return
        super().do_HEAD()

    def _refused(self) -> bool:
        """Answer a request that is not for this server, or for no file of the site,
        with an error (and say so)."""
        problem = self._host_problem() or path_problem(self.path)
        if problem is None and self._from_another_site():
            problem = 403, "argmap serve answers only its own pages"
        if problem is not None:
            self.send_error(*problem)
        return problem is not None

    def _host_problem(self) -> tuple[int, str] | None:
        """A ``Host`` that names another server (403). Browsers always send one; without
        it (HTTP/1.0 allows that) the request did not come from a page."""
        given = self.headers.get_all("Host") or []
        if len(given) > 1:
            return 400, "more than one Host header"
        if not given:
            if self.request_version == "HTTP/1.0":
                return None
            return 400, "no Host header"
        host, port = cast("tuple[str, int]", self.server.server_address)[:2]
        if given[0].strip().lower() not in allowed_hosts(host, port):
            return 403, "argmap serve answers only for its own address"
        return None

    def _from_another_site(self) -> bool:
        """Asked for by a page of another site (any origin but the preview's own; with
        the same host and another port too), other than by following a link to it."""
        site = self.headers.get("Sec-Fetch-Site", "")
        mode = self.headers.get("Sec-Fetch-Mode", "")
        return site in ("cross-site", "same-site") and mode != "navigate"

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _inject(page: bytes, version: int) -> bytes:
    tag = LIVE_TAG.format(version=version).encode()
    if b"</head>" in page:
        return page.replace(b"</head>", tag + b"\n</head>", 1)
    return tag + page


def _error_page(error: str) -> bytes:
    from html import escape

    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed</title></head><body><h1>The build failed</h1>"
        f"<pre>{escape(error)}</pre></body></html>\n"
    ).encode()


def make_server(out_dir: Path, state: LiveState, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1:``port`` (0: any free port) for ``out_dir``."""
    handler = functools.partial(
        type("Handler", (_Handler,), {"state": state}), directory=str(out_dir)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


Snapshot = dict[Path, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under ``paths`` (hidden ones left out)."""
    found: Snapshot = {}
    for given in paths:
        candidates = sorted(given.rglob("*")) if given.is_dir() else [given]
        for path in candidates:
            if any(part.startswith(".") and part not in (".", "..") for part in path.parts):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


@dataclass
class Watcher:
    """Calls ``rebuild`` when a watched file changes, is added or is deleted."""

    watched: Callable[[], list[Path]]
    rebuild: Callable[[], None]
    last: Snapshot = field(default_factory=dict)

    def start(self) -> None:
        self.last = snapshot(self.watched())

    def poll(self) -> bool:
        now = snapshot(self.watched())
        if now == self.last:
            return False
        self.last = now
        self.rebuild()
        return True
