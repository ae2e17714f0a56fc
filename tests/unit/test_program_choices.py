"""Levels, bands, pace and starting over (PROGRAM.md 2, 4, 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skill.program.catalogue import Band
from skill.program.choices import (
    Alternative,
    change_level,
    change_pace,
    choose_band,
    choose_start_reps,
    reset_program,
)
from skill.program.errors import InvalidChoice, ProgramStarted, UnknownExercise
from skill.program.progression import (
    current_plan,
    finish_workout,
    move_to,
    new_user,
    plan_for,
    start_workout,
)
from tests.strategies import MONDAY, at, train, train_weeks

ALL = ["squat_leg_lift", "lateral_steps", "bridge", "bicycle", "pushup"]


def levels(state) -> list[int]:
    return [state.levels[exercise_id] for exercise_id in ALL]


# --- Easier / harder ---


def test_harder_moves_the_named_exercise_one_level():
    """"Make the bridge harder" raises only the bridge, and the plan follows."""
    state, change = change_level(new_user(), 1, "bridge")
    assert change.changed == {"bridge": 3} and change.at_limit == ()
    assert levels(state) == [2, 2, 3, 2, 2]
    assert plan_for(state, MONDAY).exercises[2].level == 3


def test_during_a_workout_the_current_exercise_changes():
    """With no exercise named during a workout, the one under way changes, also in the plan."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    state = move_to(state, 1, 1)
    state, change = change_level(state, -1, None)
    assert change.changed == {"lateral_steps": 1}
    assert state.in_progress is not None and state.in_progress.levels["lateral_steps"] == 1
    assert levels(state) == [2, 1, 2, 2, 2]


def test_outside_a_workout_with_none_named_all_exercises_change():
    """"Make it easier" outside a workout moves all five exercises."""
    state, change = change_level(new_user(), -1, None)
    assert levels(state) == [1, 1, 1, 1, 1] and set(change.changed) == set(ALL)


def test_harder_at_level_3_changes_nothing_and_suggests_a_heavier_band():
    """At level 3 on green, the coach suggests the heavier band instead."""
    state, _ = change_level(new_user(), 1, "bridge")
    after, change = change_level(state, 1, "bridge")
    assert after == state
    assert (change.changed, change.at_limit) == ({}, ("bridge",))
    assert change.alternative is Alternative.HEAVIER_BAND


def test_harder_at_level_3_on_black_suggests_weights():
    """On black there is no heavier band: dumbbells or kettlebells."""
    state, _ = change_level(choose_band(new_user(), Band.BLACK), 1, "squat_leg_lift")
    _, change = change_level(state, 1, "squat_leg_lift")
    assert change.alternative is Alternative.ADD_WEIGHTS


def test_easier_at_level_1_suggests_a_lighter_band():
    """At level 1 on grey, the coach suggests the lighter band."""
    state, _ = change_level(choose_band(new_user(), Band.GREY), -1, "bicycle")
    after, change = change_level(state, -1, "bicycle")
    assert after == state and change.alternative is Alternative.LIGHTER_BAND


def test_easier_at_level_1_on_green_suggests_more_rest():
    """On green there is no lighter band: rest a little longer."""
    state, _ = change_level(new_user(), -1, "bicycle")
    _, change = change_level(state, -1, "bicycle")
    assert change.alternative is Alternative.MORE_REST


def test_pushups_at_their_limits_are_not_sent_to_another_leg_band():
    """The leg band does not help pushups: harder at 3 suggests weights."""
    state, _ = change_level(new_user(), 1, "pushup")
    _, change = change_level(state, 1, "pushup")
    assert change.alternative is Alternative.ADD_WEIGHTS


def test_some_at_the_limit_and_some_changed():
    """Moving all: those that can move do, those at the limit are named."""
    state, _ = change_level(new_user(), 1, "bridge")
    state, change = change_level(state, 1, None)
    assert change.at_limit == ("bridge",) and levels(state) == [3, 3, 3, 3, 3]


def test_level_change_needs_a_direction_and_a_known_exercise():
    """Directions are -1 or 1; exercise ids come from the circuit."""
    with pytest.raises(InvalidChoice):
        change_level(new_user(), 2, None)
    with pytest.raises(UnknownExercise):
        change_level(new_user(), 1, "burpee")


# --- Naming a band ---


def test_naming_a_band_keeps_the_week_and_the_reps():
    """Saying "I'm on the black band" in week 2 keeps week 2 and the target."""
    state, _ = train_weeks(new_user(), MONDAY, 1, days=(0,))
    state, _, _ = train(state, MONDAY + timedelta(days=7))
    named = choose_band(state, Band.BLACK)
    assert (named.band, named.program_week, named.rep_target) == (
        Band.BLACK, state.program_week, state.rep_target,
    )  # fmt: skip
    assert plan_for(named, MONDAY + timedelta(days=8)).band is Band.BLACK


def test_naming_a_band_during_a_workout_changes_that_workout():
    """The band named mid-workout is the band of the workout in progress."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    state = choose_band(state, Band.GREY)
    assert state.in_progress is not None and state.in_progress.band is Band.GREY


# --- Pace ---


def test_pace_moves_one_step_and_stops_at_the_ends():
    """Slower (+1) twice reaches +2; a third time changes nothing."""
    state = new_user()
    steps = []
    for _ in range(3):
        state, change = change_pace(state, 1)
        steps.append((change.pace_step, change.changed))
    assert steps == [(1, True), (2, True), (2, False)]
    for _ in range(5):
        state, change = change_pace(state, -1)
    assert (state.pace_step, change.changed) == (-2, False)


def test_pace_scales_the_tempo_of_the_plan():
    """At +1 each counted squat takes 4 s x 1.25 = 5 s."""
    state, _ = change_pace(new_user(), 1)
    assert plan_for(state, MONDAY).exercises[0].tempo_seconds == pytest.approx(5.0)


# --- Starting reps and starting over ---


def test_new_user_may_choose_the_starting_reps():
    """"Start me at ten reps" before the first workout."""
    assert choose_start_reps(new_user(), 10).rep_target == 10
    with pytest.raises(InvalidChoice):
        choose_start_reps(new_user(), 14)


def test_starting_reps_chosen_during_the_first_workout_apply_to_it():
    """"Start me at ten" while the first workout is under way: it counts ten, and rises from ten."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    state = choose_start_reps(state, 10)
    plan = current_plan(state)
    assert plan is not None and plan.rep_target == 10
    state, record, _ = finish_workout(state, at(MONDAY, 8))
    assert (record.rep_target, state.rep_target) == (10, 11)


def test_starting_reps_are_refused_once_the_program_began():
    """After the first counting workout the starting reps are no longer a choice."""
    state, _, _ = train(new_user(), MONDAY)
    with pytest.raises(ProgramStarted):
        choose_start_reps(state, 10)


def test_reset_starts_over_keeping_pace_zone_and_recent_training():
    """Starting over: green, week 0, chosen reps, level 2; pace, zone and records kept."""
    state, _ = train_weeks(choose_band(new_user(), Band.GREY), MONDAY, 2)
    state, _ = change_pace(state, -1)
    state, _ = change_level(state, 1, None)
    reset = reset_program(state, 9)
    assert (reset.band, reset.program_week, reset.week_start, reset.rep_target) == (
        Band.GREEN, 0, None, 9,
    )  # fmt: skip
    assert levels(reset) == [2] * 5
    assert (reset.pace_step, reset.time_zone) == (-1, "UTC")
    assert reset.recent_workouts == state.recent_workouts
