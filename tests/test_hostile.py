"""Hostile input: every payload of tests/fixtures/hostile/payloads.toml in every text
field of a map, built into a site whose pages must stay inert (issue 4).

The HTML is read with html.parser and the SVG with xml.etree and checked against an
allowlist: only the elements and attributes argmap's templates, Markdown and Graphviz
write, no event handler, no address that could run code or leave the site, no script
but argmap's own file and JSON data. The payload's words must still be on the page,
escaped rather than lost. Then headless Chromium opens every page (marked
``needs_browser``): no dialog, no error, no request leaving the site, no payload run.
Ids, [lint] and [expect] values and argmap.toml only accept restricted values, so there
the payloads must be rejected with a diagnostic, never a traceback.
"""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from argmap.analysis.graph import ArgumentGraph
from argmap.build.pipeline import build, check
from argmap.cli import app
from argmap.config import Config, load_config
from argmap.diagnostics import ExitCode, Severity
from argmap.interop import export
from argmap.markdown import to_plain
from argmap.render.site import default_templates_dir

from .conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    why: str = ""


def payloads() -> list[Payload]:
    data = tomllib.loads((HOSTILE / "payloads.toml").read_text(encoding="utf-8"))
    return [Payload(p["name"], p["text"], p.get("why", "")) for p in data["payload"]]


def toml_string(text: str) -> str:
    """A TOML basic string for any text: printable ASCII as is, everything else escaped."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def in_address(text: str) -> str:
    """``text`` in a source url: spaces and invisible characters percent-escaped (the
    loader refuses them there, see test_a_source_url_must_be_a_url), the rest as is."""
    return "".join(quote(ch) if ch.isspace() or not ch.isprintable() else ch for ch in text)


def hostile_map(text: str) -> str:
    """A valid map with ``text`` in every free-text field (ids are restricted: see the tests)."""
    s = toml_string(text)
    return f"""\
[map]
title = {s}
thesis = "thesis"
summary = {s}
tags = [{s}, "plain"]
language = "en"
questions = [{s}]

[source]
title = {s}
publisher = {s}
author = {s}
date = {s}
url = {toml_string("https://example.org/?q=" + in_address(text))}

[claim.thesis]
text = {s}
quote = {s}
paragraph = 1
note = {s}
tags = [{s}]

[premise.p1]
text = {s}
quote = {s}
note = {s}
tags = [{s}]
supports = "thesis"
section = {s}
questions = [{s}]

[premise.p2]
text = {s}

[premise.p3]
text = {s}

[reason.linked]
premises = ["p2", "p3"]
supports = "thesis"
note = {s}

[rebuttal.r1]
text = {s}
note = {s}
attacks = "thesis"

[rebuttal.r2]
text = {s}
attacks = "r1"
section = {s}

