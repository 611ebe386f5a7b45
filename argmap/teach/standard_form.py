"""The argument of a map in standard form, and discussion questions about its structure.

Standard form is how a textbook writes an argument: numbered premises (1), (2), a line,
then the conclusion (3). Here every statement that has reasons gets one argument: its
reasons in outline order, the premises of a linked reason kept together, the undercuts
of a reason marked at it, and each reason its own inference ("(1) so (3)", "(2) so (3)").
The arguments come in the order a textbook builds a complex argument, each sub-argument
before the argument that uses its conclusion, and every statement is numbered once, at
its first appearance: a later argument refers to it by its number. Objections
(rebuttals) are listed against what they attack, replies to objections included.
Statements also carry the labels of :mod:`argmap.analysis.graph` (C1, P1, R1), the labels
in the diagram.

Everything here is a pure function of an :class:`~argmap.analysis.graph.ArgumentGraph`; blanked
statements are only marked (``blank``), the view decides what to print for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass

from argmap.analysis.graph import ArgumentGraph
from argmap.model import AttackKind, Node, NodeKind, Reason
from argmap.model.mapformat import KINDS

KIND_NAMES = {kind: spec.label for kind, spec in KINDS.items()}

MAX_ATTACK_QUESTIONS = 4
MAX_LINK_QUESTIONS = 3
MAX_UNDERCUT_QUESTIONS = 2


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement as the standard form shows it."""

    id: str
    number: str
    kind: str
    text: str  # Markdown as the author wrote it
    paragraph: int | None
    blank: bool
    is_thesis: bool
    attacked_by: tuple[str, ...]  # numbers of the rebuttals attacking it


@dataclass(frozen=True, slots=True)
class ReasonForm:
    """One reason in an argument: a single premise, or linked premises kept together."""

    premises: tuple[Statement, ...]
    linked: bool
    undercut_by: tuple[str, ...]  # numbers of the rebuttals undercutting this step
    steps: tuple[int, ...] = ()  # the premises' numbers in the standard form: (1), (2)


@dataclass(frozen=True, slots=True)
class Line:
    """A numbered line of an argument: ``(step) statement``; ``again`` when the statement
    was written out earlier (as the conclusion of a sub-argument) and is only referred to."""

    step: int
    statement: Statement
    again: bool


@dataclass(frozen=True, slots=True)
class Argument:
    conclusion: Statement
    reasons: tuple[ReasonForm, ...]
    lines: tuple[Line, ...] = ()  # the premises, each once, in order
    step: int = 0  # the conclusion's number


@dataclass(frozen=True, slots=True)
class Objection:
    """A rebuttal against what it attacks: a statement, or the step of a reason."""

    rebuttal: Statement
    kind: str  # "attacks", "undercuts" or "replies to"
    target: str  # "C1", or "the step from P2 + P3 to C1"


@dataclass(frozen=True, slots=True)
class StandardForm:
    arguments: tuple[Argument, ...]
    objections: tuple[Objection, ...]
    unconnected: tuple[Statement, ...]  # statements in no argument and no objection

    def numbers(self) -> set[str]:
        """Every statement number that appears somewhere in the standard form."""
        found = {s.number for s in self.unconnected}
        for argument in self.arguments:
            found.add(argument.conclusion.number)
            for reason in argument.reasons:
                found.update(p.number for p in reason.premises)
        found.update(o.rebuttal.number for o in self.objections)
        return found


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    answer: str | None  # for the answer key; None for open questions
    about: str | None = None  # the number of the statement an author's question is about


def statement(graph: ArgumentGraph, node: Node, blanks: Collection[str] = ()) -> Statement:
    return Statement(
        id=node.id,
        number=graph.numbers[node.id],
        kind=KIND_NAMES[node.kind],
        text=node.text,
        paragraph=node.quote.paragraph if node.quote is not None else None,
        blank=node.id in blanks,
        is_thesis=node.id == graph.map.thesis,
        attacked_by=tuple(
            graph.numbers[a.source]
            for a in graph.attacks_on.get(node.id, ())
            if a.kind is AttackKind.REBUT
        ),
    )


def step_name(graph: ArgumentGraph, reason: Reason) -> str:
    """'the step from P2 + P3 to C1': how a reason is named in the handout."""
    premises = " + ".join(graph.numbers[p] for p in reason.premises)
    return f"the step from {premises} to {graph.numbers[reason.conclusion]}"


def _argument_order(graph: ArgumentGraph) -> list[str]:
    """The statements with reasons, each after the sub-arguments for its premises (a
    depth-first walk from the thesis, then from the others in reading order)."""
    order: list[str] = []
    seen: set[str] = set()
    for root in [graph.map.thesis, *graph.numbers]:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node_id, done = stack.pop()
            if done:
                if graph.reasons_for.get(node_id):
                    order.append(node_id)
                continue
            if node_id in seen or node_id not in graph.nodes:
                continue
            seen.add(node_id)
            stack.append((node_id, True))
            premises = [p for r in graph.reasons_for.get(node_id, ()) for p in r.premises]
            stack.extend((p, False) for p in reversed(premises))
    return order


