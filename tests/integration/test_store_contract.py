"""The storage contract, run against the SQLite store and the DynamoDB store alike."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from skill.settings import REQUEST_DEADLINE_SECONDS
from skill.storage import (
    Change,
    InvalidRecord,
    JsonDict,
    StoreUnavailable,
    UserGone,
    UserStore,
    VersionConflict,
    update,
)
from tests.integration.conftest import Outage, a_state, a_workout, history_of

pytestmark = pytest.mark.integration


def a_user() -> str:
    return f"amzn1.ask.account.{uuid.uuid4().hex.upper()}"


def test_unknown_user_has_no_state_and_no_history(store: UserStore) -> None:
    """A user never saved loads as None, with an empty history."""
    user = a_user()
    assert store.load(user) is None
    assert store.history(user) == []


def test_round_trip_keeps_every_value_and_type(store: UserStore) -> None:
    """Strings, big and negative integers, booleans, None, nesting and empties come back equal
    and with their types: no Decimal, no float, no bool for an int."""
    user, state = a_user(), a_state()
    store.save(user, state, None)
    loaded = store.load(user)
    assert loaded is not None
    assert loaded.state == state
    assert _types(loaded.state) == _types(state)


def test_versions_count_the_saves(store: UserStore) -> None:
    """A create is version 1 and each save returns the next version, which load reports."""
    user = a_user()
    assert store.save(user, a_state(program_week=1), None) == 1
    assert store.save(user, a_state(program_week=2), 1) == 2
    loaded = store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (2, 2)


def test_stale_save_conflicts_and_writes_nothing(store: UserStore) -> None:
    """A save expecting an old version fails: neither its state nor any of its history lands
    (state and history change together or not at all)."""
    user, entry = a_user(), a_workout("2027-01-05T07:00:00Z")
    store.save(user, a_state(program_week=1), None)
    store.save(user, a_state(program_week=2), 1)
    with pytest.raises(VersionConflict):
        store.save(user, a_state(program_week=9), 1, [entry])
    loaded = store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (2, 2)
    _assert_history_kept(store, user, [], refused=[entry])


def test_an_identical_rival_write_is_still_a_conflict(store: UserStore) -> None:
    """Two saves of the same state from the same version: the second conflicts (it is not
    taken for its own landed write) and only the first's history is kept."""
    user = a_user()
    first, second = a_workout("2027-01-05T07:00:00Z"), a_workout("2027-01-06T07:00:00Z")
    store.save(user, a_state(), None)
    store.save(user, a_state(program_week=4), 1, [first])
    with pytest.raises(VersionConflict):
        store.save(user, a_state(program_week=4), 1, [second])
    _assert_history_kept(store, user, [first], refused=[second])


def test_create_fails_when_the_user_exists(store: UserStore) -> None:
    """A create-only save of an existing user conflicts and leaves the user as it was."""
    user, entry = a_user(), a_workout("2027-01-05T07:00:00Z")
    store.save(user, a_state(program_week=3), None)
    with pytest.raises(VersionConflict):
        store.save(user, a_state(program_week=1), None, [entry])
    loaded = store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (1, 3)
    _assert_history_kept(store, user, [], refused=[entry])


def test_history_lands_with_the_state_in_time_order(store: UserStore) -> None:
    """Entries saved across several saves come back oldest first; `since` keeps the later."""
    user = a_user()
    late, early, middle = (
        a_workout("2027-03-01T07:00:00Z"),
        a_workout("2027-01-01T07:00:00Z"),
        {"kind": "run", "at": "2027-02-01T18:00:00Z", "minutes": 30},
    )
    store.save(user, a_state(), None, [late, early])
    store.save(user, a_state(), 1, [middle])
    assert store.history(user) == [early, middle, late]
    assert store.history(user, since="2027-02-01T18:00:00Z") == [middle, late]


def test_an_entry_saved_again_replaces_itself(store: UserStore) -> None:
    """An entry with the same instant and kind as a stored one replaces it, not duplicates."""
    user = a_user()
    partial = a_workout("2027-01-04T07:00:00Z", rounds_done=1)
    store.save(user, a_state(), None, [partial])
    store.save(user, a_state(), 1, [{**partial, "rounds_done": 2}])
    assert store.history(user) == [{**partial, "rounds_done": 2}]