[rebuttal.u1]
text = {s}
undercuts = "linked"
"""


# -- what may appear in a page -------------------------------------------------------

SVG_ELEMENTS = frozenset(
    {"svg", "g", "title", "desc", "a", "path", "polygon", "polyline", "ellipse", "text"}
)
# What Graphviz (2.43 to 12) and argmap.render.svg write; nothing here can run code or fetch.
SVG_ATTRIBUTES = frozenset(
    {
        "aria-labelledby",
        "aria-label",
        "aria-hidden",
        "class",
        "height",
        "role",
        "viewBox",
        "width",
        "id",
        "transform",
        "target",
        "href",
        "xlink:href",
        "xlink:title",
        "d",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-opacity",
        "stroke-width",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "x",
        "y",
        "points",
        "cx",
        "cy",
        "rx",
        "ry",
        "xmlns",
        "xmlns:xlink",
    }
)
# What markdown-it's js-default preset can produce from a text (raw HTML is off).
MARKDOWN_ELEMENTS = frozenset(
    {
        "p",
        "em",
        "strong",
        "code",
        "pre",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "s",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
MARKDOWN_ATTRIBUTES = {
    "a": {"href", "rel", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "code": {"class"},
}
FORBIDDEN_ELEMENTS = frozenset(
    {
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "foreignobject",
        "base",
        "form",
        "style",
        "image",
        "animate",
        "set",
        "animatetransform",
        "animatemotion",
        "use",
        "math",
        "noscript",
        "template",
    }
)
URL_ATTRIBUTES = frozenset(
    {"href", "xlink:href", "src", "action", "formaction", "data", "poster", "srcset", "ping"}
)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def safe_url(url: str) -> bool:
    """Relative (not protocol-relative), or http(s)/mailto, as a browser reads it."""
    compact = _INVISIBLE.sub("", unescape(url))
    if compact.startswith(("//", "\\", "/\\")):
        return False
    match = _SCHEME.match(compact)
    return match is None or match.group(1).lower() in ("http", "https", "mailto")


@dataclass
class Scan:
    """What an HTML page contains, as html.parser (like a browser's tokenizer) sees it."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: str = ""
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    odd: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._text: list[str] = []
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.scan.tags.append((tag, values))
        if tag == "script":
            self._script, self._script_text = values, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scan.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scan.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self.scan.odd.append(f"an HTML comment: {data[:80]!r}")

    def handle_pi(self, data: str) -> None:
        self.scan.odd.append(f"a processing instruction: {data[:80]!r}")

    def unknown_decl(self, data: str) -> None:
        self.scan.odd.append(f"an unknown declaration: {data[:80]!r}")


def scan_html(html: str) -> Scan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    scanner.scan.text = " ".join("".join(scanner._text).split())
    return scanner.scan


def html_problems(html: str, allowed: dict[str, set[str]], scan: Scan | None = None) -> list[str]:
    """Everything in a page that could run, load or navigate, and was not argmap's own.

    ``allowed`` maps each element argmap's templates write to its attributes (taken from
    a build of a harmless map); Markdown's elements are added to it. ``scan`` is
    ``scan_html(html)`` when the caller has it already.
    """
    scan = scan or scan_html(html)
    problems: list[str] = list(scan.odd)
    for tag, attrs in scan.tags:
        permitted = allowed.get(tag, set()) | MARKDOWN_ATTRIBUTES.get(tag, set())
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"forbidden element <{tag}>")
        if tag not in allowed and tag not in MARKDOWN_ELEMENTS and tag not in SVG_ELEMENTS:
            problems.append(f"unexpected element <{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name not in permitted and not (tag in SVG_ELEMENTS and name in SVG_ATTRIBUTES):
                problems.append(f"unexpected attribute {name}= on <{tag}>")
            icon = tag == "link" and attrs.get("rel") == "icon" and value == "data:,"
            if name in URL_ATTRIBUTES and not safe_url(value) and not icon:
                problems.append(f"unsafe address {name}={value[:80]!r} on <{tag}>")
        equiv = attrs.get("http-equiv", "content-security-policy")
        if tag == "meta" and equiv.lower() != "content-security-policy":
            problems.append(f"<meta http-equiv={equiv!r}>")
        if tag == "img" and (
            "img" not in allowed or _SCHEME.match(attrs.get("src", "")) or "srcset" in attrs
        ):  # the templates' own pictures of the site's files, never from elsewhere
            problems.append(f"<img src={attrs.get('src', '')[:80]!r}>")
        if tag == "link" and attrs.get("rel") not in ("stylesheet", "icon"):
            problems.append(f"<link rel={attrs.get('rel')!r}>")
    for attrs, content in scan.scripts:
        if "src" in attrs:
            # argmap's own files: its static scripts and the data files it generates
            # (checked by test_generated_scripts_only_hold_data)
            if content.strip() or not re.fullmatch(r"(\.\./)*(_static/)?[\w.-]+\.js", attrs["src"]):
                problems.append(f"script {attrs}")
        elif attrs.get("type") == "application/json":
            try:
                json.loads(content)
            except ValueError:
                problems.append(f"JSON data block is not JSON: {content[:80]!r}")
        else:
            problems.append(f"inline script {content[:80]!r}")
    for match in re.finditer(
        r"<script\b[^>]*>(.*?)</script", html, flags=re.DOTALL | re.IGNORECASE
    ):
        if re.search(r"<!--|<script|</", match.group(1), flags=re.IGNORECASE):
            problems.append(f"script data that can change how the page parses: {match[0][:80]!r}")
    return problems


def csp_problems(html: str, scan: Scan | None = None) -> list[str]:
    policies = [
        attrs.get("content", "")
        for tag, attrs in (scan or scan_html(html)).tags
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy"
    ]
    if len(policies) != 1:
        return [f"expected one Content-Security-Policy, found {len(policies)}"]
    directives = {
        part.split()[0]: part.split()[1:] for part in policies[0].split(";") if part.strip()
    }
    problems = []
    if directives.get("default-src") != ["'none'"]:
        problems.append(f"default-src is {directives.get('default-src')}")
    script = directives.get("script-src", directives.get("default-src", []))
    for bad in ("'unsafe-inline'", "'unsafe-eval'", "data:", "*", "http:", "https:"):
        if bad in script:
            problems.append(f"script-src allows {bad}")
    for name in ("base-uri", "form-action"):
        if directives.get(name) != ["'none'"]:
            problems.append(f"{name} is {directives.get(name)}")
    return problems


def svg_problems(svg_text: str) -> list[str]:
    """An allowlist check of a standalone SVG file (it must be well-formed XML too)."""
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        namespace, _, tag = element.tag.rpartition("}")
        if namespace != "{http://www.w3.org/2000/svg" or tag not in SVG_ELEMENTS:
            problems.append(f"unexpected element {element.tag}")
        for name, value in element.attrib.items():
            short = name.replace("{http://www.w3.org/1999/xlink}", "xlink:")
            if short not in SVG_ATTRIBUTES:
                problems.append(f"unexpected attribute {short} on <{tag}>")
            if short in URL_ATTRIBUTES and not safe_url(value):
                problems.append(f"unsafe address {value[:80]!r} on <{tag}>")
    if "<!DOCTYPE" in svg_text or "<!ENTITY" in svg_text:
        problems.append("a DOCTYPE or entity declaration")
    return problems


def svg_texts(svg_text: str) -> tuple[list[str], list[str]]:
    """The text of every <text> element and what every link says (its aria-label, or
    its title), in document order."""
    root = ET.fromstring(svg_text)
    texts = [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]
    titles = [
        el.get("aria-label") or el.get("{http://www.w3.org/1999/xlink}title") or ""
        for el in root.iter("{http://www.w3.org/2000/svg}a")
    ]
    return texts, titles


# -- the site built from every payload -----------------------------------------------

ALL_PAYLOADS = payloads()
# Control characters (but tab and line breaks) are refused by the loader (AM106): they
# are illegal in XML, and an SVG with one does not display. The rest must build.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
PAYLOADS = [p for p in ALL_PAYLOADS if not CONTROL.search(p.text)]
REFUSED = [p for p in ALL_PAYLOADS if CONTROL.search(p.text)]
BENIGN = "Plain words"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One map per payload (the payload in every free-text field), plus a harmless map
    whose pages give the elements and attributes argmap's own templates write."""
    root = tmp_path_factory.mktemp("hostile")
    maps = root / "arguments"
    maps.mkdir()
    for payload in PAYLOADS:
        (maps / f"{payload.name}.toml").write_text(hostile_map(payload.text), encoding="utf-8")
    (maps / "benign.toml").write_text(hostile_map(BENIGN), encoding="utf-8")
    out = root / "build"
    result = build([maps], out, config=Config())
    assert not result.errors
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, tuple[str, Scan]]:
    """Every HTML page of the site, by its path in the site: its text, read once, and
    what html.parser sees in it, parsed once for all the tests that look."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        found[page.relative_to(site).as_posix()] = (html, scan_html(html))
    return found


@pytest.fixture(scope="module")
def allowed(pages: dict[str, tuple[str, Scan]]) -> dict[str, set[str]]:
    """Each element of the harmless map's pages, with the attributes it has there."""
    found: dict[str, set[str]] = {}
    for name in ("benign.html", "index.html"):
        for tag, attrs in pages[name][1].tags:
            found.setdefault(tag, set()).update(attrs)
    return found


