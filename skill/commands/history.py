"""`band-coach history`: every workout a user has done, with the totals.

Reads the storage port's `history()` (what "delete my data" removes) and is tolerant of
entries it does not know: unknown kinds are left out and extra keys ignored.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from skill.program.catalogue import CIRCUIT

COLUMNS = ("date", "band", "week", "rounds", "reps", "result")


@dataclass(frozen=True)
class WorkoutRow:
    """One workout as a runner reads it."""

    date: str
    band: str
    week: int
    rounds: int  # done
    rounds_planned: int
    reps: int  # each set: the lowest count reported, else the target
    result: str


@dataclass(frozen=True)
class Totals:
    workouts: int
    complete: int
    rounds: int
    sets: int
    reps: int
    runs: int


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="ID", help="whose history (default: this machine's)")
    parser.add_argument("--store", metavar="URL", help="sqlite:///PATH or dynamodb://TABLE")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="the rows and totals as JSON")
    shape.add_argument("--csv", action="store_true", help="the rows as CSV")


def run(args: argparse.Namespace) -> int:
    from skill.chat.envelopes import account_id
    from skill.settings import Settings
    from skill.storage import open_store

    user_id = account_id(args.user) if args.user else machine_user_id()
    try:
        store = open_store(Settings.load({"store_url": args.store}).store_url)
    except ValueError as error:
        print(f"band-coach history: {error}", file=sys.stderr)
        return 2
    try:
        entries = store.history(user_id) if user_id else []
    finally:
        store.close()
    if args.json:
        rows = workout_rows(entries)
        document = {"workouts": [asdict(row) for row in rows],
                    "totals": asdict(totals(entries))}
        print(json.dumps(document, indent=2))
    elif args.csv:
        print(history_csv(entries), end="")
    else:
        print(history_table(entries))
    return 0


def chat_user_file() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "band-coach" / "chat-user"


def machine_user_id() -> str | None:
    """The user `band-coach chat` talks as on this machine, if it has chatted yet."""
    path = chat_user_file()
    return path.read_text().strip() if path.is_file() else None


def workout_rows(entries: Sequence[Mapping[str, Any]]) -> list[WorkoutRow]:
    """The workout entries, oldest first, as rows."""
    rows = []
    for entry in sorted(_workouts(entries), key=lambda entry: str(entry.get("at", ""))):
        planned = int(entry.get("program_week") or 0)
        done = int(entry.get("rounds_done") or 0)
        target = int(entry.get("rep_target") or 0)
        reported = entry.get("reported_reps")
        reps = int(reported) if isinstance(reported, int) and reported < target else target
        rows.append(WorkoutRow(str(entry.get("local_date") or str(entry.get("at", ""))[:10]),
                               str(entry.get("band", "?")), planned, done, planned, reps,
                               _result(bool(entry.get("complete")), done, planned, reps,
                                       target)))
    return rows


def _workouts(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [entry for entry in entries if entry.get("kind") == "workout"]


def _result(complete: bool, done: int, planned: int, reps: int, target: int) -> str:
    if complete:
        return "complete"
    if done == 0:
        return "stopped in the first round (not counted)"
    if done < planned:
        return f"partial: {done} of {planned} rounds"
    return f"short: {reps} of {target} reps" if reps < target else "incomplete (a move skipped)"


def totals(entries: Sequence[Mapping[str, Any]]) -> Totals:
    rows = workout_rows(entries)
    sets = [row.rounds * len(CIRCUIT) for row in rows]
    return Totals(
        workouts=sum(1 for row in rows if row.rounds > 0),
        complete=sum(1 for row in rows if row.result == "complete"),
        rounds=sum(row.rounds for row in rows),
        sets=sum(sets),
        reps=sum(count * row.reps for count, row in zip(sets, rows, strict=True)),
        runs=sum(1 for entry in entries if entry.get("kind") == "run"),
    )


def history_table(entries: Sequence[Mapping[str, Any]]) -> str:
    """The rows as an aligned table, then one line of totals."""
    rows = workout_rows(entries)
    if not rows:
        return "No workouts yet."
    lines = [f"{'date':<16} {'band':<5} {'week':>4} {'rounds':>6} {'reps':>4}  result"]
    for row in rows:
        day = _weekday(row.date)
        rounds = f"{row.rounds} of {row.rounds_planned}"
        lines.append(f"{day:<16} {row.band:<5} {row.week:>4} {rounds:>6} {row.reps:>4}  "
                     f"{row.result}")
    total = totals(entries)
    runs = f"; {_count(total.runs, 'run')} logged" if total.runs else ""
    lines.append(f"Total: {_count(total.workouts, 'workout')} ({total.complete} complete), "
                 f"{_count(total.rounds, 'round')}, {_count(total.sets, 'set')}, "
                 f"{total.reps:,} reps{runs}.")
    return "\n".join(lines)


def history_csv(entries: Sequence[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*COLUMNS, "rounds_planned"])
    for row in workout_rows(entries):
        writer.writerow([row.date, row.band, row.week, row.rounds, row.reps, row.result,
                         row.rounds_planned])
    return buffer.getvalue()


def describe_state(state: Mapping[str, Any] | None, entries: Sequence[Mapping[str, Any]]) -> str:
    """A user's stored state in a few plain lines (what `:state` shows)."""
    if state is None:
        return "Nothing stored yet for this user."
    week = int(state.get("program_week") or 0)
    lines = [
        f"Band: {state.get('band', '?')}. "
        + (f"Program week {week} of 4: {_count(week, 'round')} of {state.get('rep_target')} reps."
           if week else f"No week begun yet; sets start at {state.get('rep_target')} reps."),
        f"This week: {_count(int(state.get('week_workouts') or 0), 'workout')}, "
        f"{_count(int(state.get('week_rounds') or 0), 'round')}. "
        f"Counted workouts so far: {state.get('total_workouts', 0)}.",
    ]
    current = state.get("in_progress")
    if isinstance(current, Mapping):
        exercise = int(current.get("exercise_index") or 0)
        name = CIRCUIT[exercise].id if 0 <= exercise < len(CIRCUIT) else "?"
        lines.append(f"In progress since {current.get('local_date')}: round "
                     f"{current.get('round')}, exercise {exercise + 1} of {len(CIRCUIT)} ({name}).")
    lines.append(f"History: {_count(len(_workouts(entries)), 'workout')} stored "
                 "(`:history` or `band-coach history` lists them).")
    return "\n".join(lines)


def _weekday(text: str) -> str:
    """"2027-01-04" as "Mon 2027-01-04"; anything else as it is."""
    try:
        return date.fromisoformat(text).strftime("%a %Y-%m-%d")
    except ValueError:
        return text


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
