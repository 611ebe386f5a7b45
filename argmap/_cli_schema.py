"""argmap commands (registered on argmap.cli.app)."""

from __future__ import annotations
