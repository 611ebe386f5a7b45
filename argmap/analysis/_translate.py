"""A map as a Dung argumentation framework of numbered arguments (docs/evaluation.md,
section 3).

Auxiliary arguments make Dung's rule give the structured behaviour: "no reason of C
holds" attacks C, each reason's step attacks it, "not P" (attacked by P) attacks each
step P is a premise of, undercutters attack the step, and a status the author gives
adds an argument against the statement. Labelling and explaining work on the numbers;
names ("reason:ID", "not:P", ...) are kept for :func:`argmap.analysis.evaluate.translate` and
the search of preferred and stable labellings. Auxiliary names contain ":", which no
map id may contain, so they never clash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress

from argmap.analysis import _af
from argmap.analysis.graph import ArgumentGraph
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

    The first ``len(statements)`` arguments are the statements (their ids, in reading
    order). A statement's reasons are ``steps[first_step[x]:]``, one per reason, in
    the order of ``graph.reasons_for``; ``cutters`` holds the undercutting statements
    of each of those steps, ``rebutters[x]`` the statements rebutting ``x``,
    ``noreason[x]`` the argument "no reason of x holds" and ``negation[x]`` the
    argument "not x" (-1 when there is none), ``status[x]`` the argument of the
    author's status of ``x``, if any. ``targets`` lists what each argument attacks and
    ``attacked`` counts its attackers: all the grounded labelling needs. Both may count
    an attack twice when the map repeats it (only an unvalidated map can);
    :meth:`framework` lists the attackers too, drops repeats as :func:`_af.indexed`
    does, and names the arguments.
    """

    statements: list[str]
    attacked: list[int]
    targets: list[list[int]]
    index: dict[str, int]  # statement id -> number
    noreason: list[int]
    negation: list[int]
    status: dict[int, tuple[int, Status]]
    first_step: list[int]
    steps: list[int]
    cutters: list[tuple[int, ...]]
    rebutters: list[tuple[int, ...]]
    reasons: Mapping[str, tuple[Reason, ...]]

    def names(self) -> list[str]:
        """The name of every argument, by number."""
        names = self.statements + [""] * (len(self.targets) - len(self.statements))
        for x, node_id in enumerate(self.statements):
            if self.negation[x] >= 0:
                names[self.negation[x]] = _not(node_id)
            if self.noreason[x] >= 0:
                names[self.noreason[x]] = _noreason(node_id)
                first = self.first_step[x]
                for k, reason in enumerate(self.reasons[node_id], first):
                    names[self.steps[k]] = reason_argument(reason)
        for x, (argument, status) in self.status.items():
            names[argument] = _status_argument(self.statements[x], status)
        return names

    def attackers(self) -> list[list[int]]:
        """The attackers of every argument, in the order :func:`translate_map` meets
        the attacks."""
        attackers: list[list[int]] = [[] for _ in self.targets]
        index, negation, steps, cutters = self.index, self.negation, self.steps, self.cutters
        for x, node_id in enumerate(self.statements):
            own = attackers[x]
            if x in self.status:
                aux, status = self.status[x]
                own.append(aux)
                if status == Status.QUESTIONED:
                    attackers[aux] += [aux, *self.rebutters[x]]
            none = self.noreason[x]
            if none >= 0:
                own.append(none)
                for k, reason in enumerate(self.reasons[node_id], self.first_step[x]):
                    attackers[none].append(steps[k])
                    attackers[steps[k]] += [negation[index[p]] for p in reason.premises]
                    attackers[steps[k]] += cutters[k]
            own += self.rebutters[x]
            if negation[x] >= 0:
                attackers[negation[x]].append(x)
        return attackers

    def framework(self) -> _af.Framework:
        """The same framework, named and without repeated attacks (first seen kept)."""
        return _af.Framework(
            tuple(self.names()),
            tuple(tuple(dict.fromkeys(a)) for a in self.attackers()),
            tuple(tuple(dict.fromkeys(t)) for t in self.targets),
        )


