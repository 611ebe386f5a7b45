"""What the importers build: statements, inferences and conflicts as the source format
gives them, before they are fitted to argmap's rules.

:func:`finish` makes the map: it chooses the kind of every statement (what attacks is a
rebuttal, what is supported a claim, the rest premises), the thesis, and ids from the
texts; it drops what argmap cannot hold and says so in the report. Nothing is dropped
silently: every loss is a line of :attr:`Draft.report`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from argmap.interop.document import FORMAT, VERSION, Document
from argmap.model.load import ID_PATTERN

KINDS = ("claim", "premise", "rebuttal")
# Levels of nested lists and objects an importer reads (JSON, YAML): argmap's data needs
# 5; the parsers recurse once per level, so a file nested thousands deep is refused.
MAX_DEPTH = 32
MAX_ID_WORDS = 6
MAX_ID_LENGTH = 40
_STOP = frozenset(
    "a an the of to and or is are be that this it in on for".split()  # noqa: SIM905
)


class ImportFailedError(ValueError):
    """The input cannot be made into a map; the message says why."""


@dataclass
class DraftNode:
    key: str  # the id in the source format
    text: str
    id: str | None = None  # the id to keep, when the format has one
    kind: str | None = None  # when the format says (argmap's own extras)
    extra: dict[str, Any] = field(default_factory=dict)  # quote, tags, note, ...
    comment: str = ""
    section: str | None = None


@dataclass
class DraftReason:
    key: str
    premises: list[str]  # node keys
    conclusion: str  # node key
    id: str | None = None
    named: bool = False  # keep as a [reason.ID] even with one premise
    extra: dict[str, Any] = field(default_factory=dict)  # note, weight
    comment: str = ""


@dataclass
class DraftAttack:
    source: str  # node key
    target: str  # node key, or reason key when undercut
    undercut: bool = False


@dataclass
class Draft:
    title: str
    nodes: dict[str, DraftNode] = field(default_factory=dict)
    reasons: list[DraftReason] = field(default_factory=list)
    attacks: list[DraftAttack] = field(default_factory=list)
    thesis: str | None = None  # a node key, when the format says
    meta: dict[str, Any] = field(default_factory=dict)  # summary, tags, language
    extra: dict[str, Any] = field(default_factory=dict)  # source, lint, expect
    report: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)  # what, how many

    def note(self, message: str) -> None:
        self.report.append(message)


@dataclass
class Finished:
    document: Document
    comments: dict[str, str]
    sections: dict[str, str]
    report: list[str]


def slugify(text: str, fallback: str = "statement") -> str:
    """A short id from a text: its first words, lower case, ASCII, joined by '-'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", plain.lower())
    kept = [w for w in words if w not in _STOP] or words if len(words) > 2 else words
    slug = ""
    for word in kept[:MAX_ID_WORDS]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        slug = candidate
    slug = slug or (kept[0][:MAX_ID_LENGTH] if kept else fallback)
    return slug if ID_PATTERN.fullmatch(slug) else fallback


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: object, text: str, fallback: str) -> str:
        if not isinstance(wanted, str):  # an id of another type in the input: not used
            wanted = None
        if wanted and ID_PATTERN.fullmatch(wanted):
            base = wanted
        elif wanted and slugify(wanted, "") and len(wanted) <= MAX_ID_LENGTH:
            base = slugify(wanted, fallback)  # a title such as "Free time": free-time
        else:
            base = slugify(text, fallback)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            suffix = f"-{n}"
            candidate = base[: 64 - len(suffix)] + suffix
        self.used.add(candidate)
        return candidate


