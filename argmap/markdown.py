"""Markdown in node texts, rendered safely.

User text is untrusted. We use markdown-it-py's ``js-default`` preset (raw HTML off),
switch off images (they would fetch remote files), and accept only links whose scheme
is http, https or mailto, or relative links and fragments. See docs/security.md.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_link(url: str) -> bool:
    """Accept http(s)/mailto and scheme-less relative links; reject everything else.

    Browsers ignore tabs, newlines and control characters inside a scheme
    (``java\\tscript:``), so those are removed (after undoing %-escapes, which markdown-it
    adds) before the scheme is read.
    """
    compact = _INVISIBLE.sub("", unquote(url))
    if compact.startswith(("//", "\\", "/\\")):
        return False  # protocol-relative: leaves the site with whatever scheme the page has
    match = _SCHEME.match(compact)
    return match is None or match.group(1).lower() in _SAFE_SCHEMES


def web_address_problem(url: str) -> str | None:
    """Why ``url`` is not the address of a published source, or None if it is one: an
    http(s) URL that parses, names a host, and holds no whitespace or control character
    (a renderer could end the address there and read the rest as markup)."""
    if not re.match(r"https?://", url, re.IGNORECASE):
        return "the source url must start with http:// or https://"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return (
            "the source url holds a space, line break or control character (write a space as %20)"
        )
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError as error:
        return f"the source url is not a URL ({error})"
    if not host:
        return "the source url names no host"
    return None


def _validate_link(url: str) -> bool:
    return is_safe_link(url)


def _render_link_open(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    token = tokens[index]
    href = str(token.attrGet("href") or "")
    if _SCHEME.match(href):
        token.attrSet("rel", "nofollow noopener noreferrer")
    return str(renderer.renderToken(tokens, index, options, env))


def _render_image(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    """An image becomes a link to it, labelled with its alt text: nothing is embedded.

    Inside a link it becomes the label alone, since links cannot nest.
    """
    from markdown_it.common.utils import escapeHtml

    token = tokens[index]
    alt = escapeHtml(renderer.renderInlineAsText(token.children or [], options, env))
    opened = sum(t.type == "link_open" for t in tokens[:index])
    closed = sum(t.type == "link_close" for t in tokens[:index])
    if opened > closed:
        return f"[image: {alt}]"
    src = escapeHtml(str(token.attrGet("src") or ""))
    return f'<a href="{src}" rel="nofollow noopener noreferrer">[image: {alt}]</a>'


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default")
    # A statement is a paragraph or two: headings would break the page's outline, and
    # images would load files from elsewhere; they are rendered as plain text/links.
    md.disable(["heading", "lheading"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    return md


# Most statements are one line of words and punctuation in which Markdown finds no
# syntax: markdown-it would give them back as they are, escaped, in a paragraph. Those
# are rendered here without the parser, so a build whose texts are all like that never
# imports markdown-it (about a tenth of a small map's build). The output is the parser's
# to the byte (tests/test_markdown.py compares the two on generated texts). Refused: any
# character Markdown reads as inline syntax, raw HTML, an entity or a table (``_SYNTAX``);
# a first character that can open a block (heading, quote, list, rule); a leading number
# followed by "." or ")" (an ordered list); line breaks, tabs and other characters that
# are not printable; whitespace at either end.
_SYNTAX = frozenset("\\`*_[]<>&~|")
_BLOCK_START = frozenset("#-+=")  # with ">" and "*" of _SYNTAX: heading, quote, list, rule
_LIST_NUMBER = re.compile(r"[0-9]+[.)]")


def _is_plain(text: str) -> bool:
    """Whether Markdown would leave ``text`` as it is (see above)."""
    return (
        bool(text)
        and text.isprintable()
        and text == text.strip()
        and _SYNTAX.isdisjoint(text)
        and text[0] not in _BLOCK_START
        and _LIST_NUMBER.match(text) is None
    )


def _escape_plain(text: str) -> str:
    # markdown-it's escapeHtml; a plain text has no "&", "<" or ">" to escape
    return text.replace('"', "&quot;")


def to_html(text: str) -> str:
    """Render Markdown to HTML (safe to insert unescaped into a page)."""
    if _is_plain(text):
        return f"<p>{_escape_plain(text)}</p>\n"
    return str(_parser().render(text))


def to_inline_html(text: str) -> str:
    """Render a one-line Markdown text without the wrapping paragraph."""
    if _is_plain(text):
        return _escape_plain(text)
    return str(_parser().renderInline(text))


# to_plain runs about eight times per text (lint, diagram label and tooltips, pages):
# remember the plain text of short texts. Bounded: at most this many entries, each of a
# text under the length limit (a longer one is rare, and already an AM407 warning).
_PLAIN_CACHE_ENTRIES = 16_384
_PLAIN_CACHE_LENGTH = 500


def to_plain(text: str) -> str:
    """The visible words of a Markdown text, for diagram labels and tooltips."""
    if len(text) > _PLAIN_CACHE_LENGTH:
        return _plain(text)
    return _cached_plain(text)


def _plain(text: str) -> str:
    if _is_plain(text):
        return " ".join(text.split())
    return _parsed_plain(text)


def _parsed_plain(text: str) -> str:
    words: list[str] = []
    for token in _parser().parse(text):
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type == "image":
                    words.append(f"[image: {child.content}]")
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append(" ")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
    return " ".join("".join(words).split())


_cached_plain = lru_cache(maxsize=_PLAIN_CACHE_ENTRIES)(_plain)

# In texts joined by line breaks, with one before and after: where a text is not plain
# (see _is_plain). A syntax character; a block start, a list number or an empty text
# after a line break; a space before one.
_SYNTAX_CHARACTER = re.compile(r"[\\`*_\[\]<>&~|]")
_NOT_PLAIN_START = re.compile(r"\n(?=[ #+=\n-]|[0-9]+[.)])")
_SPACE_AT_END = re.compile(r" (?=\n)")


def to_plain_many(texts: Sequence[str]) -> list[str]:
    """:func:`to_plain` of each text. The texts Markdown leaves as they are, most of
    them, are found by a few scans of all of them joined, not by a test of each: lint
    reads the plain text of every node of a map of a hundred thousand."""
    joined = "\n" + "\n".join(texts) + "\n"
    if joined.count("\n") != len(texts) + 1 or not joined.replace("\n", " ").isprintable():
        return [to_plain(text) for text in texts]  # a text holds a line break, or worse
    starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=1))
    where = itertools.chain(
        (found.start() for found in _SYNTAX_CHARACTER.finditer(joined)),
        (found.start() + 1 for found in _NOT_PLAIN_START.finditer(joined)),
        (found.start() for found in _SPACE_AT_END.finditer(joined)),
    )
    suspects = {bisect.bisect_right(starts, index) - 1 for index in where}
    return [
        to_plain(text) if number in suspects else " ".join(text.split()) if "  " in text else text
        for number, text in enumerate(texts)
    ]
