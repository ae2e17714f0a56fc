"""`band-coach program`: the progression a user would follow, workout by workout.

It simulates a user by driving the engine's own use cases (start, move, report, stop,
finish), so the table shows exactly what the skill would do. The default start date is
fixed (Monday 2027-01-04) so that the output is reproducible.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from skill.program.catalogue import MAX_REPS, MIN_REPS
from skill.program.plan import WorkoutPlan
from skill.program.progression import (
    finish_workout,
    move_to,
    new_user,
    report_reps,
    start_workout,
    stop_workout,
)
from skill.program.state import TrainingState, WorkoutRecord

DEFAULT_START = date(2027, 1, 4)
WORKOUT_TIME = time(7, 0)
TIME_ZONE = "UTC"


def _within(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low} to {high}, not {value}")
        return value

    return parse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workouts-per-week", type=_within(1, 7), default=3, metavar="N",
                        help="workouts in each calendar week (default 3)")
    parser.add_argument("--weeks", type=_within(1, 520), default=13, metavar="N",
                        help="calendar weeks to simulate (default 13)")
    parser.add_argument("--start-reps", type=_within(MIN_REPS, MAX_REPS), default=MIN_REPS,
                        metavar="N", help="the starting rep target, 8 to 12 (default 8)")
    parser.add_argument("--start-date", type=date.fromisoformat, default=DEFAULT_START,
                        metavar="YYYY-MM-DD", help="the first day (default 2027-01-04)")
    parser.add_argument("--skip-week", type=_within(1, 520), action="append", default=[],
                        metavar="K", help="no workouts in calendar week K (repeatable)")
    parser.add_argument("--short", type=_within(1, 10**6), action="append", default=[],
                        metavar="N", help="workout N is reported one rep short (repeatable)")
    parser.add_argument("--partial", type=_within(1, 10**6), action="append", default=[],
                        metavar="N", help="workout N stops after one round; in a one-round "
                        "week, before that round ends (repeatable)")
    parser.add_argument("--json", action="store_true",
                        help="a JSON array, one object (and line) per workout")  # fmt: skip


@dataclass(frozen=True)
class Row:
    number: int
    plan: WorkoutPlan
    record: WorkoutRecord

    def to_dict(self) -> dict[str, object]:
        return {
            "workout": self.number,
            "date": self.record.local_date.isoformat(),
            "band": self.plan.band.value,
            "program_week": self.plan.program_week,
            "rounds": self.plan.rounds,
            "rep_target": self.plan.rep_target,
            "result": "complete" if self.record.complete else "partial",
            "rounds_done": self.record.rounds_done,
            "reported_reps": self.record.reported_reps,
            "notices": [notice.value for notice in self.plan.notices],
        }


def workout_days(args: argparse.Namespace) -> Iterator[date]:
    """N days spread over each calendar week, skipping the weeks asked for."""
    per_week: int = args.workouts_per_week
    for week in range(args.weeks):
        if week + 1 not in args.skip_week:
            first = args.start_date + timedelta(weeks=week)
            yield from (first + timedelta(days=i * 7 // per_week) for i in range(per_week))


def one_workout(
    state: TrainingState, day: date, short: bool, partial: bool
) -> tuple[TrainingState, WorkoutPlan, WorkoutRecord]:
    """A guided workout on `day`, as the voice layer would drive it."""
    now = datetime.combine(day, WORKOUT_TIME, tzinfo=UTC)
    state, plan, _ = start_workout(state, now, TIME_ZONE)
    if short:
        state, _ = report_reps(state, plan.rep_target - 1, day)
    end = now + timedelta(minutes=5 * plan.rounds)
    if partial:
        if plan.rounds > 1:
            state = move_to(state, 2, 0)
        state, stopped = stop_workout(state, end)
        assert stopped is not None
        return state, plan, stopped
    for round in range(1, plan.rounds + 1):
        state = move_to(state, round, 0)
    state, record, _ = finish_workout(state, end)
    return state, plan, record


def simulate(args: argparse.Namespace) -> list[Row]:
    state = new_user(args.start_reps)
    rows = []
    for number, day in enumerate(workout_days(args), start=1):
        short, partial = number in args.short, number in args.partial
        state, plan, record = one_workout(state, day, short, partial)
        rows.append(Row(number, plan, record))
    return rows


def _result(record: WorkoutRecord) -> str:
    if not record.complete:
        return f"partial, {record.rounds_done} of {record.rounds} rounds"
    if record.short:
        return f"complete, short ({record.reported_reps} reps)"
    return "complete"


def table(rows: list[Row]) -> str:
    lines = [f"{'#':>3}  {'date':<14} {'band':<5} {'week':>4} {'rounds':>6} {'reps':>4}  "
             f"{'result':<28} notes"]  # fmt: skip
    for row in rows:
        plan, record = row.plan, row.record
        notes = ", ".join(notice.value.replace("_", " ") for notice in plan.notices)
        lines.append(
            f"{row.number:>3}  {record.local_date:%a %Y-%m-%d} {plan.band.value:<5} "
            f"{plan.program_week:>4} {plan.rounds:>6} {plan.rep_target:>4}  "
            f"{_result(record):<28} {notes}".rstrip()
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    rows = simulate(args)
    if args.json:
        objects = ",\n".join(json.dumps(row.to_dict()) for row in rows)
        print(f"[\n{objects}\n]" if rows else "[]")
    else:
        print(table(rows))
    return 0
