"""Lint rules: advice about maps that are valid but look unfinished or weak (AM4xx).

A map that loads and validates without errors is a well-formed argument graph; these
rules point at what is probably still missing from it: a claim with no reason, a node
that nothing connects, an objection that nothing answers. Each rule can be switched off
or given another severity, for the project in ``argmap.toml`` and per map in its own
``[lint]`` table (read here by :func:`read_settings`). The quote rules of
:mod:`argmap.quotes` (AM301, AM302) obey the same settings through
:meth:`RuleSettings.apply`. The rules and settings are documented in docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from argmap._toml_positions import KeyPath, PositionIndex
from argmap.codes import BY_CODE, BY_NAME, RULES, Rule
from argmap.diagnostics import Diagnostic, Position, Severity
from argmap.markdown import to_plain
from argmap.model import ArgumentMap, AttackKind, LintSettings, NodeKind, Reason

DEFAULT_MAX_TEXT_LENGTH = 200  # characters of plain text; a diagram box wraps at about 32
NEAR_DUPLICATE_RATIO = 0.9  # difflib.SequenceMatcher.ratio() of the normalised texts

SWITCHABLE: tuple[Rule, ...] = tuple(rule for rule in RULES if rule.switchable)

_MAP_KEYS = ("disable", "require_quotes", "max_text_length")
_PROJECT_KEYS = (*_MAP_KEYS, "severity")
_STRICT_HINT = (
    "to fail on warnings, run `argmap check --strict`: it is a command-line flag, not a setting"
)
_KEY_HINTS = {
    "warnings_as_errors": _STRICT_HINT,
    "warnings-as-errors": _STRICT_HINT,
    "strict": _STRICT_HINT,
    "enable": "every rule is on unless `disable` names it",
}
_MAP_ONLY_HINTS = {
    "severity": "severities are set for the whole project, in [lint.severity] of argmap.toml",
}
_KIND_NAMES = [kind.value for kind in NodeKind]
_SEVERITY_OFF = frozenset({"off", "ignore", "none", "disable", "disabled", "false"})


def find_rule(name: str) -> Rule | None:
    """The rule with this code (``AM404``) or name (``duplicate-text``), or None."""
    return BY_CODE.get(name) or BY_NAME.get(name)


# -- settings ----------------------------------------------------------------------


class RuleSettings(NamedTuple):  # not a dataclass: ~0.5 ms less at import (start-up)
    """The settings in force for one map: its own [lint], then argmap.toml, then defaults
    (:func:`settings_for`)."""

    disabled: frozenset[str]  # codes
    severity: Mapping[str, Severity]  # code -> severity
    require_quotes: frozenset[NodeKind]
    max_text_length: int

    def enabled(self, code: str) -> bool:
        return code not in self.disabled

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Drop the diagnostics of disabled rules and give the others their severity.

        Only switchable rules are affected; every other diagnostic passes unchanged.
        """
        kept = []
        for diagnostic in diagnostics:
            rule = BY_CODE.get(diagnostic.code)
            if rule is None or not rule.switchable:
                kept.append(diagnostic)
            elif diagnostic.code not in self.disabled:
                severity = self.severity.get(diagnostic.code, diagnostic.severity)
                kept.append(replace(diagnostic, severity=severity))
        return kept


def settings_for(project: LintSettings, local: LintSettings | None = None) -> RuleSettings:
    """Combine the project's settings with a map's own: ``disable`` adds up, and the map's
    ``require_quotes`` and ``max_text_length`` replace the project's."""
    local = local or LintSettings()
    require = local.require_quotes
    if require is None:
        require = project.require_quotes
    length = local.max_text_length
    if length is None:
        length = project.max_text_length
    return RuleSettings(
        disabled=project.disable | local.disable,
        severity=dict(project.severity),
        require_quotes=require or frozenset(),
        max_text_length=DEFAULT_MAX_TEXT_LENGTH if length is None else length,
    )


def read_settings(
    table: Mapping[str, Any],
    positions: PositionIndex,
    path: Path,
    *,
    project: bool,
    position: Position | None = None,
) -> tuple[LintSettings, list[Diagnostic]]:
    """Read a ``[lint]`` table: argmap.toml's (``project``) or a map's own.

    ``positions`` index the whole file; the table is at the key path ``("lint",)``.
    Every problem is reported with the position of its key or value, and what can be
    read is kept.
    """
    reader = _SettingsReader(positions, path, project)
    return reader.read(table, position), reader.problems


