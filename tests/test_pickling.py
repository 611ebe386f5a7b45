"""The check and the graph of each map cross between build processes (pickled), and must
come back equal."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from argmap.config import Config
from argmap.pipeline import MapFile, check_map

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "arguments"


@pytest.mark.parametrize(
    "path",
    [*sorted((FIXTURES / "valid").glob("*.toml")), *sorted(SEED.glob("*.toml"))],
    ids=lambda p: p.name,
)
def test_a_checked_map_and_its_graph_come_back_equal(path: Path) -> None:
    checked = check_map(MapFile(path, path.stem, path.parent), Config())
    assert checked.graph is not None
    again = pickle.loads(pickle.dumps(checked, pickle.HIGHEST_PROTOCOL))
    assert again == checked
    assert again.graph == checked.graph
    assert again.graph.numbers == checked.graph.numbers
