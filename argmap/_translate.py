"""A map as a Dung argumentation framework of numbered arguments (docs/evaluation.md,
section 3).

Auxiliary arguments make Dung's rule give the structured behaviour: "no reason of C
holds" attacks C, each reason's step attacks it, "not P" (attacked by P) attacks each
step P is a premise of, undercutters attack the step, and a status the author gives
adds an argument against the statement. Labelling and explaining work on the numbers;
names ("reason:ID", "not:P", ...) are kept for :func:`argmap.evaluate.translate` and
the search of preferred and stable labellings. Auxiliary names contain ":", which no
map id may contain, so they never clash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from argmap import _af
from argmap.graph import ArgumentGraph
from argmap.model import AttackKind, Reason, Status

__all__ = ["Translation", "reason_argument", "translate_map"]


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


@dataclass(frozen=True, slots=True)
class Translation:
    """The framework of a map as lists indexed by argument number, and where each part
    of the map went in it: labelling and explaining read these numbers, not names.

    The first ``statements`` arguments are the statements, in reading order. A
    statement's reasons are ``steps[first_step[x]:]``, one per reason, in the order of
    ``graph.reasons_for``; ``cutters`` holds the undercutting statements of each of
    those steps, ``rebutters[x]`` the statements rebutting ``x``, ``noreason[x]`` the
    argument "no reason of x holds" (-1 without reasons). ``attackers`` and ``targets``
    may repeat an attack when the map does (only an unvalidated map can);
    :meth:`framework` drops repeats as :func:`_af.indexed` does.
    """

    names: list[str]
    attackers: list[list[int]]
    targets: list[list[int]]
    statements: int
    index: dict[str, int]  # statement id -> number
    noreason: list[int]
    first_step: list[int]
    steps: list[int]
    cutters: list[tuple[int, ...]]
    rebutters: list[tuple[int, ...]]

    def framework(self) -> _af.Framework:
        """The same framework, named and without repeated attacks (first seen kept)."""
        return _af.Framework(
            tuple(self.names),
            tuple(tuple(dict.fromkeys(a)) for a in self.attackers),
            tuple(tuple(dict.fromkeys(t)) for t in self.targets),
        )


def translate_map(graph: ArgumentGraph, effective: Mapping[str, Status]) -> Translation:
    """The map as a framework, given the statuses that take effect."""
    # Arguments are numbered as they are first met (the statements first, in reading
    # order, then the auxiliary ones statement by statement) and each attack goes
    # straight into the attacker and target lists: no names are looked up afterwards.
    names = list(graph.numbers)
    n = len(names)
    index = dict(zip(names, range(n), strict=True))
    attackers: list[list[int]] = [[] for _ in range(n)]
    targets: list[list[int]] = [[] for _ in range(n)]
    new_attackers, new_targets, new_name = attackers.append, targets.append, names.append
    negation = [-1] * n  # "not:P" of each statement P, made when P is first a premise
    noreason = [-1] * n
    first_step = [0] * n
    steps: list[int] = []
    cutters: list[tuple[int, ...]] = []
    rebutters: list[tuple[int, ...]] = [()] * n
    step_of: dict[str, int] = {}  # reason argument name -> number (a repeated reason shares)
    attacks_on, reasons_for = graph.attacks_on, graph.reasons_for
    rebut, no_cutters = AttackKind.REBUT, ()
    # Statements taken as given that nothing attacks get no auxiliary argument and no
    # attack (most premises): only the others are visited, in reading order.
    busy = (reasons_for.keys() | attacks_on.keys() | effective.keys()) & index.keys()
    for x in sorted(map(index.__getitem__, busy)):
        node_id = names[x]
        on = attacks_on.get(node_id)
        rebutting = tuple(index[a.source] for a in on if a.kind is rebut) if on else no_cutters
        rebutters[x] = rebutting
        if effective:
            status = effective.get(node_id, Status.ACCEPTED)
            if status != Status.ACCEPTED:
                aux = len(names)
                new_name(_status_argument(node_id, status))
                new_attackers([])
                new_targets([x])
                attackers[x].append(aux)
                if status == Status.QUESTIONED:
                    # self-attacking, so never IN; also defeated by whatever defeats the
                    # statement, so that a questioned statement that falls anyway does not
                    # rule out stable labellings (grounded and preferred are unaffected)
                    attackers[aux].append(aux)
                    targets[aux].append(aux)
                    for r in rebutting:
                        attackers[aux].append(r)
                        targets[r].append(aux)
        reasons = reasons_for.get(node_id)
        if reasons:
            none = len(names)
            new_name(_noreason(node_id))
            none_attackers: list[int] = []
            new_attackers(none_attackers)
            new_targets([x])
            attackers[x].append(none)
            noreason[x] = none
            first_step[x] = len(steps)
            for reason in reasons:
                rid = reason.id
                name = f"reason:{rid}" if rid is not None else reason_argument(reason)
                step = step_of.get(name, -1)
                if step < 0:
                    step = step_of[name] = len(names)
                    new_name(name)
                    new_attackers([])
                    new_targets([])
                steps.append(step)
                none_attackers.append(step)
                targets[step].append(none)
                step_attackers = attackers[step]
                for premise in reason.premises:
                    p = index[premise]
                    neg = negation[p]
                    if neg < 0:
                        neg = negation[p] = len(names)
                        new_name(_not(premise))
                        new_attackers([p])
                        new_targets([])
                        targets[p].append(neg)
                    step_attackers.append(neg)
                    targets[neg].append(step)
                undercut = attacks_on.get(rid) if rid is not None else None
                if undercut:
                    cut = tuple(index[a.source] for a in undercut)
                    for u in cut:
                        step_attackers.append(u)
                        targets[u].append(step)
                    cutters.append(cut)
                else:
                    cutters.append(no_cutters)
        if rebutting:
            attackers[x].extend(rebutting)
            for r in rebutting:
                targets[r].append(x)
    return Translation(
        names, attackers, targets, n, index, noreason, first_step, steps, cutters, rebutters
    )
