"""AIF (the Argument Interchange Format) as JSON: export and import.

Export gives the form AIFdb stores (``{"nodes": [...], "edges": [...], "locutions":
[]}``) or, with ``xaif=True``, the OVA3/xAIF wrapper (``{"AIF": {...}, "OVA": {...},
"text": ""}``). Every statement is an I-node; every reason an RA node (premises -> RA ->
conclusion); every attack a CA node (rebuttal -> CA -> the statement, or for an
undercut -> the reason's RA node). The xAIF form's ``"OVA"`` part places every node and
edge for OVA's canvas (:func:`ova_layout`). What AIF has no place for (ids, kinds, quotes, notes,
the map's title and settings) goes into an ``"argmap"`` object beside the graph, which
AIF tools ignore and :func:`read_aif` uses when it is there.

Import reads both forms: ids as strings or numbers, ``"RA"``/``"CA"`` or scheme names as
the text of S-nodes, ``null`` for empty lists. Dialogue nodes (L, YA, TA and the like)
and what argmap cannot hold (MA and PA nodes, attacks on attacks) are dropped and
counted in the report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.document import NODE_OPTIONAL, Document
from argmap.interop.draft import Draft, DraftAttack, DraftNode, DraftReason, ImportFailedError
from argmap.interop.formats import ExportFormat

_DEFAULT_TEXTS = {"RA": ("RA", "Default Inference"), "CA": ("CA", "Default Conflict")}
_DIALOGUE = {"L", "YA", "TA", "TA-N", "YA-N"}
# OVA's canvas: the distance between rows and between nodes in a row, in its units.
_ROW, _COLUMN, _MARGIN = 150, 260, 50


def to_aif(document: Document, *, xaif: bool = False) -> dict[str, Any]:
    """The AIF graph of a map document (from :func:`~argmap.interop.document.to_document`)."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    extras_nodes: dict[str, dict[str, Any]] = {}
    extras_reasons: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    style = 1 if xaif else 0

    def new_node(text: str, kind: str) -> str:
        node_id = str(len(nodes) + 1)
        nodes.append({"nodeID": node_id, "text": text, "type": kind})
        return node_id

    def edge(source: str, target: str) -> None:
        entry: dict[str, Any] = {"edgeID": str(len(edges) + 1), "fromID": source, "toID": target}
        if not xaif:
            entry["formEdgeID"] = None
        edges.append(entry)

    for node in document["nodes"]:
        node_id = new_node(node["text"], "I")
        ids[node["id"]] = node_id
        extra = {"id": node["id"], "kind": node["kind"]}
        extra.update({k: node[k] for k in NODE_OPTIONAL if k in node})
        extras_nodes[node_id] = extra
    reason_nodes: dict[str, str] = {}
    for reason in document["reasons"]:
        ra = new_node(_DEFAULT_TEXTS["RA"][style], "RA")
        for premise in reason["premises"]:
            edge(ids[premise], ra)
        edge(ra, ids[reason["conclusion"]])
        if reason.get("id"):
            reason_nodes[reason["id"]] = ra
            extra = {"id": reason["id"]}
            extra.update({k: reason[k] for k in ("note", "weight") if k in reason})
            extras_reasons[ra] = extra
    for attack in document["attacks"]:
        ca = new_node(_DEFAULT_TEXTS["CA"][style], "CA")
        edge(ids[attack["source"]], ca)
        target = attack["target"]
        edge(ca, reason_nodes[target] if attack["kind"] == "undercuts" else ids[target])
    extras: dict[str, Any] = {
        "version": 1,
        "map": document["map"],
        **{k: document[k] for k in ("source", "lint", "expect") if k in document},
        "nodes": extras_nodes,
        "reasons": extras_reasons,
    }
    graph = {"nodes": nodes, "edges": edges, "locutions": []}
    if not xaif:
        return {**graph, "argmap": extras}
    return {
        "AIF": {**graph, "schemefulfillments": [], "participants": []},
        "OVA": {"firstname": "", "surname": "", "url": "", **ova_layout(nodes, edges)},
        "text": "",
        "argmap": extras,
    }


