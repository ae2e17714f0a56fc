"""The workout's life and the progression rules, one example per rule (PROGRAM.md 3, 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from skill.program import lifecycle
from skill.program.answers import week_summary
from skill.program.catalogue import Band
from skill.program.choices import change_level, choose_band
from skill.program.errors import (
    InvalidChoice,
    InvalidInstant,
    NoWorkoutInProgress,
    RepsOutOfRange,
    UnknownTimeZone,
)
from skill.program.plan import Notice
from skill.program.progression import (
    Hold,
    ReportOutcome,
    finish_workout,
    mention_run,
    move_to,
    new_user,
    plan_for,
    report_reps,
    settle,
    start_workout,
    stop_workout,
)
from skill.program.state import record_to_dict
from tests.strategies import MONDAY, at, days, skipped, train, train_weeks

# --- Dose (PROGRAM.md 3) ---


def test_new_user_starts_week_one_with_one_round_of_eight():
    """A new user's first workout is week 1 on green: one round of 8 reps."""
    plan = plan_for(new_user(), MONDAY)
    assert (plan.band, plan.program_week, plan.rounds, plan.rep_target) == (Band.GREEN, 1, 1, 8)


@pytest.mark.parametrize("reps", [8, 10, 12])
def test_new_user_may_start_from_8_to_12(reps):
    """The chosen start is the first workout's target."""
    assert plan_for(new_user(reps), MONDAY).rep_target == reps


@pytest.mark.parametrize("reps", [7, 13])
def test_start_outside_8_to_12_is_refused(reps):
    """A start outside 8..12 is an InvalidChoice."""
    with pytest.raises(InvalidChoice):
        new_user(reps)


def test_target_rises_by_one_each_workout_then_holds_at_12():
    """Complete workouts on separate days: 8, 9, 10, 11, 12, then 12 again."""
    state, plans = train_weeks(new_user(), MONDAY, 2)
    assert [plan.rep_target for plan in plans] == [8, 9, 10, 11, 12, 12]
    assert state.rep_target == 12


def test_program_week_w_has_w_rounds():
    """Weeks 1 to 4 of a block have 1, 2, 3 and 4 rounds."""
    _, plans = train_weeks(new_user(), MONDAY, 4, days=(0,))
    assert [(plan.program_week, plan.rounds) for plan in plans] == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_rest_between_rounds_is_a_minute():
    """Rounds are separated by 60 seconds of rest."""
    assert plan_for(new_user(), MONDAY).rest_seconds == 60


def test_every_exercise_is_counted_to_the_rep_target():
    """Each of the five exercises (lateral steps: N each way) is counted to the target."""
    plan = plan_for(new_user(11), MONDAY)
    assert [planned.count for planned in plan.exercises] == [11] * 5


# --- Complete, partial and counting workouts ---


def test_workout_finished_with_nothing_skipped_is_complete_and_raises():
    """Finishing every round with nothing skipped is complete, and the target rises."""
    state, _, record = train(new_user(), MONDAY)
    assert record.complete and record.rounds_done == 1 and record.raised_target
    assert state.rep_target == 9


def test_skipped_exercise_makes_the_workout_incomplete():
    """A skipped exercise: the workout counts but is not complete, so the target holds."""
    state, _, record = train(new_user(), MONDAY, skipped=True)
    assert not record.complete and record.counting
    assert state.rep_target == 8 and state.program_week == 1


