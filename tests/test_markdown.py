from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap import markdown
from argmap.markdown import is_safe_link, to_html, to_inline_html, to_plain

from .conftest import FIXTURES, SEED_MAP


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c#d",
        "http://example.org",
        "mailto:someone@example.org",
        "other-map.html#node",
        "#node",
        "../up.html",
        "page%20name.html",
    ],
)
def test_safe_links_are_kept(url: str) -> None:
    assert is_safe_link(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java%09script:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "\\\\evil.example\\x",
    ],
)
def test_unsafe_links_are_refused(url: str) -> None:
    assert not is_safe_link(url)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](<java&#x09;script:alert(1)>)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: vbscript:msgbox(1)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_markdown_never_renders_a_dangerous_link(source: str) -> None:
    html = to_html(source).lower()
    assert "href" not in html


def test_raw_html_is_escaped_not_rendered() -> None:
    html = to_html('<script>alert(1)</script> <img src=x onerror="alert(1)">')
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_images_are_not_rendered_so_nothing_remote_loads() -> None:
    assert "<img" not in to_html("![chart](https://example.org/chart.png)")


def test_external_links_get_rel_noopener() -> None:
    html = to_html("[source](https://example.org)")
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "rel=" not in to_html("[local](#c1)")


def test_emphasis_and_inline_rendering() -> None:
    assert to_html("a *b*") == "<p>a <em>b</em></p>\n"
    assert to_inline_html("a **b**") == "a <strong>b</strong>"


def test_plain_text_drops_markup_and_joins_paragraphs() -> None:
    assert to_plain("Some *em*, `code` and [a link](https://x.org)\n\nnext") == (
        "Some em, code and a link next"
    )


def test_images_become_labelled_links_and_headings_stay_text() -> None:
    html = to_html("![a <chart>](https://example.org/c.png)\n\n# Not a heading")
    assert '<a href="https://example.org/c.png" rel="nofollow noopener noreferrer">' in html
    assert "[image: a &lt;chart&gt;]" in html
    assert "<h1>" not in html and "# Not a heading" in html
    assert "href" not in to_html("![x](javascript:alert(1))")


def test_an_image_inside_a_link_does_not_nest_links() -> None:
    html = to_html("[![logo](i.png)](https://example.org)")
    assert html.count("<a ") == 1 and "[image: logo]" in html


def test_plain_text_keeps_image_alt_text() -> None:
    assert to_plain("![a chart](c.png) shows it") == "[image: a chart] shows it"


def test_plain_text_is_remembered_within_a_bound_and_stays_the_same() -> None:
    """to_plain runs about eight times per text: short texts are parsed once (the same
    string comes back), long ones every time, and only so many are remembered."""
    text = f"A *fresh* text, seen once: [link](https://example.org/{uuid.uuid4()})"
    first = to_plain(text)
    assert first == "A fresh text, seen once: link"
    assert to_plain(text) is first
    long = "*word* " * (markdown._PLAIN_CACHE_LENGTH // 7 + 1)
    assert to_plain(long) == markdown._plain(long) == ("word " * (long.count("*") // 2)).strip()
    assert to_plain(long) is not to_plain(long)  # long texts are not kept
    for n in range(markdown._PLAIN_CACHE_ENTRIES):  # as many other texts: the first is out
        to_plain(f"text {n}")
    again = to_plain(text)
    assert again == first and again is not first


# -- the parser-free path for texts in which Markdown finds no syntax ------------------------

_PIECES = [
    "word",
    "Wörter",
    "30",
    "1",
    "2026",
    "km/h",
    " ",
    "  ",
    ",",
    ".",
    ";",
    ":",
    "?",
    "!",
    "'",
    '"',
    "’",
    "“",
    "”",
    "¶",
    "…",
    "–",
    "—",
    "(",
    ")",
    "%",
    "$",
    "€",
    "/",
    "@",
    "#",
    "=",
    "+",
    "-",
    "^",
    "{",
    "}",
    "é",
    "中文",
    "🙂",
    "*",
    "_",
    "`",
    "[",
    "]",
    "<",
    ">",
    "&",
    "&amp;",
    "&#35;",
    "~",
    "~~",
    "|",
    "\\",
    "\n",
    "\r\n",
    "\t",
    "\u00a0",
    "\u200b",
    "\u00ad",
    "\u2028",
    "\x00",
    "1.",
    "1)",
    "10) ",
    "- ",
    "* ",
    "+ ",
    "# ",
    "> ",
    "===",
    "---",
    "    ",
    "<b>",
    "[a](http://x)",
    "![a](b)",
    "<http://x>",
    "**b**",
    "_i_",
    "`c`",
]


def _parser_html(text: str) -> tuple[str, str, str]:
    """What markdown-it itself makes of ``text`` (to_html, to_inline_html, to_plain)."""
    parser = markdown._parser()
    return str(parser.render(text)), str(parser.renderInline(text)), markdown._parsed_plain(text)


def _fast(text: str) -> tuple[str, str, str]:
    return to_html(text), to_inline_html(text), markdown._plain(text)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join))
def test_a_text_taken_as_plain_renders_as_the_parser_renders_it(text: str) -> None:
    if markdown._is_plain(text):
        assert _fast(text) == _parser_html(text)


def test_every_text_of_the_seed_and_fixture_maps_renders_as_the_parser_renders_it() -> None:
    import tomllib

    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in [SEED_MAP, *sorted(FIXTURES.rglob("*.toml"))]:
        try:
            walk(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
    plain = [t for t in texts if markdown._is_plain(t)]
    assert len(plain) > 200  # the comparison below is not vacuous
    for text in texts:
        if markdown._is_plain(text):
            assert _fast(text) == _parser_html(text), text


@pytest.mark.parametrize(
    "text",
    [
        "&amp; is an entity",
        "1. a list",
        "10) a list",
        "- a list",
        "# a heading",
        "a *word*",
        "a\nsecond line",
        " leading space",
        "a `code` span",
        "a [link](http://x)",
        "a ~~strike~~",
        "a <b>tag</b>",
        "a | table",
        "a \\* escape",
        "tab\there",
    ],
)
def test_markdown_syntax_goes_to_the_parser(text: str) -> None:
    assert not markdown._is_plain(text)


def test_plain_words_and_punctuation_take_the_short_path() -> None:
    for text in ['He said "no" (¶4), 30 km/h.', "2026 was a year; why?", "Café — ok!"]:
        assert markdown._is_plain(text), text


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from([*_PIECES, "", " ", "  ", "\n", "\t", "12", ")", "é"]), max_size=6
        ).map("".join),
        max_size=8,
    )
)
def test_to_plain_many_is_to_plain_of_each(texts: list[str]) -> None:
    """Its scans of the texts joined find every text that is not plain."""
    assert markdown.to_plain_many(texts) == [to_plain(text) for text in texts]