def test_the_corpus_has_every_kind_of_payload() -> None:
    names = [p.name for p in ALL_PAYLOADS]
    assert len(names) >= 60 and len(set(names)) == len(names)
    assert len(PAYLOADS) >= 60 and REFUSED
    texts = "\n".join(p.text for p in ALL_PAYLOADS)
    for needle in (
        "<script>",
        "onerror",
        "<svg onload",
        "onbegin",
        "<foreignObject>",
        "javascript:",
        "JaVaScRiPt:",
        "java\tscript:",
        "&#106;avascript:",
        "vbscript:",
        "data:text/html",
        "[r]: javascript:",
        "<javascript:",
        "{{7*7}}",
        "{%",
        "</script>",
        "\\N",
        "\\l",
        "\\G",
        '<x>]; pwn [URL="javascript:',
        "<<b>",
        '" onmouseover="',
        "\u202e",
        "\u200b",
    ):
        assert needle in texts, needle


def test_the_harmless_map_gives_a_sensible_allowlist(allowed: dict[str, set[str]]) -> None:
    assert {"html", "head", "body", "main", "svg", "a", "meta", "link"} <= set(allowed)
    assert not set(allowed) & FORBIDDEN_ELEMENTS
    assert not any(name.startswith("on") for attrs in allowed.values() for name in attrs)


def test_every_page_is_inert(
    pages: dict[str, tuple[str, Scan]], allowed: dict[str, set[str]]
) -> None:
    assert {f"{p.name}.html" for p in PAYLOADS} | {"index.html", "benign.html"} <= set(pages)
    failures = {}
    for name, (html, scan) in pages.items():
        problems = html_problems(html, allowed, scan) + csp_problems(html, scan)
        if problems:
            failures[name] = problems
    assert failures == {}


def test_every_svg_file_passes_the_allowlist(site: Path) -> None:
    files = sorted(site.rglob("*.svg"))
    assert len(files) >= len(PAYLOADS)
    failures = {}
    for file in files:
        problems = svg_problems(file.read_text(encoding="utf-8"))
        if problems:
            failures[file.name] = problems
    assert failures == {}


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_the_payload_is_shown_as_text_not_lost(
    payload: Payload, pages: dict[str, tuple[str, Scan]]
) -> None:
    scan = pages[f"{payload.name}.html"][1]
    # Fields shown as plain text (title, tags, quote, source details): exactly as written.
    assert _words(payload.text) in scan.text
    # Fields rendered from Markdown (text, note, summary): their visible words.
    assert _words(to_plain(payload.text)) in scan.text
    index = pages["index.html"][1]
    assert _words(payload.text) in index.text  # the map's title in the list of maps


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_the_diagram_shows_the_payload_as_written(payload: Payload, site: Path) -> None:
    """Labels went through Graphviz (no \\N expansion, no lost backslash); tooltips were
    set by argmap.render.svg: both must hold the statement's plain words exactly."""
    plain = to_plain(payload.text)
    texts, titles = svg_texts((site / f"{payload.name}.svg").read_text(encoding="utf-8"))
    squeezed = "".join("".join(texts).split())
    assert "".join(plain.split()) in squeezed
    # the text, then (after a full stop where it lacks one) what the box supports
    assert any(f"): {plain}" in title for title in titles), titles[:3]


@pytest.mark.needs_dot
def test_every_handout_is_inert_and_prints_the_payload(site: Path) -> None:
    """Handouts carry what pages do not: the discussion questions, the claim bank and
    the diagram in parts. The blank version with its answer key shows the most."""
    from argmap.teach.handout import HandoutOptions, make_handout
    from argmap.teach.paper import default_draw

    draw, options = default_draw(60.0), HandoutOptions(blank="premise", answer_key=True)
    maps = site.parent / "arguments"

    def handout(name: str) -> tuple[str, str]:
        """The handout without its own inline stylesheet (a handout is self-contained,
        so it has one), and that stylesheet, which must be argmap's alone."""
        result = check([maps / f"{name}.toml"], Config())
        assert not result.errors
        html = make_handout(result.graphs[0], options, draw).html
        style = re.search(r"<style>.*?</style>", html, re.S)
        assert style is not None
        return html[: style.start()] + html[style.end() :], style.group(0)

    benign_html, benign_style = handout("benign")
    benign = scan_html(benign_html)
    allowed: dict[str, set[str]] = {}
    for tag, attrs in benign.tags:
        allowed.setdefault(tag, set()).update(attrs)
    failures = {}
    for payload in PAYLOADS:
        html, style = handout(payload.name)
        scan = scan_html(html)
        problems = html_problems(html, allowed, scan)
        if style != benign_style:
            problems.append("the stylesheet differs from the harmless map's")
        if _words(payload.text) not in scan.text:  # the questions are plain text
            problems.append("the payload is not shown as written")
        if problems:
            failures[payload.name] = problems
    assert failures == {}


MEGABYTE = ("A long line of words <script>window.__pwned=1</script> & more. " * 16400)[
    : 1024 * 1024
]


