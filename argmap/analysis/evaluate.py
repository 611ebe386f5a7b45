"""Which statements of a map stand, which fall, and why.

The map is translated into a Dung argumentation framework whose extra (auxiliary)
arguments make Dung's rule ("IN when every attacker is OUT, OUT when some attacker is
IN") give the intended structured behaviour: a statement with reasons needs one reason
that holds, a linked reason needs all its premises, an undercut knocks out a reason,
and the author's status settles statements taken as given. :mod:`argmap.analysis._af` labels
that framework; this module maps the labels back onto the statements and explains each
label from the structure. :func:`gradual_scores` is the numeric alternative (DF-QuAD).
docs/evaluation.md states the semantics precisely.
"""

from __future__ import annotations

import enum
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter

from argmap._gc import collector_paused
from argmap.analysis import _af
from argmap.analysis._af import Label, SearchLimitError
from argmap.analysis._explain import BY_CODE, Explainer, summary
from argmap.analysis._translate import translate_map
from argmap.analysis.graph import ArgumentGraph
from argmap.diagnostics import Diagnostic, Severity
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


_translate = translate_map  # the step tests watch (tests/test_gc.py)


class Semantics(enum.StrEnum):
    GROUNDED = "grounded"
    PREFERRED = "preferred"
    STABLE = "stable"


class ConvergenceError(RuntimeError):
    """Raised when the gradual scores of an attack cycle do not settle."""


# --------------------------------------------------------------------------- translation


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
    return _translate(graph, _effective_statuses(graph, statuses)[0]).framework()


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
        written = list(map(attrgetter("status"), graph.nodes.values()))
        statuses = dict(
            compress(zip(graph.nodes, written, strict=True), map(Status.ACCEPTED.__ne__, written))
        )
    effective, ignored = _effective_statuses(graph, statuses)
    translation = _translate(graph, effective)
    grounded = _af.label_grounded(translation.attacked, translation.targets)
    sets: list[frozenset[Label]]
    if semantics == Semantics.GROUNDED:
        sets = list(map(BY_CODE.__getitem__, grounded))  # one set per label, shared
        count, unsettled = 1, frozenset[str]()
        stable: bool | None = True if _af.UNDEC_CODE not in grounded else None
    else:
        af = translation.framework()
        result = _af.acceptance(af, semantics.value, max_steps)
        sets = [result.labels[name] for name in af.names]
        count, unsettled = result.count, result.unsettled
        stable = result.stable_exists
    explainer = Explainer(graph, translation, grounded, sets, semantics.value, effective, unsettled)
    statements = translation.statements
    head = sets[: len(statements)]
    # map over C functions rather than a loop: this runs once per statement
    labels = dict(zip(statements, map(summary, head, repeat(Label.UNDEC)), strict=True))
    credulous = frozenset(compress(statements, map(operator.contains, head, repeat(Label.IN))))
    contested = frozenset[str]()  # grounded gives one label each: credulously IN is IN
    if semantics != Semantics.GROUNDED:
        contested = frozenset(n for n in credulous if labels[n] != Label.IN)
    return Evaluation(
        semantics=semantics,
        labels=labels,
        explanations=dict(zip(statements, explainer.explain_all(), strict=True)),
        numbers=dict(graph.numbers),
        credulous=credulous,
        contested=contested,
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
    translation = _translate(graph, {})
    statements = [
        {
            "id": node_id,
            "number": number,
            "given": not graph.reasons_for.get(node_id),
            "status": graph.nodes[node_id].status.value,
            "rebutters": list(rebutters),
        }
        for (node_id, number), rebutters in zip(
            graph.numbers.items(), translation.rebutters, strict=True
        )
    ]
    af = translation.framework()
    attacks = [[a, t] for t, attackers in enumerate(af.attackers) for a in attackers]
    return {"arguments": len(af), "attacks": attacks, "statements": statements}
