"""Seeded generators of benchmark maps: the same seed gives the same bytes on every run.

    .venv/bin/python benchmarks/generate.py [--out benchmarks/.work/inputs]

writes ``gen-30.toml``, ``gen-500.toml`` (about 1,000 relations), ``gen-5000.toml``
(about 10,000) and ``site/map-000.toml`` ... ``site/map-199.toml`` (200 maps of 30
nodes). Each map is shaped like a real analysis: a thesis, a tree of claims below it,
each with two or three reasons that are either independent (``supports`` on a premise
or a sub-claim) or linked (``[reason.ID]`` with two or three premises), leaves that are
premises, rebuttals that attack statements or undercut linked reasons, replies to
some rebuttals and a few replies to those replies. To reach a realistic density of
relations, some premises also support a second or third claim near their own
conclusion (evidence shared by sibling claims), and some rebuttals attack two
neighbouring statements. Every generated map passes ``argmap check`` without errors or
warnings: texts are at most 200 characters and never near duplicates, every claim has
a reason, every rebuttal a target, and an objection to the thesis is always answered.

Relations are counted as in benchmarks/README.md: one per premise-to-conclusion link
(a linked reason of three premises is three) plus one per attack or undercut.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# One map per size; the relation density is a knob (relations per node).
SIZES: dict[str, tuple[int, float, int]] = {  # name: (nodes, relations per node, seed)
    "gen-30": (30, 1.3, 30),
    "gen-500": (500, 2.0, 500),
    "gen-5000": (5000, 2.0, 5000),
}
SITE_MAPS = 200
SITE_NODES = 30
SITE_DENSITY = 1.3
SITE_SEED = 200

MAX_TEXT = 200  # AM407's default limit

_ACTORS = """the city council|regional governments|the national parliament|small towns|
public transport operators|school boards|hospital trusts|employers|the central bank|
local police forces|universities|housing associations|farmers' cooperatives|energy regulators|
port authorities|tenant unions|the health ministry|voluntary groups|rail companies|
city planners|water utilities|district courts|care homes|trade unions|sports clubs|
museums|chambers of commerce|fire services|coastal villages|teacher training colleges"""
_POLICIES = """fund night buses|cap rents in the centre|tax sugary drinks|
ban cars from the old town|publish every inspection report|raise the minimum wage|
build protected cycle lanes|
subsidise heat pumps|close the coal plant early|open libraries on Sundays|
require school uniforms|pay for free school meals|merge the two hospitals|
introduce congestion charging|plant street trees|digitise the land registry|
extend parental leave|license short-term lets|cut the speed limit to 30 km/h|
reopen the branch line|insulate council flats|meter water use|pedestrianise the high street|
hire more school nurses|move council meetings online|fine late bin collection|
restore the wetlands|offer free bus passes to pupils|build a new ring road|sell the old depot"""
_EFFECTS = """lowers costs for households|shortens waiting times|reduces emissions|
improves attendance|raises tax revenue|cuts accidents|keeps young families in the area|
increases turnout|reduces noise at night|attracts investment|improves air quality|
protects local shops|saves energy|reduces public debt|eases overcrowding|makes streets safer|
frees up building land|helps older residents|creates skilled jobs|reduces flooding"""
_PLACES = """in the northern districts|within five years|in rural areas|by the end of the decade|
in the old town|during the winter months|in the poorest neighbourhoods|along the coast|
in the commuter belt|after the next election|in the first year|in every district|
in the suburbs|on weekdays|for the next generation|in the market towns|
near the new estates|in the long run|across the whole region|in the university quarter"""
_EVIDENCE = """A survey of {n} residents found|Figures from {y} show|
A pilot in {n} districts showed|An audit of {n} contracts found|Data collected since {y} suggest|
A study of {n} schools reported|Budget documents for {y} state|
Interviews with {n} staff indicate|Traffic counts from {y} show|
A review of {n} cases concluded|Hospital records from {y} show|A poll of {n} voters found|
Inspection reports from {y} note|A comparison of {n} towns found|Tax returns from {y} show|
Sensor readings since {y} show|A census of {n} households found|
Court records from {y} reveal|A trial with {n} volunteers found|Insurance claims from {y} show"""
_FINDINGS = """that costs fell by {p}%|a drop of {p}% in complaints|that {p}% of users agree|
waiting lists {p}% shorter|a rise of {p}% in trips|that demand grew by {p}%|
{p}% fewer injuries|that prices rose {p}% faster than wages|a {p}% gap between districts|
that {p}% of the budget went unspent|{p}% more visitors at weekends|
that {p}% of households moved away|a fall of {p}% in energy bills|
that arrears rose by {p}%|{p}% fewer missed appointments|that {p}% of shops closed|
a {p}% increase in applications|that response times grew by {p}%|
{p}% lower particulate levels|that {p}% of projects ran late"""
_OBJECTIONS = """The sample is too small to carry weight|The figures mix up cause and effect|
Costs were counted only for the first year|The pilot areas were unusually wealthy|
Other changes happened at the same time|The survey asked a leading question|
Neighbouring towns saw the same trend without the policy|
The effect vanished once funding ended|The comparison ignores inflation|
Most of the gain went to people who would have benefited anyway|
The data were collected by the scheme's own sponsors|The baseline year was unusual|
The measure was changed halfway through|Those who left the scheme were not followed up"""
_REPLIES = """A second, larger study found the same result|
The trend held after controlling for income|
Costs in later years are in the published accounts|
The question was tested for bias beforehand|
The neighbouring towns had introduced a similar scheme|
Inflation-adjusted figures show the same gap|Independent auditors confirmed the numbers|
The same pattern appears in every year since then|
Those who left were followed up and showed the same change"""


def _words(listing: str) -> list[str]:
    return [item.strip() for item in listing.replace("\n", "").split("|")]


ACTORS, POLICIES, EFFECTS, PLACES = map(_words, (_ACTORS, _POLICIES, _EFFECTS, _PLACES))
EVIDENCE, FINDINGS, OBJECTIONS, REPLIES = map(_words, (_EVIDENCE, _FINDINGS, _OBJECTIONS, _REPLIES))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Texts:
    """Varied statement texts of realistic length, never the same or nearly the same.

    Each text is put together from a few phrases ("slots"), and no two texts of one form
    share all their slots but one: two texts always differ in at least two phrases, so
    they are never near duplicates in AM404's sense (a difflib ratio of 0.9 or more).
    The rule is kept with a set of keys, so drawing a text takes constant time.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.keys: set[tuple[object, ...]] = set()

    def _numbers(self) -> dict[str, int]:
        r = self.rng
        return {"n": r.randrange(12, 4000), "y": r.randrange(1995, 2025), "p": r.randrange(3, 60)}

    def _unique(self, form: str, make: Callable[[], tuple[str, tuple[str, ...]]]) -> str:
        for _ in range(10_000):
            text, slots = make()
            keys = [(form, i, slots[:i] + slots[i + 1 :]) for i in range(len(slots))]
            if len(text) > MAX_TEXT or any(key in self.keys for key in keys):
                continue
            self.keys.update(keys)
            return text
        raise RuntimeError(f"ran out of {form} texts: add phrases to benchmarks/generate.py")

    def claim(self) -> str:
        r = self.rng

        def draw() -> tuple[str, str, str, str]:
            return r.choice(ACTORS), r.choice(POLICIES), r.choice(EFFECTS), r.choice(PLACES)

        def should() -> tuple[str, tuple[str, ...]]:
            actor, policy, effect, place = draw()
            text = f"{_cap(actor)} should {policy} {place}, because doing so {effect}."
            return text, (actor, policy, effect, place)

        def conditional() -> tuple[str, tuple[str, ...]]:
            actor, policy, effect, place = draw()
            also = r.choice(EFFECTS)
            text = (
                f"If {actor} were to {policy}, it would show that this {effect} {place}, "
                f"and that it also *{also}*."
            )
            return text, (actor, policy, effect, place, also)

        if r.random() < 0.4:
            return self._unique("should", should)
        return self._unique("if", conditional)

    def premise(self) -> str:
        r = self.rng

        def make() -> tuple[str, tuple[str, ...]]:
            evidence, finding = r.choice(EVIDENCE), r.choice(FINDINGS)
            actor, policy = r.choice(ACTORS), r.choice(POLICIES)
            text = f"{evidence} {finding} where {actor} chose to {policy}.".format(
                **self._numbers()
            )
            return text, (evidence, finding, actor, policy)

        return self._unique("premise", make)

    def rebuttal(self, reply: bool) -> str:
        r = self.rng

        def make() -> tuple[str, tuple[str, ...]]:
            head, finding = r.choice(REPLIES if reply else OBJECTIONS), r.choice(FINDINGS)
            actor, place = r.choice(ACTORS), r.choice(PLACES)
            text = f"{head}: {actor} reported {finding} {place}.".format(**self._numbers())
            return text, (head, finding, actor, place)

        return self._unique("reply" if reply else "objection", make)


