"""Typed, range-checked reading of one JSON-compatible object, for `state_from_dict`.

Every failure is an `InvalidState` that names the path of the offending field.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import NoReturn, TypeVar

from skill.program.catalogue import Band
from skill.program.errors import InvalidState
from skill.program.timekeeping import parse_date, parse_instant

T = TypeVar("T")


class Fields:
    """The fields of one object, which must have exactly the expected keys (and may have the
    optional ones)."""

    def __init__(self, data: object, where: str, keys: Collection[str],
                 optional: Collection[str] = ()) -> None:
        """`optional` keys may be absent (fields added by a later schema read as None)."""
        if not isinstance(data, dict):
            raise InvalidState(f"{where}: expected an object, got {type(data).__name__}")
        if not _keys_fit(data, keys, optional):
            missing = sorted(set(keys) - data.keys())
            unknown = sorted(str(key) for key in data.keys() - set(keys) - set(optional))
            if missing or unknown:
                raise InvalidState(f"{where}: missing keys {missing}, unknown keys {unknown}")
        self._data: dict[str, object] = data
        self._where = where

    def path(self, key: str) -> str:
        return f"{self._where}.{key}"

    def raw(self, key: str) -> object:
        return self._data.get(key)

    def is_none(self, key: str) -> bool:
        return self._data.get(key) is None

    def _fail(self, key: str, expected: str) -> InvalidState:
        return InvalidState(f"{self.path(key)}: expected {expected}, got {self._data[key]!r}")

    def integer(self, key: str, low: int, high: int) -> int:
        value = self._data[key]
        if type(value) is not int or not low <= value <= high:  # a bool is no integer here
            raise self._fail(key, f"an integer from {low} to {high}")
        return value

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        return None if self.is_none(key) else self.integer(key, low, high)

    def boolean(self, key: str) -> bool:
        value = self._data[key]
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def text(self, key: str) -> str:
        value = self._data[key]
        if not isinstance(value, str) or not value:
            raise self._fail(key, "a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.is_none(key) else self.text(key)

    def local_date(self, key: str) -> date:
        return self._parsed(key, parse_date, "a date YYYY-MM-DD")

    def optional_local_date(self, key: str) -> date | None:
        return None if self.is_none(key) else self.local_date(key)

    def instant(self, key: str) -> datetime:
        return self._parsed(key, parse_instant, "a UTC instant YYYY-MM-DDTHH:MM:SSZ")

    def optional_instant(self, key: str) -> datetime | None:
        return None if self.is_none(key) else self.instant(key)

    def _parsed(self, key: str, parse: Callable[[str], T], expected: str) -> T:
        value = self._data[key]
        try:
            return parse(value) if isinstance(value, str) else _not_text()
        except ValueError:
            raise self._fail(key, expected) from None

    def band(self, key: str) -> Band:
        value = self._data[key]
        try:
            return Band(value)
        except ValueError:
            raise self._fail(key, "one of green, grey, black") from None

    def items(self, key: str, most: int) -> list[object]:
        value = self._data[key]
        if not isinstance(value, list) or len(value) > most:
            raise self._fail(key, f"a list of at most {most} entries")
        return value


def _keys_fit(data: dict[object, object], keys: Collection[str],
              optional: Collection[str]) -> bool:
    """The quick check, in set operations only: every key of `keys` (distinct) present, and no
    other but `optional` ones."""
    extra = data.keys() - keys
    return len(data) - len(extra) == len(keys) and (not extra or extra.issubset(optional))


def _not_text() -> NoReturn:
    raise ValueError("not a string")