class _SettingsReader:  # not a dataclass: ~0.3 ms less at import (start-up)
    def __init__(self, positions: PositionIndex, path: Path, project: bool) -> None:
        self.positions = positions
        self.path = path
        self.project = project
        self.problems: list[Diagnostic] = []

    def read(self, table: Mapping[str, Any], position: Position | None) -> LintSettings:
        allowed = _PROJECT_KEYS if self.project else _MAP_KEYS
        for key in table:
            if key not in allowed:
                self._unknown_key(key, allowed)
        disable = self._disable(table["disable"]) if "disable" in table else frozenset()
        require = None
        if "require_quotes" in table:
            require = self._require_quotes(table["require_quotes"])
        length = None
        if "max_text_length" in table:
            length = self._max_text_length(table["max_text_length"])
        severity: dict[str, Severity] = {}
        if self.project and "severity" in table:
            severity = self._severities(table["severity"])
        return LintSettings(disable, require, length, severity, position)

    def _unknown_key(self, key: str, allowed: tuple[str, ...]) -> None:
        hint = _KEY_HINTS.get(key) or (None if self.project else _MAP_ONLY_HINTS.get(key))
        if hint is None:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(allowed)}"
        self._problem(
            "AM101", self.positions.key(("lint", key)), f"unknown key `{key}` in [lint]", hint
        )

    def _disable(self, value: Any) -> frozenset[str]:
        path: KeyPath = ("lint", "disable")
        codes: set[str] = set()
        for item, item_path in self._list(value, path, 'write disable = ["orphan-node", "AM404"]'):
            if not isinstance(item, str):
                self._problem(
                    "AM102",
                    self.positions.value(item_path),
                    f"`lint.disable` must be a list of rule names or codes, not {_type(item)}",
                    'write disable = ["orphan-node", "AM404"]',
                )
                continue
            rule = find_rule(item)
            if rule is None:
                self._problem(
                    "AM106",
                    self.positions.value(item_path),
                    f"unknown rule {item!r} in `lint.disable`",
                    _rule_hint(item),
                )
            elif not rule.switchable:
                self._problem(
                    "AM106",
                    self.positions.value(item_path),
                    f"{rule.code} ({rule.name}) cannot be switched off",
                    _NOT_SWITCHABLE_HINT,
                )
            elif rule.code in codes:
                self._problem(
                    "AM106",
                    self.positions.value(item_path),
                    f"{rule.code} ({rule.name}) is listed twice in `lint.disable`",
                    "name each rule once, by its code or by its name",
                )
            else:
                codes.add(rule.code)
        return frozenset(codes)

    def _require_quotes(self, value: Any) -> frozenset[NodeKind] | None:
        path: KeyPath = ("lint", "require_quotes")
        if isinstance(value, bool):
            return frozenset(NodeKind) if value else frozenset()
        hint = 'write require_quotes = true (every node), or a list: ["claim", "premise"]'
        kinds: set[NodeKind] = set()
        items = self._list(value, path, hint, what="true, false or a list of node kinds")
        if not items and not isinstance(value, list):
            return None  # a wrong type, reported above
        for item, item_path in items:
            if not isinstance(item, str):
                self._problem(
                    "AM102",
                    self.positions.value(item_path),
                    f"`lint.require_quotes` must list node kinds, not {_type(item)}",
                    hint,
                )
            elif item in _KIND_NAMES and NodeKind(item) in kinds:
                self._problem(
                    "AM106",
                    self.positions.value(item_path),
                    f"{item!r} is listed twice in `lint.require_quotes`",
                    "name each kind once",
                )
            elif item in _KIND_NAMES:
                kinds.add(NodeKind(item))
            else:
                close = difflib.get_close_matches(item.lower(), _KIND_NAMES, n=1, cutoff=0.6)
                self._problem(
                    "AM106",
                    self.positions.value(item_path),
                    f"{item!r} is not a kind of node",
                    f'did you mean "{close[0]}"?'
                    if close
                    else "the kinds are claim, premise and rebuttal",
                )
        return frozenset(kinds)

    def _max_text_length(self, value: Any) -> int | None:
        position = self.positions.value(("lint", "max_text_length"))
        if isinstance(value, bool) or not isinstance(value, int):
            self._problem(
                "AM102",
                position,
                "`lint.max_text_length` must be a whole number, not "
                + (str(value) if isinstance(value, float) else _type(value)),
                f"write max_text_length = {DEFAULT_MAX_TEXT_LENGTH} (characters)",
            )
            return None
        if value < 1:
            self._problem(
                "AM106",
                position,
                "`lint.max_text_length` must be 1 or more",
                "give the most characters a node text may have; to allow any length, "
                'switch the rule off: disable = ["overlong-text"]',
            )
            return None
        return value

    def _severities(self, value: Any) -> dict[str, Severity]:
        path: KeyPath = ("lint", "severity")
        if not isinstance(value, dict):
            self._problem(
                "AM102",
                self.positions.value(path),
                f"`lint.severity` must be a table, not {_type(value)}",
                'write [lint.severity] on its own line, with lines such as overlong-text = "error"',
            )
            return {}
        severities: dict[str, Severity] = {}
        for key, level in value.items():
            here = (*path, key)
            rule = find_rule(key)
            if rule is None:
                self._problem(
                    "AM101",
                    self.positions.key(here),
                    f"unknown rule `{key}` in [lint.severity]",
                    _rule_hint(key),
                )
                continue
            if not rule.switchable:
                self._problem(
                    "AM106",
                    self.positions.key(here),
                    f"{rule.code} ({rule.name}) is always an error: its severity cannot be changed",
                    _NOT_SWITCHABLE_HINT,
                )
                continue
            severity = self._severity(level, here)
            if severity is not None:
                severities[rule.code] = severity
        return severities

    def _severity(self, level: Any, here: KeyPath) -> Severity | None:
        position = self.positions.value(here)
        dotted = f"lint.severity.{here[-1]}"
        if not isinstance(level, str):
            self._problem(
                "AM102",
                position,
                f'`{dotted}` must be "error" or "warning", not {_type(level)}',
                f'write {here[-1]} = "error" or {here[-1]} = "warning"',
            )
            return None
        try:
            return Severity(level)
        except ValueError:
            pass
        if level.lower() in _SEVERITY_OFF:
            hint = f'to switch the rule off, add it to `disable`: disable = ["{here[-1]}"]'
        else:
            names = [severity.value for severity in Severity]
            close = difflib.get_close_matches(level.lower(), names, n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else 'write "error" or "warning"'
        self._problem("AM106", position, f"{level!r} is not a severity", hint)
        return None

    def _list(
        self, value: Any, path: KeyPath, hint: str, what: str = "a list of rule names or codes"
    ) -> list[tuple[Any, KeyPath]]:
        """The items of a list, each with its key path; anything else is reported."""
        if isinstance(value, list):
            return [(item, (*path, n)) for n, item in enumerate(value)]
        dotted = ".".join(str(part) for part in path)
        message = f"`{dotted}` must be {what}, not {_type(value)}"
        self._problem("AM102", self.positions.value(path), message, hint)
        return []

    def _problem(self, code: str, position: Position, message: str, hint: str) -> None:
        self.problems.append(Diagnostic(self.path, position, code, message, hint))


_NOT_SWITCHABLE_HINT = (
    "only these rules can be switched off or given another severity: "
    + ", ".join(rule.code for rule in SWITCHABLE)
    + " (see docs/rules.md); fix the problem instead"
)


def _rule_hint(name: str) -> str:
    if name.upper() in BY_CODE:
        return f"did you mean `{name.upper()}`?"
    if name.lower() in BY_NAME:
        return f"did you mean `{name.lower()}`?"
    candidates = [rule.name for rule in SWITCHABLE] + [rule.code for rule in SWITCHABLE]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return "rules that can be switched off: " + ", ".join(rule.name for rule in SWITCHABLE)


_TYPE_NAMES: dict[type, str] = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a table",
    dt.date: "a date",
    dt.datetime: "a date-time",
    dt.time: "a time",
}