def test_a_restart_after_a_skip_can_finish_complete():
    """"Start over" after a skip: back to round one, exercise one, and the skip forgotten."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    state = lifecycle.restart(move_to(skipped(state), 1, 3))
    assert state.in_progress is not None
    assert (state.in_progress.round, state.in_progress.exercise_index) == (1, 0)
    _, record, _ = finish_workout(state, at(MONDAY, 8))
    assert record.complete


def test_stopped_workout_is_partial_with_the_rounds_done():
    """Stopping in round 3 of week 3 records a partial workout of 2 rounds; no rise."""
    state, _ = train_weeks(new_user(), MONDAY, 2, days=(0,))
    target = state.rep_target
    state, plan, record = train(state, MONDAY + days(14), rounds_done=2)
    assert plan.rounds == 3
    assert (record.complete, record.rounds_done) == (False, 2)
    assert state.rep_target == target and state.program_week == 3


def test_finish_reports_why_the_target_held():
    """Progress names the hold: a short report, a rise already taken today, or 12 reached."""
    state, _ = train_weeks(new_user(), MONDAY, 1, days=(0,))
    state, _, _ = start_workout(state, at(MONDAY, 18), "UTC")
    state, _, progress = finish_workout(state, at(MONDAY, 19))
    assert (progress.target_rose, progress.hold) == (False, Hold.ALREADY_ROSE_TODAY)
    state, _, _ = start_workout(new_user(12), at(MONDAY), "UTC")
    _, _, progress = finish_workout(state, at(MONDAY, 8))
    assert progress.hold is Hold.AT_MAX and progress.rep_target == 12


def test_workout_left_unfinished_is_settled_as_partial_the_next_day():
    """Left in round 2 and resumed the next day: yesterday's is recorded partial with 1 round."""
    state, _ = train_weeks(new_user(), MONDAY, 1, days=(0,))
    state, plan, _ = start_workout(state, at(MONDAY + days(7)), "UTC")
    state = move_to(state, 2, 3)
    state, _, settled = start_workout(state, at(MONDAY + days(8)), "UTC")
    assert plan.rounds == 2
    assert [(r.local_date, r.rounds_done, r.complete, r.ended_at) for r in settled] == [
        (MONDAY + days(7), 1, False, None)
    ]
    assert state.program_week == 2 and state.week_start == MONDAY + days(7)


def test_settle_leaves_todays_workout_alone():
    """A workout started today is not settled, whatever the hour."""
    state, _, _ = start_workout(new_user(), at(MONDAY, 6), "UTC")
    assert settle(state, MONDAY) == (state, [])


def test_workout_under_one_round_is_kept_but_begins_no_week():
    """Stopped in round 1: the record is kept, but no week begins and it is not counted."""
    state, _, record = train(new_user(), MONDAY, rounds_done=0)
    assert record in state.recent_workouts and not record.counting
    assert state.program_week == 0 and state.week_start is None
    assert week_summary(state, MONDAY).workouts_done == 0
    assert plan_for(state, MONDAY + days(1)).program_week == 1


def test_partial_workout_with_one_round_begins_the_week():
    """A partial workout with a full round is counting: it begins the program week."""
    state, _ = train_weeks(new_user(), MONDAY, 1, days=(0,))
    state, _, _ = train(state, MONDAY + days(9), rounds_done=1)
    assert (state.program_week, state.week_start) == (2, MONDAY + days(9))
    assert week_summary(state, MONDAY + days(9)).workouts_done == 1


# --- The rise: at most once per local day, never above 12 ---


def test_two_workouts_in_one_day_are_both_recorded_but_raise_once():
    """Morning and evening workouts both count this week; only the first raises the target."""
    state, _, first = train(new_user(), MONDAY)
    state, _, _ = start_workout(state, at(MONDAY, 19), "UTC")
    state, second, _ = finish_workout(state, at(MONDAY, 20))
    assert first.raised_target and not second.raised_target
    assert state.rep_target == 9
    assert [w.local_date for w in state.recent_workouts] == [MONDAY, MONDAY]
    assert week_summary(state, MONDAY).workouts_done == 2


def test_target_never_goes_above_12():
    """Starting at 12, a complete workout leaves the target at 12."""
    state, _, record = train(new_user(12), MONDAY)
    assert state.rep_target == 12 and not record.raised_target


# --- Short reports ---


def test_short_report_during_the_workout_holds_the_target():
    """"I only did nine" at a target of 10 holds the next target at 10."""
    state, _ = train_weeks(new_user(10), MONDAY, 1, days=(0,))
    state, _, record = train(state, MONDAY + days(2), report=9)
    assert record.reported_reps == 9 and record.complete and not record.raised_target
    assert state.rep_target == 11


def test_short_report_during_the_workout_is_answered_as_held():
    """The report's outcome says the target holds, with the workout's target."""
    state, _, _ = start_workout(new_user(10), at(MONDAY), "UTC")
    state, report = report_reps(state, 9, MONDAY)
    assert (report.outcome, report.rep_target, report.amended) == (ReportOutcome.HELD, 10, None)
    _, _, progress = finish_workout(state, at(MONDAY, 8))
    assert progress.hold is Hold.SHORT_REPORT and progress.rep_target == 10


@pytest.mark.parametrize("count", [10, 12, 30])
def test_report_at_or_above_the_target_changes_nothing(count):
    """A report at or above the target leaves the state exactly as it was."""
    state, _, _ = start_workout(new_user(10), at(MONDAY), "UTC")
    after, report = report_reps(state, count, MONDAY)
    assert after == state and report.outcome is ReportOutcome.AT_OR_ABOVE_TARGET


@pytest.mark.parametrize("count", [0, -3, 31, 100])
def test_report_below_1_or_above_30_is_refused(count):
    """Reports outside 1..30 raise RepsOutOfRange."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    with pytest.raises(RepsOutOfRange):
        report_reps(state, count, MONDAY)


def test_report_of_one_is_accepted():
    """1 is the lowest report the coach accepts."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    _, report = report_reps(state, 1, MONDAY)
    assert report.outcome is ReportOutcome.HELD


def test_short_report_after_todays_workout_takes_back_its_rise():
    """Reported after finishing, the same day: the target goes back and the record is amended."""
    state, _, record = train(new_user(), MONDAY)
    assert state.rep_target == 9
    state, report = report_reps(state, 6, MONDAY)
    assert state.rep_target == 8
    assert report.amended == replace(record, reported_reps=6, raised_target=False)
    assert state.recent_workouts[-1] == report.amended
    assert record_to_dict(report.amended)["at"] == record_to_dict(record)["at"]


def test_short_report_with_no_workout_today_applies_to_nothing():
    """Yesterday's workout is not today's: the report changes nothing."""
    state, _, _ = train(new_user(), MONDAY)
    after, report = report_reps(state, 5, MONDAY + days(1))
    assert after == state and report.outcome is ReportOutcome.NO_WORKOUT
    after, report = report_reps(new_user(), 5, MONDAY)
    assert report.outcome is ReportOutcome.NO_WORKOUT


# --- Program weeks ---


def test_program_week_begins_with_the_first_workout_and_lasts_seven_days():
    """First workout on Wednesday: week 1 runs to Tuesday; the next Wednesday is week 2."""
    wednesday = MONDAY + days(2)
    state, _, _ = train(new_user(), wednesday)
    assert state.week_start == wednesday
    assert plan_for(state, wednesday + days(6)).program_week == 1
    assert plan_for(state, wednesday + days(7)).program_week == 2


def test_next_week_begins_on_the_day_of_its_first_workout():
    """Week 2 begins on the first workout after week 1 ended, not on a calendar boundary."""
    state, _, _ = train(new_user(), MONDAY)
    state, _, _ = train(state, MONDAY + days(10))
    assert (state.program_week, state.week_start) == (2, MONDAY + days(10))
    assert plan_for(state, MONDAY + days(16)).program_week == 2
    assert plan_for(state, MONDAY + days(17)).program_week == 3


def test_missed_weeks_never_make_the_dose_jump():
    """Two weeks missed after week 1: the next workout is week 2 with two rounds."""
    state, _, _ = train(new_user(), MONDAY)
    plan = plan_for(state, MONDAY + days(7 + 14))
    assert (plan.program_week, plan.rounds, plan.rep_target) == (2, 2, 9)


# --- Blocks and bands ---


def test_block_with_a_complete_12_in_week_4_moves_to_grey_at_8_reps():
    """Four weeks reaching 12 reps in week 4: week 1 on grey, one round of 8."""
    state, _ = train_weeks(new_user(), MONDAY, 4)
    plan = plan_for(state, MONDAY + days(28))
    assert (plan.band, plan.program_week, plan.rounds, plan.rep_target) == (Band.GREY, 1, 1, 8)
    assert Notice.HEAVIER_BAND in plan.notices


def test_grey_block_moves_to_black():
    """The automatic order continues: grey to black."""
    state, _ = train_weeks(choose_band(new_user(), Band.GREY), MONDAY, 4)
    assert plan_for(state, MONDAY + days(28)).band is Band.BLACK


def test_block_without_12_reps_in_week_4_is_repeated_keeping_the_target():
    """One workout a week from 8 reaches only 11 in week 4: green again, week 1, target kept."""
    state, plans = train_weeks(new_user(), MONDAY, 4, days=(0,))
    assert plans[-1].rep_target == 11
    plan = plan_for(state, MONDAY + days(28))
    assert (plan.band, plan.program_week, plan.rep_target) == (Band.GREEN, 1, 12)
    assert plan.notices == (Notice.BLOCK_REPEATED,)


def test_partial_12_rep_workout_in_week_4_does_not_earn_the_band():
    """Week 4 at 12 reps but only partial workouts: the block repeats."""
    state, _ = train_weeks(new_user(12), MONDAY, 3, days=(0,))
    state, _, _ = train(state, MONDAY + days(21), rounds_done=3)
    assert plan_for(state, MONDAY + days(28)).band is Band.GREEN


def test_short_12_rep_workout_in_week_4_does_not_earn_the_band():
    """Week 4 at 12 reps reported short, during or after: the block repeats."""
    state, _ = train_weeks(new_user(12), MONDAY, 3, days=(0,))
    during, _, _ = train(state, MONDAY + days(21), report=10)
    after, _, _ = train(state, MONDAY + days(21))
    assert after.block_ready
    after, _ = report_reps(after, 11, MONDAY + days(21))
    for state in (during, after):
        assert not state.block_ready
        assert plan_for(state, MONDAY + days(28)).band is Band.GREEN


def test_after_black_the_leg_exercises_get_harder():
    """Completing a black block: stay on black, raise non-pushup levels below 3, week 1 at 8."""
    state, _ = train_weeks(choose_band(new_user(), Band.BLACK), MONDAY, 4)
    plan = plan_for(state, MONDAY + days(28))
    assert (plan.band, plan.program_week, plan.rep_target) == (Band.BLACK, 1, 8)
    assert Notice.LEVELS_RAISED in plan.notices
    assert [p.level for p in plan.exercises] == [3, 3, 3, 3, 3]


def test_after_black_with_everything_at_level_3_suggests_weights():
    """All leg exercises at level 3 on black: keep cycling and suggest dumbbells."""
    state = choose_band(new_user(), Band.BLACK)
    state, _ = change_level(state, 1, None)
    state, _ = train_weeks(state, MONDAY, 4)
    plan = plan_for(state, MONDAY + days(28))
    assert (plan.band, plan.program_week) == (Band.BLACK, 1)
    assert Notice.SUGGEST_WEIGHTS in plan.notices and Notice.LEVELS_RAISED not in plan.notices


# --- Pushups ---


@pytest.mark.parametrize(("level", "band"), [(1, Band.GREEN), (2, Band.GREEN), (3, None)])
def test_pushups_use_the_light_band_at_levels_1_and_2_and_none_at_3(level, band):
    """The band assists pushups, whatever the leg band: green at 1-2, none at 3."""
    state = choose_band(new_user(), Band.BLACK)
    state = replace(state, levels={**state.levels, "pushup": level})
    pushup = plan_for(state, MONDAY).exercises[4]
    assert (pushup.exercise.id, pushup.band) == ("pushup", band)
    assert plan_for(state, MONDAY).exercises[0].band is Band.BLACK


def test_pushup_level_rises_at_each_block_change_up_to_3():
    """Pushups go 1 -> 2 at the first band change and 2 -> 3 at the next, then stay."""
    state, _ = change_level(new_user(), -1, "pushup")
    levels = []
    for block in range(3):
        state, _ = train_weeks(state, MONDAY + days(28 * block), 4)
        levels.append(state.levels["pushup"])
    assert levels == [1, 2, 3]
    state, _ = train_weeks(state, MONDAY + days(84), 1)
    assert state.levels["pushup"] == 3


def test_coach_says_keep_the_light_band_for_pushups_when_the_leg_band_changes():
    """At a band change with assisted pushups, the plan carries the light-band notice."""
    state, _ = change_level(new_user(), -1, "pushup")
    state, _ = train_weeks(state, MONDAY, 4)
    plan = plan_for(state, MONDAY + days(28))
    assert Notice.KEEP_LIGHT_BAND_FOR_PUSHUPS in plan.notices
    assert Notice.PUSHUP_LEVEL_RAISED in plan.notices
    assert plan.exercises[4].band is Band.GREEN


def test_no_light_band_notice_once_pushups_use_no_band():
    """Pushups reaching level 3 need no band, so the light-band notice is not given."""
    state, _ = train_weeks(new_user(), MONDAY, 4)
    plan = plan_for(state, MONDAY + days(28))
    assert Notice.KEEP_LIGHT_BAND_FOR_PUSHUPS not in plan.notices
    assert plan.exercises[4].band is None


# --- Long absence ---


def test_28_days_without_a_counting_workout_restarts_week_1_at_8():
    """After 28 days away: week 1 of the current band at 8 reps, with the reason."""
    state, _ = train_weeks(choose_band(new_user(), Band.GREY), MONDAY, 2)
    last = MONDAY + days(11)
    plan = plan_for(state, last + days(28))
    assert (plan.band, plan.program_week, plan.rep_target) == (Band.GREY, 1, 8)
    assert plan.notices == (Notice.LONG_ABSENCE_RESET,)


