"""Item 5: user turns per workout, the longest response and the largest SSML, against the limits.

Each workout is driven through the skill ("start my band workout", then "next" until the
summary); `plan_turns` gives the guided part alone, for comparison.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.envelopes import MONDAY, WEEK_FOUR, ZONE, envelope
from benchmarks.scenario import week_four_state
from benchmarks.skills import band_coach
from skill.bootstrap import handle_event
from skill.program.catalogue import PACE_STEPS
from skill.program.progression import new_user, plan_for
from skill.program.state import TrainingState, state_to_dict
from skill.speech.ssml import MAX_RESPONSE_SECONDS, MAX_SSML_CHARACTERS, spoken_milliseconds
from skill.speech.workout import plan_turns
from skill.storage.sqlite import SqliteStore

_BREAK = re.compile(r'<break time="(\d+)ms"/>')
_TAG = re.compile(r"<[^>]+>")
MAX_TURNS = 40
LIMIT_SECONDS = MAX_RESPONSE_SECONDS
LIMIT_CHARACTERS = MAX_SSML_CHARACTERS


@dataclass(frozen=True)
class Workout:
    """One workout played to its summary."""

    name: str
    user_turns: int  # requests from "start" to the summary
    planned_turns: int  # responses `plan_turns` makes of the guided part
    longest_seconds: float  # estimated spoken duration of the longest response
    largest_ssml: int  # characters of the largest outputSpeech


def estimated_seconds(ssml: str) -> float:
    """Breaks plus the words' estimated duration (as the SSML builder estimates them)."""
    words = " ".join(_TAG.sub(" ", ssml).replace("&apos;", "'").split())
    breaks = sum(int(ms) for ms in _BREAK.findall(ssml))
    return (breaks + spoken_milliseconds(words)) / 1000


def play(name: str, state: TrainingState | None, at: Any) -> Workout:
    """Start a workout for a user in `state` (None: first use) and say "next" to the end."""
    with tempfile.TemporaryDirectory() as directory:
        store = SqliteStore(Path(directory) / "voice.sqlite3")
        user = f"amzn1.ask.account.voice-{name.replace(' ', '-')}"
        if state is not None:
            store.save(user, state_to_dict(state), None)
        skill = band_coach(store)
        speeches: list[str] = []
        attributes = None
        intent = "StartWorkoutIntent"
        while len(speeches) < MAX_TURNS:
            event = envelope("IntentRequest", user_id=user, at=at, intent=intent,
                             attributes=attributes)
            response = handle_event(skill, event)
            speeches.append(response["response"]["outputSpeech"]["ssml"])
            if response["response"].get("shouldEndSession") is not False:
                break
            attributes, intent = response.get("sessionAttributes"), "AMAZON.NextIntent"
            at += timedelta(minutes=3)
        store.close()
    today = at.date()
    plan = plan_for(state or replace(new_user(), time_zone=ZONE), today)
    return Workout(name, len(speeches), len(plan_turns(plan)),
                   max(map(estimated_seconds, speeches)), max(map(len, speeches)))


def workouts() -> list[Workout]:
    """Week 1 on first use, week 4 at the usual pace, and week 4 at the slowest pace."""
    return [
        play("week 1", None, MONDAY),
        play("week 4", week_four_state(), WEEK_FOUR),
        play("week 4 slowest pace", replace(week_four_state(), pace_step=max(PACE_STEPS)),
             WEEK_FOUR),
    ]
