"""The one-line reason for each statement's label (:func:`argmap.analysis.evaluate.evaluate`).

Nothing here decides a label: the explanations read the labels already computed for
the statement's attackers, reasons, premises and undercutters, and the attack cycles
among what grounded left UNDEC. Everything is looked up by argument number in the
:class:`~argmap.analysis._translate.Translation`, so explaining a large map costs a few list
lookups per statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from itertools import compress

from argmap.analysis import _af
from argmap.analysis._af import Label
from argmap.analysis._translate import Translation
from argmap.analysis.graph import ArgumentGraph
from argmap.model import AttackKind, Reason, Status

LISTED = 5  # statements an explanation names at most; more are counted

_ONLY_IN = frozenset({Label.IN})
_ONLY_OUT = frozenset({Label.OUT})
_SETTLED = {_ONLY_IN: Label.IN, _ONLY_OUT: Label.OUT}  # frozensets keep their hash
# the grounded label of each code of _af.label_grounded, as a set of labels
BY_CODE = {
    _af.IN_CODE: _ONLY_IN,
    _af.OUT_CODE: _ONLY_OUT,
    _af.UNDEC_CODE: frozenset({Label.UNDEC}),
}


# summary(labels, Label.UNDEC): IN or OUT when every labelling agrees, else UNDEC
summary = _SETTLED.get


def _join(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


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


class Explainer:
    """Builds each statement's explanation from the labels and the structure.

    ``grounded`` holds the grounded label code of every argument and ``sets`` the set
    of labels each argument takes under ``semantics`` (one label for grounded).
    ``statuses`` are those that take effect; ``unsettled`` the statements of the parts
    of the map that have no labelling at all (stable).
    """

    def __init__(
        self,
        graph: ArgumentGraph,
        translation: Translation,
        grounded: Sequence[int],
        sets: Sequence[frozenset[Label]],
        semantics: str,
        statuses: Mapping[str, Status],
        unsettled: frozenset[str],
    ) -> None:
        self.reasons_for = graph.reasons_for
        self.number_of = graph.numbers  # statement id -> number
        self.numbers = list(graph.numbers.values())  # by statement argument
        self.t = translation
        self.statements = translation.statements
        self.grounded = grounded
        self.sets = sets
        self.semantics = semantics
        self.every = f"in every {semantics} labelling"
        self.statuses = statuses
        self.unsettled = unsettled
        self.cycles = cycles(translation, grounded)
        self._no_stable: str | None = None

    # -- small lookups

    def listed(self, arguments: Sequence[int], word: str = "and") -> str:
        """The numbers of the statements ``arguments``, the first few of a long list and
        a count."""
        numbers = self.numbers
        return _join_capped([numbers[a] for a in arguments[:LISTED]], len(arguments), word)

    def reason_name(self, reason: Reason) -> str:
        premises, number_of = reason.premises, self.number_of
        if len(premises) == 1:
            return number_of[premises[0]]
        return "+".join([number_of[p] for p in premises])

    def status(self, node_id: str) -> Status:
        return self.statuses.get(node_id, Status.ACCEPTED)

    def reasons(self, x: int) -> tuple[tuple[Reason, ...], int]:
        """The reasons of statement ``x`` and where their steps start in the translation."""
        return self.reasons_for.get(self.statements[x], ()), self.t.first_step[x]

    # -- per label

    def explain_all(self) -> list[str]:
        """The explanation of every statement, in reading order."""
        sets, noreason, rebutters, explain = (
            self.sets,
            self.t.noreason,
            self.t.rebutters,
            self.explain,
        )
        given = "IN: accepted as given, no attacker"  # most premises: no call needed
        return [
            given if noreason[x] < 0 and not rebutters[x] and sets[x] == _ONLY_IN else explain(x)
            for x in range(len(self.statements))
        ]

    def explain(self, x: int) -> str:
        """The explanation of statement number ``x``, its label first."""
        labels = self.sets[x]
        if labels == _ONLY_IN:
            return "IN: " + self._why_in(x)
        if labels == _ONLY_OUT:
            return "OUT: " + self._why_out(x)
        return "UNDEC: " + self._why_undec(x, labels)

    def _why_in(self, x: int) -> str:
        reasons = self.reasons_for.get(self.statements[x], ())
        first = self.t.first_step[x]
        attackers = self.t.rebutters[x]
        if not reasons:
            if not attackers:
                return "accepted as given, no attacker"
            head = "accepted as given"
        else:
            sets, steps, cutters = self.sets, self.t.steps, self.t.cutters
            holding = [k for k in range(first, first + len(reasons)) if sets[steps[k]] == _ONLY_IN]
            if holding:
                shown = []
                for k in holding[:2]:
                    premises = reasons[k - first].premises
                    if len(premises) == 1 and not cutters[k]:  # the usual: say it directly
                        shown.append(self.number_of[premises[0]] + " (IN)")
                    else:
                        shown.append(self._holding_reason(reasons[k - first], cutters[k]))
                if len(holding) > 2:
                    more = len(holding) - 2
                    shown.append(
                        "1 more reason that holds" if more == 1 else f"{more} more that hold"
                    )
                head = "supported by " + _join(shown)
            else:
                some = [r for k, r in enumerate(reasons, first) if Label.IN in sets[steps[k]]]
                names = _join_capped([self.reason_name(r) for r in some[:LISTED]], len(some), "or")
                head = f"{self.every} one of its reasons holds ({names})"
            if not attackers:
                return f"{head}, no attacker"
        verb = "is" if len(attackers) == 1 else "are"
        return f"{head}, no standing attacker ({self.listed(attackers)} {verb} OUT)"

    def _holding_reason(self, reason: Reason, undercutters: tuple[int, ...]) -> str:
        premises = self.reason_name(reason)
        count = len(reason.premises)
        state = "IN" if count == 1 else "both IN" if count == 2 else "all IN"
        if undercutters:
            verb = "which is" if len(undercutters) == 1 else "which are"
            state += f"; undercut by {self.listed(undercutters)}, {verb} OUT"
        return f"{premises} ({state})"

    def _why_out(self, x: int) -> str:
        reasons, first = self.reasons(x)
        if not reasons and self.status(self.statements[x]) == Status.REJECTED:
            return "rejected by the author"
        sets = self.sets
        attackers = self.t.rebutters[x]
        standing = [a for a in attackers if sets[a] == _ONLY_IN]
        if standing:
            verb = "which stands" if len(standing) == 1 else "which stand"
            return f"rebutted by {self.listed(standing)}, {verb}"
        noreason = self.t.noreason[x]
        if reasons and sets[noreason] == _ONLY_IN:
            cutters = self.t.cutters
            failing = [self._failing_reason(r, cutters[k]) for k, r in enumerate(reasons, first)]
            return f"no reason holds ({'; '.join(failing)})"
        culprits = [a for a in attackers if Label.IN in sets[a]]
        parts = [f"{self.listed(culprits, 'or')} stands"] if culprits else []
        if reasons and Label.IN in sets[noreason]:
            parts.append("no reason holds")
        return f"defeated {self.every} ({' or '.join(parts)})"

    def _failing_reason(self, reason: Reason, undercutters: tuple[int, ...]) -> str:
        name = self.reason_name(reason)
        sets, index = self.sets, self.t.index
        out = [i for i in (index[p] for p in reason.premises) if sets[i] == _ONLY_OUT]
        if out:
            verb = "is" if len(out) == 1 else "are"
            if not reason.linked:
                return f"{name} is OUT"
            return f"{name} fails as {self.listed(out)} {verb} OUT"
        cutters = [u for u in undercutters if sets[u] == _ONLY_IN]
        if cutters:
            verb = "which stands" if len(cutters) == 1 else "which stand"
            return f"the step from {name} is undercut by {self.listed(cutters)}, {verb}"
        return f"{name} fails {self.every}"

    def _why_undec(self, x: int, labels: frozenset[Label]) -> str:
        if not labels:
            return "no stable labelling exists " + self._why_no_stable()
        cause = self._cause(x)
        sem = self.semantics
        if Label.IN in labels:
            others = _join(
                ["OUT" if v == Label.OUT else "undecided" for v in sorted(labels - {Label.IN})],
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
            statements = self.statements
            stuck = [x for x, n in enumerate(statements) if n in self.unsettled]
            questioned = [x for x in stuck if self.status(statements[x]) == Status.QUESTIONED]
            if questioned:
                verb = "is" if len(questioned) == 1 else "are"
                self._no_stable = (
                    f"({self.listed(questioned)} {verb} questioned, "
                    "and a stable labelling leaves nothing undecided)"
                )
            else:
                self._no_stable = f"({self.listed(stuck)} cannot be settled either way)"
        return self._no_stable

    def _cause(self, x: int) -> str:
        """Why grounded leaves a statement undecided, read off the grounded labels."""
        if self.status(self.statements[x]) == Status.QUESTIONED:
            return "questioned, and nothing supports it"
        members = self.cycles.get(x)
        if members is not None:  # statements, in reading order, x among them
            if len(members) > 1:
                first = [m for m in members[: LISTED + 1] if m != x]
                others = _join_capped([self.numbers[m] for m in first[:LISTED]], len(members) - 1)
                return f"in an attack cycle with {others}"
            return "in a cycle through its own support"
        reasons, first_step = self.reasons(x)
        grounded, steps, undec = self.grounded, self.t.steps, _af.UNDEC_CODE
        own = range(first_step, first_step + len(reasons))
        if reasons and not any(grounded[steps[k]] == _af.IN_CODE for k in own):
            index = self.t.index
            for k in own:
                if grounded[steps[k]] != undec:
                    continue
                reason = reasons[k - first_step]
                premises = [p for p in reason.premises if grounded[index[p]] == undec]
                if premises:
                    return f"depends on {self.number_of[premises[0]]}, which is undecided"
                cutters = [u for u in self.t.cutters[k] if grounded[u] == undec]
                if cutters:
                    return (
                        f"the step from {self.reason_name(reason)} is undercut by "
                        f"{self.numbers[cutters[0]]}, which is undecided"
                    )
        attackers = [a for a in self.t.rebutters[x] if grounded[a] == undec]
        if attackers:
            return f"attacked by {self.numbers[attackers[0]]}, which is undecided"
        return "undecided"


def cycles(translation: Translation, grounded: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """For each statement on an attack cycle among grounded-UNDEC arguments, the
    statements of its cycle in reading order (by number).

    Only the UNDEC part matters: a cycle that grounded resolves explains nothing. The
    members are one tuple shared by the whole cycle, so this is linear in its length.
    """
    undec_code = _af.UNDEC_CODE
    if undec_code not in grounded:
        return {}
    undec = list(compress(range(len(grounded)), map(undec_code.__eq__, grounded)))
    local = {g: i for i, g in enumerate(undec)}
    targets = translation.targets
    successors = [[local[t] for t in targets[g] if t in local] for g in undec]
    statements = len(translation.statements)
    result: dict[int, tuple[int, ...]] = {}
    for component in _af.strongly_connected(successors):
        if len(component) == 1 and component[0] not in successors[component[0]]:
            continue
        shown = tuple(sorted(g for g in (undec[i] for i in component) if g < statements))
        for g in shown:
            result[g] = shown
    return result


# -- plain words: what a lay reader is told -----------------------------------------
#
# The labels IN, OUT and UNDEC are exact but read wrong: "OUT" and "falls" sound like
# "false", when a statement is often OUT only because none of its reasons holds. The
# pages, `argmap evaluate` and the handouts take their words from here: a headline per
# statement that says which of the ways to be OUT it is, what was evaluated and on which
# assumptions, and the titles of the groups. The formal label stays beside the words.

SYMBOLS = {Label.IN: "✓", Label.OUT: "✗", Label.UNDEC: "?"}


class Outcome(StrEnum):
    """What a label means for one statement, in words: the three ways to be OUT apart."""

    STANDS = "stands"
    DEFEATED = "defeated"  # attacked by a statement that stands
    UNSUPPORTED = "left without support"  # none of its reasons holds: not "false"
    REJECTED = "rejected by the author"
    UNDECIDED = "undecided"


# What each outcome means, for a legend (in this order).
MEANINGS = {
    Outcome.STANDS: "the map settles it in its favour",
    Outcome.DEFEATED: "a statement that stands attacks it",
    Outcome.UNSUPPORTED: "none of its reasons holds; that does not make it false",
    Outcome.REJECTED: "the author marked it as not accepted",
    Outcome.UNDECIDED: "the map leaves it open, for example two statements attack each other",
}

# The headings of the page's lists of claims and rebuttals, by label.
GROUP_TITLES = {
    Label.IN: "Claims and rebuttals that stand",
    Label.OUT: "Claims and rebuttals that are defeated or left without support",
    Label.UNDEC: "Claims and rebuttals the map leaves undecided",
}
# How many statements have each label, in words: "37 stand (IN)".
COUNT_WORDS = {
    Label.IN: "stand (IN)",
    Label.OUT: "defeated, without support or rejected (OUT)",
    Label.UNDEC: "undecided (UNDEC)",
}
# The formal labels, for those who know them.
FORMAL = (
    "In brackets, the formal label of abstract argumentation: IN (stands), OUT "
    "(defeated, left without support or rejected) or UNDEC (undecided)."
)

_SEMANTICS_WORDS = {
    "grounded": (
        "by grounded semantics, the most cautious reading: a statement stands only when "
        "the map settles it in its favour, and what the map leaves open stays undecided"
    ),
    "preferred": (
        "by preferred semantics: a statement stands when it stands in every coherent "
        "way of reading the map, and is undecided (contested) when only some readings "
        "accept it"
    ),
    "stable": (
        "by stable semantics: a statement stands when it stands in every reading of the "
        "map that settles every statement"
    ),
}


def assumptions(semantics: str) -> str:
    """What was evaluated, and on which assumptions, in one paragraph."""
    return (
        "Worked out from this map alone, if every statement without reasons is accepted "
        "as stated (unless the author questioned or rejected it), "
        f"{_SEMANTICS_WORDS[semantics]}. Nothing outside the map counts, and "
        "“left without support” does not mean false: only that no reason given here holds."
    )


def outcome(graph: ArgumentGraph, labels: Mapping[str, Label], node_id: str) -> Outcome:
    """Which way statement ``node_id`` stands, falls or stays open, read off the labels."""
    label = labels[node_id]
    if label is Label.IN:
        return Outcome.STANDS
    if label is not Label.OUT:
        return Outcome.UNDECIDED
    given = not graph.reasons_for.get(node_id)
    if given and graph.nodes[node_id].status is Status.REJECTED:
        return Outcome.REJECTED
    if given or _standing_rebutters(graph, labels, node_id):
        return Outcome.DEFEATED
    return Outcome.UNSUPPORTED


def _standing_rebutters(
    graph: ArgumentGraph, labels: Mapping[str, Label], node_id: str
) -> list[str]:
    """The numbers of the rebuttals that stand and attack ``node_id``: R1 before R2 (the
    what-if script sorts them the same way)."""
    numbers = graph.numbers
    standing = {
        numbers[a.source]
        for a in graph.attacks_on.get(node_id, ())
        if a.kind is AttackKind.REBUT and labels[a.source] is Label.IN
    }
    return sorted(standing, key=_number_order)


def _number_order(number: str) -> tuple[str, int]:
    """ "R2" before "R10"."""
    digits = number.lstrip("CPRJ")
    return number[: len(number) - len(digits)], int(digits) if digits.isdigit() else 0


def headline(graph: ArgumentGraph, labels: Mapping[str, Label], node_id: str) -> str:
    """The plain words on a statement: "stands", "defeated by R1", "left without
    support", "rejected by the author" or "undecided"."""
    found = outcome(graph, labels, node_id)
    if found is Outcome.DEFEATED:
        standing = _standing_rebutters(graph, labels, node_id)
        if standing:
            return f"defeated by {_join_capped(standing)}"
    return found.value