@dataclass
class _Node:
    id: str
    kind: str  # claim, premise, rebuttal
    text: str
    parent: str | None = None  # the claim (or rebuttal) this node was created to support
    supports: list[str] = field(default_factory=list)
    attacks: list[str] = field(default_factory=list)
    undercuts: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # claims below it in the tree
    reached: set[str] = field(default_factory=set)  # conclusions it supports, any way
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    status: str | None = None


@dataclass
class _Reason:
    id: str
    premises: list[str]
    supports: str
    note: str | None = None


@dataclass
class GeneratedMap:
    title: str
    thesis: str
    nodes: dict[str, _Node]
    reasons: list[_Reason]

    def relations(self) -> int:
        links = sum(len(n.supports) for n in self.nodes.values())
        links += sum(len(r.premises) for r in self.reasons)
        attacks = sum(len(n.attacks) + len(n.undercuts) for n in self.nodes.values())
        return links + attacks

    def to_toml(self) -> str:
        out = [
            "# Generated by benchmarks/generate.py: a synthetic map for benchmarks.",
            "",
            "[map]",
            f"title = {_s(self.title)}",
            f"thesis = {_s(self.thesis)}",
            'tags = ["benchmark", "generated"]',
            "",
        ]
        reasons_by_conclusion: dict[str, list[_Reason]] = {}
        for reason in self.reasons:
            reasons_by_conclusion.setdefault(reason.supports, []).append(reason)
        for node in self.nodes.values():
            out.append(f"[{node.kind}.{node.id}]")
            out.append(f"text = {_s(node.text)}")
            for key in ("supports", "attacks", "undercuts"):
                values: list[str] = getattr(node, key)
                if len(values) == 1:
                    out.append(f"{key} = {_s(values[0])}")
                elif values:
                    out.append(f"{key} = [{', '.join(_s(v) for v in values)}]")
            if node.tags:
                out.append(f"tags = [{', '.join(_s(t) for t in node.tags)}]")
            if node.status:
                out.append(f"status = {_s(node.status)}")
            if node.note:
                out.append(f"note = {_s(node.note)}")
            out.append("")
            for reason in reasons_by_conclusion.get(node.id, []):
                out.append(f"[reason.{reason.id}]")
                out.append(f"premises = [{', '.join(_s(p) for p in reason.premises)}]")
                out.append(f"supports = {_s(reason.supports)}")
                if reason.note:
                    out.append(f"note = {_s(reason.note)}")
                out.append("")
        return "\n".join(out)


