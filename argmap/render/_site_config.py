"""The ``[site]`` table of ``argmap.toml``: how the whole site is published.

Read by :func:`argmap.config.load_config` with the same machinery as ``[lint]``: every
problem is a diagnostic at its key or value, and what can be read is kept.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from argmap._pickling import by_constructor
from argmap.diagnostics import Diagnostic
from argmap.model._toml_positions import PositionIndex

SITE_KEYS = ("title", "description", "base_url", "out", "templates", "language")
DEFAULT_TITLE = "Argument maps"
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_KEY_HINTS = {
    "url": "did you mean `base_url`?",
    "baseurl": "did you mean `base_url`?",
    "output": "did you mean `out`?",
    "output_dir": "did you mean `out`?",
    "lang": "did you mean `language`?",
    "template": "did you mean `templates`?",
    "name": "did you mean `title`?",
}


@by_constructor
@dataclass(frozen=True, slots=True)
class SiteSettings:
    """The ``[site]`` table; ``SiteSettings()`` is the defaults (no table)."""

    title: str = DEFAULT_TITLE
    description: str | None = None
    base_url: str | None = None  # absolute http(s) URL ending in "/", or None
    out: Path | None = None  # relative to the folder of argmap.toml
    templates: Path | None = None
    language: str = "en"


def read_site(
    data: Mapping[str, Any], positions: PositionIndex, path: Path
) -> tuple[SiteSettings, list[Diagnostic]]:
    """Read ``data["site"]`` (if any) from argmap.toml at ``path``."""
    problems: list[Diagnostic] = []
    if "site" not in data:
        return SiteSettings(), problems
    table = data["site"]

    def problem(code: str, key: tuple[str, ...], message: str, hint: str, value: bool) -> None:
        where = positions.value(key) if value else positions.key(key)
        problems.append(Diagnostic(path, where, code, message, hint))

    if not isinstance(table, dict):
        problem("AM102", ("site",), "`site` must be a table", "write [site] on its own line", True)
        return SiteSettings(), problems
    for key in table:
        if key not in SITE_KEYS:
            close = difflib.get_close_matches(key, SITE_KEYS, n=1, cutoff=0.6)
            hint = _KEY_HINTS.get(key.lower()) or (
                f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(SITE_KEYS)}"
            )
            problem("AM101", ("site", key), f"unknown key `{key}` in [site]", hint, False)

    def text(key: str) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str):
            problem(
                "AM102",
                ("site", key),
                f"`site.{key}` must be a string, not {type(value).__name__}",
                f'write {key} = "..."',
                True,
            )
            return None
        if not value.strip():
            problem(
                "AM104",
                ("site", key),
                f"`site.{key}` is empty",
                f"remove {key} or fill it in",
                True,
            )
            return None
        return value.strip()

    title = text("title") or DEFAULT_TITLE
    description = text("description")
    base_url = text("base_url")
    if base_url is not None:
        parts = urlsplit(base_url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.query
            or parts.fragment
        ):
            problem(
                "AM106",
                ("site", "base_url"),
                f"{base_url!r} is not an absolute http(s) address",
                'write the address the site is published at, e.g. base_url = "https://example.org/maps/"',
                True,
            )
            base_url = None
        elif not base_url.endswith("/"):
            base_url += "/"
    language = text("language") or "en"
    if not _LANGUAGE.fullmatch(language):
        problem(
            "AM106",
            ("site", "language"),
            f"{language!r} is not a language tag",
            'use a BCP 47 tag such as "en", "de" or "pt-BR"',
            True,
        )
        language = "en"
    out = text("out")
    templates = text("templates")
    return (
        SiteSettings(
            title=title,
            description=description,
            base_url=base_url,
            out=path.parent / out if out else None,
            templates=path.parent / templates if templates else None,
            language=language,
        ),
        problems,
    )
