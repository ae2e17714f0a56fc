"""`band-coach program`: the simulated progression, as JSON and as a table."""

from __future__ import annotations

import json

import pytest

from skill.cli import main


def program(capsys, *args: str) -> list[dict]:
    assert main(["program", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_default_run_reaches_grey_after_four_green_weeks(capsys):
    """13 weeks at 3 a week: weeks 1-4 on green (8, 9, 10, 11, 12, 12...), then grey week 1 at 8."""
    rows = program(capsys, "--workouts-per-week", "3", "--weeks", "13")
    assert len(rows) == 39
    green = rows[:12]
    assert {row["band"] for row in green} == {"green"}
    assert [row["program_week"] for row in green] == [1] * 3 + [2] * 3 + [3] * 3 + [4] * 3
    assert [row["rounds"] for row in green] == [row["program_week"] for row in green]
    assert [row["rep_target"] for row in green] == [8, 9, 10, 11, 12, 12] + [12] * 6
    assert (rows[12]["band"], rows[12]["program_week"], rows[12]["rounds"]) == ("grey", 1, 1)
    assert rows[12]["rep_target"] == 8
    assert all(row["result"] == "complete" for row in rows)
    assert rows[0] == {
        "workout": 1, "date": "2027-01-04", "band": "green", "program_week": 1, "rounds": 1,
        "rep_target": 8, "result": "complete", "rounds_done": 1, "reported_reps": None,
        "notices": [],
    }  # fmt: skip


def test_skipped_calendar_week_neither_trains_nor_jumps_the_week(capsys):
    """No workouts in calendar week 2; week 2 of the program follows week 1 in week 3."""
    rows = program(capsys, "--weeks", "3", "--skip-week", "2")
    assert [row["date"] for row in rows][2:4] == ["2027-01-08", "2027-01-18"]
    assert [row["program_week"] for row in rows] == [1, 1, 1, 2, 2, 2]


def test_short_workout_holds_the_next_target(capsys):
    """Workout 2 reported short: workout 3 keeps its target."""
    rows = program(capsys, "--weeks", "1", "--short", "2")
    assert [row["rep_target"] for row in rows] == [8, 9, 9]
    assert rows[1]["reported_reps"] == 8 and rows[1]["result"] == "complete"


def test_partial_workout_records_one_round_and_holds(capsys):
    """Workout 4 (week 2) stopped after one round: partial, and workout 5 keeps the target."""
    rows = program(capsys, "--weeks", "2", "--partial", "4")
    assert (rows[3]["result"], rows[3]["rounds_done"]) == ("partial", 1)
    assert [row["rep_target"] for row in rows[3:]] == [11, 11, 12]


def test_start_reps_and_start_date(capsys):
    """--start-reps 10 --start-date sets the first workout."""
    rows = program(capsys, "--weeks", "1", "--start-reps", "10", "--start-date", "2027-03-01")
    assert (rows[0]["date"], rows[0]["rep_target"]) == ("2027-03-01", 10)


def test_workouts_per_week_spreads_the_days(capsys):
    """Two a week fall on the first and fourth days of each week."""
    rows = program(capsys, "--weeks", "1", "--workouts-per-week", "2")
    assert [row["date"] for row in rows] == ["2027-01-04", "2027-01-07"]


def test_table_is_readable(capsys):
    """The default output is a table with a header and one line per workout."""
    assert main(["program", "--weeks", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["#", "date", "band", "week", "rounds", "reps", "result", "notes"]
    assert len(lines) == 1 + 15
    assert lines[1].split() == ["1", "Mon", "2027-01-04", "green", "1", "1", "8", "complete"]
    assert "heavier band" in lines[13] and "grey" in lines[13]


@pytest.mark.parametrize(
    "args", [["--start-reps", "13"], ["--workouts-per-week", "8"], ["--weeks", "0"],
             ["--start-date", "2027-02-30"], ["--short", "x"]],
)  # fmt: skip
def test_bad_arguments_exit_with_usage(capsys, args):
    """Out-of-range or malformed options stop with a usage error."""
    with pytest.raises(SystemExit) as stopped:
        main(["program", *args])
    assert stopped.value.code == 2
    assert "usage" in capsys.readouterr().err