def _type(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


# -- rules -------------------------------------------------------------------------


def lint_map(argument_map: ArgumentMap, settings: RuleSettings) -> list[Diagnostic]:
    """The lint advice for a map that passed validation, after ``settings``, by position."""
    problems = settings.apply(_Linter(argument_map, settings).run())
    return sorted(problems, key=lambda d: (d.position.line, d.position.column))


# Unicode categories: Pd (hyphens, dashes) becomes a space, other punctuation goes.
_UNPUNCTUATED = {"Pd": " ", "Pc": "", "Ps": "", "Pe": "", "Pi": "", "Pf": "", "Po": ""}


class _Unpunctuate(dict[int, str]):
    """A ``str.translate`` table filled in as characters are met: a third of the time of
    a category lookup per character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = replacement = _UNPUNCTUATED.get(unicodedata.category(char), char)
        return replacement


_UNPUNCTUATE = _Unpunctuate()


def normalise_text(text: str) -> str:
    """A node text as AM404 compares it: its plain words (no Markdown), case folded, with
    hyphens and dashes read as spaces, other punctuation left out and white space collapsed."""
    plain = to_plain(text).casefold()
    kept = plain.translate(_UNPUNCTUATE)
    return " ".join(kept.split()) or " ".join(plain.split())  # all punctuation: keep it


def nearly_equal(first: str, second: str) -> bool:
    """Whether two normalised texts are the same or nearly (docs/rules.md, AM404).

    Nearly: at least one word in common, at most one word in five of the longer text
    (at least one word) missing from the other, and a difflib ratio of 0.9 or more.
    """
    if first == second:
        return True
    if not close_in_words(first.split(), second.split()):
        return False
    return _Comparer(second).matches(first)


def words_allowed_to_differ(words: int) -> int:
    """How many words of a text of ``words`` words the other text may lack: one in five,
    and at least one."""
    return max(1, words // 5)


def close_in_words(first: Sequence[str], second: Sequence[str]) -> bool:
    """The word condition of AM404: the two lists of words have a word in common, and the
    longer lacks at most :func:`words_allowed_to_differ` of its words in the other
    (counting repeated words as often as they occur)."""
    longest = max(len(first), len(second))
    shared = (Counter(first) & Counter(second)).total()
    return shared >= 1 and longest - shared <= words_allowed_to_differ(longest)


_KEY_SIZE = 2  # tokens per key: more, fewer candidates but more keys per text
_PREFIX_LIMIT = 12  # a text whose prefix is longer is indexed token by token
_SHORT_LIMIT = 12  # a text of at most this many characters is found by its characters
_HOT_LIMIT = 48  # texts under one key before it is split by a further token
_DEEPEST = 8  # tokens in a key, at most


def first_duplicates(
    texts: Sequence[str],
    *,
    key_size: int = _KEY_SIZE,
    prefix_limit: int = _PREFIX_LIMIT,
    short_limit: int = _SHORT_LIMIT,
    hot_limit: int = _HOT_LIMIT,
) -> list[int | None]:
    """For each normalised text, the index of the first earlier text that is the same or
    nearly (:func:`nearly_equal`), or None.

    Comparing every pair is quadratic, so an inverted index finds the candidates
    instead, exactly, by prefix filtering as in set similarity joins. Each word is a
    token (a repeated word one token per occurrence), and all tokens are ordered rarest
    first. A near duplicate of a text of W words shares at least ``W - allowed(W)`` of
    its tokens with it (:func:`words_allowed_to_differ`; the longer text decides, and
    ``n - allowed(n)`` grows with n), so the k rarest tokens the two share lie among
    the first ``allowed(W) + k`` tokens of each (its prefix), when they share k at all.
    A text is indexed under every set of ``key_size`` tokens of its prefix (k = 2: two
    rare words together are far more selective than one; texts of five common words
    made single-token candidates quadratic), and a near duplicate has one of those
    keys. Texts too short to share k tokens with a near duplicate, and texts whose
    prefix is longer than ``prefix_limit`` (too many keys), are indexed and found
    through single tokens (k = 1) instead. Candidates then go to the exact word count
    and difflib. A text equal to an earlier one is not indexed: the earlier one always
    matches first.

    Texts made from a small stock of phrases share their rarest words by whole phrases,
    so a key of two words of one phrase holds every text with that phrase. A key holding
    more than ``hot_limit`` texts is split (:class:`_Keys`): the m rarest shared tokens
    lie in the first ``allowed + m`` of each text, for every m, so a key of m tokens
    can be extended by each later token of that longer prefix.

    Short texts sharing a common word ("step 1" to "step 9999") are all candidates of
    each other by their words, so texts of at most ``short_limit`` characters are found
    by their characters instead (:class:`_ShortIndex`). ``key_size``, ``prefix_limit``,
    ``short_limit`` and ``hot_limit`` trade speed only, never results.
    """
    tokens = _word_tokens(texts)
    frequency = Counter(token for own in tokens for token in own)
    rank = dict.fromkeys(sorted(frequency, key=lambda token: (frequency[token], token)), 0)
    for position, token in enumerate(rank):
        rank[token] = position
    keyed = _Keys(hot_limit)  # keys of several tokens -> texts indexed under them
    singles: dict[int, list[int]] = {}  # a prefix token -> every text with it
    loose: dict[int, list[int]] = {}  # the same, for texts indexed through single tokens
    first_of: dict[str, int] = {}
    token_sets: dict[int, frozenset[int]] = {}
    short = _ShortIndex(short_limit)
    found: list[int | None] = []
    for number, (text, words) in enumerate(zip(texts, tokens, strict=True)):
        own = sorted([rank[token] for token in words])
        allowed = words_allowed_to_differ(len(own))
        single_prefix = own[: allowed + 1]
        is_loose = len(own) <= key_size or allowed + key_size > prefix_limit
        keys: list[tuple[int, ...]] = []
        if not is_loose:
            keys = list(itertools.combinations(own[: allowed + key_size], key_size))
        candidates: set[int] = set()
        if text and len(text) <= short_limit:  # every match is in the short index
            candidates = short.candidates(text)
        elif is_loose:
            for token in single_prefix:
                candidates.update(singles.get(token, ()))
        else:
            for key in keys:
                keyed.look(key, own, allowed, candidates)
            for token in single_prefix:
                candidates.update(loose.get(token, ()))
        same = first_of.get(text)
        if same is not None:
            candidates.add(same)
        own_set = frozenset(own)
        found.append(_first_match(texts, number, candidates, token_sets, own_set))
        if same is None:
            first_of[text] = number
            token_sets[number] = own_set
            short.add(text, number)
            for token in single_prefix:
                singles.setdefault(token, []).append(number)
                if is_loose:
                    loose.setdefault(token, []).append(number)
            for key in keys:
                keyed.put(key, number, own, allowed)
    return found


class _Keys:
    """Texts by keys of tokens (rank numbers, rarest first), with crowded keys split.

    A matching pair shares its m rarest shared tokens within the first ``allowed + m``
    tokens of each text, for every m up to the count it must share (``len(own) -
    allowed``: it lacks at most ``allowed``). So when a key of m tokens holds more than
    ``hot_limit`` texts it becomes hot, and each text under it is also filed under the
    key extended by each token of its own first ``allowed + m + 1`` that ranks after
    the key's last; a probe then looks under the extensions its own prefix gives, plus
    the texts too short to be extended (``rest``). A probe too short to extend takes
    the whole list. Nothing recurses: the splits of a key are walked with a stack.
    """

    def __init__(self, hot_limit: int) -> None:
        self.hot_limit = hot_limit
        self.texts: dict[tuple[int, ...], list[int]] = {}
        self.rest: dict[tuple[int, ...], list[int]] = {}
        self.hot: set[tuple[int, ...]] = set()
        self.prefixes: dict[int, tuple[Sequence[int], int]] = {}

    def put(self, key: tuple[int, ...], number: int, own: Sequence[int], allowed: int) -> None:
        self.prefixes[number] = (own, allowed)
        listed = self.texts.get(key)
        if listed is None:
            self.texts[key] = [number]
            if self.hot_limit:
                return
        elif key not in self.hot and len(listed) < self.hot_limit:  # the common case
            listed.append(number)
            return
        else:
            listed.append(number)
        self._file(key, number)

    def _file(self, key: tuple[int, ...], number: int) -> None:
        """Split ``key`` if it has grown crowded, and file ``number`` (already under it)
        under the splits of a crowded key, and so on down."""
        pending = [(key, number, False)]
        while pending:
            key, number, new = pending.pop()
            listed = self.texts.setdefault(key, [])
            if new:
                listed.append(number)
            if key in self.hot:
                pending.extend(self._split(key, number))
            elif len(listed) > self.hot_limit and len(key) < _DEEPEST:
                self.hot.add(key)
                for each in listed:
                    pending.extend(self._split(key, each))

    def _split(self, key: tuple[int, ...], number: int) -> list[tuple[tuple[int, ...], int, bool]]:
        own, allowed = self.prefixes[number]
        if len(own) - allowed <= len(key):  # its matches may share only the key's tokens
            self.rest.setdefault(key, []).append(number)
            return []
        return [
            ((*key, token), number, True)
            for token in own[: allowed + len(key) + 1]
            if token > key[-1]
        ]

    def look(self, key: tuple[int, ...], own: Sequence[int], allowed: int, found: set[int]) -> None:
        """Add to ``found`` every text filed under ``key`` that may match ``own``."""
        if key not in self.hot:  # the common case
            found.update(self.texts.get(key, ()))
            return
        pending = [key]
        while pending:
            key = pending.pop()
            if key not in self.hot or len(own) - allowed <= len(key):
                found.update(self.texts.get(key, ()))
                continue
            found.update(self.rest.get(key, ()))
            for token in own[: allowed + len(key) + 1]:
                if token > key[-1] and (*key, token) in self.texts:
                    pending.append((*key, token))


def _least_matching(total: int) -> int:
    """The fewest matching characters difflib needs for a ratio of 0.9 or more between
    two texts of ``total`` characters (its own float arithmetic: ``2.0 * M / total``)."""
    if not total:
        return 0
    least = int(NEAR_DUPLICATE_RATIO * total / 2)
    while least and 2.0 * (least - 1) / total >= NEAR_DUPLICATE_RATIO:
        least -= 1
    while 2.0 * least / total < NEAR_DUPLICATE_RATIO:
        least += 1
    return least


class _ShortIndex:
    """Short texts by their characters: a deletion neighbourhood, exact.

    difflib's matching characters are a common subsequence of the two texts, so two
    texts of lengths a and b with ``ratio() >= 0.9`` share a subsequence of
    ``_least_matching(a + b)`` characters: the first text reaches it by deleting at most
    ``most_deleted(a)`` characters (the most over every length b that can reach the
    ratio at all), the second likewise. Every text is indexed under each string it
    becomes by deleting up to that many characters, and a probe looks up its own: a
    near duplicate shares at least the strings of length ``max(a - most_deleted(a),
    b - most_deleted(b))``. Such keys are nearly unique strings, not common words. Only
    texts that a probe of at most ``limit`` characters can match are indexed (their
    count of keys grows as length to the power ``most_deleted``).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.index_limit = max(
            (
                b
                for a in range(1, limit + 1)
                for b in range(1, 2 * a + 3)
                if _least_matching(a + b) <= min(a, b)
            ),
            default=0,
        )
        self.keyed: dict[str, list[int]] = {}

    @staticmethod
    @functools.cache
    def most_deleted(length: int) -> int:
        """The most characters a text of ``length`` loses in a match with any other."""
        return max(
            (
                length - _least_matching(length + other)
                for other in range(1, 2 * length + 3)
                if _least_matching(length + other) <= min(length, other)
            ),
            default=0,
        )

    @staticmethod
    def keys(text: str) -> set[str]:
        level = {text}
        keys = set(level)
        for _ in range(_ShortIndex.most_deleted(len(text))):
            level = {key[:at] + key[at + 1 :] for key in level for at in range(len(key))}
            keys |= level
        return keys

    def candidates(self, text: str) -> set[int]:
        """Every indexed text that may be a near duplicate of ``text``, and more."""
        found: set[int] = set()
        for key in self.keys(text):
            found.update(self.keyed.get(key, ()))
        return found

    def add(self, text: str, number: int) -> None:
        if self.limit and len(text) <= self.index_limit:
            for key in self.keys(text):
                self.keyed.setdefault(key, []).append(number)


def _word_tokens(texts: Sequence[str]) -> list[list[int]]:
    """Each text's words as numbers, the n-th occurrence of a word its own token."""
    ids: dict[tuple[str, int], int] = {}
    first: dict[str, int] = {}  # the token of a word's first occurrence
    tokens = []
    for text in texts:
        words = text.split()
        for word in words:
            if word not in first:
                first[word] = ids.setdefault((word, 0), len(ids))
        if len(set(words)) == len(words):  # no word repeated: the common case
            tokens.append([first[word] for word in words])
            continue
        occurrences: dict[str, int] = {}
        own = []
        for word in words:
            seen = occurrences.get(word, 0)
            occurrences[word] = seen + 1
            own.append(first[word] if not seen else ids.setdefault((word, seen), len(ids)))
        tokens.append(own)
    return tokens


def _first_match(
    texts: Sequence[str],
    number: int,
    candidates: set[int],
    token_sets: Mapping[int, frozenset[int]],
    own: frozenset[int],
) -> int | None:
    """The first candidate whose text is the same as or nearly the text ``number``."""
    if not candidates:
        return None
    text = texts[number]
    comparer: _Comparer | None = None
    for earlier in sorted(candidates):
        earlier_text = texts[earlier]
        if earlier_text == text:
            return earlier
        theirs = token_sets[earlier]
        longest = max(len(own), len(theirs))
        shared = len(own & theirs)
        if shared >= 1 and longest - shared <= words_allowed_to_differ(longest):
            comparer = comparer or _Comparer(text)
            if comparer.matches(earlier_text):
                return earlier
    return None


_MASK_BITS = 1024


def _bigram_mask(text: str) -> int:
    """The text's pairs of adjacent characters, hashed into a set of bits.

    Two texts with ``ratio() >= 0.9`` have at most U = 0.1 T of their T characters
    outside difflib's matching blocks. A pair of adjacent characters of one text is
    missing from the other only where one of the two is unmatched (at most 2 U_a pairs)
    or a block ends between them, which needs an unmatched character in the other text
    (at most U_b); over both texts that is at most 3 U = 0.3 T pairs. Bits shared by
    several pairs can only lower the count of differing bits. So two masks that differ
    in more than 0.3 T bits belong to texts that are not near duplicates: a cheap test
    before difflib's.
    """
    mask = 0
    for first, second in itertools.pairwise(text):
        mask |= 1 << ((ord(first) * 31 + ord(second)) % _MASK_BITS)
    return mask


class _Comparer:
    """Compares many texts with one (difflib caches what it learns about the second)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mask: int | None = None
        self.matcher = difflib.SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(text)

    def matches(self, other: str) -> bool:
        """Whether ``ratio(other, text) >= 0.9``, with ``other`` as difflib's first text."""
        if other == self.text:
            return True
        total = len(other) + len(self.text)
        if not total or 2 * min(len(other), len(self.text)) < NEAR_DUPLICATE_RATIO * total:
            return False  # the ratio cannot reach the threshold: skip the slow part
        if self.mask is None:
            self.mask = _bigram_mask(self.text)
        if 10 * (self.mask ^ _bigram_mask(other)).bit_count() > 3 * total:
            return False  # see _bigram_mask
        self.matcher.set_seq1(other)
        return (
            self.matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
            and self.matcher.ratio() >= NEAR_DUPLICATE_RATIO
        )


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
        on = self.settings.enabled
        if on("AM402"):
            self._orphans()
        if on("AM401"):
            self._unsupported_claims()
        if on("AM403"):
            self._rebuttals_without_target()
        if on("AM404"):
            self._duplicate_texts()
        if on("AM405"):
            self._thesis_undefended()
        if on("AM406") and self.settings.require_quotes:
            self._missing_quotes()
        if on("AM407"):
            self._overlong_texts()
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

    def _duplicate_texts(self) -> None:
        texts = [normalise_text(node.text) for node in self.nodes]
        for node, text, earlier_number in zip(
            self.nodes, texts, first_duplicates(texts), strict=True
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
        for node in self.nodes:
            length = len(to_plain(node.text))
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
