"""Which statements of a map stand, which fall, and why.

The map is translated into a Dung argumentation framework whose extra (auxiliary)
arguments make Dung's rule ("IN when every attacker is OUT, OUT when some attacker is
IN") give the intended structured behaviour: a statement with reasons needs one reason
that holds, a linked reason needs all its premises, an undercut knocks out a reason,
and the author's status settles statements taken as given. :mod:`argmap._af` labels
that framework; this module maps the labels back onto the statements and explains each
label from the structure. :func:`gradual_scores` is the numeric alternative (DF-QuAD).
docs/evaluation.md states the semantics precisely.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from argmap import _af
from argmap._af import Label, SearchLimitError
from argmap._gc import collector_paused
from argmap.diagnostics import Diagnostic, Severity
from argmap.graph import ArgumentGraph
from argmap.model import AttackKind, Reason, Status

__all__ = [
    "ConvergenceError",
    "Evaluation",
    "Label",
    "SearchLimitError",
    "Semantics",
    "Status",
    "browser_model",
    "evaluate",
    "gradual_scores",
    "relation_keys",
    "to_json",
    "translate",
]


class Semantics(enum.StrEnum):
    GROUNDED = "grounded"
    PREFERRED = "preferred"
    STABLE = "stable"


class ConvergenceError(RuntimeError):
    """Raised when the gradual scores of an attack cycle do not settle."""


# --------------------------------------------------------------------------- translation
# Auxiliary arguments contain ":", which no map id may contain, so they never clash.


def reason_argument(reason: Reason) -> str:
    """The framework argument standing for a reason (the step from premises to conclusion)."""
    if reason.id is not None:
        return f"reason:{reason.id}"
    return f"reason:{reason.premises[0]}>{reason.conclusion}"


def _not(statement: str) -> str:
    return f"not:{statement}"


def _noreason(statement: str) -> str:
    return f"noreason:{statement}"


def _status_argument(statement: str, status: Status) -> str:
    return f"{status.value}:{statement}"


def _undercutters(graph: ArgumentGraph, reason: Reason) -> tuple[str, ...]:
    if reason.id is None:
        return ()
    return tuple(a.source for a in graph.attacks_on.get(reason.id, ()))


def _rebutters(graph: ArgumentGraph, statement: str) -> tuple[str, ...]:
    on = graph.attacks_on.get(statement)
    if not on:  # most statements: no attacker
        return ()
    return tuple(a.source for a in on if a.kind is AttackKind.REBUT)


def _effective_statuses(
    graph: ArgumentGraph, statuses: Mapping[str, Status] | None
) -> tuple[dict[str, Status], frozenset[str]]:
    """Statuses that take effect (on statements without reasons), and the ignored ones."""
    given = dict(statuses or {})
    unknown = sorted(set(given) - set(graph.nodes))
    if unknown:
        raise ValueError(f"status given for unknown statement(s): {', '.join(unknown)}")
    effective: dict[str, Status] = {}
    ignored: set[str] = set()
    for node_id, status in given.items():
        status = Status(status)
        if not graph.reasons_for.get(node_id):
            effective[node_id] = status
        elif status != Status.ACCEPTED:
            ignored.add(node_id)
    return effective, frozenset(ignored)


def translate(graph: ArgumentGraph, statuses: Mapping[str, Status] | None = None) -> _af.Framework:
    """The map as an argumentation framework (docs/evaluation.md, section 3)."""
    return _translate(graph, _effective_statuses(graph, statuses)[0])


def _translate(graph: ArgumentGraph, effective: Mapping[str, Status]) -> _af.Framework:
    # Arguments are numbered as they are first met (the statements first, in reading
    # order) and attacks built as pairs of numbers: the names are looked up once each.
    index = {node_id: i for i, node_id in enumerate(graph.numbers)}
    add = index.setdefault  # add(name, len(index)): the number of a name, new or not
    attacks: list[tuple[int, int]] = []
    attack = attacks.append
    attacks_on = graph.attacks_on
    for x, node_id in enumerate(graph.numbers):
        status = effective.get(node_id, Status.ACCEPTED)
        if status != Status.ACCEPTED:
            aux = add(_status_argument(node_id, status), len(index))
            attack((aux, x))
            if status == Status.QUESTIONED:
                # self-attacking, so never IN; also defeated by whatever defeats the
                # statement, so that a questioned statement that falls anyway does not
                # rule out stable labellings (grounded and preferred are unaffected)
                attack((aux, aux))
                attacks.extend((index[r], aux) for r in _rebutters(graph, node_id))
        reasons = graph.reasons_for.get(node_id, ())
        if reasons:
            none = add(_noreason(node_id), len(index))
            attack((none, x))
            for reason in reasons:
                step = add(reason_argument(reason), len(index))
                attack((step, none))
                for premise in reason.premises:
                    negation = add(_not(premise), len(index))
                    attack((index[premise], negation))
                    attack((negation, step))
                if reason.id is not None:
                    attacks.extend((index[a.source], step) for a in attacks_on.get(reason.id, ()))
        attacks.extend(
            (index[a.source], x) for a in attacks_on.get(node_id, ()) if a.kind == AttackKind.REBUT
        )
    return _af.indexed(list(index), attacks)


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    """The verdict on every statement under one semantics.

    ``labels`` and ``explanations`` cover every statement, in reading order. For
    preferred and stable a statement is IN when it is IN in every labelling
    (sceptically), OUT when it is OUT in every labelling, else UNDEC; ``credulous`` are
    the statements IN in at least one labelling and ``contested`` those credulously but
    not sceptically IN. ``extensions`` counts the labellings (1 for grounded).
    ``stable_exists`` is None when it was not worked out (grounded with UNDEC left).
    ``ignored_statuses`` are statuses given on statements that have reasons.
    """

    semantics: Semantics
    labels: Mapping[str, Label]
    explanations: Mapping[str, str]
    numbers: Mapping[str, str]
    credulous: frozenset[str]
    contested: frozenset[str]
    extensions: int
    stable_exists: bool | None
    ignored_statuses: frozenset[str]


@collector_paused()
def evaluate(
    graph: ArgumentGraph,
    semantics: Semantics | str = Semantics.GROUNDED,
    statuses: Mapping[str, Status] | None = None,
    max_steps: int = _af.DEFAULT_MAX_STEPS,
) -> Evaluation:
    """Label and explain every statement of ``graph`` under ``semantics``.

    ``statuses`` maps statement ids to the author's status (default: the ``status``
    written on each node in the map, accepted where none is).
    Preferred and stable raise :class:`SearchLimitError` past ``max_steps``.
    """
    semantics = Semantics(semantics)
    if statuses is None:
        statuses = {n.id: n.status for n in graph.nodes.values() if n.status != Status.ACCEPTED}
    effective, ignored = _effective_statuses(graph, statuses)
    af = _translate(graph, effective)
    grounded = _af.grounded(af)
    if semantics == Semantics.GROUNDED:
        alone = {label: frozenset({label}) for label in Label}  # one set per label, shared
        sets = {x: alone[label] for x, label in grounded.items()}
        count, unsettled = 1, frozenset[str]()
        stable: bool | None = True if Label.UNDEC not in grounded.values() else None
    else:
        result = _af.acceptance(af, semantics.value, max_steps)
        sets, count, unsettled = dict(result.labels), result.count, result.unsettled
        stable = result.stable_exists
    explainer = _Explainer(graph, af, grounded, sets, semantics, effective, unsettled)
    labels = {n: explainer.label(n) for n in graph.numbers}
    credulous = frozenset(n for n in graph.numbers if Label.IN in sets[n])
    return Evaluation(
        semantics=semantics,
        labels=labels,
        explanations={n: explainer.explain(n) for n in graph.numbers},
        numbers=dict(graph.numbers),
        credulous=credulous,
        contested=frozenset(n for n in credulous if labels[n] != Label.IN),
        extensions=count,
        stable_exists=stable,
        ignored_statuses=ignored,
    )


def to_json(evaluation: Evaluation, scores: Mapping[str, float] | None = None) -> dict[str, object]:
    """A JSON-ready dictionary for the export (statements keyed by id, in reading order)."""
    nodes: dict[str, dict[str, object]] = {}
    for node_id, label in evaluation.labels.items():
        entry: dict[str, object] = {
            "number": evaluation.numbers[node_id],
            "label": label.value,
            "explanation": evaluation.explanations[node_id],
            "credulous": node_id in evaluation.credulous,
            "contested": node_id in evaluation.contested,
        }
        if scores is not None:
            entry["score"] = round(scores[node_id], 6)
        nodes[node_id] = entry
    return {
        "semantics": evaluation.semantics.value,
        "extensions": evaluation.extensions,
        "stable_exists": evaluation.stable_exists,
        "ignored_statuses": sorted(evaluation.ignored_statuses),
        "nodes": nodes,
    }


# --------------------------------------------------------------------------- explanations


def _join(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


LISTED = 5  # statements an explanation names at most; more are counted


def _join_capped(items: Sequence[str], total: int | None = None, word: str = "and") -> str:
    """``items`` joined, or the first few of them and how many others there are.

    A statement in an attack cycle of thousands would otherwise name all the others,
    and every explanation of the map together would grow with the square of its size.
    ``total`` is the length of the whole list when ``items`` is only its beginning.
    """
    total = len(items) if total is None else total
    if total <= LISTED:
        return _join(items[:total], word)
    others = total - (LISTED - 1)
    return f"{', '.join(items[: LISTED - 1])} {word} {others:,} others"


_ONLY_IN = frozenset({Label.IN})
_ONLY_OUT = frozenset({Label.OUT})
_SETTLED = {_ONLY_IN: Label.IN, _ONLY_OUT: Label.OUT}  # frozensets keep their hash


def _summary(labels: frozenset[Label]) -> Label:
    return _SETTLED.get(labels, Label.UNDEC)


class _Explainer:
    """Builds each statement's one-line reason from the computed labels and the structure.

    Nothing here decides a label: it reads the labels of the statement's attackers,
    reasons, premises and undercutters, and the cycles among what grounded left UNDEC.
    """

    def __init__(
        self,
        graph: ArgumentGraph,
        af: _af.Framework,
        grounded: Mapping[str, Label],
        sets: Mapping[str, frozenset[Label]],
        semantics: Semantics,
        statuses: Mapping[str, Status],
        unsettled: frozenset[str],
    ) -> None:
        self.graph = graph
        self.grounded = grounded
        self.sets = sets
        self.semantics = semantics
        self.statuses = statuses  # only those that take effect
        self.unsettled = unsettled
        self.cycles = _cycles(af, grounded, len(graph.numbers))
        self._no_stable: str | None = None

    # -- small lookups

    def label(self, argument: str) -> Label:
        return _summary(self.sets[argument])

    def number(self, node_id: str) -> str:
        return self.graph.numbers[node_id]

    def numbers(self, node_ids: Iterable[str]) -> list[str]:
        return [self.number(n) for n in node_ids]

    def listed(self, node_ids: Sequence[str], word: str = "and") -> str:
        """The numbers of ``node_ids``, the first few of a long list and a count."""
        return _join_capped(self.numbers(node_ids[:LISTED]), len(node_ids), word)

    def reason_name(self, reason: Reason) -> str:
        return "+".join(self.numbers(reason.premises))

    def status(self, node_id: str) -> Status:
        return self.statuses.get(node_id, Status.ACCEPTED)

    @property
    def every(self) -> str:
        return f"in every {self.semantics.value} labelling"

    # -- per label

    def explain(self, node_id: str) -> str:
        labels = self.sets[node_id]
        if labels == _ONLY_IN:
            return "IN: " + self._why_in(node_id)
        if labels == _ONLY_OUT:
            return "OUT: " + self._why_out(node_id)
        return "UNDEC: " + self._why_undec(node_id, labels)

    def _why_in(self, node_id: str) -> str:
        reasons = self.graph.reasons_for.get(node_id, ())
        holding = [r for r in reasons if self.label(reason_argument(r)) == Label.IN]
        if holding:
            shown = [self._holding_reason(r) for r in holding[:2]]
            if len(holding) > 2:
                more = len(holding) - 2
                shown.append("1 more reason that holds" if more == 1 else f"{more} more that hold")
            head = "supported by " + _join(shown)
        elif reasons:
            some = [r for r in reasons if Label.IN in self.sets[reason_argument(r)]]
            names = _join_capped([self.reason_name(r) for r in some[:LISTED]], len(some), "or")
            head = f"{self.every} one of its reasons holds ({names})"
        else:
            head = "accepted as given"
        attackers = _rebutters(self.graph, node_id)
        if not attackers:
            return f"{head}, no attacker"
        verb = "is" if len(attackers) == 1 else "are"
        return f"{head}, no standing attacker ({self.listed(attackers)} {verb} OUT)"

    def _holding_reason(self, reason: Reason) -> str:
        premises = self.numbers(reason.premises)
        state = {1: "IN", 2: "both IN"}.get(len(premises), "all IN")
        undercutters = _undercutters(self.graph, reason)
        if undercutters:
            verb = "which is" if len(undercutters) == 1 else "which are"
            state += f"; undercut by {self.listed(undercutters)}, {verb} OUT"
        return f"{'+'.join(premises)} ({state})"

    def _why_out(self, node_id: str) -> str:
        reasons = self.graph.reasons_for.get(node_id, ())
        if not reasons and self.status(node_id) == Status.REJECTED:
            return "rejected by the author"
        attackers = _rebutters(self.graph, node_id)
        standing = [a for a in attackers if self.label(a) == Label.IN]
        if standing:
            verb = "which stands" if len(standing) == 1 else "which stand"
            return f"rebutted by {self.listed(standing)}, {verb}"
        if reasons and self.label(_noreason(node_id)) == Label.IN:
            return f"no reason holds ({'; '.join(self._failing_reason(r) for r in reasons)})"
        culprits = [a for a in attackers if Label.IN in self.sets[a]]
        parts = [f"{self.listed(culprits, 'or')} stands"] if culprits else []
        if reasons and Label.IN in self.sets[_noreason(node_id)]:
            parts.append("no reason holds")
        return f"defeated {self.every} ({' or '.join(parts)})"

    def _failing_reason(self, reason: Reason) -> str:
        name = self.reason_name(reason)
        out = [p for p in reason.premises if self.label(p) == Label.OUT]
        if out:
            verb = "is" if len(out) == 1 else "are"
            if not reason.linked:
                return f"{name} is OUT"
            return f"{name} fails as {self.listed(out)} {verb} OUT"
        cutters = [u for u in _undercutters(self.graph, reason) if self.label(u) == Label.IN]
        if cutters:
            verb = "which stands" if len(cutters) == 1 else "which stand"
            return f"the step from {name} is undercut by {self.listed(cutters)}, {verb}"
        return f"{name} fails {self.every}"

    def _why_undec(self, node_id: str, labels: frozenset[Label]) -> str:
        if not labels:
            return "no stable labelling exists " + self._why_no_stable()
        cause = self._cause(node_id)
        sem = self.semantics.value
        if Label.IN in labels:
            others = _join(
                ["OUT" if x == Label.OUT else "undecided" for x in sorted(labels - {Label.IN})],
                "or",
            )
            return f"contested, IN in some {sem} labellings and {others} in others ({cause})"
        if Label.OUT in labels:
            return f"OUT in some {sem} labellings and undecided in others ({cause})"
        return cause

    def _why_no_stable(self) -> str:
        """Name the statements in the parts of the map that no stable labelling settles
        (the same for every statement, so worked out once)."""
        if self._no_stable is None:
            stuck = [n for n in self.graph.numbers if n in self.unsettled]
            questioned = [n for n in stuck if self.status(n) == Status.QUESTIONED]
            if questioned:
                verb = "is" if len(questioned) == 1 else "are"
                self._no_stable = (
                    f"({self.listed(questioned)} {verb} questioned, "
                    "and a stable labelling leaves nothing undecided)"
                )
            else:
                self._no_stable = f"({self.listed(stuck)} cannot be settled either way)"
        return self._no_stable

    def _cause(self, node_id: str) -> str:
        """Why grounded leaves a statement undecided, read off the grounded labels."""
        if self.status(node_id) == Status.QUESTIONED:
            return "questioned, and nothing supports it"
        if node_id in self.cycles:
            members = self.cycles[node_id]  # statements, in reading order, node_id among them
            if len(members) > 1:
                first = [n for n in members[: LISTED + 1] if n != node_id]
                others = _join_capped(self.numbers(first[:LISTED]), len(members) - 1)
                return f"in an attack cycle with {others}"
            return "in a cycle through its own support"
        reasons = self.graph.reasons_for.get(node_id, ())
        undec = self.grounded_undec
        if reasons and not any(self.grounded[reason_argument(r)] == Label.IN for r in reasons):
            for reason in (r for r in reasons if undec(reason_argument(r))):
                premises = [p for p in reason.premises if undec(p)]
                if premises:
                    return f"depends on {self.number(premises[0])}, which is undecided"
                cutters = [u for u in _undercutters(self.graph, reason) if undec(u)]
                if cutters:
                    return (
                        f"the step from {self.reason_name(reason)} is undercut by "
                        f"{self.number(cutters[0])}, which is undecided"
                    )
        attackers = [a for a in _rebutters(self.graph, node_id) if undec(a)]
        if attackers:
            return f"attacked by {self.number(attackers[0])}, which is undecided"
        return "undecided"

    def grounded_undec(self, argument: str) -> bool:
        return self.grounded[argument] == Label.UNDEC


def _cycles(
    af: _af.Framework, grounded: Mapping[str, Label], statements: int
) -> dict[str, tuple[str, ...]]:
    """For each argument on an attack cycle among grounded-UNDEC arguments, the statements
    of its cycle in reading order (the first ``statements`` arguments of the framework
    are the statements, in reading order: :func:`_translate`).

    Only the UNDEC part matters: a cycle that grounded resolves explains nothing. The
    members are one tuple shared by the whole cycle, so this is linear in its length.
    """
    undec = [i for i, name in enumerate(af.names) if grounded[name] is Label.UNDEC]
    local = {g: i for i, g in enumerate(undec)}
    successors = [[local[t] for t in af.targets[g] if t in local] for g in undec]
    result: dict[str, tuple[str, ...]] = {}
    for component in _af.strongly_connected(successors):
        if len(component) == 1 and component[0] not in successors[component[0]]:
            continue
        members = sorted(undec[i] for i in component)
        shown = tuple(af.names[g] for g in members if g < statements)
        for g in members:
            result[af.names[g]] = shown
    return result


# --------------------------------------------------------------------------- gradual

DEFAULT_BASE_SCORE = 0.5
TOLERANCE = 1e-9
MAX_ITERATIONS = 10_000


def relation_keys(graph: ArgumentGraph) -> list[str]:
    """The keys :func:`gradual_scores` accepts in ``weights``.

    A named reason is its id; a reason from a statement's own ``supports`` is
    ``PREMISE->CONCLUSION``; an attack or undercut is ``REBUTTAL->TARGET``.
    """
    keys = [_reason_key(r) for r in graph.map.reasons]
    keys += [f"{a.source}->{a.target}" for a in graph.map.attacks]
    return keys


def map_weights(graph: ArgumentGraph) -> dict[str, float]:
    """Weights written in the map: on a ``[reason.ID]``, or on the node whose own
    ``supports``/``attacks``/``undercuts`` they scale."""
    found: dict[str, float] = {}
    for reason in graph.map.reasons:
        own = reason.weight if reason.id is not None else graph.nodes[reason.premises[0]].weight
        if own is not None:
            found[_reason_key(reason)] = own
    for attack in graph.map.attacks:
        attacker = graph.nodes[attack.source].weight
        if attacker is not None:
            found[f"{attack.source}->{attack.target}"] = attacker
    return found


def _reason_key(reason: Reason) -> str:
    return reason.id if reason.id is not None else f"{reason.premises[0]}->{reason.conclusion}"


def _aggregate(values: Iterable[float]) -> float:
    """DF-QuAD's F: 1 - prod(1 - v); 0 for no values."""
    return 1.0 - math.prod(1.0 - v for v in values)


