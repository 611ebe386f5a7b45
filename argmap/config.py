"""The project's settings: ``argmap.toml`` in the folder argmap is run from.

The file is optional, and so is everything in it. Today it holds one table, ``[lint]``,
which switches lint rules off, changes their severity and sets their limits for every
map (docs/rules.md). A map's own ``[lint]`` table adds to it (see :mod:`argmap.analysis.lint`).
The file is read with the same machinery as a map file, so every problem in it is
reported with its line and column.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from argmap.diagnostics import Diagnostic, InputError
from argmap.model import LintSettings
from argmap.model._toml_positions import scan_positions
from argmap.model.lintsettings import read_settings
from argmap.model.tomltext import parse_toml, read_text
from argmap.render._site_config import SiteSettings, read_site

CONFIG_FILE = "argmap.toml"
# Every table argmap.toml may have; anything else is reported as an unknown key.
TOP_LEVEL = ("lint", "site")

_GENERIC_SYNTAX_HINT = "fix the TOML syntax here; see docs/format.md for the shape of a map"


@dataclass(frozen=True, slots=True)
class Config:
    """The project's settings; ``Config()`` is the defaults (no argmap.toml)."""

    path: Path | None = None  # the argmap.toml that was read, None when there is none
    lint: LintSettings = field(default_factory=LintSettings)
    site: SiteSettings = field(default_factory=SiteSettings)  # [site] (argmap.render._site_config)


def load_config(root: Path) -> tuple[Config, list[Diagnostic]]:
    """Read ``root/argmap.toml``; a missing file gives the defaults and no diagnostics.

    Problems are diagnostics on the file, sorted by position; whatever could be read is
    still used, as with a map.
    """
    path = root / CONFIG_FILE
    if not (path.exists() or path.is_symlink()):
        return Config(), []
    try:
        text = read_text(path)
    except InputError as error:
        return Config(path), error.diagnostics
    data, diagnostic = parse_toml(path, text)
    if data is None:
        assert diagnostic is not None
        if diagnostic.hint == _GENERIC_SYNTAX_HINT:
            diagnostic = Diagnostic(
                path,
                diagnostic.position,
                diagnostic.code,
                diagnostic.message,
                "fix the TOML syntax here; docs/rules.md describes argmap.toml",
            )
        return Config(path), [diagnostic]

    positions = scan_positions(text)
    problems: list[Diagnostic] = []
    for key in data:
        if key not in TOP_LEVEL:
            close = difflib.get_close_matches(key, TOP_LEVEL, n=1, cutoff=0.6)
            problems.append(
                Diagnostic(
                    path,
                    positions.key((key,)),
                    "AM101",
                    f"unknown key `{key}` at the top level of {CONFIG_FILE}",
                    f"did you mean `{close[0]}`?"
                    if close
                    else f"{CONFIG_FILE} has these tables: "
                    + ", ".join(f"[{name}]" for name in TOP_LEVEL),
                )
            )
    table = data.get("lint", {})
    if not isinstance(table, dict):
        problems.append(
            Diagnostic(
                path,
                positions.value(("lint",)),
                "AM102",
                "`lint` must be a table",
                "write [lint] on its own line, with its keys below it",
            )
        )
        table = {}
    lint, lint_problems = read_settings(
        table,
        positions,
        path,
        project=True,
        position=positions.key(("lint",)) if "lint" in data else None,
    )
    problems += lint_problems
    site, site_problems = read_site(data, positions, path)
    problems += site_problems
    problems.sort(key=lambda d: (d.position.line, d.position.column))
    return Config(path, lint, site), problems
