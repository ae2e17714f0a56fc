"""One request's unit of work, against the memory store: reads, writes, conflicts, outages,
deletions, stale sessions and the session copy's owner."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from skill.adapters.timezones import DeviceRef
from skill.coach import changes, user_copy
from skill.coach.clock import Deadline
from skill.coach.session import CachedUser, SessionMemory
from skill.coach.turn import Outcome, RequestFacts, StaleChange, Turn
from skill.program.catalogue import Band
from skill.program.choices import choose_band
from skill.program.errors import NoWorkoutInProgress
from skill.program.progression import finish_workout, new_user, start_workout
from skill.program.state import TrainingState, state_to_dict
from skill.storage import JsonDict, Snapshot, StoreUnavailable, UserGone, user_tag
from tests.fakes import MemoryStore

USER = "user-1"
NOW = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
DEVICE = DeviceRef("http://127.0.0.1:9", "device", "token")


@dataclass
class Zones:
    zone: str | None
    asked: int = 0

    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        self.asked += 1
        return self.zone


def make_turn(store: MemoryStore, memory: SessionMemory | None = None,
              zones: Zones | None = None, new_session: bool = True, user: str = USER) -> Turn:
    facts = RequestFacts(user, NOW, "en-US", DEVICE, new_session)
    return Turn(facts, memory or SessionMemory(), store, zones or Zones(None), Deadline(6.0))


def copy_of(state: TrainingState, version: int | None, user: str = USER, **more: Any) -> CachedUser:
    """A session copy of `user`'s state, as an earlier turn would have left it."""
    return CachedUser(state_to_dict(state), version, owner=user_tag(user), **more)


def stored(store: MemoryStore, user: str = USER) -> JsonDict:
    snapshot = store.load(user)
    assert snapshot is not None
    return snapshot.state


def to_grey(state: TrainingState) -> Outcome[None]:
    return Outcome(choose_band(state, Band.GREY), None)


def test_a_session_that_carries_the_state_reads_nothing() -> None:
    """The state and its version ride in the session: no load."""
    store = MemoryStore()
    cached = copy_of(replace(new_user(), band=Band.BLACK), 4)
    turn = make_turn(store, SessionMemory(user=cached), new_session=False)
    assert turn.state().band is Band.BLACK
    assert store.counts.loads == 0


def test_the_state_is_read_once_and_follows_a_change() -> None:
    """Asking twice gives the one parsed state; after a change, the changed one."""
    store = MemoryStore()
    cached = copy_of(replace(new_user(), band=Band.BLACK), 1)
    store.save(USER, cached.state, None)
    turn = make_turn(store, SessionMemory(user=cached), new_session=False)
    assert turn.state() is turn.state()
    turn.change(to_grey)
    assert turn.state().band is Band.GREY
    assert turn.state() is turn.state()


def test_a_change_without_a_conflict_is_worked_out_once() -> None:
    """The operation runs once for a stored user when no other request saved meanwhile."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    runs: list[TrainingState] = []

    def counted_to_grey(state: TrainingState) -> Outcome[None]:
        runs.append(state)
        return to_grey(state)

    outcome = make_turn(store).change(counted_to_grey)
    assert len(runs) == 1
    assert outcome.wrote
    assert store.load(USER) == Snapshot(state_to_dict(choose_band(new_user(), Band.GREY)), 2)


def test_a_new_user_is_created_with_one_read_and_one_write() -> None:
    """Nothing stored: one load finds nobody, one save creates the user."""
    store = MemoryStore()
    make_turn(store).change(to_grey)
    assert (store.counts.loads, store.counts.saves) == (1, 1)
    assert stored(store)["band"] == "grey"


def test_a_conflict_reapplies_the_change_to_the_fresh_state() -> None:
    """Another request saved in between: the change lands on top of theirs."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    turn = make_turn(store)
    turn.state()
    store.save(USER, state_to_dict(replace(new_user(), pace_step=2)), 1)
    turn.change(to_grey)
    assert stored(store)["band"] == "grey"
    assert stored(store)["pace_step"] == 2


