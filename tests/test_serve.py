"""`argmap serve`: a real server on 127.0.0.1, rebuilt on change, errors shown and the
last good build kept. Every wait is bounded."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import FIXTURES

pytestmark = pytest.mark.needs_dot

LIMIT = 30.0  # seconds any one step may take


class Served:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((process.stdout, self.out), (process.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()
        line = self.wait_for(lambda: next((x for x in self.out if "serving" in x), None))
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        self.url = found.group(0)

    @staticmethod
    def _read(stream: object, lines: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.append(line.rstrip("\n"))

    def wait_for(self, probe: Callable[[], str | None]) -> str:
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:
            found = probe()
            if found:
                return found
            assert self.process.poll() is None, "\n".join(self.out + self.err)
            time.sleep(0.1)
        raise AssertionError("timed out:\n" + "\n".join(self.out + self.err))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=LIMIT) as response:
            return str(response.read().decode("utf-8"))

    def state(self) -> str:
        return self.get("_argmap/state.js")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    with serving(tmp_path, (FIXTURES / "golden" / "all-relations.toml").read_bytes()) as found:
        yield found


@contextlib.contextmanager
def serving(tmp_path: Path, map_bytes: bytes) -> Iterator[tuple[Served, Path]]:
    """`argmap serve` on a project of one map, ``arguments/m.toml``, stopped afterwards."""
    arguments = tmp_path / "arguments"
    arguments.mkdir()
    map_file = arguments / "m.toml"
    map_file.write_bytes(map_bytes)
    env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "serve", "--port", "0", "--interval", "0.2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield Served(process), map_file
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_server_process_is_measured_when_the_tests_run_under_coverage(
    tmp_path: Path,
) -> None:
    """scripts/test measures the `argmap serve` process (pyproject.toml [tool.coverage]):
    a hook that does not reach it would lower argmap/serve.py's figure without a word,
    so it is checked here, beside the tests that start the server, as they start it."""
    if not (os.environ.get("COVERAGE_PROCESS_CONFIG") or os.environ.get("COVERAGE_PROCESS_START")):
        pytest.skip("not running under coverage with patch = subprocess")
    probe = "import coverage; print(coverage.Coverage.current() is not None)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=LIMIT
    )
    assert done.stdout.strip() == "True", (
        "a Python process started by a test is not measured: is coverage (7.13 or newer, "
        f"whose .pth file starts it) installed in {sys.prefix}? {done.stderr}"
    )


def test_serve_rebuilds_reloads_and_keeps_the_last_good_build(
    served: tuple[Served, Path],
) -> None:
    server, map_file = served
    page = server.get("m.html")
    assert '<script src="/_argmap/live.js" data-version="1" defer></script>\n</head>' in page
    assert "All relations" in page
    assert "script-src 'self'" in page  # the policy is served unchanged
    assert "argmapServeState" in server.get("_argmap/live.js")
    assert '"version": 1' in server.state() and '"error": null' in server.state()
    assert server.url.startswith("http://127.0.0.1:")

    # an edit: rebuilt, a new version, the new text served
    map_file.write_text(
        map_file.read_text(encoding="utf-8").replace("All relations", "Edited map"), "utf-8"
    )
    server.wait_for(lambda: "ok" if '"version": 2' in server.state() else None)
    assert "Edited map" in server.get("m.html")
    assert 'data-version="2"' in server.get("m.html")  # the build the page was read from

    # a broken edit: the error in the state (shown by live.js) and in the terminal,
    # and the last good build still served
    good = map_file.read_text(encoding="utf-8")
    map_file.write_text(good.replace('thesis = "thesis"', 'thesis = "nothing"'), "utf-8")
    server.wait_for(lambda: "ok" if "AM202" in server.state() else None)
    assert '"version": 2' in server.state()
    assert "Edited map" in server.get("m.html")
    server.wait_for(lambda: next((x for x in server.err if "error[AM202]" in x), None))
    server.wait_for(lambda: next((x for x in server.err if "last good build" in x), None))

    # fixed again: the error is gone and the page reloads to the new build
    map_file.write_text(good.replace("Edited map", "Fixed map"), "utf-8")
    server.wait_for(lambda: "ok" if '"version": 3' in server.state() else None)
    assert '"error": null' in server.state()
    assert "Fixed map" in server.get("m.html")
    assert (map_file.parent.parent / "build" / "m.html").is_file()


BANNER = "#_argmap-serve-error"


def text_of(node_id: str) -> str:
    """A script that gives the visible text of a statement's section ("" when absent)."""
    return f"() => (document.getElementById({node_id!r}) || {{innerText: ''}}).innerText"


