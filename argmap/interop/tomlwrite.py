"""Write a map document (the dictionary of :mod:`.document`) as a tidy TOML map file.

Values are written by ``tomlkit`` (the quoting and escaping TOML needs); the layout is
argmap's canonical one (``argmap fmt`` leaves it as it is): ``[map]``, ``[source]``,
``[lint]``, then the nodes in reading order (the thesis first, each reason next to what
it supports, objections after what they attack), then ``[expect]``. The text is checked
before it is returned: parsed again it must give exactly the document's data.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import tomlkit

from argmap.interop.document import NODE_OPTIONAL, REASON_OPTIONAL, Document
from argmap.model import AttackKind
from argmap.model.mapformat import EXPECT, KINDS, LINT, MAP, NODE_KEY_ORDER, SOURCE
from argmap.model.tomltext import fast_loads


class WriteError(ValueError):
    """The document cannot be written as a map (a bug in an importer, or bad input)."""


@dataclass(frozen=True)
class Layout:
    """How the file is laid out: comments and section headings, none of them data."""

    header: Sequence[str] = ()  # comment lines at the top of the file
    comments: Mapping[str, str] = field(default_factory=dict)  # node or reason id -> comment
    sections: Mapping[str, str] = field(default_factory=dict)  # node id -> section heading
    keep_order: bool = False  # nodes in the document's order (not reading order)


_ATTACK_KEYS = tuple(kind.value for kind in AttackKind)
# What a one-line basic string must escape; a string without any is written as it is.
_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f]')


def _value(value: Any) -> str:
    if isinstance(value, str) and _ESCAPED.search(value) is None:
        return f'"{value}"'  # as tomlkit writes it, without its cost per value
    if isinstance(value, dict):  # tomlkit would write a table: invalid after `key =`
        pairs = (f"{tomlkit.key(str(k)).as_string()} = {_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        if not any(_ESCAPED.search(v) for v in value):
            return "[" + ", ".join(f'"{v}"' for v in value) + "]"  # as tomlkit writes it
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, str) and "\n" in value and not value.startswith(("\n", "\r")):
        # tomlkit escapes a lone carriage return but writes CRLF as it is, which a TOML
        # reader may turn into LF: escaped, every character of the text comes back.
        text = tomlkit.string(value, multiline=True).as_string().replace("\r", "\\r")
    else:
        text = tomlkit.item(value).as_string()
    return str(text)


def _ids(values: Sequence[str]) -> str:
    return _value(values[0]) if len(values) == 1 else _value(list(values))


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines() or [""]]


def to_toml(document: Document, layout: Layout | None = None) -> str:
    """The map file for ``document``; raises :class:`WriteError` if it would differ."""
    return to_toml_parsed(document, layout)[0]


def to_toml_parsed(document: Document, layout: Layout | None = None) -> tuple[str, dict[str, Any]]:
    """:func:`to_toml`, with the text as :func:`tomllib.loads` gives it (its safety-net
    parse), so that a caller checking the map need not parse it again."""
    layout = layout or Layout()
    lines: list[str] = [*(f"# {h}".rstrip() for h in layout.header)]
    if lines:
        lines.append("")

    def table(header: str, entries: Sequence[tuple[str, Any]], comment: str = "") -> None:
        if comment:
            lines.extend(_comment(comment))
        lines.append(f"[{header}]")
        lines.extend(f"{key} = {value}" for key, value in entries)
        lines.append("")

    def keyed(name: str, values: Mapping[str, Any], order: Sequence[str]) -> None:
        table(name, [(k, _value(values[k])) for k in order if k in values])

    meta = document["map"]
    keyed("map", meta, MAP.canonical)
    if document.get("source"):
        keyed("source", document["source"], SOURCE.canonical)
    if document.get("lint"):
        keyed("lint", document["lint"], LINT.canonical)

    nodes = {n["id"]: n for n in document["nodes"]}
    supports: defaultdict[str, list[str]] = defaultdict(list)
    named: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)  # conclusion -> reasons
    independent: defaultdict[str, list[str]] = defaultdict(list)  # conclusion -> premises
    for reason in document["reasons"]:
        if reason.get("id"):
            named[reason["conclusion"]].append(reason)
        else:
            supports[reason["premises"][0]].append(reason["conclusion"])
            independent[reason["conclusion"]].append(reason["premises"][0])
    attacks: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    attackers: defaultdict[str, list[str]] = defaultdict(list)  # target -> sources
    for attack in document["attacks"]:
        attacks[attack["source"]][attack["kind"]].append(attack["target"])
        attackers[attack["target"]].append(attack["source"])

    def node_table(node: dict[str, Any]) -> None:
        node_id = node["id"]
        relations = {k: attacks[node_id].get(k, []) for k in _ATTACK_KEYS}
        relations["supports"] = supports.get(node_id, [])
        entries = []
        for key in NODE_KEY_ORDER:  # the canonical order, as `argmap fmt` writes it
            if key == "text" or (key in NODE_OPTIONAL and key in node):
                entries.append((key, _value(node[key])))
            elif relations.get(key):
                entries.append((key, _ids(relations[key])))
        table(f"{node['kind']}.{node_id}", entries, layout.comments.get(node_id, ""))

    def reason_table(reason: dict[str, Any]) -> None:
        entries = [
            ("premises", _value(list(reason["premises"]))),
            ("supports", _value(reason["conclusion"])),
        ]
        entries += [(k, _value(reason[k])) for k in REASON_OPTIONAL if k in reason]
        table(f"reason.{reason['id']}", entries, layout.comments.get(reason["id"], ""))

    written: set[str] = set()
    section: str | None = None

    def write_node(node_id: str) -> bool:
        """Write the node's table unless it is written already; say whether it was."""
        nonlocal section
        if node_id in written or node_id not in nodes:
            return False
        written.add(node_id)
        heading = layout.sections.get(node_id)
        if heading is not None and heading != section:
            section = heading
            rule = "-" * max(3, 76 - len(heading))
            lines.extend([f"# --- {heading} {rule}", ""])
        node_table(nodes[node_id])
        return True

    def below(node_id: str) -> Iterator[tuple[str, Any]]:
        """What follows a node in reading order: its reasons, premises and attackers."""
        for reason in named.get(node_id, ()):
            yield "reason", reason
            for premise in reason["premises"]:
                yield "node", premise
            for source in attackers.get(reason["id"], ()):
                yield "node", source
        for premise in independent.get(node_id, ()):
            yield "node", premise
        for source in attackers.get(node_id, ()):
            yield "node", source

    def visit(start: str) -> None:
        """Depth first from ``start``, with a stack, not recursion: a map may be deep."""
        if not write_node(start):
            return
        stack = [below(start)]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
            elif step[0] == "reason":
                reason_table(step[1])
            elif write_node(step[1]):
                stack.append(below(step[1]))

    if layout.keep_order:
        for node in document["nodes"]:
            write_node(node["id"])
        for reasons in named.values():
            for reason in reasons:
                reason_table(reason)
    else:
        visit(meta["thesis"])
        for node in document["nodes"]:
            visit(node["id"])
    if document.get("expect"):
        keyed("expect", document["expect"], EXPECT.canonical)
    text = "\n".join(lines).rstrip("\n") + "\n"
    return text, _verify(text, document)


