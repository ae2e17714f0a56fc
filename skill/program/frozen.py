"""`replace` for the engine's frozen values: the same new value as `dataclasses.replace`, made
several times quicker (a request replaces a state a few times, and a state has twenty fields).

`dataclasses.replace` rebuilds the value through `__init__`, field by field, from keyword
arguments; a frozen dataclass without `__post_init__` is a plain record, so copying its fields
and setting the changed ones gives the same value. Anything else goes to `dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _plain_fields(kind: type) -> frozenset[str] | None:
    """The fields of a frozen dataclass that `__init__` merely stores, or None for any other
    type (one with `__post_init__`, `__slots__` or fields outside `__init__`)."""
    if not dataclasses.is_dataclass(kind) or hasattr(kind, "__post_init__"):
        return None
    if not kind.__dataclass_params__.frozen or "__slots__" in vars(kind):  # type: ignore[attr-defined]
        return None
    fields = dataclasses.fields(kind)
    if not all(field.init for field in fields):
        return None
    return frozenset(field.name for field in fields)


def replace(value: T, /, **changes: Any) -> T:
    """`value` with `changes`, as `dataclasses.replace` makes it (a TypeError for a name that is
    not a field)."""
    kind: type = type(value)
    names = _plain_fields(kind)
    if names is None or not names.issuperset(changes):
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    copied: Any = object.__new__(kind)
    state = copied.__dict__
    state.update(vars(value))
    state.update(changes)
    return copied  # type: ignore[no-any-return]