@pytest.mark.needs_browser
def test_in_chromium_the_page_reloads_itself_and_shows_a_broken_build(
    served: tuple[Served, Path], chromium: Any
) -> None:
    """The open page follows the edits: a new build reloads it, a broken one shows the
    error (file and line) on top of the last good build, and the fix takes it away."""
    server, map_file = served
    good = map_file.read_text(encoding="utf-8")
    wait = {"timeout": LIMIT * 1000}  # a bound on each wait, not a timing assertion
    context = chromium.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    page.on(
        "console",
        lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    try:
        page.goto(server.url + "m.html", wait_until="load")
        assert "An independent premise." in page.evaluate(text_of("alone"))
        assert page.locator(BANNER).count() == 0
        page.evaluate("window.__sameDocument = true")  # gone after a reload

        # an edit of a statement's text: the page reloads itself and shows it
        edited = good.replace("An independent premise.", "A premise edited in the editor.")
        map_file.write_text(edited, encoding="utf-8")
        page.wait_for_function(
            f"() => ({text_of('alone')})().includes('edited in the editor')", **wait
        )
        assert page.evaluate("window.__sameDocument") is None, "the page was reloaded"
        page.evaluate("window.__sameDocument = true")

        # a broken edit: the error in the page and the terminal, the last good build kept
        map_file.write_text(edited.replace('thesis = "thesis"', 'thesis = "nothing"'), "utf-8")
        banner = page.locator(BANNER)
        banner.wait_for(state="visible", **wait)
        shown = banner.inner_text()
        assert "last good build" in shown
        assert "arguments/m.toml:4:" in shown and "error[AM202]" in shown, shown
        assert 'thesis = "nothing"' in shown  # the offending line itself
        covers = "() => document.querySelector('#_argmap-serve-error').getBoundingClientRect()"
        heading = "() => document.querySelector('h1').getBoundingClientRect()"
        assert page.evaluate(covers)["bottom"] <= page.evaluate(heading)["top"], "covers the top"
        line = server.wait_for(lambda: next((x for x in server.err if "error[AM202]" in x), None))
        assert "arguments/m.toml:4:" in line
        assert page.evaluate("window.__sameDocument") is True, "no reload for a broken build"
        assert "edited in the editor" in page.evaluate(text_of("alone"))
        fresh = context.new_page()  # a page opened now: the last good build, and the error
        try:
            fresh.goto(server.url + "m.html", wait_until="load")
            assert "edited in the editor" in fresh.evaluate(text_of("alone"))
            fresh.locator(BANNER).wait_for(state="visible", **wait)
            assert "error[AM202]" in fresh.locator(BANNER).inner_text()
        finally:
            fresh.close()

        # fixed: the page reloads to the new build, without the banner
        map_file.write_text(good.replace("An independent premise.", "A fixed premise."), "utf-8")
        page.wait_for_function(f"() => ({text_of('alone')})().includes('A fixed premise.')", **wait)
        assert page.evaluate("window.__sameDocument") is None
        assert page.locator(BANNER).count() == 0
        assert '"error": null' in server.state()
        assert problems == []
    finally:
        context.close()


@pytest.mark.needs_browser
def test_in_chromium_a_page_older_than_the_first_poll_still_reloads(
    served: tuple[Served, Path], chromium: Any
) -> None:
    """A page served before a rebuild whose script first asks for the state after it
    (a slow first poll) must still see that it is out of date: it carries its version."""
    server, map_file = served
    context = chromium.new_context()
    page = context.new_page()
    # Hold the state back: the script's polls fail (and it keeps polling) until unrouted.
    page.route("**/_argmap/state.js*", lambda route: route.abort())
    try:
        page.goto(server.url + "m.html", wait_until="load")
        assert "An independent premise." in page.evaluate(text_of("alone"))
        good = map_file.read_text(encoding="utf-8")
        map_file.write_text(good.replace("An independent premise.", "A newer premise."), "utf-8")
        server.wait_for(lambda: "ok" if '"version": 2' in server.state() else None)
        page.unroute("**/_argmap/state.js*")
        page.wait_for_function(
            f"() => ({text_of('alone')})().includes('A newer premise.')", timeout=LIMIT * 1000
        )
    finally:
        context.close()


def status(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=LIMIT) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_requests_from_another_site_are_refused_but_links_to_it_work(
    served: tuple[Served, Path],
) -> None:
    server, _ = served
    included = {"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"}
    for path in ("_argmap/state.js", "search-index.js", "m.html", "m.svg"):
        url = server.url + path
        assert status(url, {}) == 200, path  # curl, or an old browser
        assert status(url, {"Sec-Fetch-Site": "same-origin", **included}) == 200, path
        for site in ("cross-site", "same-site"):
            assert status(url, {"Sec-Fetch-Site": site, **included}) == 403, (path, site)
    followed = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert status(server.url + "m.html", followed) == 200


LEAK = """<!DOCTYPE html><title>elsewhere</title>
<script>
window.caught = [];
window.argmapServeState = function (state) { window.caught.push(state); };
</script>
<script src="{url}_argmap/state.js"></script>
<script src="{url}search-index.js"></script>
"""


@pytest.mark.needs_browser
def test_in_chromium_a_page_of_another_site_cannot_read_the_preview(
    served: tuple[Served, Path],
    chromium: Any,
    serve_folder: Callable[[Path], str],
    tmp_path: Path,
) -> None:
    """A page on another origin (here another port of 127.0.0.1, a site of the same
    name) includes the preview's scripts the way JSONP would: nothing arrives."""
    server, map_file = served
    map_file.write_text(map_file.read_text(encoding="utf-8") + "\n[claim.broken\n", "utf-8")
    server.wait_for(
        lambda: (
            "ok" if "error" in server.state() and '"error": null' not in server.state() else None
        )
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text(LEAK.replace("{url}", server.url), encoding="utf-8")
    page = chromium.new_page()
    try:
        page.goto(serve_folder(elsewhere) + "index.html", wait_until="load")
        assert page.evaluate("window.caught") == []
        assert page.evaluate("typeof window.argmapSearchIndex") == "undefined"
        # the same scripts, asked for by the preview's own page, arrive
        page.goto(server.url + "m.html", wait_until="load")
        page.locator("#_argmap-serve-error").wait_for(state="visible", timeout=LIMIT * 1000)
    finally:
        page.close()


def test_when_the_first_build_fails_every_page_shows_the_error_and_reloads(
    tmp_path: Path,
) -> None:
    # No good build yet, so no output folder: the page a user opens first must still
    # show the problem and reload by itself once the map is fixed.
    broken = b'[map]\ntitle = "M"\nthesis = "c"\n\n[claim.c]\ntext = 42\n'
    with serving(tmp_path, broken) as (server, map_file):
        for path in ("", "m.html"):
            page = server.get(path)
            assert "The build failed" in page and "AM102" in page, path
            assert "_argmap/live.js" in page, path
        before = server.state()
        map_file.write_text(
            '[map]\ntitle = "M"\nthesis = "c"\n\n[claim.c]\ntext = "Fixed."\n',
            encoding="utf-8",
        )
        server.wait_for(
            lambda: "ok" if server.state() != before and "Fixed." in server.get("m.html") else None
        )
        assert "The build failed" not in server.get("")


# -- only its own address, only paths a file of the site can have (issue 15) --------------


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The preview's HTTP server (no build, in this process, on a free port) serving a
    small site, with a file beside the site that must never be served."""
    from argmap.serve import LiveState, make_server

    root = tmp_path_factory.mktemp("serve")
    site = root / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("<html><head></head><body>home</body></html>")
    (site / "sub" / "page.html").write_text("<html><head></head><body>sub</body></html>")
    (site / "data.js").write_text("window.x = 1;\n")
    (root / "secret.txt").write_bytes(SECRET)
    server = make_server(site, LiveState(), 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(LIMIT)


SECRET = b"a file beside the served folder"


def raw_request(port: int, head: bytes) -> tuple[int, bytes]:
    """Send ``head`` (request line and headers) as given; the status and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=LIMIT) as connection:
        connection.sendall(head + b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1."), answer[:200]  # an answer, not a closed socket
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def get(port: int, path: bytes, host: bytes | None = None, version: bytes = b"1.1") -> int:
    host_line = b"" if host is None else b"Host: " + host + b"\r\n"
    status_code, body = raw_request(
        port, b"GET " + path + b" HTTP/" + version + b"\r\n" + host_line
    )
    assert SECRET not in body
    return status_code


def test_a_host_other_than_its_own_address_is_refused(port: int) -> None:
    """DNS rebinding: a site whose name resolves to 127.0.0.1 sends its own name."""
    own = [f"{name}:{port}".encode() for name in ("127.0.0.1", "localhost", "LocalHost", "[::1]")]
    for host in own:
        for path in (b"/", b"/sub/page.html", b"/data.js", b"/_argmap/state.js"):
            assert get(port, path, host) == 200, (host, path)
    others = [
        b"evil.example",
        b"evil.example:%d" % port,
        b"127.0.0.1",  # another port: the default one
        b"127.0.0.1:%d" % (port + 1),
        b"localhost.:%d" % port,
        b"127.0.0.2:%d" % port,
        b"[::1]",
        b"127.0.0.1:%d.evil.example" % port,
        b"",
    ]
    for host in others:
        for path in (b"/", b"/_argmap/state.js", b"/_argmap/live.js"):
            assert get(port, path, host) == 403, (host, path)
        head = b"HEAD / HTTP/1.1\r\nHost: " + host + b"\r\n"
        assert raw_request(port, head)[0] == 403, host


def test_a_missing_or_doubled_host(port: int) -> None:
    """HTTP/1.0 may leave Host out (browsers never do, so no page can ask that way);
    HTTP/1.1 must send exactly one."""
    assert get(port, b"/", None, b"1.0") == 200
    assert get(port, b"/", None, b"1.1") == 400
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nHost: evil.example\r\n" % port
    assert raw_request(port, head)[0] == 400


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (b"/%00", 400),
        (b"/index.html%00.txt", 400),
        (b"/sub%00/page.html", 400),
        (b"/%0a", 400),
        (b"/%7f", 400),
        (b"/%c2%85", 400),  # NEL, a C1 control
        (b"/..", 400),
        (b"/../secret.txt", 400),
        (b"/sub/../../secret.txt", 400),
        (b"/%2e%2e/secret.txt", 400),
        (b"/%2E%2E%2Fsecret.txt", 400),
        (b"/sub%2fpage.html", 400),
        (b"/sub%5c..%5c..%5csecret.txt", 400),
        (b"/sub/./page.html", 400),
        (b"/\\..\\secret.txt", 400),
        (b"/%ff", 400),
        (b"/%c0%ae%c0%ae/secret.txt", 400),  # overlong UTF-8 for ".."
        (b"/%ed%a0%80.html", 400),  # a surrogate
        (b"/\xff.html", 400),  # not escaped
        (b"http://evil.example/", 400),
        (b"/" + b"a" * 300, 414),
        (b"/" + b"a" * 300 + b".html", 414),
        (b"/" + b"%e2%82%ac" * 100 + b".html", 414),  # 300 bytes once decoded
        (b"/" + b"a/" * 1500, 414),
        (b"/" + b"a/" * 1500 + b".html", 414),
        (b"/%", 404),
        (b"/%zz", 404),
        (b"//secret.txt", 404),
        (b"/missing.html", 404),
        (b"/sub/page.html", 200),
        (b"/sub/page.html?x=%00&y=..#%ff", 200),
    ],
)
def test_paths_no_file_of_the_site_can_have_get_a_clean_error(
    port: int, path: bytes, expected: int, capfd: pytest.CaptureFixture[str]
) -> None:
    assert get(port, path, b"127.0.0.1:%d" % port) == expected
    assert "Traceback" not in capfd.readouterr().err


