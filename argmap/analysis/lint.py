"""Lint rules: advice about maps that are valid but look unfinished or weak (AM4xx).

A map that loads and validates without errors is a well-formed argument graph; these
rules point at what is probably still missing from it: a claim with no reason, a node
that nothing connects, an objection that nothing answers. Each rule can be switched off
or given another severity, for the project in ``argmap.toml`` and per map in its own
``[lint]`` table (read by :mod:`argmap.model.lintsettings`, with the rest of the map
format). The rules and settings are documented in docs/rules.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from argmap.analysis._duplicates import NEAR_DUPLICATE_RATIO as NEAR_DUPLICATE_RATIO
from argmap.analysis._duplicates import _bigram_mask as _bigram_mask
from argmap.analysis._duplicates import close_in_words as close_in_words
from argmap.analysis._duplicates import first_duplicates as first_duplicates
from argmap.analysis._duplicates import nearly_equal as nearly_equal
from argmap.analysis._duplicates import normalise_plains
from argmap.analysis._duplicates import normalise_text as normalise_text
from argmap.analysis._duplicates import words_allowed_to_differ as words_allowed_to_differ
from argmap.codes import BY_CODE, Rule
from argmap.diagnostics import Diagnostic, Position
from argmap.markdown import to_plain_many
from argmap.model import ArgumentMap, AttackKind, NodeKind, Reason
from argmap.model.lintsettings import DEFAULT_MAX_TEXT_LENGTH as DEFAULT_MAX_TEXT_LENGTH
from argmap.model.lintsettings import SWITCHABLE as SWITCHABLE
from argmap.model.lintsettings import RuleSettings as RuleSettings
from argmap.model.lintsettings import find_rule as find_rule
from argmap.model.lintsettings import read_settings as read_settings
from argmap.model.lintsettings import settings_for as settings_for

# -- rules -------------------------------------------------------------------------


def lint_map(argument_map: ArgumentMap, settings: RuleSettings) -> list[Diagnostic]:
    """The lint advice for a map that passed validation, after ``settings``, by position."""
    problems = settings.apply(_Linter(argument_map, settings).run())
    return sorted(problems, key=lambda d: (d.position.line, d.position.column))


class _Linter:
    def __init__(self, argument_map: ArgumentMap, settings: RuleSettings) -> None:
        self.map = argument_map
        self.settings = settings
        self.problems: list[Diagnostic] = []
        self.nodes = sorted(argument_map.nodes, key=lambda n: (n.position.line, n.position.column))
        self.supported = {reason.conclusion for reason in argument_map.reasons}
        self.related = set(self.supported)
        for reason in argument_map.reasons:
            self.related.update(reason.premises)
        for attack in argument_map.attacks:
            self.related.add(attack.source)
            if attack.kind is AttackKind.REBUT:
                self.related.add(attack.target)
        self.attackers = {attack.source for attack in argument_map.attacks}
        # A node with no relation at all is AM402's alone, even with AM402 switched off:
        # it is not also "a claim with no reason" or "a rebuttal with no target".
        self.orphans = {
            node.id
            for node in self.nodes
            if node.id != argument_map.thesis and node.id not in self.related
        }

    def run(self) -> list[Diagnostic]:
        for rule in LINT_RULES:
            if self.settings.enabled(rule.code):
                rule.check(self)
        return self.problems

    def _add(self, code: str, position: Position, message: str, hint: str) -> None:
        severity = BY_CODE[code].severity
        self.problems.append(Diagnostic(self.map.path, position, code, message, hint, severity))

    def _orphans(self) -> None:
        for node in self.nodes:
            if node.id in self.orphans:
                self._add(
                    "AM402",
                    node.position,
                    f"the {node.kind.value} {node.id!r} has no relation: nothing connects it "
                    "to the rest of the map",
                    "connect it with supports, attacks or undercuts (or a [reason.ID]), "
                    "or remove it",
                )

    def _unsupported_claims(self) -> None:
        for node in self.nodes:
            if (
                node.kind is NodeKind.CLAIM
                and node.id != self.map.thesis
                and node.id not in self.supported
                and node.id not in self.orphans
            ):
                self._add(
                    "AM401",
                    node.position,
                    f"the claim {node.id!r} has no reason: nothing supports it",
                    f'give it a reason (a premise with supports = "{node.id}", or a '
                    f"[reason.ID]), or make it [premise.{node.id}] if the map takes it as given",
                )

    def _rebuttals_without_target(self) -> None:
        for node in self.nodes:
            if (
                node.kind is NodeKind.REBUTTAL
                and node.id not in self.attackers
                and node.id not in self.orphans
            ):
                self._add(
                    "AM403",
                    node.position,
                    f"the rebuttal {node.id!r} attacks nothing: it has no `attacks` or `undercuts`",
                    'add attacks = "ID" (the statement it says is false) or undercuts = "ID" '
                    "(the [reason.ID] whose step it denies)",
                )

    @functools.cached_property
    def plain_texts(self) -> list[str]:
        """Each node's text without Markdown (AM404 and AM407 both read it)."""
        return to_plain_many([node.text for node in self.nodes])

    def _duplicate_texts(self) -> None:
        texts, words = normalise_plains(self.plain_texts)
        for node, text, earlier_number in zip(
            self.nodes, texts, first_duplicates(texts, words=words), strict=True
        ):
            if earlier_number is None:
                continue
            earlier = self.nodes[earlier_number]
            how = "the same text as" if text == texts[earlier_number] else "nearly the same text as"
            self._add(
                "AM404",
                node.text_at,
                f"the {node.kind.value} {node.id!r} has {how} the {earlier.kind.value} "
                f"{earlier.id!r} (line {earlier.position.line})",
                "if they are one statement, keep one node and point the relations of "
                "both at it; if not, make the difference plain in the wording",
            )

    def _thesis_undefended(self) -> None:
        attacks = self.map.attacks
        reported: set[str] = set()
        answers = _Answers(self.map)
        for attack in sorted(attacks, key=lambda a: (a.position.line, a.position.column)):
            objection = attack.source
            if (
                attack.kind is not AttackKind.REBUT
                or attack.target != self.map.thesis
                or objection in reported
                or answers.answered(objection)
            ):
                continue
            reported.add(objection)
            self._add(
                "AM405",
                attack.position,
                f"the thesis {self.map.thesis!r} is attacked by {objection!r}, and nothing "
                f"answers {objection!r}",
                f'add a rebuttal with attacks = "{objection}", or one that undercuts or attacks '
                "a reason given for it; if the map concedes the objection, switch the rule off "
                'for this map: [lint] disable = ["thesis-undefended"]',
            )

    def _missing_quotes(self) -> None:
        kinds = self.settings.require_quotes
        if not kinds:  # quotes are not required: nothing is missing
            return
        names = [f"{kind.value}s" for kind in NodeKind if kind in kinds]
        required = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        for node in self.nodes:
            if node.kind in kinds and node.quote is None:
                self._add(
                    "AM406",
                    node.position,
                    f"the {node.kind.value} {node.id!r} has no quote",
                    f'add quote = "..." with the source\'s exact words: `require_quotes` in '
                    f"[lint] asks for one on all {required}",
                )

    def _overlong_texts(self) -> None:
        limit = self.settings.max_text_length
        for node, plain in zip(self.nodes, self.plain_texts, strict=True):
            length = len(plain)
            if length > limit:
                self._add(
                    "AM407",
                    node.text_at,
                    f"the text of {node.id!r} is {length} characters long, over the limit of "
                    f"{limit} for a diagram box",
                    "say it in fewer words (the source's wording can go in `quote`, details in "
                    "`note`), or raise `max_text_length` in [lint]",
                )


