"""A quicker ``__init__`` for the frozen, slotted dataclasses a large map is made of."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an ``__init__`` that sets each slot through its
    descriptor: the same signature, defaults and values, without the frozen
    dataclass's ``object.__setattr__`` call per field, which was most of the cost of the
    hundreds of thousands of records a large map is made of."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, object] = {}
    parameters, lines = [], []
    for field_ in fields:
        name = field_.name
        if not field_.init or field_.kw_only or field_.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{name}: only plain fields are supported")
        if field_.default is dataclasses.MISSING:
            parameters.append(name)
        else:
            namespace[f"_default_{name}"] = field_.default
            parameters.append(f"{name}=_default_{name}")
        namespace[f"_set_{name}"] = vars(cls)[name].__set__
        lines.append(f"    _set_{name}(self, {name})")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(lines) + "\n"
    exec(source, namespace)  # the names are the dataclass's own fields
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = dict(cls.__init__.__annotations__)
    setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses assigning a method
    return cls
