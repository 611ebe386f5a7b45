"""Records pickled as their constructor call (argmap/_pickling.py): the check and the
graph of each map cross between build processes, and must come back equal."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import cast

import pytest

import argmap.diagnostics
import argmap.model
from argmap._pickling import by_constructor
from argmap.build.pipeline import MapFile, check_map
from argmap.config import Config
from argmap.diagnostics import Position

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "arguments"


def _records(module: object) -> list[type]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == getattr(module, "__name__", "")
    ]


@pytest.mark.parametrize(
    "record", _records(argmap.model) + _records(argmap.diagnostics), ids=lambda c: c.__name__
)
def test_every_model_record_pickles_as_its_constructor_call(record: type) -> None:
    # A record left without the decorator falls back to dataclasses' slow per-object
    # path: the build still works, but each map costs 0.5 ms more per crossing.
    assert cast(object, record.__reduce__) is not cast(object, object.__reduce__)


def test_a_position_is_its_constructor_call() -> None:
    assert Position(3, 4).__reduce__() == (Position, (3, 4))


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


@by_constructor
@dataclasses.dataclass(frozen=True, slots=True)
class One:  # module level: pickle finds a class by its qualified name
    value: str


def test_a_one_field_record_round_trips() -> None:
    assert One("x").__reduce__() == (One, ("x",))
    assert pickle.loads(pickle.dumps(One("x"))) == One("x")


def test_a_field_outside_init_is_refused() -> None:
    # cls(*values) would pass it to __init__, which does not take it.
    with pytest.raises(TypeError, match="outside __init__"):

        @by_constructor
        @dataclasses.dataclass(frozen=True, slots=True)
        class Derived:
            value: str
            length: int = dataclasses.field(init=False, default=0)
