"""Answers to what a user asks: this week, the next band, whether to train, progress.

Each answer first settles a workout left in progress on an earlier day, so that it agrees
with what `start_workout` would do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from skill.program.catalogue import (
    EXERCISES,
    LONG_RUN_MINUTES,
    REST_DAY_TRAINED_DAYS,
    REST_DAY_WINDOW_DAYS,
    ROUNDS_PER_BLOCK,
    Band,
)
from skill.program.progression import settle
from skill.program.schedule import in_current_week, levels_rising, upcoming_week
from skill.program.state import Levels, TrainingState


@dataclass(frozen=True)
class WeekSummary:
    """"This week": the current program week, or the one the next workout will begin."""

    program_week: int
    rounds: int  # the sets of each exercise in one workout this week
    workouts_done: int  # counting workouts this program week
    sets_done: int  # rounds done in them: sets of each exercise so far
    band: Band
    rep_target: int
    is_current: bool  # False: no week is under way; this is the week the next workout begins


def week_summary(state: TrainingState, today: date) -> WeekSummary:
    state, _ = settle(state, today)
    if in_current_week(state, today):
        return WeekSummary(
            state.program_week, state.program_week, state.week_workouts, state.week_rounds,
            state.band, state.rep_target, is_current=True,
        )  # fmt: skip
    week = upcoming_week(state, today)
    return WeekSummary(
        week.program_week, week.program_week, 0, 0, week.band, week.rep_target, is_current=False
    )


@dataclass(frozen=True)
class BandOutlook:
    """When the next band change comes and what it needs."""

    band: Band
    program_week: int  # this week (see `week_summary`)
    weeks_after_this: int  # program weeks left in the block after this one
    next_band: Band | None  # None on black: harder variations (or weights) come instead
    rep_target: int
    needs_twelve: bool  # still needs a complete 12-rep workout in week 4
    levels_to_raise: tuple[str, ...]  # on black: what the next block makes harder


def band_outlook(state: TrainingState, today: date) -> BandOutlook:
    week = week_summary(state, today)
    state, _ = settle(state, today)
    ready = week.is_current and week.program_week == ROUNDS_PER_BLOCK and state.block_ready
    raise_on_black = tuple(
        e for e in levels_rising(state.levels, True) if not EXERCISES[e].rises_every_block
    )
    return BandOutlook(
        week.band, week.program_week, ROUNDS_PER_BLOCK - week.program_week, week.band.heavier,
        week.rep_target, not ready, raise_on_black if week.band.heavier is None else (),
    )  # fmt: skip


class AdviceKind(Enum):
    TRAIN = "train"  # before a run of 30 minutes or less, or on a non-running day
    REST_DAY = "rest_day"  # trained on 6+ of the last 7 days: recovery is where strength grows
    ANOTHER_DAY = "another_day"  # a run longer than 30 minutes: do the bands another day
    ASK_DURATION = "ask_duration"  # a run given as a distance: how long will it take?
    DONE_TODAY = "done_today"  # today's workout is already done


@dataclass(frozen=True)
class Advice:
    kind: AdviceKind
    trained_days: int  # of the seven local days before today
    run_minutes: int | None


def trained_days(state: TrainingState, today: date) -> int:
    """Local days among the seven before today with a counting workout or a mentioned run."""
    first = today - timedelta(days=REST_DAY_WINDOW_DAYS)
    days = {w.local_date for w in state.recent_workouts if w.counting}
    days |= {run.local_date for run in state.recent_runs}
    return sum(1 for day in days if first <= day < today)


def training_advice(
    state: TrainingState, today: date, run_minutes: int | None, run_is_distance: bool = False
) -> Advice:
    """Whether to train today (PROGRAM.md 6): a workout done today first, then the rest-day rule,
    then the run's length. With no run given, the longest run mentioned today counts."""
    state, _ = settle(state, today)
    days = trained_days(state, today)
    if run_minutes is None and not run_is_distance:
        run_minutes = longest_run(state, today)
    if any(w.counting and w.local_date == today for w in state.recent_workouts):
        kind = AdviceKind.DONE_TODAY
    elif days >= REST_DAY_TRAINED_DAYS:
        kind = AdviceKind.REST_DAY
    elif run_minutes is None and run_is_distance:
        kind = AdviceKind.ASK_DURATION
    elif run_minutes is not None and run_minutes > LONG_RUN_MINUTES:
        kind = AdviceKind.ANOTHER_DAY
    else:
        kind = AdviceKind.TRAIN
    return Advice(kind, days, run_minutes)


def longest_run(state: TrainingState, today: date) -> int | None:
    """The minutes of the longest run mentioned for `today`, if one was given in minutes."""
    minutes = [r.minutes for r in state.recent_runs if r.local_date == today and r.minutes]
    return max(minutes, default=None)


@dataclass(frozen=True)
class ProgressSummary:
    band: Band
    program_week: int  # this week (see `week_summary`)
    rep_target: int
    levels: Levels
    workouts_total: int  # counting workouts ever
    workouts_this_week: int
    last_workout: date | None  # local date of the last counting workout
    days_since_last_workout: int | None
    block_ready: bool  # week 4 already has its complete 12-rep workout


def progress_summary(state: TrainingState, today: date) -> ProgressSummary:
    week = week_summary(state, today)
    state, _ = settle(state, today)
    last = state.last_counting_date
    return ProgressSummary(
        week.band, week.program_week, week.rep_target, state.levels, state.total_workouts,
        week.workouts_done, last, None if last is None else (today - last).days,
        week.is_current and state.block_ready,
    )  # fmt: skip
