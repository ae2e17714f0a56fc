"""The guided workout's life and what it does to the program (PROGRAM.md 3, 4, 6).

Every function is pure: it takes a state (and "now" or a local date) and returns new values.
Records returned alongside a state are history entries for storage to append.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from skill.program.catalogue import (
    CIRCUIT,
    MAX_REPS,
    MIN_REPS,
    REPORT_MAX,
    REPORT_MIN,
    ROUNDS_PER_BLOCK,
)
from skill.program.errors import InvalidChoice, NoWorkoutInProgress, RepsOutOfRange
from skill.program.frozen import replace
from skill.program.plan import WorkoutPlan, plan_workout
from skill.program.schedule import in_current_week, upcoming_week
from skill.program.state import (
    MAX_RUN_MINUTES,
    RunRecord,
    TrainingState,
    WorkoutInProgress,
    WorkoutRecord,
    keep_recent,
    new_run,
    new_workout_id,
)
from skill.program.timekeeping import DEFAULT_TIME_ZONE, instant, local_date


class Hold(Enum):
    """Why a recorded workout left the rep target where it was."""

    INCOMPLETE = "incomplete"  # stopped, left unfinished or an exercise skipped
    SHORT_REPORT = "short_report"  # the user reported fewer reps than the target
    ALREADY_ROSE_TODAY = "already_rose_today"  # one rise per local day
    AT_MAX = "at_max"  # the target is 12


@dataclass(frozen=True)
class Progress:
    """What a finished workout did to the program."""

    rep_target: int  # for the next workout
    target_rose: bool
    hold: Hold | None  # why it did not rise; None when it rose
    program_week: int
    workouts_this_week: int
    block_ready: bool  # the heavier band (or harder variations) comes after week 4


class ReportOutcome(Enum):
    HELD = "held"  # fewer than the target: the next target stays where it was
    AT_OR_ABOVE_TARGET = "at_or_above_target"  # nothing changes
    NO_WORKOUT = "no_workout"  # no workout in progress and none today


@dataclass(frozen=True)
class RepReport:
    outcome: ReportOutcome
    count: int
    rep_target: int | None  # the target of the workout the report applies to
    amended: WorkoutRecord | None = None  # a finished workout's updated record: replace it


def new_user(start_reps: int = MIN_REPS) -> TrainingState:
    """A user before the first workout, starting at `start_reps` (8..12)."""
    return TrainingState(rep_target=checked_start_reps(start_reps))


def checked_start_reps(start_reps: int) -> int:
    if not MIN_REPS <= start_reps <= MAX_REPS:
        raise InvalidChoice(f"start reps must be {MIN_REPS} to {MAX_REPS}, not {start_reps}")
    return start_reps


def plan_for(state: TrainingState, today: date) -> WorkoutPlan:
    """The workout `start_workout` would give on `today` (a workout in progress today resumes)."""
    state, _ = settle(state, today)
    resumed = current_plan(state)
    if resumed is not None:
        return resumed
    return upcoming_week(state, today).plan(state.pace_step)


def current_plan(state: TrainingState) -> WorkoutPlan | None:
    """The plan of the workout in progress, at the current levels and pace."""
    workout = state.in_progress
    if workout is None:
        return None
    return plan_workout(
        workout.band, workout.program_week, workout.rep_target, workout.levels, state.pace_step
    )


def start_workout(
    state: TrainingState, now: datetime, time_zone: str | None
) -> tuple[TrainingState, WorkoutPlan, list[WorkoutRecord]]:
    """Start (or, the same local day, resume) the guided workout.

    A workout left in progress on an earlier local day is settled as partial first; its
    record is returned for storage. `time_zone` None keeps the zone already known (or UTC).
    """
    zone_name = time_zone or state.time_zone or DEFAULT_TIME_ZONE
    started_at = instant(now)
    today = local_date(started_at, zone_name)
    state = replace(state, time_zone=time_zone or state.time_zone)
    state, settled = settle(state, today)
    resumed = current_plan(state)
    if resumed is not None:
        return state, resumed, settled
    week = upcoming_week(state, today)
    state, workout_id = new_workout_id(state, started_at)
    workout = WorkoutInProgress(
        started_at, today, zone_name, week.band, week.program_week, week.rep_target,
        week.levels, week.begins_week, workout_id=workout_id,
    )  # fmt: skip
    return replace(state, in_progress=workout), week.plan(state.pace_step), settled


def _in_progress(state: TrainingState) -> WorkoutInProgress:
    if state.in_progress is None:
        raise NoWorkoutInProgress("no workout is in progress")
    return state.in_progress


def move_to(state: TrainingState, round: int, exercise_index: int) -> TrainingState:
    """Save where the guided workout is: the round (1-based) and exercise (0-based)."""
    workout = _in_progress(state)
    if not 1 <= round <= workout.rounds or not 0 <= exercise_index < len(CIRCUIT):
        raise InvalidChoice(f"no round {round}, exercise {exercise_index} in this workout")
    return replace(state, in_progress=replace(workout, round=round, exercise_index=exercise_index))


def finish_workout(
    state: TrainingState, now: datetime
) -> tuple[TrainingState, WorkoutRecord, Progress]:
    """The guided workout reached its end: complete unless an exercise was skipped."""
    workout = _in_progress(state)
    state, record, hold = _record(state, workout.rounds, not workout.skipped, instant(now))
    progress = Progress(
        state.rep_target, record.raised_target, hold, state.program_week, state.week_workouts,
        state.block_ready,
    )  # fmt: skip
    return state, record, progress


def stop_workout(state: TrainingState, now: datetime) -> tuple[TrainingState, WorkoutRecord | None]:
    """Stop before the end: a partial workout with the rounds before the current one done."""
    if state.in_progress is None:
        return state, None
    state, record, _ = _record(state, state.in_progress.round - 1, False, instant(now))
    return state, record


def settle(state: TrainingState, today: date) -> tuple[TrainingState, list[WorkoutRecord]]:
    """Record a workout left in progress on an earlier local day as partial."""
    workout = state.in_progress
    if workout is None or workout.local_date >= today:
        return state, []
    state, record, _ = _record(state, workout.round - 1, False, None)
    return state, [record]


def _record(
    state: TrainingState, rounds_done: int, complete: bool, ended_at: datetime | None
) -> tuple[TrainingState, WorkoutRecord, Hold | None]:
    """End the workout in progress; the hold says why the target did not rise (None: it rose)."""
    workout = _in_progress(state)
    record = WorkoutRecord(
        workout.started_at, workout.local_date, workout.time_zone, workout.band,
        workout.program_week, workout.rep_target, rounds_done, complete, ended_at,
        workout.reported_reps, workout_id=workout.workout_id,
    )  # fmt: skip
    state = replace(state, in_progress=None)
    hold: Hold | None = Hold.INCOMPLETE
    if record.counting:
        state, record, hold = _count(state, workout, record)
    recent = keep_recent((*state.recent_workouts, record))
    return replace(state, recent_workouts=recent), record, hold


def _count(
    state: TrainingState, workout: WorkoutInProgress, record: WorkoutRecord
) -> tuple[TrainingState, WorkoutRecord, Hold | None]:
    """Apply a counting workout: begin its week if it does, raise the target, count it."""
    if workout.begins_week:
        state = replace(
            state, band=workout.band, program_week=workout.program_week,
            week_start=workout.local_date, rep_target=workout.rep_target,
            levels=workout.levels, block_ready=False, week_workouts=0, week_rounds=0,
        )  # fmt: skip
    hold = _hold(state, record)
    if hold is None:
        state = replace(state, rep_target=state.rep_target + 1, last_rise_date=record.local_date)
        record = replace(record, raised_target=True)
    last = state.last_counting_date
    return replace(
        state,
        week_workouts=state.week_workouts + 1,
        week_rounds=state.week_rounds + record.rounds_done,
        block_ready=state.block_ready or qualifies_for_next_block(record),
        last_counting_date=record.local_date if last is None else max(last, record.local_date),
        total_workouts=state.total_workouts + 1,
    ), record, hold


def _hold(state: TrainingState, record: WorkoutRecord) -> Hold | None:
    """Why this workout may not raise the target, or None if it raises it."""
    if not record.complete:
        return Hold.INCOMPLETE
    if record.short:
        return Hold.SHORT_REPORT
    if state.last_rise_date is not None and record.local_date <= state.last_rise_date:
        return Hold.ALREADY_ROSE_TODAY  # "<=": a zone moved west must not buy a second rise
    if state.rep_target >= MAX_REPS:
        return Hold.AT_MAX
    return None


def qualifies_for_next_block(record: WorkoutRecord) -> bool:
    """A complete week-4 workout at 12 reps with no short report."""
    return (
        record.program_week == ROUNDS_PER_BLOCK
        and record.complete
        and record.rep_target == MAX_REPS
        and not record.short
    )


def report_reps(state: TrainingState, count: int, today: date) -> tuple[TrainingState, RepReport]:
    """"I only did nine": holds the next target if below the workout's target (PROGRAM.md 4).

    Applies to the workout in progress, else to the last workout if it was today.
    """
    if not REPORT_MIN <= count <= REPORT_MAX:
        raise RepsOutOfRange(f"a report must be {REPORT_MIN} to {REPORT_MAX} reps, not {count}")
    workout = state.in_progress
    if workout is not None and workout.local_date >= today:
        if count >= workout.rep_target:
            return state, RepReport(ReportOutcome.AT_OR_ABOVE_TARGET, count, workout.rep_target)
        lowest = min(count, workout.reported_reps or count)
        state = replace(state, in_progress=replace(workout, reported_reps=lowest))
        return state, RepReport(ReportOutcome.HELD, count, workout.rep_target)
    last = state.recent_workouts[-1] if state.recent_workouts else None
    if last is None or last.local_date != today:
        return state, RepReport(ReportOutcome.NO_WORKOUT, count, None)
    if count >= last.rep_target:
        return state, RepReport(ReportOutcome.AT_OR_ABOVE_TARGET, count, last.rep_target)
    return _amend_last(state, last, count)


def _amend_last(
    state: TrainingState, last: WorkoutRecord, count: int
) -> tuple[TrainingState, RepReport]:
    """A short report after the workout: take back its rise, and its claim on the next block."""
    lowest = min(count, last.reported_reps or count)
    amended = replace(last, reported_reps=lowest, raised_target=False)
    target = state.rep_target - 1 if last.raised_target else state.rep_target
    recent = (*state.recent_workouts[:-1], amended)
    state = replace(state, rep_target=max(MIN_REPS, target), recent_workouts=recent)
    if state.week_start is not None and in_current_week(state, last.local_date):
        week = [w for w in recent if w.local_date >= state.week_start]
        state = replace(state, block_ready=any(qualifies_for_next_block(w) for w in week))
    return state, RepReport(ReportOutcome.HELD, count, last.rep_target, amended)


def mention_run(
    state: TrainingState, now: datetime, local_date: date, minutes: int | None
) -> tuple[TrainingState, RunRecord]:
    """Remember a run the user mentioned (None minutes: given only as a distance)."""
    if minutes is not None and not 1 <= minutes <= MAX_RUN_MINUTES:
        raise InvalidChoice(f"a run of {minutes} minutes is out of range")
    run = new_run(state, instant(now), local_date, minutes)
    return replace(state, recent_runs=keep_recent((*state.recent_runs, run))), run