def ova_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """OVA's ``nodes`` (``nodeID``, ``visible``, ``x``, ``y``, ``timestamp``) and ``edges``
    (``fromID``, ``toID``, ``visible``) for an AIF graph: a layered drawing read top down.

    Every edge of an argument points at what it argues for or against, so a node's row
    is the longest chain of edges from it to a node that points nowhere (the thesis, or
    a conclusion drawn from it): those on top, every premise, reason and attacker below
    what it points at (but for the one edge that closes a cycle of attacks). In a row,
    nodes keep the order of the AIF graph (the map's order). Deterministic, and without
    Graphviz: an export needs no layout engine.
    """
    ids = [str(node["nodeID"]) for node in nodes]
    targets: defaultdict[str, list[str]] = defaultdict(list)
    for edge in edges:
        targets[str(edge["fromID"])].append(str(edge["toID"]))
    row: dict[str, int] = {}
    for root in ids:  # depth first, without recursion: a long chain is no problem
        if root in row:
            continue
        path = [root]
        ahead = [iter(targets[root])]
        while path:
            following = next((t for t in ahead[-1] if t not in row and t not in path), None)
            if following is not None:
                path.append(following)
                ahead.append(iter(targets[following]))
                continue
            done = path.pop()
            ahead.pop()
            below = [row[t] for t in targets[done] if t in row]  # not the edge back up
            row[done] = 1 + max(below) if below else 0
    placed: defaultdict[int, int] = defaultdict(int)
    layout = []
    for node_id in ids:
        column = placed[row[node_id]]
        placed[row[node_id]] += 1
        layout.append(
            {
                "nodeID": node_id,
                "visible": True,
                "x": _MARGIN + column * _COLUMN,
                "y": _MARGIN + row[node_id] * _ROW,
                "timestamp": "",
            }
        )
    lines = [
        {"fromID": str(edge["fromID"]), "toID": str(edge["toID"]), "visible": True}
        for edge in edges
    ]
    return {"nodes": layout, "edges": lines}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def is_aif(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    graph = data.get("AIF", data)
    return isinstance(graph, dict) and "nodes" in graph and "edges" in graph


def _list(container: dict[str, Any], key: str, where: str) -> list[Any]:
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailedError(f"`{where}{key}` must be a list, not {type(value).__name__}")
    return value


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value)


