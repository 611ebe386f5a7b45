"""The what-if script computes the same labels as Python.

templates/static/whatif.js redoes the grounded labelling in the browser from
``argmap.analysis.evaluate.browser_model``. Here it runs in headless Chromium (see
tests/test_browser.py) on the seed map with each statement taken as given rejected (and
questioned) in turn, on seeded random maps with random statuses, and on seeded random
frameworks; every label must equal what ``argmap.analysis.evaluate.evaluate`` (or
``argmap.analysis._af.grounded``) gives. All cases go to the browser in one call.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argmap.analysis import _af
from argmap.analysis.evaluate import Status, browser_model, evaluate
from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.model import START, ArgumentMap, Attack, AttackKind, Node, NodeKind, Reason
from argmap.model.load import load_map
from argmap.model.validate import find_problems, validate_map
from argmap.render.site import default_templates_dir

from .conftest import SEED_MAP

pytestmark = pytest.mark.needs_browser

SCRIPT = default_templates_dir() / "static" / "whatif.js"
# Ids that are also names on every JavaScript object: the script must not trip on them.
TRICKY_IDS = ["constructor", "toString", "hasOwnProperty", "valueOf"]


@pytest.fixture(scope="module")
def page(chromium: Any) -> Iterator[Any]:
    tab = chromium.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.set_content("<!DOCTYPE html><title>what-if</title>")
    tab.add_script_tag(path=str(SCRIPT))
    yield tab
    tab.close()
    assert errors == []


def in_browser(page: Any, model: dict[str, object], cases: list[dict[str, str]]) -> list[Any]:
    """The script's labels (id -> label) for each status assignment, in one call."""
    data = json.loads(json.dumps(model))  # exactly what the page's JSON block carries
    return list(
        page.evaluate(
            "([model, cases]) => cases.map(s => argmapWhatIf.evaluate(model, s))", [data, cases]
        )
    )


def python_labels(graph: ArgumentGraph, statuses: dict[str, str]) -> dict[str, str]:
    result = evaluate(graph, statuses={k: Status(v) for k, v in statuses.items()})
    return {node_id: label.value for node_id, label in result.labels.items()}


def seed_graph() -> ArgumentGraph:
    argument_map = load_map(SEED_MAP, SEED_MAP.stem)
    validate_map(argument_map)
    return build_graph(argument_map)


def test_the_seed_map_with_each_given_statement_rejected_or_questioned(page: Any) -> None:
    graph = seed_graph()
    given = [n for n in graph.numbers if not graph.reasons_for.get(n)]
    assert len(given) > 20
    cases: list[dict[str, str]] = [{}]
    cases += [{node_id: status} for status in ("rejected", "questioned") for node_id in given]
    cases.append(dict.fromkeys(given[:5], "rejected"))
    got = in_browser(page, browser_model(graph), cases)
    changed = 0
    for statuses, labels in zip(cases, got, strict=True):
        expected = python_labels(graph, statuses)
        assert labels == expected, statuses
        changed += expected != python_labels(graph, {})
    assert changed >= len(given), "rejecting a premise changes at least its own label"


def random_map(rng: random.Random) -> tuple[ArgumentMap, dict[str, str]]:
    """A valid random map (support points to later statements only, attacks anywhere)."""
    n = rng.randint(1, 8)
    kinds = [NodeKind.CLAIM] + [rng.choice(list(NodeKind)) for _ in range(n - 1)]
    names = rng.sample(TRICKY_IDS, 2) + [f"n{i}" for i in range(n)]
    ids = names[:n]
    nodes = tuple(Node(ids[i], kinds[i], ids[i], START) for i in range(n))
    reasons: list[Reason] = []
    seen: set[tuple[frozenset[str], str]] = set()
    for c in range(n):
        candidates = [ids[i] for i in range(c + 1, n) if kinds[i] != NodeKind.REBUTTAL]
        if kinds[c] == NodeKind.PREMISE or not candidates:
            continue
        for _ in range(rng.randint(0, 2)):
            premises = list(dict.fromkeys(rng.choices(candidates, k=rng.randint(1, 2))))
            key = (frozenset(premises), ids[c])
            if key in seen:
                continue
            seen.add(key)
            named = len(premises) > 1 or rng.random() < 0.5
            rid = f"s{len(reasons)}" if named else None
            reasons.append(Reason(tuple(premises), ids[c], START, id=rid))
    attacks: list[Attack] = []
    named_reasons = [r.id for r in reasons if r.id is not None]
    for i in range(n):
        if kinds[i] != NodeKind.REBUTTAL:
            continue
        others = [x for x in ids if x != ids[i]]
        for target in rng.sample(others, min(len(others), rng.randint(0, 2))):
            attacks.append(Attack(ids[i], target, AttackKind.REBUT, START))
        if named_reasons and rng.random() < 0.4:
            attacks.append(Attack(ids[i], rng.choice(named_reasons), AttackKind.UNDERCUT, START))
    statuses = {x: rng.choice(list(Status)).value for x in ids if rng.random() < 0.4}
    argument_map = ArgumentMap(
        "m", Path("m.toml"), "t", ids[0], START, nodes=nodes, reasons=tuple(reasons),
        attacks=tuple(attacks),
    )  # fmt: skip
    return argument_map, statuses


def test_random_maps_with_random_statuses(page: Any) -> None:
    rng = random.Random(6)
    graphs, statuses = [], []
    for _ in range(300):
        argument_map, given = random_map(rng)
        assert find_problems(argument_map) == []
        graphs.append(build_graph(argument_map))
        statuses.append(given)
    models = [json.loads(json.dumps(browser_model(g))) for g in graphs]
    got = page.evaluate(
        "cases => cases.map(([m, s]) => argmapWhatIf.evaluate(m, s))",
        [[m, s] for m, s in zip(models, statuses, strict=True)],
    )
    labels_seen: set[str] = set()
    for graph, given, labels in zip(graphs, statuses, got, strict=True):
        expected = python_labels(graph, given)
        assert labels == expected, (graph.map, given)
        labels_seen |= set(expected.values())
    assert labels_seen == {"IN", "OUT", "UNDEC"}


def test_random_frameworks(page: Any) -> None:
    rng = random.Random(60)
    frameworks = []
    for _ in range(300):
        n = rng.randint(0, 10)
        attacks = [
            (a, t) for a in range(n) for t in range(n) if rng.random() < rng.choice((0.1, 0.25))
        ]
        frameworks.append((n, attacks))
    got = page.evaluate(
        "cases => cases.map(([n, attacks]) => argmapWhatIf.grounded(n, attacks))",
        [[n, [list(a) for a in attacks]] for n, attacks in frameworks],
    )
    for (n, attacks), labels in zip(frameworks, got, strict=True):
        names = [str(i) for i in range(n)]
        af = _af.framework(names, [(str(a), str(t)) for a, t in attacks])
        expected = _af.grounded(af)
        assert labels == [expected[x].value for x in names], (n, attacks)


def test_an_unknown_status_is_an_error_in_the_browser_too(page: Any) -> None:
    graph = seed_graph()
    message = page.evaluate(
        "model => { try { argmapWhatIf.evaluate(model, {'resets-fail': 'maybe'}); }"
        " catch (e) { return e.message; } return null; }",
        json.loads(json.dumps(browser_model(graph))),
    )
    assert message is not None and "maybe" in message
