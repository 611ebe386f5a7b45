"""Stage 2: check that a map's relations make sense.

The loader has checked the shape of each table; here we check what can only be seen
across tables: ids are unique and resolve, each relation joins the right kinds of node,
nothing supports itself, and support never goes round in a circle.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from argmap._pickling import by_constructor
from argmap.diagnostics import Diagnostic, InputError, Position
from argmap.model import ArgumentMap, Attack, AttackKind, NodeKind, Reason
from argmap.model.mapformat import KINDS

# What each kind of node may do, from the node kinds table (argmap.model.mapformat).
_CAN_SUPPORT = frozenset(kind for kind, spec in KINDS.items() if spec.supports)
_CAN_BE_SUPPORTED = frozenset(kind for kind, spec in KINDS.items() if spec.supportable)


def validate_map(argument_map: ArgumentMap) -> None:
    """Raise :class:`InputError` with every problem found, or return quietly."""
    problems = find_problems(argument_map)
    if problems:
        raise InputError(problems)


def find_problems(argument_map: ArgumentMap) -> list[Diagnostic]:
    return _Checker(argument_map).run()


@by_constructor
@dataclass(frozen=True, slots=True)
class CitableMap:
    """What a citation of a map needs: its page name, title and nodes.

    ``nodes`` maps each node id to its number (``C1``; empty when the map has errors and
    was not numbered) and its plain text. ``built`` is False for a map that is not part of
    the checked or built set and was read from disk only to resolve citations.
    """

    slug: str
    title: str
    path: Path
    nodes: Mapping[str, tuple[str, str]]
    built: bool = True


def citation_problems(
    argument_map: ArgumentMap,
    own_slug: str,
    maps: Mapping[str, CitableMap],
    *,
    building: bool = False,
    other_maps: Iterable[str] = (),
) -> list[Diagnostic]:
    """Problems with the map's ``cites``: unknown maps (AM207), unknown nodes (AM208) and
    citations of the map itself (AM209). ``maps`` are the maps that can be cited, by
    page name; ``own_slug`` is this map's page name among them. When ``building``, a map
    read only to resolve citations (``built`` False) has no page to link to: AM207.
    ``other_maps`` are further page names to suggest for a misspelt map.
    """
    known = sorted(set(maps) | set(other_maps))
    problems: list[Diagnostic] = []
    for node in argument_map.nodes:
        for citation in node.cites:
            where = f"cited by {node.id!r}"
            if citation.map == own_slug:
                problems.append(
                    Diagnostic(
                        argument_map.path,
                        citation.position,
                        "AM209",
                        f"{citation.target!r} ({where}) cites its own map",
                        "cites links to nodes of other maps; within one map use supports, "
                        "attacks or undercuts",
                    )
                )
                continue
            target = maps.get(citation.map)
            if target is None or (building and not target.built):
                close = difflib.get_close_matches(citation.map, known, n=3, cutoff=0.6)
                hint = (
                    "did you mean " + " or ".join(repr(c) for c in close) + "?"
                    if close
                    else "name the map by its page name: its path below the maps folder "
                    'without .toml, such as "unit1/lesson"'
                )
                message = f"unknown map {citation.map!r} ({where})"
                if target is not None:
                    message = f"the map {citation.map!r} ({where}) is not part of this build"
                    hint = (
                        f"build the whole maps folder (it has {target.path}) so that its page "
                        "exists, or remove the citation"
                    )
                problems.append(
                    Diagnostic(argument_map.path, citation.position, "AM207", message, hint)
                )
                continue
            if citation.node not in target.nodes:
                cutoff = 0.5 if len(citation.node) <= 3 else 0.6
                close = difflib.get_close_matches(
                    citation.node, sorted(target.nodes), n=3, cutoff=cutoff
                )
                hint = (
                    "did you mean " + " or ".join(repr(f"{citation.map}#{c}") for c in close) + "?"
                    if close
                    else f"cite the id of a claim, premise or rebuttal of the map {citation.map!r}"
                )
                problems.append(
                    Diagnostic(
                        argument_map.path,
                        citation.position,
                        "AM208",
                        f"the map {citation.map!r} has no node {citation.node!r} ({where})",
                        hint,
                    )
                )
    return problems


class _Checker:
    def __init__(self, argument_map: ArgumentMap) -> None:
        self.map = argument_map
        self.problems: list[Diagnostic] = []
        self.kinds: dict[str, NodeKind] = {}
        self.reason_ids: set[str] = set()

    def run(self) -> list[Diagnostic]:
        self._unique_ids()
        self._thesis()
        for reason in self.map.reasons:
            self._reason(reason)
        self._attacks()
        self._expectations()
        self._duplicate_relations()
        self._support_cycles()
        return sorted(self.problems, key=lambda d: (d.position.line, d.position.column))

    def _add(self, code: str, position: Position, message: str, hint: str) -> None:
        self.problems.append(Diagnostic(self.map.path, position, code, message, hint))

    def _unique_ids(self) -> None:
        first_seen: dict[str, tuple[str, Position]] = {}
        folded: dict[str, tuple[str, str, Position]] = {}  # lower case -> id, kind, where
        declared = [(node.id, node.kind.value, node.position) for node in self.map.nodes]
        declared += [(r.id, "reason", r.position) for r in self.map.reasons if r.id is not None]
        for item_id, kind, position in sorted(declared, key=lambda d: (d[2].line, d[2].column)):
            if item_id in first_seen:
                other_kind, other = first_seen[item_id]
                self._add(
                    "AM201",
                    position,
                    f"id {item_id!r} is already used by the {other_kind} on line {other.line}",
                    "ids are shared by claims, premises, rebuttals and reasons; rename one",
                )
                continue
            first_seen[item_id] = (kind, position)
            other_id, other_kind, other = folded.setdefault(
                item_id.lower(), (item_id, kind, position)
            )
            if other_id != item_id:
                # Anchors are case-sensitive, but people reading or typing an address are
                # not: Claim1 and claim1 would be two statements that look like one.
                self._add(
                    "AM201",
                    position,
                    f"id {item_id!r} differs only in case from {other_id!r}, the "
                    f"{other_kind} on line {other.line}",
                    "ids that differ only in upper and lower case are too easy to confuse "
                    "(they are the statements' web addresses); rename one",
                )
        self.kinds = {}
        for node in sorted(self.map.nodes, key=lambda n: (n.position.line, n.position.column)):
            self.kinds.setdefault(node.id, node.kind)  # a duplicate id is reported above
        self.reason_ids = {r.id for r in self.map.reasons if r.id is not None}

    def _thesis(self) -> None:
        thesis = self.map.thesis
        if not thesis:
            return  # the loader has reported that it is missing
        kind = self.kinds.get(thesis)
        if kind is None:
            self._add(
                "AM202",
                self.map.thesis_position,
                f"the thesis {thesis!r} does not exist",
                self._did_you_mean(
                    thesis,
                    "add a [claim.ID] table for the main thesis",
                    [i for i, k in self.kinds.items() if k is NodeKind.CLAIM],
                ),
            )
        elif kind is not NodeKind.CLAIM:
            self._add(
                "AM203",
                self.map.thesis_position,
                f"the thesis {thesis!r} is a {kind.value}, not a claim",
                f"the thesis must be a claim: write [claim.{thesis}]",
            )

    def _reason(self, reason: Reason) -> None:
        label = f"reason {reason.id!r}" if reason.id else f"{reason.premises[0]!r}"
        seen: set[str] = set()
        for index, premise in enumerate(reason.premises):
            here = reason.premise_position(index) if reason.id else reason.position
            if premise in seen:
                self._add(
                    "AM206",
                    here,
                    f"{label} lists premise {premise!r} twice",
                    "list each premise once",
                )
            seen.add(premise)
            kind = self.kinds.get(premise)
            if kind is None:
                self._unknown(here, premise, f"a premise of {label}")
            elif kind not in _CAN_SUPPORT:
                self._add(
                    "AM203",
                    here,
                    f"the {kind.value} {premise!r} cannot be a premise of {label}",
                    "only premises and claims support; a rebuttal attacks",
                )
            if premise == reason.conclusion:
                self._add(
                    "AM204",
                    here,
                    f"{premise!r} supports itself",
                    "a node cannot be a reason for itself; point supports at another claim",
                )
        self._conclusion(reason, label)

    def _conclusion(self, reason: Reason, label: str) -> None:
        here = reason.target_position
        kind = self.kinds.get(reason.conclusion)
        if kind is None:
            if reason.conclusion in self.reason_ids:
                self._add(
                    "AM203",
                    here,
                    f"{label} supports the reason {reason.conclusion!r}, not a statement",
                    "support a claim or rebuttal; to attack an inference use `undercuts`",
                )
            else:
                self._unknown(here, reason.conclusion, f"supported by {label}")
        elif kind not in _CAN_BE_SUPPORTED:
            self._add(
                "AM203",
                here,
                f"{label} supports the {kind.value} {reason.conclusion!r}",
                f"a premise cannot itself be supported; if {reason.conclusion!r} rests on "
                f"reasons, make it an intermediate conclusion: [claim.{reason.conclusion}]",
            )

    def _duplicate_relations(self) -> None:
        seen_reasons: dict[tuple[frozenset[str], str], Reason] = {}
        for reason in self.map.reasons:
            key = (frozenset(reason.premises), reason.conclusion)
            first = seen_reasons.setdefault(key, reason)
            if first is not reason:
                joined = " + ".join(repr(p) for p in reason.premises)
                verb = (
                    "together already support" if len(reason.premises) > 1 else "already supports"
                )
                self._add(
                    "AM206",
                    reason.target_position,
                    f"{joined} {verb} {reason.conclusion!r} (line {first.target_position.line})",
                    "state each reason once",
                )
        seen_attacks: dict[tuple[str, str, AttackKind], Attack] = {}
        for attack in self.map.attacks:
            first_attack = seen_attacks.setdefault(
                (attack.source, attack.target, attack.kind), attack
            )
            if first_attack is not attack:
                self._add(
                    "AM206",
                    attack.position,
                    f"{attack.source!r} already {attack.kind.value} {attack.target!r} "
                    f"(line {first_attack.position.line})",
                    "state each attack once",
                )

    def _expectations(self) -> None:
        for expectation in self.map.expectations:
            if expectation.node not in self.kinds:
                self._unknown(
                    expectation.position, expectation.node, f"in [expect].{expectation.label}"
                )

    def _attacks(self) -> None:
        for attack in self.map.attacks:
            if attack.target == attack.source:
                self._add(
                    "AM204",
                    attack.position,
                    f"the rebuttal {attack.source!r} attacks itself",
                    "point it at the claim, premise or reason it objects to",
                )
                continue
            is_node = attack.target in self.kinds
            is_reason = attack.target in self.reason_ids
            if attack.kind is AttackKind.REBUT and not is_node:
                if is_reason:
                    self._add(
                        "AM203",
                        attack.position,
                        f"{attack.source!r} attacks the reason {attack.target!r}",
                        f'to attack an inference, write undercuts = "{attack.target}"',
                    )
                else:
                    self._unknown(attack.position, attack.target, f"attacked by {attack.source!r}")
            elif attack.kind is AttackKind.UNDERCUT and not is_reason:
                if is_node:
                    self._add(
                        "AM203",
                        attack.position,
                        f"{attack.source!r} undercuts {attack.target!r}, which is not a reason",
                        "undercuts names a [reason.ID] (the step from premises to a claim); "
                        f'to attack the statement itself write attacks = "{attack.target}"',
                    )
                else:
                    self._unknown(
                        attack.position,
                        attack.target,
                        f"undercut by {attack.source!r}",
                        reason=True,
                    )

    def _support_cycles(self) -> None:
        edges: dict[str, list[tuple[str, Position]]] = {}
        for reason in self.map.reasons:
            for premise in reason.premises:
                edges.setdefault(premise, []).append((reason.conclusion, reason.target_position))
        state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
        reported: set[frozenset[str]] = set()

        for start in sorted(edges):
            if state.get(start):
                continue
            path: list[str] = [start]
            state[start] = 1
            stack = [iter(edges.get(start, []))]
            while stack:
                step = next(stack[-1], None)
                if step is None:
                    stack.pop()
                    state[path.pop()] = 2
                    continue
                target, position = step
                if state.get(target) == 1:
                    cycle = [*path[path.index(target) :], target]
                    if frozenset(cycle) not in reported and target != path[-1]:
                        reported.add(frozenset(cycle))
                        self._add(
                            "AM205",
                            position,
                            "support goes round in a circle: " + " -> ".join(cycle),
                            "reasoning must end at a claim that does not rest on itself; "
                            "remove one of these supports",
                        )
                elif not state.get(target):
                    state[target] = 1
                    path.append(target)
                    stack.append(iter(edges.get(target, [])))

    def _unknown(self, position: Position, target: str, role: str, *, reason: bool = False) -> None:
        fallback = (
            f"declare [reason.{target}], or check the spelling"
            if reason
            else f"declare [claim.{target}], [premise.{target}] or [rebuttal.{target}]"
        )
        candidates = self.reason_ids if reason else self.kinds  # only ids that would fit here
        hint = self._did_you_mean(target, fallback, candidates)
        self._add("AM202", position, f"unknown id {target!r} ({role})", hint)

    def _did_you_mean(self, target: str, fallback: str, candidates: Iterable[str]) -> str:
        # Short ids differ by a character or two ("c2" vs "c1"), so allow a looser match.
        cutoff = 0.5 if len(target) <= 3 else 0.6
        close = difflib.get_close_matches(target, sorted(candidates), n=1, cutoff=cutoff)
        return f"did you mean {close[0]!r}?" if close else fallback