def _verify(text: str, document: Document) -> dict[str, Any]:
    """Parsed again, the text holds the document's data (a safety net for importers);
    the parsed text. Parsed as a map file is read (:func:`fast_loads`, else ``tomllib``)."""
    from argmap.interop.document import data_only

    data = fast_loads(text)
    if data is None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:  # pragma: no cover - a bug in this module
            raise WriteError(f"the written TOML does not parse: {error}") from None
    written, wanted = data_only(from_toml_data(data)), data_only(document)
    if written != wanted:
        raise WriteError(_difference(written, wanted))
    return data


def _difference(written: Document, wanted: Document) -> str:
    """Which value of the document the written map does not hold, for the message."""
    for key in sorted(set(written) | set(wanted)):
        if key in ("nodes", "reasons", "attacks") or written.get(key) == wanted.get(key):
            continue
        table = wanted.get(key)
        fields = table if isinstance(table, dict) else {}
        bad = [k for k, v in fields.items() if (written.get(key) or {}).get(k) != v]
        shown = f"{key}.{bad[0]} = {fields[bad[0]]!r}" if bad else key
        return f"`{shown}` cannot be written as it is: is it of the type argmap expects?"
    by_id = {str(n["id"]): n for n in written["nodes"]}
    for node in wanted["nodes"]:
        other = by_id.get(str(node["id"]), {})
        for k, v in node.items():
            if other.get(k) != v:
                return (
                    f"`{k} = {v!r}` of the statement {node['id']!r} cannot be written as it "
                    "is: is it of the type argmap expects?"
                )
    return (
        "the written TOML does not hold the same map: does a reason or attack name a "
        "statement or reason the input does not have?"
    )


def from_toml_data(data: Mapping[str, Any]) -> Document:
    """The document of a parsed map file (as :mod:`tomllib` gives it), for comparisons."""

    def listed(value: Any) -> list[Any]:
        return [value] if isinstance(value, str) else list(value)

    document: Document = {"map": dict(data["map"])}
    document["map"].setdefault("language", "en")
    for key in ("source", "lint", "expect"):
        if data.get(key):
            document[key] = {
                k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data[key].items()
            }
    if "tags" in document["map"]:
        document["map"]["tags"] = listed(document["map"]["tags"])
    nodes, reasons, attacks = [], [], []
    for kind in (kind.value for kind in KINDS):
        for node_id, body in data.get(kind, {}).items():
            node = {"id": node_id, "kind": kind, "text": body["text"]}
            for key in NODE_OPTIONAL:
                if key in body:
                    node[key] = listed(body[key]) if key == "tags" else body[key]
            if node.get("status") == "accepted":
                del node["status"]
            nodes.append(node)
            for target in listed(body.get("supports", [])):
                reasons.append({"id": None, "premises": [node_id], "conclusion": target})
            for attack_kind in _ATTACK_KEYS:
                for target in listed(body.get(attack_kind, [])):
                    attacks.append({"source": node_id, "target": target, "kind": attack_kind})
    for reason_id, body in data.get("reason", {}).items():
        reason = {
            "id": reason_id,
            "premises": listed(body["premises"]),
            "conclusion": body["supports"],
        }
        reason.update({k: body[k] for k in REASON_OPTIONAL if k in body})
        reasons.append(reason)
    document.update(nodes=nodes, reasons=reasons, attacks=attacks)
    return document
