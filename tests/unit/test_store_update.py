"""update(): the optimistic loop every use case writes through, on an in-memory fake store."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import pytest

from skill.storage import (
    MAX_UPDATE_ATTEMPTS,
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserGone,
    UserStore,
    VersionConflict,
    update,
)


class FakeStore(UserStore):
    """The port's semantics in a dict; `before_save` and `before_load` let a test slip in
    a rival request."""

    def __init__(self) -> None:
        self.users: dict[str, Snapshot] = {}
        self.entries: dict[str, list[JsonDict]] = {}
        self.saves = 0
        self.before_save: Callable[[], None] = lambda: None
        self.before_load: Callable[[], None] = lambda: None

    def load(self, user_id: str) -> Snapshot | None:
        self.before_load()
        return self.users.get(user_id)

    def save(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        history: Sequence[JsonDict] = (),
    ) -> int:
        self.before_save()
        self.saves += 1
        stored = self.users.get(user_id)
        if stored is None and expected_version is not None:
            raise UserGone(user_id)
        if (stored.version if stored else None) != expected_version:
            raise VersionConflict(user_id)
        version = (expected_version or 0) + 1
        self.users[user_id] = Snapshot(state, version)
        self.entries.setdefault(user_id, []).extend(history)
        return version

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        return list(self.entries.get(user_id, []))

    def delete(self, user_id: str) -> None:
        self.users.pop(user_id, None)
        self.entries.pop(user_id, None)

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to release."""


def add_run(state: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
    runs = (state or {"runs": 0})["runs"]
    return {"runs": runs + 1}, [{"kind": "run", "at": f"2027-01-01T00:00:{runs:02}Z"}]


def rival_saves_once(store: FakeStore, user: str, state: JsonDict) -> None:
    """Before the next save only, another request saves `state` for the user."""

    def rival() -> None:
        store.before_save = lambda: None
        current = store.users.get(user)
        store.save(user, state, current.version if current else None)

    store.before_save = rival


def test_a_new_user_is_created() -> None:
    """With no stored state the change gets None and its result is created at version 1."""
    store = FakeStore()
    assert update(store, "u", add_run) == Snapshot({"runs": 1}, 1)
    assert store.history("u") == [{"kind": "run", "at": "2027-01-01T00:00:00Z"}]


def test_nothing_to_write_means_no_write() -> None:
    """A change returning None leaves the store alone and returns the current snapshot."""
    store = FakeStore()
    store.save("u", {"runs": 4}, None)
    assert update(store, "u", lambda state: None) == Snapshot({"runs": 4}, 1)
    assert store.saves == 1


def test_a_held_snapshot_spares_the_read() -> None:
    """A snapshot from the session is used as is: the change sees its state, not the store's."""
    store = FakeStore()
    store.save("u", {"runs": 4}, None)
    assert update(store, "u", add_run, snapshot=Snapshot({"runs": 4}, 1)) == Snapshot(
        {"runs": 5}, 2
    )


def test_a_conflict_reapplies_the_change_to_the_rivals_state() -> None:
    """When another request saved first, the change runs again on its state: both count."""
    store = FakeStore()
    store.save("u", {"runs": 1}, None)
    rival_saves_once(store, "u", {"runs": 10})
    assert update(store, "u", add_run) == Snapshot({"runs": 11}, 3)
    assert [e["at"] for e in store.history("u")] == ["2027-01-01T00:00:10Z"]


def test_two_new_users_racing_merge_into_one() -> None:
    """A create that loses to a rival create is re-applied to the rival's state."""
    store = FakeStore()
    rival_saves_once(store, "u", {"runs": 3})
    assert update(store, "u", add_run) == Snapshot({"runs": 4}, 2)


def test_the_change_gets_a_copy() -> None:
    """A change that mutates its argument cannot alter the snapshot it was given."""
    store = FakeStore()
    store.save("u", {"runs": 1, "log": []}, None)
    held = store.load("u")
    assert held is not None

    def scribble(state: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
        assert state is not None
        state["log"].append("x")
        return state, []

    update(store, "u", scribble, snapshot=held)
    assert held.state == {"runs": 1, "log": []}


def test_endless_conflicts_give_up_as_unavailable() -> None:
    """A user rewritten before every save makes update give up after MAX_UPDATE_ATTEMPTS."""
    store = FakeStore()
    store.save("u", {"runs": 0}, None)

    def always_a_rival() -> None:
        current = store.users["u"]
        store.users["u"] = Snapshot(current.state, current.version + 1)

    store.before_save = always_a_rival
    with pytest.raises(StoreUnavailable, match="conflicting writes"):
        update(store, "u", add_run)
    assert store.saves == 1 + MAX_UPDATE_ATTEMPTS  # the create, then every attempt


def test_no_retry_past_the_deadline() -> None:
    """With the deadline already passed, the first conflict ends the update."""
    store = FakeStore()
    store.save("u", {"runs": 0}, None)
    rival_saves_once(store, "u", {"runs": 5})
    with pytest.raises(StoreUnavailable):
        update(store, "u", add_run, deadline=time.monotonic())
    assert store.saves == 3  # the first two saves, then our one attempt


def test_a_user_deleted_meanwhile_is_not_recreated() -> None:
    """If the user vanishes between a conflict and the reload, update raises UserGone
    instead of handing the change None and creating the user anew."""
    store = FakeStore()
    store.save("u", {"runs": 0}, None)
    held = store.load("u")
    rival_saves_once(store, "u", {"runs": 7})
    store.before_load = lambda: store.delete("u")
    with pytest.raises(UserGone):
        update(store, "u", add_run, snapshot=held)
    assert store.load("u") is None
