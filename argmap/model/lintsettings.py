"""The lint settings: a ``[lint]`` table (a map's own, or argmap.toml's) read with a
located problem for every mistake, and the settings in force for one map.

They belong to the map format, not to the rules: the loader reads a map's ``[lint]``
table with the rest of the file. The rules themselves are :mod:`argmap.analysis.lint`;
the quote rules (AM301, AM302) obey the same settings through :meth:`RuleSettings.apply`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from argmap._pickling import by_constructor
from argmap.codes import BY_CODE, BY_NAME, RULES, Rule
from argmap.diagnostics import Diagnostic, Position, Severity
from argmap.model import LintSettings, NodeKind
from argmap.model._toml_positions import KeyPath, PositionIndex
from argmap.model.tomltext import type_name

DEFAULT_MAX_TEXT_LENGTH = 200  # characters of plain text; a diagram box wraps at about 32

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


@by_constructor
@dataclass(frozen=True, slots=True)
class RuleSettings:
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


class _SettingsReader:
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
                    f"`lint.disable` must be a list of rule names or codes, not {type_name(item)}",
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
                    f"`lint.require_quotes` must list node kinds, not {type_name(item)}",
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
                + (str(value) if isinstance(value, float) else type_name(value)),
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
                f"`lint.severity` must be a table, not {type_name(value)}",
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
                f'`{dotted}` must be "error" or "warning", not {type_name(level)}',
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
        message = f"`{dotted}` must be {what}, not {type_name(value)}"
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