@pytest.mark.needs_dot
def test_a_megabyte_in_the_map_and_source_fields_is_built_and_kept(tmp_path: Path) -> None:
    """Title, summary, tags, quotes and source details of a megabyte each (statement
    texts and notes are short: Markdown takes a while over a megabyte, see below)."""
    text = hostile_map(MEGABYTE)
    short = toml_string("short")
    text = re.sub(r"(?m)^(text|note) = .*$", rf"\1 = {short}", text)
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "big.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    result = build([maps], out, config=Config())
    assert {d.code for d in result.diagnostics} <= {"AM404", "AM407"}
    html = (out / "big.html").read_text(encoding="utf-8")
    scan = scan_html(html)
    assert not [p for p in html_problems(html, {}, scan) if not p.startswith("unexpected ")]
    assert scan.text.count(_words(MEGABYTE)) >= 8
    assert svg_problems((out / "big.svg").read_text(encoding="utf-8")) == []


@pytest.mark.needs_dot
def test_a_megabyte_statement_is_built(tmp_path: Path) -> None:
    text = hostile_map("short").replace(
        f"[premise.p2]\ntext = {toml_string('short')}",
        f"[premise.p2]\ntext = {toml_string(MEGABYTE)}",
    )
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "big.toml").write_text(text, encoding="utf-8")
    result = build([maps], tmp_path / "build", config=Config())
    assert {d.code for d in result.diagnostics} <= {"AM404", "AM407"}
    html = (tmp_path / "build" / "big.html").read_text(encoding="utf-8")
    assert _words(MEGABYTE) in scan_html(html).text


# -- where only restricted values are accepted -----------------------------------------


def test_payloads_as_ids_are_refused_with_a_diagnostic(tmp_path: Path) -> None:
    """As table names, the thesis, relation targets, premises and [expect] entries."""
    lines = ['[map]\ntitle = "t"\nthesis = "c1"\n', '[claim.c1]\ntext = "ok"\n']
    for n, payload in enumerate(ALL_PAYLOADS):
        key = toml_string(payload.text)
        lines.append(f'[claim.{key}]\ntext = "x{n}"\n')
    every = ", ".join(toml_string(p.text) for p in ALL_PAYLOADS)
    lines.append(f'[premise.p1]\ntext = "p"\nsupports = [{every}]\n')
    lines.append(f'[rebuttal.r1]\ntext = "r"\nattacks = [{every}]\nundercuts = [{every}]\n')
    lines.append(f'[reason.rs]\npremises = [{every}]\nsupports = "c1"\n')
    lines.append(f"[expect]\nin = [{every}]\nsemantics = {toml_string(ALL_PAYLOADS[0].text)}\n")
    path = tmp_path / "ids.toml"
    path.write_text("".join(lines), encoding="utf-8")
    result = check([path], Config())
    codes = [d.code for d in result.diagnostics]
    assert codes.count("AM105") == 6 * len(ALL_PAYLOADS)
    assert "AM106" in codes  # the semantics
    assert not result.graphs
    for payload in ALL_PAYLOADS:  # with another thesis, each payload is a bad thesis too
        thesis = path.with_name("thesis.toml")
        thesis.write_text(f'[map]\ntitle = "t"\nthesis = {toml_string(payload.text)}\n')
        assert [d.code for d in check([thesis], Config()).diagnostics] == ["AM105"]


def test_payloads_in_lint_tables_and_argmap_toml_are_refused(tmp_path: Path) -> None:
    every = ", ".join(toml_string(p.text) for p in ALL_PAYLOADS)
    first = toml_string(ALL_PAYLOADS[0].text)
    lint = f"[lint]\ndisable = [{every}]\nrequire_quotes = [{every}]\nmax_text_length = {first}\n"
    path = tmp_path / "m.toml"
    path.write_text(
        f'[map]\ntitle = "t"\nthesis = "c1"\n{first} = 1\n{lint}[claim.c1]\ntext = "ok"\n',
        encoding="utf-8",
    )
    result = check([path], Config())
    assert result.errors and not result.graphs
    assert {d.code for d in result.diagnostics} == {"AM101", "AM102", "AM106"}
    severities = "\n".join(f"{toml_string(p.text)} = {toml_string(p.text)}" for p in ALL_PAYLOADS)
    (tmp_path / "argmap.toml").write_text(
        f"{first} = 1\n{lint}[lint.severity]\n{severities}\n", encoding="utf-8"
    )
    config, problems = load_config(tmp_path)
    assert problems and all(p.severity is Severity.ERROR for p in problems)
    assert {p.code for p in problems} == {"AM101", "AM102", "AM106"}
    assert config.lint.disable == frozenset()


