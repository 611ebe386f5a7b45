"""Records made by argmap._records.quick_init's ``__init__`` are the records the
dataclass's own ``__init__`` makes: same signature, defaults, values, still frozen."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from argmap._records import quick_init
from argmap.diagnostics import Position
from argmap.model import Attack, AttackKind, Citation, Node, NodeKind, Quote, Reason, Status

QUICK = (Position, Quote, Citation, Node, Reason, Attack)


def _reference(cls: type) -> type:
    """The same dataclass with the ``__init__`` dataclasses writes."""
    fields = [(f.name, f.type, f) for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(f"Reference{cls.__name__}", fields, frozen=True)


@pytest.mark.parametrize("cls", QUICK)
def test_the_records_use_the_quick_init(cls: type) -> None:
    init = vars(cls)["__init__"]
    assert "_set_" in " ".join(init.__code__.co_names)


@pytest.mark.parametrize("cls", QUICK)
def test_the_signature_is_the_dataclass_one(cls: type) -> None:
    assert inspect.signature(cls) == inspect.signature(_reference(cls))


def test_values_and_defaults_are_the_dataclass_ones() -> None:
    here = Position(3, 4)
    calls: list[tuple[type, tuple[Any, ...], dict[str, Any]]] = [
        (Position, (2,), {}),
        (Position, (2, 7), {}),
        (Node, ("a", NodeKind.CLAIM, "Text.", here), {}),
        (
            Node,
            ("a", NodeKind.PREMISE, "Text.", here, Quote("q", here, 2), ("t",), "n"),
            {"status": Status.REJECTED, "weight": 0.5, "section": "S", "cites": ()},
        ),
        (Reason, (("a", "b"), "c", here), {"id": "r", "premise_positions": (here, here)}),
        (Attack, ("r", "c", AttackKind.REBUT, here), {}),
        (Citation, ("other", "x", here), {}),
    ]
    for cls, args, kwargs in calls:
        made = cls(*args, **kwargs)
        reference = _reference(cls)(*args, **kwargs)
        assert dataclasses.astuple(made) == dataclasses.astuple(reference)
        assert made == cls(*args, **kwargs)
        assert pickle.loads(pickle.dumps(made)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, dataclasses.fields(made)[0].name, None)
    with pytest.raises(TypeError):
        Node("a", NodeKind.CLAIM)  # type: ignore[call-arg]


def test_fields_it_cannot_write_are_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="only plain fields"):
        quick_init(WithFactory)