def read_aif(data: Any, name: str) -> Draft:
    """A draft map from AIF JSON (AIFdb nodeset or OVA3/xAIF form)."""
    if not is_aif(data):
        raise ImportFailedError(
            f"{name} is not AIF JSON: expected an object with `nodes` and `edges` "
            "(AIFdb) or an `AIF` object holding them (OVA3/xAIF)"
        )
    wrapped = "AIF" in data
    graph = data["AIF"] if wrapped else data
    prefix = "AIF." if wrapped else ""
    extras = _table(data.get("argmap"))
    meta = _table(extras.get("map"))
    draft = Draft(title=str(meta.get("title") or f"Argument map imported from {name}"))
    draft.note(f"read {name} as AIF JSON ({'OVA3/xAIF' if wrapped else 'AIFdb nodeset'} form)")
    kinds: dict[str, str] = {}
    texts: dict[str, str] = {}
    schemes: dict[str, str] = {}
    for number, node in enumerate(_list(graph, "nodes", prefix)):
        node_id = _id(node.get("nodeID")) if isinstance(node, dict) else None
        if node_id is None:
            draft.note(f"node {number + 1} has no usable nodeID; dropped")
            continue
        if node_id in kinds:
            raise ImportFailedError(f"{name}: the nodeID {node_id} is used twice")
        node_type = str(node.get("type") or "").upper()
        text = node.get("text")
        text = text if isinstance(text, str) else ""
        kinds[node_id] = node_type
        texts[node_id] = text
        scheme = node.get("scheme")
        if node_type in ("RA", "CA"):
            if isinstance(scheme, str) and scheme.strip():
                schemes[node_id] = scheme.strip()
            elif text.strip() and text.strip() not in _DEFAULT_TEXTS[node_type]:
                schemes[node_id] = text.strip()
    incoming: defaultdict[str, list[str]] = defaultdict(list)
    outgoing: defaultdict[str, list[str]] = defaultdict(list)
    for edge in _list(graph, "edges", prefix):
        if not isinstance(edge, dict):
            continue
        source, target = _id(edge.get("fromID")), _id(edge.get("toID"))
        if source not in kinds or target not in kinds:
            draft.note(f"edge {edge.get('edgeID')} joins a node that does not exist; dropped")
            continue
        assert source is not None and target is not None
        outgoing[source].append(target)
        incoming[target].append(source)

    extra_nodes = _table(extras.get("nodes"))
    extra_reasons = _table(extras.get("reasons"))
    for node_id, node_type in kinds.items():
        if node_type != "I":
            continue
        text = texts[node_id].strip()
        if not text:
            text = "(a statement with no text in the AIF file)"
            draft.note(f"I-node {node_id} has no text")
        extra = _table(extra_nodes.get(node_id))
        draft.nodes[node_id] = DraftNode(
            node_id,
            text,
            id=extra.get("id"),
            kind=extra.get("kind"),
            extra={k: extra[k] for k in NODE_OPTIONAL if k in extra},
            comment="" if extra else f"AIF node {node_id}",
        )

    def i_nodes(ids: list[str], what: str, s_node: str) -> list[str]:
        found = [i for i in ids if kinds[i] == "I"]
        for other in ids:
            if kinds[other] not in ("I", "CA") and kinds[other] not in _DIALOGUE:
                draft.note(
                    f"{kinds[s_node]} node {s_node}: {what} {kinds[other]} node {other} "
                    "cannot be mapped (argmap relates statements and reasons only); dropped"
                )
        return found

    for node_id, node_type in kinds.items():
        if node_type == "RA":
            premises = i_nodes(incoming[node_id], "a premise that is a", node_id)
            conclusions = i_nodes(outgoing[node_id], "a conclusion that is a", node_id)
            if not premises or len(conclusions) != 1:
                draft.note(
                    f"RA node {node_id} has {len(premises)} premise(s) and "
                    f"{len(conclusions)} conclusion(s); argmap needs at least one and exactly "
                    "one: dropped"
                )
                continue
            extra = _table(extra_reasons.get(node_id))
            reason_extra: dict[str, Any] = {k: extra[k] for k in ("note", "weight") if k in extra}
            if node_id in schemes and "note" not in reason_extra:
                reason_extra["note"] = f"AIF scheme: {schemes[node_id]}"
            draft.reasons.append(
                DraftReason(
                    node_id,
                    premises,
                    conclusions[0],
                    id=extra.get("id"),
                    named=bool(extra.get("id")),
                    extra=reason_extra,
                    comment="" if extra else f"AIF RA node {node_id}",
                )
            )
        elif node_type == "CA":
            sources = [i for i in incoming[node_id] if kinds[i] == "I"]
            targets = [i for i in outgoing[node_id] if kinds[i] in ("I", "RA")]
            dropped = [i for i in (*incoming[node_id], *outgoing[node_id]) if i not in sources]
            dropped = [i for i in dropped if i not in targets and kinds[i] not in _DIALOGUE]
            for other in dropped:
                draft.note(
                    f"CA node {node_id}: its link to {kinds[other]} node {other} cannot be "
                    "mapped (argmap's attacks go from a statement to a statement or a "
                    "reason); dropped"
                )
            if not sources or not targets:
                draft.note(f"CA node {node_id} has no attacker or no target; dropped")
                continue
            if node_id in schemes:
                draft.note(
                    f"CA node {node_id}: the conflict scheme {schemes[node_id]!r} is not kept"
                )
            for source in sources:
                for target in targets:
                    draft.attacks.append(DraftAttack(source, target, kinds[target] == "RA"))
        elif node_type in _DIALOGUE:
            draft.dropped[f"dialogue node(s) ({node_type})"] += 1
        elif node_type != "I":
            draft.dropped[f"{node_type or 'untyped'} node(s) that argmap cannot hold"] += 1
    for key in ("locutions", "participants"):
        count = len(_list(graph, key, prefix))
        if count:
            draft.dropped[key] += count
    if isinstance(meta.get("thesis"), str):
        by_id = {n.id: k for k, n in draft.nodes.items() if n.id}
        draft.thesis = by_id.get(meta["thesis"])
    draft.meta = {k: meta[k] for k in ("summary", "tags", "language") if k in meta}
    draft.extra = {k: extras[k] for k in ("source", "lint", "expect") if k in extras}
    return draft


def _aif(graph: ArgumentGraph, *, xaif: bool) -> str:
    from argmap.interop.document import to_document

    return dumps(to_aif(to_document(graph, evaluation=False), xaif=xaif))


EXPORTS = (
    ExportFormat(
        "aif", ".json", "AIF JSON as AIFdb stores it", lambda g, _: _aif(g, xaif=False), rank=40
    ),
    ExportFormat(
        "xaif", ".json", "the OVA3/xAIF wrapper of AIF", lambda g, _: _aif(g, xaif=True), rank=41
    ),
)
