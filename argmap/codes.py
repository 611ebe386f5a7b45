"""The stable codes of every problem argmap reports (documented in docs/rules.md).

A code never changes meaning once released; tools and CI configurations rely on it.
AM0xx: files and the site, AM1xx: the shape of a map file, AM2xx: relations between
nodes, AM3xx: quotes and the source, AM4xx: lint rules (advice; each can be switched
off), AM5xx: the evaluation (``[expect]``). Rules marked ``switchable`` can be disabled
in ``argmap.toml`` or per map.
"""

from __future__ import annotations

from dataclasses import dataclass

from argmap.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: Severity = Severity.ERROR
    switchable: bool = False


_E = Severity.ERROR
_W = Severity.WARNING

RULES: tuple[Rule, ...] = (
    Rule("AM001", "unreadable-file", "a map file cannot be read"),
    Rule("AM002", "not-utf8", "a map file is not UTF-8 text"),
    Rule("AM003", "toml-syntax", "a map file is not valid TOML"),
    Rule("AM004", "no-maps", "no map files were found"),
    Rule("AM005", "bad-file-name", "a map's file name cannot be used as a page name"),
    Rule("AM006", "page-name-clash", "two maps would get the same page"),
    Rule("AM007", "template-error", "a template cannot be rendered"),
    Rule("AM101", "unknown-key", "a key argmap does not know"),
    Rule("AM102", "wrong-type", "a value of the wrong type"),
    Rule("AM103", "missing-key", "a required key or table is missing"),
    Rule("AM104", "empty-value", "a required text is empty"),
    Rule("AM105", "invalid-id", "an id that breaks the id rules"),
    Rule("AM106", "invalid-value", "a value outside what the key accepts"),
    Rule("AM107", "paragraph-without-quote", "a paragraph number without a quote"),
    Rule("AM201", "duplicate-id", "an id used twice"),
    Rule("AM202", "unknown-id", "a reference to an id that does not exist"),
    Rule("AM203", "wrong-kind", "a relation between the wrong kinds of node"),
    Rule("AM204", "self-reference", "a node that supports or attacks itself"),
    Rule("AM205", "support-cycle", "support that goes round in a circle (circular reasoning)"),
    Rule("AM206", "duplicate-relation", "the same relation stated twice"),
    Rule("AM207", "unknown-cited-map", "a citation of a map that does not exist"),
    Rule("AM208", "unknown-cited-node", "a citation of a node the cited map does not have"),
    Rule("AM209", "self-citation", "a citation of a node of the same map"),
    Rule("AM301", "quote-not-in-source", "a quote that is not verbatim in the source", _E, True),
    Rule("AM302", "source-unreadable", "the source text file cannot be read", _W, True),
    Rule("AM303", "source-not-a-text-file", "the source text is not a regular file or too large"),
    Rule("AM401", "unsupported-claim", "a claim other than the thesis with no reason", _W, True),
    Rule("AM402", "orphan-node", "a node with no relation at all", _W, True),
    Rule("AM403", "rebuttal-without-target", "a rebuttal that attacks nothing", _W, True),
    Rule("AM404", "duplicate-text", "two nodes with the same or nearly the same text", _W, True),
    Rule("AM405", "thesis-undefended", "the thesis is attacked and never defended", _W, True),
    Rule("AM406", "missing-quote", "a node without a quote where quotes are required", _W, True),
    Rule("AM407", "overlong-text", "a node text too long for a diagram box", _W, True),
    Rule("AM408", "status-ignored", "a status on a statement that has reasons", _W, True),
    Rule("AM501", "expectation-failed", "a statement's verdict differs from [expect]"),
    Rule("AM502", "evaluation-too-large", "the map is too large to evaluate under [expect]"),
)

BY_CODE = {rule.code: rule for rule in RULES}
BY_NAME = {rule.name: rule for rule in RULES}


def rule(code: str) -> Rule:
    return BY_CODE[code]
