"""Alexa+ devices are reported to refuse one-shot requests ("ask band coach to ..."): users
open the skill first. Through the terminal coach (the generated model, the matcher, the whole
skill): every flow works after a plain "open band coach", and one "yes" reaches the workout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.grammar.source import read_grammar
from skill.understanding import InteractionModel, understand
from tests.conftest import ROOT
from tests.functional.test_chat import FINISHED, Terminal

LAUNCH = "open band coach"
TALK = json.loads((ROOT / "skill" / "locales" / "en-US" / "dialogue.json").read_text())["talk"]
NOT_UNDERSTOOD = (TALK["fallback"], TALK["fallback_in_workout"])
# Flows a plain launch leads into; the session-ending ones and the audio-only built-ins aside.
FIRST_RELEASE_FLOWS = ("StartWorkoutIntent", "SetsThisWeekIntent", "WhatWeekIntent",
                       "WhichBandIntent", "ProgressIntent", "TodaysWorkoutIntent",
                       "NextBandIntent", "HowToIntent", "SetBandIntent", "RunTodayIntent",
                       "ShouldITrainIntent", "StartingRepsIntent", "AMAZON.HelpIntent")
EXAMPLES = [(intent.name, example) for intent in read_grammar().intents
            for example in intent.examples]


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Terminal:
    return Terminal(tmp_path, monkeypatch, capsys)


def test_the_launch_reaches_the_workout_in_one_yes(terminal: Terminal) -> None:
    """A new user opens the skill, says yes once, and is counted through the whole workout."""
    heard = terminal.chat(LAUNCH, "yes", *["next"] * 8)
    assert FINISHED in heard
    assert not any(line in heard for line in NOT_UNDERSTOOD)


def test_a_returning_user_also_needs_one_yes(terminal: Terminal) -> None:
    """The next day's launch offers the workout again; one yes starts it."""
    terminal.chat(LAUNCH, "yes", *["next"] * 8)
    heard = terminal.chat(LAUNCH, "yes", *["next"] * 8, now="2027-01-06T07:30")
    assert FINISHED in heard


@pytest.mark.parametrize(("intent", "example"),
                         [(i, e) for i, e in EXAMPLES if i in FIRST_RELEASE_FLOWS])
def test_every_flow_works_after_a_plain_launch(terminal: Terminal, intent: str,
                                               example: str) -> None:
    """Each flow's example, said after "open band coach" rather than in one shot, gets an
    answer of its own, not the "didn't get that" one."""
    terminal.chat(LAUNCH, "yes", *["next"] * 8)
    heard = terminal.chat(LAUNCH, example, now="2027-01-05T07:30")
    assert not any(line in heard for line in NOT_UNDERSTOOD), heard


@pytest.mark.parametrize(("intent", "example"), EXAMPLES)
def test_every_example_is_understood_without_the_invocation(intent: str, example: str) -> None:
    """Every intent's example reaches its intent said alone, in a session the launch opened."""
    heard = understand(InteractionModel.load("en-US"), example)
    assert (heard.intent, heard.invoked) == (intent, False)
