"""Dung argumentation frameworks: grounded, complete, preferred and stable labellings.

Generic and independent of argument maps, so the algorithms can be tested on textbook
frameworks alone (:mod:`argmap.analysis.evaluate` translates a map into a framework). A
labelling gives every argument IN, OUT or UNDEC; a *complete* labelling is one where
an argument is IN exactly when all its attackers are OUT and OUT exactly when some
attacker is IN (Caminada's reformulation of Dung 1995).

- **Grounded**: the least complete labelling, computed in time linear in arguments plus
  attacks by a worklist that counts each argument's attackers not yet OUT.
- **Preferred** and **stable**: the search only looks at what grounded leaves UNDEC
  (every complete labelling agrees with grounded on the rest), splits that residue into
  weakly connected components (their labellings combine freely) and enumerates the
  complete labellings of each component by backtracking with propagation. Preferred
  keeps those with a maximal IN set, stable those without UNDEC. This is exponential in
  the worst case, so the search stops with :class:`SearchLimitError` after
  ``max_steps`` branching steps.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress

DEFAULT_MAX_STEPS = 100_000


class Label(enum.StrEnum):
    IN = "IN"
    OUT = "OUT"
    UNDEC = "UNDEC"


class SearchLimitError(RuntimeError):
    """Raised when enumerating preferred or stable labellings takes too many steps."""


# Internal label codes: 0 is "not assigned yet" during the search.
_FREE, _IN, _OUT, _UNDEC = 0, 1, 2, 3
_LABELS = {_IN: Label.IN, _OUT: Label.OUT, _UNDEC: Label.UNDEC}
IN_CODE, OUT_CODE, UNDEC_CODE = _IN, _OUT, _UNDEC  # what label_grounded gives

Labelling = dict[str, Label]


@dataclass(frozen=True, slots=True)
class Framework:
    """Arguments and attacks, indexed both ways (``attackers[i]``, ``targets[i]``)."""

    names: tuple[str, ...]
    attackers: tuple[tuple[int, ...], ...]
    targets: tuple[tuple[int, ...], ...]

    @property
    def attacks(self) -> list[tuple[str, str]]:
        return [(self.names[a], self.names[t]) for t, ats in enumerate(self.attackers) for a in ats]

    def __len__(self) -> int:
        return len(self.names)


def framework(arguments: Iterable[str], attacks: Iterable[tuple[str, str]]) -> Framework:
    """Index a framework; repeated attacks count once, unknown arguments are an error."""
    names = tuple(dict.fromkeys(arguments))
    index = {name: i for i, name in enumerate(names)}
    pairs = []
    for source, target in attacks:
        try:
            pairs.append((index[source], index[target]))
        except KeyError as missing:
            raise ValueError(f"attack ({source!r}, {target!r}) names an unknown argument") from (
                missing
            )
    return indexed(names, pairs)


def indexed(names: Sequence[str], attacks: Iterable[tuple[int, int]]) -> Framework:
    """A framework from argument names and attacks given as (attacker, target) indices
    into ``names`` (distinct names); repeated attacks count once, in first-seen order."""
    attackers: list[list[int]] = [[] for _ in names]
    targets: list[list[int]] = [[] for _ in names]
    for s, t in dict.fromkeys(attacks):
        attackers[t].append(s)
        targets[s].append(t)
    return Framework(tuple(names), tuple(map(tuple, attackers)), tuple(map(tuple, targets)))


# --------------------------------------------------------------------------- grounded


def grounded_codes(af: Framework) -> list[int]:
    """The grounded labelling as codes (:func:`label_grounded` on ``af``)."""
    return label_grounded(list(map(len, af.attackers)), af.targets)


def label_grounded(attacked: Sequence[int], targets: Sequence[Sequence[int]]) -> list[int]:
    """The grounded labelling as codes, in O(arguments + attacks), from how many
    attackers each argument has and the targets of each (an attack counted and listed
    twice changes nothing).

    An argument becomes IN when its count of attackers not yet OUT reaches zero, and
    OUT as soon as an IN argument attacks it; whatever is left is UNDEC. Each argument
    is labelled once and each attack followed once, from its attacker: no re-scans.
    """
    pending = list(attacked)  # attackers not (yet) OUT
    # the unattacked are IN, the rest UNDEC until decided (C loops: once per argument)
    codes = list(map((_IN, _UNDEC).__getitem__, map(bool, pending)))
    work = list(compress(range(len(pending)), map(_IN.__eq__, codes)))
    pop, push = work.pop, work.append
    while work:
        x = pop()
        if codes[x] == _IN:
            for t in targets[x]:
                if codes[t] == _UNDEC:
                    codes[t] = _OUT
                    push(t)
        else:  # OUT: one attacker fewer for everything x attacks
            for t in targets[x]:
                pending[t] -= 1
                if not pending[t] and codes[t] == _UNDEC:
                    codes[t] = _IN
                    push(t)
    return codes


def grounded(af: Framework) -> Labelling:
    """The grounded labelling: the sceptical core every complete labelling contains."""
    return {name: _LABELS[code] for name, code in zip(af.names, grounded_codes(af), strict=True)}


# --------------------------------------------------------------------------- residue


@dataclass(frozen=True, slots=True)
class _Component:
    """A weakly connected part of what grounded leaves UNDEC, with local indices."""

    members: tuple[int, ...]  # global indices
    attackers: tuple[tuple[int, ...], ...]  # local indices, attacks from the residue only
    targets: tuple[tuple[int, ...], ...]


def _components(af: Framework, codes: Sequence[int]) -> list[_Component]:
    """Split the grounded-UNDEC arguments into independent components.

    Attacks from grounded-OUT arguments are dropped: they are OUT in every complete
    labelling, so they never decide anything.
    """
    undec = [i for i, code in enumerate(codes) if code == _UNDEC]
    seen: set[int] = set()
    result = []
    for start in undec:
        if start in seen:
            continue
        seen.add(start)
        members = [start]
        for x in members:  # grows while iterating: a breadth-first walk
            for y in itertools.chain(af.attackers[x], af.targets[x]):
                if codes[y] == _UNDEC and y not in seen:
                    seen.add(y)
                    members.append(y)
        members.sort()
        local = {g: i for i, g in enumerate(members)}
        attackers = tuple(tuple(local[a] for a in af.attackers[g] if a in local) for g in members)
        targets = tuple(tuple(local[t] for t in af.targets[g] if t in local) for g in members)
        result.append(_Component(tuple(members), attackers, targets))
    return result


class _Budget:
    def __init__(self, max_steps: int) -> None:
        self.left = max_steps
        self.max_steps = max_steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise SearchLimitError(
                f"gave up after {self.max_steps} search steps: the framework has too many "
                "ways to resolve its conflicts"
            )


class _Search:
    """Backtracking enumeration of the complete labellings of one component.

    State is a label per argument plus, per argument, how many of its attackers are IN,
    OUT and UNDEC. After each assignment the rules of a complete labelling are applied
    to every argument whose attackers changed (IN if all attackers are OUT, OUT if one
    is IN, UNDEC if all are decided and neither holds; an IN argument's attackers are
    OUT; an OUT argument with one possible IN attacker left gets it IN), which fixes
    most labels without branching. ``allow_undec=False`` looks for stable labellings.

    The search keeps one state and a trail of the arguments assigned, undone back to a
    mark on backtracking, and its own stack of choices instead of recursion: a long
    chain of conflicts can need thousands of nested choices, more than Python's
    recursion limit, and a copy of the state for each would grow with their square.
    """

    def __init__(self, component: _Component, budget: _Budget, allow_undec: bool = True) -> None:
        self.attackers = component.attackers
        self.targets = component.targets
        self.allow_undec = allow_undec
        self.budget = budget
        n = len(self.attackers)
        self.labels = [_FREE] * n
        self.counters = {_IN: [0] * n, _OUT: [0] * n, _UNDEC: [0] * n}
        self.trail: list[int] = []  # assigned arguments, in order

    def run(self) -> Iterator[list[int]]:
        labels = self.labels
        if not self._propagate(list(range(len(labels)))):
            return
        values = (_IN, _OUT, _UNDEC) if self.allow_undec else (_IN, _OUT)
        first = self._free_from(0)
        if first is None:
            if self._is_complete(labels):
                yield list(labels)
            return
        # Each entry: the argument to choose a label for, the labels left to try, and
        # the length of the trail when it was reached (everything before it is fixed).
        stack = [(first, iter(values), len(self.trail))]
        while stack:
            x, left, mark = stack[-1]
            self._undo(mark)
            value = next(left, None)
            if value is None:
                stack.pop()
                continue
            self.budget.spend()
            queue: list[int] = []
            if self._assign(x, value, queue) and self._propagate(queue):
                following = self._free_from(x + 1)
                if following is None:
                    if self._is_complete(labels):
                        yield list(labels)
                else:
                    stack.append((following, iter(values), len(self.trail)))

    def _free_from(self, start: int) -> int | None:
        """The first argument from ``start`` on without a label (all before are labelled)."""
        try:
            return self.labels.index(_FREE, start)
        except ValueError:
            return None

    def _undo(self, mark: int) -> None:
        labels, counters, trail = self.labels, self.counters, self.trail
        while len(trail) > mark:
            x = trail.pop()
            counter = counters[labels[x]]
            for t in self.targets[x]:
                counter[t] -= 1
            labels[x] = _FREE

    def _assign(self, x: int, value: int, queue: list[int]) -> bool:
        labels = self.labels
        if labels[x] != _FREE:
            return labels[x] == value
        if value == _UNDEC and not self.allow_undec:
            return False
        labels[x] = value
        self.trail.append(x)
        counter = self.counters[value]
        for t in self.targets[x]:
            counter[t] += 1
            queue.append(t)
        queue.append(x)
        return True

    def _propagate(self, queue: list[int]) -> bool:
        labels = self.labels
        n_in, n_out, n_undec = self.counters[_IN], self.counters[_OUT], self.counters[_UNDEC]
        while queue:
            x = queue.pop()
            attackers = self.attackers[x]
            free = len(attackers) - n_in[x] - n_out[x] - n_undec[x]
            if n_in[x]:
                forced = _OUT
            elif n_out[x] == len(attackers):
                forced = _IN
            elif free == 0:
                forced = _UNDEC
            else:
                forced = _FREE
            if forced and not self._assign(x, forced, queue):
                return False
            if labels[x] == _IN:
                for a in attackers:
                    if not self._assign(a, _OUT, queue):
                        return False
            elif labels[x] == _OUT and not n_in[x]:
                open_attackers = [a for a in attackers if labels[a] == _FREE]
                if not open_attackers:
                    return False
                if len(open_attackers) == 1 and not self._assign(open_attackers[0], _IN, queue):
                    return False
        return True

    def _is_complete(self, labels: list[int]) -> bool:
        """Check the finished labelling against the definition (propagation should ensure it)."""
        for x, attackers in enumerate(self.attackers):
            found = [labels[a] for a in attackers]
            expected = _OUT if _IN in found else _IN if all(v == _OUT for v in found) else _UNDEC
            if labels[x] != expected:
                return False
        return True


def _maximal_in(labellings: list[list[int]]) -> list[list[int]]:
    """Keep the labellings whose IN set no other labelling's IN set strictly contains.

    Largest first, so each candidate is compared only with the maximal ones kept so far
    (complete labellings with the same IN set are the same labelling).
    """
    ranked = sorted(
        ((frozenset(i for i, v in enumerate(lab) if v == _IN), lab) for lab in labellings),
        key=lambda pair: -len(pair[0]),
    )
    kept: list[tuple[frozenset[int], list[int]]] = []
    for in_set, lab in ranked:
        if not any(in_set < other for other, _ in kept):
            kept.append((in_set, lab))
    return [lab for _, lab in kept]


def _component_labellings(
    component: _Component, semantics: str, budget: _Budget
) -> list[list[int]]:
    """Preferred, stable or complete labellings of one component (local codes)."""
    if semantics == "stable":
        return list(_Search(component, budget, allow_undec=False).run())
    found = list(_Search(component, budget).run())
    return _maximal_in(found) if semantics == "preferred" else found


# --------------------------------------------------------------------------- public API

_SEMANTICS = ("complete", "preferred", "stable")


def labellings(
    af: Framework, semantics: str, max_steps: int = DEFAULT_MAX_STEPS
) -> list[Labelling]:
    """Every complete, preferred or stable labelling (the product over components).

    The number of labellings can be exponential; for acceptance questions prefer
    :func:`acceptance`, which never multiplies components out.
    """
    codes, components, parts = _solve(af, semantics, max_steps)
    result = []
    for combination in itertools.product(*parts):
        full = list(codes)
        for component, local in zip(components, combination, strict=True):
            for g, value in zip(component.members, local, strict=True):
                full[g] = value
        result.append({name: _LABELS[c] for name, c in zip(af.names, full, strict=True)})
    return result


def _solve(
    af: Framework, semantics: str, max_steps: int
) -> tuple[list[int], list[_Component], list[list[list[int]]]]:
    """Grounded codes, the components of its UNDEC residue, and each one's labellings."""
    if semantics not in _SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; expected one of {_SEMANTICS}")
    codes = grounded_codes(af)
    components = _components(af, codes)
    budget = _Budget(max_steps)
    parts = [_component_labellings(c, semantics, budget) for c in components]
    return codes, components, parts


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What the labellings of one semantics say about each argument.

    ``labels[x]`` is the set of labels ``x`` takes across all labellings: ``{IN}`` means
    sceptically accepted, any set containing IN credulously accepted. ``count`` is the
    number of labellings (0 when there is none, for stable; then every set is empty).
    ``unsettled`` are the arguments of the components that have no labelling at all.
    ``stable_exists`` says whether a stable labelling exists (every stable labelling is
    preferred and complete, so the other searches find it out on the way).
    """

    labels: Mapping[str, frozenset[Label]]
    count: int
    unsettled: frozenset[str]
    stable_exists: bool

    @property
    def exists(self) -> bool:
        return self.count > 0

    def sceptical(self) -> frozenset[str]:
        return frozenset(x for x, s in self.labels.items() if s == {Label.IN})

    def credulous(self) -> frozenset[str]:
        return frozenset(x for x, s in self.labels.items() if Label.IN in s)


def acceptance(af: Framework, semantics: str, max_steps: int = DEFAULT_MAX_STEPS) -> Acceptance:
    """Labels each argument takes under ``semantics``, component by component."""
    codes, components, parts = _solve(af, semantics, max_steps)
    labels: dict[str, frozenset[Label]] = {
        name: frozenset({_LABELS[c]}) for name, c in zip(af.names, codes, strict=True)
    }
    count = 1
    unsettled: set[str] = set()
    stable = True
    for component, found in zip(components, parts, strict=True):
        count *= len(found)
        stable = stable and any(_UNDEC not in lab for lab in found)
        for local, g in enumerate(component.members):
            labels[af.names[g]] = frozenset(_LABELS[lab[local]] for lab in found)
        if not found:
            unsettled.update(af.names[g] for g in component.members)
    if count == 0:
        labels = dict.fromkeys(af.names, frozenset())
    return Acceptance(labels, count, frozenset(unsettled), stable)


# --------------------------------------------------------------------------- cycles


def strongly_connected(successors: Sequence[Sequence[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively, sinks first.

    Used to tell "in a cycle" from "depends on something undecided", and to order the
    gradual computation.
    """
    n = len(successors)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    result: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            recurse = False
            for j in range(i, len(successors[v])):
                w = successors[v][j]
                if index[w] == -1:
                    work.append((v, j + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component.append(w)
                    if w == v:
                        break
                result.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return result
