"""Answers to the user's questions: this week, the next band, whether to train (PROGRAM.md 3-6)."""

from __future__ import annotations

from datetime import date

import pytest

from skill.program.answers import (
    AdviceKind,
    band_outlook,
    progress_summary,
    training_advice,
    week_summary,
)
from skill.program.catalogue import Band
from skill.program.choices import choose_band
from skill.program.progression import mention_run, move_to, new_user, start_workout
from tests.strategies import MONDAY, at, days, train, train_weeks

# --- "How many sets this week" ---


def test_this_week_counts_workouts_and_sets_done():
    """Week 2, two workouts done: 2 rounds each, so 4 sets of each exercise so far."""
    state, _ = train_weeks(new_user(), MONDAY, 1)
    state, _, _ = train(state, MONDAY + days(7))
    state, _, _ = train(state, MONDAY + days(9))
    week = week_summary(state, MONDAY + days(10))
    assert (week.program_week, week.rounds, week.workouts_done, week.sets_done) == (2, 2, 2, 4)
    assert (week.band, week.rep_target, week.is_current) == (Band.GREEN, 12, True)


def test_this_week_after_the_week_ended_is_the_week_the_next_workout_begins():
    """Week 1 ended and no workout since: "this week" is week 2, nothing done yet."""
    state, _ = train_weeks(new_user(), MONDAY, 1)
    week = week_summary(state, MONDAY + days(8))
    assert (week.program_week, week.rounds, week.workouts_done, week.sets_done) == (2, 2, 0, 0)
    assert not week.is_current


def test_this_week_for_a_new_user_is_week_1():
    """Before any workout, the coming week is week 1 with one round."""
    week = week_summary(new_user(), MONDAY)
    assert (week.program_week, week.rounds, week.workouts_done, week.is_current) == (1, 1, 0, False)


def test_this_week_settles_a_workout_left_from_an_earlier_day():
    """Yesterday's unfinished workout with a round done counts this week."""
    state, _ = train_weeks(new_user(), MONDAY, 1, days=(0,))
    state, _, _ = start_workout(state, at(MONDAY + days(7)), "UTC")
    state = move_to(state, 2, 0)
    week = week_summary(state, MONDAY + days(8))
    assert (week.program_week, week.workouts_done, week.sets_done) == (2, 1, 1)


# --- "When do I get the next band" ---


def test_band_outlook_counts_the_weeks_left_and_what_is_needed():
    """In week 2 on green: two more weeks, then grey if week 4 has a complete 12."""
    state, _ = train_weeks(new_user(), MONDAY, 2, days=(0,))
    outlook = band_outlook(state, MONDAY + days(8))
    assert (outlook.band, outlook.program_week, outlook.weeks_after_this) == (Band.GREEN, 2, 2)
    assert (outlook.next_band, outlook.needs_twelve) == (Band.GREY, True)


def test_band_outlook_in_week_4_once_earned():
    """A complete 12-rep workout in week 4: the band change is earned."""
    state, _ = train_weeks(new_user(), MONDAY, 4)
    outlook = band_outlook(state, MONDAY + days(26))
    assert (outlook.program_week, outlook.weeks_after_this, outlook.needs_twelve) == (4, 0, False)


def test_band_outlook_on_black_names_the_variations_to_come():
    """On black the next block brings harder variations, not a band."""
    outlook = band_outlook(choose_band(new_user(), Band.BLACK), MONDAY)
    assert outlook.next_band is None
    assert outlook.levels_to_raise == ("squat_leg_lift", "lateral_steps", "bridge", "bicycle")


# --- "Should I train today" ---


def trained_on(offsets: list[int], today: date, runs: tuple[int, ...] = ()):
    """A user with workouts and runs on `today - offset` days."""
    state = new_user()
    for offset in sorted(offsets, reverse=True):
        state, _, _ = train(state, today - days(offset))
    for offset in runs:
        state, _ = mention_run(state, at(today - days(offset), 18), today - days(offset), 40)
    return state


def test_six_training_days_of_the_last_seven_recommend_rest():
    """Six of the seven days before today: rest, even before a short run."""
    state = trained_on([1, 2, 3, 4, 5, 6], MONDAY + days(30))
    advice = training_advice(state, MONDAY + days(30), 20)
    assert (advice.kind, advice.trained_days) == (AdviceKind.REST_DAY, 6)


def test_runs_the_user_mentioned_count_as_training_days():
    """Four workout days and two run days make six: rest."""
    state = trained_on([1, 3, 5, 7], MONDAY + days(30), runs=(2, 4))
    assert training_advice(state, MONDAY + days(30), None).kind is AdviceKind.REST_DAY


def test_five_training_days_leave_today_open():
    """Five of seven days: train."""
    state = trained_on([1, 2, 3, 4, 5], MONDAY + days(30))
    advice = training_advice(state, MONDAY + days(30), None)
    assert (advice.kind, advice.trained_days) == (AdviceKind.TRAIN, 5)


def test_only_the_seven_days_before_today_count():
    """Today and the eighth day back are outside the window."""
    state = trained_on([0, 1, 2, 3, 4, 8], MONDAY + days(30))
    assert training_advice(state, MONDAY + days(30), None).trained_days == 4


def test_workouts_under_a_round_are_not_training_days():
    """A workout stopped in its first round is not a training day."""
    today = MONDAY + days(30)
    state = trained_on([1, 2, 3, 4, 5], today)
    state, _, _ = train(state, today - days(6), rounds_done=0)
    assert training_advice(state, today, None).kind is AdviceKind.TRAIN


@pytest.mark.parametrize(
    ("minutes", "kind"), [(None, AdviceKind.TRAIN), (20, AdviceKind.TRAIN),
                          (30, AdviceKind.TRAIN), (31, AdviceKind.ANOTHER_DAY)],
)  # fmt: skip
def test_run_of_30_minutes_or_less_is_the_place_for_the_bands(minutes, kind):
    """Bands before a run of 30 minutes or less; before a longer run, another day."""
    assert training_advice(new_user(), MONDAY, minutes).kind is kind


def test_run_given_as_a_distance_asks_how_long():
    """A 5k has no duration: the coach asks how long it will take."""
    assert training_advice(new_user(), MONDAY, None, run_is_distance=True).kind is (
        AdviceKind.ASK_DURATION
    )


def test_rest_day_rule_comes_before_the_run_rule():
    """Six training days and a long run: the answer is rest, not another day."""
    state = trained_on([1, 2, 3, 4, 5, 6], MONDAY + days(30))
    assert training_advice(state, MONDAY + days(30), 60).kind is AdviceKind.REST_DAY
    assert training_advice(state, MONDAY + days(30), None, True).kind is AdviceKind.REST_DAY


# --- "How am I doing" ---


def test_progress_summary():
    """Total workouts, this week's, the last date and the days since."""
    state, _ = train_weeks(new_user(), MONDAY, 2)
    summary = progress_summary(state, MONDAY + days(13))
    assert (summary.workouts_total, summary.workouts_this_week) == (6, 3)
    assert (summary.last_workout, summary.days_since_last_workout) == (MONDAY + days(11), 2)
    assert (summary.band, summary.program_week, summary.rep_target) == (Band.GREEN, 2, 12)
    assert progress_summary(new_user(), MONDAY).days_since_last_workout is None
