"""`band-coach history`'s rows and totals from history entries, whatever else they carry."""

from __future__ import annotations

from typing import Any

from skill.commands.history import describe_state, history_table, totals, workout_rows


def entry(day: str, **fields: Any) -> dict[str, Any]:
    base = {"kind": "workout", "at": f"{day}T07:30:00Z", "local_date": day, "band": "grey",
            "program_week": 2, "rep_target": 10, "rounds_done": 2, "complete": True,
            "reported_reps": None}
    return {**base, **fields}


def test_rows_come_oldest_first_with_their_results() -> None:
    """Complete, partial, short and not-counted workouts each say what happened; extra keys
    (a workout id) and other kinds (runs, unknown ones) are ignored."""
    entries = [
        entry("2027-01-08", rounds_done=1, complete=False, workout_id="c"),
        entry("2027-01-04", workout_id="a"),
        entry("2027-01-06", reported_reps=9, complete=False),
        entry("2027-01-10", rounds_done=0, complete=False),
        {"kind": "run", "at": "2027-01-05T07:00:00Z", "local_date": "2027-01-05", "minutes": 20},
        {"kind": "something-new", "at": "2027-01-05T08:00:00Z"},
    ]
    rows = workout_rows(entries)
    assert [(row.date, row.reps, row.result) for row in rows] == [
        ("2027-01-04", 10, "complete"),
        ("2027-01-06", 9, "short: 9 of 10 reps"),
        ("2027-01-08", 10, "partial: 1 of 2 rounds"),
        ("2027-01-10", 10, "stopped in the first round (not counted)"),
    ]
    total = totals(entries)
    counted = (total.workouts, total.complete, total.rounds, total.sets, total.runs)
    assert counted == (3, 1, 5, 25, 1)
    assert total.reps == 10 * 10 + 10 * 9 + 5 * 10


def test_the_table_ends_with_the_totals_in_words() -> None:
    """One line per workout, then a total line with plurals right."""
    table = history_table([entry("2027-01-04", rounds_done=1, program_week=1)])
    assert table.splitlines()[-1] == "Total: 1 workout (1 complete), 1 round, 5 sets, 50 reps."


def test_state_is_described_in_words() -> None:
    """`:state` names the band, the week, this week's work and a workout under way."""
    state = {"band": "grey", "program_week": 3, "rep_target": 11, "week_workouts": 1,
             "week_rounds": 3, "total_workouts": 14,
             "in_progress": {"local_date": "2027-01-06", "round": 2, "exercise_index": 2}}
    described = describe_state(state, [entry("2027-01-04")])
    assert described.splitlines() == [
        "Band: grey. Program week 3 of 4: 3 rounds of 11 reps.",
        "This week: 1 workout, 3 rounds. Counted workouts so far: 14.",
        "In progress since 2027-01-06: round 2, exercise 3 of 5 (bridge).",
        "History: 1 workout stored (`:history` or `band-coach history` lists them).",
    ]
    assert describe_state(None, []) == "Nothing stored yet for this user."