def _combine(base: float, attack: float, support: float) -> float:
    """DF-QuAD's C: move the base score towards 0 or 1 by the net support."""
    if attack >= support:
        return base - base * (attack - support)
    return base + (1.0 - base) * (support - attack)


def gradual_scores(
    graph: ArgumentGraph,
    base_scores: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """DF-QuAD strength of every statement, in reading order (see docs/evaluation.md).

    ``base_scores`` per statement id (default 0.5); ``weights`` per relation key
    (:func:`relation_keys`, default 1) scale what a reason or attacker contributes.
    """
    base = dict.fromkeys(graph.numbers, DEFAULT_BASE_SCORE)
    # From the map: a node's base_score; a statement the author rejects starts from
    # nothing, as it is OUT in the labelling. Arguments given here win.
    for node_id, node in graph.nodes.items():
        if node.base_score is not None:
            base[node_id] = node.base_score
        if node.status == Status.REJECTED:
            base[node_id] = 0.0
    base.update(_checked(base_scores or {}, set(graph.numbers), "base score"))
    given = {**map_weights(graph), **(weights or {})}
    weight = _checked(given, set(relation_keys(graph)), "weight")
    update = _updater(graph, base, weight)
    order = list(graph.numbers)
    index = {n: i for i, n in enumerate(order)}
    influencers = [_influencers(graph, n) for n in order]
    successors: list[list[int]] = [[] for _ in order]
    for target, sources in enumerate(influencers):
        for source in sources:
            successors[index[source]].append(target)
    scores = dict(base)
    for component in reversed(_af.strongly_connected(successors)):
        members = [order[i] for i in component]
        cyclic = len(members) > 1 or members[0] in influencers[component[0]]
        if cyclic:
            _settle(members, scores, update)
        else:
            scores[members[0]] = update(members[0], scores)
    return {n: scores[n] for n in order}


def _checked(values: Mapping[str, float], known: set[str], what: str) -> dict[str, float]:
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{what} given for unknown key(s): {', '.join(unknown)}")
    for key, value in values.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{what} of {key!r} must lie in [0, 1], not {value}")
    return dict(values)


def _influencers(graph: ArgumentGraph, node_id: str) -> list[str]:
    """Statements whose strength the strength of ``node_id`` is computed from."""
    found = list(_rebutters(graph, node_id))
    for reason in graph.reasons_for.get(node_id, ()):
        found += reason.premises
        found += _undercutters(graph, reason)
    return found


def _updater(
    graph: ArgumentGraph, base: Mapping[str, float], weight: Mapping[str, float]
) -> Callable[[str, Mapping[str, float]], float]:
    """The DF-QuAD equation of one statement, given everyone's current scores."""

    def reason_strength(reason: Reason, s: Mapping[str, float]) -> float:
        cut = _aggregate(
            weight.get(f"{u}->{reason.id}", 1.0) * s[u] for u in _undercutters(graph, reason)
        )
        return math.prod(s[p] for p in reason.premises) * (1.0 - cut)

    def update(node_id: str, s: Mapping[str, float]) -> float:
        attack = _aggregate(
            weight.get(f"{a}->{node_id}", 1.0) * s[a] for a in _rebutters(graph, node_id)
        )
        support = _aggregate(
            weight.get(_reason_key(r), 1.0) * reason_strength(r, s)
            for r in graph.reasons_for.get(node_id, ())
        )
        return _combine(base[node_id], attack, support)

    return update


def _settle(
    members: list[str],
    scores: dict[str, float],
    update: Callable[[str, Mapping[str, float]], float],
) -> None:
    """Iterate a cycle's equations to a fixpoint (averaged, so two-cycles cannot oscillate)."""
    for _ in range(MAX_ITERATIONS):
        new = {n: update(n, scores) for n in members}
        if max(abs(new[n] - scores[n]) for n in members) < TOLERANCE:
            scores.update(new)
            return
        for n in members:
            scores[n] = (scores[n] + new[n]) / 2.0
    raise ConvergenceError(
        f"gradual scores of the cycle {', '.join(members)} did not settle "
        f"within {MAX_ITERATIONS} iterations"
    )


# --------------------------------------------------------------------------- checks


def verdict_problems(graph: ArgumentGraph) -> list[Diagnostic]:
    """What ``argmap check`` reports about the evaluation of a well-formed map.

    A status on a statement that has reasons has no effect (AM408, a warning); each
    statement whose label differs from the map's ``[expect]`` table is an error (AM501),
    with the explanation of the label it got.
    """
    argument_map = graph.map
    problems = [
        Diagnostic(
            argument_map.path,
            node.status_position or node.position,
            "AM408",
            f"the status {node.status.value!r} of {node.id!r} has no effect: it has reasons",
            "a status applies to statements taken as given; remove it, or remove the reasons",
            Severity.WARNING,
        )
        for node in graph.ordered_nodes()
        if node.status != Status.ACCEPTED and graph.reasons_for.get(node.id)
    ]
    if not argument_map.expectations:
        return problems
    try:
        evaluation = evaluate(graph, argument_map.expect_semantics)
    except SearchLimitError:
        return [
            *problems,
            Diagnostic(
                argument_map.path,
                argument_map.expectations[0].position,
                "AM502",
                f"the map is too large to evaluate under {argument_map.expect_semantics} semantics",
                'use semantics = "grounded" in [expect], which is always fast',
            ),
        ]
    for expectation in argument_map.expectations:
        got = evaluation.labels[expectation.node]
        if got.value.lower() != expectation.label:
            problems.append(
                Diagnostic(
                    argument_map.path,
                    expectation.position,
                    "AM501",
                    f"{expectation.node!r} ({evaluation.numbers[expectation.node]}) is expected "
                    f"{expectation.label.upper()} but is {got.value.upper()} under "
                    f"{evaluation.semantics.value} semantics: "
                    f"{evaluation.explanations[expectation.node]}",
                    "change the map or the expectation; docs/evaluation.md explains the labels",
                )
            )
    return problems


# --------------------------------------------------------------------------- browser


def browser_model(graph: ArgumentGraph) -> dict[str, object]:
    """What a page's what-if script needs to redo the grounded labelling in the browser.

    ``arguments`` counts the arguments of :func:`translate` without statuses and
    ``attacks`` lists its attacks as ``[attacker, target]`` index pairs; the first
    ``len(statements)`` arguments are the statements, in reading order. Each statement
    gives its id, number, whether it is taken as given (has no reasons: only then does
    a status count), the author's status, and the indices of the rebuttals that attack
    it. A status is added as :func:`translate` adds it: ``rejected`` as a new argument
    attacking the statement; ``questioned`` as a new self-attacking argument that
    attacks the statement and is attacked by the statement's rebutters.
    """
    af = _translate(graph, {})
    index = {name: i for i, name in enumerate(af.names)}
    statements = [
        {
            "id": node_id,
            "number": number,
            "given": not graph.reasons_for.get(node_id),
            "status": graph.nodes[node_id].status.value,
            "rebutters": [index[r] for r in _rebutters(graph, node_id)],
        }
        for node_id, number in graph.numbers.items()
    ]
    attacks = [[a, t] for t, attackers in enumerate(af.attackers) for a in attackers]
    return {"arguments": len(af), "attacks": attacks, "statements": statements}
