"""A Markdown outline of the argument, for pasting into documents.

The same tree as the page's outline (:attr:`argmap.analysis.graph.ArgumentGraph.outline`): the
thesis first, under each statement what supports it and what attacks it, each statement
written out once and marked "(see above)" where it comes again.

The outline is read by whatever renders the document it is pasted into, often a
renderer that passes raw HTML through. So no map text reaches it as it is (see
docs/security.md): titles and source details are escaped, Markdown and HTML alike;
statement texts and the summary are parsed by argmap's own Markdown parser (raw HTML
off, the strict link check of the pages) and written out again from its tokens, their
words escaped, their links and images only if the check let them through; the source's
address only if it parses as a plain http(s) URL.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from argmap.analysis.graph import ArgumentGraph, OutlineItem, Role
from argmap.interop.formats import ExportFormat
from argmap.markdown import _is_plain, _parser, is_safe_link, web_address_problem

if TYPE_CHECKING:
    from markdown_it.token import Token

_ROLE = {
    Role.ROOT: "",
    Role.SUPPORTS: "*supports:* ",
    Role.LINKED: "",
    Role.ATTACKS: "*attacks:* ",
    Role.UNDERCUTS: "*undercuts:* ",
}

# Characters Markdown (CommonMark, GFM, and kramdown's {: attribute lists}) may read as
# syntax in running text are escaped with a backslash; those HTML reads as syntax become
# entities, which every renderer shows as the character. Line-start syntax ("-", "1.")
# is escaped where a line can start with map text (:func:`_guard_line_start`).
# Deeper items are listed at this level, each marked with its own: a nested list's
# indentation grows with its depth, so a chain thousands deep would make a file of
# hundreds of megabytes that no reader could follow anyway.
MAX_NESTING = 16

_ESCAPES = {c: "\\" + c for c in "\\`*_[]{}#|~"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


def _escape_words(text: str) -> str:
    """``text`` with every character of :data:`_ESCAPES` escaped (a regular expression:
    most texts have none, and str.translate looks up every character)."""
    return _SPECIAL.sub(lambda found: _ESCAPES[found[0]], text)


_LINE_START = re.compile(r"[-+=]|[0-9]+[.)]")
# Characters kept as they are in an address; anything else is percent-escaped.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _escape(text: str) -> str:
    """Plain text as Markdown that shows it as written, with no syntax and no HTML."""
    return _escape_words(_flat(text))


def _guard_line_start(line: str) -> str:
    """Escape a start of line that Markdown would read as a list item or an underline."""
    found = _LINE_START.match(line)
    if found is None:
        return line
    end = found.end()
    return f"{line[: end - 1]}\\{line[end - 1 :]}"


def http_url(url: str) -> str | None:
    """``url`` as an address safe to write into Markdown, or None if it is not the
    address of a published source (the loader's check, made again here: a map's
    document may come from elsewhere); characters an address may not hold as they are
    get percent-escaped."""
    if web_address_problem(url) is not None:
        return None
    return urllib.parse.quote(url, safe=_URL_SAFE)


def _destination(url: str) -> str:
    """A link destination that ends where it should: spaces, ``<``, ``>`` and
    backslashes escaped as in a URL, ``&`` as an entity (renderers decode entities in
    destinations: a ``&colon;`` must not become a colon), and in angle brackets if it
    holds a parenthesis."""
    quoted = urllib.parse.quote(url, safe=_URL_SAFE).replace("&", "&amp;")
    return f"<{quoted}>" if "(" in quoted or ")" in quoted else quoted


def _title(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' "{_flat(escaped)}"'


def _code(content: str) -> str:
    """A code span that holds ``content`` exactly (renderers escape what is inside)."""
    content = " ".join(content.splitlines())
    if not content.strip():
        return " " if content else ""
    longest = max((len(run) for run in re.findall("`+", content)), default=0)
    fence = "`" * (longest + 1)
    # A renderer takes one space off each end when both ends have one.
    if content[0] in "` " or content[-1] in "` ":
        content = f" {content} "
    return f"{fence}{content}{fence}"


def _inline(tokens: Sequence[Token]) -> str:
    """Markdown for the inline tokens argmap's parser made of a text: only what the
    parser found (it reads raw HTML as words, and refused links as words), with every
    word escaped."""
    out: list[str] = []
    links: list[Token] = []  # the open link, if any (links do not nest)
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
            out.append(token.markup)
        elif kind == "code_inline":
            out.append(_code(token.content))
        elif kind == "link_open":
            links.append(token)
            # The parser checked the address already; the check is cheap, so never
            # trust one place alone.
            out.append("[" if is_safe_link(str(token.attrGet("href") or "")) else "\\[")
        elif kind == "link_close" and links:
            opened = links.pop()
            href = str(opened.attrGet("href") or "")
            title = opened.attrGet("title")
            if is_safe_link(href):
                out.append(f"]({_destination(href)}{_title(str(title)) if title else ''})")
            else:
                out.append("\\]")
        elif kind == "image":
            # As on the pages: a link to the image, labelled with its alt text, never an
            # embedded picture (it would be fetched from elsewhere when the document is
            # opened); inside a link, the label alone.
            label = f"\\[image: {_escape(token.content)}\\]"
            src = str(token.attrGet("src") or "")
            if links or not is_safe_link(src):
                out.append(label)
            else:
                out.append(f"[{label}]({_destination(src)})")
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        else:  # text, text_special, and anything a later parser may add: its words
            words = _escape_words(token.content)
            following = tokens[index + 1].type if index + 1 < len(tokens) else ""
            if words.endswith("!") and following in ("link_open", "image"):
                words = words[:-1] + "\\!"  # "![" would be an image
            out.append(words)
    return "".join(out).strip()


def _text(text: str) -> str:
    """A statement's Markdown, on one line (an outline item), made safe (see above)."""
    flat = _flat(text)
    if _is_plain(flat):  # the parser would find one text token: its words, escaped
        return _escape_words(flat)
    (block,) = _parser().parseInline(flat)
    return _inline(block.children or [])