def standard_form(graph: ArgumentGraph, blanks: Collection[str] = ()) -> StandardForm:
    """Arguments for every supported statement, objections, and what is left over."""
    order = list(graph.numbers)  # node ids in reading order
    arguments = []
    placed: set[str] = set()
    steps: dict[str, int] = {}  # node id -> its number in the standard form

    def number(node_id: str) -> tuple[int, bool]:
        """The statement's number, and whether it had one already."""
        if node_id in steps:
            return steps[node_id], True
        steps[node_id] = len(steps) + 1
        return steps[node_id], False

    for node_id in _argument_order(graph):
        reasons = graph.reasons_for[node_id]
        forms = []
        lines: list[Line] = []
        for reason in reasons:
            undercuts: tuple[str, ...] = ()
            if reason.id is not None:
                undercuts = tuple(
                    graph.numbers[a.source] for a in graph.attacks_on.get(reason.id, ())
                )
            premises = tuple(statement(graph, graph.nodes[p], blanks) for p in reason.premises)
            numbered = []
            for premise in premises:
                listed = next((line for line in lines if line.statement.id == premise.id), None)
                if listed is None:
                    step, again = number(premise.id)
                    listed = Line(step, premise, again)
                    lines.append(listed)
                numbered.append(listed.step)
            forms.append(ReasonForm(premises, reason.linked, undercuts, tuple(numbered)))
            placed.update(reason.premises)
        step, _ = number(node_id)
        conclusion = statement(graph, graph.nodes[node_id], blanks)
        arguments.append(Argument(conclusion, tuple(forms), tuple(lines), step))
        placed.add(node_id)
    objections = []
    for node_id in order:
        for attack in graph.attacks_by.get(node_id, ()):
            rebuttal = statement(graph, graph.nodes[node_id], blanks)
            if attack.kind is AttackKind.UNDERCUT:
                reason = graph.reasons_by_id[attack.target]
                objections.append(Objection(rebuttal, "undercuts", step_name(graph, reason)))
            else:
                target = graph.nodes[attack.target]
                kind = "replies to" if target.kind is NodeKind.REBUTTAL else "attacks"
                objections.append(Objection(rebuttal, kind, graph.numbers[target.id]))
            placed.add(node_id)
    unconnected = tuple(
        statement(graph, graph.nodes[node_id], blanks) for node_id in order if node_id not in placed
    )
    return StandardForm(tuple(arguments), tuple(objections), unconnected)


def generated_questions(graph: ArgumentGraph) -> list[Question]:
    """Questions about the map's structure, with their answers where there is one."""
    numbers = graph.numbers
    order = list(numbers)
    attack_questions = []
    for node_id in order:
        for attack in graph.attacks_by.get(node_id, ()):
            if attack.kind is AttackKind.UNDERCUT:
                continue
            target = graph.nodes[attack.target]
            source = numbers[node_id]
            if target.kind is NodeKind.REBUTTAL:
                text = f"{source} is a reply. Which objection does {source} answer?"
            else:
                text = f"Which {KIND_NAMES[target.kind]} does {source} attack?"
            attack_questions.append(Question(text, numbers[target.id]))

    link_questions = []
    for node_id in order:
        reasons = graph.reasons_for.get(node_id, ())
        conclusion = numbers[node_id]
        for reason in reasons:
            if reason.linked:
                names = _and([numbers[p] for p in reason.premises])
                link_questions.append(
                    Question(
                        f"Are {names} a linked or an independent reason for {conclusion}?",
                        f"linked: they support {conclusion} only together",
                    )
                )
        singles = [r.premises[0] for r in reasons if not r.linked]
        for first, second in itertools.islice(itertools.combinations(singles, 2), 1):
            link_questions.append(
                Question(
                    f"Are {numbers[first]} and {numbers[second]} a linked or an independent "
                    f"reason for {conclusion}?",
                    f"independent: each supports {conclusion} on its own",
                )
            )

    undercut_questions = []
    for reason in graph.map.reasons:
        for attack in graph.attacks_on.get(reason.id or "", ()):
            undercut_questions.append(
                Question(
                    f"{numbers[attack.source]} attacks neither a premise nor a conclusion. "
                    "What does it attack?",
                    step_name(graph, reason),
                )
            )
    for node_id in order:
        if graph.reasons_for.get(node_id) and not any(
            graph.attacks_on.get(r.id or "") for r in graph.reasons_for[node_id]
        ):
            undercut_questions.append(
                Question(f"What would undercut the step to {numbers[node_id]}?", None)
            )
    return [
        *attack_questions[:MAX_ATTACK_QUESTIONS],
        *link_questions[:MAX_LINK_QUESTIONS],
        *undercut_questions[:MAX_UNDERCUT_QUESTIONS],
    ]


def author_questions(graph: ArgumentGraph) -> list[Question]:
    """The ``questions`` the author wrote: the map's first, then each node's in order."""
    found = [Question(text, None) for text in graph.map.questions]
    for node in graph.ordered_nodes():
        found += [Question(text, None, graph.numbers[node.id]) for text in node.questions]
    return found


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