def test_problem_reports_about_payloads_keep_control_characters_off_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = ", ".join(toml_string(p.text) for p in ALL_PAYLOADS)
    lines = ['[map]\ntitle = "t"\nthesis = "c1"\n', f'[claim.c1]\ntext = "ok"\ntags = [{every}]\n']
    lines += [f"{toml_string(p.text)} = 1\n" for p in ALL_PAYLOADS]  # unknown keys
    (tmp_path / "m.toml").write_text("".join(lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for output_format in ("text", "json", "github", "sarif"):
        result = CliRunner().invoke(app, ["check", "m.toml", "--format", output_format])
        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "Traceback" not in result.output
        shown = result.output.replace("\n", "").replace("\r", "")
        # JSON and SARIF escape the ASCII controls (docs/security.md); the terminal and
        # the CI log get no control character at all.
        pattern = CONTROL if output_format in ("text", "github") else ASCII_CONTROL
        assert not pattern.search(shown), output_format


def test_control_characters_are_refused_in_every_text_field(tmp_path: Path) -> None:
    for payload in REFUSED:
        path = tmp_path / f"{payload.name}.toml"
        path.write_text(hostile_map(payload.text), encoding="utf-8")
        result = check([path], Config())
        problems = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        assert problems and all(
            d.code == "AM106" and "control character" in d.message for d in problems
        )
        lines = path.read_text(encoding="utf-8").splitlines()
        # every line with the payload, and nothing else (no follow-on error)
        flagged = {d.position.line for d in problems}
        holding = {
            n for n, line in enumerate(lines, start=1) if toml_string(payload.text)[1:-1] in line
        }
        assert flagged == holding, payload.name


# -- in a browser ------------------------------------------------------------------------

PROBE = """() => ({
    pwned: window.__pwned,
    dataset: document.body.dataset.pwned,
    title: document.title,
})"""
# Fire every event a payload could hang a handler on, and press every button. Following
# the links that stay on the page (the templates' own: content cannot add a fragment
# link that differs between payloads) costs a layout each, so FOLLOW does it on a sample.
POKE = """() => {
    for (const el of document.querySelectorAll('*')) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart']) {
            el.dispatchEvent(new Event(type, {bubbles: true}));
        }
    }
    for (const el of document.querySelectorAll('button, summary, input')) {
        el.click();
    }
}"""
FOLLOW = """() => {
    for (const el of document.querySelectorAll('a[href^="#"], svg a')) {
        const href = el.getAttribute('href') || el.getAttribute('xlink:href') || '';
        if (href.startsWith('#') || href.startsWith(location.pathname.split('/').pop() + '#')) {
            el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
        }
    }
}"""


@pytest.fixture(scope="module")
def served(site: Path, serve_folder: Callable[[Path], str]) -> str:
    return serve_folder(site)


@pytest.mark.needs_dot
@pytest.mark.needs_browser
def test_in_chromium_no_payload_runs_and_nothing_leaves_the_site(
    site: Path, served: str, chromium: object
) -> None:
    failures: dict[str, list[str]] = {}
    seen: list[str] = []
    page = chromium.new_page()  # type: ignore[attr-defined]

    def dismiss(dialog: Any) -> None:
        seen.append(f"dialog {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.on("pageerror", lambda e: seen.append(f"page error {e}"))
    page.on(
        "console",
        lambda m: (
            seen.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on(
        "request",
        lambda r: None if r.url.startswith(served) else seen.append(f"request {r.url}"),
    )
    try:
        # every page: the maps' and the tag pages (tags/), whose names come from the maps
        for n, page_file in enumerate(sorted(site.rglob("*.html"))):
            seen.clear()
            name = page_file.relative_to(site).as_posix()
            page.goto(served + name, wait_until="load")
            before = page.evaluate(PROBE)
            page.evaluate(POKE)
            if n % 6 == 0:
                page.evaluate(FOLLOW)
            after = page.evaluate(PROBE)
            for state in (before, after):
                if state["pwned"] is not None or state["dataset"] is not None:
                    seen.append(f"a payload ran: {state}")
                if "PWNED" in state["title"]:
                    seen.append(f"the title changed: {state['title']!r}")
            if seen:
                failures[name] = list(seen)
    finally:
        page.close()
    assert failures == {}
    assert any(p.parent.name == "tags" for p in site.rglob("*.html"))  # tag pages were opened


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script src="https://cdn.example/x.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="//evil.example/">x</a>',
        '<svg><a xlink:href="data:text/html,x"><text>x</text></a></svg>',
        "<svg><foreignObject></foreignObject></svg>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        '<script type="application/json">{"a": "</script><script>alert(1)</script>"}</script>',
        "<iframe></iframe>",
        '<img src="https://tracker.example/x.png">',
        '<p style="x" title="y">x</p>',
    ],
)
def test_the_page_check_catches_what_it_looks_for(snippet: str) -> None:
    allowed = {"html": set(), "body": set(), "p": set(), "a": {"href"}}
    assert html_problems(f"<html><body>{snippet}</body></html>", allowed)


def test_the_svg_check_catches_what_it_looks_for() -> None:
    head = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    for body in (
        "<script>alert(1)</script>",
        '<g onload="alert(1)"/>',
        '<a xlink:href="javascript:alert(1)"><text>x</text></a>',
        "<foreignObject/>",
        '<animate attributeName="href" values="javascript:alert(1)"/>',
        "<text>\x07</text>",
    ):
        assert svg_problems(f"{head}{body}</svg>"), body
    assert csp_problems(
        '<meta http-equiv="Content-Security-Policy" content="default-src '
        "'none'; script-src 'self' 'unsafe-inline'\">"
    )


# -- output paths ------------------------------------------------------------------------

GOOD_MAP = FIXTURES / "golden" / "all-relations.toml"


@pytest.mark.parametrize(
    "name", ["CON", "con", "nul", "Aux", "COM1", "lpt9", "prn", "aux/inner", "ok/NUL"]
)
def test_file_names_windows_reserves_are_refused(name: str, tmp_path: Path) -> None:
    maps = tmp_path / "arguments"
    path = maps / f"{name}.toml"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD_MAP.read_text(encoding="utf-8"), encoding="utf-8")
    result = check([maps], Config())
    problems = [d for d in result.diagnostics if d.code == "AM005"]
    assert len(problems) == 1 and "Windows reserves it" in problems[0].message
    assert not result.graphs
    assert CliRunner().invoke(app, ["check", str(maps)]).exit_code == ExitCode.INPUT_ERROR


@pytest.mark.parametrize(
    "name", ["a b", "-x", "_x", "x.y", "é", "a:b", "a\\b", "..x", "con-tent", "COM10", "nul_ok"]
)
def test_other_file_names_are_refused_or_safe(name: str, tmp_path: Path) -> None:
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / f"{name}.toml").write_text(GOOD_MAP.read_text(encoding="utf-8"), encoding="utf-8")
    result = check([maps], Config())
    if result.graphs:  # accepted: the page name is one safe part
        (graph,) = result.graphs
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", graph.map.slug)
        assert graph.map.slug.lower() not in ("con", "nul", "com1")
    else:  # a name starting with "." is not searched at all
        assert {d.code for d in result.diagnostics} == {"AM004" if name[0] == "." else "AM005"}


@pytest.mark.needs_dot
def test_a_map_given_by_a_path_with_dots_is_written_inside_the_output(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere" / "m.toml").write_text(
        GOOD_MAP.read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "project" / "build"
    build([tmp_path / "project" / ".." / "elsewhere" / "m.toml"], out, config=Config())
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    assert written == ["project/build/index.html", "project/build/m.html"]


def test_file_names_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    maps = tmp_path / "arguments"
    (maps / "sub").mkdir(parents=True)
    for name in ("Map.toml", "map.toml", "sub/x.toml", "SUB/x.toml"):
        (maps / name).parent.mkdir(exist_ok=True)
        (maps / name).write_text(GOOD_MAP.read_text(encoding="utf-8"), encoding="utf-8")
    result = check([maps], Config())
    clashes = [d for d in result.diagnostics if d.code == "AM006"]
    assert len(clashes) == 2, clashes
    assert all("same page name" in d.message for d in clashes)


def test_ids_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[map]\ntitle = "t"\nthesis = "claim1"\n\n'
        '[claim.claim1]\ntext = "one"\n\n'
        '[premise.Claim1]\ntext = "two"\nsupports = "claim1"\n\n'
        '[reason.CLAIM1]\npremises = ["Claim1"]\nsupports = "claim1"\n',
        encoding="utf-8",
    )
    result = check([path], Config())
    problems = [(d.code, d.position.line, d.message) for d in result.errors]
    assert problems[:2] == [
        ("AM201", 8, "id 'Claim1' differs only in case from 'claim1', the claim on line 5"),
        ("AM201", 12, "id 'CLAIM1' differs only in case from 'claim1', the claim on line 5"),
    ]


@pytest.mark.needs_dot
def test_generated_scripts_only_hold_data(site: Path) -> None:
    """A script argmap writes from map text (not one of its static files) must be a
    single assignment of JSON: map text in it is data, whatever it holds."""
    static = {p.name for p in (default_templates_dir() / "static").glob("*.js")}
    for script in site.rglob("*.js"):
        if script.parent.name == "_static" and script.name in static:
            continue
        text = script.read_text(encoding="utf-8")
        match = re.fullmatch(r"\s*window\.[A-Za-z_$][\w$]*\s*=\s*(.*?);?\s*", text, re.DOTALL)
        assert match, f"{script.name} is not one assignment: {text[:120]!r}"
        data = json.loads(match.group(1))
        strings = json.dumps(data, ensure_ascii=False)
        for payload in PAYLOADS[:10]:
            assert json.dumps(payload.text, ensure_ascii=False)[1:-1] in strings, payload.name


# -- the text exports (issue 15) ---------------------------------------------------------

# A permissive renderer, as a document the outline is pasted into may use: raw HTML on.
PERMISSIVE = ("commonmark", {"html": True})


@pytest.fixture(scope="module")
def exported_graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ArgumentGraph]:
    """Each payload's map (the payload in every free-text field), checked, by name."""
    folder = tmp_path_factory.mktemp("exports")
    graphs = {}
    for payload in PAYLOADS:
        path = folder / f"{payload.name}.toml"
        path.write_text(hostile_map(payload.text), encoding="utf-8")
        (graph,) = check([path], Config()).graphs
        graphs[payload.name] = graph
    return graphs


