"""`argmap serve`: a real server on 127.0.0.1, rebuilt on change, errors shown and the
last good build kept. Every wait is bounded."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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
    arguments = tmp_path / "arguments"
    arguments.mkdir()
    map_file = arguments / "m.toml"
    map_file.write_bytes((FIXTURES / "golden" / "all-relations.toml").read_bytes())
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


def test_serve_rebuilds_reloads_and_keeps_the_last_good_build(
    served: tuple[Served, Path],
) -> None:
    server, map_file = served
    page = server.get("m.html")
    assert '<script src="/_argmap/live.js" defer></script>\n</head>' in page
    assert "All relations" in page
    assert "script-src 'self'" in page  # the policy is served unchanged
    assert "argmapServeState" in server.get("_argmap/live.js")
    assert '"version": 1' in server.state() and '"error": null' in server.state()
    assert server.url.startswith("http://127.0.0.1:")

    # an edit: rebuilt, a new version, the new text served
    map_file.write_text(
        map_file.read_text(encoding="utf-8").replace("All relations", "Edited map"), "utf-8"
    )
    server.wait_for(lambda: '"version": 2' in server.state() and "ok")
    assert "Edited map" in server.get("m.html")

    # a broken edit: the error in the state (shown by live.js) and in the terminal,
    # and the last good build still served
    good = map_file.read_text(encoding="utf-8")
    map_file.write_text(good.replace('thesis = "thesis"', 'thesis = "nothing"'), "utf-8")
    server.wait_for(lambda: "AM202" in server.state() and "ok")
    assert '"version": 2' in server.state()
    assert "Edited map" in server.get("m.html")
    server.wait_for(lambda: next((x for x in server.err if "error[AM202]" in x), None))
    server.wait_for(lambda: next((x for x in server.err if "last good build" in x), None))

    # fixed again: the error is gone and the page reloads to the new build
    map_file.write_text(good.replace("Edited map", "Fixed map"), "utf-8")
    server.wait_for(lambda: '"version": 3' in server.state() and "ok")
    assert '"error": null' in server.state()
    assert "Fixed map" in server.get("m.html")
    assert (map_file.parent.parent / "build" / "m.html").is_file()
