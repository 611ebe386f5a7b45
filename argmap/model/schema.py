"""The JSON Schema (draft-07) of the map format, shipped as ``argmap/schema.json``.

Editors with a TOML language server (Even Better TOML/Taplo, Tombi) use it to complete
keys, show what each key means, and mark shape errors while you type; ``argmap schema``
prints it. It covers what a schema can express (known tables and keys, value types,
required keys, legal ids, paragraph numbers, url and language forms). Whether the ids a
relation names exist, and whether quotes occur in the source, only ``argmap check`` can
tell. The format is defined in :mod:`argmap.model.mapformat`; the file stays hand-written for
its editor help (Markdown descriptions, examples, patterns), and tests/test_schema.py
checks its tables, keys, required keys, descriptions and value types against the
definition.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_FILE = "schema.json"
SCHEMA_ID = "urn:argmap:schema:map:1"


def schema_bytes() -> bytes:
    """The shipped schema file, byte for byte."""
    return resources.files("argmap.model").joinpath(SCHEMA_FILE).read_bytes()


def schema_text() -> str:
    """The shipped schema file as text (UTF-8, exactly as shipped)."""
    return schema_bytes().decode("utf-8")


def load_schema() -> dict[str, Any]:
    """The schema as a dict; a new one on each call, so callers may change it."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema
