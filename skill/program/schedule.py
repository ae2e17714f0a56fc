"""Program weeks and blocks (PROGRAM.md 4): what block position a workout started on a day has.

A week begins only with a counting workout, so this module only answers "if a workout
started on `today`, which week would it be in?"; `progression` applies the answer when
that workout counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from skill.program.catalogue import (
    CIRCUIT,
    LEVELS,
    LONG_ABSENCE_DAYS,
    MIN_REPS,
    PROGRAM_WEEK_DAYS,
    ROUNDS_PER_BLOCK,
    Band,
    BandUse,
)
from skill.program.plan import Notice, WorkoutPlan, plan_workout
from skill.program.state import Levels, TrainingState

TOP_LEVEL = LEVELS[-1]


@dataclass(frozen=True)
class UpcomingWeek:
    """The block position of a workout started on a given day."""

    band: Band
    program_week: int
    rep_target: int
    levels: Levels
    begins_week: bool  # the workout, if it counts, begins this program week
    notices: tuple[Notice, ...] = ()

    def plan(self, pace_step: int) -> WorkoutPlan:
        return plan_workout(
            self.band, self.program_week, self.rep_target, self.levels, pace_step, self.notices
        )


def last_day(week_start: date) -> date:
    return week_start + timedelta(days=PROGRAM_WEEK_DAYS - 1)


def in_current_week(state: TrainingState, today: date) -> bool:
    """A program week has begun and has not ended by `today`."""
    return state.week_start is not None and today <= last_day(state.week_start)


def long_absence(state: TrainingState, today: date) -> bool:
    """28 or more days since the last counting workout."""
    last = state.last_counting_date
    return last is not None and (today - last).days >= LONG_ABSENCE_DAYS


def upcoming_week(state: TrainingState, today: date) -> UpcomingWeek:
    """The week a workout started on `today` belongs to, with what changed to get there."""
    if state.week_start is None:
        return UpcomingWeek(state.band, 1, state.rep_target, state.levels, begins_week=True)
    if in_current_week(state, today):
        return UpcomingWeek(
            state.band, state.program_week, state.rep_target, state.levels, begins_week=False
        )
    if long_absence(state, today):
        return UpcomingWeek(
            state.band, 1, MIN_REPS, state.levels, True, (Notice.LONG_ABSENCE_RESET,)
        )
    if state.program_week < ROUNDS_PER_BLOCK:
        week = state.program_week + 1
        return UpcomingWeek(state.band, week, state.rep_target, state.levels, begins_week=True)
    if not state.block_ready:
        return UpcomingWeek(
            state.band, 1, state.rep_target, state.levels, True, (Notice.BLOCK_REPEATED,)
        )
    return _next_block(state)


def levels_rising(levels: Levels, on_heaviest_band: bool) -> tuple[str, ...]:
    """The exercises whose level the next block change raises: those that rise every block,
    and on the heaviest band (harder moves instead of a heavier band) the others too."""
    return tuple(
        e.id for e in CIRCUIT
        if (e.rises_every_block or on_heaviest_band) and levels[e.id] < TOP_LEVEL
    )  # fmt: skip


def _next_block(state: TrainingState) -> UpcomingWeek:
    """A heavier band, or on black harder variations, and the levels that rise every block:
    week 1, 8 reps."""
    heavier = state.band.heavier
    raised = levels_rising(state.levels, heavier is None)
    levels = {**state.levels, **{exercise: state.levels[exercise] + 1 for exercise in raised}}
    every_block = {e.id for e in CIRCUIT if e.rises_every_block}
    notices: list[Notice] = []
    if heavier is not None:
        notices.append(Notice.HEAVIER_BAND)
    else:
        harder = set(raised) - every_block
        notices.append(Notice.LEVELS_RAISED if harder else Notice.SUGGEST_WEIGHTS)
    if set(raised) & every_block:
        notices.append(Notice.PUSHUP_LEVEL_RAISED)
    assisted = any(e.variation(levels[e.id]).band_use is BandUse.ASSIST for e in CIRCUIT)
    if heavier is not None and assisted:
        notices.append(Notice.KEEP_LIGHT_BAND_FOR_PUSHUPS)
    return UpcomingWeek(heavier or state.band, 1, MIN_REPS, levels, True, tuple(notices))
