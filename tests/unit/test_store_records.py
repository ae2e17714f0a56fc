"""What the stores accept: plain JSON with integers, and history entries keyed by at and kind."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.storage import InvalidRecord
from skill.storage.records import (
    MAX_ENTRIES_PER_SAVE,
    decode,
    encode,
    entry_key,
    schema_version,
    unique_entries,
)

plain_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=50)
@given(st.dictionaries(st.text(), plain_json))
def test_plain_json_round_trips_exactly(document: dict[str, object]) -> None:
    """Any document of strings, integers of any size, booleans, None, lists and objects
    decodes to an equal document."""
    assert decode(encode(document)) == document


@settings(max_examples=50)
@given(st.dictionaries(st.text(), plain_json, min_size=1), st.floats())
def test_a_float_anywhere_is_refused(document: dict[str, object], number: float) -> None:
    """A float, even one equal to an integer, is refused wherever it is nested."""
    key = next(iter(document))
    with pytest.raises(InvalidRecord, match="float"):
        encode({**document, key: [{"deep": number}]})


@pytest.mark.parametrize("value", [(1, 2), {1, 2}, b"bytes", {1: "non-string key"}])
def test_other_python_values_are_refused(value: object) -> None:
    """Tuples, sets, bytes and non-string keys would not come back as they went in."""
    with pytest.raises(InvalidRecord):
        encode({"value": value})


def test_encoding_is_compact_and_stable() -> None:
    """No spaces, keys sorted, non-ASCII kept: the same state always encodes the same."""
    assert encode({"b": [1, 2], "a": "Zürich"}) == '{"a":"Zürich","b":[1,2]}'


def test_the_schema_version_must_be_an_integer() -> None:
    """A state without an integer schema_version is refused; True is not an integer here."""
    assert schema_version({"schema_version": 3}) == 3
    for state in ({}, {"schema_version": "3"}, {"schema_version": True}):
        with pytest.raises(InvalidRecord):
            schema_version(state)


def test_an_entry_is_keyed_by_its_instant_and_kind() -> None:
    """(at, kind, id) identifies an entry (no id: ""); a later duplicate replaces an earlier
    one."""
    first = {"kind": "run", "at": "2027-01-04T13:30:00Z", "minutes": 20}
    again = {**first, "minutes": 25}
    assert entry_key(first) == ("2027-01-04T13:30:00Z", "run", "")
    assert entry_key({**first, "id": "w2"}) == ("2027-01-04T13:30:00Z", "run", "w2")
    assert list(unique_entries([first, again]).values()) == [again]


def test_one_save_carries_a_bounded_number_of_entries() -> None:
    """More entries than one save may carry are refused up front, in every store."""
    entries = [
        {"kind": "run", "at": f"2027-01-01T00:{n // 60:02}:{n % 60:02}Z"} for n in range(100)
    ]
    assert len(unique_entries(entries[:MAX_ENTRIES_PER_SAVE])) == MAX_ENTRIES_PER_SAVE
    with pytest.raises(InvalidRecord, match="per save"):
        unique_entries(entries[: MAX_ENTRIES_PER_SAVE + 1])


@pytest.mark.parametrize(
    "entry",
    [
        {"at": "2027-01-04T13:30:00Z"},
        {"kind": "run"},
        {"kind": "", "at": "2027-01-04T13:30:00Z"},
        {"kind": "run#1", "at": "2027-01-04T13:30:00Z"},
        {"kind": "run", "at": 20270104},
        {"kind": "run", "at": "2027-01-04T13:30:00Z", "id": "a#b"},
        {"kind": "run", "at": "2027-01-04T13:30:00Z", "id": 7},
        ["run", "2027-01-04T13:30:00Z"],
    ],
)
def test_an_entry_without_a_usable_key_is_refused(entry: object) -> None:
    """Missing, empty, non-string or '#'-bearing kind or at cannot make a sort key."""
    with pytest.raises(InvalidRecord):
        entry_key(entry)  # type: ignore[arg-type]


def test_decode_refuses_anything_but_an_object() -> None:
    """A stored document that is not a JSON object is reported, not returned."""
    with pytest.raises(InvalidRecord):
        decode(json.dumps([1, 2]))
