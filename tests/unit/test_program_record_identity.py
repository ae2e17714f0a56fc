"""A workout's identity (its start instant and a sequence), and states stored before it."""

from __future__ import annotations

from skill.program.progression import (
    finish_workout,
    mention_run,
    new_user,
    start_workout,
    stop_workout,
)
from skill.program.state import record_from_dict, record_to_dict, state_from_dict, state_to_dict
from skill.storage.records import entry_key
from tests.strategies import MONDAY, at


def test_two_workouts_begun_in_one_second_are_two_entries() -> None:
    """Start, stop, start again and finish within one second: two records with different ids,
    hence two history entries, not one replacing the other."""
    now = at(MONDAY)
    state, _, _ = start_workout(new_user(), now, "UTC")
    first_id = state.in_progress.workout_id if state.in_progress else None
    state, stopped = stop_workout(state, now)
    state, _, _ = start_workout(state, now, "UTC")
    state, finished, _ = finish_workout(state, now)
    assert stopped is not None
    assert stopped.started_at == finished.started_at
    assert first_id == stopped.workout_id
    assert stopped.workout_id != finished.workout_id
    assert entry_key(record_to_dict(stopped)) != entry_key(record_to_dict(finished))
    assert state.workouts_begun == 2


def test_the_id_survives_the_dict_forms() -> None:
    """The id rides in the workout in progress, its record and the state's window."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    loaded = state_from_dict(state_to_dict(state))
    assert loaded == state
    state, record, _ = finish_workout(loaded, at(MONDAY, 8))
    assert record_from_dict(record_to_dict(record)) == record
    assert state_from_dict(state_to_dict(state)).recent_workouts == (record,)


def test_a_state_stored_before_ids_loads_as_it_was() -> None:
    """No `workouts_begun`, no `workout_id` in the workout in progress, no `id` in records:
    it loads, its records keep their old history key, and the next workout gets an id."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    state, _, _ = finish_workout(state, at(MONDAY, 8))
    state, _, _ = start_workout(state, at(MONDAY, 9), "UTC")
    old = state_to_dict(state)
    del old["workouts_begun"]
    del old["in_progress"]["workout_id"]
    for record in old["recent_workouts"]:
        del record["id"]
    loaded = state_from_dict(old)
    assert loaded.workouts_begun == 0
    assert loaded.in_progress is not None and loaded.in_progress.workout_id is None
    _, record, _ = finish_workout(loaded, at(MONDAY, 10))
    assert record.workout_id is None
    assert "id" not in record_to_dict(record)
    assert entry_key(record_to_dict(record))[2] == ""


def test_two_runs_mentioned_in_one_second_are_two_entries() -> None:
    """The first run keeps the key runs always had; a second in the same second gets an id, so
    the history keeps both, as the state does."""
    state, first = mention_run(new_user(), at(MONDAY), MONDAY, 20)
    state, second = mention_run(state, at(MONDAY), MONDAY, 30)
    assert first.run_id is None and second.run_id is not None
    assert entry_key(record_to_dict(first)) != entry_key(record_to_dict(second))
    assert record_from_dict(record_to_dict(second)) == second
    assert state_from_dict(state_to_dict(state)).recent_runs == (first, second)
