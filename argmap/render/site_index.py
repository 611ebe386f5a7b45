"""What the site's pages share beyond one map: page names, tag pages' names, the
search index of the index page's filter, and the sitemap. Split from
:mod:`argmap.render.site`, which renders the pages; nothing here renders a template.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape as html_escape

from argmap.analysis.graph import ArgumentGraph
from argmap.markdown import to_plain as _to_plain

# A page needs each text as plain text several times (links' titles, the what-if data,
# the search index, the card): convert each once. Pure, so a cache is safe.
to_plain = functools.lru_cache(maxsize=8192)(_to_plain)


def page_path(slug: str) -> str:
    return f"{slug}.html"


SEARCH_INDEX = "search-index.js"
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
)


def tag_slug(tag: str) -> str:
    """A file name for a tag's page: ASCII letters, digits and '-', never empty."""
    ascii_text = unicodedata.normalize("NFKD", tag.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    digest = hashlib.sha256(tag.casefold().encode()).hexdigest()[:8]
    if not slug:
        return f"tag-{digest}"
    if slug in _WINDOWS_RESERVED:
        return f"{slug}-tag"
    return slug


@dataclass(slots=True)
class TagIndex:
    """The site's tags: ``Russia`` and ``russia`` are one tag, each gets a unique page.

    Tags are compared case-insensitively (``casefold``); the spelling shown is the
    first in sorted order. Two different tags with the same slug (``C++`` and ``C#``)
    keep apart: the first, in sorted order, gets the plain slug, the others the slug
    and a hash of the tag, so no two pages collide, on any file system.
    """

    tag_lists: list[tuple[str, ...]]
    names: dict[str, str] = field(default_factory=dict)  # key -> shown spelling
    slugs: dict[str, str] = field(default_factory=dict)  # key -> slug

    def __post_init__(self) -> None:
        spellings: dict[str, set[str]] = {}
        for tag_list in self.tag_lists:
            for tag in tag_list:
                spellings.setdefault(self.key(tag), set()).add(tag.strip())
        taken: set[str] = set()
        for key in sorted(spellings):
            self.names[key] = sorted(spellings[key])[0]
            slug = tag_slug(key)
            if slug in taken:
                slug = f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
            taken.add(slug)
            self.slugs[key] = slug

    @staticmethod
    def key(tag: str) -> str:
        return tag.strip().casefold()

    def href(self, tag: str) -> str:
        """The tag page's path from the top of the site."""
        return f"tags/{self.slugs[self.key(tag)]}.html"

    def listing(self, summaries: list[dict[str, object]]) -> list[dict[str, object]]:
        found = []
        for key, name in sorted(self.names.items()):
            count = sum(1 for m in summaries if key in tag_keys(m))
            found.append({"name": name, "href": self.href(name), "count": count})
        return found


def tag_keys(summary: dict[str, object]) -> set[str]:
    """The keys of a map's tags, from its summary (its card)."""
    keys = summary["tag_keys"]
    assert isinstance(keys, set)
    return keys


def search_entry(graph: ArgumentGraph) -> dict[str, object]:
    """One map's entry in the search index: its title, page, summary, tags and the plain
    text of every statement with its id and number."""
    return {
        "title": graph.map.title,
        "href": page_path(graph.map.slug),
        "summary": to_plain(graph.map.summary) if graph.map.summary else "",
        "tags": list(graph.map.tags),
        "nodes": [
            [node.id, graph.numbers[node.id], to_plain(node.text)] for node in graph.ordered_nodes()
        ],
    }


def search_script(entries: Iterable[Mapping[str, object]]) -> bytes:
    """The data of the index page's filter, as a script (``fetch`` fails on ``file://``):
    one JSON document, assigned to ``window.argmapSearchIndex``."""
    data = {"maps": list(entries)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.argmapSearchIndex = {text};\n".encode()


def sitemap(base_url: str, pages: list[str], date: str | None) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(pages):
        lastmod = f"<lastmod>{date}</lastmod>" if date else ""
        address = html_escape(base_url + path, quote=False)  # & < > as in XML
        lines.append(f"  <url><loc>{address}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()