def markdown_problems(markdown: str, *extensions: str) -> tuple[list[str], Scan]:
    """What a permissive CommonMark renderer makes of ``markdown`` that could run, load
    or navigate: raw HTML of any kind, embedded images, handlers, unsafe addresses."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt(*PERMISSIVE).enable(list(extensions))
    tokens = renderer.parse(markdown)
    problems = [f"raw HTML {t.content[:60]!r}" for t in tokens if t.type == "html_block"]
    for token in tokens:
        for child in token.children or []:
            if child.type == "html_inline":
                problems.append(f"raw HTML {child.content[:60]!r}")
            if child.type == "image":
                problems.append(f"an embedded image {child.attrGet('src')!r}")
    html = renderer.renderer.render(tokens, renderer.options, {})
    if "<script" in html.lower():
        problems.append("<script")
    scan = scan_html(html)
    for tag, attrs in scan.tags:
        if tag in FORBIDDEN_ELEMENTS or tag in ("script", "img", "svg"):
            problems.append(f"element <{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and not safe_url(value):
                problems.append(f"unsafe address {name}={value[:80]!r}")
    return problems, scan


@pytest.mark.parametrize("extensions", [(), ("strikethrough", "table")], ids=["cm", "gfm"])
def test_the_markdown_export_is_inert_in_a_permissive_renderer(
    exported_graphs: dict[str, ArgumentGraph], extensions: tuple[str, ...]
) -> None:
    """Rendered with raw HTML on, the outline of a hostile map holds no HTML of the map,
    no handler, no image and no address but http(s), mailto and relative ones; and
    every payload is still shown, as written (titles, source) and as its Markdown's
    words (statement texts, summary)."""
    failures = {}
    for payload in PAYLOADS:
        markdown = export(exported_graphs[payload.name], "markdown")
        assert isinstance(markdown, str)
        problems, scan = markdown_problems(markdown, *extensions)
        if _words(payload.text) not in scan.text:
            problems.append("the title is not shown as written")
        if _words(to_plain(payload.text)) not in scan.text:
            problems.append("the statements' words are not shown")
        if problems:
            failures[payload.name] = problems
    assert failures == {}


def test_the_markdown_export_still_reads_as_written(tmp_path: Path) -> None:
    """Escaping keeps ordinary text as written (asterisks, underscores, brackets, <, &,
    a leading number) and the map's own Markdown (emphasis, code, links, lists)."""
    from markdown_it import MarkdownIt

    path = tmp_path / "plain.toml"
    path.write_text(
        """\
[map]
title = "Cats & dogs: a*b*c, snake_case, [draft] <v2> #1"
thesis = "thesis"
summary = \"\"\"
A *careful* look at `x < y` & [the report](https://example.org/a_(b)?x=1&y=2).

- 2 * 3 = 6
- 1 < 2 & 3 > 2
\"\"\"

[source]
title = "Report_2020 [final]"
author = "O'Neil & Sons"
url = "https://example.org/report?id=1&lang=en"

[claim.thesis]
text = "Pets are *good* for you & me: 5 * 3 > 10, snake_case_names, [sic] <b>"

[premise.p1]
text = "2020. Wow\\\\![a link](https://example.org), ![a picture](https://example.org/x.png) ok!"
supports = "thesis"
""",
        encoding="utf-8",
    )
    (graph,) = check([path], Config()).graphs
    markdown = export(graph, "markdown")
    assert isinstance(markdown, str)
    html = MarkdownIt(*PERMISSIVE).render(markdown)
    assert markdown_problems(markdown)[0] == []
    expected = [
        "<h1>Cats &amp; dogs: a*b*c, snake_case, [draft] &lt;v2&gt; #1</h1>",
        '<p>Source: <a href="https://example.org/report?id=1&amp;lang=en">Report_2020 [final]'
        "</a>, O'Neil &amp; Sons</p>",
        "<p>A <em>careful</em> look at <code>x &lt; y</code> &amp; "
        '<a href="https://example.org/a_(b)?x=1&amp;y=2">the report</a>.</p>',
        "<ul>\n<li>2 * 3 = 6</li>\n<li>1 &lt; 2 &amp; 3 &gt; 2</li>\n</ul>\n<ul>\n<li>",
        "<strong>C1</strong> Pets are <em>good</em> for you &amp; me: 5 * 3 &gt; 10, "
        "snake_case_names, [sic] &lt;b&gt;",
        '<strong>P1</strong> 2020. Wow!<a href="https://example.org">a link</a>, '
        '<a href="https://example.org/x.png">[image: a picture]</a> ok!</li>',
    ]
    assert [part for part in expected if part not in html] == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("www.example.org/a", "must start with http:// or https://"),
        ("javascript:alert(1)//https://x", "must start with http:// or https://"),
        ("https://", "names no host"),
        ("https:///path", "names no host"),
        ("https://example.org/a b", "holds a space"),
        ("https://example.org/a\tb", "holds a space"),
        ("https://example.org/\u202egnp.exe", "control character"),
        ('https://x/) "<img src=x onerror=alert(1)>', "holds a space"),
        ("https://[::1/", "is not a URL"),
        ("https://example.org:port/", "is not a URL"),
    ],
)
def test_a_source_url_must_be_a_url(url: str, problem: str, tmp_path: Path) -> None:
    """Not only its start: an address that does not parse, names no host, or holds a
    space (where a renderer would end it) is refused at its line (AM106)."""
    path = tmp_path / "m.toml"
    path.write_text(
        f'[map]\ntitle = "t"\nthesis = "a"\n\n[source]\nurl = {toml_string(url)}\n\n'
        '[claim.a]\ntext = "A claim."\n',
        encoding="utf-8",
    )
    result = check([path], Config())
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert [(d.code, d.position.line) for d in errors] == [("AM106", 6)]
    assert problem in errors[0].message


