"""The state's dict form: JSON-compatible, versioned, validated, bounded (PROGRAM.md 8)."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest

from skill.program.catalogue import Band
from skill.program.choices import choose_band
from skill.program.errors import InvalidState
from skill.program.progression import (
    mention_run,
    move_to,
    new_user,
    report_reps,
    start_workout,
    stop_workout,
)
from skill.program.state import (
    SCHEMA_VERSION,
    WINDOW_DAYS,
    WINDOW_RECORDS,
    record_from_dict,
    record_to_dict,
    state_from_dict,
    state_to_dict,
)
from tests.strategies import MONDAY, at, train, train_weeks


def rich_state():
    """A state with every part filled: weeks, records, runs, a workout in progress."""
    state, _ = train_weeks(choose_band(new_user(), Band.GREY), MONDAY, 2)
    state, _ = mention_run(state, at(MONDAY + timedelta(days=12)), MONDAY, 25)
    state, _, _ = start_workout(state, at(MONDAY + timedelta(days=14)), "Europe/London")
    state, _ = report_reps(state, 9, MONDAY + timedelta(days=14))
    return move_to(state, 3, 2)


def walk(value):
    """Every leaf of a JSON-like value."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    else:
        yield value


def test_round_trip_through_json_keeps_the_state():
    """A full state comes back from its JSON text unchanged."""
    state = rich_state()
    assert state_from_dict(json.loads(json.dumps(state_to_dict(state)))) == state


def test_dict_form_holds_only_json_types_and_no_floats():
    """Only str, int, bool and None at the leaves; the schema version is stated."""
    data = state_to_dict(rich_state())
    assert data["schema_version"] == SCHEMA_VERSION
    assert all(leaf is None or type(leaf) in (str, int, bool) for leaf in walk(data))


def test_history_entries_name_their_kind_and_utc_instant():
    """Records carry "kind" and "at" (a UTC instant with Z) and survive a round trip."""
    state, _, workout = train(new_user(), MONDAY, zone="Asia/Kolkata")
    state, run = mention_run(state, at(MONDAY, 18, "Asia/Kolkata"), MONDAY, None)
    workout_entry, run_entry = record_to_dict(workout), record_to_dict(run)
    assert (workout_entry["kind"], workout_entry["at"]) == ("workout", "2027-01-04T01:30:00Z")
    assert (run_entry["kind"], run_entry["at"], run_entry["minutes"]) == (
        "run", "2027-01-04T12:30:00Z", None,
    )  # fmt: skip
    assert record_from_dict(workout_entry) == workout
    assert record_from_dict(run_entry) == run


def mutate(path: list[str | int], value: object) -> dict:
    data = copy.deepcopy(state_to_dict(rich_state()))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["schema_version"], 2, "state.schema_version"),
        (["rep_target"], 13, "state.rep_target"),
        (["rep_target"], 7, "state.rep_target"),
        (["rep_target"], 10.0, "state.rep_target"),
        (["rep_target"], True, "state.rep_target"),
        (["program_week"], 5, "state.program_week"),
        (["program_week"], 0, "state.week_start"),
        (["week_start"], "2027-13-01", "state.week_start"),
        (["week_start"], "20270104", "state.week_start"),
        (["last_rise_date"], 20270104, "state.last_rise_date"),
        (["band"], "purple", "state.band"),
        (["pace_step"], 3, "state.pace_step"),
        (["levels", "bridge"], 4, "state.levels.bridge"),
        (["levels", "bridge"], KeyError, "state.levels"),
        (["time_zone"], "Nowhere/Special", "state.time_zone"),
        (["safety_note_heard"], "yes", "state.safety_note_heard"),
        (["rep_target"], KeyError, "missing keys ['rep_target']"),
        (["surprise"], 1, "unknown keys ['surprise']"),
        (["in_progress", "round"], 4, "state.in_progress.round"),
        (["in_progress", "started_at"], "2027-01-18T07:00:00+00:00", "in_progress.started_at"),
        (["in_progress", "started_at"], "2027-1-18T07:00:00Z", "in_progress.started_at"),
        (["in_progress", "reported_reps"], 31, "state.in_progress.reported_reps"),
        (["recent_workouts", 0, "kind"], "swim", "state.recent_workouts[0].kind"),
        (["recent_workouts", 0, "rounds_done"], 2, "state.recent_workouts[0].rounds_done"),
        (["recent_runs", 0, "minutes"], 0, "state.recent_runs[0].minutes"),
        (["recent_runs"], [1], "state.recent_runs[0].kind"),
        (["recent_workouts"], {}, "state.recent_workouts"),
    ],
)  # fmt: skip
def test_malformed_or_out_of_range_state_is_refused_by_name(path, value, message):
    """Each bad field is an InvalidState that names where it is."""
    with pytest.raises(InvalidState, match=message.replace("[", r"\[").replace("]", r"\]")):
        state_from_dict(mutate(path, value))


def test_records_of_the_wrong_kind_are_refused():
    """A run in the workouts list is not a workout."""
    data = mutate(["recent_workouts"], [state_to_dict(rich_state())["recent_runs"][0]])
    with pytest.raises(InvalidState, match="expected a WorkoutRecord"):
        state_from_dict(data)


def test_too_many_records_are_refused():
    """A stored window longer than the state ever keeps is malformed."""
    entry = state_to_dict(rich_state())["recent_runs"][0]
    with pytest.raises(InvalidState, match="at most"):
        state_from_dict(mutate(["recent_runs"], [entry] * (WINDOW_RECORDS + 1)))


def test_not_an_object_is_refused():
    """A list or None is no state."""
    for data in ([], None, "state"):
        with pytest.raises(InvalidState):
            state_from_dict(data)


def test_the_window_keeps_only_recent_days():
    """Workouts more than the window's days before the newest one are dropped."""
    state, _ = train_weeks(new_user(), MONDAY, 4)
    dates = [w.local_date for w in state.recent_workouts]
    newest = MONDAY + timedelta(days=25)
    assert max(dates) == newest
    assert all((newest - day).days < WINDOW_DAYS for day in dates)
    assert MONDAY + timedelta(days=18) in dates and MONDAY + timedelta(days=16) not in dates


def test_the_window_keeps_at_most_its_number_of_records():
    """A hundred workouts in one day: the window keeps only the newest of them."""
    state = new_user()
    for minute in range(100):
        state, _, _ = start_workout(state, at(MONDAY) + timedelta(minutes=minute), "UTC")
        state, _ = stop_workout(state, at(MONDAY))
    assert len(state.recent_workouts) == WINDOW_RECORDS
    assert state.recent_workouts[-1].started_at == at(MONDAY) + timedelta(minutes=99)


def test_the_engines_replace_makes_what_dataclasses_replace_makes() -> None:
    """The quicker copy of a frozen value gives the same value, refuses a name that is no field,
    and leaves anything but a plain frozen dataclass to `dataclasses.replace`."""
    import dataclasses

    from skill.program import frozen

    state = rich_state()
    assert frozen.replace(state, pace_step=1) == dataclasses.replace(state, pace_step=1)
    assert frozen.replace(state, pace_step=1) is not state
    with pytest.raises(TypeError):
        frozen.replace(state, pace=1)

    @dataclasses.dataclass(frozen=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            if self.n < 0:
                raise ValueError("negative")

    with pytest.raises(ValueError):
        frozen.replace(Checked(1), n=-1)