PATH_PARTS = ["..", ".", "%2e%2e", "%2E", "%2f", "%5c", "\\", "%00", "%ff", "%c0%af", "%", "a"]
PATH_PARTS += ["sub", "page.html", "index.html", "secret.txt", "%25", "%20", "~", "?", "#", ""]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(st.lists(st.sampled_from(PATH_PARTS), max_size=8), st.booleans())
def test_fuzzed_paths_never_reach_a_file_outside_the_site(
    port: int, parts: list[str], slash: bool
) -> None:
    """Whatever the path: an answer (never a traceback and a closed connection), and
    never the file beside the served folder (``get`` checks every body)."""
    path = ("/" + "/".join(parts) + ("/" if slash else "")).encode()
    status_code = get(port, path, b"localhost:%d" % port)
    assert status_code in (200, 301, 400, 404, 414), path


def test_the_running_server_refuses_another_host_and_a_nul(
    served: tuple[Served, Path],
) -> None:
    server, _ = served
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    assert get(port, b"/m.html", b"127.0.0.1:%d" % port) == 200
    assert get(port, b"/m.html", b"rebound.example:%d" % port) == 403
    assert get(port, b"/%00", b"127.0.0.1:%d" % port) == 400
    assert "Traceback" not in "\n".join(server.err)
