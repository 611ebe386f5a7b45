"""Evaluating maps: which statements stand, which fall, and the one-line reasons.

Small maps are written as TOML, loaded, validated and numbered exactly as a real map
is. A property test checks the translation to a Dung framework against a direct
fixpoint of the structured rules on random maps.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.analysis import evaluate as ev
from argmap.analysis.evaluate import Label, Semantics, Status, evaluate, gradual_scores, to_json
from argmap.analysis.graph import ArgumentGraph, build_graph
from argmap.model import START, ArgumentMap, Attack, AttackKind, Node, NodeKind, Reason
from argmap.model.load import load_map
from argmap.model.validate import find_problems, validate_map

from .conftest import REPO, SEED_MAP

IN, OUT, UNDEC = Label.IN, Label.OUT, Label.UNDEC


def graph_of(tmp_path: Path, body: str, thesis: str = "c") -> ArgumentGraph:
    path = tmp_path / "m.toml"
    header = f'[map]\ntitle = "t"\nthesis = "{thesis}"\n'
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    argument_map = load_map(path, "m")
    validate_map(argument_map)
    return build_graph(argument_map)


def verdict(evaluation: ev.Evaluation) -> dict[str, str]:
    """Number -> explanation, which also shows the label."""
    return {evaluation.numbers[n]: text for n, text in evaluation.explanations.items()}


LINKED = """
[claim.c]
text = "c"
[premise.p1]
text = "p1"
[premise.p2]
text = "p2"
[reason.both]
premises = ["p1", "p2"]
supports = "c"
"""


def test_a_linked_reason_holds_when_all_its_premises_hold(tmp_path: Path) -> None:
    result = evaluate(graph_of(tmp_path, LINKED))
    assert verdict(result) == {
        "C1": "IN: supported by P1+P2 (both IN), no attacker",
        "P1": "IN: accepted as given, no attacker",
        "P2": "IN: accepted as given, no attacker",
    }
    assert result.stable_exists is True and result.extensions == 1


def test_a_linked_reason_with_one_premise_out_fails(tmp_path: Path) -> None:
    body = LINKED + '[rebuttal.r]\ntext = "r"\nattacks = "p2"\n'
    result = evaluate(graph_of(tmp_path, body))
    assert result.labels == {"c": OUT, "p1": IN, "p2": OUT, "r": IN}
    assert verdict(result) == {
        "C1": "OUT: no reason holds (P1+P2 fails as P2 is OUT)",
        "P1": "IN: accepted as given, no attacker",
        "P2": "OUT: rebutted by R1, which stands",
        "R1": "IN: accepted as given, no attacker",
    }


UNDERCUT = """
[claim.c]
text = "c"
[premise.p]
text = "p"
[reason.step]
premises = ["p"]
supports = "c"
[rebuttal.u]
text = "u"
undercuts = "step"
"""


def test_an_undercut_knocks_out_the_reason_but_not_its_premise(tmp_path: Path) -> None:
    result = evaluate(graph_of(tmp_path, UNDERCUT))
    assert result.labels == {"c": OUT, "p": IN, "u": IN}
    assert result.explanations["c"] == (
        "OUT: no reason holds (the step from P1 is undercut by R1, which stands)"
    )


def test_another_reason_survives_an_undercut(tmp_path: Path) -> None:
    body = UNDERCUT + '[premise.q]\ntext = "q"\nsupports = "c"\n'
    result = evaluate(graph_of(tmp_path, body))
    assert result.labels["c"] == IN
    q = result.numbers["q"]
    assert result.explanations["c"] == f"IN: supported by {q} (IN), no attacker"


def test_a_defeated_undercutter_restores_the_reason(tmp_path: Path) -> None:
    body = UNDERCUT + '[rebuttal.v]\ntext = "v"\nattacks = "u"\n'
    result = evaluate(graph_of(tmp_path, body))
    assert result.labels == {"c": IN, "p": IN, "u": OUT, "v": IN}
    assert result.explanations["c"] == (
        "IN: supported by P1 (IN; undercut by R1, which is OUT), no attacker"
    )


REPLY = """
[claim.c]
text = "c"
[rebuttal.r1]
text = "objection"
attacks = "c"
"""


def test_a_rebuttal_defeats_what_it_attacks(tmp_path: Path) -> None:
    result = evaluate(graph_of(tmp_path, REPLY))
    assert verdict(result) == {
        "C1": "OUT: rebutted by R1, which stands",
        "R1": "IN: accepted as given, no attacker",
    }


def test_a_rebuttal_of_the_rebuttal_reinstates(tmp_path: Path) -> None:
    body = REPLY + '[rebuttal.r2]\ntext = "reply"\nattacks = "r1"\n'
    result = evaluate(graph_of(tmp_path, body))
    assert verdict(result) == {
        "C1": "IN: accepted as given, no standing attacker (R1 is OUT)",
        "R1": "OUT: rebutted by R2, which stands",
        "R2": "IN: accepted as given, no attacker",
    }


SUPPORTED = """
[claim.c]
text = "c"
[premise.p]
text = "p"
supports = "c"
"""


def test_a_rejected_premise_is_out_and_takes_its_reason_with_it(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, SUPPORTED)
    result = evaluate(graph, statuses={"p": Status.REJECTED})
    assert verdict(result) == {
        "C1": "OUT: no reason holds (P1 is OUT)",
        "P1": "OUT: rejected by the author",
    }
    # `accepted` does not rescue a statement whose reasons all fail
    both = evaluate(graph, statuses={"p": Status.REJECTED, "c": Status.ACCEPTED})
    assert both.labels["c"] == OUT and not both.ignored_statuses


def test_a_status_on_a_statement_with_reasons_is_ignored_and_reported(tmp_path: Path) -> None:
    result = evaluate(graph_of(tmp_path, SUPPORTED), statuses={"c": Status.REJECTED})
    assert result.labels["c"] == IN
    assert result.ignored_statuses == {"c"}
    assert to_json(result)["ignored_statuses"] == ["c"]


def test_a_questioned_premise_is_undecided_and_so_is_what_rests_on_it(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, SUPPORTED)
    result = evaluate(graph, statuses={"p": Status("questioned")})
    assert verdict(result) == {
        "C1": "UNDEC: depends on P1, which is undecided",
        "P1": "UNDEC: questioned, and nothing supports it",
    }
    assert result.stable_exists is None  # grounded does not search
    preferred = evaluate(graph, Semantics.PREFERRED, {"p": Status.QUESTIONED})
    assert preferred.labels == {"c": UNDEC, "p": UNDEC}
    assert preferred.stable_exists is False and not preferred.contested
    assert preferred.explanations["p"] == "UNDEC: questioned, and nothing supports it"


def test_a_questioned_premise_leaves_no_stable_labelling(tmp_path: Path) -> None:
    result = evaluate(graph_of(tmp_path, SUPPORTED), "stable", {"p": Status.QUESTIONED})
    assert result.stable_exists is False and result.extensions == 0
    assert set(result.labels.values()) == {UNDEC}
    assert result.explanations["c"] == (
        "UNDEC: no stable labelling exists "
        "(P1 is questioned, and a stable labelling leaves nothing undecided)"
    )


def test_a_questioned_premise_with_a_standing_attacker_is_out(tmp_path: Path) -> None:
    body = SUPPORTED + '[rebuttal.r]\ntext = "r"\nattacks = "p"\n'
    result = evaluate(graph_of(tmp_path, body), statuses={"p": Status.QUESTIONED})
    assert result.labels == {"c": OUT, "p": OUT, "r": IN}
    assert result.explanations["p"] == "OUT: rebutted by R1, which stands"
    stable = evaluate(graph_of(tmp_path, body), "stable", {"p": Status.QUESTIONED})
    assert stable.stable_exists is True and stable.labels == result.labels


def test_statuses_must_name_statements(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown statement"):
        evaluate(graph_of(tmp_path, SUPPORTED), statuses={"nope": Status.REJECTED})
    with pytest.raises(ValueError):
        evaluate(graph_of(tmp_path, SUPPORTED), semantics="ideal")


CYCLE = """
[claim.c]
text = "c"
[rebuttal.r1]
text = "r1"
attacks = ["c", "r2"]
[rebuttal.r2]
text = "r2"
attacks = "r1"
"""


def test_an_attack_cycle_is_undecided_under_grounded(tmp_path: Path) -> None:
    result = evaluate(graph_of(tmp_path, CYCLE))
    assert verdict(result) == {
        "C1": "UNDEC: attacked by R1, which is undecided",
        "R1": "UNDEC: in an attack cycle with R2",
        "R2": "UNDEC: in an attack cycle with R1",
    }
    assert not result.contested and result.credulous == frozenset()


def test_an_attack_cycle_is_contested_under_preferred_and_stable(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, CYCLE)
    for semantics in ("preferred", "stable"):
        result = evaluate(graph, semantics)
        assert result.labels == {"c": UNDEC, "r1": UNDEC, "r2": UNDEC}
        assert result.contested == {"c", "r1", "r2"}
        assert result.extensions == 2 and result.stable_exists is True
        assert result.explanations["r1"] == (
            f"UNDEC: contested, IN in some {semantics} labellings and OUT in others "
            "(in an attack cycle with R2)"
        )
        assert result.explanations["c"] == (
            f"UNDEC: contested, IN in some {semantics} labellings and OUT in others "
            "(attacked by R1, which is undecided)"
        )


def test_support_and_attack_can_make_an_odd_cycle(tmp_path: Path) -> None:
    # c supports the objection r, which attacks c: c stands only if it falls
    body = """
    [claim.c]
    text = "c"
    supports = "r"
    [rebuttal.r]
    text = "r"
    attacks = "c"
    """
    graph = graph_of(tmp_path, body)
    result = evaluate(graph)
    assert verdict(result) == {
        "C1": "UNDEC: in an attack cycle with R1",
        "R1": "UNDEC: in an attack cycle with C1",
    }
    stable = evaluate(graph, "stable")
    assert stable.stable_exists is False
    assert stable.explanations["c"] == (
        "UNDEC: no stable labelling exists (C1 and R1 cannot be settled either way)"
    )
    preferred = evaluate(graph, "preferred")
    assert preferred.labels == {"c": UNDEC, "r": UNDEC} and preferred.extensions == 1


FLOATING = """
[claim.c]
text = "c"
[rebuttal.r3]
text = "r3"
attacks = "c"
[rebuttal.r1]
text = "r1"
attacks = ["r2", "r3"]
[rebuttal.r2]
text = "r2"
attacks = ["r1", "r3"]
"""


def test_floating_acceptance_and_defeat(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, FLOATING)
    assert evaluate(graph).labels["c"] == UNDEC
    result = evaluate(graph, "preferred")
    assert result.labels == {"c": IN, "r3": OUT, "r1": UNDEC, "r2": UNDEC}
    assert verdict(result)["C1"] == "IN: accepted as given, no standing attacker (R1 is OUT)"
    assert verdict(result)["R1"] == "OUT: defeated in every preferred labelling (R2 or R3 stands)"
    assert result.contested == {"r1", "r2"} and result.credulous == {"c", "r1", "r2"}


def test_floating_support(tmp_path: Path) -> None:
    # c has two reasons, p and q, whose premises attack each other's
    body = """
    [claim.c]
    text = "c"
    [premise.p]
    text = "p"
    supports = "c"
    [premise.q]
    text = "q"
    supports = "c"
    [rebuttal.rp]
    text = "rp"
    attacks = ["p", "rq"]
    [rebuttal.rq]
    text = "rq"
    attacks = ["q", "rp"]
    """
    result = evaluate(graph_of(tmp_path, body), "stable")
    assert result.labels["c"] == IN
    assert result.explanations["c"] == (
        "IN: in every stable labelling one of its reasons holds (P1 or P2), no attacker"
    )


def test_preferred_gives_up_past_the_step_limit(tmp_path: Path) -> None:
    with pytest.raises(ev.SearchLimitError):
        evaluate(graph_of(tmp_path, CYCLE), "preferred", max_steps=0)


def test_to_json_is_json_ready(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, CYCLE)
    result, scores = evaluate(graph, "preferred"), gradual_scores(graph)
    data = json.loads(json.dumps(to_json(result, scores)))
    assert data["semantics"] == "preferred" and data["extensions"] == 2
    assert data["stable_exists"] is True and data["ignored_statuses"] == []
    assert list(data["nodes"]) == ["c", "r1", "r2"]
    assert data["nodes"]["r1"] == {
        "number": "R1",
        "label": "UNDEC",
        "explanation": result.explanations["r1"],
        "credulous": True,
        "contested": True,
        "score": round(scores["r1"], 6),
    }
    assert "score" not in json.loads(json.dumps(to_json(result)))["nodes"]["c"]


def test_the_translation_uses_auxiliary_arguments(tmp_path: Path) -> None:
    af = ev.translate(graph_of(tmp_path, LINKED), {"p1": Status.QUESTIONED})
    attacks = set(af.attacks)
    assert {("not:p1", "reason:both"), ("p1", "not:p1"), ("reason:both", "noreason:c")} <= attacks
    assert {("noreason:c", "c"), ("questioned:p1", "questioned:p1")} <= attacks
    assert ("questioned:p1", "p1") in attacks


# --------------------------------------------------------------------------- docs


def test_the_worked_example_in_the_docs_is_what_evaluate_says(tmp_path: Path) -> None:
    text = (REPO / "docs" / "evaluation.md").read_text(encoding="utf-8")
    toml = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    output = re.search(r"```text\n(.*?)```", text, re.DOTALL)
    assert toml and output
    path = tmp_path / "example.toml"
    path.write_text(toml.group(1), encoding="utf-8")
    graph = build_graph(load_map(path, "example"))
    for statuses, line in (
        ({}, None),
        ({"cheaper": Status.QUESTIONED}, "UNDEC: depends on P2, which is undecided"),
        ({"cheaper": Status.REJECTED}, "OUT: no reason holds (C2 is OUT; P2 is OUT)"),
    ):
        result = evaluate(graph, statuses=statuses)
        if line is None:
            shown = "".join(f"{n}: {t}\n" for n, t in verdict(result).items())
            assert shown == output.group(1)
        else:
            assert result.explanations[graph.map.thesis] == line
            assert f"`{line}`" in " ".join(text.split())


# --------------------------------------------------------------------------- seed map


def test_the_seed_map_thesis_and_recommendation_stand() -> None:
    graph = build_graph(load_map(SEED_MAP, "russia-resets"))
    result = evaluate(graph)
    assert result.labels["resets-fail"] == IN
    assert result.labels["muscular-approach"] == IN
    assert result.explanations["resets-fail"].startswith("IN: supported by ")
    assert result.explanations["resets-fail"].endswith("no standing attacker (R1 and R3 are OUT)")
    assert result.labels["pragmatism-heals"] == OUT
    assert "undercut" in result.explanations["pragmatism-heals"]
    assert result.labels["engagement-not-failing"] == OUT
    assert set(evaluate(graph, "preferred").labels.values()) <= {IN, OUT}


# --------------------------------------------------------------------------- gradual


def test_gradual_scores_follow_df_quad(tmp_path: Path) -> None:
    assert gradual_scores(graph_of(tmp_path, SUPPORTED)) == {"c": 0.75, "p": 0.5}
    assert gradual_scores(graph_of(tmp_path, REPLY)) == {"c": 0.25, "r1": 0.5}
    # a linked reason is as strong as the product of its premises
    assert gradual_scores(graph_of(tmp_path, LINKED))["c"] == 0.5 + 0.5 * 0.25
    # an undercut weakens the reason: 0.5 * (1 - 0.5) = 0.25
    assert gradual_scores(graph_of(tmp_path, UNDERCUT))["c"] == 0.625


def test_gradual_base_scores_and_weights(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, SUPPORTED)
    assert ev.relation_keys(graph) == ["p->c"]
    scores = gradual_scores(graph, base_scores={"c": 0.2, "p": 1.0}, weights={"p->c": 0.5})
    assert scores["c"] == pytest.approx(0.2 + 0.8 * 0.5)
    with pytest.raises(ValueError, match="unknown key"):
        gradual_scores(graph, weights={"q->c": 1.0})
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        gradual_scores(graph, base_scores={"c": 1.5})


def test_gradual_scores_settle_in_attack_cycles(tmp_path: Path) -> None:
    body = """
    [claim.c]
    text = "c"
    [rebuttal.r1]
    text = "r1"
    attacks = ["c", "r2"]
    [rebuttal.r2]
    text = "r2"
    attacks = "r1"
    """
    scores = gradual_scores(graph_of(tmp_path, body))
    # r2 = 0.5 (1 - r1) and r1 = 0.5 (1 - r2): r1 = r2 = 1/3
    assert scores["r1"] == pytest.approx(1 / 3) and scores["r2"] == pytest.approx(1 / 3)
    assert scores["c"] == pytest.approx(0.5 - 0.5 / 3)
    # with base scores of 1, plain iteration would swing between 0 and 1 for ever
    ones = gradual_scores(graph_of(tmp_path, body), base_scores={"r1": 1.0, "r2": 1.0})
    assert ones["r1"] + ones["r2"] == pytest.approx(1.0)


def test_gradual_scores_report_a_cycle_that_does_not_settle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ev, "MAX_ITERATIONS", 2)
    with pytest.raises(ev.ConvergenceError, match="did not settle"):
        gradual_scores(graph_of(tmp_path, CYCLE))


# --------------------------------------------------------------------------- property test


@st.composite
def random_maps(draw: st.DrawFn) -> tuple[ArgumentMap, dict[str, Status]]:
    """A valid random map: support only points to earlier statements, so it has no circles."""
    n = draw(st.integers(1, 7))
    kinds = [NodeKind.CLAIM] + [draw(st.sampled_from(list(NodeKind))) for _ in range(n - 1)]
    ids = [f"n{i}" for i in range(n)]
    nodes = tuple(Node(ids[i], kinds[i], ids[i], START) for i in range(n))
    reasons: list[Reason] = []
    seen: set[tuple[frozenset[str], str]] = set()
    for c in range(n):
        if kinds[c] == NodeKind.PREMISE:
            continue
        candidates = [ids[i] for i in range(c + 1, n) if kinds[i] != NodeKind.REBUTTAL]
        for _ in range(draw(st.integers(0, 2)) if candidates else 0):
            premises = draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=2))
            premises = list(dict.fromkeys(premises))
            key = (frozenset(premises), ids[c])
            if key in seen:
                continue
            seen.add(key)
            named = len(premises) > 1 or draw(st.booleans())
            rid = f"s{len(reasons)}" if named else None
            reasons.append(Reason(tuple(premises), ids[c], START, id=rid))
    attacks: list[Attack] = []
    named_reasons = [r.id for r in reasons if r.id is not None]
    for i in range(n):
        if kinds[i] != NodeKind.REBUTTAL:
            continue
        for target in draw(st.sets(st.sampled_from([x for x in ids if x != ids[i]]), max_size=2)):
            attacks.append(Attack(ids[i], target, AttackKind.REBUT, START))
        if named_reasons:
            for target in draw(st.sets(st.sampled_from(named_reasons), max_size=1)):
                attacks.append(Attack(ids[i], target, AttackKind.UNDERCUT, START))
    statuses = draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(list(Status))))
    argument_map = ArgumentMap(
        "m", Path("m.toml"), "t", ids[0], START, nodes=nodes, reasons=tuple(reasons),
        attacks=tuple(attacks),
    )  # fmt: skip
    return argument_map, statuses


def structured_grounded(graph: ArgumentGraph, statuses: dict[str, Status]) -> dict[str, Label]:
    """The intended rules, applied directly until nothing changes (the least fixpoint)."""
    label = dict.fromkeys(graph.nodes, UNDEC)

    def reason_label(reason: Reason) -> Label:
        cutters = [a.source for a in graph.attacks_on.get(reason.id or "", ())]
        if any(label[p] == OUT for p in reason.premises) or any(label[u] == IN for u in cutters):
            return OUT
        if all(label[p] == IN for p in reason.premises) and all(label[u] == OUT for u in cutters):
            return IN
        return UNDEC

    changed = True
    while changed:
        changed = False
        for node_id in graph.nodes:
            attackers = [a.source for a in graph.attacks_on.get(node_id, ())]
            reasons = [reason_label(r) for r in graph.reasons_for.get(node_id, ())]
            status = Status.ACCEPTED if reasons else statuses.get(node_id, Status.ACCEPTED)
            if (
                any(label[a] == IN for a in attackers)
                or (reasons and all(r == OUT for r in reasons))
                or status == Status.REJECTED
            ):
                new = OUT
            elif all(label[a] == OUT for a in attackers) and (
                IN in reasons or (not reasons and status == Status.ACCEPTED)
            ):
                new = IN
            else:
                new = UNDEC
            if new != label[node_id]:
                assert label[node_id] == UNDEC, "the rules only ever decide"
                label[node_id] = new
                changed = True
    return label


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(random_maps())
def test_grounded_matches_the_structured_rules(case: tuple[ArgumentMap, dict[str, Status]]) -> None:
    argument_map, statuses = case
    assert find_problems(argument_map) == []
    graph = build_graph(argument_map)
    result = evaluate(graph, statuses=statuses)
    assert dict(result.labels) == structured_grounded(graph, statuses)
    for semantics in Semantics:
        evaluation = evaluate(graph, semantics, statuses)
        for node_id, label in evaluation.labels.items():
            explanation = evaluation.explanations[node_id]
            assert explanation.startswith(f"{label.value}: ")
            # every case has a specific reason: the fallback and empty lists never show
            assert explanation != "UNDEC: undecided" and "()" not in explanation
            assert " ( " not in explanation and "  " not in explanation
        assert evaluation.contested <= evaluation.credulous
    scores = gradual_scores(graph)
    assert all(0.0 <= s <= 1.0 and not math.isnan(s) for s in scores.values())


def test_base_scores_and_weights_written_in_the_map_enter_the_gradual_scores(
    tmp_path: Path,
) -> None:
    def scores(extra_claim: str, extra_rebuttal: str) -> dict[str, float]:
        path = tmp_path / "m.toml"
        path.write_text(
            '[map]\ntitle = "t"\nthesis = "c"\n'
            f'[claim.c]\ntext = "c"\n{extra_claim}'
            '[premise.p]\ntext = "p"\nsupports = "c"\n'
            f'[rebuttal.r]\ntext = "r"\nattacks = "c"\n{extra_rebuttal}',
            encoding="utf-8",
        )
        argument_map = load_map(path, "m")
        return gradual_scores(build_graph(argument_map))

    plain = scores("", "")
    assert plain["c"] == pytest.approx(0.5)  # support and attack of equal strength cancel
    assert scores("base_score = 0.9\n", "")["c"] == pytest.approx(0.9)
    assert scores("", "weight = 0.0\n")["c"] == pytest.approx(0.75)  # the attack counts for nothing


# --------------------------------------------------------------------------- scale


def indexed(argument_map: ArgumentMap) -> ArgumentGraph:
    """The graph of a map as build_graph indexes it, numbered in file order, without
    the outline: evaluation reads only the indexes, and these tests are about
    evaluation alone (the outline of a 10,000-deep map is graph.py's to test)."""
    reasons_for: dict[str, list[Reason]] = {}
    for reason in argument_map.reasons:
        reasons_for.setdefault(reason.conclusion, []).append(reason)
    attacks_on: dict[str, list[Attack]] = {}
    attacks_by: dict[str, list[Attack]] = {}
    for attack in argument_map.attacks:
        attacks_on.setdefault(attack.target, []).append(attack)
        attacks_by.setdefault(attack.source, []).append(attack)
    counters: dict[NodeKind, int] = dict.fromkeys(NodeKind, 0)
    numbers = {}
    for node in argument_map.nodes:
        counters[node.kind] += 1
        numbers[node.id] = f"{node.kind.value[0].upper()}{counters[node.kind]}"
    return ArgumentGraph(
        map=argument_map,
        nodes={n.id: n for n in argument_map.nodes},
        numbers=numbers,
        reasons_for={k: tuple(v) for k, v in reasons_for.items()},
        reasons_from={},
        attacks_on={k: tuple(v) for k, v in attacks_on.items()},
        attacks_by={k: tuple(v) for k, v in attacks_by.items()},
        reasons_by_id={r.id: r for r in argument_map.reasons if r.id is not None},
        outline=(),
    )


def chain_map(length: int, *, cycle: bool = False, status: Status = Status.ACCEPTED) -> ArgumentMap:
    """A thesis with a premise, attacked by r1, attacked by r2, ... (by r_length); with
    ``cycle`` the thesis is left out of it and the last rebuttal attacks r1."""
    nodes = [
        Node("c", NodeKind.CLAIM, "c", START),
        Node("p", NodeKind.PREMISE, "p", START),
        *(
            Node(f"r{i}", NodeKind.REBUTTAL, f"r{i}", START, status=status)
            for i in range(1, length + 1)
        ),
    ]
    attacks = [Attack(f"r{i + 1}", f"r{i}", AttackKind.REBUT, START) for i in range(1, length)]
    attacks.append(Attack("r1", "c", AttackKind.REBUT, START))
    if cycle:
        attacks.append(Attack("r1", f"r{length}", AttackKind.REBUT, START))
    argument_map = thesis_map(nodes, attacks)
    assert not find_problems(argument_map)
    return argument_map


def thesis_map(nodes: list[Node], attacks: list[Attack]) -> ArgumentMap:
    """A map of thesis ``c``, supported by premise ``p``, with these nodes and attacks."""
    return ArgumentMap(
        "m",
        Path("m.toml"),
        "t",
        "c",
        START,
        nodes=tuple(nodes),
        reasons=(Reason(("p",), "c", START),),
        attacks=tuple(attacks),
    )


def test_a_long_attack_cycle_names_a_few_of_its_members() -> None:
    """Each explanation of a 10,000-long cycle names four members and counts the rest:
    listing them all made the explanations grow with the square of the cycle."""
    result = evaluate(indexed(chain_map(10_000, cycle=True)))
    explanations = verdict(result)
    assert explanations["R1"] == "UNDEC: in an attack cycle with R2, R3, R4, R5 and 9,995 others"
    assert explanations["R3"] == "UNDEC: in an attack cycle with R1, R2, R4, R5 and 9,995 others"
    assert explanations["R6"] == "UNDEC: in an attack cycle with R1, R2, R3, R4 and 9,995 others"
    assert explanations["R10000"] == explanations["R6"]
    assert explanations["C1"] == "UNDEC: attacked by R1, which is undecided"
    assert max(len(text) for text in explanations.values()) < 80


def test_a_list_longer_than_the_cap_is_cut_and_a_shorter_one_is_not() -> None:
    for length, expected in [
        (5, "with R2, R3, R4 and R5"),  # four others: all named
        (6, "with R2, R3, R4, R5 and R6"),  # five: still all
        (7, "with R2, R3, R4, R5 and 2 others"),  # six: four and a count
    ]:
        result = evaluate(indexed(chain_map(length, cycle=True)))
        assert result.explanations["r1"] == f"UNDEC: in an attack cycle {expected}"


def test_a_statement_attacked_by_thousands_names_a_few_of_them() -> None:
    nodes = [Node("c", NodeKind.CLAIM, "c", START), Node("p", NodeKind.PREMISE, "p", START)]
    nodes += [Node(f"r{i}", NodeKind.REBUTTAL, f"r{i}", START) for i in range(3000)]
    nodes += [Node(f"q{i}", NodeKind.REBUTTAL, f"q{i}", START) for i in range(3000)]
    attacks = [Attack(f"r{i}", "c", AttackKind.REBUT, START) for i in range(3000)]
    attacks += [Attack(f"q{i}", f"r{i}", AttackKind.REBUT, START) for i in range(3000)]
    argument_map = thesis_map(nodes, attacks)
    result = evaluate(indexed(argument_map))
    assert result.explanations["c"] == (
        "IN: supported by P1 (IN), no standing attacker (R1, R2, R3, R4 and 2,996 others are OUT)"
    )


@pytest.mark.parametrize("semantics", ["grounded", "preferred", "stable"])
def test_a_10000_deep_attack_chain_evaluates(semantics: str) -> None:
    result = evaluate(indexed(chain_map(10_000)), semantics)
    assert result.labels["r10000"] == IN and result.labels["r9999"] == OUT
    assert result.labels["r1"] == OUT and result.labels["c"] == IN
    assert result.explanations["r1"] == "OUT: rebutted by R2, which stands"


def test_a_10000_deep_chain_of_questioned_rebuttals_evaluates_under_preferred() -> None:
    """Each questioned rebuttal is a self-attacking argument in the framework: the
    preferred search makes a choice for each of them, 10,000 deep."""
    result = evaluate(indexed(chain_map(10_000, status=Status.QUESTIONED)), "preferred")
    assert result.labels["r5000"] == UNDEC
    assert result.explanations["r5000"] == "UNDEC: questioned, and nothing supports it"


def test_a_10000_deep_support_chain_evaluates() -> None:
    """c0 is supported by c1, supported by c2, ... down to a premise: no recursion on
    the depth in the translation, the labelling or the explanations."""
    n = 10_000
    nodes = [Node(f"c{i}", NodeKind.CLAIM, f"c{i}", START) for i in range(n)]
    nodes.append(Node("p", NodeKind.PREMISE, "p", START))
    reasons = [Reason((f"c{i + 1}",), f"c{i}", START) for i in range(n - 1)]
    reasons.append(Reason(("p",), f"c{n - 1}", START))
    argument_map = ArgumentMap(
        "m", Path("m.toml"), "t", "c0", START, nodes=tuple(nodes), reasons=tuple(reasons)
    )
    for semantics in ("grounded", "preferred", "stable"):
        result = evaluate(indexed(argument_map), semantics)
        assert set(result.labels.values()) == {IN}
    assert result.explanations["c0"] == "IN: supported by C2 (IN), no attacker"
    scores = gradual_scores(indexed(argument_map))
    assert 0.5 < scores["c0"] <= 1.0


def test_a_long_cycles_capped_explanations_are_the_same_in_every_process(
    tmp_path: Path,
) -> None:
    """`argmap evaluate --json` of a 300-long attack cycle under different hash seeds
    (set and dict orders differ between processes): the same bytes, every explanation
    capped at four names and a count."""
    lines = ["[map]", 'title = "Cycle"', 'thesis = "c"', "[claim.c]", 'text = "The thesis."']
    lines += ["[premise.p]", 'text = "Its ground."', 'supports = "c"']
    for i in range(300):
        target = '["c", "r299"]' if i == 0 else f'"r{i - 1}"'
        lines += [f"[rebuttal.r{i}]", f'text = "Objection {i} of the cycle."']
        lines.append(f"attacks = {target}")
    path = tmp_path / "cycle.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for seed in ("0", "1", "12345"):
        done = subprocess.run(
            [sys.executable, "-m", "argmap", "evaluate", str(path), "--json"],
            capture_output=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    nodes = json.loads(outputs[0])["nodes"]
    assert nodes["r0"]["explanation"] == (
        "UNDEC: in an attack cycle with R2, R3, R4, R5 and 295 others"
    )
    assert nodes["r7"]["explanation"] == (
        "UNDEC: in an attack cycle with R1, R2, R3, R4 and 295 others"
    )
    assert max(len(node["explanation"]) for node in nodes.values()) < 80
