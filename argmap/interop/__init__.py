"""argmap and other tools: export a map to other formats, import maps from them.

:func:`export` turns a checked map into any format of the registry
(:mod:`argmap.interop.formats`): JSON (argmap's own document), the diagram (DOT, SVG,
PNG, PDF), GraphML, AIF or xAIF, Argdown, a Markdown outline or a Mermaid flowchart.
:func:`import_map` reads AIF JSON (AIFdb or OVA3/xAIF), Argdown or argmap's JSON and
returns the text of a map file with a report of everything that could not be kept.
docs/interop.md describes every format.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from argmap.analysis.graph import ArgumentGraph
from argmap.interop.document import Document
from argmap.interop.draft import MAX_DEPTH, ImportFailedError

__all__ = [
    "BINARY_FORMATS",
    "EXPORT_FORMATS",
    "ImportFailedError",
    "ImportResult",
    "export",
    "import_map",
    "render",
]


if TYPE_CHECKING:  # given by __getattr__ below
    EXPORT_FORMATS: tuple[str, ...]
    BINARY_FORMATS: frozenset[str]
    SUFFIXES: dict[str, str]


def __getattr__(name: str) -> object:
    """``EXPORT_FORMATS``, ``BINARY_FORMATS`` and ``SUFFIXES``, read from the registry
    when first asked for (finding the formats imports their modules)."""
    from argmap.interop.formats import export_formats

    formats = export_formats()
    if name == "EXPORT_FORMATS":
        return tuple(formats)
    if name == "BINARY_FORMATS":
        return frozenset(entry.name for entry in formats.values() if entry.binary)
    if name == "SUFFIXES":
        return {entry.name: entry.suffix for entry in formats.values()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(dot_source: str, fmt: str, *, timeout: float | None = None) -> bytes:
    """The diagram in ``fmt`` (svg, png, pdf, or dot with layout) from Graphviz."""
    from argmap.interop.diagram import render

    return render(dot_source, fmt, timeout=timeout)


def export(graph: ArgumentGraph, fmt: str, *, timeout: float | None = None) -> str | bytes:
    """The map of ``graph`` in ``fmt``, a name in the registry (:mod:`.formats`)."""
    from argmap.interop.formats import export_formats

    formats = export_formats()
    entry = formats.get(fmt)
    if entry is None:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(formats)}")
    return entry.write(graph, timeout)


@dataclass(frozen=True)
class ImportResult:
    text: str  # the TOML map file
    input_format: str  # "aif", "xaif", "argdown" or "json"
    report: tuple[str, ...]  # what was read, and everything that could not be kept


def import_map(path: Path, *, text: str | None = None, folder: Path | None = None) -> ImportResult:
    """Read ``path`` (AIF JSON, argmap JSON or Argdown) and write it as a map file.

    ``folder`` is where the map will be written (None: not known, as for standard
    output); a ``source.text_file`` of the input is kept only if it stays inside it.
    Raises :class:`ImportFailedError` with a message when the file cannot be made into a
    map that passes ``argmap check``.
    """
    from argmap.interop.draft import Finished, finish
    from argmap.interop.tomlwrite import Layout, to_toml_parsed

    if text is None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            raise ImportFailedError(f"cannot read {path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise ImportFailedError(f"{path} is not UTF-8 text") from None
    name = path.name
    stripped = text.lstrip()
    finished: Finished
    if path.suffix.lower() in (".argdown", ".ad", ".md") or not stripped.startswith(("{", "[")):
        from argmap.interop.argdown import read_argdown

        input_format = "argdown"
        finished = finish(read_argdown(text, name))
        layout = Layout(
            header=(f"Imported from {name} (Argdown) by `argmap import`.",),
            comments=finished.comments,
            sections=finished.sections,
            keep_order=bool(finished.sections),
        )
    else:
        data = load_json(text, name)
        if isinstance(data, dict) and data.get("format") == "argmap":
            from argmap.interop.document import data_only

            input_format = "json"
            _check_shape(data, name)
            try:
                document = data_only(data)
            except (KeyError, TypeError) as error:  # a reason or attack lacks a part
                raise ImportFailedError(
                    f"{name}: a reason or attack of argmap JSON is incomplete: {error!r}"
                ) from None
            document["map"].setdefault("language", "en")  # as a map file reads
            document["nodes"] = [
                {k: v for k, v in n.items() if k != "number"} for n in data.get("nodes", [])
            ]
            finished = Finished(document, {}, {}, [f"read {name} as argmap JSON"])
            layout = Layout(header=(f"Imported from {name} (argmap JSON) by `argmap import`.",))
        else:
            from argmap.interop.aif import read_aif

            input_format = "xaif" if isinstance(data, dict) and "AIF" in data else "aif"
            finished = finish(read_aif(data, name))
            layout = Layout(
                header=(f"Imported from {name} (AIF) by `argmap import`.",),
                comments=finished.comments,
            )
    report = list(finished.report)
    report += carry_settings(finished.document, folder)
    try:
        toml_text, toml_data = to_toml_parsed(finished.document, layout)
    except (KeyError, TypeError, ValueError) as error:
        raise ImportFailedError(f"{name}: cannot write the map: {error}") from None
    try:
        toml_text.encode("utf-8")
    except UnicodeEncodeError as error:  # "\ud800" alone in JSON: no UTF-8 file holds it
        code = f"\\u{ord(error.object[error.start]):04x}"
        raise ImportFailedError(
            f"{name}: a text holds {code}, half of a UTF-16 surrogate pair without its "
            "other half, which a UTF-8 file cannot hold: remove it or give the pair"
        ) from None
    report += _check(toml_text, toml_data, path)
    return ImportResult(toml_text, input_format, tuple(report))


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def load_json(text: str, name: str) -> object:
    """The JSON value of ``text``, or :class:`ImportFailedError` saying where it is wrong.

    Python's ``json`` recurses once per level of nesting, so arrays nested some
    thousand levels deep would raise RecursionError: nesting is measured first, without
    recursion, and more than :data:`MAX_DEPTH` levels is refused with the line and column.
    """
    where = _too_deep(text)
    if where is not None:
        line, column = where
        raise ImportFailedError(
            f"{name}, line {line}, column {column}: arrays and objects are nested more than "
            f"{MAX_DEPTH} levels deep; AIF and argmap's JSON need at most 5: is this the "
            "file you meant?"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailedError(f"{name} is not valid JSON: {error}") from None
    except (ValueError, RecursionError) as error:  # a number of 5,000 digits, say
        raise ImportFailedError(f"{name} cannot be read as JSON: {error}") from None


def _too_deep(text: str) -> tuple[int, int] | None:
    """The line and column where brackets outside strings open more than
    :data:`MAX_DEPTH` levels deep, or None; linear, and all in ``re`` but for a
    deep file."""
    brackets = _JSON_BRACKET.findall(_JSON_STRING.sub('""', text))
    if max(accumulate(map(_STEP.__getitem__, brackets), initial=0)) <= MAX_DEPTH:
        return None
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        depth += 1 if token in "[{" else -1 if token in "]}" else 0
        if depth > MAX_DEPTH:
            start = match.start()
            return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
    return None  # pragma: no cover - the two scans see the same brackets


def _check_shape(data: dict[str, object], name: str) -> None:
    """argmap JSON has a ``map`` object and lists of objects (absent lists are empty)."""
    if not isinstance(data.get("map"), dict):
        raise ImportFailedError(f"{name}: argmap JSON needs a `map` object (title, thesis)")
    for key in ("nodes", "reasons", "attacks"):
        data.setdefault(key, [])
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ImportFailedError(f"{name}: `{key}` of argmap JSON must be a list of objects")


SETTINGS = ("source", "lint", "expect")


def carry_settings(document: Document, folder: Path | None) -> list[str]:
    """A report line for every setting the input gives the map (``[source]``, ``[lint]``,
    ``[expect]``): the input may come from anyone, and these change what ``argmap check``
    reads and reports. A ``source.text_file`` that is absolute or leads out of ``folder``
    is dropped (with a warning), not kept: ``check`` would read that file (a secret, a
    device, a pipe) and say whether its quotes are in it.
    """
    report = []
    for table in SETTINGS:
        values = document.get(table)
        if values is None:
            continue
        if not isinstance(values, dict):
            del document[table]
            report.append(f"warning: dropped `{table}` of the input: it is not a table")
            continue
        if table == "source" and "text_file" in values:
            problem = text_file_problem(values["text_file"], folder)
            if problem is not None:
                shown = _shown(values.pop("text_file"))
                report.append(
                    f"warning: dropped the setting source.text_file = {shown}: {problem}; "
                    "`argmap check` would read that file: add it to [source] yourself if "
                    "you trust it"
                )
        for key, value in values.items():
            report.append(f"carried from the input: {table}.{key} = {_shown(value)}")
        if not values:
            del document[table]
    return report


def text_file_problem(value: object, folder: Path | None) -> str | None:
    """Why ``value`` may not be the ``text_file`` of a map written to ``folder``, or None.

    The path must be relative and stay inside the folder once ``..`` is resolved (read
    with ``/`` and ``\\`` as separators, as on any system the map may be checked on) and,
    when the folder is known, once symbolic links are followed.
    """
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        return "it is not a file name"
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).anchor:
        return "it is an absolute path"
    normal = posixpath.normpath(value.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        return "it leads out of the map's folder"
    if folder is not None:
        base = Path(os.path.realpath(folder))
        if not Path(os.path.realpath(base / value)).is_relative_to(base):
            return "it leads out of the map's folder through a symbolic link"
    return None


def _shown(value: object) -> str:
    """A value as a short line of JSON for the report (long texts cut)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else f"{text[:117]}..."


def _check(text: str, data: dict[str, Any], path: Path) -> list[str]:
    """Check the written map as ``argmap check`` would; errors fail the import.
    ``data`` is ``text`` parsed (by the writer's safety net): parsed once, not twice."""
    from argmap.analysis.lint import lint_map, settings_for
    from argmap.config import Config
    from argmap.diagnostics import Severity, render_text
    from argmap.model.load import load_map_partially
    from argmap.model.validate import find_problems

    written = path.with_suffix(".toml")
    argument_map, problems = load_map_partially(written, written.stem, text, data=data)
    if argument_map is not None:
        problems += find_problems(argument_map)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or argument_map is None:
        shown = "\n".join(render_text(p, text) for p in errors)
        raise ImportFailedError(
            f"{path.name}: the map made from it does not pass the check:\n{shown}"
        )
    warnings = lint_map(argument_map, settings_for(Config().lint, argument_map.lint))
    return [f"warning: {w.message} (line {w.position.line}, {w.code})" for w in warnings]
