"""Scripted conversations piped into `band-coach chat`, end to end through the real skill.

Each test types lines as a user would into a chat on a temporary SQLite store, with the clock
fixed by `--now`; piped input plays no pauses, so the whole conversation runs at once.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from skill.cli import main
from skill.locales import words_for
from skill.settings import ENV_SKILL_ID, ENV_STORE
from tests.conftest import ROOT

MONDAY = "2027-01-04T07:30"
FINISHED = "That's the workout done"


class Terminal:
    """A user at the terminal: each `chat` pipes lines into one run of the command."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.store_url = f"sqlite:///{tmp_path / 'coach.sqlite3'}"
        self._monkeypatch = monkeypatch
        self._capsys = capsys
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        monkeypatch.delenv(ENV_STORE, raising=False)
        monkeypatch.delenv(ENV_SKILL_ID, raising=False)

    def chat(self, *lines: str, now: str = MONDAY, user: str | None = "runner",
             options: Sequence[str] = (), status: int = 0) -> str:
        """The chat's output for `lines` piped in; the exit status must be `status`."""
        self._monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
        who = ["--user", user] if user else []
        argv = ["chat", "--store", self.store_url, "--now", now, "--time-zone", "Europe/London"]
        assert main([*argv, *who, *options]) == status
        return self._capsys.readouterr().out


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Terminal:
    return Terminal(tmp_path, monkeypatch, capsys)


def workout(*extra: str, nexts: int = 8) -> list[str]:
    """Starts a workout and says "next" more often than a week-1 workout needs."""
    return ["start my band workout", *["next"] * nexts, *extra]


def test_first_use_welcomes_with_the_safety_note_and_the_first_band(terminal: Terminal) -> None:
    """A new user opening the skill hears the welcome, the safety note and which band to use."""
    heard = terminal.chat("open band coach")
    assert "I'm your band coach" in heard
    assert "no substitute for medical advice" in heard
    assert "Start with the green band" in heard
    assert "Shall we start your first workout?" in heard


def test_a_complete_week_one_workout_ends_with_its_summary(terminal: Terminal) -> None:
    """Saying next through a week-1 workout covers every exercise and ends with the summary."""
    heard = terminal.chat(*workout())
    for exercise in ("squats with leg lifts", "lateral steps", "bridges", "resisted bicycles",
                     "pushups"):
        assert f"{exercise}." in heard
    assert heard.count(FINISHED) == 1
    summary = next(line for line in heard.splitlines() if FINISHED in line)
    assert "one round of eight reps" in summary
    assert "Next workout: nine reps." in heard
    assert "(session ended)" in heard.split(FINISHED, 1)[1]


def test_reps_are_counted_one_per_line(terminal: Terminal) -> None:
    """The count is heard number by number, one line each, up to the rep target."""
    lines = terminal.chat(*workout()).splitlines()
    start = next(i for i, line in enumerate(lines) if "Next up: bridges." in line) + 1
    hold = words_for("en-US").phrase("workout.call_hold", call="")  # the bridge holds each rep
    counted = [line.rstrip(".!").removesuffix(hold).split()[-1]
               for line in lines[start : start + 8]]
    assert counted == ["one", "two", "three", "four", "five", "six", "seven", "eight"]


def test_questions_are_answered(terminal: Terminal) -> None:
    """Questions a runner asks get the engine's answers in words."""
    heard = terminal.chat(
        "how many sets this week", "which band should I use", "how do I do a bridge",
        "what's my workout today",
    )
    assert "one set of each exercise" in heard
    assert "Use the green band for your legs" in heard
    assert "For your bridges, do the bridge" in heard
    assert "Today's workout is week one: one round of eight reps" in heard


def test_pause_and_resume_pick_up_where_the_workout_stopped(terminal: Terminal) -> None:
    """Pause saves the place heard so far and ends the session; resume later carries on from
    that exercise to the end of the workout."""
    heard = terminal.chat("start my band workout", "pause", "resume", *["next"] * 8)
    before, paused = heard.split("Paused at the ", 1)
    assert FINISHED not in before
    exercise = paused.split(" in round one.", 1)[0]
    assert paused.splitlines()[1] == "(session ended)"
    resumed = paused.split("\n", 2)[2]
    assert exercise in resumed.splitlines()[0]
    assert FINISHED in resumed


def test_a_week_later_the_sets_this_week_answer_is_two(terminal: Terminal) -> None:
    """After week-1 workouts and a week advanced, "how many sets this week" answers two."""
    heard = terminal.chat(
        *workout(":advance 2d"), *workout(":advance 2d"), *workout(":advance 3d"),
        "how many sets this week",
    )
    assert heard.count(FINISHED) == 3
    answer = next(line for line in heard.splitlines()[::-1] if "of each exercise" in line)
    assert "week two" in answer
    assert " two sets " in f" {answer} "