def test_the_markdown_export_writes_only_web_addresses_as_links() -> None:
    """The export checks the source's address again (a graph may come from elsewhere
    than the loader) and percent-escapes what an address may not hold as it is."""
    from argmap.interop.outline import http_url

    assert http_url("javascript:alert(1)") is None
    assert http_url("https://x/a b") is None
    assert http_url("https:///x") is None
    assert http_url('https://x/?q=<a>"') == "https://x/?q=%3Ca%3E%22"
    assert http_url("https://x/é") == "https://x/%C3%A9"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='ab1 .!#{}-+=():/"é&<>*_[]`~|\\', max_size=30))
def test_plain_statements_skip_the_parser_with_the_same_outline(text: str) -> None:
    """The outline writes a text without Markdown syntax without parsing it: exactly
    what writing it from the parser's tokens gives."""
    from argmap.interop.outline import _inline, _text
    from argmap.markdown import _parser

    (block,) = _parser().parseInline(" ".join(text.split()))
    assert _text(text) == _inline(block.children or [])


def test_the_other_text_exports_keep_payloads_as_data(
    exported_graphs: dict[str, ArgumentGraph],
) -> None:
    """JSON, AIF and xAIF parse as JSON with the payload a string in it; GraphML as XML
    without declarations, the payload (or its words) in a text, no label yEd would
    render as HTML; Argdown reads back into the same statements and relations, with no
    tag the map does not have. (argmap's Argdown reader takes "<!--" inside a tag for a
    comment, so two payloads do not read back word for word; Argdown itself reads them.)"""
    from argmap.interop.argdown import read_argdown

    failures: dict[str, list[str]] = {}
    for payload in PAYLOADS:
        graph = exported_graphs[payload.name]
        problems = failures.setdefault(payload.name, [])
        as_json = json.dumps(payload.text, ensure_ascii=False)[1:-1]
        for fmt in ("json", "aif", "xaif"):
            data = json.loads(str(export(graph, fmt)))
            if as_json not in json.dumps(data, ensure_ascii=False):
                problems.append(f"{fmt}: the payload is not kept")
        graphml = str(export(graph, "graphml"))
        if "<!DOCTYPE" in graphml or "<!ENTITY" in graphml:
            problems.append("graphml: a declaration")
        texts = [element.text or "" for element in ET.fromstring(graphml).iter()]
        if not {payload.text, to_plain(payload.text)} & {text.strip() for text in texts}:
            problems.append("graphml: the payload is not a text of its own")
        labels = [
            element.text or ""
            for element in ET.fromstring(graphml).iter(
                "{http://www.yworks.com/xml/graphml}NodeLabel"
            )
        ]
        if any(label.lstrip().lower().startswith("<html") for label in labels):
            problems.append("graphml: a label yEd renders as HTML")
        draft = read_argdown(str(export(graph, "argdown")), "m.argdown")
        if sorted(draft.nodes) != sorted(node.id for node in graph.map.nodes):
            problems.append(f"argdown: other statements {sorted(draft.nodes)}")
        tags = {tag for node in draft.nodes.values() for tag in node.extra.get("tags", ())}
        if not tags <= {tag for node in graph.map.nodes for tag in node.tags}:
            problems.append(f"argdown: other tags {tags}")
        if len(draft.attacks) != 3 or len(draft.reasons) != 2:
            problems.append("argdown: other relations")
        if not problems:
            del failures[payload.name]
    assert failures == {}