def test_entries_of_one_kind_at_one_instant_are_told_apart_by_their_id(
    store: UserStore,
) -> None:
    """Two workouts begun in the same second, with different ids, are two entries; an entry
    without an id (stored before records had one) keeps its own key."""
    user, at = a_user(), "2027-01-04T07:00:00Z"
    first, second, old = {**a_workout(at), "id": "a"}, {**a_workout(at), "id": "b"}, a_workout(at)
    store.save(user, a_state(), None, [first, second])
    store.save(user, a_state(), 1, [old, {**first, "rounds_done": 1}])
    assert store.history(user) == [old, {**first, "rounds_done": 1}, second]


def test_a_deletion_refuses_every_save_based_on_an_earlier_read(store: UserStore) -> None:
    """After a deletion a create-only save (a session's copy never saved) finds the user gone,
    as does a save at any earlier version; one expecting the deletion's version starts the user
    afresh, with nothing of before."""
    user = a_user()
    store.save(user, a_state(), None, [a_workout("2027-01-04T07:00:00Z")])
    store.delete(user)
    with pytest.raises(UserGone) as gone:
        store.save(user, a_state(program_week=4), None, [a_workout("2027-01-05T07:00:00Z")])
    assert gone.value.version is not None
    with pytest.raises(UserGone):
        store.save(user, a_state(program_week=4), gone.value.version - 1)
    assert store.load(user) is None
    assert store.history(user) == []
    fresh = a_workout("2027-01-06T07:00:00Z")
    version = store.save(user, a_state(program_week=1), gone.value.version, [fresh])
    loaded = store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (version, 1)
    assert store.history(user) == [fresh]


def test_update_from_a_fresh_read_starts_a_deleted_user_afresh(store: UserStore) -> None:
    """An update that itself reads the deleted user as absent creates it again (the user came
    back); one based on a copy from before the deletion is refused."""
    user = a_user()
    store.save(user, a_state(), None)
    before = store.load(user)
    store.delete(user)
    with pytest.raises(UserGone):
        update(store, user, lambda s: (a_state(program_week=2), []), snapshot=before)
    saved = update(store, user, lambda s: (a_state(program_week=1), []))
    assert saved is not None
    loaded = store.load(user)
    assert loaded is not None
    assert loaded.state["program_week"] == 1


