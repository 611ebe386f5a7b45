"""Exercises whose answers are not on the sheet (``argmap handout --exercise``).

One exercise is one :class:`Exercise` in :data:`EXERCISES`: its name, what it asks, which
of the worksheet's usual sections would give its answers away (and so are left out), and
a pure function from the graph to the data its template,
``templates/exercises/NAME.html``, prints on the worksheet and in the key. Several may be
combined; each is a section of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from argmap.analysis.evaluate import Label, evaluate
from argmap.analysis.graph import ArgumentGraph
from argmap.markdown import to_plain
from argmap.model import AttackKind, NodeKind, Status
from argmap.teach.standard_form import KIND_NAMES, step_name

# The worksheet's usual sections an exercise may leave out.
DIAGRAM, FORM, QUESTIONS = "diagram", "form", "questions"


class ExerciseError(ValueError):
    """The exercises asked for cannot be made (argmap.teach.handout reports it as a
    usage error)."""


@dataclass(frozen=True, slots=True)
class Exercise:
    name: str
    summary: str  # one line, for --help and the docs
    hides: frozenset[str]  # the usual sections that would answer it
    data: Callable[[ArgumentGraph], Mapping[str, object]]
    needs: frozenset[str] = frozenset()  # the usual sections it works from

    @property
    def template(self) -> str:
        return f"exercises/{self.name}.html"


def _statements(graph: ArgumentGraph) -> list[tuple[str, str]]:
    return [(graph.numbers[n], to_plain(graph.nodes[n].text)) for n in graph.numbers]


def _label(graph: ArgumentGraph) -> Mapping[str, object]:
    """Each relation as a pair of numbers to label, with its answer for the key."""
    numbers = graph.numbers
    rows: list[tuple[str, str, str]] = []  # from, to, answer
    for reason in graph.map.reasons:
        kind = "supports, linked" if reason.linked else "supports, independent"
        for premise in reason.premises:
            rows.append((numbers[premise], numbers[reason.conclusion], kind))
    for attack in graph.map.attacks:
        if attack.kind is AttackKind.UNDERCUT:
            reason = graph.reasons_by_id[attack.target]
            premises = " + ".join(numbers[p] for p in reason.premises)
            target = f"the step from {premises} to {numbers[reason.conclusion]}"
            rows.append((numbers[attack.source], target, "undercuts"))
        else:
            rows.append((numbers[attack.source], numbers[attack.target], "attacks"))
    order = {number: index for index, number in enumerate(numbers.values())}
    rows.sort(key=lambda row: (order[row[0]], row[1]))
    return {"statements": _statements(graph), "rows": rows}


def _reconstruct(graph: ArgumentGraph) -> Mapping[str, object]:
    """Empty argument frames: as many lines as each argument has premises."""
    frames = []
    for node_id in graph.numbers:
        reasons = graph.reasons_for.get(node_id, ())
        if reasons:
            premises = len({p for r in reasons for p in r.premises})
            frames.append((graph.numbers[node_id], premises))
    return {"frames": frames}


def _diagram(graph: ArgumentGraph) -> Mapping[str, object]:
    """Statement cards to cut out (the texts in reading order, without their kind)."""
    return {"statements": _statements(graph)}


MOST_REBUTTALS_TRIED = 10  # two evaluations each: enough to find one that matters


def _falls(graph: ArgumentGraph, rebuttal: str) -> list[str]:
    """The statements IN when ``rebuttal`` is rejected but not when it stands (grounded)."""
    statuses = {n: graph.nodes[n].status or Status.ACCEPTED for n in graph.nodes}
    stands = evaluate(graph, statuses={**statuses, rebuttal: Status.ACCEPTED}).labels
    without = evaluate(graph, statuses={**statuses, rebuttal: Status.REJECTED}).labels
    return [
        graph.numbers[n]
        for n in graph.numbers
        if without[n] is Label.IN and stands[n] is not Label.IN and n != rebuttal
    ]


def _evaluate(graph: ArgumentGraph) -> Mapping[str, object]:
    """Rate the first premise; and which statements fall if an objection stands (the
    first, of those without reasons of their own, that defeats something), worked out by
    the evaluation engine for the key."""
    premise = next(
        (n for n in graph.numbers if graph.nodes[n].kind is NodeKind.PREMISE),
        graph.map.thesis,
    )
    candidates = [
        n
        for n in graph.numbers
        if graph.nodes[n].kind is NodeKind.REBUTTAL and not graph.reasons_for.get(n)
    ][:MOST_REBUTTALS_TRIED]
    rebuttal, falls = None, []
    for candidate in candidates:
        rebuttal, falls = candidate, _falls(graph, candidate)
        if falls:
            break
    return {
        "premise": graph.numbers[premise],
        "premise_text": to_plain(graph.nodes[premise].text),
        "rebuttal": graph.numbers[rebuttal] if rebuttal is not None else None,
        "falls": falls,
    }


def _objection(graph: ArgumentGraph) -> Mapping[str, object]:
    """Write an objection, a reply and an undercut for the thesis."""
    thesis = graph.map.thesis
    reason = next(iter(graph.reasons_for.get(thesis, ())), None)
    return {
        "claim": graph.numbers[thesis],
        "claim_text": to_plain(graph.nodes[thesis].text),
        "kind": KIND_NAMES[graph.nodes[thesis].kind],
        "step": step_name(graph, reason) if reason is not None else None,
    }


EXERCISES: dict[str, Exercise] = {
    exercise.name: exercise
    for exercise in (
        Exercise(
            "label",
            "the statements without the diagram: write which supports, attacks or undercuts "
            "which, and whether supporting premises are linked or independent",
            frozenset({DIAGRAM, FORM, QUESTIONS}),
            _label,
        ),
        Exercise(
            "reconstruct",
            "the diagram without the standard form: write each argument in standard form",
            frozenset({FORM, QUESTIONS}),
            _reconstruct,
            needs=frozenset({DIAGRAM}),
        ),
        Exercise(
            "diagram",
            "statement cards to cut out and an empty frame: draw the argument map",
            frozenset({DIAGRAM, FORM, QUESTIONS}),
            _diagram,
        ),
        Exercise(
            "evaluate",
            "rate a premise's acceptability, relevance and sufficiency with reasons, and "
            "say which statements fall if an objection stands",
            frozenset({QUESTIONS}),
            _evaluate,
        ),
        Exercise(
            "objection",
            "write an objection to the thesis, a reply to it, and an undercut, with room to write",
            frozenset({QUESTIONS}),
            _objection,
        ),
    )
}


def chosen(names: str) -> tuple[Exercise, ...]:
    """The exercises named in a comma-separated list, in the order given."""
    found = []
    for name in (item.strip().lower() for item in names.split(",")):
        if not name:
            continue
        if name not in EXERCISES:
            raise ExerciseError(
                f"--exercise: {name!r} is not an exercise (choose from {', '.join(EXERCISES)})"
            )
        if EXERCISES[name] not in found:
            found.append(EXERCISES[name])
    for exercise in found:
        for other in found:
            clash = exercise.needs & other.hides
            if clash:
                raise ExerciseError(
                    f"--exercise {exercise.name} works from the {', '.join(sorted(clash))}, "
                    f"which {other.name} leaves out: make them two worksheets"
                )
    return tuple(found)
