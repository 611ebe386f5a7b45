"""The map page in a browser: its size, its elements and its first paint.

    .venv/bin/python benchmarks/page.py [--sizes 300 5000] [--runs 3] [--against CHECKOUT ...]

Builds a site of generated maps (``generate.py``'s shapes: 2 relations per statement,
seeded) with each checkout's code (``PYTHONPATH``, ``python -P``), then opens each map
page from ``file://`` in headless Chromium (Debian's, driven by Playwright, 1280 x 900),
``--runs`` times per page, checkouts alternating, each time in a fresh context (no
cache). It prints, per page and checkout: the HTML's size, the number of inline SVG
diagrams and of DOM elements, and the median first paint and ``load`` event, from the
page's own Performance timeline. Issue 17's targets: the 300-statement page at most
1.2 MiB of HTML, the 5,000-statement page painted in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate_map  # noqa: E402

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
DENSITY = 2.0


def build(checkout: Path, sizes: list[int], work: Path, n: int) -> Path:
    """The site of the generated maps, built with ``checkout``'s code."""
    arguments = work / "arguments"
    if not arguments.is_dir():
        arguments.mkdir(parents=True)
        for size in sizes:
            text = generate_map(size, DENSITY, size).to_toml()
            (arguments / f"gen-{size}.toml").write_text(text, encoding="utf-8")
    out = work / f"site-{n}"
    env = os.environ | {"PYTHONPATH": str(checkout)}
    command = [sys.executable, "-P", "-m", "argmap", "build", str(arguments), "--out", str(out)]
    subprocess.run([*command, "--timeout", "1800"], cwd=work, env=env, check=True)
    return out


_TIMES = """() => {
    const paint = performance.getEntriesByType("paint");
    const first = paint.find(e => e.name === "first-paint") || paint[0];
    const nav = performance.getEntriesByType("navigation")[0];
    return [first ? first.startTime : -1, nav.loadEventEnd,
            document.getElementsByTagName("*").length,
            document.querySelectorAll("svg.argmap-diagram").length];
}"""


def measure(browser: object, page_path: Path) -> tuple[float, float, int, int]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(page_path.as_uri(), wait_until="load", timeout=300_000)
        page.wait_for_timeout(200)  # let the paint entries be recorded
        first, load, elements, diagrams = page.evaluate(_TIMES)
        return first / 1000, load / 1000, int(elements), int(diagrams)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path, action="append", default=[])
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    checkouts = [REPO, *(path.resolve() for path in options.against)]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sites = {c: build(c, options.sizes, work, n) for n, c in enumerate(checkouts)}
        results: dict[tuple[int, Path], list[tuple[float, float, int, int]]] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            for _ in range(options.runs):
                for size in options.sizes:
                    for checkout, site in sites.items():
                        found = measure(browser, site / f"gen-{size}.html")
                        results.setdefault((size, checkout), []).append(found)
            browser.close()
        print(f"1280 x 900, file://, {options.runs} runs each, medians")
        print(
            f"{'page':<10} {'checkout':<28} {'HTML MiB':>9} {'SVGs':>5} {'elements':>9}"
            f" {'paint s':>8} {'load s':>7}"
        )
        for (size, checkout), runs in results.items():
            html = sites[checkout] / f"gen-{size}.html"
            mib = html.stat().st_size / 2**20
            paint = statistics.median(r[0] for r in runs)
            load = statistics.median(r[1] for r in runs)
            print(
                f"gen-{size:<6} {str(checkout)[-28:]:<28} {mib:9.2f} {runs[0][3]:5}"
                f" {runs[0][2]:9} {paint:8.2f} {load:7.2f}"
            )


if __name__ == "__main__":
    main()