# Graphviz's own declaration (no entity, nothing fetched: a viewer does not load the DTD).
GRAPHVIZ_DOCTYPE = (
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
)


def _layout_attributes(dot_source: str) -> list[tuple[str, list[str]]]:
    """Each graph, node and edge Graphviz reads from ``dot_source``, with the names of
    its attributes (``dot -Tjson0``)."""
    import subprocess

    done = subprocess.run(
        ["dot", "-Tjson0"], input=dot_source.encode(), capture_output=True, check=True
    )
    data = json.loads(done.stdout)
    objects = [data, *data.get("objects", []), *data.get("edges", [])]
    return [(str(o.get("name", o.get("_gvid"))), sorted(o)) for o in objects]


@pytest.mark.needs_dot
def test_the_diagram_exports_are_inert(
    exported_graphs: dict[str, ArgumentGraph], tmp_path: Path
) -> None:
    """DOT: Graphviz reads the same graphs, nodes, edges and attribute names as from a
    harmless map (no payload adds an attribute such as image= or URL=). SVG: the
    allowlist of the site's diagrams. PDF: links only to the map's page, no script or
    action. PNG: an image (a viewer runs nothing in it)."""
    path = tmp_path / "harmless.toml"
    path.write_text(hostile_map("harmless words"), encoding="utf-8")
    (harmless,) = check([path], Config()).graphs
    expected = _layout_attributes(str(export(harmless, "dot")))
    failures = {}
    for payload in PAYLOADS:
        graph = exported_graphs[payload.name]
        problems = []
        if _layout_attributes(str(export(graph, "dot"))) != expected:
            problems.append("dot: other objects or attributes")
        svg = str(export(graph, "svg")).replace(GRAPHVIZ_DOCTYPE, "", 1)
        problems += [f"svg: {p}" for p in svg_problems(svg)]
        pdf = export(graph, "pdf")
        assert isinstance(pdf, bytes)
        page = re.escape(f"{payload.name}.html#").encode()
        for uri in re.findall(rb"/URI *\(((?:[^)\\]|\\.)*)\)", pdf):
            if not re.fullmatch(page + rb"[\w-]+", uri):
                problems.append(f"pdf: a link to {uri[:80]!r}")
        actions = re.findall(rb"/(JavaScript|JS|Launch|OpenAction|AA|EmbeddedFile|GoToR)\b", pdf)
        problems += [f"pdf: /{a.decode()}" for a in sorted(set(actions))]
        if export(graph, "png")[:8] != b"\x89PNG\r\n\x1a\n":
            problems.append("png: not a PNG")
        if problems:
            failures[payload.name] = problems
    assert failures == {}


# What each link of a page leads to, as the browser reads its address.
PROTOCOLS = """() => [...document.querySelectorAll('a[href]')].map(a => a.protocol)"""


@pytest.mark.needs_browser
def test_in_chromium_the_rendered_markdown_export_runs_nothing(
    exported_graphs: dict[str, ArgumentGraph],
    tmp_path: Path,
    serve_folder: Callable[[Path], str],
    chromium: object,
) -> None:
    """Each payload's outline, rendered by a CommonMark renderer with raw HTML on and put
    in a page without any policy (as a permissive viewer shows it): no dialog, no
    payload run, no error, no request, no link but http(s), mailto or the page's own."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt(*PERMISSIVE)
    for payload in PAYLOADS:
        markdown = str(export(exported_graphs[payload.name], "markdown"))
        body = renderer.render(markdown)
        (tmp_path / f"{payload.name}.html").write_text(
            f'<!doctype html><meta charset="utf-8"><title>outline</title>\n{body}',
            encoding="utf-8",
        )
    served = serve_folder(tmp_path)
    failures: dict[str, list[str]] = {}
    seen: list[str] = []

    def dialog(opened: Any) -> None:
        seen.append(f"dialog {opened.message}")
        opened.dismiss()

    def request(made: Any) -> None:
        if not made.url.startswith(served):
            seen.append(f"request {made.url}")

    page = chromium.new_page()  # type: ignore[attr-defined]
    page.on("dialog", dialog)
    page.on("pageerror", lambda e: seen.append(f"page error {e}"))
    page.on("request", request)
    try:
        for payload in PAYLOADS:
            seen.clear()
            page.goto(f"{served}{payload.name}.html", wait_until="load")
            page.evaluate(POKE)
            state = page.evaluate(PROBE)
            if state["pwned"] is not None or state["dataset"] is not None:
                seen.append(f"a payload ran: {state}")
            if state["title"] != "outline":
                seen.append(f"the title changed: {state['title']!r}")
            for protocol in page.evaluate(PROTOCOLS):
                if protocol not in ("http:", "https:", "mailto:"):
                    seen.append(f"a link to {protocol}")
            if seen:
                failures[payload.name] = list(seen)
    finally:
        page.close()
    assert failures == {}