def test_a_change_that_changes_nothing_writes_nothing() -> None:
    """Choosing the band already in use is no write."""
    store = MemoryStore()
    store.save(USER, state_to_dict(replace(new_user(), band=Band.GREY)), None)
    outcome = make_turn(store).change(to_grey)
    assert store.counts.saves == 1
    assert not outcome.wrote


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
    assert stored(store)["band"] == "grey"
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
    assert stored(store)["band"] == "grey"
    assert stored(store)["pace_step"] == 1


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
    assert stored(store)["time_zone"] is None


def test_a_learned_zone_is_saved_once_for_a_known_user() -> None:
    """The device's zone, learned at the session's start, is written once by `finish`."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    zones = Zones("Asia/Kolkata")
    turn = make_turn(store, zones=zones)
    assert turn.zone() == "Asia/Kolkata"
    turn.finish()
    turn.finish()
    assert store.counts.saves == 2
    assert stored(store)["time_zone"] == "Asia/Kolkata"
    assert zones.asked == 1


def test_the_zone_is_not_asked_inside_a_session() -> None:
    """Only a new session asks the Settings API."""
    zones = Zones("Asia/Kolkata")
    assert make_turn(MemoryStore(), zones=zones, new_session=False).zone() == "UTC"
    assert zones.asked == 0


def test_a_failed_zone_lookup_is_remembered_for_the_session() -> None:
    """The device gives no zone: the session remembers it asked, and a later turn (even one the
    platform marks as a new session with the same attributes) does not ask again."""
    zones, memory = Zones(None), SessionMemory()
    assert make_turn(MemoryStore(), memory, zones=zones).zone() == "UTC"
    attributes: dict[str, Any] = {}
    memory.write(attributes)
    assert make_turn(MemoryStore(), SessionMemory.read(attributes), zones=zones).zone() == "UTC"
    assert zones.asked == 1


def test_a_domain_error_raises_before_any_write() -> None:
    """An operation that does not apply raises its own error and nothing is saved."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    with pytest.raises(NoWorkoutInProgress):
        make_turn(store).change(lambda state: Outcome(*finish_workout(state, NOW)[::2]))
    assert store.counts.saves == 1


def test_a_copy_of_another_user_is_never_used_nor_written() -> None:
    """Attributes carrying user A's copy, sent for user B: B's turn reads B's own state and
    writes on it; A's record is untouched."""
    store = MemoryStore()
    store.save("user-a", state_to_dict(replace(new_user(), band=Band.BLACK)), None)
    store.save("user-b", state_to_dict(new_user()), None)
    a_copy = copy_of(replace(new_user(), band=Band.BLACK), 1, user="user-a")
    turn = make_turn(store, SessionMemory(user=a_copy), user="user-b", new_session=False)
    assert turn.state().band is Band.GREEN
    turn.change(lambda state: Outcome(replace(state, pace_step=1), None))
    assert stored(store, "user-b")["band"] == "green"
    assert stored(store, "user-b")["pace_step"] == 1
    assert stored(store, "user-a")["pace_step"] == 0


def test_a_copy_never_stored_cannot_bring_a_deleted_user_back() -> None:
    """A session's copy with `version: null` and unsaved progress, after the user was deleted
    elsewhere: UserGone, nothing stored, the copy dropped; the session's next turn starts the
    user afresh."""
    store = MemoryStore()
    unsaved = copy_of(replace(new_user(), band=Band.BLACK), None, dirty=True)
    store.delete(USER)
    memory = SessionMemory(user=unsaved)
    with pytest.raises(UserGone):
        make_turn(store, memory, new_session=False).flush()
    assert store.load(USER) is None
    assert memory.user is None
    make_turn(store, memory, new_session=False).change(to_grey)
    assert stored(store)["band"] == "grey"


