"""Stage 4c: make Graphviz's SVG accessible and safe to inline in a page.

Graphviz titles each node with its DOT name ("C1") and gives elements ids such as
"node1" that could clash with node anchors in the page. Here the SVG gets a real title
and description for screen readers, every node and edge a title (its tooltip), every
section's frame (a Graphviz cluster) one naming the section, and every id a prefix that
map ids cannot have.

What a screen reader says is said once (:func:`_speech`): a statement's box is its
link, named by ``aria-label`` (number, kind, text and relations); the box's group is
``role="none"``, so its ``<title>`` is only the tooltip, not a second name. Arrows and
the "and" of linked premises are ``aria-hidden``: each box already says what it
supports and attacks. A page holds two diagrams (plain and evaluated), so
each gets its own prefix; both start with "_svg_".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

_ID_PREFIX = "_svg_"  # map ids start with a letter or digit, so they never collide


def _tag(name: str) -> str:
    return f"{{{SVG_NS}}}{name}"


def _speech(kind: str, spoken: str | None) -> tuple[str, str] | None:
    """The attribute a node, edge or frame group gets so that it is heard once: a
    statement's box (a node with a tooltip) speaks through its link's ``aria-label``;
    an arrow or a junction is hidden; a section's frame keeps its titled group."""
    if kind == "cluster":
        return None
    if kind == "node" and spoken is not None:
        return ("role", "none")
    return ("aria-hidden", "true")


def finish_svg(
    svg_text: str,
    *,
    title: str,
    description: str,
    tooltips: Mapping[str, str],
    id_prefix: str = _ID_PREFIX,
) -> str:
    """Return the SVG element (no XML prolog) with titles, description and safe ids.

    ``tooltips`` maps node element ids to the text shown on hover and read aloud.
    ``id_prefix`` starts every element id; it must start with "_svg_", and differ
    between the diagrams of one page.
    """
    if not id_prefix.startswith(_ID_PREFIX):
        raise ValueError(f"an SVG id prefix must start with {_ID_PREFIX!r}, not {id_prefix!r}")
    try:
        return _Streamer(title, description, tooltips, id_prefix).run(svg_text)
    except _UnusualSvgError:
        pass
    return _finish_with_tree(
        svg_text, title=title, description=description, tooltips=tooltips, id_prefix=id_prefix
    )