def _s(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def generate_map(nodes: int, density: float, seed: int, title: str | None = None) -> GeneratedMap:
    """A map of ``nodes`` statements and about ``density * nodes`` relations."""
    if nodes < 4:
        raise ValueError("a generated map needs at least 4 nodes")
    rng = random.Random(seed)
    texts = _Texts(rng)
    found: dict[str, _Node] = {}
    reasons: list[_Reason] = []
    counters = {"claim": 0, "premise": 0, "rebuttal": 0, "reason": 0}

    def new(kind: str, parent: str | None, text: str) -> _Node:
        counters[kind] += 1
        node = _Node(f"{kind[0]}{counters[kind]}", kind, text, parent)
        found[node.id] = node
        if parent is not None and kind == "claim":
            found[parent].children.append(node.id)
        return node

    def new_reason(premises: list[_Node], conclusion: str) -> _Reason:
        counters["reason"] += 1
        reason = _Reason(f"why{counters['reason']}", [p.id for p in premises], conclusion)
        if rng.random() < 0.3:
            reason.note = "Linked: the premises support the conclusion only together."
        reasons.append(reason)
        for premise in premises:
            premise.reached.add(conclusion)
        return reason

    thesis = new("claim", None, texts.claim())
    thesis.tags = ["thesis"]
    rebuttal_budget = max(2, round(nodes * 0.16))
    tree_budget = nodes - rebuttal_budget
    queue = [thesis.id]  # claims waiting for their reasons, breadth first
    head = 0

    def remaining() -> int:
        return tree_budget - len(found)

    def add_reason(conclusion: str, spare: int, may_branch: bool) -> None:
        if spare >= 3 and rng.random() < 0.35:  # a linked reason
            members = []
            for _ in range(min(spare, rng.choice((2, 2, 3)))):
                if may_branch and rng.random() < 0.35:
                    member = new("claim", conclusion, texts.claim())
                    queue.append(member.id)
                else:
                    member = new("premise", conclusion, texts.premise())
                members.append(member)
            new_reason(members, conclusion)
            return
        if may_branch and rng.random() < 0.7:  # an intermediate conclusion
            member = new("claim", conclusion, texts.claim())
            queue.append(member.id)
        else:
            member = new("premise", conclusion, texts.premise())
            if rng.random() < 0.04:
                member.status = "questioned"
        member.supports.append(conclusion)
        member.reached.add(conclusion)

    while head < len(queue):
        conclusion = queue[head]
        head += 1
        spare = remaining() - (len(queue) - head)
        for i in range(rng.choice((2, 3, 3, 4) if spare > 20 else (2, 2, 3))):
            waiting = len(queue) - head  # claims still owed at least one premise each
            spare = remaining() - waiting
            if spare <= 0 and i > 0:
                break
            add_reason(conclusion, spare, spare > 3.5 * (waiting + 1) + 3)
    tree_claims = [n.id for n in found.values() if n.kind == "claim"]
    while remaining() > 0:  # the tree stopped branching early: more reasons for its claims
        add_reason(rng.choice(tree_claims), remaining(), False)

    statements = list(found.values())
    linked_reasons = list(reasons)

    # Rebuttals, replies to some of them, and a few replies to the replies.
    def attack_target() -> _Node:
        return rng.choice(statements[1:]) if rng.random() < 0.9 else thesis

    made = 0
    while made < rebuttal_budget:
        objection = new("rebuttal", None, texts.rebuttal(reply=False))
        made += 1
        if linked_reasons and rng.random() < 0.25:
            reason = rng.choice(linked_reasons)
            objection.undercuts.append(reason.id)
            objection.parent = reason.supports
        else:
            target = attack_target()
            objection.attacks.append(target.id)
            objection.parent = target.id
        must_answer = thesis.id in objection.attacks
        if made < rebuttal_budget and (must_answer or rng.random() < 0.35):
            reply = new("rebuttal", None, texts.rebuttal(reply=True))
            reply.attacks.append(objection.id)
            made += 1
            if made < rebuttal_budget and rng.random() < 0.2:
                counter = new("rebuttal", None, texts.rebuttal(reply=False))
                counter.attacks.append(reply.id)
                made += 1
        elif must_answer:  # out of budget: answer it with a premise's attack instead
            objection.attacks = [statements[-1].id]
        if made < rebuttal_budget and rng.random() < 0.15:
            ground = new("premise", objection.id, texts.premise())
            ground.supports.append(objection.id)
            ground.reached.add(objection.id)
            made += 1

    # Shared evidence: premises that also support claims near their own conclusion.
    premises = [n for n in found.values() if n.kind == "premise" and n.parent in found]
    target_relations = round(density * nodes)
    generated = GeneratedMap(
        title or f"Generated map ({nodes} nodes, seed {seed})", thesis.id, found, reasons
    )
    objections = [n for n in found.values() if n.kind == "rebuttal" and n.attacks]
    relations = generated.relations()
    for _ in range(20 * nodes):
        if relations >= target_relations:
            break
        if rng.random() < 0.9:
            premise = rng.choice(premises)
            near = _nearby_claims(found[premise.parent or thesis.id], found)
            options = [c for c in near if c not in premise.reached and found[c].kind == "claim"]
            if not options:
                continue
            target_id = rng.choice(options)
            premise.supports.append(target_id)
            premise.reached.add(target_id)
            relations += 1
        else:  # a rebuttal that objects to a neighbour of its target too
            objection = rng.choice(objections)
            first = found[objection.attacks[0]]
            if first.kind == "rebuttal" or first.parent is None:
                continue
            options = [
                c
                for c in _nearby_claims(found[first.parent], found)
                if c not in objection.attacks and c != thesis.id
            ]
            if options:
                objection.attacks.append(rng.choice(options))
                relations += 1
    return generated


def _nearby_claims(claim: _Node, nodes: dict[str, _Node]) -> list[str]:
    """Claims close to ``claim`` in the tree: itself, its parent, siblings and children."""
    near = [claim.id, *claim.children]
    if claim.parent is not None:
        parent = nodes[claim.parent]
        near += [parent.id, *parent.children]
        if parent.parent is not None:
            near.append(parent.parent)
    return [c for c in dict.fromkeys(near) if nodes[c].kind == "claim"]


def write_inputs(out: Path) -> dict[str, Path]:
    """Write every benchmark input under ``out`` (unchanged files are not rewritten)."""
    written: dict[str, Path] = {}
    for name, (nodes, density, seed) in SIZES.items():
        written[name] = _write(out / f"{name}.toml", generate_map(nodes, density, seed).to_toml())
    site = out / "site"
    for i in range(SITE_MAPS):
        generated = generate_map(SITE_NODES, SITE_DENSITY, SITE_SEED + i, title=f"Site map {i:03d}")
        _write(site / f"map-{i:03d}.toml", generated.to_toml())
    written["site"] = site
    return written


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / ".work" / "inputs")
    options = parser.parse_args()
    for name, path in write_inputs(options.out).items():
        if name in SIZES:
            nodes, density, _ = SIZES[name]
            print(f"{path}: {nodes} nodes, about {round(nodes * density)} relations")
        else:
            print(f"{path}/: {SITE_MAPS} maps of {SITE_NODES} nodes")


if __name__ == "__main__":
    main()
