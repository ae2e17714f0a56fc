"""One request's unit of work, against an in-memory store: reads, writes, conflicts, outages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pytest

from skill.adapters.timezones import DeviceRef
from skill.coach.clock import Deadline
from skill.coach.session import CachedUser, SessionMemory
from skill.coach.turn import Outcome, RequestFacts, Turn
from skill.program import TrainingState, choose_band, new_user, state_to_dict
from skill.program.catalogue import Band
from skill.storage import JsonDict, Snapshot, StoreUnavailable, UserStore, VersionConflict

USER = "user-1"
NOW = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
DEVICE = DeviceRef("http://127.0.0.1:9", "device", "token")


@dataclass
class MemoryStore(UserStore):
    """Versioned states in a dict; counts calls; can be taken down."""

    states: dict[str, Snapshot] = field(default_factory=dict)
    history_entries: list[JsonDict] = field(default_factory=list)
    loads: int = 0
    saves: int = 0
    down: bool = False

    def load(self, user_id: str) -> Snapshot | None:
        self.loads += 1
        if self.down:
            raise StoreUnavailable("down")
        return self.states.get(user_id)

    def save(self, user_id: str, state: JsonDict, expected_version: int | None,
             history: Sequence[JsonDict] = ()) -> int:
        self.saves += 1
        if self.down:
            raise StoreUnavailable("down")
        current = self.states.get(user_id)
        if (current.version if current else None) != expected_version:
            raise VersionConflict(user_id)
        version = (expected_version or 0) + 1
        self.states[user_id] = Snapshot(state, version)
        self.history_entries.extend(history)
        return version

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        return list(self.history_entries)

    def delete(self, user_id: str) -> None:
        self.states.pop(user_id, None)

    def ping(self) -> bool:
        return not self.down

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class Zones:
    zone: str | None
    asked: int = 0

    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        self.asked += 1
        return self.zone


def make_turn(store: MemoryStore, memory: SessionMemory | None = None,
              zones: Zones | None = None, new_session: bool = True) -> Turn:
    facts = RequestFacts(USER, NOW, "en-US", DEVICE, new_session)
    return Turn(facts, memory or SessionMemory(), store, zones or Zones(None), Deadline(6.0))


def to_grey(state: TrainingState) -> Outcome[None]:
    return Outcome(choose_band(state, Band.GREY), None)


def test_a_session_that_carries_the_state_reads_nothing() -> None:
    """The state and its version ride in the session: no load."""
    store = MemoryStore()
    cached = CachedUser(state_to_dict(replace(new_user(), band=Band.BLACK)), 4)
    turn = make_turn(store, SessionMemory(user=cached), new_session=False)
    assert turn.state().band is Band.BLACK
    assert store.loads == 0


def test_the_state_is_read_once_and_follows_a_change() -> None:
    """Asking twice gives the one parsed state; after a change, the changed one."""
    store = MemoryStore()
    cached = CachedUser(state_to_dict(replace(new_user(), band=Band.BLACK)), 4)
    store.states[USER] = Snapshot(cached.state, 4)
    turn = make_turn(store, SessionMemory(user=cached), new_session=False)
    assert turn.state() is turn.state()
    turn.change(to_grey)
    assert turn.state().band is Band.GREY
    assert turn.state() is turn.state()


def test_a_change_without_a_conflict_is_worked_out_once() -> None:
    """The operation runs once for a stored user when no other request saved meanwhile."""
    store = MemoryStore()
    store.states[USER] = Snapshot(state_to_dict(new_user()), 1)
    runs: list[TrainingState] = []

    def counted_to_grey(state: TrainingState) -> Outcome[None]:
        runs.append(state)
        return to_grey(state)

    make_turn(store).change(counted_to_grey)
    assert len(runs) == 1
    assert store.states[USER] == Snapshot(state_to_dict(choose_band(new_user(), Band.GREY)), 2)


def test_a_new_user_is_created_with_one_read_and_one_write() -> None:
    """Nothing stored: one load finds nobody, one save creates the user."""
    store = MemoryStore()
    make_turn(store).change(to_grey)
    assert (store.loads, store.saves) == (1, 1)
    assert store.states[USER].state["band"] == "grey"


def test_a_conflict_reapplies_the_change_to_the_fresh_state() -> None:
    """Another request saved in between: the change lands on top of theirs."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    turn = make_turn(store)
    turn.state()
    store.save(USER, state_to_dict(replace(new_user(), pace_step=2)), 1)
    turn.change(to_grey)
    assert store.states[USER].state["band"] == "grey"
    assert store.states[USER].state["pace_step"] == 2


def test_a_change_that_changes_nothing_writes_nothing() -> None:
    """Choosing the band already in use is no write."""
    store = MemoryStore()
    store.save(USER, state_to_dict(replace(new_user(), band=Band.GREY)), None)
    make_turn(store).change(to_grey)
    assert store.saves == 1


def test_an_outage_keeps_the_change_in_the_session_until_the_store_is_back() -> None:
    """With the store down, the change rides in the session; a later turn saves it."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    memory = SessionMemory()
    turn = make_turn(store, memory)
    turn.state()
    store.down = True
    turn.change(to_grey, survive_outage=True)
    assert memory.user is not None and memory.user.dirty
    store.down = False
    make_turn(store, memory, new_session=False).flush()
    assert store.states[USER].state["band"] == "grey"
    assert memory.user is not None and not memory.user.dirty


def test_an_outage_before_a_new_user_is_saved_keeps_the_change_for_the_next_save() -> None:
    """Never stored and the store down: the session's change is the base of the next one."""
    store = MemoryStore()
    memory = SessionMemory()
    turn = make_turn(store, memory)
    turn.state()
    store.down = True
    turn.change(to_grey, survive_outage=True)
    store.down = False
    make_turn(store, memory, new_session=False).change(
        lambda state: Outcome(replace(state, pace_step=1), None)
    )
    assert store.states[USER].state["band"] == "grey"
    assert store.states[USER].state["pace_step"] == 1


def test_an_outage_outside_a_workout_is_raised() -> None:
    """Without `survive_outage`, the caller hears about the outage (to apologise)."""
    store = MemoryStore()
    turn = make_turn(store)
    turn.state()
    store.down = True
    with pytest.raises(StoreUnavailable):
        turn.change(to_grey)


def test_the_fallback_zone_is_used_but_never_stored() -> None:
    """No zone from the device: UTC for today's date, and the state keeps no zone."""
    store = MemoryStore()
    turn = make_turn(store, zones=Zones(None))
    assert turn.zone() == "UTC"
    turn.change(to_grey)
    assert store.states[USER].state["time_zone"] is None


def test_a_learned_zone_is_saved_once_for_a_known_user() -> None:
    """The device's zone, learned at the session's start, is written once by `finish`."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    zones = Zones("Asia/Kolkata")
    turn = make_turn(store, zones=zones)
    assert turn.zone() == "Asia/Kolkata"
    turn.finish()
    turn.finish()
    assert store.saves == 2
    assert store.states[USER].state["time_zone"] == "Asia/Kolkata"
    assert zones.asked == 1


def test_the_zone_is_not_asked_inside_a_session() -> None:
    """Only a new session asks the Settings API."""
    zones = Zones("Asia/Kolkata")
    assert make_turn(MemoryStore(), zones=zones, new_session=False).zone() == "UTC"
    assert zones.asked == 0
