"""Stage 1: read a TOML file into an :class:`~argmap.model.ArgumentMap`.

This stage checks the *shape* of the document (known keys, value types, required text,
legal ids) and reports every problem with the line and column of the offending key or
value. Whether the ids it references exist is the next stage's job (:mod:`argmap.model.validate`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from argmap._gc import collector_paused
from argmap.diagnostics import Diagnostic, InputError, Position
from argmap.markdown import web_address_problem
from argmap.model import (
    ArgumentMap,
    Attack,
    AttackKind,
    Citation,
    Expectation,
    Node,
    NodeKind,
    Quote,
    Reason,
    Source,
    Status,
)
from argmap.model._toml_positions import KeyPath, PositionIndex, scan_positions
from argmap.model.lintsettings import read_settings
from argmap.model.mapformat import EXPECT_LABELS, KINDS, SEMANTICS, STATUSES, TABLES, TOP_LEVEL
from argmap.model.tomltext import parse_toml, read_text, type_name

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# One part of a cited map's page name (as argmap.build.pipeline checks page names).
CITED_MAP_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
# Characters no text may hold: C0 controls but tab and line breaks, DEL, the C1 controls,
# and U+FFFE/U+FFFF. They are invisible, illegal in XML (a Graphviz label with one makes
# an SVG no browser or parser reads) and can drive a terminal when a problem is shown.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_HINT = (
    "remove it (in TOML it is often written as an escape such as \\u0007): control "
    "characters are invisible and cannot appear in a web page or a diagram; tabs and "
    "line breaks are fine"
)
ID_RULE = (
    "ids use letters, digits, '-' and '_', start with a letter or digit, at most 64 characters"
)

# The key lists, from the one definition of the format (argmap.model.mapformat).
_TOP_LEVEL = TOP_LEVEL
_EXPECT_KEYS = TABLES["expect"].names
_HANDOUT_KEYS = TABLES["handout"].names
_MAP_KEYS = TABLES["map"].names
_SOURCE_KEYS = TABLES["source"].names
_KIND_KEYS: dict[NodeKind, tuple[str, ...]] = {kind: TABLES[kind].names for kind in KINDS}
_KIND_KEY_SETS = {kind: frozenset(keys) for kind, keys in _KIND_KEYS.items()}
_REASON_KEYS = TABLES["reason"].names

# Hints for keys that are plausible but belong elsewhere.
_MISPLACED_HINTS = {
    ("attacks", NodeKind.CLAIM): "only rebuttals attack; make this node a [rebuttal.ID]",
    ("attacks", NodeKind.PREMISE): "only rebuttals attack; make this node a [rebuttal.ID]",
    ("undercuts", NodeKind.CLAIM): "only rebuttals undercut; make this node a [rebuttal.ID]",
    ("undercuts", NodeKind.PREMISE): "only rebuttals undercut; make this node a [rebuttal.ID]",
    ("supports", NodeKind.REBUTTAL): (
        "a rebuttal attacks (`attacks = ...`); to back a claim, make this node a premise or claim"
    ),
}


def load_map(path: Path, slug: str, text: str | None = None) -> ArgumentMap:
    """Parse one map file; raise :class:`InputError` listing every problem found."""
    argument_map, problems = load_map_partially(path, slug, text)
    if problems or argument_map is None:
        raise InputError(problems)
    return argument_map


@collector_paused()
def load_map_partially(
    path: Path, slug: str, text: str | None = None, *, data: dict[str, Any] | None = None
) -> tuple[ArgumentMap | None, list[Diagnostic]]:
    """Parse one map file, keeping what can be read despite shape errors.

    The partial map lets validation report broken references in the same run as, say,
    a misspelt key. It is None only when the file is not TOML text at all. A node whose
    text is missing is kept with an empty text, so references to it still resolve.
    ``data`` is ``text`` as :func:`tomllib.loads` gives it, when the caller has parsed
    it already (``argmap import`` parses what it writes, as a safety net): the text is
    then read for positions only, not parsed again.
    """
    if text is None:
        try:
            text = read_text(path)
        except InputError as error:
            return None, error.diagnostics
    if data is None:
        data, problem = parse_toml(path, text)
        if data is None:
            return None, [problem] if problem else []
    converter = _Converter(path, slug, data, scan_positions(text))
    return converter.convert(), converter.problems


class _Converter:
    def __init__(
        self, path: Path, slug: str, data: dict[str, Any], positions: PositionIndex
    ) -> None:
        self.path = path
        self.slug = slug
        self.data = data
        self.positions = positions
        self.problems: list[Diagnostic] = []

    def convert(self) -> ArgumentMap:
        self._unknown_keys(self.data, (), _TOP_LEVEL, "at the top level")
        meta = self._table(("map",), required=True)
        has_meta = isinstance(self.data.get("map"), dict)  # else reported once, just above
        self._unknown_keys(meta, ("map",), _MAP_KEYS, "in [map]")
        title = self._string(meta, ("map", "title"), required=has_meta, hint='add title = "..."')
        thesis = self._id_value(
            meta,
            ("map", "thesis"),
            required=has_meta,
            hint='add thesis = "ID" naming the main claim',
        )
        summary = self._string(meta, ("map", "summary"))
        tags = self._strings(meta, ("map", "tags"))
        questions = self._strings(meta, ("map", "questions"))
        language = self._string(meta, ("map", "language"), restricted=True) or "en"
        if not LANGUAGE_PATTERN.fullmatch(language):
            self._problem(
                "AM106",
                ("map", "language"),
                f"{language!r} is not a language tag",
                'use a BCP 47 tag such as "en", "de" or "pt-BR"',
                at_value=True,
            )
            language = "en"
        source = self._source()
        lint_table = self._table(("lint",), required=False)
        lint, lint_problems = read_settings(
            lint_table,
            self.positions,
            self.path,
            project=False,
            position=self.positions.key(("lint",)) if "lint" in self.data else None,
        )
        self.problems += lint_problems
        expectations, expect_semantics = self._expectations()
        handout = self._table(("handout",), required=False)
        self._unknown_keys(handout, ("handout",), _HANDOUT_KEYS, "in [handout]")
        distractors = self._strings(handout, ("handout", "distractors"))

        nodes: list[Node] = []
        reasons: list[Reason] = []
        attacks: list[Attack] = []
        for kind in NodeKind:
            name = kind.value
            allowed = _KIND_KEYS[kind]  # a misplaced key is reported, not also followed
            supports = "supports" in allowed
            attack_kinds = [(a, a.value) for a in AttackKind if a.value in allowed]
            for node_id, body in self._entries((name,)):
                node = self._node(kind, node_id, body)
                if node is None:
                    continue
                nodes.append(node)
                if supports and "supports" in body:
                    for target, position in self._ids(body, (name, node_id, "supports")):
                        reasons.append(
                            Reason(
                                (node_id,),
                                target,
                                position,
                                premise_positions=(node.position,),
                                conclusion_position=position,
                            )
                        )
                for attack_kind, key in attack_kinds:
                    if key in body:
                        for target, position in self._ids(body, (name, node_id, key)):
                            attacks.append(Attack(node_id, target, attack_kind, position))
        for reason_id, body in self._entries(("reason",)):
            reason = self._reason(reason_id, body)
            if reason is not None:
                reasons.append(reason)

        return ArgumentMap(
            slug=self.slug,
            path=self.path,
            title=title or "",
            thesis=thesis or "",  # missing: reported above, and validation skips it
            position=self.positions.key(("map",)),
            thesis_position=self.positions.value(("map", "thesis")),
            summary=summary,
            tags=tags,
            language=language,
            source=source,
            nodes=tuple(nodes),
            reasons=tuple(reasons),
            attacks=tuple(attacks),
            lint=lint,
            expectations=expectations,
            expect_semantics=expect_semantics,
            questions=questions,
            distractors=distractors,
        )

    # -- tables ------------------------------------------------------------------

    def _source(self) -> Source:
        table = self._table(("source",), required=False)
        self._unknown_keys(table, ("source",), _SOURCE_KEYS, "in [source]")
        values: dict[str, str | None] = {}
        for key in _SOURCE_KEYS:
            raw = table.get(key)
            if key == "date" and isinstance(raw, dt.date):  # a bare TOML date is fine here
                values[key] = raw.isoformat()
            else:
                values[key] = self._string(table, ("source", key))
        url = values["url"]
        problem = None if url is None else web_address_problem(url)
        if problem is not None:
            self._problem(
                "AM106",
                ("source", "url"),
                problem,
                "give the address of the published source, or leave url out",
                at_value=True,
            )
            values["url"] = None
        return Source(
            **values,
            position=self.positions.key(("source",)),
            text_file_position=self.positions.value(("source", "text_file")),
        )

    def _entries(self, path: tuple[str]) -> list[tuple[str, dict[str, Any]]]:
        table = self._table(path, required=False)
        entries = []
        for node_id, body in table.items():
            here = (*path, node_id)
            if not ID_PATTERN.fullmatch(node_id):
                self._problem("AM105", here, f"invalid id {node_id!r}", ID_RULE)
                continue
            if not isinstance(body, dict):
                self._problem(
                    "AM102",
                    here,
                    f"`{path[0]}.{node_id}` must be a table",
                    f'write it as a table: [{path[0]}.{node_id}] with text = "..." below it',
                    at_value=True,
                )
                continue
            entries.append((node_id, body))
        return entries

    def _node(self, kind: NodeKind, node_id: str, body: dict[str, Any]) -> Node | None:
        # Most nodes hold a text and a relation or two: the optional keys are looked at
        # only when present, since a large map has a hundred thousand nodes.
        base = (kind.value, node_id)
        if not body.keys() <= _KIND_KEY_SETS[kind]:
            where = f"in [{kind.value}.{node_id}]"
            self._unknown_keys(body, base, _KIND_KEYS[kind], where, kind)
        text = self._string(
            body,
            (*base, "text"),
            required=True,
            hint='add text = "..." with the statement in your own words',
        )
        quote = paragraph = None
        if "quote" in body or "paragraph" in body:
            quote_text = self._string(body, (*base, "quote"))
            # A quote that is there but refused (wrong type, control character) is
            # reported on its own: the paragraph is not also "without a quote".
            given = body.get("quote")
            has_quote = given is not None and not (isinstance(given, str) and not given.strip())
            paragraph = self._paragraph(body, base, has_quote=has_quote)
            if quote_text is not None:
                quote = Quote(quote_text, self.positions.value((*base, "quote")), paragraph)
        tags = self._strings(body, (*base, "tags")) if "tags" in body else ()
        note = self._string(body, (*base, "note")) if "note" in body else None
        status, status_position = Status.ACCEPTED, None
        if "status" in body:
            status = Status(self._choice(body, (*base, "status"), STATUSES, Status.ACCEPTED))
            status_position = self.positions.value((*base, "status"))
        return Node(
            node_id,
            kind,
            text or "",
            self.positions.key(base),
            quote,
            tags,
            note,
            text_position=self.positions.value((*base, "text")) if text is not None else None,
            status=status,
            base_score=self._fraction(body, (*base, "base_score"))
            if "base_score" in body
            else None,
            weight=self._fraction(body, (*base, "weight")) if "weight" in body else None,
            status_position=status_position,
            questions=self._strings(body, (*base, "questions")) if "questions" in body else (),
            section=_stripped(self._string(body, (*base, "section")))
            if "section" in body
            else None,
            cites=self._citations(body, (*base, "cites")) if "cites" in body else (),
        )

    def _citations(self, body: dict[str, Any], path: KeyPath) -> tuple[Citation, ...]:
        """``cites``: one or more ``"map#node-id"`` strings naming nodes of other maps."""
        key = str(path[-1])
        if key not in body:
            return ()
        items = self._one_or_many(
            body[key], path, "a list of citations", 'write cites = ["other-map#node-id"]'
        )
        found = []
        for item, item_path in items:
            slug, _, node_id = item.partition("#") if isinstance(item, str) else ("", "", "")
            parts = slug.split("/")
            if (
                not isinstance(item, str)
                or not all(CITED_MAP_PART.fullmatch(part) for part in parts)
                or not ID_PATTERN.fullmatch(node_id)
            ):
                shown = repr(item) if isinstance(item, str) else type_name(item)
                self._problem(
                    "AM105",
                    item_path,
                    f"{shown} is not a citation",
                    'write "MAP#ID": the other map\'s page name (its path below the maps '
                    'folder without .toml, such as "unit1/lesson") and a node id in it',
                    at_value=True,
                )
                continue
            found.append(Citation(slug, node_id, self.positions.value(item_path)))
        return tuple(found)

    def _expectations(self) -> tuple[tuple[Expectation, ...], str]:
        """``[expect]``: the labels the author expects, checked by ``argmap check``."""
        table = self._table(("expect",), required=False)
        self._unknown_keys(table, ("expect",), _EXPECT_KEYS, "in [expect]")
        semantics = self._choice(table, ("expect", "semantics"), SEMANTICS, "grounded")
        found: list[Expectation] = []
        seen: dict[str, str] = {}
        for label in EXPECT_LABELS:
            for node_id, position in self._ids(table, ("expect", label)):
                if node_id in seen:
                    self.problems.append(
                        Diagnostic(
                            self.path,
                            position,
                            "AM106",
                            f"{node_id!r} is expected twice (in `{seen[node_id]}` and `{label}`)",
                            "expect one label per statement",
                        )
                    )
                    continue
                seen[node_id] = label
                found.append(Expectation(node_id, label, position))
        return tuple(found), semantics

    def _fraction(self, table: dict[str, Any], path: KeyPath) -> float | None:
        """A number from 0 to 1 (a gradual score or weight), or None when absent."""
        key = str(path[-1])
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._problem(
                "AM102",
                path,
                f"`{_dotted(path)}` must be a number from 0 to 1, not {type_name(value)}",
                f"write {key} = 0.5",
                at_value=True,
            )
            return None
        if not 0 <= value <= 1:
            self._problem(
                "AM106",
                path,
                f"`{_dotted(path)}` must be from 0 to 1, not {value}",
                "0 counts for nothing, 1 fully; the default base score is 0.5 and weight 1",
                at_value=True,
            )
            return None
        return float(value)

    def _choice(
        self, table: dict[str, Any], path: KeyPath, choices: tuple[str, ...], default: str
    ) -> str:
        """A string that must be one of ``choices``."""
        value = self._string(table, path, restricted=True)
        if value is None:
            return default
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1)
            self._problem(
                "AM106",
                path,
                f"`{_dotted(path)}` must be one of {', '.join(choices)}, not {value!r}",
                f"did you mean {close[0]!r}?" if close else f"write one of: {', '.join(choices)}",
                at_value=True,
            )
            return default
        return value

    def _paragraph(self, body: dict[str, Any], base: KeyPath, has_quote: bool) -> int | None:
        if "paragraph" not in body:
            return None
        value = body["paragraph"]
        path = (*base, "paragraph")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self._problem(
                "AM106",
                path,
                "`paragraph` must be a whole number of 1 or more",
                "count blank-line separated paragraphs of the source from 1",
                at_value=True,
            )
            return None
        if not has_quote:
            self._problem(
                "AM107",
                path,
                "`paragraph` is given without a `quote`",
                'add quote = "..." with the words of that paragraph, or remove paragraph',
            )
        return value

    def _reason(self, reason_id: str, body: dict[str, Any]) -> Reason | None:
        base = ("reason", reason_id)
        self._unknown_keys(body, base, _REASON_KEYS, f"in [reason.{reason_id}]")
        premises = self._ids(body, (*base, "premises"))
        if "premises" not in body:
            self._problem(
                "AM103",
                base,
                f"reason {reason_id!r} has no premises",
                'add premises = ["ID", "ID"]: the premises that support the conclusion together',
            )
        elif not premises and isinstance(body["premises"], list) and not body["premises"]:
            self._problem(
                "AM104",
                (*base, "premises"),
                f"reason {reason_id!r} has an empty premises list",
                "name at least one premise or claim",
                at_value=True,
            )
        conclusion = None
        if isinstance(body.get("supports"), list):  # not "put it in quotes" for a list
            self._problem(
                "AM102",
                (*base, "supports"),
                f"`reason.{reason_id}.supports` must be a string, not a list",
                'a reason has one conclusion: supports = "ID"; write one reason for each',
                at_value=True,
            )
        else:
            conclusion = self._id_value(
                body,
                (*base, "supports"),
                required=True,
                hint='add supports = "ID": the claim (or rebuttal) these premises support together',
            )
        note = self._string(body, (*base, "note"))
        if not premises or conclusion is None:
            return None
        return Reason(
            tuple(premise for premise, _ in premises),
            conclusion,
            self.positions.key(base),
            id=reason_id,
            note=note,
            premise_positions=tuple(position for _, position in premises),
            conclusion_position=self.positions.value((*base, "supports")),
            weight=self._fraction(body, (*base, "weight")),
        )

    # -- values ------------------------------------------------------------------

    def _table(self, path: tuple[str], required: bool) -> dict[str, Any]:
        value = self.data.get(path[0])
        if value is None:
            if required:
                self._problem(
                    "AM103",
                    (),
                    f"the map has no [{path[0]}] table",
                    f'add [{path[0]}] with title = "..." and thesis = "ID"',
                )
            return {}
        if not isinstance(value, dict):
            self._problem(
                "AM102",
                path,
                f"`{path[0]}` must be a table",
                f"write [{path[0]}] on its own line, with its keys below it",
                at_value=True,
            )
            return {}
        return value

    def _string(
        self,
        table: dict[str, Any],
        path: KeyPath,
        *,
        required: bool = False,
        hint: str = "",
        restricted: bool = False,
    ) -> str | None:
        """A string value; ``restricted`` when the caller checks it against a pattern or
        a list of choices (which then reports a control character as well)."""
        key = str(path[-1])
        if key not in table:
            if required:
                self._problem("AM103", path[:-1], f"`{_dotted(path)}` is missing", hint)
            return None
        value = table[key]
        if not isinstance(value, str):
            self._problem(
                "AM102",
                path,
                f"`{_dotted(path)}` must be a string, not {type_name(value)}",
                f'put the value in quotes: {key} = "..."',
                at_value=True,
            )
            return None
        if not value.strip():
            if required:
                self._problem("AM104", path, f"`{_dotted(path)}` is empty", hint, at_value=True)
            return None
        if not restricted and not self._printable(value, path):
            return "" if required else None  # reported; a required text stays present
        return value

    def _printable(self, value: str, path: KeyPath) -> bool:
        """False (and a problem reported) when the text holds a control character."""
        found = _CONTROL.search(value)
        if found is None:
            return True
        self._problem(
            "AM106",
            path,
            f"`{_dotted(tuple(p for p in path if isinstance(p, str)))}` contains the control "
            f"character U+{ord(found.group()):04X}",
            _CONTROL_HINT,
            at_value=True,
        )
        return False

    def _strings(self, table: dict[str, Any], path: KeyPath) -> tuple[str, ...]:
        key = str(path[-1])
        if key not in table:
            return ()
        value = table[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            where = path
            if isinstance(value, list):  # point at the first item that is not a string
                where = (*path, next(n for n, v in enumerate(value) if not isinstance(v, str)))
            self._problem(
                "AM102",
                where,
                f"`{_dotted(path)}` must be a list of strings",
                f'write {key} = ["first", "second"]',
                at_value=True,
            )
            return ()
        items = [(n, v) for n, v in enumerate(value) if v.strip()]
        if isinstance(table[key], str):
            return tuple(v for _, v in items if self._printable(v, path))
        return tuple(v for n, v in items if self._printable(v, (*path, n)))

    def _id_value(
        self, table: dict[str, Any], path: KeyPath, *, required: bool, hint: str
    ) -> str | None:
        value = self._string(table, path, required=required, hint=hint, restricted=True)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self._problem("AM105", path, f"{value!r} is not a valid id", ID_RULE, at_value=True)
            return None
        return value

    def _one_or_many(
        self, value: Any, path: KeyPath, expected: str, hint: str
    ) -> list[tuple[Any, KeyPath]]:
        """A value that may be one item or a list of them: each item with its key path.

        Anything else is AM102 (``expected`` says what was wanted) and gives no items.
        """
        if isinstance(value, str):
            return [(value, path)]
        if isinstance(value, list):
            return [(item, (*path, n)) for n, item in enumerate(value)]
        self._problem(
            "AM102",
            path,
            f"`{_dotted(path)}` must be {expected}, not {type_name(value)}",
            hint,
            at_value=True,
        )
        return []

    def _ids(self, table: dict[str, Any], path: KeyPath) -> list[tuple[str, Position]]:
        """An id or a list of ids, each with the position of its own value."""
        key = str(path[-1])
        if key not in table:
            return []
        items = self._one_or_many(
            table[key],
            path,
            "an id or a list of ids",
            f'write {key} = "ID" or {key} = ["ID", "ID"]',
        )
        result = []
        for item, item_path in items:
            if not isinstance(item, str) or not ID_PATTERN.fullmatch(item):
                shown = repr(item) if isinstance(item, str) else type_name(item)
                self._problem(
                    "AM105", item_path, f"{shown} is not a valid id", ID_RULE, at_value=True
                )
                continue
            result.append((item, self.positions.value(item_path)))
        return result

    def _unknown_keys(
        self,
        table: dict[str, Any],
        base: KeyPath,
        allowed: tuple[str, ...],
        where: str,
        kind: NodeKind | None = None,
    ) -> None:
        for key in table:
            if key in allowed:
                continue
            hint = _MISPLACED_HINTS.get((key, kind)) if kind else None
            if hint is None:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                known = ", ".join(allowed)
                hint = f"did you mean `{close[0]}`?" if close else f"known keys {where}: {known}"
                if not base and not close:
                    hint = (
                        "a map has [map], [source] and tables of nodes: [claim.ID], "
                        "[premise.ID], [rebuttal.ID], [reason.ID]; optionally [lint]"
                    )
                elif key == "lint" and not close:  # lint.disable = [...] below [map]
                    hint = (
                        f"every key below [{_dotted(base)}] belongs to it, up to the next "
                        "[table] header; put [lint] on its own line, with its keys below it"
                    )
                elif key in _TOP_LEVEL and not close:  # claim.x.text = "..." below [map]
                    hint = (
                        f"every key below [{_dotted(base)}] belongs to it, up to the next "
                        f"[table] header; start this node with its own [{key}.ID] header"
                    )
            self._problem("AM101", (*base, key), f"unknown key `{key}` {where}", hint)

    def _problem(
        self, code: str, path: KeyPath, message: str, hint: str, *, at_value: bool = False
    ) -> None:
        position = self.positions.value(path) if at_value else self.positions.key(path)
        self.problems.append(Diagnostic(self.path, position, code, message, hint))


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def _stripped(value: str | None) -> str | None:
    """A name without surrounding white space ("Economy " and "Economy" are one section)."""
    return value.strip() if value is not None else None
