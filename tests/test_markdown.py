from __future__ import annotations

import pytest

from argmap import markdown
from argmap.markdown import is_safe_link, to_html, to_inline_html, to_plain


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
    """to_plain runs about eight times per text: short texts are parsed once."""
    cache = markdown._cached_plain
    assert cache.cache_info().maxsize == markdown._PLAIN_CACHE_ENTRIES
    text = "A *fresh* text, seen once: [link](https://example.org/remembered)"
    before = cache.cache_info()
    assert to_plain(text) == to_plain(text) == "A fresh text, seen once: link"
    after = cache.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    long = "*word* " * (markdown._PLAIN_CACHE_LENGTH // 7 + 1)
    assert to_plain(long) == markdown._plain(long) == ("word " * (long.count("*") // 2)).strip()
    assert cache.cache_info().currsize == after.currsize  # long texts are not kept
