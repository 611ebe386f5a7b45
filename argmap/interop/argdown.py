"""Argdown (https://argdown.org): export and import.

Export writes every statement as ``[id]: text #(tag)`` with its kind and the other data
argmap keeps in Argdown's metadata (``{kind: "premise", quote: "..."}``), an independent
reason as a support relation (``+> [conclusion]``) under its premise, an attack as
``-> [target]`` and an undercut as ``_> <reason>`` under the rebuttal, and every
``[reason.ID]`` as an argument ``<ID>`` with a premise-conclusion structure. The map's
title and settings go into the front matter. Every ASCII punctuation character of a
text is escaped with a backslash, so no text can be read as Argdown syntax.

Import reads that and the common Argdown of other authors: statements (titled or not,
defined anywhere, several times), arguments with or without premise-conclusion
structures (each inference a reason; an argument's description becomes the reason's
note), support, attack and undercut relations in both directions, nested under
statements, arguments and each other, ``#tags``, metadata, front matter, comments and
headings (which become section comments in the TOML file). What argmap cannot hold is
reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.document import NODE_OPTIONAL, SOURCE_KEYS, Document
from argmap.interop.draft import (
    MAX_DEPTH,
    Draft,
    DraftAttack,
    DraftNode,
    DraftReason,
    ImportFailedError,
)
from argmap.interop.formats import ExportFormat

# Characters that mean something in Argdown text: statement and argument titles,
# tags, emphasis, mentions, metadata, comments and escapes. Other punctuation is plain.
_SPECIAL = frozenset("\\[]<>#*_@{}/`~")
_SAFE = re.compile(r"[A-Za-z0-9 .,:;!?'()=+_-]")


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in _SPECIAL else c for c in text)


def _yaml_string(text: str) -> str:
    """A double-quoted YAML string that Argdown's lexer cannot mistake for syntax."""
    return (
        '"'
        + "".join(
            c
            if _SAFE.fullmatch(c)
            else f"\\u{ord(c):04x}"
            if ord(c) < 0x10000
            else f"\\U{ord(c):08x}"
            for c in text
        )
        + '"'
    )


def _yaml(value: Any) -> str:
    if isinstance(value, str):
        return _yaml_string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if value is None:
        return "null"
    return json.dumps(value)


def _tag_ok(tag: str) -> bool:
    return bool(tag.strip()) and tag == tag.strip() and not set(tag) & set("()\\\n#")


def to_argdown(document: Document) -> str:
    """An Argdown document holding the map (parsed back by :func:`read_argdown`)."""
    meta = document["map"]
    front = {k: v for k, v in meta.items() if k != "title"}
    for key in ("source", "lint", "expect"):
        if key in document:
            front[key] = document[key]
    lines = ["===", f"title: {_yaml_string(meta['title'])}", f"argmap: {_yaml(front)}", "===", ""]
    outgoing: dict[str, list[str]] = {}
    for reason in document["reasons"]:
        if not reason.get("id"):
            outgoing.setdefault(reason["premises"][0], []).append(f"+> [{reason['conclusion']}]")
    for attack in document["attacks"]:
        target = attack["target"]
        relation = f"_> <{target}>" if attack["kind"] == "undercuts" else f"-> [{target}]"
        outgoing.setdefault(attack["source"], []).append(relation)
    for node in document["nodes"]:
        text = " ".join(node["text"].split())
        data: dict[str, Any] = {"kind": node["kind"]}
        if text != node["text"]:
            data["text"] = node["text"]
        tags = node.get("tags", [])
        inline = all(_tag_ok(t) for t in tags)
        data.update(
            {k: node[k] for k in NODE_OPTIONAL if k in node and (k != "tags" or not inline)}
        )
        hashtags = "".join(f" #({t})" for t in tags) if inline else ""
        lines.append(f"[{node['id']}]: {_escape(text)}{hashtags} {_yaml(data)}")
        lines.extend(f"  {relation}" for relation in outgoing.get(node["id"], ()))
        lines.append("")
    for reason in document["reasons"]:
        if not reason.get("id"):
            continue
        data = {k: reason[k] for k in ("note", "weight") if k in reason}
        lines.append(f"<{reason['id']}>" + (f" {_yaml(data)}" if data else ""))
        lines.append("")
        for number, premise in enumerate(reason["premises"], 1):
            lines.append(f"({number}) [{premise}]")
        lines.append("----")
        lines.append(f"({len(reason['premises']) + 1}) [{reason['conclusion']}]")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- import

