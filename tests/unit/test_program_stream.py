"""The continuous workout in the engine: its segments, the time between sets, and what each
playback event does to the state (Hypothesis properties over every plan shape)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.program import lifecycle
from skill.program.catalogue import CIRCUIT, LEVELS, PACE_STEPS, Band
from skill.program.errors import InvalidState
from skill.program.plan import WorkoutPlan, plan_workout
from skill.program.progression import current_plan, new_user, start_workout
from skill.program.state import (
    MAX_TRANSITION_STEP,
    MIN_TRANSITION_STEP,
    Coaching,
    TrainingState,
    state_from_dict,
    state_to_dict,
)
from skill.program.stream import (
    BAND_MOVES_SECONDS,
    CONTINUOUS_SETUP_SECONDS,
    DOWN_TO_THE_FLOOR_SECONDS,
    choose_turn_by_turn,
    extra_setup_seconds,
    finished,
    next_slot,
    resume_slot,
    slot_of,
    slots,
    started,
    stopped,
    stream_failed,
    streams,
    with_transition,
)
from skill.program.timeline import Position, positions

NOW = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)

plans = st.builds(
    plan_workout,
    st.sampled_from(list(Band)),
    st.integers(1, 4),
    st.integers(8, 12),
    st.fixed_dictionaries({exercise.id: st.sampled_from(LEVELS) for exercise in CIRCUIT}),
    st.sampled_from(PACE_STEPS),
)
steps = st.integers(MIN_TRANSITION_STEP, MAX_TRANSITION_STEP)


@given(plans)
def test_every_set_has_one_segment_in_order_with_a_rest_between_rounds(plan: WorkoutPlan) -> None:
    """Segments: each set once, in circuit order, and one rest between each two rounds."""
    found = slots(plan)
    assert [slot.index for slot in found] == list(range(len(found)))
    assert [slot.position for slot in found if not slot.rest] == positions(plan)
    rests = [slot for slot in found if slot.rest]
    assert [slot.position for slot in rests] == [Position(r, 0) for r in range(2, plan.rounds + 1)]
    for rest in rests:
        assert found[rest.index + 1].position == rest.position  # the set the rest leads to


@given(plans, steps)
def test_next_always_moves_to_a_later_set_and_ends_after_the_last(plan: WorkoutPlan,
                                                                   step: int) -> None:
    """"Next" from any segment lands on a later set's segment, or nothing after the last."""
    for slot in slots(plan):
        following = next_slot(plan, slot)
        if following is None:
            assert slot.position == positions(plan)[-1]
        else:
            assert not following.rest and following.index > slot.index


@given(plans, steps)
def test_time_between_sets_is_never_negative_and_grows_with_each_step(plan: WorkoutPlan,
                                                                      step: int) -> None:
    """The extra setup time is never negative and never shrinks when the user asks for more."""
    for position in positions(plan):
        seconds = extra_setup_seconds(plan, position, step)
        assert seconds >= 0
        if step < MAX_TRANSITION_STEP:
            assert extra_setup_seconds(plan, position, step + 1) > seconds


def test_the_band_moving_and_the_floor_add_time() -> None:
    """Standard levels: lateral steps move the band to the ankles, bridges go down on the floor
    with the band back above the knees, bicycles move it to the feet."""
    plan = plan_workout(Band.GREEN, 4, 10, {e.id: 2 for e in CIRCUIT}, 0)
    base = CONTINUOUS_SETUP_SECONDS
    assert extra_setup_seconds(plan, Position(1, 1)) == base + BAND_MOVES_SECONDS
    assert extra_setup_seconds(plan, Position(1, 2)) == (
        base + BAND_MOVES_SECONDS + DOWN_TO_THE_FLOOR_SECONDS)
    assert extra_setup_seconds(plan, Position(1, 3)) == base + BAND_MOVES_SECONDS
    assert extra_setup_seconds(plan, Position(2, 0)) == base  # after the rest


def week() -> TrainingState:
    """A new user's first workout, just begun."""
    state, _, _ = start_workout(new_user(), NOW, "UTC")
    return state


@given(st.integers(0, 4), st.floats(0, 200, allow_nan=False))
def test_a_started_set_is_current_and_a_stop_cuts_it_where_it_stopped(exercise: int,
                                                                     offset: float) -> None:
    """PlaybackStarted makes its set the current one, playing; PlaybackStopped keeps the set
    current with the offset saved (at most the segment's length)."""
    state = week()
    plan = current_plan(state)
    assert plan is not None
    slot = slot_of(plan, Position(1, exercise))
    playing = started(state, plan, slot, 100.0, NOW)
    assert lifecycle.where(playing, NOW + timedelta(seconds=10)).position == slot.position
    cut = stopped(playing, slot, offset)
    assert cut.in_progress is not None and cut.in_progress.playing is not None
    assert cut.in_progress.playing.stopped_at == min(offset, 100.0)
    if offset < 100:  # cut in its counting: the set is still the one to do
        assert lifecycle.where(cut, NOW + timedelta(hours=1)).position == slot.position


@given(st.integers(0, 10**6))
def test_resume_replays_a_set_from_its_start_and_a_rest_from_its_offset(offset: int) -> None:
    """A count never resumes in the middle; a rest does."""
    plan = plan_workout(Band.GREEN, 2, 10, {e.id: 2 for e in CIRCUIT}, 0)
    for slot in slots(plan):
        again, at = resume_slot(slot, offset)
        assert again == slot
        assert at == (offset if slot.rest else 0)


def test_only_the_last_segment_finishing_records_the_workout() -> None:
    """PlaybackFinished of any segment but the last changes nothing; of the last, the workout
    is recorded complete."""
    state = week()
    plan = current_plan(state)
    assert plan is not None
    every = slots(plan)
    assert all(finished(state, plan, slot, NOW) is None for slot in every[:-1])
    done = finished(state, plan, every[-1], NOW)
    assert done is not None and done[1].complete and done[0].in_progress is None


def test_the_choice_of_mode_survives_the_round_trip_and_a_failure_belongs_to_its_workout() -> None:
    """Turn by turn and the transition step are stored; a failed stream makes only that
    workout turn by turn."""
    state = with_transition(choose_turn_by_turn(week(), True), +1)
    again = state_from_dict(state_to_dict(state))
    assert again.coaching == Coaching(turn_by_turn=True, transition_step=1)
    assert not streams(again)
    failed = stream_failed(choose_turn_by_turn(week(), False))
    assert not streams(failed)
    assert streams(replace(failed, in_progress=None))
    assert "coaching" not in state_to_dict(week())  # the defaults are not stored


def test_a_transition_step_out_of_range_is_refused() -> None:
    """A stored step beyond the bounds is refused by name."""
    data = state_to_dict(with_transition(week(), 1))
    data["coaching"]["transition_step"] = MAX_TRANSITION_STEP + 1
    with pytest.raises(InvalidState, match=r"coaching\.transition_step"):
        state_from_dict(data)


@given(st.lists(st.sampled_from([-1, 1]), max_size=12))
def test_the_transition_step_stays_within_bounds(changes: list[int]) -> None:
    """Any run of "more" and "less" keeps the step within its bounds."""
    state = week()
    for change in changes:
        state = with_transition(state, change)
        assert MIN_TRANSITION_STEP <= state.coaching.transition_step <= MAX_TRANSITION_STEP
