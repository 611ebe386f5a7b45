"""Records pickled as their constructor call, for the trips between build processes.

A map's check goes from a worker to the main process and its graph back to a worker for
its page. Dataclasses pickle a slotted instance through ``dataclasses.fields()`` for
every object, in Python; a 30-node map holds about 180 of them (most are positions), so
each crossing cost 0.8 ms. ``(cls, values)`` costs a third of that, and every field is
an ``__init__`` argument, so the constructor rebuilds the same record.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def by_constructor(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass a ``__reduce__`` that calls ``cls(*values)``."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if not all(field.init for field in fields):
        raise TypeError(f"{cls.__name__}: a field outside __init__ cannot be pickled this way")
    values: Callable[[Any], Any] = operator.attrgetter(*(field.name for field in fields))
    if len(fields) == 1:  # attrgetter of one name gives the value, not a tuple

        def reduce(self: T) -> tuple[type[T], tuple[Any, ...]]:
            return cls, (values(self),)

    else:

        def reduce(self: T) -> tuple[type[T], tuple[Any, ...]]:
            return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls
