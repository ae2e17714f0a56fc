"""The runner's week (PROGRAM.md 9): the days they run, how long, and the band days around them.

Weekdays are integers, 0 for Monday to 6 for Sunday (`date.weekday()`); the week wraps around,
so Sunday is next to Monday. Everything here is a pure function of the week the user gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import combinations, pairwise

from skill.program.catalogue import LONG_RUN_MINUTES
from skill.program.errors import InvalidChoice
from skill.program.frozen import replace

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545 BYDAY, the slot ids
DAYS_IN_WEEK = 7
BAND_DAYS = 3  # the week's band days, unless the user asks for four
MOST_BAND_DAYS = 4
MIN_REST_DAYS = 2  # full rest days an added band day may never take the week below


@dataclass(frozen=True)
class Run:
    """One weekly run. `minutes` None: not known, so it counts as longer than 30 minutes."""

    day: int
    minutes: int | None = None
    long: bool = False  # the user called it their long run

    @property
    def short(self) -> bool:
        """A run of 30 minutes or less: the band workout goes right before it, as its warm-up."""
        return not self.long and self.minutes is not None and self.minutes <= LONG_RUN_MINUTES


@dataclass(frozen=True)
class Alert:
    """A weekly reminder that exists: its band day, its time and the Reminders API's token."""

    day: int
    hour: int
    minute: int
    token: str


@dataclass(frozen=True)
class Reminders:
    """Band-day reminders the user asked for, at `hour`:`minute` local time."""

    hour: int
    minute: int
    alerts: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class RunWeek:
    runs: tuple[Run, ...] = ()  # at most one per day, in day order
    asked_lengths: tuple[int, ...] = ()  # days whose run length was asked about (once only)
    band_days: int = BAND_DAYS
    reminders: Reminders | None = None
    reminders_refused: bool = False  # the user said no to reminders: not offered again

    def run_on(self, day: int) -> Run | None:
        return next((run for run in self.runs if run.day == day), None)


def checked_day(day: int) -> int:
    if not 0 <= day < DAYS_IN_WEEK:
        raise InvalidChoice(f"a weekday is 0 (Monday) to 6 (Sunday), not {day}")
    return day


def _with_runs(week: RunWeek, runs: list[Run]) -> RunWeek:
    return replace(week, runs=tuple(sorted(runs, key=lambda run: run.day)))


def run_days(week: RunWeek | None, days: set[int]) -> RunWeek:
    """ "I run on Tuesdays and Thursdays": exactly these days; what is known of them is kept."""
    week = week or RunWeek()
    runs = [week.run_on(day) or Run(checked_day(day)) for day in days]
    return _with_runs(week, [run for run in runs if run is not None])


def run_every_day_except(week: RunWeek | None, day: int) -> RunWeek:
    return run_days(week, set(range(DAYS_IN_WEEK)) - {checked_day(day)})


def long_run(week: RunWeek | None, day: int) -> RunWeek:
    """ "Sunday is my long run": the one long run; a previous long run becomes a plain run."""
    week = week or RunWeek()
    runs = [replace(run, long=False) for run in week.runs if run.day != checked_day(day)]
    known = week.run_on(day)
    minutes = known.minutes if known and (known.minutes or 0) > LONG_RUN_MINUTES else None
    return _with_runs(week, [*runs, Run(day, minutes, long=True)])


def run_length(week: RunWeek | None, day: int, minutes: int) -> RunWeek:
    """ "Tuesday is a thirty minute run": the day's run, with its length (added if new)."""
    if minutes < 1:
        raise InvalidChoice(f"a run lasts at least a minute, not {minutes}")
    week = week or RunWeek()
    runs = [run for run in week.runs if run.day != checked_day(day)]
    return _with_runs(week, [*runs, Run(day, minutes, long=minutes > LONG_RUN_MINUTES)])


def band_days_a_week(week: RunWeek | None, count: int) -> RunWeek:
    """ "Plan four band days": how many band days the plan holds, one to four (three unless
    asked)."""
    if not 1 <= count <= MOST_BAND_DAYS:
        raise InvalidChoice(f"one to {MOST_BAND_DAYS} band days a week, not {count}")
    return replace(week or RunWeek(), band_days=count)


def no_run_on(week: RunWeek | None, day: int) -> RunWeek:
    week = week or RunWeek()
    return _with_runs(week, [run for run in week.runs if run.day != checked_day(day)])


def length_to_ask(week: RunWeek) -> int | None:
    """The first day whose run length is unknown and was never asked about (a long run's length
    changes nothing, so it is never asked)."""
    unknown = (r.day for r in week.runs if r.minutes is None and not r.long)
    return next((day for day in unknown if day not in week.asked_lengths), None)


def asked_length(week: RunWeek, day: int) -> RunWeek:
    return replace(week, asked_lengths=tuple(sorted({*week.asked_lengths, day})))


def last_length_asked(week: RunWeek) -> int | None:
    """The day an answer with no day names: the latest asked whose length is still unknown."""
    open_days = [d for d in week.asked_lengths if (r := week.run_on(d)) and r.minutes is None]
    return open_days[-1] if open_days else None


