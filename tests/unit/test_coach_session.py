"""Session memory: what a session remembers, written and read back, and defensive reading."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.coach import session
from skill.coach.session import Awaiting, CachedUser, SessionMemory
from skill.speech.workout import Position

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=10,
)


def test_memory_round_trips_through_the_attributes() -> None:
    """Everything written is read back the same."""
    memory = SessionMemory(
        user=CachedUser({"band": "grey"}, 3, [{"kind": "run", "at": "2027-01-04T13:30:00Z"}],
                        dirty=True, owner="c6c289e49e9c"),
        awaiting=Awaiting.CONFIRM_DELETE,
        next_position=Position(2, 3),
        zone="Europe/London",
        zone_asked=True,
        welcomed=True,
    )
    attributes: dict[str, Any] = {"other": 1}
    memory.write(attributes)
    assert SessionMemory.read(attributes) == memory
    assert attributes["other"] == 1


def test_writing_clears_what_is_no_longer_remembered() -> None:
    """A question answered and a workout left: their keys disappear from the attributes."""
    attributes: dict[str, Any] = {}
    SessionMemory(awaiting=Awaiting.NEXT_TURN, next_position=Position(1, 2),
                  zone_asked=True, welcomed=True).write(attributes)
    SessionMemory().write(attributes)
    assert attributes == {}


@pytest.mark.parametrize("attributes", [
    {"workout": {"round": 2, "exercise": "bridge"}},
    {"user": {"state": "not a dict", "version": 1}},
    {"user": {"state": {}, "version": True}},
    {"awaiting": "confirm_everything", "next": [0, 1]},
    {"next": [1, -1], "zone": 5},
    {"next": ["1", "2"]},
    {"welcomed": "yes"},
    {"zone_asked": "yes"},
])
def test_malformed_attributes_read_as_absent(attributes: dict[str, Any]) -> None:
    """Attributes of another shape are ignored, not trusted."""
    assert SessionMemory.read(attributes) == SessionMemory()


@given(st.dictionaries(st.sampled_from(["user", "awaiting", "next", "zone", "x"]), JSON))
def test_any_attributes_can_be_read(attributes: dict[str, Any]) -> None:
    """Whatever a device sends back, reading it never fails and yields only valid values."""
    memory = SessionMemory.read(attributes)
    assert memory.next_position is None or memory.next_position.round >= 1
    assert memory.zone is None or isinstance(memory.zone, str)


def test_a_copy_read_without_its_owner_names_nobody() -> None:
    """A copy written before copies named their user (or with a malformed owner) reads with no
    owner, so no user's turn will take it for theirs."""
    for owner in ({}, {"owner": 7}):
        memory = SessionMemory.read({"user": {"state": {}, "version": 1, **owner}})
        assert memory.user is not None and memory.user.owner is None


def test_the_copy_of_the_user_is_one_string_attribute() -> None:
    """The SDK reads, deep-copies and writes attributes value by value: the copy is one value."""
    attributes: dict[str, Any] = {}
    SessionMemory(user=CachedUser({"band": "grey", "levels": {"bridge": 2}}, 3,
                                  owner="c6c289e49e9c")).write(attributes)
    assert isinstance(attributes["user"], str)
    assert SessionMemory.read(attributes).user == CachedUser(
        {"band": "grey", "levels": {"bridge": 2}}, 3, owner="c6c289e49e9c")


@pytest.mark.parametrize("text", ["not json", '"a string"', "[1, 2]", '{"state": 5}',
                                  "[" * 5000 + "]" * 5000])
def test_a_malformed_copy_string_reads_as_absent(text: str) -> None:
    """Text that is no JSON object with a state, or nested past the parser's limit: no copy."""
    assert SessionMemory.read({"user": text}).user is None


def test_a_copy_kept_unchanged_is_written_back_as_it_came(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A turn that only reads the copy writes the text it received, encoding nothing; a turn
    that replaces the copy writes the new one."""
    attributes: dict[str, Any] = {}
    SessionMemory(user=CachedUser({"band": "grey"}, 3, owner="c6c289e49e9c")).write(attributes)
    received = attributes["user"]
    memory = SessionMemory.read(attributes)
    encoded: list[object] = []
    monkeypatch.setattr(session.json, "dumps", lambda value, **_: encoded.append(value) or "{}")
    memory.write(attributes)
    assert attributes["user"] is received and encoded == []
    memory.user = CachedUser({"band": "black"}, 4, owner="c6c289e49e9c")
    memory.write(attributes)
    assert len(encoded) == 1


def test_a_state_read_as_text_goes_into_the_session_as_that_text() -> None:
    """A copy read from the store carries the stored text: the session holds it as it was, and
    reads back the same copy."""
    stored = '{"band":"grey","levels":{"bridge":2}}'
    copy = CachedUser({"band": "grey", "levels": {"bridge": 2}}, 3, owner="c6c289e49e9c",
                      state_text=stored)
    attributes: dict[str, Any] = {}
    SessionMemory(user=copy).write(attributes)
    assert attributes["user"].startswith('{"state":' + stored + ",")
    assert SessionMemory.read(attributes).user == copy