def badge(graph: ArgumentGraph, labels: Mapping[str, Label], node_id: str) -> str:
    """The headline with its label's symbol (which never relies on colour) and the
    formal label: "✗ defeated by R1 (OUT)"."""
    label = labels[node_id]
    return f"{SYMBOLS[label]} {headline(graph, labels, node_id)} ({label.value})"


# -- plain words: what a statement's box says to a screen reader --------------------


def relations_spoken(graph: ArgumentGraph, node_id: str) -> str:
    """What the arrows of statement ``node_id`` say, as sentences ("Supports C1.
    Attacked by R2."), so that a reader who cannot see the arrows hears them with the
    box; long lists name the first few and count the rest."""
    numbers = graph.numbers
    sentences = []
    for reason in graph.reasons_from.get(node_id, ()):
        target = numbers[reason.conclusion]
        others = [numbers[p] for p in reason.premises if p != node_id]
        if others:
            sentences.append(f"Supports {target} together with {_join_capped(others)}")
        else:
            sentences.append(f"Supports {target}")
    for attack in graph.attacks_by.get(node_id, ()):
        if attack.kind is AttackKind.REBUT:
            sentences.append(f"Attacks {numbers[attack.target]}")
        else:
            step = graph.reasons_by_id[attack.target]
            premises = "+".join(numbers[p] for p in step.premises)
            sentences.append(f"Undercuts the step from {premises} to {numbers[step.conclusion]}")
    reasons = graph.reasons_for.get(node_id, ())
    if reasons:
        names = ["+".join(numbers[p] for p in r.premises) for r in reasons[:LISTED]]
        sentences.append(f"Supported by {_join_capped(names, len(reasons))}")
    attackers = [numbers[a.source] for a in graph.attacks_on.get(node_id, ())[: LISTED + 1]]
    if attackers:
        total = len(graph.attacks_on[node_id])
        sentences.append(f"Attacked by {_join_capped(attackers[:LISTED], total)}")
    return "".join(f"{s}. " for s in sentences).rstrip()


def with_sentences(text: str, sentences: str) -> str:
    """``text`` followed by ``sentences``, with a full stop between them if it lacks one."""
    if not sentences:
        return text
    end = "" if text.rstrip().endswith((".", "!", "?", ":", ";")) else "."
    return f"{text}{end} {sentences}"