# --- the plan -----------------------------------------------------------------------------


class Reason(Enum):
    BEFORE_SHORT_RUN = "before_short_run"  # the warm-up for a run of 30 minutes or less
    REST_FROM_RUNNING = "rest_from_running"  # a day without runs


class Room(Enum):
    ENOUGH = "enough"
    LITTLE = "little"  # fewer band days than wanted: the full rest days are protected
    NO_REST_DAY = "no_rest_day"  # runs on every day: recovery is where strength grows


@dataclass(frozen=True)
class BandDay:
    day: int
    reason: Reason
    run_minutes: int | None = None


@dataclass(frozen=True)
class WeekPlan:
    band_days: tuple[BandDay, ...]  # in day order
    rest_days: tuple[int, ...]  # full rest days: no run, no bands
    wanted: int
    room: Room

    def band_day(self, day: int) -> BandDay | None:
        return next((band for band in self.band_days if band.day == day), None)

    def next_band_day(self, after: int) -> int | None:
        """The first band day after weekday `after` (wrapping into next week)."""
        later = sorted(self.band_days, key=lambda band: (band.day - after - 1) % DAYS_IN_WEEK)
        return later[0].day if later else None


def gap(one: int, other: int) -> int:
    """Days between two weekdays, the shorter way round the week."""
    distance = abs(one - other) % DAYS_IN_WEEK
    return min(distance, DAYS_IN_WEEK - distance)


def _spread(days: tuple[int, ...]) -> tuple[int, int]:
    """How evenly `days` (sorted) cover the week: the smallest gap first, then even gaps."""
    gaps = [b - a for a, b in pairwise(days)]
    gaps.append(days[0] + DAYS_IN_WEEK - days[-1])
    return min(gaps), -sum(g * g for g in gaps)


def _most_even(days: list[int], count: int) -> tuple[int, ...]:
    """The `count` of `days` most evenly spread over the week; ties go to the earliest days."""
    best = max(combinations(sorted(days), count), key=_spread)
    return tuple(best)


def plan_week(week: RunWeek, band_days: int | None = None) -> WeekPlan:
    """The week's band days (PROGRAM.md 9): short-run days first, then days without runs that
    keep at least two full rest days, preferring days apart from band days and long runs."""
    wanted = band_days if band_days is not None else week.band_days
    if not 1 <= wanted <= MOST_BAND_DAYS:
        raise InvalidChoice(f"one to four band days a week, not {wanted}")
    short = {run.day: run for run in week.runs if run.short}
    chosen = list(_most_even(list(short), wanted) if len(short) > wanted else sorted(short))
    run_days_ = {run.day for run in week.runs}
    longer = {run.day for run in week.runs if not run.short}
    free = [day for day in range(DAYS_IN_WEEK) if day not in run_days_]
    while len(chosen) < wanted and len(free) - 1 >= MIN_REST_DAYS:
        day = min(free, key=lambda d: _fill_rank(d, chosen, longer))
        free.remove(day)
        chosen.append(day)
    plan = tuple(
        BandDay(d, Reason.BEFORE_SHORT_RUN, short[d].minutes) if d in short
        else BandDay(d, Reason.REST_FROM_RUNNING)
        for d in sorted(chosen)
    )  # fmt: skip
    room = Room.NO_REST_DAY if not free else Room.LITTLE if len(plan) < wanted else Room.ENOUGH
    return WeekPlan(plan, tuple(free), wanted, room)


def _fill_rank(day: int, chosen: list[int], longer: set[int]) -> tuple[int, int, int]:
    """Lower is better: neither next to a band day nor the day before a long run, then far
    from the band days, then early in the week."""
    beside_band = any(gap(day, band) == 1 for band in chosen)
    before_long = (day + 1) % DAYS_IN_WEEK in longer
    nearest = min((gap(day, band) for band in chosen), default=DAYS_IN_WEEK)
    return int(beside_band) + int(before_long), -nearest, day


# --- today --------------------------------------------------------------------------------


class DayKind(Enum):
    BAND_DAY = "band_day"
    LONG_RUN_DAY = "long_run_day"  # a run longer than 30 minutes (or of unknown length)
    REST_DAY = "rest_day"  # a full rest day of the plan
    RUN_DAY = "run_day"  # a short run, but the band days fall elsewhere this week


@dataclass(frozen=True)
class PlannedDay:
    kind: DayKind
    band_day: BandDay | None
    next_band_day: int | None  # the next band day after this one


def planned_day(week: RunWeek, day: int) -> PlannedDay:
    """What the plan says about weekday `day`."""
    plan = plan_week(week)
    band, run = plan.band_day(day), week.run_on(checked_day(day))
    if band is not None:
        kind = DayKind.BAND_DAY
    elif run is None:
        kind = DayKind.REST_DAY
    else:
        kind = DayKind.RUN_DAY if run.short else DayKind.LONG_RUN_DAY
    return PlannedDay(kind, band, plan.next_band_day(day))