def _finish_with_tree(
    svg_text: str,
    *,
    title: str,
    description: str,
    tooltips: Mapping[str, str],
    id_prefix: str,
) -> str:
    """finish_svg on an ElementTree: the reference, and the way for SVG _Streamer declines."""
    root = ET.fromstring(svg_text)
    root.set("role", "group")
    root.set("aria-labelledby", f"{id_prefix}title {id_prefix}desc")
    root.set("class", "argmap-diagram")

    for element in root.iter():
        element_id = element.get("id")
        if element_id is not None and not element_id.startswith(id_prefix):
            element.set("id", id_prefix + element_id)

    graph = root.find(_tag("g"))
    if graph is not None:
        old_title = graph.find(_tag("title"))
        if old_title is not None:
            graph.remove(old_title)
    title_element = ET.Element(_tag("title"), {"id": f"{id_prefix}title"})
    title_element.text = title
    desc_element = ET.Element(_tag("desc"), {"id": f"{id_prefix}desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)

    for group in root.iter(_tag("g")):
        kind = group.get("class")
        if kind not in ("node", "edge", "cluster"):
            continue
        links = list(group.iter(_tag("a")))
        spoken = tooltips.get(group.get("id", ""))
        speech = _speech(kind, spoken)
        if speech is not None:
            group.set(*speech)
        if spoken is not None and kind == "node":
            for link in links:
                link.attrib.pop(f"{{{XLINK_NS}}}title", None)
                link.set("aria-label", spoken)
        elif spoken is not None:
            for link in links:
                link.set(f"{{{XLINK_NS}}}title", spoken)
        elif links:
            spoken = links[0].get(f"{{{XLINK_NS}}}title")
        elif kind == "cluster":  # a section's frame: never its generated name
            label = " ".join(t.text or "" for t in group.iter(_tag("text")))
            spoken = f"Section: {label}"
        element_title = group.find(_tag("title"))
        if element_title is not None and spoken:
            element_title.text = spoken
    # Registered here, not once on import: ElementTree's prefix registry is global, and
    # other writers (the GraphML export) register a default namespace of their own.
    # (tostring's default_namespace= would reject the SVG's unqualified attributes.)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


# -- the same edits while expat reads the SVG, with no tree ---------------------------
#
# A diagram of 500 statements is about 26,000 elements: building them as a tree and
# serialising it with ElementTree's (Python) writer was most of finish_svg's time and
# memory. _Streamer writes each element as expat reports it, exactly as ET.tostring
# writes the tree (same escaping, " />" for an empty element, namespace declarations
# first on the root), so the output is the same byte for byte. Anything Graphviz does
# not write (another namespace, a frame inside a frame, markup in a title, an entity
# expat cannot expand, malformed XML) raises _UnusualSvgError, and finish_svg falls back to the
# tree, which gives the reference result or ElementTree's own error.

_SEP = "}"  # expat reports "uri}local" for a namespaced name
_SVG = SVG_NS + _SEP
_XLINK_TITLE = XLINK_NS + _SEP + "title"
_CLASSED = frozenset(("node", "edge", "cluster"))
_ESCAPED_IN_ATTRIBUTES = re.compile('[&<>"\r\n\t]')


class _UnusualSvgError(Exception):
    """The SVG has a shape Graphviz does not write: the tree must do it."""


def _escape_text(text: str) -> str:
    """Character data as ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _escape_attribute(text: str) -> str:
    """An attribute value as ElementTree escapes it."""
    text = _escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _unusual(*_args: object) -> None:
    raise _UnusualSvgError


class _Streamer:
    """finish_svg's edits, made while expat reads the SVG; output as ET.tostring's."""

    def __init__(
        self, title: str, description: str, tooltips: Mapping[str, str], id_prefix: str
    ) -> None:
        self.title = title
        self.description = description
        self.tooltips = tooltips
        self.prefix = id_prefix
        self.out: list[str] = []
        self.stack: list[str] = []  # the end tags of the open elements ("</g>")
        self.pending = False  # the last start tag still lacks its ">" (no content yet)
        self.namespace_slot = -1  # where the root's xmlns declarations go
        self.xlink_used = False
        self.inserted = False  # the diagram's title and description are written
        self.graph_found = False  # the root's first <g>, whose <title> goes
        self.graph_open = False
        self.graph_title_removed = False
        self.skip_depth = 0  # inside the removed title (see skip_start)
        self.parser = expat.ParserCreate(None, _SEP)
        # expat name -> name as written, SVG name, end tag
        self.tags: dict[str, tuple[str, str, str]] = {}
        self.names: dict[str, str] = {}  # an attribute's expat name -> name as written
        # the node, edge or section frame being read (depth 0: none)
        self.group_depth = 0
        self.group_kind = ""
        self.tooltip: str | None = None
        self.links = 0
        self.link_title: str | None = None
        self.title_start = -1  # the group's <title>: its content in out[start:end]
        self.title_end = -1
        self.title_depth = 0
        self.texts: list[str] | None = None  # a frame's label, without a tooltip
        self.text_depth = 0  # the <text> being collected, until its first child
        self.text_parts: list[str] = []

    def run(self, svg_text: str) -> str:
        parser = self.parser
        parser.buffer_text = True
        self.resume()
        # ElementTree refuses an entity it cannot expand, and expands declared ones
        parser.SkippedEntityHandler = _unusual
        parser.EntityDeclHandler = _unusual
        try:
            parser.Parse(svg_text, True)
        except expat.ExpatError as error:
            raise _UnusualSvgError from error
        finally:  # the parser holds this object through its handlers: let both go at once
            parser.StartElementHandler = parser.EndElementHandler = None
            parser.CharacterDataHandler = None
        if self.stack or not self.out:
            raise _UnusualSvgError
        declarations = f' xmlns="{SVG_NS}"'
        if self.xlink_used:
            declarations += f' xmlns:xlink="{XLINK_NS}"'
        self.out[self.namespace_slot] = declarations
        return "".join(self.out)

    def resume(self) -> None:
        """Read the SVG with the handlers that write it."""
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.data

    def tag_name(self, expat_name: str) -> tuple[str, str, str]:
        """An element's name as written, its SVG name ("" outside SVG's namespace), and
        its end tag."""
        uri, sep, local = expat_name.rpartition(_SEP)
        if sep and uri != SVG_NS:
            raise _UnusualSvgError
        self.tags[expat_name] = found = (local, local if sep else "", f"</{local}>")
        return found

    def attribute_name(self, expat_name: str) -> str:
        """An attribute's name as written (the first time it is written)."""
        uri, sep, local = expat_name.rpartition(_SEP)
        if sep and uri != XLINK_NS:
            raise _UnusualSvgError
        if sep:
            local = "xlink:" + local
            self.xlink_used = True
        self.names[expat_name] = local
        return local

    def insert_title(self) -> None:
        self.inserted = True
        if self.pending:
            self.out.append(">")
            self.pending = False
        for tag, text in (("title", self.title), ("desc", self.description)):
            start = f'<{tag} id="{_escape_attribute(self.prefix + tag)}"'
            self.out.append(f"{start}>{_escape_text(text)}</{tag}>" if text else f"{start} />")

    def start(self, expat_name: str, attrs: dict[str, str]) -> None:
        out = self.out
        depth = len(self.stack) + 1  # this element's
        tag, svg_tag, end_tag = self.tags.get(expat_name) or self.tag_name(expat_name)
        if depth <= 3 or self.title_depth or self.text_depth:
            if depth == 2 and not self.inserted:
                self.insert_title()
            if (
                depth == 3
                and svg_tag == "title"
                and self.graph_open
                and not self.graph_title_removed
            ):
                self.graph_title_removed = True
                self.skip_depth = 1
                self.parser.StartElementHandler = self.skip_start
                self.parser.EndElementHandler = self.skip_end
                self.parser.CharacterDataHandler = None  # its text goes, and its tail
                return
            if self.title_depth and depth > self.title_depth:
                raise _UnusualSvgError  # markup in a group's title
            if self.text_depth:
                self.flush_text()
        if self.pending:
            out.append(">")
        element_id = attrs.get("id")
        if element_id is not None and not element_id.startswith(self.prefix):
            attrs["id"] = self.prefix + element_id
        if depth == 1:
            attrs["role"] = "group"
            attrs["aria-labelledby"] = f"{self.prefix}title {self.prefix}desc"
            attrs["class"] = "argmap-diagram"
            out.append("<" + tag)
            self.namespace_slot = len(out)
            out.append("")
            tag_start = ""
        else:
            if depth == 2 and svg_tag == "g" and not self.graph_found:
                self.graph_found = self.graph_open = True
            if svg_tag == "g" or (self.group_depth and svg_tag):
                self.group_start(svg_tag, depth, attrs)
            tag_start = "<" + tag
        names = self.names
        parts = [tag_start]
        for key, value in attrs.items():
            written = names.get(key) or self.attribute_name(key)
            if _ESCAPED_IN_ATTRIBUTES.search(value):
                value = _escape_attribute(value)
            parts.append(f'{written}="{value}"')
        out.append(" ".join(parts))
        self.stack.append(end_tag)
        self.pending = True
        if self.title_start == -2:
            self.title_start = len(out)

    def group_start(self, svg_tag: str, depth: int, attrs: dict[str, str]) -> None:
        if svg_tag == "g" and attrs.get("class") in _CLASSED:
            if self.group_depth:
                raise _UnusualSvgError  # a frame inside a frame
            self.group_depth = depth
            self.group_kind = attrs["class"]
            self.tooltip = self.tooltips.get(attrs.get("id", ""))
            self.links = 0
            self.link_title = None
            self.title_start = self.title_end = -1
            self.texts = [] if self.group_kind == "cluster" and self.tooltip is None else None
            speech = _speech(self.group_kind, self.tooltip)
            if speech is not None:
                attrs[speech[0]] = speech[1]
            return
        if not self.group_depth:
            return
        if svg_tag == "a":
            if not self.links:
                self.link_title = attrs.get(_XLINK_TITLE)
            self.links += 1
            if self.tooltip is not None and self.group_kind == "node":
                attrs.pop(_XLINK_TITLE, None)
                attrs["aria-label"] = self.tooltip
            elif self.tooltip is not None:
                attrs[_XLINK_TITLE] = self.tooltip
        elif svg_tag == "title" and depth == self.group_depth + 1 and self.title_end == -1:
            if self.title_start == -1:
                self.title_start = -2  # set after its start tag
                self.title_depth = depth
        elif svg_tag == "text" and self.texts is not None:
            self.text_depth = depth
            self.text_parts = []

    def flush_text(self) -> None:
        """The <text> being collected has ended or has a child: its .text is complete."""
        if self.texts is not None:
            self.texts.append("".join(self.text_parts))
        self.text_depth = 0

    def skip_start(self, _name: str, _attrs: dict[str, str]) -> None:
        """In the removed title (ElementTree removes an element with its tail)."""
        self.skip_depth += 1

    def skip_end(self, _name: str) -> None:
        self.skip_depth -= 1
        if not self.skip_depth:  # the title has ended: its tail goes until the next tag
            self.parser.StartElementHandler = self.start_after_skip
            self.parser.EndElementHandler = self.end_after_skip

    def start_after_skip(self, expat_name: str, attrs: dict[str, str]) -> None:
        self.resume()
        self.start(expat_name, attrs)

    def end_after_skip(self, expat_name: str) -> None:
        self.resume()
        self.end(expat_name)

    def end(self, _name: str) -> None:
        depth = len(self.stack)  # the ending element's
        end_tag = self.stack.pop()
        if depth == 1 and not self.inserted:
            self.insert_title()  # a root without children: they are its only ones
        if self.pending:
            self.out.append(" />")
            self.pending = False
        else:
            self.out.append(end_tag)
        if depth == self.text_depth:
            self.flush_text()
        if depth == self.title_depth:
            self.title_end = len(self.out)
            self.title_depth = 0
        elif depth == self.group_depth:
            self.group_end()
        if depth == 2:
            self.graph_open = False

    def group_end(self) -> None:
        spoken = self.tooltip
        if spoken is None:
            if self.links:
                spoken = self.link_title
            elif self.group_kind == "cluster":
                spoken = "Section: " + " ".join(self.texts or ())
        if self.title_end >= 0 and spoken:
            self.out[self.title_start : self.title_end] = [f">{_escape_text(spoken)}</title>"]
        self.group_depth = 0
        self.title_start = self.title_end = -1
        self.texts = None

    def data(self, text: str) -> None:
        if self.pending:
            self.out.append(">")
            self.pending = False
        if "&" in text or "<" in text or ">" in text:
            self.out.append(_escape_text(text))
        else:
            self.out.append(text)
        if self.text_depth and len(self.stack) == self.text_depth:
            self.text_parts.append(text)
