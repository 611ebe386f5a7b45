"""argmap's own node-link JSON document: every piece of data a map file holds.

:func:`to_document` turns a validated map into a plain dictionary (JSON-ready, in the
shape ``export.schema.json`` describes); the TOML writer (:mod:`.tomlwrite`) turns such a
dictionary back into a map file, so ``TOML -> JSON -> TOML`` gives the same map. The
importers build the same dictionary from AIF and Argdown. Positions in the file are not
part of the data; the numbers (C1, P1, ...) and the grounded evaluation are added for
readers of the export and ignored on import.
"""

from __future__ import annotations

from typing import Any

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.formats import ExportFormat
from argmap.model import ArgumentMap, NodeKind, Status
from argmap.model.mapformat import EXPECT_LABELS, KINDS, NODE_KEY_ORDER, REASON, SOURCE

FORMAT = "argmap"
VERSION = 1

# What a node of the document may carry besides id, kind and text, in the map file's
# order; `cites` is exported but not read back.
# The relations are the document's reasons and attacks, not keys of its nodes.
_RELATIONS = {"premises", *(key.name for spec in KINDS.values() for key in spec.relations)}
NODE_OPTIONAL = tuple(k for k in NODE_KEY_ORDER if k not in {"text", "cites", *_RELATIONS})
SOURCE_KEYS = SOURCE.names
REASON_OPTIONAL = tuple(k for k in REASON.canonical if k not in ("premises", "supports"))

Document = dict[str, Any]


def to_document(graph: ArgumentGraph, *, evaluation: bool = True) -> Document:
    """The map of ``graph`` as argmap's JSON document (nodes in reading order)."""
    argument_map = graph.map
    document: Document = {
        "format": FORMAT,
        "version": VERSION,
        "map": _meta(argument_map),
    }
    source = {key: getattr(argument_map.source, key) for key in SOURCE_KEYS}
    source = {key: value for key, value in source.items() if value is not None}
    if source:
        document["source"] = source
    lint = _lint(argument_map)
    if lint:
        document["lint"] = lint
    expect = _expect(argument_map)
    if expect:
        document["expect"] = expect
    nodes = []
    for node in graph.ordered_nodes():
        entry: dict[str, Any] = {
            "id": node.id,
            "kind": node.kind.value,
            "number": graph.numbers[node.id],
            "text": node.text,
        }
        if node.quote is not None:
            entry["quote"] = node.quote.text
            if node.quote.paragraph is not None:
                entry["paragraph"] = node.quote.paragraph
        if node.section is not None:
            entry["section"] = node.section
        if node.tags:
            entry["tags"] = list(node.tags)
        if node.note is not None:
            entry["note"] = node.note
        if node.status is not Status.ACCEPTED:
            entry["status"] = node.status.value
        if node.base_score is not None:
            entry["base_score"] = node.base_score
        if node.weight is not None:
            entry["weight"] = node.weight
        if node.questions:
            entry["questions"] = list(node.questions)
        if node.cites:
            entry["cites"] = [citation.target for citation in node.cites]
        nodes.append(entry)
    document["nodes"] = nodes
    reasons = []
    for reason in argument_map.reasons:
        item: dict[str, Any] = {
            "id": reason.id,
            "premises": list(reason.premises),
            "conclusion": reason.conclusion,
        }
        if reason.note is not None:
            item["note"] = reason.note
        if reason.weight is not None:
            item["weight"] = reason.weight
        reasons.append(item)
    document["reasons"] = reasons
    document["attacks"] = [
        {"source": a.source, "target": a.target, "kind": a.kind.value} for a in argument_map.attacks
    ]
    if evaluation:
        from argmap.analysis.evaluate import evaluate, to_json

        document["evaluation"] = to_json(evaluate(graph))
    return document


def _meta(argument_map: ArgumentMap) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": argument_map.title, "thesis": argument_map.thesis}
    if argument_map.summary is not None:
        meta["summary"] = argument_map.summary
    if argument_map.tags:
        meta["tags"] = list(argument_map.tags)
    meta["language"] = argument_map.language
    return meta


def _lint(argument_map: ArgumentMap) -> dict[str, Any]:
    settings = argument_map.lint
    lint: dict[str, Any] = {}
    if settings.disable:
        lint["disable"] = sorted(settings.disable)
    if settings.require_quotes is not None:
        lint["require_quotes"] = [k.value for k in NodeKind if k in settings.require_quotes]
    if settings.max_text_length is not None:
        lint["max_text_length"] = settings.max_text_length
    return lint


def _expect(argument_map: ArgumentMap) -> dict[str, Any]:
    expect: dict[str, Any] = {}
    if argument_map.expect_semantics != "grounded":
        expect["semantics"] = argument_map.expect_semantics
    for label in EXPECT_LABELS:
        ids = [e.node for e in argument_map.expectations if e.label == label]
        if ids:
            expect[label] = ids
    return expect


def data_only(document: Document) -> Document:
    """The document without what is derived (numbers, evaluation): what a map file holds.

    Lists are put in a stable order, so two documents of the same map compare equal
    whatever order their nodes, reasons and attacks were written in.
    """
    result = {k: v for k, v in document.items() if k not in ("evaluation", "format", "version")}
    nodes = [{k: v for k, v in n.items() if k != "number"} for n in document["nodes"]]
    result["nodes"] = sorted(nodes, key=lambda n: str(n["id"]))
    result["reasons"] = sorted(
        document["reasons"], key=lambda r: (str(r["conclusion"]), list(r["premises"]))
    )
    result["attacks"] = sorted(
        document["attacks"], key=lambda a: (str(a["source"]), str(a["target"]))
    )
    return result


def _json(graph: ArgumentGraph, timeout: float | None) -> str:
    import json

    return json.dumps(to_document(graph), indent=2, ensure_ascii=False) + "\n"


EXPORTS = (
    ExportFormat("json", ".json", "argmap's JSON: all of the map, lossless", _json, rank=10),
)
