"""Hypothesis strategies for the engine: random training histories, and living through them.

A history is a list of events (workouts finished, stopped or abandoned, reports, runs, named
bands) separated by gaps; `live` drives the engine's own use cases through one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from skill.program.catalogue import Band
from skill.program.choices import choose_band
from skill.program.plan import WorkoutPlan
from skill.program.progression import (
    finish_workout,
    mention_run,
    move_to,
    new_user,
    report_reps,
    start_workout,
    stop_workout,
)
from skill.program.state import TrainingState, WorkoutRecord
from skill.program.timekeeping import local_date

ZONES = ("UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland")
START = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
T = TypeVar("T")


@dataclass(frozen=True)
class Workout:
    """A guided workout: finished, or stopped/abandoned after `rounds_done` full rounds."""

    rounds_done: int | None  # None: to the end; more than the plan has is treated as the end
    abandoned: bool  # left in progress, to be settled by a later event
    skipped: bool
    report_during: int | None
    report_after: int | None
    zone: str


@dataclass(frozen=True)
class Run:
    minutes: int | None


@dataclass(frozen=True)
class NameBand:
    band: Band


Event = Workout | Run | NameBand


@dataclass(frozen=True)
class Step:
    """One event lived: the state before and after, and what the engine returned."""

    event: Event
    now: datetime
    today: date
    before: TrainingState
    after: TrainingState
    plan: WorkoutPlan | None = None
    records: tuple[WorkoutRecord, ...] = ()


def weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """One of `choices`, each picked in proportion to its weight."""
    return st.sampled_from([c for weight, c in choices for _ in range(weight)]).flatmap(
        lambda choice: choice
    )


reports = weighted((6, st.none()), (1, st.integers(1, 30)))
workouts = st.builds(
    Workout,
    rounds_done=weighted((5, st.none()), (1, st.integers(0, 3))),
    abandoned=weighted((9, st.just(False)), (1, st.just(True))),
    skipped=weighted((9, st.just(False)), (1, st.just(True))),
    report_during=reports,
    report_after=reports,
    zone=weighted((6, st.just("UTC")), (1, st.sampled_from(ZONES))),
)
runs = st.builds(Run, st.one_of(st.none(), st.integers(1, 180)))
events = weighted((8, workouts), (2, runs), (1, st.builds(NameBand, st.sampled_from(Band))))
automatic_events = weighted((8, workouts), (2, runs))

# Mostly a user in the habit (so histories move through blocks), now and then a break.
gap_days = [0, 1, 2, 3] * 25 + [6, 20, 28, 40]
gaps = st.sampled_from(gap_days).map(lambda days: timedelta(days=days))
hours = st.integers(1, 23).map(lambda hours: timedelta(hours=hours))


def _histories(
    event: st.SearchStrategy[Event], least: int, most: int
) -> st.SearchStrategy[list[tuple[timedelta, timedelta, Event]]]:
    """Lists whose length is spread evenly over least..most (plain lists favour short ones)."""
    entry = st.tuples(gaps, hours, event)
    return st.integers(least, most).flatmap(lambda n: st.lists(entry, min_size=n, max_size=n))


histories = _histories(events, 0, 80)
long_histories = _histories(events, 150, 300)
automatic_histories = _histories(automatic_events, 0, 80)
start_reps = st.integers(8, 12)


def live(
    history: list[tuple[timedelta, timedelta, Event]], state: TrainingState | None = None
) -> Iterator[Step]:
    """Drive the engine through `history`; the clock only moves forward."""
    state = new_user() if state is None else state
    now = START
    for gap, hour, event in history:
        now += gap + hour
        before = state
        if isinstance(event, Run):
            today = local_date(now, state.time_zone)
            state, _ = mention_run(state, now, today, event.minutes)
            yield Step(event, now, today, before, state)
        elif isinstance(event, NameBand):
            today = local_date(now, state.time_zone)
            state = choose_band(state, event.band)
            yield Step(event, now, today, before, state)
        else:
            today = local_date(now, event.zone)
            state, plan, records = _workout(state, now, event)
            yield Step(event, now, today, before, state, plan, records)


def skipped(state: TrainingState) -> TrainingState:
    """The workout in progress with an exercise skipped: it can no longer be complete."""
    assert state.in_progress is not None
    return replace(state, in_progress=replace(state.in_progress, skipped=True))


def _workout(
    state: TrainingState, now: datetime, event: Workout
) -> tuple[TrainingState, WorkoutPlan, tuple[WorkoutRecord, ...]]:
    state, plan, records = start_workout(state, now, event.zone)
    today = local_date(now, event.zone)
    if event.report_during is not None:
        state, _ = report_reps(state, event.report_during, today)
    if event.skipped:
        state = skipped(state)
    assert state.in_progress is not None
    done = plan.rounds if event.rounds_done is None else min(event.rounds_done, plan.rounds)
    state = move_to(state, min(state.in_progress.rounds, max(1, done + 1)), 0)
    if event.abandoned:
        return state, plan, tuple(records)
    later = now + timedelta(minutes=20)
    if done == plan.rounds:
        state, record, _ = finish_workout(state, later)
    else:
        state, stopped = stop_workout(state, later)
        assert stopped is not None
        record = stopped
    if event.report_after is not None:
        state, report = report_reps(state, event.report_after, today)
        record = report.amended or record
    return state, plan, (*records, record)


def at(day: date, hour: int = 7, zone: str = "UTC") -> datetime:
    """An instant on a local day, for example tests."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone))


def train(
    state: TrainingState,
    day: date,
    *,
    rounds_done: int | None = None,
    report: int | None = None,
    skipped: bool = False,
    zone: str = "UTC",
) -> tuple[TrainingState, WorkoutPlan, WorkoutRecord]:
    """One workout on `day`: to the end, or stopped after `rounds_done` full rounds."""
    event = Workout(rounds_done, False, skipped, report, None, zone)
    state, plan, records = _workout(state, at(day, zone=zone), event)
    return state, plan, records[-1]


def train_weeks(
    state: TrainingState, first_day: date, weeks: int, days: tuple[int, ...] = (0, 2, 4)
) -> tuple[TrainingState, list[WorkoutPlan]]:
    """Complete workouts on `days` of each of `weeks` calendar weeks from `first_day`."""
    plans = []
    for week in range(weeks):
        for offset in days:
            state, plan, _ = train(state, first_day + timedelta(weeks=week, days=offset))
            plans.append(plan)
    return state, plans


MONDAY = date(2027, 1, 4)  # the examples' first training day


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- the runner's week (PROGRAM.md 9) ------------------------------------------------------

from skill.program.week import Run as WeeklyRun  # noqa: E402  (kept beside its strategies)
from skill.program.week import RunWeek  # noqa: E402

run_lengths = st.one_of(st.none(), st.integers(1, 180))


@st.composite
def run_weeks(draw: st.DrawFn, four: bool = False) -> RunWeek:
    """Any week: runs on any days, of any length (or unknown), some called long; `four`:
    the user asked for four band days."""
    days = draw(st.sets(st.integers(0, 6)))
    runs = tuple(WeeklyRun(d, draw(run_lengths), draw(st.booleans())) for d in sorted(days))
    return RunWeek(runs=runs, band_days=4 if four else 3)
