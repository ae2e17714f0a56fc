"""Questions: sets this week, what week, which band, progress, today, next band, how to, train?"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.coach import progress_card, questions
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import Answer, Answers, IntentHandler, slot_id, slot_value

ANSWERS: dict[str, Answer] = {
    "SetsThisWeekIntent": questions.sets_this_week,
    "WhatWeekIntent": questions.what_week,
    "WhichBandIntent": questions.which_band,
    "ProgressIntent": questions.progress,
    "TodaysWorkoutIntent": questions.todays_workout,
    "NextBandIntent": questions.next_band,
    "ShouldITrainIntent": questions.should_train,
    "ProgressCardIntent": progress_card.send_progress,
}


class HowTo(IntentHandler):
    intents = frozenset({"HowToIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        heard = slot_value(handler_input, "exercise") is not None
        return questions.how_to(turn, voice, slot_id(handler_input, "exercise"), heard)


HANDLERS = (Answers(ANSWERS), HowTo())
