"""The generic Dung-framework algorithms of argmap.analysis._af, on their own.

Textbook frameworks come from tests/fixtures/evaluate/*.json (arguments, attacks and the
labellings the literature gives for each semantics). A property test compares every
semantics with an independent implementation, python-argumentation (py_arg), on
thousands of random small frameworks.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import (
    AbstractArgumentationFramework,
)
from py_arg.abstract_argumentation_classes.argument import Argument
from py_arg.abstract_argumentation_classes.defeat import Defeat
from py_arg.algorithms.semantics.get_complete_extensions import get_complete_extensions
from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension
from py_arg.algorithms.semantics.get_preferred_extensions import get_preferred_extensions
from py_arg.algorithms.semantics.get_stable_extensions import get_stable_extensions

from argmap.analysis import _af
from argmap.analysis._af import Label

from .conftest import FIXTURES

CASES = sorted((FIXTURES / "evaluate").glob("*.json"))
SEMANTICS = ("preferred", "stable")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def build(case: dict[str, Any]) -> _af.Framework:
    attacks = [(str(a), str(b)) for a, b in case["attacks"]]
    return _af.framework([str(x) for x in case["arguments"]], attacks)


def as_labelling(expected: dict[str, list[str]]) -> dict[str, Label]:
    return {arg: Label(label) for label, args in expected.items() for arg in args}


def frozen(labellings: Iterable[dict[str, Label]]) -> set[frozenset[tuple[str, Label]]]:
    return {frozenset(lab.items()) for lab in labellings}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_textbook_grounded(path: Path) -> None:
    case = load(path)
    assert _af.grounded(build(case)) == as_labelling(case["grounded"])


@pytest.mark.parametrize("semantics", SEMANTICS)
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_textbook_preferred_and_stable(path: Path, semantics: str) -> None:
    case = load(path)
    af = build(case)
    expected = [as_labelling(e) for e in case[semantics]]
    assert frozen(_af.labellings(af, semantics)) == frozen(expected)
    result = _af.acceptance(af, semantics)
    assert result.count == len(expected)
    assert result.stable_exists == bool(case["stable"])
    for arg in case["arguments"]:
        assert result.labels[arg] == {lab[arg] for lab in expected}
    for kind in ("sceptical", "credulous"):
        if kind in case:
            wanted = set(case[kind][semantics])
            assert getattr(result, kind)() == wanted, kind


def test_the_fixtures_cover_the_textbook_cases() -> None:
    names = {p.stem for p in CASES}
    assert {"nixon-diamond", "reinstatement", "odd-cycle", "even-cycle", "floating"} <= names
    assert {"self-attack", "unattacked-chain", "stable-within-preferred"} <= names


def test_no_stable_labelling_marks_the_unsettled_part() -> None:
    case = load(FIXTURES / "evaluate" / "independent-parts.json")
    result = _af.acceptance(build(case), "stable")
    assert not result.exists and not result.stable_exists
    assert result.unsettled == {"a", "b", "c"}
    assert all(labels == frozenset() for labels in result.labels.values())
    assert _af.acceptance(build(case), "preferred").count == 2


def test_repeated_attacks_count_once_and_unknown_arguments_are_refused() -> None:
    af = _af.framework(["a", "b", "a"], [("a", "b"), ("a", "b")])
    assert af.names == ("a", "b") and af.attacks == [("a", "b")]
    with pytest.raises(ValueError, match="unknown argument"):
        _af.framework(["a"], [("a", "z")])
    with pytest.raises(ValueError, match="unknown semantics"):
        _af.acceptance(af, "ideal")


def test_the_search_stops_at_its_step_limit() -> None:
    # 12 independent two-cycles: 2**12 preferred labellings if multiplied out
    names = [f"{s}{i}" for i in range(12) for s in "ab"]
    attacks = [(f"a{i}", f"b{i}") for i in range(12)] + [(f"b{i}", f"a{i}") for i in range(12)]
    af = _af.framework(names, attacks)
    assert _af.acceptance(af, "preferred").count == 2**12  # per component: cheap
    chain = [(f"b{i}", f"a{i + 1}") for i in range(11)]
    with pytest.raises(_af.SearchLimitError, match="search steps"):
        _af.acceptance(_af.framework(names, attacks + chain), "preferred", max_steps=20)


def test_grounded_handles_long_chains_without_recursion() -> None:
    n = 50_000
    args = [str(i) for i in range(n)]
    labels = _af.grounded(_af.framework(args, itertools.pairwise(args)))
    assert labels["0"] == Label.IN and labels["1"] == Label.OUT
    assert labels[str(n - 1)] == (Label.IN if (n - 1) % 2 == 0 else Label.OUT)


def test_strongly_connected_components_sinks_first() -> None:
    # 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 4 -> 3, 5 alone
    successors = [[1], [2], [0, 3], [4], [3], []]
    components = [sorted(c) for c in _af.strongly_connected(successors)]
    assert sorted(components) == [[0, 1, 2], [3, 4], [5]]
    assert components.index([3, 4]) < components.index([0, 1, 2])


# --------------------------------------------------------------------------- property test


def py_arg_framework(n: int, attacks: set[tuple[int, int]]) -> AbstractArgumentationFramework:
    arguments = [Argument(str(i)) for i in range(n)]
    defeats = [Defeat(arguments[a], arguments[b]) for a, b in sorted(attacks)]
    return AbstractArgumentationFramework("random", arguments, defeats)


def in_sets(labellings: Iterable[dict[str, Label]]) -> set[frozenset[str]]:
    return {frozenset(x for x, v in lab.items() if v == Label.IN) for lab in labellings}


def names(extensions: Iterable[Iterable[Argument]]) -> set[frozenset[str]]:
    return {frozenset(a.name for a in e) for e in extensions}


@st.composite
def frameworks(draw: st.DrawFn) -> tuple[int, set[tuple[int, int]]]:
    n = draw(st.integers(0, 8))
    if n == 0:
        return 0, set()
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    return n, draw(st.sets(pair, max_size=n * n))


@settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(frameworks())
def test_agrees_with_python_argumentation(case: tuple[int, set[tuple[int, int]]]) -> None:
    n, attacks = case
    af = _af.framework([str(i) for i in range(n)], [(str(a), str(b)) for a, b in attacks])
    theirs = py_arg_framework(n, attacks)
    grounded = _af.grounded(af)
    assert in_sets([grounded]) == names([get_grounded_extension(theirs)])
    assert in_sets(_af.labellings(af, "complete")) == names(get_complete_extensions(theirs))
    assert in_sets(_af.labellings(af, "preferred")) == names(get_preferred_extensions(theirs))
    stable = names(get_stable_extensions(theirs))
    assert in_sets(_af.labellings(af, "stable")) == stable
    # the component-wise summary agrees with the multiplied-out labellings
    for semantics in ("preferred", "stable"):
        full = _af.labellings(af, semantics)
        summary = _af.acceptance(af, semantics)
        assert summary.count == len(full)
        assert summary.stable_exists == bool(stable)
        if full:
            assert all(summary.labels[x] == {lab[x] for lab in full} for x in af.names)


def test_a_search_thousands_of_choices_deep_does_not_recurse() -> None:
    """A chain of self-attacking arguments, each attacking the next: every argument is
    a choice of the search (IN and OUT fail, UNDEC holds), 5,000 choices deep, beyond
    Python's recursion limit; the one complete labelling leaves all of them UNDEC."""
    n = 5_000
    names = [f"s{i}" for i in range(n)]
    attacks = [(x, x) for x in names] + list(itertools.pairwise(names))
    af = _af.framework(names, attacks)
    for semantics in ("complete", "preferred"):
        result = _af.acceptance(af, semantics)
        assert result.count == 1
        assert set(result.labels.values()) == {frozenset({Label.UNDEC})}
    assert _af.acceptance(af, "stable").count == 0
    assert _af.labellings(af, "preferred") == [dict.fromkeys(names, Label.UNDEC)]