def test_week_two_rests_a_minute_between_its_rounds(terminal: Terminal) -> None:
    """In week two the minute's rest is heard as silences between the coach's marks, each shown
    with the rest's time left: above thirty before "Thirty seconds.", then above ten."""
    week_one = [*workout(":advance 2d"), *workout(":advance 2d"), *workout(":advance 3d")]
    heard = terminal.chat(*week_one, *workout())
    week_two = heard.split("Round one of two.", 1)[1]
    last_round = words_for("en-US").phrase("workout.last_round", round="two")
    rest = week_two[week_two.index("That's round one.") : week_two.index(last_round)]
    lines = rest.splitlines()
    silences = [int(line.split()[1]) for line in lines if line.startswith("resting…")]
    assert len(silences) == 2 and 30 < silences[0] <= 60 and 10 < silences[1] < 30
    assert lines.index("Thirty seconds.") == lines.index(f"resting… {silences[0]} s") + 1
    assert "That's the workout done: two rounds of eleven reps." in week_two


def test_locale_changes_the_words(terminal: Terminal) -> None:
    """An en-GB chat sends en-GB requests, and the coach answers in kilograms."""
    heard = terminal.chat("which band should I use", options=["--locale", "en-GB"])
    assert "kilograms" in heard and "pounds" not in heard


def test_nonsense_reaches_the_fallback(terminal: Terminal) -> None:
    """Words no sample resembles reach AMAZON.FallbackIntent, which answers with suggestions."""
    heard = terminal.chat("purple monkey dishwasher sings opera")
    assert "Sorry, I didn't get that." in heard


def test_silence_replays_the_reprompt_then_ends_the_session(terminal: Terminal) -> None:
    """An empty line is silence: the reprompt first, then the session times out."""
    heard = terminal.chat("open band coach", "", "")
    assert heard.splitlines()[-3:] == [
        next(line for line in heard.splitlines() if "I'm your band coach" in line),
        "Shall we start your workout?",
        "(session ended)",
    ]


def test_state_shows_what_the_store_holds(terminal: Terminal) -> None:
    """:state reads the stored state after a workout and says it in words, not JSON."""
    heard = terminal.chat(*workout(":state"))
    shown = heard.split(FINISHED, 1)[1]
    assert "Band: green. Program week 1 of 4: 1 round of 9 reps." in shown
    assert "History: 1 workout stored" in shown
    assert "{" not in shown


def test_history_lists_the_workouts_and_totals(terminal: Terminal) -> None:
    """:history shows each workout with its date and result, then the totals."""
    heard = terminal.chat(*workout(":advance 2d"), *workout(":history"))
    shown = heard.split(FINISHED)[-1]
    assert "Mon 2027-01-04   green    1 1 of 1    8  complete" in shown
    assert "Wed 2027-01-06   green    1 1 of 1    9  complete" in shown
    assert "Total: 2 workouts (2 complete), 2 rounds, 10 sets, 85 reps." in shown


def test_progress_persists_between_chats_for_the_local_user(terminal: Terminal) -> None:
    """Without --user the chat keeps one local user, so a second chat remembers the first."""
    terminal.chat(*workout(), user=None)
    heard = terminal.chat("open band coach", now="2027-01-06T07:30", user=None)
    assert "Welcome back." in heard
    assert "nine reps" in heard


def test_the_command_reads_a_real_pipe(tmp_path: Path) -> None:
    """Run as a program with a pipe on stdin: no prompts, the speech on stdout."""
    env = {"XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    finished = subprocess.run(
        [sys.executable, "-m", "skill.cli", "chat", "--store", f"sqlite:///{tmp_path}/s.db",
         "--now", MONDAY, "--time-zone", "UTC"],
        input="open band coach\n:quit\n", capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=60, check=True,
    )
    assert finished.stdout.startswith("Hi, I'm your band coach.")
    assert ">" not in finished.stdout


def test_the_history_command_lists_a_users_workouts(terminal: Terminal,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`band-coach history` reads the same store: the table, then JSON and CSV of the same rows."""
    terminal.chat(*workout(":advance 2d"), *workout())
    base = ["history", "--store", terminal.store_url, "--user", "runner"]
    assert main(base) == 0
    table = capsys.readouterr().out
    assert "Total: 2 workouts (2 complete), 2 rounds, 10 sets, 85 reps." in table
    assert main([*base, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [row["reps"] for row in document["workouts"]] == [8, 9]
    assert document["totals"]["reps"] == 85
    assert main([*base, "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "date,band,week,rounds,reps,result,rounds_planned",
        "2027-01-04,green,1,1,8,complete,1",
        "2027-01-06,green,1,1,9,complete,1",
    ]


def test_history_of_someone_who_never_trained_says_so(terminal: Terminal,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A user without workouts gets a sentence, not an empty table."""
    assert main(["history", "--store", terminal.store_url, "--user", "nobody"]) == 0
    assert capsys.readouterr().out == "No workouts yet.\n"