def test_a_copy_from_before_a_deletion_never_writes() -> None:
    """A session holding version 1 of a user deleted since: UserGone, and nothing is left."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    memory = SessionMemory(user=copy_of(new_user(), 1))
    store.delete(USER)
    with pytest.raises(UserGone):
        make_turn(store, memory, new_session=False).change(to_grey)
    assert store.load(USER) is None
    assert memory.user is None


def started(state: TrainingState) -> TrainingState:
    return start_workout(state, NOW, "UTC")[0]


def test_a_stale_session_is_refreshed_and_told_the_change_no_longer_applies() -> None:
    """Session B holds a workout in progress that session A finished meanwhile: B's finish is
    StaleChange (the engine's error as cause), nothing is written, B's copy is now the stored
    state, and B's next change works."""
    store = MemoryStore()
    in_progress = started(new_user())
    store.save(USER, state_to_dict(in_progress), None)
    done, _, _ = finish_workout(in_progress, NOW)
    store.save(USER, state_to_dict(done), 1, )
    memory = SessionMemory(user=copy_of(in_progress, 1))
    with pytest.raises(StaleChange) as stale:
        make_turn(store, memory, new_session=False).change(
            lambda state: Outcome(*finish_workout(state, NOW)[::2])
        )
    assert isinstance(stale.value.cause, NoWorkoutInProgress)
    assert store.counts.saves == 3
    assert memory.user is not None and memory.user.version == 2
    outcome = make_turn(store, memory, new_session=False).change(to_grey)
    assert outcome.wrote
    assert stored(store)["band"] == "grey"
    assert stored(store)["recent_workouts"] == state_to_dict(done)["recent_workouts"]


def test_a_change_is_applied_again_only_on_a_real_conflict() -> None:
    """One run without a rival; two with one (the second on the rival's state)."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    runs: list[int] = []

    def counted(state: TrainingState) -> Outcome[None]:
        runs.append(state.pace_step)
        return to_grey(state)

    memory = SessionMemory(user=copy_of(new_user(), 1))
    store.before_save.append(
        lambda: store.save(USER, state_to_dict(replace(new_user(), pace_step=2)), 1)
    )
    make_turn(store, memory, new_session=False).change(counted)
    assert runs == [0, 2]
    assert (stored(store)["band"], stored(store)["pace_step"]) == ("grey", 2)


def test_the_state_is_parsed_once_and_serialised_once_per_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A turn that reads the session's copy and writes one change parses the state once and
    turns it into a dict once, and reading it after the write parses nothing."""
    store = MemoryStore()
    in_progress = started(new_user())
    store.save(USER, state_to_dict(in_progress), None)
    calls = {"parse": 0, "serialise": 0}

    def counting(name: str, function: Any) -> Any:
        def counted(*args: Any) -> Any:
            calls[name] += 1
            return function(*args)

        return counted

    monkeypatch.setattr(user_copy, "state_from_dict", counting("parse", user_copy.state_from_dict))
    monkeypatch.setattr(changes, "state_to_dict", counting("serialise", state_to_dict))
    turn = make_turn(store, SessionMemory(user=copy_of(in_progress, 1)), new_session=False)
    turn.change(lambda state: Outcome(replace(state, pace_step=1), None))
    assert turn.state().pace_step == 1
    assert calls == {"parse": 1, "serialise": 1}


def test_a_learned_zone_is_not_saved_over_a_deletion() -> None:
    """The user is deleted after the zone was learned: saving the zone at the end of the turn
    gives up quietly and brings nobody back."""
    store = MemoryStore()
    store.save(USER, state_to_dict(new_user()), None)
    turn = make_turn(store, zones=Zones("Asia/Kolkata"))
    assert turn.zone() == "Asia/Kolkata"
    store.delete(USER)
    turn.finish()
    assert store.load(USER) is None