class _Answers:
    """Who answers what (AM405), indexed once: a scan of every reason and attack per
    objection to the thesis made the rule quadratic in maps with many objections."""

    def __init__(self, argument_map: ArgumentMap) -> None:
        self.grounds: dict[str, list[Reason]] = {}
        for reason in argument_map.reasons:
            self.grounds.setdefault(reason.conclusion, []).append(reason)
        self.rebutters: dict[str, set[str]] = {}  # a statement -> who attacks it
        self.undercutters: dict[str, set[str]] = {}  # a reason id -> who undercuts it
        for attack in argument_map.attacks:
            by = self.rebutters if attack.kind is AttackKind.REBUT else self.undercutters
            by.setdefault(attack.target, set()).add(attack.source)

    def answered(self, objection: str) -> bool:
        """Whether a rebuttal other than the objection itself attacks the objection,
        undercuts a reason for it, or attacks a premise of a reason for it."""
        grounds = self.grounds.get(objection, [])
        attacked = [objection, *(premise for reason in grounds for premise in reason.premises)]
        undercut = [reason.id for reason in grounds if reason.id is not None]
        return any(self.rebutters.get(target, set()) - {objection} for target in attacked) or any(
            self.undercutters.get(target, set()) - {objection} for target in undercut
        )


@dataclass(frozen=True)
class LintRule:
    """One advice rule: its code (whose name, severity and summary are in
    :data:`argmap.codes.RULES`) and the check that finds it. A new rule is one entry
    here, one in ``codes.RULES``, its section in docs/rules.md and its fixture."""

    code: str
    check: Callable[[_Linter], None]

    @property
    def rule(self) -> Rule:
        return BY_CODE[self.code]


# In the order the checks run (AM402 first: an orphan is reported by it alone).
LINT_RULES = (
    LintRule("AM402", _Linter._orphans),
    LintRule("AM401", _Linter._unsupported_claims),
    LintRule("AM403", _Linter._rebuttals_without_target),
    LintRule("AM404", _Linter._duplicate_texts),
    LintRule("AM405", _Linter._thesis_undefended),
    LintRule("AM406", _Linter._missing_quotes),
    LintRule("AM407", _Linter._overlong_texts),
)