def test_27_days_away_is_not_a_long_absence():
    """27 days after the last workout, the next week simply follows with the target kept."""
    state, _ = train_weeks(new_user(), MONDAY, 2)
    plan = plan_for(state, MONDAY + days(11 + 27))
    assert (plan.program_week, plan.rep_target, plan.notices) == (3, 12, ())


def test_non_counting_workouts_do_not_end_an_absence():
    """Short, stopped workouts in between do not stop the absence from counting."""
    state, _, _ = train(new_user(), MONDAY)
    state, _, _ = train(state, MONDAY + days(20), rounds_done=0)
    assert Notice.LONG_ABSENCE_RESET in plan_for(state, MONDAY + days(28)).notices


# --- Time zones ---


def test_workout_belongs_to_the_local_date_on_which_it_started():
    """23:30 in Los Angeles on 4 January is 07:30 UTC on the 5th: the workout is the 4th's."""
    late = at(MONDAY, 23, "America/Los_Angeles") + timedelta(minutes=30)
    state, _, _ = start_workout(new_user(), late, "America/Los_Angeles")
    assert state.in_progress is not None
    assert state.in_progress.local_date == MONDAY
    state, record, _ = finish_workout(state, late + timedelta(minutes=20))
    entry = record_to_dict(record)
    assert (entry["at"], entry["local_date"]) == ("2027-01-05T07:30:00Z", "2027-01-04")
    assert entry["time_zone"] == "America/Los_Angeles"


def test_the_zone_known_when_it_started_decides_the_date():
    """A workout begun in Los Angeles keeps its date when the user is next heard in Auckland."""
    evening = at(MONDAY, 20, "America/Los_Angeles")
    state, _, _ = start_workout(new_user(), evening, None)
    assert state.in_progress is not None and state.in_progress.local_date == MONDAY + days(1)
    state, _, _ = start_workout(new_user(), evening, "America/Los_Angeles")
    state, _, settled = start_workout(state, evening + timedelta(hours=1), "Pacific/Auckland")
    assert [(r.local_date, r.time_zone) for r in settled] == [(MONDAY, "America/Los_Angeles")]
    assert state.in_progress is not None and state.in_progress.local_date == MONDAY + days(1)
    assert state.time_zone == "Pacific/Auckland"


def test_naive_now_and_unknown_zones_are_refused():
    """A naive datetime names no instant; an unknown zone is not guessed."""
    with pytest.raises(InvalidInstant):
        start_workout(new_user(), datetime(2027, 1, 4, 7), "UTC")
    with pytest.raises(UnknownTimeZone):
        start_workout(new_user(), at(MONDAY), "Mars/Olympus_Mons")


# --- Starting, resuming, moving ---


def test_start_on_the_same_day_resumes_where_it_stopped():
    """Starting again the same day returns the same plan and keeps the saved position."""
    state, _ = train_weeks(new_user(), MONDAY, 2, days=(0,))
    state, plan, _ = start_workout(state, at(MONDAY + days(14)), "UTC")
    state = move_to(state, 2, 3)
    resumed, again, settled = start_workout(state, at(MONDAY + days(14), 21), "UTC")
    assert again == plan
    assert settled == [] and resumed.in_progress == state.in_progress


def test_move_to_refuses_positions_outside_the_workout():
    """Round 3 of a one-round workout, or a sixth exercise, does not exist."""
    state, _, _ = start_workout(new_user(), at(MONDAY), "UTC")
    for round, exercise in ((2, 0), (0, 0), (1, 5), (1, -1)):
        with pytest.raises(InvalidChoice):
            move_to(state, round, exercise)


def test_steps_need_a_workout_in_progress():
    """Moving or finishing without a workout is an error; stopping one is a no-op."""
    with pytest.raises(NoWorkoutInProgress):
        move_to(new_user(), 1, 0)
    with pytest.raises(NoWorkoutInProgress):
        finish_workout(new_user(), at(MONDAY))
    assert stop_workout(new_user(), at(MONDAY)) == (new_user(), None)


# --- Runs ---


def test_mentioned_runs_are_remembered():
    """A run is kept with its instant, local date and minutes (None for a distance)."""
    state, run = mention_run(new_user(), at(MONDAY), MONDAY, 25)
    state, distance = mention_run(state, at(MONDAY, 9), MONDAY, None)
    assert state.recent_runs == (run, distance) and distance.minutes is None


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_run_minutes_out_of_range_are_refused(minutes):
    """A run of no minutes, or longer than a day, is an InvalidChoice."""
    with pytest.raises(InvalidChoice):
        mention_run(new_user(), at(MONDAY), MONDAY, minutes)
