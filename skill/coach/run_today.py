""" "I'm going for a run": the rest-day and 30-minute rules for a run today, and the run
mentioned (one write).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from skill.coach.follow_up import follow_up
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.program.answers import AdviceKind, training_advice
from skill.program.progression import mention_run
from skill.program.state import MAX_RUN_MINUTES, TrainingState

NEXT_STEP = "answer.start_next_step"
_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:\d+S)?)?$"
)


def run_today(turn: Turn, voice: Voice, duration: str | None) -> Reply:
    """The rest-day and 30-minute rules for a run today; with no duration (a distance, or
    nothing heard), ask how long it will take."""
    minutes = duration_minutes(duration)
    if minutes is not None and minutes > MAX_RUN_MINUTES:  # misheard: ask rather than refuse
        minutes = None
    today = turn.today()
    advice = training_advice(turn.state(), today, minutes, run_is_distance=minutes is None)
    if advice.kind is AdviceKind.ASK_DURATION:
        if turn.awaiting is Awaiting.ASK_RUN_DURATION:  # asked once already: the rule itself
            return follow_up(turn, voice, voice.say("tell.train_before_run"), NEXT_STEP)
        turn.memory.awaiting = Awaiting.ASK_RUN_DURATION
        return Reply(voice.say("tell.run_ask_duration"), voice.reprompt("tell.run_ask_duration"))
    now = turn.facts.now
    turn.change(lambda state: _ran(state, now, today, minutes))
    match advice.kind:
        case AdviceKind.REST_DAY:
            speech = voice.say("tell.run_rest_day")
        case AdviceKind.ANOTHER_DAY:
            speech = voice.say("tell.run_another_day")
        case AdviceKind.DONE_TODAY:
            speech = voice.say("tell.run_done_today")
        case _:
            speech = voice.say("tell.run_warm_up", minutes=voice.number(minutes or 0))
    return follow_up(turn, voice, speech, NEXT_STEP)


def _ran(state: TrainingState, now: datetime, today: date, minutes: int | None) -> Outcome[None]:
    state, run = mention_run(state, now, today, minutes)
    return Outcome(state, None, [run])


def duration_minutes(value: str | None) -> int | None:
    """Whole minutes of an ISO 8601 duration (AMAZON.DURATION: "PT25M", "PT1H30M")."""
    match = _DURATION.match(value or "")
    if not match or not any(match.groupdict().values()):
        return None
    parts = {key: int(number) for key, number in match.groupdict().items() if number}
    minutes = parts.get("days", 0) * 1440 + parts.get("hours", 0) * 60 + parts.get("minutes", 0)
    return minutes or None
