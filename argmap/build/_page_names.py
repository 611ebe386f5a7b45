"""The rules for a map's page name (its path below the maps folder, without ``.toml``):
names that cannot be a page's address, that Windows reserves, or that two maps share.
"""

from __future__ import annotations

import re
from pathlib import Path

from argmap.diagnostics import Diagnostic, Position

# Each part of a page name (scaffold.py and load.py follow the same rule).
PAGE_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Device names Windows reserves in every folder, whatever the extension: a page called
# con.html or a folder aux/ cannot be written or opened there.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
)


def page_name_problems(path: Path, slug: str, seen: dict[str, Path]) -> list[Diagnostic]:
    """The problems of the page name ``slug`` of the map file ``path``; ``seen`` (the
    page names so far, lower-cased, and their files) is updated."""
    problems: list[Diagnostic] = []
    if not all(PAGE_NAME_PART.fullmatch(part) for part in slug.split("/")):
        problems.append(
            Diagnostic(
                path,
                Position(1, 1),
                "AM005",
                f"the file name {slug!r} cannot be used for a page",
                "name map files and folders with letters, digits, '-' and '_' "
                "(the name becomes the page's address)",
            )
        )
    reserved = [p for p in slug.split("/") if p.lower() in _WINDOWS_RESERVED]
    if reserved:
        problems.append(
            Diagnostic(
                path,
                Position(1, 1),
                "AM005",
                f"the name {reserved[0]!r} cannot be used for a page: Windows reserves it "
                "for a device",
                "rename the file or folder (CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 "
                "cannot be file names on Windows, whatever the extension)",
            )
        )
    if slug.lower() == "index":
        problems.append(
            Diagnostic(
                path,
                Position(1, 1),
                "AM006",
                "the page name 'index' is reserved for the list of all maps",
                "index.html is the list of all maps; rename the file, e.g. to overview.toml",
            )
        )
    key = slug.lower()  # case-insensitive file systems would merge these
    if key in seen:
        problems.append(
            Diagnostic(
                path,
                Position(1, 1),
                "AM006",
                f"another map has the same page name {slug!r}: {seen[key]}",
                "rename one of the two files",
            )
        )
    seen[key] = path
    return problems