def translate_map(graph: ArgumentGraph, effective: Mapping[str, Status]) -> Translation:
    """The map as a framework, given the statuses that take effect."""
    # Arguments are numbered as they are first met (the statements first, in reading
    # order, then the auxiliary ones statement by statement) and each attack goes
    # straight into the target lists and attacker counts; the attacker lists and names
    # are made only when asked for (Translation.framework).
    statements = list(graph.numbers)
    n = len(statements)
    index = dict(zip(statements, range(n), strict=True))
    attacked = [0] * n
    targets: list[list[int]] = [[] for _ in range(n)]
    new_attacked, new_targets = attacked.append, targets.append
    size = n  # arguments so far
    negation = [-1] * n  # "not:P" of each statement P, made when P is first a premise
    noreason = [-1] * n
    status_of: dict[int, tuple[int, Status]] = {}
    first_step = [0] * n
    steps: list[int] = []
    add_step = steps.append
    cutters: list[tuple[int, ...]] = []
    add_cutters = cutters.append
    rebutters: list[tuple[int, ...]] = [()] * n
    # a reason met again (only in an unvalidated map) shares its argument, as its name
    # reason:ID or reason:PREMISE>CONCLUSION would
    step_of: dict[object, int] = {}
    attacks_on, reasons_for = graph.attacks_on, graph.reasons_for
    rebut, none_cut = AttackKind.REBUT, ()
    # Statements taken as given that nothing attacks get no auxiliary argument and no
    # attack (most premises): only the others are visited, in reading order.
    busy = reasons_for.keys() | attacks_on.keys() | effective.keys()
    for x in compress(range(n), map(busy.__contains__, statements)):
        node_id = statements[x]
        on = attacks_on.get(node_id)
        rebutting = tuple([index[a.source] for a in on if a.kind is rebut]) if on else none_cut
        rebutters[x] = rebutting
        if effective:
            status = effective.get(node_id, Status.ACCEPTED)
            if status != Status.ACCEPTED:
                aux = size
                size += 1
                status_of[x] = (aux, status)
                new_targets([x])
                attacked[x] += 1
                if status == Status.QUESTIONED:
                    # self-attacking, so never IN; also defeated by whatever defeats the
                    # statement, so that a questioned statement that falls anyway does not
                    # rule out stable labellings (grounded and preferred are unaffected)
                    new_attacked(1 + len(rebutting))
                    targets[aux].append(aux)
                    for r in rebutting:
                        targets[r].append(aux)
                else:
                    new_attacked(0)
        reasons = reasons_for.get(node_id)
        if reasons:
            none = noreason[x] = size
            size += 1
            new_attacked(len(reasons))
            new_targets([x])
            attacked[x] += 1
            first_step[x] = len(steps)
            for reason in reasons:
                rid = reason.id
                premises = reason.premises
                key = rid if rid is not None else (premises[0], reason.conclusion)
                step = step_of.get(key, -1)
                if step < 0:
                    step = step_of[key] = size
                    size += 1
                    new_attacked(len(premises))
                    new_targets([none])
                else:
                    attacked[step] += len(premises)
                    targets[step].append(none)
                add_step(step)
                for premise in premises:
                    p = index[premise]
                    neg = negation[p]
                    if neg < 0:
                        neg = negation[p] = size
                        size += 1
                        new_attacked(1)
                        new_targets([step])
                        targets[p].append(neg)
                    else:
                        targets[neg].append(step)
                undercut = attacks_on.get(rid) if rid is not None else None
                if undercut:
                    cut = tuple([index[a.source] for a in undercut])
                    attacked[step] += len(cut)
                    for u in cut:
                        targets[u].append(step)
                    add_cutters(cut)
                else:
                    add_cutters(none_cut)
        if rebutting:
            attacked[x] += len(rebutting)
            for r in rebutting:
                targets[r].append(x)
    return Translation(
        statements,
        attacked,
        targets,
        index,
        noreason,
        negation,
        status_of,
        first_step,
        steps,
        cutters,
        rebutters,
        reasons_for,
    )
