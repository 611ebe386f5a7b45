"""The registry of export formats: each is one :class:`ExportFormat` in its own module.

A module of :mod:`argmap.interop` that writes a format lists it in a module-level
``EXPORTS`` tuple; :func:`export_formats` finds every such tuple. Adding a format is
then its module, its section of docs/interop.md and its test, nothing else: the
``argmap export`` command, its help and the tests that run every format read this
registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argmap.analysis.graph import ArgumentGraph


@dataclass(frozen=True)
class ExportFormat:
    """One format ``argmap export --to NAME`` writes."""

    name: str  # what --to takes
    suffix: str  # of the file it is usually saved in
    summary: str  # a short phrase for listings
    write: Callable[[ArgumentGraph, float | None], str | bytes]  # graph, Graphviz timeout
    binary: bool = False  # bytes that need a file (-o), not standard output
    rank: int = 100  # place in listings: lower first, then by name


@cache
def export_formats() -> dict[str, ExportFormat]:
    """Every export format by name, in listing order."""
    found: list[ExportFormat] = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        loaded = importlib.import_module(f"{__package__}.{module.name}")
        found.extend(getattr(loaded, "EXPORTS", ()))
    names = [entry.name for entry in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise RuntimeError(f"export formats registered twice: {', '.join(duplicates)}")
    return {entry.name: entry for entry in sorted(found, key=lambda e: (e.rank, e.name))}
