"""update(): the optimistic loop every use case writes through, on the memory store."""

from __future__ import annotations

import time

import pytest

from skill.storage import (
    MAX_UPDATE_ATTEMPTS,
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserGone,
    update,
)
from tests.fakes import MemoryStore


def runs(count: int, **more: object) -> JsonDict:
    return {"schema_version": 1, "runs": count, **more}


def add_run(state: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
    count = (state or runs(0))["runs"]
    return runs(count + 1), [{"kind": "run", "at": f"2027-01-01T00:00:{count:02}Z"}]


def rival_saves_once(store: MemoryStore, user: str, state: JsonDict) -> None:
    """Before the next save only, another request saves `state` for the user."""

    def rival() -> None:
        current = store.inner.load(user)
        store.inner.save(user, state, current.version if current else None)

    store.before_save.append(rival)


def test_a_new_user_is_created() -> None:
    """With no stored state the change gets None and its result is created at version 1."""
    store = MemoryStore()
    assert update(store, "u", add_run) == Snapshot(runs(1), 1)
    assert store.history("u") == [{"kind": "run", "at": "2027-01-01T00:00:00Z"}]


def test_nothing_to_write_means_no_write() -> None:
    """A change returning None leaves the store alone and returns the current snapshot."""
    store = MemoryStore()
    store.save("u", runs(4), None)
    assert update(store, "u", lambda state: None) == Snapshot(runs(4), 1)
    assert store.counts.saves == 1


def test_a_held_snapshot_spares_the_read() -> None:
    """A snapshot from the session is used as is: the change sees its state, not the store's."""
    store = MemoryStore()
    store.save("u", runs(4), None)
    assert update(store, "u", add_run, snapshot=Snapshot(runs(4), 1)) == Snapshot(
        runs(5), 2
    )


def test_a_conflict_reapplies_the_change_to_the_rivals_state() -> None:
    """When another request saved first, the change runs again on its state: both count."""
    store = MemoryStore()
    store.save("u", runs(1), None)
    rival_saves_once(store, "u", runs(10))
    assert update(store, "u", add_run) == Snapshot(runs(11), 3)
    assert [e["at"] for e in store.history("u")] == ["2027-01-01T00:00:10Z"]


def test_two_new_users_racing_merge_into_one() -> None:
    """A create that loses to a rival create is re-applied to the rival's state."""
    store = MemoryStore()
    rival_saves_once(store, "u", runs(3))
    assert update(store, "u", add_run) == Snapshot(runs(4), 2)


def test_the_change_gets_a_copy() -> None:
    """A change that mutates its argument cannot alter the snapshot it was given."""
    store = MemoryStore()
    store.save("u", runs(1, log=[]), None)
    held = store.load("u")
    assert held is not None

    def scribble(state: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
        assert state is not None
        state["log"].append("x")
        return state, []

    update(store, "u", scribble, snapshot=held)
    assert held.state == runs(1, log=[])


def test_endless_conflicts_give_up_as_unavailable() -> None:
    """A user rewritten before every save makes update give up after MAX_UPDATE_ATTEMPTS."""
    store = MemoryStore()
    store.save("u", runs(0), None)

    def a_rival() -> None:
        current = store.inner.load("u")
        assert current is not None
        store.inner.save("u", current.state, current.version)

    store.before_save.extend([a_rival] * MAX_UPDATE_ATTEMPTS)
    with pytest.raises(StoreUnavailable, match="conflicting writes"):
        update(store, "u", add_run)
    assert store.counts.saves == 1 + MAX_UPDATE_ATTEMPTS  # the create, then every attempt


def test_no_retry_past_the_deadline() -> None:
    """With the deadline already passed, the first conflict ends the update."""
    store = MemoryStore()
    store.save("u", runs(0), None)
    rival_saves_once(store, "u", runs(5))
    with pytest.raises(StoreUnavailable):
        update(store, "u", add_run, deadline=time.monotonic())
    assert store.counts.saves == 2  # the first save, then our one attempt (the rival's is not ours)


def test_a_user_deleted_meanwhile_is_not_recreated() -> None:
    """If the user vanishes between a conflict and the reload, update raises UserGone
    instead of handing the change None and creating the user anew."""
    store = MemoryStore()
    store.save("u", runs(0), None)
    held = store.load("u")
    rival_saves_once(store, "u", runs(7))
    store.before_load.append(lambda: store.inner.delete("u"))
    with pytest.raises(UserGone):
        update(store, "u", add_run, snapshot=held)
    assert store.load("u") is None