def finish(draft: Draft) -> Finished:
    """Fit the draft to argmap's rules and give the map document, with a report."""
    report = draft.report
    for what, count in sorted(draft.dropped.items()):
        report.append(f"dropped {count} {what}")
    if not draft.nodes:
        raise ImportFailedError("the input has no statements (AIF I-nodes or Argdown statements)")
    nodes = draft.nodes

    # Relations that argmap cannot hold, or that repeat one another.
    reasons: list[DraftReason] = []
    seen_reasons: set[tuple[frozenset[str], str]] = set()
    for reason in draft.reasons:
        premises = list(dict.fromkeys(p for p in reason.premises if p != reason.conclusion))
        if len(premises) < len(reason.premises):
            report.append(
                f"reason {reason.key}: a statement cannot support itself or be listed twice; "
                "dropped the repetition"
            )
        if not premises:
            continue
        signature = (frozenset(premises), reason.conclusion)
        if signature in seen_reasons:
            report.append(f"reason {reason.key} repeats another reason; dropped")
            continue
        seen_reasons.add(signature)
        reason.premises = premises
        reasons.append(reason)
    reason_keys = {r.key for r in reasons}
    attacks: list[DraftAttack] = []
    seen_attacks: set[tuple[str, str]] = set()
    for attack in draft.attacks:
        if attack.undercut and attack.target not in reason_keys:
            report.append(f"an undercut of {attack.target}, which is not a reason, was dropped")
            continue
        if attack.source == attack.target:
            report.append(f"statement {attack.source} attacks itself; argmap refuses that: dropped")
            continue
        if (attack.source, attack.target) in seen_attacks:
            continue
        seen_attacks.add((attack.source, attack.target))
        attacks.append(attack)
    undercut = {a.target for a in attacks if a.undercut}

    # Kinds: attackers are rebuttals; a rebuttal cannot support, so a statement that
    # does both keeps its support and lends its attacks to a rebuttal it supports.
    premises_of = {p for r in reasons for p in r.premises}
    supported = {r.conclusion for r in reasons}
    attackers = {a.source for a in attacks}
    position = {key: index for index, key in enumerate(nodes)}
    attacks_by_source: defaultdict[str, list[DraftAttack]] = defaultdict(list)
    for attack in attacks:
        attacks_by_source[attack.source].append(attack)
    for key in sorted(attackers & premises_of, key=position.__getitem__):
        node = nodes[key]
        copy = DraftNode(
            f"{key}#attack",
            node.text,
            kind="rebuttal",
            comment=f"the attacks of {key}: a rebuttal cannot also support",
            section=node.section,
        )
        nodes[copy.key] = copy
        for attack in attacks_by_source[key]:
            attack.source = copy.key
        reasons.append(DraftReason(f"{key}#attack", [key], copy.key))
        report.append(
            f"statement {key} both supports and attacks; argmap's rebuttals cannot support, "
            "so its attacks were given to a rebuttal with the same text that it supports"
        )
    attackers = {a.source for a in attacks}
    supported = {r.conclusion for r in reasons}
    premises_of = {p for r in reasons for p in r.premises}

    thesis = draft.thesis if draft.thesis in nodes else None
    if thesis is not None and thesis in attackers:
        report.append(f"the given thesis {thesis} attacks a statement, so it cannot be the thesis")
        thesis = None
    if thesis is None:
        thesis = _choose_thesis(nodes, reasons, attacks, attackers, supported, premises_of)
    kinds: dict[str, str] = {}
    for key, node in nodes.items():
        derived = (
            "rebuttal"
            if key in attackers
            else "claim"
            if key in supported or key == thesis
            else "premise"
        )
        if node.kind in KINDS and _kind_fits(node.kind, key, attackers, supported, premises_of):
            kinds[key] = node.kind
        else:
            if node.kind is not None and node.kind != derived:
                report.append(f"statement {key} cannot be a {node.kind} here; made a {derived}")
            kinds[key] = derived
    kinds[thesis] = "claim"

    ids = _Ids()
    node_ids = {key: ids.take(node.id, node.text, "statement") for key, node in nodes.items()}
    for node in nodes.values():
        if node.id and node_ids[node.key] != node.id:
            report.append(
                f"{node.id!r} is not an argmap id; the statement's id is {node_ids[node.key]!r}"
            )
    reason_ids: dict[str, str] = {}
    comments = {node_ids[k]: n.comment for k, n in nodes.items() if n.comment}
    for reason in reasons:
        if len(reason.premises) > 1 or reason.named or reason.key in undercut or reason.extra:
            wanted = reason.id or f"{node_ids[reason.conclusion]}-reason"
            reason_ids[reason.key] = ids.take(wanted, wanted, "reason")
            if reason.comment:
                comments[reason_ids[reason.key]] = reason.comment

    document: Document = {
        "format": FORMAT,
        "version": VERSION,
        "map": {"title": draft.title, "thesis": node_ids[thesis]},
    }
    for key in ("summary", "tags", "language"):
        if draft.meta.get(key):
            document["map"][key] = draft.meta[key]
    document["map"].setdefault("language", "en")
    for key in ("source", "lint", "expect"):
        if draft.extra.get(key):
            document[key] = draft.extra[key]
    document["nodes"] = [
        {"id": node_ids[k], "kind": kinds[k], "text": n.text, **n.extra} for k, n in nodes.items()
    ]
    document["reasons"] = [
        {
            "id": reason_ids.get(r.key),
            "premises": [node_ids[p] for p in r.premises],
            "conclusion": node_ids[r.conclusion],
            **(r.extra if r.key in reason_ids else {}),
        }
        for r in reasons
    ]
    document["attacks"] = [
        {
            "source": node_ids[a.source],
            "target": reason_ids[a.target] if a.undercut else node_ids[a.target],
            "kind": "undercuts" if a.undercut else "attacks",
        }
        for a in attacks
    ]
    sections = {node_ids[k]: n.section for k, n in nodes.items() if n.section}
    return Finished(document, comments, sections, report)


def _kind_fits(
    kind: str, key: str, attackers: set[str], supported: set[str], premises_of: set[str]
) -> bool:
    if kind == "rebuttal":
        return key not in premises_of
    if key in attackers:
        return False
    return kind == "claim" or key not in supported


def _choose_thesis(
    nodes: dict[str, DraftNode],
    reasons: list[DraftReason],
    attacks: list[DraftAttack],
    attackers: set[str],
    supported: set[str],
    premises_of: set[str],
) -> str:
    """The supported statement that supports nothing and has the most below it."""
    below: defaultdict[str, set[str]] = defaultdict(set)
    for reason in reasons:
        below[reason.conclusion].update(reason.premises)
    for attack in attacks:
        if not attack.undercut:
            below[attack.target].add(attack.source)

    def weight(key: str) -> int:
        seen: set[str] = set()
        todo = [key]
        while todo:
            for child in below.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return len(seen)

    order = list(nodes)
    position = {key: index for index, key in enumerate(order)}
    for pool in (
        [k for k in order if k in supported and k not in premises_of and k not in attackers],
        [k for k in order if k not in premises_of and k not in attackers],
        [k for k in order if k not in attackers],
    ):
        if pool:
            return max(pool, key=lambda k: (weight(k), -position[k]))
    raise ImportFailedError(
        "no statement can be the thesis: every statement attacks another, and argmap's "
        "thesis is a claim, which cannot attack"
    )