_HEADING = re.compile(r"#{1,6}\s+(.*)")
_PCS = re.compile(r"\s*\((\d+)\)\s*(.*)")
_INFERENCE_LINE = re.compile(r"\s*-{2,}.*-{2,}\s*|\s*-{4,}\s*")
_INFERENCE_OPEN = re.compile(r"\s*--\s*")
_RELATION = re.compile(r"(\s+)(<\+|<-|<_|\+>|->|_>|><|\+|-)\s+(.*)")
_ELEMENT = re.compile(r"(\[([^\]]+)\]|<([^>]+)>)(:)?\s*(.*)", re.DOTALL)
_TAG = re.compile(r"(?<!\\)#(?:\(([^)]*)\)|([^\s#()\[\]<>{}]+))")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), text, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), text, flags=re.DOTALL)
    return re.sub(r"(?<![\\:])//.*", "", text)


def _split_data(text: str) -> tuple[str, str | None]:
    """Text and its trailing ``{...}`` metadata (braces escaped with \\ do not count)."""
    stripped = text.rstrip()
    if not stripped.endswith("}") or stripped.endswith("\\}"):
        return text, None
    depth = 0
    in_string = False
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char == '"' and (index == 0 or stripped[index - 1] != "\\"):
            in_string = not in_string
        if in_string:
            continue
        if char == "}" and (index == 0 or stripped[index - 1] != "\\"):
            depth += 1
        elif char == "{" and (index == 0 or stripped[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return stripped[:index], stripped[index:]
    return text, None


@dataclass
class _Element:
    kind: str  # "s" statement, "a" argument
    title: str


@dataclass
class _Argument:
    title: str
    description: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    steps: list[tuple[list[str], str]] = field(default_factory=list)  # premises, conclusion
    section: str | None = None


@dataclass
class _Reader:
    name: str
    report: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    arguments: dict[str, _Argument] = field(default_factory=dict)
    relations: list[tuple[_Element, str, _Element]] = field(default_factory=list)
    section: str | None = None
    anonymous: int = 0

    def statement(self, title: str | None, raw: str, line: int) -> _Element:
        raw, data_text = _split_data(raw)
        tags = [a or b for a, b in _TAG.findall(raw)]
        text = " ".join(_UNESCAPE.sub(r"\1", _TAG.sub("", raw)).split())
        if title is None:
            self.anonymous += 1
            title = f"{text[:40]}#{self.anonymous}"
        if title not in self.texts:
            self.order.append(title)
            self.texts[title] = ""
            self.tags[title] = []
            self.data[title] = {}
            if self.section:
                self.sections[title] = self.section
        if text:
            if self.texts[title] and self.texts[title] != text:
                self.report.append(
                    f"line {line}: [{title}] is defined again with another text; "
                    "the first text is kept"
                )
            else:
                self.texts[title] = text
        self.tags[title] += [t for t in tags if t not in self.tags[title]]
        if data_text:
            self.data[title].update(self._data(data_text, line))
        return _Element("s", title)

    def argument(self, title: str, raw: str, line: int) -> _Element:
        raw, data_text = _split_data(raw)
        argument = self.arguments.setdefault(title, _Argument(title, section=self.section))
        text = " ".join(_UNESCAPE.sub(r"\1", raw).split())
        if text and not argument.description:
            argument.description = text
        if data_text:
            argument.data.update(self._data(data_text, line))
        return _Element("a", title)

    def _data(self, text: str, line: int) -> dict[str, Any]:
        try:
            value = load_yaml(text)
        except yaml.YAMLError as error:
            why = f" ({error.problem})" if isinstance(error, yaml.MarkedYAMLError) else ""
            self.report.append(f"line {line}: metadata {text[:40]!r} is not YAML{why}; ignored")
            return {}
        if not isinstance(value, dict):
            return {}
        return {str(k): v for k, v in value.items()}

    def element(self, content: str, line: int) -> _Element:
        match = _ELEMENT.fullmatch(content.strip())
        if match is None:
            return self.statement(None, content, line)
        _, statement, argument, _, rest = match.groups()
        if statement is not None:
            return self.statement(statement.strip(), rest, line)
        return self.argument(argument.strip(), rest, line)


class _Loader(yaml.SafeLoader):
    """YAML's safe loader without aliases and with at most :data:`MAX_DEPTH` levels.

    An alias repeats a node: nine aliases of nine make a value of billions of items for
    the next step that walks it. And the composer recurses once per level of nesting.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not supported; repeat the value", mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` without aliases or deep nesting (:class:`_Loader`)."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader: builds no Python objects


_DIRECTIONS = {  # relation symbol -> (type, the child is the source)
    "+": ("support", True),
    "<+": ("support", True),
    "-": ("attack", True),
    "<-": ("attack", True),
    "<_": ("undercut", True),
    "+>": ("support", False),
    "->": ("attack", False),
    "_>": ("undercut", False),
    "><": ("contradiction", False),
}


def _parse(text: str, name: str) -> tuple[_Reader, dict[str, Any]]:
    reader = _Reader(name)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, Any] = {}
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines) and lines[start].strip() == "===":
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "==="), None)
        if end is None:
            raise ImportFailedError(f"{name}: the front matter opened with === is never closed")
        try:
            loaded = load_yaml("\n".join(lines[start + 1 : end]))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f", line {start + 2 + mark.line}" if mark is not None else ""
            problem = getattr(error, "problem", None) or error
            raise ImportFailedError(
                f"{name}{where}: the front matter is not YAML: {problem}"
            ) from None
        front = loaded if isinstance(loaded, dict) else {}
        lines = [""] * (end + 1) + lines[end + 1 :]
    lines = _strip_comments("\n".join(lines)).split("\n")

    stack: list[tuple[int, _Element]] = []
    last_top: _Element | None = None  # the element of the last top-level line
    pcs: _Argument | None = None
    pending: list[str] = []  # statements since the last inference
    blank_before = True
    in_rule = False
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index]
        index += 1
        if in_rule:
            in_rule = not _INFERENCE_OPEN.fullmatch(line)
            continue
        if not line.strip():
            blank_before = True
            continue
        stripped = line.strip()
        if stripped.startswith("{") and stack:  # metadata on lines of its own
            block = [stripped]
            open_braces = stripped.count("{") - stripped.count("}")
            while open_braces > 0 and index < len(lines):  # counted as it goes: linear
                block.append(lines[index].strip())
                open_braces += block[-1].count("{") - block[-1].count("}")
                index += 1
            element = stack[-1][1]
            values = reader._data(" ".join(block), number)
            target = (
                reader.data[element.title]
                if element.kind == "s"
                else (reader.arguments[element.title].data)
            )
            target.update(values)
            continue
        pcs_match = _PCS.fullmatch(line)
        if pcs_match is not None:
            if pcs is None:
                title = last_top.title if last_top and last_top.kind == "a" else None
                if title is None or reader.arguments[title].steps:
                    reader.anonymous += 1
                    title = f"argument-{reader.anonymous}"
                pcs = reader.arguments.setdefault(title, _Argument(title))
                pending = []
            element = reader.element(pcs_match.group(2), number)
            if element.kind != "s":
                reader.report.append(f"line {number}: an argument inside a premise list; dropped")
            else:
                pending.append(element.title)
            stack = [(0, element)]
            blank_before = False
            continue
        if pcs is not None and (_INFERENCE_LINE.fullmatch(line) or _INFERENCE_OPEN.fullmatch(line)):
            in_rule = bool(_INFERENCE_OPEN.fullmatch(line)) and not _INFERENCE_LINE.fullmatch(line)
            # The next numbered statement is the conclusion of what was listed so far.
            while index < len(lines) and not lines[index].strip():
                index += 1
            if in_rule:
                while index < len(lines) and not _INFERENCE_OPEN.fullmatch(lines[index]):
                    index += 1
                index += 1
                in_rule = False
            conclusion_match = _PCS.fullmatch(lines[index]) if index < len(lines) else None
            if conclusion_match is None:
                reader.report.append(f"line {number}: an inference with no conclusion; dropped")
                continue
            conclusion = reader.element(conclusion_match.group(2), index + 1)
            index += 1
            if conclusion.kind == "s" and pending:
                pcs.steps.append((pending, conclusion.title))
            pending = [conclusion.title]
            stack = [(0, conclusion)]
            continue
        relation = _RELATION.fullmatch(line)
        if relation is not None and stack:
            indent = len(relation.group(1).expandtabs(4))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if not stack:
                reader.report.append(f"line {number}: a relation with nothing above it; dropped")
                continue
            child = reader.element(relation.group(3), number)
            kind, child_is_source = _DIRECTIONS[relation.group(2)]
            parent = stack[-1][1]
            pair = (child, parent) if child_is_source else (parent, child)
            reader.relations.append((pair[0], kind, pair[1]))
            stack.append((indent, child))
            blank_before = False
            continue
        heading = _HEADING.fullmatch(line) if not line[0].isspace() else None
        if heading is not None:
            title, _ = _split_data(heading.group(1))
            reader.section = " ".join(_UNESCAPE.sub(r"\1", title).split())
            stack = []
            pcs = None
            last_top = None
            blank_before = True
            continue
        if line[0].isspace() or (not blank_before and stack and last_top is not None):
            if last_top is not None and stack and not blank_before:
                # Text that goes on over several lines.
                element = stack[0][1]
                if element.kind == "s":
                    reader.statement(element.title, stripped, number)
                    more = reader.texts[element.title]
                    if stripped not in more:
                        reader.texts[element.title] = f"{more} {stripped}".strip()
                continue
            reader.report.append(f"line {number}: {stripped[:50]!r} was not understood; dropped")
            continue
        pcs = None
        last_top = reader.element(line, number)
        stack = [(0, last_top)]
        blank_before = False
    return reader, front


def read_argdown(text: str, name: str) -> Draft:
    """A draft map from an Argdown document."""
    reader, front = _parse(text, name)
    settings: dict[str, Any] = {}
    if isinstance(front.get("argmap"), dict):
        settings = front["argmap"]
    title = front.get("title") if isinstance(front.get("title"), str) else None
    draft = Draft(title=title or f"Argument map imported from {name}")
    draft.report.extend(reader.report)
    draft.note(f"read {name} as Argdown")
    for key in front:
        if key not in ("title", "argmap"):
            draft.note(f"front matter `{key}` is not kept")

    def make_node(title: str, text: str, data: dict[str, Any], tags: list[str]) -> None:
        extra = {k: data[k] for k in NODE_OPTIONAL if k in data}
        if tags and "tags" not in extra:
            extra["tags"] = tags
        for key in data:
            if key not in (*NODE_OPTIONAL, "kind", "text"):
                draft.note(f"[{title}]: the metadata `{key}` is not kept")
        exact = data.get("text") if isinstance(data.get("text"), str) else None
        if not (exact or text):
            exact = "(a statement with no text in the Argdown file)"
            draft.note(f"[{title}] has no text")
        kind = data.get("kind") if isinstance(data.get("kind"), str) else None
        draft.nodes[title] = DraftNode(
            title,
            exact or text,
            id=title,
            kind=kind,
            extra=extra,
            section=reader.sections.get(title),
        )

    for title in reader.order:
        make_node(title, reader.texts[title], reader.data[title], reader.tags[title])
    conclusions: dict[str, str] = {}  # argument -> its main conclusion (a node key)
    last_step: dict[str, str] = {}  # argument -> the key of its main reason
    for argument in reader.arguments.values():
        if not argument.steps:
            key = f"<{argument.title}>"
            make_node(key, argument.description, argument.data, [])
            draft.nodes[key].id = argument.title
            draft.nodes[key].section = argument.section
            conclusions[argument.title] = key
            continue
        for number, (premises, conclusion) in enumerate(argument.steps, 1):
            main = number == len(argument.steps)
            key = f"<{argument.title}>" if main else f"<{argument.title}>#{number}"
            extra: dict[str, Any] = {
                k: argument.data[k] for k in ("note", "weight") if k in argument.data
            }
            if main and argument.description and "note" not in extra:
                extra["note"] = argument.description
            draft.reasons.append(
                DraftReason(
                    key,
                    premises,
                    conclusion,
                    id=argument.title if main else f"{argument.title}-{number}",
                    named=True,
                    extra=extra if main else {},
                )
            )
        conclusions[argument.title] = argument.steps[-1][1]
        last_step[argument.title] = f"<{argument.title}>"

    def node_of(element: _Element, role: str) -> str | None:
        if element.kind == "s":
            return element.title
        if element.title in conclusions:
            key = conclusions[element.title]
            if element.title in last_step and role == "target":
                draft.note(
                    f"a relation to the argument <{element.title}> was taken as one to its "
                    f"conclusion [{key}] (Argdown does not say which premise it meant)"
                )
            return key
        draft.note(f"<{element.title}> is used but never defined; its relations are dropped")
        return None

    count = 0
    for source, kind, target in reader.relations:
        if kind == "contradiction":
            draft.note(
                f"the contradiction between {source.title} and {target.title} cannot be "
                "mapped (argmap has no symmetric relation); dropped"
            )
            continue
        if kind == "undercut":
            source_key = node_of(source, "source")
            if target.kind != "a" or target.title not in last_step:
                draft.note(
                    f"the undercut of {target.title} is dropped: only an argument with "
                    "premises and a conclusion can be undercut"
                )
                continue
            if source_key is not None:
                draft.attacks.append(DraftAttack(source_key, last_step[target.title], True))
            continue
        source_key, target_key = node_of(source, "source"), node_of(target, "target")
        if source_key is None or target_key is None or source_key == target_key:
            continue
        if kind == "support":
            count += 1
            draft.reasons.append(DraftReason(f"support-{count}", [source_key], target_key))
        else:
            draft.attacks.append(DraftAttack(source_key, target_key))
    for key in ("summary", "tags", "language"):
        if key in settings:
            draft.meta[key] = settings[key]
    for key in ("source", "lint", "expect"):
        if isinstance(settings.get(key), dict):
            value = dict(settings[key])
            if key == "source":
                value = {k: str(v) for k, v in value.items() if k in SOURCE_KEYS}
            draft.extra[key] = value
    if isinstance(settings.get("thesis"), str) and settings["thesis"] in draft.nodes:
        draft.thesis = settings["thesis"]
    return draft


def _argdown(graph: ArgumentGraph, timeout: float | None) -> str:
    from argmap.interop.document import to_document

    return to_argdown(to_document(graph, evaluation=False))


EXPORTS = (ExportFormat("argdown", ".argdown", "an Argdown document", _argdown, rank=50),)