def _paragraphs(text: str) -> list[str]:
    """The summary's Markdown as paragraphs and list items, made safe (see above); other
    blocks (quotes, tables, code) keep their words as paragraphs. Bullets are "*": a
    list of the summary's own then stays apart from the outline's "-" list below it."""
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] (ordered) or [] (bullets)
    prefix = ""
    for token in _parser().parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            ordered = token.type == "ordered_list_open"
            lists.append([int(start) if start is not None else 1] if ordered else [])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                lines.append("")
        elif token.type in ("list_item_open", "list_item_close") and prefix:
            lines.append(prefix.rstrip())  # an item without words of its own
            prefix = ""
        if token.type == "list_item_open":
            indent = "    " * (len(lists) - 1)
            counter = lists[-1]
            if counter:
                prefix = f"{indent}{counter[0]}. "
                counter[0] += 1
            else:
                prefix = f"{indent}* "
        elif token.type in ("inline", "code_block", "fence"):
            inline = token.type == "inline"
            line = _inline(token.children or []) if inline else _code(token.content)
            if not line:
                continue
            if prefix:
                lines.append(prefix + _guard_line_start(line))
                prefix = ""
            elif lists:
                lines.append("    " * len(lists) + _guard_line_start(line))
            else:
                lines += [_guard_line_start(line), ""]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def to_markdown(graph: ArgumentGraph) -> str:
    argument_map = graph.map
    lines = [f"# {_escape(argument_map.title)}", ""]
    source = argument_map.source
    if not source.is_empty():
        parts = [p for p in (source.title, source.author, source.publisher, source.date) if p]
        url = http_url(source.url) if source.url else None
        shown = ", ".join(_escape(p) for p in parts)
        if url and parts:
            shown = f"[{_escape(parts[0])}]({_destination(url)})" + "".join(
                f", {_escape(p)}" for p in parts[1:]
            )
        elif url:
            shown = f"<{url}>"
        elif source.url:
            shown = ", ".join(p for p in (shown, _escape(source.url)) if p)
        lines += [f"Source: {shown}", ""]
    if argument_map.summary:
        lines += [*_paragraphs(argument_map.summary), ""]

    def item_line(item: OutlineItem) -> None:
        indent = "  " * min(item.depth, MAX_NESTING)
        if item.depth > MAX_NESTING:
            indent += f"- *(level {item.depth})* "
        else:
            indent += "- "
        if item.node is None:
            reason = item.reason
            assert reason is not None
            word = "together support" if reason.linked else "supports (as a named reason)"
            lines.append(f"{indent}*{word}* (`{reason.id}`):")
        else:
            node = graph.nodes[item.node]
            number = graph.numbers[item.node]
            role = _ROLE[item.role]
            if item.node == argument_map.thesis and item.role is Role.ROOT:
                role = "*thesis:* "
            if item.repeated:
                lines.append(f"{indent}{role}**{number}** (see above)")
                return
            lines.append(f"{indent}{role}**{number}** {_text(node.text)}")

    for item in graph.outline:  # flat, in reading order: each item carries its depth
        item_line(item)
    return "\n".join(lines).rstrip("\n") + "\n"


EXPORTS = (
    ExportFormat(
        "markdown", ".md", "an outline of the argument", lambda g, _: to_markdown(g), rank=60
    ),
)