def test_update_reapplies_the_change_to_the_fresh_state(store: UserStore) -> None:
    """An update from a stale snapshot is re-applied on top of the other write: both survive."""
    user = a_user()
    store.save(user, a_state(pace_step=0, program_week=1), None)
    stale = store.load(user)
    store.save(user, a_state(pace_step=1, program_week=1), 1)
    seen: list[int] = []

    def next_week(state: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
        assert state is not None
        seen.append(state["pace_step"])
        return {**state, "program_week": state["program_week"] + 1}, []

    saved = update(store, user, next_week, snapshot=stale)
    assert saved is not None
    assert seen == [0, 1]
    loaded = store.load(user)
    assert loaded == saved
    assert (loaded.state["pace_step"], loaded.state["program_week"]) == (1, 2)


def test_two_requests_at_once_both_land(store: UserStore) -> None:
    """Two threads making different changes to one user at the same moment, 40 times over,
    lose neither change and none of the history (conflicts happen and are re-applied)."""
    user, rounds = a_user(), 40
    store.save(user, a_state(runs_mentioned=0, levels_raised=0), None)
    start = threading.Barrier(2)
    failures: list[BaseException] = []
    changes: list[str] = []

    def request(field: str, kind: str) -> None:
        try:
            for n in range(rounds):
                start.wait()
                entry = {"kind": kind, "at": f"2027-01-01T00:{n // 60:02}:{n % 60:02}Z"}
                update(store, user, _count_one_more(field, entry, changes))
        except BaseException as error:  # reported by the main thread
            failures.append(error)
            start.abort()

    threads = [
        threading.Thread(target=request, args=("runs_mentioned", "run")),
        threading.Thread(target=request, args=("levels_raised", "workout")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    loaded = store.load(user)
    assert loaded is not None
    assert (loaded.state["runs_mentioned"], loaded.state["levels_raised"]) == (rounds, rounds)
    assert loaded.version == 1 + 2 * rounds
    assert len(store.history(user)) == 2 * rounds
    assert len(changes) > 2 * rounds


def test_delete_removes_the_state_and_every_entry(store: UserStore) -> None:
    """After delete the user loads as None with no history; another user is untouched."""
    user, neighbour = a_user(), a_user()
    store.save(user, a_state(), None, history_of(30))
    store.save(neighbour, a_state(), None, history_of(2))
    store.delete(user)
    assert store.load(user) is None
    assert store.history(user) == []
    assert len(store.history(neighbour)) == 2
    store.delete(user)  # deleting nobody is fine


def test_a_save_in_flight_cannot_bring_a_deleted_user_back(store: UserStore) -> None:
    """A save or update expecting the deleted user fails with UserGone and leaves nothing."""
    user = a_user()
    store.save(user, a_state(), None)
    before = store.load(user)
    store.delete(user)
    with pytest.raises(UserGone):
        store.save(user, a_state(), 1, [a_workout("2027-01-05T07:00:00Z")])
    with pytest.raises(UserGone):
        update(store, user, lambda s: ({**(s or {}), "program_week": 2}, []), snapshot=before)
    assert store.load(user) is None
    assert store.history(user) == []


def test_a_save_racing_a_deletion_leaves_nothing_of_the_user(store: UserStore) -> None:
    """A save with history and a deletion of one user at the same moment, 20 times over:
    whichever comes first, afterwards the user has no state and no history entry."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(20):
            user = a_user()
            store.save(user, a_state(), None, history_of(2))
            start = threading.Barrier(2, timeout=10)
            saving = pool.submit(_save_or_find_gone, start, store, user)
            deleting = pool.submit(_delete_after, start, store, user)
            deleting.result()
            saving.result()
            assert store.load(user) is None
            assert store.history(user) == []


def test_a_float_is_refused_before_anything_is_written(store: UserStore) -> None:
    """A state or entry holding a float raises InvalidRecord and the store stays as it was."""
    user = a_user()
    with pytest.raises(InvalidRecord):
        store.save(user, {**a_state(), "pace_factor": 1.1}, None)
    with pytest.raises(InvalidRecord):
        store.save(user, a_state(), None, [{**a_workout("2027-01-05T07:00:00Z"), "km": 5.2}])
    assert store.load(user) is None
    assert store.history(user) == []


def test_years_of_history_beside_a_small_state(store: UserStore) -> None:
    """600 workouts (more than a megabyte, past any single item's limit) are all kept, in order,
    while the state stays what it was."""
    user, workouts = a_user(), history_of(600)
    version = None
    for start in range(0, len(workouts), 50):
        version = store.save(user, a_state(), version, workouts[start : start + 50])
    assert sum(len(str(w)) for w in workouts) > 1_000_000
    assert store.history(user) == sorted(workouts, key=lambda w: (w["at"], w["kind"]))
    loaded = store.load(user)
    assert loaded is not None
    assert loaded.state == a_state()


def test_an_outage_is_clear_quick_and_leaves_nothing_half_written(
    store_and_outage: tuple[UserStore, Outage],
) -> None:
    """While the store is down (server stopped, or file locked by another writer) a save fails
    with StoreUnavailable inside the request's deadline; afterwards the user's state and history
    are as before, and the same save succeeds."""
    store, outage = store_and_outage
    user, kept = a_user(), a_workout("2027-01-04T07:00:00Z")
    store.save(user, a_state(program_week=1), None, [kept])
    change = a_state(program_week=2), [a_workout("2027-01-06T07:00:00Z")]
    with outage():
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.save(user, change[0], 1, change[1])
        assert time.monotonic() - started < REQUEST_DEADLINE_SECONDS
    loaded = store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (1, 1)
    _assert_history_kept(store, user, [kept], refused=change[1])
    assert store.save(user, change[0], 1, change[1]) == 2
    assert store.history(user) == [kept, *change[1]]


def test_ping_answers(store: UserStore) -> None:
    """A working store answers a ping."""
    assert store.ping() is True


def _assert_history_kept(
    store: UserStore, user: str, kept: list[JsonDict], refused: list[JsonDict]
) -> None:
    """The history is exactly `kept`: not one of the refused save's entries landed."""
    history = store.history(user)
    assert history == kept
    assert not [entry for entry in refused if entry in history]


def _save_or_find_gone(start: threading.Barrier, store: UserStore, user: str) -> None:
    start.wait()
    with contextlib.suppress(UserGone):
        store.save(user, a_state(program_week=4), 1, history_of(5)[2:])


def _delete_after(start: threading.Barrier, store: UserStore, user: str) -> None:
    start.wait()
    store.delete(user)


def _count_one_more(field: str, entry: JsonDict, applied: list[str]) -> Change:
    def change(state: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
        assert state is not None
        applied.append(field)
        return {**state, field: state[field] + 1}, [entry]

    return change


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)