def test_backtracking_restores_the_state_of_every_choice() -> None:
    """Two-cycles in a row, each attacking the next pair: the search backtracks over
    many choices, and every labelling it finds must be complete (checked against the
    definition) and different from the others."""
    pairs = 7
    names = [f"{side}{i}" for i in range(pairs) for side in "ab"]
    attacks = [(f"a{i}", f"b{i}") for i in range(pairs)] + [
        (f"b{i}", f"a{i}") for i in range(pairs)
    ]
    attacks += [(f"b{i}", f"a{i + 1}") for i in range(pairs - 1)]
    af = _af.framework(names, attacks)
    found = _af.labellings(af, "complete")
    assert len({tuple(sorted(lab.items())) for lab in found}) == len(found) > pairs
    for lab in found:
        for name in names:
            attackers = [a for a, t in attacks if t == name]
            labels = {lab[a] for a in attackers}
            expected = OUT_IF(labels)
            assert lab[name] == expected, (name, lab)


def OUT_IF(attacker_labels: set[Label]) -> Label:  # noqa: N802 - reads as the rule
    """Caminada's rule: OUT if an attacker is IN, IN if all are OUT, else UNDEC."""
    if Label.IN in attacker_labels:
        return Label.OUT
    if attacker_labels <= {Label.OUT}:
        return Label.IN
    return Label.UNDEC


# --------------------------------------------------------------------------- reference fixpoint


def reference_grounded(n: int, attacks: list[tuple[int, int]]) -> list[Label]:
    """The grounded labelling the slow, obvious way: from all UNDEC, label IN every
    argument whose attackers are all OUT and OUT every argument with an IN attacker,
    again and again until nothing changes (the least fixpoint)."""
    attackers: list[set[int]] = [set() for _ in range(n)]
    for a, t in attacks:
        attackers[t].add(a)
    labels = [Label.UNDEC] * n
    changed = True
    while changed:
        changed = False
        for x in range(n):
            if labels[x] != Label.UNDEC:
                continue
            if all(labels[a] == Label.OUT for a in attackers[x]):
                labels[x], changed = Label.IN, True
            elif any(labels[a] == Label.IN for a in attackers[x]):
                labels[x], changed = Label.OUT, True
    return labels


@st.composite
def attack_lists(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    """Up to 12 arguments; attacks may repeat, as an unvalidated map's translation can."""
    n = draw(st.integers(0, 12))
    if n == 0:
        return 0, []
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    return n, draw(st.lists(pair, max_size=3 * n))


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(attack_lists())
def test_the_fast_grounded_labelling_is_the_least_fixpoint(
    case: tuple[int, list[tuple[int, int]]],
) -> None:
    n, attacks = case
    expected = reference_grounded(n, attacks)
    # from counts and target lists, repeats counted twice (as evaluate's translation gives)
    attacked = [0] * n
    targets: list[list[int]] = [[] for _ in range(n)]
    for a, t in attacks:
        attacked[t] += 1
        targets[a].append(t)
    codes = _af.label_grounded(attacked, targets)
    assert [_af._LABELS[c] for c in codes] == expected
    # and from a named framework, repeats dropped
    af = _af.framework([str(i) for i in range(n)], [(str(a), str(t)) for a, t in attacks])
    assert list(_af.grounded(af).values()) == expected
